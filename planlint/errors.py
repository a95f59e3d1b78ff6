"""Errors in what the user configured (config, rule and framework files): exit 2, with a place."""

from __future__ import annotations

from dataclasses import dataclass

from planlint.findings import Span


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
            return f"planlint: error: {self.message}"
        where = self.file if self.span is None else f"{self.file}:{self.span.line}:{self.span.column}"
        text = f"{where}: error: {self.message}"
        if self.span is not None and self.source is not None:
            lines = self.source.splitlines()
            if 0 < self.span.line <= len(lines):
                number = str(self.span.line)
                text += (f"\n {number} | {lines[self.span.line - 1]}"
                         f"\n {' ' * len(number)} | {' ' * (self.span.column - 1)}^")
        return text
