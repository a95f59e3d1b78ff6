"""Text from a file made safe to show: control characters escaped, lines split where YAML splits them,
widths counted in terminal cells."""

from __future__ import annotations

import re

# Text from a plan reaches the terminal: a control character could recolour or rewrite it, and a line
# break could start a line of its own (`::error ...` is a command to GitHub Actions). C0, DEL, C1 and
# the Unicode line and paragraph separators are shown escaped instead, so each finding stays one line.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# The line breaks YAML counts, so the excerpt shows the line the finding's line number names.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def source_lines(text: str) -> list[str]:
    """The lines of a file as YAML counts them (str.splitlines() also breaks at \x0b, \x0c, \x1c-\x1e)."""
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return _LINE_BREAK.split(text)
    return text.split("\n")  # the usual file: the same lines, found a great deal faster


def printable(text: str) -> str:
    """`text` with every control character escaped as in Python: \\n, \\x1b, \\u2028."""
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def cells(text: str) -> int:
    """How many terminal cells printable text takes (wcwidth: East Asian wide characters take two)."""
    if text.isascii():  # one cell each, once control characters are escaped: no need to load wcwidth's tables
        return len(text)
    from wcwidth import wcwidth

    return sum(max(0, wcwidth(character)) for character in text)


def excerpt_source(text: str | None, spans: list[tuple[int, int]]) -> str | None:
    """The text of a file with only the lines that findings point at (`spans`: first and last line
    of each), the others left empty: every line keeps its number, and a batch of thousands of plans
    holds a few lines of each file until its report is written, not every file whole."""
    if text is None or not spans:
        return None
    lines = source_lines(text)
    wanted = {line - 1 for span in spans for line in span}
    return "\n".join(line if number in wanted else "" for number, line in enumerate(lines))
