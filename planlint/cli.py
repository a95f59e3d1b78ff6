"""Command line: parse options into settings, run the pipeline, print a report, exit with its code."""

from __future__ import annotations

import os
import sys

import click

from planlint import __version__
from planlint.checks import CONTENT_CHECKS
from planlint.errors import ConfigError
from planlint.findings import Severity
from planlint.loader import LoadLimits
from planlint.pipeline import Settings, check_paths
from planlint.reporters import REPORTERS, ReportOptions

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="planlint")
def main() -> None:
    """Check school-improvement plans (YAML) against the criteria for a good plan."""


@main.command(epilog=CHECK_EPILOG)
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "output_format", type=click.Choice(sorted(REPORTERS)), default="text",
              show_default=True, help="Output format.")
@click.option("--concise", is_flag=True, help="One line per finding, without the source excerpt.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only: no source excerpt, no summary.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default="error", show_default=True,
              help="Exit 1 when a finding has at least this severity.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=LoadLimits().max_bytes, show_default=True,
              help="Largest plan file to read, in bytes.")
@click.option("--color/--no-color", default=None, help="Colour the text output (default: only on a terminal; "
                                                       "NO_COLOR turns it off).")
@click.option("--stdin-filename", default="<stdin>", show_default=True,
              help="The name to show for a plan read from standard input (-).")
def check(paths: tuple[str, ...], output_format: str, concise: bool, quiet: bool, fail_on: str,
          max_file_size: int, color: bool | None, stdin_filename: str) -> None:
    """Check plan files and folders of plans."""
    settings = Settings(limits=LoadLimits(max_bytes=max_file_size), checks=CONTENT_CHECKS)
    try:
        results = check_paths(paths, settings, stdin=click.get_binary_stream("stdin"), stdin_name=stdin_filename)
    except ConfigError as exc:
        click.echo(exc.render(), err=True)
        sys.exit(EXIT_USAGE)
    options = ReportOptions(color=_use_color(color), concise=concise, quiet=quiet)
    click.echo(REPORTERS[output_format](results, options), nl=False, color=options.color)
    sys.exit(results.exit_code(Severity.parse(fail_on)))
