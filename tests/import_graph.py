"""planlint's import graph, read from the source with `ast` (nothing is imported).

`python tests/import_graph.py [package folder]` prints each module and the planlint modules it
imports, at the top or inside a function alike; a cycle or an upward import shows here first.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "planlint"


def module_names(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by its dotted name (a package by its __init__)."""
    found = {}
    for file in sorted(package.rglob("*.py")):
        parts = file.relative_to(package.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = file
    return found


def imports_of(name: str, file: Path, known: set[str]) -> set[str]:
    """The planlint modules `name` imports anywhere in its source, typing-only imports included."""
    package = name if file.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # `from planlint.lang import ast` imports the module ast; `from planlint import __version__`
            # imports the package itself.
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                         for alias in node.names)
    modules = {_owner(target, known) for target in found} - {"", name}
    # Importing planlint.lang.ast first runs planlint/lang/__init__.py: a package that is not one
    # of the importer's own is imported with each of its modules.
    own = {name.rsplit(".", depth)[0] for depth in range(name.count(".") + 1)}
    return modules | {package for module in modules for package in _packages(module, known) if package not in own}


def _packages(module: str, known: set[str]) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[:end]) for end in range(1, len(parts)) if ".".join(parts[:end]) in known}


def _owner(target: str, known: set[str]) -> str:
    """The module a dotted import names: `planlint.lang.ast.Expr` is planlint.lang.ast."""
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    modules = module_names(package)
    return {name: imports_of(name, file, set(modules)) for name, file in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of two or more modules (Tarjan's algorithm), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def main(argv: list[str]) -> None:
    graph = import_graph(Path(argv[0]) if argv else PACKAGE)
    for name in sorted(graph):
        print(f"{name} -> {', '.join(sorted(graph[name])) or '(nothing of planlint)'}")
    for group in cycles(graph):
        print(f"cycle: {' <-> '.join(group)}")


if __name__ == "__main__":
    main(sys.argv[1:])
