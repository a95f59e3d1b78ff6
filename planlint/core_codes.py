"""The core codes: checks of the file itself that live in Python, not in rule files."""

from __future__ import annotations

from planlint.findings import Finding, Path, Severity, Span
from planlint.frozen import frozen


@frozen
class CoreCode:
    code: str
    name: str
    severity: Severity
    summary: str
    why: str = ""
    fix: str = ""


# Checks of the file itself: a plan that cannot be read, repeats a key or does not match the format
# cannot be judged, so these cannot be ignored, suppressed or given another severity.
ALWAYS = frozenset({"PL001", "PL002", "PL003"})

CORE_CODES: dict[str, CoreCode] = {
    c.code: c
    for c in (
        CoreCode("PL001", "yaml-syntax", Severity.ERROR,
                 "The file is a plan planlint can read: valid YAML, UTF-8, one document, within the size and "
                 "nesting limits.",
                 "Nothing else can be checked in a file that cannot be read; and a file that is huge, binary or "
                 "deeply nested is not a plan.",
                 "Follow the message: close the quote, fix the indentation (spaces, never tabs), save as UTF-8, "
                 "or split two plans into two files."),
        CoreCode("PL002", "duplicate-key", Severity.ERROR,
                 "No mapping repeats a key (plain YAML loaders keep the last one silently).",
                 "A key written twice (two `target:` lines under one measure) loses the first value without a "
                 "word from most tools, so the plan says something its authors did not mean.",
                 "Keep one of the two lines; the message names both."),
        CoreCode("PL003", "schema", Severity.ERROR,
                 "The plan matches the plan format, version 1.",
                 "Misspelt keys, missing parts and values of the wrong kind (`56%` where a number belongs) would "
                 "otherwise pass unnoticed, and every other check depends on the plan's shape.",
                 "Follow the message; `planlint schema` prints the format, and an editor with the YAML extension "
                 "shows it as you type (see the README)."),
        CoreCode("PL007", "ambiguous-scalar", Severity.WARNING,
                 "No YAML 1.1 traps: yes/no/on/off as values, 52% strings, numbers with leading zeros.",
                 "Other YAML tools read `yes` as true and `036` as the number 30; a plan should mean the same "
                 "thing to every tool that reads it.",
                 "Quote the value (\"036\", \"yes\") to keep it as text, or write the plain number."),
        CoreCode("PL008", "suppression-reason", Severity.WARNING,
                 "A suppression comment gives a reason after `--`.",
                 "A silenced finding without a reason cannot be reviewed later.",
                 "Add ` -- ` and a few words after the codes: `# planlint: disable=TGT006 -- the board set this`."),
        CoreCode("PL009", "unused-suppression", Severity.WARNING,
                 "A suppression comment suppresses something.",
                 "A suppression left behind after its finding was fixed would hide the next real one.",
                 "Remove the comment, or the code in it that no longer applies."),
        CoreCode("PL010", "rule-error", Severity.ERROR,
                 "A rule could not be evaluated on this plan (an internal error of that rule).",
                 "A rule that fails must not pass a plan silently.",
                 "Report it to the rule's maintainer with the plan; the message names the rule file."),
        CoreCode("PL011", "not-a-plan", Severity.INFO,
                 "A YAML file named on the command line that is not a plan was passed over (off by default: "
                 "select PL011 to see it).",
                 "A repository's YAML is mostly not plans (mkdocs.yml, workflow files, .pre-commit-config.yaml); "
                 "a plan has `planlint:`, `system`, `measures` or `strategies` at its top level.",
                 "Nothing, if the file is not a plan; if it is, add `planlint: 1` at its top."),
    )
}


def core_finding(code: str, file: str, message: str, span: Span, path: Path = ()) -> Finding:
    meta = CORE_CODES[code]
    return Finding(file=file, code=code, name=meta.name, severity=meta.severity,
                   message=message, span=span, path=path)
