"""A cache of each plan's results, so that checking an unchanged batch again takes a fraction of the time.

An entry is keyed on everything a result depends on: the file's bytes and name, the rules and their
options, the configuration's effect (severities, ignores, limits), the frameworks, the state data,
the rubric, and planlint itself (its version and its code). Entries are JSON, data that cannot run
code, each with a format number and a checksum; an entry that cannot be read or does not match is
rebuilt. The cache lives in the user's cache folder (PLANLINT_CACHE_DIR to choose another,
PLANLINT_NO_CACHE=1 or `--no-cache` to turn it off), never inside a folder being checked.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import time
from pathlib import Path
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from planlint import __version__
from planlint.digests import sha256
from planlint.findings import FileResult, Finding, Severity, Span
from planlint.resources import user_cache_dir
from planlint.scorecard import PlanInfo, Verdict

if TYPE_CHECKING:
    from planlint.config import Profile

ENTRY_FORMAT = 3  # raised whenever what an entry holds changes
_PACKAGE = Path(__file__).resolve().parent


def cache_folder(checked: Sequence[str]) -> Path | None:
    """Where results are cached for a run over `checked`; None when turned off, or when the folder would lie
    inside one being checked (a cache must not become part of what it describes)."""
    if os.environ.get("PLANLINT_NO_CACHE"):
        return None
    if os.environ.get("PLANLINT_CACHE_DIR"):
        folder = Path(os.environ["PLANLINT_CACHE_DIR"])
    else:
        folder = user_cache_dir()
    folder = folder.absolute() / "results"
    for path in checked:
        try:
            inside = Path(path).is_dir() and folder.resolve().is_relative_to(Path(path).resolve())
        except (OSError, RuntimeError, ValueError):
            inside = False
        if inside:
            return None
    return folder


class ResultCache:
    """Results by key, as JSON files under one folder; a cache that cannot be written is simply not used."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fingerprints: dict[int, str] = {}

    def key(self, profile: Profile, name: str, path: Path, raw: bytes) -> str:
        fingerprint = self._fingerprints.get(id(profile))
        if fingerprint is None:
            fingerprint = self._fingerprints[id(profile)] = profile_fingerprint(profile)
        digest = sha256(fingerprint.encode())
        for part in (name.encode("utf-8", "surrogatepass"), str(_resolved(path)).encode("utf-8", "surrogatepass"), raw):
            digest.update(len(part).to_bytes(8, "big") + part)
        return digest.hexdigest()

    def get(self, key: str) -> FileResult | None:
        try:
            entry = json.loads(self._entry(key).read_bytes())
            payload = entry["result"]
            if entry["format"] != ENTRY_FORMAT or entry["key"] != key or entry["checksum"] != _checksum(payload):
                return None
            return result_from_dict(payload)
        except Exception:  # noqa: BLE001 - a missing, stale or damaged entry is rebuilt
            return None

    def put(self, key: str, result: FileResult) -> None:
        if result.plan is not None and any(_names_file(f) for f in result.plan.frameworks):
            return  # the result also depends on a framework file the plan names, which the key does not cover
        payload = result_to_dict(result)
        entry = {"format": ENTRY_FORMAT, "key": key, "checksum": _checksum(payload), "result": payload}
        target = self._entry(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written under a name of its own, then moved into place: no reader sees half an entry.
            temporary = target.with_name(f"{target.name}.{os.urandom(8).hex()}.tmp")
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            with open(os.open(temporary, flags, 0o600), "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, target)
        except (OSError, ValueError):  # a full disk, a read-only folder, text JSON cannot hold
            pass

    def _entry(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"


def _names_file(framework: str) -> bool:
    return framework.endswith((".yaml", ".yml")) or "/" in framework or "\\" in framework


def _checksum(payload: Any) -> str:
    return sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """planlint's version and its own code and data files: a changed planlint never reads an old result.

    A file counts by its name and what the file system keeps of it, as git's index and Python's own
    bytecode check do: its size, its modification and change times and its inode. Writing a file sets
    its times to the moment of writing, so an edit made after a run looked at the file changes them,
    unless it falls within the same tick of the file system's clock (as coarse as 2 s on some) as the
    write before it: a file modified within the last few seconds counts by its content as well.
    Reading every file's content instead costs a quick check several times as much."""
    digest = sha256(__version__.encode())
    recent = time.time_ns() - _CLOCK_TICK_NS
    for name, status in _code_files():
        digest.update(f"{name}\0{status.st_size}\0{status.st_mtime_ns}\0{status.st_ctime_ns}\0{status.st_ino}"
                      "\0".encode("utf-8", "surrogatepass"))
        if status.st_mtime_ns >= recent:
            digest.update(b"content\0" + (_PACKAGE / name).read_bytes() + b"\0")
    return digest.hexdigest()


_CLOCK_TICK_NS = 3_000_000_000  # longer than the coarsest file time kept (FAT's 2 s)
_CODE_SUFFIXES = (".py", ".lark", ".json", ".yaml")


def _code_files() -> list[tuple[str, os.stat_result]]:
    """Every code and data file of the package (its compiled bytecode aside), by path within it, sorted."""
    found = []
    folders = [""]
    while folders:
        folder = folders.pop()
        with os.scandir(_PACKAGE / folder) as entries:
            for entry in entries:
                name = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        folders.append(name)
                elif entry.name.endswith(_CODE_SUFFIXES) and entry.is_file():
                    found.append((name, entry.stat()))
    return sorted(found, key=lambda item: item[0])


def profile_fingerprint(profile: Profile) -> str:
    """Everything of a configuration that changes a plan's result, as a digest."""
    facts = profile.engine.facts
    frameworks, state_data = facts.frameworks, facts.state_data
    files = [active.rule.file for active in profile.engine.rules]
    files += [framework.file for framework in frameworks] if frameworks is not None else []
    files += [state_data.file] if state_data is not None and state_data.file else []
    files += [profile.rubric.file] if profile.rubric is not None else []
    settings = {
        "rules": [[a.rule.code, a.severity.label, _plain(a.options)] for a in profile.engine.rules],
        "severities": sorted((code, s.label) for code, s in profile.severities.items()),
        "ignored": sorted(profile.ignored),
        "per_file_ignores": [[pattern, sorted(codes)] for pattern, codes in profile.per_file_ignores],
        "fail_on": profile.fail_on.label if profile.fail_on else None,
        "limits": repr(profile.limits), "folder": str(_resolved(profile.folder)), "as_of": str(facts.as_of),
        "plan_schema": getattr(profile, "plan_schema", ""),  # the plan format, extended by `plan-fields`
    }
    digest = sha256(code_fingerprint().encode() + json.dumps(settings, sort_keys=True).encode())
    for file in files:
        digest.update(str(file).encode() + b"\0" + _bytes(Path(file)) + b"\0")
    return digest.hexdigest()


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"\0unreadable"


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, sort_keys=True, default=str))


def result_to_dict(result: FileResult) -> dict[str, Any]:
    return {
        "file": result.file,
        "findings": [_finding_to_dict(f) for f in result.findings],
        "suppressed": result.suppressed, "baselined": result.baselined,
        "fail_on": result.fail_on.label if result.fail_on else None,
        "source": result.source,
        "plan": result.plan.to_dict() if result.plan else None,
        "verdicts": [v.to_dict() for v in result.verdicts],
    }


def result_from_dict(data: Mapping[str, Any]) -> FileResult:
    return FileResult(
        data["file"], tuple(_finding_from_dict(f) for f in data["findings"]), suppressed=data["suppressed"],
        baselined=data["baselined"], fail_on=Severity.parse(data["fail_on"]) if data["fail_on"] else None,
        source=data["source"], plan=PlanInfo.from_dict(data["plan"]) if data["plan"] else None,
        verdicts=tuple(Verdict.from_dict(v) for v in data["verdicts"]))


def _finding_to_dict(finding: Finding) -> dict[str, Any]:
    """Every field of a finding, so that a result read back is the result checked (a field added to Finding
    travels without a change here; planlint's code is in every key, so old entries are not read)."""
    data = {f.name: getattr(finding, f.name) for f in dataclasses.fields(finding)}
    span = finding.span
    return {**data, "severity": finding.severity.label, "path": list(finding.path),
            "span": [span.line, span.column, span.end_line, span.end_column]}


def _finding_from_dict(data: Mapping[str, Any]) -> Finding:
    return Finding(**{**data, "severity": Severity.parse(data["severity"]), "span": Span(*data["span"]),
                      "path": tuple(_path_parts(data["path"]))})


def _path_parts(parts: Iterable[Any]) -> Iterable[str | int]:
    for part in parts:
        if not isinstance(part, (str, int)) or isinstance(part, bool):
            raise ValueError("a path part is a key or an index")
        yield part
