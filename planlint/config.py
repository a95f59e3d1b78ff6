"""Configuration: .planlint.yaml or [tool.planlint] in pyproject.toml, validated against its schema,
and turned into a Profile: the rules, severities, options and limits that check one file."""

from __future__ import annotations

import datetime
import functools
import json
import sys
from dataclasses import field
from pathlib import Path as FsPath
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from planlint import patterns
from planlint.core_codes import ALWAYS, CORE_CODES
from planlint.config_files import load_validated, read_file
from planlint.engine import ActiveRule, Engine
from planlint.config_error import ConfigError
from planlint.facts import RunFacts, run_facts
from planlint.findings import Path, Severity
from planlint.frameworks import load_frameworks
from planlint.frozen import frozen
from planlint.loader import Document, LoadLimits, load_text
from planlint.rubric import Rubric, load_rubric
from planlint.rules import RuleSet, load_rules
from planlint.schema import schema_problems, value_problem

if TYPE_CHECKING:
    from planlint.tomlplaces import TomlPlaces

# TOML, state data: read only by a run whose configuration has them (a pre-commit hook's check starts faster).

CONFIG_NAMES = (".planlint.yaml", ".planlint.yml")
CONFIG_SCHEMA = "config.schema.json"


@frozen
class Config:
    data: Mapping[str, Any] = field(default_factory=dict)
    file: str | None = None
    folder: FsPath = FsPath(".")
    document: Document | TomlPlaces | None = None  # for pointing at a problem in the file
    command_line: frozenset[str] = frozenset()  # keys set by command-line options, not by the file

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def error(self, message: str, path: Path, *, key: bool = False) -> ConfigError:
        if path and path[0] in self.command_line:
            return ConfigError(f"--{path[0]}: {message}")
        span = self.document.locate(path, key=key) if self.document else None
        return ConfigError(message, self.file, span, self.document.text if self.document else None)

    def relative(self, key: str) -> list[FsPath]:
        value = self.data.get(key) or []
        return [self.folder / item for item in ([value] if isinstance(value, str) else value)]


def load_config(path: FsPath) -> Config:
    if path.name == "pyproject.toml":
        return _load_pyproject(path)
    document = load_validated(path, CONFIG_SCHEMA, what="configuration file", blank_ok=True)  # all defaults
    if not isinstance(document.data, dict):
        raise ConfigError("a configuration file is a mapping of settings.", str(path))
    return Config(document.data, str(path), path.parent, document)


def _as_written(value: Any) -> Any:
    """TOML dates and times as the text a YAML configuration would hold (`as-of = 2022-01-01`)."""
    if isinstance(value, dict):
        return {key: _as_written(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_written(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def _tomllib() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def _load_pyproject(path: FsPath) -> Config:
    from planlint.tomlplaces import TomlPlaces, decode_error_place

    tomllib = _tomllib()
    raw = read_file(path, what="pyproject.toml")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"this pyproject.toml cannot be read: {exc}", str(path)) from None
    try:
        table = _as_written(tomllib.loads(text).get("tool", {}).get("planlint", {}))
    except tomllib.TOMLDecodeError as exc:
        message, span = decode_error_place(str(exc))
        raise ConfigError(f"this pyproject.toml is not valid TOML: {message}", str(path), span, text) from None
    places = TomlPlaces(text)
    if not isinstance(table, dict):
        raise ConfigError("[tool.planlint] must be a table of settings.", str(path), places.locate(()), text)
    # The same plain-words validation as a YAML config, pointed at the key in the TOML text.
    document = load_text(json.dumps(table), str(path)).document  # JSON is YAML
    problems = schema_problems(document, CONFIG_SCHEMA, root="The table") if document is not None else []
    if problems:
        where, message, _ = problems[0]
        raise ConfigError(f"[tool.planlint] is not valid: {message}", str(path), places.locate(where), text)
    return Config(table, str(path), path.parent, places)


@functools.lru_cache(maxsize=None)
def find_config(folder: FsPath) -> FsPath | None:
    """The nearest configuration from `folder` upward: .planlint.yaml, or a pyproject.toml with [tool.planlint]."""
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            if _present(candidate / name):  # a pipe or a device here is an error when it is read, not passed over
                return candidate / name
        pyproject = candidate / "pyproject.toml"
        if _present(pyproject) and _names_planlint(pyproject):
            return pyproject
    return None


def _present(path: FsPath) -> bool:
    return path.is_symlink() or path.exists()


def _names_planlint(pyproject: FsPath) -> bool:
    """Whether a pyproject.toml has a [tool.planlint] table, in any TOML spelling (`[tool]` then
    `planlint = ...`, `tool.planlint.preset = ...`). One that cannot be read is taken, so that loading
    it says why."""
    try:
        raw = read_file(pyproject, what="pyproject.toml")
        text = raw.decode("utf-8")
    except (ConfigError, UnicodeDecodeError):
        return True
    if "planlint" not in text:
        return False
    tomllib = _tomllib()
    try:
        return "planlint" in tomllib.loads(text).get("tool", {})
    except (tomllib.TOMLDecodeError, AttributeError):
        return "[tool.planlint" in text  # a broken file that meant to configure planlint is an error then


@frozen
class Profile:
    """Everything needed to check a file under one configuration."""

    engine: Engine
    limits: LoadLimits
    severities: Mapping[str, Severity]
    ignored: frozenset[str]
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...]
    folder: FsPath
    rules: RuleSet
    fail_on: Severity | None = None
    exclude: tuple[str, ...] = ()  # patterns relative to `folder`
    not_plans: frozenset[FsPath] = frozenset()  # rule and framework files under this configuration
    rubric: Rubric | None = None  # the criteria the reviewer's verdicts judge
    plan_schema: str = "plan.schema.json"  # or the JSON text of the format extended by `plan-fields`
    report_skipped: bool = False  # PL011 selected: a named file that is not a plan gets an info finding
    reads: tuple[tuple[str, FsPath], ...] = ()  # every file this configuration reads, with what it is

    def excludes(self, file: FsPath, *, resolve: Callable[[FsPath], FsPath] | None = None) -> bool:
        """Whether a file found in a folder is left out: a rule or framework file, or excluded. `resolve`:
        a Resolver, for a batch's files."""
        resolve = resolve or _resolved
        resolved = resolve(file)
        if resolved in self.not_plans:
            return True
        if not self.exclude:  # nothing to match, so no path relative to the folder to make, for each file of a batch
            return False
        try:
            relative = resolved.relative_to(resolve(self.folder)).as_posix()
        except ValueError:
            return False
        return patterns.matches(relative, self.exclude)

    @functools.cached_property
    def active_codes(self) -> frozenset[str]:
        """The codes that can report: the rules this configuration runs and the core checks."""
        return frozenset(active.rule.code for active in self.engine.rules) | frozenset(CORE_CODES)

    def ignored_for(self, file: FsPath | None) -> frozenset[str]:
        if file is None or not self.per_file_ignores:
            return self.ignored
        try:
            relative = file.resolve().relative_to(self.folder.resolve()).as_posix()
        except ValueError:
            relative = file.as_posix()
        extra = {code for pattern, codes in self.per_file_ignores if matches_pattern(relative, pattern)
                 for code in codes}
        return self.ignored | extra


def configured_facts(config: Config) -> RunFacts:
    """What rules may read besides the plan: frameworks, state data, the monitoring date."""
    state_data = config.relative("state-data")
    if state_data:
        from planlint.statedata import load_state_data
    return run_facts(load_frameworks(config.relative("frameworks")),
                     load_state_data(state_data[0]) if state_data else None, config.get("as-of"))


def build_profile(config: Config) -> Profile:
    rules = load_rules(config.relative("rules"))
    selectors = _Selectors(config, rules)
    _check_always_run(config, selectors)
    preset = config.get("preset", "recommended")
    base = {r.code for r in rules if r.enabled or preset == "strict"}
    chosen = selectors.resolve("select") if "select" in config.data else base
    chosen = (chosen | selectors.resolve("extend-select")) - selectors.resolve("ignore")
    severities = {selectors.code_of(key, ("severity", key)): Severity.parse(value)
                  for key, value in config.get("severity", {}).items()}
    options = {selectors.code_of(key, ("options", key)): _checked_options(config, rules, selectors, key, value)
               for key, value in config.get("options", {}).items()}
    active = [ActiveRule(rule, severities.get(rule.code, rule.severity), rule.option_values(options.get(rule.code)))
              for rule in rules if rule.code in chosen]
    per_file = tuple((pattern, frozenset(selectors.resolve_list(codes, ("per-file-ignores", pattern))))
                     for pattern, codes in config.get("per-file-ignores", {}).items())
    _check_file_patterns(config)
    fail_on = config.get("fail-on") or ("warning" if preset == "strict" else None)
    facts = configured_facts(config)
    rubric = config.relative("rubric")
    not_plans = frozenset(_resolved(FsPath(rule.file)) for rule in rules) | frozenset(
        _resolved(path) for path in config.relative("frameworks"))
    return Profile(
        engine=Engine(tuple(active), facts),
        limits=LoadLimits(max_bytes=config.get("max-file-size", LoadLimits().max_bytes)),
        severities=severities, ignored=frozenset(selectors.resolve("ignore") & set(CORE_CODES)),
        per_file_ignores=per_file, folder=config.folder, rules=rules,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        exclude=tuple(config.get("exclude", [])), not_plans=not_plans | frozenset(_resolved(p) for p in rubric),
        report_skipped="PL011" in chosen, rubric=load_rubric(rubric[0] if rubric else None, rules.by_code),
        plan_schema=plan_schema_for(_checked_fields(config), rules), reads=_reads(config, rules),
    )


def _reads(config: Config, rules: RuleSet) -> tuple[tuple[str, FsPath], ...]:
    found = [("the configuration file", FsPath(config.file))] if config.file else []
    found += [("a rule file", FsPath(rule.file)) for rule in rules]
    found += [("a framework file", path) for path in config.relative("frameworks")]
    found += [("the rubric file", path) for path in config.relative("rubric")]
    return tuple(found + [("the state data file", path) for path in config.relative("state-data")])


def _checked_fields(config: Config) -> Mapping[str, Any]:
    from planlint.planfields import fields_problem

    declared = config.get("plan-fields", {})
    problem = fields_problem(declared, "the configuration file")
    if problem is not None:
        where, message, at_key = problem
        raise config.error(message, where, key=at_key)
    return declared


def plan_schema_for(declared: Mapping[str, Any], rules: RuleSet) -> str:
    """The plan format with the fields the configuration and its rules add: a schema file name or JSON text."""
    from planlint.planfields import extended_schema, merged, schema_key

    fields = merged([declared, *(rule.plan_fields for rule in rules)])
    return schema_key(extended_schema(fields)) if any(fields.values()) else "plan.schema.json"


def _resolved(path: FsPath) -> FsPath:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return path.absolute()


class Resolver:
    """Paths resolved as Path.resolve resolves them (a symlink loop: the absolute path), each folder once.
    A path that is not a link is its resolved folder and its name: a batch's thousands of files lie in a
    few folders, and resolving each file's path in full, part by part, was a tenth of a second or more of
    every batch, spent before any worker could start."""

    def __init__(self) -> None:
        self._folders: dict[FsPath, FsPath] = {}
        self._paths: dict[FsPath, FsPath] = {}  # discovery and exclusion ask for each file of a batch

    def __call__(self, path: FsPath) -> FsPath:
        if path not in self._paths:
            self._paths[path] = self._resolve(path)
        return self._paths[path]

    def _resolve(self, path: FsPath) -> FsPath:
        if path.name in ("", ".."):  # `.`, `/`, `folder/..`
            return self._folder(path)
        try:
            if not path.is_symlink():
                return self._folder(path.parent) / path.name
        except OSError:  # not allowed to look
            pass
        return _resolved(path)

    def _folder(self, folder: FsPath) -> FsPath:
        if folder not in self._folders:
            self._folders[folder] = _resolved(folder)
        return self._folders[folder]


def _check_file_patterns(config: Config) -> None:
    given = [(("exclude", i), pattern, False) for i, pattern in enumerate(config.get("exclude", []))]
    given += [(("per-file-ignores", pattern), pattern, True) for pattern in config.get("per-file-ignores", {})]
    for where, pattern, at_key in given:
        problem = patterns.pattern_problem(pattern)
        if problem is not None:
            raise config.error(problem, where, key=at_key)


def matches_pattern(relative: str, pattern: str) -> bool:
    """A gitignore-style pattern against a file's path relative to the config's folder: `drafts/` leaves
    out the folder, `**/old-*.yaml` such files at any depth (patterns.py)."""
    return patterns.matches(relative, (pattern,))


def _check_always_run(config: Config, selectors: "_Selectors") -> None:
    """Naming PL001-PL003 in `ignore`, `per-file-ignores` or `severity` is a mistake worth saying;
    a prefix or pack that covers them (`PL`) leaves them running."""
    named: list[tuple[Path, str]] = [(("ignore", i), s) for i, s in enumerate(config.get("ignore", []))]
    named += [(("per-file-ignores", pattern, i), s)
              for pattern, codes in config.get("per-file-ignores", {}).items() for i, s in enumerate(codes)]
    named += [(("severity", s), s) for s in config.get("severity", {})]
    for where, selector in named:
        code = selectors.core_code(selector)
        if code in ALWAYS:
            raise config.error(f"{code} ({CORE_CODES[code].name}) always runs: a plan that cannot be read, repeats "
                               "a key or does not match the format cannot be judged, so it cannot be ignored or "
                               "given another severity. Remove it.", where, key=where[0] == "severity")


def _checked_options(config: Config, rules: RuleSet, selectors: "_Selectors", key: str,
                     values: Mapping[str, Any]) -> Mapping[str, Any]:
    rule = rules.by_code[selectors.code_of(key, ("options", key))]
    for name, value in values.items():
        if name not in rule.options:
            listed = ", ".join(sorted(rule.options)) or "none"
            raise config.error(f"{rule.code} ({rule.name}) has no option \"{name}\" (its options: {listed}).",
                               ("options", key, name), key=True)
        problem = value_problem(value, dict(rule.options[name].accepts), f"The option {name}", f" of {rule.code}") \
            or rule.options[name].pattern_problem(value, f"The option {name} of {rule.code}")
        if problem is not None:
            raise config.error(f"{problem} {rule.options[name].description}", ("options", key, name))
    return values


class _Selectors:
    """Codes, code prefixes, names, packs and `all`, turned into sets of codes."""

    def __init__(self, config: Config, rules: RuleSet) -> None:
        self.config, self.rules = config, rules
        self.codes = {r.code for r in rules} | set(CORE_CODES)

    def resolve(self, key: str) -> set[str]:
        return self.resolve_list(self.config.get(key, []), (key,))

    def resolve_list(self, selectors: list[str], where: Path) -> set[str]:
        return {code for i, s in enumerate(selectors) for code in self._one(s, where + (i,))} - ALWAYS

    def core_code(self, selector: str) -> str | None:
        """The core check `selector` names exactly, by code or name."""
        return next((code for code, core in CORE_CODES.items()
                     if selector.upper() == code or selector.lower() == core.name), None)

    def code_of(self, selector: str, where: Path) -> str:
        codes = self._one(selector, where)
        if len(codes) != 1:
            raise self.config.error(f"\"{selector}\" names {len(codes)} rules here; name one rule by its code "
                                    "or name.", where, key=True)
        return next(iter(codes))

    def _one(self, selector: str, where: Path) -> set[str]:
        if selector.lower() == "all":
            return {r.code for r in self.rules}
        rule = self.rules.find(selector)
        core = self.core_code(selector)
        if rule is not None or core is not None:
            return {rule.code if rule else core}
        found = {r.code for r in self.rules if r.pack == selector.lower() or r.code.startswith(selector.upper())}
        found |= {c for c in CORE_CODES if c.startswith(selector.upper())}
        if not found:
            raise self.config.error(f"\"{selector}\" is not a rule code, code prefix, rule name or pack. "
                                    "`planlint rules` lists them.", where)
        return found
