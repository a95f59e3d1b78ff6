"""A plan's facts are resolved before its rules run, and a plan reads framework files only from its own folder.

A framework file named by a plan outside the plan's folder (a path up and out, an absolute path,
a link leading out, a device) is never opened and never quoted, and the finding reads the same
whether the file exists or not.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import time
from pathlib import Path

import pytest
from prerequisites import missing
from click.testing import CliRunner

import planlint.engine
import planlint.facts
from planlint.cli import main
from planlint.facts import PlanFacts, RunFacts, plan_facts
from planlint.frameworks import load_frameworks

SECRET = "Secret district salary schedule"
FRAMEWORK = f"""\
id: prairie
name: {SECRET}
state: PS
min_goals: 2
goals:
  - {{id: early-reading, name: {SECRET} reading, description: {SECRET}., grades: {{any_of: K-3}}}}
  - {{id: graduate, name: Graduation, description: Students graduate in four years., grades: {{any_of: 9-12}}}}
"""
PLAN = """\
planlint: 1
system: {{name: Prairie Unified, grades: K-12}}
period: {{start: 2025, end: 2027}}
frameworks: [{framework}]
measures:
  - id: reading
    name: Percent of third graders reading on grade level
    goals: [prairie.early-reading]
    unit: percent
    direction: increase
    target: {{year: 2027, value: 70}}
"""


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every framework file planlint loads for a plan during the test."""
    loaded: list[Path] = []
    real = planlint.facts.load_framework_file

    def record(path: Path, **more: object) -> object:
        loaded.append(path)
        return real(path, **more)

    monkeypatch.setattr(planlint.facts, "load_framework_file", record)
    return loaded


def check(plan: Path) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, ["check", "--no-config", "--select", "PL004", "-f", "json", str(plan)])
    findings = json.loads(result.output)["findings"] if result.output.startswith("{") else []
    return result.exit_code, findings, result.output


def plan_naming(folder: Path, entry: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / "plan.yaml"
    plan.write_text(PLAN.format(framework=json.dumps(entry)))
    return plan


def outside_message(entry: str) -> str:
    return planlint.facts.outside_folder(entry).problem or ""


@pytest.mark.parametrize("entry", ["../x.yaml", "../../x.yaml", "sub/../../x.yaml"])
def test_a_path_out_of_the_plans_folder_is_not_read_and_not_quoted(tmp_path: Path, opened: list[Path], entry: str):
    (tmp_path / "x.yaml").write_text(FRAMEWORK)
    (tmp_path / "deeper").mkdir()
    plan = plan_naming(tmp_path / "deeper" / "plans", entry) if entry.startswith("../../") \
        else plan_naming(tmp_path / "plans", entry)
    code, findings, output = check(plan)
    assert code == 1 and opened == []
    assert [f["message"] for f in findings if f["code"] == "PL004"][0] == outside_message(entry)
    assert SECRET not in output and "prairie" not in output.replace("prairie.early-reading", "")


def test_the_finding_is_the_same_whether_the_file_outside_exists_or_not(tmp_path: Path, opened: list[Path]):
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "x.yaml").write_text(FRAMEWORK)
    there = check(plan_naming(tmp_path / "one" / "plans", "../x.yaml"))
    missing = check(plan_naming(tmp_path / "two" / "plans", "../x.yaml"))
    assert [f["message"] for f in there[1]] == [f["message"] for f in missing[1]]
    assert "does not exist" not in there[2] + missing[2] and opened == []


def test_an_absolute_path_is_not_read_even_inside_the_plans_folder(tmp_path: Path, opened: list[Path]):
    (tmp_path / "plans").mkdir()
    inside = tmp_path / "plans" / "prairie.yaml"
    inside.write_text(FRAMEWORK)
    for entry in (str(tmp_path / "x.yaml"), str(inside), "/etc/passwd"):
        code, findings, output = check(plan_naming(tmp_path / "plans", entry))
        assert code == 1 and opened == []
        assert findings[0]["message"] == outside_message(entry)
        assert SECRET not in output and "root:" not in output


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path, opened: list[Path]):
    (tmp_path / "x.yaml").write_text(FRAMEWORK)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "state.yaml").symlink_to(tmp_path / "x.yaml")
    (tmp_path / "plans" / "shared").symlink_to(tmp_path, target_is_directory=True)
    for entry in ("state.yaml", "shared/x.yaml"):
        code, findings, output = check(plan_naming(tmp_path / "plans", entry))
        assert code == 1 and opened == []
        assert findings[0]["message"] == outside_message(entry) and SECRET not in output


def test_a_device_is_neither_read_nor_said_to_be_missing(tmp_path: Path, opened: list[Path]):
    if not Path("/dev/zero").exists():
        missing("this system has no /dev/zero")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "zero.yaml").symlink_to("/dev/zero")
    for entry in ("/dev/zero", "../../../../../../../../dev/zero", "zero.yaml"):
        started = time.monotonic()
        code, findings, output = check(plan_naming(tmp_path / "plans", entry))
        assert time.monotonic() - started < 30
        assert code == 1 and opened == [] and findings[0]["message"] == outside_message(entry)
        assert "does not exist" not in output


def test_files_inside_the_plans_folder_and_below_it_are_read(tmp_path: Path, opened: list[Path]):
    (tmp_path / "plans" / "frameworks").mkdir(parents=True)
    (tmp_path / "plans" / "frameworks" / "prairie.yaml").write_text(FRAMEWORK)
    (tmp_path / "plans" / "linked.yaml").symlink_to(tmp_path / "plans" / "frameworks" / "prairie.yaml")
    for entry in ("frameworks/prairie.yaml", "./frameworks/../frameworks/prairie.yaml", "linked.yaml"):
        opened.clear()
        code, findings, _ = check(plan_naming(tmp_path / "plans", entry))
        assert (code, findings) == (0, []) and len(opened) == 1


def test_a_missing_file_inside_the_folder_is_said_to_be_missing(tmp_path: Path, opened: list[Path]):
    code, findings, _ = check(plan_naming(tmp_path / "plans", "frameworks/prairie.yaml"))
    assert code == 1 and opened == []
    assert findings[0]["message"].startswith('The framework file "frameworks/prairie.yaml" does not exist')


def test_framework_files_from_the_config_are_trusted_wherever_they_are(tmp_path: Path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "prairie.yaml").write_text(FRAMEWORK)
    (tmp_path / "project" / "plans").mkdir(parents=True)
    (tmp_path / "project" / ".planlint.yaml").write_text("frameworks: [../shared/prairie.yaml]\n")
    plan = plan_naming(tmp_path / "project" / "plans", "prairie")
    result = CliRunner().invoke(main, ["check", "--select", "PL004", str(plan)])
    assert result.exit_code == 0, result.output


def test_the_facts_are_resolved_once_per_plan_before_the_rules_run(tmp_path: Path, opened: list[Path]):
    (tmp_path / "prairie.yaml").write_text(FRAMEWORK)
    plan = {"frameworks": ["prairie.yaml", "ldoe", "ldeo", "prairie.yaml"]}
    facts = plan_facts(plan, str(tmp_path / "plan.yaml"), RunFacts(load_frameworks()))
    assert isinstance(facts, PlanFacts) and len(opened) == 2
    assert [(d.entry, d.framework.id if d.framework else None) for d in facts.declared] == [
        ("prairie.yaml", "prairie"), ("ldoe", "ldoe"), ("ldeo", None), ("prairie.yaml", "prairie")]
    assert "Did you mean \"ldoe\"?" in (facts.declared[2].problem or "")


def test_rules_read_no_file_while_they_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "prairie.yaml").write_text(FRAMEWORK)
    plan = plan_naming(tmp_path, "prairie.yaml")
    real_open = io.open
    reads: list[str] = []

    def watch(file: object, *args: object, **more: object) -> object:
        reads.append(str(file))
        return real_open(file, *args, **more)  # type: ignore[call-overload]

    real_run = planlint.engine.run_rule

    def run_rule(*args: object, **more: object) -> object:
        with monkeypatch.context() as patch:
            patch.setattr(io, "open", watch)
            patch.setattr(builtins, "open", watch)
            return real_run(*args, **more)  # type: ignore[arg-type]

    monkeypatch.setattr(planlint.engine, "run_rule", run_rule)
    result = CliRunner().invoke(main, ["check", "--no-config", str(plan)])
    assert result.exit_code in (0, 1) and reads == []


def test_a_pipe_inside_the_folder_is_a_finding_at_once(tmp_path: Path):
    if not hasattr(os, "mkfifo"):
        missing("this system has no named pipes")
    (tmp_path / "plans").mkdir()
    os.mkfifo(tmp_path / "plans" / "pipe.yaml")
    started = time.monotonic()
    code, findings, _ = check(plan_naming(tmp_path / "plans", "pipe.yaml"))
    assert time.monotonic() - started < 30 and code == 1
    assert "not a regular file" in findings[0]["message"]
