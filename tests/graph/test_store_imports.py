# mypy: disable-error-code="arg-type"
# (the model parses enum fields from their string values; the tests use those strings)
"""More of the GraphStore port on every backend: imports of many batches, and rare edits.

* An import (:meth:`GraphStore.write_many`) bumps the data version of each account it changed
  exactly once, however many batches touched it; an import that died half-way and is run
  again leaves each changed account exactly one version higher than before.
* Merging two staff records hands the duplicate's accounts to the kept one; a referral whose
  source changes kind (an account, then a contact of the same id) is stored once, as the latest.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from graph.model import Account, Contact, Employment, Interaction, Referral, Staff
from graph.store import GraphBatch, GraphStore

AS_OF = date(2025, 1, 1)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def base() -> GraphBatch:
    return GraphBatch(
        accounts=[Account("acme", "Acme"), Account("globex", "Globex"), Account("initech", "Initech")],
        contacts=[Contact("c1", "Ada"), Contact("c2", "Bob")],
        staff=[Staff("s1", "Sam")],
        employments=[Employment("c1", "acme"), Employment("c2", "globex")],
    )


def three_batches() -> list[GraphBatch]:
    """Three batches of one import: two touch acme, one globex, none initech."""
    return [
        GraphBatch(
            interactions=[Interaction("i1", "call", at("2024-01-01T10:00:00"), participants=("s1", "c1"))]
        ),
        GraphBatch(
            interactions=[Interaction("i2", "call", at("2024-02-01T10:00:00"), participants=("s1", "c1"))]
        ),
        GraphBatch(
            interactions=[Interaction("i3", "call", at("2024-03-01T10:00:00"), participants=("s1", "c2"))]
        ),
    ]


def test_an_import_bumps_each_changed_account_once(store: GraphStore) -> None:
    store.write(base())
    before = store.data_versions()
    store.write_many(three_batches())
    after = store.data_versions()
    assert {k: after[k] - before[k] for k in before} == {"acme": 1, "globex": 1, "initech": 0}
    store.write_many(three_batches())  # the same import again changes nothing
    assert store.data_versions() == after


def test_an_import_that_died_and_ran_again_bumps_once(store: GraphStore) -> None:
    store.write(base())
    before = store.data_versions()

    def dying() -> Iterator[GraphBatch]:
        yield three_batches()[0]
        raise OSError("the source went away")

    with pytest.raises(OSError, match="went away"):
        store.write_many(dying())
    store.write_many(three_batches())
    after = store.data_versions()
    assert {k: after[k] - before[k] for k in before} == {"acme": 1, "globex": 1, "initech": 0}
    assert {i.id for i in store.account_subgraph("acme", AS_OF).interactions} == {"i1", "i2"}


def test_merging_staff_hands_over_their_accounts(store: GraphStore) -> None:
    store.write(
        GraphBatch(
            staff=[Staff("s1", "Sam"), Staff("s1b", "Sam R.")],
            accounts=[Account("acme", "Acme", owner="s1b"), Account("globex", "Globex", owner="s1")],
        )
    )
    store.merge_people("s1", "s1b")
    owners = {k: a.owner for k, a in store.get_accounts(["acme", "globex"]).items()}
    assert owners == {"acme": "s1", "globex": "s1"}
    assert store.get_people(["s1b"]) == {}


def test_a_referral_whose_source_changes_kind_is_stored_once(store: GraphStore) -> None:
    store.write(
        GraphBatch(
            accounts=[Account("x", "X Corp"), Account("t", "Target")],
            contacts=[Contact("x", "Xavier")],
            referrals=[Referral("x", "account", "t", date(2024, 1, 1), "lead")],
        )
    )
    store.write(GraphBatch(referrals=[Referral("x", "contact", "t", date(2024, 1, 1), "won", 5_000)]))
    graph = store.referral_graph(AS_OF)
    assert [(r.source_id, r.source_kind, r.target_id, r.value) for r in graph.referrals] == [
        ("x", "contact", "t", 5_000)
    ]
    assert set(graph.contacts) == {"x"}


def test_an_interaction_created_by_one_batch_and_changed_by_the_next_ends_as_the_latest(
    store: GraphStore,
) -> None:
    store.write(base())
    first = Interaction(
        "i1", "call", at("2024-01-01T10:00:00"), participants=("s1", "c1"), accounts=("acme",)
    )
    later = Interaction(
        "i1", "meeting", at("2024-01-02T10:00:00"), participants=("s1", "c2"), accounts=("globex",)
    )
    others = [
        Interaction(f"n{k}", "email", at("2024-01-03T10:00:00"), participants=("s1", "c1")) for k in range(30)
    ]
    summary = store.write_many([GraphBatch(interactions=[first, *others]), GraphBatch(interactions=[later])])
    assert summary.kinds["interaction"].created == 31
    assert [i for i in store.iter_records("interaction") if i.id == "i1"] == [later]
    assert {i.id for i in store.account_subgraph("acme", AS_OF).interactions} == {f"n{k}" for k in range(30)}
    assert [i.id for i in store.account_subgraph("globex", AS_OF).interactions] == ["i1"]
