"""SARIF 2.1.0 for GitHub code scanning: rule metadata, relative locations, fingerprints that survive edits."""

from __future__ import annotations

import json
import os
from pathlib import Path
from collections.abc import Mapping, Sequence
from urllib.parse import quote

from planlint import __version__
from planlint.digests import sha256
from planlint.findings import Finding, Results, Severity, relative_path

from planlint.reporters.options import ReportOptions, RuleDoc

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/planlint/planlint"
RULES_DOC_URI = "https://github.com/planlint/planlint/blob/main/docs/rules.md#"
FINGERPRINT_KEY = "planlintFingerprint/v2"  # v2: list items named by id, not index
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def help_uri(code: str) -> str:
    return RULES_DOC_URI + code.lower()


def artifact_location(file: str) -> dict[str, str]:
    """A URI relative to the source root (spaces, `%`, `:` and non-ASCII percent-encoded, `/` kept),
    or a file: URI for a file outside it."""
    path = relative_path(file)
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": "%SRCROOT%"}


def render(results: Results, options: ReportOptions) -> str:
    findings = results.findings
    rules = rule_descriptors(findings, options.rules)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    driver = {"name": "planlint", "version": __version__, "informationUri": INFORMATION_URI, "rules": rules}
    run = {
        "tool": {"driver": driver},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, index[finding.code], fingerprint)
                    for finding, fingerprint in zip(findings, fingerprints(findings))],
    }
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def rule_descriptors(findings: Sequence[Finding], docs: Mapping[str, RuleDoc]) -> list[dict]:
    """One reportingDescriptor per code that is documented or found, sorted by code."""
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
    return [_descriptor(code, docs.get(code), first.get(code)) for code in sorted(set(first) | set(docs))]


def _descriptor(code: str, doc: RuleDoc | None, finding: Finding | None) -> dict:
    if doc is not None:
        name, severity, summary, help_text, pack = doc.name, doc.severity, doc.summary, doc.help, doc.pack
    else:  # a code with no RuleDoc still needs a descriptor for its results to point at
        assert finding is not None
        name, severity, summary, help_text, pack = finding.name, finding.severity, f"{code} {finding.name}", "", ""
    descriptor: dict = {
        "id": code,
        "name": name,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": summary},
    }
    if help_text:
        descriptor["help"] = {"text": help_text, "markdown": help_text}
    descriptor["helpUri"] = help_uri(code)
    descriptor["defaultConfiguration"] = {"level": LEVELS[severity]}
    if pack:
        descriptor["properties"] = {"tags": [pack]}
    return descriptor


def fingerprints(findings: Sequence[Finding]) -> list[str]:
    """sha256 of code, file and YAML path with items named by id: not the line nor a list index, so an
    alert survives edits above it and measures inserted before its own.

    Findings that share all three get `:2`, `:3`... in order, so every fingerprint stays unique.
    """
    seen: dict[str, int] = {}
    out: list[str] = []
    for finding in findings:
        key = "\0".join((finding.code, relative_path(finding.file), finding.identity))
        digest = sha256(key.encode("utf-8")).hexdigest()
        seen[digest] = seen.get(digest, 0) + 1
        out.append(digest if seen[digest] == 1 else f"{digest}:{seen[digest]}")
    return out


def _result(finding: Finding, rule_index: int, fingerprint: str) -> dict:
    span = finding.span
    region = {"startLine": span.line, "startColumn": span.column,
              "endLine": span.end_line, "endColumn": span.end_column}
    location = {"physicalLocation": {
        "artifactLocation": artifact_location(finding.file),
        "region": region,
    }}
    return {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
