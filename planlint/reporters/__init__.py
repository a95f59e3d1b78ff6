"""Output formats: each a pure function from results to text, in one registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from planlint.findings import Results
from planlint.reporters import json_format, text


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    concise: bool = False
    quiet: bool = False


Reporter = Callable[[Results, ReportOptions], str]

REPORTERS: dict[str, Reporter] = {
    "text": lambda results, options: text.render(results, color=options.color, concise=options.concise,
                                                 quiet=options.quiet),
    "json": lambda results, options: json_format.render(results),
}
