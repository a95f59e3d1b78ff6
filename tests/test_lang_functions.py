"""The function library: every function, its errors, the seed's forecast, format_value."""

from __future__ import annotations

import datetime
import math
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.functions import FUNCTIONS
from planlint.lang import (
    Budget, EvalContext, EvalError, check_names, compile_expr, format_value,
    parse_expression,
)
from planlint.lang.ast import Call, walk
from planlint.expressiondocs import END, START, function_table, with_table

DOCS = Path(__file__).resolve().parent.parent / "docs" / "expressions.md"
SEED_HISTORY = {"2017": 55, "2018": 53.5, "2019": 52}
NODE: dict[str, Any] = {
    "history": SEED_HISTORY,
    "gappy": {"2015": 40, "2016": None, "2017": "tbd", "2019": 46, "note": 3},
    "falling": {"2017": 10, "2018": 5, "2019": 2},
    "single": {"2019": 52},
    "unit": "percent",
    "text": "x" * 10_000 + "needle",
}

CASES: list[tuple[str, Any]] = [
    ("count([3, 1, 3])", 3), ("count(history)", 3), ("count('abc')", 3), ("count(null)", 0),
    ("sum([1, 2.5, null])", 3.5), ("sum([])", None), ("sum(null)", None), ("sum([2, 3])", 5),
    ("min([52, 47, null])", 47), ("min(3, 1, 2)", 1), ("min([])", None),
    ("min(['2023-01-01', @2022-09-15])", datetime.date(2022, 9, 15)),
    ("max([52, 47])", 52), ("max(['2022-09-15', '2023-02-01'])", "2023-02-01"),
    ("max(null, 4)", 4),
    ("mean([55, 53.5, 52])", 53.5), ("mean([2, 4, null])", 3), ("mean([])", None),
    ("abs(-0.71)", 0.71), ("abs(3)", 3), ("abs(null)", None),
    ("round(41.456, 1)", 41.5), ("round(2.5)", 3), ("round(-2.5)", -3), ("round(0.125, 2)", 0.13),
    ("round(1234, -2)", 1200), ("round(7, 2)", 7), ("round(null)", None),
    ("unique(['a', 'b', 'a'])", ["a", "b"]), ("unique([1, 1.0, true])", [1, True]),
    ("unique(null)", []),
    ("duplicates(['a', 'b', 'a', 'c', 'b', 'a'])", ["a", "b"]), ("duplicates([1, 2])", []),
    ("tally(['a', 'b', 'a', null, 2024, 2024, true, 1.5, ['a']])", {"a": 2, "b": 1, 2024: 2}),
    ("tally(['a', 'b', 'a'])['a']", 2), ("tally(['a'])['c']", None), ("'b' in tally(['a', 'b'])", True),
    ("2024 in tally([2024])", True), ("'2024' in tally([2024])", False), ("tally(null)", {}),
    ("flatten([[1, 2], [3], 4, null])", [1, 2, 3, 4, None]), ("flatten([[[1]]])", [[1]]),
    ("sort([2024, 2022, null, 2023])", [2022, 2023, 2024, None]),
    ("sort(['b', 'a'])", ["a", "b"]), ("sort(['2023-01-01', @2022-01-01])",
                                         [datetime.date(2022, 1, 1), "2023-01-01"]),
    ("first([2022, 2023])", 2022), ("first([])", None), ("first(null)", None),
    ("last([2022, 2023])", 2023), ("last([])", None),
    ("keys(history)", ["2017", "2018", "2019"]), ("keys(null)", []),
    ("values(history)", [55, 53.5, 52]),
    ("contains(['a'], 'a')", True), ("contains('abc', 'bc')", True),
    ("contains(history, 2018)", True), ("contains(null, 1)", False),
    ("difference(['a', 'b', 'c', 'a'], ['b'])", ["a", "c"]), ("difference(null, ['a'])", []),
    ("intersection(['a', 'b', 'c'], ['c', 'b'])", ["b", "c"]),
    ("intersection(['2022-09-15', 'a', '2022-09-15'], [@2022-09-15])", ["2022-09-15"]),
    ("difference([1, 2.0, 'b'], [2, 'a'])", [1, "b"]), ("intersection([], [1])", []),
    ("union(['a', 'b'], ['b', 'c'])", ["a", "b", "c"]),
    ("range(2022, 2026)", [2022, 2023, 2024, 2025, 2026]), ("range(3, 1)", []),
    ("range(1, null)", None), ("range(2022.0, 2023)", [2022, 2023]),
    ("default(null, 0)", 0), ("default(5, 0)", 5), ("exists(0)", True), ("exists(nope)", False),
    ("is_number(1.5)", True), ("is_number(true)", False), ("is_number('52')", False),
    ("is_string('tbd')", True), ("is_string(1)", False),
    ("is_list([])", True), ("is_list(history)", False),
    ("is_map(history)", True), ("is_map([])", False),
    ("is_null(null)", True), ("is_null(0)", False),
    ("is_date('2022-09-15')", True), ("is_date(@2022-09-15)", True),
    ("is_date('2022-02-30')", False), ("is_date(2022)", False),
    ("lower('ELA')", "ela"), ("lower(null)", None), ("upper('ela')", "ELA"),
    ("trim('  tbd ')", "tbd"),
    ("words('Percent of 3-8 students, ELA')", ["Percent", "of", "3-8", "students", "ELA"]),
    ("words(null)", []),
    ("starts_with('By September 15', 'By ')", True), ("starts_with(null, 'x')", None),
    ("ends_with('52%', '%')", True), ("ends_with('52', '%')", False),
    ("matches('Students Tested', 'particip|tested')", True), ("matches('abc', '^b')", False),
    ("matches(null, 'x')", None), ("matches(text, 'needle')", False), ("matches(text, 'x$')", True),
    ("join(['ela', 'math'], ' and ')", "ela and math"), ("join([1, 2.5, null, true])",
                                                        "1, 2.5, none, yes"),
    ("str(41.456)", "41.46"), ("str(null)", "none"), ("str([1, 'a'])", "1, a"),
    ("number('52%')", 52), ("number(' 52.5 ')", 52.5), ("number('tbd')", None),
    ("number(7)", 7), ("number(true)", None),
    ("date('2022-09-15')", datetime.date(2022, 9, 15)), ("date('2022-13-01')", None),
    ("date(@2022-09-15) == '2022-09-15'", True), ("date(5)", None),
    ("year('2022-09-15')", 2022), ("year('soon')", None),
    ("school_year('2022-09-15')", 2023), ("school_year('2023-03-01')", 2023),
    ("school_year('2023-07-01')", 2024), ("school_year('2023-06-30')", 2023),
    ("days_between('2022-09-15', @2022-12-15)", 91), ("days_between('x', '2022-01-01')", None),
    ("years(history)", [2017, 2018, 2019]), ("years(gappy)", [2015, 2016, 2017, 2019]),
    ("year_values(gappy)", [[2015, 40], [2019, 46]]), ("year_values(null)", []),
    ("avg_annual_change(history)", -1.5), ("avg_annual_change(gappy)", 1.5),
    ("avg_annual_change(single)", None), ("avg_annual_change(null)", None),
    ("latest_year(gappy)", 2019), ("latest_year(null)", None),
    ("latest_value(history)", 52), ("latest_value(null)", None),
    ("forecast(history, 2026)", 41.5), ("forecast(history, 2026, 5)", 44.5),
    ("forecast(falling, 2026, null, 0, 100)", 0), ("forecast(falling, 2026, 5, unit_range(unit))", 0),
    ("forecast(history, 2026, null, 45)", 45), ("forecast(history, 2020, null, 0, 50)", 50),
    ("forecast(single, 2026)", None), ("forecast(history, '2026')", 41.5),
    ("explain_forecast(history, 2026)",
     "average annual change -1.5 from 2017-2019; projection for 2026 is 52 + 7 x -1.5 = 41.5"),
    ("explain_forecast(falling, 2026, null, unit)",
     "average annual change -4 from 2017-2019; projection for 2026 is 2 + 7 x -4 = -26, "
     "kept at 0 because a percent stays within 0-100"),
    ("explain_forecast(single, 2026)", None),
    ("history_changes(gappy)", [1.5]), ("history_changes(single)", []),
    ("first(setbacks(history, 'increase'))", {"from_year": 2017, "from": 55, "to_year": 2018, "to": 53.5,
                                              "text": "from 55 in 2017 to 53.5 in 2018"}),
    ("setbacks(history, 'increase')[*].text", ["from 55 in 2017 to 53.5 in 2018", "from 53.5 in 2018 to 52 in 2019"]),
    ("setbacks(history, 'decrease')", []), ("setbacks(null, 'increase')", []),
    ("out_of_range(node)", []), ("sign_flips(node)", []), ("out_of_range(null)", []),
    ("acronyms('Percent of 3-8 students at mastery in ELA and math on LEAP, and APs')", ["ELA", "LEAP", "AP"]),
    ("acronyms(null)", []),
    ("feasibility(node)", None),
    ("years_with(gappy, 'tbd')", [2017]), ("years_with(null, 'tbd')", []),
    ("rigor(root).total", 1), ("rigor(null).total", 0),
    ("state_percentile('GRAD_CRED', 2019, 52)", None),
    ("ordinal(52)", "52nd"), ("ordinal(13)", "13th"), ("ordinal(21.4)", "21st"), ("ordinal(null)", None),
    ("count(pick(root.measures, 'unit', 'percent'))", 1), ("pick(root.measures, 'unit', 'points')", []),
    ("pick(null, 'id', 'a')", []),
    ("framework('ldoe').min_goals", 3),
    ("framework_ids(['ldoe', 'nope', 'msip5'])", ["ldoe", "msip5"]),
    ("framework_problem('msip5')", None),
    ("goal('msip5.attendance').name", "Attendance rate"),
    ("goal_problem('ldoe.grade3-mastery', ['ldoe'])", None),
    ("goal_applies('msip5.graduation', 'K-8')", False),
    ("grade_span_includes('K-12', '9-12')", True),
    ("designation(87, framework('msip5').thresholds.attendance)", "On Track"),
    ("points_possible('msip5', 'K-12')", 120),
    ("read_benchmark('By March 1, 70% of teachers are planning.', 2023).date", "2023-03-01"),
    ("is_students('students who tested below grade level')", True), ("is_students('teachers')", False),
    ("has_word('meet with their advisor', ['advisor'])", True),
    ("same_who('teachers', 'K-2 teachers')", True),
    ("opens_with('  Focusing   on data', ['improve', 'focusing on'])", True),
    ("opens_with('improvement cycles', ['improve'])", False), ("opens_with('(Re)teach it', ['(re)teach'])", True),
    ("opens_with(null, ['improve'])", None),
    ("previous_benchmark([], null)", None), ("by_id(null, ['a'])", []), ("frame_sentence(null)", None),
    ("school_year_end(2026)", datetime.date(2026, 6, 30)),
    ("as_of('2023-01-31')", datetime.date(2023, 1, 31)),
    ("required_annual_change(52, 2019, 60, 2026)", 1.142857143),
    ("required_annual_change(52, 2022, 60, 2026)", 2),
    ("required_annual_change(52, 2026, 60, 2026)", None),
    ("required_annual_change(null, 2019, 60, 2026)", None),
    ("improves(47, 60, 'increase')", True), ("improves(47, 60, 'decrease')", False),
    ("improves(20, 18, 'decrease')", True), ("improves(null, 1, 'increase')", None),
    ("improves(1, 2, 'sideways')", None),
    ("unit_range('percent')", [0, 100]), ("unit_range('score')", None), ("unit_range(null)", None),
]

ERRORS: list[tuple[str, str]] = [
    ("framework(5)", "framework() needs text, got the number 5"),
    ("count(5)", "count() needs a list, a mapping or text, got the number 5"),
    ("sum(['a'])", "sum() needs a list of numbers, got the text 'a'"),
    ("sum(5)", "sum() needs a list, got the number 5"),
    ("mean([true])", "mean() needs a list of numbers, got true"),
    ("min([1, 'a'])", "min() needs numbers or dates, got the text 'a'"),
    ("abs('3')", "abs() needs a number, got the text '3'"),
    ("round(1.5, 0.5)", "round() needs a whole number of digits"),
    ("sort([1, 'a'])", "sort() needs a list of numbers, texts or dates (one kind)"),
    ("keys([1])", "keys() needs a mapping (key: value pairs), got a list"),
    ("range(1, 20000)", "range() makes at most 10000 numbers"),
    ("range(1.5, 3)", "range() needs whole numbers"),
    ("lower(5)", "lower() needs text, got the number 5"),
    ("matches('a', null)", "matches() needs a pattern"),
    ("matches('a', '(')", "matches() cannot read the pattern"),
    ("matches('ab', '(a)\\\\1')", "back-references such as \\1 are not supported"),
    ("matches('ab', 'a(?=b)')", "look-arounds such as (?=...)"),
    ("matches('a', '" + "a" * 501 + "')", "matches() takes patterns of at most 500 characters"),
    ("join(['a'], 1)", "join() needs text, got the number 1"),
    ("year(5)", "year() needs a date, got the number 5"),
    ("years([1])", "years() needs a mapping"),
    ("difference([], 5)", "difference() needs a list, got the number 5"),
    ("intersection(5, [])", "intersection() needs a list, got the number 5"),
    ("opens_with('a', ['a', ['b']])", "opens_with() needs a list of texts"),
    ("opens_with('a', ['a', 1])", "opens_with() needs a list of texts"),
    ("has_word('a', [['b']])", "has_word() needs a list of words"),
    ("forecast(history, 'soon')", "forecast() needs a year, got the text 'soon'"),
    ("school_year_end(0)", "school_year_end() needs a year from 1 to 9999, got the number 0"),
    ("school_year_end('0000')", "school_year_end() needs a year from 1 to 9999"),
    ("required_annual_change(52, 2019, 60, 10000)", "needs a year from 1 to 9999"),
    ("forecast(history, 2026, null, 100, 0)", "forecast() was given a range from 100 down to 0"),
    ("improves('a', 1, 'increase')", "improves() needs a number"),
    ("unit_range(5)", "unit_range() needs a unit name"),
]


def run(text: str, **more: Any) -> Any:
    ctx = EvalContext({"measures": [NODE]}, NODE, ("measures", 0), {}, functions=FUNCTIONS, **more)
    return compile_expr(parse_expression(text))(ctx)


@pytest.mark.parametrize("text, expected", CASES)
def test_function_cases(text: str, expected: Any) -> None:
    result = run(text)
    assert result == expected
    assert type(result) is type(expected)


def test_every_function_has_cases() -> None:
    called = {node.name for text, _ in CASES for node in walk(parse_expression(text))
              if isinstance(node, Call)}
    assert set(FUNCTIONS) - called == set()


@pytest.mark.parametrize("text, message", ERRORS)
def test_function_errors_name_the_function(text: str, message: str) -> None:
    with pytest.raises(EvalError) as caught:
        run(text)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == (1, 1)


MEASURE_VALUES: list[tuple[dict[str, Any], list[str], list[str]]] = [
    # measure, out_of_range(node), sign_flips(node)
    ({"unit": "points", "baseline": {"year": 2019, "value": -25},
      "trajectory": {"2022": -24, "2023": 22, "note": 5}, "target": {"year": 2026, "value": -18}},
     [], ["trajectory.2023 = 22"]),
    ({"unit": "percent", "history": {"2019": 40, "note": 150}, "baseline": {"year": 2019, "value": 40},
      "target": {"year": 2026, "value": 101}}, ["target = 101"], []),
    ({"unit": "percent", "history": {"2020": 101, "2019": -1.5, "2021": float("nan")}},
     ["history.2019 = -1.5", "history.2020 = 101", "history.2021 = not a number"], ["history.2019 = -1.5"]),
    ({"history": {"2018": -3, "2019": -2}, "baseline": {"year": 2019, "value": 0}, "target": {"value": 4}},
     [], ["target = 4"]),
    ({"history": {"2019": 3}, "baseline": {"value": True}, "projection": {"value": -1}, "target": {"value": -2}},
     [], ["history.2019 = 3"]),
]


@pytest.mark.parametrize("measure, outside, flipped", MEASURE_VALUES)
def test_values_out_of_range_and_of_the_other_sign(measure: dict[str, Any], outside: list[str],
                                                   flipped: list[str]) -> None:
    ctx = EvalContext({"measures": [measure]}, measure, ("measures", 0), {}, functions=FUNCTIONS)
    assert compile_expr(parse_expression("out_of_range(node)"))(ctx) == outside
    assert compile_expr(parse_expression("sign_flips(node)"))(ctx) == flipped


@pytest.mark.parametrize("text", ["out_of_range(node)", "sign_flips(node)"])
def test_values_of_a_history_that_is_no_mapping(text: str) -> None:
    measure = {"unit": "percent", "baseline": {"year": 2019, "value": 5}, "history": [1, 2]}
    ctx = EvalContext({"measures": [measure]}, measure, ("measures", 0), {}, functions=FUNCTIONS)
    with pytest.raises(EvalError, match="needs a mapping"):
        compile_expr(parse_expression(text))(ctx)


def test_the_seed_worked_example() -> None:
    assert run("avg_annual_change(history)") == -1.5
    assert run("forecast(history, 2026)") == 41.5
    assert run("latest_year(history)") == 2019 and run("latest_value(history)") == 52


def test_a_percent_forecast_is_clamped_at_zero() -> None:
    assert run("forecast(falling, 2026)") == -26
    assert run("forecast(falling, 2026, null, first(unit_range(unit)), "
               "last(unit_range(unit)))") == 0


@pytest.mark.parametrize("name, function", sorted(FUNCTIONS.items()))
def test_every_function_is_described(name: str, function: Any) -> None:
    assert function.name == name
    assert function.doc and "\n" not in function.doc
    assert function.signature.startswith(name + "(")
    assert function.example and not check_names(parse_expression(function.example), functions=FUNCTIONS,
                                                options=set())
    assert 0 <= function.min_args <= (function.max_args or function.min_args)


def test_static_arity_messages() -> None:
    problems = check_names(parse_expression("mean(1, 2) + round() + min() + forecast(h)"), functions=FUNCTIONS,
                           options=set())
    assert [problem.message for problem in problems] == [
        "mean() takes 1 argument, got 2",
        "round() takes 1 to 2 arguments, got 0",
        "min() takes at least 1 argument, got 0",
        "forecast() takes 2 to 5 arguments, got 1",
    ]


def test_check_names_reports_names_with_positions() -> None:
    problems = check_names(parse_expression(
        "cout(measures) > options.max_measure and all(true for node in measures) "
        "and any(true for as_of in xs) and options.max_measures > 0"),
        options={"max_measures"}, variables=frozenset({"as_of"}))
    assert [(p.message, p.line, p.column) for p in problems] == [
        ("unknown function 'cout'; did you mean 'count'?", 1, 1),
        ("unknown option 'max_measure'; did you mean 'max_measures'?", 1, 26),
        ("'node' already has a meaning; name the variable differently", 1, 55),
        ("'as_of' is already a variable of this rule; name it differently", 1, 90),
    ]


def test_check_names_binds_a_quantifier_variable_in_its_body_only() -> None:
    problems = check_names(parse_expression(
        "count(options.anything for options in options.lst)"), options={"limit"})
    assert [(p.message, p.line, p.column) for p in problems] == [
        ("'options' already has a meaning; name the variable differently", 1, 28),
        ("unknown option 'lst'; the rule declares limit", 1, 47),
    ]


@pytest.mark.parametrize("text, messages", [
    ("count(measures)", []),
    ("count(m.id != null for m in measures)", []),
    ("count(a, b)", ["count() takes 1 argument, got 2"]),
    ("count(count(m for m in ms), b)", ["count() takes 1 argument, got 2"]),
    ("all(cout(m) > 0 for m in measures)", ["unknown function 'cout'; did you mean 'count'?"]),
])
def test_check_names_tells_count_the_quantifier_from_count_the_function(
    text: str, messages: list[str]
) -> None:
    problems = check_names(parse_expression(text), functions=FUNCTIONS, options=set())
    assert [problem.message for problem in problems] == messages


@pytest.mark.parametrize("pattern", ["(x+)+y", "(x|x)*y", ".*a.*b.*c", "(\\\\w+\\\\s?)*:"])
def test_patterns_that_backtrack_for_ever_in_python_run_in_linear_time(pattern: str) -> None:
    """Each of these takes Python's `re` seconds to hours on 10,000 characters; RE2 is linear,
    so 100 searches of the longest text searched must finish in a blink."""
    started = time.perf_counter()
    for _ in range(100):
        assert run(f"matches(text, '{pattern}')") is False
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("text", "where"), [
    ("matches(name, 'a(?=b)') or true", 15), ("count(measures) > 0 and matches(x, '(a)\\\\1')", 36),
])
def test_an_unreadable_literal_pattern_is_a_problem_when_the_rule_loads(text: str, where: int) -> None:
    problems = check_names(parse_expression(text), functions=FUNCTIONS, options=set())
    assert [(problem.line, problem.column) for problem in problems] == [(1, where)]
    assert "matches() cannot read the pattern" in problems[0].message


def test_regex_functions_search_only_the_start_of_long_text() -> None:
    assert run("contains(text, 'needle')") is True
    assert run("matches(text, 'needle')") is False


def test_big_lists_spend_the_budget() -> None:
    budget = Budget(1_000)
    with pytest.raises(EvalError, match="more than 1000 steps"):
        run("count(range(1, 5000))", budget=budget)


@pytest.mark.parametrize("value, shown", [
    (47, "47"), (41.5, "41.5"), (-0.7100001, "-0.71"), (47.0, "47"), (0.004, "0"),
    (-0.001, "0"), (1e21, "1000000000000000000000"), (None, "none"), (True, "yes"),
    (False, "no"), ([1, 2.5, None], "1, 2.5, none"), ([], ""), ("text", "text"),
    (datetime.date(2022, 9, 15), "2022-09-15"), ({"a": 1}, "a: 1"),
    (math.inf, "infinite"), (math.nan, "not a number"),
])
def test_format_value(value: Any, shown: str) -> None:
    assert format_value(value) == shown


_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates(),
              st.datetimes(), st.binary()),
    lambda inner: st.one_of(st.lists(inner), st.tuples(inner, inner),
                            st.dictionaries(st.text(max_size=3), inner)),
    max_leaves=20,
)


@given(_VALUES)
def test_format_value_never_raises(value: Any) -> None:
    assert isinstance(format_value(value), str)


def test_format_value_of_something_very_deep() -> None:
    deep: Any = 1
    for _ in range(10_000):
        deep = [deep]
    assert format_value(deep).endswith("...")


def test_the_reference_lists_every_function_as_generated() -> None:
    document = DOCS.read_text(encoding="utf-8")
    assert START in document and END in document
    assert with_table(document) == document, (
        "docs/expressions.md is out of date: "
        "run python -m planlint.expressiondocs docs/expressions.md")
    for name in FUNCTIONS:
        assert f"`{FUNCTIONS[name].signature}`" in function_table()
