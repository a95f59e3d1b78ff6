"""`planlint rules`, `planlint explain` and `planlint test-rules`: the rule listing under the
configuration, a rule explained by code or name, and every rule's own examples run.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from projects import (
    TT002,
    assert_error_at,
    position,
    rule_file,
    run,
    write,
)

pytestmark = pytest.mark.usefixtures("quiet_environment")


# planlint rules, explain, test-rules


def table_rows(text: str) -> dict[str, list[str]]:
    lines = text.splitlines()
    assert lines[0].split() == ["code", "name", "pack", "severity", "status", "fix"]
    return {line.split()[0]: line.split() for line in lines[1:]}


def test_rules_lists_every_rule_on_or_off_under_the_config(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core, tt]\nignore: [PL006]\n"
                                      "severity:\n  TT002: warning\n")
    result = run("rules")
    assert result.exit_code == 0
    rows = table_rows(result.stdout)
    assert rows["PL001"] == ["PL001", "yaml-syntax", "core", "error", "on"]
    assert rows["PL005"] == ["PL005", "duplicate-id", "core", "error", "on"]
    assert rows["PL006"] == ["PL006", "outside-period", "core", "warning", "off"]
    assert rows["TT001"] == ["TT001", "short-measure-names", "tt", "warning", "on"]
    assert rows["TT002"] == ["TT002", "strategy-owner", "tt", "warning", "on"]
    assert list(rows)[:10] == [f"PL{n:03d}" for n in range(1, 11)]


def test_rules_as_json(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core, tt]\nignore: [outside-period]\n")
    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert rows["PL006"] == {"code": "PL006", "name": "outside-period", "pack": "core", "severity": "warning",
                             "status": "off", "fix": False}
    assert rows["TT002"] == {"code": "TT002", "name": "strategy-owner", "pack": "tt", "severity": "error",
                             "status": "on", "fix": False}
    assert rows["PL004"]["status"] == "on"


def test_a_rule_off_by_default_runs_under_the_strict_preset(project: Path):
    write(project / "rules" / "tt" / "TT003-optional.yaml", rule_file(
        "TT003", "optional", body="check: exists(id)\nmessage: No id.\n", extra="enabled: false\n"))
    write(project / ".planlint.yaml", "rules: [rules]\n")
    write(project / "strict" / ".planlint.yaml", "rules: [../rules]\npreset: strict\n")
    assert table_rows(run("rules").stdout)["TT003"][-1] == "off"
    os.chdir(project / "strict")
    assert table_rows(run("rules").stdout)["TT003"][-1] == "on"


def test_explain_by_code_and_by_name(project: Path):
    by_code, by_name = run("explain", "PL005"), run("explain", "duplicate-id")
    assert by_code.exit_code == by_name.exit_code == 0
    assert by_code.stdout == by_name.stdout
    text = by_code.stdout
    assert text.startswith("PL005 duplicate-id (core pack; error, on)\n\nIds are unique within their kind.\n")
    for part in ("Why it matters:", "What to do:", "A plan that passes:", "A plan that fails:", "planlint says:",
                 '    line 2: The measure id "grad-credentials" is used by 2 measures'):
        assert part in text


def test_explain_shows_the_options_the_config_gives(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\noptions:\n  TT001: {max_length: 12}\n")
    result = run("explain", "short-measure-names")
    assert result.exit_code == 0
    assert "  max_length = 12  The longest name." in result.stdout.splitlines()


def test_explain_an_unknown_rule_exits_2(project: Path):
    result = run("explain", "PL999")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("planlint: error: no rule or framework is called 'PL999'; `planlint rules` and "
                             "`planlint frameworks` list them.\n")


def test_test_rules_passes_on_the_shipped_rules():
    result = run("test-rules")
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"All \d+ examples in \d+ rules agree with their rules\.\n", result.stdout)


def test_test_rules_on_a_folder_of_ones_own(project: Path):
    result = run("test-rules", "rules")
    assert result.exit_code == 0, result.output
    assert result.stdout == "All 4 examples in 2 rules agree with their rules.\n"


def test_test_rules_names_the_rule_file_and_the_example_that_disagrees(project: Path):
    wrong = TT002.replace("        - line: 1\n", "        - line: 2\n")
    path = write(project / "rules" / "tt" / "TT002-strategy-owner.yaml", wrong)
    result = run("test-rules", "rules")
    assert result.exit_code == 1
    line, _ = position(wrong, "- plan: |", occurrence=2)
    assert result.stdout.splitlines() == [
        f"{Path('rules') / 'tt' / path.name}:{line}: TT002 fail example 1: expected a finding at line 2; "
        "got: 1:14 TT002 The strategy \"a\" names no owner.",
        "1 of 4 examples in 2 rules disagree with their rule.",
    ]


def test_test_rules_with_a_broken_rule_exits_2(project: Path):
    text = rule_file("TT003", "broken", body="check: cout(measures) < 5\nmessage: Too many.\n")
    write(project / "rules" / "tt" / "TT003-broken.yaml", text)
    result = run("test-rules", "rules")
    assert_error_at(result, Path("rules") / "tt" / "TT003-broken.yaml", text, *position(text, "cout"))
