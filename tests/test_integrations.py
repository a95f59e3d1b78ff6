"""The pre-commit hooks, the GitHub Action, baselines and `planlint schema`, as their users run them."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planlint.cli import main

ROOT = Path(__file__).parents[1]
BROKEN = ROOT / "examples" / "broken"


def bin_dir() -> str:
    return os.path.dirname(sys.executable)


def run_entry(entry: str, *files: str) -> subprocess.CompletedProcess:
    """Run a hook's entry the way pre-commit does: the entry's words, then the staged file names."""
    words = shlex.split(entry)
    env = dict(os.environ, PATH=bin_dir() + os.pathsep + os.environ["PATH"], NO_COLOR="1")
    return subprocess.run(words + list(files), capture_output=True, text=True, env=env, cwd=ROOT)


def test_every_pre_commit_hook_entry_runs():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} == {"planlint", "planlint-strict"}
    for hook in hooks:
        assert hook["language"] == "python" and "yaml" in hook["types"]
        good = run_entry(hook["entry"], "examples/strong-parish-2026.yaml")
        assert good.returncode == 0, good.stdout + good.stderr
        bad = run_entry(hook["entry"], "examples/broken/duplicate-key.yaml", "examples/small-school-2025.yaml")
        assert bad.returncode == 1
        assert bad.stdout.startswith("examples/broken/duplicate-key.yaml:30:5: PL002 error")
    strict = next(h for h in hooks if h["id"] == "planlint-strict")
    assert run_entry(strict["entry"], "examples/broken/yaml11-traps.yaml").returncode == 1


def test_the_action_uses_only_inputs_it_declares_and_runs_planlint():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    declared = set(action["inputs"])
    used = set(re.findall(r"inputs\.([a-z-]+)", (ROOT / "action.yml").read_text()))
    assert used == declared
    steps = action["runs"]["steps"]
    script = next(s["run"] for s in steps if s.get("name") == "Check plans")
    assert "\"$PLANLINT\"" in script and "--format sarif --output" in script
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert "inputs.sarif != ''" in upload["if"]


def test_a_baseline_reports_only_new_findings(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text((BROKEN / "duplicate-id.yaml").read_text())
    record = CliRunner().invoke(main, ["baseline", "--no-config", str(plan)])
    (tmp_path / "baseline.json").write_text(record.output)
    assert json.loads(record.output)["findings"][0]["code"] == "PL005"
    clean = CliRunner().invoke(main, ["check", "--no-config", "--baseline", str(tmp_path / "baseline.json"), str(plan)])
    assert clean.exit_code == 0 and "in the baseline" in clean.output
    # Lines above move: the recorded findings stay recorded; a new mistake is reported.
    plan.write_text("# a new first line\n" + plan.read_text().replace("target:", "target:", 1) + "x-new: 1\n")
    moved = CliRunner().invoke(main, ["check", "--no-config", "--concise", "--baseline",
                                      str(tmp_path / "baseline.json"), str(plan)])
    assert moved.exit_code == 0, moved.output
    plan.write_text(plan.read_text().replace("      - id: sessions-90", "      - id: sessions-70", 1))
    new = CliRunner().invoke(main, ["check", "--no-config", "--concise", "--baseline",
                                    str(tmp_path / "baseline.json"), str(plan)])
    assert new.exit_code == 1 and "PL005" in new.output


def test_a_broken_baseline_exits_2(tmp_path: Path):
    (tmp_path / "baseline.json").write_text("{not json")
    result = CliRunner().invoke(main, ["check", "--baseline", str(tmp_path / "baseline.json"),
                                       str(ROOT / "examples" / "strong-parish-2026.yaml")])
    assert result.exit_code == 2
    assert result.output.startswith(f"{tmp_path / 'baseline.json'}:1:2: error: this baseline is not valid JSON")


def test_schema_prints_the_plan_schema_for_editors():
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.output)["$id"] == "urn:planlint:schema:plan:1"
    assert json.loads(CliRunner().invoke(main, ["schema", "--kind", "rule"]).output)["title"] == "planlint rule"


def test_inside_github_actions_auto_annotates_and_writes_the_step_summary(tmp_path: Path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = CliRunner().invoke(main, ["check", "--no-config", str(BROKEN / "duplicate-key.yaml")], env=env)
    assert result.exit_code == 1
    assert result.output.startswith("::error file=")
    text = summary.read_text()
    assert text.startswith("earlier step\n") and "| File | Line | Code | Severity | Message |" in text
    outside = CliRunner().invoke(main, ["check", "--no-config", str(BROKEN / "duplicate-key.yaml")],
                                 env={"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": ""})
    assert "PL002 error" in outside.output and not outside.output.startswith("::")


def test_each_output_follows_its_format(tmp_path: Path):
    plan = str(BROKEN / "tabs.yaml")
    result = CliRunner().invoke(main, ["check", "--no-config", "-f", "junit", "-o", str(tmp_path / "j.xml"),
                                       "--format", "text", "--format=sarif", f"--output={tmp_path / 's.sarif'}",
                                       plan])
    assert "PL001 error" in result.output
    assert (tmp_path / "j.xml").read_text().startswith("<?xml")
    assert json.loads((tmp_path / "s.sarif").read_text())["version"] == "2.1.0"
    two = CliRunner().invoke(main, ["check", "--format", "text", "--format", "json", plan])
    assert two.exit_code == 2 and "only one format can go to standard output" in two.output
    early = CliRunner().invoke(main, ["check", "--output", "x.txt", plan])
    assert early.exit_code == 2


def test_statistics_count_findings_per_rule_across_a_batch():
    result = CliRunner().invoke(main, ["check", "--no-config", "--statistics", str(BROKEN)])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[0].split()[:3] == ["7", "PL003", "schema"] and lines[0].endswith("in 5 files")
    assert lines[-1].startswith("Checked 16 files:")
    assert not any(".yaml:" in line for line in lines)  # counts, not the findings themselves


def test_the_markdown_report_counts_findings_per_rule():
    result = CliRunner().invoke(main, ["check", "--no-config", "--format", "markdown", str(BROKEN)])
    assert "| Rule | Findings | Files |" in result.output
    assert "| PL003 schema (error) | 7 | 5 |" in result.output


def test_a_baseline_matches_however_the_plan_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plans" / "strong.yaml"
    plan.parent.mkdir()
    plan.write_text((ROOT / "examples" / "strong-parish-2026.yaml").read_text(encoding="utf-8")
                    .replace("      - id: sessions-90", "      - id: sessions-70", 1), encoding="utf-8")
    made = CliRunner().invoke(main, ["baseline", "--no-config", "plans/strong.yaml"])
    (tmp_path / "baseline.json").write_text(made.stdout, encoding="utf-8")
    assert '"file": "plans/strong.yaml"' in made.stdout
    for name in ("plans/strong.yaml", "./plans/strong.yaml", str(plan), "plans"):
        result = CliRunner().invoke(main, ["check", "--no-config", "--concise", "--baseline", "baseline.json", name])
        assert result.exit_code == 0, (name, result.output)
