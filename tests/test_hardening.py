"""What a hostile file can and cannot make planlint do: run code from a cache entry, read a pipe or a
device, fetch a schema, run a pattern for minutes, build text without bound, write over what it reads."""

from __future__ import annotations

import json
import os
import pickle
import threading
from pathlib import Path

import pytest
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


def _signed(entry: dict, payload) -> bytes:
    """An entry with a checksum that matches: anyone who can write the folder can make one."""
    return json.dumps(dict(entry, payload=payload, sha256=_checksum(payload))).encode()


def _tampered_entries(entry: Path) -> dict[str, bytes]:
    good = json.loads(entry.read_text(encoding="utf-8"))
    popen = json.loads(json.dumps(good["payload"]).replace('"Literal"', '"Popen"', 1))
    missing_code = json.loads(json.dumps(good["payload"]).replace('"code"', '"kode"', 1))
    return {
        "signed, unknown node type": _signed(good, popen),
        "signed, wrong shape": _signed(good, {"list": [1, "two"]}),
        "signed, a rule without its code": _signed(good, missing_code),
        "pickle": pickle.dumps([_RunsCode()]),
        "garbage": b"\x80\x04not json",
        "wrong checksum": json.dumps(dict(good, sha256="0" * 64)).encode(),
        "other version": json.dumps(dict(good, planlint="0.0.0")).encode(),
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
