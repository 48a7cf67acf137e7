"""The layers hold: no module imports what its layer's rule forbids.

The rules (see docs/architecture.md):

- ``graph.analysis`` is pure: it never imports a backend, the importers, the schema, the API, or a
  service that reaches the store;
- ``graph.backends`` never import the analyses, the importers, the schema or the API;
- ``schema`` never imports a backend (it reaches the store through the port in the request context);
- ``graph.model`` imports nothing else of kamgraph but itself;
- ``importers`` never import the schema or the API.

Imports are read from the source with :mod:`ast` (also those inside functions and under
``TYPE_CHECKING``), so a lazy import cannot hide a violation.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (layer prefix, forbidden prefixes) — a module of the layer may import none of them.
RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("graph.analysis", ("graph.backends", "graph.services", "importers", "schema", "api")),
    ("graph.backends", ("graph.analysis", "graph.services", "importers", "schema", "api")),
    (
        "graph.model",
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
        "import networkx as nx\nfrom graph.model import Account\nfrom .config import X\n", encoding="utf-8"
    )
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "app.py").write_text("from graph.backends import open_store\n", encoding="utf-8")
    assert violations(tmp_path) == []
