"""Errors in what the user configured (config, rule and framework files): exit 2, with a place."""

from __future__ import annotations

from dataclasses import dataclass

from planlint.findings import Span, shown_name
from planlint.printable import cells, printable, source_lines


@dataclass
class ConfigError(Exception):
    """A problem in a file planlint needs before it can check plans: shown with its place, exit 2."""

    message: str
    file: str | None = None
    span: Span | None = None
    source: str | None = None  # the file's text, to show the line with a marker

    def __str__(self) -> str:
        return self.render()

    def render(self) -> str:
        if self.file is None:
            return f"planlint: error: {printable(self.message)}"
        file = shown_name(self.file)  # a name that is not UTF-8 as findings show it
        where = file if self.span is None else f"{file}:{self.span.line}:{self.span.column}"
        text = f"{printable(where)}: error: {printable(self.message)}"
        if self.span is not None and self.source is not None:
            lines = source_lines(self.source)
            if 0 < self.span.line <= len(lines):
                number, line = str(self.span.line), lines[self.span.line - 1].replace("\t", " ")
                column = cells(printable(line[:self.span.column - 1])) + max(0, self.span.column - 1 - len(line))
                text += (f"\n {number} | {printable(line)}"
                         f"\n {' ' * len(number)} | {' ' * column}^")
        return text
