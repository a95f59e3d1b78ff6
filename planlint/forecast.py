"""`planlint forecast`: for each measure, the guide's target-setting worksheet filled in from the plan.

History, average annual change, status quo projection, baseline, target, required annual change,
feasibility as computed, the baseline's percentile rank (with state data), and a straight-line
trajectory from the baseline to the target, printed as YAML a team can paste into the plan.

A plan reaches this module unvalidated: any value may be of any kind. What cannot be computed from
it (a history written as text, a target still tbd, a year of 2022.5) is shown as not judged, "-".
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Callable, Mapping

import yaml

from planlint import planning
from planlint.lang.errors import EvalError
from planlint.domain.targets import avg_annual_change, forecast, unit_range
from planlint.lang.lib_time import year_pairs
from planlint.lang.values import format_number, format_value, is_number
from planlint.reporters.text import printable
from planlint.schoolyears import SchoolYearKey, written, year_key

if TYPE_CHECKING:
    from planlint.config import Profile

# The rules whose options the worksheet follows, as `check` does: TGT005 (forecast_years) for the
# status quo projection, TGT007 (cuts, min_history_changes) for feasibility.
WORKSHEET_RULES = ("TGT005", "TGT007")
# Configuration keys a forecast sets, so that the worksheet rules' options are read (and checked)
# even where the configuration leaves those rules out of `check`.
CONFIG_OVERRIDES = {"select": list(WORKSHEET_RULES), "ignore": []}


@dataclass(frozen=True)
class ForecastOptions:
    """What the worksheet computes with: state data, TGT005's forecast_years, TGT007's cuts and min_history_changes."""

    state_data: Any = None
    forecast_years: int | None = None
    cuts: tuple[float, ...] = planning.FEASIBILITY_CUTS
    min_changes: int = 5


def options_for(profile: Profile, *, forecast_years: int | None = None) -> ForecastOptions:
    """The worksheet's options under a configuration's profile (see CONFIG_OVERRIDES); a forecast_years
    given on the command line wins over the configuration's."""
    options = {code: profile.rules.by_code[code].option_values() for code in WORKSHEET_RULES}
    options.update({active.rule.code: active.options for active in profile.engine.rules
                    if active.rule.code in WORKSHEET_RULES})
    projection, feasibility = options["TGT005"], options["TGT007"]
    return ForecastOptions(
        state_data=profile.engine.facts.state_data,
        forecast_years=forecast_years if forecast_years is not None else projection["forecast_years"],
        cuts=tuple(feasibility["cuts"]), min_changes=feasibility["min_history_changes"])


@dataclass(frozen=True)
class MeasureForecast:
    """One measure's worksheet. The plan's own values (unit, baseline, target, the stated projection
    and feasibility...) are as written, of any kind; computed values are finite numbers, or None."""

    id: str
    name: str
    unit: Any
    direction: Any
    history: dict[str, float]
    average_annual_change: float | None
    projection_year: Any
    projection: float | None
    stated_projection: Any
    baseline_year: Any
    baseline: Any
    percentile_rank: float | None
    target_year: Any
    target: Any
    required_annual_change: float | None
    feasibility: str | None
    feasibility_basis: str | None
    stated_feasibility: Any
    computation: str | None
    suggested_trajectory: dict[str, Any] | None


def forecast_plan(plan: Any, options: ForecastOptions = ForecastOptions()) -> list[MeasureForecast]:
    """A worksheet for each measure of a plan, whatever the plan holds."""
    plan = plan if isinstance(plan, Mapping) else {}
    period = _part(plan, "period")
    measures = plan.get("measures") if isinstance(plan.get("measures"), list) else []
    return [_measure(m, period.get("start"), options) for m in measures if isinstance(m, Mapping)]


def _part(measure: Mapping, key: str) -> Mapping:
    value = measure.get(key)
    return value if isinstance(value, Mapping) else {}


def _computed(compute: Callable[[], Any]) -> Any:
    """What a computation gives, or None where the plan's values cannot give a finite result: the
    expression library raises EvalError for a value of the wrong kind, Python OverflowError for a
    number too large for a float."""
    try:
        value = compute()
    except (EvalError, OverflowError):
        return None
    return None if is_number(value) and not planning.finite_number(value) else value


def _measure(measure: Mapping, start: Any, options: ForecastOptions) -> MeasureForecast:
    unit = measure.get("unit")
    # The years with a finite number, as every computation reads them: a value of another kind is
    # left out like tbd (the schema reports it), and a history that is not a mapping is none.
    history = {year_key(y): v for y, v in _computed(lambda: year_pairs("forecast", measure.get("history"))) or []
               if planning.finite_number(v)}
    baseline, target, stated = _part(measure, "baseline"), _part(measure, "target"), _part(measure, "projection")
    year = stated.get("year") if is_number(stated.get("year")) else target.get("year")
    year = year if is_number(year) else None
    found = planning.feasibility({**measure, "history": history}, options.state_data, options.cuts,
                                 min_changes=options.min_changes)
    years = options.forecast_years
    return MeasureForecast(
        id=_label(measure.get("id")) or "?", name=_label(measure.get("name")) or "", unit=unit,
        direction=measure.get("direction"), history=history,
        average_annual_change=_computed(lambda: avg_annual_change(history)),
        projection_year=year,
        projection=_computed(lambda: forecast(history, year, years, unit_range(unit))) if year else None,
        stated_projection=stated.get("value"), baseline_year=baseline.get("year"), baseline=baseline.get("value"),
        percentile_rank=_rank(measure, baseline, options.state_data),
        target_year=target.get("year"), target=target.get("value"),
        required_annual_change=planning.target_change(baseline, target),
        feasibility=found["label"] if found else None,
        feasibility_basis=_basis(found), stated_feasibility=measure.get("feasibility"),
        computation=_computed(lambda: planning.explain_forecast(history, year, years, unit)) if year else None,
        suggested_trajectory=_line(baseline, target, start),
    )


def _label(value: Any) -> str | None:
    """An id or name as text; a list or mapping where text belongs is no label."""
    if isinstance(value, (str, int, float, datetime.date)):
        return value if isinstance(value, str) else format_value(value)
    return None


def _rank(measure: Mapping, baseline: Mapping, state_data: Any) -> float | None:
    code, year, value = measure.get("state_measure"), planning.whole_year(baseline.get("year")), baseline.get("value")
    if state_data is None or not isinstance(code, str) or year is None or not planning.finite_number(value):
        return None
    rank = _computed(lambda: state_data.percentile_rank(code, year, value))
    return None if rank is None else round(rank, 1)


def _basis(found: dict | None) -> str | None:
    if not found:
        return None
    who = "of the state's systems" if found["source"] == "state" else "of this measure's past years"
    return f"{found['share']}% {who} improved at least that fast"


def _line(baseline: Mapping, target: Mapping, start: Any) -> dict[str, Any] | None:
    return planning.straight_line(baseline.get("value"), baseline.get("year"), target.get("value"),
                                  target.get("year"), start)


# Numbers the worksheet computes; JSON shows them as the text output does (format_number), so a
# projection of 58.999999999 reads 59 in both. The plan's own values are shown as written.
_COMPUTED = frozenset({"average_annual_change", "projection", "percentile_rank", "required_annual_change"})


def render_json(forecasts: list[MeasureForecast]) -> str:
    measures = [{field.name: _as_shown(getattr(f, field.name)) if field.name in _COMPUTED
                 else _json_safe(getattr(f, field.name)) for field in fields(f)} for f in forecasts]
    return json.dumps({"version": 1, "measures": measures}, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _as_shown(value: Any) -> Any:
    """A computed number rounded as format_number shows it: at most two decimals, whole numbers whole."""
    if not is_number(value) or isinstance(value, int):
        return value
    shown = round(value, 2)  # the same rounding as f"{value:.2f}"
    return int(shown) if shown.is_integer() else shown


def _json_safe(value: Any) -> Any:
    """A plan's value as JSON can hold it: a date as its ISO text, infinity or not-a-number as null."""
    if isinstance(value, Mapping):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if is_number(value):
        return value if planning.finite_number(value) else None
    return value if value is None or isinstance(value, (str, bool)) else str(value)


def render_text(forecasts: list[MeasureForecast], *, min_changes: int = 5) -> str:
    """The worksheets; min_changes is the fewest changes in a measure's own history that judge its feasibility."""
    if not forecasts:
        return "The plan has no measures to forecast.\n"
    return "\n".join(_block(f, min_changes) for f in forecasts)


def _show(value: Any) -> str:
    """A value in the worksheet: a number or text as written (control characters escaped, as in every
    report that reaches a terminal); "-" for none, or for a list or mapping."""
    if value is None or isinstance(value, (list, tuple, Mapping)):
        return "-"
    return format_number(value) if is_number(value) else printable(format_value(value))


def _not_judged(f: MeasureForecast, min_changes: int) -> str:
    """Why the feasibility is not judged, and what would judge it."""
    if f.required_annual_change is None:
        return "not judged: it needs a baseline and a target, each a number with its year"
    if f.direction not in ("increase", "decrease"):
        return "not judged: it needs the measure's direction, increase or decrease"
    return f"not judged: give state data (--state-data), or {min_changes + 1} years of history"


def _block(f: MeasureForecast, min_changes: int) -> str:
    unit = f" ({_show(f.unit)}, {_show(f.direction)})" if f.unit is not None else ""
    rows = [
        ("history", ", ".join(f"{written(y)}: {_show(v)}" for y, v in f.history.items()) or "none"),
        ("average annual change", _show(f.average_annual_change)),
        (f"status quo projection {_show(f.projection_year)}",
         f"{_show(f.projection)} (the plan states {_show(f.stated_projection)})"),
        ("baseline", f"{_show(f.baseline)} ({_show(f.baseline_year)})"
         + (f", percentile rank {_show(f.percentile_rank)} in the state" if f.percentile_rank is not None else "")),
        (f"target {_show(f.target_year)}", _show(f.target)),
        ("required annual change", _show(f.required_annual_change)),
        ("feasibility", (f"{f.feasibility}: {f.feasibility_basis}" if f.feasibility else _not_judged(f, min_changes))
         + f" (the plan says {_show(f.stated_feasibility)})"),
    ]
    width = max(len(label) for label, _ in rows)
    title = printable(f"{f.id}: {f.name}" if f.name else f.id)
    lines = [f"{title}{unit}"] + [f"  {label.ljust(width)}  {value}" for label, value in rows]
    if f.computation:
        lines.append(f"  {'how'.ljust(width)}  {f.computation}")
    if f.suggested_trajectory:
        # plain keys, which YAML writes unquoted: 2026 as a number, 2025-26 as the text it is
        line = {written(year) if isinstance(year, SchoolYearKey) else int(year): value
                for year, value in f.suggested_trajectory.items()}
        pasted = yaml.safe_dump({"trajectory": line}, default_flow_style=None, sort_keys=False)
        lines.append("  a straight line from the baseline to the target, to paste into the plan:")
        lines += [f"    {line}" for line in pasted.rstrip().splitlines()]
    return "\n".join(lines) + "\n"
