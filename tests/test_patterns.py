"""One meaning for file patterns (gitignore's) in exclude:, --exclude and per-file-ignores;
--force-exclude for hooks; --stdin-filename places standard input for configuration and patterns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8")
# Three PM004 warnings: no measure says where its data comes from.
WARNED = "".join(line for line in PLAN.splitlines(keepends=True) if not line.startswith("    source:"))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["check", "--concise", *args], input=stdin)


def warned_files(result: Result) -> set[str]:
    assert result.exit_code in (0, 1), result.output
    return {line.split(":")[0] for line in result.stdout.splitlines()[:-1]}


def test_per_file_ignores_reads_patterns_as_exclude_does(tmp_path: Path):
    write(tmp_path / ".planlint.yaml",
          "per-file-ignores:\n  drafts/: [PM004]\n  plans/*.yaml: [PM004]\n")
    for name in ("drafts/a.yaml", "drafts/deeper/b.yaml", "plans/top.yaml", "plans/schools/lincoln.yaml"):
        write(tmp_path / name, WARNED)
    # `drafts/` is the folder at any depth; `*` does not cross `/` (fnmatch's did)
    assert warned_files(run(".")) == {"plans/schools/lincoln.yaml"}


def test_exclude_reads_gitignore_patterns(tmp_path: Path):
    write(tmp_path / ".planlint.yaml", "exclude: ['plans/*.yaml', 'old-*.yaml', '!old-keep.yaml']\n")
    for name in ("plans/top.yaml", "plans/schools/lincoln.yaml", "archive/old-2020.yaml", "old-keep.yaml"):
        write(tmp_path / name, WARNED)
    assert warned_files(run(".")) == {"plans/schools/lincoln.yaml", "old-keep.yaml"}


def test_force_exclude_holds_for_files_a_hook_names(tmp_path: Path):
    write(tmp_path / ".planlint.yaml", "exclude: [drafts/]\n")
    write(tmp_path / "drafts" / "a.yaml", WARNED)
    write(tmp_path / "plans" / "b.yaml", WARNED)
    assert warned_files(run("drafts/a.yaml", "plans/b.yaml")) == {"drafts/a.yaml", "plans/b.yaml"}
    assert warned_files(run("--force-exclude", "drafts/a.yaml", "plans/b.yaml")) == {"plans/b.yaml"}
    assert warned_files(run("--force-exclude", "--exclude", "plans/", "drafts/a.yaml", "plans/b.yaml")) == set()


def test_stdin_filename_finds_that_files_configuration_and_per_file_ignores(tmp_path: Path):
    write(tmp_path / "district" / ".planlint.yaml", "per-file-ignores:\n  'schools/*.yaml': [PM004]\n"
                                                   "severity: {PM004: error}\n")
    anywhere = run("-", stdin=WARNED)
    assert anywhere.exit_code == 0 and anywhere.stdout.count("PM004 warning") == 3
    central = run("--stdin-filename", "district/central.yaml", "-", stdin=WARNED)
    assert central.exit_code == 1 and central.stdout.count("district/central.yaml:") == 3
    assert "PM004 error" in central.stdout  # district/.planlint.yaml applies
    school = run("--stdin-filename", "district/schools/lincoln.yaml", "-", stdin=WARNED)
    assert school.exit_code == 0 and school.stdout == "Checked 1 file: no problems found.\n"


def test_force_exclude_leaves_out_standard_input_named_as_an_excluded_file(tmp_path: Path):
    write(tmp_path / ".planlint.yaml", "exclude: [drafts/]\n")
    result = run("--force-exclude", "--stdin-filename", "drafts/x.yaml", "-", stdin=WARNED)
    assert result.exit_code == 0 and "PM004" not in result.stdout
