"""JUnit XML for CI test tabs: a suite per file, a case per rule found in it, a passing case if clean.

A case fails only when a finding reaches the fail level (--fail-on, else the file's configuration's,
else error), as the exit code does: a job that passes shows no red test; milder findings are the
case's <system-out>."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from planlint.findings import FileResult, Finding, Results, Severity

from planlint.reporters.options import ReportOptions

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
CLEAN_CASE = "planlint"

# XML 1.0 cannot carry these at all, even escaped; a YAML "\x01" quoted in a message would make the report unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render(results: Results, options: ReportOptions) -> str:
    suites = [_suite(result, options.fail_on or result.fail_on or Severity.ERROR) for result in results.files]
    root = ET.Element("testsuites", {
        "name": "planlint",
        "tests": str(sum(int(suite.get("tests", "0")) for suite in suites)),
        "failures": str(sum(int(suite.get("failures", "0")) for suite in suites)),
        "errors": "0",
    })
    root.extend(suites)
    ET.indent(root)
    return XML_DECLARATION + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def _suite(result: FileResult, threshold: Severity) -> ET.Element:
    by_code = sorted(result.findings, key=lambda finding: finding.code)  # stable: keeps each rule's findings in order
    cases = [_case(result.file, list(group), threshold) for _, group in groupby(by_code, key=lambda f: f.code)]
    if not cases:
        cases = [ET.Element("testcase", {"classname": _xml(result.file), "name": CLEAN_CASE})]
    suite = ET.Element("testsuite", {
        "name": _xml(result.file),
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": "0",
    })
    suite.extend(cases)
    return suite


def _case(file: str, findings: list[Finding], threshold: Severity) -> ET.Element:
    first = next((f for f in findings if f.severity >= threshold), None)
    case = ET.Element("testcase", {"classname": _xml(file), "name": _xml(f"{findings[0].code} {findings[0].name}")})
    lines = "\n".join(_xml(f"{f.span.line}:{f.span.column} {f.severity.label} {f.message}") for f in findings)
    if first is None:
        ET.SubElement(case, "system-out").text = lines
        return case
    failure = ET.SubElement(case, "failure", {"type": _xml(first.code), "message": _xml(first.message)})
    failure.text = lines
    return case


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
