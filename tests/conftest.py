"""Shared fixtures: the backend-parametrised ``store`` fixture.

Every test that takes ``store`` runs once per available backend: the embedded SQLite store
always, Neo4j when ``NEO4J_URI`` (+ ``NEO4J_USER``, ``NEO4J_PASSWORD``, optional
``NEO4J_DATABASE``) is set; otherwise the Neo4j variant is reported as skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.store import GraphStore

BACKENDS = ["sqlite", "neo4j"]


def make_store(backend: str, tmp_path: Path) -> GraphStore:
    """A fresh, empty, initialised store of ``backend`` (skips Neo4j without a server)."""
    if backend == "sqlite":
        from graph.backends.sqlite.store import SqliteStore

        store: GraphStore = SqliteStore(tmp_path / "store")
        store.init()
        return store
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        pytest.skip("Neo4j tests need NEO4J_URI (+ NEO4J_USER, NEO4J_PASSWORD); not set")
    from graph.backends.neo4j.store import open_neo4j_store

    store = open_neo4j_store(
        uri,
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        os.environ.get("NEO4J_DATABASE", "neo4j"),
    )
    store.init()
    store.wipe()  # type: ignore[attr-defined]  # test-only: the database is the test's alone
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each available backend."""
    s = make_store(str(request.param), tmp_path)
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[GraphStore]:
    """An empty embedded store (for tests about the embedded store only)."""
    s = make_store("sqlite", tmp_path)
    try:
        yield s
    finally:
        s.close()
