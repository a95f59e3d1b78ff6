"""A finding's identity across edits: its YAML path with list items named by their `id`.

`measures[2].target` changes when a measure is inserted above it; `measures[id=grad-rate].target`
does not. SARIF fingerprints (GitHub keeps an alert open while its fingerprint holds) and baseline
entries use this form; an item without an id, or with an id its list repeats, keeps its index.
"""

from __future__ import annotations

from typing import Any

from planlint.findings import Path


def anchored_path(path: Path, data: Any) -> str:
    """`("measures", 2, "target")` -> `measures[id=grad-rate].target` when measure 2 has that id."""
    out: list[str] = []
    node = data
    for part in path:
        if isinstance(part, int):
            out.append(_item(node, part))
        else:
            out.append(f".{part}" if out else str(part))
        node = _child(node, part)
    return "".join(out)


def _item(items: Any, index: int) -> str:
    ident = _id_of(items[index]) if isinstance(items, list) and 0 <= index < len(items) else None
    if ident is None or sum(1 for other in items if _id_of(other) == ident) > 1:
        return f"[{index}]"
    return f"[id={ident}]"


def _id_of(item: Any) -> str | None:
    ident = item.get("id") if isinstance(item, dict) else None
    return ident if isinstance(ident, str) and ident else None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None
