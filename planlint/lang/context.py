"""What an expression is evaluated against: the plan, the current node, options, a budget."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from planlint.lang.errors import BudgetExceeded, EvalError

if TYPE_CHECKING:
    from planlint.lang.function import Function

PathKey = Union[str, int]
Path = tuple[PathKey, ...]
MISSING = object()


class Budget:
    """The steps a rule may spend on one plan, shared by every evaluation of that rule.

    Mutable on purpose: one budget is passed to many contexts and counts across them.
    """

    __slots__ = ("limit", "used")

    def __init__(self, limit: int = 200_000) -> None:
        self.limit = limit
        self.used = 0

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def spend(self, n: int = 1) -> None:
        self.used += n
        if self.used > self.limit:
            raise BudgetExceeded(f"the rule took more than {self.limit} steps on this plan")

    def __repr__(self) -> str:
        return f"Budget(limit={self.limit}, used={self.used})"


class Frame(dict):  # type: ignore[type-arg]
    """The names bound at one node: the values given (a rule's `let:`), and `withs`, values computed
    where the node stands when first read, then kept (a rule's `with:`). A check's own `with:` makes a
    frame whose `outer` is the node's, so that every check over the node shares the rule's values.

    Mutable on purpose, like Budget: the checks over one node share it.
    """

    __slots__ = ("env", "node", "path", "withs", "outer")
    env: Any
    node: Any
    path: Any
    withs: Mapping[str, Any]
    outer: Frame | None

    @classmethod
    def at(cls, given: Mapping[str, Any], withs: Mapping[str, Any], env: Any, node: Any, path: Any,
           outer: Frame | None = None) -> Frame:
        """A frame at `node` holding `given`; dict's own constructor, since one is made per node and check."""
        frame = cls(given)
        frame.env, frame.node, frame.path, frame.withs, frame.outer = env, node, path, withs, outer
        return frame

    def binds(self, name: str) -> bool:
        """Whether `name` has a value here, computed or not."""
        return name in self or name in self.withs or (self.outer is not None and self.outer.binds(name))

    def __missing__(self, name: str) -> Any:
        compute = self.withs.get(name)
        if compute is None:
            if self.outer is None:
                raise KeyError(name)
            value = self.outer[name]
        else:
            env = self.env  # the evaluation that reads it, moved to the node for the while
            saved = env.node, env.path, env.vars, env.element
            env.node, env.path, env.vars, env.element = self.node, self.path, self, None
            try:  # compute.on(env), written out (Guarded.on): a value for each node and name a rule gives
                budget = env.budget
                budget.used += compute.cost
                if budget.used > budget.limit:
                    budget.spend(0)  # says the budget is spent
                value = compute.run(env)
            except (EvalError, RecursionError) as error:
                raise compute.placed(error) from None
            finally:
                env.node, env.path, env.vars, env.element = saved
        self[name] = value
        return value


def _default_functions() -> Mapping[str, Function]:
    from planlint.lang.functions import FUNCTIONS  # the library imports this module's types

    return FUNCTIONS


@dataclass(frozen=True)
class EvalContext:
    """Everything an expression can see.

    `path` is where `node` sits within `root`, e.g. ("measures", 2); None where that place
    is not known (inside a filter condition of an expression that is not a selector).
    `facts` is what the host resolved before evaluating (planlint gives a plan's frameworks, state
    data and monitoring date); the language never looks inside it, the host's functions do.
    """

    root: Any
    node: Any
    path: Path | None
    options: Mapping[str, Any]
    variables: Mapping[str, Any] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)
    functions: Mapping[str, Function] = field(default_factory=_default_functions)
    facts: Any = None

    @classmethod
    def for_plan(cls, plan: Any, options: Mapping[str, Any] | None = None,
                 **more: Any) -> EvalContext:
        """A context whose node is the whole plan."""
        return cls(plan, plan, (), options or {}, **more)

    # Both are called for every node a rule looks at: the constructor, not dataclasses.replace, which
    # inspects the fields on every call.
    def with_node(self, value: Any, path: Path | None) -> EvalContext:
        return EvalContext(self.root, value, None if path is None else tuple(path), self.options,
                           self.variables, self.budget, self.functions, self.facts)

    def bind(self, name: str, value: Any) -> EvalContext:
        return EvalContext(self.root, self.node, self.path, self.options, {**self.variables, name: value},
                           self.budget, self.functions, self.facts)

    @property
    def parent(self) -> Any:
        """What the name `parent` means here (see `parent_of`)."""
        return parent_of(self.root, self.path)

    @property
    def parents(self) -> tuple[Any, ...]:
        """Every mapping that contains `node`, nearest first, ending with the plan."""
        return tuple(value for _, value in reversed(_containers(self.root, self.path)))


def parent_of(root: Any, path: Path | None) -> Any:
    """The nearest mapping that contains the node at `path`; lists in between are skipped.

    For ("strategies", 0, "implementation_benchmarks", 3) it is the strategy at
    ("strategies", 0); for ("measures", 2) the plan; for () or an unknown path, None.
    """
    containers = _containers(root, path)
    return containers[-1][1] if containers else None


def parent_path(root: Any, path: Path | None) -> Path | None:
    containers = _containers(root, path)
    return containers[-1][0] if containers else None


def _containers(root: Any, path: Path | None) -> list[tuple[Path, Any]]:
    """(path, value) of each mapping above the node, from the root down."""
    if not path:
        return []
    found: list[tuple[Path, Any]] = []
    current = root
    for depth, key in enumerate(path):
        if type(current) is dict or (type(current) is not list and isinstance(current, Mapping)):
            found.append((path[:depth], current))
        current = step(current, key)
        if current is MISSING:
            return []
    return found


def step(container: Any, key: PathKey) -> Any:
    """The value one path step below `container`, or MISSING."""
    if type(container) is dict:
        return container.get(key, MISSING)
    if type(container) is list and type(key) is int:
        return container[key] if -len(container) <= key < len(container) else MISSING
    if isinstance(container, Mapping):
        return container.get(key, MISSING)
    if isinstance(container, list) and isinstance(key, int) and -len(container) <= key < len(container):
        return container[key]
    return MISSING
