"""planlint never writes a report over a file the run reads: `check -f json -o plan.yaml plan.yaml`
would destroy the plan. The check is made before any work, and a refusal is a usage error."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import Any

from planlint.pipeline import discover


class Refused(Exception):
    """A usage error in words for the user: the command line asks for something planlint will not do."""


def plan_files(paths: Sequence[str]) -> list[tuple[str, str]]:
    """The plan files a run reads: named, and found in the folders named."""
    targets, _ = discover(paths)
    return [("a plan being checked", target.name) for target in targets if target.path is not None]


def configured_files(paths: Sequence[str], profiles: Any) -> list[tuple[str, str]]:
    """The configurations the plans fall under, and the rule, framework and data files they name."""
    targets, _ = discover(paths)
    for target in targets:
        profiles.for_target(target)
    return [(what, str(path)) for profile in profiles.built() for what, path in profile.reads]


def named_files(**named: str | None) -> list[tuple[str, str]]:
    """Other files named on the command line that the run reads (baseline, state data, configuration)."""
    return [(f"the --{option.replace('_', '-')} file", path) for option, path in named.items() if path]


def refuse_writing_over_inputs(outputs: Sequence[str | None], reads: Callable[[], list[tuple[str, str]]]) -> None:
    """Raises Refused when a report would go over a file the run reads. None in `outputs` is standard
    output, which the shell may have pointed at a plan."""
    written = [(output, _file_identity(output) if output is not None else _stdout_identity()) for output in outputs]
    written = [(output, identity) for output, identity in written if identity]
    if not written:
        return
    for what, name in reads():
        identity = _file_identity(name)
        for output, same in written:
            if not identity & same:
                continue
            if output is None:
                raise Refused(f"standard output goes to {name}, {what}, and planlint does not write over a "
                              f"file it reads. Send the output to another file (if you used `>`, the shell "
                              f"has already emptied {name}: restore it from a copy).")
            also = "" if output == name else f" ({name})"
            raise Refused(f"--output {output} is {what}{also}, and planlint does not write a report over a "
                          "file it reads. Write the report to another file.")


def _file_identity(path: str) -> set[Any]:
    """What makes two names the same file: the resolved path, and the device and inode when it exists
    (a hard link or a case-insensitive disk gives one file two names)."""
    identity: set[Any] = set()
    try:
        identity.add(str(Path(path).resolve()))
        found = os.stat(path)
    except (OSError, RuntimeError, ValueError):  # not there yet, a link that loops, a NUL in the name
        return identity
    if found.st_ino:
        identity.add((found.st_dev, found.st_ino))
    return identity


def _stdout_identity() -> set[Any]:
    """The file standard output goes to, when it is a regular file (`planlint baseline plans/ > x.json`)."""
    try:
        found = os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a real file descriptor (a test runner's buffer)
        return set()
    return {(found.st_dev, found.st_ino)} if stat.S_ISREG(found.st_mode) and found.st_ino else set()
