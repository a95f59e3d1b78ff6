"""The operators of the language, as plain functions of values.

Plans are hand-written and often incomplete; other rules report missing or mistyped
fields, so operators answer null ("unknown") instead of failing on them. Errors are kept
for mistakes in the rule itself, such as adding a list to a number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from planlint.lang.errors import EvalError
from planlint.lang.function import fit
from planlint.lang.values import describe, equal, is_mapping, is_number, order

MAX_SIZE = 100_000


def _numbers(op: str, left: Any, right: Any) -> bool:
    """True for two numbers, False when either is null; an error for anything else."""
    if left is None or right is None:
        return False
    if is_number(left) and is_number(right):
        return True
    raise EvalError(f"'{op}' works on numbers, not on {describe(left)} and {describe(right)}")


def add(left: Any, right: Any) -> Any:
    if isinstance(left, str) and isinstance(right, str) or (
        isinstance(left, list) and isinstance(right, list)
    ):
        if len(left) + len(right) > MAX_SIZE:
            raise EvalError(f"'+' would build something longer than {MAX_SIZE}")
        return left + right
    return fit(left + right) if _numbers("+", left, right) else None


def subtract(left: Any, right: Any) -> Any:
    return fit(left - right) if _numbers("-", left, right) else None


def multiply(left: Any, right: Any) -> Any:
    return fit(left * right) if _numbers("*", left, right) else None


def divide(left: Any, right: Any) -> Any:
    if not _numbers("/", left, right) or right == 0:
        return None
    if isinstance(left, int) and isinstance(right, int) and left % right == 0:
        return left // right
    return left / right


def remainder(left: Any, right: Any) -> Any:
    if not _numbers("%", left, right) or right == 0:
        return None
    return left % right


def negate(value: Any) -> Any:
    if value is None:
        return None
    if not is_number(value):
        raise EvalError(f"'-' works on numbers, not on {describe(value)}")
    return -value


def get_field(value: Any, name: str) -> Any:
    if type(value) is dict:
        return value.get(name)
    return value.get(name) if is_mapping(value) else None


def get_index(value: Any, key: Any) -> Any:
    """`value[key]`: a list position (negative from the end) or a mapping key; else null."""
    if type(value) is dict:
        if type(key) is str:
            return value.get(key)
        if type(key) is int:  # a year (`trajectory[target.year]`): as below
            found = value.get(str(key))
            return found if found is not None else value.get(key)
    if isinstance(value, list):
        if type(key) is int and -len(value) <= key < len(value):
            return value[key]
        return None
    if type(value) is dict or isinstance(value, Mapping):
        if isinstance(key, int) and not isinstance(key, bool):
            found = value.get(str(int(key)))  # a year written 2025-26 reads so, but its key is "2026"
            return found if found is not None else value.get(key)
        return value.get(key) if isinstance(key, str) else None
    return None


def contains(container: Any, item: Any) -> bool:
    """`item in container`: list element, substring of text, or key of a mapping."""
    if type(container) is dict and type(item) is str:  # `id in served`, as rules ask most
        return item in container
    if isinstance(container, list):
        for element in container:
            if equal(item, element):
                return True
        return False
    if isinstance(container, str):
        return isinstance(item, str) and item in container
    if type(container) is dict or isinstance(container, Mapping):
        if is_number(item) and not isinstance(item, float):
            return str(item) in container or item in container
        return isinstance(item, str) and item in container
    return False


def _ordering(test: Callable[[int], bool]) -> Callable[[Any, Any], bool | None]:
    def compare(left: Any, right: Any) -> bool | None:
        result = order(left, right)
        return None if result is None else test(result)

    return compare


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": add,
    "-": subtract,
    "*": multiply,
    "/": divide,
    "%": remainder,
    "==": equal,
    "!=": lambda left, right: not equal(left, right),
    "<": _ordering(lambda r: r < 0),
    "<=": _ordering(lambda r: r <= 0),
    ">": _ordering(lambda r: r > 0),
    ">=": _ordering(lambda r: r >= 0),
    "in": lambda left, right: contains(right, left),
    "not in": lambda left, right: not contains(right, left),
}


def truth(value: Any, where: str) -> bool | None:
    """A condition's value: true, false or null (unknown); anything else is a rule mistake."""
    if value is None or value is True or value is False:
        return value
    raise EvalError(
        f"{where} needs true or false, got {describe(value)}; "
        f"use exists(...) to test whether a value is given"
    )


def items(value: Any) -> list[Any]:
    """What a quantifier or projection visits: a list's elements or a mapping's values."""
    if type(value) is list or isinstance(value, list):
        return value
    if is_mapping(value):
        return list(value.values())
    return []
