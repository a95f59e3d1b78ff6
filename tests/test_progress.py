"""Progress on a terminal: `done/total file` on standard error while a batch runs, and nothing in a pipe,
with -q, or in CI."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from planlint import progress
from verdict_plans import write_batch


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_files_and_clears_its_line() -> None:
    stream = _Terminal()
    shown = progress.Progress(stream)
    shown(1, 3, "plans/a.yaml")
    shown(3, 3, "plans/c\x1b[2J.yaml")
    shown.close()
    text = stream.getvalue()
    assert "1/3 plans/a.yaml" in text
    assert "3/3 plans/c\\x1b[2J.yaml" in text  # a file name cannot drive the terminal
    assert text.endswith("\r\x1b[K")


@pytest.mark.parametrize("variable", ["CI", "GITHUB_ACTIONS"])
def test_progress_is_wanted_only_on_a_terminal_outside_ci(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    for name in progress._CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert progress.wanted(_Terminal(), quiet=False)
    assert not progress.wanted(_Terminal(), quiet=True)
    assert not progress.wanted(io.StringIO(), quiet=False)
    monkeypatch.setenv(variable, "true")
    assert not progress.wanted(_Terminal(), quiet=False)


def _stderr_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[str, bytes]:
    """Run planlint with standard error on a pseudo-terminal; (what the terminal showed, standard output)."""
    leader, follower = os.openpty()
    process = subprocess.Popen([sys.executable, "-m", "planlint", *args], stdout=subprocess.PIPE, stderr=follower,
                               env=env)
    os.close(follower)
    shown = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        shown += chunk
    output, _ = process.communicate(timeout=60)
    os.close(leader)
    return shown.decode("utf-8", "replace"), output


def test_a_batch_shows_progress_on_a_terminal_and_not_in_a_pipe(tmp_path: Path) -> None:
    batch = write_batch(tmp_path / "submissions")
    env = {key: value for key, value in os.environ.items() if key not in progress._CI_VARIABLES}
    shown, output = _stderr_on_a_terminal(["check", "--no-config", "--no-cache", "--concise", str(batch)], env)
    assert "5/5 " in shown and "unreadable.yaml" in shown
    assert shown.endswith("\r\x1b[K")
    assert b"5/5" not in output  # the report itself is unchanged
    quiet, _ = _stderr_on_a_terminal(["check", "--no-config", "--no-cache", "-q", str(batch)], env)
    assert quiet == ""
    in_ci, _ = _stderr_on_a_terminal(["check", "--no-config", "--no-cache", str(batch)], {**env, "CI": "true"})
    assert in_ci == ""
    piped = subprocess.run([sys.executable, "-m", "planlint", "check", "--no-config", "--no-cache", str(batch)],
                           capture_output=True, env=env)
    assert piped.stderr == b""
