"""Rule files: loaded, validated against schemas/rule.schema.json, every expression parsed and
name-checked before any plan is read, and kept in a registry by code and by name."""

from __future__ import annotations

import functools
from dataclasses import field
from pathlib import Path as FsPath
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from planlint import lang, rule_format, rulecache
from planlint.frozen import frozen
from planlint.functions import FUNCTIONS
from planlint.lang.ast import Call, Field, Name, Template, walk
from planlint.lang.patterns import pattern_problem
from planlint.core_codes import CORE_CODES
from planlint.config_files import read_document, read_file, text_span, validate_document
from planlint.config_error import ConfigError
from planlint.findings import Path, Severity, Span
from planlint.loader import Document
from planlint.resources import rules_dir
from planlint.rulechecks import check_options_and_examples, check_pattern_options
from planlint.schema import load_schema

RULE_SCHEMA = "rule.schema.json"


@frozen
class Check:
    """One condition of a rule: for each node `given` selects (and `filter` keeps), `check` must hold."""

    check: Callable[[Any], Any]
    message: Callable[[Any], str]
    given: Callable[[Any], list] | None = None
    filter: Callable[[Any], Any] | None = None
    at: Callable[[Any], list] | None = None
    severity: Severity | None = None  # where this check's differs from its rule's
    withs: tuple[tuple[str, Callable[[Any], Any]], ...] = ()  # per node, when first used, after the rule's own


@frozen
class ExpectedFinding:
    line: int
    column: int | None = None
    message: str | None = None


@frozen
class Example:
    plan: str
    title: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)
    findings: tuple[ExpectedFinding, ...] | None = None
    line: int = 1  # where the example starts in the rule file
    state_data: str | None = None  # CSV text


@frozen
class Option:
    default: Any
    description: str
    schema: Mapping[str, Any] = field(default_factory=dict)  # what values the option takes
    is_pattern: bool = False  # the rule gives it to matches() as the pattern, so a value must be one RE2 reads

    def pattern_problem(self, value: Any, name: str) -> str | None:
        """Why a value set for this option is a pattern matches() cannot run; checked where it is set,
        not when the first plan runs into it."""
        if not self.is_pattern or not isinstance(value, str):
            return None
        problem = pattern_problem(value)
        return None if problem is None else f"{name} is the pattern of a matches() in the rule: {problem}."

    @property
    def accepts(self) -> Mapping[str, Any]:
        """The option's schema; without one, values of the default's kind."""
        if self.schema:
            return self.schema
        kind = _KINDS.get(type(self.default))
        return {} if kind is None else {"type": kind}


_KINDS = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}


@frozen
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
    withs: tuple[tuple[str, Callable[[Any], Any]], ...] = ()  # per node, shared by every check of `checks:`
    passing: tuple[Example, ...] = ()
    failing: tuple[Example, ...] = ()
    plan_fields: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # fields it adds to plans

    def option_values(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        values = {name: option.default for name, option in self.options.items()}
        values.update(overrides or {})
        return values


@frozen
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


@frozen
class RuleSource:
    """A rule file read and checked: its data and its parsed expressions, plain data the cache keeps as JSON."""

    file: str
    data: Mapping[str, Any]
    trees: Mapping[Path, Any]  # where the text sits in the file -> its parsed expression or template
    example_lines: Mapping[tuple[str, int], int]


def load_rules(extra_folders: Iterable[FsPath] = (), *, builtin: bool = True) -> RuleSet:
    """The shipped rules plus any extra folders; codes and names must be unique across them."""
    by_code: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for folder in ((rules_dir(),) if builtin else ()) + tuple(extra_folders):
        for rule in rulecache.cached(rule_files(folder), read_rule, build_rule, kind=RuleSource):
            clash = by_code.get(rule.code) or names.get(rule.name)
            if clash is not None or rule.code in CORE_CODES:
                other = clash.file if clash else "planlint's core checks"
                raise _located(f"the rule {rule.code} ({rule.name}) clashes with {other}: codes and names "
                               "must be unique.", rule.file, "code" if clash is None or clash.code == rule.code else "name")
            by_code[rule.code] = names[rule.name] = rule
    return RuleSet(by_code)


def _located(message: str, file: str, key: str) -> ConfigError:
    """An error at a top-level key of a rule file, found again in its text."""
    text = read_file(FsPath(file), what="rule file").decode("utf-8")
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
    renamed = next(iter(rule_format.renamed_keys(document.data)), None)
    if renamed is not None:
        where, old, new = renamed
        raise ConfigError(f"`{old}:` is now `{new}:`; rename the key.", str(path), document.locate(where, key=True),
                          document.text)
    validate_document(document, RULE_SCHEMA, path, what="rule file")
    data = document.data
    _check_file_name(path, data, document)
    check_options_and_examples(path, data, document, accepts={
        name: dict(Option(spec["default"], "", spec.get("schema", {})).accepts)
        for name, spec in data.get("options", {}).items()})
    if "checks" not in data and ("check" not in data or "message" not in data):
        raise ConfigError("a rule needs a `check` and a `message`, or a list of `checks`.", str(path),
                          document.locate(("check",) if "check" in data else ("message",) if "message" in data
                                          else ("code",), key=True), document.text)
    parser = _Parser(document, path, frozenset(data.get("options", {})),
                     frozenset(name for fields in data.get("plan-fields", {}).values() for name in fields))
    lets = frozenset(data.get("let", {}))
    trees = {where: parser.parse(where, text, lets | rule_format.variables_at(data, where))
             for where, text in rule_format.expressions(data)}
    problem = rule_format.structure_problem(data, trees)
    if problem is not None:
        if problem.at_key:
            raise ConfigError(f"{problem.message}.", str(path),
                              document.locate(problem.where, key=True), document.text)
        raise parser.error(problem.message, problem.where, problem.line, problem.column)
    check_pattern_options(path, data, document, pattern_options(trees))
    lines = {(kind, i): document.locate(("examples", kind, i, "plan")).line
             for kind in ("pass", "fail") for i in range(len(data["examples"][kind]))}
    return RuleSource(str(path), data, trees, lines)


def build_rule(source: RuleSource) -> Rule:
    data, trees = source.data, source.trees
    lets = frozenset(data.get("let", {}))
    compiled = {where: _compile(rule_format.kind(where), tree, lets | rule_format.variables_at(data, where))
                for where, tree in trees.items()}
    shared = _withs(compiled, trees, ("with",), data) if "checks" in data else ()
    givens: list[Any] = []  # checks that select the same nodes share one selector, run once per plan
    patterned = pattern_options(trees)
    checks = tuple(Check(**{key: compiled[where + (key,)] for key in rule_format.CHECK_KEYS
                            if where + (key,) in compiled},
                         given=_once(givens, rule_format.given_of(compiled, data, where)),
                         severity=Severity.parse(spec["severity"]) if "checks" in data and "severity" in spec else None,
                         withs=_withs(compiled, trees, where + ("with",), data))
                   for where, spec in rule_format.check_parts(data))
    return Rule(
        code=data["code"], name=data["name"], pack=data["pack"], severity=Severity.parse(data["severity"]),
        summary=data["summary"], why=data["docs"]["why"], fix=data["docs"]["fix"], checks=checks,
        file=source.file, enabled=data.get("enabled", True), criterion=data.get("criterion", ""),
        source=data.get("source", ""),
        options={name: Option(spec["default"], spec["description"], spec.get("schema", {}),
                              is_pattern=name in patterned)
                 for name, spec in data.get("options", {}).items()},
        applies_if=compiled.get(("applies_if",)),
        lets=_withs(compiled, trees, ("let",), data),
        withs=shared,
        passing=_examples(source, "pass"), failing=_examples(source, "fail"),
        plan_fields=data.get("plan-fields", {}),
    )


def _once(seen: list[Any], given: Any) -> Any:
    """`given`, or an equal selector met before: the engine runs each distinct one once per plan."""
    for earlier in seen:
        if earlier == given:
            return earlier
    seen.append(given)
    return given


def pattern_options(trees: Mapping[Path, Any]) -> frozenset[str]:
    """The options a rule gives matches() as its pattern (`matches(name, options.allowed)`)."""
    found = set()
    for tree in trees.values():
        for top in (tree.holes if isinstance(tree, Template) else (tree,)):
            for node in walk(top):
                if isinstance(node, Call) and node.name == "matches" and len(node.args) == 2:
                    pattern = node.args[1]
                    if isinstance(pattern, Field) and isinstance(pattern.target, Name) \
                            and pattern.target.name == "options":
                        found.add(pattern.name)
    return frozenset(found)


def _withs(compiled: Mapping[Path, Any], trees: Mapping[Path, Any], group: Path,
           data: Mapping[str, Any]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """The compiled values of a `let:` or `with:`, each after the names it reads."""
    return tuple((name, compiled[group + (name,)]) for name in rule_format.named_order(trees, group, data))


def _compile(kind: str, tree: Any, variables: frozenset[str]) -> Any:
    """A rule's text compiled; `variables` are the `let:` and `with:` names it may read, every other
    name being a field of the node."""
    if kind == "message":
        return lang.compile_template(tree, variables)
    if kind in ("given", "at"):
        return lang.compile_path(tree)
    return lang.compile_expr(tree, variables)


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

    def __init__(self, document: Document, path: FsPath, options: frozenset[str],
                 own_fields: frozenset[str] = frozenset()) -> None:
        self.document, self.path, self.options, self.own_fields = document, path, options, own_fields

    def parse(self, where: Path, text: str, variables: frozenset[str] = frozenset()) -> Any:
        kind = rule_format.kind(where)
        parse = lang.parse_template if kind == "message" else lang.parse_expression
        try:
            tree = parse(text)
            if kind in ("given", "at"):
                lang.compile_path(tree)  # raises ExprSyntaxError when the text is not a path
        except lang.ExprSyntaxError as exc:
            raise self.error(exc.message, where, exc.line, exc.column) from None
        problems = lang.check_names(tree, options=set(self.options), variables=variables,
                                    fields=plan_fields() | self.own_fields, functions=FUNCTIONS)
        problems += lang.constant_problems(tree, condition=kind in ("check", "filter", "applies_if"))
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
            label = f"in `{where[-2]}: {where[-1]}`" if rule_format.kind(where) == "let" else f"in `{where[-1]}`"
        return ConfigError(f"{label}: {message}", str(self.path), span, self.document.text)
