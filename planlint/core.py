"""The core codes: checks of the file itself that live in Python, not in rule files."""

from __future__ import annotations

from dataclasses import dataclass

from planlint.findings import Finding, Path, Severity, Span


@dataclass(frozen=True)
class CoreCode:
    code: str
    name: str
    severity: Severity
    summary: str


CORE_CODES: dict[str, CoreCode] = {
    c.code: c
    for c in (
        CoreCode("PL001", "yaml-syntax", Severity.ERROR,
                 "The file is a plan planlint can read: valid YAML, UTF-8, one document, within the size and nesting limits."),
        CoreCode("PL002", "duplicate-key", Severity.ERROR,
                 "No mapping repeats a key (plain YAML loaders keep the last one silently)."),
        CoreCode("PL003", "schema", Severity.ERROR,
                 "The plan matches the plan format, version 1."),
        CoreCode("PL007", "ambiguous-scalar", Severity.WARNING,
                 "No YAML 1.1 traps: yes/no/on/off as values, 52% strings, numbers with leading zeros."),
        CoreCode("PL008", "suppression-reason", Severity.WARNING,
                 "A suppression comment gives a reason after `--`."),
        CoreCode("PL009", "unused-suppression", Severity.WARNING,
                 "A suppression comment suppresses something."),
        CoreCode("PL010", "rule-error", Severity.ERROR,
                 "A rule could not be evaluated on this plan (an internal error of that rule)."),
    )
}


def core_finding(code: str, file: str, message: str, span: Span, path: Path = ()) -> Finding:
    meta = CORE_CODES[code]
    return Finding(file=file, code=code, name=meta.name, severity=meta.severity,
                   message=message, span=span, path=path)
