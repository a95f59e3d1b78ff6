"""Functions for rules: see the module's FUNCTIONS."""

from __future__ import annotations

from planlint.expr.function import Function

FUNCTIONS: tuple[Function, ...] = ()
