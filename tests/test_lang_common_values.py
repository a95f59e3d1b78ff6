"""The library answers the values plans hold most (texts, whole numbers, dicts, the same option lists)
a shorter way than it answers others: these tests hold both ways to one behaviour."""

from __future__ import annotations

import datetime
import math
import re
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planlint.domain.targets import clean
from planlint.functions import FUNCTIONS
from planlint.lang import EvalContext, compile_expr, parse_expression
from planlint.lang.values import as_date, equal

DAY = datetime.date(2022, 9, 15)
# No NaN: a NaN is not equal to itself, so no list of them has one right answer to compare with.
_VALUES = st.sampled_from([1, 1.0, 2, 2.5, 10**20, True, False, None, "a", "b", "1", "2022-09-15", DAY,
                           datetime.datetime(2022, 9, 15, 8), [1], {"a": 1}])


def run(text: str, node: Any = None, options: dict[str, Any] | None = None) -> Any:
    ctx = EvalContext({}, node if node is not None else {}, (), options or {}, functions=FUNCTIONS)
    return compile_expr(parse_expression(text))(ctx)


def _among(items: list[Any], others: list[Any], wanted: bool) -> list[Any]:
    """The first of each group of equal items (by the language's ==), kept if it is (or is not) in `others`."""
    seen: list[Any] = []
    kept = []
    for item in items:
        if not any(equal(item, earlier) for earlier in seen):
            seen.append(item)
            if any(equal(item, other) for other in others) is wanted:
                kept.append(item)
    return kept


@given(st.lists(_VALUES, max_size=6), st.lists(_VALUES, max_size=6))
def test_difference_and_intersection_compare_as_equality_does(items: list[Any], others: list[Any]) -> None:
    difference = FUNCTIONS["difference"].impl(items, others)
    intersection = FUNCTIONS["intersection"].impl(items, others)
    assert [type(value) for value in difference] == [type(value) for value in _among(items, others, False)]
    assert difference == _among(items, others, False)
    assert [type(value) for value in intersection] == [type(value) for value in _among(items, others, True)]
    assert intersection == _among(items, others, True)


@pytest.mark.parametrize("text, expected", [
    ("difference([1, 1.0, 2], [])", [1, 2]), ("difference([1.0, 1], [2])", [1.0]),
    ("difference([1, true], [1])", [True]), ("intersection(['2022-09-15', '2022-09-15'], [@2022-09-15])",
                                              ["2022-09-15"]),
    ("intersection(['1', 1], [1])", [1]), ("difference(['ELA', 'LEAP', 'ELA'], ['SAT', 'ELA'])", ["LEAP"]),
])
def test_difference_and_intersection_keep_the_first_of_equal_values(text: str, expected: list[Any]) -> None:
    result = run(text)
    assert result == expected
    assert [type(value) for value in result] == [type(value) for value in expected]


_DATES = st.sampled_from(["2022-09-15", DAY, "2023-01-10", datetime.date(2023, 1, 10), "2021-01-01", None])


@given(st.lists(_DATES, max_size=6))
def test_the_latest_and_earliest_date_is_the_first_of_equal_dates(values: list[Any]) -> None:
    present = [value for value in values if value is not None]
    for name, pick in (("max", max), ("min", min)):
        expected = None
        if present:
            chosen = pick(as_date(value) for value in present)
            expected = next(value for value in present if as_date(value) == chosen)
        assert FUNCTIONS[name].impl(values) is expected


def test_an_options_list_changed_or_replaced_is_read_again() -> None:
    """A rule's options are read once and kept; the same list changed, or another list, is read anew."""
    vague = ["improve"]
    options = {"vague": vague, "students": ["cadet"], "adults": ["officer"]}
    assert run("opens_with('Improve reading', options.vague)", options=options) is True
    vague[0] = "teach"
    assert run("opens_with('Improve reading', options.vague)", options=options) is False
    assert run("opens_with('Teach reading', options.vague)", options=options) is True
    assert run("opens_with('Improve reading', options.vague)", options={"vague": ["improve"]}) is True
    assert run("is_students('cadets', options.students, options.adults)", options=options) is True
    options["students"].append("officer")
    options["adults"][0] = "cadet"
    assert run("is_students('officers', options.students, options.adults)", options=options) is True
    assert run("is_students('cadets', options.students, options.adults)", options={**options, "students": []}) \
        is False


def test_an_options_list_with_a_list_among_its_words_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(Exception, match="opens_with\\(\\) needs a list of texts"):
            run("opens_with('a', options.vague)", options={"vague": ["a", ["b"]]})


@pytest.mark.parametrize("value, expected", [
    (0.1 + 0.2, 0.3), (52 - 52.7, -0.7), (2.0, 2), (-0.0, 0), (0.0, 0), (1e300, int(1e300)), (7, 7),
    (1 / 3, 0.333333333), (-2.5000000001, -2.5), (math.inf, math.inf),
])
def test_clean_answers_the_same_every_time(value: float, expected: int | float) -> None:
    for _ in range(2):  # the second answer is the one kept from the first
        result = clean(value)
        assert result == expected and type(result) is type(expected)


def test_clean_keeps_not_a_number() -> None:
    assert math.isnan(clean(math.nan)) and math.isnan(clean(math.nan))


@pytest.mark.parametrize("text, expected", [
    ("years_with(history, 3)", []), ("years_with(history, 53.5)", [2018]), ("years_with(history, 'tbd')", [2019]),
    ("is_number(null)", False), ("is_number('2022-09-15')", False), ("is_map(null)", False),
    ("is_map(proxy)", True), ("is_date(@2022-09-15)", True), ("is_date(moment)", True), ("is_date(null)", False),
    ("is_date('2022-9-15')", False), ("school_year('2022-09-15', null)", 2023), ("max(3, 2.5)", 3),
    ("min([2.5, 3, null])", 2.5), ("max([true, 1])", None), ("range(2024, 2026)", [2024, 2025, 2026]),
    ("counts[2024]", "int key"), ("counts[2025]", "text key"), ("'2024' in counts", False),
    ("'2025' in counts", True), ("'b' in ['a', 'b']", True), ("'b' in [1, 'a']", False),
])
def test_common_and_uncommon_values(text: str, expected: Any) -> None:
    node = {"history": {"2017": 55, "2018": 53.5, "2019": "tbd", "note": 3}, "proxy": MappingProxyType({}),
            "moment": datetime.datetime(2022, 9, 15, 8), "counts": {2024: "int key", "2025": "text key"}}
    if text == "max([true, 1])":
        with pytest.raises(Exception, match="max\\(\\) needs numbers or dates, got true"):
            run(text, node)
        return
    result = run(text, node)
    assert result == expected and type(result) is type(expected)


def test_clean_stays_right_past_the_floats_it_keeps() -> None:
    values = [number / 7 for number in range(5_000)]
    expected = [int(rounded) if rounded.is_integer() else rounded for rounded in (round(v, 9) for v in values)]
    assert [clean(value) for value in values] == expected


_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*s?\b")  # the pattern written plainly


@given(st.text(alphabet=st.sampled_from(list("ABELPs&_ 09a-'\u00e9\u00c9\u0130.,\u03a3\u0416")), max_size=40))
def test_acronyms_are_the_words_the_plain_pattern_finds(text: str) -> None:
    seen: dict[str, None] = {}
    for word in _ACRONYM.findall(text):
        seen.setdefault(word[:-1] if word.endswith("s") and word[:-1].isupper() else word)
    assert FUNCTIONS["acronyms"].impl(text) == list(seen)
