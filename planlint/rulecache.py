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
import datetime
import json
import os
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from planlint import __version__
from planlint.digests import sha256
from planlint.lang import ast
from planlint.resources import schema_path, user_cache_dir

T = TypeVar("T")
_GRAMMAR = Path(__file__).parent / "lang" / "grammar.lark"
RULE_SCHEMA = "rule.schema.json"
FORMAT = 3  # bumped whenever the shape of an entry changes
_MAX_ENTRY_BYTES = 50_000_000  # far above the shipped rules' few hundred KB


def cache_dir() -> Path | None:
    if os.environ.get("PLANLINT_NO_CACHE"):
        return None
    if os.environ.get("PLANLINT_CACHE_DIR"):
        return Path(os.environ["PLANLINT_CACHE_DIR"])
    return user_cache_dir()


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
        digest = sha256(__version__.encode())
        for file in (_GRAMMAR, schema_path(RULE_SCHEMA)) if depends is None else depends:
            digest.update(file.read_bytes())
        folders: dict[Path, str] = {}
        for file in files:
            digest.update(_resolved(file, folders).encode() + b"\0" + file.read_bytes() + b"\0")
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


def _resolved(file: Path, folders: dict[Path, str]) -> str:
    """`str(file.resolve())`, each folder resolved once: a file that is no link resolves to its name in
    its folder resolved."""
    if file.is_symlink():
        return str(file.resolve())
    folder = folders.get(file.parent)
    if folder is None:
        folder = folders[file.parent] = str(file.parent.resolve())
    return os.path.join(folder, file.name)


def _load(entry: Path, key: str, kind: type) -> list[Any] | None:
    """The entry's values, or None when it is missing or does not validate in every part."""
    from planlint.input_guards import read_regular

    raw = read_regular(entry, _MAX_ENTRY_BYTES)
    if not isinstance(raw, bytes):
        return None
    header, _, payload = raw.partition(b"\n")
    try:
        envelope = json.loads(header)
        if (envelope.get("format"), envelope.get("planlint"), envelope.get("key")) != (FORMAT, __version__, key):
            return None
        if envelope.get("sha256") != _checksum(payload):
            return None
        values = _decoder(kind)(json.loads(payload))
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None
    return values if isinstance(values, list) and all(_is_source(v, kind) for v in values) else None


def _store(entry: Path, key: str, values: list[Any], name: str) -> None:
    try:
        payload = json.dumps(_encode(values), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        header = json.dumps({"format": FORMAT, "planlint": __version__, "key": key, "sha256": _checksum(payload)})
    except (ValueError, TypeError, RecursionError):  # a value the format does not hold: run without the cache
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        old = sorted(entry.parent.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_KEEP - 1:]:
            stale.unlink(missing_ok=True)
        import tempfile  # only a run that writes an entry needs it (it imports random and more)

        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False, suffix=".tmp") as handle:
            handle.write(header.encode() + b"\n" + payload)
        os.replace(handle.name, entry)
    except OSError:
        pass


_KEEP = 32  # entries of a name: one per rule folder and version of its files; older ones are removed


def _checksum(payload: bytes) -> str:
    """The payload follows a one-line header in the entry, so that it is checked as written, without
    being written out again."""
    return sha256(payload).hexdigest()


# An entry's payload is JSON, each value as follows (a rule file's own data, JSON already, as it is):
#   a scalar                                   itself
#   an object                                  a mapping of JSON data, as it is
#   ["list", item, ...] / ["tuple", item, ...] a list / a tuple
#   ["map", key, value, key, value, ...]       any other mapping (keys that are tuples, say)
#   ["date", "2026-01-31"] / ["datetime", ...] a date / a time
#   ["file", field, ...]                       the value read from one file (`kind`), its fields in order
#   ["Binary", line, column, field, ...]       a node of the syntax tree, its fields in the order its
#                                              class takes them (ast.TYPES names every kind of node)
#   ["Template", parts, text]                  a message template
# Nothing but these types is ever made from an entry.


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return ["list" if isinstance(value, list) else "tuple", *(_encode(item) for item in value)]
    if isinstance(value, dict):
        if _is_json(value):  # a rule file's own data: kept as it is, and read back as it is
            return value
        return ["map", *(_encode(part) for pair in value.items() for part in pair)]
    if isinstance(value, datetime.datetime):
        return ["datetime", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["date", value.isoformat()]
    cls = type(value)
    if ast.TYPES.get(cls.__name__) is cls:
        where = [value.line, value.column] if isinstance(value, ast.Node) else []
        return [cls.__name__, *where, *(_encode(getattr(value, name)) for name in cls.FIELDS)]
    if dataclasses.is_dataclass(value):
        return ["file", *(_encode(getattr(value, f.name)) for f in dataclasses.fields(value))]
    raise TypeError(f"cannot cache a {cls.__name__}")


def _decoder(kind: type) -> Callable[[Any], Any]:
    """The decoding of a payload whose files' values are of type `kind`."""
    nodes = {name: cls for name, cls in ast.TYPES.items() if cls is not ast.Template}
    plain = (str, int, float, bool, dict, type(None))  # an object is a rule file's data, kept as it is

    def decode(value: Any) -> Any:
        if type(value) is not list:
            if type(value) in plain:
                return value
            raise ValueError("not an encoded value")
        tag = value[0]
        node = nodes.get(tag)
        if node is not None:
            return node(*[decode(field) for field in value[3:]], line=value[1], column=value[2])
        if tag == "tuple":
            return tuple([decode(item) for item in value[1:]])
        if tag == "Template":
            _, parts, text = value
            return ast.Template(decode(parts), text)
        if tag == "list":
            return [decode(item) for item in value[1:]]
        if tag == "map":
            items = value[1:]
            if len(items) % 2:
                raise ValueError("not an encoded mapping")
            return {_hashable(decode(k)): decode(v) for k, v in zip(items[::2], items[1::2])}
        if tag == "date":
            return datetime.date.fromisoformat(value[1])
        if tag == "datetime":
            return datetime.datetime.fromisoformat(value[1])
        if tag == "file":
            return kind(*[decode(field) for field in value[1:]])
        raise ValueError(f"unknown kind {tag!r}")

    return decode


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
