"""Read from a loaded plan what a reviewer's report shows besides findings: the system and its measures.

The plan is untrusted and may be only partly valid: every value is checked for its kind, and what
is not a number where a number belongs is left out (the findings speak of it)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from planlint import planning
from planlint.domain.targets import forecast, unit_range
from planlint.lang.errors import EvalError
from planlint.lang.lib_time import year_of_key
from planlint.schoolyears import year_key
from planlint.scorecard import MeasureChart, PlanInfo, Points

_MAX_MEASURES = 50  # a chart per measure; a plan with more is not a plan a chart helps with


def plan_info(data: Any, *, charts: bool = True) -> PlanInfo:
    """What the reports show of the plan; `charts`: with each measure's chart data, for the HTML report."""
    plan = data if isinstance(data, Mapping) else {}
    system = _mapping(plan, "system")
    frameworks = plan.get("frameworks")
    measures = plan.get("measures") if isinstance(plan.get("measures"), list) else []
    drawn = tuple(_chart(m) for m in measures[:_MAX_MEASURES] if isinstance(m, Mapping)) if charts else ()
    return PlanInfo(
        system=_text(system.get("name")), system_id=_text(system.get("id")), state=_text(system.get("state")),
        frameworks=tuple(_text(f) for f in frameworks if _text(f)) if isinstance(frameworks, list) else (),
        parts=tuple(sorted(str(key) for key, value in plan.items() if value not in (None, [], {}, ""))),
        measures=drawn)


def _chart(measure: Mapping) -> MeasureChart:
    history = _points(measure.get("history"))
    projection: Points = ()
    stated, target = _mapping(measure, "projection"), _mapping(measure, "target")
    year = planning.whole_year(stated.get("year")) or planning.whole_year(target.get("year"))
    if history and year is not None and year > history[-1][0]:
        try:  # the guide's status quo: the average annual change carried forward from the latest year
            value = forecast({year_key(y): v for y, v in history}, year, None, unit_range(measure.get("unit")))
        except (EvalError, OverflowError):
            value = None
        if planning.finite_number(value):
            projection = (history[-1], (year, float(value)))
    return MeasureChart(
        id=_text(measure.get("id")), name=_text(measure.get("name")), unit=_text(measure.get("unit")),
        lower_is_better=measure.get("direction") == "decrease", history=history, projection=projection,
        stated_projection=_point(measure.get("projection")), baseline=_point(measure.get("baseline")),
        target=_point(measure.get("target")), trajectory=_points(measure.get("trajectory")))


def _points(mapping: Any) -> Points:
    if not isinstance(mapping, Mapping):
        return ()
    found = {}
    for key, value in mapping.items():
        year = planning.whole_year(year_of_key(key))
        if year is not None and planning.finite_number(value):
            found[year] = float(value)
    return tuple(sorted(found.items()))


def _point(part: Any) -> Points:
    if not isinstance(part, Mapping):
        return ()
    year, value = planning.whole_year(part.get("year")), part.get("value")
    return ((year, float(value)),) if year is not None and planning.finite_number(value) else ()


def _mapping(plan: Mapping, key: str) -> Mapping:
    value = plan.get(key)
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    """A name or id as text; a list or mapping where text belongs is no name."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, (str, int, float, datetime.date)):
        return str(value)
    return ""
