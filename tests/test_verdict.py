"""The reviewer's verdicts, through the command line on real plans: the criteria the seeds decide,
the CSV read back as a spreadsheet would, JSON's files list, and the rubric as a data file."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main
from planlint.rubric import default_rubric_path, load_rubric
from planlint.rules import load_rules

from verdict_plans import LOUISIANA, MISSOURI, eight_measures, louisiana, write_batch


def _scorecard(folder: Path, *extra: str) -> tuple[int, list[dict[str, str]]]:
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "csv", *extra, str(folder)])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, list(csv.DictReader(io.StringIO(result.output.removeprefix("\ufeff"))))


def _verdicts(rows: list[dict[str, str]], file_name: str) -> dict[str, tuple[str, str]]:
    return {row["criterion"]: (row["verdict"], row["codes"]) for row in rows if row["file"].endswith(file_name)}


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    return write_batch(tmp_path / "submissions")


def test_eight_measures_are_not_manageable(batch: Path) -> None:
    _, rows = _scorecard(batch)
    verdicts = _verdicts(rows, "eight-measures.yaml")
    assert verdicts["Manageable"] == ("not met", "MKR001")
    assert verdicts["Aligned"] == ("met", "")
    assert _verdicts(rows, "cypress-parish.yaml")["Manageable"] == ("met", "")


def test_two_of_six_louisiana_goals_are_not_aligned(batch: Path) -> None:
    _, rows = _scorecard(batch)
    verdicts = _verdicts(rows, "two-goals.yaml")
    assert verdicts["Aligned"] == ("not met", "MKR002")
    assert verdicts["Manageable"] == ("met", "")


def test_a_plan_with_only_an_info_finding_meets_every_criterion_that_applies(batch: Path) -> None:
    _, rows = _scorecard(batch)
    verdicts = _verdicts(rows, "cypress-parish.yaml")
    assert verdicts.pop("MSIP 5 standards") == ("not applicable", "")  # a Louisiana plan
    assert set(verdicts.values()) == {("met", "")}
    assert len(verdicts) == 10
    row = next(r for r in rows if r["file"].endswith("cypress-parish.yaml"))
    assert (row["errors"], row["warnings"], row["infos"]) == ("0", "0", "1")


def test_msip5_applies_to_a_plan_that_declares_it_and_benchmarks_to_a_plan_with_strategies(tmp_path: Path) -> None:
    without = tmp_path / "no-strategies.yaml"
    text = LOUISIANA.read_text(encoding="utf-8")
    without.write_text(text[:text.index("\nstrategies:\n")] + "\n" + text[text.index("\nmonitoring:"):],
                       encoding="utf-8")
    shutil.copy(MISSOURI, tmp_path / "riverview.yaml")
    _, rows = _scorecard(tmp_path)
    assert _verdicts(rows, "riverview.yaml")["MSIP 5 standards"] == ("met", "")
    plain = _verdicts(rows, "no-strategies.yaml")
    assert plain["Implementation benchmarks"] == ("not applicable", "")
    assert plain["Performance management"][0] == "not met"  # no strategy serves the measures


def test_a_plan_that_cannot_be_read_meets_no_criterion(batch: Path) -> None:
    _, rows = _scorecard(batch)
    verdicts = _verdicts(rows, "unreadable.yaml")
    assert set(verdicts.values()) == {("not met", "PL001")}


def test_the_csv_has_every_plan_and_criterion_exactly_once(batch: Path) -> None:
    exit_code, rows = _scorecard(batch)
    assert exit_code == 1
    assert list(rows[0]) == ["file", "system", "system_id", "criterion", "verdict", "codes", "errors", "warnings",
                             "infos"]
    pairs = [(row["file"], row["criterion"]) for row in rows]
    assert len(pairs) == len(set(pairs)) == 5 * 11
    assert {row["verdict"] for row in rows} == {"met", "not met", "not applicable"}
    systems = {row["file"].rsplit("/", 1)[-1]: (row["system"], row["system_id"]) for row in rows}
    assert systems["riverview-r-iv.yaml"] == ("Riverview R-IV School District", "048-921")
    assert systems["cypress-parish.yaml"] == ("Cypress Parish School System", "036")
    assert systems["unreadable.yaml"] == ("", "")


def test_the_csv_file_opens_in_a_spreadsheet(batch: Path, tmp_path: Path) -> None:
    """UTF-8 with a byte order mark, CRLF rows, quoted fields; a name that starts like a formula stays text."""
    (batch / "tricky.yaml").write_text(louisiana(**{"name: Cypress Parish School System":
                                                     'name: "=HYPERLINK(\\"x\\"), Saint-Étienne \\"Nord\\""'}),
                                       encoding="utf-8")
    out = tmp_path / "scorecard.csv"
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "csv", "-o", str(out), str(batch)])
    assert result.exit_code == 1 and result.output == ""
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = {row["system"] for row in rows if row["file"].endswith("tricky.yaml")}
    assert names == {"'=HYPERLINK(\"x\"), Saint-Étienne \"Nord\""}


def test_json_lists_every_file_with_its_system_counts_and_verdicts(batch: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "json", str(batch)])
    document = json.loads(result.output)
    assert document["version"] == 1
    files = {Path(entry["file"]).name: entry for entry in document["files"]}
    assert sorted(files) == ["cypress-parish.yaml", "eight-measures.yaml", "riverview-r-iv.yaml", "two-goals.yaml",
                             "unreadable.yaml"]
    clean = files["riverview-r-iv.yaml"]
    assert (clean["system"], clean["errors"], clean["warnings"], clean["infos"]) == (
        "Riverview R-IV School District", 0, 0, 0)
    assert {v["verdict"] for v in clean["verdicts"]} == {"met"}
    assert files["unreadable.yaml"]["system"] is None
    manageable = next(v for v in files["eight-measures.yaml"]["verdicts"] if v["criterion"] == "manageable")
    assert manageable == {"criterion": "manageable", "name": "Manageable", "verdict": "not met", "codes": ["MKR001"]}


def test_statistics_in_markdown_and_json(batch: Path) -> None:
    markdown = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "--statistics", "-f", "markdown",
                                         str(batch)])
    assert "| MKR001 manageable (error) | 1 | 1 |" in markdown.output
    assert "| File | Line |" not in markdown.output
    document = json.loads(CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "--statistics", "-f",
                                                    "json", str(batch)]).output)
    assert "findings" not in document
    assert {"code": "MKR002", "name": "aligned", "severity": "error", "findings": 1, "files": 1} in \
        document["statistics"]
    refused = CliRunner().invoke(main, ["check", "--no-config", "--statistics", "-f", "sarif", str(batch)])
    assert refused.exit_code == 2 and "--statistics works with the formats json, markdown, text" in refused.output


def test_the_markdown_report_file_has_every_finding(tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    for number in range(60):  # 60 plans x 4 findings: more than the 200 a job summary shows
        (folder / f"plan-{number:02}.yaml").write_text(eight_measures(), encoding="utf-8")
    report = tmp_path / "report.md"
    CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "markdown", "-o", str(report), str(folder)])
    text = report.read_text(encoding="utf-8")
    rows = text.split("| --- | ---: | --- | --- | --- |\n")[1].splitlines()
    findings = [row for row in rows if row.startswith("| ")]
    assert len(findings) == 60 * 4
    assert "not shown" not in text and "locally" not in text
    severities = [row.split(" | ")[3] for row in findings]
    assert severities == ["error"] * 60 + ["warning"] * 120 + ["info"] * 60


def test_the_shipped_rubric_names_the_seed_criteria() -> None:
    rubric = load_rubric(None, load_rules([]).by_code)
    assert rubric.file == str(default_rubric_path())
    assert [c.name for c in rubric.criteria] == [
        "Manageable", "Aligned", "Ready", "Comparable", "Valid", "Clear", "Empirical", "Rigorous",
        "Implementation benchmarks", "Performance management", "MSIP 5 standards"]


@pytest.mark.parametrize("rubric, message", [
    ("id: ours\nname: Our criteria\ncriteria:\n  - id: focus\n    name: Focus\n    rules: [MKR009]\n",
     "rubric.yaml:6:13: error: this rubric file names the rule MKR009, and there is no such rule"),
    ("id: ours\nname: Our criteria\ncriteria:\n  - id: focus\n    name: Focus\n    rules: MKR001\n",
     "rubric.yaml:6:12: error: this rubric file is not valid"),
    ("id: ours\nname: Our criteria\ncriteria:\n  - {id: a, name: A, rules: [MKR001]}\n"
     "  - {id: a, name: B, rules: [MKR002]}\n",
     "rubric.yaml:5:10: error: this rubric file has two criteria with the id \"a\""),
    (None, "rubric.yaml: error: cannot read this rubric file: No such file or directory"),
])
def test_a_broken_rubric_is_a_usage_error_at_its_place(tmp_path: Path, rubric: str | None, message: str) -> None:
    if rubric is not None:
        (tmp_path / "rubric.yaml").write_text(rubric, encoding="utf-8")
    (tmp_path / ".planlint.yaml").write_text("rubric: rubric.yaml\n", encoding="utf-8")
    shutil.copy(LOUISIANA, tmp_path / "plan.yaml")
    result = CliRunner().invoke(main, ["check", "--no-cache", "-f", "csv", str(tmp_path / "plan.yaml")])
    assert result.exit_code == 2
    assert message in result.output


def test_a_state_rubric_replaces_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "rubric.yaml").write_text(
        "id: focus\nname: Focus\ncriteria:\n  - id: few-measures\n    name: Few measures\n    rules: [MKR001]\n"
        "  - id: missouri\n    name: Missouri\n    rules: [MO001]\n    applies: {frameworks: [msip5]}\n",
        encoding="utf-8")
    (tmp_path / ".planlint.yaml").write_text("rubric: rubric.yaml\n", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(eight_measures(), encoding="utf-8")
    _, rows = _scorecard_with_config(tmp_path)
    assert [(row["criterion"], row["verdict"], row["codes"]) for row in rows] == [
        ("Few measures", "not met", "MKR001"), ("Missouri", "not applicable", "")]


def _scorecard_with_config(folder: Path) -> tuple[int, list[dict[str, str]]]:
    result = CliRunner().invoke(main, ["check", "--no-cache", "-f", "csv", str(folder)])
    return result.exit_code, list(csv.DictReader(io.StringIO(result.output.removeprefix("\ufeff"))))
