"""Command line: click commands that parse their options into a settings object and call the function
that runs it (check_command, forecast_command, rule_info); exit codes 0 clean, 1 findings, 2 usage."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import click

from planlint import __version__
from planlint.config_error import ConfigError
from planlint.findings import Severity
from planlint.check_command import (
    CI_WRITES, EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, FORMAT, OUTPUT, SHOW_FILES, SHOW_SETTINGS, CheckSettings,
    pair_outputs, report_config_error, run_check,
)
from planlint.pipeline import Profiles, Settings
from planlint.reporters import FORMATS
from planlint.write_guard import Refused, named_files, plan_files, refuse_writing_over_inputs

if TYPE_CHECKING:
    from planlint.config import Profile

# Each command imports what only it needs (rule_info, baseline, progress, the result cache) when it
# runs: `planlint check` on one file, as a pre-commit hook runs it, starts no slower for the others.

CHECK_EPILOG = """\b
Examples:
  planlint check plan.yaml               check one plan
  planlint check plans/                  check every plan (*.yaml / *.yml) below a folder
  planlint check --concise plans/        one line per finding
  planlint check --format json plan.yaml > findings.json
  planlint check -f html -o report.html submissions/   the reviewer's report
  planlint check -f csv -o scorecard.csv submissions/  one row per plan and criterion
  cat plan.yaml | planlint check -       read a plan from standard input

\b
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or configuration error.
"""


def _use_color(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):  # colour in piped output, as CI logs that render it ask
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


class _Planlint(click.Group):
    """A broken config, rule, framework, state data or baseline file is shown with its place, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            os.getcwd()
        except FileNotFoundError:  # the folder planlint was started in was removed: nothing relative can be found
            click.echo("planlint: error: the current folder no longer exists; change to a folder that does "
                       "and run planlint again", err=True)
            sys.exit(EXIT_USAGE)
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            report_config_error(exc, ctx.meta.get(CI_WRITES, ()))
            click.echo(exc.render(), err=True)
            sys.exit(EXIT_USAGE)


@click.group(cls=_Planlint, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="planlint")
def main() -> None:
    """Check school-improvement plans (YAML) against the criteria for a good plan."""


def _selectors(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


def _settings(config: str | None, no_config: bool, **overrides: Any) -> Settings:
    given = tuple((key, value) for key, value in overrides.items() if value is not None)
    return Settings(config_file=Path(config) if config else None, isolated=no_config, overrides=given)


config_option = click.option("--config", type=click.Path(exists=True, dir_okay=False),
                             help="Use this configuration file instead of searching for one.")
no_config_option = click.option("--no-config", is_flag=True, help="Ignore configuration files.")


class _FormatsInOrder(click.Command):
    """Keeps the order of --format and --output on the command line (click's parser reports it, then
    forgets), so that each --output pairs with the --format just before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        _, _, order = self.make_parser(ctx).parse_args(args=list(args))
        kinds = {"formats": FORMAT, "outputs": OUTPUT}
        ctx.meta[_OPTION_ORDER] = tuple(kinds[param.name] for param in order if param.name in kinds)
        return super().parse_args(ctx, args)


_OPTION_ORDER = "planlint.option_order"


@main.command(cls=_FormatsInOrder, epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, required=True)
@click.option("-f", "--format", "formats", type=click.Choice(list(FORMATS) + ["auto"]), multiple=True,
              help="Output format; repeat it, each with its own --output, to write several.  [default: auto: "
                   "github inside GitHub Actions, else text]")
@click.option("-o", "--output", "outputs", type=click.Path(dir_okay=False, writable=True), multiple=True,
              help="Write the --format given just before this option to FILE instead of standard output.")
@click.option("--concise", is_flag=True, help="One line per finding, without the source excerpt.")
@click.option("--statistics", is_flag=True,
              help="Instead of the findings, count them per rule: how many, in how many files (for batches).")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no source excerpt, no summary.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Exit 1 when a finding has at least this severity.  [default: error, or the config's]")
@click.option("--select", help="Run only these rules: codes, prefixes, names or packs, comma-separated.")
@click.option("--extend-select", help="Run these rules too.")
@click.option("--ignore", help="Do not run these rules.")
@click.option("--exclude", "excludes", multiple=True,
              help="Do not check files or folders matching this pattern when their folder is checked "
                   "(drafts/, '**/old-*.yaml'); repeat it for several. Adds to the config's `exclude`.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=None,
              help="Largest plan file to read, in bytes.  [default: 5000000]")
@click.option("--state-data", type=click.Path(exists=True, dir_okay=False),
              help="A CSV of the state's data (system,measure,year,value): judge feasibility against it.")
@click.option("--as-of", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="Report on benchmarks whose date has passed by this day (YYYY-MM-DD).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Check files in this many processes (0: one per CPU). The output does not change.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False),
              help="Report only findings that are not in this baseline (made by `planlint baseline`).")
@config_option
@no_config_option
@click.option("--color/--no-color", default=None, help="Colour the text output (default: only on a terminal; "
                                                       "NO_COLOR or TERM=dumb turns it off, FORCE_COLOR on).")
@click.option("--force-exclude", is_flag=True,
              help="Apply `exclude` to files named on the command line too (for hooks, which name every file).")
@click.option("--stdin-filename", default="<stdin>", show_default=True,
              help="The file a plan read from standard input (-) stands for: its name in findings, and the "
                   "configuration and per-file-ignores that apply to it.")
@click.option("--show-files", is_flag=True, help="List the plan files this run would check, and stop.")
@click.option("--show-settings", is_flag=True,
              help="Show the settings that apply to each plan this run would check, and the file each comes from; "
                   "then stop.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means a usage or "
                                                "configuration error).")
@click.option("--fix", "fix_first", is_flag=True,
              help="Fix what planlint can (as `planlint fix` does) in the files, then report what is left.")
@click.option("--no-cache", is_flag=True, help="Check every file again instead of reusing the results of a run "
                                               "over unchanged files (PLANLINT_NO_CACHE=1 does the same).")
def check(paths: tuple[str, ...], formats: tuple[str, ...], outputs: tuple[str, ...], concise: bool,
          statistics: bool, quiet: bool, fail_on: str | None, select: str | None, extend_select: str | None,
          ignore: str | None, excludes: tuple[str, ...], max_file_size: int | None, state_data: str | None,
          as_of: Any, jobs: int, baseline_file: str | None, config: str | None, no_config: bool,
          color: bool | None, force_exclude: bool, stdin_filename: str, show_files: bool, show_settings: bool,
          exit_zero: bool, fix_first: bool, no_cache: bool) -> None:
    """Check plan files and folders of plans (YAML files that are not plans are passed over)."""
    from planlint import progress, resultcache

    pipeline = _settings(config, no_config, **{"select": _selectors(select), "ignore": _selectors(ignore),
                                               "extend-select": _selectors(extend_select),
                                               "max-file-size": max_file_size,
                                               "state-data": str(Path(state_data).resolve()) if state_data else None,
                                               "as-of": as_of.date().isoformat() if as_of else None})
    with _usage_errors():
        writes = pair_outputs(click.get_current_context().meta[_OPTION_ORDER], formats, outputs,
                              statistics=statistics, in_github_actions=os.environ.get("GITHUB_ACTIONS") == "true")
        cache = None if no_cache else resultcache.cache_folder(paths)
        settings = CheckSettings(
            paths=paths, writes=writes, concise=concise, quiet=quiet, show=_show(show_files, show_settings),
            pipeline=replace(pipeline, exclude=excludes, force_exclude=force_exclude,
                             cache_dir=str(cache) if cache else None,
                             charts=any(write.report == "html" for write in writes)),
            exit_zero=exit_zero, progress=progress.wanted(sys.stderr, quiet=quiet),
            color=_use_color(color), fail_on=Severity.parse(fail_on) if fail_on else None, jobs=jobs,
            baseline=baseline_file, state_data=state_data, config=config, stdin_name=stdin_filename,
            step_summary=os.environ.get("GITHUB_STEP_SUMMARY") or None, fix=fix_first)
        click.get_current_context().meta[CI_WRITES] = settings.writes  # where a configuration error is shown too
        sys.exit(run_check(settings, stdin=sys.stdin.buffer))


def _show(files: bool, settings: bool) -> str | None:
    return SHOW_SETTINGS if settings else SHOW_FILES if files else None


@contextmanager
def _usage_errors() -> Iterator[None]:
    """A refusal is a usage error: click shows it with the command's usage line, exit 2."""
    try:
        yield
    except Refused as exc:
        raise click.UsageError(str(exc)) from None


@main.command("fix", epilog="""\b
Examples:
  planlint fix plan.yaml                 fix the plan in place
  planlint fix --diff plans/             show what would change, change nothing

\b
Exit codes: 0 done; 1 with --diff, something would change; 1 a plan could not be fixed; 2 usage error.
""")
@click.argument("paths", nargs=-1, required=True)
@click.option("--diff", is_flag=True, help="Print the changes as a unified diff and write nothing.")
@click.option("--exclude", "excludes", multiple=True,
              help="Do not fix files or folders matching this pattern when their folder is named; repeatable.")
@config_option
@no_config_option
@click.option("--stdin-filename", default="<stdin>", show_default=True,
              help="The name to show for a plan read from standard input (-), which is fixed to standard output.")
def fix(paths: tuple[str, ...], diff: bool, excludes: tuple[str, ...], config: str | None, no_config: bool,
        stdin_filename: str) -> None:
    """Fix what has one right answer, keeping every comment and the rest of each file as it is.

    A number written with its unit (45%) becomes the number; a year missing between two years of a
    trajectory gets the straight-line value; a status quo projection the history contradicts becomes
    the formula's; a value other YAML tools read differently (036, yes) is quoted where text is
    meant. `planlint rules` shows which rules have a fix.
    """
    from planlint.fixes.command import FixSettings, run_fix

    settings = FixSettings(paths=paths, pipeline=replace(_settings(config, no_config), exclude=excludes), diff=diff,
                           stdin_name=stdin_filename)
    sys.exit(run_fix(settings, stdin=sys.stdin.buffer))


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_option
@no_config_option
def rules_command(output_format: str, config: str | None, no_config: bool) -> None:
    """List every rule: code, name, pack, severity, and whether it is on under the current configuration."""
    from planlint import rule_info

    profile = _profile(_settings(config, no_config))
    click.echo(rule_info.rules_table(profile, output_format), nl=False)


@main.command()
@click.argument("rule")
@config_option
@no_config_option
def explain(rule: str, config: str | None, no_config: bool) -> None:
    """Explain a rule (by code or name) or a framework (by id): what it checks, why, what to do."""
    from planlint import rule_info

    profile = _profile(_settings(config, no_config))
    text = rule_info.explain(profile, rule)
    if text is None:
        click.echo(f"planlint: error: no rule or framework is called {rule!r}; `planlint rules` and "
                   "`planlint frameworks` list them.", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(text, nl=False)


@main.command("frameworks")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_option
@no_config_option
def frameworks_command(output_format: str, config: str | None, no_config: bool) -> None:
    """List the frameworks (goal sets) plans can align with: built in, and added by the configuration."""
    from planlint import frameworks

    profile = _profile(_settings(config, no_config))
    click.echo(frameworks.frameworks_table(profile.engine.facts.frameworks, output_format), nl=False)


@main.command("test-rules")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False))
def test_rules(folders: tuple[str, ...]) -> None:
    """Run every rule's own pass and fail examples and report any that disagree.

    With FOLDERS, test the rules in those folders (a state's own pack); without, the shipped rules.
    """
    from planlint import rule_info
    from planlint.rules import load_rules

    rules = load_rules([Path(f) for f in folders], builtin=not folders)
    report, failed = rule_info.test_rules_report(rules)
    click.echo(report, nl=False)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _profile(settings: Settings) -> Profile:
    """The profile of the configuration found from the current folder."""
    return Profiles(settings).for_folder(Path.cwd())


@main.command("forecast")
@click.argument("plan", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--state-data", type=click.Path(exists=True, dir_okay=False),
              help="A CSV of the state's data: feasibility and percentile ranks against the state's systems.  "
                   "[default: the config's state-data]")
@click.option("--forecast-years", type=click.IntRange(min=1),
              help="Add this many years of average change to the latest value (the guide's worksheet uses 5). "
                   "Default: the config's TGT005 forecast_years, else the years from the latest history year to "
                   "the projection year.")
@config_option
@no_config_option
def forecast_command(plan: str, output_format: str, state_data: str | None, forecast_years: int | None,
                     config: str | None, no_config: bool) -> None:
    """Forecast every measure of a plan: history, status quo projection, required change, feasibility,
    and a suggested year-by-year trajectory to paste into the plan.

    The configuration is the one `check` uses for the plan: its state-data, and the options of
    TGT005 (forecast_years) and TGT007 (cuts, min_history_changes).
    """
    from planlint import forecast
    from planlint.forecast_command import ForecastSettings, run_forecast

    pipeline = _settings(config, no_config, **forecast.CONFIG_OVERRIDES,
                         **{"state-data": str(Path(state_data).resolve()) if state_data else None})
    settings = ForecastSettings(plan=plan, output_format=output_format, pipeline=pipeline,
                                forecast_years=forecast_years, state_data=state_data, config=config)
    with _usage_errors():
        code = run_forecast(settings, stdin=sys.stdin.buffer)
    sys.exit(code)


@main.command("baseline")
@click.argument("paths", nargs=-1, required=True)
@config_option
@no_config_option
def baseline_command(paths: tuple[str, ...], config: str | None, no_config: bool) -> None:
    """Record today's findings, to report only new ones later with `check --baseline FILE`.

    \b
    Example:
      planlint baseline submissions/ > planlint-baseline.json
      planlint check --baseline planlint-baseline.json submissions/
    """
    from planlint import baseline
    from planlint.pipeline import check_paths

    with _usage_errors():
        refuse_writing_over_inputs([None], lambda: plan_files(paths) + named_files(config=config))
    results = check_paths(paths, Profiles(_settings(config, no_config)), stdin=sys.stdin.buffer)
    click.echo(baseline.render(results), nl=False)


@main.command("server")
def server_command() -> None:
    """Speak the Language Server Protocol on standard input and output, for editors: findings as a plan
    is typed, and each rule's why and what to do on hover. Needs the `server` extra (pygls)."""
    from planlint.server import serve

    serve()


@main.command("schema")
@click.option("--kind", type=click.Choice(["plan", "rule", "config", "framework", "rubric"]), default="plan",
              show_default=True)
def schema_command(kind: str) -> None:
    """Print a JSON Schema: the plan format (for editors), or the rule, config, framework or rubric file format."""
    from planlint.resources import schema_path

    click.echo(schema_path(f"{kind}.schema.json").read_text(encoding="utf-8"), nl=False)


def _school_year_option(value: str | None) -> int | None:
    from planlint.prepare import school_year

    if value is None:
        return None
    year = int(value) if value.isdigit() else school_year(value)
    if year is None or not 1990 <= year <= 2100:
        raise click.BadParameter(f"{value!r} is not a school year such as 2026 or 2025-26 (1990 to 2100).")
    return year  # as written: a SchoolYear for 2025-26, so that the output names it so


@main.command("explain-benchmark")
@click.argument("sentence")
@click.option("--period-start", callback=lambda _c, _p, v: _school_year_option(v),
              help="The plan's first school year (2023 or 2022-23), for dates written without a year.")
def explain_benchmark(sentence: str, period_start: int | None) -> None:
    """Show what planlint reads from an implementation benchmark sentence, what is missing, and the frame.

    Exits 0 for a sentence that follows the frame with nothing missing or wrong (a tool left
    unnamed is only a note), else 1.

    \b
    Example:
      planlint explain-benchmark "By September 15, an audit of daily lesson plans will show that 70% of
      teachers are incorporating language objectives into their daily lesson plans."
    """
    from planlint.benchmark import explain_sentence, sentence_holds

    click.echo(explain_sentence(sentence, period_start))
    if not sentence_holds(sentence, period_start):
        raise SystemExit(1)
