"""The standing fuzzer (bench/fuzz.py) keeps running against the code as it is: a short run over
mutated plans and mutated rule files finds nothing and says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_a_short_fuzz_run_over_plans_and_rules_finds_nothing(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "fuzz.py"), "--plans", "40", "--rules", "40",
                           "--minutes", "5", "--out", str(tmp_path / "found")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "plan inputs: 40; rule inputs: 40; tracebacks: 0; internal failures: 0;" in done.stdout, done.stdout
    assert not (tmp_path / "found").exists() or not any((tmp_path / "found").iterdir())
