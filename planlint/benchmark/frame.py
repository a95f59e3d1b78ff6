"""The sentence a benchmark's fields make in the guide's frame: By [date], [tool] will show that X% of
[who] are [action]. IB005 suggests it and `planlint explain-benchmark` prints it, word for word the same."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from typing import Any

from planlint.lang.function import fail
from planlint.lang.values import as_date, format_value


def frame_sentence(benchmark: Any) -> str | None:
    if benchmark is None:
        return None
    if not isinstance(benchmark, Mapping):
        raise fail("frame_sentence", "a benchmark (a mapping)", benchmark)
    day = as_date(benchmark.get("when"))
    when = f"{calendar.month_name[day.month]} {day.day}, {day.year}" if day else "[date]"
    target = benchmark.get("target")
    percent = format_value(target) if target is not None else "X"
    how, who, what = (_part(benchmark, key) for key in ("how", "who", "what"))
    return f"By {when}, {how} will show that {percent}% of {who} {_verb_for(what)} {what}."


def _verb_for(action: str) -> str:
    """The helper verb an action reads well after: are incorporating, have completed, will use."""
    first = action.split()[0].lower() if action.split() else ""
    if first.endswith("ing") or first.startswith("["):
        return "are"
    if first.endswith("ed") or first in ("done", "taken", "given", "written", "met", "begun", "built", "taught"):
        return "have"
    return "will"


def _part(benchmark: Mapping[str, Any], key: str) -> str:
    value = benchmark.get(key)
    return format_value(value).strip() if value is not None else f"[{key}]"
