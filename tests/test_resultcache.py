"""The result cache, through the command line: a second run over an unchanged batch reads every result
from the cache and prints the same bytes; a change, a damaged entry or --no-cache checks again."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from planlint import pipeline, resultcache
from planlint.cli import main
from verdict_plans import write_batch

FORMATS = ("text", "json", "csv", "html", "markdown", "sarif")


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANLINT_CACHE_DIR", str(folder))
    monkeypatch.delenv("PLANLINT_NO_CACHE", raising=False)
    return folder


@pytest.fixture()
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files checked from scratch (not read from the cache)."""
    names: list[str] = []
    real = pipeline.check_bytes

    def counting(raw: bytes, name: str, *args, **kwargs):
        names.append(Path(name).name)
        return real(raw, name, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_bytes", counting)
    return names


def _run(folder: Path, *options: str) -> dict[str, bytes]:
    outputs = {}
    for output_format in FORMATS:
        result = CliRunner().invoke(main, ["check", "--no-config", "-f", output_format, *options, str(folder)])
        assert result.exit_code == 1, result.output
        outputs[output_format] = result.stdout_bytes
    return outputs


def test_a_second_run_reads_every_result_from_the_cache_and_prints_the_same(
        tmp_path: Path, cache: Path, checked: list[str]) -> None:
    batch = write_batch(tmp_path / "submissions")
    first = _run(batch)
    assert sorted(set(checked)) == sorted(p.name for p in batch.iterdir())
    checked.clear()
    assert _run(batch) == first
    assert checked == []
    assert _run(batch, "-j", "2", "--no-cache") == first


def test_a_changed_file_or_configuration_is_checked_again(tmp_path: Path, cache: Path, checked: list[str]) -> None:
    batch = write_batch(tmp_path / "submissions")
    _run(batch)
    checked.clear()
    plan = batch / "cypress-parish.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("Cypress Parish", "Cypress Bayou Parish"),
                    encoding="utf-8")
    again = CliRunner().invoke(main, ["check", "--no-config", "-f", "csv", str(batch)])
    assert checked == ["cypress-parish.yaml"]
    assert "Cypress Bayou Parish" in again.output
    checked.clear()
    ignored = CliRunner().invoke(main, ["check", "--no-config", "--ignore", "MKR001", "-f", "csv", str(batch)])
    assert len(checked) == 5
    assert "MKR001" not in ignored.output


def test_an_edit_of_planlints_code_checks_every_file_again(tmp_path: Path, cache: Path, checked: list[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Even an edit that keeps the file's size and modification time (as `cp -p` or `rsync -t` would)."""
    import os
    import shutil

    code = tmp_path / "planlint"
    shutil.copytree(resultcache._PACKAGE, code, ignore=shutil.ignore_patterns("__pycache__"))
    an_hour_ago = time.time_ns() - 3600 * 10**9
    for file in code.rglob("*"):
        os.utime(file, ns=(an_hour_ago, an_hour_ago))  # code installed a while ago
    monkeypatch.setattr(resultcache, "_PACKAGE", code)
    batch = write_batch(tmp_path / "submissions")
    for _ in range(2):
        resultcache.code_fingerprint.cache_clear()  # a new run
        checked.clear()
        CliRunner().invoke(main, ["check", "--no-config", str(batch)])
    assert checked == []  # the same code: every result from the cache
    edited = code / "lang" / "ast.py"
    before = edited.stat()
    edited.write_text(edited.read_text(encoding="utf-8").replace("Every node", "Each node "), encoding="utf-8")
    os.utime(edited, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (edited.stat().st_size, edited.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    resultcache.code_fingerprint.cache_clear()
    CliRunner().invoke(main, ["check", "--no-config", str(batch)])
    assert sorted(set(checked)) == sorted(p.name for p in batch.iterdir())


def test_entries_are_json_with_a_checksum_and_a_damaged_one_is_rebuilt(
        tmp_path: Path, cache: Path, checked: list[str]) -> None:
    batch = write_batch(tmp_path / "submissions")
    first = _run(batch)
    entries = sorted((cache / "results").rglob("*.json"))
    assert len(entries) == 5
    for entry in entries:
        document = json.loads(entry.read_text(encoding="utf-8"))
        assert document["format"] == resultcache.ENTRY_FORMAT and len(document["checksum"]) == 64
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # cut short
    document = json.loads(entries[1].read_text(encoding="utf-8"))
    document["result"]["suppressed"] += 1  # changed without its checksum
    entries[1].write_text(json.dumps(document), encoding="utf-8")
    checked.clear()
    assert _run(batch) == first
    assert len(set(checked)) == 2
    checked.clear()
    assert _run(batch) == first and checked == []


def test_no_cache_writes_nothing(tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = write_batch(tmp_path / "submissions")
    CliRunner().invoke(main, ["check", "--no-config", "--no-cache", str(batch)])
    assert not (cache / "results").exists()
    monkeypatch.setenv("PLANLINT_NO_CACHE", "1")
    CliRunner().invoke(main, ["check", "--no-config", str(batch)])
    assert not (cache / "results").exists()


def test_the_cache_never_lives_inside_the_checked_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = write_batch(tmp_path / "submissions")
    monkeypatch.setenv("PLANLINT_CACHE_DIR", str(batch / ".cache"))
    result = CliRunner().invoke(main, ["check", "--no-config", str(batch)])
    assert result.exit_code == 1
    assert not (batch / ".cache" / "results").exists()


def test_a_result_read_back_has_every_field_of_the_one_checked(tmp_path: Path) -> None:
    """Fields that equality leaves out (a finding's anchor and item, the plan, the verdicts) come back too."""
    import dataclasses

    from planlint.pipeline import Profiles, Settings, check_paths

    batch = write_batch(tmp_path / "submissions")
    for fresh in check_paths([str(batch)], Profiles(Settings(isolated=True))).files:
        again = resultcache.result_from_dict(json.loads(json.dumps(resultcache.result_to_dict(fresh))))
        assert [dataclasses.astuple(f) for f in again.findings] == [dataclasses.astuple(f) for f in fresh.findings]
        assert (again.plan, again.verdicts, again.source, again.fail_on) == (
            fresh.plan, fresh.verdicts, fresh.source, fresh.fail_on)


def test_a_batch_keeps_chart_data_only_for_the_html_report(tmp_path: Path, cache: Path) -> None:
    """The measures' charts are what a batch would hold most of until its report is written: they are kept
    only when the HTML report draws them, and one cache entry per file serves every report."""
    batch = write_batch(tmp_path / "submissions")
    kept = {charts: pipeline.check_paths([str(batch)], pipeline.Profiles(pipeline.Settings(isolated=True, charts=charts)))
            for charts in (False, True)}
    assert all(not result.plan.measures for result in kept[False].files if result.plan)
    assert any(result.plan.measures for result in kept[True].files if result.plan)
    fresh = CliRunner().invoke(main, ["check", "--no-config", "--no-cache", "-f", "html", str(batch)])
    CliRunner().invoke(main, ["check", "--no-config", "-f", "json", str(batch)])  # fills the cache, no HTML
    entries = len(list((cache / "results").rglob("*.json")))
    from_cache = CliRunner().invoke(main, ["check", "--no-config", "-f", "html", str(batch)])
    assert from_cache.stdout_bytes == fresh.stdout_bytes and "<svg" in fresh.output
    assert len(list((cache / "results").rglob("*.json"))) == entries


@pytest.mark.parametrize("xdg", [None, "", "   ", "/tmp/some cache"])
def test_the_cache_folder_is_the_one_platformdirs_names(monkeypatch: pytest.MonkeyPatch, xdg: str | None):
    import platformdirs

    from planlint.resources import user_cache_dir

    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert user_cache_dir() == Path(platformdirs.user_cache_dir("planlint", appauthor=False))
