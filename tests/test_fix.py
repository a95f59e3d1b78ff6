"""`planlint fix`, `fix --diff` and `check --fix` on realistic plans, through the command line.

Each folder under data/fix holds a plan as a team wrote it (plan.yaml), the plan as planlint fix
must leave it, byte for byte (expected.yaml), what planlint fix says it did (fixed.txt), and the
findings of fixable rules that must be left for the team (left.txt: "CODE path" lines).
"""

from __future__ import annotations

import codecs
import inspect
import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main
from planlint.fixes import FIXERS

DATA = Path(__file__).parent / "data" / "fix"
CASES = sorted(p.name for p in DATA.iterdir() if (p / "plan.yaml").is_file())
EXAMPLES = Path(__file__).parents[1] / "examples"


def run(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def apart(*args: str, stdin: bytes | None = None):
    """A run whose standard output and standard error are kept apart (click before 8.2 mixes them)."""
    separate = {"mix_stderr": False} if "mix_stderr" in inspect.signature(CliRunner).parameters else {}
    return CliRunner(**separate).invoke(main, list(args), input=stdin)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with its own configuration, so none found further up changes a result."""
    (tmp_path / ".planlint.yaml").write_text("preset: recommended\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def fixable_findings(name: str) -> list[str]:
    result = run("check", "-f", "json", name)
    return sorted(f"{f['code']} {f['path']}" for f in json.loads(result.output)["findings"]
                  if f["code"] in FIXERS)


def case_bytes(case: str, name: str, *, newline: str = "\n", bom: bool = False) -> bytes:
    text = (DATA / case / name).read_text(encoding="utf-8").replace("\n", newline)
    return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")


@pytest.mark.parametrize("case", CASES)
def test_fix_changes_only_the_fixed_values(case: str, folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes(case, "plan.yaml"))
    before = fixable_findings("plan.yaml")

    result = run("fix", "plan.yaml")

    assert result.exit_code == 0, result.output
    assert plan.read_bytes() == case_bytes(case, "expected.yaml")
    assert result.output == (DATA / case / "fixed.txt").read_text(encoding="utf-8")
    left = [line for line in (DATA / case / "left.txt").read_text(encoding="utf-8").split("\n") if line]
    assert fixable_findings("plan.yaml") == sorted(left)
    assert set(left) < set(before)


@pytest.mark.parametrize("case", CASES)
def test_a_second_run_changes_nothing(case: str, folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes(case, "expected.yaml"))
    stamp = os.stat(plan).st_mtime_ns

    assert run("fix", "--diff", "plan.yaml").exit_code == 0
    result = run("fix", "plan.yaml")

    assert (result.exit_code, result.output) == (0, "Nothing to fix.\n")
    assert plan.read_bytes() == case_bytes(case, "expected.yaml")
    assert os.stat(plan).st_mtime_ns == stamp


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("newline, bom", [("\r\n", False), ("\n", True), ("\r\n", True)])
def test_line_ends_and_byte_order_mark_are_kept(case: str, newline: str, bom: bool, folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes(case, "plan.yaml", newline=newline, bom=bom))

    assert run("fix", "plan.yaml").exit_code == 0
    assert plan.read_bytes() == case_bytes(case, "expected.yaml", newline=newline, bom=bom)


@pytest.mark.parametrize("case", CASES)
def test_diff_shows_the_change_and_writes_nothing(case: str, folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes(case, "plan.yaml"))
    os.utime(plan, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))

    result = apart("fix", "--diff", "plan.yaml")

    assert result.exit_code == 1
    assert plan.read_bytes() == case_bytes(case, "plan.yaml")
    assert os.stat(plan).st_mtime_ns == 1_600_000_000_000_000_000
    assert result.stdout.startswith("--- plan.yaml\n+++ plan.yaml\n@@ ")
    assert result.stderr.endswith("in 1 file.\n") and result.stderr.startswith("plan.yaml:")
    patched = apply_unified_diff(plan.read_bytes(), result.stdout_bytes)
    assert patched == case_bytes(case, "expected.yaml")


def apply_unified_diff(original: bytes, diff: bytes) -> bytes:
    """`original` with a unified diff applied as patch(1) applies it, every context and removed line
    checked against the file, so that the diff is shown to be the fix and nothing else."""
    source, lines = _lines(original), _lines(diff)
    assert lines[0].startswith(b"--- ") and lines[1].startswith(b"+++ ")
    parts = []
    for line in lines[2:]:
        if line.startswith(b"\\"):  # "\ No newline at end of file": the line before ends without one
            parts[-1] = parts[-1][:-1]
        else:
            parts.append(line)
    out: list[bytes] = []
    at = 0
    for line in parts:
        hunk = re.match(rb"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", line)
        if hunk:
            start = int(hunk.group(1)) - (0 if hunk.group(2) == b"0" else 1)
            assert start >= at, "hunks out of order"
            out += source[at:start]
            at = start
        elif line[:1] in (b" ", b"-"):
            assert source[at] == line[1:], f"line {at + 1} of the file is not what the diff says"
            at += 1
            if line[:1] == b" ":
                out.append(line[1:])
        else:
            assert line[:1] == b"+", line
            out.append(line[1:])
    return b"".join(out + source[at:])


def _lines(data: bytes) -> list[bytes]:
    """Lines as patch reads them: each up to and with its \\n."""
    return [line for line in re.split(rb"(?<=\n)", data) if line]


def test_diff_of_a_plan_with_nothing_to_fix(folder: Path) -> None:
    shutil.copy(EXAMPLES / "strong-parish-2026.yaml", folder / "plan.yaml")

    result = apart("fix", "--diff", "plan.yaml")

    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Nothing to fix.\n")


@pytest.mark.parametrize("broken", ["yaml-syntax.yaml", "duplicate-key.yaml", "tabs.yaml", "two-documents.yaml"])
@pytest.mark.parametrize("diff", [False, True])
def test_a_plan_that_does_not_load_is_never_touched(broken: str, diff: bool, folder: Path) -> None:
    plan = folder / broken
    original = (EXAMPLES / "broken" / broken).read_bytes().replace(b"value: 40}", b"value: 40%}")
    plan.write_bytes(original)
    stamp = os.stat(plan).st_mtime_ns

    result = apart("fix", *(["--diff"] if diff else []), broken)

    assert result.exit_code == 1
    code = "PL002" if broken == "duplicate-key.yaml" else "PL001"
    assert f" {code} error " in result.stderr and f"{broken}: not fixed:" in result.stderr
    assert (result.stdout if not diff else result.stderr).endswith("Nothing fixed. 1 plan could not be fixed (see above).\n")
    assert "--- " not in result.stdout
    assert plan.read_bytes() == original and os.stat(plan).st_mtime_ns == stamp


def test_check_fix_reports_what_is_left(folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes("unit-strings", "plan.yaml"))

    result = apart("check", "--fix", "--concise", "plan.yaml")

    assert result.exit_code == 1  # the ratio's 45% is left: an error
    assert plan.read_bytes() == case_bytes("unit-strings", "expected.yaml")
    assert result.stderr == (DATA / "unit-strings" / "fixed.txt").read_text(encoding="utf-8")
    assert result.stdout == run("check", "--concise", "plan.yaml").output
    assert "PL003 error measures[2].target.value" in result.stdout and "30.2%" not in result.stdout


def test_check_fix_keeps_a_json_report_whole(folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes("projection", "plan.yaml"))

    result = apart("check", "--fix", "-f", "json", "plan.yaml")

    codes = [f["code"] for f in json.loads(result.stdout)["findings"]]
    assert "TGT005" not in codes and result.stderr.count("TGT005 fixed") == 3


def test_the_fixed_projection_is_the_one_forecast_prints(folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes("projection", "plan.yaml"))
    assert run("fix", "plan.yaml").exit_code == 0

    worksheet = json.loads(run("forecast", "-f", "json", "plan.yaml").output)["measures"]

    fixed = [m for m in worksheet if m["id"] != "a-schools"]  # its projection is suppressed, and stays
    assert [(m["projection"], m["stated_projection"]) for m in fixed] == [(41.5, 41.5), (63, 63), (0, 0)]


def test_the_projection_follows_the_configured_forecast_years(folder: Path) -> None:
    (folder / ".planlint.yaml").write_text("options:\n  TGT005: {forecast_years: 5}\n", encoding="utf-8")
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes("projection", "plan.yaml"))

    result = run("fix", "plan.yaml")

    assert "52 + 5 x -1.5 = 44.5" in result.output
    assert b"projection: {year: 2026, value: 44.5}          # from last year's draft" in plan.read_bytes()


def test_a_value_an_alias_shares_is_left_alone(folder: Path) -> None:
    plan = folder / "plan.yaml"
    text = case_bytes("unit-strings", "plan.yaml").decode()
    text = text.replace("target: {year: 2026, value: 40%}     # board goal", "target: &goal {year: 2026, value: 40%}")
    text = text.replace("target: {year: 2026, value: -16% pts.}", "target: *goal")
    plan.write_text(text, encoding="utf-8")

    assert run("fix", "plan.yaml").exit_code == 0

    fixed = plan.read_text(encoding="utf-8")
    assert "target: &goal {year: 2026, value: 40%}" in fixed and "2020-21: 30.2    #" in fixed


def test_a_plan_changed_while_it_is_fixed_is_not_overwritten(folder: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from planlint.fixes import files

    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes("projection", "plan.yaml"))
    saved = b"# saved from the editor meanwhile\n" + case_bytes("projection", "plan.yaml")
    real = files.fix_text

    def editor_saves_meanwhile(*args, **kwargs):
        outcome = real(*args, **kwargs)
        plan.write_bytes(saved)
        return outcome

    monkeypatch.setattr(files, "fix_text", editor_saves_meanwhile)
    result = apart("fix", "plan.yaml")

    assert result.exit_code == 1
    assert "plan.yaml: the file changed while planlint was fixing it" in result.stderr
    assert plan.read_bytes() == saved


def test_permissions_are_kept_and_links_written_through(folder: Path) -> None:
    (folder / "plans").mkdir()
    real = folder / "plans" / "plan.yaml"
    real.write_bytes(case_bytes("projection", "plan.yaml"))
    os.chmod(real, 0o640)
    (folder / "link.yaml").symlink_to(real)

    assert run("fix", "link.yaml").exit_code == 0

    assert (folder / "link.yaml").is_symlink()
    assert real.read_bytes() == case_bytes("projection", "expected.yaml")
    assert stat.S_IMODE(os.stat(real).st_mode) == 0o640
    assert sorted(p.name for p in (folder / "plans").iterdir()) == ["plan.yaml"]  # no temporary file left


def test_a_read_only_plan_is_not_changed(folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes("projection", "plan.yaml"))
    os.chmod(plan, 0o444)

    result = apart("fix", "plan.yaml")

    assert result.exit_code == 1 and "plan.yaml: the file is read-only" in result.stderr
    assert plan.read_bytes() == case_bytes("projection", "plan.yaml")


def test_standard_input_is_fixed_to_standard_output(folder: Path) -> None:
    result = apart("fix", "-", stdin=case_bytes("yaml-traps", "plan.yaml"))

    assert result.exit_code == 0
    assert result.stdout_bytes == case_bytes("yaml-traps", "expected.yaml")
    assert "<stdin>:6:7: PL007 fixed: 036 -> \"036\"" in result.stderr


def test_folders_are_fixed_and_named_in_the_summary(folder: Path) -> None:
    for case in CASES:
        (folder / "plans" / case).mkdir(parents=True)
        (folder / "plans" / case / "plan.yaml").write_bytes(case_bytes(case, "plan.yaml"))

    result = run("fix", "plans")

    assert result.exit_code == 0 and result.output.endswith(f"in {len(CASES)} files.\n")
    for case in CASES:
        assert (folder / "plans" / case / "plan.yaml").read_bytes() == case_bytes(case, "expected.yaml")


def test_rules_and_explain_say_which_rules_have_a_fix(folder: Path) -> None:
    table = run("rules").output.splitlines()
    assert table[0].split() == ["code", "name", "pack", "severity", "status", "fix"]
    fixable = sorted(line.split()[0] for line in table[1:] if line.split()[-1] == "yes")
    assert fixable == sorted(FIXERS)
    assert {row["code"] for row in json.loads(run("rules", "--format", "json").output) if row["fix"]} == set(FIXERS)
    assert "Fix (planlint fix):\n  The stated projection becomes" in run("explain", "TGT005").output
    assert "Fix (planlint fix):\n  A value other YAML tools read differently" in run("explain", "PL007").output
    assert "planlint fix" not in run("explain", "TGT003").output


def test_a_suppressed_finding_is_not_fixed(folder: Path) -> None:
    plan = folder / "plan.yaml"
    text = case_bytes("yaml-traps", "plan.yaml").decode()
    text = text.replace("id: 036            # LDOE site code, with its leading zero",
                        "id: 036  # planlint: disable=PL007 -- the state's file writes it so")
    plan.write_text(text, encoding="utf-8")

    result = run("fix", "plan.yaml")

    fixed = plan.read_text(encoding="utf-8")
    assert "id: 036  # planlint: disable=PL007" in fixed and 'rationale: "yes"' in fixed
    assert "036 ->" not in result.output and "Fixed 2 problems in 1 file." in result.output


def test_a_file_planlint_cannot_read_is_left_alone(folder: Path) -> None:
    plan = folder / "plan.yaml"
    original = case_bytes("unit-strings", "plan.yaml").replace(b"Bayou Oaks", b"Bayou \xe9 Oaks")
    plan.write_bytes(original)

    result = apart("fix", "plan.yaml")

    assert result.exit_code == 1 and "PL001 error The file is not UTF-8 text" in result.stderr
    assert plan.read_bytes() == original


def test_a_trajectory_year_written_as_an_alias_is_no_place_to_insert(folder: Path) -> None:
    plan = folder / "plan.yaml"
    text = case_bytes("trajectory-gaps", "plan.yaml").decode()
    text = text.replace("baseline: {year: 2019, value: 52}", "baseline: {year: 2019, value: &start 52}")
    text = text.replace("{ 2022: 52,  2024: 56, 2026: 60 }", "{ 2022: *start,  2024: 56, 2026: 60 }")
    plan.write_text(text, encoding="utf-8")

    result = run("fix", "plan.yaml")

    assert result.exit_code == 0 and "added 2025: 58 to the trajectory of \"grad-credentials\"" in result.output
    assert "{ 2022: *start,  2024: 56, 2025: 58, 2026: 60 }" in plan.read_text(encoding="utf-8")
    assert "baseline: {year: 2019, value: &start 52}" in plan.read_text(encoding="utf-8")


def test_check_fix_leaves_a_broken_plan_to_the_check(folder: Path) -> None:
    broken = (EXAMPLES / "broken" / "duplicate-key.yaml").read_bytes().replace(b"value: 40}", b"value: 40%}")
    (folder / "broken.yaml").write_bytes(broken)
    (folder / "plan.yaml").write_bytes(case_bytes("yaml-traps", "plan.yaml"))

    result = apart("check", "--fix", "--concise", "broken.yaml", "plan.yaml")

    assert result.exit_code == 1
    assert (folder / "broken.yaml").read_bytes() == broken
    assert (folder / "plan.yaml").read_bytes() == case_bytes("yaml-traps", "expected.yaml")
    assert "broken.yaml:30:5: PL002 error" in result.stdout and "not fixed" not in result.stderr
    assert result.stderr == (DATA / "yaml-traps" / "fixed.txt").read_text(encoding="utf-8")


def test_a_quoted_number_with_its_unit_becomes_the_number(folder: Path) -> None:
    plan = folder / "plan.yaml"
    plan.write_bytes(case_bytes("unit-strings", "plan.yaml").replace(b"target: 30 %", b"target: \"30%\"  # quoted"))

    result = run("fix", "plan.yaml")

    assert 'PL003 fixed: "30%" -> 30' in result.output
    assert b"        target: 30     # quoted\n" in plan.read_bytes()  # the comment keeps its column


def test_every_example_plan_is_fixed_or_left_without_a_traceback(folder: Path) -> None:
    shutil.copytree(EXAMPLES, folder / "examples")
    (folder / "examples" / "empty.yaml").write_text("# a plan to be written\n", encoding="utf-8")

    result = apart("fix", "--diff", "examples")

    assert result.exception is None or isinstance(result.exception, SystemExit), result.stderr
    assert result.exit_code == 1
    names = {line.split(":")[0] for line in result.stderr.splitlines() if re.match(r"\S+:\d+:\d+: \w+ fixed: ", line)}
    assert names == {f"examples/broken/{name}.yaml" for name in ("schema-percent-strings", "yaml11-traps")}
    assert "not-a-mapping.yaml: not fixed" not in result.stderr and "empty.yaml" not in result.stderr


def test_a_yaml_file_that_is_not_a_plan_is_not_changed(folder: Path) -> None:
    (folder / "plans").mkdir()
    (folder / "plans" / "mkdocs.yml").write_text("site_name: Plans\nextra: {version: 036}\n", encoding="utf-8")
    (folder / "plans" / "plan.yaml").write_bytes(case_bytes("yaml-traps", "plan.yaml"))

    assert run("fix", "plans", "plans/mkdocs.yml").exit_code == 0

    assert (folder / "plans" / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Plans\nextra: {version: 036}\n"
    assert (folder / "plans" / "plan.yaml").read_bytes() == case_bytes("yaml-traps", "expected.yaml")


def test_years_written_as_school_years_are_read_as_the_rules_read_them(folder: Path) -> None:
    def school_years(text: bytes) -> bytes:
        return (text.replace(b"period: {start: 2022, end: 2026}", b"period: {start: 2021-22, end: 2025-26}")
                .replace(b"target: {year: 2026,", b"target: {year: 2025-26,")
                .replace(b"projection: {year: 2026,", b"projection: {year: 2025-26,"))

    for case in ("trajectory-gaps", "projection"):
        plan = folder / f"{case}.yaml"
        plan.write_bytes(school_years(case_bytes(case, "plan.yaml")))
        assert school_years(case_bytes(case, "plan.yaml")) != case_bytes(case, "plan.yaml")

        result = run("fix", plan.name)

        assert result.exit_code == 0
        assert plan.read_bytes() == school_years(case_bytes(case, "expected.yaml")), result.output
    assert "projection for 2025-26 is 52 + 7 x -1.5 = 41.5" in result.output
