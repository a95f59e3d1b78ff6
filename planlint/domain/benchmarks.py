"""Library functions for implementation benchmarks and progress monitoring (Overview of Implementation Benchmarks).

Who a benchmark is about is decided by planlint.benchmark.people; the word lists are IB002's options.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Mapping
from typing import Any

from planlint.benchmark.frame import frame_sentence
from planlint.benchmark.people import ADULT_WORDS, STUDENT_WORDS, group_of, singular
from planlint.benchmark.reader import read_statement
from planlint.domain.indexes import indexed
from planlint.facts import facts_of
from planlint.lang.errors import EvalError
from planlint.lang.function import Function, fail, need_list, need_text, need_year, registry
from planlint.lang.values import as_date, is_mapping

_SCHOOL_YEAR_ENDS = (6, 30)  # a measure's target year is reached by the end of that school year


def who_group(who: str, student_words: Any = None, adult_words: Any = None) -> str | None:
    """'students', 'adults', 'both' or None (no word it knows) for the people `who` names."""
    return _group(who, _word_set("is_students", student_words, STUDENT_WORDS),
                  _word_set("is_students", adult_words, ADULT_WORDS))


@functools.lru_cache(maxsize=4096)  # a batch names the same few groups of people again and again
def _group(who: str, students: frozenset[str], adults: frozenset[str]) -> str | None:
    return group_of(who, students, adults)


def _word_set(name: str, words: Any, default: tuple[str, ...]) -> frozenset[str]:
    if words is None:
        return _singulars(default)
    found = _read_once(_word_sets, need_list(name, words), _singulars)
    if found is None:
        raise fail(name, "a list of words", words)
    return found


# A rule passes the same lists (its options) for every benchmark of every plan: each is read, and
# checked, once. An entry is found by the list's identity and holds the list and a copy of it, so that
# neither another list (whose id an old one had) nor a changed list is answered from it.
_LISTS_KEPT = 64
_word_sets: dict[int, tuple[list[Any], list[Any], Any]] = {}
_opening_lists: dict[int, tuple[list[Any], list[Any], Any]] = {}


def _read_once(held: dict[int, tuple[list[Any], list[Any], Any]], items: list[Any],
               read: Callable[[tuple[Any, ...]], Any]) -> Any:
    """`read(tuple(items))`, or None where an item cannot be a key (a list or mapping among them)."""
    entry = held.get(id(items))
    if entry is not None and entry[0] is items and entry[1] == items:
        return entry[2]
    try:
        found = read(tuple(items))
    except TypeError:  # a list or mapping among the items, which cannot be a key
        return None
    if len(held) >= _LISTS_KEPT:
        held.clear()
    held[id(items)] = (items, list(items), found)
    return found


@functools.lru_cache(maxsize=256)
def _singulars(words: tuple[Any, ...]) -> frozenset[str] | None:
    """The words in their singular form; None if one of them is not text."""
    if not all(isinstance(word, str) for word in words):
        return None
    return frozenset(singular(word) for word in words)


def is_students(who: Any, student_words: Any = None, adult_words: Any = None) -> bool | None:
    text = need_text("is_students", who)
    if text is None:
        return None
    group = who_group(text, student_words, adult_words)
    return None if group is None else group == "students"


def has_word(text: Any, words: Any) -> bool | None:
    value = need_text("has_word", text)
    if value is None:
        return None
    wanted = _word_set("has_word", words, ())
    return any(singular(word) in wanted for word in re.findall(r"[A-Za-z][A-Za-z'\-]*", value))


def opens_with(text: Any, openings: Any) -> bool | None:
    """Whether a text begins with one of the openings (words, not patterns), ignoring case and how
    many spaces stand between words: 'Focusing on data' opens with 'focusing on'."""
    value = need_text("opens_with", text)
    if value is None:
        return None
    start = _lower_words(value)
    found = _read_once(_opening_lists, need_list("opens_with", openings), _openings)
    if found is None:
        raise fail("opens_with", "a list of texts", openings)
    whole, spaced = found
    return start in whole or start.startswith(spaced)


@functools.lru_cache(maxsize=256)
def _openings(openings: tuple[Any, ...]) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """The openings in lower case with single spaces: as a whole text, and with the space that must follow
    them in a longer one; None if one of them is not text."""
    if not all(isinstance(opening, str) for opening in openings):
        return None
    found = [" ".join(opening.lower().split()) for opening in openings]
    return frozenset(words for words in found if words), tuple(words + " " for words in found if words)


def read_benchmark(statement: Any, period: Any = None) -> dict[str, Any] | None:
    text = need_text("read_benchmark", statement)
    if text is None:
        return None
    reading = read_statement(text, _school_year_of(period))
    return {"date": reading.date, "date_text": reading.date_text, "date_note": reading.date_note, "tool": reading.tool,
            "percent": reading.percent, "who": reading.who, "action": reading.action,
            "follows_frame": reading.follows_frame, "missing": list(reading.missing)}


def _school_year_of(value: Any) -> int | None:
    """A year (2023, "2023") as it is; a date as the school year that contains it; else None,
    as a malformed date or period is reported by other rules."""
    day = as_date(value) if isinstance(value, (str, datetime.date)) else None
    if day is not None:
        return day.year + 1 if day.month >= 7 else day.year
    try:
        return need_year("read_benchmark", value)
    except EvalError:
        return None


def previous_benchmark(ctx: Any, benchmarks: Any, benchmark: Any) -> Mapping[str, Any] | None:
    """The benchmark for the same action dated just before `benchmark` (same date: listed before)."""
    items = need_list("previous_benchmark", benchmarks)
    if not is_mapping(benchmark):
        return None
    return indexed(ctx, "previous_benchmark", items, _earlier_benchmarks).get(id(benchmark))


def _earlier_benchmarks(items: list[Any]) -> dict[int, Mapping[str, Any] | None]:
    """Each dated benchmark of a list (by identity) with the one before it in its series: the
    benchmarks for the same action, in date order, then list order; None for the first."""
    series: dict[str, list[tuple[datetime.date, int, Mapping[str, Any]]]] = {}
    for index, item in enumerate(items):
        if is_mapping(item) and (action := _action(item)) is not None \
                and (day := as_date(item.get("when"))) is not None:
            series.setdefault(action, []).append((day, index, item))
    earlier: dict[int, Mapping[str, Any] | None] = {}
    for dated in series.values():
        dated.sort()  # by date, then place in the list (each place is another: the benchmarks are not compared)
        before: Mapping[str, Any] | None = None
        for _, _, item in dated:
            earlier.setdefault(id(item), before)  # a benchmark listed twice (an alias) is where it first is
            before = item
    return earlier


def _action(benchmark: Mapping[str, Any]) -> str | None:
    what = benchmark.get("what")
    return (_lower_words(what) or None) if isinstance(what, str) else None  # None for blank text too


@functools.lru_cache(maxsize=1024)  # IB004 and IB009 read the `what` of every benchmark, each more than once
def _lower_words(text: str) -> str:
    """The text in lower case, its words one space apart."""
    return " ".join(text.lower().split())


def by_id(ctx: Any, items: Any, ids: Any) -> list[Any]:
    wanted = need_list("by_id", ids)
    listed = need_list("by_id", items)
    positions, odd = indexed(ctx, "by_id", listed, _positions_by_id)
    found: set[int] = set()
    for key in wanted:
        try:
            found.update(positions.get(key, ()))
        except TypeError:  # a list or mapping among the ids: only an id of the same kind can equal it
            pass
    if odd:
        found.update(index for index in odd if listed[index].get("id") in wanted)
    return [listed[index] for index in sorted(found)]


def _positions_by_id(items: list[Any]) -> tuple[dict[Any, list[int]], list[int]]:
    """Where each id is in a list of mappings, and the mappings whose id cannot be a key (a list)."""
    positions: dict[Any, list[int]] = {}
    odd: list[int] = []
    for index, item in enumerate(items):
        if is_mapping(item):
            try:
                positions.setdefault(item.get("id"), []).append(index)
            except TypeError:
                odd.append(index)
    return positions, odd


_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")


def same_who(first: Any, second: Any) -> bool | None:
    one, other = need_text("same_who", first), need_text("same_who", second)
    if one is None or other is None:
        return None
    left, right = _plain(one), _plain(other)
    return left == right or f" {left} " in f" {right} " or f" {right} " in f" {left} "


@functools.lru_cache(maxsize=4096)  # a batch compares the same few groups of people again and again
def _plain(text: str) -> str:
    words = [singular(word) for word in _WORD.findall(text)]
    return " ".join(word for word in words if word not in ("the", "a", "an", "all", "of"))


def school_year_end(year: Any) -> datetime.date | None:
    which = need_year("school_year_end", year)
    return None if which is None else datetime.date(which, *_SCHOOL_YEAR_ENDS)


def as_of(ctx: Any, fallback: Any = None) -> datetime.date | None:
    """The date given with --as-of (resolved with the plan's facts), else the fallback."""
    given = facts_of(ctx).as_of
    chosen = given if given is not None else fallback
    if chosen is not None and not isinstance(chosen, (str, datetime.date)):
        raise fail("as_of", "a date", chosen)
    return as_date(chosen)


FUNCTIONS = registry(
    Function("read_benchmark", 1, 2, read_benchmark,
             "A benchmark sentence read with the frame 'By [date], [tool] will show that X% of "
             "[who] are [action]': date, date_text, date_note (how the date was read), tool, percent, who, "
             "action, follows_frame and missing; a date without a year falls in the school year `period` names (a year, or a date's school year).",
             "read_benchmark(statement, period=null)",
             example="read_benchmark('By October 30, 90% of teachers will be planning', 2023).date"),
    Function("is_students", 1, 3, is_students,
             "Whether `who` names students (true), adults (false) or neither word list (null); "
             "the head word of each group decides.",
             "is_students(who, student_words=null, adult_words=null)",
             example="is_students('teachers of students with disabilities')"),
    Function("has_word", 2, 2, has_word,
             "Whether a text has one of the words, singular or plural, ignoring case.",
             "has_word(text, words)",
             example="has_word('meet with their advisor every week', ['advisor', 'coach'])"),
    Function("opens_with", 2, 2, opens_with,
             "Whether a text begins with one of the openings (words, not patterns), ignoring case and "
             "the spaces between words.",
             "opens_with(text, openings)", example="opens_with('Focusing on data', ['improve', 'focusing on'])"),
    Function("same_who", 2, 2, same_who,
             "Whether two descriptions of people agree: equal, or one within the other, ignoring "
             "case, plurals and articles.",
             "same_who(a, b)", example="same_who('teachers', 'K-2 teachers')"),
    Function("previous_benchmark", 2, 2, previous_benchmark,
             "The benchmark of the list for the same action (same `what`, ignoring case) dated "
             "just before this one; null for the first.",
             "previous_benchmark(benchmarks, benchmark)",
             example="previous_benchmark([node], node)", needs_context=True, looks_up=frozenset({0})),
    Function("by_id", 2, 2, by_id,
             "The mappings of a list whose id is one of the ids, in the list's order.",
             "by_id(items, ids)", example="count(by_id([node], ['grad-credentials']))",
             needs_context=True, looks_up=frozenset({0})),
    Function("frame_sentence", 1, 1, frame_sentence,
             "A benchmark's fields written in the frame: By [date], [how] will show that X% of "
             "[who] are [what].",
             "frame_sentence(benchmark)", example="frame_sentence(node)"),
    Function("school_year_end", 1, 1, school_year_end,
             "The last day (June 30) of a school year named by its spring year.",
             "school_year_end(year)", example="school_year_end(2026)"),
    Function("as_of", 0, 1, as_of,
             "The monitoring date given with --as-of, else the fallback; null when neither is given.",
             "as_of(fallback=null)", needs_context=True, example="as_of('2023-01-31')"),
)
