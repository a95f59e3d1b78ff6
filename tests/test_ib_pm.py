"""The ib and pm packs on seed 004's appendix and series, the example plans, and progress
monitoring with and without --as-of; the functions they use."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner

from planlint.cli import main
from planlint.facts import builtin_facts
from planlint.functions import FUNCTIONS
from planlint.lang.values import as_date
from planlint.lang import EvalContext, EvalError, compile_expr, parse_expression
from planlint.domain.benchmarks import ADULT_WORDS, STUDENT_WORDS, who_group
from planlint.findings import Finding
from planlint.pipeline import Profiles, Settings, check_paths
from planlint.rules import Example, load_rules
from planlint.ruletest import default_facts, run_example

RULES = load_rules()
EXAMPLES = Path(__file__).parents[1] / "examples"
GOOD_PLANS = [EXAMPLES / "strong-parish-2026.yaml", EXAMPLES / "small-school-2025.yaml"]
LANGUAGE_OBJECTIVES = "incorporating language objectives into their daily lesson plans"


def plan_with(benchmarks: Sequence[dict[str, Any]] = (), **strategy: Any) -> str:
    """A plan for 2022-23 to 2024-25 whose one strategy serves one measure (target in 2025)."""
    plan = {
        "planlint": 1,
        "period": {"start": 2023, "end": 2025},
        "measures": [{"id": "reading", "target": {"year": 2025, "value": 60}}],
        "strategies": [{"id": "strategy", "serves": ["reading"], **strategy,
                        "implementation_benchmarks": list(benchmarks)}],
    }
    return yaml.safe_dump(plan, sort_keys=False, width=1000)


def findings(plan: str, packs: tuple[str, ...] = ("ib",), as_of: str | None = None) -> list[Finding]:
    facts = replace(default_facts(), as_of=as_date(as_of))
    return [finding for rule in RULES if rule.pack in packs
            for finding in run_example(rule, Example(plan=plan), facts)]


def codes(plan: str, **more: Any) -> set[str]:
    return {finding.code for finding in findings(plan, **more)}


def message_of(plan: str, code: str) -> str:
    return next(f.message for f in findings(plan) if f.code == code)


# Seed 004, appendix: the examples and the revised forms pass; the non-examples get the finding
# the seed's "why" gives.

SEED_EXAMPLES = {
    "lesson-plan audit": {
        "what": LANGUAGE_OBJECTIVES, "who": "teachers", "when": "2022-09-15",
        "how": "audit of daily lesson plans", "target": 70,
        "statement": "By September 15, an audit of daily lesson plans will show that 70% of teachers "
                     "will be incorporating language objectives into their daily lesson plans."},
    "MTSS data system": {
        "what": "using the new MTSS data collection system to track instructional supports offered "
                "to at least five of their students",
        "who": "teachers", "when": "2022-08-20", "how": "MTSS data collection system", "target": 85,
        "statement": "By August 20, 85% of teachers have successfully used the new MTSS data collection "
                     "system to track instructional supports offered to at least five of their "
                     "students."},
    "advisory meetings": {
        "what": "have a 1:1 meeting with their advisor every week", "who": "students",
        "when": "2022-08-15", "how": "internal Advisory Tracker", "target": 100,
        "statement": "Beginning August 15, all students have a 1:1 meeting with their advisor every "
                     "week, as reported in an internal Advisory Tracker."},
}
SEED_REVISED = {
    "coaches update the tracker": {
        "what": "updating the progress monitoring tracker at least once per week", "who": "coaches",
        "when": "2022-09-15", "how": "progress monitoring tracker", "target": 85,
        "statement": "By September 15th, 85% of coaches will be updating the progress monitoring "
                     "tracker at least once per week."},
    "Tier 1 practices": {
        "what": "implementing Tier 1 instructional practices in their classrooms", "who": "teachers",
        "when": "2022-12-31", "how": "classroom observations", "target": 75,
        "statement": "By the end of the second quarter, classroom observations will show that 75% of "
                     "teachers are successfully implementing Tier 1 instructional practices in their "
                     "classrooms."},
    "Close Reading cycles": {
        "what": "incorporating Close Reading cycles in their lesson plans at least once per week",
        "who": "teachers", "when": "2022-10-30", "how": "lesson plan audit", "target": 90,
        "statement": "By October 30, 90% of teachers will be incorporating Close Reading cycles in "
                     "their lesson plans at least once per week."},
}
ACTION_STEP = {"what": "roll out a progress monitoring tracking system to all teachers",
               "when": "2022-08-25",
               "statement": "A progress monitoring tracking system will be rolled out to all teachers "
                            "on August 25th."}
INTERIM_MEASURE = {"what": "reached proficiency", "who": "students who initially tested below grade level",
                   "when": "2022-12-15", "how": "student performance on iReady", "target": 35,
                   "statement": "By December 15, student performance on iReady will show that 35% of "
                                "students who initially tested below grade level will have reached "
                                "proficiency."}
PD_SESSION = {"what": "get PD on Close Reading practices", "who": "teachers", "when": "2022-09-30",
              "statement": "Teachers will get PD on Close Reading practices in September."}


@pytest.mark.parametrize("item", [*SEED_EXAMPLES.values(), *SEED_REVISED.values()],
                         ids=[*SEED_EXAMPLES, *SEED_REVISED])
def test_seed_examples_and_revised_forms_pass(item):
    assert findings(plan_with([item])) == []


def test_the_action_step_is_an_action_step():
    plan = plan_with([ACTION_STEP])
    assert codes(plan) == {"IB001", "IB003", "IB005"}
    assert message_of(plan, "IB003").startswith(
        "The statement names no target (X% of the adults), so it cannot be met or missed: it is an action step.")


def test_the_student_outcome_is_an_interim_measure():
    plan = plan_with([INTERIM_MEASURE])
    assert codes(plan) == {"IB002"}
    assert "that is an interim measure" in message_of(plan, "IB002")


def test_the_pd_session_has_no_target():
    plan = plan_with([PD_SESSION])
    assert codes(plan) == {"IB001", "IB003", "IB005"}
    assert message_of(plan, "IB003") == (
        "The statement names no target (X% of teachers), so it cannot be met or missed: it is an action "
        "step. Add a target (the percent of teachers expected), or move it to `action_steps`.")
    # a sentence may leave its tool unnamed, as the guide's series does; the target it may not
    assert "its target" in message_of(plan, "IB001") and "how it will be measured" not in message_of(plan, "IB001")


def test_non_examples_moved_where_the_seed_puts_them_pass():
    plan = plan_with(
        [SEED_REVISED["Close Reading cycles"]],
        action_steps=[{"what": "Roll out the progress monitoring tracking system to all teachers",
                       "who": "Assessment coordinator", "when": "2022-08-25"}],
        interim_measures=[{**INTERIM_MEASURE, "measure": "reading"}])
    assert findings(plan) == []


SERIES = [  # seed 004, "Example: Series of Implementation Benchmarks"
    ("2022-09-01", 50, LANGUAGE_OBJECTIVES), ("2022-09-15", 70, LANGUAGE_OBJECTIVES),
    ("2022-10-30", 95, LANGUAGE_OBJECTIVES),
    ("2022-10-30", 40, "assessing daily language objectives in their exit tickets"),
    ("2022-12-15", 65, "assessing daily language objectives in their exit tickets"),
    ("2022-12-15", 30, "analyzing student performance on language objectives in exit tickets"),
    ("2023-02-01", 90, "assessing daily language objectives in their exit tickets"),
    ("2023-02-01", 60, "analyzing student performance on language objectives in exit tickets"),
    ("2023-04-30", 90, "analyzing student performance on language objectives in exit tickets"),
]


def series(swap: bool = False) -> list[dict[str, Any]]:
    items = []
    for when, target, what in SERIES:
        day = datetime.date.fromisoformat(when)
        items.append({"what": what, "who": "teachers", "when": when, "how": "audit of lesson plans",
                      "target": target,
                      "statement": f"By {day:%B} {day.day}, {target}% of teachers will be {what}."})
    if swap:
        items[1]["target"], items[2]["target"] = 95, 70
    return items


def test_the_seed_series_passes():
    assert findings(plan_with(series())) == []


def test_a_series_whose_target_falls_is_reported_once():
    found = [f for f in findings(plan_with(series(swap=True))) if f.code != "IB005"]
    assert [f.code for f in found] == ["IB004"]
    assert "expects 70% of teachers by 2022-10-30, less than the 95%" in found[0].message


def test_benchmarks_after_the_target_year_are_not_backwards_planned():
    late = {**SEED_REVISED["Close Reading cycles"], "when": "2025-09-30", "statement": None}
    del late["statement"]
    found = findings(plan_with([late]))
    assert [f.code for f in found] == ["IB006"]
    assert "by 2025-06-30 at the latest" in found[0].message


# Progress monitoring: IB008 needs a date; without one it says nothing.

def monitor(as_of: str | None) -> list[Finding]:
    overrides: tuple[tuple[str, Any], ...] = (("select", ["IB008"]),)
    if as_of is not None:
        overrides += (("as-of", as_of),)
    results = check_paths([str(GOOD_PLANS[0])], Profiles(Settings(isolated=True, overrides=overrides)))
    return list(results.findings)


def test_without_as_of_monitoring_is_silent():
    assert monitor(None) == []


def test_with_as_of_each_benchmark_that_has_come_is_reported():
    found = monitor("2022-10-01")
    assert [(f.severity.label, f.span.line) for f in found] == [
        ("info", 208), ("info", 218), ("info", 291), ("info", 438)]
    assert found[0].message.startswith("Met by 4 points: 54% of teachers against a target of 50%")
    assert found[1].message.startswith("Missed by 6 points: 64% of teachers against a target of 70%")
    assert found[2].message.startswith("As of 2022-10-01, the date of this benchmark (2022-09-30) has "
                                       "come and no result is recorded.")


def test_as_of_before_any_benchmark_reports_nothing():
    assert monitor("2022-08-01") == []


def test_as_of_reaches_the_rule_through_the_plans_facts():
    plan = plan_with([{**SEED_EXAMPLES["lesson-plan audit"], "result": {"value": 70, "date": "2022-09-15"}}])
    assert codes(plan, as_of=None) == set()
    found = findings(plan, as_of="2022-09-20")
    assert [(f.code, f.message.split(":")[0]) for f in found] == [("IB008", "Met")]


# The good examples pass every ib and pm rule.

@pytest.mark.parametrize("plan", GOOD_PLANS, ids=lambda p: p.name)
def test_good_examples_pass_ib_and_pm(plan: Path):
    overrides = (("select", ["ib", "pm"]),)
    results = check_paths([str(plan)], Profiles(Settings(isolated=True, overrides=overrides)))
    assert list(results.findings) == []


# Performance management (seed 002).

def test_a_plan_without_performance_management_gets_every_pm_finding():
    plan = yaml.safe_dump({
        "planlint": 1,
        "measures": [{"id": "reading"}, {"id": "attendance", "source": "SIS", "frequency": "monthly"}],
        "strategies": [{"id": "literacy", "name": "Structured literacy", "serves": ["attendance"],
                        "interim_measures": [{"id": "moy", "measure": "attendance"}]},
                       {"id": "tutoring", "owner": "Principal", "resources": {"people": "tutors"}}],
    }, sort_keys=False)
    found = findings(plan, packs=("pm",))
    assert sorted((f.code, f.span.line) for f in found) == [
        ("PM001", 15), ("PM002", 3), ("PM003", 8), ("PM004", 3), ("PM005", 3), ("PM006", 1)]
    assert next(f for f in found if f.code == "PM003").message.startswith(
        'The strategy "Structured literacy" has no owner')


def test_the_command_line_reports_an_action_step(tmp_path: Path):
    path = tmp_path / "plan.yaml"
    path.write_text(plan_with([PD_SESSION]))
    result = CliRunner().invoke(main, ["check", "--no-config", "--select", "ib", "--concise", str(path)])
    assert result.exit_code == 1
    assert "IB003" in result.output and "it is an action step" in result.output


def test_ib002_word_lists_are_the_library_defaults():
    rule = next(r for r in RULES if r.code == "IB002")
    assert tuple(rule.options["student_words"].default) == STUDENT_WORDS
    assert tuple(rule.options["adult_words"].default) == ADULT_WORDS


# The functions the rules use.

@pytest.mark.parametrize(("who", "group"), [
    ("teachers", "adults"), ("K-2 teachers", "adults"), ("coaches", "adults"),
    ("principals and assistant principals", "adults"), ("middle and high school advisors", "adults"),
    ("teachers of students with disabilities", "adults"), ("families", "adults"),
    ("parents of English learners", "adults"), ("all staff", "adults"), ("senior leaders", "adults"),
    ("students", "students"), ("students who initially tested below grade level", "students"),
    ("K-2 students", "students"), ("scholars", "students"), ("children", "students"),
    ("pupils in grade 4", "students"), ("English learners", "students"), ("seniors", "students"),
    ("students and families", "both"), ("classrooms", None), ("schools", None),
])
def test_who_group(who: str, group: str | None):
    assert who_group(who) == group


def run(text: str, node: Any = None, as_of: str | None = None) -> Any:
    facts = replace(builtin_facts(), as_of=as_date(as_of))
    context = EvalContext.for_plan({"period": {"start": 2023}}, facts=facts, functions=FUNCTIONS)
    return compile_expr(parse_expression(text))(context.with_node(node or {}, ("strategies", 0)))


SERIES_NODE = {"implementation_benchmarks": [
    {"what": "Planning", "when": "2022-10-30", "target": 95},
    {"what": "planning ", "when": "2022-09-01", "target": 50},
    {"what": "coaching", "when": "2022-09-15", "target": 20},
    {"what": "planning", "when": "2022-09-15", "target": 70},
]}


@pytest.mark.parametrize(("text", "expected"), [
    ("read_benchmark('By March 1, 70% of teachers are planning.', 2023).date", "2023-03-01"),
    ("read_benchmark('By March 1, 70% of teachers are planning.', '2023-09-15').date", "2024-03-01"),
    ("read_benchmark('By March 1, 70% of teachers are planning.', 'soon').date", None),
    ("read_benchmark('By March 1, 70% of teachers are planning.').missing", ["tool"]),
    ("read_benchmark('Teachers will get PD.').follows_frame", False),
    ("read_benchmark(null)", None),
    ("is_students('students who tested below grade level')", True),
    ("is_students('teachers')", False), ("is_students('classrooms')", None),
    ("is_students('cadets', ['cadet'], ['officer'])", True), ("is_students(null)", None),
    ("has_word('meet with their Advisors weekly', ['advisor'])", True),
    ("has_word('reach proficiency', ['advisor'])", False), ("has_word(null, ['advisor'])", None),
    ("same_who('the teachers', 'Teachers')", True), ("same_who('teachers', 'coaches')", False),
    ("same_who('K-2 teachers', 'teachers')", True), ("same_who(null, 'teachers')", None),
    ("previous_benchmark(implementation_benchmarks, implementation_benchmarks[0]).target", 70),
    ("previous_benchmark(implementation_benchmarks, implementation_benchmarks[3]).target", 50),
    ("previous_benchmark(implementation_benchmarks, implementation_benchmarks[1])", None),
    ("previous_benchmark(implementation_benchmarks, implementation_benchmarks[2])", None),
    ("by_id(null, ['a'])", []),
    ("frame_sentence(implementation_benchmarks[0])",
     "By October 30, 2022, [how] will show that 95% of [who] are Planning."),
    ("school_year_end(2026)", datetime.date(2026, 6, 30)), ("school_year_end(null)", None),
    ("as_of()", None), ("as_of('2023-01-31')", datetime.date(2023, 1, 31)),
])
def test_library_functions(text: str, expected: Any):
    assert run(text, SERIES_NODE) == expected


def test_by_id_keeps_the_list_order():
    node = {"measures": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    assert run("by_id(measures, ['c', 'a'])[*].id", node) == ["a", "c"]


def _earlier_by_definition(items: list[Any], benchmark: Any) -> Any:
    """previous_benchmark as the guide defines it, searched from scratch: the benchmark for the same
    action (`what` ignoring case and spacing) dated just before, ties in list order."""
    def action(item: Any) -> Any:
        what = item.get("what") if isinstance(item, dict) else None
        return " ".join(what.lower().split()) if isinstance(what, str) and what.strip() else None

    if not isinstance(benchmark, dict) or action(benchmark) is None:
        return None
    series = sorted(((as_date(item.get("when")), index, item) for index, item in enumerate(items)
                     if action(item) == action(benchmark) and as_date(item.get("when")) is not None),
                    key=lambda entry: entry[:2])
    position = next((i for i, (_, _, item) in enumerate(series) if item is benchmark), None)
    return series[position - 1][2] if position else None


_BENCHMARK = st.fixed_dictionaries({}, optional={
    "what": st.sampled_from(["planning", "Planning ", "coaching", "", 5]),
    "when": st.sampled_from(["2022-09-01", "2022-09-15", "2022-10-30", "2022-02-30", "soon", None]),
    "target": st.integers(0, 100)})


@given(st.lists(_BENCHMARK, max_size=12), st.lists(st.integers(0, 11), max_size=4))
def test_previous_benchmark_is_the_benchmark_the_guide_means(benchmarks: list[dict], aliased: list[int]):
    """Answered from a series built once per rule and plan; the same as searching the list each time,
    a benchmark listed twice (a YAML alias) included."""
    items: list[Any] = benchmarks + [benchmarks[i] for i in aliased if i < len(benchmarks)]
    node = {"implementation_benchmarks": items}
    calls = ", ".join(f"previous_benchmark(implementation_benchmarks, implementation_benchmarks[{index}])"
                      for index in range(len(items)))
    found = run(f"[{calls}]", node)  # one evaluation: the first call builds the series, the others look in it
    assert len(found) == len(items)
    assert all(got is _earlier_by_definition(items, item) for got, item in zip(found, items))


@given(st.lists(st.fixed_dictionaries({}, optional={"id": st.sampled_from(["a", "b", "c", 1, 1.0, True, None])}),
                max_size=8),
       st.lists(st.sampled_from(["a", "b", "z", 1, None, True]), max_size=4))
def test_by_id_finds_what_searching_the_list_finds(items: list[dict], ids: list[Any]):
    node = {"measures": items, "wanted": ids}
    assert run("by_id(measures, wanted)", node) == [item for item in items if item.get("id") in ids]


def test_as_of_prefers_the_date_given_on_the_command_line():
    assert run("as_of('2023-01-31')", as_of="2022-10-01") == datetime.date(2022, 10, 1)
    assert run("as_of()", as_of="2022-10-01") == datetime.date(2022, 10, 1)


@pytest.mark.parametrize(("text", "message"), [
    ("is_students('x', 'students')", "is_students() needs a list"),
    ("is_students('x', [1])", "is_students() needs a list of words"),
    ("frame_sentence('x')", "frame_sentence() needs a benchmark"),
    ("as_of(5)", "as_of() needs a date"),
    ("read_benchmark(5)", "read_benchmark() needs text"),
])
def test_library_function_errors_name_the_function(text: str, message: str):
    with pytest.raises(EvalError) as caught:
        run(text)
    assert message in caught.value.message


def test_as_of_on_the_command_line_reports_benchmarks_that_are_due():
    from click.testing import CliRunner

    from planlint.cli import main

    plan = str(Path(__file__).parents[1] / "examples" / "strong-parish-2026.yaml")
    without = CliRunner().invoke(main, ["check", "--no-config", "--concise", plan])
    assert "IB008" not in without.output
    due = CliRunner().invoke(main, ["check", "--no-config", "--concise", "--as-of", "2022-10-01", plan])
    lines = [line for line in due.output.splitlines() if "IB008" in line]
    assert len(lines) == 4 and all(" IB008 info " in line for line in lines)
    assert any("Met by 4 points" in line for line in lines)
    assert any("Missed by 6 points" in line for line in lines)
    bad = CliRunner().invoke(main, ["check", "--as-of", "October 1", plan])
    assert bad.exit_code == 2
