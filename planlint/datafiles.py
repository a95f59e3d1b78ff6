"""YAML files planlint needs before it checks plans (rules, config, frameworks): loaded with
locations, validated against their schema, and any problem raised as a ConfigError with its place."""

from __future__ import annotations

from pathlib import Path as FsPath

import yaml

from planlint.errors import ConfigError
from planlint.findings import Path, Severity, Span
from planlint.loader import Document, load_bytes
from planlint.schema import schema_problems


_HINT = (" A message or expression that contains ': ' must be quoted, or written on the next lines "
         "after `>-`.")


def read_document(path: FsPath, *, what: str) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read this {what}: {exc.strerror or exc}", str(path)) from None
    result = load_bytes(raw, str(path))
    problems = [f for f in result.findings if f.severity is Severity.ERROR]
    if problems or result.document is None:
        first = problems[0] if problems else result.findings[0]
        hint = _HINT if "mapping values are not allowed" in first.message else ""
        raise ConfigError(f"this {what} cannot be read: {first.message}{hint}", str(path), first.span, result.text)
    return result.document


def validate_document(document: Document, schema: str, path: FsPath, *, what: str) -> None:
    problems = schema_problems(document, schema)
    if problems:
        _, message, span = problems[0]
        more = f" ({len(problems) - 1} more problem{'s' if len(problems) > 2 else ''} after this one)" \
            if len(problems) > 1 else ""
        raise ConfigError(f"this {what} is not valid: {message}{more}", str(path), span, document.text)


def load_validated(path: FsPath, schema: str, *, what: str) -> Document:
    document = read_document(path, what=what)
    validate_document(document, schema, path, what=what)
    return document


def text_span(document: Document, path: Path, line: int, column: int) -> Span:
    """Where (line, column) of the text of the scalar at `path` sits in the file."""
    node = document.node_at(path)
    if not isinstance(node, yaml.ScalarNode):
        return document.locate(path)
    start = node.start_mark
    if node.style == "|":
        content = document.text.splitlines()[start.line + line:start.line + line + 1]
        indent = len(content[0]) - len(content[0].lstrip(" ")) if content else 0
        return Span.point(start.line + line + 1, indent + column)
    if node.style == ">":
        return _folded_span(document, node, line, column)
    opening = 1 if node.style in ("'", '"') else 0
    if line == 1:
        return Span.point(start.line + 1, start.column + opening + column)
    return Span.point(start.line + line, column)


def _folded_span(document: Document, node: yaml.ScalarNode, line: int, column: int) -> Span:
    """A folded block joins its lines with spaces: walk the source lines to find the column."""
    lines = document.text.splitlines()[node.start_mark.line + 1:node.end_mark.line + 1]
    paragraphs = 1
    for offset, source in enumerate(lines):
        text = source.strip()
        if not text:
            paragraphs += 1
            continue
        if paragraphs == line and column <= len(text) + 1:
            indent = len(source) - len(source.lstrip(" "))
            return Span.point(node.start_mark.line + offset + 2, indent + column)
        if paragraphs == line:
            column -= len(text) + 1
    return Span.point(node.start_mark.line + 1, node.start_mark.column + 1)
