"""`planlint forecast` on plans as they come (any value of any kind), under the configuration `check`
uses, with JSON numbers as the text shows them; and no command writes its output over a file it reads."""

from __future__ import annotations

import datetime
import io
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from mutate import node_paths, replaced

from planlint.cli import main
from planlint.forecast import ForecastOptions, forecast_plan, render_json, render_text

ROOT = Path(__file__).parents[1]
STRONG = ROOT / "examples" / "strong-parish-2026.yaml"
STATE = ROOT / "examples" / "state-data.csv"


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


@pytest.fixture(autouse=True)
def _no_configuration_from_outside(tmp_path: Path) -> None:
    """A configuration in each test's folder, so that none found further up (or none) changes a result;
    tests that are about the configuration write their own."""
    (tmp_path / ".planlint.yaml").write_text("preset: recommended\n", encoding="utf-8")


def strongreplaced(tmp_path: Path, old: str, new: str, name: str = "plan.yaml") -> Path:
    text = STRONG.read_text(encoding="utf-8")
    assert old in text
    plan = tmp_path / name
    plan.parent.mkdir(parents=True, exist_ok=True)
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    return plan


def first_block(output: str) -> str:
    return output.split("\n\n")[0]


def row(block: str, label: str) -> str:
    """The value of a worksheet row: `  required annual change      -` -> `-`."""
    line = next(line for line in block.splitlines() if line.strip().startswith(label))
    return line.strip()[len(label):].strip()


# -- 1. mistyped values: the worksheet still prints, what cannot be computed is not judged ----------------

MISTYPED = {
    "baseline-1e400": ("    baseline: {year: 2019, value: 52}", "    baseline: {year: 2019, value: 1e400}"),
    "history-text": ("    history: {2017: 53.4, 2018: 52.7, 2019: 52}", '    history: "see state file"'),
    "target-tbd": ("    target: {year: 2026, value: 60}", "    target: {year: 2026, value: tbd}"),
    "period-floats": ("period: {start: 2022, end: 2026}", "period: {start: 2022.5, end: 2026.7}"),
}


@pytest.mark.parametrize("case", sorted(MISTYPED))
def test_a_mistyped_value_is_shown_as_not_judged_never_a_traceback(tmp_path: Path, case: str):
    plan = strongreplaced(tmp_path, *MISTYPED[case])
    text = run("forecast", "--state-data", str(STATE), str(plan))
    assert text.exit_code == 0 and text.exception is None, text.output
    assert "Traceback" not in text.output
    block = first_block(text.output)
    document = run("forecast", "--format", "json", str(plan))
    assert document.exit_code == 0 and document.exception is None, document.output
    first = json.loads(document.output)["measures"][0]
    assert len(json.loads(document.output)["measures"]) == 7
    if case == "baseline-1e400":
        assert row(block, "baseline") == "1e400 (2019)"  # as written: YAML reads 1e400 as text
        assert row(block, "required annual change") == "-"
        assert row(block, "feasibility").startswith("not judged: it needs a baseline and a target")
        assert first["baseline"] == "1e400" and first["required_annual_change"] is None
        assert first["suggested_trajectory"] is None
    elif case == "history-text":
        assert row(block, "history") == "none"
        assert row(block, "average annual change") == "-"
        assert row(block, "status quo projection 2026") == "- (the plan states 47)"
        assert "trajectory: {2022: 55.4" in block  # the baseline and target still draw the line
        assert first["history"] == {} and first["projection"] is None and first["computation"] is None
    elif case == "target-tbd":
        assert row(block, "target 2026") == "tbd"
        assert row(block, "required annual change") == "-"
        assert first["target"] == "tbd" and first["required_annual_change"] is None
    else:  # no straight line starts in the year 2022.5
        assert "a straight line" not in text.output
        assert all(m["suggested_trajectory"] is None for m in json.loads(document.output)["measures"])
        assert row(block, "required annual change") == "1.14"  # the rest is judged as usual


def test_numbers_too_large_infinite_or_not_numbers_at_all_are_not_judged():
    """What other loaders (or a future one) may hand over: infinity, not-a-number, huge ints, dates."""
    huge = 10 ** 400
    plan = {"period": {"start": huge, "end": 2026}, "measures": [
        {"id": "inf", "unit": "percent", "direction": "increase", "history": {"2018": 1.0, "2019": math.inf},
         "baseline": {"year": 2019, "value": math.inf}, "projection": {"year": 2026, "value": math.nan},
         "target": {"year": 2026, "value": 60}, "feasibility": datetime.date(2022, 9, 15)},
        {"id": "huge", "direction": "decrease", "history": {"2018": huge, "2019": -huge},
         "baseline": {"year": huge, "value": huge}, "target": {"year": 2026, "value": -huge}},
        {"id": ["a", "list"], "name": {"a": "mapping"}, "unit": ["percent"], "history": [52],
         "baseline": {"year": 2026.0, "value": 1}, "target": {"year": 2030, "value": 5}},
    ]}
    forecasts = forecast_plan(plan, ForecastOptions(forecast_years=5))
    document = json.loads(render_json(forecasts), parse_constant=pytest.fail)  # no Infinity or NaN
    inf, big, odd = document["measures"]
    assert inf["baseline"] is None and inf["stated_projection"] is None and inf["feasibility"] is None
    assert inf["average_annual_change"] is None and inf["projection"] is None
    assert inf["stated_feasibility"] == "2022-09-15"
    assert big["average_annual_change"] is None and big["required_annual_change"] is None
    assert odd["id"] == "?" and odd["name"] == "" and odd["suggested_trajectory"] is None
    block = first_block(render_text(forecasts))
    assert block.splitlines()[0] == "inf (percent, increase)"
    assert row(block, "history") == "2018: 1"  # infinity is left out, as tbd would be
    assert row(block, "status quo projection 2026") == "- (the plan states not a number)"
    assert row(block, "baseline") == "infinite (2019)" and row(block, "required annual change") == "-"
    assert "? (-, -)" in render_text(forecasts).splitlines()


def test_text_from_the_plan_cannot_drive_the_terminal():
    plan = {"measures": [{"id": "m\x1b[2J", "name": "line\nbreak", "unit": "percent", "direction": "up\x07",
                          "target": {"year": 2026, "value": "tbd\r"}}]}
    text = render_text(forecast_plan(plan))
    assert text.splitlines()[0] == "m\\x1b[2J: line\\nbreak (percent, up\\x07)"
    assert row(text, "target 2026") == "tbd\\r"


ODD_VALUES: list[Any] = ["tbd", "45%", None, [], {}, -1, 1e9, 2.5, True,
                         "1e400", 2022.5, 10 ** 400, datetime.date(2022, 9, 15)]


def test_every_value_of_a_plan_may_be_odd_and_forecast_still_answers(tmp_path: Path):
    """Nodes of the strong example set to odd values, and `forecast` answers each plan (exit 0, or 1 for a
    plan it cannot load), in text and JSON, never with a traceback.

    A measure's worksheet depends on that measure and the period only, so one plan holds many variants
    of the measures: node i of the measures gets ODD_VALUES[(i + 5k) % n] in plan k (3 of the 13 values,
    a different 3 for each node, so each kind of node meets most values across the 7 measures). The
    plan-wide nodes (the plan, its measures, its period) get every other value, a plan each (each run
    builds the configuration's rules, some 30 ms: a plan for every pair would take too long)."""
    base = yaml.safe_load(STRONG.read_text(encoding="utf-8"))
    nodes = [(measure, path) for measure in base["measures"] for path in node_paths(measure)]
    plans: list[tuple[str, Any]] = []
    for k in range(3):
        variants = [replaced(measure, path, ODD_VALUES[(i + 5 * k) % len(ODD_VALUES)])
                    for i, (measure, path) in enumerate(nodes)]
        plans += [(f"measure variants {k}", {**base, "measures": variants})] * 2  # text, then json
    plan_wide = [(), ("measures",), ("period",), ("period", "start"), ("period", "end")]
    plans += [(f"{'.'.join(path) or 'the plan'} = {odd!r}", replaced(base, path, odd))
              for j, path in enumerate(plan_wide) for v, odd in enumerate(ODD_VALUES) if (j + v) % 2 == 0]
    file = tmp_path / "plan.yaml"
    for number, (what, plan) in enumerate(plans):
        output_format = ("text", "json")[number % 2]
        file.write_text(json.dumps(plan, default=str), encoding="utf-8")  # JSON is YAML, and quick to write
        result = run("forecast", "--format", output_format, str(file))
        assert result.exit_code in (0, 1), f"{what} ({output_format}):\n{result.output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), what
        measures = plan.get("measures") if isinstance(plan, dict) else None
        expected = sum(isinstance(m, dict) for m in measures) if isinstance(measures, list) else 0
        if output_format == "json" and result.exit_code == 0:
            assert len(json.loads(result.stdout, parse_constant=pytest.fail)["measures"]) == expected, what
        elif output_format == "text" and expected:
            assert result.stdout.count("\n  required annual change ") == expected, what


# -- a plan that cannot be loaded: reported as `check` reports it ------------------------------------------

def test_a_plan_that_cannot_be_loaded_is_reported_as_check_reports_it(tmp_path: Path):
    plan = tmp_path / "broken.yaml"
    plan.write_text("planlint: 1\nsystem: [unclosed\n", encoding="utf-8")
    checked = run("check", str(plan))
    for output_format in ("text", "json"):
        result = run("forecast", "--format", output_format, str(plan))
        assert result.exit_code == checked.exit_code == 1
        assert result.stdout == ""  # nothing half-written for a script to read
        assert result.stderr == checked.stdout
        assert f"{plan}:3:1: PL001 error The file is not valid YAML" in result.stderr


def test_a_plan_from_standard_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # standard input has the configuration of the working folder
    result = run("forecast", "-", stdin=STRONG.read_bytes())
    assert result.exit_code == 0 and "status quo projection 2026  47.1" in result.output
    broken = run("forecast", "-", stdin=b"a:\tb\n\t- c\n")
    assert broken.exit_code == 1 and "<stdin>:" in broken.stderr and "PL001 error" in broken.stderr


# -- 2. the configuration `check` uses -------------------------------------------------------------------

CONFIG = """\
state-data: data/state-data.csv
options:
  TGT005: {forecast_years: 5}
  feasibility: {cuts: [90, 80, 70]}
ignore: [TGT007]   # not run by check, but its options still say how feasibility reads
"""


@pytest.fixture()
def configured(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "state-data.csv").write_bytes(STATE.read_bytes())
    (tmp_path / ".planlint.yaml").write_text(CONFIG, encoding="utf-8")
    plan = tmp_path / "plans" / "2026" / "plan.yaml"
    plan.parent.mkdir(parents=True)
    plan.write_bytes(STRONG.read_bytes())
    return plan


def test_forecast_reads_the_configuration_found_from_the_plans_folder(configured: Path):
    block = first_block(run("forecast", str(configured)).output)
    assert row(block, "status quo projection 2026") == "48.5 (the plan states 47)"  # 52 + 5 x -0.7
    assert row(block, "baseline") == "52 (2019), percentile rank 40.6 in the state"
    assert row(block, "feasibility").startswith("unprecedented: 53% of the state's systems")  # cuts 90, 80, 70
    document = json.loads(run("forecast", "--format", "json", str(configured)).output)
    assert document["measures"][0]["projection"] == 48.5
    assert document["measures"][0]["feasibility"] == "unprecedented"
    checked = json.loads(run("check", "--format", "json", "--select", "TGT012", str(configured)).output)
    assert [f["code"] for f in checked["findings"]][:1] == ["TGT012"]  # check reads the same state data


def test_command_line_options_win_over_the_configuration(configured: Path, tmp_path: Path):
    block = first_block(run("forecast", "--forecast-years", "7", str(configured)).output)
    assert row(block, "status quo projection 2026") == "47.1 (the plan states 47)"
    one_system = tmp_path / "one.csv"
    one_system.write_text("system,measure,year,value\nA,GRAD_CRED,2019,50\nA,GRAD_CRED,2020,60\n", encoding="utf-8")
    block = first_block(run("forecast", "--state-data", str(one_system), str(configured)).output)
    assert row(block, "baseline") == "52 (2019), percentile rank 100 in the state"


def test_no_config_and_a_named_config(configured: Path, tmp_path: Path):
    block = first_block(run("forecast", "--no-config", str(configured)).output)
    assert row(block, "status quo projection 2026") == "47.1 (the plan states 47)"
    assert row(block, "baseline") == "52 (2019)"
    named = tmp_path / "other.yaml"
    named.write_text("options:\n  TGT005: {forecast_years: 2}\n  TGT007: {min_history_changes: 2}\n", encoding="utf-8")
    block = first_block(run("forecast", "--config", str(named), str(configured)).output)
    assert row(block, "status quo projection 2026") == "50.6 (the plan states 47)"  # 52 + 2 x -0.7
    assert row(block, "feasibility").startswith("unprecedented: 0% of this measure's past years")


def test_a_broken_configuration_is_a_usage_error_at_its_place(configured: Path, tmp_path: Path):
    (tmp_path / ".planlint.yaml").write_text("options:\n  TGT005: {forecast_years: 0}\n", encoding="utf-8")
    result = run("forecast", str(configured))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert ".planlint.yaml:2:" in result.output and "forecast_years of TGT005 must be at least 1" in result.output


# -- 3. JSON numbers as the text shows them; -f --------------------------------------------------------

def test_json_numbers_are_rounded_as_the_text_shows_them(tmp_path: Path):
    plan = strongreplaced(tmp_path, "    history: {2017: 53.4, 2018: 52.7, 2019: 52}",
                       "    history: {2024: 58.333333333, 2025: 58.666666666}")
    text = first_block(run("forecast", str(plan)).output)
    assert row(text, "status quo projection 2026") == "59 (the plan states 47)"
    assert row(text, "average annual change") == "0.33"
    first = json.loads(run("forecast", "--format", "json", str(plan)).output)["measures"][0]
    assert first["projection"] == 59 and isinstance(first["projection"], int)  # not 58.999999999
    assert first["average_annual_change"] == 0.33 and first["required_annual_change"] == 1.14
    assert first["history"] == {"2024": 58.333333333, "2025": 58.666666666}  # the plan's own values as written
    again = run("forecast", "-f", "json", str(plan))
    assert again.exit_code == 0 and again.output == run("forecast", "--format", "json", str(plan)).output


# -- 4. no output over a file the run reads ----------------------------------------------------------------

@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    (tmp_path / "plans" / "sub").mkdir(parents=True)
    for name in ("plans/a.yaml", "plans/sub/b.yaml"):
        (tmp_path / name).write_bytes(STRONG.read_bytes())
    return tmp_path


@pytest.mark.parametrize("output, inputs", [
    ("plans/a.yaml", ["plans/a.yaml"]),
    ("plans/../plans/a.yaml", ["plans/a.yaml"]),            # spelled another way
    ("plans/sub/b.yaml", ["plans/"]),                        # found in a folder
    ("plans/sub/b.yaml", ["plans/a.yaml", "plans/sub"]),
])
def test_check_does_not_write_a_report_over_a_plan_it_checks(plans: Path, monkeypatch: pytest.MonkeyPatch,
                                                             output: str, inputs: list[str]):
    monkeypatch.chdir(plans)
    before = {p: p.read_bytes() for p in plans.rglob("*.yaml")}
    result = run("check", "--no-config", "-f", "json", "-o", output, *inputs)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"--output {output} is a plan being checked" in result.output
    assert "does not write a report over a file it reads" in result.output
    assert {p: p.read_bytes() for p in plans.rglob("*.yaml")} == before


def test_check_does_not_write_over_a_hard_link_or_the_files_it_reads(plans: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(plans)
    (plans / "link.yaml").hardlink_to(plans / "plans" / "a.yaml")
    result = run("check", "--no-config", "-f", "json", "-o", "link.yaml", "plans/a.yaml")
    assert result.exit_code == 2 and "--output link.yaml is a plan being checked (plans/a.yaml)" in result.output
    (plans / "state.csv").write_bytes(STATE.read_bytes())
    result = run("check", "--no-config", "--state-data", "state.csv", "-f", "json", "-o", "state.csv", "plans/")
    assert result.exit_code == 2 and "--output state.csv is the --state-data file" in result.output
    assert (plans / "state.csv").read_bytes() == STATE.read_bytes()
    written = run("check", "--no-config", "-f", "json", "-o", "report.json", "plans/")
    assert written.exit_code == 0 and json.loads((plans / "report.json").read_text())["summary"]["files"] == 2


@pytest.mark.parametrize("command", [["check"], ["baseline"], ["forecast"]])
def test_standard_output_sent_to_the_plan_is_refused(plans: Path, command: list[str]):
    """`planlint check plan.yaml >> plan.yaml`: the shell opens the plan for the output. (With `>` it is
    emptied before planlint starts; `>>` keeps it, so the test can see that nothing is written.)"""
    plan = plans / "plans" / "a.yaml"
    before = plan.read_bytes()
    with open(plan, "ab") as stdout:
        done = subprocess.run([sys.executable, "-m", "planlint", *command, str(plan)],
                              stdout=stdout, stderr=subprocess.PIPE, text=True, cwd=plans, check=False)
    assert done.returncode == 2, done.stderr
    assert f"standard output goes to {plan}" in done.stderr and "Traceback" not in done.stderr
    assert plan.read_bytes() == before


def test_the_forecast_runs_from_its_settings_without_click(capsys: pytest.CaptureFixture):
    from planlint import forecast
    from planlint.forecast_command import ForecastSettings, run_forecast
    from planlint.pipeline import Settings

    overrides = tuple({**forecast.CONFIG_OVERRIDES, "state-data": str(STATE.resolve())}.items())
    settings = ForecastSettings(plan=str(STRONG), output_format="json", state_data=str(STATE),
                                pipeline=Settings(isolated=True, overrides=overrides))
    assert run_forecast(settings, stdin=io.BytesIO()) == 0
    printed = capsys.readouterr().out
    assert printed == run("forecast", "--no-config", "-f", "json", "--state-data", str(STATE), str(STRONG)).stdout
    assert json.loads(printed)
