"""Functions for rules that read frameworks: the goal sets a plan aligns with (ldoe, msip5, a state's own).

They read the plan's facts (planlint.facts), resolved before any rule runs: every framework the
configuration knows, and those the plan's `frameworks:` names. `framework` and `goal` see
frameworks as the plan does: an id the plan's own framework files define comes first. Nothing
here opens a file: a path the plan does not name is no framework.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planlint.facts import Declared, PlanFacts, facts_of, from_id, is_framework_path
from planlint.frameworks import Framework, FrameworkSet, grade_range, grades_apply
from planlint.lang.function import Function, fail, need_list, need_number, need_text, registry


def _entries(facts: PlanFacts, entries: list[str]) -> list[Declared]:
    """The entries as the plan resolved them; an id it does not name is looked up, a path it does not name is none."""
    found = []
    for entry in entries:
        mine = next((d for d in facts.declared if d.entry == entry), None)
        if mine is None:
            mine = Declared(entry, None, (
                f"The framework file \"{entry}\" is not one the plan names under `frameworks:`, so "
                "planlint has not read it.")) if is_framework_path(entry) else from_id(entry, facts.known)
        found.append(mine)
    return found


def _declared(ctx: Any, entries: Any = None) -> list[Declared]:
    facts = facts_of(ctx)
    return list(facts.declared) if entries is None else _entries(facts, entries)


def _known(ctx: Any) -> FrameworkSet:
    return facts_of(ctx).known


def _resolve(ctx: Any, name: str, ref: Any) -> Framework | None:
    text = need_text(name, ref)
    if text is None:
        return None
    for declared in _declared(ctx):
        if declared.framework is not None and text in (declared.entry, declared.framework.id):
            return declared.framework
    return _declared(ctx, [text])[0].framework


def _split(name: str, goal_ref: Any) -> tuple[str, str] | None:
    text = need_text(name, goal_ref)
    if text is None or "." not in text:
        return None
    framework_id, _, goal_id = text.partition(".")
    return framework_id, goal_id


def _goal(ctx: Any, name: str, goal_ref: Any) -> Mapping[str, Any] | None:
    parts = _split(name, goal_ref)
    found = _resolve(ctx, name, parts[0]) if parts else None
    if found is None or parts is None:
        return None
    return next((goal for goal in found.goals if goal["id"] == parts[1]), None)


def framework(ctx: Any, ref: Any) -> Mapping[str, Any] | None:
    found = _resolve(ctx, "framework", ref)
    return found.value if found is not None else None


def framework_ids(ctx: Any, refs: Any) -> list[str]:
    entries = [e for e in need_list("framework_ids", refs) if isinstance(e, str)]
    return [d.framework.id for d in _declared(ctx, entries) if d.framework is not None]


def framework_problem(ctx: Any, ref: Any) -> str | None:
    text = need_text("framework_problem", ref)
    if text is None:
        return None
    mine = [d for d in _declared(ctx) if d.entry == text]
    return (mine or _declared(ctx, [text]))[-1].problem


def goal(ctx: Any, goal_ref: Any) -> Mapping[str, Any] | None:
    return _goal(ctx, "goal", goal_ref)


def goal_problem(ctx: Any, goal_ref: Any, refs: Any) -> str | None:
    parts = _split("goal_problem", goal_ref)
    entries = [e for e in need_list("goal_problem", refs) if isinstance(e, str)]
    if parts is None:
        return None  # not written framework.goal: the plan's schema says so
    declared = _declared(ctx, entries)
    usable = {d.framework.id: d.framework for d in declared if d.framework is not None}
    framework_id, goal_id = parts
    if framework_id not in usable:
        if any(d.problem and (d.entry == framework_id or is_framework_path(d.entry)) for d in declared):
            return None  # the `frameworks:` entry that should define it is reported instead
        return _undeclared(framework_id, goal_ref, list(usable), _known(ctx))
    found = usable[framework_id]
    ids = [g["id"] for g in found.goals]
    if goal_id in ids:
        return None
    import difflib  # only for an unknown goal

    close = difflib.get_close_matches(goal_id, ids, n=1, cutoff=0.6)
    hint = f" Did you mean \"{framework_id}.{close[0]}\"?" if close else ""
    return (f"This measure aligns with \"{goal_ref}\", but {found.name} ({framework_id}) has no goal "
            f"\"{goal_id}\".{hint} Its goals are: {', '.join(ids)}.")


def _undeclared(framework_id: str, goal_ref: Any, usable: list[str], known: FrameworkSet) -> str:
    declared = (f"The plan declares {', '.join(usable)} under `frameworks:`" if usable
                else "The plan declares no framework under `frameworks:`")
    if framework_id in known:
        fix = f"add {framework_id} to `frameworks:`, or correct the goal."
    else:
        fix = (f"planlint knows no framework \"{framework_id}\" (it knows {', '.join(known.ids)}); "
               "correct the goal, or name the state's framework file under `frameworks:`.")
    return f"This measure aligns with \"{goal_ref}\", but the plan does not declare the framework " \
           f"\"{framework_id}\". {declared}: {fix}"


def goal_applies(ctx: Any, goal_ref: Any, grades: Any) -> bool | None:
    found = _goal(ctx, "goal_applies", goal_ref)
    if found is None:
        return None
    return grades_apply(found.get("grades"), need_grades("goal_applies", grades))


def grade_span_includes(grades: Any, span: Any) -> bool | None:
    outer = grade_range(need_grades("grade_span_includes", grades))
    inner = grade_range(need_grades("grade_span_includes", span))
    if outer is None or inner is None:
        return None
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def designation(value: Any, ladder: Any) -> str | None:
    number = need_number("designation", value)
    if isinstance(ladder, Mapping):
        ladder = ladder.get("designations")
    steps = need_list("designation", ladder)
    if number is None:
        return None
    for step in steps:
        if not isinstance(step, Mapping):
            raise fail("designation", "a list of designations such as thresholds.attendance", step)
        floor = step.get("at_least")
        if floor is None or number >= floor:
            return step.get("name")
    return None


def points_possible(ctx: Any, ref: Any, grades: Any) -> int | float | None:
    found = _resolve(ctx, "points_possible", ref)
    plan_grades = need_grades("points_possible", grades)
    scoring = found.value.get("scoring") if found is not None else None
    if not isinstance(scoring, Mapping) or grade_range(plan_grades) is None:
        return None
    return next((total["points"] for total in scoring.get("totals", [])
                 if grades_apply(total.get("grades"), plan_grades)), None)


def need_grades(name: str, value: Any) -> str | int | None:
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise fail(name, "a grade span such as K-12", value)


FUNCTIONS = registry(
    Function("framework", 1, 1, framework,
             "The framework with this id (or a file path the plan names) as the plan sees it: goals (each with ref, name, "
             "grades, applies_to), min_goals, thresholds, scoring; null if there is none.",
             "framework(id)", needs_context=True, example="framework('ldoe').min_goals"),
    Function("framework_ids", 1, 1, framework_ids,
             "The ids of the frameworks a `frameworks:` list names (ids or files), skipping those that "
             "cannot be found.",
             "framework_ids(frameworks)", needs_context=True, example="framework_ids(['ldoe', 'msip5'])"),
    Function("framework_problem", 1, 1, framework_problem,
             "Why an entry of the plan's `frameworks:` names no usable framework (an unknown id, a file "
             "outside the plan's folder, a missing or broken file, with its line and column); null if it is fine.",
             "framework_problem(entry)", needs_context=True, example="framework_problem('msip5')"),
    Function("goal", 1, 1, goal,
             "The goal a framework.goal reference names (id, ref, name, description, grades, applies_to); "
             "null if there is none.",
             "goal(ref)", needs_context=True, example="goal('msip5.attendance').name"),
    Function("goal_problem", 2, 2, goal_problem,
             "Why a framework.goal reference does not fit the declared frameworks (the framework is not "
             "declared, or has no such goal); null if it is fine.",
             "goal_problem(ref, frameworks)", needs_context=True,
             example="goal_problem('ldoe.grade3-mastery', ['ldoe'])"),
    Function("goal_applies", 2, 2, goal_applies,
             "Whether a goal applies to a grade span, by the goal's grades (any_of, none_of); null if the "
             "goal or the span is unknown.",
             "goal_applies(ref, grades)", needs_context=True,
             example="goal_applies('msip5.graduation', 'K-8')"),
    Function("grade_span_includes", 2, 2, grade_span_includes,
             "Whether a grade span includes every grade of another span or grade (PK, K, 1-12).",
             "grade_span_includes(grades, span)", example="grade_span_includes('K-12', '9-12')"),
    Function("designation", 2, 2, designation,
             "The name of the first designation (highest first) whose at_least the value reaches; the "
             "designations may be given as a threshold that has them.",
             "designation(value, designations)",
             example="designation(87, framework('msip5').thresholds.attendance)"),
    Function("points_possible", 2, 2, points_possible,
             "The points a framework's scoring makes possible for a plan of this grade span.",
             "points_possible(framework, grades)", needs_context=True,
             example="points_possible('msip5', 'K-12')"),
)
