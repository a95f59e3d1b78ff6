"""A user's project for the tests of configuration, rule files, suppressions and the rule commands:
a plan with one finding of each core rule, two rules of the test's own pack, and helpers to run
`check` on them and read its findings. The fixtures that make the folder are in conftest.py.

Every test writes real files into a temporary folder and runs the command line (click's runner,
or the installed command where a time limit matters). planlint ships more packs than `core`, so
each test names the rules it runs with `select`: its results do not change when a pack grows.
"""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from planlint.cli import main

# A plan the schema accepts, with one finding of each core rule:
#   PL005 duplicate-id at 6:9 and 11:9, PL006 outside-period at 10:20, PL004 unknown-reference at 19:14.
PLAN = """\
planlint: 1
system:
  name: Test District
period: {start: 2022, end: 2026}
measures:
  - id: grad
    name: Percent graduating
    unit: percent
    direction: increase
    target: {year: 2027, value: 60}
  - id: grad
    name: Percent graduating on time
    unit: percent
    direction: increase
    target: {year: 2026, value: 60}
strategies:
  - id: literacy
    name: Literacy block
    serves: [gradd]
"""
PL004_AT, PL005_AT, PL006_AT = (19, 14), [(6, 9), (11, 9)], (10, 20)

# A plan with one warning only (PL006 at 10:20).
WARNING_ONLY = PLAN.replace("  - id: grad\n    name: Percent graduating on time", "  - id: grad-on-time\n"
                            "    name: Percent graduating on time").replace("serves: [gradd]", "serves: [grad]")

FINDING = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>[A-Z]{2,8}\d{3}) "
                     r"(?P<severity>error|warning|info) (?P<message>.*)$")


def rule_file(code: str, name: str, *, pack: str = "tt", severity: str = "error", body: str,
              examples: str | None = None, extra: str = "") -> str:
    """The text of a rule file; `body` holds its given/check/message lines."""
    examples = examples or (
        "examples:\n"
        "  pass:\n"
        "    - plan: |\n"
        "        measures: []\n"
        "  fail:\n"
        "    - plan: |\n"
        "        measures: [{id: a}]\n")
    return (f"code: {code}\nname: {name}\npack: {pack}\nseverity: {severity}\n"
            f"summary: A rule written for a test.\n{extra}{body}"
            "docs:\n  why: Tests need rules of their own.\n  fix: Nothing to fix.\n" + examples)


# Two rules of the test's own pack `tt`, with the plan above:
#   TT001 (a measure name of at most `max_length` characters) fails on the second measure, 11:5;
#   TT002 (a strategy names its owner) fails on the strategy, 17:5.
TT001 = rule_file("TT001", "short-measure-names", severity="warning", extra=(
    "options:\n  max_length:\n    default: 20\n    description: The longest name.\n"), body=(
    "given: measures[*]\n"
    "check: count(name) <= options.max_length\n"
    "message: The name has {count(name)} characters; keep it to {options.max_length}.\n"), examples=(
    "examples:\n"
    "  pass:\n"
    "    - plan: |\n"
    "        measures: [{id: a, name: Short}]\n"
    "  fail:\n"
    "    - plan: |\n"
    "        measures: [{id: a, name: A name that is far too long}]\n"))
TT002 = rule_file("TT002", "strategy-owner", body=(
    "given: strategies[*]\n"
    "check: exists(owner)\n"
    "message: The strategy \"{id}\" names no owner.\n"), examples=(
    "examples:\n"
    "  pass:\n"
    "    - plan: |\n"
    "        strategies: [{id: a, owner: Principal}]\n"
    "  fail:\n"
    "    - plan: |\n"
    "        strategies: [{id: a}]\n"
    "      findings:\n"
    "        - line: 1\n"))


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def findings(result: Result) -> list[dict]:
    """The findings of a `check --concise` run, as dicts; every other line must be the summary."""
    found = []
    for line in result.stdout.splitlines():
        match = FINDING.match(line)
        if match:
            found.append({**match.groupdict(), "line": int(match["line"]), "column": int(match["column"])})
        else:
            assert line.startswith("Checked "), line
    return found


def codes(result: Result) -> set[str]:
    assert result.exit_code in (0, 1), result.output
    return {f["code"] for f in findings(result)}


def places(result: Result, code: str) -> list[tuple[int, int]]:
    return [(f["line"], f["column"]) for f in findings(result) if f["code"] == code]


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """The 1-based line and column where `needle` starts in `text`."""
    offset = -1
    for _ in range(occurrence):
        offset = text.index(needle, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def assert_error_at(result: Result, file: Path | str, text: str, line: int, column: int) -> str:
    """Exit 2, nothing on standard output, and `file:line:column: error:` with the line and a marker."""
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{file}:{line}:{column}: error: "), lines[0]
    source = text.splitlines()[line - 1]
    assert lines[1] == f" {line} | {source}"
    assert lines[2] == f" {' ' * len(str(line))} | {' ' * (column - 1)}^"
    return lines[0]


def run_rule_tt003(project: Path, name: str, body: str) -> Result:
    """`check --concise` on the test plan with one rule of the test's own, TT003, and nothing else."""
    write(project / "rules" / "tt" / f"TT003-{name}.yaml", rule_file("TT003", name, body=body))
    write(project / ".planlint.yaml", "rules: [rules]\nselect: [TT003]\n")
    return run("check", "--concise", "plan.yaml")
