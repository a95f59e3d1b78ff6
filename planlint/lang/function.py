"""The shape of a library function, and the argument checks the library shares."""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from planlint.lang.errors import EvalError
from planlint.lang.values import as_date, describe, is_number

_MINYEAR, _MAXYEAR = datetime.MINYEAR, datetime.MAXYEAR


@dataclass(frozen=True)
class Function:
    """A function rules may call.

    `impl` receives the evaluated arguments; with `needs_context` it first receives the
    evaluation (an Env: `facts`, the facts the host provides, `budget`, `root`, `node`, `path`,
    `options`), to read during the call only, since the evaluation moves on. `example` is an
    expression the reference documentation evaluates to show the function at work.
    `looks_up` names the arguments the function only looks things up in, such as a whole list
    it indexes once per rule and plan: a call is not charged their size, so the function
    charges its own work (it needs the context for the budget).
    """

    name: str
    min_args: int
    max_args: int | None
    impl: Callable[..., Any]
    doc: str
    signature: str
    needs_context: bool = False
    example: str = ""
    # Checks of arguments written as literals, run when a rule loads: argument index -> problem or None.
    literal_checks: Mapping[int, Callable[[Any], str | None]] = field(default_factory=dict)
    looks_up: frozenset[int] = frozenset()

    def arity_problem(self, given: int) -> str | None:
        """A plain-words complaint if `given` arguments do not fit, else None."""
        low, high = self.min_args, self.max_args
        if low <= given and (high is None or given <= high):
            return None
        if high is None:
            wanted = f"at least {low} argument{'s' if low != 1 else ''}"
        elif low == high:
            wanted = f"{low} argument{'s' if low != 1 else ''}"
        else:
            wanted = f"{low} to {high} arguments"
        return f"{self.name}() takes {wanted}, got {given}"


def registry(*functions: Function) -> Mapping[str, Function]:
    """The functions by name, for a module to export; a name given twice is a mistake in planlint. Read-only: a
    compiled call looks its function up again only in another table."""
    found: dict[str, Function] = {}
    for function in functions:
        if function.name in found:
            raise ValueError(f"two functions are named {function.name}()")
        found[function.name] = function
    return MappingProxyType(found)


def fail(name: str, wanted: str, value: Any) -> EvalError:
    return EvalError(f"{name}() needs {wanted}, got {describe(value)}")


def need_list(name: str, value: Any) -> list[Any]:
    """A list argument; null reads as an empty list, as plans leave lists out."""
    if type(value) is list:  # nearly every call
        return value
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail(name, "a list", value)
    return value


def need_mapping(name: str, value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if type(value) is not dict and not isinstance(value, Mapping):
        raise fail(name, "a mapping (key: value pairs)", value)
    return value


def need_number(name: str, value: Any) -> int | float | None:
    kind = type(value)
    if kind is int or kind is float or value is None or is_number(value):
        return value
    raise fail(name, "a number", value)


def need_text(name: str, value: Any) -> str | None:
    if type(value) is str or value is None or isinstance(value, str):
        return value
    raise fail(name, "text", value)


def need_year(name: str, value: Any) -> int | None:
    """A year from 1 to 9999, as a number or as a year key ("2024")."""
    if type(value) is int and _MINYEAR <= value <= _MAXYEAR:  # nearly every call: a year as a plan writes it
        return value
    if value is None:
        return None
    if isinstance(value, str) and value.isdigit() and len(value) == 4:
        year = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        year = value  # a year keeps its kind: one written 2025-26 reads so in messages
    elif is_number(value) and float(value).is_integer():
        year = int(value)
    else:
        raise fail(name, "a year", value)
    if not _MINYEAR <= year <= _MAXYEAR:
        raise fail(name, f"a year from {_MINYEAR} to {_MAXYEAR}", value)
    return year


def need_date(name: str, value: Any) -> datetime.date | None:
    """A date, or None for null or a text that is not an ISO date (other rules report it)."""
    if type(value) is str or value is None or isinstance(value, str):
        return as_date(value)
    if isinstance(value, datetime.date):
        return as_date(value)
    raise fail(name, "a date", value)


def numbers(name: str, values: list[Any]) -> list[int | float]:
    """The numbers of a list, nulls skipped; anything else is a mistake in the rule."""
    found = []
    for value in values:
        if is_number(value):
            found.append(value)
        elif value is not None:
            raise fail(name, "a list of numbers", value)
    return found


def fit(value: int | float) -> int | float | None:
    """Keep results plain: large ints become floats, so arithmetic stays cheap; a result past the
    largest float (1e308 + 1e308) is unknown, like a missing value."""
    if isinstance(value, int) and abs(value) > 2**63:
        value = float(value)  # OverflowError past the largest float: the caller's answer is unknown too
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
