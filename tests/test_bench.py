"""The benchmark runs as the README says, on a corpus of its own making, and prints the four figures, figure 4
beside its control."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_and_prints_the_four_figures_with_their_goals(tmp_path: Path):
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--corpus", str(tmp_path / "corpus"),
                           "--count", "24", "--repeat", "1", "--rounds", "2", "--cold-runs", "1"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert len(list((tmp_path / "corpus").glob("*.yaml"))) == 24
    out = done.stdout
    assert "corpus: 24 plans" in out
    for row in ("check -j 1 CORPUS / bare CSafeLoader load (x)", "peak memory, 8x the files (x)",
                "-j 2 speed-up over -j 1 (x)"):
        assert re.search(re.escape(row) + r" +\d+\.\d\d <= |" + re.escape(row) + r" +\d+\.\d\d >= ", out), out
    assert "cold check plan.yaml / yamllint plan.yaml (x)" in out
    assert re.search(r"two -j 1 side by side, half each +\d+ plans/s +\d+\.\d\dx", out), out
    share = re.search(r"-j 2 against the control +(\d+\.\d\d)x the control's speed", out)
    assert share and float(share[1]) > 0, out
    assert re.search(r"beside it: -j 2 speed / the control speed \(x\) +" + re.escape(share[1]) + " ", out), out
    findings = re.findall(r"planlint check -j [12] CORPUS .*exit (\d), (\d+) findings", out)
    assert len(findings) == 2 and findings[0] == findings[1], out  # one process or two, the same findings
