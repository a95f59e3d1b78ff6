"""The shipped rules: their metadata, and every rule's own examples run by one parametrised test."""

from __future__ import annotations

import re

import pytest

from planlint.core_codes import CORE_CODES
from planlint.resources import rules_dir
from planlint.rules import load_rules
from planlint.ruletest import check_example

RULES = load_rules()
EXAMPLES = [(rule, kind, index, example)
            for rule in RULES
            for kind, examples in (("pass", rule.passing), ("fail", rule.failing))
            for index, example in enumerate(examples)]


@pytest.mark.parametrize(("rule", "kind", "index", "example"), EXAMPLES,
                         ids=[f"{r.code}-{k}{i + 1}" for r, k, i, _ in EXAMPLES])
def test_rule_example(rule, kind, index, example):
    problem = check_example(rule, kind, index, example)
    assert problem is None, problem.render()


@pytest.mark.parametrize("rule", list(RULES), ids=lambda r: r.code)
def test_rule_metadata(rule):
    assert re.fullmatch(r"[A-Z]{2,8}[0-9]{3}", rule.code)
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name)
    assert rule.summary and rule.why and rule.fix and rule.source
    assert rule.passing and rule.failing
    assert all(example.findings for example in rule.failing[:1]), "the first fail example lists its findings"
    assert rule.file.endswith(f"{rule.pack}/{rule.code}-{rule.name}.yaml")


def test_codes_and_names_are_unique_and_do_not_reuse_core_codes():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES] + [c.name for c in CORE_CODES.values()]
    assert len(set(codes)) == len(codes) and not set(codes) & set(CORE_CODES)
    assert len(set(names)) == len(names)


def test_every_rule_file_is_loaded():
    files = sorted(p.name for p in rules_dir().rglob("*.yaml"))
    assert files == sorted(f"{r.code}-{r.name}.yaml" for r in RULES)


def test_the_rule_reference_is_generated_from_the_rule_files():
    from pathlib import Path

    from planlint.ruledocs import render

    docs = Path(__file__).parents[1] / "docs" / "rules.md"
    assert docs.read_text(encoding="utf-8") == render(), "run: python -m planlint.ruledocs docs/rules.md"
