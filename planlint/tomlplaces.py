"""Where a setting of [tool.planlint] is written in pyproject.toml.

tomllib gives values but no locations, so a problem in the table would have no line to show.
The text is scanned instead for table headers and `key = ` lines: enough to point at the key a
message names, falling back to its table and then to [tool.planlint] itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planlint.findings import Span

_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*""")
_HEADER = re.compile(r"\s*\[\[?([^\[\]]+)\]\]?\s*(?:#.*)?$")
_DECODE_PLACE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
TABLE = ("tool", "planlint")


def _dotted(text: str) -> tuple[str, ...] | None:
    """The parts of a dotted TOML key (`a."b.c".d`), or None if `text` is not one."""
    parts: list[str] = []
    position = 0
    while True:
        match = _PART.match(text, position)
        if match is None or match.end() == position:
            return None
        parts.append(next(group for group in match.groups() if group is not None))
        position = match.end()
        if position == len(text):
            return tuple(parts)
        if text[position] != ".":
            return None
        position += 1


class TomlPlaces:
    """The line and column of each key and table header in a TOML text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._places: dict[tuple[str, ...], Span] = {}
        table: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header is not None:
                table = _dotted(header.group(1)) or ()
                self._places.setdefault(table, self._span(number, line, line.index("[")))
                continue
            key, equals, _ = line.partition("=")
            if not equals or not key.strip() or key.lstrip().startswith("#"):
                continue
            parts = _dotted(key)
            if parts is not None:
                self._places.setdefault(table + parts, self._span(number, line, len(line) - len(line.lstrip())))

    @staticmethod
    def _span(number: int, line: str, column: int) -> Span:
        return Span(number, column + 1, number, len(line.rstrip()) + 1)

    def locate(self, path: Sequence[str | int], *, key: bool = False) -> Span:
        """The place of the setting at `path` inside [tool.planlint], or of its nearest written parent."""
        del key  # a key and its value share their line
        full = TABLE + tuple(part for part in path if isinstance(part, str))
        for length in range(len(full), 0, -1):
            if full[:length] in self._places:
                return self._places[full[:length]]
        return Span.point(1, 1)


def decode_error_place(message: str) -> tuple[str, Span | None]:
    """A tomllib error message without its "(at line L, column C)" tail, and that place."""
    match = _DECODE_PLACE.search(message)
    if match is None:
        return message, None
    line, column = int(match.group(1)), int(match.group(2))
    return message[: match.start()], Span.point(line, column)
