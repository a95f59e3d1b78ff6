"""Plans as districts publish them, checked through the command line: sentences for benchmarks,
school years (2025-26), goals still in words, measures where lower is better.

Each plan in tests/data/realistic/ has beside it the text report planlint prints for it
(NAME.expected.txt, ending with its exit code). Regenerate them after an intended change with
PLANLINT_UPDATE_EXPECTED=1, then read the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main

REALISTIC = Path(__file__).parent / "data" / "realistic"
PLANS = sorted(REALISTIC.glob("*.yaml"))
RIVERSIDE = REALISTIC / "riverside-district-2025-26.yaml"
CLEARWATER = REALISTIC / "clearwater-mo-2025-26.yaml"
MAPLE = REALISTIC / "maple-elementary-2025-26.yaml"


def check(*args: str, cwd: Path = REALISTIC) -> tuple[str, int]:
    previous = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, ["check", "--no-config", *args], env={"NO_COLOR": "1"})
    finally:
        os.chdir(previous)
    return result.output, result.exit_code


def findings(plan: Path) -> list[dict]:
    output, _ = check("--format", "json", plan.name)
    return json.loads(output)["findings"]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_the_text_report_is_the_one_written_beside_the_plan(plan: Path):
    output, code = check(plan.name)
    got = f"{output}(exit {code})\n"
    expected = plan.with_name(plan.stem + ".expected.txt")
    if os.environ.get("PLANLINT_UPDATE_EXPECTED"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_machine_formats_keep_one_result_per_place_that_the_text_groups(plan: Path):
    output, _ = check(plan.name)
    entries = len(re.findall(r"^\S+:\d+:\d+: ", output, re.M))
    extra = sum(len(re.findall(r"\(line \d+\)", line)) - 1
                for line in output.splitlines() if line.startswith("  The same for each of:"))
    assert len(findings(plan)) == entries + extra


def test_school_years_are_read_everywhere_and_shown_as_written():
    output, _ = check(CLEARWATER.name)
    assert "must be a year" not in output
    assert "has no value for 2027-28, 2028-29" in output
    assert "from 2025-26 to the target year 2028-29" in output


def test_a_school_year_that_spans_two_years_stays_an_error(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(RIVERSIDE.read_text().replace("end: 2027-28}", "end: 2027-29}"))
    output, code = check(plan.name, cwd=tmp_path)
    assert code == 1
    assert ('period.end must be a year such as 2026 or a school year such as 2025-26, not "2027-29": '
            "that spans more than one school year") in output
    # the checks that need the period say once that they did not run, and why
    assert output.count("so these checks did not run") == 1
    assert "trajectories complete from the first year (TGT002)" in output


def test_a_measure_still_in_words_is_judged_on_everything_it_has():
    codes = {(f["code"], f["line"]) for f in findings(CLEARWATER)}
    subgroup_line = next(number for number, text in enumerate(CLEARWATER.read_text().splitlines(), 1)
                         if "id: subgroup-mpi" in text)
    on_subgroup = {code for code, line in codes if line in (subgroup_line, subgroup_line + 1)}
    assert on_subgroup == {"PL003", "MKR003", "MO005"}  # the missing target, and what else is wrong


def test_plan_counts_count_a_measure_without_a_target_as_not_meeting():
    messages = {f["code"]: f["message"] for f in findings(RIVERSIDE)}
    assert messages["TGT011"].startswith("2 of 3 targets are bold")
    assert "ninth-grade-on-track (no target yet)" in messages["TGT011"]


def test_tgt001_says_what_is_missing(tmp_path: Path):
    text = RIVERSIDE.read_text()
    for line in ("    rationale: Passes the state average in 2025-26 and keeps twice the recent rate\n",
                 "    rationale: Back to the district's rate before 2020\n",
                 "    rationale: Increase significantly, in line with the state's on-track goal\n"):
        text = text.replace(line, "")
    (tmp_path / "plan.yaml").write_text(text)
    output, _ = check("plan.yaml", cwd=tmp_path)
    assert ("0 of 3 targets say what informed them; most should. No `rationale` (the reasons, in a few "
            "words): ela-3-8, chronic-absence. No target yet, so nothing informed one: ninth-grade-on-track") \
        in " ".join(output.split())


def test_sentence_benchmarks_are_judged_by_every_rule():
    by_line = {}
    for finding in findings(RIVERSIDE):
        by_line.setdefault(finding["line"], set()).add(finding["code"])
    lines = RIVERSIDE.read_text().splitlines()

    def codes_of(benchmark_id: str) -> set[str]:
        start = next(n for n, text in enumerate(lines, 1) if f"id: {benchmark_id}" in text)
        return by_line.get(start, set()) | by_line.get(start + 1, set())

    assert codes_of("lo-plans-70") == set()  # the guide's example: nothing missing, nothing assumed
    assert codes_of("instruction") >= {"IB009"}  # "improve instruction" is an intention
    assert codes_of("advisory-meetings") == set()  # a student experience stays a benchmark (IB002 quiet)
    assert codes_of("calls-home") == {"IB001"}  # "winter break" is no date planlint can read
    assert codes_of("tiered-plans") == {"IB005"}  # the end of the 2025-26 school year, assumption stated


def test_the_guide_series_written_as_sentences_passes():
    assert {f["severity"] for f in findings(MAPLE)} == {"info"}
    output, code = check(MAPLE.name)
    assert code == 0
    assert "The same for each of: lo-sep-1 (line 46), lo-oct-30 (line 52)" in output


def test_a_configuration_adds_a_state_field_to_the_plan_format(tmp_path: Path):
    text = RIVERSIDE.read_text().replace("    aspiration: present\n", "    aspiration: present\n    owner: Dr. Lee\n", 1)
    (tmp_path / "plan.yaml").write_text(text)
    output, _ = check("plan.yaml", cwd=tmp_path)
    assert 'has an unknown key "owner"' in output
    (tmp_path / ".planlint.yaml").write_text("plan-fields:\n  measure:\n    owner: {type: string}\n")
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", "plan.yaml"], env={"NO_COLOR": "1"})
    finally:
        os.chdir(previous)
    assert "owner" not in result.output
    (tmp_path / ".planlint.yaml").write_text("plan-fields:\n  measure:\n    owner: {type: integer}\n")
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["check", "plan.yaml"], env={"NO_COLOR": "1"})
    finally:
        os.chdir(previous)
    assert "owner must be a whole number" in result.output


def test_forecast_reads_school_years_as_check_does():
    result = CliRunner().invoke(main, ["forecast", "--no-config", str(RIVERSIDE)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert "target 2027-28                 50" in result.output
    assert re.search(r"required annual change +3\n", result.output)


def test_a_series_written_as_sentences_is_judged_as_a_series(tmp_path: Path):
    text = MAPLE.read_text().replace("show that 70% of teachers will be", "show that 40% of teachers will be")
    (tmp_path / "plan.yaml").write_text(text)
    output, _ = check("plan.yaml", cwd=tmp_path)
    assert ("This benchmark expects 40% of teachers by 2025-09-15, less than the 50% an earlier benchmark "
            "for the same action expects by 2025-09-01.") in " ".join(output.split())
