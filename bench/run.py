"""Measure planlint against its floor and its neighbours, every figure beside a baseline taken in the same run.

    pip install -e '.[bench]'           # yamllint, for the cold-start comparison
    python bench/run.py                 # generate bench/corpus (2,000 plans) if missing, then measure
    python bench/run.py --count 500     # a smaller corpus, for a quick look
    python bench/run.py --cold-runs 21  # more runs of the cold single-file check

The machine may be shared and noisy, so each figure is a ratio of two timings taken side by side
(interleaved where they are short; the command line's runs each beside a bare load, the ratio taken within
each of --rounds rounds and the median counting), and each in-process timing is the best of --repeat passes.
It prints:

- where the time goes in one process: a bare libyaml load, planlint's load, + schema, + rules;
- the four figures the README's performance section names, each with its goal:
  1. `planlint check -j 1 CORPUS` against a bare `yaml.load(CSafeLoader)` of the same files;
  2. a cold `planlint check plan.yaml`, the file edited before each call as a pre-commit hook sees
     it, against `yamllint plan.yaml`;
  3. peak memory of `planlint check -j 1` over 8x the files;
  4. `-j 2` against `-j 1`, beside a control: two `-j 1` side by side over the two halves of the corpus,
     against one over all of it: what two independent processes gain on this machine.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from planlint.config import Config, build_profile  # noqa: E402
from planlint.loader import load_bytes  # noqa: E402
from planlint.pipeline import check_bytes  # noqa: E402
from planlint.schema import validate_plan  # noqa: E402

PLANLINT = [sys.executable, "-m", "planlint", "check", "--no-config", "--no-cache", "--quiet"]
GOALS = {"throughput": 2.0, "cold": 1.0, "memory": 1.3, "jobs": 1.8}


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--count", type=int, default=2000, help="plans in the corpus it generates (default 2000)")
    parser.add_argument("--repeat", type=int, default=3, help="passes of each in-process timing, the best counting (default 3)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the command-line timings, the median ratio counting "
                                                             "(default 5)")
    parser.add_argument("--cold-runs", type=int, default=15, help="runs of each cold command (default 15)")
    args = parser.parse_args()

    if not args.corpus.is_dir() or not any(args.corpus.glob("*.yaml")):
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.corpus), "--count", str(args.count)],
                       check=True)
    files = sorted(args.corpus.glob("*.yaml"))
    blobs = [path.read_bytes() for path in files]
    print(f"corpus: {len(files)} plans, {sum(map(len, blobs)) / 1e6:.1f} MB, {sys.version.split()[0]}, "
          f"{os.cpu_count()} CPUs")

    stages(blobs, args.repeat)
    figures = {}
    with tempfile.TemporaryDirectory(prefix="planlint-bench-") as scratch:
        figures["throughput"], figures["jobs"], of_control = throughput(args.corpus, blobs, args.rounds,
                                                                        Path(scratch))
        figures["memory"] = memory(files, Path(scratch))
        figures["cold"] = cold(Path(scratch), args.cold_runs)
    print()
    print(f"{'figure':52} {'now':>7} {'goal':>7}")
    labels = {"throughput": "check -j 1 CORPUS / bare CSafeLoader load (x)",
              "cold": "cold check plan.yaml / yamllint plan.yaml (x)",
              "memory": "peak memory, 8x the files (x)",
              "jobs": "-j 2 speed-up over -j 1 (x)"}
    for name, label in labels.items():
        value, goal = figures[name], GOALS[name]
        if value is None:
            print(f"{label:52} {'-':>7} {goal:>7.2f}   not measured (see above)")
            continue
        met = value >= goal if name == "jobs" else value <= goal
        print(f"{label:52} {value:7.2f} {('>= ' if name == 'jobs' else '<= ') + format(goal, '.2f'):>7}   "
              f"{'met' if met else 'NOT MET'}")
    print(f"{'  beside it: -j 2 speed / the control speed (x)':52} {of_control:7.2f} {'-':>7}   "
          "(two -j 1 side by side, half each)")


def stages(blobs: list[bytes], repeat: int) -> None:
    """Where the time goes in one process, against the bare load."""
    profile = build_profile(Config())

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
        fresh_batch()
        for raw in blobs:
            check_bytes(raw, "p.yaml", profile)

    baseline = 0.0
    for label, work in (("bare yaml.load (CSafeLoader)", bare), ("planlint load", load_only),
                        ("planlint load + schema", load_schema), ("planlint load + schema + rules", full)):
        seconds = best_of(repeat, work)
        baseline = baseline or seconds
        print(f"{label:34} {len(blobs) / seconds:7.0f} plans/s  {seconds / baseline:5.2f}x the bare load")


def fresh_batch() -> None:
    """Forget the benchmark sentences read in an earlier pass, so that every pass times a batch never seen."""
    from planlint.benchmark.reader import clear_cache

    clear_cache()


def throughput(corpus: Path, blobs: list[bytes], rounds_wanted: int, scratch: Path) -> tuple[float, float, float]:
    """Figures 1 and 4: the command line over the corpus, with one and with two processes. Each round times
    a bare load of the corpus (in a process of its own), `-j 1`, `-j 2` (the two in turn first) and, as a
    control, two `-j 1` side by side, each over half the corpus: what two independent processes gain on
    this machine for this work, each paying its own start (which `-j 2`'s forked workers do not). Each figure
    is the median over the rounds of the ratio within a round, so that a machine that slows down or speeds up
    between rounds moves both sides of a ratio alike. Returns figure 1, figure 4, and `-j 2`'s speed against
    the control's: how much of what this machine gives two processes `-j 2` takes, which figure 4 is read
    beside."""
    halves = [scratch / "first-half", scratch / "second-half"]
    plans = sorted(corpus.glob("*.yaml"))
    for index, half in enumerate(halves):
        half.mkdir()
        for path in plans[index::2]:
            shutil.copyfile(path, half / path.name)
    rounds: list[dict[str, float]] = []
    outcome = {}
    for number in range(max(1, rounds_wanted)):
        timed = {"bare": timed_once(lambda: subprocess.run([sys.executable, "-c", BARE_LOAD, str(corpus)], check=True))}
        for jobs in (("1", "2") if number % 2 == 0 else ("2", "1")):
            start = time.perf_counter()
            done = subprocess.run([*PLANLINT, "-j", jobs, str(corpus)], capture_output=True, text=True)
            timed[jobs] = time.perf_counter() - start
            outcome[jobs] = (done.returncode, done.stdout.count(chr(10)))
        timed["pair"] = timed_once(lambda: side_by_side([[*PLANLINT, "-j", "1", str(half)] for half in halves]))
        rounds.append(timed)
    def ratio(slower: str, faster: str) -> float:
        return statistics.median(timed[slower] / timed[faster] for timed in rounds)

    for jobs in ("1", "2"):
        best = min(timed[jobs] for timed in rounds)
        code, findings = outcome[jobs]
        print(f"{'planlint check -j ' + jobs + ' CORPUS':34} {len(blobs) / best:7.0f} plans/s  "
              f"{ratio(jobs, 'bare'):5.2f}x the bare load (median of {len(rounds)} rounds; exit {code}, "
              f"{findings} findings)")
    print(f"{'two -j 1 side by side, half each':34} {len(blobs) / min(t['pair'] for t in rounds):7.0f} plans/s  "
          f"{ratio('1', 'pair'):5.2f}x the speed of one -j 1 (a control: what two processes gain on this machine)")
    share = ratio("pair", "2")
    print(f"{'-j 2 against the control':34} {'':17}{share:5.2f}x the control's speed (1.00: all that two processes gain here)")
    return ratio("1", "bare"), ratio("1", "2"), share


def side_by_side(commands: list[list[str]]) -> None:
    running = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for command in commands]
    for process in running:
        process.wait()


# The baseline of figure 1 as a process of its own, as the command line is: the same files read and loaded,
# nothing else; a baseline timed inside this process would pay for the collector scanning what it holds.
BARE_LOAD = ("import pathlib, sys, yaml\n"
             "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
             "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n")


def timed_once(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def memory(files: list[Path], scratch: Path) -> float:
    """Figure 3: peak memory of one process over an eighth of the corpus and over all of it."""
    small = scratch / "eighth"
    small.mkdir()
    for path in files[:max(1, len(files) // 8)]:
        shutil.copyfile(path, small / path.name)
    peaks = {}
    for label, folder, count in (("an eighth", small, len(files) // 8), ("all", files[0].parent, len(files))):
        peaks[label] = peak_memory([*PLANLINT, "-j", "1", str(folder)])
        print(f"peak memory, {count:>6} plans            {peaks[label] / 1e6:7.1f} MB")
    return peaks["all"] / peaks["an eighth"]


def peak_memory(command: list[str]) -> float:
    """The peak resident memory of `command`, in bytes, measured in a process of its own."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True)
    return int(done.stdout.split()[-1]) * (1 if sys.platform == "darwin" else 1024)  # macOS counts bytes


def cold(scratch: Path, runs: int) -> float | None:
    """Figure 2: one plan, edited before each call (as a pre-commit hook meets it), planlint and yamllint in
    turn; the median of each."""
    plan = scratch / "plan.yaml"
    original = (ROOT / "examples" / "strong-parish-2026.yaml").read_text(encoding="utf-8")
    commands = {"python -c pass": [sys.executable, "-c", "pass"],
                "planlint check plan.yaml": [sys.executable, "-m", "planlint", "check", str(plan)],
                "yamllint plan.yaml": [sys.executable, "-m", "yamllint", str(plan)]}
    plan.write_text(original, encoding="utf-8")
    if importlib.util.find_spec("yamllint") is None:
        print("yamllint is not installed: pip install -e '.[bench]' to compare the cold start with it")
        del commands["yamllint plan.yaml"]
    # Bytecode written, as installing a package writes it (yamllint's was): a checkout run with
    # PYTHONDONTWRITEBYTECODE set would otherwise compile every changed module on every call.
    for package in ("planlint", "yamllint"):
        spec = importlib.util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(folder, quiet=1)
    subprocess.run(commands["planlint check plan.yaml"], capture_output=True, cwd=scratch)  # the rule cache, warm
    times: dict[str, list[float]] = {label: [] for label in commands}
    for run in range(runs):
        for label, command in commands.items():
            plan.write_text(f"{original}# edit {run}\n", encoding="utf-8")
            start = time.perf_counter()
            subprocess.run(command, capture_output=True, cwd=scratch)
            times[label].append(time.perf_counter() - start)
    medians = {label: statistics.median(values) for label, values in times.items()}
    for label, seconds in medians.items():
        print(f"cold {label:29} {seconds * 1000:7.0f} ms (median of {runs})")
    if "yamllint plan.yaml" not in medians:
        return None
    return medians["planlint check plan.yaml"] / medians["yamllint plan.yaml"]


if __name__ == "__main__":
    main()
