"""Baselines: record today's findings, then report only new ones.

A state switching on a new rule records every district's current findings once; later runs fail
only on findings that are not in the record. Findings are keyed by file, rule and path (not by
line), so editing other parts of a plan does not revive them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from planlint import __version__
from planlint.errors import ConfigError
from planlint.findings import Finding, Results, format_path

FORMAT_VERSION = 1
Key = tuple[str, str, str]


def key(finding: Finding) -> Key:
    return (Path(finding.file).as_posix(), finding.code, format_path(finding.path))


def render(results: Results) -> str:
    entries = [{"file": k[0], "code": k[1], "path": k[2], "message": f.message}
               for f in results.findings for k in [key(f)]]
    document = {"version": FORMAT_VERSION, "tool": {"name": "planlint", "version": __version__},
                "findings": sorted(entries, key=lambda e: (e["file"], e["code"], e["path"], e["message"]))}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load(path: Path) -> Counter[Key]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        entries = document["findings"]
        if document.get("version") != FORMAT_VERSION or not isinstance(entries, list):
            raise ValueError("not a planlint baseline of version 1")
        return Counter((e["file"], e["code"], e["path"]) for e in entries)
    except OSError as exc:
        raise ConfigError(f"cannot read this baseline: {exc.strerror or exc}", str(path)) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"this is not a planlint baseline ({exc}); make one with `planlint baseline PATHS > "
                          f"{path.name}`.", str(path)) from None


def apply(results: Results, known: Counter[Key]) -> Results:
    """Drop findings the baseline records (each entry covers one finding); count them per file."""
    remaining = Counter(known)
    files = []
    for result in results.files:
        kept = []
        for finding in result.findings:
            k = key(finding)
            if remaining[k] > 0:
                remaining[k] -= 1
            else:
                kept.append(finding)
        files.append(replace(result, findings=tuple(kept), baselined=len(result.findings) - len(kept)))
    return Results(tuple(files))
