"""Every bundled example plan gives exactly the findings written beside it.

Regenerate the expected files after an intended change with PLANLINT_UPDATE_EXPECTED=1, then
read the diff: each broken example shows one kind of mistake.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from planlint.pipeline import Profiles, Settings, check_paths

EXAMPLES = Path(__file__).parents[1] / "examples"
PLANS = sorted(p for p in EXAMPLES.rglob("*.yaml"))


def expected_path(plan: Path) -> Path:
    return plan.with_name(plan.stem + ".expected.json")


def findings_of(plan: Path) -> list[dict]:
    results = check_paths([str(plan)], Profiles(Settings(isolated=True)))
    return [{k: v for k, v in f.to_dict().items() if k != "file"} for f in results.findings]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_example_gives_its_expected_findings(plan: Path):
    got = findings_of(plan)
    target = expected_path(plan)
    if os.environ.get("PLANLINT_UPDATE_EXPECTED"):
        target.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(target.read_text(encoding="utf-8"))


def test_good_examples_have_no_errors_or_warnings():
    for plan in EXAMPLES.glob("*.yaml"):
        assert all(f["severity"] == "info" for f in findings_of(plan)), plan


def test_each_broken_example_shows_one_kind_of_mistake():
    """Findings about items share one code; a plan-level count (TGT011: 'k2-literacy has no complete
    trajectory', TGT001: 'no target yet') may count the item the mistake broke."""
    for plan in (EXAMPLES / "broken").glob("*.yaml"):
        codes = {f["code"] for f in findings_of(plan)}
        assert len(codes - {"TGT011", "TGT001"}) == 1, (plan.name, codes)
