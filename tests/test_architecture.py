"""The layers hold: no module imports what its layer's rule forbids.

The rules (see docs/architecture.md):

- ``graph.analysis`` is pure: it never imports a backend, the importers, the schema, the API, a
  service, or the port's store classes (``GraphStore`` and its protocols); the records it takes
  come from ``graph.records`` (or their re-export in ``graph.store``);
- ``graph.services`` never import a backend, the importers, the schema or the API;
- ``graph.backends`` never import the analyses, the services, the importers, the schema or the API;
- ``schema`` never imports a backend (it reaches the store through the port in the request context);
- ``graph.model`` imports nothing else of kamgraph but itself; ``graph.records`` only the model;
- ``importers`` never import the schema, the API or the analyses (they call the services).

Imports are read from the source with :mod:`ast` (also those inside functions and under
``TYPE_CHECKING``), so a lazy import cannot hide a violation.

The schema's modules import each other without a cycle: types sit in leaf modules and the
resolvers above them. Only module-level imports count there (an import inside a function or
under ``TYPE_CHECKING`` runs after every module is loaded, which is how a type refers to the
resolvers above it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The port's store classes: an analysis takes records, never a store.
PORT_CLASSES: tuple[str, ...] = tuple(
    f"graph.store.{name}"
    for name in ("GraphStore", "GraphReader", "GraphWriter", "TokenStore", "ResultStore", "AnalysisStore")
)

#: (layer prefix, forbidden prefixes) — a module of the layer may import none of them.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("graph.analysis", ("graph.backends", "graph.services", "importers", "schema", "api", *PORT_CLASSES)),
    ("graph.services", ("graph.backends", "importers", "schema", "api")),
    ("graph.backends", ("graph.analysis", "graph.services", "importers", "schema", "api")),
    (
        "graph.model",
        ("graph.analysis", "graph.backends", "graph.services", "graph.store", "importers", "schema", "api"),
    ),
    (
        "graph.records",
        ("graph.analysis", "graph.backends", "graph.services", "graph.store", "importers", "schema", "api"),
    ),
    ("schema", ("graph.backends",)),
    ("importers", ("schema", "api", "graph.analysis")),
)


def module_name(path: Path, root: Path) -> str:
    """The dotted module name of ``path`` below ``root`` (``pkg/__init__.py`` is ``pkg``)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, module: str) -> Iterator[tuple[int, list[str]]]:
    """For each import statement of ``path``: its line and the absolute names it may import."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, [alias.name]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # ``from graph import backends`` imports the module graph.backends.
            yield node.lineno, [target, *(f"{target}.{alias.name}" for alias in node.names)]


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path) -> list[str]:
    """``file:line: module imports forbidden`` for every broken rule in the tree at ``root``."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in {"tests", "bench", "tools", ".venv", "docs"} or "node_modules" in rel.parts:
            continue
        module = module_name(path, root)
        for layer, forbidden in RULES:
            if not _within(module, layer):
                continue
            for line, targets in imported_modules(path, module):
                for bad in forbidden:
                    hit = next((t for t in targets if _within(t, bad)), None)
                    if hit is not None:
                        found.append(f"{rel}:{line}: {module} imports {hit} ({layer} may not import {bad})")
    return sorted(set(found))


def test_the_layers_hold() -> None:
    assert violations(ROOT) == []


@pytest.mark.parametrize(
    ("relpath", "source", "expected"),
    [
        ("graph/analysis/bad.py", "from graph.backends.sqlite import SqliteStore\n", "graph.backends.sqlite"),
        (
            "graph/analysis/lazy.py",
            "def f():\n    import graph.backends.neo4j.store\n",
            "graph.backends.neo4j.store",
        ),
        ("graph/analysis/rel.py", "from ..backends import sqlite\n", "graph.backends"),
        ("graph/analysis/svc.py", "from graph import services\n", "graph.services"),
        (
            "graph/analysis/port.py",
            "from graph.store import AccountSubgraph, GraphStore\n",
            "graph.store.GraphStore",
        ),
        ("graph/analysis/reads.py", "from graph.store import GraphReader\n", "graph.store.GraphReader"),
        ("graph/services/x.py", "from graph.backends.sqlite import SqliteStore\n", "graph.backends.sqlite"),
        ("graph/backends/x/svc.py", "from graph.services.refresh import refresh\n", "graph.services.refresh"),
        ("graph/records.py", "from graph.store import GraphBatch\n", "graph.store"),
        ("graph/backends/x/store.py", "from graph.analysis.risk import threads\n", "graph.analysis.risk"),
        ("schema/types.py", "from graph.backends import open_store\n", "graph.backends"),
    ],
)
def test_a_forbidden_import_is_found(tmp_path: Path, relpath: str, source: str, expected: str) -> None:
    path = tmp_path / relpath
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    [problem] = violations(tmp_path)
    assert problem.startswith(f"{relpath}:")
    assert f"imports {expected} " in problem


def test_allowed_imports_are_not_reported(tmp_path: Path) -> None:
    path = tmp_path / "graph" / "analysis" / "ok.py"
    path.parent.mkdir(parents=True)
    path.write_text(
        "import networkx as nx\nfrom graph.model import Account\nfrom .config import X\n"
        "from graph.records import AccountSubgraph\nfrom graph.store import JobChange, Neighbourhood\n",
        encoding="utf-8",
    )
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "app.py").write_text("from graph.backends import open_store\n", encoding="utf-8")
    assert violations(tmp_path) == []


# -- import cycles inside schema/ ---------------------------------------------------------------


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """The import statements run when the module is loaded (not in functions, classes' methods
    or under ``if TYPE_CHECKING``)."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _module_level_imports(node.body)
            yield from _module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _module_level_imports(block)
        elif isinstance(node, ast.With | ast.ClassDef):
            yield from _module_level_imports(node.body)


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Each module of ``package`` (below ``root``) and the modules of the package it imports when loaded.

    ``from pkg import name`` imports the module ``pkg.name`` when there is one, else ``pkg``; a
    module's own package (run first by Python whatever the module imports) is not counted.
    """
    paths = {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        base_package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in _module_level_imports(tree.body):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
                continue
            if node.level:
                parts = base_package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                target = ".".join([*parts, node.module] if node.module else parts)
            else:
                target = node.module or ""
            for alias in node.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in paths else target)
        graph[module] = {m for m in found if m in paths and m != module}
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of ``graph``: each strongly connected group of two modules or more, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(cycles)


def test_the_schema_has_no_import_cycle() -> None:
    assert import_cycles(import_graph(ROOT, "schema")) == []


def test_an_import_cycle_is_found(tmp_path: Path) -> None:
    files = {
        "__init__.py": "from schema.queries import Query\n",
        "types.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from schema.queries import Query\n",
        "queries.py": "from schema.types import Account\nfrom schema import connection\n",
        "connection.py": "from . import queries\n\ndef f():\n    from schema.types import Account\n",
        "enums.py": "from schema import types\n",
    }
    (tmp_path / "schema").mkdir()
    for name, source in files.items():
        (tmp_path / "schema" / name).write_text(source, encoding="utf-8")
    graph = import_graph(tmp_path, "schema")
    assert graph["schema.types"] == set()  # under TYPE_CHECKING
    assert graph["schema.connection"] == {"schema.queries"}  # the import in the function is not counted
    assert graph["schema.enums"] == {"schema.types"}  # ``from pkg import module`` is the module
    assert import_cycles(graph) == [["schema.connection", "schema.queries"]]
