"""Markdown for a pull-request comment or a CI step summary: a heading, the counts, one table row per finding."""

from __future__ import annotations

import re

from planlint.findings import Finding, Results, Summary
from planlint.scorecard import NOT_MET

from planlint.reporters.options import ReportOptions
from planlint.reporters.text import printable

MAX_ROWS = 200  # for the GitHub step summary, which has a size limit; a report file has every finding
HEADING = "## planlint report"
TABLE_HEAD = ("| File | Line | Code | Severity | Message |", "| --- | ---: | --- | --- | --- |")

# Characters Markdown could read as syntax (emphasis, code, links, HTML, table cells); backslash-escaped.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def render(results: Results, options: ReportOptions, *, max_rows: int | None = None) -> str:
    """Every finding, errors first, then by file and line; with `max_rows`, the first so many and a note."""
    findings = sorted(results.findings, key=lambda f: (-f.severity, f.sort_key))
    lines = [HEADING, "", summary_line(results.summary()), ""]
    lines += _send_back(results)
    if not findings:
        lines.append("No problems found.")
    else:
        lines += _rule_table(results)
        lines.append("")
        lines.extend(TABLE_HEAD)
        lines.extend(_row(finding) for finding in findings[:max_rows])
        hidden = len(findings) - max_rows if max_rows is not None else 0
        if hidden > 0:
            lines += ["", f"GitHub limits the size of a job summary, so this one shows the first {max_rows} of "
                          f"{len(findings)} findings, errors first; {hidden} more {'is' if hidden == 1 else 'are'} "
                          "not shown. `planlint check -f markdown -o report.md` writes them all."]
    return "\n".join(lines) + "\n"


def statistics(results: Results, options: ReportOptions) -> str:
    """`--statistics`: the counts per rule instead of the findings."""
    lines = [HEADING, "", summary_line(results.summary()), ""]
    lines += _rule_table(results) if results.findings else ["No problems found."]
    return "\n".join(lines) + "\n"


def _rule_table(results: Results) -> list[str]:
    return ["| Rule | Findings | Files |", "| --- | ---: | ---: |"] + [
        f"| {code} {name} ({severity.label}) | {number} | {files} |"
        for code, name, severity, number, files in results.by_rule()]


def _send_back(results: Results) -> list[str]:
    """The plans with a criterion not met, for a reviewer who decides which to send back."""
    rows = [(result, [v for v in result.verdicts if v.verdict == NOT_MET]) for result in results.files]
    rows = [(result, missed) for result, missed in rows if missed]
    if not rows:
        return []
    lines = [f"### Plans to send back ({len(rows)} of {len(results.files)})", "",
             "| File | System | Criteria not met |", "| --- | --- | --- |"]
    for result, missed in rows:
        system = result.plan.system if result.plan else ""
        reasons = ", ".join(f"{v.name} ({' '.join(v.codes)})" for v in missed)
        lines.append("| " + " | ".join(escape_cell(cell) for cell in (result.file, system, reasons)) + " |")
    return lines + [""]


def summary_line(summary: Summary) -> str:
    counts = ((summary.files, "file", "files"), (summary.errors, "error", "errors"),
              (summary.warnings, "warning", "warnings"), (summary.infos, "info", "info"),
              (summary.suppressed, "suppressed", "suppressed"))
    files, *rest = (f"{n} {one if n == 1 else many}" for n, one, many in counts)
    return f"Checked {files}: {', '.join(rest)}."


def escape_cell(text: str) -> str:
    """Plain text for one table cell: syntax characters escaped, line breaks as `<br>` so the row stays one line,
    other control characters shown escaped (`\\x1b`), as the text report shows them."""
    lines = _LINE_BREAK.split(text)
    return "<br>".join(_MARKDOWN_SYNTAX.sub(r"\\\1", printable(line)) for line in lines)


def _row(finding: Finding) -> str:
    cells = (finding.file, str(finding.span.line), finding.code, finding.severity.label, finding.message)
    return "| " + " | ".join(escape_cell(cell) for cell in cells) + " |"
