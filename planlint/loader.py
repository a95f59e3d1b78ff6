"""Safe YAML loading: plain data plus a location for every node; load problems become findings.

libyaml parses and composes the node tree; construction is ours, so that dates and years stay
as the author wrote them, duplicate keys and YAML 1.1 traps are seen, and aliases cannot expand
without bound. Locations are not copied into the data: `Document.locate` finds them in the node
tree only when a finding needs one, which keeps the clean path as fast as a bare load.
"""

from __future__ import annotations

import functools
import math
import operator
import re
from typing import Any

import yaml

from planlint.core_codes import core_finding
from planlint.frozen import frozen
from planlint.input_guards import LoadLimits, check_bytes, check_text, line_col, reader_finding, syntax_finding
from planlint.findings import FILE_START, Finding, Path, Span

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = TAG + "str", TAG + "seq", TAG + "map"
_NULL, _BOOL, _INT, _FLOAT, _MERGE = TAG + "null", TAG + "bool", TAG + "int", TAG + "float", TAG + "merge"
_ALLOWED_TAGS = {TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")}
_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
PERCENT_TEXT = re.compile(r"\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*%\s*")  # `52%`: text where a number is meant
_SCHOOL_YEAR_KEY = re.compile(r"([0-9]{4})-([0-9]{2})")
_TRUE_FALSE = {"true": True, "false": False}
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
# A line with something besides a comment, found without splitting the text; the rare file without
# such a line is looked at line by line (other line breaks, other white space)
_CONTENT_LINE = re.compile(r"^[ \t]*[^\s#]", re.M)


# YAML 1.1's implicit types, by the first character of a plain scalar that can have one: PyYAML's own table
_IMPLICIT = {first: tuple(resolvers) for first, resolvers in _Loader.yaml_implicit_resolvers.items()}


class _ImplicitTypes:
    """Tags each node exactly as PyYAML's resolver does, for less: most plain scalars cannot have an
    implicit type by their first character, and those that can repeat (keys, years, numbers). PyYAML's
    path resolvers, which planlint does not use, are left out."""

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is _SCALAR:
            return _implicit_tag(value) if implicit[0] and value[:1] in _IMPLICIT else _STR
        return _SEQ if kind is _SEQUENCE else _MAP

    # The composer calls these two around every node, for path resolvers, which planlint does not use: each is
    # a built-in function that takes the same arguments and does nothing with them, since a Python method,
    # even an empty one, costs a sixth of composing a plan.
    descend_resolver = staticmethod(operator.is_)  # (parent, index)
    ascend_resolver = staticmethod(tuple)  # ()


class _Composer(_ImplicitTypes, _Loader):  # type: ignore[misc, valid-type]
    """libyaml's composer (PyYAML's own where PyYAML was built without it)."""


class _UntaggedComposer(_Loader):  # type: ignore[misc, valid-type]
    """The composer for a text without a tag, which is most plans: it leaves every node's tag empty, and the
    builder types each plain scalar from its value (`_tag`), as PyYAML's resolver would. Every tag, the
    non-specific `!` included, is written with a `!`, so a text without one holds none. The resolver is a
    built-in function that returns "": a call from libyaml into a Python method for every node costs a
    fifth of composing a plan."""

    resolve = staticmethod("".format)  # (kind, value, implicit) -> ""
    descend_resolver = _ImplicitTypes.descend_resolver
    ascend_resolver = _ImplicitTypes.ascend_resolver


@functools.lru_cache(maxsize=4096)
def _implicit_tag(value: str) -> str:
    return next((tag for tag, pattern in _IMPLICIT[value[:1]] if pattern.match(value)), _STR)


def _tag(node: yaml.Node) -> str:
    """A node's tag: as composed, or, for a node composed untagged, the one PyYAML's resolver gives it."""
    if node.tag:
        return node.tag
    if isinstance(node, yaml.ScalarNode):
        value = node.value
        return _STR if node.style or value[:1] not in _IMPLICIT else _implicit_tag(value)
    return _SEQ if isinstance(node, _SEQUENCE) else _MAP


# The plain keys whose implicit type matters: a merge (`<<`), and the one type a plain scalar can have that a plan
# cannot hold (`=`, YAML 1.1's "value"). Every other key is the text written, whatever YAML would type it.
_TYPED_KEYS = frozenset(("<<", "="))


@frozen
class Document:
    """A loaded plan: its data, its text, and the node tree that locates every value."""

    data: Any
    text: str
    root: yaml.Node

    def locate(self, path: Path, *, key: bool = False) -> Span:
        """The span of the node at `path` (or of its key); the deepest existing ancestor if absent."""
        key_node, node, _ = self._walk(path)
        return node_span(key_node if key and key_node is not None else node)

    def node_at(self, path: Path) -> yaml.Node | None:
        _, node, found = self._walk(path)
        return node if found else None

    def _walk(self, path: Path) -> tuple[yaml.Node | None, yaml.Node, bool]:
        node, key_node = self.root, None
        for part in path:
            child = _child(node, part)
            if child is None:
                return key_node, node, False
            key_node, node = child
        return key_node, node, True


@frozen
class LoadResult:
    document: Document | None
    findings: tuple[Finding, ...]
    text: str | None = None  # the decoded text, when there was any, for showing findings in context


def node_span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    if end.line != start.line:
        if isinstance(node, yaml.CollectionNode):
            # a block collection ends at the start of the line after it: point at where it begins
            return Span.point(start.line + 1, start.column + 1)
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    return Span(start.line + 1, start.column + 1, start.line + 1, max(end.column, start.column + 1) + 1)


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        found = None
        for key_node, value_node in node.value:  # the last of repeated keys is the one kept
            if isinstance(key_node, yaml.ScalarNode) and normalize_key(key_node.value) == part:
                found = key_node, value_node
        return found
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part], node.value[part]
    return None


def normalize_key(text: str) -> str:
    """Keys are text as written; `2025-26` names the school year 2026 (`0000-01` names no year: it stays)."""
    match = _SCHOOL_YEAR_KEY.fullmatch(text) if len(text) == 7 else None
    if match:
        first, second = int(match.group(1)), int(match.group(2))
        if (first + 1) % 100 == second and 1000 <= first + 1 <= 9999:
            return str(first + 1)
    return text


def load_bytes(raw: bytes, file: str, limits: LoadLimits = LoadLimits()) -> LoadResult:
    """Load one plan from its bytes; never raises for any input."""
    problem = check_bytes(raw, file, limits)
    if problem:
        return LoadResult(None, (problem,))
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0  # not utf-8-sig: its error offsets would skip the BOM
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start + bom
        line, col = line_col(raw, at)
        return _fail(file, f"The file is not UTF-8 text (byte 0x{raw[at]:02x} at line {line}, "
                           f"column {col}). Save it as UTF-8.", Span.point(line, col))
    return load_text(text, file, limits)


def load_text(text: str, file: str, limits: LoadLimits = LoadLimits()) -> LoadResult:
    try:
        result = _load_text(text, file, limits)
    except RecursionError:
        result = _fail(file, f"The file nests deeper than planlint reads ({limits.max_depth} levels).", FILE_START)
    except Exception as exc:  # noqa: BLE001 - any loader failure must become a finding, not a traceback
        result = _fail(file, f"planlint could not read this file: {type(exc).__name__}: {exc}", FILE_START)
    return LoadResult(result.document, result.findings, text)


def _load_text(text: str, file: str, limits: LoadLimits) -> LoadResult:
    if not _CONTENT_LINE.search(text) and (
            not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())):
        return LoadResult(None, (core_finding(
            "PL003", file, "The file is empty. A plan is a YAML mapping that starts with `planlint: 1`.",
            FILE_START),))
    problem = check_text(text, file, limits)
    if problem:
        return LoadResult(None, (problem,))
    try:
        root = yaml.compose(text, Loader=_Composer if "!" in text else _UntaggedComposer)
    except yaml.MarkedYAMLError as exc:
        return LoadResult(None, (syntax_finding(exc, file, text),))
    except yaml.reader.ReaderError as exc:
        return LoadResult(None, (reader_finding(exc, file, text),))
    except yaml.YAMLError as exc:
        return _fail(file, f"The file is not valid YAML: {exc}", FILE_START)
    if root is None:
        return _fail(file, "The file holds no YAML document.", FILE_START)
    builder = _Builder(file, limits)
    data = builder.build(root)
    document = Document(data=data, text=text, root=root)
    findings = list(builder.findings)
    if builder.fatal is None and not isinstance(data, dict):
        findings.append(core_finding(
            "PL003", file, f"A plan is a mapping of keys (planlint: 1, system:, period:, ...), "
                           f"but this file holds {_kind(data)}.", node_span(root)))
    if builder.fatal is not None:
        return LoadResult(None, tuple(findings))
    return LoadResult(document if isinstance(data, dict) else None, tuple(findings))


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a single piece of text"
    return f"a single value ({value!r})"


def _fail(file: str, message: str, span: Span) -> LoadResult:
    return LoadResult(None, (core_finding("PL001", file, message, span),))


class _Fatal(Exception):
    pass


class _Builder:
    """Builds plain data from the node tree, reporting duplicate keys, traps and unsafe nodes."""

    def __init__(self, file: str, limits: LoadLimits) -> None:
        self.file = file
        self.limits = limits
        self.findings: list[Finding] = []
        self.fatal: Finding | None = None
        self._built: dict[int, Any] = {}
        self._active: set[int] = set()
        self._sizes: dict[int, int] = {}
        self._nodes = 0  # every value, as anything that walks the plan sees it
        self._expanded = 0  # of which copies made by aliases

    def build(self, root: yaml.Node) -> Any:
        try:
            return self._node(root, ())
        except _Fatal:
            return None

    def _stop(self, message: str, node: yaml.Node) -> None:
        self.fatal = core_finding("PL001", self.file, message, node_span(node))
        self.findings.append(self.fatal)
        raise _Fatal

    def _node(self, node: yaml.Node, path: Path) -> Any:
        self._nodes += 1  # as _count(1, node): only an alias adds to what _count checks besides
        if self._nodes > self.limits.max_values:
            self._count(0, node)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if not tag:  # composed untagged: _tag, written out
                tag = _STR if node.style or node.value[:1] not in _IMPLICIT else _implicit_tag(node.value)
            if tag == _STR:  # the most common value: text
                return self._text(node, path) if "%" in node.value and not node.style else node.value
            if tag not in _ALLOWED_TAGS:
                self._disallowed(tag, node)
            return self._scalar(node, path, tag)
        if tag and tag not in _ALLOWED_TAGS:
            self._disallowed(tag, node)
        key = id(node)
        if key in self._built:
            # an alias shares the value, but anything that walks the plan walks every copy
            self._expanded += self._sizes[key]
            self._count(self._sizes[key] - 1, node)
            return self._built[key]
        if key in self._active:
            self._stop("An alias refers to the list or mapping that contains it, which makes an endless loop.", node)
        self._active.add(key)
        first = self._nodes
        if isinstance(node, yaml.SequenceNode):
            value: Any = [self._node(child, path + (i,)) for i, child in enumerate(node.value)]
        else:
            value = self._mapping(node, path)
        self._active.discard(key)
        self._built[key] = value
        self._sizes[key] = self._nodes - first + 1
        return value

    def _count(self, nodes: int, node: yaml.Node) -> None:
        """Values written out are bounded by the file's size; copies made by aliases are not, and have a cap
        of their own. A file of written values only never meets it, however large."""
        self._nodes += nodes
        if self._expanded > self.limits.max_nodes:
            self._stop(f"The file expands to more than {self.limits.max_nodes:,} values through aliases (*name "
                       "repeats what &name marks); a plan needs far fewer. Write the values out, or repeat less.",
                       node)
        if self._nodes > self.limits.max_values:
            self._stop(f"The file holds more than {self.limits.max_values:,} values; a plan needs far fewer. Check "
                       "that this is the plan you meant.", node)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict:
        out: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        for index, (key_node, value_node) in enumerate(node.value):
            tag = key_node.tag
            if key_node.__class__ is _SCALAR or isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key in _TYPED_KEYS and not tag and not key_node.style:  # composed untagged: _tag, for these
                    tag = _implicit_tag(key)
            else:
                key = None
            if tag == _MERGE:
                merged.update(self._merge(value_node, path))
                continue
            if tag and tag not in _ALLOWED_TAGS:  # as on a value: `? !!python/object/apply:os.system`
                self._disallowed(tag, key_node)
            if key is None:
                self._stop("A key must be plain text, not a list or a mapping.", key_node)
            if len(key) == 7:  # only a key of seven characters can be a school year (normalize_key)
                key = normalize_key(key)
            if key in out:
                self._duplicate(node, index, key, path)
            if value_node.__class__ is _SCALAR:
                # _node for a scalar, the most common value, written out: one call fewer for most values of a plan
                self._nodes += 1
                if self._nodes > self.limits.max_values:
                    self._count(0, value_node)
                text = value_node.value
                tag = value_node.tag or (  # _tag, written out
                    _STR if value_node.style or text[:1] not in _IMPLICIT else _implicit_tag(text))
                if tag == _STR:
                    out[key] = self._text(value_node, path + (key,)) if "%" in text and not value_node.style else text
                elif tag in _ALLOWED_TAGS:
                    out[key] = self._scalar(value_node, path + (key,), tag)
                else:
                    self._disallowed(tag, value_node)
            else:
                out[key] = self._node(value_node, path + (key,))
        for key, value in merged.items():
            out.setdefault(key, value)
        return out

    def _duplicate(self, node: yaml.MappingNode, index: int, key: str, path: Path) -> None:
        key_node = node.value[index][0]
        earlier = next(k for k, _ in reversed(node.value[:index]) if _tag(k) != _MERGE and normalize_key(k.value) == key)
        self.findings.append(core_finding(
            "PL002", self.file,
            f"The key `{key_node.value}` appears twice in this mapping (lines {earlier.start_mark.line + 1} and "
            f"{key_node.start_mark.line + 1}); YAML keeps only the last one, so the first is silently lost. Keep one.",
            node_span(key_node), path + (key,)))

    def _merge(self, node: yaml.Node, path: Path) -> dict:
        value = self._node(node, path)
        sources = value if isinstance(value, list) else [value]
        merged: dict[str, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, dict):
                self._stop("`<<` merges only mappings.", node)
            merged.update(source)
        return merged

    def _text(self, node: yaml.ScalarNode, path: Path) -> str:
        """Plain text with a percent sign: `52%` is a trap where a number is meant."""
        text = node.value
        percent = PERCENT_TEXT.fullmatch(text)
        if percent:
            number = percent.group(1)
            self._trap(node, path, f"`{text}` is read as text, not the number {number}. Where a number is "
                                   f"meant, write {number} (a measure's `unit` says it is a percent); quote "
                                   f"it (\"{text}\") if you mean the text.")
        return text

    def _scalar(self, node: yaml.ScalarNode, path: Path, tag: str) -> Any:
        """A plain scalar YAML 1.1 reads as something other than text (`tag`)."""
        text = node.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if text.lower() in _TRUE_FALSE:
                return _TRUE_FALSE[text.lower()]
            self._trap(node, path, f"`{text}` is read as true or false by some YAML tools and as the word "
                                   f"\"{text}\" by others. Quote it (\"{text}\") if you mean the word.")
            return text
        if tag == _INT:
            if _DECIMAL_INT.fullmatch(text):
                try:
                    number = int(text)
                except ValueError:  # longer than Python converts (4,300 digits by default)
                    number = None
                if number is not None and number.bit_length() < 1024:  # within what arithmetic on floats takes
                    return number
                digits = len(text.lstrip("+-"))
                return self._unreadable_number(node, path, f"This number has {digits:,} digits, more than "
                                                           "planlint can read; a plan's numbers are far shorter")
            self._trap(node, path, f"`{text}` can be read as different numbers by different YAML tools "
                                   f"(a leading zero can mean octal). Quote it (\"{text}\") to keep it as written, "
                                   "or write the plain number.")
            return text
        if tag == _FLOAT and _PLAIN_FLOAT.fullmatch(text):
            number = float(text)
            if math.isfinite(number):
                return number
            return self._unreadable_number(node, path, "This number is too large for planlint to read; a plan's "
                                                       "numbers are far smaller")
        return text  # timestamps, .inf/.nan and the like stay as written; the schema judges them

    def _disallowed(self, tag: str, node: yaml.Node) -> None:
        self._stop(f"The tag {tag} is not allowed in a plan; remove it.", node)

    def _unreadable_number(self, node: yaml.ScalarNode, path: Path, problem: str) -> str:
        """The rest of the plan is still checked; the number stays as written, as text."""
        self.findings.append(core_finding("PL001", self.file, f"{problem}. Check it for a pasting mistake.",
                                          node_span(node), path))
        return node.value

    def _trap(self, node: yaml.Node, path: Path, message: str) -> None:
        self.findings.append(core_finding("PL007", self.file, message, node_span(node), path))
