"""Every output planlint writes about a check: each a pure function of the results and the report
options, in one registry by name."""

from __future__ import annotations

from collections.abc import Callable

from planlint.findings import Results
from planlint.reporters import csv_format, github, html, json_format, junit, markdown, rdjson, sarif, text
from planlint.reporters.options import ReportOptions, RuleDoc

Reporter = Callable[[Results, ReportOptions], str]

REPORTERS: dict[str, Reporter] = {
    "text": text.render_report,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "rdjson": rdjson.render,
    "csv": csv_format.render,
    "html": html.render,
    "statistics": text.statistics,  # `check --statistics`, in place of the text report
    "markdown-statistics": markdown.statistics,  # `check --statistics -f markdown`
    "json-statistics": json_format.statistics,  # `check --statistics -f json`
    "github-step-summary": github.step_summary,  # appended to $GITHUB_STEP_SUMMARY beside the github report
}

# The report --statistics writes in place of each format that has one.
STATISTICS: dict[str, str] = {"text": "statistics", "markdown": "markdown-statistics", "json": "json-statistics"}

# The reports `--format` chooses from; the others stand in for one of these or go beside it.
FORMATS: tuple[str, ...] = tuple(sorted(set(REPORTERS) - set(STATISTICS.values()) - {"github-step-summary"}))

__all__ = ["FORMATS", "REPORTERS", "STATISTICS", "Reporter", "ReportOptions", "RuleDoc"]
