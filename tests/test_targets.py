"""Mission key results and targets as planning teams meet them: the seed's worked tables, measures
where lower is better, gaps in points, missing years, tbd values, state data and `planlint forecast`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main

ROOT = Path(__file__).parents[1]
SEED = ROOT / "tests" / "data" / "seed-000-targets.yaml"
STATE = ROOT / "examples" / "state-data.csv"
STRONG = ROOT / "examples" / "strong-parish-2026.yaml"


def check(*args: str) -> tuple[int, list[dict]]:
    result = CliRunner().invoke(main, ["check", "--no-config", "--format", "json", *args])
    return result.exit_code, json.loads(result.output)["findings"]


def by_measure(findings: list[dict]) -> set[tuple[str, str]]:
    """(measure index or 'plan', code) for each finding."""
    out = set()
    for f in findings:
        where = f["path"].split(".")[0]
        out.add((where if where.startswith("measures[") else "plan", f["code"]))
    return out


def test_the_seed_tables_are_judged_row_by_row():
    _, findings = check("--select", "mkr,tgt", str(SEED))
    assert by_measure(findings) == {
        ("plan", "MKR004"),                # no measure names a benchmark
        ("plan", "TGT011"),                # 4 of 7 targets are rigorous
        ("measures[0]", "TGT005"),         # 52 + 7 x -1.5 = 41.5, not 47
        ("measures[1]", "TGT006"),         # K-2 literacy: target 90 = projection 90
        ("measures[2]", "TGT006"),         # grades 3-8: target 71 below projection 79
        ("measures[3]", "TGT004"),         # ACT/WorkKeys: 17 in 2022 falls back from 18
        ("measures[4]", "TGT003"),         # "A" schools: trajectory 60, target 59
        ("measures[5]", "MKR003"),         # belonging: no history, no readiness plan
        ("measures[5]", "TGT002"),         # belonging: no value for 2022
        ("measures[5]", "TGT008"),         # belonging: tbd for 2023-2025
        ("measures[6]", "TGT009"),         # the gap's trajectory slips to +22, +21, +19
    }
    tgt005 = next(f for f in findings if f["code"] == "TGT005")
    assert ("average annual change -1.5 from 2017-2019; projection for 2026 is 52 + 7 x -1.5 = 41.5, "
            "but the plan states 47") in tgt005["message"]


def test_the_strong_example_passes_with_and_without_state_data():
    code, findings = check(str(STRONG))
    assert code == 0 and {f["code"] for f in findings} == {"TGT008"}
    code, findings = check("--state-data", str(STATE), str(STRONG))
    assert code == 0 and {(f["code"], f["severity"]) for f in findings} == {("TGT008", "info"), ("TGT012", "info")}
    ranks = [f["message"] for f in findings if f["code"] == "TGT012"]
    assert ranks[0].startswith('The baseline 52 (2019) of "grad-credentials" ranks at the 41st percentile')
    assert len(ranks) == 3  # the three measures with a state_measure code


def test_a_stated_percentile_that_the_state_data_contradicts(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(STRONG.read_text().replace("{kind: percentile, value: 40, year: 2019,",
                                               "{kind: percentile, value: 70, year: 2019,"))
    _, findings = check("--state-data", str(STATE), str(plan))
    (wrong,) = [f for f in findings if f["code"] == "TGT012" and f["severity"] == "warning"]
    assert "stood at the 70th percentile in 2019, but the state's data put its baseline at the 41st" in wrong["message"]


def test_state_data_judges_a_wrong_feasibility_label(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(STRONG.read_text().replace("    feasibility: moderate\n    method: [forecast, benchmark]",
                                               "    feasibility: very-ambitious\n    method: [forecast, benchmark]", 1))
    _, without = check(str(plan))
    assert "TGT007" not in {f["code"] for f in without}  # three years of history say too little
    _, findings = check("--state-data", str(STATE), str(plan))
    (tgt007,) = [f for f in findings if f["code"] == "TGT007"]
    assert tgt007["path"] == "measures[0].feasibility"
    assert "reads as moderate" in tgt007["message"] and "53% of the state's systems" in tgt007["message"]


def test_state_data_from_the_config_file(tmp_path: Path):
    (tmp_path / "state.csv").write_text(STATE.read_text())
    (tmp_path / ".planlint.yaml").write_text("state-data: state.csv\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(STRONG.read_text().replace("    feasibility: moderate\n    method: [forecast, benchmark]",
                                               "    feasibility: ambitious\n    method: [forecast, benchmark]", 1))
    result = CliRunner().invoke(main, ["check", "--concise", str(plan)])
    assert "TGT007 warning" in result.output


@pytest.mark.parametrize(
    ("csv", "row", "words"),
    [
        ("district,measure,year,value\n", 1, "starts with the header"),
        ("system,measure,year,value\n001,GRAD,2019\n", 2, "has 3 columns"),
        ("system,measure,year,value\n001,GRAD,2019,52\n002,GRAD,2019,fifty\n", 3, "must be a number"),
        ("system,measure,year,value\n001,GRAD,19,52\n", 2, "must be a year"),
        ("system,measure,year,value\n001,GRAD,2019,52\n001,GRAD,2019,53\n", 3, "repeats"),
    ],
)
def test_a_malformed_state_data_file_exits_2_with_the_row(tmp_path: Path, csv: str, row: int, words: str):
    data = tmp_path / "state.csv"
    data.write_text(csv)
    result = CliRunner().invoke(main, ["check", "--no-config", "--state-data", str(data), str(STRONG)])
    assert result.exit_code == 2
    assert f"{data}:{row}:1: error:" in result.output and words in result.output


def plan_with(measure: str) -> str:
    return ("planlint: 1\nsystem: {name: Test}\nperiod: {start: 2022, end: 2025}\nmeasures:\n" + measure)


def test_a_measure_where_lower_is_better_is_judged_the_right_way_round(tmp_path: Path):
    plan = tmp_path / "absence.yaml"
    plan.write_text(plan_with(
        "  - id: chronic-absence\n    name: Percent of students chronically absent\n    unit: percent\n"
        "    direction: decrease\n    history: {2020: 20, 2021: 19, 2022: 18}\n"
        "    baseline: {year: 2022, value: 18}\n    projection: {year: 2025, value: 15}\n"
        "    target: {year: 2025, value: 16}\n    trajectory: {2022: 18, 2023: 19, 2024: 17, 2025: 16}\n"))
    _, findings = check("--select", "TGT004,TGT006", str(plan))
    messages = {f["code"]: f["message"] for f in findings}
    assert "goes from 18 in 2022 to 19 in 2023, up, but lower is better" in messages["TGT004"]
    assert "does not improve on the status quo projection of 15: lower is better" in messages["TGT006"]


def test_missing_years_and_tbd(tmp_path: Path):
    plan = tmp_path / "gaps.yaml"
    plan.write_text(plan_with(
        "  - id: reading\n    name: Percent reading at grade level\n    unit: percent\n    direction: increase\n"
        "    history: {2018: 38, 2019: 40, 2020: null, 2021: 36}\n    projection: {year: 2025, value: 36}\n"
        "    target: {year: 2025, value: tbd}\n    trajectory: {2022: 37, 2024: tbd}\n"))
    _, findings = check("--select", "TGT002,TGT005,TGT008", str(plan))
    messages = {f["code"]: f["message"] for f in findings}
    # (40 - 38) / 1 and (36 - 40) / 2 average to 0; the null year is skipped, not read as zero
    assert "TGT005" not in messages
    assert "no value for 2023, 2025" in messages["TGT002"]
    assert "still has tbd for 2024, the target" in messages["TGT008"]


def test_eight_measures_are_too_many(tmp_path: Path):
    plan = tmp_path / "many.yaml"
    plan.write_text(plan_with("".join(
        f"  - {{id: m{i}, name: M{i}, unit: number, direction: increase, target: {{year: 2025, value: 1}}}}\n"
        for i in range(8))))
    _, findings = check("--select", "MKR001", str(plan))
    assert [f["message"].split(";")[0] for f in findings] == ["The plan has 8 mission measures"]
    assert findings[0]["line"] == 4


def test_forecast_prints_the_worksheet_and_a_trajectory_to_paste():
    result = CliRunner().invoke(main, ["forecast", "--state-data", str(STATE), str(STRONG)])
    assert result.exit_code == 0
    block = result.output.split("\n\n")[0]
    assert "status quo projection 2026  47.1 (the plan states 47)" in block
    assert "percentile rank 40.6 in the state" in block
    assert "required annual change      1.14" in block
    assert "moderate: 53% of the state's systems improved at least that fast (the plan says moderate)" in block
    assert "    trajectory: {2022: 55.4, 2023: 56.6, 2024: 57.7, 2025: 58.9, 2026: 60}" in block


def test_forecast_json_and_a_broken_plan():
    result = CliRunner().invoke(main, ["forecast", "--format", "json", str(SEED)])
    measures = json.loads(result.output)["measures"]
    assert measures[0]["projection"] == 41.5 and measures[0]["stated_projection"] == 47
    assert measures[3]["projection"] == 0  # a percent does not fall below 0
    assert measures[5]["suggested_trajectory"] is None  # no baseline to draw from
    broken = CliRunner().invoke(main, ["forecast", str(ROOT / "examples" / "broken" / "tabs.yaml")])
    assert broken.exit_code == 1 and "PL001" in broken.output
