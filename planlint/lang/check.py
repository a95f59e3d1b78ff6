"""Static checks run when a rule is loaded, before any plan is read."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from planlint.lang.ast import (
    RESERVED, Binary, Call, Conditional, Element, Expr, Field, Index, ListExpr, Literal, Name, Node, Project, Quantifier,
    Template, Unary, children,
)
from planlint.lang.errors import EvalError
from planlint.lang.values import describe
from planlint.lang.function import Function
from planlint.lang.functions import FUNCTIONS



@dataclass(frozen=True)
class NameProblem:
    message: str
    line: int
    column: int


def check_names(
    expr: Expr | Template,
    *,
    options: set[str] | frozenset[str],
    variables: frozenset[str] = frozenset(),
    functions: Mapping[str, Function] = FUNCTIONS,
    fields: frozenset[str] | None = None,
) -> list[NameProblem]:
    """Unknown functions, wrong argument counts, undeclared options, shadowing variables.

    `options` are the rule's declared options; `variables` the names the engine binds. With
    `fields` (every key a plan may have), a field of plan data that no plan can have is a problem
    too: a typo such as `implementation_benchmark` would otherwise read as null, silently.
    Problems come in the order they appear in the text.
    """
    roots = expr.holes if isinstance(expr, Template) else (expr,)
    problems: list[NameProblem] = []
    for root in roots:
        problems.extend(_check(root, options, variables, functions))
        if fields is not None:
            problems.extend(_field_problems(root, fields, variables))
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def _check(root: Expr, options: set[str] | frozenset[str], variables: frozenset[str],
           functions: Mapping[str, Function]) -> list[NameProblem]:
    problems: list[NameProblem] = []
    # Each entry carries the quantifier variables bound around it, which hide `options`.
    stack: list[tuple[Expr, frozenset[str]]] = [(root, frozenset())]
    while stack:
        node, bound = stack.pop()
        problem = None
        if isinstance(node, Call):
            problem = _call_problem(node, functions)
        elif isinstance(node, (Field, Index)) and _is_options(node.target, bound):
            problem = _option_problem(node, options)
        elif isinstance(node, Quantifier):
            problem = _variable_problem(node.variable, variables)
        if problem is not None:
            problems.append(problem)
        if isinstance(node, Quantifier):
            # The collection is read before the variable exists; only the body sees it.
            stack.append((node.collection, bound))
            stack.append((node.body, bound | {node.variable.name}))
        else:
            stack.extend((child, bound) for child in children(node))
    return problems


def _field_problems(root: Expr, fields: frozenset[str], variables: frozenset[str]) -> list[NameProblem]:
    """Field names read from plan data that no plan has.

    Plan data is what the current node is at the top (a node of the plan), `root`, `node`,
    `parent` and the fields, indexes and projections of plan data. The elements of a filter or
    projection over plan data are plan data too. Anything else (a function's result, a variable,
    an element of something else) may have any keys, and is not checked.
    """
    problems: list[NameProblem] = []
    # (expression, quantifier variables bound, whether the current node and Element are plan data)
    stack: list[tuple[Expr, frozenset[str], bool, bool]] = [(root, frozenset(), True, False)]
    while stack:
        node, bound, node_is_plan, element_is_plan = stack.pop()
        if isinstance(node, Name):
            if node_is_plan and _is_field(node.name, bound, variables) and node.name not in fields:
                problems.append(_unknown_field(node.name, node, fields))
            continue
        if isinstance(node, Field) and node.name not in fields and \
                _is_plan_data(node.target, bound, variables, node_is_plan, element_is_plan):
            problems.append(_unknown_field(node.name, node, fields))
        if isinstance(node, Project):
            inner = _is_plan_data(node.source, bound, variables, node_is_plan, element_is_plan)
            stack.append((node.source, bound, node_is_plan, element_is_plan))
            if node.condition is not None:
                stack.append((node.condition, bound, inner, inner))
            stack.append((node.body, bound, node_is_plan, inner))
        elif isinstance(node, Quantifier):
            stack.append((node.collection, bound, node_is_plan, element_is_plan))
            stack.append((node.body, bound | {node.variable.name}, node_is_plan, element_is_plan))
        else:
            stack.extend((child, bound, node_is_plan, element_is_plan) for child in children(node))
    return problems


def _is_field(name: str, bound: frozenset[str], variables: frozenset[str]) -> bool:
    """Whether a bare name reads a field of the current node."""
    return name not in RESERVED and name not in bound and name not in variables


def _is_plan_data(expr: Expr, bound: frozenset[str], variables: frozenset[str], node_is_plan: bool,
                  element_is_plan: bool) -> bool:
    if isinstance(expr, Name):
        if expr.name in ("root", "node", "parent"):
            return expr.name == "root" or node_is_plan
        return node_is_plan and _is_field(expr.name, bound, variables)
    if isinstance(expr, Element):
        return element_is_plan
    if isinstance(expr, (Field, Index)):
        return _is_plan_data(expr.target, bound, variables, node_is_plan, element_is_plan)
    if isinstance(expr, Project):
        return _is_plan_data(expr.source, bound, variables, node_is_plan, element_is_plan)
    return False


def _unknown_field(name: str, where: Node, fields: frozenset[str]) -> NameProblem:
    close = difflib.get_close_matches(name, sorted(fields), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return NameProblem(f"no part of a plan has the field '{name}'{hint}", where.line, where.column)


def _is_options(target: Expr, bound: frozenset[str]) -> bool:
    return isinstance(target, Name) and target.name == "options" and "options" not in bound


def _call_problem(node: Call, functions: Mapping[str, Function]) -> NameProblem | None:
    function = functions.get(node.name)
    if function is None:
        close = difflib.get_close_matches(node.name, list(functions), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return NameProblem(f"unknown function '{node.name}'{hint}", node.line, node.column)
    message = function.arity_problem(len(node.args))
    if message is not None:
        return NameProblem(message, node.line, node.column)
    for index, check in sorted(function.literal_checks.items()):
        argument = node.args[index] if index < len(node.args) else None
        if isinstance(argument, Literal) and argument.value is not None:
            message = check(argument.value)
            if message is not None:
                return NameProblem(message, argument.line, argument.column)
    return None


def _option_problem(node: Field | Index, options: set[str] | frozenset[str]) -> NameProblem | None:
    if isinstance(node, Field):
        name, where = node.name, node
    elif isinstance(node.index, Literal) and isinstance(node.index.value, str):
        name, where = node.index.value, node.index
    else:
        return None
    if name in options:
        return None
    close = difflib.get_close_matches(name, sorted(options), n=1)
    if close:
        hint = f"; did you mean '{close[0]}'?"
    elif options:
        hint = f"; the rule declares {', '.join(sorted(options))}"
    else:
        hint = "; the rule declares no options"
    return NameProblem(f"unknown option '{name}'{hint}", where.line, where.column)


def _variable_problem(variable: Name, variables: frozenset[str]) -> NameProblem | None:
    if variable.name in RESERVED:
        message = f"'{variable.name}' already has a meaning; name the variable differently"
    elif variable.name in variables:
        message = f"'{variable.name}' is already a variable of this rule; name it differently"
    else:
        return None
    return NameProblem(message, variable.line, variable.column)


_CONSTANT_PARTS = (Literal, ListExpr, Unary, Binary, Conditional)


def constant_problems(expr: Expr | Template, *, condition: bool = False) -> list[NameProblem]:
    """Mistakes that need no plan to show: a part made only of literals that fails (`true + 1`),
    and, for a condition (`check`, `where`, `when`), a constant that is not true or false (`'x'`)."""
    from planlint.lang.evaluate import compile_expr  # the compiler imports the library, which imports this
    from planlint.lang.context import EvalContext

    roots = expr.holes if isinstance(expr, Template) else (expr,)
    problems: list[NameProblem] = []
    for root in roots:
        stack: list[Expr] = [root]
        while stack:
            node = stack.pop()
            if not _is_constant(node):
                stack.extend(children(node))
                continue
            try:
                value = compile_expr(node)(EvalContext.for_plan({}, {}))
            except EvalError as error:
                problems.append(NameProblem(error.message, error.line or node.line, error.column or node.column))
                continue
            if condition and node is root and not isinstance(value, bool):
                problems.append(NameProblem(f"a condition must give true or false, and this always gives "
                                            f"{describe(value)}", node.line, node.column))
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def _is_constant(node: Expr) -> bool:
    return isinstance(node, _CONSTANT_PARTS) and all(_is_constant(child) for child in children(node))
