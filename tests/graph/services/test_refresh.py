"""Tests of the materialised results and the incremental refresh on the embedded store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.analysis.config import AnalysisConfig
from graph.backends.sqlite.store import SqliteStore
from graph.model import (
    Account,
    Contact,
    Employment,
    Interaction,
    InteractionKind,
    Level,
    Role,
    Staff,
    Stance,
    TeamMembership,
    TeamRole,
)
from graph.services.refresh import (
    PORTFOLIO_KIND,
    RESULT_KIND,
    SUMMARY_KIND,
    load_portfolio,
    refresh,
    stale_accounts,
)
from graph.store import AccountSubgraph, GraphBatch, GraphStore, StoreError

AS_OF = date(2025, 6, 30)
ACCOUNTS = ("acme", "bolt", "cora")


class OpenStore:
    """A picklable store factory for the worker processes (the embedded store in ``path``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> GraphStore:
        from graph.backends.sqlite.store import SqliteStore

        store = SqliteStore(self.path)
        store.init()
        return store


def portfolio_batch() -> GraphBatch:
    batch = GraphBatch(staff=[Staff("rep", "Rita", level=Level.MANAGEMENT)])
    for n, account_id in enumerate(ACCOUNTS):
        batch.accounts.append(Account(account_id, account_id.title(), annual_revenue=1000.0 * (n + 1)))
        contact = f"{account_id}-dir"
        batch.contacts.append(
            Contact(contact, f"Dir {account_id}", level=Level.MANAGEMENT, stance=Stance.CHAMPION)
        )
        batch.employments.append(
            Employment(
                contact,
                account_id,
                roles=frozenset({Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION}),
                since=date(2020, 1, 1),
            )
        )
        batch.team_memberships.append(
            TeamMembership("rep", account_id, TeamRole.ACCOUNT_REP, since=date(2020, 1, 1))
        )
        # three weekly meetings, the last on 2025-06-01: a strong tie on AS_OF (raw 4.55, 0.63),
        # so the rep alone covers each account and its whole revenue is at risk with them
        for day, suffix in ((18, "w2"), (25, "w1")):
            batch.interactions.append(
                Interaction(
                    f"{account_id}-{suffix}",
                    InteractionKind.MEETING,
                    datetime(2025, 5, day, tzinfo=UTC),
                    participants=("rep", contact),
                    accounts=(account_id,),
                )
            )
        batch.interactions.append(
            Interaction(
                f"{account_id}-m1",
                InteractionKind.MEETING,
                datetime(2025, 6, 1, tzinfo=UTC),
                participants=("rep", contact),
                accounts=(account_id,),
            )
        )
    return batch


@pytest.fixture
def factory(tmp_path: Path) -> OpenStore:
    opener = OpenStore(tmp_path / "store")
    store = opener()
    store.write(portfolio_batch())
    store.close()
    return opener


def test_full_then_incremental_refresh_recomputes_only_changed_accounts(factory: OpenStore) -> None:
    first = refresh(factory, AS_OF, detail=True)
    assert first.recomputed == ACCOUNTS and first.fresh == 0 and not first.failed
    store = factory()
    try:
        before = store.get_results(SUMMARY_KIND, AS_OF)
        assert set(before) == set(ACCOUNTS)
        assert set(store.get_results(RESULT_KIND, AS_OF)) == set(ACCOUNTS)
        assert before["acme"].payload["summary"]["threads"] == 1
        assert refresh(factory, AS_OF).recomputed == ()  # nothing changed

        store.write(
            GraphBatch(
                interactions=[
                    Interaction(
                        "bolt-m2",
                        InteractionKind.EXEC_VISIT,
                        datetime(2025, 6, 20, tzinfo=UTC),
                        participants=("rep", "bolt-dir"),
                        accounts=("bolt",),
                    )
                ]
            )
        )
        assert stale_accounts(store, AS_OF)[0].keys() == {"bolt"}
        second = refresh(factory, AS_OF)
        assert second.recomputed == ("bolt",) and second.fresh == 2
        after = store.get_results(SUMMARY_KIND, AS_OF)
        assert after["bolt"].data_version > before["bolt"].data_version
        assert after["bolt"].computed_at != before["bolt"].computed_at
        for untouched in ("acme", "cora"):
            assert after[untouched].computed_at == before[untouched].computed_at
            assert after[untouched].data_version == before[untouched].data_version
        assert after["bolt"].payload["cadence"]["last_interaction_id"] == "bolt-m2"
    finally:
        store.close()


def test_a_new_configuration_makes_every_result_stale(factory: OpenStore) -> None:
    refresh(factory, AS_OF)
    cfg = AnalysisConfig.from_mapping({"half_life_days": 30})
    assert refresh(factory, AS_OF, config=cfg).recomputed == ACCOUNTS
    assert refresh(factory, AS_OF, config=cfg).recomputed == ()
    assert refresh(factory, AS_OF, config=cfg, force=True, account_ids=["cora"]).recomputed == ("cora",)


def test_summaries_only_then_the_full_analysis(factory: OpenStore) -> None:
    assert refresh(factory, AS_OF).recomputed == ACCOUNTS  # summaries only by default
    assert refresh(factory, AS_OF).recomputed == ()
    store = factory()
    try:
        assert store.get_results(RESULT_KIND, AS_OF) == {}
        assert refresh(store, AS_OF, detail=True).recomputed == ACCOUNTS  # never stored before
        assert set(store.get_results(RESULT_KIND, AS_OF)) == set(ACCOUNTS)
        assert refresh(store, AS_OF, detail=False).recomputed == ()
        with pytest.raises(ValueError, match="factory"):
            refresh(store, AS_OF, workers=2)
    finally:
        store.close()


def test_refresh_over_worker_processes(factory: OpenStore) -> None:
    done: list[tuple[int, int]] = []
    summary = refresh(factory, AS_OF, workers=2, chunk_size=1, progress=lambda d, t: done.append((d, t)))
    assert summary.recomputed == ACCOUNTS and summary.workers == 2
    assert done[-1] == (3, 3)
    # results computed in the workers are fresh for this process too
    assert refresh(factory, AS_OF).recomputed == ()
    store = factory()
    try:
        assert set(store.get_results(SUMMARY_KIND, AS_OF)) == set(ACCOUNTS)
    finally:
        store.close()


def test_portfolio_view_from_the_store_is_materialised(factory: OpenStore) -> None:
    store = factory()
    try:
        with pytest.raises(LookupError, match="run the refresh first"):
            load_portfolio(store, AS_OF)
        refresh(factory, AS_OF)
        view = load_portfolio(store, AS_OF)
        assert [r.account_id for r in view.accounts] == ["cora", "bolt", "acme"]  # by revenue at risk
        rep = next(p for p in view.people if p.person_id == "rep")
        assert rep.side == "ours" and rep.revenue_at_risk == pytest.approx(6000.0)
        stored = store.get_results(PORTFOLIO_KIND, AS_OF)["*"]
        assert stored.payload["accounts"][0]["account_id"] == "cora"
    finally:
        store.close()


def test_bad_arguments(factory: OpenStore) -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        refresh(factory, AS_OF, chunk_size=0)
    store = factory()
    try:
        with pytest.raises(KeyError, match="unknown accounts"):
            stale_accounts(store, AS_OF, account_ids=["nope"])
    finally:
        store.close()


class RecordingStore(SqliteStore):
    """The embedded store, noting the subgraph reads asked of it; ``broken_batches`` makes reads
    of several accounts together fail (as a store that cannot read a chunk together would) and
    ``broken`` the reads of those accounts."""

    def __init__(self, path: Path, broken_batches: bool = False, broken: frozenset[str] = frozenset()):
        super().__init__(path)
        self.reads: list[tuple[str, ...]] = []
        self.broken_batches = broken_batches
        self.broken = broken
        self._alone = False  # inside account_subgraph (the store reads one account as a batch of one)

    def account_subgraphs(self, account_ids: Sequence[str], as_of: date) -> dict[str, AccountSubgraph]:
        if not self._alone:
            self.reads.append(tuple(account_ids))
            if self.broken_batches:
                raise StoreError("this chunk cannot be read together")
        return super().account_subgraphs(account_ids, as_of)

    def account_subgraph(self, account_id: str, as_of: date) -> AccountSubgraph:
        self.reads.append((account_id,))
        if account_id in self.broken:
            raise StoreError(f"account {account_id!r} cannot be read")
        self._alone = True
        try:
            return super().account_subgraph(account_id, as_of)
        finally:
            self._alone = False


def stored_payloads(store: GraphStore) -> dict[str, str]:
    return {
        a: json.dumps(r.payload, sort_keys=True) for a, r in store.get_results(SUMMARY_KIND, AS_OF).items()
    }


def test_each_chunk_is_read_in_one_batched_read_with_the_same_results(factory: OpenStore) -> None:
    store = RecordingStore(factory.path)
    store.init()
    try:
        assert refresh(store, AS_OF, chunk_size=1, force=True).recomputed == ACCOUNTS
        one_by_one = stored_payloads(store)
        store.reads.clear()
        assert refresh(store, AS_OF, chunk_size=2, force=True).recomputed == ACCOUNTS
        assert store.reads == [("acme", "bolt"), ("cora",)]  # one read per chunk, nothing else
        assert stored_payloads(store) == one_by_one
        assert one_by_one["bolt"] != one_by_one["acme"]  # not a comparison of equal payloads
    finally:
        store.close()


def test_a_chunk_that_cannot_be_read_together_is_read_account_by_account(factory: OpenStore) -> None:
    refresh(factory, AS_OF, chunk_size=1)
    expected = stored_payloads(factory())
    store = RecordingStore(factory.path, broken_batches=True, broken=frozenset({"bolt"}))
    store.init()
    try:
        summary = refresh(store, AS_OF, chunk_size=3, force=True)
        assert store.reads == [ACCOUNTS, ("acme",), ("bolt",), ("cora",)]
        assert summary.recomputed == ("acme", "cora")  # the bad account fails alone
        assert summary.failed == {"bolt": "StoreError: account 'bolt' cannot be read"}
        assert stored_payloads(store) == expected
    finally:
        store.close()
