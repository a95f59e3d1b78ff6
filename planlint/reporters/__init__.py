"""Every output planlint writes about a check: each a pure function of the results and the report
options, in one registry by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from planlint.findings import Results
from planlint.reporters.options import ReportOptions, RuleDoc

Reporter = Callable[[Results, ReportOptions], str]


class _Registry(Mapping[str, Reporter]):
    """Reporters by name, each imported when first asked for: a run imports only the formats it writes
    (the HTML report alone imports more than the whole check of one plan needs)."""

    def __init__(self, where: Mapping[str, str]) -> None:
        self._where = dict(where)  # name -> "module:function" within planlint.reporters

    def __getitem__(self, name: str) -> Reporter:
        module, function = self._where[name].split(":")
        reporter: Reporter = getattr(importlib.import_module(f"planlint.reporters.{module}"), function)
        return reporter

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


REPORTERS: Mapping[str, Reporter] = _Registry({
    "text": "text:render_report",
    "json": "json_format:render",
    "sarif": "sarif:render",
    "github": "github:render",
    "junit": "junit:render",
    "markdown": "markdown:render",
    "rdjson": "rdjson:render",
    "csv": "csv_format:render",
    "html": "html:render",
    "statistics": "text:statistics",  # `check --statistics`, in place of the text report
    "markdown-statistics": "markdown:statistics",  # `check --statistics -f markdown`
    "json-statistics": "json_format:statistics",  # `check --statistics -f json`
    "github-step-summary": "github:step_summary",  # appended to $GITHUB_STEP_SUMMARY beside the github report
})

# The report --statistics writes in place of each format that has one.
STATISTICS: dict[str, str] = {"text": "statistics", "markdown": "markdown-statistics", "json": "json-statistics"}

# The reports `--format` chooses from; the others stand in for one of these or go beside it.
FORMATS: tuple[str, ...] = tuple(sorted(set(REPORTERS) - set(STATISTICS.values()) - {"github-step-summary"}))

__all__ = ["FORMATS", "REPORTERS", "STATISTICS", "Reporter", "ReportOptions", "RuleDoc"]
