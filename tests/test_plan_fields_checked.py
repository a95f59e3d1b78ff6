"""A state's own plan fields (`plan-fields:`) are checked when the configuration or rule pack loads.

Their schemas become part of the plan format, so a pattern planlint cannot run, a schema that is not
JSON Schema or a reference leaving the file would otherwise surface at the first plan: as a
traceback, or as a pattern run by a backtracking engine for minutes. Each is exit 2 at its place in
the configuration (YAML or pyproject.toml) or the rule file, the same way rule option schemas are.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main

PLAN = (Path(__file__).parent / "data" / "minimal.yaml").read_text(encoding="utf-8").replace(
    "    frequency: annual\n", "    frequency: annual\n    owner: Director of Assessment\n")


def check(folder: Path, *args: str) -> tuple[str, int]:
    box: list = []

    def invoke() -> None:
        box.append(CliRunner().invoke(main, ["check", "--no-cache", "--concise", *args, str(folder / "plan.yaml")],
                                      env={"NO_COLOR": "1", "PLANLINT_NO_CACHE": "1"}))

    worker = threading.Thread(target=invoke, daemon=True)
    worker.start()
    worker.join(60)
    assert box, "planlint check did not finish in 60 s"
    assert "Traceback" not in box[0].output
    return box[0].output, box[0].exit_code


def project(tmp_path: Path, config: str, *, name: str = ".planlint.yaml") -> Path:
    (tmp_path / name).write_text(config, encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(PLAN, encoding="utf-8")
    return tmp_path


# (the field's schema as written in YAML, the column the error points at, words of the message)
BROKEN = [
    (r"{type: string, pattern: '(a)\1'}", 36, "RE2, which matches in linear time and has no backreferences"),
    (r"{type: string, pattern: '^(?=D)'}", 36, "the pattern '^(?=D)' cannot be used"),
    (r"{type: object, patternProperties: {'(?<!x)a': {}}}", 47, "the pattern '(?<!x)a' cannot be used"),
    (r"{type: object, patternProperties: {'a{,3}': {}}}", 47, "Rust's regex"),  # RE2 reads it; the fast validator not
    ("{type: strin}", 19, "not a valid JSON Schema"),
    ("{type: string, minLength: many}", 38, "not a valid JSON Schema: 'many' is not of type 'integer'"),
    ("{$ref: 'file:///etc/hostname'}", 19, "points outside the configuration file"),
    ("{$ref: 'http://localhost:9/owner.json'}", 19, "points outside the configuration file"),
    ("{$ref: '#/$defs/person'}", 19, "points at no part of the plan format's schema"),
    ("{type: object, properties: {name: {$ref: '#/$defs/nowhere'}}}", 53, "points at no part"),
    ("{$id: 'file:///etc/', $ref: 'hostname'}", 40, "`$ref: hostname` points outside the configuration file"),
    ("{$id: 'file:///etc/x.json', type: string}", 13, "`$id` is not used in a plan field's schema"),
]


@pytest.mark.parametrize(("schema", "column", "words"), BROKEN)
def test_a_broken_field_schema_in_a_configuration_is_exit_2_at_its_place(tmp_path: Path, schema: str, column: int,
                                                                         words: str):
    folder = project(tmp_path, f"plan-fields:\n  measure:\n    owner: {schema}\n")
    output, code = check(folder)
    assert code == 2, output
    assert f".planlint.yaml:3:{column}: error: the field owner (measure): " in output, output
    assert words in output, output


def test_a_broken_field_schema_in_pyproject_is_exit_2_at_its_key(tmp_path: Path):
    folder = project(tmp_path, "[project]\nname = 'plans'\n\n[tool.planlint.plan-fields.measure.owner]\n"
                               "type = 'string'\npattern = '(a)\\1'\n", name="pyproject.toml")
    output, code = check(folder)
    assert code == 2, output
    assert "pyproject.toml:6:" in output and "the pattern '(a)\\\\1' cannot be used" in output, output


def test_a_broken_field_schema_in_a_rule_pack_is_exit_2_in_the_rule_file(tmp_path: Path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "XS003-measure-owner.yaml").write_text(
        "code: XS003\nname: measure-owner\npack: xs\nseverity: warning\n"
        "summary: Every mission measure names the person who answers for it.\n"
        "plan-fields:\n  measure:\n    owner: {type: string, pattern: '^(?!tbd)'}\n"
        "given: measures[*]\ncheck: exists(owner)\nmessage: The measure \"{id}\" names no owner.\n"
        "docs:\n  why: A measure that everyone owns is reported on by no one.\n  fix: Add an owner.\n"
        "examples:\n  pass:\n    - plan: |\n        measures: [{id: a, owner: Principal}]\n"
        "  fail:\n    - plan: |\n        measures: [{id: a}]\n", encoding="utf-8")
    folder = project(tmp_path, "rules: [rules]\nselect: [xs]\n")
    output, code = check(folder)
    assert code == 2, output
    assert "XS003-measure-owner.yaml:8:36: error: the field owner (measure): the pattern '^(?!tbd)'" in output, output
    result = CliRunner().invoke(main, ["test-rules", str(rules)], env={"PLANLINT_NO_CACHE": "1"})
    assert result.exit_code == 2 and "XS003-measure-owner.yaml:8:36: error:" in result.output, result.output


def test_a_sound_field_schema_still_judges_plans(tmp_path: Path):
    """References to the plan format's own parts, and patterns RE2 reads, are fine."""
    folder = project(tmp_path, "plan-fields:\n  measure:\n"
                               "    owner: {$ref: '#/$defs/text', pattern: '^(Assistant )?Principal\\b'}\n"
                               "    review_year: {$ref: '#/$defs/year'}\n")
    output, code = check(folder, "--select", "PL")
    assert code == 1 and "owner must be valid" in output, output
    (folder / "plan.yaml").write_text(PLAN.replace("owner: Director of Assessment", "owner: Principal"))
    output, code = check(folder, "--select", "PL")
    assert code == 0, output


def test_an_unknown_key_is_told_without_running_a_pattern_for_minutes(tmp_path: Path):
    """jsonschema's own wording of an unknown key matched the field's patterns with Python's `re`:
    `^(a+)+$` against 35 a's and a `!` ran for minutes."""
    folder = project(tmp_path, "plan-fields:\n  measure:\n"
                               "    owner: {type: object, patternProperties: {'^(a+)+$': {}}, "
                               "additionalProperties: false}\n")
    (folder / "plan.yaml").write_text(PLAN.replace("owner: Director of Assessment", f"owner: {{{'a' * 35}!: 1}}"))
    started = time.monotonic()
    output, code = check(folder, "--select", "PL")
    assert time.monotonic() - started < 30
    assert code == 1 and f'has an unknown key "{"a" * 35}!". Its keys must match the patterns' in output, output
