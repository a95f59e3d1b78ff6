"""Reading a plan to fix, writing it back safely, and showing the change as a unified diff."""

from __future__ import annotations

import codecs
import difflib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Any

from planlint.discovery import is_plan
from planlint.findings import Finding
from planlint.fixes import FIXERS
from planlint.fixes.engine import FixError, Outcome, fix_text
from planlint.pipeline import Profiles, Target, check_bytes, read_target

_BOM = codecs.BOM_UTF8


@dataclass(frozen=True)
class FileFix:
    """One plan: its bytes as read and as fixed, what was done, or why nothing could be."""

    target: Target
    before: bytes = b""
    after: bytes = b""
    outcome: Outcome | None = None
    unread: Finding | None = None  # the plan could not be read (not a file, too large, not UTF-8...)
    error: str | None = None  # the fix was not made or not written (see the message)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def fix_target(target: Target, profiles: Profiles, stdin: Any = None) -> FileFix:
    """The fixes one plan needs, computed in memory; nothing is written."""
    profile = profiles.for_target(target)
    raw = read_target(target, profile.limits, stdin)
    if isinstance(raw, Finding):
        return FileFix(target, unread=raw)
    if target.path is not None and not is_plan(raw):  # a workflow or mkdocs.yml in the folder: not ours to change
        return FileFix(target, raw, raw, Outcome(""))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None  # the check reports where; the fixes leave the file alone
    if text is None:
        return FileFix(target, raw, raw, Outcome("", refused=profile_findings(raw, target, profiles)))
    try:
        outcome = fix_text(text, target.name, profile, FIXERS, path=target.place)
    except FixError as exc:
        return FileFix(target, raw, raw, error=f"planlint could not fix this plan safely ({exc}); it was not "
                                               "changed. Please report it with the plan.")
    bom = _BOM if raw.startswith(_BOM) else b""
    after = raw if outcome.text == text else bom + outcome.text.encode("utf-8")
    return FileFix(target, raw, after, outcome)


def profile_findings(raw: bytes, target: Target, profiles: Profiles) -> tuple[Finding, ...]:
    return check_bytes(raw, target.name, profiles.for_target(target), path=target.place).findings


def write_fixed(fixed: FileFix) -> str | None:
    """Write a fixed plan over its file, or say why not. The new text goes to a temporary file in the
    same folder, which then takes the plan's name in one step (a crash leaves the old plan or the new
    one, never half of each); the file keeps its permissions; a link is written through; and a plan
    that changed since it was read (an editor saved it) is not overwritten."""
    assert fixed.target.path is not None
    real = FsPath(os.path.realpath(fixed.target.path))
    try:
        if real.read_bytes() != fixed.before:
            return "the file changed while planlint was fixing it, so it was not written. Run planlint fix again."
        if not os.access(real, os.W_OK) or not os.stat(real).st_mode & 0o222:  # read-only, even to root
            return "the file is read-only, so planlint did not change it."
        _replace(real, fixed.after)
    except OSError as exc:
        return f"planlint cannot write this file: {exc.strerror or exc}."
    return None


def _replace(real: FsPath, data: bytes) -> None:
    info = os.stat(real)
    handle, temporary = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".planlint", dir=real.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, info.st_mode & 0o7777)
        if hasattr(os, "chown"):
            try:
                os.chown(temporary, info.st_uid, info.st_gid)
            except OSError:  # only the owner's own group, or root, may be given; the mode is what matters
                pass
        os.replace(temporary, real)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def unified_diff(name: str, before: bytes, after: bytes) -> str:
    """The change as `diff -u` shows it, with a note where a last line has no line break."""
    old, new = _lines(before.decode("utf-8-sig")), _lines(after.decode("utf-8-sig"))
    lines = []
    for line in difflib.unified_diff(old, new, fromfile=name, tofile=name):
        if line.startswith(("---", "+++", "@@")):
            lines.append(line if line.endswith("\n") else line + "\n")
        elif _LINE_BREAK.search(line[-1:]):
            lines.append(line)
        else:
            lines.append(line + "\n\\ No newline at end of file\n")
    return "".join(lines)


_LINE_BREAK = re.compile("[\r\n\x85\u2028\u2029]")
_LINE = re.compile("[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029])|[^\r\n\x85\u2028\u2029]+$")


def _lines(text: str) -> list[str]:
    """The lines of a plan with their breaks, split where YAML splits them (CR LF is one break)."""
    return _LINE.findall(text)
