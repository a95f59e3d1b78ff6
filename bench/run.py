"""Measure planlint against a bare libyaml load of the same files, in the same run.

    python bench/run.py                 # generate bench/corpus (2,000 plans) if missing, then measure
    python bench/run.py --count 500     # a smaller corpus
    python bench/run.py --cold-runs 15  # more runs of the cold single-file check

The machine may be shared and noisy, so every figure is printed beside the baseline measured in the
same run, and each stage is timed as the best of --repeat passes.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from planlint.config import Config, build_profile  # noqa: E402
from planlint.loader import load_bytes  # noqa: E402
from planlint.pipeline import check_bytes  # noqa: E402
from planlint.schema import validate_plan  # noqa: E402


def best_of(repeat: int, work: Callable[[], None]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=9)
    args = parser.parse_args()

    if not args.corpus.is_dir() or not any(args.corpus.glob("*.yaml")):
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.corpus), "--count", str(args.count)],
                       check=True)
    files = sorted(args.corpus.glob("*.yaml"))
    blobs = [path.read_bytes() for path in files]
    profile = build_profile(Config())
    print(f"corpus: {len(files)} plans, {sum(map(len, blobs)) / 1e6:.1f} MB, {len(profile.engine.rules)} rules")

    def bare() -> None:
        for raw in blobs:
            yaml.load(raw, Loader=yaml.CSafeLoader)

    def load_only() -> None:
        for raw in blobs:
            load_bytes(raw, "p.yaml")

    def load_schema() -> None:
        for raw in blobs:
            document = load_bytes(raw, "p.yaml").document
            if document is not None:
                validate_plan(document, "p.yaml")

    def full() -> None:
        for raw in blobs:
            check_bytes(raw, "p.yaml", profile)

    stages = [("bare yaml.load (CSafeLoader)", bare), ("planlint load", load_only),
              ("planlint load + schema", load_schema), ("planlint load + schema + rules", full)]
    baseline = None
    for label, work in stages:
        seconds = best_of(args.repeat, work)
        baseline = baseline or seconds
        print(f"{label:34} {len(blobs) / seconds:9.0f} plans/s   {seconds / baseline:5.2f}x the bare load")

    for jobs in ("1", "2"):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "planlint", "check", "--concise", "--no-config", "-j", jobs,
                               str(args.corpus)], capture_output=True, text=True)
        seconds = time.perf_counter() - start
        label = f"planlint check -j {jobs} CORPUS (CLI)"
        print(f"{label:34} {len(blobs) / seconds:9.0f} plans/s   {seconds / baseline:5.2f}x "
              f"the bare load (exit {done.returncode}, {done.stdout.count(chr(10)) - 1} findings)")
    cold(args.cold_runs)


def cold(runs: int) -> None:
    example = ROOT / "examples" / "strong-parish-2026.yaml"
    commands = {"python -c pass": [sys.executable, "-c", "pass"],
                "planlint check EXAMPLE": [sys.executable, "-m", "planlint", "check", "--no-config", str(example)]}
    for label, command in commands.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, capture_output=True)
            times.append(time.perf_counter() - start)
        print(f"cold {label:29} median {statistics.median(times) * 1000:6.0f} ms over {runs} runs")


if __name__ == "__main__":
    main()
