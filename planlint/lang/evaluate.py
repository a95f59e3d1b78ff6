"""Evaluation: an expression is compiled once, then run against many contexts."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from planlint.lang.ast import Expr, Template
from planlint.lang.compiler import CHARS_PER_STEP, Env, Fn, binds, compile_node, static_cost
from planlint.lang.context import Budget, EvalContext
from planlint.lang.errors import BudgetExceeded, EvalError
from planlint.lang.operators import MAX_SIZE
from planlint.lang.values import format_value

__all__ = [
    "Budget", "BudgetExceeded", "Compiled", "CompiledTemplate", "EvalContext", "EvalError",
    "compile_expr", "compile_template",
]


def run_guarded(run: Callable[[Env], Any], env: Env, cost: int, expr: Expr) -> Any:
    """Run a compiled closure, giving every error the position of `expr` if it has none."""
    try:
        budget = env.budget
        budget.used += cost
        if budget.used > budget.limit:
            budget.spend(0)  # says the budget is spent
        return run(env)
    except EvalError as error:
        raise error.located(expr.line, expr.column) from None
    except RecursionError:
        message = "the plan is nested too deeply for this rule"
        raise EvalError(message, expr.line, expr.column) from None


@dataclass(frozen=True)
class Compiled:
    """An expression ready to run: `compiled(ctx)` is its value on `ctx`."""

    expr: Expr
    run: Fn = field(repr=False, compare=False)
    cost: int = field(repr=False, compare=False)
    binds: bool = field(default=True, repr=False, compare=False)  # it binds quantifier variables

    def __call__(self, ctx: EvalContext) -> Any:
        return run_guarded(self.run, Env(ctx, self.binds), self.cost, self.expr)


@dataclass(frozen=True)
class CompiledTemplate:
    """A message template ready to fill: `compiled(ctx)` is the message text."""

    template: Template
    parts: tuple[str | Compiled, ...] = field(repr=False, compare=False)

    def __call__(self, ctx: EvalContext) -> str:
        texts = [part if isinstance(part, str) else format_value(part(ctx)) for part in self.parts]
        size = sum(map(len, texts))
        ctx.budget.spend(size // CHARS_PER_STEP)  # a message is text built, charged as a function's text is
        text = "".join(texts)
        if size > MAX_SIZE:  # a message listing every item of a huge plan: its start says enough
            text = f"{text[:MAX_SIZE]}... (the rest of this message, {size - MAX_SIZE:,} characters, is not shown)"
        return text


def compile_expr(expr: Expr) -> Compiled:
    return Compiled(expr, compile_node(expr, frozenset()), static_cost(expr), binds(expr))


def compile_template(template: Template) -> CompiledTemplate:
    return CompiledTemplate(template, tuple(
        part if isinstance(part, str) else compile_expr(part) for part in template.parts
    ))


