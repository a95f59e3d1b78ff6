"""Which files a check reads: folders, links, special files, configuration files and `exclude:`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def checked(result: Result) -> str:
    assert result.exit_code in (0, 1), result.output
    return result.stdout.splitlines()[-1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")


def test_a_link_that_loops_is_a_finding_and_the_batch_goes_on(tmp_path: Path):
    write(tmp_path / "plans" / "good.yaml", PLAN)
    os.symlink("b.yaml", tmp_path / "plans" / "a.yaml")
    os.symlink("a.yaml", tmp_path / "plans" / "b.yaml")
    result = run("check", "--concise", "plans")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == ["plans/a.yaml:1:1", "plans/b.yaml:1:1"]
    assert all("PL001" in line and "symbolic links" in line for line in lines[:-1])
    assert lines[-1] == "Checked 3 files: 2 errors in 2 files."


def test_a_named_pipe_is_never_opened(tmp_path: Path):
    """Reading a FIFO nobody writes to would wait for ever; run in a process with a time limit."""
    write(tmp_path / "plans" / "good.yaml", PLAN)
    os.mkfifo(tmp_path / "plans" / "pipe.yaml")
    done = subprocess.run([sys.executable, "-m", "planlint", "check", "--concise", "plans"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines() == [
        "plans/pipe.yaml:1:1: PL001 error This is a named pipe, not a plan file, so planlint does not read "
        "it. To check what a program writes, pipe it to `planlint check -`.",
        "Checked 2 files: 1 error in 1 file."]


def test_a_device_is_refused_without_reading_it():
    result = run("check", "--concise", "/dev/zero")
    assert result.exit_code == 1
    assert "This is a device, not a plan file, so planlint does not read it." in result.stdout


def test_a_folder_without_plans_is_a_usage_error(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "only-notes" / "notes.txt", "no plans here\n")
    for folder in ("empty", "only-notes"):
        result = run("check", folder)
        assert result.exit_code == 2
        assert result.stderr.startswith(f"planlint: error: {folder}: there is no plan file")


def test_a_configuration_file_named_by_a_hook_is_not_taken_for_a_plan(tmp_path: Path):
    write(tmp_path / "plans" / ".planlint.yaml", "select: [MKR001]\n")
    write(tmp_path / "plans" / "plan.yaml", PLAN)
    assert checked(run("check", "plans/.planlint.yaml", "plans/plan.yaml")) == "Checked 1 file: no problems found."


def test_exclude_leaves_out_files_and_folders_found_in_a_folder(tmp_path: Path):
    write(tmp_path / ".planlint.yaml", "exclude: [drafts/, '**/old-*.yaml', notes.yml]\n")
    for name in ("plan.yaml", "drafts/a.yaml", "drafts/deeper/b.yaml", "archive/old-2020.yaml",
                 "old-2019.yaml", "notes.yml", "archive/current.yaml"):
        write(tmp_path / name, PLAN)
    assert checked(run("check", ".")) == "Checked 2 files: no problems found."
    # a file named on the command line is checked all the same
    assert checked(run("check", ".", "drafts/a.yaml")) == "Checked 3 files: no problems found."


def test_rule_folders_and_framework_files_of_the_configuration_are_not_plans(tmp_path: Path):
    framework = (ROOT / "frameworks" / "msip5.yaml").read_text(encoding="utf-8")
    write(tmp_path / "state" / "our-goals.yaml", framework.replace("id: msip5", "id: ours", 1))
    rule = (ROOT / "rules" / "mkr" / "MKR001-manageable.yaml").read_text(encoding="utf-8")
    write(tmp_path / "state" / "rules" / "xs" / "XS001-manageable-xs.yaml",
          rule.replace("code: MKR001", "code: XS001").replace("name: manageable", "name: manageable-xs")
          .replace("pack: mkr", "pack: xs"))
    write(tmp_path / ".planlint.yaml", "rules: [state/rules]\nframeworks: [state/our-goals.yaml]\n")
    write(tmp_path / "plans" / "plan.yaml", PLAN)
    assert checked(run("check", ".")) == "Checked 1 file: no problems found."


def test_a_file_reached_twice_is_checked_once_and_a_link_is_judged_where_it_points(tmp_path: Path):
    framework = (ROOT / "frameworks" / "msip5.yaml").read_text(encoding="utf-8")
    write(tmp_path / "state" / "our-goals.yaml", framework.replace("id: msip5", "id: ours", 1))
    write(tmp_path / ".planlint.yaml", "exclude: [drafts/]\nframeworks: [state/our-goals.yaml]\n")
    write(tmp_path / "plans" / "plan.yaml", PLAN)
    write(tmp_path / "drafts" / "draft.yaml", PLAN)
    os.symlink("plans", tmp_path / "linked")
    os.symlink("plan.yaml", tmp_path / "plans" / "again.yaml")
    os.symlink("../drafts/draft.yaml", tmp_path / "plans" / "draft.yaml")
    os.symlink("../state/our-goals.yaml", tmp_path / "plans" / "goals.yaml")
    for paths, shown in (((".",), "plans/again.yaml"), (("linked", "plans"), "linked/again.yaml"),
                         ((".", "linked/plan.yaml"), "linked/plan.yaml"), (("linked", "./plans/../plans"), "linked/again.yaml")):
        result = run("check", "--show-files", *paths)
        assert (result.exit_code, result.stdout) == (0, f"{shown}\n"), paths


def test_a_date_in_tool_planlint_is_read_as_the_date(tmp_path: Path):
    write(tmp_path / "pyproject.toml", '[tool.planlint]\nas-of = 2025-01-15\nselect = ["IB008"]\n')
    write(tmp_path / "plan.yaml", PLAN)
    result = run("check", "--concise", "plan.yaml")
    assert result.exit_code == 0, result.output
    assert "As of 2025-01-15, the date of this benchmark" in result.stdout


def test_a_named_pipe_given_as_the_configuration_is_a_usage_error(tmp_path: Path):
    write(tmp_path / "plan.yaml", PLAN)
    os.mkfifo(tmp_path / "settings.yaml")
    done = subprocess.run([sys.executable, "-m", "planlint", "check", "--config", "settings.yaml", "plan.yaml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("settings.yaml: error: cannot read this configuration file: it is a named pipe, not a regular file")


def test_a_configuration_error_shows_its_line_with_control_characters_escaped(tmp_path: Path):
    write(tmp_path / ".planlint.yaml", 'select: ["MKR001"]  # \x0b\n')
    write(tmp_path / "plan.yaml", PLAN)
    result = run("check", "plan.yaml")
    assert result.exit_code == 2
    assert "\x0b" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{tmp_path / '.planlint.yaml'}:1:23: error: this configuration file cannot be read")
    assert lines[1:] == [' 1 | select: ["MKR001"]  # \\x0b', "   |                       ^"]


def test_exclude_on_the_command_line_adds_to_the_configuration(tmp_path: Path):
    write(tmp_path / ".planlint.yaml", "exclude: [drafts/]\n")
    for name in ("plans/a.yaml", "plans/old-b.yaml", "drafts/c.yaml", "archive/d.yaml"):
        write(tmp_path / name, PLAN)
    assert checked(run("check", ".")) == "Checked 3 files: no problems found."
    assert checked(run("check", "--exclude", "archive", "--exclude", "**/old-*.yaml", ".")) == \
        "Checked 1 file: no problems found."
    assert checked(run("check", "--exclude", "plans/a.yaml", "plans")) == "Checked 1 file: no problems found."


def test_a_batch_resolves_each_folder_once_not_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Finding the files, their configuration and their exclusions costs a batch per folder, not per file:
    resolving a path and looking upward for a configuration are done before any worker can start."""
    write(tmp_path / ".planlint.yaml", "exclude: ['plans/skip-*.yaml']\n")
    for index in range(40):
        write(tmp_path / "plans" / f"plan-{index:02}.yaml", PLAN)
        write(tmp_path / "plans" / f"skip-{index:02}.yaml", PLAN)
    write(tmp_path / "plans" / "district" / ".planlint.yaml", "ignore: [MKR002]\n")
    write(tmp_path / "plans" / "district" / "one.yaml", PLAN)
    resolved = []
    real = Path.resolve

    def counted(self: Path, strict: bool = False) -> Path:
        resolved.append(self)
        return real(self, strict)

    monkeypatch.setattr(Path, "resolve", counted)
    from planlint.pipeline import Profiles, Settings, select_targets

    profiles = Profiles(Settings())
    for folder in ("plans", "plans/district"):
        profiles.for_folder(Path(folder))  # the rules built: what follows is the batch's own cost
    resolved.clear()
    targets, missing = select_targets(["plans"], profiles)
    assert [t.name for t in targets] == ["plans/district/one.yaml", *(f"plans/plan-{i:02}.yaml" for i in range(40))]
    assert not missing
    assert len(resolved) <= 6, resolved  # a few for each of two folders, against 81 files
