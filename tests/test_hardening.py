"""What a hostile file can and cannot make planlint do: run code from a cache entry, read a pipe or a
device, fetch a schema, run a pattern for minutes, build text without bound, write over what it reads."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from prerequisites import missing
from click.testing import CliRunner

from planlint.cli import main
from planlint.rulecache import _checksum

DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "minimal.yaml"


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def _cache_env(folder: Path) -> dict:
    return {"PLANLINT_CACHE_DIR": str(folder), "PLANLINT_NO_CACHE": None}


# --- the rule cache holds data, never code -------------------------------------------------------

class _RunsCode:
    def __reduce__(self):
        return (os.system, ("touch ran-code",))


def _signed(header: dict, payload: bytes | object) -> bytes:
    """An entry with a checksum that matches: anyone who can write the folder can make one."""
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return json.dumps(dict(header, sha256=_checksum(raw))).encode() + b"\n" + raw


def _tampered_entries(entry: Path) -> dict[str, bytes]:
    first_line, _, payload = entry.read_bytes().partition(b"\n")
    good = json.loads(first_line)
    popen = payload.replace(b'"Literal"', b'"Popen"', 1)
    missing_code = payload.replace(b'"code"', b'"kode"', 1)
    assert popen != payload and missing_code != payload
    return {
        "signed, unknown node type": _signed(good, popen),
        "signed, wrong shape": _signed(good, ["list", 1, "two"]),
        "signed, data where a node goes": _signed(good, ["list", {"code": "X"}]),
        "signed, a node with a field too many": _signed(good, payload.replace(b'["Element",', b'["Element",1,', 1)),
        "signed, a payload that is not JSON": _signed(good, b"\x80\x04not json"),
        "signed, no payload": json.dumps(dict(good, sha256=_checksum(b""))).encode(),
        "signed, a rule without its code": _signed(good, missing_code),
        "pickle": pickle.dumps([_RunsCode()]),
        "garbage": b"\x80\x04not json",
        "wrong checksum": json.dumps(dict(good, sha256="0" * 64)).encode() + b"\n" + payload,
        "other version": json.dumps(dict(good, planlint="0.0.0")).encode() + b"\n" + payload,
        "empty": b"",
    }


def test_a_tampered_rule_cache_entry_runs_no_code_and_is_rebuilt(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    first = run("rules", "--no-config", env=_cache_env(cache))
    assert first.exit_code == 0
    [entry] = cache.glob("rules-*.json")
    good = entry.read_bytes()
    for name, content in _tampered_entries(entry).items():
        entry.write_bytes(content)
        again = run("rules", "--no-config", env=_cache_env(cache))
        assert (again.exit_code, again.output) == (0, first.output), name
        assert entry.read_bytes() == good, f"{name}: the entry is rebuilt"
    assert not (tmp_path / "ran-code").exists()
    assert not list(cache.glob("*.pickle"))


def test_the_cache_goes_where_the_platform_keeps_caches_and_can_be_turned_off(tmp_path: Path):
    env = {"PLANLINT_CACHE_DIR": None, "PLANLINT_NO_CACHE": None, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    assert run("rules", "--no-config", env=env).exit_code == 0
    assert list((tmp_path / "xdg" / "planlint").glob("rules-*.json"))
    off = {**env, "XDG_CACHE_HOME": str(tmp_path / "off"), "PLANLINT_NO_CACHE": "1"}
    assert run("rules", "--no-config", env=off).exit_code == 0
    assert not (tmp_path / "off").exists()


# --- one reader: no pipe or device is ever read, whatever kind of file names it ----------------------

def _run_bounded(*args: str, seconds: float = 60):
    """The command's result, or a failure if it does not finish: a pipe read would block for ever."""
    box: list = []
    worker = threading.Thread(target=lambda: box.append(run(*args, env={"PLANLINT_NO_CACHE": "1"})), daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, f"planlint {' '.join(args)} did not finish in {seconds} s"
    return box[0]


def _special(tmp_path: Path, kind: str) -> str:
    if kind == "fifo":
        os.mkfifo(tmp_path / "fifo")
        return str(tmp_path / "fifo")
    if kind == "link to a device":
        (tmp_path / "zero.csv").symlink_to("/dev/zero")
        return str(tmp_path / "zero.csv")
    return "/dev/zero"


SPECIAL = ["fifo", "/dev/zero", "link to a device"]


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("option", ["--state-data", "--baseline"])
def test_state_data_and_baselines_that_are_pipes_or_devices_are_refused(tmp_path: Path, kind: str, option: str):
    result = _run_bounded("check", "--no-config", option, _special(tmp_path, kind), str(MINIMAL))
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("key", ["state-data", "frameworks"])
def test_files_a_config_names_that_are_pipes_or_devices_are_refused(tmp_path: Path, kind: str, key: str):
    special = _special(tmp_path, kind)
    if key == "frameworks":
        (tmp_path / ".planlint.yaml").write_text(f"frameworks: [{special}]\n")
    else:
        (tmp_path / ".planlint.yaml").write_text(f"state-data: {special}\n")
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(MINIMAL.read_bytes())
    result = _run_bounded("check", "--config", str(tmp_path / ".planlint.yaml"), str(plan))
    assert result.exit_code == 2, result.output
    assert "not a regular file" in result.output


def test_a_state_data_file_over_the_size_cap_is_refused_unread(tmp_path: Path):
    from planlint import statedata

    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.truncate(statedata.MAX_BYTES + 1)  # sparse: no disk space used
    result = run("check", "--no-config", "--state-data", str(big), str(MINIMAL))
    assert result.exit_code == 2 and "larger than 50 MB" in result.output


# --- rule option schemas: nothing fetched, no pattern that can run for long ---------------------------

RULE = """\
code: XS001
name: short-ids
pack: xs
severity: warning
summary: Measure ids are short.
options:
  prefix:
    default: m
    description: What every id starts with.
    schema: SCHEMA
given: measures[*]
check: id != 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
message: The id {id} is long.
docs: {why: Short ids read well., fix: Shorten it.}
examples:
  pass:
    - plan: |
        measures: [{id: a}]
  fail:
    - plan: |
        measures: [{id: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}]
"""


def _pack(tmp_path: Path, schema: str, *, options: str = "", rule: str = RULE) -> Path:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "XS001-short-ids.yaml").write_text(rule.replace("SCHEMA", schema), encoding="utf-8")
    config = tmp_path / ".planlint.yaml"
    config.write_text(f"rules: [rules]\n{options}", encoding="utf-8")
    return config


@pytest.mark.parametrize("schema, line, column, words", [
    ("{$ref: 'file:///etc/hostname'}", 10, 20, "points outside the rule file"),
    ("{$ref: 'http://localhost:9/schema.json'}", 10, 20, "points outside the rule file"),
    ("{type: object, properties: {a: {$ref: 'other.json#/x'}}}", 10, 51, "points outside the rule file"),
    ("{$id: 'file:///etc/', $ref: 'hostname'}", 10, 41, "`$ref: hostname` points outside"),
    ("{$id: 'file:///etc/x.json', $ref: '#/$defs/a', $defs: {a: {}}}", 10, 14, "`$id` is not used"),
    ("{type: string, pattern: '(a)\\1'}", 10, 37, "RE2"),
    ("{type: object, patternProperties: {'(?=a)': {}}}", 10, 48, "RE2"),
    ("{type: strin}", 10, 20, "not a valid JSON Schema"),
    ("{$defs: {a: {$ref: '#/$defs/a'}}, $ref: '#/$defs/a'}", 10, 13, "go round in a loop"),  # found by the fuzzer
    ("{$ref: '#/$defs/nowhere'}", 10, 20, "points at no part of the schema"),
    ("{type: object, properties: {a: {$ref: '#/$defs/nowhere'}}}", 10, 51, "points at no part of the schema"),
    ("{type: integer}", 8, 14, "The default of prefix must be a whole number"),
])
def test_a_bad_option_schema_is_exit_2_at_its_place(tmp_path: Path, schema: str, line: int, column: int, words: str):
    config = _pack(tmp_path, schema)
    result = run("rules", "--config", str(config), env={"PLANLINT_NO_CACHE": "1"})
    assert result.exit_code == 2, result.output
    assert f"XS001-short-ids.yaml:{line}:{column}: error:" in result.output and words in result.output, result.output
    assert "Traceback" not in result.output


def test_an_option_pattern_runs_in_linear_time(tmp_path: Path):
    """`^(a+)+$` takes Python's `re` about half an hour against 36 a's and a `!`; RE2 answers at once."""
    config = _pack(tmp_path, "{type: string, pattern: '^(a+)+$'}", rule=RULE.replace("default: m", "default: a"),
                   options=f"options:\n  XS001: {{prefix: {'a' * 36}!}}\n")
    started = time.monotonic()
    result = _run_bounded("check", "--config", str(config), str(MINIMAL))
    assert time.monotonic() - started < 30
    assert result.exit_code == 2 and "The option prefix of XS001 must be valid" in result.output, result.output


def test_an_example_with_an_option_the_rule_lacks_or_a_wrong_value_is_an_error_at_its_place(tmp_path: Path):
    unknown = RULE.replace("    - plan: |\n        measures: [{id: a}]",
                           "    - plan: |\n        measures: [{id: a}]\n      options: {prefx: m}")
    config = _pack(tmp_path, "{type: string}", rule=unknown)
    result = run("test-rules", str(tmp_path / "rules"), env={"PLANLINT_NO_CACHE": "1"})
    assert result.exit_code == 2 and ":19:17: error: this example sets the option \"prefx\"" in result.output, \
        result.output
    wrong = unknown.replace("{prefx: m}", "{prefix: 3}")
    (tmp_path / "rules" / "XS001-short-ids.yaml").write_text(wrong.replace("SCHEMA", "{type: string}"))
    result = run("test-rules", str(tmp_path / "rules"), env={"PLANLINT_NO_CACHE": "1"})
    assert result.exit_code == 2 and ":19:25: error: in this example: The option prefix must be text, not 3" \
        in result.output, result.output
    del config


def test_broken_example_state_data_is_shown_in_the_rule_file(tmp_path: Path):
    rule = RULE.replace("    - plan: |\n        measures: [{id: a}]",
                        "    - plan: |\n        measures: [{id: a}]\n      state_data: |\n        year,value\n")
    _pack(tmp_path, "{type: string}", rule=rule)
    result = run("test-rules", str(tmp_path / "rules"), env={"PLANLINT_NO_CACHE": "1"})
    assert result.exit_code == 2, result.output
    assert "XS001-short-ids.yaml:19:19: error: this example's state_data cannot be read" in result.output, \
        result.output
    assert "example.csv" not in result.output


def test_every_pattern_in_planlints_own_schemas_runs_on_re2():
    from planlint.safeschema import _pattern_problem, _patterns, _walk

    schemas = sorted((Path(__file__).parent.parent / "schemas").glob("*.json"))
    found = [(schema.name, pattern) for schema in schemas
             for where, value in _walk(json.loads(schema.read_text(encoding="utf-8")))
             for pattern, _ in _patterns(where, value)]
    assert len(found) > 20
    assert [(name, pattern) for name, pattern in found if _pattern_problem(pattern)] == []


# --- every function that builds text or lists is held to the cap of `+` --------------------------------

def _limited_run(args: list[str], cwd: Path, memory_mb: int = 1500) -> subprocess.CompletedProcess:
    """planlint in a process that may use at most `memory_mb`: building 655 MB of text would fail."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))

    env = {**os.environ, "PLANLINT_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "planlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit, env=env)


@pytest.mark.parametrize("check, message, words", [
    ("join(range(1, 10000), name) == ''", "{join(range(1, 10000), name)}", "more not shown)"),
    ("id != 'grad-credentials'", "{join([name, name], '')}", "(1 more not shown)"),
])
def test_text_built_by_a_rule_is_held_to_the_cap(tmp_path: Path, check: str, message: str, words: str):
    rule = RULE.replace("check: id != 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", f"check: \"{check}\"")
    rule = rule.replace("message: The id {id} is long.", f"message: \"{message}\"")
    _pack(tmp_path, "{type: string}", rule=rule)
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("name: Percent of students graduating with college and/or career "
                                                "credentials", f"name: {'x' * 65_536}"), encoding="utf-8")
    result = _limited_run(["check", "--select", "XS001", "--concise", "plan.yaml"], tmp_path)
    assert result.returncode == 0, result.stderr  # a warning
    assert "PL010" not in result.stdout and words in result.stdout, result.stdout[:2000]
    assert "MemoryError" not in result.stdout + result.stderr


def test_a_message_longer_than_the_cap_is_shortened_not_an_error(tmp_path: Path):
    rule = RULE.replace("check: id != 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'", "check: id != 'grad-credentials'")
    _pack(tmp_path, "{type: string}", rule=rule.replace("message: The id {id} is long.", 'message: "{name}{name}"'))
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("name: Percent of students graduating with college and/or career "
                                                "credentials", f"name: {'x' * 65_536}"), encoding="utf-8")
    result = _limited_run(["check", "--select", "XS001", "--format", "json", "plan.yaml"], tmp_path)
    [finding] = json.loads(result.stdout)["findings"]
    assert finding["code"] == "XS001" and len(finding["message"]) < 100_100
    assert finding["message"].endswith("(the rest of this message, 31,072 characters, is not shown)")


# --- numbers: arithmetic on any number the schema accepts never fails a rule -------------------------------

@pytest.mark.parametrize("value", ["1.7976931348623157e+308", "-1.7976931348623157e+308", "5e-324",
                                   str(2 ** 1000), "1e308"])
def test_the_largest_numbers_fail_no_rule(tmp_path: Path, value: str):
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("history: {2018: 52.7, 2019: 52}",
                                                f"history: {{2017: 50, 2018: {value}, 2019: 52}}"))
    result = run("check", "--no-config", "--select", "all", "--format", "json", str(plan),
                 env={"PLANLINT_NO_CACHE": "1"})
    findings = json.loads(result.output)["findings"]
    assert [f["message"] for f in findings if f["code"] == "PL010"] == []


# --- configuration files: empty is every default; errors speak of configurations; nothing passed over -------

@pytest.mark.parametrize("content", ["", "\n\n", "# settings to come\n", "\ufeff# with a BOM\n"])
def test_an_empty_or_comment_only_config_is_every_default(tmp_path: Path, content: str, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".planlint.yaml").write_text(content, encoding="utf-8")
    (tmp_path / "plan.yaml").write_bytes(MINIMAL.read_bytes())
    assert run("check", "plan.yaml").output == run("check", "--no-config", "plan.yaml").output


def test_a_config_that_is_not_a_mapping_is_told_so_in_words_about_configurations(tmp_path: Path):
    (tmp_path / ".planlint.yaml").write_text("- select\n- all\n")
    result = run("check", "--config", str(tmp_path / ".planlint.yaml"), str(MINIMAL))
    assert result.exit_code == 2 and "A configuration file is a mapping of keys, but this file holds a list" \
        in result.output and "plan" not in result.output.split("error:")[1].split("\n")[0]


@pytest.mark.parametrize("name, kind", [(".planlint.yaml", "fifo"), (".planlint.yaml", "link to a device"),
                                        ("pyproject.toml", "link to a device"), ("pyproject.toml", "fifo")])
def test_a_discovered_config_that_is_a_pipe_or_device_is_exit_2(tmp_path: Path, name: str, kind: str,
                                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    special = _special(tmp_path, kind)
    os.rename(special, tmp_path / name) if kind == "fifo" else (tmp_path / name).symlink_to("/dev/zero")
    (tmp_path / "plan.yaml").write_bytes(MINIMAL.read_bytes())
    result = _run_bounded("check", "plan.yaml")
    assert result.exit_code == 2 and f"{name}: error: cannot read this" in result.output and \
        "not a regular file" in result.output, result.output


@pytest.mark.parametrize("toml, line", [('[tool]\nplanlint = "x"\n', 2), ('tool.planlint = 3\n', 1)])
def test_a_tool_planlint_that_is_not_a_table_is_exit_2_however_it_is_spelled(tmp_path: Path, toml: str,
                                                                             line: int, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(toml)
    (tmp_path / "plan.yaml").write_bytes(MINIMAL.read_bytes())
    result = run("check", "plan.yaml")
    assert result.exit_code == 2 and f"pyproject.toml:{line}:1: error: [tool.planlint] must be a table" \
        in result.output, result.output


# --- -o never writes over a file the run reads -------------------------------------------------------------

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("victim", ["discovered .planlint.yaml", "pyproject.toml", "rule file", "framework file",
                                    "state data from the config"])
def test_output_is_refused_for_every_file_the_run_reads(tmp_path: Path, victim: str, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_bytes(MINIMAL.read_bytes())
    _pack(tmp_path, "{type: string}")  # rules/XS001-short-ids.yaml and a .planlint.yaml naming it
    framework = ROOT.joinpath("frameworks", "ldoe.yaml").read_text() + "replaces: true\n"
    (tmp_path / "ldoe.yaml").write_text(framework)
    (tmp_path / "state.csv").write_bytes(ROOT.joinpath("examples", "state-data.csv").read_bytes())
    settings = "rules: [rules]\nframeworks: [ldoe.yaml]\nstate-data: state.csv\n"
    if victim == "pyproject.toml":
        (tmp_path / ".planlint.yaml").unlink()
        (tmp_path / "pyproject.toml").write_text('[tool.planlint]\nrules = ["rules"]\n')
    else:
        (tmp_path / ".planlint.yaml").write_text(settings)
    target = {"discovered .planlint.yaml": ".planlint.yaml", "pyproject.toml": "pyproject.toml",
              "rule file": "rules/XS001-short-ids.yaml", "framework file": "ldoe.yaml",
              "state data from the config": "state.csv"}[victim]
    before = (tmp_path / target).read_bytes()
    result = run("check", "-f", "json", "-o", target, "plan.yaml", env={"PLANLINT_NO_CACHE": "1"})
    assert result.exit_code == 2 and "does not write a report over a file it reads" in result.output, result.output
    assert (tmp_path / target).read_bytes() == before


# --- file names that are not UTF-8, and control characters in GitHub annotations ---------------------------

BROKEN = ROOT / "examples" / "broken" / "duplicate-id.yaml"


def _odd_name(tmp_path: Path) -> str:
    name = os.fsdecode(b"plan-\xff.yaml")
    try:
        (tmp_path / name).write_bytes(BROKEN.read_bytes())
    except (OSError, UnicodeEncodeError):
        missing("this file system does not take a file name that is not UTF-8")
    return name


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "rdjson", "github", "junit", "markdown"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_valid_output(tmp_path: Path, output_format: str,
                                                                       monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = _odd_name(tmp_path)
    result = subprocess.run([sys.executable, "-m", "planlint", "check", "--no-config", "-f", output_format, name],
                            capture_output=True, env={**os.environ, "PLANLINT_NO_CACHE": "1"})
    assert result.returncode == 1, result.stderr
    shown = result.stdout.decode("utf-8")  # valid UTF-8, or this raises
    if output_format in ("json", "sarif", "rdjson"):
        shown = json.dumps(json.loads(shown), ensure_ascii=False).replace("\\\\", "\\")
    if output_format == "markdown":  # Markdown escapes the backslash itself
        shown = shown.replace("\\\\", "\\")
    assert "plan-\\xff.yaml" in shown or "plan-%5Cxff.yaml" in shown


def test_a_baseline_of_a_file_name_that_is_not_utf8_matches_again(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    name = _odd_name(tmp_path)
    env = {**os.environ, "PLANLINT_NO_CACHE": "1"}
    made = subprocess.run([sys.executable, "-m", "planlint", "baseline", "--no-config", name], capture_output=True,
                          env=env)
    (tmp_path / "baseline.json").write_bytes(made.stdout)
    again = subprocess.run([sys.executable, "-m", "planlint", "check", "--no-config", "--baseline", "baseline.json",
                            name], capture_output=True, env=env)
    assert made.returncode == 0 and again.returncode == 0, again.stdout + again.stderr


def test_github_annotations_escape_control_characters(tmp_path: Path):
    plan = tmp_path / "plan.yaml"
    plan.write_text('planlint: 1\n"bad\\e[31mRED\\a\\0\\e]8;;http://x\\e\\\\link\\e]8;;\\e\\\\": 1\n')
    result = run("check", "--no-config", "-f", "github", str(plan))
    assert result.exit_code == 1
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", result.output), repr(result.output)
    assert "bad\\x1b[31mRED\\x07\\x00\\x1b]8;;" in result.output


# --- line and column in the byte-level checks are counted as YAML counts them --------------------------------

@pytest.mark.parametrize("raw, place", [
    (b"planlint: 1\rsystem:\r  name: X\rperiod: {start: 2022, end: 2026}\rab: \xff\r", "5:5"),  # CR alone
    (b"planlint: 1\r\nsystem:\r\n  name: X\r\nab: \xff\r\n", "4:5"),
    (b"planlint: 1\nsystem:\n  name: X\nname: \xc3\xa9\xc3\xa9\xc3\xa9 \xff\n", "4:11"),  # characters, not bytes
    (b"planlint: 1\nsystem:\n  name: X\nname: \xf0\x9f\x98\x80 \x00\n", "4:9"),  # an astral character is one
    (b"planlint: 1\xc2\x85a: \xff\n", "2:4"),  # NEL breaks a line for YAML
    (b"\xef\xbb\xbfplanlint: \xff\n", "1:11"),  # a BOM is not a column
    (b"planlint: 1\nnote: a\x0cb\nsystem:\n\tname: X\n", "4:1"),  # a form feed does not split the tab check's lines
])
def test_byte_level_errors_are_placed_as_yaml_places_them(tmp_path: Path, raw: bytes, place: str):
    plan = tmp_path / "plan.yaml"
    plan.write_bytes(raw)
    result = run("check", "--no-config", "--concise", str(plan))
    assert f"plan.yaml:{place}: PL001" in result.output, result.output


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")])
def test_a_plan_saved_as_utf16_or_utf32_is_told_to_save_as_utf8(tmp_path: Path, encoding: str, name: str):
    plan = tmp_path / "plan.yaml"
    text = MINIMAL.read_text()
    plan.write_bytes(("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding))
    result = run("check", "--no-config", "--concise", str(plan))
    assert f"plan.yaml:1:1: PL001 error The file is {name} text; planlint reads UTF-8" in result.output, result.output


@pytest.mark.parametrize("text, place", [
    ("planlint: 1\n? !!python/object/apply:os.system [echo hi]\n: 1\n", "2:3"),
    ("planlint: 1\n!!python/name:os.system : 1\n", "2:1"),
    ("planlint: 1\nsystem: {!!binary aGk= : x}\n", "2:10"),
])
def test_a_tag_on_a_key_is_refused_as_on_a_value(tmp_path: Path, text: str, place: str):
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    result = run("check", "--no-config", "--concise", str(plan))
    assert result.exit_code == 1 and f"plan.yaml:{place}: PL001 error The tag tag:yaml.org,2002:" in result.output, \
        result.output


def test_a_baseline_nested_too_deeply_is_shown_at_its_place(tmp_path: Path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text('{"version": 1,\n "findings": ' + "[" * 100_000 + "]" * 100_000 + "}\n")
    result = run("check", "--no-config", "--baseline", str(baseline), str(MINIMAL))
    assert result.exit_code == 2 and "baseline.json:2:113: error: this is not a planlint baseline: it nests" \
        in result.output, result.output


def test_a_config_error_names_a_file_that_is_not_utf8_as_findings_do(tmp_path: Path):
    config = tmp_path / os.fsdecode(b"c\xff.yaml")
    try:
        config.write_text("preset: nope\n")
    except (OSError, UnicodeEncodeError):
        missing("this file system does not take a file name that is not UTF-8")
    result = run("check", "--config", str(config), str(MINIMAL))
    assert result.exit_code == 2 and "c\\xff.yaml:1:9: error:" in result.output, result.output


def test_a_plan_naming_a_pipe_as_its_framework_is_told_it_is_not_a_file(tmp_path: Path):
    os.mkfifo(tmp_path / "zero.yaml")
    plan = tmp_path / "plan.yaml"
    plan.write_text(MINIMAL.read_text().replace("planlint: 1\n", "planlint: 1\nframeworks: [zero.yaml]\n", 1))
    result = _run_bounded("check", "--no-config", "--concise", str(plan))
    assert 'The framework file "zero.yaml" cannot be used' in result.output, result.output
    assert "it is a named pipe, not a regular file" in result.output


@pytest.mark.parametrize("kind", ["rule file", "framework file"])
def test_an_empty_rule_or_framework_file_is_an_error_that_names_its_kind(tmp_path: Path, kind: str):
    if kind == "rule file":
        (tmp_path / "rules").mkdir()
        (tmp_path / "rules" / "XS001-empty.yaml").write_text("# to do\n")
        settings = "rules: [rules]\n"
    else:
        (tmp_path / "mine.yaml").write_text("\n")
        settings = "frameworks: [mine.yaml]\n"
    (tmp_path / ".planlint.yaml").write_text(settings)
    result = run("check", "--config", str(tmp_path / ".planlint.yaml"), str(MINIMAL), env={"PLANLINT_NO_CACHE": "1"})
    assert result.exit_code == 2 and f"error: this {kind} is empty." in result.output, result.output
