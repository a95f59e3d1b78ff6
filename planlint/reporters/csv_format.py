"""The scorecard as CSV: one row per plan and criterion, for a spreadsheet.

UTF-8 with a byte order mark, so that Excel reads district names with accents correctly (other
spreadsheets and Python's csv module with encoding="utf-8-sig" skip it); rows end with CRLF and
fields are quoted where they need it, as RFC 4180 says. A file that could not be checked as a plan
still gets its rows: every criterion not met, with the code that says why."""

from __future__ import annotations

import csv
import io

from planlint.findings import Results, relative_path
from planlint.reporters.options import ReportOptions

COLUMNS = ("file", "system", "system_id", "criterion", "verdict", "codes", "errors", "warnings", "infos")
BOM = "\ufeff"


def render(results: Results, options: ReportOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for result in results.files:
        plan = result.plan
        counts = [sum(1 for f in result.findings if f.severity.label == label) for label in ("error", "warning", "info")]
        for verdict in result.verdicts:
            writer.writerow([_cell(relative_path(result.file)), _cell(plan.system if plan else ""),
                             _cell(plan.system_id if plan else ""), verdict.name, verdict.verdict,
                             " ".join(verdict.codes), *counts])
    return BOM + out.getvalue()


def _cell(text: str) -> str:
    """A cell a spreadsheet shows as text: one starting with = + - @ would be read as a formula (a plan's
    system name is untrusted), so it gets a leading apostrophe, as spreadsheets themselves do."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
