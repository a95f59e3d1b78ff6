"""docs/rules.md, generated from the rule files so it never drifts: `python -m planlint.ruledocs docs/rules.md`."""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

from planlint.core_codes import CORE_CODES
from planlint.fixes import FIXERS
from planlint.rules import Rule, load_rules

PACKS = {
    "core": "The file itself", "mkr": "Mission key results", "tgt": "Targets",
    "ib": "Implementation benchmarks and interim measures", "pm": "Performance management",
    "mo": "Missouri MSIP 5 (plans that declare msip5)",
}


def render() -> str:
    rules = list(load_rules())
    parts = ["# Rules\n", "Generated from the rule files in `rules/` by `python -m planlint.ruledocs docs/rules.md`; "
             "`planlint explain CODE` shows the same text in a terminal.\n"]
    parts.append("| code | name | pack | severity | checks |\n|---|---|---|---|---|")
    rows = [(c.code, c.name, "core", c.severity.label, c.summary) for c in CORE_CODES.values()]
    rows += [(r.code, r.name, r.pack, r.severity.label, r.summary) for r in rules]
    parts += [f"| [{code}](#{code.lower()}) | {name} | {pack} | {severity} | {summary} |"
              for code, name, pack, severity, summary in sorted(rows, key=_order)]
    for code in sorted(CORE_CODES):
        core = CORE_CODES[code]
        parts.append(f"\n## {core.code}\n\n`{core.name}` (core, {core.severity.label}): {core.summary} "
                     f"Checked by planlint itself, before any rule runs.\n\n**Why it matters.** {core.why}\n\n"
                     f"**What to do.** {core.fix}" + ("\n" + _fix(core.code)).rstrip("\n"))
    for rule in sorted(rules, key=lambda r: _order((r.code, "", r.pack))):
        parts.append(_rule(rule))
    return "\n".join(parts) + "\n"


def _order(row: tuple) -> tuple:
    packs = list(PACKS)
    return (packs.index(row[2]) if row[2] in packs else len(packs), row[0])


def _rule(rule: Rule) -> str:
    lines = [f"\n## {rule.code}\n", f"`{rule.name}` ({rule.pack}, {rule.severity.label}"
             f"{'' if rule.enabled else ', off unless selected'}): {rule.summary}\n"]
    if rule.criterion:
        lines.append(f"**Criterion.** {' '.join(rule.criterion.split())}\n")
    if rule.source:
        lines.append(f"**Source.** {rule.source}\n")
    lines += [f"**Why it matters.** {' '.join(rule.why.split())}\n", f"**What to do.** {' '.join(rule.fix.split())}\n"
              + _fix(rule.code)]
    if rule.options:
        lines.append("| option | default | meaning |\n|---|---|---|")
        lines += [f"| `{name}` | `{json.dumps(option.default)}` | {' '.join(option.description.split())} |"
                  for name, option in sorted(rule.options.items())]
        lines.append("")
    for title, examples in (("Passes", rule.passing[:1]), ("Fails", rule.failing[:1])):
        for example in examples:
            lines.append(f"{title}:\n\n```yaml\n{example.plan.rstrip()}\n```\n")
            if title == "Fails" and example.findings:
                lines += [textwrap.fill(f"- line {f.line}: {' '.join(f.message.split())}", 100,
                                        subsequent_indent="  ") for f in example.findings if f.message]
    return "\n".join(lines).rstrip()


def _fix(code: str) -> str:
    """The rule's fix, for rules `planlint fix` mends."""
    fixer = FIXERS.get(code)
    return f"\n**Fix.** `planlint fix`: {fixer.summary}\n" if fixer else ""


def main() -> None:
    Path(sys.argv[1]).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
