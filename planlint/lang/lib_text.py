"""Library functions on text."""

from __future__ import annotations

import re
from typing import Any

from planlint.lang.function import Function, fail, need_list, need_number, need_text, registry
from planlint.lang.patterns import MAX_PATTERN, compile_pattern, pattern_problem
from planlint.lang.operators import MAX_SIZE
from planlint.lang.values import format_value, is_number

MAX_SEARCHED = 10_000
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_NUMBER = re.compile(r"[+-]?(\d+(?:\.\d+)?|\.\d+)")


def _text_map(name: str, change: Any) -> Any:
    def apply(value: Any) -> str | None:
        text = need_text(name, value)
        return None if text is None else change(text)

    return apply


def words(value: Any) -> list[str]:
    text = need_text("words", value)
    return [] if text is None else _WORD.findall(text)


def starts_with(value: Any, prefix: Any) -> bool | None:
    text, start = need_text("starts_with", value), need_text("starts_with", prefix)
    return None if text is None or start is None else text.startswith(start)


def ends_with(value: Any, suffix: Any) -> bool | None:
    text, end = need_text("ends_with", value), need_text("ends_with", suffix)
    return None if text is None or end is None else text.endswith(end)


def matches(value: Any, pattern: Any) -> bool | None:
    text, wanted = need_text("matches", value), need_text("matches", pattern)
    if wanted is None:
        raise fail("matches", "a pattern", pattern)
    compiled = compile_pattern(wanted)
    if text is None:
        return None
    # Only the start of a long text is searched, which bounds the cost of one call.
    return compiled.search(text[:MAX_SEARCHED]) is not None


def join(values: Any, separator: Any = ", ") -> str:
    between = need_text("join", separator)
    if between is None:
        raise fail("join", "a separator text", separator)
    parts = [format_value(value) for value in need_list("join", values)]
    size = sum(map(len, parts)) + len(between) * max(0, len(parts) - 1)
    if size <= MAX_SIZE:
        return between.join(parts)
    kept, used = [], 0  # held to the cap before anything is built: as many parts as fit, then how many more
    for part in parts:
        used += len(part) + len(between)
        if used > MAX_SIZE:
            break
        kept.append(part)
    return f"{between.join(kept)[:MAX_SIZE]}... ({len(parts) - len(kept):,} more not shown)"


def number(value: Any) -> int | float | None:
    """A number from a number or a text like "52" or "52%"; null otherwise."""
    if is_number(value):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().removesuffix("%").strip()
    if len(text) > 40 or not _NUMBER.fullmatch(text):
        return None
    return float(text) if "." in text else int(text)


def ordinal(value: Any) -> str | None:
    """52 -> '52nd', 1 -> '1st', 13 -> '13th': for messages about ranks and percentiles."""
    number = need_number("ordinal", value)
    if number is None:
        return None
    whole = int(round(number))
    suffix = "th" if 10 <= whole % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(whole % 10, "th")
    return f"{whole}{suffix}"


FUNCTIONS = registry(
    Function("lower", 1, 1, _text_map("lower", str.lower),
             "The text in lower case.",
             "lower(s)", example="lower('ELA Proficiency')"),
    Function("upper", 1, 1, _text_map("upper", str.upper),
             "The text in upper case.",
             "upper(s)", example="upper('ela')"),
    Function("trim", 1, 1, _text_map("trim", str.strip),
             "The text without spaces at either end.",
             "trim(s)", example="trim('  tbd ')"),
    Function("words", 1, 1, words,
             "The words of a text (letters and digits; inner ' and - kept).",
             "words(s)", example="words('Percent of 3-8 students, ELA')"),
    Function("starts_with", 2, 2, starts_with,
             "Whether the text starts with the prefix (case matters).",
             "starts_with(s, prefix)", example="starts_with('By September 15', 'By ')"),
    Function("ends_with", 2, 2, ends_with,
             "Whether the text ends with the suffix (case matters).",
             "ends_with(s, suffix)", example="ends_with('52%', '%')"),
    Function("matches", 2, 2, matches,
             f"Whether a regular expression finds a match in the text, ignoring case (pattern up "
             f"to {MAX_PATTERN} characters; the first {MAX_SEARCHED} characters are searched). "
             "Patterns run in linear time (RE2): Python's syntax without look-arounds and "
             "back-references, with ASCII `\\w`, `\\b` and `\\d`.",
             "matches(s, pattern)", example="matches('students tested', 'particip|tested')",
             literal_checks={1: pattern_problem}),
    Function("join", 1, 2, join,
             "The elements of a list as one text, written as in messages, between separators.",
             "join(xs, sep=', ')", example="join(['ela', 'math'], ' and ')"),
    Function("ordinal", 1, 1, ordinal,
             "A number as an ordinal, rounded: 52 -> 52nd, 13 -> 13th.",
             "ordinal(n)", example="ordinal(52)"),
    Function("str", 1, 1, format_value,
             "The value written as in messages (41.5, yes, none, 2022-09-15).",
             "str(x)", example="str(41.456)"),
    Function("number", 1, 1, number,
             "A number from a number or a text such as '52' or '52%'; null otherwise.",
             "number(x)", example="number('52%')"),
)
