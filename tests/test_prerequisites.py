"""A missing prerequisite skips a test on a developer's machine and fails it in CI, where nothing may be skipped."""

from __future__ import annotations

import pytest

from prerequisites import missing


def test_a_missing_prerequisite_fails_the_test_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no Chromium here .CI installs every prerequisite"):
        missing("no Chromium here")


@pytest.mark.parametrize("ci", [None, "false", "1"])
def test_a_missing_prerequisite_skips_the_test_elsewhere_saying_why(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="^no Chromium here$"):
        missing("no Chromium here")
