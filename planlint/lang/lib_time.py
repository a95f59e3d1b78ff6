"""Library functions on dates and on mappings keyed by year ("2024": 52)."""

from __future__ import annotations

import datetime
from typing import Any

from planlint.lang.function import Function, need_date, need_mapping, registry
from planlint.lang.values import as_date, is_number

# A school year runs July 1 to June 30 and is named by its spring year (the Strong School Systems Strategic Planning Resource).
_SCHOOL_YEAR_STARTS = 7


def to_date(value: Any) -> datetime.date | None:
    return as_date(value)


def year(value: Any) -> int | None:
    day = need_date("year", value)
    return None if day is None else day.year


def school_year(value: Any, like: Any = None) -> int | None:
    day = need_date("school_year", value)
    if day is None:
        return None
    which = day.year + 1 if day.month >= _SCHOOL_YEAR_STARTS else day.year
    if like is None:
        return which
    # the year takes the kind of int of `like`, as range() does: beside a year written 2025-26 it reads so
    return type(like)(which) if isinstance(like, int) and not isinstance(like, bool) else which


def days_between(start: Any, end: Any) -> int | None:
    first, second = need_date("days_between", start), need_date("days_between", end)
    return None if first is None or second is None else (second - first).days


# The year keys read so far ("2024" -> 2024): each is read once, and there are at most 10,000 of them.
_YEAR_KEYS: dict[str, int] = {}


def year_of_key(key: Any) -> int | None:
    """The year a mapping key names ("2024" or 2024), or None for any other key. A key of a kind of text
    that carries its year (`key.year`, as a plan's `2025-26:` does) gives that year, which reads as written."""
    if isinstance(key, str) and len(key) == 4 and key.isascii() and key.isdigit():
        if type(key) is str:
            which = _YEAR_KEYS[key] = int(key)
            return which
        return getattr(key, "year", int(key))
    if type(key) is int and 1000 <= key <= 9999:
        return key
    return None


def year_pairs(name: str, mapping: Any) -> list[tuple[int, int | float]]:
    """(year, value) for every year key with a number, sorted by year."""
    found = []
    known = _YEAR_KEYS
    for key, value in (mapping if type(mapping) is dict else need_mapping(name, mapping)).items():
        kind = type(value)
        if kind is float or kind is int or is_number(value):
            if type(key) is str and (which := known.get(key)) is not None:  # year_of_key, for a key read before
                found.append((which, value))
            elif (which := year_of_key(key)) is not None:
                found.append((which, value))
    found.sort()
    return found


def years(mapping: Any) -> list[int]:
    found = set()
    known = _YEAR_KEYS
    for key in mapping if type(mapping) is dict else need_mapping("years", mapping):
        if type(key) is str and (which := known.get(key)) is not None:  # year_of_key, for a key read before
            found.add(which)
        elif (which := year_of_key(key)) is not None:
            found.add(which)
    return sorted(found)


def year_values(mapping: Any) -> list[list[int | float]]:
    return list(map(list, year_pairs("year_values", mapping)))


FUNCTIONS = registry(
    Function("date", 1, 1, to_date,
             "The date a value names (a date or an ISO text); null if it is not a real date.",
             "date(x)", example="date('2022-09-15')"),
    Function("year", 1, 1, year,
             "The calendar year of a date.",
             "year(d)", example="year('2022-09-15')"),
    Function("school_year", 1, 2, school_year,
             "The school year (named by its spring year, July 1 to June 30) a date falls in; written as "
             "the year `like` is (2022-23 beside a year written 2025-26) when given.",
             "school_year(d, like=null)", example="school_year('2022-09-15')"),
    Function("days_between", 2, 2, days_between,
             "The days from the first date to the second (negative if earlier).",
             "days_between(a, b)", example="days_between('2022-09-15', @2022-12-15)"),
    Function("years", 1, 1, years,
             "The four-digit year keys of a mapping, as sorted numbers; other keys ignored.",
             "years(m)", example="years(history)"),
    Function("year_values", 1, 1, year_values,
             "The [year, value] pairs of a mapping, sorted by year, skipping values that are not "
             "numbers.",
             "year_values(m)", example="year_values(history)"),
)
