"""What planlint says about its rules: the text of `planlint rules`, `planlint explain` and `planlint
test-rules`, and the rule metadata every report may carry. Pure functions."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable

from planlint.config import Profile
from planlint.core_codes import CORE_CODES
from planlint.reporters.options import RuleDoc
from planlint.rules import Rule, RuleSet


def rules_table(profile: Profile, output_format: str = "text") -> str:
    from planlint.fixes import FIXERS

    active = {a.rule.code: a for a in profile.engine.rules}
    rows = [(c.code, c.name, "core", profile.severities.get(c.code, c.severity).label,
             "off" if c.code in profile.ignored else "on") for c in CORE_CODES.values()]
    rows += [(r.code, r.name, r.pack, (active[r.code].severity if r.code in active else r.severity).label,
              "on" if r.code in active else "off") for r in profile.rules]
    rows.sort(key=lambda row: (row[2] != "core", row[0]))
    if output_format == "json":
        keys = ("code", "name", "pack", "severity", "status")
        return json.dumps([{**dict(zip(keys, row)), "fix": row[0] in FIXERS} for row in rows], indent=2) + "\n"
    rows = [row + ("yes" if row[0] in FIXERS else "",) for row in rows]
    header = ("code", "name", "pack", "severity", "status", "fix")
    widths = [max(len(str(row[i])) for row in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header] + rows]
    return "\n".join(lines) + "\n"


def explain(profile: Profile, key: str) -> str | None:
    """A core code, a rule (by code or name) or a framework (by id) explained; None if there is none."""
    core = CORE_CODES.get(key.upper()) or next((c for c in CORE_CODES.values() if c.name == key.lower()), None)
    if core is not None:
        return (f"{core.code} {core.name} (core, {core.severity.label}; always checked)\n\n{_wrap(core.summary)}\n\n"
                f"Why it matters:\n{_wrap(core.why, indent='  ')}\n\nWhat to do:\n{_wrap(core.fix, indent='  ')}\n"
                + (f"\n{_fix_note(core.code)}\n" if _fix_note(core.code) else ""))
    rule = profile.rules.find(key)
    if rule is not None:
        return explain_rule(rule, profile)
    framework = profile.engine.facts.frameworks.get(key)
    if framework is None:
        return None
    from planlint.frameworks import explain_framework  # only when asked: it is not needed for a rule

    return explain_framework(framework)


def explain_rule(rule: Rule, profile: Profile) -> str:
    active = next((a for a in profile.engine.rules if a.rule is rule), None)
    status = f"{active.severity.label}, on" if active else f"{rule.severity.label}, off"
    parts = [f"{rule.code} {rule.name} ({rule.pack} pack; {status})", _wrap(rule.summary)]
    if rule.criterion:
        parts.append("Criterion: " + _wrap(rule.criterion, indent="  ").lstrip())
    if rule.source:
        parts.append(f"Source: {rule.source}")
    parts += ["Why it matters:\n" + _wrap(rule.why, indent="  "), "What to do:\n" + _wrap(rule.fix, indent="  ")]
    parts += [_fix_note(rule.code)] if _fix_note(rule.code) else []
    if rule.options:
        values = active.options if active else rule.option_values()
        lines = [f"  {name} = {json.dumps(values[name])}  {option.description}"
                 for name, option in sorted(rule.options.items())]
        parts.append("Options (set them under `options:` in .planlint.yaml):\n" + "\n".join(lines))
    for title, examples in (("passes", rule.passing[:1]), ("fails", rule.failing[:1])):
        for example in examples:
            plan = textwrap.indent(example.plan.rstrip("\n"), "    ")
            given = ", ".join(f"{name} = {json.dumps(value)}" for name, value in sorted(example.options.items()))
            text = f"A plan that {title}" + (f" (with {given})" if given else "") + f":\n{plan}"
            if title == "fails":
                from planlint.ruletest import run_example  # only `explain` runs the examples

                findings = run_example(rule, example)
                text += "\n  planlint says:\n" + "\n".join(
                    f"    line {f.span.line}: {f.message}" for f in findings)
            parts.append(text)
    return "\n\n".join(parts) + "\n"


def _fix_note(code: str) -> str:
    """What `planlint fix` does for a rule's findings; nothing for a rule without a fix."""
    from planlint.fixes import FIXERS

    fixer = FIXERS.get(code)
    return f"Fix (planlint fix):\n{_wrap(fixer.summary[0].upper() + fixer.summary[1:], indent='  ')}" if fixer else ""


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(" ".join(text.split()), width=96, initial_indent=indent, subsequent_indent=indent)


def test_rules_report(rules: RuleSet) -> tuple[str, bool]:
    from planlint.ruletest import check_rules  # the engine that runs examples: only test-rules needs it

    rule_list = list(rules)
    count, problems = check_rules(rule_list)
    lines = [problem.render() for problem in problems]
    if problems:
        lines.append(f"{len(problems)} of {count} examples in {len(rule_list)} rules disagree with their rule.")
    else:
        lines.append(f"All {count} examples in {len(rule_list)} rules agree with their rules.")
    return "\n".join(lines) + "\n", bool(problems)


def rule_docs(profiles: Iterable[Profile]) -> dict[str, RuleDoc]:
    """Metadata for every code a report may show: the core codes and every rule any profile loaded."""
    docs = {c.code: RuleDoc(c.code, c.name, "core", c.severity, c.summary, c.summary) for c in CORE_CODES.values()}
    for rule in (rule for profile in profiles for rule in profile.rules):
        docs[rule.code] = RuleDoc(rule.code, rule.name, rule.pack, rule.severity, rule.summary,
                                  f"{' '.join(rule.why.split())}\n\nWhat to do: {' '.join(rule.fix.split())}")
    return docs
