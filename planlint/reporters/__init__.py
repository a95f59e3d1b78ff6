"""Output formats: each a pure function from results to text, in one registry."""

from __future__ import annotations

from typing import Callable

from planlint.findings import Results
from planlint.reporters import csv_format, github, html, json_format, junit, markdown, rdjson, sarif, text
from planlint.reporters.options import ReportOptions, RuleDoc

Reporter = Callable[[Results, ReportOptions], str]

REPORTERS: dict[str, Reporter] = {
    "text": lambda results, options: text.render(results, color=options.color, concise=options.concise,
                                                 quiet=options.quiet),
    "json": lambda results, options: json_format.render(results),
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
    "markdown": markdown.render,
    "rdjson": rdjson.render,
    "csv": csv_format.render,
    "html": html.render,
}

__all__ = ["REPORTERS", "Reporter", "ReportOptions", "RuleDoc"]
