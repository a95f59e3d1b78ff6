"""A plan far larger than usual is still judged by every rule: none gives up on its step budget."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from planlint.cli import main


def big_plan(measures: int = 250, strategies: int = 120, benchmarks: int = 5) -> str:
    lines = ["planlint: 1", "system: {name: Large State Network}", "period: {start: 2022, end: 2026}",
             "aspirations:", "  - {id: outcomes, name: Student outcomes}", "measures:"]
    for m in range(measures):
        lines += [f"  - id: measure-{m}", f"    name: Measure {m}", "    aspiration: outcomes", "    unit: percent",
                  "    direction: increase", "    history: {2018: 50, 2019: 51}",
                  "    target: {year: 2026, value: 60}"]
    lines.append("strategies:")
    for s in range(strategies):
        lines += [f"  - id: strategy-{s}", f"    name: Strategy {s}",
                  f"    serves: [measure-{s % measures}, measure-{(s + 1) % measures}]", "    implementation_benchmarks:"]
        lines += [f"      - {{id: b-{s}-{b}, what: coaching cycles, who: teachers, when: 2022-10-0{b + 1}, "
                  f"how: coaching log, target: {50 + b}}}" for b in range(benchmarks)]
        lines += ["    interim_measures:", f"      - {{id: i-{s}, what: reading growth, who: students, "
                  f"when: 2022-12-15, how: iReady, target: 40, measure: measure-{s % measures}}}"]
    return "\n".join(lines) + "\n"


def test_every_rule_judges_a_very_large_plan(tmp_path: Path):
    plan = tmp_path / "large.yaml"
    plan.write_text(big_plan())
    result = CliRunner().invoke(main, ["check", "--no-config", "--format", "json", str(plan)])
    findings = json.loads(result.output)["findings"]
    assert [f for f in findings if f["code"] == "PL010"] == []
    assert {f["code"] for f in findings} >= {"MKR001", "PM002"}  # 250 measures; most serve no strategy
    assert not any(f["code"] in ("PL004", "PL005") for f in findings)  # every reference and id is sound


def test_a_plan_of_many_written_values_is_judged_and_only_aliases_count_as_expansion(tmp_path: Path):
    """5,000 measures with long histories: over 200,000 values, all written out, none through an alias."""
    years = ", ".join(f"{year}: {40 + year % 7}" for year in range(1995, 2020))
    plan = tmp_path / "large.yaml"
    plan.write_text(big_plan(measures=5000, strategies=40).replace("history: {2018: 50, 2019: 51}",
                                                                   f"history: {{{years}}}"))
    result = CliRunner().invoke(main, ["check", "--no-config", "--format", "json", str(plan)])
    findings = json.loads(result.output)["findings"]
    assert [f["message"] for f in findings if f["code"] in ("PL001", "PL010")] == []
    assert {f["code"] for f in findings} >= {"MKR001", "PM002"}


def test_values_made_by_aliases_have_a_cap_of_their_own(tmp_path: Path):
    rows = "\n".join(f"  r{i}: &r{i} [{', '.join(f'*r{i - 1}' for _ in range(10))}]" for i in range(1, 7))
    plan = tmp_path / "bomb.yaml"
    plan.write_text(f"planlint: 1\nx:\n  r0: &r0 [1, 2, 3]\n{rows}\n")
    result = CliRunner().invoke(main, ["check", "--no-config", "--concise", str(plan)])
    assert "values through aliases (*name repeats what &name marks)" in result.output
