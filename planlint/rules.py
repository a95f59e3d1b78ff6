"""Rule files: loaded, validated against schemas/rule.schema.json, every expression parsed and
name-checked before any plan is read, and kept in a registry by code and by name."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Callable, Iterable, Mapping

from planlint import expr, rulecache
from planlint.core_codes import CORE_CODES
from planlint.config_files import read_document, text_span, validate_document
from planlint.config_error import ConfigError
from planlint.findings import Path, Severity, Span
from planlint.loader import Document
from planlint.resources import rules_dir
from planlint.rule_format import CircularNames, Selectors, evaluation_order, renamed_keys
from planlint.schema import load_schema

RULE_SCHEMA = "rule.schema.json"


@dataclass(frozen=True)
class Check:
    """One condition of a rule: for each node `given` selects (and `filter` keeps), `check` must hold."""

    check: Callable[[Any], Any]
    message: Callable[[Any], str]
    given: Callable[[Any], list] | None = None
    filter: Callable[[Any], Any] | None = None
    at: Callable[[Any], list] | None = None
    severity: Severity | None = None  # where this check's differs from its rule's
    withs: tuple[tuple[str, Callable[[Any], Any]], ...] = ()  # per node, when first used; each after those it reads


@dataclass(frozen=True)
class ExpectedFinding:
    line: int
    column: int | None = None
    message: str | None = None


@dataclass(frozen=True)
class Example:
    plan: str
    title: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    findings: tuple[ExpectedFinding, ...] | None = None
    line: int = 1  # where the example starts in the rule file
    state_data: str | None = None  # CSV text


@dataclass(frozen=True)
class Option:
    default: Any
    description: str
    schema: Mapping[str, Any] = field(default_factory=dict)  # what values the option takes

    @property
    def accepts(self) -> Mapping[str, Any]:
        """The option's schema; without one, values of the default's kind."""
        if self.schema:
            return self.schema
        kind = _KINDS.get(type(self.default))
        return {} if kind is None else {"type": kind}


_KINDS = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    pack: str
    severity: Severity
    summary: str
    why: str
    fix: str
    checks: tuple[Check, ...]
    file: str
    enabled: bool = True
    criterion: str = ""
    source: str = ""
    options: Mapping[str, Option] = field(default_factory=dict)
    applies_if: Callable[[Any], Any] | None = None
    lets: tuple[tuple[str, Callable[[Any], Any]], ...] = ()  # once per plan; each after those it reads
    passing: tuple[Example, ...] = ()
    failing: tuple[Example, ...] = ()

    def option_values(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        values = {name: option.default for name, option in self.options.items()}
        values.update(overrides or {})
        return values


@dataclass(frozen=True)
class RuleSet:
    """The registry: every rule by code, and names that lead to codes."""

    by_code: Mapping[str, Rule]

    @functools.cached_property
    def by_name(self) -> dict[str, Rule]:
        return {rule.name: rule for rule in self.by_code.values()}

    def __iter__(self):
        return iter(sorted(self.by_code.values(), key=lambda r: r.code))

    def find(self, key: str) -> Rule | None:
        return self.by_code.get(key.upper()) or self.by_name.get(key.lower())


@dataclass(frozen=True)
class RuleSource:
    """A rule file read and checked: its data and its parsed expressions. Picklable, so it can be cached."""

    file: str
    data: Mapping[str, Any]
    trees: Mapping[Path, Any]  # where the text sits in the file -> its parsed expression or template
    example_lines: Mapping[tuple[str, int], int]


def load_rules(extra_folders: Iterable[FsPath] = (), *, builtin: bool = True) -> RuleSet:
    """The shipped rules plus any extra folders; codes and names must be unique across them."""
    by_code: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for folder in ((rules_dir(),) if builtin else ()) + tuple(extra_folders):
        for source in rulecache.cached(rule_files(folder), read_rule):
            rule = build_rule(source)
            clash = by_code.get(rule.code) or names.get(rule.name)
            if clash is not None or rule.code in CORE_CODES:
                other = clash.file if clash else "planlint's core checks"
                raise _located(f"the rule {rule.code} ({rule.name}) clashes with {other}: codes and names "
                               "must be unique.", rule.file, "code" if clash is None or clash.code == rule.code else "name")
            by_code[rule.code] = names[rule.name] = rule
    return RuleSet(by_code)


def _located(message: str, file: str, key: str) -> ConfigError:
    """An error at a top-level key of a rule file, found again in its text."""
    text = FsPath(file).read_text(encoding="utf-8")
    lines = text.splitlines()
    line = next((n for n, ln in enumerate(lines, start=1) if ln.startswith(f"{key}:")), 1)
    value = lines[line - 1][len(key) + 1:] if lines else ""
    return ConfigError(message, file, Span.point(line, len(key) + 2 + len(value) - len(value.lstrip())), text)


def rule_files(folder: FsPath) -> list[FsPath]:
    if not folder.is_dir():
        raise ConfigError("this rule folder does not exist.", str(folder))
    return sorted(p for p in folder.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def read_rule(path: FsPath) -> RuleSource:
    """Load, validate and parse one rule file; every problem is a ConfigError at its place."""
    document = read_document(path, what="rule file")
    renamed = next(iter(renamed_keys(document.data)), None)
    if renamed is not None:
        where, old, new = renamed
        raise ConfigError(f"`{old}:` is now `{new}:`; rename the key.", str(path), document.locate(where, key=True),
                          document.text)
    validate_document(document, RULE_SCHEMA, path, what="rule file")
    data = document.data
    _check_file_name(path, data, document)
    if "checks" not in data and ("check" not in data or "message" not in data):
        raise ConfigError("a rule needs a `check` and a `message`, or a list of `checks`.", str(path),
                          document.locate(("check",) if "check" in data else ("message",) if "message" in data
                                          else ("code",), key=True), document.text)
    parser = _Parser(document, path, frozenset(data.get("options", {})))
    lets = frozenset(data.get("let", {}))
    specs = dict(_specs(data))
    trees = {where: parser.parse(where, text, lets | _with_names(specs, where))
             for where, text in _expressions(data)}
    _check_circles(parser, trees, data)
    _check_given_lists(parser, data)
    lines = {(kind, i): document.locate(("examples", kind, i, "plan")).line
             for kind in ("pass", "fail") for i in range(len(data["examples"][kind]))}
    return RuleSource(str(path), data, trees, lines)


def _specs(data: Mapping[str, Any]) -> list[tuple[Path, Mapping[str, Any]]]:
    """Each check's part of the file, with where it sits: under `checks:`, or the file itself."""
    return [(("checks", i), spec) for i, spec in enumerate(data["checks"])] if "checks" in data else [((), data)]


def _with_names(specs: Mapping[Path, Mapping[str, Any]], where: Path) -> frozenset[str]:
    """The `with:` names of the check the expression at `where` belongs to; `let:` and `applies_if:` have none."""
    if where[0] in ("let", "applies_if"):
        return frozenset()
    return frozenset(specs[where[:2] if where[0] == "checks" else ()].get("with", {}))


def _expressions(data: Mapping[str, Any]) -> Iterable[tuple[Path, str]]:
    if "applies_if" in data:
        yield ("applies_if",), data["applies_if"]
    for name, text in data.get("let", {}).items():
        yield ("let", name), text
    for where, spec in _specs(data):
        for name, text in spec.get("with", {}).items():
            yield where + ("with", name), text
        if isinstance(spec.get("given"), list):  # several lists, each its own path
            yield from ((where + ("given", i), text) for i, text in enumerate(spec["given"]))
        for key in ("given", "filter", "check", "message", "at"):
            if isinstance(spec.get(key), str):
                yield where + (key,), spec[key]


def _value_groups(data: Mapping[str, Any]) -> list[Path]:
    """Where names are computed together: the rule's `let:`, and each check's `with:`."""
    return [("let",)] + [where + ("with",) for where, _ in _specs(data)]


def _check_circles(parser: _Parser, trees: Mapping[Path, Any], data: Mapping[str, Any]) -> None:
    """A `let:` or `with:` name that depends on itself is an error at the place it reads the next name."""
    for prefix in _value_groups(data):
        try:
            _named_trees(trees, prefix, data)
        except CircularNames as circular:
            reference, name = circular.circle.reference, circular.circle.names[0]
            raise parser.error(circular.circle.message, prefix + (name,), reference.line, reference.column) from None


def _check_given_lists(parser: _Parser, data: Mapping[str, Any]) -> None:
    """A path listed twice in one `given:` would look at the same nodes twice: a slip, shown at the second."""
    for where, spec in _specs(data):
        paths = spec.get("given")
        seen: dict[str, int] = {}
        for index, text in enumerate(paths if isinstance(paths, list) else ()):
            first = seen.setdefault("".join(text.split()), index)
            if first != index:
                raise parser.error(f"this path is path {first + 1} again; list each path once",
                                   where + ("given", index), 1, 1)


def _named_trees(trees: Mapping[Path, Any], prefix: Path, data: Mapping[str, Any]) -> tuple[str, ...]:
    """The names under `prefix` (a `let:` or a `with:`) in the order they are computed."""
    spec: Any = data
    for key in prefix[:-1]:
        spec = spec[key]
    return evaluation_order({name: trees[prefix + (name,)] for name in spec.get(prefix[-1], {})})


def _given(compiled: Mapping[Path, Any], where: Path, spec: Mapping[str, Any]) -> Callable[[Any], list] | None:
    if isinstance(spec.get("given"), list):
        return Selectors(tuple(compiled[where + ("given", i)] for i in range(len(spec["given"]))))
    return compiled.get(where + ("given",))


def build_rule(source: RuleSource) -> Rule:
    data, trees = source.data, source.trees
    compiled = {where: _COMPILERS[_kind(where)](tree) for where, tree in trees.items()}
    count = len(data["checks"]) if "checks" in data else 1
    prefixes = [("checks", i) for i in range(count)] if "checks" in data else [()]
    specs = data["checks"] if "checks" in data else [data]
    checks = tuple(Check(**{key: compiled[where + (key,)] for key in ("filter", "check", "message", "at")
                            if where + (key,) in compiled},
                         given=_given(compiled, where, spec),
                         severity=Severity.parse(spec["severity"]) if "checks" in data and "severity" in spec else None,
                         withs=tuple((name, compiled[where + ("with", name)])
                                     for name in _named_trees(trees, where + ("with",), data)))
                   for where, spec in zip(prefixes, specs))
    return Rule(
        code=data["code"], name=data["name"], pack=data["pack"], severity=Severity.parse(data["severity"]),
        summary=data["summary"], why=data["docs"]["why"], fix=data["docs"]["fix"], checks=checks,
        file=source.file, enabled=data.get("enabled", True), criterion=data.get("criterion", ""),
        source=data.get("source", ""),
        options={name: Option(spec["default"], spec["description"], spec.get("schema", {}))
                 for name, spec in data.get("options", {}).items()},
        applies_if=compiled.get(("applies_if",)),
        lets=tuple((name, compiled[("let", name)]) for name in _named_trees(trees, ("let",), data)),
        passing=_examples(source, "pass"), failing=_examples(source, "fail"),
    )


def _kind(where: Path) -> str:
    """What the expression at `where` in a rule file is: `let` and `with` values are expressions, and each
    path of a `given:` list is a `given`."""
    if isinstance(where[-1], int):
        return str(where[-2])
    return "let" if len(where) > 1 and where[-2] in ("let", "with") else str(where[-1])


_COMPILERS: dict[str, Callable[[Any], Any]] = {
    "let": expr.compile_expr, "applies_if": expr.compile_expr, "filter": expr.compile_expr, "check": expr.compile_expr,
    "message": expr.compile_template, "given": expr.compile_path, "at": expr.compile_path,
}


def _check_file_name(path: FsPath, data: dict, document: Document) -> None:
    expected = f"{data['code']}-{data['name']}"
    if path.stem != expected:
        raise ConfigError(f"a rule file is named after its code and name: call this one {expected}{path.suffix}.",
                          str(path), document.locate(("code",)), document.text)


def _examples(source: RuleSource, kind: str) -> tuple[Example, ...]:
    examples = []
    for index, spec in enumerate(source.data["examples"][kind]):
        findings = spec.get("findings")
        examples.append(Example(
            plan=spec["plan"], title=spec.get("title", ""), options=spec.get("options", {}),
            state_data=spec.get("state_data"),
            findings=None if findings is None else tuple(
                ExpectedFinding(f["line"], f.get("column"), f.get("message")) for f in findings),
            line=source.example_lines[(kind, index)],
        ))
    return tuple(examples)


@functools.lru_cache(maxsize=None)
def plan_fields() -> frozenset[str]:
    """Every key a plan may have, anywhere: the property names of the plan schema."""
    found: set[str] = set()
    stack: list[Any] = [load_schema("plan.schema.json")]
    while stack:
        part = stack.pop()
        if isinstance(part, dict):
            found.update(part.get("properties", {}))
            stack.extend(part.values())
        elif isinstance(part, list):
            stack.extend(part)
    return frozenset(found)


class _Parser:
    """Parses and name-checks a rule's expressions, reporting problems at their place in the file."""

    def __init__(self, document: Document, path: FsPath, options: frozenset[str]) -> None:
        self.document, self.path, self.options = document, path, options

    def parse(self, where: Path, text: str, variables: frozenset[str] = frozenset()) -> Any:
        kind = _kind(where)
        parse = expr.parse_template if kind == "message" else expr.parse_expression
        try:
            tree = parse(text)
            if kind in ("given", "at"):
                expr.compile_path(tree)  # raises ExprSyntaxError when the text is not a path
        except expr.ExprSyntaxError as exc:
            raise self.error(exc.message, where, exc.line, exc.column) from None
        problems = expr.check_names(tree, options=set(self.options), variables=variables, fields=plan_fields())
        problems += expr.constant_problems(tree, condition=kind in ("check", "filter", "applies_if"))
        problems.sort(key=lambda problem: (problem.line, problem.column))
        if problems:
            first = problems[0]
            raise self.error(first.message, where, first.line, first.column)
        return tree

    def error(self, message: str, where: Path, line: int, column: int) -> ConfigError:
        span = text_span(self.document, where, line, column)
        if isinstance(where[-1], int):
            label = f"in `{where[-2]}` (path {where[-1] + 1})"
        else:
            label = f"in `{where[-2]}: {where[-1]}`" if _kind(where) == "let" else f"in `{where[-1]}`"
        return ConfigError(f"{label}: {message}", str(self.path), span, self.document.text)
