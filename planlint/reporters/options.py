"""What every reporter receives besides the results."""

from __future__ import annotations

from dataclasses import field
from collections.abc import Mapping

from planlint.findings import Severity
from planlint.frozen import frozen


@frozen
class RuleDoc:
    """What a report may say about a rule beyond its findings (SARIF rule metadata, help text)."""

    code: str
    name: str
    pack: str
    severity: Severity
    summary: str
    help: str = ""  # why it matters and what to do, in plain words


@frozen
class ReportOptions:
    color: bool = False
    concise: bool = False
    quiet: bool = False
    rules: Mapping[str, RuleDoc] = field(default_factory=dict)  # by code, for every code that may appear
    fail_on: Severity | None = None  # --fail-on; else each file's configuration's, else error
