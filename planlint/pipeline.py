"""The pipeline for one file and for many: read -> load -> schema -> content checks -> findings."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Callable, Iterable, Sequence

from planlint.core import core_finding
from planlint.findings import FILE_START, FileResult, Finding, Results, sort_findings, sort_results
from planlint.loader import Document, LoadLimits, load_bytes
from planlint.schema import validate_plan

STDIN = "-"
PLAN_SUFFIXES = (".yaml", ".yml")

# Checks that need the whole loaded plan: (document, file) -> findings.
ContentCheck = Callable[[Document, str], list[Finding]]


@dataclass(frozen=True)
class Target:
    """A file to check: the name findings show, and where its bytes come from."""

    name: str
    path: FsPath | None  # None: standard input


@dataclass(frozen=True)
class Settings:
    limits: LoadLimits = LoadLimits()
    checks: tuple[ContentCheck, ...] = field(default=())


def discover(paths: Sequence[str], *, stdin_name: str = "<stdin>") -> tuple[list[Target], list[FileResult]]:
    """Expand files and folders into targets; a path that does not exist becomes a finding."""
    targets: dict[str, Target] = {}
    missing: list[FileResult] = []
    for raw in paths:
        if raw == STDIN:
            targets.setdefault(STDIN, Target(stdin_name, None))
            continue
        path = FsPath(raw)
        if path.is_dir():
            for found in _walk(path):
                targets.setdefault(str(found.resolve()), Target(str(found), found))
        elif path.exists():
            targets.setdefault(str(path.resolve()), Target(raw, path))
        else:
            finding = core_finding("PL001", raw, "No such file or folder.", FILE_START)
            missing.append(FileResult(raw, (finding,)))
    return sorted(targets.values(), key=lambda t: t.name), missing


def _walk(folder: FsPath) -> Iterable[FsPath]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(PLAN_SUFFIXES) and not name.startswith("."):
                yield FsPath(root) / name


def read_target(target: Target, stdin: Any = None) -> bytes | Finding:
    try:
        if target.path is None:
            return stdin.read() if stdin is not None else b""
        return target.path.read_bytes()
    except OSError as exc:
        return core_finding("PL001", target.name, f"planlint cannot read this file: {exc.strerror or exc}.",
                            FILE_START)


def check_bytes(raw: bytes, name: str, settings: Settings) -> FileResult:
    loaded = load_bytes(raw, name, settings.limits)
    findings = list(loaded.findings)
    if loaded.document is not None:
        findings.extend(validate_plan(loaded.document, name))
        for check in settings.checks:
            findings.extend(check(loaded.document, name))
    return FileResult(name, sort_findings(_one_per_problem(findings)), source=loaded.text)


def _one_per_problem(findings: list[Finding]) -> list[Finding]:
    """A value the schema rejects (`"56%"` where a number belongs) needs no second, milder finding."""
    rejected = {f.path for f in findings if f.code == "PL003"}
    return [f for f in findings if not (f.code == "PL007" and f.path in rejected)]


def check_target(target: Target, settings: Settings, stdin: Any = None) -> FileResult:
    raw = read_target(target, stdin)
    if isinstance(raw, Finding):
        return FileResult(target.name, (raw,))
    return check_bytes(raw, target.name, settings)


def check_paths(paths: Sequence[str], settings: Settings, *, stdin: Any = None,
                stdin_name: str = "<stdin>") -> Results:
    targets, missing = discover(paths, stdin_name=stdin_name)
    results = [check_target(t, settings, stdin) for t in targets]
    return sort_results(results + missing)
