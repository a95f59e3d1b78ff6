"""What values mean in the rule language: equality, ordering, dates, and how they read.

Values are what a YAML loader produces (dict, list, str, int, float, bool, None) plus
`datetime.date`. Dates in plans are ISO strings, so wherever dates meet, an ISO date
string counts as the date it names.
"""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Mapping
from typing import Any

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NESTING_SHOWN = 20
_TEXT_SHOWN = 40


def is_number(value: Any) -> bool:
    """An int or float; booleans are not numbers here, though Python says they are."""
    kind = type(value)
    if kind is int or kind is float:  # nearly every call: no isinstance needed
        return True
    if kind is str or value is None:  # no number, told without isinstance, which is slow to say no
        return False
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_mapping(value: Any) -> bool:
    """isinstance(value, Mapping), without asking the abstract class about the dicts a loader makes."""
    return type(value) is dict or value is not None and isinstance(value, Mapping)


def as_date(value: Any) -> datetime.date | None:
    """The date `value` names (a date, or an ISO `YYYY-MM-DD` string), else None."""
    if type(value) is str:  # nearly every call: a plan's text, which is a date only if 10 characters long
        return _iso_date(value) if len(value) == 10 else None
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return _iso_date(value) if isinstance(value, str) else None


def is_date(value: Any) -> bool:
    """Whether `value` names a date, as as_date() reads it."""
    if type(value) is str:  # nearly every call: as_date() written out
        return len(value) == 10 and _iso_date(value) is not None
    return as_date(value) is not None


@functools.lru_cache(maxsize=1024)  # a plan names the same few dates again and again
def _iso_date(text: str) -> datetime.date | None:
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def equal(left: Any, right: Any) -> bool:
    """`==` of the language: numbers by value, dates against ISO strings, deep for collections."""
    kind = type(left)
    if kind is type(right) and (kind is int or kind is str or kind is float or kind is bool):  # most comparisons
        return left == right
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if is_number(left) and is_number(right):
        return left == right
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        left_date, right_date = as_date(left), as_date(right)
        return left_date is not None and left_date == right_date
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(equal, left, right))
    if is_mapping(left) and is_mapping(right):
        return left.keys() == right.keys() and all(equal(left[k], right[k]) for k in left)
    if isinstance(left, str) and isinstance(right, str):
        return str.__eq__(left, right)  # a kind of text (a year key written 2025-26) equals the same text
    if type(left) is not type(right):
        return False
    return bool(left == right)


def order(left: Any, right: Any) -> int | None:
    """-1, 0 or 1 comparing two numbers, two strings or two dates; None for any other pair."""
    kind = type(left)
    if kind is type(right) and kind is datetime.date:  # two dates, as rules compare `when`s
        return (left > right) - (left < right)
    if is_number(left) and is_number(right):
        pair: tuple[Any, Any] = (left, right)
    elif isinstance(left, datetime.date) or isinstance(right, datetime.date):
        pair = (as_date(left), as_date(right))
        if None in pair:
            return None
    elif isinstance(left, str) and isinstance(right, str):
        pair = (left, right)
    else:
        return None
    return (pair[0] > pair[1]) - (pair[0] < pair[1])


def hash_key(value: Any) -> Any:
    """A hashable stand-in such that equal values (by `equal`) get equal keys."""
    kind = type(value)
    if kind is str:  # most values hashed are ids and names; as_date() written out
        day = _iso_date(value) if len(value) == 10 else None
        return ("s", value) if day is None else ("d", day)
    if kind is int or kind is float:
        return ("n", value)
    if isinstance(value, bool) or value is None:
        return ("b", value)
    if is_number(value):
        return ("n", value)
    day = as_date(value)
    if day is not None:
        return ("d", day)
    if isinstance(value, list):
        return ("l", tuple(hash_key(item) for item in value))
    if is_mapping(value):
        return ("m", frozenset((key, hash_key(item)) for key, item in value.items()))
    return ("s", value) if isinstance(value, str) else ("o", id(value))


def format_number(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return "infinite" if not math.isnan(value) else "not a number"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_value(value: Any, _depth: int = 0) -> str:
    """How a value reads in a message: 47, 41.5, none, yes/no, "a, b", 2022-09-15."""
    try:
        return _format(value, _depth)
    except Exception:  # a message must never fail because of an odd value
        return "?"


def _format(value: Any, depth: int) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_number(value):
        return format_number(value)
    if isinstance(value, str):
        return _as_written(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if depth >= _NESTING_SHOWN:
        return "..."
    if isinstance(value, Mapping):
        return ", ".join(f"{_as_written(key)}: {_format(item, depth + 1)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_format(item, depth + 1) for item in value)
    return str(value)


def _as_written(text: Any) -> str:
    """A key that carries the year it names (`key.year`, a plan's `2025-26:`) reads as that year; other text as it is."""
    return text if type(text) is str else str(getattr(text, "year", text))


def describe(value: Any) -> str:
    """A value named for an error message: "a list", "the text 'abc'", "the number 5"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return f"the number {format_number(value)}"
    if isinstance(value, str):
        shown = value if len(value) <= _TEXT_SHOWN else value[:_TEXT_SHOWN] + "..."
        return f"the text '{shown}'"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    return "a value of an unknown kind"
