"""The parts of a rule file's format above single expressions: keys that were renamed, a `given:`
that names several lists, and the names under `let:`/`with:`, put in the order they depend on
each other, with a name that depends on itself found when the rule loads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from planlint import expr
from planlint.expr.ast import Name, Template, walk
from planlint.findings import Path

# Old key -> new key. A rule file that still has an old key is an error at that key, naming the new one.
RENAMED_KEYS: Mapping[str, str] = {"when": "applies_if", "where": "filter"}

Found = list[tuple[Path, Any]]


def renamed_keys(data: Mapping[str, Any]) -> Iterable[tuple[Path, str, str]]:
    """(where, old key, new key) for each old key in a rule file, in the order they appear."""
    if not isinstance(data, Mapping):
        return
    parts: list[tuple[Path, Any]] = [((), data)]
    if isinstance(data.get("checks"), list):
        parts += [(("checks", i), spec) for i, spec in enumerate(data["checks"])]
    for where, spec in parts:
        if isinstance(spec, Mapping):
            for key in spec:
                if key in RENAMED_KEYS:
                    yield where + (key,), key, RENAMED_KEYS[key]


@dataclass(frozen=True)
class Selectors:
    """Several selectors read as one: the nodes of each, in the order written, each node once."""

    paths: tuple[Callable[[Any], Found], ...]

    def __call__(self, ctx: Any) -> Found:
        found: Found = []
        seen: set[Path] = set()
        for select in self.paths:
            for path, value in select(ctx):
                if tuple(path) not in seen:
                    seen.add(tuple(path))
                    found.append((path, value))
        return found


@dataclass(frozen=True)
class Circle:
    """Names that depend on themselves: `names[0]` reads `names[1]` at `reference`, ... and the last
    reads the first again (a single name reads itself)."""

    names: tuple[str, ...]
    reference: Name

    @property
    def message(self) -> str:
        first = self.names[0]
        if len(self.names) == 1:
            return (f"'{first}' refers to itself, so it would have no value; compute it from the plan, the "
                    "options and other names")
        chain = " -> ".join((*self.names, first))
        return (f"'{first}' refers to itself through {_listed(self.names[1:])} ({chain}), so none of them "
                "would have a value; break the circle")


class CircularNames(Exception):
    def __init__(self, circle: Circle) -> None:
        super().__init__(circle.message)
        self.circle = circle


def references(tree: expr.Expr | Template, names: Iterable[str]) -> list[Name]:
    """The places where `tree` reads one of `names`, in the order they are written.

    A `for` variable may not take the name of a rule's value (the name check forbids it), so every
    bare name among `names` reads that value."""
    wanted = frozenset(names)
    roots = tree.holes if isinstance(tree, Template) else (tree,)
    found = [node for root in roots for node in walk(root) if isinstance(node, Name) and node.name in wanted]
    return sorted(found, key=lambda node: (node.line, node.column))


def evaluation_order(values: Mapping[str, expr.Expr]) -> tuple[str, ...]:
    """The names in an order where each comes after the names it reads; otherwise as written.

    Raises CircularNames for the first name (as written) that depends on itself."""
    reads = {name: references(tree, values) for name, tree in values.items()}
    order: list[str] = []
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in trail:
            circle = trail[trail.index(name):]
            raise CircularNames(Circle(circle, _first_read(reads[circle[0]], (circle + (name,))[1])))
        for reference in reads[name]:
            visit(reference.name, trail + (name,))
        done.add(name)
        order.append(name)

    for name in values:
        visit(name, ())
    return tuple(order)


def _first_read(references_: list[Name], name: str) -> Name:
    return next(reference for reference in references_ if reference.name == name)


def _listed(names: tuple[str, ...]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
