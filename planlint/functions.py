"""The functions rules can call: the language's standard library, then what each domain module adds."""

from __future__ import annotations

from planlint.domain import benchmarks, forecasting, frameworks, targets
from planlint.lang import Function
from planlint.lang.functions import FUNCTIONS as STANDARD_LIBRARY

__all__ = ["FUNCTIONS"]

FUNCTIONS: dict[str, Function] = {
    **STANDARD_LIBRARY,
    **{function.name: function
       for module in (targets, forecasting, benchmarks, frameworks) for function in module.FUNCTIONS},
}
