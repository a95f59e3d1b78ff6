"""Edges of the input: control characters in what a finding shows, malformed baselines and state data,
files that are not files, numbers and escapes YAML cannot hold, unreadable rule files with the cache on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint.cli import main
from planlint.findings import FileResult, Finding, Results, Severity, Span
from planlint.input_guards import LoadLimits, read_plan, read_stream, size_text
from planlint.loader import load_bytes, normalize_key
from planlint.reporters import ReportOptions, markdown, text

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.yaml"
PYTHON_WORDING = ("Traceback", "NoneType", "unhashable", "subscriptable", "codec", "Error:", "sys.set_int")
# C0, DEL, C1 and the Unicode line and paragraph separators: what a terminal or a log could act on
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


# --- 1. control characters in text and Markdown output --------------------------------------

EVIL_KEY = r'"bad\e[31mRED\x0b\x01\nnext line\n::error file=evil::pwned": 1' + "\n"
EVIL_SHOWN = r"bad\x1b[31mRED\x0b\x01\nnext line\n::error file=evil::pwned"


@pytest.mark.parametrize("flags", [(), ("--concise",), ("-q",), ("--color",)])
def test_text_output_escapes_control_characters_so_each_finding_is_one_line(tmp_path: Path, flags: tuple):
    plan = tmp_path / "plan.yaml"
    plan.write_text("planlint: 1\n" + EVIL_KEY)  # a plan (not passed over as other YAML) with a hostile key
    result = run("check", "--no-config", *flags, str(plan))
    assert result.exit_code == 1
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.output)  # planlint's own colours, with --color
    assert EVIL_SHOWN in output
    assert not CONTROL.search(output)
    finding_lines = [line for line in output.splitlines() if "unknown key" in line]
    assert len(finding_lines) == 1 and finding_lines[0].startswith(f"{plan}:2:1: PL003 error")
    assert not any(line.startswith("::") for line in output.splitlines())


def _result(message: str, *, file: str = "plan.yaml") -> Results:
    finding = Finding(file=file, code="PL001", name="yaml-syntax", severity=Severity.ERROR, message=message,
                      span=Span.point(1, 1))
    return Results((FileResult(file, (finding,)),))


def test_every_kind_of_control_character_is_escaped_in_text():
    message = "a\x00b\tc\rd\x1be\x7ff\x85g\x9bh\u2028i\u2029j\nk"
    shown = text.render(_result(message), concise=True).splitlines()[0]
    assert shown.endswith(r"a\x00b\tc\rd\x1be\x7ff\x85g\x9bh\u2028i\u2029j\nk")


def test_a_file_name_that_starts_with_two_colons_cannot_become_a_workflow_command():
    output = text.render(_result("Bad.", file="::error file=x::pwned\n.yaml"), quiet=True)
    assert output == r"./::error file=x::pwned\n.yaml:1:1: PL001 error Bad." + "\n"


def test_the_excerpt_escapes_the_source_line_and_the_marker_stays_under_the_character(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"planlint: 1\r\nx-a: \xc3\xa9\x01cd\n")
    output = run("check", "--no-config", str(plan)).output.splitlines()
    assert output[0].startswith(f"{plan}:2:7: PL001 error")
    assert output[1] == r" 2 | x-a: é\x01cd"
    assert output[2].endswith(" ^^^^") and output[2].index("^") == output[1].index("\\x01")


def test_markdown_escapes_control_characters_and_keeps_line_breaks_as_br():
    output = markdown.render(_result("key \"bad\x1b[31mRED\x0b\x01\nnext\u2028::error x\"."), ReportOptions())
    row = next(line for line in output.splitlines() if line.startswith("| plan.yaml"))
    assert "bad\\\\x1b\\[31mRED\\\\x0b\\\\x01<br>next<br>::error x" in row
    assert not CONTROL.search(output)


# --- 2. malformed baselines -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("content", "place", "words"),
    [
        ("null\n", ":1:1:", "a baseline is a JSON object"),
        ('{"version": 1}\n', ":1:1:", 'no "findings"'),
        ('{"version": 1, "findings": [\n  {"file": "a.yaml"}\n]}\n', ":2:3:", 'finding 1 has no "code"'),
        ('{"version": 1, "findings": [{"file": ["a"], "code": "X", "path": ""}]}', ":1:38:",
         '"file" of finding 1 must be text'),
        ('{"version": 1, "findings": [\n {"file": "a", "code": "X", "path": "", "code": "Y"}]}', ":2:49:",
         'the key "code" appears twice'),
        ('{"version": 1, "version": 1, "findings": []}', ":1:27:", 'the key "version" appears twice'),
        ('{"version": 2, "findings": []}', ":1:13:", '"version" must be 1'),
        ('{"version": 1, "findings": [}', ":1:29:", "not valid JSON"),
        ('{"version": 1, "findings": [3]}', ":1:29:", "finding 1 must be an object"),
        ('{"version": ' + "1" * 5000 + ', "findings": []}', ":1:13:", '"version" must be 1'),
        ("[" * 100_000 + "]" * 100_000, ":1:101:", "far too deeply"),
    ],
    ids=lambda value: value[:30] if isinstance(value, str) else "",
)
def test_a_malformed_baseline_is_a_configuration_error_at_its_place(tmp_path: Path, content: str, place: str,
                                                                    words: str):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    result = run("check", "--no-config", "--baseline", str(baseline), str(MINIMAL))
    assert result.exit_code == 2, result.output
    assert f"{baseline}{place or ':'} error: " in result.output and words in result.output
    assert not any(word in result.output for word in PYTHON_WORDING)


def test_a_baseline_that_is_not_utf8_names_its_line(tmp_path: Path):
    baseline = tmp_path / "baseline.json"
    baseline.write_bytes(b'{"version": 1,\n "findings": ["caf\xe9"]}')
    result = run("check", "--no-config", "--baseline", str(baseline), str(MINIMAL))
    assert result.exit_code == 2
    assert f"{baseline}:2:19: error: this baseline is not UTF-8" in result.output


def test_a_baseline_still_hides_what_it_records(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("2024: 56,", "2024: 56%,"))
    made = run("baseline", "--no-config", str(plan))
    assert made.exit_code == 0
    baseline = tmp_path / "baseline.json"
    baseline.write_text(made.output)
    assert run("check", "--no-config", "--baseline", str(baseline), str(plan)).exit_code == 0


def test_baseline_of_a_path_that_does_not_exist_exits_2(tmp_path: Path):
    missing = tmp_path / "nonexistent.yaml"
    result = run("baseline", "--no-config", str(missing), str(MINIMAL))
    assert result.exit_code == 2
    assert f"{missing}: error: no such file or folder" in result.output and '"findings"' not in result.output


# --- 3. state data --------------------------------------------------------------------------

HEADER = "system,measure,year,value\n"


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (HEADER + "001,GRAD,2019,52\n002,GRAD,2019,nan\n", 3, "must be a number"),
        (HEADER + "001,GRAD,2019,inf\n", 2, "must be a number"),
        (HEADER + "001,GRAD,2019,-Infinity\n", 2, "must be a number"),
        (HEADER + "001,GRAD,2019,1e400\n", 2, "too large"),
        (HEADER + "001,GRAD,2019,1_000\n", 2, "must be a number"),
        (HEADER + "001,GRAD,2019,５２\n", 2, "must be a number"),
        (HEADER + "001,GRAD,²⁰¹⁹,52\n", 2, "must be a year"),
        (HEADER, 1, "no rows of data"),
        (HEADER + "\n\n", 1, "no rows of data"),
        (HEADER + '001,GRAD,2019,52\n002,"GRAD,2019,52\n003,GRAD,2019,52\n', 3, "never closed"),
        (HEADER + '001,"GR\nAD",2019,52\n002,GRAD,2019,x\n', 4, "row 3: the value must be a number"),
        (HEADER + '001,"GRAD" x,2019,52\n', 2, "after its closing quote"),
    ],
)
def test_a_malformed_state_data_file_exits_2_at_the_line(tmp_path: Path, content: str, line: int, words: str):
    data = tmp_path / "state.csv"
    data.write_text(content, encoding="utf-8")
    result = run("check", "--no-config", "--state-data", str(data), str(MINIMAL))
    assert result.exit_code == 2, result.output
    assert f"{data}:{line}:1: error:" in result.output and words in result.output


def test_state_data_that_is_not_utf8_names_the_line(tmp_path: Path):
    data = tmp_path / "state.csv"
    data.write_bytes(b"\xef\xbb\xbf" + HEADER.encode() + b"001,GRAD,2019,52\n002,caf\xe9,2019,52\n")
    result = run("check", "--no-config", "--state-data", str(data), str(MINIMAL))
    assert result.exit_code == 2
    assert f"{data}:3:8: error: line 3 has a character that is not UTF-8" in result.output
    assert "must be saved as UTF-8" in result.output and "codec" not in result.output


# --- 4. file size and files that are not files ----------------------------------------------

def test_the_size_message_uses_a_readable_unit_and_the_setting_s_real_name():
    result = run("check", "--no-config", "--concise", "--max-file-size", "10", str(MINIMAL))
    size = MINIMAL.stat().st_size
    assert (f"The file is {size / 1000:.1f} KB; planlint reads plans of up to 10 bytes (the `max-file-size` "
            "setting, or --max-file-size)") in result.output
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("size", "exact", "shown"),
    [(1, True, "1 byte"), (10, True, "10 bytes"), (999, False, "999 bytes"), (1500, False, "1.5 KB"),
     (12_345, False, "12.3 KB"), (12_345, True, "12.345 KB"), (5_000_000, True, "5 MB"),
     (1_234_567, False, "1.2 MB"), (1_234_567, True, "1,234,567 bytes")],
)
def test_size_text(size: int, exact: bool, shown: str):
    assert size_text(size, exact=exact) == shown


def test_a_size_that_would_round_to_the_limit_is_shown_in_bytes(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"a: 1\n" + b"#" * 4_996)
    (finding,) = load_bytes(plan.read_bytes(), "plan.yaml", LoadLimits(max_bytes=5_000)).findings
    assert "The file is 5,001 bytes; planlint reads plans of up to 5,000 bytes" in finding.message
    read = read_plan(plan, "plan.yaml", LoadLimits(max_bytes=5_000))
    assert isinstance(read, Finding) and read.message == finding.message


class _Endless:
    """Standard input that never ends, as `cat /dev/zero | planlint check -`."""

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "read everything from an endless stream"
        return b"a" * size


def test_standard_input_is_read_only_up_to_the_limit():
    finding = read_stream(_Endless(), "<stdin>", LoadLimits(max_bytes=100))
    assert isinstance(finding, Finding) and "The file is larger than 100 bytes" in finding.message


def test_a_regular_file_is_read_whole_within_the_limit(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(b"a: 1\n" * 20)
    assert read_plan(plan, "plan.yaml", LoadLimits(max_bytes=100)) == b"a: 1\n" * 20
    assert isinstance(read_plan(plan, "plan.yaml", LoadLimits(max_bytes=99)), Finding)
    assert "cannot read" in read_plan(tmp_path / "gone.yaml", "gone.yaml", LoadLimits()).message


class _ReaderWatch:
    """Notices whether anything opens a named pipe for reading: a writer's non-blocking open then succeeds
    (and lets that reader go on with an empty file, so a failing test fails instead of hanging)."""

    def __init__(self, fifo: Path) -> None:
        self.fifo, self.opened, self._stop = fifo, False, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.01):
            try:
                os.close(os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue  # no reader
            self.opened = True

    def __enter__(self) -> _ReaderWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_read_plan_reports_a_named_pipe_without_opening_it(tmp_path: Path):
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with _ReaderWatch(fifo) as watch:
        finding = read_plan(fifo, "x.yaml", LoadLimits())
    assert not watch.opened
    assert isinstance(finding, Finding) and finding.code == "PL001" and "named pipe" in finding.message


def test_a_named_pipe_in_a_checked_folder_is_reported_and_never_opened(tmp_path: Path):
    (tmp_path / "good.yaml").write_text(MINIMAL.read_text())
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    with _ReaderWatch(fifo) as watch:
        result = run("check", "--no-config", "--concise", str(tmp_path))
    assert not watch.opened
    assert result.exit_code == 1
    assert result.output.startswith(f"{fifo}:1:1: PL001 error ")
    assert result.output.endswith("Checked 2 files: 1 error in 1 file.\n")


def test_a_device_is_reported_not_read(tmp_path: Path):
    finding = read_plan(Path("/dev/zero"), "/dev/zero", LoadLimits())
    assert isinstance(finding, Finding) and "This is a device, not a plan file" in finding.message
    done = subprocess.run([sys.executable, "-m", "planlint", "check", "--no-config", "--concise", "/dev/zero"],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and done.stdout.startswith("/dev/zero:1:1: PL001 error ")


# --- 5. numbers and escapes YAML cannot hold ------------------------------------------------

def test_a_number_too_long_to_read_is_a_finding_at_its_place_and_the_rest_is_checked():
    raw = b"planlint: 1\nx-n: " + b"9" * 5000 + b"\nx-y: yes\nx-f: 1.0e+400\n"
    result = load_bytes(raw, "p.yaml")
    assert result.document is not None and result.document.data["x-n"] == "9" * 5000
    by_line = {f.span.line: f for f in result.findings}
    assert (by_line[2].code, by_line[2].span.column) == ("PL001", 6)
    assert by_line[2].message.startswith("This number has 5,000 digits")
    assert by_line[3].code == "PL007"  # still checked after it
    assert by_line[4].code == "PL001" and "too large" in by_line[4].message
    assert not any(word in f.message for f in result.findings for word in PYTHON_WORDING)


@pytest.mark.parametrize(
    ("raw", "line", "column", "words"),
    [
        (b'planlint: 1\nx-a: "\\UFFFFFFFF"\n', 2, 7, "The escape \\UFFFFFFFF is not a character"),
        (b'planlint: 1\nx-a: "ab\\ud800"\n', 2, 9, "The escape \\ud800 is not a character"),
        (b'x: "\xc3\xa9\\\\\\ud800"\n', 1, 8, "The escape \\ud800 is not a character"),
        (b'x: "\\q"\n', 1, 5, "\\q is not an escape YAML knows"),
        (b'x: "\\xZZ"\n', 1, 5, "needs 2 hexadecimal digits"),
        (b"planlint: 1\nx-a: ab\x01cd\n", 2, 8, "control character (U+0001)"),
        (b"a: 1\r\nb: \xe2\x82\xac\x7f\n", 2, 5, "control character (U+007F)"),
        (b'a: "\xe2\x80\xa8\x0c"\n', 2, 1, "control character (U+000C)"),
    ],
)
def test_escapes_and_characters_yaml_cannot_hold_are_named_at_their_place(raw: bytes, line: int, column: int,
                                                                            words: str):
    (finding,) = load_bytes(raw, "p.yaml").findings
    assert finding.code == "PL001" and words in finding.message, finding.message
    assert (finding.span.line, finding.span.column) == (line, column)
    assert "never closed" not in finding.message and "unicode string" not in finding.message


def test_a_key_that_names_no_school_year_is_shown_as_written(tmp_path: Path):
    assert normalize_key("0000-01") == "0000-01" and normalize_key("0999-00") == "1000"
    assert normalize_key("9999-00") == "9999-00" and normalize_key("2025-26") == "2026"
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("history: {2018: 52.7, 2019: 52}", "history: {0000-01: 3, 2019: 52}"))
    result = run("check", "--no-config", "--concise", str(plan))
    assert 'history has the key "0000-01"' in result.output and 'key "1"' not in result.output


# --- 6. unreadable rule files with the rule cache on ----------------------------------------

def _broken_rule(folder: Path, kind: str) -> None:
    folder.mkdir()
    if kind == "dangling link":
        (folder / "XS001-x.yaml").symlink_to(folder / "nowhere.yaml")
    elif kind == "folder":
        (folder / "XS001-d.yaml").mkdir()
    else:
        (folder / "XS001-l.yaml").symlink_to(folder / "XS001-l.yaml")


@pytest.mark.parametrize("kind", ["dangling link", "folder", "link loop"])
def test_an_unreadable_rule_file_is_the_same_clean_error_with_the_cache_on_or_off(tmp_path: Path, kind: str):
    _broken_rule(tmp_path / "rules", kind)
    config = tmp_path / ".planlint.yaml"
    config.write_text("rules: [rules]\n")
    cached = run("rules", "--config", str(config), env={"PLANLINT_CACHE_DIR": str(tmp_path / "cache"),
                                                         "PLANLINT_NO_CACHE": None})
    uncached = run("rules", "--config", str(config), env={"PLANLINT_NO_CACHE": "1"})
    assert uncached.exit_code == 2 and "cannot read this rule file" in uncached.output
    assert (cached.exit_code, cached.output) == (uncached.exit_code, uncached.output)
    assert cached.exception is None or isinstance(cached.exception, SystemExit)



def test_a_number_too_large_for_arithmetic_is_one_finding_and_no_rule_fails(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text("planlint: 1\nsystem: {name: X}\nperiod: {start: 2022, end: 2026}\nmeasures:\n  - id: a\n"
                    "    name: A\n    unit: number\n    direction: increase\n"
                    f"    history: {{2018: {10 ** 400}, 2019: 5}}\n"
                    "    baseline: {year: 2019, value: 5}\n    target: {year: 2026, value: 9}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--no-config", "--select", "all", "--concise", str(plan)])
    lines = [line for line in result.stdout.splitlines() if " PL0" in line]
    assert len(lines) == 1 and ":9:21: PL001 error This number has 401 digits" in lines[0], result.stdout
