"""What a plan refers to, resolved before any rule runs: its frameworks, the state data, the as-of date.

Rules never open a file: the pipeline reads the framework files a plan names here, once, and
the functions that read frameworks, state data or the monitoring date see only a PlanFacts.
A plan may name framework files only inside its own folder (after following links); any other
path is a problem that says nothing of the file, not even whether it exists.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path as FsPath
from pathlib import PurePosixPath, PureWindowsPath
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from planlint.config_error import ConfigError
from planlint.frameworks import FILE_SUFFIXES, Framework, FrameworkSet, clash_problem, load_framework_file, \
    load_frameworks
from planlint.frozen import frozen
from planlint.lang.values import as_date

if TYPE_CHECKING:
    from planlint.statedata import StateData


@frozen
class RunFacts:
    """What the configuration gives every plan of a run."""

    frameworks: FrameworkSet
    state_data: StateData | None = None
    as_of: datetime.date | None = None


@frozen
class Declared:
    """One entry of a plan's `frameworks:`: the framework it names, or why it names none."""

    entry: str
    framework: Framework | None
    problem: str | None = None


@frozen
class PlanFacts:
    """What one plan's rules may read besides the plan: every framework known, the plan's own, and the data."""

    known: FrameworkSet
    declared: tuple[Declared, ...] = ()
    state_data: StateData | None = None
    as_of: datetime.date | None = None


def run_facts(frameworks: FrameworkSet, state_data: StateData | None = None, as_of: Any = None) -> RunFacts:
    return RunFacts(frameworks, state_data, as_date(as_of))


@functools.lru_cache(maxsize=1)
def builtin_facts() -> PlanFacts:
    """The facts of a plan that names no framework file, under the default configuration."""
    return PlanFacts(load_frameworks())


def facts_of(ctx: Any) -> PlanFacts:
    """The facts an evaluation was given; the built-in frameworks alone where it was given none."""
    facts = getattr(ctx, "facts", None)
    return facts if isinstance(facts, PlanFacts) else builtin_facts()


def plan_facts(data: Any, plan_file: str | None, run: RunFacts) -> PlanFacts:
    """Resolve the plan's `frameworks:` (ids, and files beside the plan) once, before its rules run."""
    entries = data.get("frameworks") if isinstance(data, Mapping) else None
    folder = FsPath(plan_file).parent if plan_file and not plan_file.startswith("<") else FsPath(".")
    return PlanFacts(run.frameworks, tuple(declared_frameworks(entries, folder, run.frameworks)),
                     run.state_data, run.as_of)


def is_framework_path(entry: str) -> bool:
    """A `frameworks:` entry names a file (rather than an id) when it looks like a path."""
    return entry.lower().endswith(FILE_SUFFIXES) or "/" in entry or "\\" in entry


def declared_frameworks(entries: Any, folder: FsPath, known: FrameworkSet) -> list[Declared]:
    """Each entry of a `frameworks:` list: ids from `known`, paths inside `folder` only."""
    declared: list[Declared] = []
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, str):
            continue
        found = _from_file(entry, folder, known) if is_framework_path(entry) else from_id(entry, known)
        if found.framework is not None:
            twin = next((d for d in declared if d.framework is not None and d.entry != entry
                         and d.framework.id == found.framework.id), None)
            if twin is not None:
                found = Declared(entry, None, f"The plan already names the framework \"{found.framework.id}\" "
                                              f"(as \"{twin.entry}\"); name each framework once.")
        declared.append(found)
    return declared


def from_id(entry: str, known: FrameworkSet) -> Declared:
    framework = known.get(entry)
    if framework is not None:
        return Declared(entry, framework)
    import difflib  # only for a name that is not known

    close = difflib.get_close_matches(entry.lower(), known.ids, n=1, cutoff=0.6)
    hint = f" Did you mean \"{close[0]}\"?" if close else ""
    return Declared(entry, None, (
        f"The plan aligns with the framework \"{entry}\", but planlint knows no framework by that id.{hint} "
        f"The frameworks are: {', '.join(known.ids)}. A state's own framework is a file: name it here by its "
        "path (such as frameworks/my-state.yaml), or add it under `frameworks:` in .planlint.yaml."))


def outside_folder(entry: str) -> Declared:
    # Only the entry as the plan wrote it is quoted: nothing read, and nothing said of whether it exists.
    return Declared(entry, None, (
        f"The framework file \"{entry}\" is outside the plan's folder, and planlint reads a framework file a "
        "plan names only from the plan's own folder or a folder below it. Copy the file beside the plan, or "
        "add it under `frameworks:` in .planlint.yaml."))


def _from_file(entry: str, folder: FsPath, known: FrameworkSet) -> Declared:
    path = _inside(folder, entry)
    if path is None:
        return outside_folder(entry)
    if not path.exists():
        return Declared(entry, None, f"The framework file \"{entry}\" does not exist (looked for {folder / entry}). "
                                     "Paths are relative to the plan's folder.")
    try:
        framework = load_framework_file(folder / entry)
        clash = clash_problem(framework, known.by_id, replaceable=set(known.by_id))
        if clash is not None:
            raise clash
    except ConfigError as exc:
        where = f"{exc.file}:{exc.span.line}:{exc.span.column}" if exc.span else str(exc.file or path)
        return Declared(entry, None, f"The framework file \"{entry}\" cannot be used: {where}: {exc.message}")
    return Declared(entry, framework)


def _inside(folder: FsPath, entry: str) -> FsPath | None:
    """Where `entry` leads from `folder`, links followed, if that is inside the folder; else None."""
    if PurePosixPath(entry).is_absolute() or PureWindowsPath(entry).anchor:
        return None
    try:
        base = folder.resolve()
        target = (folder / entry).resolve()
    except (OSError, RuntimeError):  # a link that loops
        return None
    return target if target != base and target.is_relative_to(base) else None
