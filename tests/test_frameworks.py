"""Frameworks as data: the built-ins, a state's own file, broken files, and the MO pack on the Missouri examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from planlint.cli import main
from planlint.config_error import ConfigError
from planlint.facts import RunFacts, plan_facts
from planlint.functions import FUNCTIONS
from planlint.lang import EvalContext, EvalError, compile_expr, parse_expression
from planlint.frameworks import (
    explain_framework,
    frameworks_table,
    grade_range,
    grades_apply,
    load_framework_file,
    load_frameworks,
)
from planlint.pipeline import Profiles, Settings, check_paths
from planlint.resources import schema_path

EXAMPLES = Path(__file__).parents[1] / "examples"

PRAIRIE = """\
id: prairie
name: Prairie State priority goals
state: PS
min_goals: 2
goals:
  - {id: early-reading, name: Early reading, description: Students read on grade level by third grade., grades: {any_of: K-3}}
  - {id: algebra-ready, name: Algebra ready, description: Students finish eighth grade ready for algebra., grades: {any_of: 6-8}}
  - {id: graduate, name: Graduation, description: Students graduate in four years., grades: {any_of: 9-12}}
"""

PLAN = """\
planlint: 1
system: {{name: Prairie Unified, grades: K-12}}
period: {{start: 2025, end: 2027}}
frameworks: [{framework}]
measures:
  - id: reading
    name: Percent of third graders reading on grade level
    goals: [{goals}]
    unit: percent
    direction: increase
    target: {{year: 2027, value: 70}}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def evaluate(text: str, plan: dict | None = None, plan_file: str | None = None):
    """`text` on `plan`, its facts resolved as the pipeline resolves them for a plan at `plan_file`."""
    plan = plan or {}
    facts = plan_facts(plan, plan_file, RunFacts(load_frameworks()))
    context = EvalContext.for_plan(plan, facts=facts, functions=FUNCTIONS)
    return compile_expr(parse_expression(text))(context)


# The built-in frameworks --------------------------------------------------------------------

def test_the_built_in_frameworks_load_with_their_goals_and_numbers():
    frameworks = load_frameworks()
    assert frameworks.ids == ["ldoe", "msip5"]
    ldoe, msip5 = frameworks.get("ldoe"), frameworks.get("msip5")
    assert ldoe.min_goals == 3 and len(ldoe.goals) == 6 and ldoe.builtin
    assert [g["id"] for g in msip5.goals] == ["academic-achievement", "subgroup-achievement",
                                               "college-career-readiness", "high-school-readiness",
                                               "attendance", "graduation"]
    assert msip5.min_goals is None
    thresholds = msip5.value["thresholds"]
    assert thresholds["participation"]["at_least"] == 95
    assert [(d["name"], d.get("at_least")) for d in thresholds["attendance"]["designations"]] == [
        ("Target", 90), ("On Track", 85), ("Approaching", 80), ("Floor", None)]
    assert [(t["name"], t["points"]) for t in msip5.value["scoring"]["totals"]] == [
        ("K-8 districts", 60), ("K-12 districts", 120)]
    assert msip5.goals[0]["ref"] == "msip5.academic-achievement"


def _descriptions_missing(schema: object, where: str = "") -> list[str]:
    missing = []
    if isinstance(schema, dict):
        for name, sub in schema.get("properties", {}).items():
            if "description" not in sub:
                missing.append(f"{where}.{name}")
        for key, sub in schema.items():
            missing += _descriptions_missing(sub, f"{where}/{key}")
    elif isinstance(schema, list):
        for index, sub in enumerate(schema):
            missing += _descriptions_missing(sub, f"{where}[{index}]")
    return missing


def test_every_property_of_the_framework_schema_is_described():
    schema = json.loads(schema_path("framework.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert _descriptions_missing(schema) == []


@pytest.mark.parametrize(("span", "expected"), [
    ("K-12", (0, 12)), ("PK-5", (-1, 5)), ("9-12", (9, 12)), (8, (8, 8)), ("K", (0, 0)),
    ("12-9", None), ("K-13", None), ("grades 1-5", None), (None, None), (True, None),
])
def test_grade_spans_are_read_from_lowest_to_highest(span, expected):
    assert grade_range(span) == expected


@pytest.mark.parametrize(("grades", "standards"), [
    ("K-12", ["academic-achievement", "subgroup-achievement", "college-career-readiness", "attendance",
              "graduation"]),
    ("9-12", ["academic-achievement", "subgroup-achievement", "college-career-readiness", "attendance",
              "graduation"]),
    ("K-8", ["academic-achievement", "subgroup-achievement", "high-school-readiness", "attendance"]),
    ("6-8", ["academic-achievement", "subgroup-achievement", "high-school-readiness", "attendance"]),
    ("K-2", ["attendance"]),
])
def test_the_grade_span_decides_which_msip5_standards_apply(grades, standards):
    msip5 = load_frameworks().get("msip5")
    assert [g["id"] for g in msip5.goals if grades_apply(g.get("grades"), grades)] == standards


GRADES = ["PK", "K"] + [str(n) for n in range(1, 13)]


@given(st.integers(-1, 12), st.integers(-1, 12), st.integers(-1, 12), st.integers(-1, 12))
def test_a_goal_for_some_grades_applies_exactly_when_the_spans_share_a_grade(a, b, c, d):
    plan, goal = (min(a, b), max(a, b)), (min(c, d), max(c, d))
    plan_span = f"{GRADES[plan[0] + 1]}-{GRADES[plan[1] + 1]}"
    goal_span = f"{GRADES[goal[0] + 1]}-{GRADES[goal[1] + 1]}"
    assert grade_range(plan_span) == plan
    shared = plan[0] <= goal[1] and goal[0] <= plan[1]
    assert grades_apply({"any_of": goal_span}, plan_span) is shared
    assert grades_apply({"none_of": goal_span}, plan_span) is (not shared)


def test_an_unknown_grade_span_leaves_applicability_unknown():
    assert grades_apply({"any_of": "9-12"}, None) is None
    assert grades_apply({"any_of": "9-12"}, "K-13") is None
    assert grades_apply(None, None) is True


def test_frameworks_table_and_explain_speak_plain_words():
    frameworks = load_frameworks()
    table = frameworks_table(frameworks)
    assert table.splitlines()[0].split() == ["id", "name", "state", "goals", "minimum", "file"]
    assert "ldoe" in table and "msip5" in table and "built-in" in table
    assert [row["id"] for row in json.loads(frameworks_table(frameworks, "json"))] == ["ldoe", "msip5"]
    text = explain_framework(frameworks.get("msip5"))
    assert "msip5.graduation: Graduation rate" in text
    assert "Applies to systems that serve any of grades 9-12." in text
    assert "Target 90% or more; On Track 85% or more; Approaching 80% or more; Floor below 80%" in text
    assert "K-8 districts 60; K-12 districts 120" in text
    assert "at least 3 of these 6 goals" in explain_framework(frameworks.get("ldoe"))


# Functions rules call -------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "status"), [
    (95, "Target"), (90, "Target"), (89.9, "On Track"), (85, "On Track"), (84.9, "Approaching"),
    (80, "Approaching"), (79.9, "Floor"), (0, "Floor"),
])
def test_designation_names_the_attendance_status_seed_003_gives(value, status):
    assert evaluate(f"designation({value}, framework('msip5').thresholds.attendance)") == status


def test_framework_functions_read_the_frameworks_as_data():
    assert evaluate("framework('nope')") is None
    assert evaluate("framework_ids(['ldoe', 'nope', 'msip5'])") == ["ldoe", "msip5"]
    assert evaluate("goal_applies('msip5.high-school-readiness', 'K-8')") is True
    assert evaluate("goal_applies('msip5.high-school-readiness', 'K-12')") is False
    assert evaluate("goal_applies('msip5.nope', 'K-12')") is None
    assert evaluate("grade_span_includes('K-8', '6-8')") is True
    assert evaluate("grade_span_includes('K-8', '9-12')") is False
    assert evaluate("points_possible('msip5', 'K-8')") == 60
    assert evaluate("points_possible('msip5', 'K-12')") == 120
    assert evaluate("points_possible('msip5', null)") is None
    with pytest.raises(EvalError, match="designation"):
        evaluate("designation('high', [])")


@pytest.mark.parametrize(("text", "expected"), [
    ("framework('ldoe').min_goals", 3), ("framework('nope')", None), ("framework(null)", None),
    ("framework_ids(['ldoe', 'nope', 'msip5'])", ["ldoe", "msip5"]), ("framework_ids(null)", []),
    ("framework_problem('msip5')", None), ("framework_problem(null)", None),
    ("goal('msip5.attendance').name", "Attendance rate"), ("goal('msip5')", None), ("goal(null)", None),
    ("goal('msip5.attendance').applies_to", "every grade span"),
    ("goal_problem('ldoe.grade3-mastery', ['ldoe'])", None), ("goal_problem('ldoe', ['ldoe'])", None),
    ("goal_applies('msip5.graduation', 'K-8')", False), ("goal_applies('msip5.graduation', null)", None),
    ("grade_span_includes('K-12', '9-12')", True), ("grade_span_includes('K-8', 9)", False),
    ("grade_span_includes('K-13', 'K')", None),
    ("designation(87, framework('msip5').thresholds.attendance)", "On Track"),
    ("designation(87, framework('msip5').thresholds.attendance.designations)", "On Track"),
    ("designation(null, [])", None),
    ("points_possible('msip5', 'K-12')", 120), ("points_possible('ldoe', 'K-12')", None),
    ("framework('msip5').thresholds.participation.summary", "at least 95%"),
])
def test_framework_functions_give_null_rather_than_fail_on_missing_values(text, expected):
    result = evaluate(text)
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(("text", "message"), [
    ("framework(5)", "framework() needs text, got the number 5"),
    ("designation('a', [])", "designation() needs a number, got the text 'a'"),
    ("grade_span_includes([1], 'K')", "grade_span_includes() needs a grade span such as K-12, got a list"),
    ("goal_problem('ldoe.x', 5)", "goal_problem() needs a list, got the number 5"),
])
def test_framework_functions_name_themselves_when_a_rule_gives_them_the_wrong_kind_of_value(text, message):
    with pytest.raises(EvalError) as raised:
        evaluate(text)
    assert message in raised.value.message


def test_goal_problem_names_what_is_wrong_with_a_goal():
    assert evaluate("goal_problem('ldoe.grade3-mastery', ['ldoe'])") is None
    wrong_goal = evaluate("goal_problem('ldoe.grade-3-mastery', ['ldoe'])")
    assert 'has no goal "grade-3-mastery"' in wrong_goal and 'Did you mean "ldoe.grade3-mastery"?' in wrong_goal
    undeclared = evaluate("goal_problem('msip5.attendance', [])")
    assert 'does not declare the framework "msip5"' in undeclared and "add msip5 to `frameworks:`" in undeclared
    assert "knows no framework" in evaluate("goal_problem('texas.reading', ['ldoe'])")


def test_framework_problem_names_an_unknown_id_with_a_suggestion():
    problem = evaluate("framework_problem('ldeo')", {"frameworks": ["ldeo"]})
    assert 'knows no framework by that id. Did you mean "ldoe"?' in problem
    assert evaluate("framework_problem('msip5')", {"frameworks": ["msip5"]}) is None


# A state's own framework ----------------------------------------------------------------------

def _project(tmp_path: Path, *, goals: str, framework: str = "prairie") -> Path:
    (tmp_path / "my-state.yaml").write_text(PRAIRIE)
    (tmp_path / ".planlint.yaml").write_text("frameworks: [my-state.yaml]\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.format(framework=framework, goals=goals))
    return plan


def test_a_made_up_state_framework_is_added_from_a_file(tmp_path: Path):
    (tmp_path / "my-state.yaml").write_text(PRAIRIE)
    frameworks = load_frameworks([tmp_path / "my-state.yaml"])
    assert frameworks.ids == ["ldoe", "msip5", "prairie"]
    prairie = frameworks.get("prairie")
    assert prairie.min_goals == 2 and not prairie.builtin
    assert "prairie" in frameworks_table(frameworks) and str(tmp_path / "my-state.yaml") in frameworks_table(frameworks)


def test_a_plan_is_checked_against_a_made_up_framework_with_its_minimum(tmp_path: Path):
    plan = _project(tmp_path, goals="prairie.early-reading")
    result = run("check", "--select", "MKR002", "--concise", str(plan))
    assert result.exit_code == 1, result.output
    assert "MKR002 error The measures align with 1 of the goals of prairie (Prairie State priority goals): " \
           "prairie.early-reading; the plan needs at least 2. Goals still open to this plan: " \
           "prairie.algebra-ready, prairie.graduate." in result.output
    plan.write_text(PLAN.format(framework="prairie", goals="prairie.early-reading, prairie.graduate"))
    assert run("check", "--select", "MKR002", str(plan)).exit_code == 0


def test_a_plan_names_a_framework_file_relative_to_itself(tmp_path: Path):
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "prairie.yaml").write_text(PRAIRIE)
    plan = tmp_path / "plans" / "plan.yaml"
    plan.write_text(PLAN.format(framework="prairie.yaml", goals="prairie.early-reading"))
    result = run("check", "--no-config", "--select", "MKR002", "--concise", str(plan))
    assert result.exit_code == 1 and "the plan needs at least 2" in result.output
    plan_file = str(plan)
    root = {"frameworks": ["prairie.yaml"]}
    assert evaluate("framework_ids(root.frameworks)", root, plan_file) == ["prairie"]
    assert evaluate("framework_problem('prairie.yaml')", root, plan_file) is None
    assert evaluate("goal('prairie.graduate').name", root, plan_file) == "Graduation"
    assert evaluate("goal_problem('prairie.graduate', root.frameworks)", root, plan_file) is None


def test_a_broken_framework_file_a_plan_names_is_a_problem_with_its_place_not_an_exit(tmp_path: Path):
    (tmp_path / "prairie.yaml").write_text(PRAIRIE.replace("min_goals: 2", "min_goals: two"))
    plan_file = str(tmp_path / "plan.yaml")
    root = {"frameworks": ["prairie.yaml", "missing.yaml"]}
    problem = evaluate("framework_problem('prairie.yaml')", root, plan_file)
    assert problem.startswith(f'The framework file "prairie.yaml" cannot be used: {tmp_path / "prairie.yaml"}:4:12: ')
    assert "min_goals must be a whole number of goals" in problem
    assert 'The framework file "missing.yaml" does not exist' in evaluate("framework_problem('missing.yaml')", root, plan_file)
    assert evaluate("framework_ids(root.frameworks)", root, plan_file) == []
    # one finding per problem: the goals of a framework whose file is broken are not reported again
    assert evaluate("goal_problem('prairie.early-reading', root.frameworks)", root, plan_file) is None


def test_a_broken_framework_file_in_the_config_exits_2_with_its_place_and_a_marker(tmp_path: Path):
    plan = _project(tmp_path, goals="prairie.early-reading")
    (tmp_path / "my-state.yaml").write_text(PRAIRIE.replace("min_goals: 2", "min_goals: 2.5"))
    result = run("check", str(plan))
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'my-state.yaml'}:4:12: error: this framework file is not valid: ")
    assert lines[1] == " 4 | min_goals: 2.5" and lines[2] == "   |            ^"


@pytest.mark.parametrize(("change", "place", "words"), [
    (("id: prairie", "id: Prairie State"), (1, 5), "an id of lower-case words joined by dashes"),
    (("grades: {any_of: 6-8}", "grades: {any_of: 8-6}"), (7, 125), "write the lowest grade first"),
    (("id: algebra-ready", "id: early-reading"), (7, 10), 'two goals have the id "early-reading"'),
    (("min_goals: 2", "min_goals: 4"), (4, 12), "min_goals is 4, but the framework has only 3 goals"),
    (("state: PS", "stat: PS"), (3, 1), 'unknown key "stat". Did you mean "state"?'),
])
def test_a_wrong_framework_file_is_a_clear_error_at_its_place(tmp_path: Path, change, place, words):
    path = tmp_path / "my-state.yaml"
    path.write_text(PRAIRIE.replace(*change))
    with pytest.raises(ConfigError) as raised:
        load_framework_file(path)
    assert (raised.value.span.line, raised.value.span.column) == place
    assert words in raised.value.message


def test_designations_go_from_highest_to_lowest(tmp_path: Path):
    path = tmp_path / "my-state.yaml"
    path.write_text(PRAIRIE + "thresholds:\n  attendance:\n    description: Attendance.\n    designations:\n"
                              "      - {name: Floor}\n      - {name: Target, at_least: 90}\n")
    with pytest.raises(ConfigError, match="only the last, lowest designation may leave out at_least"):
        load_framework_file(path)


def test_framework_ids_are_unique_across_files_unless_a_file_replaces_a_built_in(tmp_path: Path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(PRAIRIE)
    second.write_text(PRAIRIE)
    with pytest.raises(ConfigError, match=f'already used by {first}') as raised:
        load_frameworks([first, second])
    assert raised.value.file == str(second) and raised.value.span.line == 1
    copy = (Path(__file__).parents[1] / "frameworks" / "msip5.yaml").read_text(encoding="utf-8")
    (tmp_path / "msip5.yaml").write_text(copy)
    with pytest.raises(ConfigError, match="Add `replaces: true`"):
        load_frameworks([tmp_path / "msip5.yaml"])
    (tmp_path / "msip5.yaml").write_text(copy.replace("points: 120", "points: 140") + "replaces: true\n")
    corrected = load_frameworks([tmp_path / "msip5.yaml"])
    assert corrected.get("msip5").value["scoring"]["totals"][1]["points"] == 140
    with pytest.raises(ConfigError, match="no framework has the id"):
        second.write_text(PRAIRIE + "replaces: true\n")
        load_frameworks([second])


def test_corrected_apr_totals_reach_the_mo_messages_without_code(tmp_path: Path):
    copy = (Path(__file__).parents[1] / "frameworks" / "msip5.yaml").read_text(encoding="utf-8")
    (tmp_path / "msip5-2016.yaml").write_text(copy.replace("points: 120", "points: 140") + "replaces: true\n")
    (tmp_path / ".planlint.yaml").write_text("frameworks: [msip5-2016.yaml]\n")
    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "broken" / "mo-standards-coverage.yaml").read_text(encoding="utf-8")
                    .replace("grades: K-8", "grades: K-12"))
    result = run("check", "--select", "MO001", "--concise", str(plan))
    assert "on 5 performance standards (140 APR points possible)" in result.output


# The MO pack on the Missouri examples ---------------------------------------------------------

def findings_of(plan: Path) -> list:
    return list(check_paths([str(plan)], Profiles(Settings(isolated=True))).findings)


@pytest.mark.parametrize("name", ["missouri-k12.yaml", "missouri-k8.yaml"])
def test_the_missouri_examples_pass_every_mo_rule(name: str):
    assert [f for f in findings_of(EXAMPLES / name) if f.code.startswith(("MO", "MKR002", "PL004"))] == []


@pytest.mark.parametrize(("name", "code", "line", "words"), [
    ("mo-standards-coverage", "MO001", 14, "no measure aligns with 1 of them: Attendance rate"),
    ("mo-grade-span", "MO002", 66, "(msip5.college-career-readiness), which applies only to systems that "
                                   "serve any of grades 9-12; this system serves K-8"),
    ("mo-participation", "MO003", 43, "is 94%, below MSIP 5's 95%"),
    ("mo-attendance-90-90", "MO004", 91, "reaches the MSIP 5 status On Track, not Target"),
    ("mo-subgroups", "MO005", 48, '"subgroup-mpi" aligns with MSIP 5 subgroup achievement'),
])
def test_each_broken_missouri_example_gives_its_mo_rule(name: str, code: str, line: int, words: str):
    plan = EXAMPLES / "broken" / f"{name}.yaml"
    assert plan.read_text(encoding="utf-8").startswith("# Wrong: ")
    found = [f for f in findings_of(plan) if f.code.startswith("MO")]
    assert [(f.code, f.span.line) for f in found] == [(code, line)]
    assert words in found[0].message


def test_mo_rules_do_not_run_on_plans_that_do_not_declare_msip5():
    assert [f for f in findings_of(EXAMPLES / "strong-parish-2026.yaml") if f.code.startswith("MO")] == []
