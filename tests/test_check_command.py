"""`planlint check` built and run without click: --format/--output pairing from the order click parsed
them in, and a CheckSettings run end to end on real plans, writing every report through the registry."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.check_command import FORMAT, OUTPUT, CheckSettings, Write, pair_outputs, run_check
from planlint.cli import main
from planlint.pipeline import Settings
from planlint.reporters import FORMATS, REPORTERS
from planlint.write_guard import Refused

ROOT = Path(__file__).parents[1]
BROKEN = ROOT / "examples" / "broken"
TABS = str(BROKEN / "tabs.yaml")


def test_each_output_pairs_with_the_format_just_before_it():
    order = [FORMAT, OUTPUT, FORMAT, FORMAT, OUTPUT]
    writes = pair_outputs(order, ["junit", "text", "sarif"], ["j.xml", "s.sarif"])
    assert writes == (Write("junit", "j.xml"), Write("text"), Write("sarif", "s.sarif"))


@pytest.mark.parametrize(("order", "formats", "outputs", "words"), [
    ([OUTPUT], [], ["x.txt"], "each --output follows the --format it writes"),
    ([FORMAT, OUTPUT, OUTPUT], ["json"], ["a.json", "b.json"], "each --output follows the --format it writes"),
    ([FORMAT, FORMAT], ["text", "json"], [], "only one format can go to standard output"),
])
def test_outputs_that_cannot_be_paired_are_refused(order: list[str], formats: list[str], outputs: list[str],
                                                   words: str):
    with pytest.raises(Refused, match=words):
        pair_outputs(order, formats, outputs)


def test_auto_is_github_inside_github_actions_and_statistics_replace_text_markdown_and_json():
    assert pair_outputs([], [], []) == (Write("text"),)
    assert pair_outputs([], [], [], in_github_actions=True) == (Write("github"),)
    writes = pair_outputs([FORMAT, FORMAT, OUTPUT, FORMAT, OUTPUT], ["auto", "json", "markdown"],
                          ["f.json", "f.md"], statistics=True)
    assert writes == (Write("statistics"), Write("json-statistics", "f.json"), Write("markdown-statistics", "f.md"))
    with pytest.raises(Refused, match="--statistics works with the formats json, markdown, text"):
        pair_outputs([FORMAT], ["sarif"], [], statistics=True)


def test_every_format_and_only_those_are_choices_of_format():
    assert set(FORMATS) < set(REPORTERS)
    assert set(REPORTERS) - set(FORMATS) == {"statistics", "markdown-statistics", "json-statistics",
                                             "github-step-summary"}
    choices = next(p for p in main.commands["check"].params if p.name == "formats").type.choices
    assert list(choices) == [*FORMATS, "auto"]


@pytest.mark.parametrize("spelling", [["-fjunit", "-o{j}", "-f", "sarif", "--output={s}"],
                                      ["--format=junit", "--output", "{j}", "--format", "sarif", "-o{s}"]])
def test_the_pairing_follows_every_spelling_click_accepts(tmp_path: Path, spelling: list[str]):
    files = {"j": str(tmp_path / "j.xml"), "s": str(tmp_path / "s.sarif")}
    args = [word.format(**files) for word in spelling]
    result = CliRunner().invoke(main, ["check", "--no-config", *args, TABS])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert Path(files["j"]).read_text().startswith("<?xml")
    assert json.loads(Path(files["s"]).read_text())["version"] == "2.1.0"


def test_a_plan_named_like_an_option_after_double_dash_is_a_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    Path("-o").write_bytes(Path(TABS).read_bytes())
    result = CliRunner().invoke(main, ["check", "--no-config", "-f", "json", "--", "-o"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["findings"][0]["file"] == "-o"


def test_run_check_writes_each_report_and_returns_the_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture):
    summary = tmp_path / "summary.md"
    settings = CheckSettings(
        paths=(str(BROKEN),), pipeline=Settings(isolated=True), step_summary=str(summary),
        writes=(Write("statistics"), Write("github", str(tmp_path / "annotations.txt")),
                Write("json", str(tmp_path / "findings.json"))))
    assert run_check(settings, stdin=io.BytesIO()) == 1
    statistics = capsys.readouterr().out
    from_cli = CliRunner().invoke(main, ["check", "--no-config", "-f", "text", "--statistics", str(BROKEN)])
    assert statistics == from_cli.stdout
    assert (tmp_path / "annotations.txt").read_text().startswith("::error file=")
    document = json.loads((tmp_path / "findings.json").read_text())
    assert document["summary"]["files"] == 16
    assert summary.read_text().startswith("## planlint report\n")


def test_run_check_refuses_a_report_over_a_plan_before_any_work(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(Path(TABS).read_bytes())
    settings = CheckSettings(paths=(str(plan),), pipeline=Settings(isolated=True),
                             writes=(Write("json", str(plan)),))
    with pytest.raises(Refused, match="is a plan being checked"):
        run_check(settings, stdin=io.BytesIO())
    assert plan.read_bytes() == Path(TABS).read_bytes()
