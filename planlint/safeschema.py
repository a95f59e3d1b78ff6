"""JSON Schema that can neither reach outside its file nor run a pattern for long.

jsonschema matches `pattern` and `patternProperties` with Python's backtracking `re`, where
`^(a+)+$` against a few dozen characters runs for minutes, and it follows a `$ref` to a file or a
URL. Every schema planlint applies (its own, and the option schemas of rule files) is validated by
the classes here: patterns run on RE2, in linear time, and no reference is ever retrieved. A rule's
option schema is checked when the rule loads (`schema_problem`), so a bad one is an error at its place.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from planlint.findings import Path

# Keywords whose jsonschema implementation runs `re` on patterns planlint does not replace here.
_UNSUPPORTED = ("unevaluatedProperties",)
_REFERENCES = ("$ref", "$dynamicRef")
_NAMED = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")  # keys that are names


@functools.lru_cache(maxsize=512)
def compiled(pattern: str) -> Any:
    """The pattern compiled by RE2; raises re2.error when RE2 cannot run it (backreferences, lookaround)."""
    import re2

    options = re2.Options()
    options.log_errors = False
    return re2.compile(pattern, options=options)


def search(pattern: str, text: str) -> bool:
    """Whether a schema's pattern finds a match in `text`, in time linear in the text."""
    return compiled(pattern).search(text) is not None


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _pattern_properties(validator: Any, patterns: dict, instance: Any, schema: dict) -> Iterator[Any]:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in patterns.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional_properties(validator: Any, additional: Any, instance: Any, schema: dict) -> Iterator[Any]:
    from jsonschema import _keywords

    if not validator.is_type(instance, "object"):
        return
    patterns = schema.get("patternProperties", {})
    known = set(schema.get("properties", {}))
    matched = {key for key in instance if key in known or any(search(p, key) for p in patterns)}
    # jsonschema's own keyword, told which keys the patterns matched, so that it runs no pattern itself
    plain = {key: value for key, value in schema.items() if key != "patternProperties"}
    plain["properties"] = {**schema.get("properties", {}), **{key: True for key in matched}}
    for error in _keywords.additionalProperties(validator, additional, instance, plain):
        if patterns and additional is False:  # jsonschema's wording when patterns are present
            extras = sorted(set(instance) - matched)
            verb = "does" if len(extras) == 1 else "do"
            error.message = (f"{', '.join(repr(e) for e in extras)} {verb} not match any of the regexes: "
                             f"{', '.join(repr(p) for p in sorted(patterns))}")
        yield error


@functools.lru_cache(maxsize=1)
def validator_class() -> Any:
    """Draft 2020-12 with its pattern keywords on RE2."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {
        "pattern": _pattern, "patternProperties": _pattern_properties, "additionalProperties": _additional_properties,
    })


@functools.lru_cache(maxsize=1)
def offline_registry() -> Any:
    from referencing import Registry
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Any:
        raise NoSuchResource(ref=uri)

    return Registry(retrieve=refuse)


def validator(schema: dict) -> Any:
    """A validator for `schema` whose patterns run on RE2 and which retrieves no reference."""
    cls = validator_class()
    return cls(schema, format_checker=cls.FORMAT_CHECKER, registry=offline_registry())


def fast_validator(schema: dict) -> Any | None:
    """The Rust validator, on its linear-time regex engine and offline; None where it is not installed."""
    try:
        import jsonschema_rs
    except ImportError:  # pragma: no cover - a platform without its wheels falls back to jsonschema
        return None

    def refuse(uri: str) -> Any:
        raise ValueError(f"planlint retrieves no schema ({uri})")

    return jsonschema_rs.validator_for(schema, validate_formats=True, retriever=refuse,
                                       pattern_options=jsonschema_rs.RegexOptions())


def schema_problem(schema: Any, *, kind: str = "an option schema", home: str = "the rule file",
                   root: Any = None) -> tuple[Path, str, bool] | None:
    """Why a schema a rule file or configuration gives cannot be used, where in it, and whether at a key
    rather than a value: a reference that leaves `home`, a pattern RE2 cannot run, or a schema that is
    not JSON Schema. `kind` names the schema in messages; `root` is the schema it is placed in, where
    its `#/...` references point (a plan field's schema sits in the plan format's)."""
    for where, value in _walk(schema):
        key = where[-1] if where else None
        if len(where) > 1 and where[-2] in _NAMED:
            key = None  # a property's name, not a keyword
        if key in _REFERENCES and not (isinstance(value, str) and value.startswith("#")):
            own = "its own parts" if root is None else "the parts of the plan format"
            return where, (f"`{key}: {value}` points outside {home}; {kind} may refer only to {own} "
                           "(`#/$defs/...`). Write the schema out in full."), False
        if key in _REFERENCES and not _resolves(value, schema if root is None else root):
            whole = "the schema" if root is None else "the plan format's schema, where this one is placed"
            return where, f"`{key}: {value}` points at no part of {whole}.", False
        if key == "$id":
            return where, f"`$id` is not used in {kind}: it would change where its references point.", True
        if key in _UNSUPPORTED:
            return where, f"`{key}` is not supported in {kind}; use `additionalProperties`.", True
        for pattern, at in _patterns(where, value):
            problem = _pattern_problem(pattern)
            if problem:
                return at, problem, at != where  # a patternProperties key, or the value of `pattern`
    from jsonschema.exceptions import SchemaError

    try:
        validator_class().check_schema(schema)
    except SchemaError as exc:
        return tuple(exc.absolute_path), f"this is not a valid JSON Schema: {exc.message}.", False
    return _reference_problem(schema, root)


def _reference_problem(schema: Any, root: Any = None) -> tuple[Path, str, bool] | None:
    """A `#/...` reference that points at nothing, or a loop of references, found by using the schema."""
    from referencing.exceptions import Unresolvable

    used = validator(schema) if root is None else validator(root).evolve(schema=schema)
    try:
        for instance in (None, 0, "", [], {}):
            for _ in used.iter_errors(instance):
                pass
    except Unresolvable as exc:
        where = "the plan format's schema" if root is not None else "the schema"
        return (), f"a reference points at no part of {where} ({getattr(exc, 'ref', exc)}).", False
    except RecursionError:
        return (), "its references go round in a loop, so no value can be checked against it.", False
    return None


def _resolves(reference: str, root: Any) -> bool:
    """Whether a `#...` reference names a part of `root`: a JSON pointer (`#/$defs/a`) or an anchor."""
    from urllib.parse import unquote

    fragment = unquote(reference[1:])
    if fragment and not fragment.startswith("/"):
        return any(where[-1] in ("$anchor", "$dynamicAnchor") and value == fragment
                   for where, value in _walk(root) if where)
    node = root
    for token in fragment.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


def _patterns(where: Path, value: Any) -> Iterator[tuple[str, Path]]:
    key = where[-1] if where else None
    parent = where[-2] if len(where) > 1 else None
    if key == "pattern" and isinstance(value, str) and parent not in ("properties", "patternProperties"):
        yield value, where
    if key == "patternProperties" and isinstance(value, dict) and parent != "properties":
        for pattern in value:
            yield pattern, where + (pattern,)


def _pattern_problem(pattern: str) -> str | None:
    try:
        compiled(pattern)
    except Exception as exc:  # noqa: BLE001 - re2.error, or a pattern too large for RE2's memory limit
        reason = exc.args[0] if exc.args else exc
        reason = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        return (f"the pattern {pattern!r} cannot be used: planlint runs patterns with RE2, which matches in "
                f"linear time and has no backreferences or lookaround ({reason}).")
    return None


def _walk(value: Any, where: Path = ()) -> Iterator[tuple[Path, Any]]:
    stack = [(where, value)]
    while stack:
        path, current = stack.pop()
        if isinstance(current, dict):
            for key, item in reversed(list(current.items())):
                stack.append((path + (key,), item))
                yield path + (key,), item
        elif isinstance(current, list):
            for index, item in enumerate(current):
                stack.append((path + (index,), item))
