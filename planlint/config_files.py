"""YAML files planlint needs before it checks plans (rules, config, frameworks): loaded with
locations, validated against their schema, and any problem raised as a ConfigError with its place."""

from __future__ import annotations

from pathlib import Path as FsPath

import yaml

from planlint.config_error import ConfigError
from planlint.findings import Path, Severity, Span
from planlint.input_guards import LoadLimits, read_regular, size_text
from planlint.loader import Document, load_bytes
from planlint.schema import schema_problems


_HINT = (" A message or expression that contains ': ' must be quoted, or written on the next lines "
         "after `>-`.")


def read_file(path: FsPath, *, what: str, max_bytes: int = LoadLimits().max_bytes) -> bytes:
    """A file planlint needs besides plans, through the one reader: a pipe, a device or a file over the
    size cap is a ConfigError that says so, never read."""
    raw = read_regular(path, max_bytes)
    if isinstance(raw, bytes):
        return raw
    reason = {"not-a-file": f"it is {raw.reason}, not a regular file",
              "too-large": f"it is larger than {size_text(max_bytes, exact=True)}, the most planlint reads"
              }.get(raw.kind, raw.reason)
    raise ConfigError(f"cannot read this {what}: {reason}.", str(path))


def read_document(path: FsPath, *, what: str, blank_ok: bool = False) -> Document:
    """`blank_ok`: a file of nothing but blank lines and comments reads as an empty mapping (a configuration
    with every default); otherwise it is an error."""
    raw = read_file(path, what=what)
    if _blank(raw):
        if blank_ok:
            text = raw.decode("utf-8-sig")
            return Document(data={}, text=text, root=yaml.compose("{}"))
        raise ConfigError(f"this {what} is empty.", str(path))
    result = load_bytes(raw, str(path))
    problems = [f for f in result.findings if f.severity is Severity.ERROR]
    if problems or result.document is None:
        first = problems[0] if problems else result.findings[0]
        hint = _HINT if "mapping values are not allowed" in first.message else ""
        message = first.message.replace(_PLAN_MAPPING, f"A {what} is a mapping of keys")  # the loader's words
        raise ConfigError(f"this {what} cannot be read: {message}{hint}", str(path), first.span, result.text)
    return result.document


_PLAN_MAPPING = "A plan is a mapping of keys (planlint: 1, system:, period:, ...)"


def _blank(raw: bytes) -> bool:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False  # the loader says where the bytes go wrong
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def validate_document(document: Document, schema: str, path: FsPath, *, what: str) -> None:
    problems = schema_problems(document, schema, root=f"The {what}")
    if problems:
        _, message, span = problems[0]
        more = f" ({len(problems) - 1} more problem{'s' if len(problems) > 2 else ''} after this one)" \
            if len(problems) > 1 else ""
        raise ConfigError(f"this {what} is not valid: {message}{more}", str(path), span, document.text)


def load_validated(path: FsPath, schema: str, *, what: str, blank_ok: bool = False) -> Document:
    document = read_document(path, what=what, blank_ok=blank_ok)
    validate_document(document, schema, path, what=what)
    return document


def text_span(document: Document, path: Path, line: int, column: int) -> Span:
    """Where (line, column) of the text of the scalar at `path` sits in the file."""
    node = document.node_at(path)
    if not isinstance(node, yaml.ScalarNode):
        return document.locate(path)
    if node.style == "|":
        content = document.text.splitlines()[node.start_mark.line + line:node.start_mark.line + line + 1]
        indent = len(content[0]) - len(content[0].lstrip(" ")) if content else 0
        return Span.point(node.start_mark.line + line + 1, indent + column)
    positions = _char_positions(document.text.splitlines(), node)
    index = sum(len(part) + 1 for part in node.value.split("\n")[:line - 1]) + column - 1
    if not positions:
        return document.locate(path)
    if index >= len(positions):  # just past the end, where something is missing
        line_at, column_at = positions[-1]
        return Span.point(line_at, column_at + 1 + index - len(positions))
    return Span.point(*positions[max(index, 0)])


def _char_positions(lines: list[str], node: yaml.ScalarNode) -> list[tuple[int, int]]:
    """The file position of each character of a plain, quoted or folded scalar's value.

    YAML joins the lines of these scalars with a space (a blank line gives a newline), drops the
    indentation, and reads quote and backslash escapes; this retraces those steps."""
    style = node.style or ""
    start, end = node.start_mark, node.end_mark
    quote = 1 if style in ("'", '"') else 0
    positions: list[tuple[int, int]] = []
    for row in range(start.line + (1 if style == ">" else 0), min(end.line, len(lines) - 1) + 1):
        text = lines[row]
        begin = start.column + quote if row == start.line and style != ">" else len(text) - len(text.lstrip(" "))
        stop = end.column - quote if row == end.line else len(text.rstrip())
        if begin >= stop:
            if positions and not text.strip():
                positions.append(positions[-1])  # a blank line: the newline
            continue
        if positions:
            positions.append(positions[-1])  # the space that joins two lines
        column = begin
        while column < stop:
            positions.append((row + 1, column + 1))
            column += _raw_width(text, column, style)
    return positions


def _raw_width(text: str, at: int, style: str) -> int:
    """How many characters of the file make one character of the value."""
    if style == "'" and text.startswith("''", at):
        return 2
    if style == '"' and text[at] == "\\":
        return {"x": 4, "u": 6, "U": 10}.get(text[at + 1:at + 2], 2)
    return 1
