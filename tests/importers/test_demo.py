"""Tests of the seeded demo portfolio generator (importers.demo)."""

from __future__ import annotations

import tracemalloc
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import islice, pairwise
from typing import Any

import pytest

from graph.model import (
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    Level,
    Referral,
    ReferralStatus,
    ReportingLine,
    Role,
    Staff,
    TeamMembership,
    TeamRole,
    Tier,
)
from graph.store import GraphStore
from importers import demo
from importers.demo import DEMO_ARCHETYPES, REFERENCE_DATE, SIZES, START_DATE, generate


@pytest.fixture(scope="module")
def records() -> list[Any]:
    return list(generate("demo", seed=7))


def _of(records: list[Any], kind: type[Any]) -> list[Any]:
    return [r for r in records if isinstance(r, kind)]


def test_same_seed_gives_identical_records(records: list[Any]) -> None:
    assert list(generate("demo", seed=7)) == records


def test_different_seeds_differ(records: list[Any]) -> None:
    other = list(generate("demo", seed=8))
    assert other != records
    assert _of(other, Contact) != _of(records, Contact)
    # the showcase accounts keep their ids and names whatever the seed
    assert [a.name for a in _of(other, Account)][:3] == [a.name for a in _of(records, Account)][:3]


def test_counts_match_the_plan(records: list[Any]) -> None:
    counts = Counter(type(r).__name__ for r in records)
    expected = demo.expected_counts("demo", 7)
    assert counts["Account"] == expected["accounts"] == SIZES["demo"].accounts
    assert counts["Contact"] == expected["contacts"]
    assert counts["Staff"] == expected["staff"]
    assert counts["Interaction"] == expected["interactions"]
    for kind in ("Employment", "ReportingLine", "InfluenceLine", "TeamMembership", "Assessment", "Referral"):
        assert counts[kind] > 0, kind


def test_every_line_follows_the_nodes_it_joins(records: list[Any]) -> None:
    seen: set[str] = set()

    def known(*ids: str) -> None:
        for i in ids:
            assert i in seen, i

    for r in records:
        if isinstance(r, Account | Contact | Staff):
            assert r.id not in seen, f"duplicate id {r.id}"
            seen.add(r.id)
        elif isinstance(r, Employment):
            known(r.contact_id, r.account_id)
        elif isinstance(r, ReportingLine):
            known(r.contact_id, r.manager_id)
        elif isinstance(r, InfluenceLine):
            known(r.source_id, r.target_id)
        elif isinstance(r, TeamMembership):
            known(r.staff_id, r.account_id)
        elif isinstance(r, Interaction):
            known(*r.participants, *r.accounts)
        elif isinstance(r, Assessment):
            known(r.staff_id, r.contact_id)
        elif isinstance(r, Referral):
            known(r.source_id, r.target_id)


def test_identities_and_emails_are_unique(records: list[Any]) -> None:
    for kind in (Employment, ReportingLine, InfluenceLine, TeamMembership, Assessment, Referral):
        keys = [r.key for r in _of(records, kind)]
        assert len(keys) == len(set(keys)), kind.__name__
    ids = [r.id for r in _of(records, Interaction)]
    assert len(ids) == len(set(ids))
    emails = [p.email for p in _of(records, Contact) + _of(records, Staff)]
    assert len(emails) == len(set(emails))
    assert all(e.endswith(".example") for e in emails)
    assert all(s.email.endswith("@ourco.example") for s in _of(records, Staff))


def test_email_domains_are_the_accounts(records: list[Any]) -> None:
    domains = {d for a in _of(records, Account) for d in a.domains}
    assert all(c.email.split("@")[1] in domains for c in _of(records, Contact))


def test_ids_are_readable(records: list[Any]) -> None:
    assert _of(records, Account)[0].id == "acc-0001"
    assert _of(records, Contact)[0].id == "con-000001"
    assert _of(records, Staff)[0].id == "stf-001"
    assert _of(records, Interaction)[0].id == "int-00000001"


def test_realistic_spread(records: list[Any]) -> None:
    accounts = _of(records, Account)
    assert {a.tier for a in accounts} == set(Tier)
    assert len({a.industry for a in accounts}) >= 6
    assert len({a.region for a in accounts}) >= 4
    assert all(a.annual_revenue > 0 for a in accounts if a.id not in DEMO_ARCHETYPES["prospects"])
    assert {c.level for c in _of(records, Contact)} == set(Level)
    assert {r for e in _of(records, Employment) for r in e.roles} >= {
        Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION,
        Role.EXECUTIVE_SPONSOR, Role.PROCUREMENT, Role.COACH, Role.INFLUENCER,
    }  # fmt: skip
    assert {m.team_role for m in _of(records, TeamMembership)} == set(TeamRole)
    assert {c.influence for c in _of(records, Contact)} == {1, 2, 3, 4, 5}
    assert len({c.stance for c in _of(records, Contact)}) >= 4


def test_interactions_span_two_years_with_bursts(records: list[Any]) -> None:
    interactions = _of(records, Interaction)
    first = datetime(START_DATE.year, START_DATE.month, START_DATE.day, tzinfo=UTC)
    last = datetime(REFERENCE_DATE.year, REFERENCE_DATE.month, REFERENCE_DATE.day, 23, 59, tzinfo=UTC)
    assert all(first <= i.at <= last for i in interactions)
    assert min(i.at for i in interactions) < first + timedelta(days=60)
    assert max(i.at for i in interactions) > last - timedelta(days=30)
    assert len({i.kind for i in interactions}) == 6
    assert all(i.source == "demo" and len(i.accounts) == 1 for i in interactions)
    # interactions per account and month: some months are much busier than the average (bursts)
    monthly = Counter((i.accounts[0], i.at.strftime("%Y-%m")) for i in interactions)
    per_account: dict[str, list[int]] = defaultdict(list)
    for (account, _), n in monthly.items():
        per_account[account].append(n)
    assert any(max(v) > 2.5 * sum(v) / len(v) for v in per_account.values() if len(v) > 12)


def _contacts_in_interactions(records: list[Any], account_id: str) -> set[str]:
    contacts = {c.id for c in _of(records, Contact)}
    return {
        p
        for i in _of(records, Interaction)
        if account_id in i.accounts
        for p in i.participants
        if p in contacts
    }


def test_single_threaded_accounts(records: list[Any]) -> None:
    accounts = {a.id: a for a in _of(records, Account)}
    assert accounts["acc-0001"].name == "Northwind Logistics"
    employments = {(e.contact_id, e.account_id): e for e in _of(records, Employment)}
    pairs = zip(DEMO_ARCHETYPES["single_threaded"], DEMO_ARCHETYPES["single_thread_contacts"], strict=True)
    for account_id, contact_id in pairs:
        assert _contacts_in_interactions(records, account_id) == {contact_id}
        assert Role.CHAMPION in employments[(contact_id, account_id)].roles
        staff_at = sum(1 for e in employments.values() if e.account_id == account_id)
        assert staff_at >= 5  # an org chart nobody else of ours talks to
    northwind_thread = employments[(DEMO_ARCHETYPES["single_thread_contacts"][0], "acc-0001")]
    assert northwind_thread.title == "IT Director"


def test_exec_only_accounts(records: list[Any]) -> None:
    contacts = {c.id: c for c in _of(records, Contact)}
    staff = {s.id: s for s in _of(records, Staff)}
    for account_id in DEMO_ARCHETYPES["exec_only"]:
        talked = _contacts_in_interactions(records, account_id)
        assert len(talked) >= 2
        assert {contacts[c].level for c in talked} == {Level.EXECUTIVE}
        ours = {p for i in _of(records, Interaction) if account_id in i.accounts for p in i.participants}
        assert {staff[s].level for s in ours if s in staff} == {Level.EXECUTIVE}


def test_healthy_accounts_are_multi_threaded(records: list[Any]) -> None:
    contacts = {c.id: c for c in _of(records, Contact)}
    for account_id in DEMO_ARCHETYPES["healthy"]:
        talked = _contacts_in_interactions(records, account_id)
        assert {contacts[c].level for c in talked} == set(Level)
        roles = {r for e in _of(records, Employment) if e.account_id == account_id for r in e.roles}
        assert roles >= {Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION}


def test_one_rep_holds_every_tie_of_three_accounts(records: list[Any]) -> None:
    (rep,) = DEMO_ARCHETYPES["rep_concentration_staff"]
    staff = {s.id for s in _of(records, Staff)}
    assert len(DEMO_ARCHETYPES["rep_concentration"]) == 3
    for account_id in DEMO_ARCHETYPES["rep_concentration"]:
        ours = {p for i in _of(records, Interaction) if account_id in i.accounts for p in i.participants}
        assert ours & staff == {rep}
        assert len(_contacts_in_interactions(records, account_id)) >= 3
    covered = {m.account_id for m in _of(records, TeamMembership) if m.staff_id == rep}
    assert covered == set(DEMO_ARCHETYPES["rep_concentration"])
    # other reps cover several accounts each
    by_rep = Counter(m.staff_id for m in _of(records, TeamMembership) if m.team_role is TeamRole.ACCOUNT_REP)
    assert max(by_rep.values()) >= 4


def test_going_cold_ties(records: list[Any]) -> None:
    cutoff = datetime(REFERENCE_DATE.year, REFERENCE_DATE.month, REFERENCE_DATE.day, tzinfo=UTC) - timedelta(
        days=150
    )
    for account_id, contact_id in zip(
        DEMO_ARCHETYPES["going_cold"], DEMO_ARCHETYPES["going_cold_contacts"], strict=True
    ):
        times = sorted(
            i.at
            for i in _of(records, Interaction)
            if account_id in i.accounts and contact_id in i.participants
        )
        assert len(times) >= 3
        assert times[-1] <= cutoff
        others = [i.at for i in _of(records, Interaction) if account_id in i.accounts]
        assert max(others) > cutoff  # the account is alive, the champion has gone quiet


def test_job_changes(records: list[Any]) -> None:
    accounts = {a.id: a for a in _of(records, Account)}
    by_contact: dict[str, list[Employment]] = defaultdict(list)
    for e in _of(records, Employment):
        by_contact[e.contact_id].append(e)
    assert DEMO_ARCHETYPES["job_change_contacts"]
    for contact_id in DEMO_ARCHETYPES["job_change_contacts"]:
        old, new = by_contact[contact_id]
        assert old.account_id != new.account_id
        assert old.until is not None and new.since is not None and new.until is None
        assert old.until + timedelta(days=1) == new.since
    contacts = {c.id: c for c in _of(records, Contact)}
    (mover,) = DEMO_ARCHETYPES["champion_to_prospect"]
    old, new = by_contact[mover]
    assert Role.CHAMPION in old.roles
    assert new.account_id in DEMO_ARCHETYPES["prospects"]
    assert contacts[mover].email.endswith("@" + accounts[new.account_id].domains[0])
    # leavers: positions that ended without a new one
    assert any(len(v) == 1 and v[0].until is not None for v in by_contact.values())


def test_referral_chain_and_assessments(records: list[Any]) -> None:
    referrals = _of(records, Referral)
    chain = DEMO_ARCHETYPES["referral_chain"]
    contacts_at = {(e.contact_id): e.account_id for e in _of(records, Employment)}
    links = {
        (r.source_id if r.source_kind == "account" else contacts_at[r.source_id], r.target_id): r
        for r in referrals
    }
    hops = [links[(a, b)] for a, b in pairwise(chain)]
    assert [h.status for h in hops] == [ReferralStatus.WON, ReferralStatus.WON, ReferralStatus.LEAD]
    assert hops[0].value > 0 and hops[-1].value == 0
    assert {r.source_kind for r in referrals} == {"account", "contact"}
    assert hops[0].at < hops[1].at < hops[2].at
    assert len({a.level for a in _of(records, Assessment)}) >= 3


def test_larger_sizes_scale() -> None:
    small = demo.expected_counts("small")
    bench = demo.expected_counts("bench")
    assert small["accounts"] == 200
    assert bench["accounts"] == 10_000
    assert 0.8e6 < bench["contacts"] < 1.2e6
    assert 8e6 < bench["interactions"] < 12e6
    guide = demo.archetypes("small", seed=3)
    assert len(guide["rep_concentration"]) == 6 and guide["single_threaded"] and guide["exec_only"]


def test_bench_is_streamed_lazily() -> None:
    stream = generate("bench", seed=7)  # plans 10,000 accounts, generates nothing yet
    tracemalloc.start()
    try:
        head = list(islice(stream, 5_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(head) == 5_000
    assert isinstance(head[-1], Interaction | Employment | Contact | ReportingLine | Assessment)
    assert peak < 32 * 2**20  # a few accounts, not the portfolio of 10M interactions


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown demo size 'huge'"):
        generate("huge")
    with pytest.raises(ValueError, match="seed must be an integer"):
        generate("demo", seed="7")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_size"):
        next(demo.batches(iter(()), 0))


def test_demo_writes_into_the_embedded_store(sqlite_store: GraphStore) -> None:
    store = sqlite_store
    summary = demo.load(store, "demo", seed=7, batch_size=2_000)
    expected = demo.expected_counts("demo", 7)
    counts = store.counts()
    assert counts["account"] == expected["accounts"]
    assert counts["contact"] == expected["contacts"]
    assert counts["staff"] == expected["staff"]
    assert counts["interaction"] == expected["interactions"]
    assert summary.kinds["interaction"].created == expected["interactions"]
    records = list(generate("demo", seed=7))
    for kind, name in ((Employment, "employment"), (Referral, "referral"), (Assessment, "assessment")):
        assert counts[name] == len(_of(records, kind))
    again = demo.load(store, "demo", seed=7, batch_size=5_000)
    assert again.changed == 0

    sub = store.account_subgraph("acc-0001", REFERENCE_DATE)
    assert sub.account.name == "Northwind Logistics"
    talked = {p for i in sub.interactions for p in i.participants if p.startswith("con-")}
    assert talked == {DEMO_ARCHETYPES["single_thread_contacts"][0]}
    email = sub.contacts[0].email or ""
    assert email in store.find_people_by_email([email])
    assert set(store.find_accounts_by_domain(["northwind-logistics.example"])) == {
        "northwind-logistics.example"
    }
    mover = DEMO_ARCHETYPES["champion_to_prospect"][0]
    positions = store.employments_of([mover])[mover]
    assert [e.account_id for e in positions][-1] in DEMO_ARCHETYPES["prospects"]
    changes = store.job_changes(None, REFERENCE_DATE)
    assert {c.contact_id for c in changes} >= set(DEMO_ARCHETYPES["job_change_contacts"])
    chain = store.referral_graph(REFERENCE_DATE, root_id="acc-0002", depth=3)
    assert {r.target_id for r in chain.referrals} >= set(DEMO_ARCHETYPES["referral_chain"][1:])


def test_single_threaded_archetypes_have_one_thread_through_the_documented_contact(
    sqlite_store: GraphStore,
) -> None:
    from graph.analysis.account import analyse_account

    demo.load(sqlite_store, "demo", seed=7)
    guide = DEMO_ARCHETYPES
    for account_id, contact_id in zip(guide["single_threaded"], guide["single_thread_contacts"], strict=True):
        analysis = analyse_account(sqlite_store.account_subgraph(account_id, REFERENCE_DATE))
        assert analysis.threads.threads == 1, account_id
        spoc = {(p.person_id, p.side) for p in analysis.threads.single_points_of_contact}
        assert (contact_id, "theirs") in spoc, account_id
