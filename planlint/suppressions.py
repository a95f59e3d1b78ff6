"""Suppression comments in plans.

    target: 52  # planlint: disable=TGT006 -- the board set this target
    # planlint: disable=IB002 -- (alone on a line: the node on the next line, with its children)
    # planlint: disable-file=MKR006 -- (the whole file)

A suppression without a reason after `--` is PL008; one that suppresses nothing is PL009.
"""

from __future__ import annotations

import re

import yaml

from planlint.core_codes import ALWAYS, CORE_CODES, core_finding
from planlint.findings import Finding, Span
from planlint.frozen import frozen
from planlint.loader import Document

_COMMENT = re.compile(
    r"#\s*planlint:\s*(?P<kind>disable-file|disable)\s*=\s*(?P<codes>[A-Za-z0-9_,\- ]*?)"
    r"\s*(?:--\s*(?P<reason>.*?))?\s*$")
_ANY_COMMENT = re.compile(r"#\s*planlint:\s*disable")  # in a file without it no line has a _COMMENT
_UNSUPPRESSIBLE = ALWAYS | {"PL008", "PL009"}


@frozen
class Suppression:
    codes: tuple[str, ...]
    first_line: int
    last_line: int
    span: Span  # of the comment
    reason: str


def find_suppressions(document: Document) -> list[Suppression]:
    if not _ANY_COMMENT.search(document.text):  # every plan has `planlint: 1`; few have a suppression
        return []
    lines = document.text.splitlines()
    quoted: list[Span] | None = None
    found = []
    for number, line in enumerate(lines, start=1):
        match = _COMMENT.search(line)
        if not match or not _after_space(line, match.start()):
            continue
        quoted = _quoted_scalars(document.root) if quoted is None else quoted
        if _inside(quoted, number, match.start() + 1):
            continue
        codes = tuple(c.strip() for c in match.group("codes").split(",") if c.strip())
        span = Span(number, match.start() + 1, number, len(line.rstrip()) + 1)
        first, last = _scope(document, lines, number, match.start(), match.group("kind"))
        found.append(Suppression(codes, first, last, span, (match.group("reason") or "").strip()))
    return found


def _quoted_scalars(root: yaml.Node) -> list[Span]:
    """Where quoted and block scalars sit: a `#` inside them is text, not a comment."""
    spans, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.style:
                spans.append(Span(node.start_mark.line + 1, node.start_mark.column + 1,
                                  node.end_mark.line + 1, node.end_mark.column + 1))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        else:
            stack.extend(node.value)
    return spans


def _inside(spans: list[Span], line: int, column: int) -> bool:
    return any((s.line, s.column) <= (line, column) < (s.end_line, s.end_column) for s in spans)


def _after_space(line: str, at: int) -> bool:
    return at == 0 or line[at - 1] in " \t"


def _scope(document: Document, lines: list[str], number: int, at: int, kind: str) -> tuple[int, int]:
    if kind == "disable-file":
        return 1, len(lines)
    if lines[number - 1][:at].strip():
        return number, number
    target = next((n for n in range(number + 1, len(lines) + 1)
                   if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")), None)
    if target is None:
        return number, number
    return target, _last_line_of_nodes_starting_at(document.root, target)


def _last_line_of_nodes_starting_at(root: yaml.Node, line: int) -> int:
    """The last line of whatever begins on `line`: a key with its value, or a list item."""
    last = line
    stack = [root]
    while stack:
        node = stack.pop()
        pairs = node.value if isinstance(node, yaml.MappingNode) else []
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        for key, value in pairs:
            if key.start_mark.line + 1 == line:
                last = max(last, _end_line(value))
            stack.append(value)
        for item in items:
            if item.start_mark.line + 1 == line:
                last = max(last, _end_line(item))
            stack.append(item)
    return last


def _end_line(node: yaml.Node) -> int:
    """The last line of a node: a block collection's end mark sits where the next item begins."""
    end = node.end_mark
    if end.line > node.start_mark.line and end.column <= node.start_mark.column:
        return end.line
    return end.line + 1


def apply_suppressions(findings: list[Finding], document: Document | None, file: str) -> tuple[list[Finding], int]:
    """Drop suppressed findings; add PL008 and PL009. Returns (findings kept, number suppressed)."""
    suppressions = find_suppressions(document) if document is not None else []
    if not suppressions:
        return findings, 0
    used: set[tuple[int, str]] = set()
    kept = []
    for finding in findings:
        hit = _matching(suppressions, finding)
        if hit is None:
            kept.append(finding)
        else:
            used.add(hit)
    extra = []
    for index, suppression in enumerate(suppressions):
        if not suppression.reason:
            extra.append(core_finding("PL008", file, "Say why this suppression is here: add ` -- ` and a reason "
                                                      "after the codes.", suppression.span))
        for code in suppression.codes:
            always = next((c for c in ALWAYS if code.upper() == c or code.lower() == CORE_CODES[c].name), None)
            if always is not None:
                extra.append(core_finding("PL009", file, f"{always} ({CORE_CODES[always].name}) always runs and "
                                                          "cannot be suppressed: fix what it reports, and remove "
                                                          f"{code} from this comment.", suppression.span))
            elif (index, code) not in used:
                extra.append(core_finding("PL009", file, f"This comment suppresses {code}, but there is no "
                                                          f"{code} finding here; remove it.", suppression.span))
    return kept + extra, len(findings) - len(kept)


def _matching(suppressions: list[Suppression], finding: Finding) -> tuple[int, str] | None:
    if finding.code in _UNSUPPRESSIBLE:
        return None
    for index, suppression in enumerate(suppressions):
        if suppression.first_line <= finding.span.line <= suppression.last_line:
            for code in suppression.codes:
                if code.upper() == finding.code or code.lower() == finding.name:
                    return index, code
    return None
