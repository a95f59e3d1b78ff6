"""Run rules over a loaded plan: select nodes, test each check, and turn failures into findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping, Sequence
from typing import Any

from planlint import lang
from planlint.core_codes import core_finding
from planlint.facts import PlanFacts, RunFacts
from planlint.frameworks import load_frameworks
from planlint.functions import FUNCTIONS
from planlint.findings import Finding, Path, Severity, Span
from planlint.loader import Document
from planlint.rules import Check, Rule

STEP_BUDGET = 200_000  # per rule and plan: generous for real plans, a wall for runaway ones


@dataclass(frozen=True)
class ActiveRule:
    """A rule as the configuration runs it: its severity and option values."""

    rule: Rule
    severity: Severity
    options: Mapping[str, Any]


@dataclass(frozen=True)
class Engine:
    rules: Sequence[ActiveRule]
    facts: RunFacts = field(default_factory=lambda: RunFacts(load_frameworks()))

    def run(self, document: Document, file: str, facts: PlanFacts) -> list[Finding]:
        """Every rule on one plan, given what the plan refers to (`plan_facts`), resolved beforehand."""
        findings: list[Finding] = []
        for active in self.rules:
            findings.extend(run_rule(active, document, file, facts))
        return findings


STEPS_PER_CHARACTER = 5  # past the base budget, a larger plan buys its rules steps in proportion


def step_budget(document: Document) -> int:
    """The steps one rule may take on this plan: the base budget, or more for a plan large enough to need it."""
    return max(STEP_BUDGET, STEPS_PER_CHARACTER * len(document.text))


def run_rule(active: ActiveRule, document: Document, file: str, facts: PlanFacts | None = None) -> list[Finding]:
    """One rule on one plan; a rule that fails here gives a PL010 finding and nothing else."""
    root = lang.EvalContext(root=document.data, node=document.data, path=(), options=active.options,
                            budget=lang.Budget(step_budget(document)), functions=FUNCTIONS, facts=facts)
    try:
        if active.rule.applies_if is not None and active.rule.applies_if(root) is not True:
            return []
        for name, value in active.rule.lets:
            root = root.bind(name, value(root))
        nodes = _Nodes(root, active.rule.withs)
        return [finding for check in active.rule.checks
                for finding in _run_check(active, check, nodes.of(check.given), document, file)]
    except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
        return [_rule_error(active.rule, exc, file)]


class _Nodes:
    """The nodes a rule's checks look at, each selector run once per plan, with the rule's `with:`
    values bound to each node once, so that checks over the same nodes share what they compute."""

    __slots__ = ("root", "withs", "selected")

    def __init__(self, root: Any, withs: Sequence[tuple[str, Any]]) -> None:
        self.root, self.withs = root, withs
        self.selected: dict[int, list[tuple[Path, Any]]] = {}

    def of(self, given: Any) -> list[tuple[Path, Any]]:
        """(path, context) for each node `given` selects: the whole plan when it is None."""
        key = id(given)
        if key not in self.selected:
            found = given(self.root) if given is not None else [((), self.root.node)]
            self.selected[key] = [(path, self._context(value, path)) for path, value in found]
        return self.selected[key]

    def _context(self, value: Any, path: Path) -> Any:
        context = self.root.with_node(value, path)
        for name, compute in self.withs:
            context = context.bind(name, lang.Lazy(compute, context))
        return context


def _run_check(active: ActiveRule, check: Check, nodes: list[tuple[Path, Any]], document: Document,
               file: str) -> list[Finding]:
    findings = []
    configured = active.severity != active.rule.severity
    severity = active.severity if configured or check.severity is None else check.severity
    for path, context in nodes:
        for name, compute in check.withs:
            context = context.bind(name, lang.Lazy(compute, context))
        if check.filter is not None and check.filter(context) is not True:
            continue
        if check.check(context) is not False:
            continue
        target = _target(check, context, path)
        findings.append(Finding(
            file=file, code=active.rule.code, name=active.rule.name, severity=severity,
            message=check.message(context), span=finding_span(document, target), path=target,
            item=item_id(document.data, target)))
    return findings


def item_id(data: Any, path: Path) -> str | None:
    """The `id` of the innermost list item on `path` (a measure, a benchmark), for reports that
    list every place a finding recurs."""
    last = max((i for i, part in enumerate(path) if isinstance(part, int)), default=-1)
    node = data
    for part in path[:last + 1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    found = node.get("id") if isinstance(node, Mapping) else None
    return found if isinstance(found, str) and found else None


def _target(check: Check, context: Any, path: Path) -> Path:
    if check.at is None:
        return path
    located = check.at(context)
    return tuple(located[0][0]) if located else path


def finding_span(document: Document, path: Path) -> Span:
    """A list or mapping is pointed at by its key (`measures:`); a value by itself."""
    node = document.node_at(path)
    is_collection = node is not None and not hasattr(node.value, "upper")
    return document.locate(path, key=bool(path) and isinstance(path[-1], str) and is_collection)


def _rule_error(rule: Rule, exc: Exception, file: str) -> Finding:
    reason = exc.message if isinstance(exc, lang.EvalError) else f"{type(exc).__name__}: {exc}"
    if isinstance(exc, lang.BudgetExceeded):
        cause = (f"The budget grows with the plan, so this rule ({rule.file}) does too much work for a plan of "
                 "this size: its maintainer can compute shared values once, under `let:` (once per plan) or "
                 "`with:` (once per item).")
    else:
        cause = (f"This is a problem in the rule ({rule.file}), not in the plan: report it to whoever "
                 "maintains the rule.")
    message = f"The rule {rule.code} ({rule.name}) could not be evaluated on this plan: {reason}. {cause}"
    return core_finding("PL010", file, message, Span.point(1, 1))
