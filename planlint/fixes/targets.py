"""Fixes of targets: a status quo projection the history contradicts (TGT005) and a trajectory with a
year missing between two stated years (TGT002). The arithmetic is the one `planlint forecast` and
the rules use (seed 000, "How to set MKR targets"); nothing here computes a forecast of its own."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

import yaml

from planlint.domain.targets import forecast, unit_range
from planlint.lang.errors import EvalError
from planlint.lang.lib_time import year_of_key
from planlint.lang.values import format_number
from planlint.findings import Finding
from planlint.fixes.base import Fix, FixContext
from planlint.fixes.edits import TextEdit
from planlint.loader import normalize_key
from planlint.planning import explain_forecast, finite_number, whole_year
from planlint.schoolyears import like, school_year

_DECIMAL = re.compile(r"-?[0-9]+(?:\.([0-9]+))?")
_SCHOOL_YEAR = re.compile(r"[0-9]{4}-[0-9]{2}")


def _measure(ctx: FixContext, finding: Finding) -> tuple[int, Mapping] | None:
    path = finding.path
    measures = ctx.data.get("measures")
    if len(path) < 3 or path[0] != "measures" or not isinstance(path[1], int) or not isinstance(measures, list):
        return None
    measure = measures[path[1]] if path[1] < len(measures) else None
    return (path[1], measure) if isinstance(measure, Mapping) else None


def _name(measure: Mapping) -> str:
    return f'"{measure["id"]}"' if isinstance(measure.get("id"), str) else "the measure"


def _part(measure: Mapping, key: str) -> Mapping:
    value = measure.get(key)
    return value if isinstance(value, Mapping) else {}


def restate_projection(ctx: FixContext, finding: Finding) -> Fix | None:
    """TGT005 -> the projection the guide's formula gives, as `planlint forecast` prints it."""
    found = _measure(ctx, finding)
    if found is None or finding.path[2:] != ("projection", "value"):
        return None
    measure = found[1]
    options = ctx.options("TGT005")
    history, year, unit = measure.get("history"), _part(measure, "projection").get("year"), measure.get("unit")
    try:
        value = forecast(history, year, options["forecast_years"], unit_range(unit))
        how = explain_forecast(history, year, options["forecast_years"], unit)
    except (EvalError, OverflowError):  # a history or unit of the wrong kind: nothing to compute from
        return None
    node = ctx.node(finding.path)
    where = ctx.source.scalar(node) if node is not None and not node.style else None
    if where is None or not finite_number(value):
        return None
    shown = format_number(value)
    if abs(float(shown) - value) > options["tolerance"]:  # a tolerance finer than two decimals
        shown = repr(value)
    return Fix((TextEdit(*where, shown),), f"the status quo projection of {_name(measure)}: {node.value} -> {shown} "
                                           f"({how})", (finding.path,))


def fill_trajectory(ctx: FixContext, finding: Finding) -> Fix | None:
    """TGT002 -> each missing year between two stated years on the straight line between them, rounded
    to as many decimals as they are written with. A year before the first or after the last stated
    one is not guessed."""
    found = _measure(ctx, finding)
    if found is None:
        return None
    index, measure = found
    node = ctx.node(("measures", index, "trajectory"))
    first = whole_year(_part(ctx.data, "period").get("start"))
    last = whole_year(_part(measure, "target").get("year"))
    if not isinstance(node, yaml.MappingNode) or first is None or last is None:
        return None
    entries = _entries(node)
    missing = [year for year in range(first, last + 1) if year not in entries]
    edits, added, years = [], [], []
    for run in _runs(missing):
        before, after = entries.get(run[0] - 1), entries.get(run[-1] + 1)
        if before is None or after is None:
            continue
        values = _between(ctx, before, after, run)
        edit = _insert(ctx, node, before, values) if values else None
        if edit is not None:
            edits.append(edit)
            # each year as its key is written, beside a key written 2024-25 or 2025
            added += [f"{like(year, before[0])}: {value}" for year, value in values]
            years += [str(year) for year, _ in values]
    if not edits:
        return None
    listed = ", ".join(added[:-1]) + f" and {added[-1]}" if len(added) > 1 else added[0]
    return Fix(tuple(edits), f"added {listed} to the trajectory of {_name(measure)}, on the straight line "
                             "between the years around each",
               tuple(("measures", index, "trajectory", year) for year in years))


def _entries(node: yaml.MappingNode) -> dict[int, tuple[int, yaml.Node, yaml.Node]]:
    """Year -> (year, key node, value node) for each key that names a school year."""
    found = {}
    for key, value in node.value:
        # a SchoolYear where the key is written 2025-26, so that the fix names the years as written
        year = (school_year(key.value) or year_of_key(normalize_key(key.value))) \
            if isinstance(key, yaml.ScalarNode) else None
        if year is not None:
            found[year] = (year, key, value)
    return found


def _runs(years: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for year in years:
        if runs and runs[-1][-1] == year - 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def _between(ctx: FixContext, before: tuple, after: tuple, run: list[int]) -> list[tuple[int, str]]:
    """(year, value as written) on the straight line from `before` to `after`."""
    (first_year, _, first), (last_year, _, last) = before, after
    texts = [ctx.source.text[slice(*ctx.source.scalar(n))] if ctx.source.scalar(n) and not n.style else ""
             for n in (first, last)]
    matches = [_DECIMAL.fullmatch(text) for text in texts]
    if not all(matches):
        return []
    places = max(len(m.group(1) or "") for m in matches)  # type: ignore[union-attr]
    start, end = Decimal(texts[0]), Decimal(texts[1])
    step = (end - start) / (last_year - first_year)
    quantum = Decimal(1).scaleb(-places)
    out = []
    for year in run:
        value = (start + step * (year - first_year)).quantize(quantum, rounding=ROUND_HALF_UP)
        out.append((year, str(value if value != 0 else abs(value))))
    return out


def _key_text(key: yaml.ScalarNode, year: int) -> str | None:
    """A year's key written as its neighbour's is: 2025, 2024-25, "2025"."""
    if key.value.isdigit() and len(key.value) == 4:
        text = str(year)
    elif _SCHOOL_YEAR.fullmatch(key.value):
        text = f"{year - 1}-{year % 100:02d}"
    else:
        return None
    return f"{key.style}{text}{key.style}" if key.style in ("'", '"') else text if not key.style else None


def _insert(ctx: FixContext, node: yaml.MappingNode, before: tuple, values: list[tuple[int, str]]) -> TextEdit | None:
    _, key, value = before
    source = ctx.source
    key_at, value_at = source.scalar(key), source.scalar(value)
    keys = [_key_text(key, year) for year, _ in values]
    if key_at is None or value_at is None or None in keys or id(value) in ctx.shared:  # an alias: written elsewhere
        return None
    colon = source.text[key_at[1]:value_at[0]]
    if "\n" in colon or "\r" in colon:
        return None
    pairs = [f"{k}{colon}{v}" for k, (_, v) in zip(keys, values)]
    if node.flow_style:
        return _insert_flow(ctx, node, value, value_at, pairs)
    line = source.line_of(key_at[0])
    indent = source.text[source.starts[line]:key_at[0]]
    if indent.strip() or source.line_of(value_at[1]) != line:
        return None
    end, newline = source.line_end(line)
    if newline:
        return TextEdit(end + len(newline), end + len(newline), "".join(f"{indent}{p}{newline}" for p in pairs))
    return TextEdit(end, end, "".join(f"{source.newline()}{indent}{p}" for p in pairs))


def _insert_flow(ctx: FixContext, node: yaml.MappingNode, value: yaml.Node, value_at: tuple[int, int],
                 pairs: list[str]) -> TextEdit | None:
    """After the year before the gap on one line (`52, 2023: 54, 2024: 56`); in a mapping written over
    several lines, on a line of its own before the next entry, so that a comment stays on its line."""
    source = ctx.source
    following = [k for k, v in node.value if v is not value and source.offset(k.start_mark) > value_at[1]]
    if not following:
        return TextEdit(value_at[1], value_at[1], "".join(f", {p}" for p in pairs))
    next_at = min(source.offset(k.start_mark) for k in following)
    between = source.text[value_at[1]:next_at]
    if not any(ch in between for ch in "\r\n\x85\u2028\u2029"):
        return TextEdit(value_at[1], value_at[1], "".join(f"{between}{p}" for p in pairs))
    line = source.line_of(next_at)
    indent = source.text[source.starts[line]:next_at]
    _, newline = source.line_end(source.line_of(value_at[1]))
    if indent.strip() or not newline:
        return None
    return TextEdit(next_at, next_at, "".join(f"{p},{newline}{indent}" for p in pairs))

