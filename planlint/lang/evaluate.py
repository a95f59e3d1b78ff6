"""Evaluation: an expression is compiled once, then run against many contexts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planlint.lang.ast import Expr, Template
from planlint.lang.compiler import CHARS_PER_STEP, Env, Fn, Scope, compile_node, static_cost
from planlint.lang.context import Budget, EvalContext
from planlint.lang.errors import BudgetExceeded, EvalError
from planlint.lang.operators import MAX_SIZE
from planlint.lang.values import format_value

__all__ = [
    "Budget", "BudgetExceeded", "Compiled", "CompiledTemplate", "EvalContext", "EvalError",
    "compile_expr", "compile_template",
]


class Guarded:
    """What a compiled expression or path shares: `on(env)` runs its closure where `env` stands, paying
    its steps first and giving every error the position of `expr` if it has none. The engine moves one
    Env from node to node; `compiled(ctx)` makes one from a context."""

    __slots__ = ()
    expr: Expr
    run: Fn
    cost: int

    def __call__(self, ctx: EvalContext) -> Any:
        return self.on(Env.of(ctx))

    def on(self, env: Env) -> Any:
        try:
            budget = env.budget
            budget.used += self.cost
            if budget.used > budget.limit:
                budget.spend(0)  # says the budget is spent
            return self.run(env)
        except (EvalError, RecursionError) as error:
            raise self.placed(error) from None

    def placed(self, error: EvalError | RecursionError) -> EvalError:
        """The error an evaluation of this expression raises: given its position unless it has a more precise one."""
        if isinstance(error, RecursionError):
            return EvalError("the plan is nested too deeply for this rule", self.expr.line, self.expr.column)
        return error.located(self.expr.line, self.expr.column)


@dataclass(frozen=True)
class Compiled(Guarded):
    """An expression ready to run: `compiled(ctx)` is its value on `ctx`."""

    expr: Expr
    run: Fn = field(repr=False, compare=False)
    cost: int = field(repr=False, compare=False)


@dataclass(frozen=True)
class CompiledTemplate:
    """A message template ready to fill: `compiled(ctx)` is the message text."""

    template: Template
    parts: tuple[str | Compiled, ...] = field(repr=False, compare=False)

    def __call__(self, ctx: EvalContext) -> str:
        return self.on(Env.of(ctx))

    def on(self, env: Env) -> str:
        texts = [part if isinstance(part, str) else format_value(part.on(env)) for part in self.parts]
        size = sum(map(len, texts))
        env.budget.spend(size // CHARS_PER_STEP)  # a message is text built, charged as a function's text is
        text = "".join(texts)
        if size > MAX_SIZE:  # a message listing every item of a huge plan: its start says enough
            text = f"{text[:MAX_SIZE]}... (the rest of this message, {size - MAX_SIZE:,} characters, is not shown)"
        return text


def compile_expr(expr: Expr, variables: frozenset[str] | None = None) -> Compiled:
    """`variables`: every name the context will bind (a rule's `let:` and `with:` names), so that any
    other name is read as a field of the node at once; None where a context may bind any name."""
    return Compiled(expr, compile_node(expr, Scope(frozenset(), variables)), static_cost(expr))


def compile_template(template: Template, variables: frozenset[str] | None = None) -> CompiledTemplate:
    return CompiledTemplate(template, tuple(
        part if isinstance(part, str) else compile_expr(part, variables) for part in template.parts
    ))


