"""Functions for the mkr and tgt packs: forecasts explained, feasibility, trajectories, state data.

The arithmetic lives in planlint.planning, shared with `planlint forecast`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planlint import planning
from planlint.facts import facts_of
from planlint.lang.values import is_mapping, is_number
from planlint.lang.function import Function, need_list, need_number, need_text, registry
from planlint.domain.targets import forecast, unit_range


def feasibility(ctx: Any, measure: Any, cuts: Any = None, min_changes: Any = None) -> dict | None:
    """How feasible a measure's target is: {label, share, source, required, compared} or null."""
    return planning.feasibility(measure, *_feasibility_terms(ctx, cuts, min_changes))


def _feasibility_terms(ctx: Any, cuts: Any, min_changes: Any) -> tuple[Any, Any, Any]:
    """planning.feasibility's arguments after the measure: the state's data, the cuts, the fewest changes."""
    return (facts_of(ctx).state_data, need_list("feasibility", cuts) or planning.FEASIBILITY_CUTS,
            need_number("feasibility", min_changes) or 1)


def rigor(ctx: Any, plan: Any, forecast_years: Any = None, cuts: Any = None, min_changes: Any = None) -> dict:
    """How many targets are bold, attainable and have a complete trajectory: {rigorous, total, shortfalls}."""
    plan = plan if is_mapping(plan) else {}
    measures = plan.get("measures") if isinstance(plan.get("measures"), list) else []
    start = plan["period"].get("start") if is_mapping(plan.get("period")) else None
    notes = []
    judged: tuple[Any, ...] | None = None  # feasibility()'s arguments, read as it reads them, once
    for measure in measures:
        if not is_mapping(measure):
            continue
        if judged is None:
            judged = _feasibility_terms(ctx, cuts, min_changes)
        found = planning.feasibility(measure, *judged)
        reasons = planning.shortfalls(measure, start, _status_quo(measure, forecast_years),
                                      found["label"] if found else None)
        if reasons:
            notes.append(f"{measure.get('id', '?')} ({', '.join(reasons)})")
    return {"rigorous": len(measures) - len(notes), "total": len(measures), "shortfalls": "; ".join(notes)}


def _status_quo(measure: Mapping, forecast_years: Any) -> float | None:
    projection, target = measure.get("projection"), measure.get("target")
    if is_mapping(projection) and is_number(projection.get("value")):
        return projection["value"]
    year = target.get("year") if is_mapping(target) else None
    return forecast(measure.get("history"), year, forecast_years, unit_range(measure.get("unit"))) \
        if is_number(year) else None


def state_percentile(ctx: Any, code: Any, year: Any, value: Any) -> float | None:
    state = facts_of(ctx).state_data
    if state is None or not isinstance(code, str) or need_number("state_percentile", value) is None:
        return None
    rank = state.percentile_rank(code, need_number("state_percentile", year), value)
    return None if rank is None else round(rank, 1)


def _explain_forecast(history: Any, year: Any, multiplier: Any = None, unit: Any = None) -> str | None:
    return planning.explain_forecast(history, need_number("explain_forecast", year),
                                     need_number("explain_forecast", multiplier), need_text("explain_forecast", unit))


def _setbacks(trajectory: Any, direction: Any, baseline: Any = None) -> list[dict]:
    return planning.setbacks(trajectory, need_text("setbacks", direction), baseline)


FUNCTIONS = registry(
    Function("explain_forecast", 2, 4, _explain_forecast,
             "The status quo forecast written out: the average annual change and the projection's arithmetic.",
             "explain_forecast(history, year, multiplier=null, unit=null)",
             example="explain_forecast(history, 2026, null, unit)"),
    Function("history_changes", 1, 1, planning.history_changes,
             "Each step's change per year in a history, oldest first.",
             "history_changes(history)", example="history_changes(history)"),
    Function("setbacks", 2, 3, _setbacks,
             "Every step of a trajectory against the direction (from the baseline on), as "
             "{from_year, from, to_year, to, text}, text reading \"from 18 in 2020 to 17 in 2022\".",
             "setbacks(trajectory, direction, baseline=null)",
             example="setbacks(history, direction)"),
    Function("out_of_range", 1, 1, planning.out_of_range,
             "The values of a measure outside its unit's range (a percent below 0 or above 100).",
             "out_of_range(measure)", example="out_of_range(node)"),
    Function("sign_flips", 1, 1, planning.sign_flips,
             "The values of a measure whose sign differs from its baseline's (a gap of -25 that becomes 22).",
             "sign_flips(measure)",
             example="sign_flips(node)"),
    Function("acronyms", 1, 1, planning.acronyms,
             "The words written in capitals in a text (ELA, LEAP, CTE), without repeats.",
             "acronyms(text)", example="acronyms('Percent of 3-8 students meeting ELA and LEAP goals')"),
    Function("feasibility", 1, 3, feasibility,
             "The feasibility of a measure's target from its required annual change: {label, share, "
             "source, required, compared}, against state data where given, else the measure's own history.",
             "feasibility(measure, cuts=null, min_changes=null)", needs_context=True,
             example="feasibility(node)"),
    Function("years_with", 2, 2, planning.years_with,
             "The years of a year-keyed mapping whose value is the one given, such as 'tbd'.",
             "years_with(mapping, value)", example="years_with(history, 52)"),
    Function("rigor", 1, 4, rigor,
             "How many of a plan's targets are bold, attainable and have a complete trajectory: "
             "{rigorous, total, shortfalls}.",
             "rigor(plan, forecast_years=null, cuts=null, min_changes=null)", needs_context=True,
             example="rigor(root).total"),
    Function("state_percentile", 3, 3, state_percentile,
             "The percentile rank of a value among the state's systems for a measure code and year "
             "(needs --state-data); null without state data.",
             "state_percentile(code, year, value)", needs_context=True,
             example="state_percentile('GRAD_CRED', 2019, 52)"),
)
