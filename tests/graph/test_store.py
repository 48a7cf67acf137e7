# mypy: disable-error-code="arg-type"
# (the model parses enum fields from their string values; the tests use those strings)
"""The GraphStore port, run against every available backend (the ``store`` fixture).

Only the port's public behaviour is used here, so the same tests hold for the embedded store
and for Neo4j. Backend-specific behaviour lives in ``tests/graph/backends/``.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest

from graph.model import (
    Account,
    Assessment,
    Contact,
    Contract,
    Employment,
    InfluenceLine,
    Interaction,
    Opportunity,
    Referral,
    ReportingLine,
    Role,
    Staff,
    Stance,
    SupportCase,
    SurveyResponse,
    TeamMembership,
    Tier,
    UsageSample,
)
from graph.store import (
    RECORD_KINDS,
    AccountFilter,
    AnalysisResult,
    ApiToken,
    GraphBatch,
    GraphStore,
    IntegrityError,
    NotFoundError,
)

AS_OF = date(2025, 1, 1)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def portfolio() -> GraphBatch:
    """A small portfolio with every kind of record and a job change (c3: acme -> globex)."""
    return GraphBatch(
        accounts=[
            Account(
                "acme",
                "Acme Corp",
                industry="manufacturing",
                region="EU",
                tier=Tier.STRATEGIC,
                annual_revenue=1_000_000,
                potential_revenue=2_000_000,
                owner="s1",
                domains=("acme.com", "acme.de"),
                strategic_fit=4,
            ),
            Account(
                "globex", "Globex", industry="retail", tier=Tier.KEY, owner="s2", domains=("globex.com",)
            ),
            Account("initech", "Initech", tier=Tier.POTENTIAL),
        ],
        contacts=[
            Contact(
                "c1", "Ada Lovelace", email="ada@acme.com", level="executive", influence=5, stance="champion"
            ),
            Contact("c2", "Bob Byte", email="bob@acme.com", title="CTO", department="IT", level="management"),
            Contact("c3", "Cy Young", email="cy@globex.com", political_status="inner_circle"),
            Contact("c4", "Dee Dee", email="dee@globex.com", stance="skeptic"),
        ],
        staff=[
            Staff("s1", "Sam Rep", email="sam@us.example", level="management", team_role="account_rep"),
            Staff("s2", "Sue Spec", email="sue@us.example", team_role="solution_specialist"),
        ],
        employments=[
            Employment(
                "c1",
                "acme",
                title="CEO",
                level="executive",
                roles=frozenset({Role.ECONOMIC_BUYER}),
                since=date(2020, 1, 1),
            ),
            Employment(
                "c2",
                "acme",
                title="CTO",
                roles=frozenset({Role.TECHNICAL_BUYER, Role.CHAMPION}),
                since=date(2021, 3, 1),
            ),
            Employment("c3", "acme", since=date(2019, 1, 1), until=date(2023, 12, 31)),
            Employment("c3", "globex", since=date(2024, 1, 1)),
            Employment("c4", "globex", since=date(2022, 1, 1)),
        ],
        reporting_lines=[ReportingLine("c2", "c1", since=date(2021, 3, 1))],
        influence_lines=[InfluenceLine("c2", "c1", 0.7)],
        team_memberships=[
            TeamMembership("s1", "acme", "account_rep", since=date(2020, 1, 1)),
            TeamMembership("s2", "globex", "solution_specialist", since=date(2022, 1, 1)),
            TeamMembership("s2", "acme", "delivery_lead", since=date(2020, 1, 1), until=date(2022, 12, 31)),
        ],
        interactions=[
            Interaction(
                "i1",
                "meeting",
                at("2024-06-01T10:00:00"),
                participants=("s1", "c1", "c2"),
                accounts=("acme",),
                subject="QBR",
            ),
            Interaction(
                "i2", "call", at("2024-07-01T09:00:00"), source="calendar", participants=("s1", "c3")
            ),
            Interaction(
                "i3", "email", at("2025-06-01T08:00:00"), participants=("s1", "c1"), accounts=("acme",)
            ),
            Interaction(
                "i4", "event", at("2024-05-01T18:00:00"), participants=("s2", "c4"), accounts=("globex",)
            ),
            Interaction(
                "i5", "exec_visit", at("2025-01-01T23:59:00"), participants=("s2", "c2"), accounts=("acme",)
            ),
        ],
        assessments=[
            Assessment("s1", "c1", "trusted_advisor", date(2024, 1, 1)),
            Assessment("s1", "c2", "vendor", date(2025, 6, 1)),
        ],
        referrals=[
            Referral("acme", "account", "globex", date(2023, 1, 1), "won", 100_000),
            Referral("c4", "contact", "initech", date(2024, 3, 1), "lead"),
            Referral("globex", "account", "initech", date(2026, 1, 1), "lost"),
        ],
        survey_responses=[
            SurveyResponse("nps-1", "acme", "nps", 9, date(2024, 6, 1), "c1"),
            SurveyResponse("csat-1", "globex", "csat", 4, date(2024, 9, 1)),
        ],
        usage_samples=[
            UsageSample("acme", date(2024, 11, 1), active_users=40, licensed_users=50),
            UsageSample("acme", date(2024, 12, 1), adoption=0.85),
        ],
        support_cases=[
            SupportCase(
                "case-1",
                "acme",
                date(2024, 10, 1),
                "high",
                closed=date(2024, 10, 3),
                first_response_hours=2.5,
                complaint=True,
                subject="Login fails",
                contact_id="c2",
            )
        ],
        contracts=[
            Contract("k-1", "acme", date(2024, 1, 1), date(2024, 12, 31), 250_000, signed=date(2023, 12, 1))
        ],
        opportunities=[
            Opportunity(
                "o-1",
                "acme",
                "Renewal 2025",
                date(2024, 9, 1),
                250_000,
                close_date=date(2024, 12, 15),
                stage="Closed Won",
                status="won",
                renewal=True,
                contact_ids=("c2", "c1"),
            )
        ],
    )


def records_of(batch: GraphBatch) -> dict[str, list[object]]:
    """The batch's records per kind, in identity order (what ``iter_records`` yields)."""

    def ident(r: Any) -> Any:
        return getattr(r, "key", None) or r.id

    return {kind: sorted(records, key=ident) for kind, records in batch.by_kind().items()}


def graph_state(store: GraphStore) -> dict[str, list[object]]:
    return {kind: list(store.iter_records(kind)) for kind in RECORD_KINDS}


def ids(records: object) -> list[str]:
    return sorted(r.id for r in records)  # type: ignore[attr-defined]


# -- writes ---------------------------------------------------------------------------------------


def test_round_trip_of_every_entity_and_relationship(store: GraphStore) -> None:
    batch = portfolio()
    summary = store.write(batch)
    assert {k: c.created for k, c in summary.kinds.items()} == {k: len(v) for k, v in batch.by_kind().items()}
    assert graph_state(store) == records_of(batch)
    assert store.counts() == {k: len(v) for k, v in batch.by_kind().items()}
    assert store.get_accounts(["acme", "nope"]) == {"acme": batch.accounts[0]}
    assert store.get_people(["c1", "s2", "x"]) == {"c1": batch.contacts[0], "s2": batch.staff[1]}
    assert store.find_people_by_email(["ADA@acme.com", "sue@us.example", "no@x.org"]) == {
        "ada@acme.com": batch.contacts[0],
        "sue@us.example": batch.staff[1],
    }
    assert store.find_accounts_by_domain(["acme.de", "Globex.com", "x.org"]) == {
        "acme.de": batch.accounts[0],
        "globex.com": batch.accounts[1],
    }


def test_same_batch_twice_changes_nothing(store: GraphStore) -> None:
    store.write(portfolio())
    state, counts, versions = graph_state(store), store.counts(), store.data_versions()
    second = store.write(portfolio())
    assert second.changed == 0
    assert second.touched_accounts == set()
    assert {k: c.unchanged for k, c in second.kinds.items()} == {
        k: len(v) for k, v in portfolio().by_kind().items()
    }
    assert graph_state(store) == state
    assert store.counts() == counts
    assert store.data_versions() == versions


def test_update_counts_and_last_record_wins_within_a_batch(store: GraphStore) -> None:
    store.write(portfolio())
    batch = GraphBatch(
        contacts=[Contact("c2", "Bob Byte", title="CIO"), Contact("c2", "Bob Byte", title="CEO")],
        accounts=[Account("hooli", "Hooli")],
    )
    summary = store.write(batch)
    assert (summary.kinds["contact"].created, summary.kinds["contact"].updated) == (0, 1)
    assert summary.kinds["account"].created == 1
    person = store.get_people(["c2"])["c2"]
    assert isinstance(person, Contact) and person.title == "CEO"
    assert "acme" in summary.touched_accounts  # c2 works there
    assert "globex" not in summary.touched_accounts


def test_a_batch_with_one_invalid_row_writes_nothing(store: GraphStore) -> None:
    store.write(portfolio())
    before = graph_state(store)
    versions = store.data_versions()
    bad = GraphBatch(
        accounts=[Account("new", "New Co")],
        contacts=[Contact("c9", "Nia")],
        employments=[Employment("c9", "new"), Employment("c9", "ghost"), Employment("nobody", "acme")],
        interactions=[Interaction("i9", "call", at("2024-01-01T00:00:00"), participants=("c9", "zed"))],
    )
    with pytest.raises(IntegrityError) as caught:
        store.write(bad)
    text = " ".join(caught.value.problems)
    assert len(caught.value.problems) >= 3
    assert "'ghost'" in text and "'nobody'" in text and "'zed'" in text
    assert graph_state(store) == before
    assert store.data_versions() == versions
    assert store.get_accounts(["new"]) == {}


def test_one_bad_employment_rejects_the_whole_batch(store: GraphStore) -> None:
    batch = portfolio()
    batch.employments.append(Employment("c1", "unknown-account", since=date(2024, 1, 1)))
    with pytest.raises(IntegrityError, match="unknown-account") as caught:
        store.write(batch)
    assert len(caught.value.problems) == 1
    assert store.counts() == dict.fromkeys(RECORD_KINDS, 0)
    assert store.data_versions() == {}
    batch.employments.pop()
    assert store.write(batch).changed == batch.size()


def test_a_person_id_cannot_be_both_staff_and_contact(store: GraphStore) -> None:
    store.write(portfolio())
    with pytest.raises(IntegrityError, match="s1"):
        store.write(GraphBatch(contacts=[Contact("s1", "Sam as a contact")]))
    with pytest.raises(IntegrityError, match="p7"):
        store.write(GraphBatch(contacts=[Contact("p7", "P")], staff=[Staff("p7", "P")]))
    assert store.counts()["contact"] == 4
    with pytest.raises(IntegrityError, match="s1"):  # a staff member cannot hold a position
        store.write(GraphBatch(employments=[Employment("s1", "acme")]))


def test_interaction_participants_and_accounts_are_replaced(store: GraphStore) -> None:
    store.write(portfolio())
    i1 = portfolio().interactions[0]
    summary = store.write(
        GraphBatch(interactions=[replace(i1, participants=("s2", "c4"), accounts=("globex",))])
    )
    assert summary.kinds["interaction"].updated == 1
    assert {"acme", "globex"} <= summary.touched_accounts
    acme = store.account_subgraph("acme", AS_OF)
    assert "i1" not in ids(acme.interactions)
    globex = store.account_subgraph("globex", AS_OF)
    assert next(i for i in globex.interactions if i.id == "i1").participants == ("c4", "s2")
    assert "i1" not in ids(store.neighbourhood(["c2"], AS_OF).interactions)


def test_an_interaction_touches_only_the_accounts_it_counts_for(store: GraphStore) -> None:
    store.write(portfolio())
    acme_before = store.account_subgraph("acme", AS_OF)
    versions = store.data_versions()
    # c3 worked at acme until 2023-12-31 and at globex since: a meeting about globex is not
    # acme's activity, so acme's data (and version) stays
    about = store.write(
        GraphBatch(
            interactions=[
                Interaction(
                    "t1",
                    "meeting",
                    at("2025-02-01T10:00:00"),
                    participants=("s2", "c3"),
                    accounts=("globex",),
                )
            ]
        )
    )
    assert about.touched_accounts == {"globex"}
    assert store.account_subgraph("acme", AS_OF) == acme_before
    assert store.data_versions()["acme"] == versions["acme"]
    # about no account: it counts for the participants' employers of its day
    then = store.write(
        GraphBatch(
            interactions=[Interaction("t2", "call", at("2023-06-01T10:00:00"), participants=("s1", "c3"))]
        )
    )
    assert then.touched_accounts == {"acme"}
    later = store.write(
        GraphBatch(
            interactions=[Interaction("t3", "call", at("2024-06-01T10:00:00"), participants=("s1", "c3"))]
        )
    )
    assert later.touched_accounts == {"globex"}
    # moved from about nothing (globex's then) to about initech: both change
    moved = store.write(
        GraphBatch(
            interactions=[
                Interaction(
                    "t3", "call", at("2024-06-01T10:00:00"), participants=("s1", "c3"), accounts=("initech",)
                )
            ]
        )
    )
    assert moved.touched_accounts == {"globex", "initech"}
    # every account whose data version stayed reads what it read before
    assert "t1" not in ids(store.account_subgraph("acme", AS_OF).interactions)
    assert "t2" in ids(store.account_subgraph("acme", AS_OF).interactions)


# -- reads as of a day ------------------------------------------------------------------------------


def test_account_subgraph_as_of(store: GraphStore) -> None:
    store.write(portfolio())
    sub = store.account_subgraph("acme", AS_OF)
    assert sub.account.id == "acme" and sub.as_of == AS_OF
    assert ids(sub.contacts) == ["c1", "c2", "c3"]  # c3 left at the end of 2023, still visible
    assert {e.key for e in sub.employments} == {
        ("c1", "acme", "2020-01-01"),
        ("c2", "acme", "2021-03-01"),
        ("c3", "acme", "2019-01-01"),
    }
    assert [e.key for e in sub.former_employments] == [("c3", "globex", "2024-01-01")]
    assert {m.key for m in sub.team} == {("s1", "acme", "account_rep"), ("s2", "acme", "delivery_lead")}
    assert ids(sub.staff) == ["s1", "s2"]
    assert [r.key for r in sub.reporting_lines] == [("c2", "c1")]
    assert [r.key for r in sub.influence_lines] == [("c2", "c1", "influences")]
    # i3 is later than as_of; i5 is on the last minute; i2 is about no account and c3, its only
    # contact, had moved to globex by then: globex's activity, not acme's
    assert ids(sub.interactions) == ["i1", "i5"]
    assert ids(store.account_subgraph("globex", AS_OF).interactions) == ["i2", "i4"]
    assert next(i for i in sub.interactions if i.id == "i1") == portfolio().interactions[0]
    assert [a.key for a in sub.assessments] == [("s1", "c1", "2024-01-01")]


def test_later_employments_and_interactions_are_invisible(store: GraphStore) -> None:
    store.write(portfolio())
    early = store.account_subgraph("acme", date(2019, 6, 1))
    assert ids(early.contacts) == ["c3"]
    assert early.interactions == () and early.former_employments == ()
    assert {m.key for m in early.team} == set()
    assert store.account_subgraph("globex", date(2021, 12, 31)).contacts == ()
    later = store.account_subgraph("acme", date(2025, 12, 31))
    assert ids(later.interactions) == ["i1", "i3", "i5"]
    assert len(later.assessments) == 2


def test_account_subgraph_of_unknown_account(store: GraphStore) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        store.account_subgraph("nope", AS_OF)


def test_neighbourhood(store: GraphStore) -> None:
    store.write(portfolio())
    hood = store.neighbourhood(["c3"], AS_OF)
    assert ids(hood.interactions) == ["i2"]
    assert {e.key for e in hood.employments} == {
        ("c1", "acme", "2020-01-01"),
        ("c2", "acme", "2021-03-01"),
        ("c3", "acme", "2019-01-01"),
        ("c3", "globex", "2024-01-01"),
        ("c4", "globex", "2022-01-01"),
    }
    assert set(hood.accounts) == {"acme", "globex"}
    assert {r.key for r in hood.referrals} == {("acme", "globex")}  # c4's referral is a colleague's
    assert {r.key for r in store.neighbourhood(["c4"], AS_OF).referrals} == {
        ("acme", "globex"),
        ("c4", "initech"),
    }
    assert {"c1", "c2", "c3", "c4", "s1"} <= set(hood.people)
    assert {m.key for m in hood.team} >= {
        ("s1", "acme", "account_rep"),
        ("s2", "globex", "solution_specialist"),
    }
    # the org chart and relations at either end of the people asked for (warm paths use them)
    lines = store.neighbourhood(["c1"], AS_OF)
    assert [r.key for r in lines.reporting_lines] == [("c2", "c1")]
    assert [(r.source_id, r.target_id, r.weight) for r in lines.influence_lines] == [("c2", "c1", 0.7)]
    assert "c2" in lines.people
    assert [r.key for r in store.neighbourhood(["c2"], AS_OF).reporting_lines] == [("c2", "c1")]
    assert store.neighbourhood(["c2"], date(2021, 2, 28)).reporting_lines == ()  # not started yet
    assert hood.reporting_lines == () and hood.influence_lines == ()
    staff_hood = store.neighbourhood(["s1"], AS_OF)
    assert ids(staff_hood.interactions) == ["i1", "i2"]
    assert [a.key for a in staff_hood.assessments] == [("s1", "c1", "2024-01-01")]
    assert ("s1", "acme", "account_rep") in {m.key for m in staff_hood.team}


def test_referral_graph(store: GraphStore) -> None:
    store.write(portfolio())
    whole = store.referral_graph(AS_OF)
    assert {r.key for r in whole.referrals} == {("acme", "globex"), ("c4", "initech")}
    assert set(whole.accounts) == {"acme", "globex", "initech"} and set(whole.contacts) == {"c4"}
    one = store.referral_graph(AS_OF, root_id="acme", depth=1)
    assert {r.key for r in one.referrals} == {("acme", "globex")}
    two = store.referral_graph(AS_OF, root_id="acme", depth=2)
    assert {r.key for r in two.referrals} == {("acme", "globex"), ("c4", "initech")}  # via globex's contact
    later = store.referral_graph(date(2026, 6, 1), root_id="acme")
    assert ("globex", "initech") in {r.key for r in later.referrals}
    with pytest.raises(NotFoundError):
        store.referral_graph(AS_OF, root_id="nope")


def test_team_reads(store: GraphStore) -> None:
    store.write(portfolio())
    assert store.team_accounts("s2", AS_OF) == ["globex"]
    assert store.team_accounts("s2", date(2022, 6, 1)) == ["acme", "globex"]
    teams = store.teams_of(["acme", "globex", "initech"], AS_OF)
    assert {k: [m.staff_id for m in v] for k, v in teams.items()} == {"acme": ["s1"], "globex": ["s2"]}


# -- job changes and merges ----------------------------------------------------------------------


def test_job_change_keeps_the_former_employment(store: GraphStore) -> None:
    store.write(portfolio())
    change = store.move_contact("c2", Employment("c2", "globex", title="VP", since=date(2025, 2, 1)))
    assert change.old.key == ("c2", "acme", "2021-03-01") and change.old.until == date(2025, 1, 31)
    positions = store.employments_of(["c2"])["c2"]
    assert [(e.account_id, e.until) for e in positions] == [("acme", date(2025, 1, 31)), ("globex", None)]
    assert positions[0].roles == frozenset({Role.TECHNICAL_BUYER, Role.CHAMPION})
    acme = store.account_subgraph("acme", date(2025, 6, 1))
    assert ("c2", "acme", "2021-03-01") in {e.key for e in acme.employments}
    assert ("c2", "globex", "2025-02-01") in {e.key for e in acme.former_employments}
    changes = store.job_changes(date(2024, 12, 31), date(2025, 12, 31))
    assert [(c.contact_id, c.old.account_id, c.new.account_id) for c in changes] == [("c2", "acme", "globex")]
    all_changes = store.job_changes(None, date(2025, 12, 31))
    assert {(c.contact_id, c.new.account_id) for c in all_changes} == {("c2", "globex"), ("c3", "globex")}
    with pytest.raises(NotFoundError):
        store.move_contact("nobody", Employment("nobody", "globex", since=date(2025, 2, 1)))


def test_a_move_ends_the_open_reporting_lines_at_the_old_account(store: GraphStore) -> None:
    batch = scoped_portfolio()
    batch.contacts.append(Contact("hal", "Hal Holding"))
    batch.accounts.append(Account("holding", "Holding"))
    batch.employments[0] = Employment("carol", "globex", level="executive", since=date(2020, 1, 1))
    batch.employments = [e for e in batch.employments if e.account_id != "initech" or e.contact_id != "carol"]
    batch.employments.append(Employment("hal", "holding", since=date(2020, 1, 1)))
    batch.reporting_lines.append(ReportingLine("carol", "hal", since=date(2022, 1, 1)))
    store.write(batch)
    store.move_contact("carol", Employment("carol", "initech", since=date(2024, 7, 1)))
    lines = {r.key: r.until for r in store.iter_records("reporting_line")}
    # Greg (at globex) no longer reports to her; her line to Hal (at another account) stays open
    assert lines == {("greg", "carol"): date(2024, 6, 30), ("carol", "hal"): None}
    store.write(GraphBatch(employments=[Employment("greg", "initech", since=date(2024, 8, 1))]))
    store.write(GraphBatch(reporting_lines=[ReportingLine("dan", "greg", since=date(2024, 1, 1))]))
    store.end_employment("greg", "globex", date(2025, 1, 31))
    assert {r.key: r.until for r in store.iter_records("reporting_line")}[("dan", "greg")] == date(
        2025, 1, 31
    )


def test_end_employment(store: GraphStore) -> None:
    store.write(portfolio())
    ended = store.end_employment("c1", "acme", date(2025, 3, 31))
    assert ended.until == date(2025, 3, 31)
    assert store.employments_of(["c1"])["c1"] == [ended]
    with pytest.raises(NotFoundError):
        store.end_employment("c1", "acme", date(2025, 4, 30))  # no open position left


def test_merge_people(store: GraphStore) -> None:
    store.write(portfolio())
    store.write(
        GraphBatch(
            contacts=[
                Contact("c1b", "Ada L.", email="ada.l@acme.com", title="Chief Executive", department="Board")
            ],
            employments=[Employment("c1b", "initech", since=date(2015, 1, 1), until=date(2019, 12, 31))],
            interactions=[Interaction("i7", "call", at("2024-08-01T12:00:00"), participants=("s2", "c1b"))],
            assessments=[Assessment("s2", "c1b", "problem_solver", date(2024, 8, 1))],
            reporting_lines=[ReportingLine("c3", "c1b")],
        )
    )
    store.merge_people("c1", "c1b")
    assert store.get_people(["c1b"]) == {}
    kept = store.get_people(["c1"])["c1"]
    assert isinstance(kept, Contact)
    assert (kept.name, kept.email, kept.title, kept.department) == (
        "Ada Lovelace",
        "ada@acme.com",
        "Chief Executive",
        "Board",
    )
    assert [e.account_id for e in store.employments_of(["c1"])["c1"]] == ["initech", "acme"]
    sub = store.account_subgraph("acme", AS_OF)
    assert next(i for i in sub.interactions if i.id == "i7").participants == ("c1", "s2")
    assert ("s2", "c1", "2024-08-01") in {a.key for a in sub.assessments}
    assert ("c3", "c1") in {r.key for r in sub.reporting_lines}
    assert store.counts()["contact"] == 4
    with pytest.raises(IntegrityError):
        store.merge_people("c1", "s1")
    with pytest.raises(NotFoundError):
        store.merge_people("c1", "ghost")


# -- listing, search, versions, results, tokens ------------------------------------------------------


def test_paging_returns_every_record_exactly_once(store: GraphStore) -> None:
    tiers = list(Tier)
    accounts = [
        Account(
            f"a{i:03d}",
            f"Account {i}",
            tier=tiers[i % 3],
            industry="retail" if i % 2 else "energy",
            owner="s1" if i % 5 == 0 else None,
        )
        for i in range(57)
    ]
    store.write(GraphBatch(accounts=accounts, staff=[Staff("s1", "Sam")]))

    def all_pages(f: AccountFilter | None, size: int) -> list[str]:
        seen: list[str] = []
        after = None
        while True:
            page = store.list_accounts(f, first=size, after=after)
            seen += [a.id for a in page.items]
            if not page.has_next:
                return seen
            after = page.end_cursor

    assert all_pages(None, 10) == [a.id for a in accounts]
    assert all_pages(None, 57) == [a.id for a in accounts]
    strategic = [a.id for a in accounts if a.tier is Tier.STRATEGIC]
    assert all_pages(AccountFilter(tier=Tier.STRATEGIC), 4) == strategic
    both = [a.id for a in accounts if a.tier is Tier.KEY and a.industry == "retail"]
    assert all_pages(AccountFilter(tier=Tier.KEY, industry="retail"), 3) == both
    assert all_pages(AccountFilter(owner="s1"), 2) == [a.id for a in accounts if a.owner == "s1"]
    assert all_pages(AccountFilter(ids=frozenset({"a001", "a040", "zzz"})), 1) == ["a001", "a040"]
    assert all_pages(AccountFilter(name_contains="ccount 5"), 100) == ["a005"] + [
        f"a{i:03d}" for i in range(50, 57)
    ]
    empty = store.list_accounts(AccountFilter(region="nowhere"))
    assert (empty.items, empty.has_next) == ([], False)


def test_search(store: GraphStore) -> None:
    store.write(portfolio())
    assert {(h.kind, h.id) for h in store.search("acme")} >= {
        ("account", "acme"),
        ("contact", "c1"),
        ("contact", "c2"),
    }
    assert [(h.kind, h.id) for h in store.search("LOVELACE")] == [("contact", "c1")]
    assert [(h.kind, h.id) for h in store.search("sue@")] == [("staff", "s2")]
    assert store.search("nothing-like-this") == []
    assert len(store.search("e", limit=2)) == 2


def test_data_versions_grow_only_on_real_change(store: GraphStore) -> None:
    store.write(portfolio())
    v1 = store.data_versions()
    assert set(v1) == {"acme", "globex", "initech"}
    store.write(portfolio())
    assert store.data_versions() == v1
    store.write(
        GraphBatch(
            interactions=[Interaction("i8", "call", at("2024-09-01T00:00:00"), participants=("s2", "c4"))]
        )
    )
    v2 = store.data_versions()
    assert v2["globex"] > v1["globex"]
    assert (v2["acme"], v2["initech"]) == (v1["acme"], v1["initech"])
    assert store.data_versions(["acme", "nope"]) == {"acme": v1["acme"]}
    store.write(GraphBatch(employments=[Employment("c4", "globex", since=date(2022, 1, 1), title="Buyer")]))
    assert store.data_versions()["globex"] > v2["globex"]


def test_results_round_trip(store: GraphStore) -> None:
    store.write(portfolio())
    computed = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    results = [
        AnalysisResult(
            "health", "acme", AS_OF, {"score": 71.5, "band": "yellow", "evidence": [1, 2]}, 3, computed
        ),
        AnalysisResult("health", "globex", AS_OF, {"score": 90}, 1, computed),
        AnalysisResult("health", "acme", date(2024, 1, 1), {"score": 10}, 1, computed),
    ]
    store.put_results(results)
    got = store.get_results("health", AS_OF)
    assert got == {"acme": results[0], "globex": results[1]}
    store.put_results([replace(results[0], payload={"score": 50}, data_version=4)])
    assert store.get_results("health", AS_OF, ["acme"])["acme"].payload == {"score": 50}
    assert store.get_results("coverage", AS_OF) == {}


def test_tokens(store: GraphStore) -> None:
    created = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)
    token = ApiToken("ab" * 32, "ci", "admin", None, created)
    store.put_token(token)
    store.put_token(ApiToken("cd" * 32, "rep", "account_manager", "s1", created))
    assert store.get_token("ab" * 32) == token
    assert store.get_token("00") is None
    assert sorted(t.name for t in store.list_tokens()) == ["ci", "rep"]
    store.revoke_token("ab" * 32)
    revoked = store.get_token("ab" * 32)
    assert revoked is not None and revoked.revoked


# -- concurrency ----------------------------------------------------------------------------------


def test_readers_see_whole_writes_only(store: GraphStore) -> None:
    """A reader thread never sees part of a batch: interaction counts are whole batches and the
    subgraph holds as many interactions as the counts say."""
    store.write(portfolio())
    base = store.counts()["interaction"]
    per_batch, batches = 40, 8
    seen: list[int] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            while not done.is_set():
                seen.append(store.counts()["interaction"] - base)
                sub = store.account_subgraph("globex", date(2030, 1, 1))
                extra = sum(1 for i in sub.interactions if i.id.startswith("x"))
                seen.append(extra)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for b in range(batches):
            store.write(
                GraphBatch(
                    interactions=[
                        Interaction(
                            f"x{b:02d}-{i:03d}",
                            "email",
                            at("2024-10-01T00:00:00"),
                            participants=("s2", "c4"),
                            accounts=("globex",),
                        )
                        for i in range(per_batch)
                    ]
                )
            )
    finally:
        done.set()
        reader.join()
    assert not errors
    assert seen and all(n % per_batch == 0 for n in seen)
    assert store.counts()["interaction"] - base == per_batch * batches


# -- account-scoped activity ---------------------------------------------------------------------


def scoped_portfolio() -> GraphBatch:
    """Carol moved from globex (CIO) to initech (a manager); Dan works at both at once; Greg
    reports to Carol at globex; Rex left globex's team on 2024-06-30."""
    return GraphBatch(
        accounts=[Account("globex", "Globex", tier=Tier.STRATEGIC), Account("initech", "Initech")],
        contacts=[Contact("carol", "Carol"), Contact("dan", "Dan"), Contact("greg", "Greg")],
        staff=[Staff("rep", "Rita Rep"), Staff("rex", "Rex Former")],
        employments=[
            Employment("carol", "globex", level="executive", since=date(2020, 1, 1), until=date(2024, 6, 30)),
            Employment("carol", "initech", level="management", since=date(2024, 7, 1)),
            Employment("dan", "globex", since=date(2022, 1, 1)),
            Employment("dan", "initech", since=date(2023, 1, 1)),
            Employment("greg", "globex", since=date(2020, 1, 1)),
        ],
        reporting_lines=[ReportingLine("greg", "carol", since=date(2021, 1, 1))],
        team_memberships=[
            TeamMembership("rep", "globex", "account_rep", since=date(2020, 1, 1)),
            TeamMembership("rep", "initech", "account_rep", since=date(2020, 1, 1)),
            TeamMembership("rex", "globex", "delivery_lead", since=date(2020, 1, 1), until=date(2024, 6, 30)),
        ],
        interactions=[
            Interaction("x1", "meeting", at("2024-03-01T10:00:00"), participants=("rep", "carol", "greg")),
            Interaction(
                "x2",
                "meeting",
                at("2025-02-01T10:00:00"),
                participants=("rep", "carol"),
                accounts=("initech",),
            ),
            Interaction("x3", "call", at("2025-03-01T10:00:00"), participants=("rep", "carol", "greg")),
            Interaction("x4", "call", at("2025-04-01T10:00:00"), participants=("rep", "dan")),
            Interaction(
                "x5", "meeting", at("2025-04-02T10:00:00"), participants=("rep", "dan"), accounts=("globex",)
            ),
            Interaction(
                "x6", "meeting", at("2024-05-01T10:00:00"), participants=("rex", "greg"), accounts=("globex",)
            ),
        ],
    )


SCOPE_DAY = date(2025, 6, 30)


def test_activity_of_a_person_who_moved_counts_where_they_worked(store: GraphStore) -> None:
    store.write(scoped_portfolio())
    globex = store.account_subgraph("globex", SCOPE_DAY)
    initech = store.account_subgraph("initech", SCOPE_DAY)
    participants = {i.id: i.participants for i in globex.interactions}
    # x1: about no account while Carol and Greg were at globex; x2: about initech; x3: about no
    # account after Carol left, so only Greg's pairs are globex's; x6: Rex's part ended with his
    # membership
    assert participants == {
        "x1": ("carol", "greg", "rep"),
        "x3": ("greg", "rep"),
        "x4": ("dan", "rep"),
        "x5": ("dan", "rep"),
        "x6": ("greg",),
    }
    assert {i.id: i.participants for i in initech.interactions} == {
        "x2": ("carol", "rep"),
        "x3": ("carol", "rep"),
        "x4": ("dan", "rep"),
    }
    assert ids(globex.staff) == ["rep"]
    # Greg's line to Carol ended with her last day at globex
    assert [(r.key, r.until) for r in globex.reporting_lines] == [(("greg", "carol"), date(2024, 6, 30))]


def test_ties_and_cadence_of_a_moved_person_are_scoped(store: GraphStore) -> None:
    from graph.analysis.cadence import cadence_status
    from graph.analysis.strength import get_tie, ties_of

    store.write(scoped_portfolio())
    globex = store.account_subgraph("globex", SCOPE_DAY)
    initech = store.account_subgraph("initech", SCOPE_DAY)
    g_ties, i_ties = ties_of(globex), ties_of(initech)

    def evidence(ties: Any, x: str, y: str) -> list[str]:
        tie = get_tie(ties, x, y)
        return [e.interaction_id for e in tie.evidence] if tie is not None else []

    assert evidence(g_ties, "rep", "carol") == ["x1"]
    assert evidence(i_ties, "rep", "carol") == ["x2", "x3"]
    assert evidence(g_ties, "rep", "greg") == ["x1", "x3"]
    assert evidence(g_ties, "carol", "greg") == ["x1"]
    assert evidence(g_ties, "rep", "dan") == ["x4", "x5"] and evidence(i_ties, "rep", "dan") == ["x4"]
    assert evidence(g_ties, "rex", "greg") == []
    # globex's only exec-level interaction is x1 (Carol was its CIO then); x3, after she left,
    # and x2, about initech, do not keep globex's cadence; at initech she is a manager
    status = cadence_status(globex)
    assert (status.last_interaction_id, status.exec_interactions) == ("x1", 1)
    assert status.days_since == (SCOPE_DAY - date(2024, 3, 1)).days
    assert cadence_status(initech).exec_interactions == 0


def test_a_staff_member_who_left_us_round_trips_and_counts_nowhere_after(store: GraphStore) -> None:
    batch = scoped_portfolio()
    batch.staff = [Staff("rep", "Rita Rep", until=date(2025, 3, 15)), Staff("rex", "Rex Former")]
    store.write(batch)
    assert store.get_people(["rep"])["rep"] == Staff("rep", "Rita Rep", until=date(2025, 3, 15))
    assert [s.until for s in store.iter_records("staff")] == [date(2025, 3, 15), None]
    # still with us on her last day, gone the day after: her ties go with her
    assert ids(store.account_subgraph("globex", date(2025, 3, 15)).staff) == ["rep"]
    after = store.account_subgraph("globex", date(2025, 3, 16))
    assert after.staff == ()
    # her team membership ended with her last day with us
    assert {(m.staff_id, m.until) for m in after.team} == {
        ("rep", date(2025, 3, 15)),
        ("rex", date(2024, 6, 30)),
    }
    assert store.write(batch).changed == 0


def test_the_reference_date_round_trips_and_clears(store: GraphStore) -> None:
    assert store.reference_date() is None
    store.set_reference_date(date(2026, 11, 1))
    store.set_reference_date(date(2026, 11, 2))
    assert store.reference_date() == date(2026, 11, 2)
    store.set_reference_date(None)
    assert store.reference_date() is None
    store.set_reference_date(None)  # clearing twice is fine


def test_as_of_sees_the_stance_tier_and_revenue_of_the_day(store: GraphStore) -> None:
    from graph.analysis.cadence import cadence_status
    from graph.analysis.config import DEFAULT_CONFIG

    acme = Account(
        "acme",
        "Acme",
        tier="strategic",
        annual_revenue=1_200_000,
        tier_history="2023-01-01:key;2025-01-01:strategic",
        revenue_history="2023-01-01:900000;2025-01-01:1200000",
    )
    ada = Contact("ada", "Ada", stance="skeptic", stance_history="2023-01-01:champion;2025-02-01:skeptic")
    batch = GraphBatch(
        accounts=[acme], contacts=[ada], employments=[Employment("ada", "acme", since=date(2022, 1, 1))]
    )
    store.write(batch)
    assert store.get_accounts(["acme"])["acme"] == acme and store.get_people(["ada"])["ada"] == ada
    assert store.write(batch).changed == 0
    then = store.account_subgraph("acme", date(2024, 6, 1))
    assert (then.account.tier, then.account.annual_revenue, then.contacts[0].stance) == (
        Tier.KEY,
        900_000.0,
        Stance.CHAMPION,
    )
    # the day a value changes is the first day it holds
    assert store.account_subgraph("acme", date(2025, 1, 31)).contacts[0].stance is Stance.CHAMPION
    now = store.account_subgraph("acme", date(2025, 2, 1))
    assert (now.account.tier, now.account.annual_revenue, now.contacts[0].stance) == (
        Tier.STRATEGIC,
        1_200_000.0,
        Stance.SKEPTIC,
    )
    # before the history starts, its earliest value
    assert store.account_subgraph("acme", date(2022, 6, 1)).account.tier is Tier.KEY
    assert cadence_status(then).required_days == DEFAULT_CONFIG.exec_cadence_days["key"]
    assert cadence_status(now).required_days == DEFAULT_CONFIG.exec_cadence_days["strategic"]
