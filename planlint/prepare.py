"""The plan as its authors wrote it, made ready for the schema and the rules.

Two forms that planning teams write are read here, once, so that every rule sees them the same way:
- a year written as a school year (`2025-26`) wherever the format takes a year; it is the number
  2026 to every comparison and sum, and reads `2025-26` in every message;
- a benchmark or interim measure written as a `statement` alone: the parts its sentence names fill
  the fields it does not have (fields written beside the statement win; IB005 reports a sentence
  that disagrees with them).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import yaml

from planlint.findings import Path
from planlint.loader import Document, normalize_key
from planlint.schema import schema_of, without
from planlint.schoolyears import SchoolYear, SchoolYearKey, school_year

_YEAR_REF = "#/$defs/year"
# The fields of a benchmark or interim measure, and the part of its sentence that fills each.
STATEMENT_PARTS = {"what": "action", "who": "who", "when": "date", "how": "tool", "target": "percent"}
STATEMENT_ITEMS = ("implementation_benchmarks", "interim_measures")
# Which fields were read from the sentence, for rules that word a finding for a sentence
# ("the statement does not say ...") and for IB005, which compares only fields that were written.
FROM_STATEMENT = "x-from-statement"


def for_rules(document: Document, rejected: frozenset[Path] = frozenset(),
              schema: str = "plan.schema.json", *, years_read: Document | None = None) -> Document:
    """What the rules judge: school years read (`years_read`, when the caller has read them already),
    the values the schema rejected read as missing, statement-only benchmarks read into their fields."""
    judged = years_read if years_read is not None else read_school_years(document, schema)
    if rejected:
        judged = replace(judged, data=without(judged.data, rejected))
    return read_statements(judged)


def read_school_years(document: Document, schema: str = "plan.schema.json", *,
                      shown: bool = True) -> Document:
    """The document with each school year written where the schema takes a year made a SchoolYear
    (`shown`), or a plain int for validators that take no subclass of int. `schema` is the plan
    schema's file name or the JSON text of an extended one. Shown, the keys of a mapping by year
    (`history`, `trajectory`) written as school years are SchoolYearKeys, so that they read as written."""
    if not _SCHOOL_YEAR_TEXT.search(document.text):
        return document
    written = document.root if shown else None
    data = _years(document.data, _year_places(schema), SchoolYear if shown else int, written)
    return document if data is document.data else replace(document, data=data)


def school_year_readings(document: Document, schema: str = "plan.schema.json") -> tuple[Document, Document]:
    """read_school_years(document, schema) and read_school_years(document, schema, shown=False): the
    second reads only what the first does, so where the first reads nothing it is not walked again."""
    shown = read_school_years(document, schema)
    return shown, document if shown is document else read_school_years(document, schema, shown=False)


_MAX_DEPTH = 40  # deeper than any plan; the loader caps nesting well before this matters
# Text with none of these holds no school year, as a value or a key, and is walked no further: a plan's
# escapes ("2025\x2d26") are decoded by the loader, so a backslash sends the plan the long way.
_SCHOOL_YEAR_TEXT = re.compile(r"(?<![0-9-])[0-9]{4}-[0-9]{2}(?![0-9-])|\\")
_YEAR, _YEAR_KEYS = "year", "year keys"  # places in _year_places(): a year; a mapping keyed by year


@functools.lru_cache(maxsize=64)
def _year_places(schema: str) -> Any:
    """The parts of the schema under which a year can be: {"properties": {key: ...}, "items": ...}
    down to _YEAR or _YEAR_KEYS, each without the parts that hold none, so that a plan's statements
    and notes are not walked for years they cannot hold."""
    tree = schema_of(schema)
    return _places(tree, tree, 0)


def _places(node: Any, schema: Mapping[str, Any], depth: int) -> Any:
    if not isinstance(node, Mapping) or depth > _MAX_DEPTH:
        return None
    ref = node.get("$ref")
    if ref == _YEAR_REF:
        return _YEAR
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        node = schema.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
    if isinstance(node.get("propertyNames"), Mapping):
        return _YEAR_KEYS
    found: dict[str, Any] = {}
    if isinstance(node.get("properties"), Mapping):
        properties = {key: _places(item, schema, depth + 1) for key, item in node["properties"].items()}
        found["properties"] = {key: place for key, place in properties.items() if place is not None}
    if isinstance(node.get("items"), Mapping):
        found["items"] = _places(node["items"], schema, depth + 1)
    return found if found.get("properties") or found.get("items") is not None else None


def _years(value: Any, places: Any, kind: type, written: yaml.Node | None) -> Any:
    """`value` with its years read; `written` is its node in the file, where keys are to be read as written."""
    if places is None:
        return value
    if places == _YEAR:
        year = school_year(value) if isinstance(value, str) else None
        return value if year is None else kind(year)
    if places == _YEAR_KEYS:
        return _year_keys(value, written) if isinstance(value, dict) and isinstance(written, yaml.MappingNode) \
            else value
    if isinstance(value, dict) and "properties" in places:
        nodes = _children(written)
        changed: dict[str, Any] | None = None
        for key, place in places["properties"].items():
            if key in value:
                item = _years(value[key], place, kind, nodes.get(key))
                if item is not value[key]:
                    changed = changed if changed is not None else dict(value)
                    changed[key] = item
        return value if changed is None else changed
    if isinstance(value, list) and places.get("items") is not None:
        nodes = written.value if isinstance(written, yaml.SequenceNode) else []
        items = [_years(item, places["items"], kind, nodes[i] if i < len(nodes) else None)
                 for i, item in enumerate(value)]
        return value if all(a is b for a, b in zip(items, value)) else items
    return value


def _children(written: yaml.Node | None) -> dict[str, yaml.Node]:
    if not isinstance(written, yaml.MappingNode):
        return {}
    return {normalize_key(key.value): value for key, value in written.value if isinstance(key, yaml.ScalarNode)}


def _year_keys(value: dict, written: yaml.MappingNode) -> dict:
    """The mapping with each key written as a school year (`2025-26:`) a SchoolYearKey; the last of
    repeated keys is the one kept, as when the file was read."""
    as_school_year = {normalize_key(key.value): school_year(key.value) is not None
                      for key, _ in written.value if isinstance(key, yaml.ScalarNode)}
    if not any(as_school_year.values()):
        return value
    return {SchoolYearKey(key) if as_school_year.get(key) else key: item for key, item in value.items()}


def read_statements(document: Document) -> Document:
    """The document with the fields of each statement-only part of a benchmark filled from its sentence."""
    data = document.data
    strategies = data.get("strategies") if isinstance(data, dict) else None
    if not isinstance(strategies, list):
        return document
    period = data.get("period")
    start = period.get("start") if isinstance(period, dict) else None
    start = start if isinstance(start, int) and not isinstance(start, bool) and 1000 < start < 10000 else None
    filled = [_strategy(strategy, start) for strategy in strategies]
    if all(a is b for a, b in zip(filled, strategies)):
        return document
    return replace(document, data={**data, "strategies": filled})


def _strategy(strategy: Any, start: int | None) -> Any:
    if not isinstance(strategy, dict):
        return strategy
    changed = {}
    for kind in STATEMENT_ITEMS:
        items = strategy.get(kind)
        if isinstance(items, list):
            filled = [_filled(item, start) for item in items]
            if any(a is not b for a, b in zip(filled, items)):
                changed[kind] = filled
    return {**strategy, **changed} if changed else strategy


def _filled(item: Any, start: int | None) -> Any:
    if not isinstance(item, dict) or not isinstance(item.get("statement"), str):
        return item
    wanted = [key for key in STATEMENT_PARTS if item.get(key) is None]
    if not wanted:
        return item
    from planlint.benchmark.reader import read_statement  # only plans with sentences need the grammar

    reading = read_statement(item["statement"], start)
    found = {key: getattr(reading, STATEMENT_PARTS[key]) for key in wanted}
    found = {key: value for key, value in found.items() if value is not None}
    return {**item, **found, FROM_STATEMENT: sorted(found)} if found else item
