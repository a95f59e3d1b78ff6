"""`planlint forecast` without click: the settings the command line gave, in; the worksheet, out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import click

from planlint import forecast
from planlint.check_command import EXIT_FINDINGS
from planlint.config import Profile
from planlint.findings import FileResult, Finding, Results, sort_findings
from planlint.pipeline import STDIN, Profiles, Settings, Target, read_target
from planlint.reporters import text
from planlint.write_guard import named_files, refuse_writing_over_inputs


@dataclass(frozen=True)
class ForecastSettings:
    plan: str  # a file, or "-" for standard input
    output_format: str = "text"  # text or json
    pipeline: Settings = field(default_factory=Settings)  # with forecast.CONFIG_OVERRIDES among its overrides
    forecast_years: int | None = None
    state_data: str | None = None  # as named on the command line, so that the output never goes over it
    config: str | None = None


def run_forecast(settings: ForecastSettings, *, stdin: BinaryIO) -> int:
    """Print the forecast of every measure and return the exit code: 0, or 1 for a plan that cannot
    be read (reported as `check` reports it). Raises Refused when standard output goes to a file the
    forecast reads."""
    target = Target("<stdin>", None) if settings.plan == STDIN else Target(settings.plan, Path(settings.plan))
    plans = [("the plan being forecast", settings.plan)] if target.path is not None else []
    refuse_writing_over_inputs([None], lambda: plans + named_files(state_data=settings.state_data,
                                                                   config=settings.config))
    profile = Profiles(settings.pipeline).for_target(target)
    options = forecast.options_for(profile, forecast_years=settings.forecast_years)
    data = _plan_data(target, profile, stdin)
    if data is None:
        return EXIT_FINDINGS
    forecasts = forecast.forecast_plan(data, options)
    if settings.output_format == "json":
        click.echo(forecast.render_json(forecasts), nl=False)
    else:
        click.echo(forecast.render_text(forecasts, min_changes=options.min_changes), nl=False)
    return 0


def _plan_data(target: Target, profile: Profile, stdin: BinaryIO) -> Any | None:
    """The plan's data; None for a plan that cannot be read or loaded, reported as `check` reports it."""
    from planlint.loader import load_bytes

    raw = read_target(target, profile.limits, stdin)
    loaded = None if isinstance(raw, Finding) else load_bytes(raw, target.name, profile.limits)
    if loaded is not None and loaded.document is not None:
        from planlint.prepare import read_school_years  # 2025-26 is the year 2026 here as in `check`

        return read_school_years(loaded.document, profile.plan_schema).data
    findings = (raw,) if loaded is None else loaded.findings
    result = FileResult(target.name, sort_findings(findings), source=loaded.text if loaded else None)
    click.echo(text.render(Results((result,))), err=True, nl=False)
    return None
