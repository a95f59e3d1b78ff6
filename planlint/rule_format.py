"""The parts of a rule file's format above single expressions: keys that were renamed, a `given:`
that names several lists, what a rule's `checks:` share, and the names under `let:`/`with:`, put
in the order they depend on each other, with a name that depends on itself found when the rule
loads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from planlint import lang
from planlint.frozen import frozen
from planlint.lang.ast import Name, Template, walk
from planlint.findings import Path

# Old key -> new key. A rule file that still has an old key is an error at that key, naming the new one.
RENAMED_KEYS: Mapping[str, str] = {"when": "applies_if", "where": "filter"}
# What a rule with `checks:` may share with them; each check has its own filter, check, message and at.
SHARED_KEYS = ("given", "with")
CHECK_KEYS = ("filter", "check", "message", "at")

Found = list[tuple[Path, Any]]


@frozen
class Problem:
    """A mistake in a rule file's structure: at (line, column) of the text at `where`, or at its key."""

    message: str
    where: Path
    line: int = 1
    column: int = 1
    at_key: bool = False


def renamed_keys(data: Any) -> Iterable[tuple[Path, str, str]]:
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


def check_parts(data: Mapping[str, Any]) -> list[tuple[Path, Mapping[str, Any]]]:
    """Each check's part of the file, with where it sits: under `checks:`, or the file itself."""
    return [(("checks", i), spec) for i, spec in enumerate(data["checks"])] if "checks" in data else [((), data)]


def _parts(data: Mapping[str, Any]) -> list[tuple[Path, Mapping[str, Any]]]:
    """The file itself, then each check under `checks:`."""
    return [((), data)] + (check_parts(data) if "checks" in data else [])


def expressions(data: Mapping[str, Any]) -> Iterable[tuple[Path, str]]:
    """Every expression, path and message of a rule file, with where it sits."""
    if "applies_if" in data:
        yield ("applies_if",), data["applies_if"]
    for name, text in data.get("let", {}).items():
        yield ("let", name), text
    for where, spec in _parts(data):
        for name, text in spec.get("with", {}).items():
            yield where + ("with", name), text
        if isinstance(spec.get("given"), list):  # several lists, each its own path
            yield from ((where + ("given", i), text) for i, text in enumerate(spec["given"]))
        for key in ("given", *CHECK_KEYS):
            if isinstance(spec.get(key), str):
                yield where + (key,), spec[key]


def kind(where: Path) -> str:
    """What the text at `where` is: `let` and `with` values are expressions (`let`); each path of a
    `given:` list is a `given`; anything else is named by its key."""
    if isinstance(where[-1], int):
        return str(where[-2])
    return "let" if len(where) > 1 and where[-2] in ("let", "with") else str(where[-1])


def variables_at(data: Mapping[str, Any], where: Path) -> frozenset[str]:
    """The `with:` names the text at `where` may read: the rule's, and its check's own."""
    if where[0] in ("let", "applies_if"):
        return frozenset()
    names = set(data.get("with", {}))
    if where[0] == "checks":
        names.update(data["checks"][where[1]].get("with", {}))
    return frozenset(names)


def named_order(trees: Mapping[Path, Any], group: Path, data: Mapping[str, Any]) -> tuple[str, ...]:
    """The names of a `let:` or `with:` (at `group`) in the order they are computed; raises CircularNames."""
    spec: Any = data
    for key in group[:-1]:
        spec = spec[key]
    return evaluation_order({name: trees[group + (name,)] for name in spec.get(group[-1], {})})


def given_of(compiled: Mapping[Path, Any], data: Mapping[str, Any], where: Path) -> Callable[[Any], Found] | None:
    """The selector of the check at `where`: its own `given:`, else the rule's; a list reads as one."""
    if where and "given" not in _at(data, where):
        where = ()  # the rule's, which its checks share
    given = _at(data, where).get("given")
    if isinstance(given, list):
        return Selectors(tuple(compiled[where + ("given", i)] for i in range(len(given))))
    return compiled.get(where + ("given",))


def _at(data: Mapping[str, Any], where: Path) -> Mapping[str, Any]:
    return data["checks"][where[1]] if where else data


def structure_problem(data: Mapping[str, Any], trees: Mapping[Path, Any]) -> Problem | None:
    """The first mistake in how a rule's parts fit together, or None."""
    for check in (_unused_keys, _repeated_names, _repeated_paths):
        problem = check(data)
        if problem is not None:
            return problem
    return _circle(data, trees)


def _unused_keys(data: Mapping[str, Any]) -> Problem | None:
    if "checks" not in data:
        return None
    key = next((key for key in CHECK_KEYS if key in data), None)
    if key is None:
        return None
    return Problem(f"`{key}:` next to `checks:` would not be used: each check has its own (a rule with "
                   f"checks shares only {' and '.join(f'`{k}:`' for k in SHARED_KEYS)} with them)", (key,),
                   at_key=True)


def _repeated_names(data: Mapping[str, Any]) -> Problem | None:
    shared = data.get("with", {})
    for where, spec in check_parts(data) if "checks" in data else []:
        for name in spec.get("with", {}):
            if name in shared:
                return Problem(f"'{name}' is already a `with:` value of the rule, which every check shares; "
                               "name this one differently", where + ("with", name), at_key=True)
    return None


def _repeated_paths(data: Mapping[str, Any]) -> Problem | None:
    """A path listed twice in one `given:` would look at the same nodes twice: a slip, shown at the second."""
    for where, spec in _parts(data):
        paths = spec.get("given")
        seen: dict[str, int] = {}
        for index, text in enumerate(paths if isinstance(paths, list) else ()):
            first = seen.setdefault("".join(text.split()), index)
            if first != index:
                return Problem(f"this path is path {first + 1} again; list each path once", where + ("given", index))
    return None


def _circle(data: Mapping[str, Any], trees: Mapping[Path, Any]) -> Problem | None:
    """A `let:` or `with:` name that depends on itself, shown where it reads the next name of the circle."""
    for group in [("let",)] + [where + ("with",) for where, _ in _parts(data)]:
        try:
            named_order(trees, group, data)
        except CircularNames as circular:
            reference, name = circular.circle.reference, circular.circle.names[0]
            return Problem(circular.circle.message, group + (name,), reference.line, reference.column)
    return None


@frozen
class Selectors:
    """Several selectors read as one: the nodes of each, in the order written, each node once."""

    paths: tuple[Callable[[Any], Found], ...]

    @property
    def shape(self) -> tuple[Any, ...] | None:
        """As CompiledPath.shape: set when every path has one."""
        shapes = tuple(getattr(path, "shape", None) for path in self.paths)
        return None if None in shapes else ("several", shapes)

    def __call__(self, ctx: Any) -> Found:
        return self.on(lang.Env.of(ctx))

    def on(self, env: Any) -> Found:
        found: Found = []
        seen: set[Path] = set()
        for select in self.paths:
            for path, value in select.on(env):
                if tuple(path) not in seen:
                    seen.add(tuple(path))
                    found.append((path, value))
        return found


@frozen
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


def references(tree: lang.Expr | Template, names: Iterable[str]) -> list[Name]:
    """The places where `tree` reads one of `names`, in the order they are written.

    A `for` variable may not take the name of a rule's value (the name check forbids it), so every
    bare name among `names` reads that value."""
    wanted = frozenset(names)
    roots = tree.holes if isinstance(tree, Template) else (tree,)
    found = [node for root in roots for node in walk(root) if isinstance(node, Name) and node.name in wanted]
    return sorted(found, key=lambda node: (node.line, node.column))


def evaluation_order(values: Mapping[str, lang.Expr]) -> tuple[str, ...]:
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
