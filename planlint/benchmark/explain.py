"""What `planlint` says about one benchmark sentence: what it read, what is missing, the frame."""

from __future__ import annotations

import textwrap

from planlint.benchmark.frame import frame_sentence
from planlint.benchmark.people import ADULT_WORDS, STUDENT_WORDS, group_of
from planlint.benchmark.reader import FRAME, FRAME_EXAMPLE, PARTS, Reading, read_statement

WIDTH = 96
WHAT_EACH_PART_IS = {
    "date": "when it will be measured (By September 15, ...)",
    "tool": "how it will be measured: the tool or data (an audit of daily lesson plans)",
    "percent": "the target: the percent of [who] expected (70%); without it the benchmark cannot "
               "be met or missed",
    "who": "who will do it: the adults whose action is measured (teachers, coaches)",
    "action": "what they will be doing (incorporating language objectives into their lesson plans)",
}


def explain_sentence(text: str, period_start: int | None = None) -> str:
    """Plain words for a planning team: the parts read from `text`, the missing ones, the frame.

    `period_start` is the plan's first school year (its spring year, 2023 for 2022-23); a date
    written without a year is read in that school year."""
    reading = read_statement(text, period_start)
    if reading.follows_frame:
        opening = "This sentence follows the benchmark frame. planlint read:"
    else:
        opening = ("This sentence does not follow the benchmark frame. These are the parts "
                   "planlint could find on their own:")
    sections = [opening, _table(reading), _missing(reading), _problems(reading)]
    sections += _notes(reading)
    sections.append(_wrap(rewritten(reading), 14, first="In the frame: "))
    sections.append("As fields, to paste under the benchmark (a field wins over the sentence):\n"
                    + as_fields(reading))
    sections.append(f"The frame:    {FRAME}\n" + _wrap(FRAME_EXAMPLE, 14, first="For example:  "))
    return "\n\n".join(section for section in sections if section) + "\n"


FIELDS = (("what", "action"), ("who", "who"), ("when", "date"), ("how", "tool"), ("target", "percent"))


def fields_of(reading: Reading) -> dict[str, object]:
    """The plan fields a reading gives: what, who, when, how and target, the ones it found."""
    found = {field: getattr(reading, part) for field, part in FIELDS}
    return {field: value for field, value in found.items() if value is not None}


def as_fields(reading: Reading) -> str:
    """The fields read, as YAML lines to paste; a part not read is a comment saying so."""
    import json

    import yaml  # only here: the text of each value decides whether it needs quotes

    found = fields_of(reading)
    lines = []
    for field, _ in FIELDS:
        value = found.get(field)
        if value is None:
            lines.append(f"  # {field}: not in the sentence ({_FIELD_HINTS[field]})")
        elif field == "when" or not isinstance(value, str) or yaml.safe_load(value) == value:
            lines.append(f"  {field}: {value}")
        else:
            lines.append(f"  {field}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines)


_FIELD_HINTS = {"what": "the adult action", "who": "the adults, such as teachers",
                "when": "a date such as 2025-09-15", "how": "the tool or data, such as an audit of lesson plans",
                "target": "the percent of who expected, such as 70"}


def rewritten(reading: Reading) -> str:
    """The sentence in the frame, from what was read, with the year; [part] where a part is missing."""
    return frame_sentence(fields_of(reading)) or ""


def sentence_holds(text: str, period_start: int | None = None) -> bool:
    """Whether a sentence follows the frame with every part but the tool there, and nothing wrong."""
    reading = read_statement(text, period_start)
    return reading.follows_frame and set(reading.missing) <= {"tool"} and not problems(reading)


def _table(reading: Reading) -> str:
    rows = []
    for part in PARTS:
        value = _shown(reading, part)
        rows.append(f"  {part:<8} {value}")
    return "\n".join(rows)


def _shown(reading: Reading, part: str) -> str:
    if part == "date":
        if reading.date_text is None:
            return "(missing)"
        shown = reading.date_text + (f" -> {reading.date}" if reading.date else "")
        return shown + (f" ({reading.date_note})" if reading.date_note else "")
    value = getattr(reading, part)
    if value is None:
        return "(missing)"
    if part == "percent":
        return f"{value}%"
    return str(value)


def _missing(reading: Reading) -> str:
    if not reading.missing:
        return "Nothing is missing: it says what, who, when, how it is measured and its target."
    needed = [part for part in reading.missing if part != "tool"]
    lines = ["Missing:"] + [f"  {part}: {WHAT_EACH_PART_IS[part]}" for part in needed] if needed else []
    if "tool" in reading.missing:
        lines.append(_wrap("No tool is named: the frame names how it will be measured (an audit of daily lesson "
                           "plans). Where the action leaves its own record (a data system, a tracker), the "
                           "guide's strong examples let that stand; name it if anyone could ask where the "
                           "number comes from."))
    return "\n".join(lines)


def problems(reading: Reading) -> list[str]:
    """What is wrong in the parts read, beyond what is missing: a date that is not one, a percent
    over 100."""
    found = []
    if reading.date_note and "is not a date" in reading.date_note:
        found.append(f"date: {reading.date_note}; write a day the month has.")
    if reading.percent is not None and not 0 <= reading.percent <= 100:
        found.append(f"percent: {reading.percent}% of {reading.who or 'them'} cannot be reached; a share of "
                     "people is from 0% to 100%.")
    return found


def _problems(reading: Reading) -> str:
    found = problems(reading)
    return "\n".join(["Wrong:"] + [f"  {problem}" for problem in found]) if found else ""


def _notes(reading: Reading) -> list[str]:
    notes = []
    if reading.percent is None:
        notes.append("Without a target percent this is an action step: a task to do, not a benchmark "
                     "that can be met or missed. Add the percent of [who] expected, or list it under "
                     "`action_steps`.")
    if reading.who is not None and _about_students(reading.who):
        notes.append(f"It is about students ({reading.who}). An implementation benchmark measures an adult "
                     "action; a student outcome belongs under `interim_measures`. A student experience that "
                     "adults provide (a weekly meeting with an advisor) can stay a benchmark.")
    if reading.rest:
        notes.append(f"Read separately, not as part of the benchmark: \"{reading.rest}\"")
    return [_wrap(note) for note in notes]


def _about_students(who: str) -> bool:
    return group_of(who, frozenset(STUDENT_WORDS), frozenset(ADULT_WORDS)) == "students"


def _wrap(text: str, indent: int = 0, first: str = "") -> str:
    return textwrap.fill(text, width=WIDTH, initial_indent=first, subsequent_indent=" " * indent)
