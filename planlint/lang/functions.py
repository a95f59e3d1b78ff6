"""The standard library: an explicit registry from name to Function, knowing nothing of plans.

Whoever runs the language extends it (planlint.functions adds the planning functions) by
passing its own mapping as `EvalContext.functions` and to `check_names`.
"""

from __future__ import annotations

from planlint.lang import lib_collections, lib_text, lib_time
from planlint.lang.function import Function

__all__ = ["FUNCTIONS", "Function"]

FUNCTIONS: dict[str, Function] = {
    function.name: function
    for function in (*lib_collections.FUNCTIONS, *lib_text.FUNCTIONS, *lib_time.FUNCTIONS)
}
