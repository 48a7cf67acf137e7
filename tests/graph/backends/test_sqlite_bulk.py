# mypy: disable-error-code="arg-type"
# (the model parses enum fields from their string values; the tests use those strings)
"""The embedded store's bulk-load path: new interactions go straight into the table batch by
batch, and a write falls back to the stage when it meets a stored or repeated interaction.

Whichever path a write takes, the store must read the same afterwards, and a failure anywhere
in the stream must leave the store as it was.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from graph.backends.sqlite.store import SqliteStore
from graph.model import Account, Contact, Employment, Interaction, Staff, TeamMembership
from graph.store import RECORD_KINDS, GraphBatch, GraphStore, IntegrityError

T0 = datetime(2024, 1, 1, tzinfo=UTC)
DAYS = (date(2024, 3, 1), date(2025, 1, 1))
KINDS = ("call", "meeting", "email", "exec_visit")


def nodes() -> GraphBatch:
    """Three accounts, twelve contacts (four each), two staff on every team."""
    accounts = ["a0", "a1", "a2"]
    return GraphBatch(
        accounts=[Account(a, a.upper()) for a in accounts],
        contacts=[Contact(f"c{i}", f"Contact {i}") for i in range(12)],
        staff=[Staff("s0", "Sam"), Staff("s1", "Sue")],
        employments=[Employment(f"c{i}", accounts[i % 3], since=date(2020, 1, 1)) for i in range(12)],
        team_memberships=[
            TeamMembership(s, a, "account_rep" if s == "s0" else "delivery_lead", since=date(2020, 1, 1))
            for a in accounts
            for s in ("s0", "s1")
        ],
    )


def interactions(first: int, n: int, seed: int) -> list[Interaction]:
    """``n`` seeded interactions (ids from ``first``): a staff member and contacts of one account,
    about it, one in ten about two accounts and one in twenty about none."""
    rng = random.Random(seed)
    out = []
    for i in range(first, first + n):
        a = rng.randrange(3)
        people = {f"c{a + 3 * rng.randrange(4)}" for _ in range(rng.randint(1, 3))} | {f"s{rng.randrange(2)}"}
        accounts: tuple[str, ...] = (f"a{a}",)
        if i % 10 == 3:
            accounts = (f"a{a}", f"a{(a + 1) % 3}")
        elif i % 20 == 7:
            accounts = ()
        at = T0 + timedelta(days=rng.randrange(500), seconds=rng.randrange(86_400))
        out.append(
            Interaction(f"i{i:05d}", rng.choice(KINDS), at, participants=tuple(people), accounts=accounts)
        )
    return out


def in_batches(records: list[Interaction], size: int) -> list[GraphBatch]:
    return [GraphBatch(interactions=records[k : k + size]) for k in range(0, len(records), size)]


def reads(store: GraphStore) -> dict[str, Any]:
    """Everything the store answers about its records: every record, and the subgraph and the
    neighbourhood reads of every account and person on two days."""
    people = [p.id for p in store.iter_records("contact")] + [s.id for s in store.iter_records("staff")]
    return {
        "records": {kind: list(store.iter_records(kind)) for kind in RECORD_KINDS},
        "counts": store.counts(),
        "subgraphs": {
            (a.id, day): store.account_subgraph(a.id, day)
            for a in store.iter_records("account")
            for day in DAYS
        },
        "neighbourhoods": {(p, day): store.neighbourhood([p], day) for p in people for day in DAYS},
    }


def open_store(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    store.init()
    return store


def test_a_bulk_load_reads_the_same_as_staged_writes_of_the_same_data(tmp_path: Path) -> None:
    data = interactions(0, 600, seed=1)
    # the bulk path: an empty store, nodes and interactions in one stream of several batches
    bulk = open_store(tmp_path / "bulk")
    summary = bulk.write_many([nodes(), *in_batches(data, 150)])
    assert summary.kinds["interaction"].created == 600
    # the staged path: other interactions under the same ids first, then the data over them
    staged = open_store(tmp_path / "staged")
    staged.write(nodes())
    decoys = [
        Interaction(i.id, "support", i.at - timedelta(days=30), participants=("s1", "c11"), accounts=("a2",))
        for i in data
    ]
    staged.write_many(in_batches(decoys, 150))
    again = staged.write_many(in_batches(data, 150))
    assert (again.kinds["interaction"].created, again.kinds["interaction"].updated) == (0, 600)
    assert reads(bulk) == reads(staged)
    # and one record at a time
    single = open_store(tmp_path / "single")
    single.write(nodes())
    for record in data:
        single.write(GraphBatch(interactions=[record]))
    assert reads(bulk) == reads(single)
    assert bulk.data_versions() == {"a0": 1, "a1": 1, "a2": 1}
    for store in (bulk, staged, single):
        store.close()


def test_a_stored_interaction_midway_sends_the_whole_write_to_the_stage(tmp_path: Path) -> None:
    stored = interactions(0, 100, seed=2)
    new = interactions(100, 300, seed=3)
    changed = Interaction(
        stored[5].id, "exec_visit", stored[5].at, participants=("s0", "c0"), accounts=("a0",)
    )
    # two batches of new ones go in directly, the third meets stored ids (one of them changed)
    stream = [*in_batches(new[:200], 100), GraphBatch(interactions=[*stored[:10], changed, *new[200:]])]
    store = open_store(tmp_path / "midway")
    store.write_many([nodes(), *in_batches(stored, 50)])
    summary = store.write_many(stream)
    counts = summary.kinds["interaction"]
    assert (counts.created, counts.updated, counts.unchanged) == (300, 1, 9)
    # the same final data written into an empty store in one go
    reference = open_store(tmp_path / "reference")
    final = {i.id: i for i in [*stored, *new]} | {changed.id: changed}
    reference.write_many([nodes(), GraphBatch(interactions=sorted(final.values(), key=lambda i: i.id))])
    assert reads(store) == reads(reference)
    store.close()
    reference.close()


def test_a_repeated_id_late_in_a_bulk_load_lets_the_last_record_win(tmp_path: Path) -> None:
    data = interactions(0, 400, seed=4)
    last = Interaction(data[10].id, "email", data[10].at, participants=("s1", "c2"), accounts=("a2",))
    store = open_store(tmp_path / "repeat")
    summary = store.write_many([nodes(), *in_batches(data, 100), GraphBatch(interactions=[last])])
    assert (summary.kinds["interaction"].created, summary.kinds["interaction"].updated) == (400, 0)
    reference = open_store(tmp_path / "reference")
    reference.write_many([nodes(), GraphBatch(interactions=[*data[:10], last, *data[11:]])])
    assert reads(store) == reads(reference)
    store.close()
    reference.close()


def failing_streams() -> Iterator[tuple[str, list[GraphBatch] | Iterator[GraphBatch], type[Exception], str]]:
    data = interactions(0, 300, seed=5)
    ghost = Interaction("ghost-call", "call", T0, participants=("s0", "nobody"), accounts=("a0",))
    yield (
        "unknown participant",
        [*in_batches(data, 100), GraphBatch(interactions=[ghost])],
        IntegrityError,
        "nobody",
    )
    lost = Interaction("lost-call", "call", T0, participants=("s0", "c0"), accounts=("nowhere",))
    yield (
        "unknown account",
        [*in_batches(data, 100), GraphBatch(interactions=[lost])],
        IntegrityError,
        "nowhere",
    )
    wrong = GraphBatch(interactions=[*data[:5], Staff("s9", "Not an interaction")])  # type: ignore[list-item]
    yield "a wrong record type", [*in_batches(data, 100), wrong], TypeError, "holds a Staff"

    def breaking() -> Iterator[GraphBatch]:
        yield from in_batches(data, 100)
        raise RuntimeError("the source broke")

    yield "a source that breaks", breaking(), RuntimeError, "broke"


@pytest.mark.parametrize("empty", [True, False], ids=["empty store", "populated store"])
def test_a_failure_anywhere_in_a_bulk_load_leaves_the_store_unchanged(tmp_path: Path, empty: bool) -> None:
    store = open_store(tmp_path / "store")
    first: list[GraphBatch] = [nodes()]
    if not empty:
        store.write_many([nodes(), *in_batches(interactions(1000, 200, seed=6), 100)])
        first = []
    before = reads(store)
    versions = store.data_versions()
    for label, stream, error, match in failing_streams():
        with pytest.raises(error, match=match):
            store.write_many([*first, *stream])
        assert reads(store) == before, label
        assert store.data_versions() == versions, label
    # and the store still takes the same data afterwards
    assert (
        store.write_many([*first, *in_batches(interactions(0, 300, seed=5), 100)])
        .kinds["interaction"]
        .created
        == 300
    )
    store.close()


def test_both_paths_report_a_missing_participant_alike(tmp_path: Path) -> None:
    ghosts = [
        Interaction(f"g{i}", "call", T0, participants=("s0", "nobody", f"c{i}"), accounts=("a0",))
        for i in range(5)
    ]
    messages = []
    for name, staged in (("direct", False), ("staged", True)):
        store = open_store(tmp_path / name)
        store.write(nodes())
        if staged:  # the first of them stored already: the write goes to the stage
            store.write(GraphBatch(interactions=[Interaction("g0", "email", T0, participants=("s0",))]))
        with pytest.raises(IntegrityError) as caught:
            store.write(GraphBatch(interactions=ghosts))
        messages.append(caught.value.problems)
        store.close()
    assert (
        messages[0]
        == messages[1]
        == ["interaction 'g0', 'g1', 'g2' and 2 more: participant 'nobody' does not exist"]
    )
