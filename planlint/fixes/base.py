"""What a fixer is given and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import yaml

from planlint.findings import Finding, Path
from planlint.fixes.edits import Source, TextEdit
from planlint.loader import Document

if TYPE_CHECKING:
    from planlint.config import Profile


@dataclass(frozen=True)
class Fix:
    """The edits that mend one finding, what they do in words ("45% -> 45"), and the paths of the
    values they change or add."""

    edits: tuple[TextEdit, ...]
    description: str
    changes: tuple[Path, ...]


@dataclass(frozen=True)
class FixContext:
    """One round over a plan: its document as loaded, its text, and the configuration's profile."""

    document: Document
    source: Source
    profile: Profile
    shared: frozenset[int]  # nodes an alias reaches from more than one place: a fix there changes both
    data: Any  # the plan as the rules read it: a year written 2025-26 is the school year 2026

    def node(self, path: Path) -> yaml.Node | None:
        """The node at `path`, or None when it is absent, merged in with `<<`, or shared by an alias."""
        node = self.document.node_at(path)
        return None if node is None or id(node) in self.shared else node

    def options(self, code: str) -> Mapping[str, Any]:
        """The options a rule runs with under this configuration."""
        for active in self.profile.engine.rules:
            if active.rule.code == code:
                return active.options
        return self.profile.rules.by_code[code].option_values()


@dataclass(frozen=True)
class Fixer:
    """How one code's findings are fixed. Fixes of stage 0 change values the rules read (a `45%`
    that becomes 45), so they are applied, and the plan judged again, before fixes of stage 1 that
    are computed from those values (a projection from the history)."""

    summary: str
    stage: int
    fix: Callable[[FixContext, Finding], Fix | None]


def shared_nodes(root: yaml.Node) -> frozenset[int]:
    """Every node reached by more than one path (through an alias), with all that it contains."""
    seen: set[int] = set()
    shared: set[int] = set()

    def walk(node: yaml.Node) -> None:
        if id(node) in seen:
            mark(node)
            return
        seen.add(id(node))
        for child in _children(node):
            walk(child)

    def mark(node: yaml.Node) -> None:
        if id(node) not in shared:
            shared.add(id(node))
            for child in _children(node):
                mark(child)

    walk(root)
    return frozenset(shared)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []
