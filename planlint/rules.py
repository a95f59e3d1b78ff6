"""Rule files: loaded, validated against schemas/rule.schema.json, every expression parsed and
name-checked before any plan is read, and kept in a registry by code and by name."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any, Callable, Iterable, Mapping

from planlint import expr
from planlint.core import CORE_CODES
from planlint.datafiles import load_validated, text_span
from planlint.errors import ConfigError
from planlint.findings import Path, Severity
from planlint.loader import Document
from planlint.resources import rules_dir

RULE_SCHEMA = "rule.schema.json"


@dataclass(frozen=True)
class Check:
    """One condition of a rule: for each node `given` selects (and `where` keeps), `check` must hold."""

    check: Callable[[Any], Any]
    message: Callable[[Any], str]
    given: Callable[[Any], list] | None = None
    where: Callable[[Any], Any] | None = None
    at: Callable[[Any], list] | None = None


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


@dataclass(frozen=True)
class Option:
    default: Any
    description: str


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
    when: Callable[[Any], Any] | None = None
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


def load_rules(extra_folders: Iterable[FsPath] = (), *, builtin: bool = True) -> RuleSet:
    """The shipped rules plus any extra folders; codes and names must be unique across them."""
    by_code: dict[str, Rule] = {}
    names: dict[str, Rule] = {}
    for folder in ((rules_dir(),) if builtin else ()) + tuple(extra_folders):
        for path in rule_files(folder):
            rule = load_rule(path)
            clash = by_code.get(rule.code) or names.get(rule.name)
            if clash is not None or rule.code in CORE_CODES:
                other = clash.file if clash else "planlint's core checks"
                raise ConfigError(f"the rule {rule.code} ({rule.name}) clashes with {other}: codes and names "
                                  "must be unique.", str(path))
            by_code[rule.code] = names[rule.name] = rule
    return RuleSet(by_code)


def rule_files(folder: FsPath) -> list[FsPath]:
    if not folder.is_dir():
        raise ConfigError("this rule folder does not exist.", str(folder))
    return sorted(p for p in folder.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_rule(path: FsPath) -> Rule:
    document = load_validated(path, RULE_SCHEMA, what="rule file")
    data = document.data
    _check_file_name(path, data, document)
    options = {name: Option(spec["default"], spec["description"]) for name, spec in data.get("options", {}).items()}
    compiler = _Compiler(document, path, frozenset(options))
    checks = data.get("checks") or [{k: data[k] for k in ("given", "where", "check", "message", "at") if k in data}]
    if "checks" not in data and "check" not in data:
        raise ConfigError("a rule needs a `check` and a `message`, or a list of `checks`.", str(path),
                          document.locate(()), document.text)
    prefix: Path = ("checks",) if "checks" in data else ()
    return Rule(
        code=data["code"], name=data["name"], pack=data["pack"], severity=Severity.parse(data["severity"]),
        summary=data["summary"], why=data["docs"]["why"], fix=data["docs"]["fix"],
        checks=tuple(compiler.check(spec, prefix + ((i,) if prefix else ())) for i, spec in enumerate(checks)),
        file=str(path), enabled=data.get("enabled", True), criterion=data.get("criterion", ""),
        source=data.get("source", ""), options=options,
        when=compiler.expression(data["when"], ("when",)) if "when" in data else None,
        passing=_examples(document, "pass"), failing=_examples(document, "fail"),
    )


def _check_file_name(path: FsPath, data: dict, document: Document) -> None:
    expected = f"{data['code']}-{data['name']}"
    if path.stem != expected:
        raise ConfigError(f"a rule file is named after its code and name: call this one {expected}{path.suffix}.",
                          str(path), document.locate(("code",)), document.text)


def _examples(document: Document, kind: str) -> tuple[Example, ...]:
    examples = []
    for index, spec in enumerate(document.data["examples"][kind]):
        findings = spec.get("findings")
        examples.append(Example(
            plan=spec["plan"], title=spec.get("title", ""), options=spec.get("options", {}),
            findings=None if findings is None else tuple(
                ExpectedFinding(f["line"], f.get("column"), f.get("message")) for f in findings),
            line=document.locate(("examples", kind, index, "plan")).line,
        ))
    return tuple(examples)


class _Compiler:
    """Parses, name-checks and compiles a rule's expressions, reporting problems at their place in the file."""

    def __init__(self, document: Document, path: FsPath, options: frozenset[str]) -> None:
        self.document, self.path, self.options = document, path, options

    def check(self, spec: dict, where: Path) -> Check:
        return Check(
            check=self.expression(spec["check"], where + ("check",)),
            message=self.template(spec["message"], where + ("message",)),
            given=self.path_expression(spec["given"], where + ("given",)) if "given" in spec else None,
            where=self.expression(spec["where"], where + ("where",)) if "where" in spec else None,
            at=self.path_expression(spec["at"], where + ("at",)) if "at" in spec else None,
        )

    def expression(self, text: str, where: Path) -> Callable[[Any], Any]:
        return expr.compile_expr(self._parse(expr.parse_expression, text, where))

    def template(self, text: str, where: Path) -> Callable[[Any], str]:
        return expr.compile_template(self._parse(expr.parse_template, text, where))

    def path_expression(self, text: str, where: Path) -> Callable[[Any], list]:
        tree = self._parse(expr.parse_expression, text, where)
        try:
            return expr.compile_path(tree)
        except expr.ExprSyntaxError as exc:
            raise self._error(exc.message, where, exc.line, exc.column) from None

    def _parse(self, parse: Callable[[str], Any], text: str, where: Path) -> Any:
        try:
            tree = parse(text)
        except expr.ExprSyntaxError as exc:
            raise self._error(exc.message, where, exc.line, exc.column) from None
        problems = expr.check_names(tree, options=set(self.options))
        if problems:
            first = problems[0]
            raise self._error(first.message, where, first.line, first.column)
        return tree

    def _error(self, message: str, where: Path, line: int, column: int) -> ConfigError:
        span = text_span(self.document, where, line, column)
        return ConfigError(f"in `{where[-1]}`: {message}", str(self.path), span, self.document.text)
