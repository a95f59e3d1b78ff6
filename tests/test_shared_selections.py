"""The rules of a plan share what a plain path (`measures[*]`) selects; each must still find exactly
what it finds alone, and pay the same steps."""

from __future__ import annotations

from pathlib import Path

import pytest

from planlint import lang
from planlint.config import Config, build_profile
from planlint.engine import _Nodes, run_rule
from planlint.loader import load_bytes
from planlint.pipeline import plan_facts, school_year_readings
from planlint.prepare import for_rules
from planlint.schema import validate_plan

ROOT = Path(__file__).resolve().parent.parent
PLANS = [*sorted((ROOT / "examples").glob("*.yaml")), *sorted((ROOT / "examples" / "broken").glob("*.yaml")),
         *sorted((ROOT / "tests" / "data" / "realistic").glob("*.yaml"))]


def _judged(plan: Path, profile):
    document = load_bytes(plan.read_bytes(), plan.name, profile.limits).document
    if document is None:  # a broken example that does not load: no rules run on it
        return None, None
    shown, years_read = school_year_readings(document, profile.plan_schema)
    schema = validate_plan(years_read, plan.name, profile.plan_schema)
    judged = for_rules(document, schema.rejected, profile.plan_schema, years_read=shown)
    return judged, plan_facts(judged.data, str(plan), profile.engine.facts)


def test_every_rule_finds_with_shared_selections_what_it_finds_alone():
    profile = build_profile(Config())
    compared = 0
    for plan in PLANS:
        judged, facts = _judged(plan, profile)
        if judged is None:
            continue
        together = profile.engine.run(judged, plan.name, facts)
        alone = [found for active in profile.engine.rules for found in run_rule(active, judged, plan.name, facts)]
        assert together == alone, plan.name
        compared += len(together)
    assert compared > 20  # most of these plans have findings, so the comparison compares something


def test_a_shared_selection_charges_each_rule_the_steps_it_cost():
    measures = [{"id": f"m{i}"} for i in range(50)]
    data = {"measures": measures}
    path = lang.compile_path(lang.parse_expression("measures[*]"))
    again = lang.compile_path(lang.parse_expression("   measures[*]"))  # written elsewhere: other positions
    assert path.shape is not None and path.shape == again.shape

    def spent(budget: lang.Budget, select) -> int:
        before = budget.used
        select(lang.EvalContext(data, data, (), {}, budget=budget))
        return budget.used - before

    alone = spent(lang.Budget(), path)
    assert alone >= len(measures)  # a step per measure, at least
    shared: dict = {}
    budgets = [lang.Budget(), lang.Budget()]
    for budget, select in zip(budgets, (path, again)):  # two rules, as the engine runs them on one plan
        env = lang.Env(data, data, (), {}, {}, budget, lang.FUNCTIONS, None)
        _Nodes(env, (), shared).of(select)
    assert [budget.used for budget in budgets] == [alone, alone]
    assert len(shared) == 1


@pytest.mark.parametrize("text", ["measures[? exists(id)]", "measures[count(measures) - 1]"])
def test_a_path_that_computes_is_not_shared(text: str):
    assert lang.compile_path(lang.parse_expression(text)).shape is None
