"""`planlint check` without click: the settings the command line gave, in; reports written and an exit
code, out. The click layer in cli.py only turns options into a CheckSettings."""

from __future__ import annotations

import sys
from dataclasses import field
from pathlib import Path
from collections.abc import Sequence
from typing import BinaryIO

import click

from planlint import rule_info
from planlint.findings import Severity
from planlint.config_error import ConfigError
from planlint.frozen import frozen
from planlint.pipeline import Profiles, Settings, check_paths, plan_targets
from planlint.reporters import REPORTERS, STATISTICS, ReportOptions
from planlint.write_guard import Refused, configured_files, named_files, plan_files, refuse_writing_over_inputs

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FORMAT, OUTPUT = "format", "output"  # what each --format and --output on the command line was, in order
SHOW_FILES, SHOW_SETTINGS = "files", "settings"  # --show-files, --show-settings: say what a run would do, and stop
CI_WRITES = "planlint.writes"  # the click context's note of a check's writes, for a configuration error


@frozen
class Write:
    report: str  # a name in REPORTERS
    output: str | None = None  # a file; None: standard output


@frozen
class CheckSettings:
    """Everything `planlint check` was asked for, with the environment already read (formats resolved,
    colour decided, the step summary's file named)."""

    paths: tuple[str, ...]
    writes: tuple[Write, ...] = (Write("text"),)
    pipeline: Settings = field(default_factory=Settings)
    concise: bool = False
    quiet: bool = False
    color: bool = False  # for standard output only: a file never gets colour codes
    fail_on: Severity | None = None  # None: the configuration's, else error
    jobs: int = 1
    baseline: str | None = None
    state_data: str | None = None  # as named on the command line, so that no report goes over it
    config: str | None = None
    stdin_name: str = "<stdin>"
    step_summary: str | None = None  # where a github report appends its Markdown summary ($GITHUB_STEP_SUMMARY)
    progress: bool = False  # show `done/total file` on standard error while files are checked
    show: str | None = None  # SHOW_FILES or SHOW_SETTINGS
    exit_zero: bool = False  # findings never fail the run (a usage or configuration error still does)
    fix: bool = False  # fix the plans first (check --fix), then report what is left


def pair_outputs(order: Sequence[str], formats: Sequence[str], outputs: Sequence[str], *, statistics: bool = False,
                 in_github_actions: bool = False) -> tuple[Write, ...]:
    """Each --output FILE belongs to the --format just before it; other formats go to standard output.

    `order` says, for each --format and --output on the command line, which it was (FORMAT or OUTPUT);
    `formats` and `outputs` hold their values in the same order. `auto` is github inside GitHub Actions,
    else text; with `statistics` the text, Markdown or JSON report is the per-rule counts instead, and another
    format is refused."""
    pending_formats, pending_outputs = iter(formats), iter(outputs)
    pairs: list[list] = []
    for kind in order:
        if kind == FORMAT:
            pairs.append([next(pending_formats), None])
        elif not pairs or pairs[-1][1] is not None:
            raise Refused("each --output follows the --format it writes, as in --format sarif --output "
                          "findings.sarif.")
        else:
            pairs[-1][1] = next(pending_outputs)
    pairs = pairs or [["auto", None]]
    if sum(1 for _, output in pairs if output is None) > 1:
        raise Refused("only one format can go to standard output; give the others an --output file.")
    return tuple(Write(_report(name, statistics, in_github_actions), output) for name, output in pairs)


def _report(format_name: str, statistics: bool, in_github_actions: bool) -> str:
    if format_name == "auto":
        format_name = "github" if in_github_actions else "text"
    if not statistics:
        return format_name
    if format_name == "github":  # the counts go to the log; the step summary still lists the findings
        return "statistics"
    if format_name not in STATISTICS:
        raise Refused(f"--statistics works with the formats {', '.join(sorted(STATISTICS))}.")
    return STATISTICS[format_name]


def run_check(settings: CheckSettings, *, stdin: BinaryIO) -> int:
    """Check the plans, write every report, and return the exit code. Raises Refused before any work
    when a report would go over a file the run reads."""
    profiles = Profiles(settings.pipeline)
    refuse_writing_over_inputs([write.output for write in settings.writes], lambda: plan_files(settings.paths) + named_files(
        baseline=settings.baseline, state_data=settings.state_data, config=settings.config)
        + configured_files(settings.paths, profiles))
    if settings.show is not None:
        return _show(settings, profiles)
    if settings.fix:
        from planlint.fixes.command import fix_before_check

        fix_before_check(settings.paths, profiles, quiet=settings.quiet)
    shown = None
    if settings.progress:  # a terminal that is watched: the only runs that import the progress line
        from planlint.progress import Progress

        shown = Progress(sys.stderr)
    try:
        results = check_paths(settings.paths, profiles, stdin=stdin, stdin_name=settings.stdin_name,
                              jobs=settings.jobs, progress=shown)
    finally:
        if shown is not None:
            shown.close()
    if settings.baseline:
        from planlint import baseline

        results = baseline.apply(results, baseline.load(Path(settings.baseline)))
    rule_docs = rule_info.rule_docs(profiles.built())
    for write in settings.writes:
        options = ReportOptions(color=settings.color and write.output is None, concise=settings.concise,
                                quiet=settings.quiet, rules=rule_docs, fail_on=settings.fail_on)
        write_report(REPORTERS[write.report](results, options), write.output, color=options.color)
        if write.report == "github" and settings.step_summary:
            append_report(REPORTERS["github-step-summary"](results, options), settings.step_summary)
    return EXIT_CLEAN if settings.exit_zero else results.exit_code(settings.fail_on)


def _show(settings: CheckSettings, profiles: Profiles) -> int:
    from planlint import show_settings

    targets = plan_targets(settings.paths, profiles, stdin_name=settings.stdin_name)
    click.echo(show_settings.render(targets, profiles) if settings.show == SHOW_SETTINGS else
               "".join(f"{target.name}\n" for target in targets), nl=False)
    return EXIT_CLEAN


def report_config_error(error: ConfigError, writes: Sequence[Write]) -> None:
    """CI reads SARIF and annotations, not standard error: a configuration error is written there too."""
    from planlint.reporters import failed_run

    for write in writes:
        if write.report in failed_run.RENDERERS:
            write_report(failed_run.RENDERERS[write.report](error), write.output, color=False)


def write_report(text: str, output: str | None, *, color: bool) -> None:
    """To standard output or a file; a file that cannot be written ends the run with exit 2."""
    if output is None:
        click.echo(text, nl=False, color=color)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"planlint: error: cannot write {output}: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_USAGE) from None


def append_report(text: str, path: str) -> None:
    """A step summary that cannot be written is a warning: the check itself went through."""
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        click.echo(f"planlint: warning: cannot write the step summary to {path}: {exc.strerror or exc}", err=True)
