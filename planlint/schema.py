"""Validation against schemas/plan.schema.json, with each error told in plain words at its node."""

from __future__ import annotations

import copy
import functools
import json
import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import yaml


from planlint import safeschema
from planlint.core_codes import core_finding
from planlint.config_error import ConfigError
from planlint.findings import Finding, Path, Span, format_path
from planlint.frozen import frozen
from planlint.loader import PERCENT_TEXT, Document, normalize_key
from planlint.resources import schema_path
from planlint.schoolyears import school_year

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_TYPE_WORDS = {
    "number": "a number", "integer": "a whole number", "string": "text", "array": "a list",
    "object": "a mapping of keys", "null": "empty (null)", "boolean": "true or false",
}


@functools.lru_cache(maxsize=None)
def load_schema(name: str = "plan.schema.json") -> dict:
    path = schema_path(name)
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"planlint's schema {name} cannot be read ({exc}); reinstall planlint.",
                          str(path)) from None


@functools.lru_cache(maxsize=None)
def validator_for(name: str) -> Any:
    """jsonschema's validator (imported only to explain an invalid document), which passes over the parts
    of a document the fast validator finds valid: the errors are the same, found in a small part of the time."""
    from jsonschema import _keywords, validators

    root = schema_of(name)
    valid = _FastParts(root) if fast_validator_for(name) is not None else None
    if valid is None or not valid.usable:
        return safeschema.validator(root)

    def properties(validator: Any, properties: dict, instance: Any, schema: dict) -> Iterator[Any]:
        if validator.is_type(instance, "object"):
            invalid = {key: part for key, part in properties.items() if key in instance and not valid(instance[key], part)}
            yield from _keywords.properties(validator, invalid, instance, schema)

    def items(validator: Any, items: Any, instance: Any, schema: dict) -> Iterator[Any]:
        if items is False or "prefixItems" in schema or not validator.is_type(instance, "array"):
            yield from _keywords.items(validator, items, instance, schema)
            return
        for index, item in enumerate(instance):
            if not valid(item, items):
                yield from validator.descend(instance=item, schema=items, path=index)

    cls = validators.extend(safeschema.validator_class(), {"properties": properties, "items": items})
    return cls(root, format_checker=cls.FORMAT_CHECKER, registry=safeschema.offline_registry())


class _FastParts:
    """Whether a value is valid against a part of a schema, by the fast validator. Usable where every
    reference points into the schema's `$defs`, which each part is given."""

    def __init__(self, root: dict) -> None:
        self.root = root
        self.usable = _refs_only_to_defs(root)
        self._validators: dict[int, tuple[Any, Any]] = {}  # id of a part -> (the part, kept alive; its validator)

    def __call__(self, value: Any, part: Any) -> bool:
        if not isinstance(part, dict):
            return False
        known = self._validators.get(id(part))
        if known is None:
            whole = {"$schema": self.root.get("$schema"), "$defs": self.root.get("$defs", {}), **part}
            try:
                known = (part, safeschema.fast_validator(whole))
            except Exception:  # noqa: BLE001 - a part the fast validator cannot take alone is checked by jsonschema
                known = (part, None)
            self._validators[id(part)] = known
        return known[1] is not None and known[1].is_valid(value)


def _refs_only_to_defs(schema: Any, *, root: bool = True) -> bool:
    if isinstance(schema, dict):
        if any(key in schema for key in _OWN_BASE if not (root and key == "$id")):
            return False
        ref = schema.get("$ref")
        if ref is not None and not (isinstance(ref, str) and ref.startswith("#/$defs/")):
            return False
        return all(_refs_only_to_defs(value, root=False) for value in schema.values())
    if isinstance(schema, list):
        return all(_refs_only_to_defs(value, root=False) for value in schema)
    return True


_OWN_BASE = ("$id", "$anchor", "$dynamicAnchor", "$dynamicRef")  # a part that has one cannot be checked alone


@functools.lru_cache(maxsize=None)
def fast_validator_for(name: str) -> Any:
    """The Rust validator: about a hundred times faster at saying whether a document is valid."""
    return safeschema.fast_validator(schema_of(name))


@functools.lru_cache(maxsize=8)
def schema_of(name: str) -> dict:
    """A shipped schema by file name, or a schema given as its JSON text (the plan format extended
    by a state's own fields)."""
    return json.loads(name) if name.startswith("{") else load_schema(name)


def is_valid(data: Any, schema: str) -> bool | None:
    """True or False from the fast validator; None where it is not available."""
    fast = fast_validator_for(schema)
    return None if fast is None else fast.is_valid(data)


def schema_problems(document: Document, schema: str, *, root: str = "The plan") -> list[tuple[Path, str, Span]]:
    """Every schema error in `document` as (path, plain sentence, span), one per problem, in file order.
    `root` names the document as a whole in messages ("The plan is missing ...")."""
    return [(path, message, span) for path, message, span, _ in _problems(document, schema, root)]


def _problems(document: Document, schema: str, root: str) -> list[tuple[Path, str, Span, str]]:
    """As schema_problems, each with its kind: "value" where the value at its path is itself wrong
    (a text where a number belongs), "missing" for a key missing from it, "key" for a key that
    does not belong."""
    if is_valid(document.data, schema):
        return []
    problems: dict[tuple[Path, str], tuple[Span, bool]] = {}
    for error in validator_for(schema).iter_errors(document.data):
        for path, message, at_key in _explain(error, root, document):
            kind = "key" if at_key else "missing" if error.validator == "required" else "value"
            problems.setdefault((path, message), (document.locate(path, key=at_key), kind))
    return sorted(((path, message, span, wrong) for (path, message), (span, wrong) in problems.items()),
                  key=lambda item: (item[2].line, item[2].column, item[1]))


def value_problem(value: Any, schema: dict, name: str, of: str = "") -> str | None:
    """The first way `value` breaks a small schema (a rule option's), as a sentence about `name`."""
    numbers = value if isinstance(value, list) else [value]
    if any(isinstance(number, float) and not math.isfinite(number) for number in numbers):
        return f"{name}{of} must be a finite number, not {_show(value)}."
    from referencing.exceptions import Unresolvable

    try:  # the schema was checked when its rule loaded; a reference that still does not resolve is its error
        errors = sorted(safeschema.validator(schema).iter_errors(value), key=lambda e: list(e.path))
    except Unresolvable as exc:
        return f"{name}{of} cannot be checked: its schema refers to {exc}, which is not in the rule file."
    except RecursionError:
        return f"{name}{of} cannot be checked: the references of its schema go round in a loop."
    if not errors:
        return None
    error = errors[0]
    inner = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    return f"{name}{inner}{of} must be {_expected(error)}, not {_show(error.instance)}."


@frozen
class PlanCheck:
    """The schema's findings on a plan, and the paths of the values it rejected."""

    findings: list[Finding]
    rejected: frozenset[Path]
    # Where a mapping lacks a required key and nothing else is wrong: the missing key is its one
    # finding, and the rules still judge the rest of it.
    incomplete: frozenset[Path] = frozenset()


def fragment_problems(document: Document, schema: str = "plan.schema.json") -> list[tuple[Span, str]]:
    """The keys of a part of a plan (a rule's example) that the format does not have; a value of
    the wrong kind may be what the example shows a rule handling."""
    return [(span, message) for _, message, span, kind in _problems(document, schema, "The plan")
            if kind == "key"]


def validate_plan(document: Document, file: str, schema: str = "plan.schema.json") -> PlanCheck:
    """`schema` is the plan schema's file name, or the JSON text of the format a configuration extends."""
    problems = _problems(document, schema, "The plan")
    return PlanCheck([core_finding("PL003", file, message, span, path) for path, message, span, _ in problems],
                     frozenset(path for path, _, _, kind in problems if kind == "value" and path),
                     frozenset(path for path, _, _, kind in problems if kind == "missing")
                     - frozenset(path for path, _, _, kind in problems if kind != "missing"))


def without(data: Any, paths: frozenset[Path]) -> Any:
    """`data` with the value at each path read as null; containers on those paths are copied, the
    rest is shared. The rules see a rejected value as missing, which they all handle, and judge the
    rest of the plan as usual."""
    if not paths:
        return data
    copied = copy.copy(data)
    for path in sorted(paths, key=len):
        container = copied
        for key in path[:-1]:
            child = container[key] if _has(container, key) else None
            if not isinstance(child, (dict, list)):
                break
            container[key] = child = copy.copy(child)
            container = child
        else:
            if _has(container, path[-1]):
                container[path[-1]] = None
    return copied


def _has(container: Any, key: Any) -> bool:
    if isinstance(container, dict):
        return key in container
    return isinstance(container, list) and isinstance(key, int) and -len(container) <= key < len(container)


def _explain(error: ValidationError, root: str, document: Document) -> Iterator[tuple[Path, str, bool]]:
    """One plain sentence per problem: (path of the node, message, point at the key?)."""
    path: Path = tuple(error.absolute_path)
    where = format_path(_as_written(document, path)) or root
    keyword = error.validator
    if keyword == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        for key in missing:
            yield path, f"{where} is missing \"{key}\"{_hint(error.schema, key)}", False
    elif keyword == "additionalProperties" and error.validator_value is False:
        known = sorted(error.schema.get("properties", {}))
        for key in _unexpected(error):
            yield path + (key,), _unknown_key(where, key, known), True
    elif "propertyNames" in error.relative_schema_path:
        yield path + (error.instance,), _bad_key(where, error.instance, error.schema), True
    else:
        yield path, f"{where} must be {_expected(error)}, not {_show(error.instance)}{_fix(error)}.", False


def _as_written(document: Document, path: Path) -> Path:
    """`path` with each key written as a school year as the file writes it (history.2025-26), for a message;
    the path itself keeps the key "2026", whichever way it was written."""
    if not any(isinstance(part, str) and len(part) == 4 and part.isdigit() for part in path):
        return path
    node: yaml.Node | None = document.root
    shown: list[Any] = []
    for part in path:
        key = None
        if isinstance(node, yaml.MappingNode):
            found = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and normalize_key(k.value) == part]
            key, node = found[-1] if found else (None, None)
        else:
            node = node.value[part] if isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
                and 0 <= part < len(node.value) else None
        shown.append(key.value if key is not None and school_year(key.value) else part)
    return tuple(shown)


def _hint(schema: dict, key: str) -> str:
    description = schema.get("properties", {}).get(key, {}).get("description", "")
    first = description.split(". ")[0].rstrip(".")
    return f": {first[0].lower()}{first[1:]}." if first else "."


def _unexpected(error: ValidationError) -> list[str]:
    properties = error.schema.get("properties", {})
    patterns = list(error.schema.get("patternProperties", {}))  # a plan field's own may be any pattern: RE2
    return [key for key in error.instance
            if key not in properties and not any(safeschema.search(p, key) for p in patterns)]


def _unknown_key(where: str, key: str, known: list[str]) -> str:
    import difflib  # only for an unknown key

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
    suggestion = f" Did you mean \"{close[0]}\"?" if close else f" Known keys here: {', '.join(known)}." if known \
        else " Its keys must match the patterns its schema gives."
    return (f"{where} has an unknown key \"{key}\".{suggestion} "
            "(Keys that start with x- are free for your own notes.)")


def _bad_key(where: str, key: str, schema: dict) -> str:
    span = re.fullmatch(r"([0-9]{4})-([0-9]{2})", key)
    if span:
        return (f"{where} has the key \"{key}\", which spans more than one school year. Name one school year "
                f"by its spring year: {int(span.group(1)) + 1} for {span.group(1)}-{(int(span.group(1)) + 1) % 100:02d}.")
    expect = _expectation(schema) or "a valid key"
    return f"{where} has the key \"{key}\"; each key here must be {expect}."


# What a whole file must be; inside the schemas, each part's `title` says what it must be (a standard
# annotation, so the schemas pass strict validators; the root's title names the format instead).
_ROOT_EXPECT = {
    "urn:planlint:schema:plan:1": "a mapping of plan sections, such as planlint, system, period and measures",
    "urn:planlint:schema:framework:1": "a mapping with the framework's id, name and goals",
    "urn:planlint:schema:rubric:1": "a mapping with the rubric's id, name and criteria",
}


def _expectation(schema: dict) -> str | None:
    if "$schema" in schema:  # the root
        return _ROOT_EXPECT.get(schema.get("$id", ""))
    return schema.get("title")


def _expected(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, dict) else {}
    expect = _expectation(schema)
    if expect:
        return expect
    keyword, value = error.validator, error.validator_value
    if keyword == "type":
        kinds = value if isinstance(value, list) else [value]
        return " or ".join(_TYPE_WORDS.get(k, k) for k in kinds)
    if keyword == "enum":
        return "one of " + ", ".join(_show(v, quote=False) for v in value)
    if keyword == "const":
        return _show(value, quote=False)
    if keyword in ("minimum", "exclusiveMinimum"):
        return f"at least {value}" if keyword == "minimum" else f"more than {value}"
    if keyword in ("maximum", "exclusiveMaximum"):
        return f"at most {value}" if keyword == "maximum" else f"less than {value}"
    if keyword == "minItems":
        return f"a list of at least {value} item{'s' if value != 1 else ''}"
    if keyword == "uniqueItems":
        return "a list without repeats"
    if keyword == "minLength":
        return "text that is not empty"
    return f"valid ({error.message})"


def _fix(error: ValidationError) -> str:
    text = error.instance if isinstance(error.instance, str) else None
    match = PERCENT_TEXT.fullmatch(text) if text is not None else None
    if match:
        return f": write {match.group(1)} (the unit comes from the measure's `unit`)"
    years = _SPAN.fullmatch(text) if text is not None else None
    if years:
        first = int(years.group(1))
        return (f": that spans more than one school year; name one, such as {first + 1} or "
                f"{first}-{(first + 1) % 100:02d}")
    day = _ISO_DAY.fullmatch(text) if text is not None else None
    if day:
        year, month, _ = (int(part) for part in day.groups())
        if 1 <= month <= 12:
            import calendar  # only for a day that does not exist

            days = calendar.monthrange(year, month)[1] if year >= 1 else 31
            return f": {calendar.month_name[month]} {year} has {days} days"
        return ": there are 12 months"
    return ""


_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_SPAN = re.compile(r"(\d{4})-(\d{2})")  # 2025-27 where a year belongs (2025-26 is read before this)


_LONGEST_SHOWN = 60


def _show(value: Any, *, quote: bool = True) -> str:
    if isinstance(value, str):
        if len(value) > _LONGEST_SHOWN:  # a pasted paragraph or a 5,000-digit number: its start says enough
            value = f"{value[:_LONGEST_SHOWN - 20]}... ({len(value):,} characters)"
        return f"\"{value}\"" if quote else value
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)
