"""A state's own plan fields: the plan format extended by a configuration's or a rule pack's `plan-fields`.

A reviewer whose rule asks every measure for an `owner` declares the field beside the rule
(`plan-fields: {measure: {owner: {type: string}}}`); plans checked under that pack may then
write it, and the schema still reports every other unknown key.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from planlint.findings import Path
from planlint.safeschema import fast_validator, schema_problem
from planlint.schema import load_schema

# The part of a plan a field is declared for, and where that part is defined in the plan schema.
PARTS: dict[str, str | None] = {
    "plan": None, "system": "system", "measure": "measure", "strategy": "strategy",
    "implementation_benchmark": "implementationBenchmark", "interim_measure": "interimMeasure",
    "action_step": "actionStep", "monitoring": "monitoring", "aspiration": "aspiration",
}

Declared = Mapping[str, Mapping[str, Mapping[str, Any]]]


def merged(declarations: Iterable[Declared]) -> dict[str, dict[str, Any]]:
    """Every declaration in one: {part: {field: schema}}; a later one of the same field wins."""
    out: dict[str, dict[str, Any]] = {}
    for declared in declarations:
        for part, fields in (declared or {}).items():
            out.setdefault(part, {}).update(fields)
    return out


def extended_schema(declared: Declared, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The plan schema with the declared fields added to their parts. Without declarations the
    base schema itself is returned, so its validators stay shared."""
    base = load_schema() if base is None else base
    if not any(declared.values()):
        return base  # type: ignore[return-value]
    schema = copy.deepcopy(dict(base))
    for part, fields in declared.items():
        target = schema if PARTS[part] is None else schema["$defs"][PARTS[part]]
        properties = target.setdefault("properties", {})
        for name, field_schema in fields.items():
            properties.setdefault(name, dict(field_schema))
    return schema


def field_names(declared: Declared) -> frozenset[str]:
    return frozenset(name for fields in declared.values() for name in fields)


def schema_key(schema: Mapping[str, Any]) -> str:
    """A stable text for a schema, by which its validators are cached."""
    return json.dumps(schema, sort_keys=True, default=str)


def fields_problem(declared: Declared, home: str) -> tuple[Path, str, bool] | None:
    """Why a field declared under `plan-fields` cannot be used, where (from `plan-fields`), and whether
    at a key: the checks of a rule's option schemas (a reference that leaves `home`, a pattern RE2
    cannot run, not JSON Schema), its references resolved in the plan format it is placed in, and the
    fast validator's own reading of its patterns. Found when the configuration or rule loads, not
    when the first plan is checked."""
    for part, fields in declared.items():
        for name, field_schema in fields.items():
            alone = {part: {name: field_schema}}
            root = extended_schema(alone)
            problem = schema_problem(field_schema, kind="a plan field's schema", home=home, root=root)
            if problem is None:
                problem = _fast_problem(root, part, name)
            if problem is not None:
                where, message, at_key = problem
                return ("plan-fields", part, name, *where), f"the field {name} ({part}): {message}", at_key
    return None


def _fast_problem(root: dict[str, Any], part: str, name: str) -> tuple[Path, str, bool] | None:
    """A pattern RE2 reads that the fast validator does not (`\\C`, `a{,3}`), at its place in the field."""
    try:
        fast_validator(root)
    except Exception as exc:  # noqa: BLE001 - jsonschema_rs reports an unusable schema as a ValidationError
        inside = ("properties", name) if PARTS[part] is None else ("$defs", PARTS[part], "properties", name)
        found = tuple(getattr(exc, "instance_path", ()) or ())
        where = found[len(inside):] if found[:len(inside)] == inside else ()
        reason = str(getattr(exc, "message", exc)).splitlines()[0]
        return where, (f"planlint's schema validator cannot use this: {reason}. A pattern must be one that both "
                       "RE2 and Rust's regex read (no back-references or look-arounds, and no \\C, \\Q...\\E "
                       "or {,n})."), where[-2:-1] == ("patternProperties",)
    return None
