"""A cache of parsed rule files, keyed by their content, so start-up skips parsing unchanged rules.

The cache lives in $PLANLINT_CACHE_DIR, else $XDG_CACHE_HOME/planlint, else ~/.cache/planlint;
PLANLINT_NO_CACHE=1 turns it off. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable, Sequence, TypeVar

from planlint import __version__
from planlint.resources import schema_path

T = TypeVar("T")
_GRAMMAR = Path(__file__).parent / "lang" / "grammar.lark"
RULE_SCHEMA = "rule.schema.json"


def cache_dir() -> Path | None:
    if os.environ.get("PLANLINT_NO_CACHE"):
        return None
    if os.environ.get("PLANLINT_CACHE_DIR"):
        return Path(os.environ["PLANLINT_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "planlint"


def cached(files: Sequence[Path], read: Callable[[Path], T]) -> list[T]:
    """`[read(f) for f in files]`, from the cache when every file's content is unchanged."""
    folder = cache_dir()
    if folder is None:
        return [read(f) for f in files]
    try:
        # The rule format (its schema) is part of the key: an entry read under an older format is not reused.
        digest = hashlib.sha256(__version__.encode() + _GRAMMAR.read_bytes() + schema_path(RULE_SCHEMA).read_bytes())
        for file in files:
            digest.update(str(file.resolve()).encode() + b"\0" + file.read_bytes() + b"\0")
    except (OSError, RuntimeError):  # a file that cannot be read (a broken or looping link, a folder)
        return [read(f) for f in files]  # read() says which and why, as it does with the cache off
    entry = folder / f"rules-{digest.hexdigest()[:32]}.pickle"
    try:
        with open(entry, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing, stale or damaged entry is rebuilt
        pass
    values = [read(f) for f in files]
    _store(entry, values)
    return values


_KEEP = 32  # entries: one per rule folder and version of its files; older ones are removed


def _store(entry: Path, values: list) -> None:
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        old = sorted(entry.parent.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[_KEEP - 1:]:
            stale.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=entry.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(values, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, entry)
    except OSError:
        pass
