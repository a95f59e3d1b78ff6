"""Years as planning teams write them: by the spring year (`2026`) or as the school year (`2025-26`).

Both name the same year, and every comparison, sum, sort, hash and JSON output takes it as the number
2026. What differs is only how it reads: a year written `2025-26` reads `2025-26` in every message,
as a value (SchoolYear, an int) or as a key of a mapping such as `history:` (SchoolYearKey, the text
"2026" that knows it was written as a school year). A year planlint computes reads in the form of
the year it is counted from: the years of a range from a school year are school years.
"""

from __future__ import annotations

import re
from typing import Any

_SCHOOL_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")


class SchoolYear(int):
    """A year written as a school year: equal to its spring year (2026), shown as written (2025-26)."""

    def __str__(self) -> str:
        return f"{int(self) - 1}-{int(self) % 100:02d}"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else format(int(self), spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return SchoolYear, (int(self),)


class SchoolYearKey(str):
    """A mapping key written as a school year (`2025-26:`). It is the text "2026", so that `history["2026"]`,
    paths, identities and JSON see one key whichever way it was written; `year` reads as written."""

    __slots__ = ()

    @property
    def year(self) -> SchoolYear:
        return SchoolYear(int(self))

    def __reduce__(self) -> tuple[Any, ...]:
        return SchoolYearKey, (str.__str__(self),)


def school_year(text: str) -> SchoolYear | None:
    """`2025-26` as the school year 2026; None for text that names no single school year (`2025-27`)."""
    match = _SCHOOL_YEAR.fullmatch(text)
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    return SchoolYear(first + 1) if (first + 1) % 100 == second and 1000 <= first + 1 <= 9999 else None


def year_key(year: int) -> str:
    """The key of a year in a mapping keyed by year: "2026", a SchoolYearKey for a school year."""
    return SchoolYearKey(str(int(year))) if isinstance(year, SchoolYear) else str(int(year))


def written(key: Any) -> str:
    """A key as the plan wrote it: `2025-26` for a school year key, any other key as it is."""
    return str(key.year) if isinstance(key, SchoolYearKey) else str(key)


def like(year: int, *sources: Any) -> int:
    """A computed year in the form of the years it is counted from: a school year if one of them is."""
    return SchoolYear(year) if any(isinstance(s, SchoolYear) for s in sources) else int(year)


def year_span(first: int, last: int) -> str:
    """Years from first to last: `2017-2019`, or `2016-17 to 2018-19` where a `-` would run school years together."""
    if isinstance(first, SchoolYear) or isinstance(last, SchoolYear):
        return f"{first} to {last}"
    return f"{first}-{last}"
