"""Schema errors in plain words, one per problem, at the node."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from planlint.loader import load_bytes
from planlint.schema import load_schema, validate_plan

MINIMAL = (Path(__file__).parent / "data" / "minimal.yaml").read_text()


def schema_findings(text: str):
    result = load_bytes(text.encode(), "plan.yaml")
    assert result.document is not None, result.findings
    return validate_plan(result.document, "plan.yaml").findings


def test_the_schema_is_valid_draft_2020_12():
    jsonschema.Draft202012Validator.check_schema(load_schema())


def test_every_property_has_a_description():
    missing = []

    def walk(node, where):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                if "description" not in sub:
                    missing.append(f"{where}.{name}")
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}[{i}]")

    walk(load_schema(), "$")
    assert missing == []


def test_the_minimal_plan_is_valid():
    assert schema_findings(MINIMAL) == []


def test_a_missing_key_points_at_the_mapping_that_lacks_it():
    text = MINIMAL.replace("    target: {year: 2026, value: 60}\n", "")
    (finding,) = schema_findings(text)
    assert finding.code == "PL003"
    assert finding.message.startswith('measures[0] is missing "target"')
    assert (finding.span.line, finding.span.column) == (6, 5)
    assert finding.path == ("measures", 0)


def test_a_percent_string_says_what_to_write():
    text = MINIMAL.replace("2024: 56,", "2024: 56%,")
    (finding,) = schema_findings(text)
    assert finding.message == ('measures[0].trajectory.2024 must be a number or tbd, not "56%": write 56 '
                               "(the unit comes from the measure's `unit`).")
    assert finding.span.line == 13


def test_an_unknown_key_suggests_the_close_one_at_the_key():
    text = MINIMAL.replace("    trajectory:", "    trajectroy:")
    (finding,) = schema_findings(text)
    assert 'unknown key "trajectroy"' in finding.message and 'Did you mean "trajectory"?' in finding.message
    assert (finding.span.line, finding.span.column) == (13, 5)


def test_x_keys_are_free():
    text = MINIMAL.replace("    unit: percent\n", "    unit: percent\n    x-note: anything at all\n")
    assert schema_findings(text) == []


def test_a_school_year_key_that_spans_two_years_is_named():
    text = MINIMAL.replace("2025: 58,", "2025-27: 58,")
    findings = schema_findings(text)
    assert any("2025-27" in f.message and "more than one school year" in f.message for f in findings)


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("direction: increase", "direction: up", "measures[0].direction must be"),
        ("unit: percent", "unit: percentage", "measures[0].unit must be"),
        ("planlint: 1", "planlint: 2", "planlint must be"),
        ("period: {start: 2022, end: 2026}", "period: {start: 2022}", 'period is missing "end"'),
        ("- id: grad-credentials", "- id: Grad Credentials", "measures[0].id must be"),
    ],
)
def test_wrong_values_are_one_plain_sentence(old, new, words):
    findings = schema_findings(MINIMAL.replace(old, new))
    assert len(findings) == 1, findings
    assert words in findings[0].message
    assert "oneOf" not in findings[0].message and "anyOf" not in findings[0].message


def test_the_schema_file_is_plain_json():
    path = Path(__file__).parents[1] / "schemas" / "plan.schema.json"
    assert json.loads(path.read_text())["$schema"].endswith("2020-12/schema")


@pytest.mark.parametrize(("day", "why"), [
    ("2022-02-30", "not \"2022-02-30\": February 2022 has 28 days."),
    ("2024-02-30", "not \"2024-02-30\": February 2024 has 29 days."),
    ("2022-13-01", "not \"2022-13-01\": there are 12 months."),
])
def test_a_day_the_calendar_lacks_says_why(day: str, why: str):
    text = MINIMAL + ("strategies:\n  - id: a\n    name: A\n    implementation_benchmarks:\n"
                      f"      - {{id: b, what: x, who: teachers, when: {day}, how: audit, target: 50}}\n")
    findings = schema_findings(text)
    assert [f.message.endswith(why) for f in findings] == [True], findings


def test_a_long_wrong_value_is_quoted_by_its_start():
    findings = schema_findings(MINIMAL.replace("unit: percent", "unit: " + "x" * 5000))
    assert len(findings) == 1
    assert '"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx... (5,000 characters)"' in findings[0].message
    assert len(findings[0].message) < 300


def _full_pass(document, name="plan.schema.json"):
    """Every schema error, found by jsonschema walking the whole document."""
    from planlint import safeschema
    from planlint.schema import schema_of

    return [(tuple(e.absolute_path), e.validator, e.message) for e in
            safeschema.validator(schema_of(name)).iter_errors(document.data)]


BROKEN = [MINIMAL.replace("planlint: 1", "planlint: 2"), MINIMAL + "extra: 1\n", MINIMAL + "measures: 7\n",
          MINIMAL + "period: {start: 2025-27, end: soon}\n",
          MINIMAL + "measures:\n  - {id: a, target: {year: 2030, value: 56%}, history: {2025-27: 1, 1999: x}}\n"
                    "  - {id: 7, name: [x], unit: percent, trajectory: {later: 1}}\n  - 5\n",
          MINIMAL + "strategies:\n  - {name: s, implementation_benchmarks: [{statement: 1, when: 2025-13-40}]}\n"]


@pytest.mark.parametrize("text", BROKEN + [path.read_text(encoding="utf-8") for path in
                                           sorted((Path(__file__).parent.parent / "examples").rglob("*.yaml"))])
def test_the_schema_reports_what_a_full_jsonschema_pass_finds(text):
    from planlint.schema import validator_for

    document = load_bytes(text.encode(), "plan.yaml").document
    if document is None:
        return
    found = [(tuple(e.absolute_path), e.validator, e.message) for e in
             validator_for("plan.schema.json").iter_errors(document.data)]
    assert found == _full_pass(document)
