"""A test whose prerequisite is missing fails, saying what is missing and how to get it; it is never
skipped, so a passing run means every test ran. The README's test command installs every prerequisite
(on Debian, as .ci/run does); where one cannot be had, leave its tests out on purpose (`-m "not browser"`
for the browser tests), and pytest counts them as deselected."""

from __future__ import annotations

import pytest


def missing(reason: str) -> None:
    pytest.fail(f"{reason} (the README's test command installs what the tests need; no test is skipped)",
                pytrace=False)
