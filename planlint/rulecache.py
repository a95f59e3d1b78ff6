"""A cache of parsed rule files (and of the built-in framework files, read and checked), keyed by their
content, so start-up skips parsing and validating unchanged files.

The cache lives in $PLANLINT_CACHE_DIR, else the platform's cache folder for planlint (on Linux
$XDG_CACHE_HOME/planlint or ~/.cache/planlint); PLANLINT_NO_CACHE=1 turns it off. A cache that cannot be
read or written is simply not used.

An entry is JSON data, never code: a shared or restored cache folder can at worst hold an entry that
does not validate, and such an entry is rebuilt from the rule files. Only the node types of the rule
language's syntax tree are made from it, by name from an explicit table.
"""

from __future__ import annotations

import dataclasses
import functools
import datetime
import hashlib
import json
import os
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from planlint import __version__
from planlint.lang import ast
from planlint.resources import schema_path

T = TypeVar("T")
_GRAMMAR = Path(__file__).parent / "lang" / "grammar.lark"
RULE_SCHEMA = "rule.schema.json"
FORMAT = 2  # bumped whenever the shape of an entry changes
_MAX_ENTRY_BYTES = 50_000_000  # far above the shipped rules' few hundred KB


def cache_dir() -> Path | None:
    if os.environ.get("PLANLINT_NO_CACHE"):
        return None
    if os.environ.get("PLANLINT_CACHE_DIR"):
        return Path(os.environ["PLANLINT_CACHE_DIR"])
    from platformdirs import user_cache_dir  # here: only a run that uses the cache needs it

    return Path(user_cache_dir("planlint", appauthor=False))


def cached(files: Sequence[Path], read: Callable[[Path], Any], build: Callable[[Any], T], *, kind: type,
           name: str = "rules", depends: Sequence[Path] | None = None) -> list[T]:
    """`[build(read(f)) for f in files]`, reading from the cache when every file's content is unchanged.

    `kind` is the type `read` returns (a dataclass with the file's `data`); `name` names the entries, and
    `depends` are the files besides `files` that decide what `read` returns (for rules: the grammar and
    the rule schema). An entry that does not decode, or whose values `build` fails on, is rebuilt from the files."""
    folder = cache_dir()
    if folder is None:
        return [build(read(f)) for f in files]
    try:
        # The file format (its schema) is part of the key: an entry read under an older format is not reused.
        digest = hashlib.sha256(__version__.encode())
        for file in (_GRAMMAR, schema_path(RULE_SCHEMA)) if depends is None else depends:
            digest.update(file.read_bytes())
        for file in files:
            digest.update(str(file.resolve()).encode() + b"\0" + file.read_bytes() + b"\0")
    except (OSError, RuntimeError):  # a file that cannot be read (a broken or looping link, a folder)
        return [build(read(f)) for f in files]  # read() says which and why, as it does with the cache off
    key = digest.hexdigest()[:32]
    entry = folder / f"{name}-{key}.json"
    values = _load(entry, key, kind)
    if values is not None and len(values) == len(files):
        try:
            return [build(value) for value in values]
        except Exception:  # noqa: BLE001 - an entry that validates but cannot be built is rebuilt too
            pass
    values = [read(f) for f in files]
    built = [build(value) for value in values]  # a rule that does not build is never stored
    _store(entry, key, values, name)
    return built


def _load(entry: Path, key: str, kind: type) -> list[Any] | None:
    """The entry's values, or None when it is missing or does not validate in every part."""
    from planlint.input_guards import read_regular

    raw = read_regular(entry, _MAX_ENTRY_BYTES)
    if not isinstance(raw, bytes):
        return None
    try:
        envelope = json.loads(raw)
        payload = envelope["payload"]
        if (envelope.get("format"), envelope.get("planlint"), envelope.get("key")) != (FORMAT, __version__, key):
            return None
        if not isinstance(payload, str) or envelope.get("sha256") != _checksum(payload):
            return None
        values = _decode(json.loads(payload), _node_types(kind))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return values if isinstance(values, list) and all(_is_source(v, kind) for v in values) else None


def _store(entry: Path, key: str, values: list[Any], name: str) -> None:
    try:
        payload = json.dumps(_encode(values, _node_types(type(values[0])) if values else {}), ensure_ascii=False)
        data = json.dumps({"format": FORMAT, "planlint": __version__, "key": key, "sha256": _checksum(payload),
                           "payload": payload}, ensure_ascii=False).encode("utf-8")
    except (ValueError, TypeError, RecursionError):  # a value the format does not hold: run without the cache
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        old = sorted(entry.parent.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_KEEP - 1:]:
            stale.unlink(missing_ok=True)
        import tempfile  # only a run that writes an entry needs it (it imports random and more)

        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False, suffix=".tmp") as handle:
            handle.write(data)
        os.replace(handle.name, entry)
    except OSError:
        pass


_KEEP = 32  # entries of a name: one per rule folder and version of its files; older ones are removed


def _checksum(payload: str) -> str:
    """The payload is kept as JSON text inside the entry, so that it is checked as written, without
    being written out again."""
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


# Every type an entry may hold, by name; nothing else is ever made from an entry.
@functools.lru_cache(maxsize=None)
def _node_types(kind: type) -> dict[str, type]:
    types = {cls.__name__: cls for cls in vars(ast).values()
             if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == ast.__name__}
    return {**types, kind.__name__: kind}


def _encode(value: Any, types: dict[str, type]) -> Any:
    """JSON for a value: scalars as they are, anything else as a one-key object naming its kind."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return {"list" if isinstance(value, list) else "tuple": [_encode(item, types) for item in value]}
    if isinstance(value, dict):
        if _is_json(value):  # a rule file's own data: kept as it is, and read back as it is
            return {"json": value}
        return {"map": [[_encode(k, types), _encode(v, types)] for k, v in value.items()]}
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if dataclasses.is_dataclass(value) and types.get(type(value).__name__) is type(value):
        return {"node": [type(value).__name__, {f.name: _encode(getattr(value, f.name), types)
                                                for f in dataclasses.fields(value)}]}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: Any, types: dict[str, type]) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("not an encoded value")
    (kind, body), = value.items()
    if kind in ("list", "tuple"):
        items = [_decode(item, types) for item in body]
        return items if kind == "list" else tuple(items)
    if kind == "json":
        if not isinstance(body, dict):
            raise ValueError("not an encoded value")
        return body
    if kind == "map":
        return {_hashable(_decode(k, types)): _decode(v, types) for k, v in body}
    if kind == "date":
        return datetime.date.fromisoformat(body)
    if kind == "datetime":
        return datetime.datetime.fromisoformat(body)
    if kind == "node":
        name, fields = body
        return types[name](**{str(k): _decode(v, types) for k, v in fields.items()})
    raise ValueError(f"unknown kind {kind!r}")


def _is_json(value: Any) -> bool:
    """Whether JSON gives `value` back as it is: text keys; no tuple, date or node within."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return not isinstance(value, float) or value == value and abs(value) != float("inf")
    if type(value) is list:
        return all(_is_json(item) for item in value)
    if type(value) is dict:
        return all(type(key) is str and _is_json(item) for key, item in value.items())
    return False


def _hashable(key: Any) -> Any:
    hash(key)  # a list as a key: TypeError, so the entry is rebuilt
    return key


def _is_source(value: Any, kind: type) -> bool:
    """A file's entry of the expected shape (anything else in it fails when it is built)."""
    return isinstance(value, kind) and isinstance(value.data, dict) and isinstance(getattr(value, "trees", {}), dict)
