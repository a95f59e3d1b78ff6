"""Selectors: path expressions that find nodes of the plan together with where they are.

A rule's `given` is a path such as `strategies[*].implementation_benchmarks[*]`; the
engine needs each node's path to point a finding at its line. Only what names a place in
the plan is allowed: `root`, `node`, `parent`, field names, `.field`, `[index]`, `[*]`
and `[? condition]`. A missing or null value selects nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planlint.lang import operators
from planlint.lang.ast import Element, Expr, Field, Index, Literal, Name, Project
from planlint.lang.compiler import Env, Scope, compile_node, loop_cost, static_cost
from planlint.lang.context import MISSING, Path, PathKey, parent_path, step
from planlint.lang.errors import EvalError, ExprSyntaxError
from planlint.lang.evaluate import Guarded

Found = list[tuple[Path, Any]]
PathFn = Callable[[Env], Found]
_ALLOWED = "a path such as measures[*] or strategies[*].implementation_benchmarks[*]"


@dataclass(frozen=True)
class CompiledPath(Guarded):
    """`compiled(ctx)` (or `.on(env)`) lists (path from the plan's root, value) for every node selected.

    `shape` is the path without its positions when what it selects from the plan's root depends on
    the plan alone (no `[? condition]`, no computed index), so that rules may share one selection."""

    expr: Expr
    run: PathFn = field(repr=False, compare=False)
    cost: int = field(repr=False, compare=False)
    shape: tuple[Any, ...] | None = field(default=None, repr=False, compare=False)


def compile_path(expr: Expr) -> CompiledPath:
    """Compile a selector; raises ExprSyntaxError (without text) if `expr` is not a path."""
    return CompiledPath(expr, _compile(expr), static_cost(expr), _shape(expr))


def _shape(node: Expr) -> tuple[Any, ...] | None:
    """`node` as nested tuples without positions, if it reads nothing but the plan; else None."""
    if isinstance(node, Name):
        return ("name", node.name)
    if isinstance(node, Element):
        return ("element",)
    if isinstance(node, Field):
        target = _shape(node.target)
        return None if target is None else ("field", target, node.name)
    if isinstance(node, Index) and isinstance(node.index, Literal):
        target = _shape(node.target)
        index = node.index.value
        return None if target is None else ("index", target, type(index).__name__, index)
    if isinstance(node, Project) and node.condition is None:
        source, body = _shape(node.source), _shape(node.body)
        return None if source is None or body is None else ("project", source, body)
    return None


def _compile(node: Expr) -> PathFn:
    if isinstance(node, Name):
        return _name(node)
    if isinstance(node, Element):
        return lambda env: [env.element]
    if isinstance(node, Field):
        return _field(node)
    if isinstance(node, Index):
        return _index(node)
    if isinstance(node, Project):
        return _project(node)
    raise ExprSyntaxError(f"a selector must be {_ALLOWED}", node.line, node.column)


def _name(node: Name) -> PathFn:
    name = node.name
    if name == "options":
        raise ExprSyntaxError(f"a selector must be {_ALLOWED}; options are not part of the plan",
                              node.line, node.column)
    if name == "root":
        return lambda env: [((), env.root)]
    if name == "node":
        return lambda env: [] if env.node is None else [(env.path or (), env.node)]
    if name == "parent":
        return _parent

    def field_of_node(env: Env) -> Found:
        return _select(env.path or (), env.node, name)

    return field_of_node


def _parent(env: Env) -> Found:
    where = parent_path(env.root, env.path)
    if where is None:
        return []
    value: Any = env.root
    for key in where:
        value = step(value, key)
    return [(where, value)]


def _select(path: Path, container: Any, key: PathKey) -> Found:
    value = step(container, key)
    if value is MISSING or value is None:
        return []
    if isinstance(container, list) and isinstance(key, int) and key < 0:
        key += len(container)
    return [(path + (key,), value)]


def _field(node: Field) -> PathFn:
    target, name = _compile(node.target), node.name

    def select(env: Env) -> Found:
        found: Found = []
        for path, value in target(env):
            if type(value) is dict or isinstance(value, Mapping):
                found.extend(_select(path, value, name))
        return found

    return select


def _index(node: Index) -> PathFn:
    target, index = _compile(node.target), compile_node(node.index, Scope())

    def select(env: Env) -> Found:
        key, found = index(env), []
        for path, value in target(env):
            if (type(value) is dict or isinstance(value, Mapping)) and isinstance(key, int) \
                    and not isinstance(key, bool) \
                    and str(int(key)) in value:  # a year, also one written 2025-26, is its key "2026"
                found.extend(_select(path, value, str(int(key))))
            elif isinstance(key, (str, int)) and not isinstance(key, bool):
                found.extend(_select(path, value, key))
        return found

    return select


def _project(node: Project) -> PathFn:
    source, body = _compile(node.source), _compile(node.body)
    condition = None if node.condition is None else compile_node(node.condition, Scope())
    cost, line, column = loop_cost(node.body, node.condition), node.line, node.column
    whole = isinstance(node.body, Element)  # `[*]` at the end of the path: the element itself

    def select(env: Env) -> Found:
        found: Found = []
        saved = env.node, env.path, env.element
        try:
            budget = env.budget
            for path, container in source(env):
                entries = (enumerate(container) if type(container) is list or isinstance(container, list)
                           else container.items() if type(container) is dict or isinstance(container, Mapping)
                           else ())
                for key, item in entries:
                    budget.used += cost  # budget.spend(cost), written out for the loop
                    if budget.used > budget.limit:
                        budget.spend(0)
                    if item is None:
                        continue
                    where = path + (key,)
                    if condition is not None:
                        env.node, env.path = item, where
                        keep = operators.truth(condition(env), "a filter [? ...]")
                        env.node, env.path = saved[0], saved[1]
                        if keep is not True:
                            continue
                    if whole:
                        found.append((where, item))
                        continue
                    env.element = (where, item)
                    found.extend(body(env))
        except EvalError as error:
            raise error.located(line, column) from None
        finally:
            env.node, env.path, env.element = saved
        return found

    return select
