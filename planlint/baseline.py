"""Baselines: record today's findings, then report only new ones.

A state switching on a new rule records every district's current findings once; later runs fail
only on findings that are not in the record. Findings are keyed by file, rule and path (not by
line), with list items named by their `id` (`measures[id=grad-rate].target`), so editing other parts
of a plan, or inserting a measure above, does not revive them. Baselines written before items were
named by id (`measures[2].target`) still match: an entry is looked up by both forms.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from planlint import __version__
from planlint.config_error import ConfigError
from planlint.findings import FILE_START, Finding, Results, Span, format_path, relative_path
from planlint.config_files import read_file
from planlint.input_guards import line_col

FORMAT_VERSION = 1
Key = tuple[str, str, str]
STDIN_NAME = "<stdin>"  # what `planlint baseline -` calls standard input


def key(finding: Finding) -> Key:
    return (relative_path(finding.file), finding.code, finding.identity)


def _index_key(finding: Finding) -> Key:
    """The key baselines used before list items were named by id."""
    return (relative_path(finding.file), finding.code, format_path(finding.path))


def render(results: Results) -> str:
    """The baseline document; a path that does not exist is a usage error (exit 2), not a finding to record."""
    missing = [r.file for r in results.files if _missing(r.file, r.findings)]
    if missing:
        more = f" ({len(missing) - 1} more path{'s' if len(missing) > 2 else ''} not found)" if len(missing) > 1 else ""
        raise ConfigError(f"no such file or folder{more}, so there are no findings to record. Check the path.",
                          missing[0])
    entries = [{"file": k[0], "code": k[1], "path": k[2], "message": f.message}
               for f in results.findings for k in [key(f)]]
    document = {"version": FORMAT_VERSION, "tool": {"name": "planlint", "version": __version__},
                "findings": sorted(entries, key=lambda e: (e["file"], e["code"], e["path"], e["message"]))}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _missing(file: str, findings: tuple[Finding, ...]) -> bool:
    """`check` reports a path that does not exist as its only finding, a PL001 at the start of the file."""
    return (file != STDIN_NAME and len(findings) == 1 and findings[0].code == "PL001"
            and findings[0].span == FILE_START and not Path(file).exists())


class _Malformed(Exception):
    """A baseline that is valid JSON but not a baseline; `offset` is where, when the parse noted it."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


def load(path: Path) -> Counter[Key]:
    text = _read(path)
    try:  # the fast parse; only a broken baseline is parsed again, noting where each value starts
        return _counts(json.loads(text, object_pairs_hook=_unique, parse_int=_int))
    except json.JSONDecodeError as exc:
        raise _error(f"this baseline is not valid JSON: {exc.msg[:1].lower()}{exc.msg[1:]}.", path, text,
                     exc.pos) from None
    except RecursionError:
        raise _error("this is not a planlint baseline: it nests lists or objects far too deeply.", path, text,
                     _too_deep(text)) from None
    except _Malformed as problem:
        located = _locate(text) or problem
    raise _error(f"this is not a planlint baseline: {located.message}", path, text, located.offset)


_DEEP = 100  # a baseline nests four levels; where nesting passes this is where it went wrong


def _too_deep(text: str) -> int | None:
    """Where the nesting of lists and objects first passes _DEEP, outside strings."""
    depth, in_string, escaped = 0, False, False
    for offset, char in enumerate(text):
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > _DEEP:
                return offset
        elif char in "]}":
            depth -= 1
    return None


def _locate(text: str) -> _Malformed | None:
    try:
        _counts(_parse_located(text))
    except _Malformed as problem:
        return problem
    except RecursionError:  # the pure-Python parse nests deeper per level than the fast one
        return None
    return None


MAX_BYTES = 50_000_000  # a baseline of thousands of plans' findings is a few MB


def _read(path: Path) -> str:
    raw = read_file(path, what="baseline", max_bytes=MAX_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_col(raw, exc.start)
        raise ConfigError(f"this baseline is not UTF-8 text (byte 0x{raw[exc.start]:02x}); make it again with "
                          f"`planlint baseline PATHS > {path.name}`.", str(path), Span.point(line, column)) from None
    return " " + text[1:] if text.startswith("\ufeff") else text  # a BOM read as a space keeps every offset


def _error(message: str, path: Path, text: str, offset: int | None) -> ConfigError:
    remake = f" Make the baseline again with `planlint baseline PATHS > {path.name}`."
    if offset is None:
        return ConfigError(message + remake, str(path))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    # the excerpt counts lines as str.splitlines() does, and would show control characters raw
    source = None if _ODD_CHARACTERS.search(text) else text
    return ConfigError(message + remake, str(path), Span.point(line, column), source)


_ODD_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_FIELDS = ("file", "code", "path")


def _counts(document: Any) -> Counter[Key]:
    """Each recorded (file, rule, path) and how many findings it covers; _Malformed if this is no baseline."""
    if not isinstance(document, dict):
        raise _Malformed('a baseline is a JSON object with "version" and "findings".', _start(document))
    version = document.get("version")
    if type(version) is not int or version != FORMAT_VERSION:
        where = _start(document, "version")
        raise _Malformed(f'"version" must be {FORMAT_VERSION}.' if "version" in document else
                         f'it has no "version" ({FORMAT_VERSION}).', where)
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise _Malformed('"findings" must be a list of findings.' if "findings" in document else
                         'it has no "findings" list.', _start(document, "findings"))
    counts: Counter[Key] = Counter()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise _Malformed(f"finding {number} must be an object with {', '.join(_FIELDS)}.",
                             _start(entries, number - 1))
        for field in _FIELDS:
            if field not in entry:
                raise _Malformed(f'finding {number} has no "{field}".', _start(entries, number - 1))
            if not isinstance(entry[field], str):
                raise _Malformed(f'"{field}" of finding {number} must be text.', _start(entry, field))
        counts[(entry["file"], entry["code"], entry["path"])] += 1
    return counts


def _start(value: Any, part: str | int | None = None) -> int | None:
    """Where `value` (or its item `part`, else `value` itself) starts, when the located parse made it."""
    starts = getattr(value, "starts", {})
    return starts[part] if part in starts else getattr(value, "start", None)


def _unique(pairs: list[tuple[str, Any]]) -> dict:
    value = dict(pairs)
    if len(value) < len(pairs):
        twice = next(name for number, (name, _) in enumerate(pairs) if name in dict(pairs[:number]))
        raise _Malformed(f'the key "{twice}" appears twice in one object; keep one.')
    return value


def _int(text: str) -> int | float:
    """An integer too long for Python to convert is no version a baseline has."""
    try:
        return int(text)
    except ValueError:
        return float("nan")


class _Object(dict):
    start: int | None = None
    starts: dict


class _Array(list):
    start: int | None = None
    starts: dict


def _parse_located(text: str) -> Any:
    """Parse with the pure-Python scanner, recording where each object, list and item starts."""
    decoder = json.JSONDecoder(parse_int=_int)
    decoder.parse_object = _located_object  # type: ignore[assignment]
    decoder.parse_array = _located_array  # type: ignore[assignment]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    document = decoder.decode(text)
    if isinstance(document, (_Object, _Array)):
        return document
    return _Located(document, len(text) - len(text.lstrip()))


class _Located:
    """A document that is neither an object nor a list, and where it starts."""

    def __init__(self, value: Any, start: int) -> None:
        self.value, self.start = value, start


def _recording(scan_once: Any, offsets: list[int]) -> Any:
    def scan(string: str, index: int) -> tuple[Any, int]:
        offsets.append(index)
        return scan_once(string, index)
    return scan


def _located_object(s_and_end: tuple[str, int], strict: bool, scan_once: Any, object_hook: Any,
                    object_pairs_hook: Any, memo: Any = None) -> tuple[_Object, int]:
    offsets: list[int] = []
    pairs, end = json.decoder.JSONObject(s_and_end, strict, _recording(scan_once, offsets), None, list, memo)
    value = _Object()
    value.start, value.starts = s_and_end[1] - 1, {}
    for (name, item), offset in zip(pairs, offsets):
        if name in value:
            raise _Malformed(f'the key "{name}" appears twice in one object; keep one.', offset)
        value[name], value.starts[name] = item, offset
    return value, end


def _located_array(s_and_end: tuple[str, int], scan_once: Any) -> tuple[_Array, int]:
    offsets: list[int] = []
    items, end = json.decoder.JSONArray(s_and_end, _recording(scan_once, offsets))
    value = _Array(items)
    value.start, value.starts = s_and_end[1] - 1, dict(enumerate(offsets))
    return value, end


def apply(results: Results, known: Counter[Key]) -> Results:
    """Drop findings the baseline records (each entry covers one finding); count them per file."""
    remaining = Counter(known)
    files = []
    for result in results.files:
        kept = []
        for finding in result.findings:
            k = next((k for k in (key(finding), _index_key(finding)) if remaining[k] > 0), None)
            if k is not None:
                remaining[k] -= 1
            else:
                kept.append(finding)
        files.append(replace(result, findings=tuple(kept), baselined=len(result.findings) - len(kept)))
    return Results(tuple(files))
