"""reviewdog's Diagnostic Format (rdjson), so reviewdog can post findings as review comments."""

from __future__ import annotations

import json
import re

from planlint.findings import Finding, Results, Severity
from planlint.reporters.sarif import INFORMATION_URI, help_uri, relative_path

from planlint.reporters.options import ReportOptions

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}
NO_SEVERITY = "UNKNOWN_SEVERITY"  # rdjson's own value for "not set", used when nothing was found

# The line breaks PyYAML counts, so line numbers here agree with the loader's.
_LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def render(results: Results, options: ReportOptions) -> str:
    diagnostics: list[dict] = []
    for result in results.files:
        lines = _LINE_BREAK.split(result.source) if result.source is not None else None
        diagnostics.extend(_diagnostic(finding, lines) for finding in result.findings)
    found = [finding.severity for finding in results.findings]
    document = {
        "source": {"name": "planlint", "url": INFORMATION_URI},
        "severity": SEVERITIES[max(found)] if found else NO_SEVERITY,
        "diagnostics": diagnostics,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def byte_column(lines: list[str] | None, line: int, column: int) -> int:
    """rdjson counts columns in UTF-8 bytes, planlint in characters; with no source, characters are a best guess."""
    if lines is None or not 1 <= line <= len(lines):
        return column
    text = lines[line - 1]
    before = text[:column - 1]
    past_end = max(0, column - 1 - len(text))  # a column just past the line's end (its line break) is still valid
    return len(before.encode("utf-8")) + past_end + 1


def _diagnostic(finding: Finding, lines: list[str] | None) -> dict:
    span = finding.span
    start = {"line": span.line, "column": byte_column(lines, span.line, span.column)}
    end = {"line": span.end_line, "column": byte_column(lines, span.end_line, span.end_column)}
    return {
        "message": finding.message,
        "location": {"path": relative_path(finding.file), "range": {"start": start, "end": end}},
        "severity": SEVERITIES[finding.severity],
        "code": {"value": finding.code, "url": help_uri(finding.code)},
    }
