"""Plans with a wrong value anywhere: planlint reports the value, and every rule still judges the rest.

Each plan here is a bundled example with one value replaced by something a planning team might
write by mistake (or a `tbd`, which is allowed). A rule that fails on such a plan (PL010) blames
the rule's maintainer for what is a slip in the plan, so none may appear.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from mutate import node_paths, replaced

from planlint.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["strong-parish-2026.yaml", "missouri-k12.yaml"]
ODD_VALUES: list[Any] = ["tbd", "45%", "twenty", None, -1, 0, 1e9, 2.5, [], {"a": 1}, "2022-02-30", True]
EVERY_NTH_LEAF = 5  # a fixed sample, so the run is the same each time and stays quick


@pytest.fixture(scope="module")
def mutated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mutated")
    count = 0
    for example in EXAMPLES:
        data = yaml.safe_load((ROOT / "examples" / example).read_text(encoding="utf-8"))
        for index, path in enumerate(node_paths(data, leaves_only=True)):
            if index % EVERY_NTH_LEAF:
                continue
            value = ODD_VALUES[index // EVERY_NTH_LEAF % len(ODD_VALUES)]
            text = yaml.dump(replaced(data, path, value), Dumper=yaml.CSafeDumper, sort_keys=False)
            (folder / f"{Path(example).stem}-{count:04d}.yaml").write_text(text, encoding="utf-8")
            count += 1
    assert count > 150
    return folder


def test_no_rule_fails_on_a_plan_with_one_wrong_value(mutated: Path) -> None:
    result = CliRunner().invoke(main, [
        "check", "--no-config", "--select", "all", "--as-of", "2025-01-15",
        "--state-data", str(ROOT / "examples" / "state-data.csv"), "-f", "json", str(mutated)])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["findings"]
    assert findings, "the odd values are reported"
    failures = [f"{f['file']}: {f['message'][:160]}" for f in findings if f["code"] == "PL010"]
    assert failures == []


def test_a_wrong_value_is_reported_once_and_the_rest_of_the_plan_is_still_judged(tmp_path: Path) -> None:
    """`unit: [percent]` on the first measure is a schema error. That measure is not judged by the
    rules until it is fixed; every other finding is the same as on the plan without the mistake."""
    example = ROOT / "examples" / "strong-parish-2026.yaml"
    plan = tmp_path / "plan.yaml"
    plan.write_text(example.read_text(encoding="utf-8").replace("unit: percent", "unit: [percent]", 1),
                    encoding="utf-8")

    def findings(path: Path) -> list[dict]:
        result = CliRunner().invoke(main, ["check", "--no-config", "--select", "all", "-f", "json",
                                           "--state-data", str(ROOT / "examples" / "state-data.csv"), str(path)])
        return json.loads(result.stdout)["findings"]

    before, after = findings(example), findings(plan)
    assert [(f["code"], f["path"]) for f in after if f["code"] == "PL003"] == [("PL003", "measures[0].unit")]
    assert "must be one of percent" in next(f["message"] for f in after if f["code"] == "PL003")
    others = [f for f in before if not f["path"].startswith("measures[0]")]
    assert len(others) >= 3, "the example gives findings elsewhere to compare"
    assert [(f["code"], f["path"], f["message"]) for f in after if f["code"] != "PL003"] == \
        [(f["code"], f["path"], f["message"]) for f in others]
