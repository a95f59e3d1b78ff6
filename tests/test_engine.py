"""The rule engine as a user meets it: configuration files, rule files of their own, rules that
fail on a plan, suppression comments, and the `rules`, `explain` and `test-rules` commands.

Every test writes real files into a temporary folder and runs the command line (click's runner,
or the installed command where a time limit matters). planlint ships more packs than `core`, so
each test names the rules it runs with `select`: its results do not change when a pack grows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from planlint.cli import main

# A plan the schema accepts, with one finding of each core rule:
#   PL005 duplicate-id at 6:9 and 11:9, PL006 outside-period at 10:20, PL004 unknown-reference at 19:14.
PLAN = """\
planlint: 1
system:
  name: Test District
period: {start: 2022, end: 2026}
measures:
  - id: grad
    name: Percent graduating
    unit: percent
    direction: increase
    target: {year: 2027, value: 60}
  - id: grad
    name: Percent graduating on time
    unit: percent
    direction: increase
    target: {year: 2026, value: 60}
strategies:
  - id: literacy
    name: Literacy block
    serves: [gradd]
"""
PL004_AT, PL005_AT, PL006_AT = (19, 14), [(6, 9), (11, 9)], (10, 20)

# A plan with one warning only (PL006 at 10:20).
WARNING_ONLY = PLAN.replace("  - id: grad\n    name: Percent graduating on time", "  - id: grad-on-time\n"
                            "    name: Percent graduating on time").replace("serves: [gradd]", "serves: [grad]")

FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]{2,8}\d{3}) "
                     r"(?P<severity>error|warning|info) (?P<message>.*)$")


def rule_file(code: str, name: str, *, pack: str = "tt", severity: str = "error", body: str,
              examples: str | None = None, extra: str = "") -> str:
    """The text of a rule file; `body` holds its given/check/message lines."""
    examples = examples or (
        "examples:\n"
        "  pass:\n"
        "    - plan: |\n"
        "        measures: []\n"
        "  fail:\n"
        "    - plan: |\n"
        "        measures: [{id: a}]\n")
    return (f"code: {code}\nname: {name}\npack: {pack}\nseverity: {severity}\n"
            f"summary: A rule written for a test.\n{extra}{body}"
            "docs:\n  why: Tests need rules of their own.\n  fix: Nothing to fix.\n" + examples)


# Two rules of the test's own pack `tt`, with the plan above:
#   TT001 (a measure name of at most `max_length` characters) fails on the second measure, 11:5;
#   TT002 (a strategy names its owner) fails on the strategy, 17:5.
TT001 = rule_file("TT001", "short-measure-names", severity="warning", extra=(
    "options:\n  max_length:\n    default: 20\n    description: The longest name.\n"), body=(
    "given: measures[*]\n"
    "check: count(name) <= options.max_length\n"
    "message: The name has {count(name)} characters; keep it to {options.max_length}.\n"), examples=(
    "examples:\n"
    "  pass:\n"
    "    - plan: |\n"
    "        measures: [{id: a, name: Short}]\n"
    "  fail:\n"
    "    - plan: |\n"
    "        measures: [{id: a, name: A name that is far too long}]\n"))
TT002 = rule_file("TT002", "strategy-owner", body=(
    "given: strategies[*]\n"
    "check: exists(owner)\n"
    "message: The strategy \"{id}\" names no owner.\n"), examples=(
    "examples:\n"
    "  pass:\n"
    "    - plan: |\n"
    "        strategies: [{id: a, owner: Principal}]\n"
    "  fail:\n"
    "    - plan: |\n"
    "        strategies: [{id: a}]\n"
    "      findings:\n"
    "        - line: 1\n"))


@pytest.fixture(autouse=True)
def quiet_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PLANLINT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "rule-cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("PLANLINT_NO_CACHE", raising=False)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the plan, the test's own rules in rules/tt/, and the folder as working directory."""
    write(tmp_path / "plan.yaml", PLAN)
    write(tmp_path / "rules" / "tt" / "TT001-short-measure-names.yaml", TT001)
    write(tmp_path / "rules" / "tt" / "TT002-strategy-owner.yaml", TT002)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def findings(result: Result) -> list[dict]:
    """The findings of a `check --concise` run, as dicts; every other line must be the summary."""
    found = []
    for line in result.stdout.splitlines():
        match = FINDING.match(line)
        if match:
            found.append({**match.groupdict(), "line": int(match["line"]), "column": int(match["column"])})
        else:
            assert line.startswith("Checked "), line
    return found


def codes(result: Result) -> set[str]:
    assert result.exit_code in (0, 1), result.output
    return {f["code"] for f in findings(result)}


def places(result: Result, code: str) -> list[tuple[int, int]]:
    return [(f["line"], f["column"]) for f in findings(result) if f["code"] == code]


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The 1-based line and column where `needle` starts in `text`."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def assert_error_at(result: Result, file: Path | str, text: str, line: int, column: int) -> str:
    """Exit 2, nothing on standard output, and `file:line:column: error:` with the line and a marker."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{file}:{line}:{column}: error: "), lines[0]
    source = text.splitlines()[line - 1]
    assert lines[1] == f" {line} | {source}"
    assert lines[2] == f" {' ' * len(str(line))} | {' ' * (column - 1)}^"
    return lines[0]


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


# Rule files of one's own: every mistake stops planlint before any plan is read


BROKEN_EXPRESSIONS = {
    "syntax-error-plain": ("check: count(measures) >> 1\nmessage: Too many.\n", "> 1", "in `check`: expected a value"),
    "syntax-error-double-quoted": ('check: "count(measures) >> 1"\nmessage: Too many.\n', "> 1", "in `check`"),
    "syntax-error-single-quoted": ("check: 'count(measures) >> 1'\nmessage: Too many.\n", "> 1", "in `check`"),
    "syntax-error-folded-block": ("check: >-\n  count(measures) >> 1\nmessage: Too many.\n", "> 1", "in `check`"),
    "syntax-error-literal-block": ("check: |-\n  count(measures) > 0 and\n  count(strategies) >> 1\n"
                                   "message: Too many.\n", "> 1", "in `check`"),
    "unknown-function": ("check: cout(measures) < 5\nmessage: Too many.\n", "cout",
                         "in `check`: unknown function 'cout'; did you mean 'count'?"),
    "unknown-function-in-message": ("check: count(measures) < 5\nmessage: There are {cout(measures)}.\n", "cout",
                                    "in `message`: unknown function 'cout'"),
    "unknown-option": ("check: count(measures) < options.nope\nmessage: Too many.\n", "nope",
                       "in `check`: unknown option 'nope'"),
    "given-is-not-a-path": ("given: count(measures)\ncheck: true == true\nmessage: Too many.\n", "count",
                            "in `given`"),
    # the marker goes where the `]` is missing: just after the text
    "unclosed-bracket-in-given": ("given: measures[*\ncheck: exists(id)\nmessage: No id.\n", "\ncheck",
                                  "in `given`: '[' at line 1, column 9 is never closed; add ']'"),
    # An expression that goes on over several lines: the place is where the mistake is, not where
    # the folded text would put it.
    "unknown-function-on-the-second-line-of-a-folded-block": (
        "check: >-\n  count(measures) > 0 and\n  cout(strategies) > 0\nmessage: Too many.\n", "cout",
        "unknown function 'cout'"),
    "unknown-function-on-the-second-line-of-a-plain-scalar": (
        "check: count(measures) > 0 and\n  cout(strategies) > 0\nmessage: Too many.\n", "cout",
        "unknown function 'cout'"),
    "unknown-function-in-the-second-line-of-a-folded-message": (
        "check: count(measures) < 5\nmessage: >-\n  The plan has too many measures:\n  {cout(measures)}.\n", "cout",
        "in `message`: unknown function 'cout'"),
    "unknown-function-after-escaped-quotes": (
        "check: 'name == ''a'' or cout(measures) > 0'\nmessage: Too many.\n", "cout", "unknown function 'cout'"),
    "unknown-field": (
        "given: strategies[*]\ncheck: any(exists(b.when) for b in implementation_benchmark)\nmessage: No dates.\n",
        "implementation_benchmark)", "in `check`: no part of a plan has the field 'implementation_benchmark'; "
        "did you mean 'implementation_benchmarks'?"),
    "unknown-field-after-root": (
        "check: root.perod.start < 2030\nmessage: Too late.\n", "perod",
        "in `check`: no part of a plan has the field 'perod'; did you mean 'period'?"),
    "unknown-field-in-a-filter-over-plan-data": (
        "check: count(measures[? unti == 'percent']) < 9\nmessage: Many.\n", "unti",
        "no part of a plan has the field 'unti'; did you mean 'unit'?"),
    "a-check-that-is-always-text": (
        "check: \"'x'\"\nmessage: Never.\n", "'x'",
        "in `check`: a condition must give true or false, and this always gives the text 'x'"),
    "a-where-that-is-always-a-list": (
        "where: '[]'\ncheck: count(measures) < 9\nmessage: Never.\n", "[]", "in `where`: a condition must give"),
    "arithmetic-that-fails-on-literals": (
        "check: count(measures) < 9\nmessage: 'There are {true + 1}.'\n", "+ 1", "in `message`: '+' works on"),
    "pattern-with-a-look-ahead": (
        "given: measures[*]\ncheck: not matches(name, 'rate(?= of)')\nmessage: A rate.\n", "'rate(?=",
        "in `check`: matches() cannot read the pattern 'rate(?= of)'"),
    "unknown-function-in-with": (
        "given: measures[*]\nwith:\n  total: cout(name)\ncheck: total < 5\nmessage: Too long.\n", "cout",
        "in `with: total`: unknown function 'cout'"),
    "unknown-function-in-let": (
        "let:\n  total: cout(measures)\ncheck: total < 5\nmessage: Too many.\n", "cout",
        "in `let: total`: unknown function 'cout'"),
    "unknown-function-after-escaped-double-quotes": (
        'check: "name == \\"a\\" or cout(measures) > 0"\nmessage: Too many.\n', "cout", "unknown function 'cout'"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_EXPRESSIONS))
def test_a_mistake_in_an_expression_is_shown_at_its_place_in_the_rule_file(project: Path, case: str):
    body, needle, words = BROKEN_EXPRESSIONS[case]
    text = rule_file("TT003", "broken", body=body)
    path = write(project / "rules" / "tt" / "TT003-broken.yaml", text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [tt]\n")
    result = run("check", "--concise", "plan.yaml")
    first = assert_error_at(result, path, text, *position(text, needle))
    assert words in first


@pytest.mark.parametrize(("name", "text", "needle", "words"), [
    ("TT003-broken.yaml", "code: TT003\nname: broken\n  pack: tt\n", ": tt", "this rule file cannot be read"),
    ("TT003-broken.yaml", rule_file("TT003", "broken", body="check: exists(id)\nmessage: No id.\n").replace(
        "docs:\n  why: Tests need rules of their own.\n  fix: Nothing to fix.\n", ""), "code",
     'missing "docs"'),
    ("TT003-broken.yaml", rule_file("TT003", "broken", body="check: exists(id)\nmessage: No id.\n",
                                    severity="high"), "high", "severity"),
    ("TT003-broken.yaml", rule_file("TT003", "broken", body="check: exists(id)\n"), "check",
     "a rule needs a `check` and a `message`"),
    ("TT003-other-name.yaml", rule_file("TT003", "broken", body="check: exists(id)\nmessage: No id.\n"), "TT003",
     "call this one TT003-broken.yaml"),
], ids=["invalid-yaml", "missing-docs", "bad-severity", "no-message", "file-name"])
def test_a_broken_rule_file_exits_2_with_its_place(project: Path, name: str, text: str, needle: str, words: str):
    path = write(project / "rules" / "tt" / name, text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core]\n")
    result = run("check", "--concise", "plan.yaml")
    line, column = position(text, needle)
    first = assert_error_at(result, path, text, line, column)
    assert words in first


def test_a_code_that_clashes_with_a_shipped_rule_is_shown_at_its_place(project: Path):
    text = rule_file("PL005", "my-duplicates", body="check: exists(id)\nmessage: No id.\n")
    path = write(project / "rules" / "tt" / "PL005-my-duplicates.yaml", text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core]\n")
    result = run("check", "--concise", "plan.yaml")
    assert result.exit_code == 2
    assert "clashes with" in result.stderr and "PL005-duplicate-id.yaml" in result.stderr
    assert_error_at(result, path, text, *position(text, "PL005"))


def test_a_name_that_clashes_with_a_shipped_rule_exits_2(project: Path):
    text = rule_file("TT003", "duplicate-id", body="check: exists(id)\nmessage: No id.\n")
    path = write(project / "rules" / "tt" / "TT003-duplicate-id.yaml", text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core]\n")
    result = run("check", "--concise", "plan.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(str(path)) and "clashes with" in result.stderr


def test_a_broken_rule_stops_the_run_even_with_a_clean_plan_and_a_missing_one(project: Path):
    write(project / "rules" / "tt" / "TT003-broken.yaml",
          rule_file("TT003", "broken", body="check: cout(measures) < 5\nmessage: Too many.\n"))
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core]\n")
    write(project / "clean.yaml", WARNING_ONLY)
    result = run("check", "--concise", "clean.yaml", "missing.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "PL001" not in result.stderr and "Checked" not in result.stderr


# Rules that fail on a plan


def test_a_rule_that_fails_on_a_plan_gives_one_pl010_and_the_others_still_report(project: Path):
    write(project / "rules" / "tt" / "TT003-average-id.yaml", rule_file("TT003", "average-id", body=(
        "checks:\n"
        "  - check: mean(measures[*].id) > 0\n"
        "    message: Strange ids.\n"
        "  - given: measures[*]\n"
        "    check: mean([id]) > 0\n"
        "    message: A strange id.\n")))
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [core, tt]\n")
    result = run("check", "--concise", "plan.yaml")
    errors = [f for f in findings(result) if f["code"] == "PL010"]
    assert len(errors) == 1
    assert (errors[0]["line"], errors[0]["column"], errors[0]["severity"]) == (1, 1, "error")
    assert "TT003 (average-id) could not be evaluated on this plan" in errors[0]["message"]
    assert "mean()" in errors[0]["message"]
    assert codes(result) == {"PL010", "PL004", "PL005", "PL006", "TT001", "TT002"}
    assert result.exit_code == 1


def test_a_rule_that_fails_on_one_plan_still_runs_on_another(project: Path):
    write(project / "rules" / "tt" / "TT003-average-target.yaml", rule_file("TT003", "average-target", body=(
        "check: mean(measures[*].target.value) < 100\nmessage: The targets are too high.\n")))
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [TT003]\n")
    write(project / "tbd.yaml", PLAN.replace("value: 60}", "value: tbd}"))
    write(project / "high.yaml", PLAN.replace("value: 60}", "value: 100}"))
    result = run("check", "--concise", "tbd.yaml", "high.yaml")
    assert [(f["file"], f["code"]) for f in findings(result)] == [("high.yaml", "TT003"), ("tbd.yaml", "PL010")]


def installed_planlint() -> str:
    found = shutil.which("planlint", path=os.path.dirname(sys.executable))
    assert found, "the planlint command is not installed next to this Python"
    return found


def test_a_rule_that_would_run_for_ever_stops_at_its_step_budget(project: Path):
    write(project / "rules" / "tt" / "TT003-endless.yaml", rule_file("TT003", "endless", body=(
        "check: all(all(a + b > 0 for b in range(1, 2000)) for a in range(1, 2000))\n"
        "message: Never.\n")))
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [PL004, tt]\n")
    started = time.monotonic()
    done = subprocess.run([installed_planlint(), "check", "--concise", "plan.yaml"], cwd=project,
                          capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert time.monotonic() - started < 30
    lines = done.stdout.splitlines()
    budget = [line for line in lines if " PL010 " in line]
    assert len(budget) == 1 and "TT003 (endless)" in budget[0] and "steps" in budget[0]
    assert any(" PL004 " in line for line in lines) and any(" TT002 " in line for line in lines)
    assert done.returncode == 1


# Values computed once: `let:` per plan, `with:` per node


def run_rule_tt003(project: Path, name: str, body: str) -> Result:
    """`check --concise` on the test plan with one rule of the test's own, TT003, and nothing else."""
    write(project / "rules" / "tt" / f"TT003-{name}.yaml", rule_file("TT003", name, body=body))
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [TT003]\n")
    return run("check", "--concise", "plan.yaml")


def test_let_and_with_values_are_used_by_name_in_where_check_and_message(project: Path):
    result = run_rule_tt003(project, "served", (
        "let:\n  served: flatten(root.strategies[*].serves)\n"
        "given: measures[*]\n"
        "with:\n  label: upper(id)\n  times: count(served[? contains(node, lower(label))])\n"
        "where: exists(label)\n"
        "check: times > 1\n"
        "message: '{label} is served {times} time by {count(served)} reference.'\n"))
    assert [f["message"] for f in findings(result)] == ["GRAD is served 1 time by 1 reference."] * 2
    assert places(result, "TT003") == [(6, 5), (11, 5)]


def test_a_with_value_is_computed_only_when_used(project: Path):
    """A value only the message needs costs nothing on nodes that pass, and cannot fail there."""
    result = run_rule_tt003(project, "lazy", (
        "given: measures[*]\n"
        "with:\n  broken: 1 / 0\n  length: count(name)\n"
        "check: length < 30\n"
        "message: '{broken}'\n"))
    assert result.exit_code == 0, result.stdout


@pytest.mark.parametrize("named", [True, False], ids=["with", "written-out"])
def test_a_with_value_used_many_times_is_computed_once_per_node(project: Path, named: bool):
    """A value that takes about a tenth of the step budget, shown ten times in a message: computed
    once under `with:` it fits the budget; written out ten times it does not (PL010)."""
    expensive = "count(range(1, 10000)[? node > 0 and node < 20000])"
    shown = "{total}" if named else "{" + expensive + "}"
    result = run_rule_tt003(project, "heavy", (
        "given: strategies[*]\n"
        f"with:\n  total: '{expensive}'\n"
        "check: total < 10\n"
        f"message: '{' '.join([shown] * 10)}'\n"))
    if named:
        assert [f["message"] for f in findings(result)] == [" ".join(["10000"] * 10)]
    else:
        assert codes(result) == {"PL010"} and "steps" in result.stdout


# Suppression comments


def check_suppressed(project: Path, plan: str, *extra: str) -> Result:
    write(project / ".planlint.yaml", "select: [core]\n")
    write(project / "plan.yaml", plan)
    return run("check", "--concise", *extra, "plan.yaml")


def test_a_comment_at_the_end_of_a_line_suppresses_a_finding_on_that_line(project: Path):
    plan = PLAN.replace("value: 60}\n  - id: grad\n", "value: 60}  # planlint: disable=PL006 -- the board "
                                                    "extends the plan to 2027\n  - id: grad\n")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL004", "PL005"}
    assert result.stdout.splitlines()[-1] == "Checked 1 file: 3 errors in 1 file. (1 suppressed.)"


def test_a_comment_alone_on_a_line_suppresses_the_node_below_with_its_children(project: Path):
    plan = PLAN.replace("measures:\n  - id: grad\n",
                        "measures:\n  # planlint: disable=PL005,PL006 -- merged from two drafts\n  - id: grad\n")
    result = check_suppressed(project, plan)
    assert places(result, "PL006") == []
    assert places(result, "PL005") == [(12, 9)], "only the first measure is covered"
    assert places(result, "PL004") == [(20, 14)]
    assert "(2 suppressed.)" in result.stdout


def test_a_comment_above_a_key_covers_the_whole_list_below_it(project: Path):
    plan = PLAN.replace("measures:\n", "# planlint: disable=duplicate-id -- ids are renamed next week\nmeasures:\n")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL004", "PL006"}
    assert "(2 suppressed.)" in result.stdout


def test_disable_file_covers_the_whole_file(project: Path):
    plan = "# planlint: disable-file=PL004, outside-period -- a draft for the board retreat\n" + PLAN
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL005"}
    assert "(2 suppressed.)" in result.stdout


def test_rules_are_named_by_code_or_name_in_any_case(project: Path):
    plan = PLAN.replace("serves: [gradd]", "serves: [gradd]  # planlint: disable=Unknown-Reference -- added in May")
    plan = plan.replace("year: 2027, value: 60}", "year: 2027, value: 60}  # planlint: disable=pl006 -- extended")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL005"}


def test_a_suppression_without_a_reason_is_pl008_and_still_suppresses(project: Path):
    plan = PLAN.replace("serves: [gradd]", "serves: [gradd]  # planlint: disable=PL004")
    result = check_suppressed(project, plan)
    assert places(result, "PL004") == []
    (warning,) = [f for f in findings(result) if f["code"] == "PL008"]
    assert (warning["line"], warning["column"], warning["severity"]) == (19, 22, "warning")
    assert "reason" in warning["message"]


def test_a_suppression_that_suppresses_nothing_is_pl009(project: Path):
    plan = PLAN.replace("name: Literacy block", "name: Literacy block  # planlint: disable=PL004,PL006 -- old")
    result = check_suppressed(project, plan)
    assert places(result, "PL004") == [PL004_AT], "the comment is on the line above the finding"
    unused = [f for f in findings(result) if f["code"] == "PL009"]
    assert [(f["line"], f["column"]) for f in unused] == [(18, 27), (18, 27)]
    assert [f["message"] for f in unused] == [
        "This comment suppresses PL004, but there is no PL004 finding here; remove it.",
        "This comment suppresses PL006, but there is no PL006 finding here; remove it."]


def test_suppressed_findings_are_counted_in_text_and_json(project: Path):
    plan = "# planlint: disable-file=PL005 -- two drafts merged\n" + PLAN
    text = check_suppressed(project, plan)
    assert text.stdout.splitlines()[-1] == "Checked 1 file: 1 error, 1 warning in 1 file. (2 suppressed.)"
    report = json.loads(run("check", "--format", "json", "plan.yaml").stdout)
    assert report["summary"]["suppressed"] == 2
    assert report["summary"]["findings"] == 2
    assert {f["code"] for f in report["findings"]} == {"PL004", "PL006"}


@pytest.mark.parametrize("quoted", ['"Test # planlint: disable=PL005 -- not a comment"',
                                    "'Test # planlint: disable=PL005 -- not a comment'"],
                         ids=["double", "single"])
def test_planlint_inside_a_quoted_string_is_not_a_comment(project: Path, quoted: str):
    plan = PLAN.replace("  name: Test District", f"  name: {quoted}").replace(
        "measures:\n  - id: grad\n", f"measures:\n  - x-note: {quoted}\n    id: grad\n")
    result = check_suppressed(project, plan)
    assert places(result, "PL005") == [(7, 9), (12, 9)]
    assert "PL009" not in codes(result)
    assert "suppressed" not in result.stdout


def test_a_comment_after_text_with_an_apostrophe_still_counts(project: Path):
    plan = PLAN.replace(
        "  - id: literacy\n    name: Literacy block\n    serves: [gradd]\n",
        "  - {id: literacy, name: The district's literacy block, serves: [gradd]}"
        "  # planlint: disable=PL004 -- the measure is added in May\n")
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL005", "PL006"}
    assert "(1 suppressed.)" in result.stdout


def test_the_checks_of_the_file_itself_cannot_be_suppressed(project: Path):
    plan = "# planlint: disable-file=PL001 -- no\nplanlint: 1\nsystem: [unclosed\n"
    result = check_suppressed(project, plan)
    assert codes(result) == {"PL001"}
    assert "suppressed" not in result.stdout


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
