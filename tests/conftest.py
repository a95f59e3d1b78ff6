"""Shared test settings.

The property tests run the same generated cases on every run ("default"), so a
test run is as reproducible as planlint's own output. To search for new failing
cases, run them with fresh random input and many more examples:

    python -m pytest --hypothesis-profile=fuzz
"""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from projects import PLAN, TT001, TT002, write

settings.register_profile("default", max_examples=400, derandomize=True, database=None,
                          deadline=None)
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


@pytest.fixture()
def quiet_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour, a rule cache of the test run's own, and none of the settings of a CI run."""
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("PLANLINT_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "rule-cache"))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("PLANLINT_NO_CACHE", raising=False)


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the plan, the test's own rules in rules/tt/, and the folder as working directory."""
    write(tmp_path / "plan.yaml", PLAN)
    write(tmp_path / "rules" / "tt" / "TT001-short-measure-names.yaml", TT001)
    write(tmp_path / "rules" / "tt" / "TT002-strategy-owner.yaml", TT002)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True, scope="session")
def _cache_in_the_test_folder(tmp_path_factory: pytest.TempPathFactory):
    """`planlint check` caches results in the user's cache folder; tests keep theirs in their own."""
    if "PLANLINT_CACHE_DIR" not in os.environ:
        os.environ["PLANLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("planlint-cache"))
    yield
