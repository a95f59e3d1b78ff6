"""Indexes of a plan's lists, built once per rule and plan, for functions called once per item.

`previous_benchmark(parent.implementation_benchmarks, node)` is called for every benchmark with
the whole list. Searching and sorting that list on every call makes the rule quadratic: 500
benchmarks in one strategy took 250,000 list visits and ran out of steps. Such a function indexes
the list on its first call instead, charges that walk to the rule's step budget, and answers every
later call of the same rule on the same plan from the index (the function is registered with
`looks_up`, so a call is not charged the list's size again).

An index lives as long as the budget of one rule on one plan: step counts never depend on which
other rules ran, or on the plans checked before.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

_BUDGETS_KEPT = 4  # the rules being evaluated now; the indexes of older budgets are let go
_INDEXES_PER_BUDGET = 256  # a rule that builds a fresh list for every call gets no lasting index

# id(budget) -> (budget, {(kind, id(list)): (list, index)}); the budget and list are held so that
# their ids cannot be reused by other objects while the entry exists.
_held: dict[int, tuple[Any, dict[tuple[str, int], tuple[list[Any], Any]]]] = {}


def indexed(ctx: Any, kind: str, items: list[Any], build: Callable[[list[Any]], T]) -> T:
    """`build(items)`, made once per rule and plan (the evaluation's budget) for this very list."""
    budget = ctx.budget
    held = _held.get(id(budget))
    if held is None or held[0] is not budget:
        while len(_held) >= _BUDGETS_KEPT:
            del _held[next(iter(_held))]
        held = _held[id(budget)] = (budget, {})
    indexes = held[1]
    key = (kind, id(items))
    found = indexes.get(key)
    if found is None or found[0] is not items:
        budget.spend(max(1, len(items)))
        if len(indexes) >= _INDEXES_PER_BUDGET:
            indexes.clear()
        found = indexes[key] = (items, build(items))
    return found[1]
