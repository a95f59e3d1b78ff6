"""`planlint fix` and `check --fix` without click: fix every plan named, then say what was done, in
words and places. The click layer in cli.py only turns options into a FixSettings."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any, BinaryIO

import click

from planlint.findings import FileResult, Results, sort_findings
from planlint.fixes.edits import Source
from planlint.fixes.files import FileFix, fix_target, unified_diff, write_fixed
from planlint.pipeline import STDIN, Profiles, Settings, select_targets
from planlint.printable import printable
from planlint.reporters import text as text_report


EXIT_DONE, EXIT_NOT_DONE = 0, 1


@dataclass(frozen=True)
class FixSettings:
    """Everything `planlint fix` was asked for."""

    paths: tuple[str, ...]
    pipeline: Settings = field(default_factory=Settings)
    diff: bool = False  # show the changes as a unified diff, write nothing
    stdin_name: str = "<stdin>"


def run_fix(settings: FixSettings, *, stdin: BinaryIO) -> int:
    """Fix the plans (or show the diff), say what was done, and return the exit code: 1 when a plan could
    not be fixed, or, with diff, when something would change."""
    report = fix_paths(settings.paths, Profiles(settings.pipeline), diff=settings.diff, stdin=stdin,
                       stdin_name=settings.stdin_name)
    _echo(report.out, err=False)
    _echo(report.refusals + report.err, err=True)
    # the summary goes with the lines it sums up, never into a diff or a plan on standard output
    _echo([summary(report, diff=settings.diff)], err=settings.diff or STDIN in settings.paths)
    return EXIT_NOT_DONE if report.failed or (settings.diff and report.fixes) else EXIT_DONE


def fix_before_check(paths: Sequence[str], profiles: Profiles, *, quiet: bool = False) -> None:
    """`check --fix`: fix the plan files in place (standard input is only checked), saying what was fixed
    on standard error, since the check's report owns standard output. A plan that cannot be fixed is
    left to the check, which reports why."""
    report = fix_paths(paths, profiles, skip_stdin=True)
    _echo(report.out + report.err, err=True)
    if not quiet and report.fixes:
        _echo([summary(report, diff=False, with_not_fixed=False)], err=True)  # the check reports why


def _echo(lines: list[str], *, err: bool) -> None:
    for line in lines:
        click.echo(line, nl=False, err=err)


@dataclass
class FixReport:
    """What a run prints (standard output, standard error) and whether it left something undone."""

    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)  # plans fixed but not written, and why
    refusals: list[str] = field(default_factory=list)  # plans not fixed, with the findings that stopped it
    fixes: int = 0
    files: int = 0
    not_fixed: int = 0  # plans that could not be fixed or written

    @property
    def failed(self) -> bool:
        return self.not_fixed > 0


def fix_paths(paths: Sequence[str], profiles: Profiles, *, diff: bool = False, stdin: Any = None,
              stdin_name: str = "<stdin>", skip_stdin: bool = False) -> FixReport:
    """Fix every plan in `paths`: in place, or (diff) only shown as a unified diff. A plan read from
    standard input is written to standard output, fixed."""
    report = FixReport()
    targets, missing = select_targets(paths, profiles, stdin_name=stdin_name)
    for result in missing:
        _not_fixed(report, result)
    for target in targets:
        if target.path is None and skip_stdin:
            continue
        fixed = fix_target(target, profiles, stdin)
        _report(report, fixed, diff=diff)
    return report


def _report(report: FixReport, fixed: FileFix, *, diff: bool) -> None:
    name = printable(fixed.target.name)
    outcome = fixed.outcome
    if fixed.unread is not None:
        return _not_fixed(report, FileResult(fixed.target.name, (fixed.unread,)))
    if fixed.error is not None:
        report.err.append(f"{name}: {fixed.error}\n")
        report.not_fixed += 1
        return
    assert outcome is not None
    if outcome.refused:
        return _not_fixed(report, FileResult(fixed.target.name, sort_findings(outcome.refused), source=outcome.source))
    if not fixed.changed:
        if fixed.target.path is None and not diff:
            report.out.append(fixed.after.decode("utf-8"))
        return
    report.files += 1
    report.fixes += len(outcome.applied)
    source = Source(outcome.text)
    lines = [f"{name}:{line}:{column}: {a.finding.code} fixed: {printable(a.description)}\n"
             for line, column, a in sorted((*_place(source, a.offset), a) for a in outcome.applied)]
    if diff:
        report.out.append(unified_diff(fixed.target.name, fixed.before, fixed.after))
        report.err += lines
    elif fixed.target.path is None:
        report.out.append(fixed.after.decode("utf-8"))
        report.err += lines
    else:
        problem = write_fixed(fixed)
        if problem:
            report.err.append(f"{name}: {problem}\n")
            report.not_fixed += 1
        else:
            report.out += lines


def _place(source: Source, offset: int) -> tuple[int, int]:
    line = source.line_of(offset)
    return line + 1, offset - source.starts[line] + 1


def _not_fixed(report: FixReport, result: FileResult) -> None:
    report.refusals.append(text_report.render(Results((result,))))
    report.refusals.append(f"{printable(result.file)}: not fixed: planlint changes only a plan it can read whole, with "
                      "no key written twice. Correct the problem above, then run planlint fix again.\n")
    report.not_fixed += 1


def summary(report: FixReport, *, diff: bool, with_not_fixed: bool = True) -> str:
    """One line: what was fixed, and (with_not_fixed) how many plans could not be."""
    failed = report.failed and with_not_fixed
    done = (f"{'Would fix' if diff else 'Fixed'} {_count(report.fixes, 'problem')} in {_count(report.files, 'file')}."
            if report.fixes else "Nothing to fix." if not failed else "Nothing fixed.")
    left = f" {_count(report.not_fixed, 'plan')} could not be fixed (see above)." if failed else ""
    return f"{done}{left}\n"


def _count(number: int, thing: str) -> str:
    return f"{number} {thing}{'s' if number != 1 else ''}"
