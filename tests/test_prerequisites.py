"""A missing prerequisite fails the test, in CI and anywhere else: no test is skipped in silence."""

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


@pytest.mark.parametrize("ci", [None, "true", "false", "1"])
def test_a_missing_prerequisite_fails_the_test_saying_what_is_missing(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    raised = _outcome("no Chromium here")
    assert type(raised) is pytest.fail.Exception
    assert str(raised) == "no Chromium here (the README's test command installs what the tests need; no test is skipped)"
