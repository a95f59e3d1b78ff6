"""docs/writing-rules.md, followed step by step: every file it shows is written, in the order it
appears, and every command it shows is run with the installed `planlint`, from inside
xs-pack/, after the files above it. Output and exit code must be exactly what the page says."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DOC = Path(__file__).parents[1] / "docs" / "writing-rules.md"
FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
EXIT_LINE = re.compile(r"\(exit (\d+)\)")


@dataclass(frozen=True)
class FileStep:
    path: str
    text: str
    line: int  # of the fence in the page, for messages


@dataclass(frozen=True)
class CommandStep:
    command: str
    output: str
    exit_code: int
    line: int


def steps(markdown: str) -> list[FileStep | CommandStep]:
    """The page's `yaml file=PATH` and `console` blocks, in page order."""
    found: list[FileStep | CommandStep] = []
    for match in FENCE.finditer(markdown):
        info, body = match.group("info").split(), match.group("body")
        line = markdown.count("\n", 0, match.start()) + 1
        attributes = dict(word.split("=", 1) for word in info[1:] if "=" in word)
        if info[:1] == ["yaml"] and "file" in attributes:
            found.append(FileStep(attributes["file"], body, line))
        elif info == ["console"]:
            lines = body.splitlines()
            assert lines and lines[0].startswith("$ planlint "), \
                f"line {line}: a console block starts with `$ planlint`"
            exit_match = EXIT_LINE.fullmatch(lines[-1])
            assert exit_match, f"line {line}: a console block ends with `(exit N)`"
            output = "".join(text + "\n" for text in lines[1:-1])
            found.append(CommandStep(lines[0][2:], output, int(exit_match.group(1)), line))
    return found


STEPS = steps(DOC.read_text(encoding="utf-8"))


def installed_planlint() -> str:
    found = shutil.which("planlint", path=os.path.dirname(sys.executable))
    assert found, "the planlint command is not installed next to this Python"
    return found


def test_the_page_writes_the_pack_and_runs_the_commands_it_promises():
    files = {step.path for step in STEPS if isinstance(step, FileStep)}
    assert files == {
        "xs-pack/rules/xs/XS001-at-most-five-measures.yaml",
        "xs-pack/rules/xs/XS002-family-engagement-benchmark.yaml",
        "xs-pack/.planlint.yaml",
        "xs-pack/plan.yaml",
        "xs-pack/fields/rules/XS003-measure-owner.yaml",
        "xs-pack/fields/.planlint.yaml",
        "xs-pack/fields/plan.yaml",
    }
    commands = [step.command for step in STEPS if isinstance(step, CommandStep)]
    assert "planlint test-rules rules" in commands
    assert "planlint check --concise plan.yaml" in commands
    assert "planlint explain XS001" in commands
    assert {step.exit_code for step in STEPS if isinstance(step, CommandStep)} >= {0, 1, 2}


def test_every_command_on_the_page_prints_what_the_page_shows(tmp_path: Path):
    pack = tmp_path / "xs-pack"
    env = dict(os.environ, NO_COLOR="1", PLANLINT_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PLANLINT_NO_CACHE", None)
    env.pop("GITHUB_ACTIONS", None)
    ran = 0
    for step in STEPS:
        if isinstance(step, FileStep):
            target = tmp_path / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.text, encoding="utf-8")
            continue
        arguments = shlex.split(step.command)
        done = subprocess.run([installed_planlint(), *arguments[1:]], cwd=pack, env=env,
                              capture_output=True, text=True, timeout=120)
        output = (done.stdout + done.stderr).replace(f"{pack}{os.sep}", "").replace(str(tmp_path), "")
        assert (output, done.returncode) == (step.output, step.exit_code), \
            f"docs/writing-rules.md line {step.line}: $ {step.command}"
        ran += 1
    assert ran >= 5


def test_console_blocks_are_read_as_command_output_and_exit_code():
    text = "```console\n$ planlint check plan.yaml\nChecked 1 file: no problems found.\n(exit 0)\n```\n"
    (step,) = steps(text)
    assert step == CommandStep("planlint check plan.yaml", "Checked 1 file: no problems found.\n", 0, 1)


def test_file_blocks_are_read_in_page_order_with_their_path():
    text = ("```yaml file=a/x.yaml\none: 1\n```\n\n```console\n$ planlint rules\n(exit 0)\n```\n\n"
            "```yaml file=a/x.yaml\none: 2\n```\n\n```yaml\nnot: a file\n```\n")
    assert steps(text) == [FileStep("a/x.yaml", "one: 1\n", 1), CommandStep("planlint rules", "", 0, 5),
                           FileStep("a/x.yaml", "one: 2\n", 10)]
