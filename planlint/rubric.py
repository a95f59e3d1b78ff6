"""The reviewer's rubric: criteria for a good plan, each decided by rules, loaded from a data file
(rubrics/criteria.yaml, or a state's own named under `rubric:`), and the verdicts it gives a plan."""

from __future__ import annotations

import functools
from pathlib import Path as FsPath
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from planlint import rulecache
from planlint.core_codes import CORE_CODES
from planlint.config_files import load_validated
from planlint.config_error import ConfigError
from planlint.findings import Finding, Path, Severity
from planlint.frozen import frozen
from planlint.resources import data_dir, schema_path
from planlint.scorecard import MET, NOT_APPLICABLE, NOT_MET, PlanInfo, Verdict

RUBRIC_SCHEMA = "rubric.schema.json"
DEFAULT_RUBRIC = "criteria.yaml"


@frozen
class Criterion:
    id: str
    name: str
    rules: tuple[str, ...]
    group: str = ""
    description: str = ""
    frameworks: tuple[str, ...] = ()  # applies to plans declaring one of these; () for every plan
    has: tuple[str, ...] = ()  # applies to plans with something in each of these parts


@frozen
class Rubric:
    id: str
    name: str
    file: str
    criteria: tuple[Criterion, ...]
    every_criterion: tuple[str, ...] = ()


@frozen
class RubricSource:
    """A rubric file read and validated: its data, which the rule cache keeps as JSON."""

    file: str
    data: Mapping[str, Any]


def default_rubric_path() -> FsPath:
    return data_dir("rubrics") / DEFAULT_RUBRIC


def load_rubric(path: FsPath | None, known_codes: Collection[str]) -> Rubric:
    """A rubric file, validated; a code no rule has is an error at its place (a typo would leave a
    criterion decided by nothing, and met by every plan)."""
    path = path or default_rubric_path()
    try:
        stamp = path.stat()
    except OSError as exc:
        raise ConfigError(f"cannot read this rubric file: {exc.strerror or exc}", str(path)) from None
    return _load(str(path), stamp.st_mtime_ns, stamp.st_size, frozenset(known_codes) | frozenset(CORE_CODES))


@functools.lru_cache(maxsize=8)
def _load(path: str, mtime_ns: int, size: int, known: frozenset[str]) -> Rubric:
    """Loaded once per version of the file (its time and size), as framework files are; read and validated
    once per version of its content, as rule files are (the rule cache keeps it)."""
    [(data, rubric)] = rulecache.cached([FsPath(path)], _read, _built, kind=RubricSource, name="rubric",
                                        depends=(schema_path(RUBRIC_SCHEMA),))
    for message, where in _problems(data, known):
        document = load_validated(FsPath(path), RUBRIC_SCHEMA, what="rubric file")  # to show where it is
        raise ConfigError(message, path, document.locate(where), document.text)
    return rubric


def _read(path: FsPath) -> RubricSource:
    return RubricSource(str(path), load_validated(path, RUBRIC_SCHEMA, what="rubric file").data)


def _built(source: RubricSource) -> tuple[Mapping[str, Any], Rubric]:
    data = source.data
    criteria = tuple(Criterion(id=item["id"], name=item["name"], rules=tuple(item["rules"]),
                               group=item.get("group", ""), description=" ".join(item.get("description", "").split()),
                               frameworks=tuple(item.get("applies", {}).get("frameworks", ())),
                               has=tuple(item.get("applies", {}).get("has", ())))
                     for item in data["criteria"])
    return data, Rubric(id=data["id"], name=data["name"], file=source.file, criteria=criteria,
                        every_criterion=tuple(data.get("every_criterion", ())))


def _problems(data: Mapping[str, Any], known: frozenset[str]) -> Iterator[tuple[str, Path]]:
    """What the schema cannot say: each criterion's id is its own, and every code named is a rule."""
    seen: set[str] = set()
    for index, item in enumerate(data["criteria"]):
        if item["id"] in seen:
            yield (f"this rubric file has two criteria with the id \"{item['id']}\"; give each its own.",
                   ("criteria", index, "id"))
        seen.add(item["id"])
    places = [(("every_criterion", i), code) for i, code in enumerate(data.get("every_criterion", []))]
    places += [(("criteria", i, "rules", j), code) for i, item in enumerate(data["criteria"])
               for j, code in enumerate(item["rules"])]
    for where, code in places:
        if code not in known:
            yield (f"this rubric file names the rule {code}, and there is no such rule "
                   "(`planlint rules` lists them).", where)


def judge(rubric: Rubric, plan: PlanInfo | None, findings: Iterable[Finding], active: Collection[str]) -> tuple[
        Verdict, ...]:
    """A verdict on each criterion. `active` are the codes the configuration runs for this plan: a criterion
    whose rules are all turned off is not applicable, as nothing decides it. A plan that could not be read
    (`plan` None) is judged on every criterion."""
    deciding = {f.code for f in findings if f.severity >= Severity.WARNING}
    blocking = sorted(deciding.intersection(rubric.every_criterion))
    running = active if isinstance(active, (set, frozenset)) else set(active)
    verdicts = []
    for criterion in rubric.criteria:
        if not _applies(criterion, plan) or running.isdisjoint(criterion.rules):
            verdicts.append(_shared(Verdict(criterion.id, criterion.name, NOT_APPLICABLE)))
            continue
        codes = tuple(blocking + sorted(deciding.intersection(criterion.rules)))
        verdicts.append(_shared(Verdict(criterion.id, criterion.name, NOT_MET if codes else MET, codes)))
    return _shared(tuple(verdicts))


# Verdicts judged so far, each kept once: a batch's plans mostly share their verdicts, and every plan's are
# held until the batch's report is written (a tenth of what a batch of 2,000 plans holds).
_SHARED: dict[Any, Any] = {}
_MAX_SHARED = 4096


def _shared(value: Any) -> Any:
    """An equal value judged before (verdicts are frozen, so one serves every plan that has it), else `value`."""
    found = _SHARED.get(value)
    if found is not None:
        return found
    if len(_SHARED) < _MAX_SHARED:
        _SHARED[value] = value
    return value


def _applies(criterion: Criterion, plan: PlanInfo | None) -> bool:
    if plan is None:
        return True
    if criterion.frameworks and set(criterion.frameworks).isdisjoint(plan.frameworks):
        return False
    return all(part in plan.parts for part in criterion.has)


def criteria_of(verdict_lists: Iterable[Iterable[Verdict]]) -> list[tuple[str, str]]:
    """(id, name) of every criterion in the verdicts, in the order first seen: the columns of a scorecard."""
    seen: dict[str, str] = {}
    for verdicts in verdict_lists:
        for verdict in verdicts:
            seen.setdefault(verdict.criterion, verdict.name)
    return list(seen.items())


def verdict_counts(verdicts: Iterable[Verdict]) -> Mapping[str, int]:
    counts = {MET: 0, NOT_MET: 0, NOT_APPLICABLE: 0}
    for verdict in verdicts:
        counts[verdict.verdict] += 1
    return counts
