"""Checking a batch in worker processes (`-j`) prints what one process prints, byte for byte, in every
format, whichever order the files are named in, with each folder's configuration applied in the workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planlint import pipeline

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two districts' folders of submissions, enough files for worker processes to start; one folder
    turns a rule off in its .planlint.yaml, and one file cannot be read."""
    root = tmp_path_factory.mktemp("submissions")
    for district, config in (("north", None), ("south", "ignore: [IB005]\n")):
        folder = root / district
        folder.mkdir()
        if config:
            (folder / ".planlint.yaml").write_text(config, encoding="utf-8")
        for copy in range(3):
            for example in EXAMPLES:
                text = example.read_text(encoding="utf-8")
                (folder / f"{example.stem}-{copy}.yaml").write_text(f"{text}# copy {copy}\n", encoding="utf-8")
    (root / "north" / "unreadable.yaml").write_text("system: {name: Broken\nmeasures: [\n", encoding="utf-8")
    return root


def _check(batch: Path, *options: str, names: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "planlint", "check", "--no-cache", *options, *(names or [str(batch)])]
    env = {**os.environ, "PLANLINT_NO_CACHE": "1"}
    return subprocess.run(command, capture_output=True, text=True, cwd=batch, env=env, timeout=600)


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_workers_print_what_one_process_prints(batch: Path, output_format: str) -> None:
    alone = _check(batch, "-f", output_format, "-j", "1")
    assert alone.returncode == 1, alone.stderr
    assert "IB005" in alone.stdout  # the north folder's plans are judged by it
    for jobs in ("2", "3", "64") if output_format == "text" else ("2",):  # 64: more than the batch has files
        together = _check(batch, "-f", output_format, "-j", jobs)
        assert (together.returncode, together.stdout, together.stderr) == (1, alone.stdout, alone.stderr)


def test_the_order_files_are_named_in_does_not_change_the_output(batch: Path) -> None:
    files = sorted(str(path.relative_to(batch)) for path in batch.rglob("*.yaml"))
    forward = _check(batch, "-j", "2", names=files)
    backward = _check(batch, "-j", "2", names=files[::-1])
    assert forward.returncode == backward.returncode == 1
    assert forward.stdout == backward.stdout


def test_each_folders_configuration_holds_in_the_workers(batch: Path) -> None:
    result = _check(batch, "-f", "text", "-j", "2", names=["north", "south"])
    south = [line for line in result.stdout.splitlines() if line.startswith("south")]
    north = [line for line in result.stdout.splitlines() if line.startswith("north")]
    assert south and north
    assert not any("IB005" in line for line in south)
    assert any("IB005" in line for line in north)


def test_a_batch_this_size_is_checked_in_worker_processes(batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests above compare real worker processes with one process, not one process with itself."""
    pooled: list[int] = []
    real = pipeline._in_workers

    def counting(targets, profiles, workers):
        pooled.append(workers)
        return real(targets, profiles, workers)

    monkeypatch.setattr(pipeline, "_in_workers", counting)
    monkeypatch.chdir(batch)
    results = pipeline.check_paths([str(batch)], pipeline.Profiles(pipeline.Settings()), jobs=2)
    assert pooled == [2]
    assert len(results.files) == len([path for path in batch.rglob("*.yaml") if path.name != ".planlint.yaml"])


class _Dies:
    """A chunk of work that ends the worker process reading it, as the system ends one short of memory."""

    def __reduce__(self):
        return os._exit, (9,)


def test_a_worker_that_dies_ends_the_run_with_a_message_not_a_traceback(batch: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from planlint.config_error import ConfigError

    real = pipeline._chunks
    monkeypatch.setattr(pipeline, "_chunks", lambda targets, workers: [[_Dies()], *real(targets, workers)])
    monkeypatch.chdir(batch)
    with pytest.raises(ConfigError, match="a worker process stopped before the batch was checked") as raised:
        pipeline.check_paths([str(batch)], pipeline.Profiles(pipeline.Settings()), jobs=2)
    assert "-j 1" in raised.value.message


def test_a_broken_configuration_is_reported_as_one_process_reports_it(tmp_path: Path) -> None:
    """Two folders whose configurations are both broken: workers or not, the same one is named, the first
    a single process meets."""
    names = []
    for district in ("north", "south"):
        folder = tmp_path / district
        folder.mkdir()
        (folder / ".planlint.yaml").write_text(f"preset: no-such-preset-{district}\n", encoding="utf-8")
        for copy in range(2):  # enough files for worker processes to start
            for example in EXAMPLES:
                (folder / f"{example.stem}-{copy}.yaml").write_text(example.read_text(encoding="utf-8"),
                                                                     encoding="utf-8")
                names.append(f"{district}/{example.stem}-{copy}.yaml")
    alone = _check(tmp_path, "-j", "1", names=names)
    assert alone.returncode == 2 and "north/.planlint.yaml" in alone.stderr + alone.stdout, alone.stderr
    for jobs, named in (("2", names), ("2", names[::-1]), ("3", names)):
        together = _check(tmp_path, "-j", jobs, names=named)
        assert (together.returncode, together.stdout, together.stderr) == (2, alone.stdout, alone.stderr)
