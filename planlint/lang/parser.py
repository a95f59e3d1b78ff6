"""Reading expressions and message templates into syntax trees.

The LALR parser is built once per process. Building the tree from lark's parse tree is
iterative, and expressions are capped in length and depth, so no input can exhaust the
Python stack here or in the stages after it.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedInput

from planlint.lang.ast import (
    Binary, Call, Conditional, Element, Expr, Field, Index, ListExpr, Literal, Name, Project,
    Quantifier, Template, Unary,
)
from planlint.lang.errors import ExprSyntaxError
from planlint.lang.syntax_messages import explain

MAX_LENGTH = 10_000
MAX_DEPTH = 100
MAX_DIGITS = 30
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"'}
_CONSTANTS = {"true": True, "false": False, "null": None}


@functools.cache
def grammar_text() -> str:
    return (Path(__file__).parent / "grammar.lark").read_text(encoding="utf-8")


@functools.cache
def _lark() -> Lark:
    return Lark(grammar_text(), parser="lalr", propagate_positions=True, maybe_placeholders=True)


def parse_expression(text: str) -> Expr:
    """The syntax tree of `text`; raises ExprSyntaxError with plain words and a position."""
    return _parse(text, _Offset(text, 0))


def parse_template(text: str) -> Template:
    """A message template: text with `{expression}` holes; `{{` and `}}` are literal braces."""
    if len(text) > MAX_LENGTH:
        raise ExprSyntaxError(f"the message is longer than {MAX_LENGTH} characters", 1, 1, text)
    parts: list[str | Expr] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char, pair = text[index], text[index:index + 2]
        if pair in ("{{", "}}"):
            literal.append(char)
            index += 2
        elif char == "{":
            end = _hole_end(text, index)
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(_parse(text[index + 1:end], _Offset(text, index + 1)))
            index = end + 1
        elif char == "}":
            raise _error_at(text, index, "a '}' on its own must be written '}}'")
        else:
            literal.append(char)
            index += 1
    if literal:
        parts.append("".join(literal))
    return Template(tuple(parts), text)


def _hole_end(text: str, start: int) -> int:
    """The index of the `}` closing the hole opened at `start`, skipping quoted text."""
    quote = ""
    index = start + 1
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "}":
            return index
        elif char == "{":
            raise _error_at(text, index, "a '{' cannot appear inside {...}; write '{{' outside it")
        index += 1
    raise _error_at(text, start, "this '{' is never closed with '}'")


class _Offset:
    """Where an expression sits inside the text it came from (a template or itself)."""

    def __init__(self, whole: str, start: int) -> None:
        self.whole = whole
        self.line, self.column = line_column(whole, start)

    def at(self, line: int, column: int) -> tuple[int, int]:
        if line == 1:
            return self.line, self.column + column - 1
        return self.line + line - 1, column


def line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _error_at(text: str, index: int, message: str) -> ExprSyntaxError:
    return ExprSyntaxError(message, *line_column(text, index), text)


def _parse(text: str, offset: _Offset) -> Expr:
    if len(text) > MAX_LENGTH:
        line, column = offset.at(1, 1)
        message = f"the expression is longer than {MAX_LENGTH} characters"
        raise ExprSyntaxError(message, line, column, offset.whole)
    interactive = _lark().parse_interactive(text)
    seen: list[Token] = []
    try:
        for token in interactive.iter_parse():
            seen.append(token)
        tree = interactive.feed_eof(seen[-1] if seen else None)
    except UnexpectedInput as error:
        message, line, column = explain(error, seen, text, offset.at)
        raise ExprSyntaxError(message, line, column, offset.whole) from None
    return _Builder(offset).build(tree)


class _Builder:
    """Turns lark's tree into the syntax tree, bottom-up with an explicit stack."""

    def __init__(self, offset: _Offset) -> None:
        self.offset = offset
        self.rules: dict[str, Callable[..., Any]] = {
            "number": self.number, "string": self.string, "date": self.date,
            "constant": self.constant, "name": self.name, "call": self.call, "list": self.list,
            "arguments": self.arguments, "group": self.group, "field": self.field,
            "index": self.index, "project": self.project, "filter": self.filter,
            "negate": self.negate, "not_op": self.not_op, "binary": self.binary,
            "not_in": self.not_in, "logic": self.binary, "conditional": self.conditional,
            "quantifier": self.quantifier,
        }

    def build(self, tree: Tree) -> Expr:
        # Each entry: (value, height); a height above MAX_DEPTH is refused as it is built.
        done: list[tuple[Any, int]] = []
        stack: list[tuple[Any, bool]] = [(tree, False)]
        while stack:
            item, expanded = stack.pop()
            if not isinstance(item, Tree):
                done.append((item, 0))
            elif not expanded:
                stack.append((item, True))
                stack.extend((child, False) for child in reversed(item.children))
            else:
                count = len(item.children)
                values = done[len(done) - count:]
                del done[len(done) - count:]
                done.append(self._reduce(item, values))
        return done[0][0]

    def _reduce(self, tree: Tree, values: list[tuple[Any, int]]) -> tuple[Any, int]:
        height = max((h for _, h in values), default=0)
        if tree.data not in ("arguments", "group"):
            height += 1
        if height > MAX_DEPTH:
            line, column = self.offset.at(tree.meta.line, tree.meta.column)
            message = f"the expression nests more than {MAX_DEPTH} levels deep; split it up"
            raise ExprSyntaxError(message, line, column, self.offset.whole)
        return self.rules[str(tree.data)](tree.meta, *(v for v, _ in values)), height

    def pos(self, token: Any) -> dict[str, int]:
        line, column = self.offset.at(token.line, token.column)
        return {"line": line, "column": column}

    def fail(self, token: Token, message: str, shift: int = 0) -> ExprSyntaxError:
        line, column = self.offset.at(token.line, token.column + shift)
        return ExprSyntaxError(message, line, column, self.offset.whole)

    def number(self, meta: Any, token: Token) -> Expr:
        if len(token) > MAX_DIGITS:
            raise self.fail(token, f"numbers are limited to {MAX_DIGITS} digits")
        value = float(token) if "." in token else int(token)
        return Literal(value, **self.pos(token))

    def string(self, meta: Any, token: Token) -> Expr:
        chars: list[str] = []
        body = str(token)[1:-1]
        index = 0
        while index < len(body):
            char = body[index]
            if char == "\\":
                escaped = body[index + 1]
                if escaped not in _ESCAPES:
                    message = f"unknown escape '\\{escaped}'; write '\\\\' for a backslash"
                    raise self.fail(token, message, shift=index + 1)
                char = _ESCAPES[escaped]
                index += 1
            chars.append(char)
            index += 1
        return Literal("".join(chars), **self.pos(token))

    def date(self, meta: Any, token: Token) -> Expr:
        try:
            value = datetime.date.fromisoformat(token[1:])
        except ValueError:
            raise self.fail(token, f"'{token}' is not a real date") from None
        return Literal(value, **self.pos(token))

    def constant(self, meta: Any, token: Token) -> Expr:
        return Literal(_CONSTANTS[str(token)], **self.pos(token))

    def name(self, meta: Any, token: Token) -> Expr:
        return Name(str(token), **self.pos(token))

    def call(self, meta: Any, name: Token, args: tuple[Expr, ...] | None) -> Expr:
        return Call(str(name), args or (), **self.pos(meta))

    def list(self, meta: Any, bracket: Token, items: tuple[Expr, ...] | None) -> Expr:
        return ListExpr(items or (), **self.pos(bracket))

    def arguments(self, meta: Any, *items: Expr) -> tuple[Expr, ...]:
        return items

    def group(self, meta: Any, inner: Expr) -> Expr:
        if not isinstance(inner, Project):
            return inner
        return Project(inner.source, inner.body, inner.condition, True, line=inner.line, column=inner.column)

    def field(self, meta: Any, target: Expr, name: Token) -> Expr:
        return _extend(target, lambda t: Field(t, str(name), **self.pos(name)))

    def index(self, meta: Any, target: Expr, bracket: Token, index: Expr) -> Expr:
        return _extend(target, lambda t: Index(t, index, **self.pos(bracket)))

    def project(self, meta: Any, target: Expr, bracket: Token, star: Token) -> Expr:
        where = self.pos(bracket)
        return _extend(target, lambda t: Project(t, Element(**where), **where))

    def filter(self, meta: Any, target: Expr, bracket: Token, condition: Expr) -> Expr:
        where = self.pos(bracket)
        return _extend(target, lambda t: Project(t, Element(**where), condition, **where))

    def negate(self, meta: Any, minus: Token, operand: Expr) -> Expr:
        if isinstance(operand, Literal) and type(operand.value) in (int, float):
            return Literal(-operand.value, **self.pos(minus))
        return Unary("-", operand, **self.pos(minus))

    def not_op(self, meta: Any, word: Token, operand: Expr) -> Expr:
        return Unary("not", operand, **self.pos(word))

    def binary(self, meta: Any, left: Expr, op: Token, right: Expr) -> Expr:
        return Binary(str(op), left, right, **self.pos(op))

    def not_in(self, meta: Any, left: Expr, word: Token, _in: Token, right: Expr) -> Expr:
        return Binary("not in", left, right, **self.pos(word))

    def conditional(self, meta: Any, word: Token, test: Expr, then: Expr, other: Expr) -> Expr:
        return Conditional(test, then, other, **self.pos(word))

    def quantifier(
        self, meta: Any, kind: Token, body: Expr, _for: Token, variable: Token, _in: Token,
        items: Expr,
    ) -> Expr:
        return Quantifier(str(kind), self.name(meta, variable), items, body, **self.pos(kind))


def _extend(target: Expr, step: Callable[[Expr], Expr]) -> Expr:
    """Apply a path step; inside an open projection it applies to each element instead."""
    if isinstance(target, Project) and not target.closed:
        return Project(target.source, _extend(target.body, step), target.condition, target.closed,
                       line=target.line, column=target.column)
    return step(target)
