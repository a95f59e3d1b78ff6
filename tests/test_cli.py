"""The command line as users run it: click's runner for breadth, the installed command for truth."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.yaml"


def run(*args: str, stdin: bytes | None = None, env: dict | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, env=env)


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    good = MINIMAL.read_text()
    (tmp_path / "good.yaml").write_text(good)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.yml").write_text(good.replace("2024: 56,", "2024: 56%,"))
    (tmp_path / "sub" / "broken.yaml").write_text("planlint: 1\nsystem: [unclosed\n")
    (tmp_path / "notes.txt").write_text("not a plan")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.yaml").write_text("- not checked\n")
    return tmp_path


def test_a_clean_plan_exits_0_with_a_summary():
    result = run("check", str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert result.output == "Checked 1 file: no problems found.\n"


def test_a_folder_is_searched_and_one_broken_file_does_not_stop_the_others(plans: Path):
    result = run("check", "--concise", str(plans))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{plans / 'sub' / 'bad.yml'}:13:")
    assert lines[1].startswith(f"{plans / 'sub' / 'broken.yaml'}:") and "PL001 error" in lines[1]
    assert lines[-1] == "Checked 3 files: 2 errors in 2 files."


def test_text_output_shows_the_source_line_and_a_marker(plans: Path):
    result = run("check", str(plans / "sub" / "bad.yml"))
    assert " 13 |     trajectory: {2022: 52, 2023: 54, 2024: 56%, 2025: 58, 2026: 60}" in result.output
    marker_line = result.output.splitlines()[2]
    assert marker_line.endswith("^^^") and marker_line.index("^") == result.output.splitlines()[1].index("56%")


def test_json_is_a_versioned_document_with_every_field(plans: Path):
    result = run("check", "--format", "json", str(plans))
    document = json.loads(result.output)
    assert document["version"] == 1
    assert document["summary"]["errors"] == 2 and document["summary"]["files"] == 3
    finding = document["findings"][0]
    assert set(finding) == {"file", "code", "name", "severity", "message", "line", "column",
                            "end_line", "end_column", "path"}
    assert finding["path"] == "measures[0].trajectory.2024" and finding["name"] == "schema"


def test_output_is_the_same_whatever_the_order_of_paths(plans: Path):
    a = run("check", "--format", "json", str(plans / "sub"), str(plans / "good.yaml"))
    b = run("check", "--format", "json", str(plans / "good.yaml"), str(plans / "sub" / "bad.yml"),
            str(plans / "sub"))
    assert a.output == b.output


def test_standard_input_with_a_name():
    result = run("check", "--concise", "--stdin-filename", "plan.yaml", "-", stdin=b"planlint: 1\n")
    assert result.exit_code == 1
    assert 'plan.yaml:1:1: PL003 error The plan is missing "system"' in result.output.splitlines()[1]


def test_a_missing_file_is_reported_and_the_rest_checked():
    result = run("check", "--concise", "no-such-plan.yaml", str(MINIMAL))
    assert result.exit_code == 1
    assert "no-such-plan.yaml:1:1: PL001 error No such file or folder." in result.output
    assert "Checked 2 files" in result.output


@pytest.mark.parametrize(("fail_on", "code"), [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on_sets_the_exit_threshold(tmp_path: Path, fail_on: str, code: int):
    plan = tmp_path / "p.yaml"
    plan.write_text(MINIMAL.read_text().replace("  name: Minimal", "  id: 036\n  name: Minimal"))
    result = run("check", "--fail-on", fail_on, str(plan))
    assert "PL007 warning" in result.output
    assert result.exit_code == code


def test_quiet_prints_nothing_for_a_clean_plan_and_one_line_per_finding(plans: Path):
    assert run("check", "-q", str(MINIMAL)).output == ""
    result = run("check", "-q", str(plans / "sub" / "bad.yml"))
    assert len(result.output.splitlines()) == 1


def test_usage_errors_exit_2():
    assert run("check").exit_code == 2
    assert run("check", "--format", "yaml", str(MINIMAL)).exit_code == 2
    assert run("check", "--max-file-size", "0", str(MINIMAL)).exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_max_file_size(tmp_path: Path):
    result = run("check", "--concise", "--max-file-size", "20", str(MINIMAL))
    assert "PL001 error The file is" in result.output and result.exit_code == 1


def test_colour_only_when_asked_or_on_a_terminal(plans: Path):
    bad = str(plans / "sub" / "bad.yml")
    assert "\x1b[" not in run("check", bad).output
    assert "\x1b[" in run("check", "--color", bad).output


def test_help_has_examples_and_version_prints():
    assert "Examples:" in run("check", "--help").output
    assert run("--version").output.startswith("planlint, version ")


# The installed console script, as a pre-commit hook or a user runs it.

def installed() -> str:
    found = shutil.which("planlint", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    assert found, "the planlint command is not installed in this environment"
    return found


def test_installed_command_no_color_and_exit_codes(plans: Path):
    env = dict(os.environ, NO_COLOR="1")
    bad = subprocess.run([installed(), "check", "--color", str(plans / "sub" / "bad.yml")],
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 1 and "PL003" in bad.stdout
    good = subprocess.run([installed(), "check", str(MINIMAL)], capture_output=True, text=True, env=env)
    assert good.returncode == 0 and good.stderr == ""


def test_python_dash_m(plans: Path):
    done = subprocess.run([sys.executable, "-m", "planlint", "check", "--concise", str(plans)],
                          capture_output=True, text=True)
    assert done.returncode == 1 and done.stdout.endswith("Checked 3 files: 2 errors in 2 files.\n")


def test_no_traceback_for_hostile_files(tmp_path: Path):
    hostile = {
        "bomb.yaml": b"a: &a [x,x,x,x,x,x,x,x,x]\n" + b"".join(
            f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n".encode() for p, n in zip("abcdefgh", "bcdefghi")),
        "deep.yaml": b"a: " + b"[" * 100000 + b"]" * 100000,
        "binary.yaml": bytes(range(256)),
        "cycle.yaml": b"a: &x {b: *x}\n",
    }
    for name, raw in hostile.items():
        (tmp_path / name).write_bytes(b"planlint: 1\n" + raw)  # meant as plans, so judged
    done = subprocess.run([installed(), "check", "--concise", str(tmp_path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout.count("PL001 error") == 4


def test_a_folder_that_was_removed_under_planlint_is_a_usage_error(tmp_path: Path) -> None:
    """Started in a folder that no longer exists (removed by another program), planlint says so: exit 2."""
    gone = tmp_path / "gone"
    gone.mkdir()
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text())
    script = (f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); "
              f"from planlint.cli import main; sys.argv = ['planlint', 'check', {str(plan)!r}]; main()")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "the current folder no longer exists" in done.stderr
    assert "Traceback" not in done.stderr
