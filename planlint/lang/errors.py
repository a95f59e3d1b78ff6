"""Errors of the rule language: at load time (syntax) and at rule time (evaluation)."""

from __future__ import annotations

_WINDOW = 60


class ExprSyntaxError(Exception):
    """An expression or template that cannot be read.

    `line` and `column` are 1-based within `text` (for a template: the whole template).
    """

    def __init__(self, message: str, line: int, column: int, text: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.text = text

    def with_text(self, text: str) -> ExprSyntaxError:
        """The same error, shown against `text` (for errors found after parsing)."""
        return ExprSyntaxError(self.message, self.line, self.column, text)

    def __str__(self) -> str:
        where = f"{self.message} (line {self.line}, column {self.column})"
        lines = self.text.split("\n")
        if not 1 <= self.line <= len(lines):
            return where
        source = lines[self.line - 1].replace("\t", " ")
        # Long one-line expressions are cut to a window so the caret stays readable.
        start = max(0, min(self.column - 1 - _WINDOW // 2, len(source) - _WINDOW))
        shown = source[start:start + _WINDOW]
        prefix = "..." if start > 0 else ""
        suffix = "..." if start + _WINDOW < len(source) else ""
        caret = " " * (len(prefix) + self.column - 1 - start) + "^"
        return f"{where}\n  {prefix}{shown}{suffix}\n  {caret}"


class EvalError(Exception):
    """A rule that fails on a particular plan, e.g. a function given a list for a number.

    `line` and `column` point into the expression text; they are None until the error
    passes the expression node that caused it.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def located(self, line: int, column: int) -> EvalError:
        """This error with a position, unless a more precise one is already known."""
        if self.line is not None:
            return self
        return type(self)(self.message, line, column)

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"{self.message} (line {self.line}, column {self.column})"


class BudgetExceeded(EvalError):
    """The rule spent more evaluation steps than its budget allows on this plan."""
