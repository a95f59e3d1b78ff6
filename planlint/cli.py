"""Command line: parse options into settings, run the pipeline, print a report, exit with its code."""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Sequence

import click

from planlint import __version__
from planlint.errors import ConfigError
from planlint.findings import FileResult, Finding, Results, Severity, sort_findings
from planlint import baseline, commands
from planlint.config import Profile
from planlint.pipeline import STDIN, Profiles, Settings, Target, check_paths, discover, read_target
from planlint.rules import load_rules
from planlint.reporters import REPORTERS, ReportOptions, github, text

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

CHECK_EPILOG = """\b
Examples:
  planlint check plan.yaml               check one plan
  planlint check plans/                  check every *.yaml / *.yml below a folder
  planlint check --concise plans/        one line per finding
  planlint check --format json plan.yaml > findings.json
  cat plan.yaml | planlint check -       read a plan from standard input

\b
Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage or configuration error.
"""


def _use_color(choice: bool | None) -> bool:
    if choice is not None:
        return choice
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


class _Planlint(click.Group):
    """A broken config, rule, framework, state data or baseline file is shown with its place, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as exc:
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


class _OrderedOutputs(click.Command):
    """Keeps the raw arguments, so that each --output pairs with the --format just before it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["raw_args"] = list(args)
        return super().parse_args(ctx, args)


@main.command(cls=_OrderedOutputs, epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, required=True)
@click.option("-f", "--format", "formats", type=click.Choice(sorted(REPORTERS) + ["auto"]), multiple=True,
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
                                                       "NO_COLOR turns it off).")
@click.option("--stdin-filename", default="<stdin>", show_default=True,
              help="The name to show for a plan read from standard input (-).")
def check(paths: tuple[str, ...], formats: tuple[str, ...], outputs: tuple[str, ...], concise: bool,
          statistics: bool, quiet: bool,
          fail_on: str | None,
          select: str | None, extend_select: str | None, ignore: str | None, excludes: tuple[str, ...],
          max_file_size: int | None, state_data: str | None, as_of: Any, jobs: int, baseline_file: str | None, config: str | None, no_config: bool,
          color: bool | None, stdin_filename: str) -> None:
    """Check plan files and folders of plans."""
    del formats, outputs  # declared for --help and validation; paired in command-line order from the raw args
    settings = _settings(config, no_config, **{"select": _selectors(select), "ignore": _selectors(ignore),
                                               "extend-select": _selectors(extend_select),
                                               "max-file-size": max_file_size,
                                               "state-data": str(Path(state_data).resolve()) if state_data else None,
                                               "as-of": as_of.date().isoformat() if as_of else None})
    settings = replace(settings, exclude=excludes)
    writes = _pair_outputs(click.get_current_context().meta["raw_args"])
    profiles = Profiles(settings)
    _refuse_writing_over_inputs([output for _, output in writes], lambda: _plan_files(paths) + _named_files(
        baseline=baseline_file, state_data=state_data, config=config) + _configured_files(paths, profiles))
    results = check_paths(paths, profiles, stdin=sys.stdin.buffer, stdin_name=stdin_filename, jobs=jobs)
    if baseline_file:
        results = baseline.apply(results, baseline.load(Path(baseline_file)))
    rule_docs = commands.rule_docs(profiles.built())
    for output_format, output in writes:
        options = ReportOptions(color=_use_color(color) and output is None, concise=concise, quiet=quiet,
                                rules=rule_docs)
        report = text.statistics(results) if statistics and output_format == "text" else \
            REPORTERS[output_format](results, options)
        _write(report, output, color=options.color)
        if output_format == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
            _append(github.step_summary(results, options), os.environ["GITHUB_STEP_SUMMARY"])
    sys.exit(results.exit_code(Severity.parse(fail_on) if fail_on else None))


def _pair_outputs(raw_args: list[str]) -> list[tuple[str, str | None]]:
    """Each --output FILE belongs to the --format just before it; other formats go to standard output."""
    pairs: list[list] = []
    words = iter(raw_args[:raw_args.index("--")] if "--" in raw_args else raw_args)
    for word in words:
        name, _, inline = word.partition("=")
        if name in ("-f", "--format") or (word.startswith("-f") and len(word) > 2 and not word.startswith("--")):
            value = inline or (word[2:] if name not in ("-f", "--format") else next(words, ""))
            pairs.append([_resolve_format(value), None])
        elif name in ("-o", "--output") or (word.startswith("-o") and len(word) > 2 and not word.startswith("--")):
            value = inline or (word[2:] if name not in ("-o", "--output") else next(words, ""))
            if not pairs or pairs[-1][1] is not None:
                raise click.UsageError("each --output follows the --format it writes, as in --format sarif --output "
                                       "findings.sarif.")
            pairs[-1][1] = value
    pairs = pairs or [[_resolve_format("auto"), None]]
    if sum(1 for _, output in pairs if output is None) > 1:
        raise click.UsageError("only one format can go to standard output; give the others an --output file.")
    return [(f, o) for f, o in pairs]


def _plan_files(paths: Sequence[str]) -> list[tuple[str, str]]:
    """The plan files a run reads: named, and found in the folders named."""
    targets, _ = discover(paths)
    return [("a plan being checked", target.name) for target in targets if target.path is not None]


def _configured_files(paths: Sequence[str], profiles: Profiles) -> list[tuple[str, str]]:
    """The configurations the plans fall under, and the rule, framework and data files they name."""
    targets, _ = discover(paths)
    for target in targets:
        profiles.for_target(target)
    return [(what, str(path)) for profile in profiles.built() for what, path in profile.reads]


def _named_files(**named: str | None) -> list[tuple[str, str]]:
    """Other files named on the command line that the run reads (baseline, state data, configuration)."""
    return [(f"the --{option.replace('_', '-')} file", path) for option, path in named.items() if path]


def _refuse_writing_over_inputs(outputs: Sequence[str | None], reads: Callable[[], list[tuple[str, str]]]) -> None:
    """A report written over a file the run reads destroys it (`check -f json -o plan.yaml plan.yaml`): a usage
    error, before any work. None in `outputs` is standard output, which the shell may have pointed at a plan."""
    written = [(output, _file_identity(output) if output is not None else _stdout_identity()) for output in outputs]
    written = [(output, identity) for output, identity in written if identity]
    if not written:
        return
    for what, name in reads():
        identity = _file_identity(name)
        for output, same in written:
            if not identity & same:
                continue
            if output is None:
                raise click.UsageError(f"standard output goes to {name}, {what}, and planlint does not write over a "
                                       f"file it reads. Send the output to another file (if you used `>`, the shell "
                                       f"has already emptied {name}: restore it from a copy).")
            also = "" if output == name else f" ({name})"
            raise click.UsageError(f"--output {output} is {what}{also}, and planlint does not write a report over a "
                                   "file it reads. Write the report to another file.")


def _file_identity(path: str) -> set[Any]:
    """What makes two names the same file: the resolved path, and the device and inode when it exists
    (a hard link or a case-insensitive disk gives one file two names)."""
    identity: set[Any] = set()
    try:
        identity.add(str(Path(path).resolve()))
        found = os.stat(path)
    except (OSError, RuntimeError, ValueError):  # not there yet, a link that loops, a NUL in the name
        return identity
    if found.st_ino:
        identity.add((found.st_dev, found.st_ino))
    return identity


def _stdout_identity() -> set[Any]:
    """The file standard output goes to, when it is a regular file (`planlint baseline plans/ > x.json`)."""
    try:
        found = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file descriptor (a test runner's buffer)
        return set()
    return {(found.st_dev, found.st_ino)} if stat.S_ISREG(found.st_mode) and found.st_ino else set()


def _resolve_format(name: str) -> str:
    if name != "auto":
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _write(text: str, output: str | None, *, color: bool) -> None:
    if output is None:
        click.echo(text, nl=False, color=color)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"planlint: error: cannot write {output}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)


def _append(text: str, path: str) -> None:
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        click.echo(f"planlint: warning: cannot write the step summary to {path}: {exc.strerror or exc}", err=True)


@main.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@config_option
@no_config_option
def rules_command(output_format: str, config: str | None, no_config: bool) -> None:
    """List every rule: code, name, pack, severity, and whether it is on under the current configuration."""
    profile = _profile(_settings(config, no_config))
    click.echo(commands.rules_table(profile, output_format), nl=False)


@main.command()
@click.argument("rule")
@config_option
@no_config_option
def explain(rule: str, config: str | None, no_config: bool) -> None:
    """Explain a rule (by code or name) or a framework (by id): what it checks, why, what to do."""
    from planlint import frameworks

    profile = _profile(_settings(config, no_config))
    text = commands.explain(profile, rule)
    if text is None:
        framework = profile.engine.extras["frameworks"].get(rule)
        text = frameworks.explain_framework(framework) if framework is not None else None
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
    click.echo(frameworks.frameworks_table(profile.engine.extras["frameworks"], output_format), nl=False)


@main.command("test-rules")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False))
def test_rules(folders: tuple[str, ...]) -> None:
    """Run every rule's own pass and fail examples and report any that disagree.

    With FOLDERS, test the rules in those folders (a state's own pack); without, the shipped rules.
    """
    rules = load_rules([Path(f) for f in folders], builtin=not folders)
    report, failed = commands.test_rules_report(rules)
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

    target = Target("<stdin>", None) if plan == STDIN else Target(plan, Path(plan))
    plans = [("the plan being forecast", plan)] if target.path is not None else []
    _refuse_writing_over_inputs([None], lambda: plans + _named_files(state_data=state_data, config=config))
    settings = _settings(config, no_config, **forecast.CONFIG_OVERRIDES,
                         **{"state-data": str(Path(state_data).resolve()) if state_data else None})
    profile = Profiles(settings).for_target(target)
    options = forecast.options_for(profile, forecast_years=forecast_years)
    forecasts = forecast.forecast_plan(_plan_data(target, profile), options)
    if output_format == "json":
        click.echo(forecast.render_json(forecasts), nl=False)
    else:
        click.echo(forecast.render_text(forecasts, min_changes=options.min_changes), nl=False)


def _plan_data(target: Target, profile: Profile) -> Any:
    """The plan's data; a plan that cannot be read or loaded is reported as `check` reports it, exit 1."""
    from planlint.loader import load_bytes

    raw = read_target(target, profile.limits, sys.stdin.buffer)
    loaded = None if isinstance(raw, Finding) else load_bytes(raw, target.name, profile.limits)
    if loaded is not None and loaded.document is not None:
        return loaded.document.data
    findings = (raw,) if loaded is None else loaded.findings
    result = FileResult(target.name, sort_findings(findings), source=loaded.text if loaded else None)
    click.echo(text.render(Results((result,))), err=True, nl=False)
    sys.exit(EXIT_FINDINGS)


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
    _refuse_writing_over_inputs([None], lambda: _plan_files(paths) + _named_files(config=config))
    results = check_paths(paths, Profiles(_settings(config, no_config)), stdin=sys.stdin.buffer)
    click.echo(baseline.render(results), nl=False)


@main.command("schema")
@click.option("--kind", type=click.Choice(["plan", "rule", "config", "framework"]), default="plan", show_default=True)
def schema_command(kind: str) -> None:
    """Print a JSON Schema: the plan format (for editors), or the rule, config or framework file format."""
    from planlint.resources import schema_path

    click.echo(schema_path(f"{kind}.schema.json").read_text(encoding="utf-8"), nl=False)


@main.command("explain-benchmark")
@click.argument("sentence")
@click.option("--period-start", type=click.IntRange(1990, 2100),
              help="The plan's first school year (2023 means 2022-23), for dates written without a year.")
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
