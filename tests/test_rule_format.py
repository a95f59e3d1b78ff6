"""The rule format as a rule writer meets it: `given:` may name several lists, `applies_if:` and
`filter:` replace `when:` and `where:` (an old key is an error that names the new one), and names
under `let:`/`with:` may come in any order but never depend on themselves."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from projects import assert_error_at, findings, position, rule_file, run, run_rule_tt003, write

from planlint import rulecache, rules
from planlint.lang import Expr, parse_template
from planlint.lang.ast import Binary, Call, Conditional, ListExpr, Project, Quantifier, walk
from planlint.resources import rules_dir
from planlint.rules import plan_fields

pytestmark = pytest.mark.usefixtures("quiet_environment")

# Strategies with benchmarks and interim measures, some without a `who`.
LISTS_PLAN = """\
planlint: 1
system: {name: Test District}
period: {start: 2025, end: 2027}
strategies:
  - id: literacy
    name: Literacy block
    implementation_benchmarks:
      - {id: b1, who: teachers}
      - {id: b2}
    interim_measures:
      - {id: i1}
      - {id: i2, who: students in grades 3-5}
  - id: math
    name: Math practice
    interim_measures:
      - {id: i3}
"""


def _run_on(project: Path, plan: str, name: str, body: str):
    write(project / "lists.yaml", plan)
    write(project / "rules" / "tt" / f"TT003-{name}.yaml", rule_file("TT003", name, body=body))
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [TT003]\n")
    return run("check", "--concise", "lists.yaml")


# `given:` with several lists


def test_a_given_list_checks_the_nodes_of_every_list_with_one_check(project: Path):
    result = _run_on(project, LISTS_PLAN, "who", (
        "given:\n"
        "  - strategies[*].implementation_benchmarks[*]\n"
        "  - strategies[*].interim_measures[*]\n"
        "check: exists(who)\n"
        "message: '\"{id}\" names no one.'\n"))
    assert [(f["line"], f["message"]) for f in findings(result)] == [
        (9, '"b2" names no one.'), (11, '"i1" names no one.'), (16, '"i3" names no one.')]
    assert result.exit_code == 1


def test_a_node_that_two_paths_select_is_checked_once(project: Path):
    result = _run_on(project, LISTS_PLAN, "once", (
        "given:\n"
        "  - strategies[*].interim_measures[*]\n"
        "  - strategies[0].interim_measures[*]\n"
        "check: exists(who)\n"
        "message: '\"{id}\" names no one.'\n"))
    assert [f["message"] for f in findings(result)] == ['"i1" names no one.', '"i3" names no one.']


@pytest.mark.parametrize(("given", "needle", "words"), [
    ("given:\n  - measures[*]\n  - count(strategies)\n", "count", "in `given` (path 2): a selector must be"),
    ("given:\n  - measures[*]\n  - strategies[*].owners[*]\n", "owners", "in `given` (path 2): no part of a plan "
     "has the field 'owners'; did you mean 'owner'?"),
    ("given: []\n", "[]", "must be a path such as measures[*], or a list of paths"),
    ("given:\n  - measures[*]\n  - measures [*]\n", "measures [*]",
     "in `given` (path 2): this path is path 1 again; list each path once"),
    ("given:\n  - measures[*]\n  - 42\n", "42", "given[1] must be a path such as measures[*], not 42"),
], ids=["not-a-path", "unknown-field", "empty", "repeated", "not-text"])
def test_a_mistake_in_a_given_list_is_shown_at_its_place(project: Path, given: str, needle: str, words: str):
    text = rule_file("TT003", "broken", body=given + "check: exists(id)\nmessage: No id.\n")
    path = write(project / "rules" / "tt" / "TT003-broken.yaml", text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [tt]\n")
    result = run("check", "--concise", "plan.yaml")
    first = assert_error_at(result, path, text, *position(text, needle))
    assert words in first


def test_checks_share_the_rules_given_and_with(project: Path):
    result = _run_on(project, LISTS_PLAN, "shared", (
        "given:\n"
        "  - strategies[*].implementation_benchmarks[*]\n"
        "  - strategies[*].interim_measures[*]\n"
        "with:\n  label: upper(id)\n"
        "checks:\n"
        "  - check: exists(who)\n"
        "    message: '{label} names no one.'\n"
        "  - given: strategies[*]\n"
        "    with:\n      items: count(interim_measures) + count(implementation_benchmarks)\n"
        "    check: items > 1\n"
        "    message: '{label} has {items} item.'\n"))
    assert [(f["line"], f["message"]) for f in findings(result)] == [
        (9, "B2 names no one."), (11, "I1 names no one."), (13, "MATH has 1 item."), (16, "I3 names no one.")]


@pytest.mark.parametrize(("body", "needle", "words"), [
    ("given: measures[*]\nfilter: exists(id)\nchecks:\n  - check: exists(name)\n    message: No name.\n",
     "filter", "error: `filter:` next to `checks:` would not be used: each check has its own"),
    ("given: measures[*]\nwith:\n  size: count(name)\nchecks:\n  - with:\n      size: 1 + 1\n"
     "    check: size > 0\n    message: No name.\n", "size: 1", "'size' is already a `with:` value of the rule"),
], ids=["unused-filter", "repeated-with-name"])
def test_a_rule_with_checks_shares_only_given_and_with(project: Path, body: str, needle: str, words: str):
    text = rule_file("TT003", "shared", body=body)
    path = write(project / "rules" / "tt" / "TT003-shared.yaml", text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [tt]\n")
    result = run("check", "--concise", "plan.yaml")
    first = assert_error_at(result, path, text, *position(text, needle))
    assert words in first


# `applies_if:` and `filter:`


def test_applies_if_runs_a_rule_only_on_plans_where_it_holds(project: Path):
    body = ("applies_if: count(root.strategies) > {n}\n"
            "given: strategies[*]\n"
            "filter: id != 'math'\n"
            "check: exists(owner)\n"
            "message: '\"{{id}}\" has no owner.'\n")
    applies = _run_on(project, LISTS_PLAN, "owner", body.format(n=1))
    assert [f["message"] for f in findings(applies)] == ['"literacy" has no owner.']
    assert _run_on(project, LISTS_PLAN, "owner", body.format(n=2)).exit_code == 0


@pytest.mark.parametrize(("body", "needle", "words"), [
    ("when: exists(root.strategies)\ncheck: true == true\nmessage: Never.\n", "when",
     "`when:` is now `applies_if:`; rename the key."),
    ("given: measures[*]\nwhere: exists(id)\ncheck: exists(name)\nmessage: No name.\n", "where",
     "`where:` is now `filter:`; rename the key."),
    ("checks:\n  - given: measures[*]\n    check: exists(name)\n    message: No name.\n"
     "  - given: strategies[*]\n    where: exists(id)\n    check: exists(owner)\n    message: No owner.\n",
     "where", "`where:` is now `filter:`"),
], ids=["when", "where", "where-in-checks"])
def test_an_old_key_is_an_error_at_its_place_naming_the_new_one(project: Path, body: str, needle: str, words: str):
    text = rule_file("TT003", "old", body=body)
    path = write(project / "rules" / "tt" / "TT003-old.yaml", text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [tt]\n")
    result = run("check", "--concise", "plan.yaml")
    first = assert_error_at(result, path, text, *position(text, needle))
    assert words in first


def test_a_benchmark_field_named_when_is_still_read_as_a_field(project: Path):
    plan = LISTS_PLAN.replace("{id: b1, who: teachers}", "{id: b1, who: teachers, when: 2025-09-15}")
    result = _run_on(project, plan, "dated", (
        "given: strategies[*].implementation_benchmarks[*]\n"
        "filter: exists(when)\n"
        "check: when < @2025-09-01\n"
        "message: '\"{id}\" is measured on {when}.'\n"))
    assert [f["message"] for f in findings(result)] == ['"b1" is measured on 2025-09-15.']


# Names under `let:` and `with:`


def test_names_may_use_names_written_after_them(project: Path):
    result = run_rule_tt003(project, "ordered", (
        "let:\n  summary: str(count(ids)) + ' measures'\n  ids: root.measures[*].id\n"
        "given: strategies[*]\n"
        "with:\n  shown: upper(plain)\n  plain: id\n"
        "check: 'false'\n"
        "message: '{shown}: {summary}'\n"))
    assert [f["message"] for f in findings(result)] == ["LITERACY: 2 measures"]


def test_a_with_named_like_a_let_hides_it_in_the_checks_but_not_in_the_given_path(project: Path):
    result = _run_on(project, LISTS_PLAN, "hidden", (
        "let:\n  label: \"'b1'\"\n"
        "given: strategies[*].implementation_benchmarks[? id != label]\n"
        "with:\n  label: upper(id)\n"
        "check: 'false'\n"
        "message: '{label}'\n"))
    assert [f["message"] for f in findings(result)] == ["B2"]


def test_a_with_value_reads_its_node_not_the_variables_of_the_check_that_reads_it(project: Path):
    result = _run_on(project, LISTS_PLAN, "apart", (
        "given: strategies[*]\n"
        "with:\n  title: name\n"
        "check: all(title == 'nothing' for name in [1, 2])\n"
        "message: '{title}'\n"))
    assert [f["message"] for f in findings(result)] == ["Literacy block", "Math practice"]


CIRCLES = {
    "let-itself": ("let:\n  total: total + 1\ncheck: total > 0\nmessage: '{total}'\n", "total + 1",
                   "in `let: total`: 'total' refers to itself, so it would have no value"),
    "with-itself": ("given: measures[*]\nwith:\n  size: count(name) + size\ncheck: size > 0\nmessage: '{size}'\n",
                    "size\ncheck", "in `with: size`: 'size' refers to itself"),
    "let-circle": ("let:\n  first: '1'\n  a: count(b)\n  b: '[c]'\n  c: a + first\ncheck: a > 0\nmessage: '{a}'\n",
                   "b)", "in `let: a`: 'a' refers to itself through 'b' and 'c' (a -> b -> c -> a), so none of "
                   "them would have a value; break the circle"),
    "with-circle-in-checks": (
        "checks:\n  - given: measures[*]\n    check: exists(id)\n    message: No id.\n"
        "  - given: strategies[*]\n    with:\n      one: if exists(two) then two else 0\n      two: one\n"
        "    check: one > 0\n    message: '{one}'\n", "two) then", "in `with: one`: 'one' refers to itself "
        "through 'two' (one -> two -> one)"),
    "with-hides-the-let-it-reads": ("let:\n  size: '3'\ngiven: measures[*]\nwith:\n  size: size + 1\n"
                                    "check: size > 0\nmessage: '{size}'\n", "size + 1",
                                    "in `with: size`: 'size' refers to itself"),
}


@pytest.mark.parametrize("case", sorted(CIRCLES))
def test_a_name_that_depends_on_itself_is_an_error_at_its_place(project: Path, case: str):
    body, needle, words = CIRCLES[case]
    text = rule_file("TT003", "circle", body=body)
    path = write(project / "rules" / "tt" / "TT003-circle.yaml", text)
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [tt]\n")
    result = run("check", "--concise", "plan.yaml")
    first = assert_error_at(result, path, text, *position(text, needle))
    assert words in first


# The shipped rules read plainly


def _shipped_rules() -> list[Path]:
    return sorted(rules_dir().glob("*/*.yaml"))


def _logic_in(hole: Expr) -> str | None:
    """What makes a message hole more than a named value: a decision, a loop, arithmetic, a literal
    list, or a call inside a call. A name, a field path or one call of names (join(goals, ', '))
    is a value."""
    for part in walk(hole):
        if isinstance(part, Conditional):
            return "if/else"
        if isinstance(part, Project) and part.condition is not None:
            return "a filter [? ...]"
        if isinstance(part, (Quantifier, Binary, ListExpr)):
            return "a computation"
        if isinstance(part, Call) and any(isinstance(inner, Call) for arg in part.args for inner in walk(arg)):
            return "a call inside a call"
    return None


@pytest.mark.parametrize("path", _shipped_rules(), ids=lambda path: path.stem)
def test_every_shipped_message_names_its_values_and_leaves_the_logic_to_with_and_let(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for index, spec in enumerate(data.get("checks", [data])):
        for hole in parse_template(spec["message"]).holes:
            logic = _logic_in(hole)
            assert logic is None, f"check {index + 1}: a message hole at column {hole.column} holds {logic}"


@pytest.mark.parametrize("path", _shipped_rules(), ids=lambda path: path.stem)
def test_no_shipped_rule_names_a_value_after_a_plan_field(path: Path):
    """A name under let:/with: hides the plan field of the same name, which a reader would not expect."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    names = [*data.get("let", {}), *data.get("with", {})]
    names += [name for spec in data.get("checks", []) for name in spec.get("with", {})]
    assert not set(names) & plan_fields()


def test_the_style_check_finds_logic_in_a_message():
    """The two tests above can fail: each kind of logic they look for is found."""
    holes = parse_template("{if a then 'x' else 'y'}{xs[? b].c}{count(d for d in ds)}{a + 1}{[a]}"
                           "{join(default(a, b), ', ')}{join(goals, ', ')}{goal(node).name}").holes
    assert [_logic_in(hole) for hole in holes] == [
        "if/else", "a filter [? ...]", "a computation", "a computation", "a computation", "a call inside a call",
        None, None]


def test_a_rule_cache_entry_from_another_rule_format_is_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A rule file read under an older format (where `when:` was a key) must be read again, or its
    old key would slip past the check that names the new one."""
    monkeypatch.setenv("PLANLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PLANLINT_NO_CACHE", raising=False)
    schema = write(tmp_path / "rule.schema.json", '{"title": "format 1"}')
    monkeypatch.setattr(rulecache, "schema_path", lambda name: schema)
    rule = write(tmp_path / "TT003-x.yaml", rule_file("TT003", "x", body="check: exists(id)\nmessage: No id.\n"))
    reads: list[Path] = []

    def read(path: Path) -> rules.RuleSource:
        reads.append(path)
        return rules.read_rule(path)

    first, again = (rulecache.cached([rule], read, rules.build_rule, kind=rules.RuleSource) for _ in range(2))
    assert [r.code for r in first] == [r.code for r in again] == ["TT003"]
    assert len(reads) == 1
    write(schema, '{"title": "format 2"}')
    rulecache.cached([rule], read, rules.build_rule, kind=rules.RuleSource)
    assert len(reads) == 2
