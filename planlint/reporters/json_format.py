"""The JSON document: versioned, every finding field, stable key order."""

from __future__ import annotations

import json

from planlint import __version__
from planlint.findings import Results
from planlint.reporters.options import ReportOptions

FORMAT_VERSION = 1


def render(results: Results, options: ReportOptions) -> str:
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "planlint", "version": __version__},
        "findings": [finding.to_dict() for finding in results.findings],
        "summary": results.summary().to_dict(),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
