"""Years as a plan writes them, in every output: a plan written in school years (`2022-23`, values
and the keys of `history` and `trajectory`) reads in school years in every message, the forecast,
the fixes and the reports; a plan written in plain years reads exactly as before; the year is the
number 2026 to JSON, to comparisons and to the rule language either way.

The plan is tests/data/realistic/pine-ridge-2025-26.yaml; its plain-year twin is made from it here
(2022-23 -> 2023), so the two cannot drift apart. The twin's text report was written by planlint
before years on keys kept their written form (pine-ridge-2025-26.plain-years.expected.txt).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main
from planlint.functions import FUNCTIONS
from planlint.lang import EvalContext, compile_expr, compile_template, parse_expression, parse_template
from planlint.loader import load_text
from planlint.prepare import read_school_years, school_year_readings
from planlint.schoolyears import SchoolYear, SchoolYearKey

REALISTIC = Path(__file__).parent / "data" / "realistic"
PLAN = REALISTIC / "pine-ridge-2025-26.yaml"
PLAIN_EXPECTED = REALISTIC / "pine-ridge-2025-26.plain-years.expected.txt"
# a school year (2022-23) that is not the start of a date (2025-05-15)
SCHOOL_YEAR = re.compile(r"(?<![0-9-])([0-9]{2})([0-9]{2})-([0-9]{2})(?![0-9-])")
PLAIN_YEAR = re.compile(r"(?<![0-9-])20[0-9]{2}(?![0-9-])")


def plain_years(text: str) -> str:
    """The text with each school year written as its spring year: 2022-23 -> 2023."""
    return SCHOOL_YEAR.sub(lambda m: str(int(m.group(1) + m.group(2)) + 1), text)


def as_plain(report: str) -> str:
    """A report on the plan in school years as it reads for the plan in plain years: a range of years
    reads "from 2021-2025" there, "from 2020-21 to 2024-25" in school years."""
    return re.sub(r"from ([0-9]{4}) to ([0-9]{4});", r"from \1-\2;", plain_years(report))


def invoke(folder: Path, *args: str) -> tuple[str, int]:
    previous = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1"})
    finally:
        os.chdir(previous)
    return result.output, result.exit_code


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    """A folder with the plan in school years (school/plan.yaml) and its twin in plain years (plain/plan.yaml)."""
    for name, text in (("school", PLAN.read_text()), ("plain", plain_years(PLAN.read_text()))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "plan.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def messages(folder: Path) -> dict[str, list[str]]:
    output, _ = invoke(folder, "check", "--no-config", "--no-cache", "--format", "json", "plan.yaml")
    found: dict[str, list[str]] = {}
    for finding in json.loads(output)["findings"]:
        found.setdefault(finding["code"], []).append(finding["message"])
    return found


def test_every_message_names_the_years_as_the_plan_writes_them(plans: Path):
    found = messages(plans / "school")
    expected = {
        "TGT005": "average annual change 0.72 from 2020-21 to 2024-25; projection for 2027-28 is 24.3 + 3 x 0.72",
        "TGT008": '"chronic-absence" still has tbd for 2026-27.',
        "TGT010": "is from 2023-24, but the latest year of data at or before the plan's start (2025-26) is 2024-25.",
        "TGT002": "has no value for 2026-27. Set a value for every year from 2025-26 to the target year 2027-28",
        "TGT003": "reaches 68 in 2027-28, but the target is 70.",
        "TGT004": "goes from 3.3 in 2025-26 to 3.5 in 2026-27, up, but lower is better",
        "TGT009": "history.2023-24 = 765.",
        "PL006": "This benchmark's date 2025-05-15 falls in school year 2024-25, outside the plan period 2025-26 to 2027-28.",
    }
    for code, text in expected.items():
        assert any(text in message for message in found[code]), (code, found.get(code))
    year_messages = [m for code in expected for m in found[code]]
    assert [m for m in year_messages if PLAIN_YEAR.search(m)] == []


def test_a_plan_in_plain_years_reads_in_plain_years_as_before(plans: Path):
    output, code = invoke(plans / "plain", "check", "--no-config", "--no-cache", "plan.yaml")
    assert f"{output}(exit {code})\n" == PLAIN_EXPECTED.read_text(encoding="utf-8")
    assert "from 2021-2025; projection for 2028 is 24.3 + 3 x 0.72" in output
    assert "falls in school year 2025, outside the plan period 2026 to 2028" in output


def test_the_two_forms_differ_only_in_how_the_years_read(plans: Path):
    """The same findings on the same lines; each message the same once its years are written plain."""
    school, plain = messages(plans / "school"), messages(plans / "plain")
    assert {code: [as_plain(m) for m in found] for code, found in school.items()} == plain


def test_json_and_sarif_keep_the_year_a_number_and_the_key_its_spring_year(plans: Path):
    output, _ = invoke(plans / "school", "check", "--no-config", "--no-cache", "--format", "json", "plan.yaml")
    paths = {f["code"]: f["path"] for f in json.loads(output)["findings"]}
    assert paths["TGT003"] == "measures[1].trajectory.2028"
    output, _ = invoke(plans / "school", "forecast", "--no-config", "--format", "json", "plan.yaml")
    measure = json.loads(output)["measures"][0]
    assert measure["history"] == {"2021": 21.4, "2022": 31.2, "2023": 28.9, "2024": 26.1, "2025": 24.3}
    assert (measure["projection_year"], measure["baseline_year"], measure["target_year"]) == (2028, 2025, 2028)
    assert measure["suggested_trajectory"] == {"2026": 21.2, "2027": 18.1, "2028": 15}
    assert measure["computation"].startswith("average annual change 0.72 from 2020-21 to 2024-25")
    plain, _ = invoke(plans / "plain", "forecast", "--no-config", "--format", "json", "plan.yaml")
    school = json.loads(output)["measures"]
    assert [{k: v for k, v in m.items() if k != "computation"} for m in school] == \
        [{k: v for k, v in m.items() if k != "computation"} for m in json.loads(plain)["measures"]]
    sarif, _ = invoke(plans / "school", "check", "--no-config", "--no-cache", "--format", "sarif", "plan.yaml")
    assert "reaches 68 in 2027-28" in sarif


def test_forecast_writes_the_plans_years_and_a_trajectory_to_paste_in_them(plans: Path):
    output, code = invoke(plans / "school", "forecast", "--no-config", "plan.yaml")
    assert code == 0, output
    assert "history                        2020-21: 21.4, 2021-22: 31.2, 2022-23: 28.9" in output
    assert "how                            average annual change 0.72 from 2020-21 to 2024-25;" in output
    pasted = re.search(r"^    (trajectory: \{2025-26: 21.2, 2026-27: 18.1, 2027-28: 15\})$", output, re.M)
    assert pasted, output
    # pasted into the plan, it is read as the school years it names
    loaded = load_text(pasted.group(1) + "\n", "pasted.yaml")
    assert loaded.document is not None and loaded.document.data == {"trajectory": {"2026": 21.2, "2027": 18.1, "2028": 15}}
    plain, _ = invoke(plans / "plain", "forecast", "--no-config", "plan.yaml")
    assert "trajectory: {2026: 21.2, 2027: 18.1, 2028: 15}" in plain
    assert "from 2021-2025;" in plain


def test_fix_names_the_years_as_written_and_never_rewrites_a_key(plans: Path):
    before = (plans / "school" / "plan.yaml").read_text()
    output, code = invoke(plans / "school", "fix", "--no-config", "plan.yaml")
    assert code == 0, output
    assert ('TGT005 fixed: the status quo projection of "chronic-absence": 23 -> 26.48 (average annual change '
            "0.72 from 2020-21 to 2024-25; projection for 2027-28 is 24.3 + 3 x 0.72 = 26.48)") in output
    assert 'TGT002 fixed: added 2026-27: 64 to the trajectory of "grade-3-reading"' in output
    after = (plans / "school" / "plan.yaml").read_text()
    assert after == before.replace("projection: {year: 2027-28, value: 23}", "projection: {year: 2027-28, value: 26.48}") \
        .replace("trajectory: {2025-26: 60, 2027-28: 68}", "trajectory: {2025-26: 60, 2026-27: 64, 2027-28: 68}")


def test_reports_chart_the_years_as_written_from_the_cache_too(plans: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PLANLINT_CACHE_DIR", str(tmp_path / "cache"))
    reports = [invoke(plans / "school", "check", "--no-config", "--format", "html", "plan.yaml")[0] for _ in range(2)]
    assert (tmp_path / "cache").is_dir()
    uncached, _ = invoke(plans / "school", "check", "--no-config", "--no-cache", "--format", "html", "plan.yaml")
    assert reports[0] == reports[1] == uncached  # the second run is rebuilt from the cache
    assert "baseline 24.3 (2024-25) · projection 26.5 (2027-28) · target 15 (2027-28)" in uncached
    assert '<g class="xt"><text x="44" y="162">2020-21</text>' in uncached
    plain, _ = invoke(plans / "plain", "check", "--no-config", "--no-cache", "--format", "html", "plan.yaml")
    assert "baseline 24.3 (2025) · projection 26.5 (2028) · target 15 (2028)" in plain
    for kind in ("markdown", "csv"):
        school, _ = invoke(plans / "school", "check", "--no-config", "--no-cache", "--format", kind, "plan.yaml")
        plain, _ = invoke(plans / "plain", "check", "--no-config", "--no-cache", "--format", kind, "plan.yaml")
        assert as_plain(school) == plain
        assert kind != "markdown" or "from 2020-21 to 2024-25; projection for 2027-28" in school


LANGUAGE_PLAN = """\
period: {start: 2025-26, end: 2027-28}
measures:
  - id: chronic-absence
    history: {2022-23: 28.9, 2023-24: 26.1, 2024-25: 24.3}
    target: {year: 2027-28, value: 15}
    trajectory: {2025-26: 21, 2026-27: 18, 2027-28: 15}
"""


def language(text: str, *, template: bool = False) -> object:
    document = load_text(LANGUAGE_PLAN, "plan.yaml").document
    plan = read_school_years(document).data
    ctx = EvalContext(plan, plan["measures"][0], ("measures", 0), {}, functions=FUNCTIONS)
    return compile_template(parse_template(text))(ctx) if template else compile_expr(parse_expression(text))(ctx)


@pytest.mark.parametrize("expression, expected", [
    ("keys(history)", ["2023", "2024", "2025"]),
    ("keys(history)[0] == '2023'", True),
    ("'2025' in history", True),
    ("2025 in history", True),
    ("history[2024] == 26.1 and history['2024'] == 26.1 and history[root.period.start - 1] == 24.3", True),
    ("trajectory[target.year]", 15),
    ("years(history) == [2023, 2024, 2025]", True),
    ("latest_year(history) == 2025 and latest_year(history) + 1 == root.period.start", True),
    ("max(years(trajectory)) == target.year", True),
    ("count(unique(keys(history) + ['2024']))", 3),
])
def test_the_rule_language_takes_a_school_year_key_as_its_spring_year(expression: str, expected: object):
    assert language(expression) == expected


@pytest.mark.parametrize("template, expected", [
    ("{years(history)}", "2022-23, 2023-24, 2024-25"),
    ("{latest_year(history)} then {latest_year(history) + 1}", "2024-25 then 2026"),
    ("{range(root.period.start, target.year)}", "2025-26, 2026-27, 2027-28"),
    ("{range(2026, target.year)}", "2026, 2027, 2028"),
    ("{school_year('2025-05-15', root.period.start)} or {school_year('2025-05-15')}", "2024-25 or 2025"),
    ("{trajectory}", "2025-26: 21, 2026-27: 18, 2027-28: 15"),
    ("{keys(trajectory)}", "2025-26, 2026-27, 2027-28"),
])
def test_a_message_shows_the_years_as_written_and_computed_years_in_the_form_they_count_from(
        template: str, expected: str):
    assert language(template, template=True) == expected


def test_a_school_year_key_reads_as_written_after_the_same_year_written_plain():
    plain = read_school_years(load_text(plain_years(LANGUAGE_PLAN), "plan.yaml").document).data
    ctx = EvalContext(plain, plain["measures"][0], ("measures", 0), {}, functions=FUNCTIONS)
    shown = "{years(history)}; {year_values(history)[0][0]}; {setbacks(history, 'increase')[0].text}"
    assert compile_template(parse_template(shown))(ctx) == "2023, 2024, 2025; 2023; from 28.9 in 2023 to 26.1 in 2024"
    assert language(shown, template=True) == \
        "2022-23, 2023-24, 2024-25; 2022-23; from 28.9 in 2022-23 to 26.1 in 2023-24"


def test_the_plan_format_reads_the_same_with_either_form():
    school = read_school_years(load_text(LANGUAGE_PLAN, "plan.yaml").document).data
    plain = read_school_years(load_text(plain_years(LANGUAGE_PLAN), "plan.yaml").document).data
    assert school == plain
    assert json.dumps(school, sort_keys=True) == json.dumps(plain, sort_keys=True)


def test_the_plan_format_names_a_school_year_key_as_written_and_keeps_its_path(tmp_path: Path):
    (tmp_path / "plan.yaml").write_text(
        PLAN.read_text().replace("2022-23: 28.9", '2022-23: "28.9%"')
        .replace("2025-26: 3.3,", "2025-26: 3.3, 2025-26: 3.4,"), encoding="utf-8")
    output, _ = invoke(tmp_path, "check", "--no-config", "--no-cache", "--format", "json", "plan.yaml")
    found = {f["code"]: f for f in json.loads(output)["findings"]
             if f["code"] == "PL002" or f["code"] == "PL003" and "history" in f["path"]}
    assert found["PL003"]["message"].startswith("measures[0].history.2022-23 must be a number")
    assert found["PL003"]["path"] == "measures[0].history.2023"
    assert found["PL002"]["message"].startswith("The key `2025-26` appears twice in this mapping")
    assert found["PL002"]["path"] == "measures[2].trajectory.2026"


def test_a_plan_that_mixes_the_forms_reads_each_year_as_written_and_counts_in_the_period_form(tmp_path: Path):
    text = PLAN.read_text().replace("period: {start: 2025-26, end: 2027-28}", "period: {start: 2026, end: 2028}")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    found = messages(tmp_path)
    # years counted from the period (the missing years of a trajectory) take its form; years written
    # in the plan (the target year, the history's range) keep theirs
    assert any("has no value for 2027. Set a value for every year from 2026 to the target year 2027-28" in m
               for m in found["TGT002"])
    assert any("from 2020-21 to 2024-25; projection for 2027-28" in m for m in found["TGT005"])
    output, _ = invoke(tmp_path, "forecast", "--no-config", "plan.yaml")
    assert "trajectory: {2026: 21.2, 2027: 18.1, 2028: 15}" in output


@pytest.mark.parametrize("start, named", [("2025-26", "school year 2025-26"), ("2026", "school year 2026")])
def test_a_date_without_a_year_is_read_in_the_school_year_named_as_the_plan_names_it(
        tmp_path: Path, start: str, named: str):
    text = PLAN.read_text().replace("period: {start: 2025-26, end: 2027-28}", f"period: {{start: {start}, end: 2028}}")
    text = text.replace("By October 15, classroom walkthroughs", "By the end of the first quarter, classroom walkthroughs")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    note = [m for m in messages(tmp_path)["IB005"] if "the end of the first quarter" in m]
    assert len(note) == 1 and f"no year is given, so it is read in {named}." in note[0], note
    sentence = "By October 15, 85% of teachers are planning."
    output, _ = invoke(tmp_path, "explain-benchmark", "--period-start", start, sentence)
    assert f"October 15 -> 2025-10-15 (no year is given, so it is read in {named})" in output


def test_the_two_readings_of_a_plan_differ_only_where_it_writes_school_years():
    """Shown, a school year is a SchoolYear and a key written as one a SchoolYearKey; for the validator a
    plain int and the key as read. What neither reading changes is the plan's own object."""
    text = "system: {name: Pine Ridge}\n" + LANGUAGE_PLAN.replace("history: {2022-23: 28.9,", "history: {2023: 31, 2022-23: 28.9,") \
        + "  - {id: plain, history: {2024: 1}, target: {year: 2028, value: 2}, notes: [2025-26]}\n"
    document = load_text(text, "plan.yaml").document
    shown, plain = school_year_readings(document)
    assert shown.data == plain.data != document.data
    assert [type(r.data["period"]["start"]) for r in (shown, plain)] == [SchoolYear, int]
    assert [type(r.data["measures"][0]["target"]["year"]) for r in (shown, plain)] == [SchoolYear, int]
    # the last of a repeated key is the one read: 2023, written last as 2022-23, is a school year key
    assert [type(key) for key in shown.data["measures"][0]["history"]] == [SchoolYearKey] * 3
    assert plain.data["measures"][0]["history"] is document.data["measures"][0]["history"]
    assert all(type(key) is str for key in plain.data["measures"][0]["trajectory"])
    assert shown.data["measures"][1] is plain.data["measures"][1] is document.data["measures"][1]
    assert shown.data["system"] is plain.data["system"] is document.data["system"]


@pytest.mark.parametrize("text", [
    plain_years(LANGUAGE_PLAN),
    "# The plan for 2025-26 to 2027-28, in plain years.\n" + plain_years(LANGUAGE_PLAN),
    plain_years(LANGUAGE_PLAN) + "notes: [Written in 2025-26]\n",
    LANGUAGE_PLAN.replace("period: {start: 2025-26, end: 2027-28}", "period: {start: 2025-27, end: 0000-01}")
    .replace("- id: chronic-absence\n", "- id: chronic-absence\n    source: {2024-25: x}\n")
    .replace("2022-23: 28.9, 2023-24: 26.1, 2024-25: 24.3", "2022-24: 28.9")
    .replace("year: 2027-28", "year: 2028").replace("trajectory: {2025-26: 21, 2026-27: 18, 2027-28: 15}", "trajectory: {}"),
])
def test_a_plan_with_no_school_year_where_a_year_goes_is_read_as_it_is(text: str):
    document = load_text(text, "plan.yaml").document
    assert school_year_readings(document) == (document, document)
    assert school_year_readings(document)[0] is document


def test_an_extended_format_reads_school_years_under_its_own_fields_too():
    schema = json.loads((Path(__file__).parent.parent / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    # a state's field named by a year, holding a mapping by year: `2025-26:` names it as "2026" does
    schema["properties"]["2026"] = {"type": "object", "properties": {"funding": {"$ref": "#/$defs/history"},
                                                                      "review": {"$ref": "#/$defs/year"}}}
    extended = json.dumps(schema)
    for written in ("2025-26", "'2026'"):
        document = load_text(f"{written}: {{funding: {{2025-26: 5, 2027: 7}}, review: 2026-27}}\n", "plan.yaml").document
        shown, plain = school_year_readings(document, extended)
        assert [type(key) for key in shown.data["2026"]["funding"]] == [SchoolYearKey, str]
        assert (type(shown.data["2026"]["review"]), type(plain.data["2026"]["review"])) == (SchoolYear, int)
        assert plain.data["2026"]["funding"] is document.data["2026"]["funding"]


def test_a_school_year_written_with_an_escape_is_read_as_any_other():
    text = 'period: {start: "2025\\x2d26", end: 2028}\nmeasures:\n  - {id: a, history: {"2024\\u002d25": 1}}\n'
    assert "2025-26" not in text and "2024-25" not in text
    shown, plain = school_year_readings(load_text(text, "plan.yaml").document)
    assert str(shown.data["period"]["start"]) == "2025-26" and type(plain.data["period"]["start"]) is int
    assert [type(key) for key in shown.data["measures"][0]["history"]] == [SchoolYearKey]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"])
def test_a_school_year_on_the_line_after_the_opening_comments_is_read_whatever_ends_them(newline: str):
    text = f"# Pine Ridge: the plan in plain years{newline}period: {{start: 2025-26, end: 2028}}\n" \
        + plain_years(LANGUAGE_PLAN).split("\n", 1)[1]
    shown, plain = school_year_readings(load_text(text, "plan.yaml").document)
    assert (str(shown.data["period"]["start"]), plain.data["period"]["start"]) == ("2025-26", 2026)
    assert type(plain.data["period"]["start"]) is int
