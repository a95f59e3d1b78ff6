"""Only plans are plans: a repository's other YAML (mkdocs.yml, workflows, the pre-commit config) is
passed over by a folder check and by a hook that names every YAML file, and --show-files says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8")

MKDOCS = """\
site_name: Lincoln County Schools planning handbook
theme:
  name: material
nav:
  - Home: index.md
  - Our plan: plan.md
markdown_extensions:
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
"""
WORKFLOW = """\
name: Check plans
on:
  pull_request:
    paths: ["plans/**"]
jobs:
  planlint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: planlint/planlint@v0
        with:
          paths: plans
"""
PRE_COMMIT = """\
repos:
  - repo: https://github.com/planlint/planlint
    rev: v0.1.0
    hooks:
      - id: planlint
"""
# Meant as a plan, but the first line was lost: still judged, and told what it lacks.
HEADLESS = PLAN.replace("planlint: 1\n", "")


@pytest.fixture()
def repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    files = {"mkdocs.yml": MKDOCS, ".github/workflows/plans.yml": WORKFLOW, ".pre-commit-config.yaml": PRE_COMMIT,
             "docs/index.md": "# Handbook\n", "plans/lincoln-elementary-2025-26.yaml": PLAN,
             "plans/drafts/washington-middle.yaml": HEADLESS, "data/enrollment.yaml": "- grade: K\n  count: 41\n"}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_the_headless_plan_lacks_only_its_first_line():
    assert "planlint: 1\n" in PLAN and "planlint:" not in HEADLESS


def test_a_folder_check_of_a_repository_judges_its_plans_only(repository: Path):
    result = run("check", "--concise", ".")
    assert result.exit_code == 1, result.output
    files = {line.split(":")[0] for line in result.stdout.splitlines()[:-1]}
    assert files == {"plans/drafts/washington-middle.yaml"}
    assert "PL003" in result.stdout and "planlint" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("Checked 2 files:")


def test_show_files_lists_what_a_run_would_check(repository: Path):
    result = run("check", "--show-files", ".")
    assert result.exit_code == 0, result.output
    assert result.stdout == "plans/drafts/washington-middle.yaml\nplans/lincoln-elementary-2025-26.yaml\n"
    named = run("check", "--show-files", "mkdocs.yml", ".github/workflows/plans.yml", "plans/drafts")
    assert named.stdout == "plans/drafts/washington-middle.yaml\n"


def test_a_hook_naming_every_yaml_file_gets_findings_on_plans_only(repository: Path):
    # what pre-commit's `types: [yaml]` passes: every YAML file, hidden ones included
    names = ["mkdocs.yml", ".github/workflows/plans.yml", ".pre-commit-config.yaml", "data/enrollment.yaml",
             "plans/lincoln-elementary-2025-26.yaml"]
    result = run("check", "--concise", *names)
    assert result.exit_code == 0, result.output
    assert result.stdout == "Checked 1 file: no problems found.\n"


def test_a_skipped_file_is_an_info_finding_when_pl011_is_selected(repository: Path):
    result = run("check", "--concise", "--extend-select", "PL011", "mkdocs.yml", "plans/lincoln-elementary-2025-26.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(
        "mkdocs.yml:1:1: PL011 info This YAML file is not a plan (its top level has none of planlint, system, "
        "measures, strategies), so it was not checked.")
    assert "PL011" in run("explain", "PL011").stdout


def test_a_folder_of_other_yaml_only_says_that_it_has_no_plan(repository: Path):
    result = run("check", ".github")
    assert result.exit_code == 2
    assert "YAML files that are not plans are passed over" in result.stderr


@pytest.mark.parametrize("text", ["{planlint: 1, system: {name: x}}", '{"system": {"name": "x"}}',
                                  "# notes\n---\nmeasures: []\n",
                                  "- id: reading\n  name: Reading\n  target: {year: 2026, value: 40}\n"])
def test_plans_in_any_yaml_style_are_judged(repository: Path, text: str):
    (repository / "plans" / "odd.yaml").write_text(text, encoding="utf-8")
    assert "plans/odd.yaml\n" in run("check", "--show-files", "plans").stdout
