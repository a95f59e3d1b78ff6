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
