"""Faults of the Neo4j backend, on a real, private test server that the tests stop and restart.

One server per module (``scripts/neo4j.sh start`` with its own state folder and a persistent data
folder, so the database survives a restart; every start gets a new port and a new password,
which the tests read again from ``scripts/neo4j.sh env``). No server is mocked:

* an import cut by a server stop fails with one clear :class:`~graph.store.StoreUnavailableError`,
  and once the server is back, running the whole import again completes with the same graph and
  the same data versions as the embedded store loaded with the same records;
* a read of an account's subgraph while a transaction rewrites that account sees the complete old
  or the complete new state, never a mix (on Neo4j through the account's lock);
* when the server goes away, a store call raises one clear error naming the URI but not the
  password, the API's ``/readyz`` answers 503 with a JSON body at once, and the ``kamgraph`` CLI
  whose import the stop cut prints one line on stderr, not the driver's retry warnings.

The tests that need no server (the CLI against an unreachable URI, the driver's log records made
DEBUG) run everywhere.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.backends.neo4j.store import Neo4jStore, open_neo4j_store
from graph.backends.sqlite.store import SqliteStore
from graph.model import Employment
from graph.store import AccountSubgraph, GraphBatch, GraphStore, StoreUnavailableError, kind_of
from importers import demo
from importers.base import load_records
from importers.export import export_store

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "neo4j.sh"
UNREACHABLE = "bolt://127.0.0.1:1"

_NO_JAVA = shutil.which("java") is None or shutil.which("mvn") is None
#: The marks of a test on the private server: the Neo4j group, and a skip without Java.
SERVER_MARKS = (
    pytest.mark.neo4j,
    pytest.mark.skipif(
        _NO_JAVA,
        reason="the Neo4j fault tests start their own server (scripts/neo4j.sh), which needs java "
        "and mvn on PATH (scripts/setup.sh --neo4j)",
    ),
)
_F = TypeVar("_F", bound=Callable[..., Any])


def needs_server(test: _F) -> _F:
    """Mark ``test`` as one on the private server (:data:`SERVER_MARKS`)."""
    for mark in SERVER_MARKS:
        test = mark(test)
    return test


BATCH = 500  # records per batch of the cut import: 15 batches
CUT_AFTER = 2  # batches written before the server is stopped


# -- the private server ------------------------------------------------------------------------


@dataclass
class PrivateServer:
    """A test Neo4j of ``scripts/neo4j.sh`` with its own state and a persistent data folder."""

    state: Path
    data: Path
    uri: str = ""
    password: str = ""

    def _run(self, command: str, timeout: float = 240) -> str:
        env = {**os.environ, "KAMGRAPH_NEO4J_STATE": str(self.state), "KAMGRAPH_NEO4J_DATA": str(self.data)}
        done = subprocess.run(
            ["bash", str(SCRIPT), command], env=env, capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, f"scripts/neo4j.sh {command} failed:\n{done.stderr}"
        return done.stdout

    def start(self) -> None:
        """Start the server; a restart listens on a new port with a new password."""
        self._run("start")
        settings = dict(
            word.split("=", 1) for word in shlex.split(self._run("env")) if "=" in word and word != "export"
        )
        self.uri, self.password = settings["NEO4J_URI"], settings["NEO4J_PASSWORD"]

    def stop(self) -> None:
        """Stop the server (SIGTERM: a clean shutdown) and wait until it is gone."""
        self._run("stop", timeout=120)

    @property
    def running(self) -> bool:
        return (self.state / "uri").exists()

    def ensure_running(self) -> None:
        if not self.running:
            self.start()

    def open(self) -> Neo4jStore:
        store = open_neo4j_store(self.uri, "neo4j", self.password, "neo4j")
        store.init()
        return store


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateServer]:
    """One private server for the module, stopped however the module ends."""
    base = tmp_path_factory.mktemp("neo4j-faults")
    private = PrivateServer(base / "state", base / "data")
    try:
        private.start()
        yield private
    finally:
        private.stop()


def _assert_one_clear_line(message: str, uri: str, password: str) -> None:
    assert "\n" not in message.strip(), message
    assert uri in message, message
    assert password not in message, message


# -- 1. a server stopped in the middle of an import, then started again ------------------------


def _exported(store: GraphStore, out: Path) -> dict[str, bytes]:
    export_store(store, out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@needs_server
def test_an_import_cut_by_a_server_stop_fails_clearly_and_runs_again_to_the_same_graph(
    server: PrivateServer, tmp_path: Path
) -> None:
    server.ensure_running()
    records = list(demo.generate("demo", 7))
    store = server.open()
    store.wipe()
    stopper = threading.Thread(target=server.stop)

    def cut() -> Iterator[Any]:
        for n, record in enumerate(records):
            if n == BATCH * CUT_AFTER:  # batches 1..CUT_AFTER are written: stop while the next runs
                stopper.start()
            yield record
        stopper.join()  # the last batches and the final bump meet a server that is going or gone

    uri, password = server.uri, server.password
    started = time.monotonic()
    try:
        with pytest.raises(StoreUnavailableError) as info:
            load_records(store, cut(), chunk_size=BATCH)
    finally:
        store.close()
    failed_after = time.monotonic() - started
    _assert_one_clear_line(str(info.value), uri, password)
    assert str(info.value).startswith(f"cannot reach Neo4j at {uri}"), info.value
    assert failed_after < 60, f"the cut import took {failed_after:.0f}s to fail"

    server.start()  # the same data folder; a new port and password
    assert (server.uri, server.password) != (uri, password)
    store = server.open()
    try:
        # The batches written before the stop are kept: every record of theirs except the new
        # interactions, which the import's writer transactions create beside the next batches
        # (those in flight at the stop are created by the run below).
        kept = store.counts()
        before_stop = Counter(kind_of(r) for r in records[: BATCH * CUT_AFTER])
        lost = {k: n - kept[k] for k, n in before_stop.items() if k != "interaction" and kept[k] < n}
        assert not lost, f"records of the batches written before the stop were lost: {lost}"
        assert not any(store.data_versions().values()), "the cut import bumped data versions"

        load_records(store, iter(records), chunk_size=BATCH)  # the whole import, again

        reference = SqliteStore(tmp_path / "sqlite")
        reference.init()
        try:
            load_records(reference, iter(records), chunk_size=BATCH)
            assert _exported(store, tmp_path / "neo4j-export") == _exported(
                reference, tmp_path / "sqlite-export"
            )
            # Every changed account got one bump: none stayed behind, none was bumped twice.
            assert store.data_versions() == reference.data_versions()
            assert set(store.data_versions().values()) == {1}
        finally:
            reference.close()
    finally:
        store.close()


# -- 2. a read during a write sees the old or the new state ------------------------------------


def _busiest_account(records: list[Any]) -> str:
    per_account: dict[str, int] = {}
    for r in records:
        if isinstance(r, Employment):
            per_account[r.account_id] = per_account.get(r.account_id, 0) + 1
    return max(sorted(per_account), key=lambda a: per_account[a])


def _rewrite(old: AccountSubgraph, tag: str) -> GraphBatch:
    """One batch rewriting the account, all its contacts, positions and interactions."""

    def tagged(text: str | None) -> str:
        return (text or "").removesuffix(" #new") + tag

    return GraphBatch(
        accounts=[replace(old.account, name=tagged(old.account.name))],
        contacts=[replace(c, title=tagged(c.title)) for c in old.contacts],
        employments=[replace(e, department=tagged(e.department)) for e in old.employments],
        interactions=[replace(i, subject=tagged(i.subject)) for i in old.interactions],
    )


def _mix(seen: AccountSubgraph, old: AccountSubgraph, new: AccountSubgraph) -> str:
    parts = []
    for f in fields(AccountSubgraph):
        mine = getattr(seen, f.name)
        parts.append(
            f"{f.name}={'old' if mine == getattr(old, f.name) else 'new' if mine == getattr(new, f.name) else 'mixed'}"
        )
    return " ".join(parts)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("neo4j", marks=SERVER_MARKS),
    ]
)
def demo_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """The demo portfolio on each backend (Neo4j: the private server)."""
    records = list(demo.generate("demo", 7))
    store: GraphStore
    if request.param == "sqlite":
        store = SqliteStore(tmp_path / "store")
        store.init()
        load_records(store, iter(records), chunk_size=2000)
    else:
        private: PrivateServer = request.getfixturevalue("server")
        private.ensure_running()
        store = private.open()
        if store.counts()["account"] != demo.expected_counts("demo", 7)["accounts"]:
            store.wipe()
            load_records(store, iter(records), chunk_size=2000)
    try:
        yield store
    finally:
        store.close()


def test_a_read_during_a_write_sees_the_old_or_the_new_state(demo_store: GraphStore) -> None:
    store = demo_store
    day = demo.REFERENCE_DATE
    account_id = _busiest_account(list(demo.generate("demo", 7)))
    old = store.account_subgraph(account_id, day)
    assert len(old.contacts) >= 10 and len(old.interactions) >= 50, "pick a bigger account"
    store.write(_rewrite(old, " #new"))
    new = store.account_subgraph(account_id, day)
    store.write(_rewrite(old, ""))
    assert store.account_subgraph(account_id, day) == old
    assert new != old and all(getattr(new, f) != getattr(old, f) for f in ("account", "contacts"))

    seen: list[AccountSubgraph] = []
    writing = threading.Event()
    writing.set()

    def reader() -> None:
        while writing.is_set():
            seen.append(store.account_subgraph(account_id, day))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for _ in range(15):  # each write is one transaction changing every part of the subgraph
            store.write(_rewrite(old, " #new"))
            store.write(_rewrite(old, ""))
    finally:
        writing.clear()
        thread.join()
    assert len(seen) >= 5, f"only {len(seen)} reads ran during the writes"
    mixed = [s for s in seen if s != old and s != new]
    assert not mixed, f"{len(mixed)} of {len(seen)} reads saw a mix, e.g. {_mix(mixed[0], old, new)}"


# -- 3. and 4. a server that goes away ---------------------------------------------------------


class Relay:
    """A TCP relay from a loopback port to the server, to stop the server at a known moment.

    Once the clients have sent ``cut_after`` bytes through it, it passes no byte on (the client's
    transaction stays open on the server), calls ``on_cut`` (which stops the server) and then
    closes its port and every connection: from then on the client meets what a stopped server
    gives, a refused connection.
    """

    def __init__(self, upstream: str, cut_after: int, on_cut: Callable[[], None]) -> None:
        host, _, port = upstream.removeprefix("bolt://").rpartition(":")
        self._upstream = (host, int(port))
        self._cut_after = cut_after
        self._on_cut = on_cut
        self._sent = 0
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.cut = threading.Event()
        self.dropped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.uri = f"bolt://127.0.0.1:{self._listener.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.dropped.is_set():
            try:
                client, _ = self._listener.accept()
                server = socket.create_connection(self._upstream, timeout=10)
                server.settimeout(None)
            except OSError:
                return
            with self._lock:
                self._sockets += [client, server]
            threading.Thread(target=self._pump, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, False), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, counted: bool) -> None:
        try:
            while data := source.recv(65536):
                if counted:
                    with self._lock:
                        self._sent += len(data)
                        cutting = self._sent >= self._cut_after and not self.cut.is_set()
                        if cutting:
                            self.cut.set()
                    if cutting:
                        threading.Thread(target=self._cut, daemon=True).start()
                if self.cut.is_set():
                    self.dropped.wait()
                    return
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                _close(s)

    def _cut(self) -> None:
        try:
            self._on_cut()
        finally:
            self.drop()

    def drop(self) -> None:
        """Close the port and every connection."""
        self.dropped.set()
        _close(self._listener)
        with self._lock:
            for s in self._sockets:
                _close(s)


def _close(s: socket.socket) -> None:
    with contextlib.suppress(OSError):
        s.shutdown(socket.SHUT_RDWR)
    s.close()


def _cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """The ``kamgraph`` command line as a process of its own (no logging set up by pytest)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KAMGRAPH_"))}
    clean["PYTHONPATH"] = str(ROOT)
    clean["KAMGRAPH_DATA_DIR"] = str(cwd / "data")
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", *args],
        env={**clean, **env},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass
class Gone:
    """What was open when the server went away."""

    store: Neo4jStore
    client: TestClient
    cli: subprocess.Popen[str]
    uri: str
    password: str
    relay_uri: str
    cut: threading.Event


@pytest.fixture(scope="module")
def gone(server: PrivateServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gone]:
    """A store, the API and a ``kamgraph demo`` run open on the server, then the server stopped
    while the CLI's import transaction is open."""
    tmp = tmp_path_factory.mktemp("gone")
    server.ensure_running()
    uri, password = server.uri, server.password
    store = server.open()
    store.wipe()  # the CLI's import writes every record
    app = create_app(
        Settings(
            data_dir=tmp / "app-data",
            environment="production",
            neo4j_uri=uri,
            neo4j_user="neo4j",
            neo4j_password=password,
            neo4j_database="neo4j",
        )
    )
    # 200 kB: far more than opening the store and the schema take, far less than the import.
    relay = Relay(uri, cut_after=200_000, on_cut=server.stop)
    with TestClient(app) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.json() == {"status": "ready", "store": "neo4j"}
        cli = _cli(["demo", "--quiet"], {"NEO4J_URI": relay.uri, "NEO4J_PASSWORD": password}, tmp)
        try:
            assert relay.dropped.wait(90), "the CLI's import never got going"
            assert not server.running
            yield Gone(store, client, cli, uri, password, relay.uri, relay.cut)
        finally:
            relay.drop()
            if cli.poll() is None:
                cli.kill()
            cli.communicate()
            store.close()


@needs_server
def test_a_store_call_after_the_server_stopped_raises_one_clear_error(gone: Gone) -> None:
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError) as info:
        gone.store.counts()  # the driver retries for its retry budget, then gives up
    assert time.monotonic() - started < 60
    _assert_one_clear_line(str(info.value), gone.uri, gone.password)
    assert str(info.value).startswith(f"cannot reach Neo4j at {gone.uri}: ")

    started = time.monotonic()
    with pytest.raises(StoreUnavailableError) as info:
        gone.store.ping()  # no retries: a readiness check answers at once
    assert time.monotonic() - started < 5
    _assert_one_clear_line(str(info.value), gone.uri, gone.password)


@needs_server
def test_readyz_answers_503_with_json_when_neo4j_is_gone(gone: Gone) -> None:
    started = time.monotonic()
    response = gone.client.get("/readyz")
    assert time.monotonic() - started < 5, "/readyz waited for the driver's retries"
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "unavailable", "store": "neo4j"}
    assert gone.password not in response.text


@needs_server
def test_the_cli_prints_one_line_when_the_server_stops_mid_import(gone: Gone) -> None:
    out, err = gone.cli.communicate(timeout=90)
    assert gone.cut.is_set()
    assert gone.cli.returncode == 3, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1, f"stderr of `kamgraph demo` is not one line:\n{err}"
    assert lines[0].startswith(f"error: store unavailable: cannot reach Neo4j at {gone.relay_uri}"), err
    assert gone.password not in err


# -- without a server ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["init"], ["export", "out"], ["token", "list"]], ids=" ".join)
def test_the_cli_against_an_unreachable_server_prints_one_line(tmp_path: Path, command: list[str]) -> None:
    cli = _cli(command, {"NEO4J_URI": UNREACHABLE, "NEO4J_PASSWORD": "hunter2-secret"}, tmp_path)
    out, err = cli.communicate(timeout=60)
    assert cli.returncode == 3, (out, err)
    assert err.splitlines() == [err.strip()] and err.strip(), err
    assert err.startswith(f"error: store unavailable: cannot reach Neo4j at {UNREACHABLE}: "), err
    assert "hunter2-secret" not in err + out


_DRIVER_LOG_PROBE = """
import logging, sys
from graph.backends.neo4j.store import open_neo4j_store
from graph.store import StoreUnavailableError
if sys.argv[1] == "debug":
    logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s %(message)s")
try:
    open_neo4j_store("bolt://127.0.0.1:1", "neo4j", "hunter2-secret")
except StoreUnavailableError:
    pass
logging.getLogger("neo4j.pool").warning("Transaction failed and will be retried in %ss (%s)", 1.0, "gone")
"""


@pytest.mark.parametrize("logging_asked", [False, True], ids=["no-logging", "debug-logging"])
def test_driver_log_records_are_debug_records(logging_asked: bool) -> None:
    # A process of its own: pytest's log capture would put its handler on the driver's logger.
    done = subprocess.run(
        [sys.executable, "-c", _DRIVER_LOG_PROBE, "debug" if logging_asked else "quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    retry_lines = [line for line in done.stderr.splitlines() if "will be retried" in line]
    if logging_asked:
        assert retry_lines == ["DEBUG neo4j.pool Transaction failed and will be retried in 1.0s (gone)"]
    else:
        assert done.stderr == ""
