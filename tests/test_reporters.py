"""Output formats: a snapshot of each on one shared set of findings, plus the checks each consumer relies on.

Set PLANLINT_UPDATE_SNAPSHOTS=1 to rewrite tests/snapshots/ after an intended change, then read the diff.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest

from planlint import __version__
from planlint.findings import FileResult, Finding, Results, Severity, Span, sort_findings, sort_results
from planlint.reporters import REPORTERS, ReportOptions, RuleDoc, csv_format, github, html, junit, markdown, rdjson, sarif
from planlint.scorecard import MeasureChart, PlanInfo, Verdict

HERE = Path(__file__).parent
SNAPSHOTS = HERE / "snapshots"
SARIF_SCHEMA = HERE / "data" / "sarif-schema-2.1.0.json"

CLEAN = "plans/clean.yaml"
DISTRICT = "plans/district.yaml"
CAMPUS = "plans/north campus.yaml"

DISTRICT_SOURCE = """\
planlint: 1
system:
  name: Riverside Unified
measures:
  - id: grad-rate
    baseline: 81
strategies:
  - id: tutoring
    serves: [grad-rte]
  - id: mentoring
    serves: [grad-rate]
    owner: yes
"""

CAMPUS_SOURCE = """\
planlint: 1
# planlint: disable=PL007 reason: owners are named in the appendix
system:
  name: École Nord
# planlint: disable=PL007 reason: the board approved this wording
measures:
  - id: réussite
    aspiration: équité
"""

TRICKY = ('This measure assesses the aspiration "équité", but no aspiration has that id.\n'
          "Add it under `aspirations:` | 100% of <plans> & more, or fix the id.")

RULES = {
    "PL004": RuleDoc("PL004", "unknown-reference", "core", Severity.ERROR,
                     "Every id a plan refers to (serves, measure, aspiration) exists.",
                     "A reference to an id that does not exist breaks the plan's theory of action. "
                     "Correct the id or add the missing measure."),
    "PL005": RuleDoc("PL005", "duplicate-id", "core", Severity.ERROR,
                     "Every id in a plan is unique.", "Give each measure and strategy its own id."),
    "PL007": RuleDoc("PL007", "ambiguous-scalar", "core", Severity.WARNING,
                     "Values YAML reads as true, false or a number are written as the planning team meant.",
                     "Quote the value if you mean the word."),
    "PL020": RuleDoc("PL020", "measure-without-target", "quality", Severity.INFO,
                     "Each measure with a baseline has yearly targets."),
}  # PL009 is left out on purpose: a code with no RuleDoc must still get a SARIF rule


def _finding(file: str, code: str, name: str, severity: Severity, message: str, span: Span,
             path: tuple = ()) -> Finding:
    return Finding(file=file, code=code, name=name, severity=severity, message=message, span=span, path=path)


def _district() -> FileResult:
    findings = [
        _finding(DISTRICT, "PL004", "unknown-reference", Severity.ERROR,
                 'This strategy serves "grad-rte", but no measure has that id. The measures are: grad-rate.',
                 Span(9, 14, 9, 22), ("strategies", 0, "serves", 0)),
        _finding(DISTRICT, "PL007", "ambiguous-scalar", Severity.WARNING,
                 'The owner `yes` is read as true, not as a name. Quote it ("yes") if you mean the word.',
                 Span(12, 12, 12, 15), ("strategies", 1, "owner")),
        _finding(DISTRICT, "PL020", "measure-without-target", Severity.INFO,
                 "The measure grad-rate has a baseline of 81 but no yearly targets; add a trajectory.",
                 Span(5, 5, 6, 17), ("measures", 0)),
    ]
    chart = MeasureChart("grad-rate", "Four-year graduation rate", "percent", False,
                         history=((2022, 78.0), (2023, 79.5), (2024, 81.0)),
                         projection=((2024, 81.0), (2027, 85.5)), baseline=((2024, 81.0),),
                         target=((2027, 88.0),), trajectory=((2025, 83.0), (2026, 85.5), (2027, 88.0)))
    plan = PlanInfo("Riverside Unified", "0412", "LA", ("ldoe",), ("measures", "strategies", "system"), (chart,))
    verdicts = (Verdict("manageable", "Manageable", "met"), Verdict("aligned", "Aligned", "not met", ("PL004",)),
                Verdict("msip5-standards", "MSIP 5 standards", "not applicable"))
    return FileResult(DISTRICT, sort_findings(findings), suppressed=0, source=DISTRICT_SOURCE, plan=plan,
                      verdicts=verdicts)


def _campus() -> FileResult:
    unused = "This suppression of PL007 matches no finding; remove it."
    findings = [
        _finding(CAMPUS, "PL004", "unknown-reference", Severity.ERROR, TRICKY,
                 Span(8, 17, 8, 23), ("measures", 0, "aspiration")),
        _finding(CAMPUS, "PL009", "unused-suppression", Severity.WARNING, unused, Span.point(2, 3)),
        _finding(CAMPUS, "PL009", "unused-suppression", Severity.WARNING, unused, Span.point(5, 3)),
    ]
    gap = MeasureChart("réussite", 'Gap in "A" ratings <script>alert(1)</script>', "points", True,
                       history=((2023, 12.0), (2024, 11.0)), baseline=((2024, 11.0),), target=((2026, 6.0),))
    plan = PlanInfo("École Nord <b>&", "=1+2", "", (), ("measures", "system"), (gap,))
    verdicts = (Verdict("manageable", "Manageable", "met"), Verdict("aligned", "Aligned", "not met", ("PL004",)),
                Verdict("msip5-standards", "MSIP 5 standards", "not applicable"))
    return FileResult(CAMPUS, sort_findings(findings), suppressed=0, source=CAMPUS_SOURCE, plan=plan,
                      verdicts=verdicts)


def _files() -> list[FileResult]:
    met = (Verdict("manageable", "Manageable", "met"), Verdict("aligned", "Aligned", "met"),
           Verdict("msip5-standards", "MSIP 5 standards", "not applicable"))
    clean = FileResult(CLEAN, (), suppressed=1, source="planlint: 1\n", plan=PlanInfo("Clearwater Parish"),
                       verdicts=met)
    return [_district(), clean, _campus()]


RESULTS = sort_results(_files())
OPTIONS = ReportOptions(rules=RULES)

FORMATS: dict[str, tuple[Callable[[Results, ReportOptions], str], str]] = {
    "sarif": (sarif.render, "sarif.json"),
    "github": (github.render, "github.txt"),
    "junit": (junit.render, "junit.xml"),
    "markdown": (markdown.render, "markdown.md"),
    "rdjson": (rdjson.render, "rdjson.json"),
    "text": (REPORTERS["text"], "text.txt"),
    "text-concise": (lambda results, options: REPORTERS["text"](results, replace(options, concise=True)),
                     "text-concise.txt"),
    "json": (REPORTERS["json"], "json.json"),
    "csv": (csv_format.render, "scorecard.csv"),
    "html": (html.render, "report.html"),
    "statistics": (REPORTERS["statistics"], "statistics.txt"),
    "markdown-statistics": (REPORTERS["markdown-statistics"], "statistics.md"),
    "json-statistics": (REPORTERS["json-statistics"], "statistics.json"),
    "github-step-summary": (REPORTERS["github-step-summary"], "markdown.md"),  # the markdown report, byte for byte
}


def test_every_registered_format_has_a_snapshot() -> None:
    assert set(REPORTERS) <= set(FORMATS)


# --- snapshots and determinism ---------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(FORMATS))
def test_snapshot(name: str) -> None:
    render, filename = FORMATS[name]
    output = render(RESULTS, OPTIONS)
    snapshot = SNAPSHOTS / filename
    if os.environ.get("PLANLINT_UPDATE_SNAPSHOTS") == "1":
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_bytes(output.encode("utf-8"))
    assert snapshot.exists(), f"no snapshot {snapshot}; run with PLANLINT_UPDATE_SNAPSHOTS=1 to create it"
    assert output == snapshot.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_output_is_deterministic_whatever_the_order_files_came_in(name: str) -> None:
    render, _ = FORMATS[name]
    first = render(RESULTS, OPTIONS).encode("utf-8")
    assert render(RESULTS, OPTIONS).encode("utf-8") == first
    shuffled = sort_results(list(reversed(_files())))
    assert shuffled.files[0].file == CLEAN
    assert render(shuffled, ReportOptions(rules=dict(reversed(list(RULES.items()))))).encode("utf-8") == first


# --- SARIF -----------------------------------------------------------------------------------

def _sarif(results: Results = RESULTS) -> dict:
    return json.loads(sarif.render(results, OPTIONS))


def test_sarif_is_valid_against_the_official_schema() -> None:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(_sarif())]
    assert errors == []


def test_sarif_rules_cover_documented_and_found_codes_sorted() -> None:
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["PL004", "PL005", "PL007", "PL009", "PL020"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["PL004"]["help"]["text"] == RULES["PL004"].help
    assert by_id["PL004"]["helpUri"] == "https://github.com/planlint/planlint/blob/main/docs/rules.md#pl004"
    assert by_id["PL020"]["defaultConfiguration"] == {"level": "note"}
    assert by_id["PL020"]["properties"] == {"tags": ["quality"]}
    assert "help" not in by_id["PL020"]  # no help text given, so none is invented
    assert by_id["PL009"]["name"] == "unused-suppression"
    assert by_id["PL009"]["defaultConfiguration"] == {"level": "warning"}
    assert run["tool"]["driver"]["version"] == __version__
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_names_a_file_from_the_working_folder_however_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    inside = str(tmp_path / "repo" / "plans" / "a.yaml")
    assert sarif.artifact_location(inside) == {"uri": "plans/a.yaml", "uriBaseId": "%SRCROOT%"}
    outside = str(tmp_path / "elsewhere" / "a b.yaml")
    assert sarif.artifact_location(outside) == {"uri": Path(outside).as_uri()}
    assert Path(outside).as_uri().startswith("file:///") and "a%20b.yaml" in Path(outside).as_uri()


def test_sarif_results_have_relative_encoded_uris_and_levels() -> None:
    results = _sarif()["runs"][0]["results"]
    assert len(results) == len(RESULTS.findings)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"plans/district.yaml", "plans/north%20campus.yaml"}
    for uri in uris:
        parts = urlsplit(uri)
        assert not parts.scheme and not parts.netloc and not uri.startswith("/")
    assert unquote("plans/north%20campus.yaml") == CAMPUS
    assert sarif.artifact_location(".\\plans\\été 2024:a.yaml") == {
        "uri": "plans/%C3%A9t%C3%A9%202024%3Aa.yaml", "uriBaseId": "%SRCROOT%"}
    assert [r["level"] for r in results] == ["note", "error", "warning", "warning", "warning", "error"]
    first = results[0]["locations"][0]["physicalLocation"]
    assert first["region"] == {"startLine": 5, "startColumn": 5, "endLine": 6, "endColumn": 17}
    assert first["artifactLocation"]["uriBaseId"] == "%SRCROOT%"


def test_sarif_fingerprints_are_unique_and_survive_line_moves() -> None:
    prints = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in _sarif()["runs"][0]["results"]]
    assert len(set(prints)) == len(prints)
    # the two unused suppressions share code, file and path: the second gets a counter
    assert prints[4] == prints[3] + ":2"
    moved = [Finding(f.file, f.code, f.name, f.severity, f.message,
                     Span(f.span.line + 3, f.span.column, f.span.end_line + 3, f.span.end_column), f.path)
             for f in RESULTS.findings]
    assert sarif.fingerprints(moved) == sarif.fingerprints(RESULTS.findings)
    renamed = [Finding("plans/other.yaml", f.code, f.name, f.severity, f.message, f.span, f.path)
               for f in RESULTS.findings[:1]]
    assert sarif.fingerprints(renamed) != sarif.fingerprints(RESULTS.findings[:1])


# --- GitHub Actions --------------------------------------------------------------------------

def test_github_escapes_the_message_and_properties_as_the_toolkit_does() -> None:
    lines = github.render(RESULTS, OPTIONS).splitlines()
    assert len(lines) == len(RESULTS.findings)  # the newline in the message did not split the command
    tricky = next(line for line in lines if "aspiration" in line)
    assert tricky == (
        "::error file=plans/north campus.yaml,line=8,col=17,endLine=8,endColumn=22,"
        "title=PL004 unknown-reference::"
        'This measure assesses the aspiration "équité", but no aspiration has that id.%0A'
        "Add it under `aspirations:` | 100%25 of <plans> & more, or fix the id.")
    assert github.escape_property("a:b,c%d\r\ne") == "a%3Ab%2Cc%25d%0D%0Ae"
    assert github.escape_data("a:b,c%d\r\ne") == "a:b,c%25d%0D%0Ae"


def test_github_levels_and_multiline_spans() -> None:
    lines = github.render(RESULTS, OPTIONS).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::notice", "::error", "::warning", "::warning", "::warning", "::error"]
    # GitHub rejects columns on an annotation spanning lines
    assert lines[0].startswith("::notice file=plans/district.yaml,line=5,endLine=6,title=")
    assert github.render(Results((FileResult(CLEAN, ()),)), OPTIONS) == ""


def test_github_step_summary_is_the_markdown_report() -> None:
    assert github.step_summary(RESULTS, OPTIONS) == markdown.render(RESULTS, OPTIONS)


# --- JUnit -----------------------------------------------------------------------------------

def test_junit_parses_back_with_one_case_per_file_and_rule() -> None:
    output = junit.render(RESULTS, replace(OPTIONS, fail_on=Severity.INFO))  # every finding fails
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(output.encode("utf-8"))
    assert root.tag == "testsuites"
    assert [root.get(key) for key in ("name", "tests", "failures", "errors")] == ["planlint", "6", "5", "0"]
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [CLEAN, DISTRICT, CAMPUS]
    clean_cases = suites[0].findall("testcase")
    assert [(c.get("name"), c.find("failure")) for c in clean_cases] == [("planlint", None)]
    campus_cases = suites[2].findall("testcase")
    assert [c.get("name") for c in campus_cases] == ["PL004 unknown-reference", "PL009 unused-suppression"]
    failure = campus_cases[0].find("failure")
    assert failure is not None
    assert failure.get("type") == "PL004"
    assert failure.get("message") == TRICKY  # the newline, <, & and é came back intact
    unused = campus_cases[1].find("failure")
    assert unused is not None and unused.text is not None
    assert unused.text.splitlines() == [
        "2:3 warning This suppression of PL007 matches no finding; remove it.",
        "5:3 warning This suppression of PL007 matches no finding; remove it."]


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    finding = _finding(DISTRICT, "PL007", "ambiguous-scalar", Severity.WARNING,
                       "The value \x01 is a control character.", Span.point(1, 1))
    warning_fails = replace(OPTIONS, fail_on=Severity.WARNING)
    root = ET.fromstring(junit.render(Results((FileResult(DISTRICT, (finding,)),)), warning_fails).encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "The value \ufffd is a control character."


def test_junit_fails_only_cases_at_the_fail_level_as_the_exit_code_does() -> None:
    def failing(options: ReportOptions, results: Results = RESULTS) -> list[str]:
        root = ET.fromstring(junit.render(results, options).encode("utf-8"))
        return [case.get("name") for case in root.iter("testcase") if case.find("failure") is not None]

    assert failing(OPTIONS) == ["PL004 unknown-reference", "PL004 unknown-reference"]
    assert len(failing(replace(OPTIONS, fail_on=Severity.WARNING))) == 4
    root = ET.fromstring(junit.render(RESULTS, OPTIONS).encode("utf-8"))
    assert root.get("failures") == "2"
    quiet = next(c for c in root.iter("testcase") if c.get("name") == "PL020 measure-without-target")
    assert quiet.find("system-out") is not None and "info" in quiet.find("system-out").text
    # a file whose configuration says fail-on: warning fails on its warnings, like the exit code
    strict = Results(tuple(replace(r, fail_on=Severity.WARNING) for r in RESULTS.files))
    assert len(failing(OPTIONS, strict)) == 4 and strict.exit_code() == 1
    only_warnings = Results(tuple(replace(r, findings=tuple(f for f in r.findings if f.severity < Severity.ERROR))
                                  for r in RESULTS.files))
    assert failing(OPTIONS, only_warnings) == [] and only_warnings.exit_code() == 0


# --- Markdown --------------------------------------------------------------------------------

def test_markdown_escapes_cells_and_keeps_each_row_on_one_line() -> None:
    output = markdown.render(RESULTS, OPTIONS)
    assert "Checked 3 files: 2 errors, 3 warnings, 1 info, 1 suppressed." in output
    findings_table = output.split(markdown.TABLE_HEAD[1])[1]
    rows = [line for line in findings_table.splitlines() if line.startswith("| plans/")]
    assert len(rows) == len(RESULTS.findings)
    tricky = next(row for row in rows if "aspiration" in row)
    assert tricky.endswith(
        "that id.<br>Add it under \\`aspirations:\\` \\| 100% of \\<plans\\> \\& more, or fix the id. |")
    assert tricky.count(" | ") == 4  # five cells: no unescaped pipe inside one


def test_markdown_lists_every_finding_errors_first_and_the_plans_to_send_back() -> None:
    output = markdown.render(RESULTS, OPTIONS)
    findings_table = output.split(markdown.TABLE_HEAD[1])[1]
    severities = [line.split(" | ")[3] for line in findings_table.splitlines() if line.startswith("| plans/")]
    assert severities == ["error", "error", "warning", "warning", "warning", "info"]
    assert "### Plans to send back (2 of 3)" in output
    assert "| plans/district.yaml | Riverside Unified | Aligned (PL004) |" in output
    assert "clean.yaml | Clearwater" not in output


def test_markdown_clean_and_truncated() -> None:
    clean = markdown.render(Results((FileResult(CLEAN, ()),)), OPTIONS)
    assert clean == ("## planlint report\n\nChecked 1 file: 0 errors, 0 warnings, 0 info, 0 suppressed.\n\n"
                     "No problems found.\n")
    many = tuple(_finding(DISTRICT, "PL007", "ambiguous-scalar", Severity.WARNING, f"Finding {n}.", Span.point(n, 1))
                 for n in range(1, 206))
    report = markdown.render(Results((FileResult(DISTRICT, many),)), OPTIONS)
    assert len([line for line in report.splitlines() if line.startswith("| plans/")]) == 205  # a file has them all
    output = github.step_summary(Results((FileResult(DISTRICT, many),)), OPTIONS)
    rows = [line for line in output.splitlines() if line.startswith("| plans/")]
    assert len(rows) == markdown.MAX_ROWS
    assert rows[-1].endswith("| Finding 200. |")
    assert ("GitHub limits the size of a job summary, so this one shows the first 200 of 205 findings, errors "
            "first; 5 more are not shown.") in output


# --- rdjson ----------------------------------------------------------------------------------

def test_rdjson_fields_and_utf8_byte_columns() -> None:
    document = json.loads(rdjson.render(RESULTS, OPTIONS))
    assert document["source"] == {"name": "planlint", "url": "https://github.com/planlint/planlint"}
    assert document["severity"] == "ERROR"
    diagnostics = document["diagnostics"]
    assert [d["severity"] for d in diagnostics] == ["INFO", "ERROR", "WARNING", "WARNING", "WARNING", "ERROR"]
    tricky = next(d for d in diagnostics if d["message"] == TRICKY)
    assert tricky["location"]["path"] == CAMPUS
    # "    aspiration: équité": é is two bytes in UTF-8, so the exclusive end moves from 23 to 25
    assert tricky["location"]["range"] == {"start": {"line": 8, "column": 17}, "end": {"line": 8, "column": 25}}
    assert tricky["code"] == {"value": "PL004", "url": sarif.help_uri("PL004")}
    assert rdjson.byte_column(None, 8, 23) == 23
    assert rdjson.byte_column(["ab"], 1, 4) == 4  # past the end of the line stays countable


def test_rdjson_with_nothing_found() -> None:
    document = json.loads(rdjson.render(Results((FileResult(CLEAN, ()),)), OPTIONS))
    assert document["diagnostics"] == []
    assert document["severity"] == "UNKNOWN_SEVERITY"
