"""Content checks that stay in Python because they are about the file's structure."""

from __future__ import annotations

from typing import Any, Iterator

from planlint.core import core_finding
from planlint.findings import Finding, Path, format_path
from planlint.loader import Document

# Kinds of things with ids, and where they sit in a plan.
ID_KINDS: dict[str, tuple[str, ...]] = {
    "aspiration": ("aspirations",),
    "measure": ("measures",),
    "strategy": ("strategies",),
    "implementation benchmark": ("strategies", "implementation_benchmarks"),
    "interim measure": ("strategies", "interim_measures"),
    "action step": ("strategies", "action_steps"),
}


def duplicate_ids(document: Document, file: str) -> list[Finding]:
    """PL005: ids are unique within their kind."""
    findings = []
    for kind, route in ID_KINDS.items():
        first_seen: dict[str, Path] = {}
        for path, item in _items(document.data, route, ()):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in first_seen:
                earlier = first_seen[ident]
                line = document.locate(earlier + ("id",)).line
                message = (f"The {kind} id \"{ident}\" is used twice: {format_path(earlier)} (line {line}) and "
                           f"{format_path(path)}. Give each {kind} its own id.")
                findings.append(core_finding("PL005", file, message, document.locate(path + ("id",)),
                                             path + ("id",)))
            else:
                first_seen[ident] = path
    return findings


def _items(node: Any, route: tuple[str, ...], path: Path) -> Iterator[tuple[Path, Any]]:
    if not route or not isinstance(node, dict):
        return
    items = node.get(route[0])
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        here = path + (route[0], index)
        if len(route) == 1:
            yield here, item
        else:
            yield from _items(item, route[1:], here)


CONTENT_CHECKS = (duplicate_ids,)
