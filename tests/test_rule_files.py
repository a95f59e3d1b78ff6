"""Rule files of one's own: every mistake stops planlint before any plan is read, a rule that fails
on a plan is one PL010 and the other rules still report, and `let:`/`with:` values are computed once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from projects import (
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
    "a-filter-that-is-always-a-list": (
        "filter: '[]'\ncheck: count(measures) < 9\nmessage: Never.\n", "[]", "in `filter`: a condition must give"),
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





def test_let_and_with_values_are_used_by_name_in_filter_check_and_message(project: Path):
    result = run_rule_tt003(project, "served", (
        "let:\n  served: flatten(root.strategies[*].serves)\n"
        "given: measures[*]\n"
        "with:\n  label: upper(id)\n  times: count(served[? contains(node, lower(label))])\n"
        "filter: exists(label)\n"
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
