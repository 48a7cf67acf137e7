"""The port is the union of its protocols, and every backend implements all of them."""

from __future__ import annotations

import pytest

from graph.backends.neo4j.store import Neo4jStore
from graph.backends.sqlite.store import SqliteStore
from graph.store import AnalysisStore, GraphReader, GraphStore, GraphWriter, ResultStore, TokenStore

PROTOCOLS = (GraphReader, GraphWriter, TokenStore, ResultStore)


def _methods(cls: type) -> set[str]:
    return {name for name, value in vars(cls).items() if callable(value) and not name.startswith("_")}


def test_the_port_is_the_union_of_its_protocols() -> None:
    assert set(PROTOCOLS) <= set(GraphStore.__mro__)
    concerns = [_methods(p) for p in PROTOCOLS]
    assert sum(len(c) for c in concerns) == len(set().union(*concerns))  # each method has one concern
    assert _methods(GraphStore) == {
        "init",
        "close",
        "ping",
    }  # the lifecycle; the rest comes from the protocols
    assert _methods(AnalysisStore) == set()  # reads and results, nothing of its own


@pytest.mark.parametrize("backend", [SqliteStore, Neo4jStore])
def test_every_backend_implements_every_protocol(backend: type) -> None:
    assert issubclass(backend, GraphStore) and set(PROTOCOLS) <= set(backend.__mro__)
    assert not getattr(backend, "__abstractmethods__", frozenset())
