"""Findings: what planlint reports, and the exit-code policy built on them."""

from __future__ import annotations

import enum
import os
import re
from dataclasses import field
from collections.abc import Iterable, Sequence

from planlint.frozen import frozen
from planlint.scorecard import PlanInfo, Verdict

PathKey = str | int
Path = tuple[PathKey, ...]


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        return cls[text.upper()]


@frozen(order=True)
class Span:
    """A place in a file: 1-based line and column, end exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> "Span":
        return cls(line, column, line, column + 1)


FILE_START = Span(1, 1, 1, 1)


def format_path(path: Path) -> str:
    """`("measures", 2, "trajectory", "2024")` -> `measures[2].trajectory.2024`."""
    out: list[str] = []
    for key in path:
        if isinstance(key, int):
            out.append(f"[{key}]")
        elif out:
            out.append(f".{key}")
        else:
            out.append(str(key))
    return "".join(out)


@frozen
class Finding:
    file: str
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    path: Path = ()
    item: str | None = field(default=None, compare=False)  # the id of the list item it is about
    anchor: str = field(default="", compare=False)  # the path with list items named by id (identity.py)

    @property
    def identity(self) -> str:
        """The finding's place as edits elsewhere in the plan leave it: keyed by id where items have one."""
        return self.anchor or format_path(self.path)

    @property
    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.code, self.message)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.label,
            "message": self.message,
            "line": self.span.line,
            "column": self.span.column,
            "end_line": self.span.end_line,
            "end_column": self.span.end_column,
            "path": format_path(self.path),
        }


@frozen
class FileResult:
    """Everything planlint learned about one file."""

    file: str
    findings: tuple[Finding, ...]
    suppressed: int = 0
    baselined: int = 0
    fail_on: Severity | None = None  # from the file's own configuration
    source: str | None = field(default=None, compare=False, repr=False)
    plan: PlanInfo | None = field(default=None, compare=False, repr=False)  # None: not read as a plan
    verdicts: tuple[Verdict, ...] = field(default=(), compare=False, repr=False)  # one per rubric criterion


@frozen
class Summary:
    files: int
    errors: int
    warnings: int
    infos: int
    suppressed: int
    files_with_findings: int
    baselined: int = 0

    @property
    def findings(self) -> int:
        return self.errors + self.warnings + self.infos

    def to_dict(self) -> dict:
        return {
            "files": self.files,
            "files_with_findings": self.files_with_findings,
            "findings": self.findings,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "suppressed": self.suppressed,
            "baselined": self.baselined,
        }


@frozen
class Results:
    files: tuple[FileResult, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]

    def summary(self) -> Summary:
        counts = {s: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity] += 1
        return Summary(
            files=len(self.files),
            errors=counts[Severity.ERROR],
            warnings=counts[Severity.WARNING],
            infos=counts[Severity.INFO],
            suppressed=sum(r.suppressed for r in self.files),
            baselined=sum(r.baselined for r in self.files),
            files_with_findings=sum(1 for r in self.files if r.findings),
        )

    def by_rule(self) -> list[tuple[str, str, Severity, int, int]]:
        """(code, name, severity, findings, files) for each rule that reported, most findings first."""
        counts: dict[tuple[str, str, Severity], tuple[int, set[str]]] = {}
        for finding in self.findings:
            key = (finding.code, finding.name, finding.severity)
            number, files = counts.get(key, (0, set()))
            counts[key] = (number + 1, files | {finding.file})
        rows = [(code, name, severity, number, len(files)) for (code, name, severity), (number, files) in counts.items()]
        return sorted(rows, key=lambda row: (-row[3], row[0], -row[2]))

    def exit_code(self, fail_on: Severity | None = None) -> int:
        """1 when a finding reaches the threshold: the given one, else the file's configuration's, else error."""
        for result in self.files:
            threshold = fail_on or result.fail_on or Severity.ERROR
            if any(f.severity >= threshold for f in result.findings):
                return 1
        return 0


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: f.sort_key))


def sort_results(files: Sequence[FileResult]) -> Results:
    return Results(tuple(sorted(files, key=lambda r: r.file)))


def shown_name(name: str) -> str:
    """A file name as findings show it: bytes that are not UTF-8 (which Python keeps as lone surrogates)
    written as \\xff, so that every format stays valid UTF-8 and a baseline made from it matches again."""
    if name.isascii() or not any("\udc80" <= char <= "\udcff" for char in name):  # ASCII: no character to look at
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


# A backslash is a separator, unless it starts the escape of a byte that is not UTF-8 (see shown_name).
_BACKSLASH = re.compile(r"\\(?!x[89a-f][0-9a-f])")


def relative_path(file: str) -> str:
    """The path from the working folder (where CI checks out the repository), with forward slashes
    and no leading `./`, so every platform and every way of naming the file reports the same one.
    A file outside the working folder keeps its absolute path."""
    if os.path.isabs(file):
        relative = os.path.relpath(file)
        if not relative.startswith(".."):
            file = relative
    path = _BACKSLASH.sub("/", file)
    while path.startswith("./"):
        path = path[2:]
    return path
