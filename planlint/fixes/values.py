"""Fixes of single values: a unit written into a number (PL003) and a YAML 1.1 trap (PL007).

Each fix asks the plan format what the place holds: a unit is dropped only where the format wants
a number. A number written as no number is (`036`, with a leading zero) is a code, and quoted; a
`yes` or a `52%` is quoted only where the format wants text and would refuse what other YAML tools
read (true, the number 52). Where both readings fit (an `x-` note, a field that takes text or a
number) the author's meaning is not known, and the finding stays.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml

from planlint.findings import Finding, Path
from planlint.fixes.base import Fix, FixContext
from planlint.fixes.edits import TextEdit
from planlint.loader import PERCENT_TEXT
from planlint.schema import fast_validator_for, schema_problems

# A number with its unit written after it: 45%, 45 %, 45 percent, 4.5 pts, -25% pts.
_UNIT_TEXT = re.compile(
    r"\s*\+?(-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+))\s*"
    r"(%|percent|per cent|pct\.?|%\s*pts\.?|%\s*points|pts\.?|points|percentage points)\s*", re.IGNORECASE)
# Units whose values a percent or points figure can be written in; a ratio's 45% is 0.45, not 45.
_UNITS_IN_PERCENT = frozenset({"percent", "points"})


def drop_unit(ctx: FixContext, finding: Finding) -> Fix | None:
    """PL003 on `45%` where a number belongs -> 45."""
    node = ctx.node(finding.path)
    where = ctx.source.scalar(node) if node is not None else None
    match = _UNIT_TEXT.fullmatch(node.value) if where is not None else None
    if match is None or not _unit_fits(ctx.document.data, finding.path):
        return None
    number = match.group(1)
    value = float(number) if "." in number else int(number)
    if not _accepted(ctx, finding.path, value):
        return None
    written = ctx.source.text[where[0]:where[1]]
    return Fix((TextEdit(*where, number),), f"{written} -> {number}", (finding.path,))


def _unit_fits(data: Any, path: Path) -> bool:
    """Inside a measure, its unit must be a percent or points; in a strategy (a benchmark's target or
    result, which is a percent of `who`) the format's number is a percent; elsewhere (a year, a
    budget) a unit does not belong, and what was meant is not known."""
    if len(path) > 2 and path[0] == "measures" and isinstance(path[1], int):
        measures = data.get("measures")
        measure = measures[path[1]] if isinstance(measures, list) and path[1] < len(measures) else None
        unit = measure.get("unit") if isinstance(measure, dict) else None
        return isinstance(unit, str) and unit in _UNITS_IN_PERCENT
    return bool(path) and path[0] == "strategies"


def quote_trap(ctx: FixContext, finding: Finding) -> Fix | None:
    """PL007 on `036` or `yes` where the plan format wants text -> "036", "yes"."""
    node = ctx.node(finding.path)
    if node is None or node.style or ctx.source.scalar(node) is None or not finding.path:
        return None
    other = _other_reading(node.value)
    if other is None or (not _is_code(other) and _accepted(ctx, finding.path, other)):
        return None
    start, end = ctx.source.scalar(node)  # type: ignore[misc]
    return Fix((TextEdit(start, end, f'"{node.value}"'),), f'{node.value} -> "{node.value}"', (finding.path,))


def _is_code(other: Any) -> bool:
    """`036`, `0x1F`, `1_000`: nobody writes a number so in a plan; it is a code, meant as written."""
    return isinstance(other, int) and not isinstance(other, bool)


def _other_reading(text: str) -> Any:
    """What a YAML 1.1 tool reads for a trap (true for `yes`, 30 for `036`), or the number a `52%` names."""
    percent = PERCENT_TEXT.fullmatch(text)
    if percent:
        return float(percent.group(1))
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    return None if isinstance(value, str) else value


def _accepted(ctx: FixContext, path: Path, value: Any) -> bool:
    """Whether the plan format takes `value` at `path` (the rest of the plan as it is)."""
    data = _replaced(ctx.document.data, path, value)
    if data is None:
        return False
    fast = fast_validator_for("plan.schema.json")
    if fast is not None:  # a thousand times faster, for a plan with many values to try
        # it names a key that looks like a number ("2024") as the number: compare paths as text
        wanted = [str(part) for part in path]
        return not any([str(part) for part in error.instance_path][:len(path)] == wanted
                       for error in fast.iter_errors(data))
    trial = type(ctx.document)(data=data, text=ctx.document.text, root=ctx.document.root)
    return not any(found[:len(path)] == path for found, _, _ in schema_problems(trial, "plan.schema.json"))


def _replaced(data: Any, path: Path, value: Any) -> Any:
    """A copy of `data` with `value` at `path`; the containers on the way are copied, the rest shared."""
    top = copy.copy(data)
    container = top
    for key in path[:-1]:
        try:
            child = copy.copy(container[key])
        except (KeyError, IndexError, TypeError):
            return None
        container[key] = child
        container = child
    try:
        container[path[-1]]
    except (KeyError, IndexError, TypeError):
        return None
    container[path[-1]] = value
    return top
