"""Plans with one value replaced: shared by the tests that feed planlint odd values."""

from __future__ import annotations

import copy
from typing import Any, Iterator


def node_paths(value: Any, path: tuple = (), *, leaves_only: bool = False) -> Iterator[tuple]:
    """The path of every node of `value` (or of every leaf), parents before children."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else None
    if items is None or not leaves_only:
        yield path
    for key, item in items or ():
        yield from node_paths(item, path + (key,), leaves_only=leaves_only)


def replaced(data: Any, path: tuple, value: Any) -> Any:
    """A copy of `data` with the node at `path` replaced by `value` (the whole of it for `()`)."""
    if not path:
        return value
    changed = copy.deepcopy(data)
    parent = changed
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return changed
