"""The JSON document: versioned, every finding field, stable key order."""

from __future__ import annotations

import json

from planlint import __version__
from planlint.findings import FileResult, Results, Severity
from planlint.reporters.options import ReportOptions

FORMAT_VERSION = 1


def render(results: Results, options: ReportOptions) -> str:
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "planlint", "version": __version__},
        "findings": [finding.to_dict() for finding in results.findings],
        "summary": results.summary().to_dict(),
        "files": [_file(result) for result in results.files],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def statistics(results: Results, options: ReportOptions) -> str:
    """`--statistics`: counts per rule instead of the findings."""
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "planlint", "version": __version__},
        "statistics": [{"code": code, "name": name, "severity": severity.label, "findings": number, "files": files}
                       for code, name, severity, number, files in results.by_rule()],
        "summary": results.summary().to_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _file(result: FileResult) -> dict:
    """Every file checked, clean ones too: who submitted it, its counts, and its verdicts."""
    counts = {severity: sum(1 for f in result.findings if f.severity is severity) for severity in Severity}
    return {
        "file": result.file,
        "system": result.plan.system if result.plan else None,
        "system_id": result.plan.system_id or None if result.plan else None,
        "errors": counts[Severity.ERROR],
        "warnings": counts[Severity.WARNING],
        "infos": counts[Severity.INFO],
        "suppressed": result.suppressed,
        "verdicts": [verdict.to_dict() for verdict in result.verdicts],
    }
