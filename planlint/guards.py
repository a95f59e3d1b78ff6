"""Guards on a file before its YAML is composed: size, binary data, encoding, tabs, several
documents and nesting depth, each a PL001 finding with a place; and syntax errors in plain words."""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from planlint.core import core_finding
from planlint.findings import FILE_START, Finding, Span

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@dataclass(frozen=True)
class LoadLimits:
    max_bytes: int = 5_000_000
    max_depth: int = 50
    max_nodes: int = 200_000


def check_bytes(raw: bytes, file: str, limits: LoadLimits) -> Finding | None:
    if len(raw) > limits.max_bytes:
        return core_finding("PL001", file, f"The file is {len(raw) / 1e6:.1f} MB; planlint reads plans up to "
                                           f"{limits.max_bytes / 1e6:g} MB (setting `max_file_size`).", FILE_START)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = line_col(raw, nul)
        return core_finding("PL001", file, "The file holds binary data (a NUL byte), not a YAML plan.",
                            Span.point(line, col))
    return None


def check_text(text: str, file: str, limits: LoadLimits) -> Finding | None:
    if "\t" in text:
        for number, line in enumerate(text.splitlines(), start=1):
            indent = len(line) - len(line.lstrip(" \t"))
            if "\t" in line[:indent]:
                return core_finding("PL001", file, "A tab is used for indentation; YAML allows only spaces. "
                                                   "Indent with spaces.", Span.point(number, line.index("\t") + 1))
    if "---" in text or "..." in text:
        finding = _check_documents(text, file)
        if finding:
            return finding
    return _check_depth(text, file, limits)


def _check_documents(text: str, file: str) -> Finding | None:
    starts = [m for m in re.finditer(r"^---(?=\s|$)", text, re.M)]
    if len(starts) < 2:
        return None
    line = text.count("\n", 0, starts[1].start()) + 1
    return core_finding("PL001", file, "The file holds more than one YAML document (a second `---`); "
                                       "a plan is one document. Split it into one file per plan.",
                        Span(line, 1, line, 4))


def _check_depth(text: str, file: str, limits: LoadLimits) -> Finding | None:
    """Measure nesting from the event stream: composing a deeply nested file can crash libyaml."""
    if not _may_be_deep(text, limits.max_depth):
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > limits.max_depth:
                    mark = event.start_mark
                    return core_finding("PL001", file, f"The file nests deeper than {limits.max_depth} levels; "
                                                       "a plan needs far fewer. Flatten it.",
                                        Span.point(mark.line + 1, mark.column + 1))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        return syntax_finding(exc, file) if "maximum nesting depth" in (exc.problem or "") else None
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its place
    return None


def _may_be_deep(text: str, max_depth: int) -> bool:
    """A cheap upper bound on nesting, so that only suspicious files pay for the event scan.

    Flow nesting cannot exceed the openers between two closers; block nesting cannot exceed
    the widest run of indentation and `- ` at the start of a line.
    """
    flow = max((part.count("[") + part.count("{") for part in re.split(r"[\]}]", text)), default=0)
    block = max((len(run) for run in re.findall(r"^[ \-]*", text, re.M)), default=0)
    return flow + block >= max_depth


def syntax_finding(exc: yaml.MarkedYAMLError, file: str) -> Finding:
    problem = exc.problem or "invalid YAML"
    if "maximum nesting depth" in problem:  # libyaml's own limit, in builds that have one
        mark = exc.problem_mark
        return core_finding("PL001", file, "The file nests deeper than planlint reads; a plan needs far fewer "
                                           "levels. Flatten it.", Span.point(mark.line + 1, mark.column + 1)
                            if mark else FILE_START)
    opened = exc.context_mark is not None and "quoted scalar" in (exc.context or "")
    mark = exc.context_mark if opened else (exc.problem_mark or exc.context_mark)
    span = Span.point(mark.line + 1, mark.column + 1) if mark else FILE_START
    if opened:
        return core_finding("PL001", file, "This quote is never closed, so the rest of the file is read as one "
                                           "piece of text. Close the quote on this line.", span)
    if "expected a single document" in str(exc):
        message = "The file holds more than one YAML document; a plan is one document."
    else:
        context = f" ({exc.context})" if exc.context else ""
        message = f"The file is not valid YAML: {problem}{context}."
        if "found character '\\t'" in str(problem):
            message = "A tab is not allowed here; YAML allows only spaces for indentation."
        elif "mapping values are not allowed here" in problem:
            message += " Check the indentation of this line and the line above, or quote a value that contains ': '."
    return core_finding("PL001", file, message, span)


def line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line_start = raw.rfind(b"\n", 0, offset) + 1
    return raw.count(b"\n", 0, offset) + 1, offset - line_start + 1
