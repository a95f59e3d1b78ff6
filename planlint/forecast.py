"""`planlint forecast`: for each measure, the guide's target-setting worksheet filled in from the plan.

History, average annual change, status quo projection, baseline, target, required annual change,
feasibility as computed, the baseline's percentile rank (with state data), and a straight-line
trajectory from the baseline to the target, printed as YAML a team can paste into the plan.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Mapping

import yaml

from planlint import planning
from planlint.expr.lib_targets import avg_annual_change, forecast, unit_range
from planlint.expr.lib_time import year_pairs
from planlint.expr.values import format_number, is_number


@dataclass(frozen=True)
class MeasureForecast:
    id: str
    name: str
    unit: str | None
    direction: str | None
    history: dict[str, float]
    average_annual_change: float | None
    projection_year: int | None
    projection: float | None
    stated_projection: float | None
    baseline_year: int | None
    baseline: float | None
    percentile_rank: float | None
    target_year: int | None
    target: Any
    required_annual_change: float | None
    feasibility: str | None
    feasibility_basis: str | None
    stated_feasibility: str | None
    computation: str | None
    suggested_trajectory: dict[str, Any] | None


def forecast_plan(plan: Mapping[str, Any], *, state_data: Any = None, forecast_years: int | None = None,
                  min_changes: int = 5) -> list[MeasureForecast]:
    period = plan.get("period") if isinstance(plan.get("period"), Mapping) else {}
    measures = plan.get("measures") if isinstance(plan.get("measures"), list) else []
    return [_measure(m, period.get("start"), state_data, forecast_years, min_changes)
            for m in measures if isinstance(m, Mapping)]


def _part(measure: Mapping, key: str) -> Mapping:
    value = measure.get(key)
    return value if isinstance(value, Mapping) else {}


def _measure(measure: Mapping, start: Any, state_data: Any, forecast_years: int | None,
             min_changes: int) -> MeasureForecast:
    history = {str(y): v for y, v in year_pairs("forecast", measure.get("history"))}
    baseline, target, stated = _part(measure, "baseline"), _part(measure, "target"), _part(measure, "projection")
    year = stated.get("year") if is_number(stated.get("year")) else target.get("year")
    year = year if is_number(year) else None
    unit = measure.get("unit")
    found = planning.feasibility(measure, state_data, min_changes=min_changes)
    code = measure.get("state_measure")
    rank = None
    if state_data is not None and isinstance(code, str) and is_number(baseline.get("value")):
        rank = state_data.percentile_rank(code, baseline.get("year"), baseline["value"])
    return MeasureForecast(
        id=str(measure.get("id", "?")), name=str(measure.get("name", "")), unit=unit,
        direction=measure.get("direction"), history=history,
        average_annual_change=avg_annual_change(measure.get("history")),
        projection_year=year,
        projection=forecast(measure.get("history"), year, forecast_years, unit_range(unit)) if year else None,
        stated_projection=stated.get("value"), baseline_year=baseline.get("year"), baseline=baseline.get("value"),
        percentile_rank=None if rank is None else round(rank, 1),
        target_year=target.get("year"), target=target.get("value"),
        required_annual_change=planning.target_change(baseline, target),
        feasibility=found["label"] if found else None,
        feasibility_basis=_basis(found), stated_feasibility=measure.get("feasibility"),
        computation=planning.explain_forecast(measure.get("history"), year, forecast_years, unit) if year else None,
        suggested_trajectory=_line(baseline, target, start),
    )


def _basis(found: dict | None) -> str | None:
    if not found:
        return None
    who = "of the state's systems" if found["source"] == "state" else "of this measure's past years"
    return f"{found['share']}% {who} improved at least that fast"


def _line(baseline: Mapping, target: Mapping, start: Any) -> dict[str, Any] | None:
    values = (baseline.get("value"), baseline.get("year"), target.get("value"), target.get("year"))
    if not all(is_number(v) for v in values) or not is_number(start):
        return None
    if values[3] <= values[1] or start > values[3]:
        return None
    return planning.straight_line(values[0], values[1], values[2], values[3], start)


def render_json(forecasts: list[MeasureForecast]) -> str:
    return json.dumps({"version": 1, "measures": [asdict(f) for f in forecasts]}, indent=2, ensure_ascii=False) + "\n"


def render_text(forecasts: list[MeasureForecast]) -> str:
    if not forecasts:
        return "The plan has no measures to forecast.\n"
    return "\n".join(_block(f) for f in forecasts)


def _show(value: Any) -> str:
    if value is None:
        return "-"
    return format_number(value) if is_number(value) else str(value)


def _block(f: MeasureForecast) -> str:
    unit = f" ({f.unit}, {f.direction})" if f.unit else ""
    rows = [
        ("history", ", ".join(f"{y}: {_show(v)}" for y, v in f.history.items()) or "none"),
        ("average annual change", _show(f.average_annual_change)),
        (f"status quo projection {_show(f.projection_year)}",
         f"{_show(f.projection)} (the plan states {_show(f.stated_projection)})"),
        ("baseline", f"{_show(f.baseline)} ({_show(f.baseline_year)})"
         + (f", percentile rank {_show(f.percentile_rank)} in the state" if f.percentile_rank is not None else "")),
        (f"target {_show(f.target_year)}", _show(f.target)),
        ("required annual change", _show(f.required_annual_change)),
        ("feasibility", (f"{f.feasibility}: {f.feasibility_basis}" if f.feasibility else
                         "not judged: give state data (--state-data), or six years of history")
         + f" (the plan says {_show(f.stated_feasibility)})"),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{f.id}: {f.name}{unit}"] + [f"  {label.ljust(width)}  {value}" for label, value in rows]
    if f.computation:
        lines.append(f"  {'how'.ljust(width)}  {f.computation}")
    if f.suggested_trajectory:
        line = {int(year): value for year, value in f.suggested_trajectory.items()}
        pasted = yaml.safe_dump({"trajectory": line}, default_flow_style=None, sort_keys=False)
        lines.append("  a straight line from the baseline to the target, to paste into the plan:")
        lines += [f"    {line}" for line in pasted.rstrip().splitlines()]
    return "\n".join(lines) + "\n"
