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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import yaml

from planlint.findings import Path
from planlint.loader import Document, normalize_key
from planlint.schema import schema_of, without
from planlint.schoolyears import SchoolYearKey, school_year

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
    return school_year_readings(document, schema)[0 if shown else 1]


def school_year_readings(document: Document, schema: str = "plan.schema.json") -> tuple[Document, Document]:
    """read_school_years(document, schema) and read_school_years(document, schema, shown=False), from one
    walk of the plan; each is `document` itself where it reads nothing, and shares every part it leaves as is."""
    text = document.text
    start = _COMMENTS_FIRST.match(text).end()  # type: ignore[union-attr]  # it matches any text, if only at 0
    if _SCHOOL_YEAR_TEXT.search(text, start) is None and text.find("\\", start) < 0:
        return document, document
    data = document.data
    read = _read(data, _year_places(schema), document.root)
    if read is None:
        return document, document
    shown, plain = read
    return (document if shown is data else replace(document, data=shown),
            document if plain is data else replace(document, data=plain))


_MAX_DEPTH = 40  # deeper than any plan; the loader caps nesting well before this matters
# Text with neither a school year (2025-26, not the date 2025-05-15) nor a backslash holds no school year,
# as a value or a key, and is walked no further: a plan's escapes ("2025\x2d26") are decoded by the loader,
# so a backslash sends the plan the long way. The pattern starts at the `-`: a regular expression that
# starts with a character looks for it at C speed, one that starts with a lookbehind and a choice tries
# itself at every character (4 million instructions over a plan without a school year, against 0.1 million).
_SCHOOL_YEAR_TEXT = re.compile(r"-(?<=(?<![0-9-])[0-9]{4}-)[0-9]{2}(?![0-9-])")
# The comment lines a plan opens with ("# Plan for 2025-26 to 2027-28") hold no value or key, whatever they
# say: plans name their school years there and write plain years below. They end at the first line that is
# neither a comment nor blank, or that ends otherwise than in \n or \r\n (YAML also ends a line at a lone
# \r, \x85, \u2028 or \u2029).
_COMMENTS_FIRST = re.compile(r"(?:[ \t]*(?:#[^\r\n\x85\u2028\u2029]*)?\r?\n)*")
_YEAR, _YEAR_KEYS = "year", "year keys"  # places in _year_places(): a year; a mapping keyed by year


@dataclass(frozen=True, slots=True, eq=False)
class _Place:
    """Where years can be below a value: its fields (name, place, whether a mapping by year is below) and its
    items. The walk carries a value's node only where a mapping by year is below it, to read the keys as
    written: `keyed` names those fields as a key can write them (_written_as), `items_keyed` says so of items."""

    fields: tuple[tuple[str, Any, bool], ...]
    items: Any
    keyed: dict[str, str]
    items_keyed: bool


def _has_year_keys(place: Any) -> bool:
    return place is _YEAR_KEYS or isinstance(place, _Place) and bool(place.keyed or place.items_keyed)


@functools.lru_cache(maxsize=64)
def _year_places(schema: str) -> Any:
    """The parts of the schema under which a year can be, down to _YEAR or _YEAR_KEYS, each without the
    parts that hold none, so that a plan's statements and notes are not walked for years they cannot hold."""
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
    fields: tuple[tuple[str, Any, bool], ...] = ()
    if isinstance(node.get("properties"), Mapping):
        properties = {key: _places(item, schema, depth + 1) for key, item in node["properties"].items()}
        fields = tuple((key, place, _has_year_keys(place)) for key, place in properties.items() if place is not None)
    items = _places(node["items"], schema, depth + 1) if isinstance(node.get("items"), Mapping) else None
    if not fields and items is None:
        return None
    return _Place(fields, items, _written_as([key for key, _, keyed in fields if keyed]), _has_year_keys(items))


def _read(value: Any, place: Any, written: yaml.Node | None) -> tuple[Any, Any] | None:
    """`value` with its years read, shown and as plain ints; None where neither reading changes it.
    `written` is its node in the file where a mapping by year is below it (its keys are read as written)."""
    if place is None:
        return None
    if place is _YEAR:  # places are these two strings themselves, or a _Place
        year = school_year(value) if isinstance(value, str) and len(value) == 7 else None
        return None if year is None else (year, int(year))
    if place is _YEAR_KEYS:
        if not isinstance(value, dict) or not isinstance(written, yaml.MappingNode):
            return None
        keyed = _year_keys(value, written)
        return None if keyed is value else (keyed, value)
    if isinstance(value, dict):
        return _read_fields(value, place, written)
    if isinstance(value, list) and place.items is not None:
        return _read_items(value, place, written)
    return None


def _read_fields(value: dict, place: _Place, written: yaml.Node | None) -> tuple[Any, Any] | None:
    nodes = _children(written, place.keyed) if place.keyed else {}
    readings = None
    for key, below, keyed in place.fields:
        if key in value:
            read = _read(value[key], below, nodes.get(key) if keyed else None)
            if read is not None:
                readings = _put(value, readings, key, read)
    return readings


def _read_items(value: list, place: _Place, written: yaml.Node | None) -> tuple[Any, Any] | None:
    nodes = written.value if place.items_keyed and isinstance(written, yaml.SequenceNode) else ()
    readings = None
    for i, item in enumerate(value):
        read = _read(item, place.items, nodes[i] if i < len(nodes) else None)
        if read is not None:
            readings = _put(value, readings, i, read)
    return readings


def _put(value: Any, readings: tuple[Any, Any] | None, at: Any, read: tuple[Any, Any]) -> tuple[Any, Any]:
    """The two readings of `value` (a mapping or a list; None: `value` twice) with the two readings of
    `value[at]` put in; each is a copy only once it differs from `value`."""
    shown, plain = readings if readings is not None else (value, value)
    item = value[at]
    if read[0] is not item:
        shown = value.copy() if shown is value else shown
        shown[at] = read[0]
    if read[1] is not item:
        plain = value.copy() if plain is value else plain
        plain[at] = read[1]
    return shown, plain


def _children(written: yaml.Node | None, wanted: Mapping[str, str]) -> dict[str, yaml.Node]:
    """The nodes of the `wanted` keys of a mapping (_written_as), the last of repeated keys as when the file
    was read."""
    if not isinstance(written, yaml.MappingNode):
        return {}
    nodes = {}
    for key, node in written.value:
        if isinstance(key, yaml.ScalarNode) and key.value in wanted:
            nodes[wanted[key.value]] = node
    return nodes


def _written_as(names: Iterable[str]) -> dict[str, str]:
    """Each key as it can be written, to the name it is read as (normalize_key): `2025-26` is "2026"."""
    forms = {name: name for name in names if normalize_key(name) == name}
    for name in names:
        if len(name) == 4 and name.isascii() and name.isdigit():
            form = f"{int(name) - 1:04d}-{int(name) % 100:02d}"
            if normalize_key(form) == name:
                forms[form] = name
    return forms


def _year_keys(value: dict, written: yaml.MappingNode) -> dict:
    """The mapping with each key written as a school year (`2025-26:`) a SchoolYearKey; the last of
    repeated keys is the one kept, as when the file was read."""
    if not any(len(key.value) == 7 for key, _ in written.value):
        return value  # most plans: no key is as long as `2025-26`
    as_school_year: dict[str, bool] = {}
    for key, _ in written.value:
        if isinstance(key, yaml.ScalarNode):
            year = school_year(key.value) if len(key.value) == 7 else None
            as_school_year[key.value if year is None else str(int(year))] = year is not None  # as normalize_key
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
