"""Library functions on lists, mappings and numbers, and the type tests."""

from __future__ import annotations

import decimal
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from planlint.lang import operators
from planlint.lang.errors import EvalError
from planlint.lang.function import (
    Function, fail, fit, need_list, need_mapping, need_number, numbers, registry,
)
from planlint.lang.values import as_date, equal, hash_key, is_date, is_mapping, is_number

MAX_RANGE = 10_000
_PLAIN = frozenset({str, int, float})  # values whose hash_key compares as the value itself does
_ROUNDING = decimal.Context(prec=400, rounding=decimal.ROUND_HALF_UP)


def count(value: Any) -> int:
    kind = type(value)
    if kind is list or kind is str or kind is dict:
        return len(value)
    if value is None:
        return 0
    if isinstance(value, (list, str, Mapping)):
        return len(value)
    raise fail("count", "a list, a mapping or text", value)


def total(values: Any) -> int | float | None:
    found = numbers("sum", need_list("sum", values))
    return fit(sum(found)) if found else None


def _extreme(name: str, args: tuple[Any, ...], pick: int) -> Any:
    values = need_list(name, args[0]) if len(args) == 1 else list(args)
    present = [value for value in values if value is not None]
    if not present:
        return None
    if all(map(is_number, present)):
        return max(present) if pick > 0 else min(present)
    days = list(map(as_date, present))  # each read once; the first of equal dates is picked, as max(key=) does
    if None not in days:
        return present[(max if pick > 0 else min)(range(len(days)), key=days.__getitem__)]
    wrong = next(v for v in present if not is_number(v) and as_date(v) is None)
    raise fail(name, "numbers or dates", wrong)


def minimum(*args: Any) -> Any:
    return _extreme("min", args, -1)


def maximum(*args: Any) -> Any:
    return _extreme("max", args, 1)


def mean(values: Any) -> int | float | None:
    found = numbers("mean", need_list("mean", values))
    return operators.divide(fit(sum(found)), len(found)) if found else None


def absolute(value: Any) -> int | float | None:
    number = need_number("abs", value)
    return None if number is None else abs(number)


def round_half_up(value: Any, digits: Any = 0) -> int | float | None:
    number, places = need_number("round", value), need_number("round", digits)
    if number is None:
        return None
    if places is None or not float(places).is_integer():
        raise fail("round", "a whole number of digits", digits)
    # Reviewers expect 2.5 -> 3, not Python's 2.5 -> 2; the cap keeps 10**digits small.
    places = max(-15, min(15, int(places)))
    if isinstance(number, int) and places >= 0 or not math.isfinite(number):
        return number
    step = decimal.Decimal(1).scaleb(-places)
    rounded = _ROUNDING.quantize(decimal.Decimal(repr(number)), step)
    return int(rounded) if places <= 0 else float(rounded)


def unique(values: Any) -> list[Any]:
    seen: set[Any] = set()
    kept = []
    for value in need_list("unique", values):
        key = hash_key(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def duplicates(values: Any) -> list[Any]:
    items = need_list("duplicates", values)
    counts = Counter(hash_key(value) for value in items)
    return [value for value in unique(items) if counts[hash_key(value)] > 1]


def tally(values: Any) -> dict[Any, int]:
    """How often each text or whole number occurs: a mapping built once (under `let:`) in which each
    item then finds its own count at once (`uses[id]`, `id in uses`), where a list is searched
    from the start for every item."""
    counts: dict[Any, int] = {}
    for value in need_list("tally", values):
        kind = type(value)
        if kind is str or kind is int or isinstance(value, str):
            counts[value] = counts.get(value, 0) + 1
    return counts


def flatten(values: Any) -> list[Any]:
    flat: list[Any] = []
    for value in need_list("flatten", values):
        if isinstance(value, list):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def sort(values: Any) -> list[Any]:
    items = need_list("sort", values)
    present = [value for value in items if value is not None]
    nulls = [None] * (len(items) - len(present))
    if all(is_number(value) for value in present):
        return sorted(present) + nulls
    if all(as_date(value) is not None for value in present):
        return sorted(present, key=as_date) + nulls
    if all(isinstance(value, str) for value in present):
        return sorted(present) + nulls
    raise fail("sort", "a list of numbers, texts or dates (one kind)", values)


def first(values: Any) -> Any:
    items = need_list("first", values)
    return items[0] if items else None


def pick(values: Any, field: Any, value: Any) -> list[Any]:
    """The mappings of a list whose `field` equals `value`: a filter that can compare with values from
    outside it (inside `xs[? ...]` the current node is each element)."""
    items = need_list("pick", values)
    if not isinstance(field, str):
        raise fail("pick", "a field name as text", field)
    return [item for item in items if is_mapping(item) and equal(item.get(field), value)]


def last(values: Any) -> Any:
    items = need_list("last", values)
    return items[-1] if items else None


def keys(mapping: Any) -> list[Any]:
    return list(need_mapping("keys", mapping).keys())


def values_of(mapping: Any) -> list[Any]:
    return list(need_mapping("values", mapping).values())


def difference(left: Any, right: Any) -> list[Any]:
    excluded = need_list("difference", right)
    return _unique_among(need_list("difference", left), excluded, False)


def intersection(left: Any, right: Any) -> list[Any]:
    included = need_list("intersection", right)
    return _unique_among(need_list("intersection", left), included, True)


def _unique_among(items: list[Any], others: list[Any], wanted: bool) -> list[Any]:
    """unique(items), keeping those that are (wanted) or are not among `others`."""
    if not items:  # as in most calls rules make: `others` need not be read at all
        return []
    if set(map(type, items)).union(map(type, others)) <= _PLAIN:
        # Texts and numbers alone, as nearly always: equal as values exactly when their hash_keys are equal
        # (an ISO date names one date only), so the values are their own keys; dict.fromkeys keeps the first.
        among = set(others)
        return [value for value in dict.fromkeys(items) if (value in among) is wanted]
    among = {hash_key(value) for value in others}
    seen: set[Any] = set()
    kept = []
    for value in items:
        key = hash_key(value)
        if key not in seen:
            seen.add(key)
            if (key in among) is wanted:
                kept.append(value)
    return kept


def union(left: Any, right: Any) -> list[Any]:
    return unique(need_list("union", left) + need_list("union", right))


def whole_range(start: Any, end: Any) -> list[int] | None:
    low, high = need_number("range", start), need_number("range", end)
    if low is None or high is None:
        return None
    if not (float(low).is_integer() and float(high).is_integer()):
        raise fail("range", "whole numbers", low if not float(low).is_integer() else high)
    if high - low + 1 > MAX_RANGE:
        size = int(high - low + 1)
        raise EvalError(f"range() makes at most {MAX_RANGE} numbers; {low} to {high} is {size}")
    # the numbers keep the start's kind of int: a range from a school year (2025-26) reads as school years
    kind = type(low) if isinstance(low, int) and not isinstance(low, bool) else int
    span = range(int(low), int(high) + 1)
    return list(span) if kind is int else [kind(number) for number in span]


FUNCTIONS = registry(
    Function("count", 1, 1, count,
             "How many elements a list or mapping has, or characters a text; 0 for null.",
             "count(x)", example="count([3, 1, 3])"),
    Function("sum", 1, 1, total,
             "The total of a list of numbers, nulls skipped; null for an empty list.",
             "sum(xs)", example="sum([1, 2.5, null])"),
    Function("min", 1, None, minimum,
             "The smallest of a list (or of several arguments) of numbers or dates, nulls "
             "skipped.",
             "min(xs), min(a, b, ...)", example="min([52, 47, null])"),
    Function("max", 1, None, maximum,
             "The largest of a list (or of several arguments) of numbers or dates, nulls skipped.",
             "max(xs), max(a, b, ...)", example="max('2022-09-15', @2023-01-10)"),
    Function("mean", 1, 1, mean,
             "The average of a list of numbers, nulls skipped; null for an empty list.",
             "mean(xs)", example="mean([55, 53.5, 52])"),
    Function("abs", 1, 1, absolute,
             "The size of a number without its sign.",
             "abs(x)", example="abs(-0.71)"),
    Function("round", 1, 2, round_half_up,
             "A number rounded to `digits` decimals (halves away from zero).",
             "round(x, digits=0)", example="round(41.456, 1)"),
    Function("unique", 1, 1, unique,
             "The list without repeats, in first-seen order.",
             "unique(xs)", example="unique(['a', 'b', 'a'])"),
    Function("duplicates", 1, 1, duplicates,
             "The values that occur more than once, each once, in first-seen order.",
             "duplicates(xs)", example="duplicates(['a', 'b', 'a', 'c', 'b'])"),
    Function("tally", 1, 1, tally,
             "How many times each text or whole number occurs in a list, as a mapping (other values are "
             "not counted); made once under `let:`, it answers `x in m` and `m[x]` at once for every item.",
             "tally(xs)", example="tally(['a', 'b', 'a'])['a']"),
    Function("flatten", 1, 1, flatten,
             "A list of lists joined into one list (one level).",
             "flatten(xs)", example="flatten([[1, 2], [3], 4])"),
    Function("sort", 1, 1, sort,
             "The list sorted: numbers, texts or dates, one kind; nulls last.",
             "sort(xs)", example="sort([2024, 2022, 2023])"),
    Function("first", 1, 1, first,
             "The first element of a list; null if it is empty.",
             "first(xs)", example="first([2022, 2023])"),
    Function("pick", 3, 3, pick,
             "The mappings of a list whose field equals a value; unlike a filter, the value may come "
             "from outside the list (pick(benchmarks, 'year', baseline.year)).",
             "pick(xs, field, value)", example="count(pick(root.measures, 'direction', 'increase'))"),
    Function("last", 1, 1, last,
             "The last element of a list; null if it is empty.",
             "last(xs)", example="last([2022, 2023])"),
    Function("keys", 1, 1, keys,
             "The keys of a mapping, in order.",
             "keys(m)", example="keys(history)"),
    Function("values", 1, 1, values_of,
             "The values of a mapping, in order.",
             "values(m)", example="values(history)"),
    Function("contains", 2, 2, operators.contains,
             "Whether a list has the element, a text the part, or a mapping the key (like `in`).",
             "contains(collection, x)", example="contains(['forecast', 'benchmark'], 'forecast')"),
    Function("difference", 2, 2, difference,
             "The elements of the first list that are not in the second, without repeats.",
             "difference(a, b)", example="difference(['a', 'b', 'c'], ['b'])"),
    Function("intersection", 2, 2, intersection,
             "The elements of the first list that are also in the second, without repeats.",
             "intersection(a, b)", example="intersection(['a', 'b', 'c'], ['c', 'b'])"),
    Function("union", 2, 2, union,
             "The elements of either list, without repeats, first list first.",
             "union(a, b)", example="union(['a', 'b'], ['b', 'c'])"),
    Function("range", 2, 2, whole_range,
             f"The whole numbers from a to b, both included (at most {MAX_RANGE}).",
             "range(a, b)", example="range(2022, 2026)"),
    Function("default", 2, 2, lambda value, fallback: fallback if value is None else value,
             "The value, or the fallback when the value is null.",
             "default(x, fallback)", example="default(null, 0)"),
    Function("exists", 1, 1, lambda value: value is not None,
             "Whether a value is given (not null).",
             "exists(x)", example="exists(readiness_plan)"),
    Function("is_number", 1, 1, is_number,
             "Whether the value is a number (true and false are not numbers).",
             "is_number(x)", example="is_number('52')"),
    Function("is_string", 1, 1, lambda value: isinstance(value, str),
             "Whether the value is a text.",
             "is_string(x)", example="is_string('tbd')"),
    Function("is_list", 1, 1, lambda value: isinstance(value, list),
             "Whether the value is a list.",
             "is_list(x)", example="is_list(method)"),
    Function("is_map", 1, 1, is_mapping,
             "Whether the value is a mapping (key: value pairs).",
             "is_map(x)", example="is_map(history)"),
    Function("is_null", 1, 1, lambda value: value is None,
             "Whether the value is null (missing).",
             "is_null(x)", example="is_null(readiness_plan)"),
    Function("is_date", 1, 1, is_date,
             "Whether the value is a date or an ISO date text such as '2022-09-15'.",
             "is_date(x)", example="is_date('2022-02-30')"),
)
