"""What CI shows: --statistics inside GitHub Actions, and a configuration error reported where CI looks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "examples" / "broken"


def test_statistics_are_honoured_under_auto_format_in_actions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    result = CliRunner().invoke(main, ["check", "--no-config", "--statistics", str(BROKEN)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert not any(line.startswith("::") for line in lines), lines[:3]
    assert lines[0].split()[1] == "PL003" and lines[-1].startswith("Checked 16 files:")
    # without --statistics the same run annotates
    assert CliRunner().invoke(main, ["check", "--no-config", str(BROKEN)]).stdout.startswith("::error ")


def test_exit_zero_never_fails_the_run_on_findings(tmp_path: Path):
    done = CliRunner().invoke(main, ["check", "--no-config", "--exit-zero", str(BROKEN / "tabs.yaml")])
    assert done.exit_code == 0 and "PL001 error" in done.stdout
    broken_config = tmp_path / "broken.yaml"
    broken_config.write_text("select: [NOPE999]\n", encoding="utf-8")
    usage = CliRunner().invoke(main, ["check", "--exit-zero", "--config", str(broken_config), str(BROKEN / "tabs.yaml")])
    assert usage.exit_code == 2  # a configuration error is not a finding


def test_a_configuration_error_still_writes_sarif_and_annotates_the_configuration(tmp_path: Path,
                                                                                   monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path(".planlint.yaml").write_text("# the district's settings\nselect: [MKR001, NOPE999]\n", encoding="utf-8")
    Path("plan.yaml").write_text((ROOT / "examples" / "small-school-2025.yaml").read_text(encoding="utf-8"))
    result = CliRunner().invoke(main, ["check", "-f", "github", "-f", "sarif", "-o", "out.sarif", "plan.yaml"])
    assert result.exit_code == 2
    assert result.stdout.startswith("::error file=.planlint.yaml,line=2,col=18,title=planlint configuration::"
                                    '"NOPE999" is not a rule code'), result.stdout
    run = json.loads(Path("out.sarif").read_text())["runs"][0]
    assert run["results"] == []
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is False
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["message"]["text"].startswith('"NOPE999" is not a rule code')
    place = note["locations"][0]["physicalLocation"]
    assert place["artifactLocation"]["uri"] == ".planlint.yaml" and place["region"]["startLine"] == 2
