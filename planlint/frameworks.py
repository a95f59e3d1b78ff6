"""Frameworks: the goal sets a plan aligns with (built in: ldoe, msip5), as data files.

A framework file is validated against schemas/framework.schema.json; a problem in one that the
configuration adds is a ConfigError with its place (exit 2). A plan may also name a framework
file by its path: planlint.domain.frameworks loads it when a rule first needs it, and a problem
in it becomes a finding on the plan (rule PL004), not an exit.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
from dataclasses import field
from pathlib import Path as FsPath
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from planlint import rulecache
from planlint.config_files import load_validated
from planlint.config_error import ConfigError
from planlint.findings import Path
from planlint.frozen import frozen
from planlint.loader import Document
from planlint.resources import frameworks_dir, schema_path

FRAMEWORK_SCHEMA = "framework.schema.json"
FILE_SUFFIXES = (".yaml", ".yml")
_GRADE_NAMES = ("PK", "K") + tuple(str(n) for n in range(1, 13))
_SPAN = re.compile(r"(PK|K|[0-9]{1,2})(?:-(PK|K|[0-9]{1,2}))?")


# Grade spans ---------------------------------------------------------------------------------

def grade_range(span: Any) -> tuple[int, int] | None:
    """`K-12` -> (0, 12), `PK-5` -> (-1, 5), `8` -> (8, 8); None for anything that is not a span."""
    text = str(span).strip().upper() if isinstance(span, (str, int)) and not isinstance(span, bool) else ""
    match = _SPAN.fullmatch(text)
    if match is None:
        return None
    low, high = (_grade(g) for g in (match.group(1), match.group(2) or match.group(1)))
    if low is None or high is None or low > high:
        return None
    return low, high


def _grade(name: str) -> int | None:
    return _GRADE_NAMES.index(name) - 1 if name in _GRADE_NAMES else None


def span_text(low: int, high: int) -> str:
    first, last = _GRADE_NAMES[low + 1], _GRADE_NAMES[high + 1]
    return f"grade {first}" if low == high else f"grades {first}-{last}"


def grades_apply(selector: Any, plan_grades: Any) -> bool | None:
    """Whether a goal's `grades` ({any_of, none_of}) fit a plan's span; None if the span is unknown."""
    if not isinstance(selector, Mapping) or not selector:
        return True
    served = grade_range(plan_grades)
    if served is None:
        return None
    wanted, barred = grade_range(selector.get("any_of")), grade_range(selector.get("none_of"))
    if wanted is not None and not _overlap(served, wanted):
        return False
    return barred is None or not _overlap(served, barred)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def grades_words(selector: Any) -> str:
    """A goal's `grades` in words: "systems that serve any of grades 9-12"."""
    parts = []
    for key, words in (("any_of", "any of"), ("none_of", "none of")):
        found = grade_range(selector.get(key)) if isinstance(selector, Mapping) else None
        if found is not None:
            parts.append(f"{words} {span_text(*found)}")
    return "systems that serve " + " and ".join(parts) if parts else "every grade span"


# Frameworks ----------------------------------------------------------------------------------

@frozen
class Framework:
    """One framework file, checked. `value` is what rules see: plain lists and mappings."""

    id: str
    name: str
    file: str
    value: Mapping[str, Any]
    builtin: bool = False
    replaces: bool = False
    document: Document | None = field(default=None, compare=False, repr=False)

    @property
    def goals(self) -> list[Mapping[str, Any]]:
        return self.value["goals"]

    @property
    def min_goals(self) -> int | None:
        return self.value.get("min_goals")

    def error(self, message: str, path: Path) -> ConfigError:
        span = self.document.locate(path) if self.document is not None else None
        return ConfigError(message, self.file, span, self.document.text if self.document else None)


@frozen
class FrameworkSet:
    """The frameworks a configuration knows, by id: the built-ins plus its own files."""

    by_id: Mapping[str, Framework]

    def __iter__(self) -> Iterator[Framework]:
        return iter(sorted(self.by_id.values(), key=lambda f: f.id))

    def __len__(self) -> int:
        return len(self.by_id)

    def __contains__(self, key: object) -> bool:
        return key in self.by_id

    def get(self, key: str) -> Framework | None:
        return self.by_id.get(key.strip().lower()) if isinstance(key, str) else None

    @property
    def ids(self) -> list[str]:
        return sorted(self.by_id)


def load_frameworks(extra_files: Sequence[FsPath] = ()) -> FrameworkSet:
    """The built-in frameworks plus the files a configuration adds; a problem is a ConfigError."""
    by_id = {f.id: f for f in builtin_frameworks()}
    added: set[str] = set()
    for path in extra_files:
        framework = load_framework_file(FsPath(path))
        clash = clash_problem(framework, by_id, replaceable=set(by_id) - added)
        if clash is not None:
            raise clash
        by_id[framework.id] = framework
        added.add(framework.id)
    return FrameworkSet(by_id)


@frozen
class FrameworkSource:
    """A built-in framework file read and checked: its data, which the rule cache keeps as JSON."""

    file: str
    data: Mapping[str, Any]


@functools.lru_cache(maxsize=1)
def builtin_frameworks() -> tuple[Framework, ...]:
    """Read, validated and checked once per version of the files: later runs take them from the rule cache."""
    folder = frameworks_dir()
    files = sorted(p for p in folder.glob("*.y*ml") if p.suffix in FILE_SUFFIXES) if folder.is_dir() else []
    found: dict[str, Framework] = {}
    for path, framework in zip(files, rulecache.cached(files, _read_builtin, _builtin, kind=FrameworkSource,
                                                       name="frameworks", depends=(schema_path(FRAMEWORK_SCHEMA),))):
        if framework.id in found:
            located = load_framework_file(path, builtin=True)  # its document, to show where the id is
            raise located.error(f"the framework id \"{framework.id}\" is also used by {found[framework.id].file}.",
                                ("id",))
        found[framework.id] = framework
    return tuple(found.values())


def _read_builtin(path: FsPath) -> FrameworkSource:
    framework = load_framework_file(path, builtin=True)
    assert framework.document is not None
    return FrameworkSource(framework.file, framework.document.data)


def _builtin(source: FrameworkSource) -> Framework:
    """The framework of data read and checked before; checked again, as cheap as it is, in case the entry
    was altered (a problem then has no place: the entry is rebuilt from the file, which shows it)."""
    data = source.data
    framework = Framework(id=data["id"], name=data["name"], file=source.file, value=_value(data, source.file),
                          builtin=True, replaces=bool(data.get("replaces")))
    _check_meaning(framework, data)
    return framework


def clash_problem(framework: Framework, known: Mapping[str, Framework], *,
                  replaceable: set[str]) -> ConfigError | None:
    """Why `framework` cannot join `known` (a repeated id, or `replaces` with nothing to replace)."""
    other = known.get(framework.id)
    if other is not None and not (framework.replaces and framework.id in replaceable):
        where = "planlint's built-in framework" if other.builtin else other.file
        how = " Add `replaces: true` to use this file in its place." if other.builtin else ""
        return framework.error(f"the framework id \"{framework.id}\" is already used by {where}; "
                               f"give this framework its own id.{how}", ("id",))
    if other is None and framework.replaces:
        return framework.error(f"this framework says `replaces: true`, but no framework has the id "
                               f"\"{framework.id}\" to replace; remove `replaces`, or correct the id.", ("replaces",))
    return None


def load_framework_file(path: FsPath, *, builtin: bool = False) -> Framework:
    """One framework file, read and checked; cached while the file is unchanged."""
    try:
        stamp = path.stat()
    except OSError as exc:
        raise ConfigError(f"cannot read this framework file: {exc.strerror or exc}", str(path)) from None
    return _load_cached(str(path), stamp.st_mtime_ns, stamp.st_size, builtin)


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, mtime_ns: int, size: int, builtin: bool) -> Framework:
    document = load_validated(FsPath(path), FRAMEWORK_SCHEMA, what="framework file")
    data = document.data
    framework = Framework(id=data["id"], name=data["name"], file=path, value=_value(data, path),
                          builtin=builtin, replaces=bool(data.get("replaces")), document=document)
    _check_meaning(framework, data)
    return framework


def _value(data: Mapping[str, Any], path: str) -> dict[str, Any]:
    """The framework as rules see it: each goal with its `ref` (framework.goal) and grades in words,
    each threshold with its numbers in words (`summary`)."""
    goals = [{**goal, "ref": f"{data['id']}.{goal['id']}", "framework": data["id"],
              "applies_to": grades_words(goal.get("grades"))} for goal in data["goals"]]
    thresholds = {name: {**threshold, "summary": _threshold_words(threshold)}
                  for name, threshold in data.get("thresholds", {}).items()}
    value = {key: item for key, item in data.items() if not key.startswith("x-")}
    return {**value, "goals": goals, "file": path, "min_goals": data.get("min_goals"), "thresholds": thresholds}


def _check_meaning(framework: Framework, data: Mapping[str, Any]) -> None:
    """What a schema cannot say: unique goal ids, spans low to high, designations highest first."""
    ids: set[str] = set()
    for index, goal in enumerate(data["goals"]):
        if goal["id"] in ids:
            raise framework.error(f"two goals have the id \"{goal['id']}\"; give each goal its own id.",
                                  ("goals", index, "id"))
        ids.add(goal["id"])
        _check_grades(framework, goal.get("grades"), ("goals", index, "grades"))
    if framework.min_goals is not None and framework.min_goals > len(ids):
        raise framework.error(f"min_goals is {framework.min_goals}, but the framework has only {len(ids)} goals.",
                              ("min_goals",))
    for name, threshold in data.get("thresholds", {}).items():
        _check_threshold(framework, threshold, ids, ("thresholds", name))
    for index, total in enumerate(data.get("scoring", {}).get("totals", [])):
        _check_grades(framework, total.get("grades"), ("scoring", "totals", index, "grades"))


def _check_grades(framework: Framework, selector: Mapping[str, Any] | None, where: Path) -> None:
    for key, span in (selector or {}).items():
        if grade_range(span) is None:
            raise framework.error(f"the grade span \"{span}\" goes from a higher grade to a lower one; "
                                  "write the lowest grade first, such as 9-12.", where + (key,))


def _check_threshold(framework: Framework, threshold: Mapping[str, Any], goal_ids: set[str], where: Path) -> None:
    for index, goal in enumerate(threshold.get("goals", [])):
        if goal not in goal_ids:
            raise framework.error(f"\"{goal}\" is not a goal of this framework (its goals: "
                                  f"{', '.join(sorted(goal_ids))}).", where + ("goals", index))
    designations = threshold.get("designations", [])
    previous = None
    for index, designation in enumerate(designations):
        at_least = designation.get("at_least")
        if at_least is None and index != len(designations) - 1:
            raise framework.error("only the last, lowest designation may leave out at_least.",
                                  where + ("designations", index))
        if at_least is not None and previous is not None and at_least >= previous:
            raise framework.error(f"designations go from the highest to the lowest, but {at_least} is not "
                                  f"below {previous}.", where + ("designations", index, "at_least"))
        previous = at_least


# What `planlint frameworks` and `planlint explain` show ---------------------------------------

def frameworks_table(frameworks: FrameworkSet, output_format: str = "text") -> str:
    """Every framework: id, name, state, number of goals, minimum, and where it comes from."""
    rows = [(f.id, f.name, f.value.get("state", ""), str(len(f.goals)),
             str(f.min_goals) if f.min_goals is not None else "-", "built-in" if f.builtin else f.file)
            for f in frameworks]
    header = ("id", "name", "state", "goals", "minimum", "file")
    if output_format == "json":
        keys = ("id", "name", "state", "goals", "min_goals", "file")
        return json.dumps([{**dict(zip(keys, row)), "goals": int(row[3]), "min_goals": f.min_goals}
                           for row, f in zip(rows, frameworks)], indent=2) + "\n"
    widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
                     for row in [header] + rows) + "\n"


def explain_framework(framework: Framework) -> str:
    """A framework in plain words for a planning team: its goals, where each applies, its numbers."""
    value = framework.value
    state = f", {value['state']}" if value.get("state") else ""
    parts = [f"{framework.id}: {framework.name} (framework{state})"]
    if value.get("description"):
        parts.append(_wrap(value["description"]))
    if framework.min_goals is not None:
        parts.append(_wrap(f"A plan's measures together must align with at least {framework.min_goals} of "
                           f"these {len(framework.goals)} goals (rule MKR002), or with every goal that applies "
                           "to its grades when fewer do."))
    goals = [f"  {goal['ref']}: {goal['name']}\n{_wrap(goal['description'], '      ')}\n"
             f"      Applies to {goal['applies_to']}." for goal in framework.goals]
    parts.append("Goals (a measure aligns with one by listing it under `goals:`):\n" + "\n".join(goals))
    thresholds = [f"  {name}: {_threshold_words(t)}\n{_wrap(t['description'], '      ')}"
                  for name, t in value["thresholds"].items()]
    if thresholds:
        parts.append("Thresholds:\n" + "\n".join(thresholds))
    scoring = value.get("scoring")
    if scoring:
        year = f" ({scoring['year']})" if scoring.get("year") else ""
        totals = "; ".join(f"{t['name']} {_number(t['points'])}" for t in scoring["totals"])
        parts.append(f"Scoring: {scoring['name']}{year}, points possible: {totals}.")
    if value.get("source"):
        parts.append(_wrap("Source: " + value["source"]))
    parts.append(f"File: {'built in, ' if framework.builtin else ''}{framework.file}")
    return "\n\n".join(parts) + "\n"


def _threshold_words(threshold: Mapping[str, Any]) -> str:
    unit = {"percent": "%"}.get(threshold.get("unit", ""), "")
    words = [f"at least {_number(threshold['at_least'])}{unit}"] if "at_least" in threshold else []
    ladder = threshold.get("designations", [])
    for index, step in enumerate(ladder):
        if "at_least" in step:
            words.append(f"{step['name']} {_number(step['at_least'])}{unit} or more")
        else:
            above = ladder[index - 1].get("at_least") if index else None
            words.append(f"{step['name']} below {_number(above)}{unit}" if above is not None else step["name"])
    return "; ".join(words) or "(no numbers)"


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(" ".join(str(text).split()), width=96, initial_indent=indent, subsequent_indent=indent,
                         break_on_hyphens=False)
