"""Library functions for targets, after the planning resource's "How to set MKR targets".

A history is a mapping from year to value ({"2017": 55, "2018": 53.5, "2019": 52});
years without a number (null, "tbd") are left out of every computation.
"""

from __future__ import annotations

import functools
from typing import Any

from planlint.lang.errors import EvalError
from planlint.lang.function import Function, fail, need_number, need_text, need_year, registry
from planlint.lang.lib_time import year_pairs

_DIGITS = 9
_UNIT_RANGES = {"percent": [0, 100]}


def clean(value: float) -> int | float:
    """Drop float noise (52 - 52.7 is -0.70000000000000284) and keep whole results whole."""
    return _clean_float(value) if type(value) is float else _rounded(value)  # nearly every call: a float


def _rounded(value: float) -> int | float:
    rounded = round(value, _DIGITS)
    return int(rounded) if float(rounded).is_integer() else rounded


# Rounding a float to _DIGITS places is slow (it goes through its decimal digits), and several rules (forecast,
# feasibility, rigor) clean the same yearly changes of a plan: each float's result is kept.
_clean_float = functools.lru_cache(maxsize=1024)(_rounded)


def annual_steps(pairs: list[tuple[int, float]]) -> list[int | float]:
    """Each step's change per year, oldest first; a gap of several years counts as one step of change
    per year, as the guide says."""
    return [clean((value - before) / (when - then)) for (then, before), (when, value) in zip(pairs, pairs[1:])]


def avg_annual_change(history: Any) -> int | float | None:
    return _average_step(year_pairs("avg_annual_change", history))


def _average_step(pairs: list[tuple[int, float]]) -> int | float | None:
    steps = annual_steps(pairs)
    return clean(sum(steps) / len(steps)) if steps else None


def latest_year(history: Any) -> int | None:
    pairs = year_pairs("latest_year", history)
    return pairs[-1][0] if pairs else None


def latest_value(history: Any) -> int | float | None:
    pairs = year_pairs("latest_value", history)
    return pairs[-1][1] if pairs else None


def forecast(history: Any, year: Any, multiplier: Any = None, low: Any = None,
             high: Any = None) -> int | float | None:
    target_year, times = need_year("forecast", year), need_number("forecast", multiplier)
    if isinstance(low, list) and high is None and len(low) == 2:
        low, high = low  # accept unit_range(unit) as the range
    low, high = need_number("forecast", low), need_number("forecast", high)
    _check_range(low, high)
    pairs = year_pairs("avg_annual_change", history)  # a history that is no mapping is reported as before
    change = _average_step(pairs)
    if change is None or (times is None and target_year is None):
        return None
    last_year, last_value = pairs[-1]
    steps = times if times is not None else target_year - last_year  # type: ignore[operator]
    value = last_value + change * steps
    if low is not None:
        value = max(low, value)
    if high is not None:
        value = min(high, value)
    return clean(value)


def required_annual_change(from_value: Any, from_year: Any, to_value: Any,
                           to_year: Any) -> int | float | None:
    start = need_number("required_annual_change", from_value)
    end = need_number("required_annual_change", to_value)
    first = need_year("required_annual_change", from_year)
    last = need_year("required_annual_change", to_year)
    if start is None or end is None or first is None or last is None or first == last:
        return None
    return clean((end - start) / (last - first))


def improves(before: Any, after: Any, direction: Any) -> bool | None:
    old, new = need_number("improves", before), need_number("improves", after)
    way = need_text("improves", direction)
    if old is None or new is None or way not in ("increase", "decrease"):
        return None
    return new > old if way == "increase" else new < old


def unit_range(unit: Any) -> list[int] | None:
    if unit is not None and not isinstance(unit, str):
        raise fail("unit_range", "a unit name", unit)
    found = _UNIT_RANGES.get(unit) if unit is not None else None
    return list(found) if found is not None else None


def _check_range(low: Any, high: Any) -> None:
    if low is not None and high is not None and low > high:
        raise EvalError(f"forecast() was given a range from {low} down to {high}")


FUNCTIONS = registry(
    Function("avg_annual_change", 1, 1, avg_annual_change,
             "The average change per year over the years of a history that have numbers; null "
             "with fewer than 2.",
             "avg_annual_change(history)", example="avg_annual_change(history)"),
    Function("latest_year", 1, 1, latest_year,
             "The most recent year of a history that has a number.",
             "latest_year(history)", example="latest_year(history)"),
    Function("latest_value", 1, 1, latest_value,
             "The value of the most recent year of a history that has a number.",
             "latest_value(history)", example="latest_value(history)"),
    Function("forecast", 2, 5, forecast,
             "The status quo projection: latest value + average annual change x (year - latest "
             "year), or x multiplier when given; kept within [lo, hi] when given (lo may be a "
             "[lo, hi] list).",
             "forecast(history, year, multiplier=null, lo=null, hi=null)",
             example="forecast(history, 2026)"),
    Function("required_annual_change", 4, 4, required_annual_change,
             "The change per year needed to go from one value to another between two years.",
             "required_annual_change(from_value, from_year, to_value, to_year)",
             example="required_annual_change(52, 2019, 60, 2026)"),
    Function("improves", 3, 3, improves,
             "Whether b is better than a in the direction ('increase' or 'decrease').",
             "improves(a, b, direction)", example="improves(47, 60, 'increase')"),
    Function("unit_range", 1, 1, unit_range,
             "The range a unit's values must stay in: [0, 100] for 'percent', null otherwise.",
             "unit_range(unit)", example="unit_range('percent')"),
)
