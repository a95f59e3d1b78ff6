"""Shared test settings.

The property tests run the same generated cases on every run ("default"), so a
test run is as reproducible as planlint's own output. To search for new failing
cases, run them with fresh random input and many more examples:

    python -m pytest --hypothesis-profile=fuzz
"""

from hypothesis import HealthCheck, settings

settings.register_profile("default", max_examples=400, derandomize=True, database=None,
                          deadline=None)
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


import os  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def _cache_in_the_test_folder(tmp_path_factory: pytest.TempPathFactory):
    """`planlint check` caches results in the user's cache folder; tests keep theirs in their own."""
    if "PLANLINT_CACHE_DIR" not in os.environ:
        os.environ["PLANLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("planlint-cache"))
    yield
