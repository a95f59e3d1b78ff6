"""Conventions people expect from a linter: colour switches, the caret under wide characters,
--show-settings, shell completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PLAN = (ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8")
BENCHMARK = "      - {kind: state-average, value: 41.5, year: 2022, source: State CMAS results for grades 3-5}\n"
# A source written in Japanese before a value written as text: four wide characters before the error.
WIDE = PLAN.replace(BENCHMARK, '      - {kind: state-average, source: 州のCMAS結果, year: 2022, value: "41.5%"}\n')


def planlint(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    return subprocess.run([sys.executable, "-m", "planlint", *args], cwd=cwd, capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=120)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "wide.yaml").write_text(WIDE, encoding="utf-8")
    return tmp_path


def test_the_plan_has_the_wide_line():
    assert BENCHMARK in PLAN and "州" in WIDE


def test_the_caret_stands_under_the_value_after_wide_characters(folder: Path):
    lines = planlint("check", "--no-config", "wide.yaml", cwd=folder).stdout.splitlines()
    source, caret = lines[1], lines[2]
    prefix = source[:source.index('"41.5%"')]
    wide = sum(1 for character in prefix if character in "州の結果")
    assert wide == 4
    assert caret.index("^") == len(prefix) + wide  # each wide character takes two cells
    assert caret.count("^") == len('"41.5%"')


def test_force_color_colours_piped_output_and_term_dumb_turns_it_off(folder: Path):
    assert "\x1b[" not in planlint("check", "--no-config", "wide.yaml", cwd=folder).stdout  # piped: no colour
    assert "\x1b[" in planlint("check", "--no-config", "wide.yaml", cwd=folder, env={"FORCE_COLOR": "1"}).stdout
    dumb = planlint("check", "--no-config", "wide.yaml", cwd=folder, env={"FORCE_COLOR": "", "TERM": "dumb"})
    assert "\x1b[" not in dumb.stdout and "PL003" in dumb.stdout
    assert "\x1b[" not in planlint("check", "--no-config", "wide.yaml", cwd=folder,
                                   env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_show_settings_names_each_setting_and_the_file_it_comes_from(tmp_path: Path):
    district = tmp_path / "district"
    (district / "schools").mkdir(parents=True)
    (district / ".planlint.yaml").write_text("fail-on: warning\nselect: [pm]\nper-file-ignores:\n"
                                             "  schools/*.yaml: [PM004]\n", encoding="utf-8")
    (district / "schools" / "lincoln.yaml").write_text(PLAN, encoding="utf-8")
    (district / "central.yaml").write_text(PLAN, encoding="utf-8")
    done = planlint("check", "--show-settings", "--ignore", "PM002", "district", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    central, school = done.stdout.split("\n\n")
    assert central.splitlines()[:4] == ["district/central.yaml", "  configuration file: district/.planlint.yaml",
                                        '  preset: "recommended"  (default)',
                                        '  select: ["pm"]  (district/.planlint.yaml)']
    assert '  ignore: ["PM002"]  (--ignore)' in central
    assert '  fail-on: "warning"  (district/.planlint.yaml)' in central
    assert "not run on this file" not in central
    assert ('  not run on this file: PM004  (per-file-ignores "schools/*.yaml" in district/.planlint.yaml)'
            in school)
    alone = planlint("check", "--show-settings", "--no-config", "district/central.yaml", cwd=tmp_path)
    assert "  configuration file: none\n" in alone.stdout and '  fail-on: "error"  (default)' in alone.stdout


def test_shell_completion_as_the_readme_says(tmp_path: Path):
    command = Path(sys.executable).parent / "planlint"  # completion is keyed to the installed command's name
    done = subprocess.run([str(command)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "_PLANLINT_COMPLETE": "bash_source"})
    assert done.returncode == 0 and "_planlint_completion" in done.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_PLANLINT_COMPLETE=bash_source planlint)"' in readme
