"""Text a configuration or rule pack gives that ends up as a pattern is checked where it is given.

A rule that passes an option to matches() as the pattern (`matches(name, options.allowed)`) gets a
value RE2 cannot read (`(a)\\1`, `(?=x)`) from its default, an example or a configuration: that is
exit 2 at the value's line and column, not a PL010 on every plan. IB009's words are words: the
configuration's `vague_actions` are compared as written, so `(re)teach` or `c++` mean those
characters and can break nothing. File patterns (`exclude:`, `per-file-ignores:`, `--exclude`) are
read when they are given too: pathspec builds a pattern's regular expression only at the first file
it matches, where a `[z-a]` was a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from click.testing import CliRunner

from planlint.cli import main

MINIMAL = Path(__file__).parent / "data" / "minimal.yaml"


def run(*args: str) -> tuple[str, int]:
    result = CliRunner().invoke(main, list(args), env={"NO_COLOR": "1", "PLANLINT_NO_CACHE": "1"})
    assert "Traceback" not in result.output
    return result.output, result.exit_code


def rule(default: str, example_options: str = "") -> str:
    return ("code: XS010\nname: measure-names\npack: xs\nseverity: warning\n"
            "summary: Measure names use the state's words.\n"
            f"options:\n  allowed:\n    default: '{default}'\n    description: What a measure name must match.\n"
            "given: measures[*]\ncheck: matches(name, options.allowed)\nat: name\n"
            "message: The name \"{name}\" does not match {options.allowed}.\n"
            "docs:\n  why: The state reads names by their words.\n  fix: Rename the measure.\n"
            "examples:\n  pass:\n    - plan: |\n        measures: [{id: a, name: Percent graduating}]\n"
            f"{example_options}"
            "  fail:\n    - plan: |\n        measures: [{id: a, name: Graduates}]\n")


def pack(tmp_path: Path, rule_text: str, config: str = "") -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "XS010-measure-names.yaml").write_text(rule_text, encoding="utf-8")
    (tmp_path / ".planlint.yaml").write_text(f"rules: [rules]\nselect: [xs]\n{config}", encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_a_sound_pattern_option_is_used(tmp_path: Path):
    folder = pack(tmp_path, rule("^Percent"), "options:\n  XS010: {allowed: '^(Percent|Number) of'}\n")
    output, code = run("check", "--concise", str(folder / "plan.yaml"))
    assert code == 0, output


def test_a_pattern_option_set_in_the_configuration_is_checked_when_it_loads(tmp_path: Path):
    folder = pack(tmp_path, rule("^Percent"), "options:\n  XS010: {allowed: '^(P)\\1'}\n")
    output, code = run("check", "--concise", str(folder / "plan.yaml"))
    assert code == 2, output
    assert ".planlint.yaml:4:20: error: The option allowed of XS010 is the pattern of a matches() in the rule: " \
           "matches() cannot read the pattern" in output, output


def test_a_pattern_option_whose_default_cannot_run_stops_the_rule_from_loading(tmp_path: Path):
    folder = pack(tmp_path, rule("^(?=Percent)"))
    output, code = run("check", "--concise", str(folder / "plan.yaml"))
    assert code == 2, output
    assert "XS010-measure-names.yaml:8:14: error: the option allowed is the pattern of a matches() in this rule: " \
           "matches() cannot read the pattern '^(?=Percent)'" in output, output


def test_a_pattern_option_in_an_example_is_checked_with_the_rule(tmp_path: Path):
    folder = pack(tmp_path, rule("^Percent", "      options: {allowed: 'a**'}\n"))
    output, code = run("test-rules", str(folder / "rules"))
    assert code == 2, output
    assert "XS010-measure-names.yaml:21:26: error: the option allowed is the pattern" in output, output


def test_vague_actions_are_words_not_patterns(tmp_path: Path):
    """Before, the words were joined into one pattern: `c++` made IB009 fail on every plan (PL010), and
    `(re)teach` matched "reteach" but not "(re)teach"."""
    plan = MINIMAL.read_text(encoding="utf-8").replace(
        "what: incorporating language objectives into daily lesson plans", "what: (Re)teach   the unit")
    (tmp_path / "plan.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / ".planlint.yaml").write_text(
        "select: [IB009]\noptions:\n  IB009: {vague_actions: [c++, (re)teach]}\n", encoding="utf-8")
    output, code = run("check", "--format", "json", str(tmp_path / "plan.yaml"))
    found = [(f["code"], f["line"]) for f in json.loads(output)["findings"]]
    assert found == [("IB009", 35)], output


@pytest.mark.parametrize(("config", "place"), [
    ("exclude: [drafts/, '[z-a]']\n", ":1:20:"),
    ("per-file-ignores:\n  '!': [PM006]\n", ":2:3:"),
])
def test_a_file_pattern_planlint_cannot_read_is_exit_2_at_its_place(tmp_path: Path, config: str, place: str):
    (tmp_path / "plan.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".planlint.yaml").write_text(config, encoding="utf-8")
    for args in (["check", str(tmp_path)], ["check", "--show-settings", str(tmp_path / "plan.yaml")],
                 ["fix", "--diff", str(tmp_path)]):
        output, code = run(*args)
        assert code == 2, output
        assert f".planlint.yaml{place} error: " in output and "is not a file pattern planlint can read" in output, \
            output


def test_a_bad_exclude_on_the_command_line_is_a_usage_error(tmp_path: Path):
    (tmp_path / "plan.yaml").write_text(MINIMAL.read_text(encoding="utf-8"), encoding="utf-8")
    output, code = run("check", "--no-config", "--exclude", "[z-a]", str(tmp_path))
    assert code == 2 and '--exclude: "[z-a]" is not a file pattern planlint can read (bad character range z-a)' \
        in output, output
