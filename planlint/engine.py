"""Run rules over a loaded plan: select nodes, test each check, and turn failures into findings."""

from __future__ import annotations

from dataclasses import field
from collections.abc import Mapping, Sequence
from typing import Any

from planlint import lang
from planlint.core_codes import core_finding
from planlint.facts import PlanFacts, RunFacts
from planlint.frameworks import load_frameworks
from planlint.frozen import frozen
from planlint.functions import FUNCTIONS
from planlint.findings import Finding, Path, Severity, Span
from planlint.loader import Document
from planlint.rules import Check, Rule

_Frame = lang.Frame
STEP_BUDGET = 200_000  # per rule and plan: generous for real plans, a wall for runaway ones


@frozen
class ActiveRule:
    """A rule as the configuration runs it: its severity and option values."""

    rule: Rule
    severity: Severity
    options: Mapping[str, Any]


@frozen
class Engine:
    rules: Sequence[ActiveRule]
    facts: RunFacts = field(default_factory=lambda: RunFacts(load_frameworks()))

    def run(self, document: Document, file: str, facts: PlanFacts) -> list[Finding]:
        """Every rule on one plan, given what the plan refers to (`plan_facts`), resolved beforehand."""
        findings: list[Finding] = []
        selections: dict[Any, tuple[list[tuple[Path, Any]], int]] = {}  # shared by the rules, as _Nodes says
        budget = step_budget(document)
        for active in self.rules:
            found = run_rule(active, document, file, facts, selections, budget)
            if found:
                findings.extend(found)
        return findings


STEPS_PER_CHARACTER = 5  # past the base budget, a larger plan buys its rules steps in proportion


def step_budget(document: Document) -> int:
    """The steps one rule may take on this plan: the base budget, or more for a plan large enough to need it."""
    return max(STEP_BUDGET, STEPS_PER_CHARACTER * len(document.text))


def run_rule(active: ActiveRule, document: Document, file: str, facts: PlanFacts | None = None,
             selections: dict[Any, tuple[list[tuple[Path, Any]], int]] | None = None,
             budget: int | None = None) -> list[Finding]:
    """One rule on one plan; a rule that fails here gives a PL010 finding and nothing else. `budget` is the
    plan's step_budget, when the caller has it.

    One Env serves the whole run: it stands at the plan for `applies_if:`, `let:` and the selectors,
    then moves to each node a check looks at, with that node's `with:` values."""
    rule, data = active.rule, document.data
    limit = step_budget(document) if budget is None else budget
    env = lang.Env(data, data, (), active.options, {}, lang.Budget(limit), FUNCTIONS, facts)
    try:
        if rule.applies_if is not None and rule.applies_if.on(env) is not True:
            return []
        lets = env.vars
        for name, value in rule.lets:  # each sees those before it
            lets[name] = value.on(env)
        nodes = _Nodes(env, rule.withs, {} if selections is None else selections)
        findings: list[Finding] = []
        for check in rule.checks:
            selected = nodes.of(check.given)
            if selected:
                found = _run_check(active, check, selected, env, lets, document, file)
                if found:
                    findings.extend(found)
        return findings
    except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the others
        return [_rule_error(rule, exc, file)]


class _Nodes:
    """The nodes a rule's checks look at, each selector run once per plan, each node with one frame of
    the rule's names, so that checks over the same nodes share what they compute."""

    __slots__ = ("env", "given", "lets", "withs", "selected", "shared")

    def __init__(self, env: lang.Env, withs: Sequence[tuple[str, Any]],
                 shared: dict[Any, tuple[list[tuple[Path, Any]], int]]) -> None:
        self.env, self.given, self.withs, self.shared = env, env.vars, dict(withs), shared
        self.lets = _unshadowed(env.vars, self.withs)
        self.selected: dict[int, list[tuple[Path, Any, lang.Frame]]] = {}

    def of(self, given: Any) -> list[tuple[Path, Any, lang.Frame]]:
        """(path, node, names bound there) for each node `given` selects: the whole plan when it is None."""
        key = id(given)
        if key not in self.selected:
            env, lets, withs = self.env, self.lets, self.withs
            env.node, env.path, env.vars = env.root, (), self.given  # a selector starts at the plan
            found = self._select(given) if given is not None else [((), env.root)]
            if not withs:
                self.selected[key] = [(path, value, lets) for path, value in found]
                return self.selected[key]
            selected = self.selected[key] = []
            for path, value in found:  # lang.Frame.at(lets, withs, env, value, path), written out: one for each node
                frame = _Frame(lets)
                frame.env, frame.node, frame.path, frame.withs, frame.outer = env, value, path, withs, None
                selected.append((path, value, frame))
        return self.selected[key]


    def _select(self, given: Any) -> list[tuple[Path, Any]]:
        """What `given` selects. A path that reads the plan alone (`measures[*]`) selects the same nodes
        for every rule: the first rule's selection serves the others, each paying the steps it cost."""
        shape = given.shape
        if shape is None:
            return given.on(self.env)
        budget = self.env.budget
        held = self.shared.get(shape)
        if held is not None:
            budget.spend(held[1])
            return held[0]
        before = budget.used
        found = given.on(self.env)
        self.shared[shape] = found, budget.used - before
        return found


def _unshadowed(given: dict[str, Any], withs: Mapping[str, Any]) -> dict[str, Any]:
    """`given` less the names a `with:` gives again (a `with:` value named like a `let:` one hides it)."""
    if not given or not withs or given.keys().isdisjoint(withs):
        return given
    return {name: value for name, value in given.items() if name not in withs}


def _run_check(active: ActiveRule, check: Check, nodes: list[tuple[Path, Any, lang.Frame]], env: lang.Env,
               lets: dict[str, Any], document: Document, file: str) -> list[Finding]:
    findings = []
    configured = active.severity != active.rule.severity
    severity = active.severity if configured or check.severity is None else check.severity
    withs, condition, test = dict(check.withs), check.filter, check.check
    shadows = bool(withs) and _unshadowed(lets, withs) is not lets  # a check's `with:` named like a `let:`
    # condition.on(env) and test.on(env), written out (Guarded.on): two calls fewer for every node and check, 1% of
    # a batch's work
    budget, running = env.budget, test
    try:
        for path, node, frame in nodes:
            env.node, env.path = node, path
            if withs:  # lang.Frame.at(...), written out as in _Nodes.of
                env.vars = own = _Frame(_unshadowed(frame, withs) if shadows else frame)
                own.env, own.node, own.path, own.withs = env, node, path, withs
                own.outer = frame if type(frame) is _Frame else None
            else:
                env.vars = frame
            if condition is not None:
                running = condition
                budget.used += condition.cost
                if budget.used > budget.limit:
                    budget.spend(0)  # says the budget is spent
                if condition.run(env) is not True:
                    continue
            running = test
            budget.used += test.cost
            if budget.used > budget.limit:
                budget.spend(0)
            if test.run(env) is not False:
                continue
            findings.append(_finding(active, check, severity, env, path, document, file))
    except (lang.EvalError, RecursionError) as error:  # as Guarded.on raises it
        raise running.placed(error) from None
    return findings


def _finding(active: ActiveRule, check: Check, severity: Severity, env: lang.Env, path: Path, document: Document,
             file: str) -> Finding:
    target = _target(check, env, path)
    return Finding(file=file, code=active.rule.code, name=active.rule.name, severity=severity,
                   message=check.message.on(env), span=finding_span(document, target), path=target,
                   item=item_id(document.data, target))


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


def _target(check: Check, env: lang.Env, path: Path) -> Path:
    if check.at is None:
        return path
    located = check.at.on(env)
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
