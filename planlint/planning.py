"""Target-setting arithmetic from "How to set MKR targets": forecasts, required change, feasibility.

Pure functions over plan values (a history is a mapping "year" -> number or null); the rule
library and `planlint forecast` both use them, so a rule's message and the forecast table
always agree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from planlint.domain.targets import (
    annual_steps, avg_annual_change, clean, forecast, required_annual_change, unit_range,
)
from planlint.lang.errors import EvalError
from planlint.lang.function import need_year
from planlint.lang.lib_time import year_of_key, year_pairs
from planlint.lang.values import format_number, is_mapping, is_number
from planlint.schoolyears import like, year_key, year_span

FEASIBILITY_CUTS = (50, 20, 5)  # share of systems improving at least as fast: moderate, ambitious, very
LABELS = ("moderate", "ambitious", "very-ambitious", "unprecedented")
# \b[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*s?\b, written to start with its first letter (the \b behind it): a pattern
# that starts with a letter is searched for that letter alone, instead of tried at every character.
_ACRONYM = re.compile(r"[A-Z](?<=\b[A-Z])[A-Z0-9&]*[A-Z][A-Z0-9&]*s?\b")


def history_changes(history: Any) -> list[float]:
    """Each step's change per year, oldest first."""
    return annual_steps(year_pairs("history_changes", history))


def explain_forecast(history: Any, year: Any, multiplier: Any = None, unit: Any = None) -> str | None:
    """The computation in words: "average annual change -1.5 from 2017-2019; projection for 2026 is
    52 + 7 x -1.5 = 41.5"; years written as school years read so ("from 2016-17 to 2018-19")."""
    pairs = year_pairs("explain_forecast", history)
    change = avg_annual_change(history)
    if change is None or not is_number(year):
        return None
    (first, _), (last, value) = pairs[0], pairs[-1]
    steps = multiplier if is_number(multiplier) else year - last
    raw = clean(value + change * steps)
    result = forecast(history, year, multiplier, unit_range(unit))
    text = (f"average annual change {format_number(change)} from {year_span(first, last)}; projection for {year} is "
            f"{format_number(value)} + {format_number(steps)} x {format_number(change)} = {format_number(raw)}")
    if result != raw:
        text += f", kept at {format_number(result)} because a {unit} stays within {unit_range(unit)[0]}-{unit_range(unit)[1]}"
    return text


def share_at_least(changes: Sequence[float], required: float, direction: str) -> float | None:
    """The share (0-100) of changes at least as fast as `required` in the measure's direction."""
    if not changes:
        return None
    fast = [c for c in changes if (c <= required if direction == "decrease" else c >= required)]
    return clean(100 * len(fast) / len(changes))


def target_change(baseline: Any, target: Any) -> float | None:
    """The change a year from the baseline to the target; None unless both give a number and a year
    (a plan may say `tbd` for now, or hold a value the schema reports) and the change is a finite number."""
    if not (is_mapping(baseline) and is_mapping(target)):
        return None
    start, first, end, last = baseline.get("value"), baseline.get("year"), target.get("value"), target.get("year")
    if not (is_number(start) and is_number(first) and is_number(end) and is_number(last)):
        return None
    try:
        change = required_annual_change(start, first, end, last)
    except (EvalError, OverflowError):  # a year out of any calendar; a number too large to divide
        return None
    return change if change is None or math.isfinite(change) else None


def feasibility(measure: Any, state_data: Any = None, cuts: Sequence[float] = FEASIBILITY_CUTS,
                min_changes: int = 1) -> dict | None:
    """{label, share, source, required, compared} for a measure's target, or None when it cannot be judged:
    against the state's systems where state data has the measure, else against its own history."""
    if not is_mapping(measure):
        return None
    required = target_change(measure.get("baseline"), measure.get("target"))
    direction = measure.get("direction")
    if required is None or direction not in ("increase", "decrease"):
        return None
    code = measure.get("state_measure")
    state_changes = state_data.annual_changes(code) if state_data is not None and isinstance(code, str) else []
    if state_changes:
        changes, source = state_changes, "state"
    else:
        own = _own_changes(measure.get("history"))
        changes, source = (own if len(own) >= min_changes else []), "own"
    share = share_at_least(changes, required, direction)
    if share is None:
        return None
    return {"label": feasibility_label(share, cuts), "share": round(share), "source": source,
            "required": required, "compared": len(changes)}


def _own_changes(history: Any) -> list[float]:
    """No changes to judge by when the history is not a mapping of years or its numbers are too large."""
    try:
        return history_changes(history)
    except (EvalError, OverflowError):
        return []


def feasibility_label(share: float | None, cuts: Sequence[float] = FEASIBILITY_CUTS) -> str | None:
    if share is None:
        return None
    for label, cut in zip(LABELS, cuts):
        if share >= cut:
            return label
    return LABELS[-1]


def setbacks(trajectory: Any, direction: Any, baseline: Any = None) -> list[dict]:
    """Every step of a trajectory against the measure's direction (from the baseline, then year to
    year), as {from_year, from, to_year, to, text}, text being "from 18 in 2020 to 17 in 2022"."""
    steps = year_pairs("setbacks", trajectory)  # a list of its own
    if is_mapping(baseline) and is_number(baseline.get("value")) and is_number(baseline.get("year")):
        steps.insert(0, (baseline["year"], baseline["value"]))
    return [{"from_year": y1, "from": v1, "to_year": y2, "to": v2,
             "text": f"from {format_number(v1)} in {y1} to {format_number(v2)} in {y2}"}
            for (y1, v1), (y2, v2) in zip(steps, steps[1:])
            if (v2 < v1 if direction == "increase" else v2 > v1 if direction == "decrease" else False)]


def measure_values(measure: Any) -> list[tuple[str, Any, Any]]:
    """Every number a measure states, as (part, year, value): history and trajectory year by year,
    then the baseline, projection and target (whose year is None here)."""
    if not isinstance(measure, Mapping):
        return []
    found = [(key, year, value) for key in ("history", "trajectory")
             for year, value in year_pairs("measure_values", measure.get(key))]
    for key in ("baseline", "projection", "target"):
        part = measure.get(key)
        if isinstance(part, Mapping) and is_number(value := part.get("value")):
            found.append((key, None, value))
    return found


def _stated(key: str, year: Any, value: Any) -> str:
    """A value and where it stands: "history.2019 = 52", "target = 160"."""
    return f"{key} = {format_number(value)}" if year is None else f"{key}.{year} = {format_number(value)}"


def _values_of(measure: Mapping) -> list[Any] | None:
    """The values of a measure's history and trajectory (under any key) and of its baseline, projection
    and target, of any kind, read without years or sorting: where none of the numbers among them is odd,
    no number measure_values gives is. None where measure_values would refuse the measure (a history
    that is not a mapping)."""
    found: list[Any] = []
    for key in ("history", "trajectory"):
        part = measure.get(key)
        if type(part) is dict or part is not None and isinstance(part, Mapping):
            found += part.values()
        elif part is not None:
            return None
    for key in ("baseline", "projection", "target"):
        part = measure.get(key)
        if type(part) is dict or part is not None and isinstance(part, Mapping):
            found.append(part.get("value"))
    return found


def _all_within(values: list[Any], low: float, high: float) -> bool:
    for value in values:
        kind = type(value)
        if (kind is int or kind is float or is_number(value)) and not low <= value <= high:
            return False
    return True


def _all_signed(values: list[Any], negative: bool) -> bool:
    for value in values:
        kind = type(value)
        if (kind is int or kind is float or is_number(value)) and value != 0 and (value < 0) != negative:
            return False
    return True


def out_of_range(measure: Any) -> list[str]:
    bounds = unit_range(measure.get("unit")) if is_mapping(measure) else None
    if bounds is None:
        return []
    low, high = bounds
    values = _values_of(measure)
    if values is not None and _all_within(values, low, high):  # as nearly always: nothing to name
        return []
    return [_stated(*found) for found in measure_values(measure) if not low <= found[2] <= high]


def sign_flips(measure: Any) -> list[str]:
    """Values whose sign differs from the baseline's (or, without one, from most values')."""
    if is_mapping(measure):
        baseline = measure.get("baseline")
        start = baseline.get("value") if is_mapping(baseline) else None
        found = _values_of(measure) if is_number(start) and start != 0 else None
        if found is not None and _all_signed(found, start < 0):  # the baseline's sign, as nearly always
            return []
    values = [found for found in measure_values(measure) if found[2] != 0]
    if not values:
        return []
    baseline = next((found[2] for found in values if found[0] == "baseline"), None)
    negative = baseline < 0 if baseline is not None else sum(found[2] < 0 for found in values) * 2 > len(values)
    return [_stated(*found) for found in values if (found[2] < 0) != negative]


def acronyms(text: Any) -> list[str]:
    """Words written in capitals (ELA, LEAP, CTE), in order, without repeats; a plural s is dropped."""
    if not isinstance(text, str):
        return []
    seen: dict[str, None] = {}
    for word in _ACRONYM.findall(text):
        seen.setdefault(word[:-1] if word.endswith("s") and word[:-1].isupper() else word)
    return list(seen)


def straight_line(baseline_value: Any, start_year: Any, target_value: Any, target_year: Any,
                  first_year: Any, digits: int = 1) -> dict[str, int | float] | None:
    """A trajectory from the baseline to the target in equal yearly steps, for first_year..target_year;
    None when the plan's values cannot draw one: a year that is not a whole year, a value that is not a
    finite number, a target year not after the baseline's, or a first year after the target's. The keys
    are years counted from first_year, in its form: SchoolYearKeys where it is written 2025-26."""
    years = [whole_year(year) for year in (start_year, target_year, first_year)]
    if None in years or not all(finite_number(value) for value in (baseline_value, target_value)):
        return None
    start, end, first = years
    if end <= start or first > end:
        return None
    try:
        step = (target_value - baseline_value) / (end - start)
        line = {year_key(like(year, first)): _plain(round(baseline_value + step * (year - start), digits))
                for year in range(first, end)}
    except OverflowError:  # values too large for a float
        return None
    if not all(finite_number(value) for value in line.values()):
        return None
    line[year_key(like(end, first))] = target_value
    return line


def whole_year(value: Any) -> int | None:
    """A year the expression library accepts (1-9999) as an int, else None: 2026.0 is 2026, 2022.5 is not a year."""
    try:
        return need_year("year", value) if is_number(value) else None
    except (EvalError, OverflowError):  # an int too large for a float is no year either
        return None


def finite_number(value: Any) -> bool:
    """A number that is neither infinite, nor not-a-number, nor an int too large for a float."""
    try:
        return is_number(value) and math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


def _plain(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def years_with(mapping: Any, value: Any) -> list[int]:
    """The years of a year-keyed mapping whose value equals `value` (for example 'tbd')."""
    if not is_mapping(mapping):
        return []
    found = [year_of_key(key) for key, item in mapping.items() if item == value]  # the years of those alone
    return sorted(year for year in found if year is not None)


def shortfalls(measure: Any, period_start: Any, status_quo: float | None, label: str | None) -> list[str]:
    """What keeps a target from being rigorous: bold, attainable, with a complete trajectory."""
    if not is_mapping(measure):
        return []
    target = measure.get("target") if is_mapping(measure.get("target")) else {}
    reasons = []
    year, value = target.get("year"), target.get("value")
    if not is_number(value):  # seed 000 asks every mission measure for a rigorous target
        reasons.append("no target yet" if not target else f"target value {target.get('value', 'missing')}")
    trajectory = measure.get("trajectory") if is_mapping(measure.get("trajectory")) else {}
    if is_number(year) and is_number(period_start) and not all(map(trajectory.__contains__,
                                                                   map(str, range(period_start, year + 1)))):
        reasons.append("trajectory incomplete as TGT002 reports")
    direction = measure.get("direction")
    if is_number(value) and is_number(status_quo) and direction in ("increase", "decrease"):
        if not (value > status_quo if direction == "increase" else value < status_quo):
            reasons.append("not bold")
    if label == LABELS[-1]:
        reasons.append("not attainable")
    return reasons
