"""Guards on a file before its YAML is composed: size, binary data, encoding, tabs, several
documents and nesting depth, each a PL001 finding with a place; and syntax errors in plain words."""

from __future__ import annotations

import functools
import os
import re
import stat
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path as FsPath
from typing import Any, BinaryIO

import yaml

from planlint.core_codes import core_finding
from planlint.findings import FILE_START, Finding, Span
from planlint.frozen import frozen

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@frozen
class LoadLimits:
    max_bytes: int = 5_000_000
    max_depth: int = 50
    max_nodes: int = 200_000  # values that aliases add
    max_values: int = 3_000_000  # every value: more than a file of max_bytes can write out (a value takes 2 bytes)


@frozen
class Unreadable:
    """Why a file was not read: `kind` is missing, not-a-file, too-large or error; `reason` says it in words."""

    kind: str
    reason: str
    size: int = 0
    exact: bool = True  # the size is the file's; False: at least this (it grew while being read)


def read_regular(path: FsPath, max_bytes: int) -> bytes | Unreadable:
    """The bytes of a regular file, reading at most one byte past `max_bytes`: the one reader for plans,
    configurations, rules, frameworks, state data, baselines and cache entries.

    Anything but a regular file is never opened for reading: a named pipe would block until some
    program writes to it, and a device such as /dev/zero never ends."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return Unreadable("not-a-file", _kind_of(info.st_mode))
        if info.st_size > max_bytes:
            return Unreadable("too-large", "it is too large", info.st_size)
        # O_NONBLOCK: should the file be swapped for a named pipe after the check, opening it still returns
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)),
                  "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                return Unreadable("not-a-file", _kind_of(mode))
            raw = handle.read(info.st_size + 1)  # the whole file, unless it grew since (or, like /proc, has no size)
            if len(raw) > info.st_size:
                raw += handle.read(max(0, max_bytes + 1 - len(raw)))
    except FileNotFoundError:
        return Unreadable("missing", "it does not exist")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        return Unreadable("error", str(getattr(exc, "strerror", None) or exc))
    return Unreadable("too-large", "it is too large", len(raw), exact=False) if len(raw) > max_bytes else raw


def read_plan(path: FsPath, file: str, limits: LoadLimits) -> bytes | Finding:
    """The bytes of a plan file, reading at most one byte past the size limit; anything else is a finding."""
    raw = read_regular(path, limits.max_bytes)
    if isinstance(raw, bytes):
        return raw
    if raw.kind == "not-a-file":
        return core_finding("PL001", file, f"This is {raw.reason}, not a plan file, so planlint does not read it. "
                                           "To check what a program writes, pipe it to `planlint check -`.",
                            FILE_START)
    if raw.kind == "too-large":
        return too_large(file, raw.size, limits, at_least=not raw.exact)
    return core_finding("PL001", file, f"planlint cannot read this file: {_strerror(raw)}.", FILE_START)


def _strerror(problem: Unreadable) -> str:
    return "No such file or directory" if problem.kind == "missing" else problem.reason


def read_stream(stream: BinaryIO, file: str, limits: LoadLimits) -> bytes | Finding:
    """A plan from standard input, reading at most one byte past the size limit."""
    try:
        raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        return core_finding("PL001", file, f"planlint cannot read this input: {exc.strerror or exc}.", FILE_START)
    return too_large(file, len(raw), limits, at_least=True) if len(raw) > limits.max_bytes else raw


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))


def _kind_of(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not an ordinary file")


def too_large(file: str, size: int, limits: LoadLimits, *, at_least: bool = False) -> Finding:
    limit = size_text(limits.max_bytes, exact=True)
    shown = size_text(size)
    if _shown_bytes(shown) <= limits.max_bytes:  # rounding made it look no larger than the limit
        shown, limit = f"{size:,} bytes", f"{limits.max_bytes:,} bytes"
    what = f"The file is larger than {limit}, the most planlint reads" if at_least else \
        f"The file is {shown}; planlint reads plans of up to {limit}"
    return core_finding("PL001", file, f"{what} (the `max-file-size` setting, or --max-file-size). Check that this "
                                       "is the plan you meant, or raise the limit.", FILE_START)


_UNITS = ((1_000_000, "MB"), (1_000, "KB"))


def size_text(size: int, *, exact: bool = False) -> str:
    """`10 bytes`, `12.3 KB`, `5 MB`: the unit chosen by size, one decimal; `exact` keeps every digit
    (in bytes when the unit would need more than three decimals)."""
    unit, name = next(((unit, name) for unit, name in _UNITS if size >= unit), (1, "bytes"))
    value = Decimal(size) / unit
    shown = value if exact else value.quantize(Decimal("0.1"), ROUND_HALF_UP)
    if unit == 1 or shown != shown.quantize(Decimal("0.001")):
        return f"{size:,} byte{'' if size == 1 else 's'}"
    return f"{shown.normalize():f} {name}"


def _shown_bytes(text: str) -> Decimal:
    number, unit = text.split(" ")
    return Decimal(number.replace(",", "")) * {name: scale for scale, name in _UNITS}.get(unit, 1)


# UTF-32 first: its little-endian mark starts with UTF-16's
OTHER_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
               (b"\xfe\xff", "UTF-16"))


def check_bytes(raw: bytes, file: str, limits: LoadLimits) -> Finding | None:
    if len(raw) > limits.max_bytes:
        return too_large(file, len(raw), limits)
    encoding = next((name for bom, name in OTHER_BOMS if raw.startswith(bom)), None)
    if encoding:
        return core_finding("PL001", file, f"The file is {encoding} text; planlint reads UTF-8. Save it as UTF-8 "
                                           "(in most editors: Save As, then choose the encoding UTF-8).", FILE_START)
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, col = line_col(raw, nul)
        return core_finding("PL001", file, "The file holds binary data (a NUL byte), not a YAML plan.",
                            Span.point(line, col))
    return None


def check_text(text: str, file: str, limits: LoadLimits) -> Finding | None:
    if "\t" in text:
        for number, line in enumerate(LINE_BREAK.split(text), start=1):  # not splitlines(): a form feed is no break
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
        return syntax_finding(exc, file, text) if "maximum nesting depth" in (exc.problem or "") else None
    except yaml.YAMLError:
        return None  # composing reports the syntax error with its place
    return None


def _may_be_deep(text: str, max_depth: int) -> bool:
    """A cheap upper bound on nesting, so that only suspicious files pay for the event scan.

    Flow nesting cannot exceed the openers between two closers; block nesting cannot exceed
    the widest run of indentation and `- ` at the start of a line. A first, looser bound is cheaper
    still: the openers between two `]`, and whether any line starts with a run long enough to make up
    the rest; a plan is settled by it in a fifth of the time.
    """
    rest = max_depth - max(part.count("[") + part.count("{") for part in text.split("]"))
    if rest > 0:
        at_start, after_break = _block_run_of(rest)
        if at_start(text) is None and after_break(text) is None:
            return False
    flow = max(map(len, _FLOW_CLOSER.split(_NOT_FLOW.sub("", text))))  # openers between two closers
    block = max(map(len, _BLOCK_RUN.findall("\n" + text)), default=0)  # as `^[ \-]*` with re.M, faster
    return flow + block >= max_depth


@functools.lru_cache(maxsize=64)
def _block_run_of(length: int) -> tuple[Callable[[str], Any], Callable[[str], Any]]:
    """What finds a run of `length` spaces and `- ` at the start of the text, and at the start of a later line."""
    return re.compile(f"[ \\-]{{{length}}}").match, re.compile(f"\n[ \\-]{{{length}}}").search


_NOT_FLOW = re.compile(r"[^\[\]{}]+")
_FLOW_CLOSER = re.compile(r"[\]}]")
_BLOCK_RUN = re.compile(r"\n([ \-]+)")


def syntax_finding(exc: yaml.MarkedYAMLError, file: str, text: str = "") -> Finding:
    problem = exc.problem or "invalid YAML"
    if exc.problem_mark is not None and any(words in problem for words in _ESCAPE_PROBLEMS):
        return _escape_finding(problem, exc.problem_mark, file, text)
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


# libyaml's words (and PyYAML's) for a backslash escape in double quotes that is not one: `\q`, `\xZZ`, `\ud800`
_ESCAPE_PROBLEMS = ("unknown escape character", "expected hexdecimal number", "hexadecimal numbers",
                    "invalid Unicode character escape")
_ESCAPE_DIGITS = {"x": 2, "u": 4, "U": 8}


def _escape_finding(problem: str, mark: yaml.Mark, file: str, text: str) -> Finding:
    """At the backslash: libyaml's mark lies on it or just after the letter that follows it."""
    lines = LINE_BREAK.split(text)
    line = lines[mark.line] if mark.line < len(lines) else ""
    start = line.rfind("\\", max(0, mark.column - 2), mark.column + 1)
    start = start if start >= 0 else mark.column
    letter = line[start + 1:start + 2]
    escape = line[start:start + 2 + _ESCAPE_DIGITS.get(letter, 0)]
    if "invalid Unicode" in problem:
        message = (f"The escape {escape} is not a character: Unicode has no character with this number. Write "
                   "the character itself, or correct the number.")
    elif "hexdecimal" in problem or "hexadecimal" in problem:
        message = (f"The escape {escape} needs {_ESCAPE_DIGITS.get(letter, 2)} hexadecimal digits (0-9, a-f) after "
                   f"\\{letter}. Correct it, or write \\\\ for a backslash itself.")
    else:
        message = (f"{escape} is not an escape YAML knows: in double quotes a backslash starts an escape such as "
                   "\\n. Write \\\\ for a backslash itself, or use single quotes.")
    return core_finding("PL001", file, message, Span(mark.line + 1, start + 1, mark.line + 1, start + 1 + len(escape)))


# YAML allows tab, line breaks and printable Unicode; libyaml stops at anything else (a reader error).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LINE_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # the line breaks YAML counts


def reader_finding(exc: yaml.YAMLError, file: str, text: str) -> Finding:
    """A character YAML does not allow, at its line and column (libyaml gives only a byte offset)."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return core_finding("PL001", file, "The file holds a character YAML does not allow.", FILE_START)
    line, column = text_line_col(text, found.start())
    return core_finding("PL001", file, f"The file holds a control character (U+{ord(found.group()):04X}) that "
                                       "YAML does not allow; it often comes with text copied from another "
                                       "program. Delete it.", Span.point(line, column))


def text_line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of `text[index]`, counting lines as YAML does."""
    breaks = list(LINE_BREAK.finditer(text, 0, index))
    line_start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - line_start + 1


def line_col(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of the byte at `offset`, counted as YAML's errors count them: in characters,
    with every line break YAML knows (CR alone, NEL, LS, PS). Bytes that are not UTF-8 count one each."""
    prefix = raw[:offset].decode("utf-8", "replace").removeprefix("\ufeff")  # YAML does not count a BOM
    return text_line_col(prefix, len(prefix))
