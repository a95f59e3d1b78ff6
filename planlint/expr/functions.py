"""The function library: an explicit registry from name to Function.

The engine may extend it (e.g. with functions reading frameworks from `ctx.extras`) by
passing its own mapping as `EvalContext.functions` and to `check_names`.
"""

from __future__ import annotations

from planlint.expr import (
    lib_benchmarks, lib_collections, lib_frameworks, lib_planning, lib_targets, lib_text, lib_time,
)
from planlint.expr.function import Function

__all__ = ["FUNCTIONS", "Function"]

FUNCTIONS: dict[str, Function] = {
    function.name: function
    for function in (
        *lib_collections.FUNCTIONS,
        *lib_text.FUNCTIONS,
        *lib_time.FUNCTIONS,
        *lib_targets.FUNCTIONS,
        *lib_planning.FUNCTIONS,
        *lib_benchmarks.FUNCTIONS,
        *lib_frameworks.FUNCTIONS,
    )
}
