"""Evaluating rule expressions: operators, nulls, paths, quantifiers, budget, parents."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.lang import (
    FUNCTIONS, Budget, BudgetExceeded, EvalContext, EvalError, ExprSyntaxError, Function,
    compile_expr, compile_path, compile_template, parse_expression, parse_template,
)
from planlint.schoolyears import SchoolYear, SchoolYearKey

PLAN: dict[str, Any] = {
    "planlint": 1,
    "period": {"start": 2022, "end": 2026},
    "measures": [
        {
            "id": "grad-credentials",
            "direction": "increase",
            "unit": "percent",
            "history": {"2017": 55, "2018": 53.5, "2019": 52},
            "target": {"year": 2026, "value": 60},
            "trajectory": {"2022": 52, "2023": 54, "2024": 56, "2025": 58, "2026": 60},
            "x-note": "checked",
        },
        {
            "id": "chronic-absence",
            "direction": "decrease",
            "unit": "percent",
            "history": {"2018": 20, "2019": None, "2020": 18},
            "target": {"year": 2026, "value": None},
            "trajectory": None,
        },
        {"id": "sel", "direction": "increase", "unit": "score"},
    ],
    "strategies": [
        {
            "id": "embedded-eld",
            "serves": ["grad-credentials"],
            "implementation_benchmarks": [
                {"id": "lo-plans-70", "when": "2022-09-15", "target": 70},
                {"id": "lo-plans-90", "when": "2023-02-01", "target": 90},
            ],
        },
        {"id": "attendance-team", "serves": ["chronic-absence"]},
    ],
}


def context(**more: Any) -> EvalContext:
    options = more.pop("options", {"max_measures": 7, "tolerance": 0.5})
    return EvalContext.for_plan(PLAN, options, **more)


def run(text: str, ctx: EvalContext | None = None) -> Any:
    return compile_expr(parse_expression(text))(ctx or context())


@pytest.mark.parametrize("text, expected", [
    ("1 + 2", 3), ("7 - 10", -3), ("6 * 7", 42), ("7 / 2", 3.5), ("6 / 2", 3),
    ("7 % 3", 1), ("0.5 + 0.25", 0.75), ("-(2 + 3)", -5), ("2 + 3 * 4", 14),
    ("'ab' + 'cd'", "abcd"), ("[1] + [2, 3]", [1, 2, 3]),
    ("1 == 1.0", True), ("1 != 2", True), ("'a' == 'a'", True), ("[1, 'a'] == [1.0, 'a']", True),
    ("true == 1", False), ("null == null", True), ("null == 0", False), ("null != 0", True),
    ("3 < 4", True), ("4 <= 4", True), ("5 > 4", True), ("4 >= 5", False), ("'a' < 'b'", True),
    ("@2022-09-15 == '2022-09-15'", True), ("'2022-09-15' == @2022-09-15", True),
    ("@2022-09-15 < '2022-10-01'", True), ("'2023-01-01' >= @2022-12-31", True),
    ("2 in [1, 2]", True), ("'gap' in 'achievement gap'", True), ("'2024' in [2024]", False),
    ("2024 in measures[0].trajectory", True), ("'2030' in measures[0].trajectory", False),
    ("3 not in [1, 2]", True), ("'x' not in 'xyz'", False),
    ("true and true", True), ("true and false", False), ("false or true", True),
    ("false or false", False), ("not false", True),
    ("if 1 < 2 then 'yes' else 'no'", "yes"), ("if 1 > 2 then 'yes' else 'no'", "no"),
    ("[1, 1 + 1, null]", [1, 2, None]), ("@2022-09-15", datetime.date(2022, 9, 15)),
])
def test_operators(text: str, expected: Any) -> None:
    result = run(text)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize("text, expected", [
    ("null + 1", None), ("1 - null", None), ("null * null", None), ("1 / null", None),
    ("-null", None), ("1 / 0", None), ("1 % 0", None),
    ("null < 1", None), ("1 >= null", None), ("1 < 'a'", None), ("'2022-09-15' < 3", None),
    ("@2022-09-15 < 'soon'", None), ("[1] < [2]", None), ("true < false", None),
    ("null and true", None), ("null and false", False), ("false and null", False),
    ("null or false", None), ("null or true", True), ("true or null", True),
    ("not null", None),
    ("if null then 1 else 2", 2),
    ("all(false for m in null)", True), ("any(true for m in null)", False),
    ("none(true for m in null)", True), ("count(true for m in null)", 0),
    ("all(false for m in 'text')", True), ("count(true for m in 5)", 0),
    ("all(x > 0 for x in [1, null])", None), ("all(x > 0 for x in [1, null, -1])", False),
    ("any(x > 0 for x in [null, -1])", None), ("any(x > 0 for x in [null, 1])", True),
    ("none(x > 0 for x in [null, -1])", None), ("none(x > 0 for x in [null, 1])", False),
    ("count(x > 1 for x in [null, 1, 2])", 1),
    ("true and all(x > 0 for x in [1, null])", None),
    ("false and all(x > 0 for x in [1, null])", False),
    ("1 in null", False), ("1 not in null", True),
    ("missing_field", None), ("missing.deeper.still", None), ("measures[99].id", None),
    ("measures.id", None), ("period.start.value", None), ("measures['id']", None),
    ("measures[0].target['year']", 2026), ("measures[*].nothing", [None, None, None]),
    ("null[*]", []), ("period.start[*]", []),
])
def test_null_semantics(text: str, expected: Any) -> None:
    assert run(text) == expected


@pytest.mark.parametrize("text, message, column", [
    ("true + 1", "'+' works on numbers, not on true and the number 1", 6),
    ("'a' - 1", "'-' works on numbers, not on the text 'a' and the number 1", 5),
    ("[1] * 2", "'*' works on numbers, not on a list and the number 2", 5),
    ("-'a'", "'-' works on numbers, not on the text 'a'", 1),
    ("1 and true", "'and' needs true or false, got the number 1", 3),
    ("false or 'x'", "'or' needs true or false, got the text 'x'", 7),
    ("not measures", "'not' needs true or false, got a list", 1),
    ("if 'x' then 1 else 2", "'if' needs true or false", 1),
    ("measures[? id]", "a filter [? ...] needs true or false", 9),
    ("all(m.id for m in measures)", "the condition of 'all' needs true or false", 1),
    ("true and any(m for m in [1])", "the condition of 'any' needs true or false", 10),
    ("mean(measures)", "mean() needs a list of numbers, got a mapping", 1),
    ("1 + nosuch(2)", "unknown function 'nosuch'", 5),
    ("1 + count(1, 2)", "count() takes 1 argument, got 2", 5),
])
def test_rule_mistakes_raise_eval_errors_at_the_right_place(
    text: str, message: str, column: int
) -> None:
    with pytest.raises(EvalError) as caught:
        run(text)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, column)
    assert message in str(caught.value)


def test_errors_inside_loops_keep_the_innermost_position() -> None:
    with pytest.raises(EvalError) as caught:
        run("all(\n  m.id + 1 > 0\n  for m in measures)")
    assert (caught.value.line, caught.value.column) == (2, 8)


def test_names_resolve_to_root_node_options_variables_and_fields() -> None:
    measure = PLAN["measures"][0]
    ctx = context().with_node(measure, ("measures", 0)).bind("as_of", "2023-01-01")
    assert run("root.period.start", ctx) == 2022
    assert run("node.id", ctx) == "grad-credentials"
    assert run("id", ctx) == "grad-credentials"
    assert run("target.value", ctx) == 60
    assert run('node["x-note"]', ctx) == "checked"
    assert run('trajectory["2024"]', ctx) == 56
    assert run("trajectory[2024]", ctx) == 56
    assert run("options.max_measures", ctx) == 7
    assert run("options.missing", ctx) is None
    assert run("as_of", ctx) == "2023-01-01"
    assert run("parent.planlint", ctx) == 1


def test_quantifier_variables_shadow_fields_and_are_unbound_afterwards() -> None:
    ctx = context().bind("m", "outer")
    assert run("all(id > 0 for id in [1, 2])", ctx) is True
    assert run("[count(m.unit == 'percent' for m in measures), m]", ctx) == [2, "outer"]
    assert run("count(id.direction == 'increase' for id in measures)") == 2


def test_the_variable_is_not_bound_in_its_own_collection() -> None:
    ctx = context().bind("m", [1, 2, 3])
    assert run("count(m > 1 for m in m)", ctx) == 2
    assert run("m", ctx) == [1, 2, 3]


def test_node_stays_the_outer_node_inside_a_quantifier() -> None:
    ctx = context().with_node(PLAN["strategies"][0], ("strategies", 0))
    text = "all(b.id != node.id and parent == root for b in implementation_benchmarks)"
    assert run(text, ctx) is True


def test_the_four_quantifiers() -> None:
    assert run("all(m.id != null for m in measures)") is True
    assert run("any(s.owner == null for s in strategies)") is True
    benchmarks = "strategies[*].implementation_benchmarks[*]"
    assert run(f"none(b.target == null for b in {benchmarks})") is True
    assert run("count(m.direction == 'decrease' for m in measures)") == 1


def test_count_is_a_quantifier_with_for_and_a_function_without() -> None:
    assert run("count(measures)") == 3
    assert run("count(m for m in [true, false, null, true])") == 2
    assert run("count(m.unit == 'percent' for m in measures) + count(strategies)") == 4


def test_a_quantifier_needs_no_parentheses_inside_and_or_and_comparisons() -> None:
    assert run("count(measures) > 2 and all(m.id != null for m in measures)") is True
    assert run("false or any(m.unit == 'score' for m in measures)") is True
    assert run("count(m.unit == 'percent' for m in measures) >= 2") is True
    assert run("not none(x > 1 for x in [1, 2])") is True


def test_nested_quantifiers_see_outer_variables() -> None:
    text = "all(m.id == 'sel' or any(m.id in s.serves for s in strategies) for m in measures)"
    assert run(text) is True
    assert run("count(any(m.id in s.serves for s in strategies) for m in measures)") == 2
    assert run("all(all(b.target > 50 for b in s.implementation_benchmarks) "
               "for s in strategies)") is True


def test_quantifiers_over_a_mapping_visit_its_values() -> None:
    assert run("all(v >= 52 for v in measures[0].trajectory)") is True
    assert run("count(v < 54 for v in measures[0].history)") == 2


@pytest.mark.parametrize("text, expected", [
    ("measures[*].id", ["grad-credentials", "chronic-absence", "sel"]),
    ("measures[*].target.value", [60, None, None]),
    ("measures[? direction == 'decrease'].id", ["chronic-absence"]),
    ("measures[? unit == 'percent' and direction == 'increase'].id", ["grad-credentials"]),
    ("strategies[*].implementation_benchmarks[*].id", ["lo-plans-70", "lo-plans-90"]),
    ("strategies[*].implementation_benchmarks[? target > 80].when", ["2023-02-01"]),
    ("measures[0].trajectory[*]", [52, 54, 56, 58, 60]),
    ("measures[*].id[0]", [None, None, None]),
    ("(measures[*].id)[0]", "grad-credentials"),
    ("count(measures[? exists(target.value)])", 1),
    ("measures[? id in root.strategies[*].serves[0]].id", ["grad-credentials", "chronic-absence"]),
    ("measures[? count(history) > options.max_measures].id", []),
    ("measures[? node.id == 'sel'][*]", ["sel", "increase", "score"]),
])
def test_projections_and_filters(text: str, expected: Any) -> None:
    assert run(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("measures", [(("measures",), PLAN["measures"])]),
    ("measures[1]", [(("measures", 1), PLAN["measures"][1])]),
    ("measures[-1].id", [(("measures", 2, "id"), "sel")]),
    ("measures[*].target.value", [(("measures", 0, "target", "value"), 60)]),
    ("measures[? direction == 'decrease'].history[*]",
     [(("measures", 1, "history", "2018"), 20), (("measures", 1, "history", "2020"), 18)]),
    ("strategies[*].implementation_benchmarks[*].when", [
        (("strategies", 0, "implementation_benchmarks", 0, "when"), "2022-09-15"),
        (("strategies", 0, "implementation_benchmarks", 1, "when"), "2023-02-01"),
    ]),
    ("root.measures[0].trajectory[2026]", [(("measures", 0, "trajectory", "2026"), 60)]),
    ('measures[0]["x-note"]', [(("measures", 0, "x-note"), "checked")]),
    ("measures[5]", []),
    ("nothing[*].here", []),
])
def test_selectors_return_paths(text: str, expected: Any) -> None:
    assert compile_path(parse_expression(text))(context()) == expected


def test_a_selector_is_relative_to_the_node_and_may_use_parent_in_filters() -> None:
    strategy = PLAN["strategies"][0]
    ctx = context().with_node(strategy, ("strategies", 0))
    found = compile_path(parse_expression("implementation_benchmarks[? target > 80]"))(ctx)
    assert found == [(("strategies", 0, "implementation_benchmarks", 1),
                      strategy["implementation_benchmarks"][1])]
    selector = "strategies[*].implementation_benchmarks[? 'grad-credentials' in parent.serves]"
    paths = [path for path, _ in compile_path(parse_expression(selector))(context())]
    assert paths == [("strategies", 0, "implementation_benchmarks", 0),
                     ("strategies", 0, "implementation_benchmarks", 1)]
    assert compile_path(parse_expression("parent"))(ctx) == [((), PLAN)]
    assert compile_path(parse_expression("node"))(ctx) == [(("strategies", 0), strategy)]


@pytest.mark.parametrize("text, column", [
    ("count(measures)", 1), ("measures[*].id + 1", 16), ("options.x", 1),
    ("measures[0].target.value > 1", 26), ("all(m for m in measures)", 1), ("'x'", 1),
])
def test_only_paths_are_selectors(text: str, column: int) -> None:
    with pytest.raises(ExprSyntaxError) as caught:
        compile_path(parse_expression(text))
    assert "a selector must be a path" in caught.value.message
    assert caught.value.column == column
    assert "^" in str(caught.value.with_text(text))


@pytest.mark.parametrize("path, expected", [
    (("strategies", 0, "implementation_benchmarks", 1), "embedded-eld"),
    (("strategies", 0), None),
    (("measures", 0, "target"), "grad-credentials"),
    (("measures", 0, "trajectory", "2024"), None),
])
def test_parent_is_the_nearest_mapping_above_skipping_lists(path: Any, expected: Any) -> None:
    node: Any = PLAN
    for key in path:
        node = node[key]
    ctx = context().with_node(node, path)
    assert run("parent.id", ctx) == expected


def test_parent_and_parents_of_a_context() -> None:
    benchmark_path = ("strategies", 0, "implementation_benchmarks", 1)
    ctx = context().with_node({}, benchmark_path)
    assert ctx.parent is PLAN["strategies"][0]
    assert ctx.parents == (PLAN["strategies"][0], PLAN)
    trajectory = context().with_node(56, ("measures", 0, "trajectory", "2024"))
    assert trajectory.parent is PLAN["measures"][0]["trajectory"]
    assert context().parent is None
    assert context().with_node(1, ("no", "such", "place")).parent is None
    assert run("parent", context().with_node(1, None)) is None


def test_inside_a_condition_filter_parent_is_unknown() -> None:
    ctx = context().with_node(PLAN["strategies"][0], ("strategies", 0))
    assert run("implementation_benchmarks[? parent == null].id", ctx) == [
        "lo-plans-70", "lo-plans-90"]


def test_templates_fill_their_holes() -> None:
    template = parse_template(
        "The plan has {count(measures)} mission measures; keep fewer than "
        "{options.max_measures + 1}. Latest {last(year_values(measures[0].history))[1]}, "
        "targets {measures[*].target.value}, ready {exists(period)} {{ok}}"
    )
    assert compile_template(template)(context()) == (
        "The plan has 3 mission measures; keep fewer than 8. Latest 52, "
        "targets 60, none, none, ready yes {ok}"
    )


def test_the_budget_stops_a_deliberately_expensive_rule() -> None:
    big = {"xs": list(range(2_000))}
    expensive = compile_expr(parse_expression(
        "count(count(a == b for b in xs) > 0 for a in xs)"))
    budget = Budget(100_000)
    with pytest.raises(BudgetExceeded) as caught:
        expensive(EvalContext.for_plan(big, {}, budget=budget))
    assert caught.value.message == "the rule took more than 100000 steps on this plan"
    assert (caught.value.line, caught.value.column) == (1, 7)
    assert isinstance(caught.value, EvalError)


def test_the_budget_is_shared_by_every_evaluation_that_gets_it() -> None:
    compiled = compile_expr(parse_expression("count(m.id != null for m in measures)"))
    budget = Budget(60)
    ctx = context(budget=budget)
    compiled(ctx)
    used = budget.used
    assert used > 3
    with pytest.raises(BudgetExceeded):
        for _ in range(100):
            compiled(ctx)
    assert budget.remaining == 0


def test_functions_spend_steps_for_the_lists_they_are_given() -> None:
    budget = Budget()
    compile_expr(parse_expression("count(xs)"))(
        EvalContext.for_plan({"xs": list(range(5_000))}, {}, budget=budget))
    assert budget.used >= 5_000


@pytest.mark.parametrize("text", [
    "count(i in xs for i in range(1, 10000))",
    "count(xs == xs for i in range(1, 10000))",
    "count((xs + xs) != null for i in range(1, 10000))",
])
def test_operators_on_big_lists_spend_the_budget(text: str) -> None:
    with pytest.raises(BudgetExceeded):
        run(text, EvalContext.for_plan({"xs": list(range(50_000))}, {}))


def test_a_key_looked_up_in_a_mapping_costs_a_step_not_the_mapping() -> None:
    """A mapping made once (tally) answers `in` and `[]` at once, so a check per item stays linear."""
    plan = {"xs": [f"id-{i}" for i in range(5_000)]}
    for text in ("count(x in seen for x in xs)", "count(exists(seen[x]) for x in xs)"):
        budget = Budget()
        ctx = EvalContext.for_plan(plan, {}, budget=budget).bind("seen", run("tally(xs)", EvalContext.for_plan(plan, {})))
        assert run(text, ctx) == 5_000
        assert budget.used < 10 * 5_000  # a few steps an item; a list searched per item would be 12.5 million
    with pytest.raises(BudgetExceeded):  # the same with the list itself: each `in` walks it
        run("count(x in xs for x in xs)", EvalContext.for_plan(plan, {}))


def test_a_function_that_looks_up_is_not_charged_the_size_of_what_it_looks_in() -> None:
    def first_of(ctx: EvalContext, items: list[Any], wanted: Any) -> Any:
        ctx.budget.spend(1)
        return wanted if wanted in items[:1] else None

    functions = {**FUNCTIONS, "first_of": Function("first_of", 2, 2, first_of, "The first item, if wanted.",
                                                   "first_of(xs, x)", needs_context=True, looks_up=frozenset({0}))}
    budget = Budget()
    ctx = EvalContext.for_plan({"xs": list(range(5_000))}, {}, budget=budget, functions=functions)
    assert run("count(exists(first_of(xs, x)) for x in xs)", ctx) == 1
    assert budget.used < 10 * 5_000


def test_engine_functions_can_read_the_context() -> None:
    def framework_goals(ctx: EvalContext, framework: str) -> list[str]:
        return list(ctx.facts["frameworks"][framework])

    functions = {**FUNCTIONS, "framework_goals": Function(
        "framework_goals", 1, 1, framework_goals, "The goals of a framework.",
        "framework_goals(id)", needs_context=True)}
    ctx = context(functions=functions, facts={"frameworks": {"ldoe": ["a", "b"]}})
    assert run("count(framework_goals('ldoe'))", ctx) == 2
    with pytest.raises(EvalError, match="unknown function 'framework_goals'"):
        run("framework_goals('ldoe')")


def test_a_deeply_nested_plan_gives_an_eval_error_not_a_crash() -> None:
    deep: Any = 1
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(EvalError, match="nested too deeply"):
        run("xs == ys", EvalContext.for_plan({"xs": deep, "ys": deep}, {}))


_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
    st.text(max_size=8), st.dates().map(lambda day: day.isoformat()),
)
_DATA = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["a", "b", "2024"]), inner)),
    max_leaves=12)
_ATOMS = ["a", "b", "xs", "a.b", "xs[0]", "xs[*]", "xs[? a]", "1", "2.5", "'2024'", "null",
          "true", "@2022-09-15", "[1, null, 'x']", "node", "parent", "options.k"]


def _expressions() -> st.SearchStrategy[str]:
    def combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(
            ["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "in", "not in", "and", "or"]),
            inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
        call = st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(inner, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})")
        quantified = st.tuples(st.sampled_from(["all", "any", "none", "count"]), inner,
                               inner).map(lambda t: f"{t[0]}({t[2]} for v in {t[1]})")
        other = st.tuples(inner, inner, inner).map(
            lambda t: f"(if {t[0]} then {t[1]} else {t[2]})")
        return st.one_of(binary, call, quantified, other, inner.map(lambda e: f"(not {e})"))

    return st.recursive(st.sampled_from(_ATOMS), combine, max_leaves=8)


@given(_expressions(), _DATA, _DATA)
def test_any_expression_on_any_data_gives_a_value_or_an_eval_error(
    text: str, data: Any, option: Any
) -> None:
    root = {"a": data, "b": option, "xs": [data, option]}
    ctx = EvalContext(root, root, ("x",), {"k": option}, budget=Budget(20_000))
    try:
        compile_expr(parse_expression(text))(ctx)
    except EvalError as error:
        assert error.message and error.line is not None


TYPE_TESTS = ("exists", "is_null", "is_string", "is_number", "is_list", "is_map", "is_date")
ODD_VALUES: list[Any] = [None, True, False, 0, -3, 1.5, float("nan"), "x", "", "2024-10-15", "2024-02-30",
                         "2024-10-15T08:00", [], [1, 2, 3], {}, {"a": 1}, datetime.date(2024, 1, 1),
                         datetime.datetime(2024, 1, 1, 8), SchoolYear(2026), SchoolYearKey("2026"), ("a",)]


@pytest.mark.parametrize("name", TYPE_TESTS)
def test_a_type_test_answers_as_the_library_function_does_for_every_kind_of_value(name: str) -> None:
    """The standard type tests are run in one step where the library's own function is the one named; a host's
    function of the same name (here an equal copy) runs the general way. Both give the library function's answer
    and charge the same steps, for a field of the node and for any other argument."""
    own = {**FUNCTIONS, name: dataclasses.replace(FUNCTIONS[name])}
    for value in ODD_VALUES:
        expected = FUNCTIONS[name].impl(value)
        for text in (f"{name}(v)", f"{name}(node.v)", f"{name}(v) == {name}(v)"):
            used = []
            for functions in (FUNCTIONS, own):
                budget = Budget()
                ctx = EvalContext(PLAN, {"v": value}, (), {}, budget=budget, functions=functions)
                got = compile_expr(parse_expression(text), frozenset())(ctx)
                assert got == (expected if "==" not in text else True), (text, value)
                used.append(budget.used)
            assert used[0] == used[1], (text, value)


@pytest.mark.parametrize("text", ["count(v)", "join(v, '-')", "is_list(v)", "max(1, 2, 3)"])
def test_one_compiled_call_runs_the_function_of_the_table_each_evaluation_gives(text: str) -> None:
    """A compiled call keeps the function it found, and looks again in another table: planlint's tables are
    read-only, and an evaluation with a host's own table runs the host's function, then the standard one again."""
    name = text.split("(")[0]
    own = {**FUNCTIONS, name: dataclasses.replace(FUNCTIONS[name], impl=lambda *values: "own")}
    compiled = compile_expr(parse_expression(text), frozenset())
    answers = [compiled(EvalContext(PLAN, {"v": ["a", "b"]}, (), {}, functions=functions))
               for functions in (FUNCTIONS, own, FUNCTIONS, own)]
    assert answers[1] == answers[3] == "own" and answers[0] == answers[2] != "own"
    with pytest.raises(TypeError):
        FUNCTIONS[name] = own[name]  # type: ignore[index]


def test_a_type_test_of_a_long_list_spends_the_budget_where_it_is_called() -> None:
    ctx = EvalContext(PLAN, {"v": list(range(300))}, (), {}, budget=Budget(100))
    with pytest.raises(BudgetExceeded) as raised:
        compile_expr(parse_expression("1 == 1 and\n  exists(v)"), frozenset())(ctx)
    assert (raised.value.line, raised.value.column) == (2, 3)


@pytest.mark.parametrize("text", ["x.y", "x.y >= 2", "3 >= x.y", "n >= x.y", "x.y < n"])
def test_a_rules_value_is_read_where_it_is_bound_and_as_a_field_where_it_is_not(text: str) -> None:
    """A name the rule gives (`let:`, `with:`) is its value where it is bound; read before it is bound (an
    `applies_if:` runs before `let:`), it is the node's field of that name, as any other name would be."""
    expression = compile_expr(parse_expression(text), frozenset({"x", "n"}))
    bound = EvalContext({}, {"x": {"y": 1}, "n": 0}, (), {}, variables={"x": {"y": 2}, "n": 3})
    unbound = EvalContext({}, {"x": {"y": 1}, "n": 0}, (), {})
    expected = {"x.y": (2, 1), "x.y >= 2": (True, False), "3 >= x.y": (True, True), "n >= x.y": (True, False),
                "x.y < n": (True, False)}[text]
    assert (expression(bound), expression(unbound)) == expected
