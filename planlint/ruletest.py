"""Running each rule's own examples: what `planlint test-rules` and the test suite report."""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from collections.abc import Iterable

from planlint.config import Config, configured_facts, plan_schema_for
from planlint.engine import ActiveRule, run_rule
from planlint.facts import RunFacts, plan_facts
from planlint.findings import Finding, sort_findings
from planlint.loader import load_text
from planlint.prepare import for_rules, read_school_years
from planlint.schema import fragment_problems
from planlint.rules import Example, Rule
from planlint.statedata import parse_state_data


@dataclass(frozen=True)
class ExampleProblem:
    rule: Rule
    kind: str  # "pass" or "fail"
    index: int
    line: int  # of the example in the rule file
    problem: str

    def render(self) -> str:
        return f"{self.rule.file}:{self.line}: {self.rule.code} {self.kind} example {self.index + 1}: {self.problem}"


def run_example(rule: Rule, example: Example, facts: RunFacts | None = None,
                schema: str = "plan.schema.json") -> list[Finding]:
    """The rule's findings on the example plan (loading problems are returned as findings too)."""
    loaded = load_text(example.plan, "example.yaml")
    if loaded.document is None:
        return list(loaded.findings)
    active = ActiveRule(rule, rule.severity, rule.option_values(example.options))
    if facts is None:
        facts = default_facts()
    if example.state_data is not None:
        facts = replace(facts, state_data=parse_state_data(example.state_data, "example.csv"))
    judged = for_rules(loaded.document, schema=schema)
    plan = plan_facts(judged.data, "example.yaml", facts)
    return list(sort_findings(run_rule(active, judged, "example.yaml", plan)))


@functools.lru_cache(maxsize=1)
def default_facts() -> RunFacts:
    """What rules see under no configuration: the built-in frameworks, no state data."""
    return configured_facts(Config())


def check_example(rule: Rule, kind: str, index: int, example: Example,
                  facts: RunFacts | None = None, schema: str = "plan.schema.json") -> ExampleProblem | None:
    problem = _format_problem(example, schema)
    if problem is None:
        problem = _compare(kind, example, run_example(rule, example, facts, schema))
    return None if problem is None else ExampleProblem(rule, kind, index, example.line, problem)


def _format_problem(example: Example, schema: str) -> str | None:
    """An example plan must be one a user could write: keys of the plan format, or of the fields
    the pack declares under `plan-fields`."""
    loaded = load_text(example.plan, "example.yaml")
    if loaded.document is None:
        return None
    problems = fragment_problems(read_school_years(loaded.document, schema, shown=False), schema)
    if not problems:
        return None
    span, message = problems[0]
    return (f"the example plan does not match the plan format at its line {span.line}: {message} "
            "(declare a state's own fields under `plan-fields`)")


def _compare(kind: str, example: Example, findings: list[Finding]) -> str | None:
    shown = "; ".join(f"{f.span.line}:{f.span.column} {f.code} {f.message}" for f in findings) or "none"
    if kind == "pass":
        return None if not findings else f"expected no finding, got: {shown}"
    if not findings:
        return "expected findings, got none"
    if any(f.code != findings[0].code for f in findings) or findings[0].code == "PL010":
        return f"expected findings of this rule only, got: {shown}"
    expected = example.findings
    if expected is None:
        return None
    if len(expected) != len(findings):
        return f"expected {len(expected)} finding(s), got {len(findings)}: {shown}"
    for want, got in zip(expected, findings):
        if want.line != got.span.line or (want.column is not None and want.column != got.span.column):
            return f"expected a finding at line {want.line}" + (
                f", column {want.column}" if want.column else "") + f"; got: {shown}"
        if want.message is not None and want.message != got.message:
            return f"expected the message {want.message!r}, got {got.message!r}"
    return None


def check_rules(rules: Iterable[Rule], facts: RunFacts | None = None) -> tuple[int, list[ExampleProblem]]:
    """Every example of every rule: (number of examples run, problems found)."""
    count, problems = 0, []
    rules = list(rules)
    schema = plan_schema_for({}, rules)
    for rule in rules:
        for kind, examples in (("pass", rule.passing), ("fail", rule.failing)):
            for index, example in enumerate(examples):
                count += 1
                problem = check_example(rule, kind, index, example, facts, schema)
                if problem is not None:
                    problems.append(problem)
    return count, problems
