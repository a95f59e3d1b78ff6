"""The syntax tree of rule expressions and message templates.

Every node is a frozen value that knows its `line` and `column` (1-based) within the
text it was parsed from; for a template hole that is the whole template text.

The classes are written out rather than made by `dataclasses`: every check imports them at
start-up, and a dataclass costs start-up the compiling of its generated methods. They behave as
frozen dataclasses do: equal when of one class with equal fields, hashable, shown with their
fields, immutable. `FIELDS` names a class's fields in the order its constructor takes them;
a node's `line` and `column` follow, by keyword.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import FrozenInstanceError
from operator import attrgetter
from typing import Any, ClassVar, Union

LiteralValue = Union[int, float, str, bool, None, datetime.date]

_set = object.__setattr__
RESERVED = frozenset({"root", "node", "parent", "options"})  # names with a meaning of their own, never a field


class _Value:
    __slots__ = ()
    FIELDS: ClassVar[tuple[str, ...]] = ()
    _SHOWN: ClassVar[tuple[str, ...]] = ()  # every field, in the order a dataclass shows and compares them

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._SHOWN])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._SHOWN)
        return f"{type(self).__qualname__}({shown})"

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


class Node(_Value):
    __slots__ = ("line", "column")
    line: int
    column: int

    def __init_subclass__(cls) -> None:
        cls._SHOWN = ("line", "column", *cls.FIELDS)

    def _fill(self, line: int, column: int, *values: Any) -> None:
        """Set the position and the fields (in the order of FIELDS): the one body of every constructor."""
        _set(self, "line", line)
        _set(self, "column", column)
        for name, value in zip(self.FIELDS, values):
            _set(self, name, value)

    def __reduce__(self) -> tuple[Any, ...]:
        return _node, (type(self), tuple(getattr(self, name) for name in self.FIELDS), self.line, self.column)


def _node(cls: type[Node], fields: tuple[Any, ...], line: int, column: int) -> Node:
    return cls(*fields, line=line, column=column)  # type: ignore[call-arg]


class Literal(Node):
    __slots__ = FIELDS = ("value",)
    value: LiteralValue

    def __init__(self, value: LiteralValue, *, line: int, column: int) -> None:
        self._fill(line, column, value)


class ListExpr(Node):
    __slots__ = FIELDS = ("items",)
    items: tuple[Expr, ...]

    def __init__(self, items: tuple[Expr, ...], *, line: int, column: int) -> None:
        self._fill(line, column, items)


class Name(Node):
    """`root`, `node`, `parent`, `options`, a variable, or a field of the current node."""

    __slots__ = FIELDS = ("name",)
    name: str

    def __init__(self, name: str, *, line: int, column: int) -> None:
        self._fill(line, column, name)


class Element(Node):
    """The element a projection is visiting; it has no spelling of its own.

    Its position is that of the `[*]` or `[?` that introduced it.
    """

    __slots__ = FIELDS = ()

    def __init__(self, *, line: int, column: int) -> None:
        self._fill(line, column)


class Field(Node):
    """`target.name`; the position is that of `name`, the part a reader may mistype."""

    __slots__ = FIELDS = ("target", "name")
    target: Expr
    name: str

    def __init__(self, target: Expr, name: str, *, line: int, column: int) -> None:
        self._fill(line, column, target, name)


class Index(Node):
    """`target[index]`; the position is that of the `[`."""

    __slots__ = FIELDS = ("target", "index")
    target: Expr
    index: Expr

    def __init__(self, target: Expr, index: Expr, *, line: int, column: int) -> None:
        self._fill(line, column, target, index)


class Project(Node):
    """`source[*] ...` or `source[? condition] ...`.

    `body` is the rest of the path, applied to each element (an `Element` node stands for
    it). Parentheses close a projection (`closed`), so `(xs[*].a)[0]` indexes the result
    instead of every element.
    """

    __slots__ = FIELDS = ("source", "body", "condition", "closed")
    source: Expr
    body: Expr
    condition: Expr | None
    closed: bool

    def __init__(self, source: Expr, body: Expr, condition: Expr | None = None, closed: bool = False, *,
                 line: int, column: int) -> None:
        self._fill(line, column, source, body, condition, closed)


class Call(Node):
    __slots__ = FIELDS = ("name", "args")
    name: str
    args: tuple[Expr, ...]

    def __init__(self, name: str, args: tuple[Expr, ...], *, line: int, column: int) -> None:
        self._fill(line, column, name, args)


class Unary(Node):
    """`-x` or `not x`."""

    __slots__ = FIELDS = ("op", "operand")
    op: str
    operand: Expr

    def __init__(self, op: str, operand: Expr, *, line: int, column: int) -> None:
        self._fill(line, column, op, operand)


class Binary(Node):
    """Arithmetic, comparison, `in`, `not in`, `and`, `or`; positioned at the operator."""

    __slots__ = FIELDS = ("op", "left", "right")
    op: str
    left: Expr
    right: Expr

    def __init__(self, op: str, left: Expr, right: Expr, *, line: int, column: int) -> None:
        self._fill(line, column, op, left, right)


class Conditional(Node):
    __slots__ = FIELDS = ("condition", "then", "otherwise")
    condition: Expr
    then: Expr
    otherwise: Expr

    def __init__(self, condition: Expr, then: Expr, otherwise: Expr, *, line: int, column: int) -> None:
        self._fill(line, column, condition, then, otherwise)


class Quantifier(Node):
    """`all|any|none|count(body for variable in collection)`; positioned at the keyword."""

    __slots__ = FIELDS = ("kind", "variable", "collection", "body")
    kind: str
    variable: Name
    collection: Expr
    body: Expr

    def __init__(self, kind: str, variable: Name, collection: Expr, body: Expr, *, line: int, column: int) -> None:
        self._fill(line, column, kind, variable, collection, body)


Expr = Union[
    Literal, ListExpr, Name, Element, Field, Index, Project, Call, Unary, Binary,
    Conditional, Quantifier,
]


class Template(_Value):
    """A message: literal text and `{expression}` holes, in order."""

    __slots__ = FIELDS = _SHOWN = ("parts", "text")
    parts: tuple[Union[str, Expr], ...]
    text: str

    def __init__(self, parts: tuple[Union[str, Expr], ...], text: str) -> None:
        _set(self, "parts", parts)
        _set(self, "text", text)

    def __reduce__(self) -> tuple[Any, ...]:
        return Template, (self.parts, self.text)

    @property
    def holes(self) -> tuple[Expr, ...]:
        return tuple(part for part in self.parts if not isinstance(part, str))


# Every class of the tree, by name: the rule cache makes nothing else from an entry.
TYPES: dict[str, type[Node] | type[Template]] = {cls.__name__: cls for cls in (
    Literal, ListExpr, Name, Element, Field, Index, Project, Call, Unary, Binary, Conditional, Quantifier, Template)}


def children(node: Expr) -> tuple[Expr, ...]:
    """The direct sub-expressions of `node`, left to right."""
    return _CHILDREN[node.__class__](node)


def _project_children(node: Project) -> tuple[Expr, ...]:
    if node.condition is None:
        return (node.source, node.body)
    return (node.source, node.condition, node.body)


_CHILDREN: dict[type, Callable[[Any], tuple[Expr, ...]]] = {
    Literal: lambda node: (), Name: lambda node: (), Element: lambda node: (),
    ListExpr: attrgetter("items"), Call: attrgetter("args"),
    Field: lambda node: (node.target,), Unary: lambda node: (node.operand,),
    Index: attrgetter("target", "index"), Binary: attrgetter("left", "right"),
    Conditional: attrgetter("condition", "then", "otherwise"),
    Quantifier: attrgetter("body", "variable", "collection"),
    Project: _project_children,
}


def walk(node: Expr) -> Iterator[Expr]:
    """Every node under `node` (itself included), parents before children.

    Iterative, so that no expression, however deep, can exhaust the Python stack.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))
