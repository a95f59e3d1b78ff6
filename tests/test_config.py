"""Configuration as a user meets it: where it is found, which rules run, how severe, with which
options, and its mistakes (exit 2, with the place); the same output whatever order the paths come in.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from projects import (
    PL004_AT,
    PL005_AT,
    PL006_AT,
    PLAN,
    WARNING_ONLY,
    assert_error_at,
    codes,
    findings,
    places,
    position,
    rule_file,
    run,
    run_rule_tt003,
    write,
)

pytestmark = pytest.mark.usefixtures("quiet_environment")


# Configuration: where it is found


def test_the_nearest_planlint_yaml_above_the_plan_applies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path / ".planlint.yaml", "select: [PL005]\n")
    write(tmp_path / "district" / ".planlint.yaml", "select: [PL004]\n")
    top = write(tmp_path / "plans" / "2026" / "plan.yaml", PLAN)
    nested = write(tmp_path / "district" / "schools" / "plan.yaml", PLAN)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert codes(run("check", "--concise", str(top))) == {"PL005"}
    assert codes(run("check", "--concise", str(nested))) == {"PL004"}


def test_a_yml_config_is_found_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path / ".planlint.yml", "select: [PL006]\n")
    plan = write(tmp_path / "plan.yaml", PLAN)
    monkeypatch.chdir(tmp_path)
    assert codes(run("check", "--concise", str(plan))) == {"PL006"}


def test_tool_planlint_in_pyproject_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path / "pyproject.toml", '[project]\nname = "plans"\n\n[tool.planlint]\nselect = ["core"]\n'
                                       'ignore = ["PL005"]\n\n[tool.planlint.severity]\nPL004 = "warning"\n')
    plan = write(tmp_path / "plan.yaml", PLAN)
    monkeypatch.chdir(tmp_path)
    result = run("check", "--concise", str(plan))
    assert codes(result) == {"PL004", "PL006"}
    assert {f["severity"] for f in findings(result)} == {"warning"}
    assert result.exit_code == 0


def test_a_pyproject_without_a_planlint_table_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path / ".planlint.yaml", "select: [PL006]\n")
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "plans"\n')
    plan = write(tmp_path / "sub" / "plan.yaml", PLAN)
    monkeypatch.chdir(tmp_path)
    assert codes(run("check", "--concise", str(plan))) == {"PL006"}


def test_config_option_names_the_file_to_use(project: Path):
    write(project / ".planlint.yaml", "select: [PL004]\n")
    other = write(project / "settings" / "review.yaml", "rules: [../rules]\nselect: [tt]\n")
    assert codes(run("check", "--concise", "plan.yaml")) == {"PL004"}
    assert codes(run("check", "--concise", "--config", str(other), "plan.yaml")) == {"TT001", "TT002"}


def test_no_config_ignores_the_config_file(project: Path):
    write(project / ".planlint.yaml", "select: [PL004]\nignore: [PL006]\n")
    assert codes(run("check", "--concise", "--select", "PL00", "plan.yaml")) == {"PL004", "PL005"}
    assert codes(run("check", "--concise", "--no-config", "--select", "PL00", "plan.yaml")) == {
        "PL004", "PL005", "PL006"}


# Configuration: which rules run, how severe, with which options


@pytest.mark.parametrize(("select", "expected"), [
    (["PL005"], {"PL005"}),
    (["duplicate-id"], {"PL005"}),
    (["PL00"], {"PL004", "PL005", "PL006"}),
    (["core"], {"PL004", "PL005", "PL006"}),
    (["PL004", "outside-period"], {"PL004", "PL006"}),
    (["tt"], {"TT001", "TT002"}),
    (["TT00"], {"TT001", "TT002"}),
    (["strategy-owner"], {"TT002"}),
    (["all"], None),  # every rule: at least the core and tt rules that fail here
], ids=["code", "name", "code-prefix", "pack", "code-and-name", "own-pack", "own-prefix", "own-name", "all"])
def test_select(project: Path, select: list[str], expected: set[str] | None):
    write(project / ".planlint.yaml", f"rules: [rules]\nselect: {json.dumps(select)}\n")
    found = codes(run("check", "--concise", "plan.yaml"))
    if expected is None:
        assert found >= {"PL004", "PL005", "PL006", "TT001", "TT002"}
    else:
        assert found == expected


@pytest.mark.parametrize(("ignore", "expected"), [
    (["PL005"], {"PL004", "PL006", "TT001", "TT002"}),
    (["duplicate-id", "strategy-owner"], {"PL004", "PL006", "TT001"}),
    (["PL00"], {"TT001", "TT002"}),
    (["tt"], {"PL004", "PL005", "PL006"}),
], ids=["code", "names", "code-prefix", "pack"])
def test_ignore(project: Path, ignore: list[str], expected: set[str]):
    write(project / ".planlint.yaml", f"rules: [rules]\nselect: [core, tt]\nignore: {json.dumps(ignore)}\n")
    assert codes(run("check", "--concise", "plan.yaml")) == expected


def test_extend_select_adds_to_select(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [PL004]\nextend-select: [outside-period, TT002]\n")
    assert codes(run("check", "--concise", "plan.yaml")) == {"PL004", "PL006", "TT002"}


def test_a_rule_found_twice_is_reported_once(project: Path):
    write(project / ".planlint.yaml", "select: [PL005, duplicate-id, PL00, core]\n")
    result = run("check", "--concise", "plan.yaml")
    assert places(result, "PL005") == PL005_AT
    assert places(result, "PL004") == [PL004_AT] and places(result, "PL006") == [PL006_AT]


def test_severity_can_be_changed_by_code_or_name(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [PL006, TT002]\n"
                                      "severity:\n  outside-period: error\n  TT002: info\n")
    result = run("check", "--concise", "plan.yaml")
    assert {(f["code"], f["severity"]) for f in findings(result)} == {("PL006", "error"), ("TT002", "info")}
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == "Checked 1 file: 1 error, 1 info in 1 file."


def test_options_change_what_a_rule_accepts(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [TT001]\n")
    default = run("check", "--concise", "plan.yaml")
    assert places(default, "TT001") == [(11, 5)]
    assert findings(default)[0]["message"] == "The name has 26 characters; keep it to 20."

    stricter = project / "stricter"
    write(stricter / ".planlint.yaml", "rules: [../rules]\nselect: [TT001]\noptions:\n  TT001: {max_length: 10}\n")
    write(stricter / "plan.yaml", PLAN)
    result = run("check", "--concise", "stricter/plan.yaml")
    assert [f["message"] for f in findings(result)] == [
        "The name has 18 characters; keep it to 10.", "The name has 26 characters; keep it to 10."]

    looser = project / "looser"
    write(looser / ".planlint.yaml", "rules: [../rules]\nselect: [TT001]\noptions:\n"
                                     "  short-measure-names:\n    max_length: 30\n")
    write(looser / "plan.yaml", PLAN)
    assert codes(run("check", "--concise", "looser/plan.yaml")) == set()


def test_per_file_ignores_with_a_glob(project: Path):
    write(project / ".planlint.yaml", "select: [core]\nper-file-ignores:\n  drafts/*.yaml: [PL006, duplicate-id]\n")
    write(project / "drafts" / "next-year.yaml", PLAN)
    write(project / "final" / "next-year.yaml", PLAN)
    result = run("check", "--concise", "drafts", "final")
    by_file = {(f["file"], f["code"]) for f in findings(result)}
    assert by_file == {("drafts/next-year.yaml", "PL004"), ("final/next-year.yaml", "PL004"),
                       ("final/next-year.yaml", "PL005"), ("final/next-year.yaml", "PL006")}


def test_a_warning_fails_the_run_under_the_strict_preset(project: Path):
    write(project / "recommended" / ".planlint.yaml", "select: [core]\n")
    write(project / "recommended" / "plan.yaml", WARNING_ONLY)
    write(project / "strict" / ".planlint.yaml", "preset: strict\nselect: [core]\n")
    write(project / "strict" / "plan.yaml", WARNING_ONLY)
    os.chdir(project / "recommended")
    relaxed = run("check", "--concise", "plan.yaml")
    assert [(f["code"], f["severity"]) for f in findings(relaxed)] == [("PL006", "warning")]
    assert relaxed.exit_code == 0
    os.chdir(project / "strict")
    strict = run("check", "--concise", "plan.yaml")
    assert [(f["code"], f["severity"]) for f in findings(strict)] == [("PL006", "warning")]
    assert strict.exit_code == 1


def test_fail_on_in_the_config(project: Path):
    write(project / ".planlint.yaml", "select: [core]\nfail-on: warning\n")
    write(project / "plan.yaml", WARNING_ONLY)
    assert run("check", "--concise", "plan.yaml").exit_code == 1
    assert run("check", "--concise", "--fail-on", "error", "plan.yaml").exit_code == 0


def test_an_explicit_fail_on_wins_over_the_strict_preset(project: Path):
    write(project / ".planlint.yaml", "preset: strict\nselect: [core]\nfail-on: error\n")
    write(project / "plan.yaml", WARNING_ONLY)
    assert run("check", "--concise", "plan.yaml").exit_code == 0


@pytest.mark.parametrize("config", ["select: [core]\nfail-on: warning\n", "preset: strict\nselect: [core]\n"],
                         ids=["fail-on", "strict"])
def test_the_plans_own_config_decides_its_exit_code_from_any_working_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: str):
    write(tmp_path / "plans" / ".planlint.yaml", config)
    plan = write(tmp_path / "plans" / "plan.yaml", WARNING_ONLY)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = run("check", "--concise", str(plan))
    assert [f["code"] for f in findings(result)] == ["PL006"]
    assert result.exit_code == 1, "the config beside the plan says a warning fails"


def test_command_line_select_and_ignore_override_the_config(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [PL004]\nignore: [PL005]\n")
    assert codes(run("check", "--concise", "plan.yaml")) == {"PL004"}
    assert codes(run("check", "--concise", "--select", "PL005,tt", "--ignore", "TT001", "plan.yaml")) == {
        "PL005", "TT002"}
    assert codes(run("check", "--concise", "--select", "core", "--ignore", "PL006", "plan.yaml")) == {
        "PL004", "PL005"}


def test_the_file_checks_always_run_whatever_the_selection(project: Path):
    write(project / "plan.yaml", PLAN + "measures: []\n")  # a duplicate key: PL002
    assert codes(run("check", "--concise", "--select", "MKR001", "--ignore", "PL,core", "plan.yaml")) == {"PL002"}
    result = run("check", "--concise", "--ignore", "PL002", "plan.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("planlint: error: --ignore: PL002 (duplicate-key) always runs")


def test_fields_of_computed_values_and_variables_are_not_taken_for_plan_fields(project: Path):
    result = run_rule_tt003(project, "computed", (
        "let:\n  summary: rigor(root)\n"
        "given: measures[*]\n"
        "with:\n  reading: feasibility(node)\n"
        "check: >-\n"
        "  summary.total >= 0 and not exists(reading.label) and\n"
        "  all(g.whatever == null for g in framework('ldoe').goals[? ref != null])\n"
        "message: '{summary.shortfalls}'\n"))
    assert result.exit_code == 0, result.output


def test_a_core_check_can_be_selected_by_its_name(project: Path):
    assert codes(run("check", "--concise", "--select", "duplicate-id", "plan.yaml")) == {"PL005"}


def test_a_comment_cannot_suppress_a_file_check(project: Path):
    write(project / ".planlint.yaml", "select: [core]\n")
    write(project / "plan.yaml", "# planlint: disable-file=PL003,PL004 -- known\n" + PLAN.replace(
        "    unit: percent\n", "    unit: percents\n", 1))
    result = run("check", "--concise", "plan.yaml")
    assert {f["code"] for f in findings(result)} == {"PL003", "PL005", "PL009"}
    assert any("PL003 (schema) always runs and cannot be suppressed" in f["message"] for f in findings(result))


# Configuration: mistakes are exit 2, with the place


@pytest.mark.parametrize(("text", "needle", "words"), [
    ("select: [PL005]\nselct: [PL004]\n", "selct", ['unknown key "selct"', 'Did you mean "select"?']),
    ("ignore: PL005\n", "PL005", ["ignore must be a list of rules"]),
    ("severity:\n  PL006: fatal\n", "fatal", ["must be one of error, warning, info", '"fatal"']),
    ("fail-on: 3\n", "3", ["fail-on must be one of error, warning, info"]),
    ("select: [PL005, PL999]\n", "PL999", ['"PL999" is not a rule code, code prefix, rule name or pack']),
    ("ignore: [duplicate-idd]\n", "duplicate-idd", ['"duplicate-idd" is not a rule code']),
    ("per-file-ignores:\n  drafts/*.yaml: [nope]\n", "nope", ['"nope" is not a rule code']),
    ("rules: [rules]\noptions:\n  TT001:\n    max_lenght: 10\n", "max_lenght",
     ['TT001 (short-measure-names) has no option "max_lenght" (its options: max_length)']),
    ("select: [PL005]\n  ignore: [PL006]\n", "ignore", ["cannot be read", "not valid YAML"]),
    ("rules: [rules]\noptions:\n  TT001:\n    max_length: twenty\n", "twenty",
     ["The option max_length of TT001 must be a number, not \"twenty\".", "The longest name."]),
    ("options:\n  MKR001: {max_measures: -1}\n", "-1", ["max_measures of MKR001 must be at least 1, not -1"]),
    ("options:\n  TGT011: {min_share: 5}\n", "5", ["min_share of TGT011 must be at most 1, not 5"]),
    ("options:\n  TGT005: {tolerance: .inf}\n", ".inf", ["tolerance of TGT005 must be a number"]),
    ("options:\n  TGT007: {cuts: [50, 20, '5']}\n", "[50", ["cuts[2] of TGT007 must be a number, not \"5\""]),
    ("options:\n  IB008: {as_of: 2025-13-01}\n", "2025-13", ["as_of of IB008 must be a real date"]),
    ("ignore: [PL001]\n", "PL001", ["PL001 (yaml-syntax) always runs", "cannot be ignored"]),
    ("per-file-ignores:\n  '*.yaml': [PL006, duplicate-key]\n", "duplicate-key", ["PL002 (duplicate-key) always runs"]),
    ("severity:\n  schema: warning\n", "schema", ["PL003 (schema) always runs", "another severity"]),
], ids=["unknown-key", "wrong-type", "bad-severity", "bad-fail-on", "unknown-rule-in-select",
        "unknown-rule-in-ignore", "unknown-rule-in-per-file-ignores",
        "unknown-option", "invalid-yaml", "option-of-the-wrong-kind", "option-below-its-minimum",
        "option-above-its-maximum", "option-not-finite", "option-list-item", "option-not-a-date",
        "ignore-pl001", "per-file-ignore-pl002", "severity-of-pl003"])
def test_a_broken_config_exits_2_with_its_place(project: Path, text: str, needle: str, words: list[str]):
    config = write(project / ".planlint.yaml", text)
    result = run("check", "--concise", "plan.yaml")
    line, column = position(text, needle)
    first = assert_error_at(result, config, text, line, column)
    for word in words:
        assert word in first


@pytest.mark.parametrize("broken", ["config", "rule"])
def test_a_mistake_in_a_config_or_rule_file_is_not_called_a_mistake_in_the_plan(project: Path, broken: str):
    if broken == "config":
        path = write(project / ".planlint.yaml", "selct: [PL004]\n")
    else:
        path = write(project / "rules" / "tt" / "TT003-broken.yaml", rule_file(
            "TT003", "broken", body="check: exists(id)\nmessage: No id.\n").replace("docs:", "x-docs:"))
        write(project / ".planlint.yaml", "rules: [rules]\n")
    result = run("check", "--concise", "plan.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path}:1:1: error: ")
    message = result.stderr.splitlines()[0].split(": error: ", 1)[1]
    assert not re.search(r"\bplan\b", message, re.IGNORECASE), message


def test_a_rule_folder_that_does_not_exist_is_a_config_error(project: Path):
    write(project / ".planlint.yaml", "rules: [no-such-folder]\n")
    result = run("check", "--concise", "plan.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert "no-such-folder: error: this rule folder does not exist." in result.stderr


@pytest.mark.parametrize(("text", "where", "words"), [
    ('[tool.planlint]\nselect = "core"\n', ":2:1", ["[tool.planlint] is not valid", "select must be a list"]),
    ('[tool.planlint]\nselct = ["core"]\n', ":2:1", ["[tool.planlint] is not valid", '"selct"']),
    ('[tool.planlint]\nselect = ["core"\n', "", ["this pyproject.toml is not valid TOML"]),
    ('[tool.planlint]\nselect = ["core"]\nx = = 1\n', ":3:5", ["is not valid TOML", "Invalid value"]),
    ('[project]\nname = "p"\n\n[tool.planlint]\n  select = ["PL999"]\n', ":5:3", ['"PL999" is not a rule code']),
    ('[tool.planlint]\nseverity = { MKR001 = "fatal" }\n', ":2:1", ["severity.MKR001 must be one of"]),
    ('[tool.planlint.per-file-ignores]\n"*.yaml" = 5\n', ":2:1", ["per-file-ignores.*.yaml must be a list"]),
], ids=["wrong-type", "unknown-key", "toml-unclosed", "toml-syntax", "unknown-rule", "inline-table",
        "sub-table"])
def test_a_broken_pyproject_table_exits_2_pointing_at_the_key(project: Path, text: str, where: str,
                                                             words: list[str]):
    pyproject = write(project / "pyproject.toml", text)
    result = run("check", "--concise", "plan.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"{pyproject}{where}: error: "), result.stderr
    for word in words:
        assert word in result.stderr


def test_a_tool_planlint_that_is_not_a_table_exits_2(project: Path):
    pyproject = write(project / "pyproject.toml", '[tool]\nplanlint = 5\n')
    result = run("check", "--config", str(pyproject), "plan.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"{pyproject}:2:1: error: [tool.planlint] must be a table"), result.stderr


# Determinism


def test_json_output_is_byte_identical_run_to_run_and_in_any_path_order(project: Path):
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core, tt]\n")
    write(project / "plans" / "b.yaml", PLAN)
    write(project / "plans" / "a.yaml", WARNING_ONLY)
    write(project / "plans" / "district" / "c.yml", PLAN.replace("serves: [gradd]", "serves: [grad, nope]"))
    write(project / "plans" / "z.yaml", "planlint: 1\nsystem: [unclosed\n")
    first = run("check", "--format", "json", "plans")
    again = run("check", "--format", "json", "plans")
    files = ["plans/z.yaml", "plans/district/c.yml", "plans/b.yaml", "plans/a.yaml"]
    listed = run("check", "--format", "json", *files)
    mixed = run("check", "--format", "json", "plans/district", "plans/z.yaml", "plans", "plans/a.yaml")
    assert first.exit_code == 1
    assert first.stdout_bytes == again.stdout_bytes == listed.stdout_bytes == mixed.stdout_bytes
    report = json.loads(first.stdout)
    assert report["summary"]["files"] == 4
    keys = [(f["file"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    assert keys == sorted(keys)
