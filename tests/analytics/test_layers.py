"""The engine's packages import one another in one direction only: no cycle between packages.

A package is ``analytics.<name>`` (a subpackage, or a top-level module such as ``analytics.filters``).
Every import counts, the ones inside functions too: a cycle hidden in a function is still a cycle.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "analytics"


def _package(module: str) -> str | None:
    """``analytics.hotspots.ranking`` -> ``analytics.hotspots``; None for what is not an engine module."""
    parts = module.split(".")
    if parts[0] != "analytics" or len(parts) < 2:
        return None
    path = ROOT.joinpath(*parts[:2])
    return ".".join(parts[:2]) if path.with_suffix(".py").exists() or (path / "__init__.py").exists() else None


def package_imports() -> dict[str, dict[str, set[str]]]:
    """package -> imported package -> the files that import it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path in ENGINE.rglob("*.py"):
        source = _package(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for target in {_package(name) for name in names} - {None, source}:
                graph[source][target].add(str(path.relative_to(ROOT)))
    return graph


def cycles(graph: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_packages() -> None:
    graph = package_imports()
    assert graph["analytics.exporting"]["analytics.hotspots"]  # the walk sees real imports
    problems = [
        f"{a} -> {b} ({', '.join(sorted(graph[a][b]))})"
        for component in cycles(graph)
        for a in component
        for b in component
        if b in graph.get(a, {})
    ]
    assert not problems, "import cycle between packages:\n" + "\n".join(problems)


def test_the_check_finds_a_cycle() -> None:
    graph = {"a": {"b": {"a.py"}}, "b": {"c": {"b.py"}}, "c": {"a": {"c.py"}}, "d": {"a": {"d.py"}}}
    assert cycles(graph) == [["a", "b", "c"]]
