"""A missing prerequisite skips a test on a developer's machine and fails it in CI, where nothing may be skipped."""

from __future__ import annotations

import pytest

from prerequisites import missing


def _outcome(reason: str) -> BaseException | None:
    """What `missing` raises, caught here whichever it is: a skip that reached pytest would skip this test too."""
    try:
        missing(reason)
    except (pytest.fail.Exception, pytest.skip.Exception) as raised:
        return raised
    return None


def test_a_missing_prerequisite_fails_the_test_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    raised = _outcome("no Chromium here")
    assert type(raised) is pytest.fail.Exception
    assert str(raised) == "no Chromium here (CI installs every prerequisite, so this test must run here)"


@pytest.mark.parametrize("ci", [None, "false", "1"])
def test_a_missing_prerequisite_skips_the_test_elsewhere_saying_why(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    raised = _outcome("no Chromium here")
    assert type(raised) is pytest.skip.Exception
    assert str(raised) == "no Chromium here"
