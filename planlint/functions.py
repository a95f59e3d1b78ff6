"""The functions rules can call: the language's standard library, then what each domain module adds.

Each domain module exports its functions as a dict; none may take a name already taken.
"""

from __future__ import annotations

from collections.abc import Mapping

from planlint.domain import benchmarks, forecasting, frameworks, targets
from planlint.lang import Function
from planlint.lang.functions import FUNCTIONS as STANDARD_LIBRARY
from planlint.lang.functions import extend

__all__ = ["FUNCTIONS", "STANDARD_LIBRARY"]

FUNCTIONS: Mapping[str, Function] = extend(
    STANDARD_LIBRARY, targets.FUNCTIONS, forecasting.FUNCTIONS, benchmarks.FUNCTIONS, frameworks.FUNCTIONS)
