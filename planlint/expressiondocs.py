"""The function table of docs/expressions.md, generated from the registry.

Each function's example is evaluated on SAMPLE_MEASURE, so the documented results are
the real ones. Regenerate with `python -m planlint.expressiondocs docs/expressions.md`.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planlint.lang.context import EvalContext
from planlint.lang.evaluate import compile_expr
from planlint.lang.function import Function
from planlint.functions import FUNCTIONS
from planlint.lang.parser import parse_expression
from planlint.lang.values import format_number

START = "<!-- functions:start -->"
END = "<!-- functions:end -->"
SAMPLE_MEASURE: dict[str, Any] = {
    "id": "grad-credentials",
    "unit": "percent",
    "direction": "increase",
    "history": {"2017": 55, "2018": 53.5, "2019": 52},
    "method": ["forecast", "benchmark"],
    "readiness_plan": None,
}


def show(value: Any) -> str:
    """A value written the way the language writes it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return format_number(value) if isinstance(value, int) else repr(value)
    if isinstance(value, str):
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(value, datetime.date):
        return "@" + value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{show(k)}: {show(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(show(item) for item in value) + "]"


def run_example(function: Function) -> Any:
    context = EvalContext(SAMPLE_MEASURE, SAMPLE_MEASURE, ("measures", 0), {}, functions=FUNCTIONS)
    return compile_expr(parse_expression(function.example))(context)


def function_table(functions: Mapping[str, Function] = FUNCTIONS) -> str:
    rows = ["| function | what it gives | example | result |", "|---|---|---|---|"]
    for function in functions.values():
        doc = function.doc.replace("|", "\\|")
        example = function.example.replace("|", "\\|")
        result = show(run_example(function)).replace("|", "\\|")
        rows.append(f"| `{function.signature}` | {doc} | `{example}` | `{result}` |")
    return "\n".join(rows)


def with_table(document: str) -> str:
    """`document` with the text between the START and END markers regenerated."""
    before, _, rest = document.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{function_table()}\n{END}{after}"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m planlint.expressiondocs docs/expressions.md", file=sys.stderr)
        return 2
    target = Path(argv[0])
    target.write_text(with_table(target.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
