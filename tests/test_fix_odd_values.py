"""`planlint fix` on plans full of odd values (the fix fixtures' plans, dumped again without their comments): it never fails, never makes a plan unreadable, and a
second run changes nothing. The fixes' own last guard (the fixed plan holds the same data but at the
values fixed) runs on every one of these plans."""

from __future__ import annotations

from pathlib import Path

import yaml

from mutate import node_paths, replaced
from planlint.fixes import FIXERS
from planlint.fixes.engine import BLOCKING, fix_text
from planlint.pipeline import Profiles, Settings, check_bytes

BASES = [Path(__file__).parent / "data" / "fix" / case / "plan.yaml" for case in ("unit-strings", "trajectory-gaps")]

# YAML text put where a value was: units, traps, tbd, empty, lists, numbers of every shape.
ODD_TEXT = ["45%", "036", "yes", "tbd", "null", "[]", "{}", "-1", "2.5", "1e400", "2022.5", "2025-26",
            "'45%'", "45 pts", "0x1F", "\"\"", "{year: 2026, value: 45%}", "{2022: 1, 2024: 3%}", "99.99 percent"]


def _plans() -> list[tuple[str, str]]:
    """Plans whose measures have node i set to ODD_TEXT[(i + 7k) % n] in variant k (each plan is checked a
    few times a run, so a few plans with many odd values each)."""
    plans = []
    for base_file in BASES:
        base = yaml.safe_load(base_file.read_text(encoding="utf-8"))
        nodes = [(measure, path) for measure in base["measures"] for path in node_paths(measure) if path]
        for k in range(2):
            odd = [(i + 7 * k) % len(ODD_TEXT) for i in range(len(nodes))]
            variants = [replaced(measure, path, f"ODD{odd[i]}ODD") for i, (measure, path) in enumerate(nodes)]
            text = yaml.safe_dump({**base, "measures": variants}, sort_keys=False, default_flow_style=None,
                                  width=10_000)
            for number, snippet in sorted(enumerate(ODD_TEXT), reverse=True):
                text = text.replace(f"ODD{number}ODD", snippet)
            plans.append((f"{base_file.parent.name} variant {k}", text))
    return plans


def test_odd_values_are_fixed_or_left_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    profile = Profiles(Settings(isolated=True)).for_folder(tmp_path)
    fixed_any = 0
    for what, text in _plans():
        first = fix_text(text, "plan.yaml", profile, FIXERS)
        assert not first.refused, what
        fixed_any += len(first.applied)
        findings = check_bytes(first.text.encode(), "plan.yaml", profile).findings
        assert not [f for f in findings if f.code in BLOCKING], what
        second = fix_text(first.text, "plan.yaml", profile, FIXERS)
        assert (second.text, second.applied) == (first.text, ()), what
    assert fixed_any > 20  # the odd values include many a fix mends
