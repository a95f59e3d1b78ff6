"""The GitHub Action as a runner runs it (tests/action_runner.py): in a repository with plans, docs
and workflows, with its defaults, several paths, a broken configuration, another working folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from action_runner import ActionRun, Runner

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8")
# Three measures that do not say where their data comes from: three PM004 warnings, no error.
WARNED = "".join(line for line in PLAN.splitlines(keepends=True) if not line.startswith("    source:"))
REPOSITORY = {
    ".planlint.yaml": "# Lincoln County: warnings fail the pull request too\nfail-on: warning\n",
    "plans/lincoln-elementary-2025-26.yaml": PLAN,
    "plans/washington-middle-2025-26.yaml": WARNED,
    "mkdocs.yml": "site_name: Planning handbook\nnav:\n  - Home: index.md\n",
    "docs/index.md": "# Planning handbook\n",
    ".github/workflows/plans.yml": "on: [pull_request]\njobs:\n  plans:\n    runs-on: ubuntu-latest\n"
                                   "    steps:\n      - uses: actions/checkout@v4\n      - uses: planlint/planlint@v0\n",
    ".pre-commit-config.yaml": "repos:\n  - repo: https://github.com/planlint/planlint\n    rev: v0.1.0\n"
                               "    hooks:\n      - id: planlint\n",
}


def _package_folders() -> list[str]:
    return [entry for entry in dict.fromkeys(sys.path)
            if entry and Path(entry).name in ("site-packages", "dist-packages") and Path(entry).is_dir()]


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory) -> tuple[Runner, ActionRun]:
    """A runner, and the action's first run there with its defaults (which installs planlint)."""
    base = tmp_path_factory.mktemp("runner")
    workspace, temp, home = base / "workspace", base / "temp", base / "home"
    for folder in (workspace, temp, home):
        folder.mkdir()
    for name, text in REPOSITORY.items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(text, encoding="utf-8")
    # The install step runs as written; the only difference from a runner is that pip finds the
    # dependencies already installed (here, in the running environment) instead of downloading them.
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "PYTHONPATH": ":".join(_package_folders()),
           "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0", "PLANLINT_NO_CACHE": "1", "NO_COLOR": "1"}
    runner = Runner(workspace, temp, env)
    return runner, runner.run({})


def annotated_files(run: ActionRun) -> set[str]:
    lines = run.step("Check plans").stdout.splitlines()
    return {line.split("file=")[1].split(",")[0] for line in lines if line.startswith("::")}


def installed(job: tuple[Runner, ActionRun]) -> dict[str, dict[str, str]]:
    return {"python": job[1].outputs["python"], "install": job[1].outputs["install"]}


def test_planlint_is_installed_into_its_own_environment(job: tuple[Runner, ActionRun]):
    runner, run = job
    assert run.step("Install planlint").returncode == 0, run.step("Install planlint").stderr
    planlint = Path(run.outputs["install"]["planlint"])
    assert planlint.is_file() and planlint.is_relative_to(runner.temp)
    where = subprocess.run([str(planlint.parent / "python"), "-c", "import planlint; print(planlint.__file__)"],
                           capture_output=True, text=True, env=runner.env, cwd=runner.workspace)
    assert where.stdout.startswith(str(runner.temp)), where.stdout + where.stderr  # the wheel, not the checkout


def test_with_its_defaults_it_annotates_plans_only_and_the_config_fail_level_holds(job: tuple[Runner, ActionRun]):
    _, run = job
    check = run.step("Check plans")
    assert annotated_files(run) == {"plans/washington-middle-2025-26.yaml"}, check.stdout + check.stderr
    assert check.stdout.count("::warning ") == 3
    assert check.returncode == 1  # fail-on: warning in .planlint.yaml, not overridden by the action
    assert not run.step("Upload SARIF to code scanning").ran


def test_the_fail_on_input_still_overrides_the_configuration(job: tuple[Runner, ActionRun]):
    runner, _ = job
    run = runner.run({"fail-on": "error"}, done=installed(job))
    assert run.step("Check plans").returncode == 0, run.step("Check plans").stdout


def test_paths_on_several_lines_are_all_checked(job: tuple[Runner, ActionRun]):
    runner, _ = job
    paths = "plans/lincoln-elementary-2025-26.yaml\nplans/washington-middle-2025-26.yaml\n  mkdocs.yml\n"
    run = runner.run({"paths": paths, "format": "text"}, done=installed(job))
    assert run.step("Check plans").stdout.splitlines()[-1] == "Checked 2 files: 3 warnings in 1 file."


def test_sarif_is_written_and_uploaded_from_the_workspace_whatever_the_working_folder(job: tuple[Runner, ActionRun]):
    runner, _ = job
    run = runner.run({"sarif": "planlint.sarif"}, cwd=runner.workspace / "docs", done=installed(job))
    assert annotated_files(run) == {"plans/washington-middle-2025-26.yaml"}
    assert [upload["sarif_file"] for upload in run.uploads] == ["planlint.sarif"]
    results = json.loads((runner.workspace / "planlint.sarif").read_text())["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "plans/washington-middle-2025-26.yaml"}


def test_sarif_can_be_written_without_uploading_it(job: tuple[Runner, ActionRun]):
    runner, _ = job
    run = runner.run({"sarif": "kept.sarif", "upload-sarif": "false", "fail-on": "error"}, done=installed(job))
    assert run.step("Check plans").returncode == 0
    assert (runner.workspace / "kept.sarif").is_file() and run.uploads == []
    assert not run.step("Upload SARIF to code scanning").ran


def test_a_configuration_error_is_annotated_and_still_uploads_a_sarif(job: tuple[Runner, ActionRun]):
    runner, _ = job
    broken = runner.workspace / "broken.planlint.yaml"
    broken.write_text("fail-on: warnings\n", encoding="utf-8")
    run = runner.run({"sarif": "broken.sarif", "config": "broken.planlint.yaml"}, done=installed(job))
    check = run.step("Check plans")
    assert check.returncode == 2
    assert check.stdout.startswith("::error file=broken.planlint.yaml,line=1,col=10,title=planlint configuration::")
    assert run.step("Upload SARIF to code scanning").returncode == 0
    invocation = json.loads((runner.workspace / "broken.sarif").read_text())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
