"""Reading a benchmark sentence: the frame of its variants, and what is missing.

"By September 15, an audit of daily lesson plans will show that 70% of teachers are
incorporating language objectives" reads as date 2022-09-15 (in a plan whose first school
year is 2022-23), tool "an audit of daily lesson plans", percent 70, who "teachers" and action
"incorporating language objectives". A sentence outside the frame is still searched for the
parts it does have, so a planning team can be told which ones to add.

The frame's LALR tables (planlint.benchmark.tables) are loaded on the first sentence read, not before,
and run by planlint's own parser (planlint.benchmark.lalr), without lark.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from typing import Any

from planlint.benchmark.people import ADULT_WORDS, STUDENT_WORDS, singular  # the words IB002 uses
from planlint.frozen import frozen

PARTS = ("date", "tool", "percent", "who", "action")
FRAME = "By [date], [tool] will show that X% of [who] are [action]."
FRAME_EXAMPLE = ("By September 15, an audit of daily lesson plans will show that 70% of teachers "
                 "are incorporating language objectives into their daily lesson plans.")

# Where a plan names a part of the school year instead of a date, planlint reads the end of
# that part as these dates (month, day; day 0 is the month's last day). School calendars
# differ: a team whose quarter ends elsewhere writes the date itself.
PERIOD_ENDS: dict[str, tuple[int, int]] = {
    "first quarter": (10, 31), "second quarter": (12, 31), "third quarter": (3, 31),
    "fourth quarter": (6, 30), "first semester": (12, 31), "second semester": (6, 30),
    "first trimester": (11, 30), "second trimester": (2, 0), "third trimester": (6, 30),
    "school year": (6, 30),
}
# A season read as a date is read as its end, in the school year: "by spring" is May 31.
SEASON_ENDS: dict[str, tuple[int, int]] = {
    "fall": (11, 30), "autumn": (11, 30), "winter": (2, 0), "spring": (5, 31), "summer": (8, 31),
}
_PERIOD_CODES = {"q1": "first quarter", "q2": "second quarter", "q3": "third quarter",
                 "q4": "fourth quarter", "s1": "first semester", "s2": "second semester"}
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth"}
_PERIOD_KINDS = {"grading period": "quarter", "marking period": "quarter", "term": "semester"}
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_FIRST_FALL_MONTH = 7  # a school year runs July 1 to June 30, as everywhere in planlint
_SENTENCE_END = re.compile(r"[.!?] (?=[A-Z])")  # in a text with one space between words
_PARTICIPLES = frozenset("been done made taken given written begun met set put read built taught "
                         "led held kept brought sent spent found got gotten seen run".split())
MAX_LENGTH = 2_000
# Where planlint.benchmark.lalr's trees keep a node's name, children and span and a token's text; not
# imported from there, as the parser is loaded with the first sentence read, not with the reader.
DATA, CHILDREN, VALUE, START, END = 0, 1, 1, 2, 3


@frozen
class Reading:
    """What a benchmark sentence says. `date` is ISO (YYYY-MM-DD), or None when the sentence
    names no date or no year can be given to it; `date_text` is the date as written and
    `date_note` says how it was read. `missing` lists the parts of PARTS not found."""

    date: str | None
    tool: str | None
    percent: int | float | None
    who: str | None
    action: str | None
    follows_frame: bool
    missing: tuple[str, ...]
    date_text: str | None = None
    date_note: str | None = None
    rest: str | None = None  # sentences after the first, such as "Monitor monthly."


def read_statement(text: str, period_start: int | None = None) -> Reading:
    """Read `text` with the benchmark frame. A date without a year falls in the school year
    `period_start` names (its spring year): with 2023, "September 15" is 2022-09-15 and
    "March 1" is 2023-03-01."""
    return _read(text, period_start)


@functools.lru_cache(maxsize=4096, typed=True)  # typed: 2026 and 2025-26 (a SchoolYear) read differently
def _read(text: str, period_start: int | None) -> Reading:
    first, rest, parts, follows = _parsed(text)
    parts = dict(parts)
    unread = parts.pop("date_unread", None)
    date, date_text, date_note = _resolve(parts.pop("date", None), parts.pop("date_span", None), period_start)
    if unread:
        date_text, date_note = unread, (f"\"{unread}\" is not a date planlint can read: write the day "
                                        "(December 19, 2025) or the end of a term (the end of the first semester)")
    found = {"date": date_text, **parts}
    missing = tuple(name for name in PARTS if found.get(name) is None)
    return Reading(date=date, tool=parts.get("tool"), percent=parts.get("percent"), who=parts.get("who"),
                   action=parts.get("action"), follows_frame=follows, missing=missing,
                   date_text=date_text, date_note=date_note, rest=rest)


# The parse of a sentence does not depend on the plan's year, so it is kept once for every rule
# and plan that reads the sentence; a batch of 2,000 plans has about 4,000 distinct sentences.
@functools.lru_cache(maxsize=16_384)
def _parsed(text: str) -> tuple[str, str | None, dict[str, Any], bool]:
    first, rest = _first_sentence(text)
    parts = _parse_frame(first)
    if parts is None:
        helped = _with_helper(first)
        parts = _parse_frame(helped) if helped else None
        first = helped or first
    follows = parts is not None
    if parts is None:
        parts = _loose_parts(first)
        if parts["date_tree"] is None:
            parts.update(_unread_date(first))
    # kept as plain values, not lark's tree, so that thousands of sentences kept take little memory
    tree = parts.pop("date_tree", None)
    parts["date"] = None if tree is None else _date_parts(tree)
    return first, rest, parts, follows


def clear_cache() -> None:
    """Forget every sentence read so far (a benchmark times each pass over a batch as a batch never seen)."""
    _parsed.cache_clear()
    _read.cache_clear()


def _first_sentence(text: str) -> tuple[str, str | None]:
    clean = _one_space_between_words(text)[:MAX_LENGTH]
    if ". " in clean or "! " in clean or "? " in clean:
        end = _SENTENCE_END.search(clean)
        if end is not None:
            return clean[:end.start() + 1].rstrip(" .!?;"), clean[end.end():].strip() or None
    return clean.rstrip(" .!?;"), None


def _one_space_between_words(text: str) -> str:
    """The text with typographic apostrophes made plain and its words split at any space and joined with one.
    Most sentences are already so, and an ASCII text with no control character and no two spaces side by side
    is: then nothing is made (splitting a sentence into words and joining them took a fifth of reading it)."""
    if text.isascii() and text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


@functools.cache
def _parser() -> Any:
    from planlint.benchmark.tables import parser

    return parser()


def _parse(text: str, start: str) -> Any | None:
    return _parser().parse(text, start)


def _parse_frame(sentence: str) -> dict[str, Any] | None:
    tree = _parse(_relative_clauses_joined(sentence), "statement")
    if tree is None:
        return None
    lead, body = tree[CHILDREN]
    parts: dict[str, Any] = {"date_tree": lead[CHILDREN][1], "date_span": _span(sentence, lead[CHILDREN][1])}
    verb: Any = None
    for child in body[CHILDREN]:
        kind = child[DATA]
        if kind == "shown":
            parts["tool"] = _span(sentence, child[CHILDREN][0])
        elif kind in ("percent_share", "all_share"):
            parts["percent"] = _percent(child[CHILDREN][-1][VALUE]) if kind == "percent_share" else 100
        elif kind == "who":
            parts["who"] = _strip_article(_span(sentence, child))
        elif kind == "verb":
            verb = child
        elif kind == "action":
            parts["action"] = _action(verb, _span(sentence, child))
        elif kind == "tail":
            parts["tool"] = _span(sentence, child[CHILDREN][-1])
    return parts


# A helper verb right after "who", "that" or "which" belongs to a clause about the people ("students
# who are absent receive a call"), not to the sentence: joined to the pronoun, the frame reads it as
# part of [who], and the main verb after it (given "will" by _with_helper) as the sentence's.
_PRONOUNS = ("who", "that", "which")
_RELATIVE_HELPER = re.compile(rf"\b({'|'.join(_PRONOUNS)})\s+(?=(are|is|were|was|have|has)\b)", re.IGNORECASE)


def _relative_clauses_joined(sentence: str) -> str:
    """The sentence with the space after a relative pronoun before a helper verb made "_" in the people
    it names; the same length, so that every part is still cut from the sentence as written."""
    if sentence.isascii() and not _has_relative_helper(sentence):
        return sentence
    share = _SHARE.search(sentence)
    if share is None:
        return sentence
    people = _RELATIVE_HELPER.sub(lambda m: m.group(1) + "_" * (len(m.group(0)) - len(m.group(1))),
                                  sentence[share.end():])
    return sentence[:share.end()] + people


def _has_relative_helper(sentence: str) -> bool:
    """Whether _RELATIVE_HELPER matches in an ASCII sentence, tried only where a pronoun starts: in ASCII,
    lower() finds every such place, and one search over the whole sentence tried every letter of it."""
    lower = sentence.lower()
    for pronoun in _PRONOUNS:
        at = lower.find(pronoun)
        while at >= 0:
            if _RELATIVE_HELPER.match(sentence, at):
                return True
            at = lower.find(pronoun, at + 1)
    return False


_NUMBER = re.compile(r"\d+(\.\d+)?")
_DIGITS = re.compile(r"\d+")
_ARTICLE = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def _span(text: str, tree: Any) -> str:
    return text[tree[START]:tree[END]]


def _percent(text: str) -> int | float:
    number = float(_NUMBER.match(text).group(0))  # type: ignore[union-attr]
    return int(number) if number.is_integer() else number


def _strip_article(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = _ARTICLE.sub("", text.strip())
    return stripped or None


def _action(verb: Any, action: str) -> str:
    """The action as written; "have"/"has" stay when they are the main verb ("all students have
    a 1:1 meeting"), not a helper ("85% of teachers have used")."""
    last = verb[CHILDREN][-1][VALUE].lower() if verb is not None and verb[CHILDREN] else ""
    words = action.split(maxsplit=1)
    first_word = words[0].lower() if words else ""
    is_participle = first_word.endswith(("ed", "en")) or first_word in _PARTICIPLES
    if last in ("have", "has") and not is_participle:
        return f"{last} {action}"
    return action


# Present tense without a helper verb ------------------------------------------------------

_SHARE = re.compile(r"(\b\d{1,3}(?:\.\d+)?\s*\+?\s*(?:%|percent\b|per cent\b)\s+of\s+|\b(?:all|every|each)\s+(?:of\s+)?)",
                    re.IGNORECASE)
_NOT_VERBS = frozenset("of who whom whose that which with within in at from across on for by to under over "
                       "and or the a an their our its are is will be have has been were was grade grades "
                       "level".split())


# Verbs benchmarks use, for a verb that follows a clause about the people ("students in the
# tutoring program attend ..."), where the word before the verb names no one.
_COMMON_VERB = re.compile(r"(attend|use|meet|complete|receive|submit|participate|post|teach|implement|"
                          r"deliver|update|track|plan|review|analyze|analyse|assess|incorporate|call|"
                          r"conduct|observe|record|engage|score|reach|demonstrate|follow|collaborate|"
                          r"provide|model|lead|administer|report|log|enter|monitor|access|hold|"
                          r"facilitate|document|set|check)(s|es)?")


def _with_helper(sentence: str) -> str | None:
    """The sentence with "will" put before a present-tense verb ("90% of teachers use ..." reads as
    "90% of teachers will use ..."), so the frame can read it; None where no verb follows the people
    named. The verb is the word right after the first word naming people (teachers, students)."""
    share = _SHARE.search(sentence)
    if share is None:
        return None
    people = frozenset(ADULT_WORDS + STUDENT_WORDS)
    words = list(re.finditer(r"[^\s,;]+", sentence[share.end():]))
    seen_people = False
    for before, word in zip(words, words[1:]):
        text = word.group(0).lower()
        seen_people = seen_people or singular(before.group(0).strip(".")) in people
        if before.group(0).lower() in ("who", "that", "which"):
            continue  # "students who attend tutoring score ...": the clause's verb is not the main one
        after_people = singular(before.group(0).strip(".")) in people and text not in _NOT_VERBS
        if after_people or (seen_people and _COMMON_VERB.fullmatch(text)):
            at = share.end() + word.start()
            return f"{sentence[:at]}will {sentence[at:]}"
        if text in ("are", "is", "will", "have", "has", "were", "was"):
            return None
    return None


def _unread_date(sentence: str) -> dict[str, str]:
    """The words a sentence leads with as its date ("By winter break, ...") when they are no date."""
    lead = re.match(r"(by|beginning|starting|no later than|before)\s+([^,]{1,40}),", sentence, re.IGNORECASE)
    return {"date_unread": lead.group(2).strip()} if lead else {}


# Sentences outside the frame -------------------------------------------------------------

_PERCENT = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*\+?\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_AUX = re.compile(r"\b(will|are|is|have|has|were|was|shall|must|should|can)\b", re.IGNORECASE)
_AUX_CHAIN = re.compile(r"^((will|are|is|have|has|were|was|shall|must|should|can|be|been)\s+)+",
                        re.IGNORECASE)
_PASSIVE = re.compile(r"\b(be|been|is|are|was|were)\s+(\w+)\b", re.IGNORECASE)
_SHOWN = re.compile(r"^(.+?)\s+(?:will\s+)?(?:shows?|indicates?|demonstrates?|confirms?|reveals?)\s+"
                    r"(?:that\s+)?", re.IGNORECASE)
_TAIL = re.compile(r",?\s*(?:as\s+(?:reported|measured|shown|tracked|documented|recorded|observed)\s+"
                   r"(?:in|by|on|through|with)|according\s+to)\s+(.+)$", re.IGNORECASE)
_DATE_START = re.compile(r"(by|beginning|starting|from|as of|on|in|no later than|before|during|at|"
                         r"\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the end)", re.IGNORECASE)
_DATE_WORDS = 9
_BREAK = re.compile(r"\s+(break|recess|vacation|holidays?)\b", re.IGNORECASE)  # "winter break" is no season
# A date phrase has one of these; windows without one are not worth a parse.
_DATE_CORE = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|\d{4}-\d\d-\d\d|\d/\d|"
                        r"\b(end|close) of\b|\b(fall|autumn|winter|spring|summer)\b", re.IGNORECASE)


def _loose_parts(sentence: str) -> dict[str, Any]:
    """The parts a sentence has, found one by one, for a sentence the frame does not read."""
    date_tree, date_phrase = _find_date(sentence)
    text = sentence.replace(date_phrase, " ") if date_phrase else sentence
    text = " ".join(text.split()).strip(" ,")
    tail = _TAIL.search(text)
    tool = tail.group(1) if tail else None
    text = text[:tail.start()] if tail else text
    shown = _SHOWN.match(text)
    if shown:
        tool, text = shown.group(1), text[shown.end():]
    percent_match = _PERCENT.search(text)
    who, action = _actor_and_action(text, percent_match)
    return {"date_tree": date_tree, "date_span": date_phrase and _date_words(date_phrase),
            "tool": tool, "percent": _percent(percent_match.group(1)) if percent_match else None,
            "who": who, "action": action}


def _find_date(sentence: str) -> tuple[Any | None, str | None]:
    words = list(re.finditer(r"\S+", sentence))
    for index, word in enumerate(words):
        if not _DATE_START.match(word.group(0)):
            continue
        for stop in range(min(len(words), index + _DATE_WORDS), index, -1):
            phrase = sentence[word.start():words[stop - 1].end()].rstrip(",.;")
            if not _DATE_CORE.search(phrase):
                break
            tree = _parse(phrase, "date_only")
            if tree is not None and not _BREAK.match(sentence, words[stop - 1].end()):
                return tree[CHILDREN][-1], phrase
    return None, None


def _date_words(phrase: str) -> str:
    """The date of a phrase such as "on August 25th", without the word that leads it."""
    return re.sub(r"^(by|beginning|starting|from|as of|on|in|no later than|before|during|at)\s+", "",
                  phrase, flags=re.IGNORECASE)


def _actor_and_action(text: str, percent_match: re.Match[str] | None) -> tuple[str | None, str | None]:
    if percent_match:
        after = text[percent_match.end():]
        of = re.match(r"\s*of\s+(.+)", after, re.IGNORECASE)
        aux = _AUX.search(of.group(1)) if of else None
        who = of.group(1)[:aux.start()] if of and aux else None
        action = of.group(1)[aux.start():] if of and aux else None
        return _strip_article(who), _clean_action(action)
    aux = _AUX.search(text)
    if aux is None or aux.start() == 0:
        return None, None
    subject, predicate = text[:aux.start()].strip(), text[aux.start():]
    passive = _PASSIVE.search(predicate[:40])
    if passive and (passive.group(2).lower().endswith(("ed", "en")) or passive.group(2).lower() in _PARTICIPLES):
        return None, _clean_action(predicate)  # "a system will be rolled out": no actor is named
    return _strip_article(_lower_first(subject)), _clean_action(predicate)


def _lower_first(subject: str) -> str:
    """"Teachers" opening a sentence is the word teachers; an acronym (ELL teachers) stays."""
    word = subject.split()[0] if subject.split() else ""
    return subject[0].lower() + subject[1:] if word[:1].isupper() and word[1:].islower() else subject


def _clean_action(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = _AUX_CHAIN.sub("", text.strip()).strip(" ,")
    cleaned = re.sub(r"^successfully\s+", "", cleaned, flags=re.IGNORECASE)
    return cleaned or None


# Dates ------------------------------------------------------------------------------------

def _resolve(parts: tuple[int, int, int | None, str | None] | None, text: str | None, period_start: int | None
             ) -> tuple[str | None, str | None, str | None]:
    """(ISO date or None, the date as written, how it was read) for the date's (month, day, year, note)."""
    if parts is None:
        return None, None, None
    month, day, year, note = parts
    if year == _NO_YEAR:
        return None, text, note
    if year is None and period_start is not None:
        year = period_start - 1 if month >= _FIRST_FALL_MONTH else period_start
        # the school year as the plan names it: 2025-26, or 2026 in a plan that writes plain years
        note = _join(note, f"no year is given, so it is read in school year {period_start}")
    elif year is None:
        if not _is_day(month, day, 2000):  # a leap year: February 29 is a date in some years
            return None, text, f"{text} is not a date in any year"
        return None, text, _join(note, "no year is given, and no plan period to take one from")
    if day == 0:
        day = calendar.monthrange(year, month)[1]
    try:
        return datetime.date(year, month, day).isoformat(), text, note
    except ValueError:
        return None, text, f"{text} is not a date in {year}"


_NO_YEAR = -1  # the date names a year that does not exist ("the end of 2025-27")


def _is_day(month: int, day: int, year: int) -> bool:
    return 1 <= month <= 12 and 0 <= day <= calendar.monthrange(year, month)[1]


def _date_parts(tree: Any) -> tuple[int, int, int | None, str | None]:
    """(month, day, year or None, note); day 0 stands for the month's last day."""
    kind = tree[DATA]
    if kind == "end_of":
        return _period_end(tree[CHILDREN][0])
    values = [child[VALUE].lstrip(", ") for child in tree[CHILDREN]]
    if kind == "iso_date":
        year, month, day = (int(part) for part in values[0].split("-"))
        return month, day, year, None
    if kind == "slash_date":
        numbers = [int(part) for part in values[0].split("/")]
        year = None if len(numbers) < 3 else numbers[2] + (2000 if numbers[2] < 100 else 0)
        if not 1 <= numbers[0] <= 12 or numbers[1] == 0:  # no month 0 or 13, and no day 0 (day 0 means "last")
            return numbers[0], numbers[1], _NO_YEAR, f"{values[0]} is not a date: write it as month/day/year"
        return numbers[0], numbers[1], year, None
    if kind in ("month_day", "day_of_month"):
        month_text, day_text = (values[0], values[1]) if kind == "month_day" else (values[1], values[0])
        year = int(values[2]) if len(values) > 2 else None
        return _month(month_text), int(_DIGITS.match(day_text).group(0)), year, None  # type: ignore[union-attr]
    if kind == "month_only":
        year = int(values[1]) if len(values) > 1 else None
        return _month(values[0]), 0, year, "a month on its own is read as its last day"
    season = values[0].lower()
    month, day = SEASON_ENDS[season]
    year = int(values[1]) if len(values) > 1 else None
    shown = calendar.month_name[month] + ("'s last day" if day == 0 else f" {day}")
    return month, day, year, f"planlint takes {season} to end on {shown}; write the date if yours differs"


def _period_end(period: Any) -> tuple[int, int, int | None, str | None]:
    words = [child[VALUE].lower() for child in period[CHILDREN]]
    if period[DATA] == "month_end":
        return _month(words[0]), 0, None, None
    if period[DATA] == "named_school_year_end":
        first, second = (int(part) for part in words[0].split("-"))
        if (first + 1) % 100 != second:
            return 6, 30, _NO_YEAR, (f"{words[0]} is not one school year (a school year is written "
                                     f"{first}-{(first + 1) % 100:02d})")
        return 6, 30, first + 1, f"the end of school year {words[0]} is read as June 30, {first + 1}"
    if period[DATA] == "school_year_end":
        name = "school year"
    elif len(words) == 1:
        name = _PERIOD_CODES[words[0]]
    else:
        name = f"{_ORDINALS.get(words[0], words[0])} {_PERIOD_KINDS.get(words[1], words[1])}"
    month, day = PERIOD_ENDS.get(name, PERIOD_ENDS["school year"])
    shown = calendar.month_name[month] + ("" if day == 0 else f" {day}")
    return month, day, None, f"planlint takes the end of the {name} to be {shown}; write the date if yours differs"


def _month(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _join(first: str | None, second: str) -> str:
    return second if first is None else f"{first}; {second}"
