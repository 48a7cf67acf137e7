"""Shared fixtures: the backend-parametrised ``store`` fixture and the live Neo4j they may use.

Every test that takes ``store`` runs once per available backend: the embedded SQLite store
always, Neo4j when ``NEO4J_URI`` (+ ``NEO4J_USER``, ``NEO4J_PASSWORD``, optional
``NEO4J_DATABASE``) is set; otherwise the Neo4j variant is reported as skipped with the reason.
``scripts/test.sh`` starts a test Neo4j (``scripts/neo4j.sh``) and sets them.

* **One server, one database.** Neo4j Community has one user database, so the Neo4j cases share
  it: each gets it wiped (:func:`make_store`), and all of them run in one ``xdist_group``
  (``--dist loadgroup``), one after another on one worker.
* **The settings stay out of the app.** The ``NEO4J_*`` variables are moved out of the
  environment when the tests start (the API settings would otherwise point every app of the
  API tests at the server); :func:`neo4j_config` hands them to the tests that ask.
* **Every Cypher constant runs.** With ``KAMGRAPH_CYPHER_COVERAGE=1`` (set by
  ``scripts/test.sh`` for a whole run), the statements sent to the server are recorded, and the
  run fails at its end when a Cypher constant of ``graph.backends.neo4j`` was never executed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from graph.store import RECORD_KINDS, GraphStore

BACKENDS = ["sqlite", "neo4j"]
NEO4J_GROUP = "neo4j"
_SETTINGS = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
_STASH = "KAMGRAPH_TEST_"
_SKIP_REASON = "Neo4j tests need NEO4J_URI (+ NEO4J_USER, NEO4J_PASSWORD); not set"


def _stash_settings() -> None:
    for name in _SETTINGS:
        if name in os.environ:
            os.environ[_STASH + name] = os.environ.pop(name)


_stash_settings()


@dataclass(frozen=True)
class Neo4jConfig:
    """Where the test Neo4j is."""

    uri: str
    user: str
    password: str
    database: str


def neo4j_config() -> Neo4jConfig | None:
    """The test Neo4j given to the run, or ``None`` when there is none."""
    uri = os.environ.get(_STASH + "NEO4J_URI")
    if not uri:
        return None
    return Neo4jConfig(
        uri,
        os.environ.get(_STASH + "NEO4J_USER", "neo4j"),
        os.environ.get(_STASH + "NEO4J_PASSWORD", ""),
        os.environ.get(_STASH + "NEO4J_DATABASE", "neo4j"),
    )


def require_neo4j() -> Neo4jConfig:
    """The test Neo4j, or skip the test with the reason."""
    config = neo4j_config()
    if config is None:
        pytest.skip(_SKIP_REASON)
    return config


def make_store(backend: str, tmp_path: Path) -> GraphStore:
    """A fresh, empty, initialised store of ``backend`` (skips Neo4j without a server)."""
    if backend == "sqlite":
        from graph.backends.sqlite.store import SqliteStore

        store: GraphStore = SqliteStore(tmp_path / "store")
        store.init()
        return store
    config = require_neo4j()
    from graph.backends.neo4j.store import open_neo4j_store

    store = open_neo4j_store(config.uri, config.user, config.password, config.database)
    store.init()
    store.wipe()  # test-only: the database is the tests' alone
    return store


def copy_records(source: GraphStore, target: GraphStore, batch_size: int = 10_000) -> None:
    """Write every record of ``source`` into ``target`` (nodes before the lines between them),
    and its reference date: without it the copy would be analysed as of today."""
    from importers.demo import batches

    records = (record for kind in RECORD_KINDS for record in source.iter_records(kind))
    target.write_many(batches(records, batch_size))
    target.set_reference_date(source.reference_date())


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


@pytest.fixture
def neo4j_store(tmp_path: Path) -> Iterator[GraphStore]:
    """An empty Neo4j store (skips without a server)."""
    s = make_store("neo4j", tmp_path)
    try:
        yield s
    finally:
        s.close()


# -- grouping the Neo4j cases ------------------------------------------------------------------


def _uses_neo4j(item: pytest.Item) -> bool:
    if item.get_closest_marker("neo4j") is not None:
        return True
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "neo4j" in callspec.params.values():
        return True
    return "neo4j_store" in getattr(item, "fixturenames", ())


# tryfirst: xdist's own hook reads the xdist_group marks, so they must be on the items first.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _uses_neo4j(item):
            item.add_marker(pytest.mark.xdist_group(NEO4J_GROUP))


_NEO4J_ID = re.compile(r"[\[-]neo4j[\]-]")  # the backend parameter in a test id


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node: Any, ids: list[str]) -> None:
    # xdist groups by a suffix it writes into the node ids; when a pytest/xdist pairing stops
    # doing that (pytest-xdist#1386), two workers would wipe the one database under each other.
    if node.config.getvalue("dist") != "loadgroup" or neo4j_config() is None:
        return
    ungrouped = [i for i in ids if _NEO4J_ID.search(i) and not i.endswith("@" + NEO4J_GROUP)]
    if ungrouped:
        pytest.exit(
            f"{len(ungrouped)} Neo4j cases are not in the xdist group {NEO4J_GROUP!r} "
            f"(first: {ungrouped[0]}); this pytest/pytest-xdist pairing does not group",
            returncode=pytest.ExitCode.USAGE_ERROR,
        )


# -- every Cypher constant runs against the server ---------------------------------------------

_executed: set[str] = set()


def _coverage_on() -> bool:
    return os.environ.get("KAMGRAPH_CYPHER_COVERAGE") == "1" and neo4j_config() is not None


def pytest_configure(config: pytest.Config) -> None:
    if not _coverage_on():
        return
    import neo4j

    def recording(method: Any) -> Any:
        def run(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            _executed.add(query if isinstance(query, str) else str(getattr(query, "text", query)))
            return method(self, query, *args, **kwargs)

        return run

    neo4j.Driver.execute_query = recording(neo4j.Driver.execute_query)  # type: ignore[method-assign]
    neo4j.ManagedTransaction.run = recording(neo4j.ManagedTransaction.run)  # type: ignore[method-assign]
    neo4j.Session.run = recording(neo4j.Session.run)  # type: ignore[method-assign]


@pytest.hookimpl(optionalhook=True)  # xdist's hook: a run with -p no:xdist has none
def pytest_testnodedown(node: Any, error: Any) -> None:
    """On the controller: collect what an xdist worker executed."""
    _executed.update(getattr(node, "workeroutput", {}).get("kamgraph_cypher", ()))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _coverage_on():
        return
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand the statements to the controller
        workeroutput["kamgraph_cypher"] = sorted(_executed)
        return
    from tools.cypher_lint import collect_statements

    missing = sorted(name for name, text in collect_statements().items() if text not in _executed)
    session.config.stash[_MISSING] = missing
    if missing and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_MISSING = pytest.StashKey[list[str]]()


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    missing = config.stash.get(_MISSING, None)
    if missing is None:
        return
    if missing:
        terminalreporter.section("Cypher never executed against the server", sep="=", red=True)
        for name in missing:
            terminalreporter.line(f"FAILED {name}: no test ran it on Neo4j")
    else:
        terminalreporter.line("every Cypher constant of graph.backends.neo4j ran against the server")
