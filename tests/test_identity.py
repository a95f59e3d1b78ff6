"""A finding keeps its identity when a measure is inserted above it: SARIF fingerprints (GitHub's
alerts) and baseline entries name list items by their id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main
from planlint.identity import anchored_path
from planlint.reporters import sarif

ROOT = Path(__file__).resolve().parent.parent
# Three measures, none saying where its data comes from: a PM004 warning on each.
PLAN = "".join(line for line in (ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8")
               .splitlines(keepends=True) if not line.startswith("    source:"))
NEW_MEASURE = """\
  - id: math-3-5
    name: Percent of grade 3-5 students meeting or exceeding expectations on CMAS math
    aspiration: readers
    unit: percent
    direction: increase
    frequency: annual
    history: {2020: 32.0, 2021: 32.5, 2022: 33.0}
    baseline: {year: 2022, value: 33.0}
    projection: {year: 2025, value: 34.5}
    benchmarks:
      - {kind: state-average, value: 36.2, year: 2022, source: State CMAS results for grades 3-5}
    target: {year: 2025, value: 40}
    trajectory: {2023: 35, 2024: 37.5, 2025: 40}
    feasibility: ambitious
    method: [forecast, benchmark]
    rationale:
      - Reaches the state average by 2024, as the new math block starts in every grade

"""


def with_new_first_measure(text: str) -> str:
    return text.replace("measures:\n", "measures:\n" + NEW_MEASURE, 1)


@pytest.fixture()
def plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "plans" / "lincoln-elementary.yaml"
    path.parent.mkdir()
    path.write_text(PLAN, encoding="utf-8")
    return path


def fingerprints(args: list[str]) -> dict[str, str]:
    result = CliRunner().invoke(main, ["check", "--no-config", "-f", "sarif", *args])
    assert result.exit_code in (0, 1), result.output
    run = json.loads(result.stdout)["runs"][0]
    return {r["partialFingerprints"][sarif.FINGERPRINT_KEY]: r["message"]["text"] for r in run["results"]}


def test_the_plan_has_a_finding_on_each_measure(plan: Path):
    assert len(fingerprints(["plans"])) == 3


def test_a_measure_inserted_at_the_top_keeps_every_alert_below_it(plan: Path):
    before = fingerprints(["plans"])
    plan.write_text(with_new_first_measure(PLAN), encoding="utf-8")
    after = fingerprints(["plans"])
    assert set(before) < set(after)
    assert all('"math-3-5"' in after[new] for new in set(after) - set(before))


def test_a_measure_inserted_at_the_top_keeps_every_baseline_entry_below_it(plan: Path):
    recorded = CliRunner().invoke(main, ["baseline", "--no-config", "plans"])
    assert [entry["path"] for entry in json.loads(recorded.stdout)["findings"]] == [
        "measures[id=chronic-absence]", "measures[id=k2-reading]", "measures[id=reading-3-5]"]
    Path("baseline.json").write_text(recorded.stdout, encoding="utf-8")
    plan.write_text(with_new_first_measure(PLAN), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-config", "--concise", "--baseline", "baseline.json", "plans"])
    lines = result.stdout.splitlines()
    assert lines[:-1] and all('"math-3-5"' in line for line in lines[:-1]), result.output
    assert "PM004" in lines[0] and "3 in the baseline" in lines[-1], result.output


def test_a_baseline_written_with_list_indexes_still_hides_its_findings(plan: Path):
    recorded = json.loads(CliRunner().invoke(main, ["baseline", "--no-config", "plans"]).stdout)
    positions = {"reading-3-5": 0, "k2-reading": 1, "chronic-absence": 2}
    for entry in recorded["findings"]:
        ident = entry["path"].removeprefix("measures[id=").removesuffix("]")
        entry["path"] = f"measures[{positions[ident]}]"  # as earlier versions wrote it
    Path("old-baseline.json").write_text(json.dumps(recorded), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-config", "--concise", "--baseline", "old-baseline.json", "plans"])
    assert result.exit_code == 0 and "PM004" not in result.stdout, result.output


@pytest.mark.parametrize(("path", "expected"), [
    (("measures", 1, "target"), "measures[id=b].target"),
    (("measures", 0, "benchmarks", 0, "value"), "measures[id=a].benchmarks[0].value"),  # a benchmark without id
    (("strategies", 0), "strategies[0]"),  # the id is repeated: the index it is
    (("measures", 9), "measures[9]"),
])
def test_anchored_paths_name_items_by_a_unique_id(path: tuple, expected: str):
    data = {"measures": [{"id": "a", "benchmarks": [{"value": 1}]}, {"id": "b"}],
            "strategies": [{"id": "s"}, {"id": "s"}]}
    assert anchored_path(path, data) == expected
