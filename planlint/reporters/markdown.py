"""Markdown for a pull-request comment or a CI step summary: a heading, the counts, one table row per finding."""

from __future__ import annotations

import re

from planlint.findings import Finding, Results, Summary

from planlint.reporters.options import ReportOptions
from planlint.reporters.text import printable

MAX_ROWS = 200  # a comment or step summary with thousands of rows is unreadable and may exceed GitHub's size limits
HEADING = "## planlint report"
TABLE_HEAD = ("| File | Line | Code | Severity | Message |", "| --- | ---: | --- | --- | --- |")

# Characters Markdown could read as syntax (emphasis, code, links, HTML, table cells); backslash-escaped.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>|~&])")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def render(results: Results, options: ReportOptions) -> str:
    findings = results.findings
    lines = [HEADING, "", summary_line(results.summary()), ""]
    if not findings:
        lines.append("No problems found.")
    else:
        lines += ["| Rule | Findings | Files |", "| --- | ---: | ---: |"]
        lines += [f"| {code} {name} ({severity.label}) | {number} | {files} |"
                  for code, name, severity, number, files in results.by_rule()]
        lines.append("")
        lines.extend(TABLE_HEAD)
        lines.extend(_row(finding) for finding in findings[:MAX_ROWS])
        hidden = len(findings) - MAX_ROWS
        if hidden > 0:
            lines += ["", f"Showing the first {MAX_ROWS} of {len(findings)} findings; "
                          f"{hidden} more {'is' if hidden == 1 else 'are'} not shown. "
                          "Run planlint locally to see them all."]
    return "\n".join(lines) + "\n"


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
