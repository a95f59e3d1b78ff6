"""Checks of a rule file's options and examples when it loads, each a ConfigError at its place:
option and plan field schemas that reach outside the file or use a pattern RE2 cannot run, defaults and example
options the schema refuses, options an example names that the rule does not have, example state data
that does not read."""

from __future__ import annotations

from pathlib import Path as FsPath
from collections.abc import Mapping
from typing import Any

from planlint.config_error import ConfigError
from planlint.findings import Path
from planlint.loader import Document
from planlint.planfields import fields_problem
from planlint.safeschema import schema_problem
from planlint.schema import value_problem

def check_options_and_examples(path: FsPath, data: Mapping[str, Any], document: Document, *,
                               accepts: Mapping[str, dict]) -> None:
    """`accepts`: each option's schema, or its default's kind where it has none."""
    def error(message: str, where: Path, *, key: bool = False) -> ConfigError:
        return ConfigError(message, str(path), document.locate(where, key=key), document.text)

    fields = fields_problem(data.get("plan-fields", {}), "the rule file")
    if fields is not None:
        where, message, at_key = fields
        raise error(message, where, key=at_key)
    options = data.get("options", {})
    for name, spec in options.items():
        schema = spec.get("schema", {})
        problem = schema_problem(schema)
        if problem is not None:
            where, message, at_key = problem
            raise error(f"the schema of the option {name}: {message}", ("options", name, "schema", *where),
                        key=at_key)
        if spec["default"] is not None or not schema:
            problem_text = value_problem(spec["default"], accepts[name], f"The default of {name}")
            if problem_text:
                raise error(problem_text, ("options", name, "default"))
    for kind in ("pass", "fail"):
        for index, example in enumerate(data["examples"][kind]):
            _check_example(example, ("examples", kind, index), accepts, error)


def _check_example(example: Mapping[str, Any], where: Path, accepts: Mapping[str, dict], error: Any) -> None:
    for name, value in example.get("options", {}).items():
        if name not in accepts:
            listed = ", ".join(sorted(accepts)) or "none"
            raise error(f"this example sets the option \"{name}\", which the rule does not have (its options: "
                        f"{listed}).", where + ("options", name), key=True)
        problem = value_problem(value, accepts[name], f"The option {name}")
        if problem:
            raise error(f"in this example: {problem}", where + ("options", name))
    if "state_data" in example:
        from planlint.statedata import parse_state_data

        try:
            parse_state_data(example["state_data"], "state_data")
        except ConfigError as exc:
            line = f" (line {exc.span.line} of the CSV)" if exc.span else ""
            raise error(f"this example's state_data cannot be read{line}: {exc.message}",
                        where + ("state_data",)) from None


def check_pattern_options(path: FsPath, data: Mapping[str, Any], document: Document, names: frozenset[str]) -> None:
    """The default and example values of the options a rule gives matches() as its pattern: each must
    be a pattern matches() can run, or the rule would fail on every plan."""
    from planlint.lang.patterns import pattern_problem

    places: list[tuple[Path, Any]] = [(("options", name, "default"), data["options"][name]["default"])
                                      for name in sorted(names) if name in data.get("options", {})]
    places += [(("examples", kind, index, "options", name), example["options"][name])
               for kind in ("pass", "fail") for index, example in enumerate(data["examples"][kind])
               for name in sorted(names) if name in example.get("options", {})]
    for where, value in places:
        problem = pattern_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise ConfigError(f"the option {where[-2] if where[-1] == 'default' else where[-1]} is the pattern of a "
                              f"matches() in this rule: {problem}.", str(path), document.locate(where), document.text)
