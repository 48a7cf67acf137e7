# mypy: disable-error-code="arg-type"
# (the model parses enum fields from their string values; the tests use those strings)
"""Behaviour of the embedded SQLite store only: the file, its schema version, several processes
and threads at once, and the single-transaction stream write."""

from __future__ import annotations

import gc
import multiprocessing
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.backends import open_store
from graph.backends.sqlite import sql
from graph.backends.sqlite.store import FILE_NAME, SqliteStore
from graph.model import Account, Contact, Employment, InfluenceLine, Interaction, Staff
from graph.store import GraphBatch, GraphStore, IntegrityError, StoreError, StoreUnavailableError

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def base_batch() -> GraphBatch:
    return GraphBatch(
        accounts=[Account("acme", "Acme")],
        contacts=[Contact(f"c{i}", f"Contact {i}") for i in range(5)],
        staff=[Staff("s1", "Sam")],
        employments=[Employment(f"c{i}", "acme", since=date(2020, 1, 1)) for i in range(5)],
    )


def interaction_batch(n: int, size: int) -> GraphBatch:
    return GraphBatch(
        interactions=[
            Interaction(f"b{n:03d}-{i:04d}", "call", T0, participants=("s1", f"c{i % 5}"), accounts=("acme",))
            for i in range(size)
        ]
    )


def write_batches(data_dir: str, batches: int, size: int) -> None:
    """Run in another process: write ``batches`` batches of ``size`` interactions."""
    store = SqliteStore(Path(data_dir))
    try:
        for n in range(batches):
            store.write(interaction_batch(n, size))
    finally:
        store.close()


def test_init_creates_the_file_in_wal_mode_with_the_schema_version(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "data")
    assert not (tmp_path / "data").exists()
    store.init()
    store.init()  # idempotent
    path = tmp_path / "data" / FILE_NAME
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == sql.SCHEMA_VERSION
    finally:
        conn.close()
    store.close()


def test_a_store_that_was_never_initialised(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    with pytest.raises(StoreError, match="run init"):
        store.counts()
    with pytest.raises(StoreUnavailableError, match=FILE_NAME):
        store.ping()
    store.close()


def test_an_older_file_is_migrated_on_open_and_a_newer_one_refused(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / FILE_NAME).close()  # an empty file: schema version 0
    store = SqliteStore(tmp_path)
    assert store.counts()["account"] == 0
    store.close()
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == sql.SCHEMA_VERSION
    conn.execute(f"PRAGMA user_version = {sql.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        SqliteStore(tmp_path).counts()


def test_a_version_1_file_keeps_its_people_and_gains_the_staff_leaving_day(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    for statement in sql.SCHEMA_V1:
        conn.execute(statement)
    conn.execute(
        "INSERT INTO person (id, kind, name, email, title, department, level, influence, stance, "
        "political_status, team_role) VALUES ('s1', 'staff', 'Sam', NULL, NULL, NULL, 'executive', "
        "NULL, NULL, NULL, 'account_rep')"
    )
    for cid in ("c1", "c2"):
        conn.execute(
            "INSERT INTO person (id, kind, name, email, title, department, level, influence, stance, "
            "political_status, team_role) VALUES (?, 'contact', ?, NULL, NULL, NULL, NULL, NULL, 'neutral', "
            "NULL, NULL)",
            (cid, cid.upper()),
        )
    conn.execute("INSERT INTO influence_line (source_id, target_id, weight) VALUES ('c2', 'c1', 0.7)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    store = SqliteStore(tmp_path)
    assert store.get_people(["s1"])["s1"] == Staff("s1", "Sam", level="executive", team_role="account_rep")
    # the influence line keeps its weight and becomes of kind "influences"; a second kind fits beside it
    assert list(store.iter_records("influence_line")) == [InfluenceLine("c2", "c1", 0.7)]
    store.write(GraphBatch(influence_lines=[InfluenceLine("c2", "c1", 0.9, "advises")]))
    assert [line.key for line in store.iter_records("influence_line")] == [
        ("c2", "c1", "advises"),
        ("c2", "c1", "influences"),
    ]
    store.write(GraphBatch(staff=[Staff("s1", "Sam", level="executive", until=date(2025, 1, 31))]))
    assert store.get_people(["s1"])["s1"].until == date(2025, 1, 31)  # type: ignore[union-attr]
    store.close()


def test_factory_opens_the_embedded_store(tmp_path: Path) -> None:
    store = open_store(data_dir=tmp_path)
    assert isinstance(store, SqliteStore)
    store.init()
    store.ping()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def test_write_many_is_one_transaction(sqlite_store: GraphStore) -> None:
    sqlite_store.write(base_batch())
    before = sqlite_store.counts()
    bad = GraphBatch(employments=[Employment("c1", "ghost")])
    with pytest.raises(IntegrityError, match="ghost"):
        sqlite_store.write_many([interaction_batch(0, 10), interaction_batch(1, 10), bad])
    assert sqlite_store.counts() == before


def test_write_many_last_record_wins_across_batches(sqlite_store: GraphStore) -> None:
    first = GraphBatch(accounts=[Account("a", "First")])
    second = GraphBatch(accounts=[Account("a", "Second")])
    summary = sqlite_store.write_many([first, second])
    assert summary.kinds["account"].created == 1
    assert sqlite_store.get_accounts(["a"])["a"].name == "Second"


def test_interactions_repeated_or_partly_changed_in_a_stream(sqlite_store: GraphStore) -> None:
    sqlite_store.write(base_batch())
    day = date(2025, 1, 1)
    first = Interaction("i1", "call", T0, participants=("s1", "c1"), accounts=("acme",))
    second = Interaction("i1", "meeting", T0, participants=("s1", "c2"))
    summary = sqlite_store.write_many([GraphBatch(interactions=[first]), GraphBatch(interactions=[second])])
    assert summary.kinds["interaction"].created == 1
    assert list(sqlite_store.iter_records("interaction")) == [second]
    assert [i.id for i in sqlite_store.neighbourhood(["c2"], day).interactions] == ["i1"]
    assert sqlite_store.neighbourhood(["c1"], day).interactions == ()
    many = interaction_batch(0, 20)
    sqlite_store.write(many)
    changed = [
        *many.interactions[:19],
        Interaction(many.interactions[19].id, "email", T0, participants=("c4",)),
    ]
    summary = sqlite_store.write(GraphBatch(interactions=changed))
    assert (summary.kinds["interaction"].updated, summary.kinds["interaction"].unchanged) == (1, 19)
    assert [
        i.participants for i in sqlite_store.neighbourhood(["c4"], day).interactions if i.source == "manual"
    ]


def test_a_write_stream_may_read_but_not_write(sqlite_store: GraphStore) -> None:
    sqlite_store.write(base_batch())

    def stream() -> Iterator[GraphBatch]:
        known = sqlite_store.find_people_by_email(["nobody@x.org"])
        yield GraphBatch(contacts=[Contact("c9", "Nine")] if not known else [])
        assert sqlite_store.get_people(["c1"])  # reads see the state before the write
        yield interaction_batch(0, 3)

    assert sqlite_store.write_many(stream()).kinds["interaction"].created == 3

    def writing_stream() -> Iterator[GraphBatch]:
        sqlite_store.write(GraphBatch(accounts=[Account("x", "X")]))
        yield GraphBatch()

    with pytest.raises(StoreError, match="write_many"):
        sqlite_store.write_many(writing_stream())
    assert sqlite_store.get_accounts(["x"]) == {}
    assert sqlite_store.counts()["interaction"] == 3


def test_ids_that_need_escaping_round_trip(sqlite_store: GraphStore) -> None:
    odd = ['q"uote', "back\\slash", "tab\there", "ünï", "new\nline"]
    batch = GraphBatch(
        accounts=[Account('a"1', "Odd", domains=("odd.example",))],
        contacts=[Contact(pid, "Odd") for pid in odd],
        interactions=[Interaction("i\\1", "call", T0, participants=tuple(odd), accounts=('a"1',))],
    )
    sqlite_store.write(batch)
    assert sqlite_store.write(batch).changed == 0
    stored = list(sqlite_store.iter_records("interaction"))
    assert stored == batch.interactions
    assert [i.id for i in sqlite_store.neighbourhood(['q"uote'], date(2025, 1, 1)).interactions] == ["i\\1"]
    sub = sqlite_store.account_subgraph('a"1', date(2025, 1, 1))
    assert sub.interactions == tuple(batch.interactions)


def test_timestamps_far_from_the_epoch_round_trip_exactly(sqlite_store: GraphStore) -> None:
    # reads take a fast float path within 2**32 s of the epoch and an exact one outside it
    days = [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1833, 11, 24, 17, 31, 45, 1, tzinfo=UTC),
        datetime(1969, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC),
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2024, 2, 29, 12, 0, 0, 500_000, tzinfo=UTC),
        datetime(2106, 2, 7, 6, 28, 15, 999_999, tzinfo=UTC),
        datetime(2106, 2, 7, 6, 28, 16, tzinfo=UTC),
        datetime(9999, 12, 30, 23, 59, 59, 999_999, tzinfo=UTC),
    ]
    sqlite_store.write(base_batch())
    batch = GraphBatch(
        interactions=[
            Interaction(f"t{n}", "call", at, participants=("s1", "c0"), accounts=("acme",))
            for n, at in enumerate(days)
        ]
    )
    sqlite_store.write(batch)
    sub = sqlite_store.account_subgraph("acme", date(9999, 12, 30))
    assert [i.at for i in sub.interactions] == days
    assert sub.interactions == tuple(batch.interactions)
    assert sorted(sqlite_store.iter_records("interaction"), key=lambda i: i.at) == batch.interactions


def test_a_write_pauses_the_garbage_collector_only_while_it_runs(sqlite_store: GraphStore) -> None:
    assert gc.isenabled()
    sqlite_store.write(base_batch())
    assert gc.isenabled()
    with pytest.raises(IntegrityError):
        sqlite_store.write(GraphBatch(employments=[Employment("c0", "nowhere")]))
    assert gc.isenabled()
    gc.disable()
    try:
        sqlite_store.write(interaction_batch(0, 3))
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_bad_input_is_refused_clearly(sqlite_store: GraphStore) -> None:
    with pytest.raises(TypeError, match="contact list holds a Staff"):
        sqlite_store.write(GraphBatch(contacts=[Staff("s", "S")]))  # type: ignore[list-item]
    with pytest.raises(StoreError, match="invalid cursor"):
        sqlite_store.list_accounts(after="not-a-cursor")
    with pytest.raises(StoreError, match="first"):
        sqlite_store.list_accounts(first=0)
    with pytest.raises(StoreError, match="unknown record kind"):
        list(sqlite_store.iter_records("nodes"))


def test_a_writer_process_and_a_reader_never_see_half_a_batch(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    store.init()
    store.write(base_batch())
    batches, size = 25, 200
    writer = multiprocessing.get_context("fork").Process(
        target=write_batches, args=(str(tmp_path), batches, size)
    )
    writer.start()
    try:
        while writer.is_alive():
            total = store.counts()["interaction"]
            sub = store.account_subgraph("acme", date(2025, 1, 1))
            assert total % size == 0
            assert len(sub.interactions) % size == 0
            assert len(sub.interactions) >= total  # the subgraph was read later, never earlier
    finally:
        writer.join(timeout=120)
    assert writer.exitcode == 0
    assert store.counts()["interaction"] == batches * size
    assert store.data_versions()["acme"] >= 1
    store.close()


def test_threads_share_one_store(sqlite_store: GraphStore) -> None:
    sqlite_store.write(base_batch())
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(5):
                if n == 0:
                    sqlite_store.write(interaction_batch(k, 50))
                else:
                    assert sqlite_store.counts()["interaction"] % 50 == 0
                    sqlite_store.account_subgraph("acme", date(2025, 1, 1))
                    sqlite_store.list_accounts()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sqlite_store.counts()["interaction"] == 250


def test_a_bulk_load_finds_interactions_about_none_one_or_several_accounts(sqlite_store: GraphStore) -> None:
    # the bulk path groups the postings per first account, then per person
    sqlite_store.write(base_batch())
    sqlite_store.write(GraphBatch(accounts=[Account("beta", "Beta")], contacts=[Contact("b1", "Bo")]))
    batches = [
        GraphBatch(
            interactions=[
                Interaction("none", "call", T0, participants=("s1", "b1")),
                Interaction("both", "call", T0, participants=("c1", "b1"), accounts=("acme", "beta")),
            ]
        ),
        GraphBatch(
            interactions=[
                Interaction("beta-only", "call", T0, participants=("s1", "b1"), accounts=("beta",)),
                Interaction("acme-only", "email", T0, participants=("c2",), accounts=("acme",)),
            ]
        ),
    ]
    summary = sqlite_store.write_many(batches)
    assert summary.kinds["interaction"].created == 4
    day = date(2025, 1, 1)
    assert [i.id for i in sqlite_store.account_subgraph("acme", day).interactions] == ["acme-only", "both"]
    assert [i.id for i in sqlite_store.account_subgraph("beta", day).interactions] == ["beta-only", "both"]
    assert [i.id for i in sqlite_store.neighbourhood(["b1"], day).interactions] == [
        "beta-only",
        "both",
        "none",
    ]
    assert [i.id for i in sqlite_store.neighbourhood(["c2"], day).interactions] == ["acme-only"]
