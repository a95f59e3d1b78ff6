"""The syntax tree of rule expressions and message templates.

Every node is a frozen dataclass that knows its `line` and `column` (1-based) within the
text it was parsed from; for a template hole that is the whole template text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

LiteralValue = Union[int, float, str, bool, None, datetime.date]


@dataclass(frozen=True, kw_only=True)
class Node:
    line: int
    column: int


@dataclass(frozen=True)
class Literal(Node):
    value: LiteralValue


@dataclass(frozen=True)
class ListExpr(Node):
    items: tuple[Expr, ...]


@dataclass(frozen=True)
class Name(Node):
    """`root`, `node`, `parent`, `options`, a variable, or a field of the current node."""

    name: str


@dataclass(frozen=True)
class Element(Node):
    """The element a projection is visiting; it has no spelling of its own.

    Its position is that of the `[*]` or `[?` that introduced it.
    """


@dataclass(frozen=True)
class Field(Node):
    """`target.name`; the position is that of `name`, the part a reader may mistype."""

    target: Expr
    name: str


@dataclass(frozen=True)
class Index(Node):
    """`target[index]`; the position is that of the `[`."""

    target: Expr
    index: Expr


@dataclass(frozen=True)
class Project(Node):
    """`source[*] ...` or `source[? condition] ...`.

    `body` is the rest of the path, applied to each element (an `Element` node stands for
    it). Parentheses close a projection (`closed`), so `(xs[*].a)[0]` indexes the result
    instead of every element.
    """

    source: Expr
    body: Expr
    condition: Expr | None = None
    closed: bool = False


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Unary(Node):
    """`-x` or `not x`."""

    op: str
    operand: Expr


@dataclass(frozen=True)
class Binary(Node):
    """Arithmetic, comparison, `in`, `not in`, `and`, `or`; positioned at the operator."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Conditional(Node):
    condition: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True)
class Quantifier(Node):
    """`all|any|none|count(body for variable in collection)`; positioned at the keyword."""

    kind: str
    variable: Name
    collection: Expr
    body: Expr


Expr = Union[
    Literal, ListExpr, Name, Element, Field, Index, Project, Call, Unary, Binary,
    Conditional, Quantifier,
]


@dataclass(frozen=True)
class Template:
    """A message: literal text and `{expression}` holes, in order."""

    parts: tuple[Union[str, Expr], ...]
    text: str

    @property
    def holes(self) -> tuple[Expr, ...]:
        return tuple(part for part in self.parts if not isinstance(part, str))


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `node`, left to right."""
    if isinstance(node, (Literal, Name, Element)):
        return ()
    if isinstance(node, ListExpr):
        return node.items
    if isinstance(node, Field):
        return (node.target,)
    if isinstance(node, Index):
        return (node.target, node.index)
    if isinstance(node, Project):
        tail = () if node.condition is None else (node.condition,)
        return (node.source, *tail, node.body)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Conditional):
        return (node.condition, node.then, node.otherwise)
    return (node.body, node.variable, node.collection)


def walk(node: Expr) -> Iterator[Expr]:
    """Every node under `node` (itself included), parents before children.

    Iterative, so that no expression, however deep, can exhaust the Python stack.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
