"""planlint's rule language: conditions, selectors and message templates.

Parse once when a rule is loaded (`parse_expression`, `parse_template`), check the names
it uses (`check_names`), compile once (`compile_expr`, `compile_template`, `compile_path`),
then run the compiled form against an `EvalContext` for every node of every plan (or, as the engine
does, `on` one `Env` moved from node to node).
"""

from planlint.lang.ast import Expr, Template
from planlint.lang.compiler import Env
from planlint.lang.check import NameProblem, check_names, constant_problems
from planlint.lang.context import Budget, EvalContext, Frame
from planlint.lang.errors import BudgetExceeded, EvalError, ExprSyntaxError
from planlint.lang.evaluate import Compiled, CompiledTemplate, compile_expr, compile_template
from planlint.lang.function import Function
from planlint.lang.functions import FUNCTIONS
from planlint.lang.paths import CompiledPath, compile_path
from planlint.lang.values import format_value

__all__ = [
    "FUNCTIONS",
    "Budget",
    "BudgetExceeded",
    "Compiled",
    "CompiledPath",
    "CompiledTemplate",
    "Env",
    "EvalContext",
    "EvalError",
    "Expr",
    "ExprSyntaxError",
    "Frame",
    "Function",
    "NameProblem",
    "Template",
    "check_names",
    "constant_problems",
    "compile_expr",
    "compile_path",
    "compile_template",
    "format_value",
    "parse_expression",
    "parse_template",
]


def parse_expression(text: str) -> Expr:
    """Parse a rule expression; raises ExprSyntaxError. (lark is imported only when parsing is needed.)"""
    from planlint.lang.parser import parse_expression as parse

    return parse(text)


def parse_template(text: str) -> Template:
    """Parse a message template with {expression} holes; raises ExprSyntaxError."""
    from planlint.lang.parser import parse_template as parse

    return parse(text)
