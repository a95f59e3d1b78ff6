"""The standard library: an explicit registry from name to Function, knowing nothing of plans.

Whoever runs the language extends it (planlint.functions adds the planning functions) by
passing its own mapping as `EvalContext.functions` and to `check_names`.
"""

from __future__ import annotations

from collections.abc import Mapping

from planlint.lang import lib_collections, lib_text, lib_time
from planlint.lang.function import Function, registry

__all__ = ["FUNCTIONS", "Function", "extend"]


def extend(base: Mapping[str, Function], *more: Mapping[str, Function]) -> Mapping[str, Function]:
    """`base` with the functions of `more`; a name that is already taken is a mistake, not an override."""
    return registry(*base.values(), *(function for functions in more for function in functions.values()))


FUNCTIONS: Mapping[str, Function] = extend(lib_collections.FUNCTIONS, lib_text.FUNCTIONS, lib_time.FUNCTIONS)
