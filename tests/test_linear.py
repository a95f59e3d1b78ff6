"""Every shipped rule costs in proportion to the plan: ten times the items, at most about ten times the steps.

Each rule has a step budget that grows with the plan (five steps per character). A rule whose work
grows faster than the plan, such as one that searches a whole list once for every item of it,
passes on the plans of a test suite and gives up (PL010) on the plan of a large district. So for
every way a plan grows (more measures and strategies, more benchmarks in a strategy, longer series,
longer histories, longer lists inside a measure, a list pasted many times over), each rule is run on
a realistic plan and on the same plan with ten times the items, and the steps it takes, counted by
the engine's own budget, may grow at most twelvefold, plus a few steps for a finding's message.
Plans a hundred times larger get no PL010.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml
from click.testing import CliRunner

from planlint import engine, lang, pipeline
from planlint.cli import main
from planlint.config import Config, build_profile
from projects import rule_file, write

ROOT = Path(__file__).parent.parent
STRONG_PARISH = ROOT / "examples" / "strong-parish-2026.yaml"  # a district, every pack but Missouri's
MISSOURI = ROOT / "examples" / "missouri-k12.yaml"  # Missouri's rules apply
RIVERSIDE = ROOT / "tests" / "data" / "realistic" / "riverside-district-2025-26.yaml"  # school years, sentences
CLEARWATER = ROOT / "tests" / "data" / "realistic" / "clearwater-mo-2025-26.yaml"  # the same, in Missouri

GROWTH = 12  # steps may grow this many times for ten times the items
SLACK = 100  # and by this many steps: a finding that appears only in the larger plan, and its message
PARTS = ("implementation_benchmarks", "interim_measures", "action_steps")


def _later(text: str, copy_number: int) -> str:
    """A sentence about the same work for another group: 'By ..., 70% of teachers are planning (cohort 2).'"""
    return re.sub(r"\.?\s*$", f" (cohort {copy_number + 1}).", text, count=1) if copy_number else text


def _renamed(item: dict[str, Any], copy_number: int) -> dict[str, Any]:
    item = copy.deepcopy(item)
    if copy_number:
        if isinstance(item.get("id"), str):
            item["id"] = f"{item['id']}-{copy_number + 1}"
        for key in ("what", "statement"):
            if isinstance(item.get(key), str):
                item[key] = _later(item[key], copy_number)
    return item


def more_measures_and_strategies(plan: dict[str, Any], times: int) -> None:
    """The plan of a larger system: each measure and strategy again for another campus, references kept."""
    ids = {measure.get("id") for measure in plan.get("measures", [])}

    def ref(value: Any, n: int) -> Any:
        return f"{value}-{n + 1}" if n and value in ids else value

    measures, strategies = [], []
    for n in range(times):
        for measure in plan.get("measures", []):
            measure = copy.deepcopy(measure)
            measure["id"], measure["name"] = ref(measure["id"], n), _later(measure["name"], n)
            measures.append(measure)
        for strategy in plan.get("strategies", []):
            strategy = _renamed(strategy, n)
            strategy["serves"] = [ref(value, n) for value in strategy.get("serves", [])]
            for part in PARTS:
                strategy[part] = [_renamed(item, n) for item in strategy.get(part, [])]
                for item in strategy[part]:
                    if "measure" in item:
                        item["measure"] = ref(item["measure"], n)
            strategies.append(strategy)
    plan["measures"], plan["strategies"] = measures, strategies


def more_work_per_strategy(plan: dict[str, Any], times: int) -> None:
    """Each strategy's benchmarks, interim measures and action steps again, for more cohorts."""
    for strategy in plan.get("strategies", []):
        for part in PARTS:
            if part in strategy:
                strategy[part] = [_renamed(item, n) for n in range(times) for item in strategy[part]]


def one_long_series(plan: dict[str, Any], times: int) -> None:
    """The first strategy checks one action week by week through a school year (40 checkpoints), or
    day by day (400), or 4,000 times."""
    strategy = plan["strategies"][0]
    first = next(b for b in strategy["implementation_benchmarks"] if "what" in b)
    count = 40 * times
    start = datetime.date(plan["period"]["start"] - 1, 8, 15)
    strategy["implementation_benchmarks"] = [
        {"id": f"series-{i + 1}", "what": first["what"], "who": first["who"], "how": first["how"],
         "when": start + datetime.timedelta(days=i * max(1, 280 // count)), "target": 10 + (85 * i) // count}
        for i in range(count)]


def longer_histories(plan: dict[str, Any], times: int) -> None:
    """Every measure's history reaches further back, on its own trend (a percent stays within 0-100)."""
    for measure in plan.get("measures", []):
        history = measure.get("history")
        if not isinstance(history, dict) or len(history) < 2:
            continue
        years = {_year(key): key for key in history}
        first, last = min(years), max(years)
        slope = (history[years[last]] - history[years[first]]) / (last - first)
        for year in range(first - (times - 1) * len(history), first):
            value = round(history[years[first]] - slope * (first - year), 1)
            key = year if isinstance(years[first], int) else f"{year - 1}-{year % 100:02d}"
            history[key] = min(100.0, max(0.0, value)) if measure.get("unit") == "percent" else value
        measure["history"] = dict(sorted(history.items(), key=lambda pair: _year(pair[0])))


def _year(key: Any) -> int:
    return key if isinstance(key, int) else int(key[:4]) + 1  # "2024-25" is the school year 2025


def longer_lists(plan: dict[str, Any], times: int) -> None:
    """Longer lists inside the plan's parts: comparisons, rationale, goals, glossary, routines."""
    for measure in plan.get("measures", []):
        for key in ("benchmarks", "rationale", "goals"):
            if isinstance(measure.get(key), list):
                measure[key] = [copy.deepcopy(item) for _ in range(times) for item in measure[key]]
    if isinstance(plan.get("glossary"), dict):
        plan["glossary"] = {f"{term}{n or ''}": text for n in range(times) for term, text in plan["glossary"].items()}
    routines = plan.get("monitoring", {}).get("routines")
    if isinstance(routines, list):
        plan["monitoring"]["routines"] = [_later(routine, n) for n in range(times) for routine in routines]


def measures_pasted(plan: dict[str, Any], times: int) -> None:
    """The measures pasted over and over, ids and all (each id then a duplicate, PL005)."""
    plan["measures"] = [copy.deepcopy(m) for _ in range(times) for m in plan.get("measures", [])]


def strategies_pasted(plan: dict[str, Any], times: int) -> None:
    plan["strategies"] = [copy.deepcopy(s) for _ in range(times) for s in plan.get("strategies", [])]


def everything_pasted(plan: dict[str, Any], times: int) -> None:
    measures_pasted(plan, times)
    strategies_pasted(plan, times)


Grow = Callable[[dict[str, Any], int], None]
CASES: list[tuple[Path, Grow]] = [
    (STRONG_PARISH, more_measures_and_strategies), (MISSOURI, more_measures_and_strategies),
    (RIVERSIDE, more_measures_and_strategies), (STRONG_PARISH, more_work_per_strategy),
    (RIVERSIDE, more_work_per_strategy), (CLEARWATER, more_work_per_strategy),
    (STRONG_PARISH, one_long_series), (STRONG_PARISH, longer_histories), (RIVERSIDE, longer_histories),
    (STRONG_PARISH, longer_lists), (STRONG_PARISH, measures_pasted), (STRONG_PARISH, strategies_pasted),
]


def grown(plan_file: Path, grow: Grow, times: int) -> str:
    plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
    grow(plan, times)
    return yaml.safe_dump(plan, sort_keys=False, allow_unicode=True, width=1000)


@pytest.fixture(scope="module")
def profile() -> Any:
    """Every rule (the strict preset turns on those off by default), with state data and a monitoring date."""
    return build_profile(Config({"preset": "strict", "state-data": str(ROOT / "examples" / "state-data.csv"),
                                 "as-of": "2023-03-01"}))


def steps_per_rule(text: str, profile: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[int, bool]]:
    """The steps each rule spends on the plan, read from the budget the engine gives it, and whether
    it gave up (PL010)."""
    made: list[lang.Budget] = []
    spent: dict[str, tuple[int, bool]] = {}

    class Counted(lang.Budget):
        def __init__(self, limit: int) -> None:
            super().__init__(limit)
            made.append(self)

    run_rule = engine.run_rule

    def counted(active: Any, *args: Any, **kwargs: Any) -> Any:
        made.clear()
        found = run_rule(active, *args, **kwargs)
        assert len(made) == 1, "each rule is evaluated against one budget per plan"
        spent[active.rule.code] = (made[0].used, any(f.code == "PL010" for f in found))
        return found

    with monkeypatch.context() as patched:
        patched.setattr(lang, "Budget", Counted)
        patched.setattr(engine, "run_rule", counted)
        pipeline.check_bytes(text.encode("utf-8"), "plan.yaml", profile)
    assert set(spent) == {active.rule.code for active in profile.engine.rules}
    return spent


@pytest.mark.parametrize(("plan_file", "grow"), CASES, ids=[f"{p.stem}-{g.__name__}" for p, g in CASES])
def test_ten_times_the_items_cost_each_rule_at_most_about_ten_times_the_steps(
        plan_file: Path, grow: Grow, profile: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    small = steps_per_rule(grown(plan_file, grow, 1), profile, monkeypatch)
    large = steps_per_rule(grown(plan_file, grow, 10), profile, monkeypatch)
    gave_up = sorted(code for code, (_, failed) in {**small, **large}.items() if failed)
    assert gave_up == []
    too_costly = {code: f"{small[code][0]} -> {large[code][0]} steps" for code in small
                  if large[code][0] > GROWTH * small[code][0] + SLACK}
    assert too_costly == {}


def test_a_rule_that_searches_a_list_for_every_item_of_it_is_caught(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The measure above can fail: the same check written with the list instead of a tally grows a
    hundredfold with ten times the measures."""
    for code, served in (("TT901", "flatten(root.strategies[*].serves)"),
                         ("TT902", "tally(flatten(root.strategies[*].serves))")):
        write(tmp_path / "rules" / "tt" / f"{code}-served-{code[-1]}.yaml", rule_file(
            code, f"served-{code[-1]}", body=f"let:\n  served: {served}\ngiven: measures[*]\ncheck: id in served\n"
                                            "message: No strategy serves {id}.\n"))
    profile = build_profile(Config({"rules": ["rules"], "select": ["tt"]}, folder=tmp_path))
    small = steps_per_rule(grown(STRONG_PARISH, more_measures_and_strategies, 1), profile, monkeypatch)
    large = steps_per_rule(grown(STRONG_PARISH, more_measures_and_strategies, 10), profile, monkeypatch)
    assert large["TT901"][0] > 40 * small["TT901"][0]
    assert large["TT902"][0] <= GROWTH * small["TT902"][0]


@pytest.mark.parametrize("grow", [more_measures_and_strategies, one_long_series, everything_pasted])
def test_a_hundred_times_the_items_get_no_rule_that_gives_up(grow: Grow, tmp_path: Path) -> None:
    """700 measures and 400 strategies; 4,000 checkpoints of one action in one strategy (IB004 gave
    up there); the measures and strategies pasted 100 times, ids and all (PL005 gave up there)."""
    plan = tmp_path / "large.yaml"
    plan.write_text(grown(STRONG_PARISH, grow, 100), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "--select", "all", "--format", "json",
                                       "--as-of", "2023-03-01", str(plan)])
    findings = json.loads(result.output)["findings"]
    assert [f["message"] for f in findings if f["code"] in ("PL001", "PL010")] == []


def test_naming_the_findings_by_id_costs_in_proportion_to_them(profile: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each finding is named by its item's id where the id is unique (baselines, SARIF fingerprints).
    Counting an id's uses for every finding took 25 million look-ups for 5,000 findings on 5,000
    benchmarks, longer than every rule together; each list is now counted once."""
    from planlint import identity

    looked_up = [0]
    id_of = identity._id_of

    def counted(item: Any) -> Any:
        looked_up[0] += 1
        return id_of(item)

    monkeypatch.setattr(identity, "_id_of", counted)
    for times in (10, 100):
        looked_up[0] = 0
        text = grown(STRONG_PARISH, one_long_series, times)
        result = pipeline.check_bytes(text.encode("utf-8"), "plan.yaml", profile)
        named = [f for f in result.findings if "[id=series-" in (f.anchor or "")]
        assert len(named) >= 20 * times  # most checkpoints have a finding (IB008: past their date, no result)
        assert looked_up[0] <= 5 * 40 * times + 5 * len(result.findings)
