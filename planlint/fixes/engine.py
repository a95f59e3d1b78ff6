"""Fix one plan's text: judge it, mend what has one right answer, judge again, until nothing changes.

A plan that does not load cleanly (PL001) or repeats a key (PL002) is never changed: which of two
`target:` lines is meant is not a machine's call. A suppressed finding is not reported by the
check, so it is not fixed either.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from planlint.findings import Finding, Path
from planlint.fixes.base import Fix, FixContext, Fixer, shared_nodes
from planlint.fixes.edits import Source, TextEdit, apply_edits, keep_comment_column, moved
from planlint.loader import Document, load_text
from planlint.pipeline import check_bytes
from planlint.prepare import read_school_years

if TYPE_CHECKING:
    from pathlib import Path as FsPath

    from planlint.config import Profile

BLOCKING = frozenset({"PL001", "PL002"})
_MAX_ROUNDS = 10  # each round fixes what the one before made judgeable; a plan needs two or three


class FixError(Exception):
    """A fix that did not do what it should; the plan is left as it was. Never expected: a last guard."""


@dataclass(frozen=True)
class Applied:
    """One fix as made: the finding it mends, and where the changed text is in the fixed plan."""

    finding: Finding
    description: str
    offset: int  # in the fixed text


@dataclass(frozen=True)
class Outcome:
    """The fixed text (the same text when nothing was fixed), the fixes made, or why none was tried."""

    text: str
    applied: tuple[Applied, ...] = ()
    refused: tuple[Finding, ...] = ()  # PL001 / PL002: the plan is left alone
    source: str | None = None  # the text the refusing findings point into


def fix_text(text: str, name: str, profile: Profile, fixers: Mapping[str, Fixer], *,
             path: FsPath | None = None) -> Outcome:
    applied: list[Applied] = []
    original = text
    touched: list[Path] = []
    for _ in range(_MAX_ROUNDS):
        findings = check_bytes(text.encode("utf-8"), name, profile, path=path).findings
        blocking = tuple(f for f in findings if f.code in BLOCKING)
        if blocking:
            if text != original:  # a fix must never make a plan unreadable; keep the plan as it was
                raise FixError(f"a fix made the plan unreadable ({blocking[0].message})")
            return Outcome(text, refused=blocking, source=text)
        document = load_text(text, name, profile.limits).document
        if document is None:  # an empty file, or a list where a plan's mapping belongs: nothing to mend
            break
        done = _apart(_fixes(document, text, profile, fixers, findings))
        new_text, chosen = apply_edits(text, [edit for _, fix in done for edit in fix.edits])
        if new_text == text:
            break
        applied = [Applied(a.finding, a.description, moved(a.offset, chosen)) for a in applied]
        applied += [Applied(finding, fix.description, moved(fix.edits[0].start, chosen) + _lead(fix.edits[0]))
                    for finding, fix in done]
        touched += [changed for _, fix in done for changed in fix.changes]
        text = new_text
    _verify(original, text, name, profile, touched)
    return Outcome(text, tuple(applied))


def _fixes(document: Document, text: str, profile: Profile, fixers: Mapping[str, Fixer],
           findings: tuple[Finding, ...]) -> list[tuple[Finding, Fix]]:
    """The fixes of this round: those of the earliest stage any finding has (see Fixer.stage)."""
    ctx = FixContext(document, Source(text), profile, shared_nodes(document.root), read_school_years(document).data)
    made = []
    for finding in findings:
        fixer = fixers.get(finding.code)
        fix = fixer.fix(ctx, finding) if fixer is not None else None
        if fix is not None:
            fix = replace(fix, edits=tuple(keep_comment_column(text, edit) for edit in fix.edits))
        if fix is not None and any(text[e.start:e.end] != e.text for e in fix.edits):
            made.append((fixer.stage, finding, fix))
    stage = min((stage for stage, _, _ in made), default=0)
    return [(finding, fix) for s, finding, fix in made if s == stage]


def _apart(fixes: list[tuple[Finding, Fix]]) -> list[tuple[Finding, Fix]]:
    """The fixes whose edits touch no text another one's do, in file order; the others wait for the
    next round, where the plan is read again."""
    taken: list[tuple[int, int]] = []
    kept = []
    for finding, fix in sorted(fixes, key=lambda item: min((e.start, e.end) for e in item[1].edits)):
        spans = [(e.start, e.end) for e in fix.edits]
        if not any(_overlap(span, other) for span in spans for other in taken):
            kept.append((finding, fix))
            taken += spans
    return kept


def _overlap(one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Two edits that share text, or insert at the same place (whose order would be a guess)."""
    return one[0] < other[1] and other[0] < one[1] or one[0] == other[0]


def _lead(edit: TextEdit) -> int:
    """How far into an insertion its first entry starts, past the line break, comma and spaces before it."""
    if edit.start != edit.end:
        return 0
    return len(edit.text) - len(edit.text.lstrip(" ,\r\n\x85\u2028\u2029"))


def _verify(original: str, fixed: str, name: str, profile: Profile, touched: list[Path]) -> None:
    """The fixed plan holds what the original held, but at the places fixed: a last guard that an edit
    landed where it was meant to."""
    if fixed == original:
        return
    before = load_text(original, name, profile.limits).document
    after = load_text(fixed, name, profile.limits).document
    assert before is not None and after is not None
    if _without(before.data, touched) != _without(after.data, touched):
        raise FixError("a fix changed the plan outside the values it fixed")


def _without(data: Any, paths: list[Path]) -> Any:
    data = copy.deepcopy(data)
    for path in sorted(set(paths), key=len, reverse=True):
        container = data
        for key in path[:-1]:
            try:
                container = container[key]
            except (KeyError, IndexError, TypeError):
                break
        else:
            if path and isinstance(container, (dict, list)):
                try:
                    del container[path[-1]]
                except (KeyError, IndexError, TypeError):
                    pass
    return data
