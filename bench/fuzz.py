"""A mutation fuzzer: mutated example plans, and mutated rule files, through the whole pipeline.

Run it from the repository root, for a bounded time:

    python bench/fuzz.py --minutes 10                  # plans and rules, until the time is up
    python bench/fuzz.py --plans 100000 --rules 10000  # stop at these counts (or --minutes)
    python bench/fuzz.py --replay fuzz-out/plan-123.yaml

Inputs are made in batches, each in a worker process with a memory limit: a plan is checked with
the shipped rules and every output format is rendered; a rule file is loaded as a rule pack, its
own examples are run, and the example plans are checked with it. The same --seed gives the same
inputs. A traceback, an internal failure (PL010, or a loader error that names a Python exception)
or an input that takes more than --hang seconds of CPU time is saved in --out with what happened, and the
totals are printed at the end: inputs, tracebacks, internal failures, hangs, and peak memory.
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import multiprocessing
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PLAN_SEEDS = sorted((ROOT / "examples").glob("*.yaml")) + sorted((ROOT / "examples" / "broken").glob("*.yaml"))
RULE_SEEDS = sorted((ROOT / "rules").rglob("*.yaml"))
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

# Values that have broken parsers and rule engines before: extremes of number, text, nesting and type.
INTERESTING: list[Any] = [
    None, True, False, 0, -1, 1, 2**63, -(2**1100), 1.7976931348623157e308, -1.7976931348623157e308, 5e-324,
    float("inf"), float("nan"), 0.1, 100, 101, -100, "", " ", "tbd", "TBD", "n/a", "56%", "1e309", "2025-26",
    "2026-02-30", "9999-12-31", "0001-01-01", "x" * 70_000, "é" * 300, "\u202e\u2028\x85", "{x}", "{{", "}",
    "a: b", "*a", "&a", "!!python/object/apply:os.system", "\x1b]8;;http://x\x07y\x1b]8;;\x07", "../../etc/passwd",
    "/dev/zero", [], {}, [[[[[]]]]], {"year": 2026, "value": 10}, list(range(300)), {str(y): y for y in range(2000, 2100)},
]
TEXT_TOKENS = [
    b"\x00", b"\xff", b"\xfe\xff", b"\t", b"\r", b"\r\n", b"\xc2\x85", b"\xe2\x80\xa8", b"\xf0\x9f\x98\x80", b"---\n",
    b"...\n", b"? ", b"- ", b": ", b"&a ", b"*a", b"!!binary ", b"!!python/name:os.system ", b"!!set ", b"<<: ",
    b"[", b"]", b"{", b"}", b"'", b'"', b"\\x", b"\\u", b"#", b"%YAML 1.1\n", b"%TAG ! tag:x:\n", b"|", b">-",
    b"1e400", b"0x1f", b"0o17", b".inf", b"-.nan", b"2025-02-29", b"~", b"null", b"yes", b"on", b"\xef\xbb\xbf",
]
EXPR_TOKENS = [
    "1", "0", "-1", "1e308", "9" * 400, "'x'", "''", "null", "true", "[]", "[1, 2]", "range(1, 10000)",
    "join(range(1, 10000), 'xxxxxxxxxxxxxxxx')", "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "and", "or", "not",
    "in", "(", ")", "[", "]", "[*]", "[? true]", ".", ",", "?", ":", "if", "then", "else", "all(", "any(", "for",
    "x", "root", "node", "parent", "options", "measures[*]", "strategies[*]", "id", "value", "history", "target",
    "{", "}", "{{", "'\\", "matches(id, '(a+)+$')", "matches(id, '[')", "len(", "today()",
]


@dataclass
class Totals:
    plans: int = 0
    rules: int = 0
    tracebacks: int = 0
    internal: int = 0
    budget: int = 0
    hangs: int = 0
    peak_kb: int = 0
    slowest: float = 0.0
    saved: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- mutations

def _walk_slots(value: Any, out: list[tuple[Any, Any]]) -> None:
    """Every (container, key) slot in a YAML value, to pick one to change."""
    if isinstance(value, dict):
        for key in list(value):
            out.append((value, key))
            _walk_slots(value[key], out)
    elif isinstance(value, list):
        for index in range(len(value)):
            out.append((value, index))
            _walk_slots(value[index], out)


def _mutate_value(rng: random.Random, value: Any, strings: list[str], expression: bool) -> Any:
    slots: list[tuple[Any, Any]] = []
    _walk_slots(value, slots)
    if not slots:
        return rng.choice(INTERESTING)
    container, key = rng.choice(slots)
    old = container[key]
    choice = rng.randrange(9)
    if choice == 0 and isinstance(container, dict):
        del container[key]
    elif choice == 1:  # a copy of another part of the file here
        container[key] = _copy(rng.choice(slots)[0])
    elif choice == 2 and isinstance(container, list):
        # now and then a list 800 items long: such inputs find quadratic work, but each costs seconds
        container.extend(_copy(container[key]) for _ in range(800 if rng.random() < 0.02 else rng.choice([1, 2, 50])))
    elif choice == 3 and isinstance(old, str) and expression:
        container[key] = _mutate_expression(rng, old)
    elif choice == 4 and isinstance(old, (int, float)) and not isinstance(old, bool):
        scale = 10 ** rng.randrange(1, 400)
        container[key] = rng.choice([-old, old + 1, old * scale if isinstance(old, int) else old * 1e300, old / 3,
                                     str(old)])
    elif choice == 5 and isinstance(container, dict):
        container[rng.choice([*strings, 2026, "extra", "<<"])] = _copy(old)
    elif choice == 6 and isinstance(old, str):
        container[key] = rng.choice(strings)
    else:
        container[key] = _copy(rng.choice(INTERESTING))
    return value


_EXPRESSION_KEYS = ("when", "given", "where", "check", "message", "at")
_SCHEMAS: list[Any] = [
    {"type": "string", "pattern": "^(a+)+$"}, {"$ref": "file:///etc/hostname"}, {"$ref": "http://localhost:9/x"},
    {"$ref": "#/nowhere"}, {"type": "nope"}, {"type": "object", "patternProperties": {"(a|a)*$": {}}},
    {"type": "string", "format": "regex"}, {"$defs": {"a": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"},
    {"minimum": "x"}, {"enum": []}, {"type": ["integer", "null"], "minimum": 1}, {"pattern": "["}, [], "x",
]


def _mutate_rule(rng: random.Random, data: Any) -> None:
    """Change a rule where it is most interesting: an expression, a template, an option's schema."""
    if not isinstance(data, dict):
        return
    slots = [(data, key) for key in _EXPRESSION_KEYS if isinstance(data.get(key), str)]
    for group in ("with", "let"):
        if isinstance(data.get(group), dict):
            slots += [(data[group], key) for key in data[group]]
    for check in data.get("checks", []) if isinstance(data.get("checks"), list) else []:
        if isinstance(check, dict):
            slots += [(check, key) for key in _EXPRESSION_KEYS if isinstance(check.get(key), str)]
    options = data.get("options") if isinstance(data.get("options"), dict) else {}
    choice = rng.random()
    if choice < 0.1 and options:
        option = options[rng.choice(list(options))]
        if isinstance(option, dict):
            option[rng.choice(["schema", "default"])] = copy.deepcopy(rng.choice(_SCHEMAS + INTERESTING))
    elif choice < 0.15:
        if not isinstance(data.get("options", {}), dict):
            return
        data.setdefault("options", {})["fuzz"] = {"default": rng.choice(INTERESTING[:12]), "description": "x",
                                                  "schema": copy.deepcopy(rng.choice(_SCHEMAS))}
    elif slots:
        container, key = rng.choice(slots)
        if isinstance(container[key], str):
            other = rng.choice(slots)
            container[key] = other[0][other[1]] if choice < 0.25 else _mutate_expression(rng, container[key])


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str)) if isinstance(value, (dict, list)) else value


def _mutate_expression(rng: random.Random, text: str) -> str:
    words = text.replace("(", " ( ").replace(")", " ) ").replace(",", " , ").split(" ")
    for _ in range(rng.randrange(1, 4)):
        at = rng.randrange(len(words) + 1)
        action = rng.randrange(3)
        if action == 0:
            words.insert(at, rng.choice(EXPR_TOKENS))
        elif action == 1 and words:
            del words[min(at, len(words) - 1)]
        elif words:
            words[min(at, len(words) - 1)] = rng.choice(EXPR_TOKENS + words)
    return " ".join(words)


def _mutate_bytes(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.choice([1, 1, 2, 4, 16])):
        at = rng.randrange(len(data) + 1)
        action = rng.randrange(6)
        if action == 0 and data:
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif action == 1:
            data[at:at] = rng.choice(TEXT_TOKENS)
        elif action == 2:
            end = min(len(data), at + rng.randrange(1, 200))
            del data[at:end]
        elif action == 3:
            start = rng.randrange(len(data) + 1)
            data[at:at] = data[start:start + rng.randrange(1, 400)]
        elif action == 4:  # a line swapped with another
            lines = bytes(data).split(b"\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            data[at:at] = b" " * rng.choice([1, 2, 4])
    return bytes(data)


def make_input(kind: str, seed: int, index: int) -> bytes:
    """The index-th input of a kind: the same seed and index always give the same bytes."""
    rng = random.Random(f"{kind}:{seed}:{index}")
    raw, parsed, strings = _seed(rng.choice(PLAN_SEEDS if kind == "plan" else RULE_SEEDS))
    if parsed is None or rng.random() < (0.35 if kind == "plan" else 0.05):
        return _mutate_bytes(rng, raw)
    data = copy.deepcopy(parsed)
    for _ in range(rng.choice([1, 1, 2, 3, 6])):
        if kind == "rule" and rng.random() < 0.85:
            _mutate_rule(rng, data)
        else:
            data = _mutate_value(rng, data, strings, expression=kind == "rule")
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=rng.random() < 0.5, width=rng.choice([80, 10**6]))
    encoded = text.encode("utf-8", "surrogatepass")
    return _mutate_bytes(rng, encoded) if rng.random() < 0.2 else encoded


@functools.lru_cache(maxsize=None)
def _seed(path: Path) -> tuple[bytes, Any, list[str]]:
    raw = path.read_bytes()
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.YAMLError:  # a broken example: only its bytes can be changed
        return raw, None, []
    return raw, data, [s for s in _strings(data) if len(s) < 80][:200] or ["x"]


def _input_or_seed(kind: str, seed: int, index: int) -> bytes:
    try:
        return make_input(kind, seed, index)
    except Exception:  # noqa: BLE001 - a mutation the fuzzer itself cannot make: the seed file unchanged
        return random.Random(index).choice(PLAN_SEEDS if kind == "plan" else RULE_SEEDS).read_bytes()


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


# ----------------------------------------------------------------------------- running one input

_PYTHON_ERROR = re.compile(r"could not be evaluated on this plan: [A-Za-z_.]+(Error|Exception|Interrupt)\b")


def _internal(results: Any) -> str | None:
    """A finding that shows planlint failing: a Python exception inside a rule, or in the loader. A rule
    that runs out of steps (PL010 on its budget) is counted apart, as `budget`: it is bounded, and said."""
    budget = None
    for result in results.files:
        for finding in result.findings:
            if "planlint could not read this file:" in finding.message or (
                    finding.code == "PL010" and _PYTHON_ERROR.search(finding.message)):
                return f"{finding.code} {finding.message}"
            if finding.code == "PL010":
                budget = f"budget: {finding.message}"  # the prefix marks it; the worker strips it
    return budget


def _render_all(results: Any) -> None:
    from planlint.reporters import REPORTERS, ReportOptions

    for name, render in REPORTERS.items():
        out = render(results, ReportOptions())
        if name in ("json", "sarif", "rdjson") and out.strip():
            json.loads(out)


def run_plan(raw: bytes, folder: Path, profile: Any) -> str | None:
    from planlint.findings import Results
    from planlint.pipeline import check_bytes

    name = str(folder / "plan.yaml")
    result = check_bytes(raw, name, profile)
    results = Results((result,))
    if sum(raw) % 8 == 0:  # every format for one input in eight: the rules cost more than the reporters
        _render_all(results)
    return _internal(results)


def run_rule(raw: bytes, folder: Path, plans: list[tuple[str, bytes]]) -> str | None:
    """A mutated rule file as a one-rule pack: loaded, its examples run, then run on an example plan."""
    from planlint.engine import ActiveRule, Engine
    from planlint.config_error import ConfigError
    from planlint.findings import FileResult, Results
    from planlint.loader import load_bytes
    from planlint.rules import load_rules
    from planlint.ruletest import check_rules, default_extras

    pack = folder / "pack"
    shutil.rmtree(pack, ignore_errors=True)
    pack.mkdir()
    # A rule file is named after its code and name.
    code = re.search(rb"^code: *([A-Za-z0-9]{1,20}) *$", raw, re.M)
    name = re.search(rb"^name: *([a-z0-9-]{1,60}) *$", raw, re.M)
    (pack / f"{code.group(1).decode() if code else 'X'}-{name.group(1).decode() if name else 'x'}.yaml").write_bytes(raw)
    try:
        rules = load_rules([pack], builtin=False)
    except ConfigError as exc:
        exc.render()
        return None
    check_rules(rules)
    engine = Engine(tuple(ActiveRule(r, r.severity, r.option_values()) for r in rules), default_extras())
    name, plan = plans[sum(raw) % len(plans)]
    document = load_bytes(plan, name).document
    results = Results((FileResult(name, tuple(engine.run(document, name))),))
    _render_all(results)
    problem = _internal(results)
    return None if problem is None or problem.startswith("budget:") else problem


def _worker(kind: str, seed: int, start: int, stop: int, pipe: Any, memory_mb: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 2**20, memory_mb * 2**20))
    folder = Path(tempfile.mkdtemp(prefix="planlint-fuzz-"))
    os.environ["PLANLINT_CACHE_DIR"] = str(folder / "cache")  # the shipped rules are parsed once, not per input
    os.environ.pop("PLANLINT_NO_CACHE", None)
    from planlint.config import Config, build_profile

    profile = build_profile(Config(data={"preset": "strict"}))
    plans = [(str(p), p.read_bytes()) for p in PLAN_SEEDS[:4]]
    try:
        for index in range(start, stop):
            pipe.send(("start", index))
            raw = _input_or_seed(kind, seed, index)
            began = time.perf_counter()
            try:
                problem = run_plan(raw, folder, profile) if kind == "plan" else run_rule(raw, folder, plans)
                outcome = ("ok", None) if not problem else ("budget", problem[len("budget: "):]) \
                    if problem.startswith("budget:") else ("internal", problem)
            except MemoryError:
                outcome = ("traceback", "MemoryError (over the worker's memory limit)")
            except Exception:  # noqa: BLE001 - every traceback is what the fuzzer looks for
                outcome = ("traceback", traceback.format_exc())
            pipe.send(("done", index, outcome, time.perf_counter() - began,
                       resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        pipe.send(("end",))


# ----------------------------------------------------------------------------- the driver

def run_batches(kind: str, count: int, args: argparse.Namespace, totals: Totals, deadline: float) -> None:
    out = Path(args.out)
    index = args.start
    stop = args.start + count
    context = multiprocessing.get_context("fork")
    while index < stop and time.monotonic() < deadline:
        end = min(stop, index + args.batch)
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(kind, args.seed, index, end, child, args.memory_mb))
        process.start()
        current, began, cpu_began = None, time.monotonic(), 0.0
        while True:
            if not parent.poll(args.hang):
                if current is None and process.is_alive():
                    continue  # still starting (importing, loading the rules)
                # On a loaded machine wall time says little: a hang is --hang seconds of the worker's CPU time.
                if process.is_alive() and _cpu_seconds(process.pid) - cpu_began < args.hang \
                        and time.monotonic() - began < 30 * args.hang:
                    continue
                process.kill()
                process.join()
                if current is not None:
                    totals.hangs += 1
                    _save(out, kind, args.seed, current, "hang", f"no answer within {args.hang} s", totals)
                    index = current + 1
                else:
                    index = end
                _count(kind, totals, 1 if current is not None else 0)
                break
            try:
                message = parent.recv()
            except EOFError:  # the worker died (a crash in C code, or killed for memory)
                process.join()
                if current is not None:
                    totals.tracebacks += 1
                    _save(out, kind, args.seed, current, "crash", f"worker exited with {process.exitcode}", totals)
                    _count(kind, totals, 1)
                index = (current + 1) if current is not None else end
                break
            if message[0] == "start":
                current, began, cpu_began = message[1], time.monotonic(), _cpu_seconds(process.pid)
            elif message[0] == "done":
                _, done, (status, detail), seconds, peak = message
                current = None
                totals.peak_kb = max(totals.peak_kb, peak)
                totals.slowest = max(totals.slowest, seconds)
                _count(kind, totals, 1)
                if status == "budget":
                    totals.budget += 1
                    if totals.budget <= 20:
                        _save(out, kind, args.seed, done, status, detail, totals)
                elif status != "ok":
                    if status == "traceback":
                        totals.tracebacks += 1
                    else:
                        totals.internal += 1
                    _save(out, kind, args.seed, done, status, detail, totals)
                index = done + 1
            else:
                process.join()
                break
        if args.verbose:
            print(f"{kind}s: {totals.plans if kind == 'plan' else totals.rules} inputs, "
                  f"{totals.tracebacks} tracebacks, {totals.internal} internal, {totals.budget} over a step budget, "
                  f"{totals.hangs} hangs", flush=True)


def _cpu_seconds(pid: int) -> float:
    """The CPU time a process has used so far (Linux); elsewhere 0, so that wall time alone counts."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _count(kind: str, totals: Totals, n: int) -> None:
    if kind == "plan":
        totals.plans += n
    else:
        totals.rules += n


def _save(out: Path, kind: str, seed: int, index: int, status: str, detail: str, totals: Totals) -> None:
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{kind}-{seed}-{index}"
    stem.with_suffix(".yaml").write_bytes(_input_or_seed(kind, seed, index))
    stem.with_suffix(".txt").write_text(f"{status}\n{detail}\n", encoding="utf-8")
    totals.saved.append(f"{stem}.yaml: {status}: {detail.strip().splitlines()[-1] if detail.strip() else ''}")
    print(totals.saved[-1], flush=True)


def replay(path: Path) -> None:
    """Run one saved input in this process, so that its traceback shows in full."""
    from planlint.config import Config, build_profile

    os.environ["PLANLINT_NO_CACHE"] = "1"
    folder = Path(tempfile.mkdtemp(prefix="planlint-fuzz-"))
    raw = path.read_bytes()
    if path.name.startswith("rule-"):
        print(run_rule(raw, folder, [(str(p), p.read_bytes()) for p in PLAN_SEEDS[:2]]) or "no failure")
    else:
        print(run_plan(raw, folder, build_profile(Config(data={"preset": "strict"}))) or "no failure")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10**9, help="how many plan inputs (default: until --minutes)")
    parser.add_argument("--rules", type=int, default=10**9, help="how many rule inputs (default: until --minutes)")
    parser.add_argument("--minutes", type=float, default=10.0, help="stop after this long (default 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0, help="the first input's index")
    parser.add_argument("--batch", type=int, default=2000, help="inputs per worker process")
    parser.add_argument("--hang", type=float, default=10.0, help="seconds after which an input is a hang")
    parser.add_argument("--memory-mb", type=int, default=3000, help="each worker's memory limit")
    parser.add_argument("--out", default="fuzz-out", help="where failing inputs are saved")
    parser.add_argument("--replay", type=Path, help="run one saved input and show its traceback")
    parser.add_argument("-v", "--verbose", action="store_true", help="print the totals after each batch")
    args = parser.parse_args(argv)
    if args.replay:
        replay(args.replay)
        return 0
    totals = Totals()
    deadline = time.monotonic() + args.minutes * 60
    share = args.rules / (args.plans + args.rules) if args.plans + args.rules < 10**9 else 0.5
    rule_deadline = time.monotonic() + args.minutes * 60 * share
    run_batches("rule", args.rules, args, totals, rule_deadline)
    run_batches("plan", args.plans, args, totals, deadline)
    print(f"plan inputs: {totals.plans:,}; rule inputs: {totals.rules:,}; tracebacks: {totals.tracebacks}; "
          f"internal failures: {totals.internal}; rules over their step budget: {totals.budget}; "
          f"hangs over {args.hang:g} s: {totals.hangs}; "
          f"slowest input: {totals.slowest:.1f} s; peak memory of a worker: {totals.peak_kb / 1024:.0f} MB")
    return 1 if totals.tracebacks or totals.internal or totals.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
