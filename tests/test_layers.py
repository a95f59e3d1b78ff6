"""planlint's import graph is layered: the language at the bottom, no cycle, no import from a layer above.

The graph is read from the source with `ast`, imports inside functions included, and a module
imported through a package counts as importing the package too (its __init__ runs first).
`python tests/import_graph.py` prints the graph.
"""

from __future__ import annotations

import ast

import pytest
from import_graph import PACKAGE, cycles, import_graph, module_names

# Bottom first. A module may import modules of its own layer or of a layer below, never above.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("language", ("planlint.lang",)),
    ("files and findings", (
        "planlint", "planlint.frozen", "planlint.findings", "planlint.printable", "planlint.core_codes", "planlint.config_error",
        "planlint.resources", "planlint.input_guards", "planlint.loader", "planlint.schema", "planlint.config_files",
        "planlint.tomlplaces", "planlint.rulecache", "planlint.suppressions", "planlint.baseline",
        "planlint.discovery", "planlint.identity", "planlint.patterns", "planlint.planfields", "planlint.scorecard",
        "planlint.safeschema", "planlint.schoolyears", "planlint.digests")),
    ("domain", (
        "planlint.frameworks", "planlint.statedata", "planlint.planning", "planlint.benchmark",
        "planlint.facts", "planlint.domain", "planlint.prepare", "planlint.rubric", "planlint.planinfo")),
    ("function registry", ("planlint.functions",)),
    ("rules and engine", (
        "planlint.rules", "planlint.rule_format", "planlint.rulechecks", "planlint.engine", "planlint.config",
        "planlint.ruletest", "planlint.pipeline", "planlint.ruledocs", "planlint.expressiondocs", "planlint.fixes",
        "planlint.resultcache")),
    ("output", ("planlint.reporters", "planlint.forecast")),
    ("command line", (
        "planlint.rule_info", "planlint.write_guard", "planlint.check_command", "planlint.forecast_command",
        "planlint.show_settings", "planlint.server", "planlint.cli", "planlint.__main__", "planlint.fixes.command",
        "planlint.progress")),
)
GRAPH = import_graph()


def layer_of(module: str) -> int:
    """The layer of the longest prefix listed (planlint.lang.ast is in planlint.lang's layer)."""
    found = [(len(prefix), index) for index, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes
             if module == prefix or (prefix != "planlint" and module.startswith(prefix + "."))]
    if not found:
        raise AssertionError(f"{module} has no layer: add it to LAYERS in {__file__}")
    return max(found)[1]


def test_the_graph_is_read_from_every_module() -> None:
    assert len(GRAPH) > 60
    assert "planlint.lang.ast" in GRAPH["planlint.lang.parser"]
    assert "planlint.lang" in GRAPH["planlint.rules"]


def test_the_language_imports_nothing_else_of_planlint() -> None:
    outside = {f"{name} -> {target}" for name, targets in GRAPH.items() if name.startswith("planlint.lang")
               for target in targets if not target.startswith("planlint.lang")}
    assert outside == set()


def test_no_cycle() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_imports_from_a_layer_above_it(module: str) -> None:
    mine = layer_of(module)
    upward = [f"{target} ({LAYERS[layer_of(target)][0]})" for target in sorted(GRAPH[module])
              if layer_of(target) > mine]
    assert upward == [], f"{module} ({LAYERS[mine][0]}) imports from above"


def test_the_language_opens_no_file_but_its_own_grammar() -> None:
    """No call in planlint/lang reads or writes a file, a socket or a process; the parser reads grammar.lark."""
    io_names = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "urlopen", "system", "popen",
                "Popen", "socket", "remove", "unlink", "mkdir"}
    found = []
    for name, file in module_names().items():
        if not name.startswith("planlint.lang"):
            continue
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if called in io_names:
                    found.append(f"{name}: {called}()")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                found += [f"{name}: import {m}" for m in modules
                          if m.split(".")[0] in ("os", "io", "subprocess", "socket", "urllib", "shutil")]
    assert found == ["planlint.lang.parser: read_text()"]
    assert (PACKAGE / "lang" / "grammar.lark").is_file()
