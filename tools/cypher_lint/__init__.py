"""Check every Cypher statement of the Neo4j backend with Neo4j's own linter.

The statements are the module-level ``UPPER_CASE`` string constants of every module of the
``graph.backends.neo4j`` package. They are checked offline by the npm package
``@neo4j-cypher/language-support`` (``lintCypherQuery(query, {defaultLanguage: 'CYPHER 5'})``),
installed in ``tools/cypher-lint`` by ``(cd tools/cypher-lint && npm ci)``, through the small
node script ``tools/cypher-lint/lint.mjs``. Only undefined-parameter diagnostics are ignored
(the package's ``isNotParamError``): values are parameters supplied at run time. The labels and
relationship types of the package's whitelists (``LABELS``, ``RELATIONSHIP_TYPES``) are given to
the linter as the database schema, so a misspelt label is reported too.

Every diagnostic, warnings included, fails the check. A missing ``node`` or a missing npm
package fails it as well: the check never passes without having run.

Run as ``python -m tools.cypher_lint [PACKAGE ...]`` (exit status 0 only when every statement
is clean, 1 when the linter reports anything, 2 when it cannot run).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import shutil
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

__all__ = [
    "DEFAULT_PACKAGES",
    "LINT_DIR",
    "PACKAGE",
    "Diagnostic",
    "LintSetupError",
    "collect_schema",
    "collect_statements",
    "lint_statements",
    "main",
]

#: Folder of the node script and its npm package.
LINT_DIR = Path(__file__).resolve().parents[1] / "cypher-lint"
#: The packages whose Cypher constants are linted by default.
DEFAULT_PACKAGES: tuple[str, ...] = ("graph.backends.neo4j",)
#: The npm package that lints.
PACKAGE = "@neo4j-cypher/language-support"
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SEVERITY = {1: "error", 2: "warning", 3: "information", 4: "hint"}


class LintSetupError(RuntimeError):
    """The linter cannot run (no ``node``, the npm package not installed, a crash)."""


@dataclass(frozen=True)
class Diagnostic:
    """One finding of the linter about the statement named ``name``."""

    name: str
    severity: str
    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.name}:{self.line}:{self.column}: {self.severity}: {self.message}"


def _modules(package: str) -> Iterable[ModuleType]:
    root = importlib.import_module(package)
    yield root
    for info in pkgutil.walk_packages(getattr(root, "__path__", []), prefix=f"{package}."):
        yield importlib.import_module(info.name)


def collect_statements(packages: Sequence[str] = DEFAULT_PACKAGES) -> dict[str, str]:
    """Every module-level ``UPPER_CASE`` str constant of the packages' modules, by qualified name.

    A constant imported from another module is collected once, under its defining module.
    """
    statements: dict[str, str] = {}
    for package in packages:
        for module in _modules(package):
            for name, value in vars(module).items():
                if not _CONSTANT.match(name) or not isinstance(value, str):
                    continue
                if any(value is seen for seen in statements.values()):
                    continue
                statements[f"{module.__name__}.{name}"] = value
    return statements


def collect_schema(packages: Sequence[str] = DEFAULT_PACKAGES) -> tuple[list[str], list[str]]:
    """The whitelisted labels and relationship types (``LABELS``, ``RELATIONSHIP_TYPES``)."""
    labels: set[str] = set()
    types: set[str] = set()
    for package in packages:
        for module in _modules(package):
            labels |= set(getattr(module, "LABELS", ()))
            types |= set(getattr(module, "RELATIONSHIP_TYPES", ()))
    return sorted(labels), sorted(types)


def lint_statements(
    statements: Mapping[str, str],
    labels: Sequence[str] | None = None,
    relationship_types: Sequence[str] | None = None,
    lint_dir: Path = LINT_DIR,
) -> list[Diagnostic]:
    """Lint ``statements`` (name -> Cypher); return every diagnostic except undefined parameters.

    Raises :class:`LintSetupError` when ``node`` or the npm package is missing or the script fails.
    """
    node = shutil.which("node")
    if node is None:
        raise LintSetupError("node is not installed: the Cypher lint needs Node.js and npm")
    if not (lint_dir / "node_modules" / PACKAGE / "package.json").is_file():
        raise LintSetupError(
            f"{PACKAGE} is not installed: run (cd tools/cypher-lint && npm ci) "
            "or bash scripts/setup.sh --lint"
        )
    payload: dict[str, object] = {
        "statements": [{"name": name, "query": query} for name, query in statements.items()]
    }
    if labels is not None:
        payload["labels"] = list(labels)
    if relationship_types is not None:
        payload["relationshipTypes"] = list(relationship_types)
    proc = subprocess.run(
        [node, str(lint_dir / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=lint_dir,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise LintSetupError(f"the Cypher lint script failed (exit {proc.returncode}): {proc.stderr.strip()}")
    try:
        answer = json.loads(proc.stdout)
        results = answer["results"]
    except (ValueError, KeyError, TypeError) as exc:
        raise LintSetupError(f"the Cypher lint script answered garbage: {proc.stdout[:200]!r}") from exc
    if len(results) != len(statements):
        raise LintSetupError(f"the Cypher lint script checked {len(results)} of {len(statements)} statements")
    return [
        Diagnostic(
            name=result["name"],
            severity=_SEVERITY.get(int(d["severity"]), str(d["severity"])),
            message=str(d["message"]),
            line=int(d["line"]),
            column=int(d["column"]),
        )
        for result in results
        for d in result["diagnostics"]
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Lint every Cypher constant of the packages named in ``argv`` (default: the Neo4j
    backend); print every finding; return 0 when clean, 1 on findings, 2 when it cannot run."""
    packages = tuple(argv) if argv else DEFAULT_PACKAGES
    statements = collect_statements(packages)
    if not statements:
        print(f"cypher-lint: error: no Cypher statement found in {', '.join(packages)}")
        return 2
    labels, types = collect_schema(packages)
    try:
        diagnostics = lint_statements(statements, labels or None, types or None)
    except LintSetupError as exc:
        print(f"cypher-lint: error: {exc}")
        return 2
    for diagnostic in diagnostics:
        print(diagnostic)
    if diagnostics:
        names = len({d.name for d in diagnostics})
        print(f"cypher-lint: {len(diagnostics)} problem(s) in {names} of {len(statements)} statements")
        return 1
    print(f"cypher-lint: {len(statements)} statements clean ({PACKAGE}, CYPHER 5)")
    return 0
