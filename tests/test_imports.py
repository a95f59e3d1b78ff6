"""Every module imports on its own, in a fresh interpreter: no import cycle depends on which comes first."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import planlint

MODULES = sorted(info.name for info in pkgutil.walk_packages(planlint.__path__, "planlint.")
                 if not info.name.endswith("__main__"))


def test_every_module_imports_first() -> None:
    assert len(MODULES) > 30

    def load(name: str) -> tuple[str, str]:
        done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True, timeout=120)
        return name, done.stderr.strip().splitlines()[-1] if done.returncode else ""

    with ThreadPoolExecutor(max_workers=8) as pool:
        failures = [f"{name}: {error}" for name, error in pool.map(load, MODULES) if error]
    assert failures == []
