"""Only plans are plans: which YAML files a check judges, and which it passes over.

A repository's YAML is mostly not plans (mkdocs.yml, workflow files, .pre-commit-config.yaml), and
the action's `paths: "."` and the hook's `types: [yaml]` hand all of it over. A file is a plan when
its top level has `planlint:` or any part of a plan (`system`, `measures`, `strategies`), or it is a
list of measures or strategies pasted alone: a plan that forgot `planlint:` is still judged, and told
so by the schema.
"""

from __future__ import annotations

import re

from planlint.core_codes import core_finding
from planlint.findings import FILE_START, Finding
from planlint.input_guards import OTHER_BOMS

PLAN_KEYS = ("planlint", "system", "measures", "strategies")
NOT_A_PLAN = "PL011"

_KEY = r"""["']?(?:planlint|system|measures|strategies)["']?[ \t]*:"""
# A key of a plan at the start of a line: the usual block style (a BOM may precede the first one).
_BLOCK_KEY = re.compile(r"^\ufeff?" + _KEY, re.MULTILINE)
# A plan written as one flow mapping or JSON: `{"planlint": 1, "system": ...}`.
_FLOW_KEY = re.compile(r"[{,]\s*" + _KEY)
# A list of measures or strategies pasted alone (`- id: ...` then `  target:`): meant as a plan's part.
_ITEM_KEY = re.compile(r"^(?:- |  )(?:baseline|target|trajectory|benchmarks|serves)[ \t]*:", re.MULTILINE)
_PREAMBLE = re.compile(r"\A(?:\ufeff|\s+|#[^\n]*|%[^\n]*|---)*")


def is_plan(raw: bytes) -> bool:
    """Whether a file's top level has a key of a plan. The text is searched, not parsed: a tag in
    mkdocs.yml (`!!python/name:`) or a file that is not YAML at all needs no loader to be passed over,
    and a plan's keys stand at the start of a line (or after `{` or `,` in a plan written as JSON)."""
    codec = next((name.lower() for bom, name in OTHER_BOMS if raw.startswith(bom)), "utf-8")
    text = raw.decode(codec, errors="replace")  # a plan saved as UTF-16 is a plan, told to be saved as UTF-8
    if _BLOCK_KEY.search(text):
        return True
    rest = text[_PREAMBLE.match(text).end():]
    if rest.startswith("- "):
        return _ITEM_KEY.search(rest) is not None
    return rest.startswith("{") and _FLOW_KEY.search(rest) is not None


def skipped_finding(file: str) -> Finding:
    """What a file named on the command line that is not a plan gets, when PL011 is selected."""
    return core_finding(NOT_A_PLAN, file, "This YAML file is not a plan (its top level has none of planlint, "
                        "system, measures, strategies), so it was not checked. Add `planlint: 1` at the top if "
                        "it is meant as a plan.", FILE_START)
