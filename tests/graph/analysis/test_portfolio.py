"""Tests of the portfolio view and the diff of two dates (pure, over hand-built subgraphs)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from graph.analysis.portfolio import (
    PortfolioView,
    account_payload,
    diff_portfolios,
    portfolio_view,
)
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
    Tier,
)
from graph.store import AccountSubgraph

ROLES = frozenset({Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION})
REP = Staff("rep", "Rita", level=Level.MANAGEMENT)
CSM = Staff("csm", "Cem", level=Level.MANAGEMENT)


def account_as_of(
    account: Account, as_of: date, *, second_thread: bool = False, director_left: date | None = None
) -> AccountSubgraph:
    """One director holds every role; the rep meets them monthly. ``second_thread`` adds a CSM who
    meets a second role holder (the CFO, economic buyer + champion)."""
    a = account.id
    director = Contact(f"{a}-dir", f"Dir {a}", level=Level.MANAGEMENT, stance=Stance.CHAMPION)
    cfo = Contact(f"{a}-cfo", f"CFO {a}", level=Level.MANAGEMENT, stance=Stance.SUPPORTER)
    jobs = [Employment(director.id, a, roles=ROLES, since=date(2020, 1, 1), until=director_left)]
    meetings = [
        Interaction(
            f"{a}-m{m}",
            InteractionKind.MEETING,
            datetime(2025, m, 5, tzinfo=UTC),
            participants=("rep", director.id),
            accounts=(a,),
        )
        for m in range(1, 7)
    ]
    staff = [REP]
    team = [TeamMembership("rep", a, TeamRole.ACCOUNT_REP, since=date(2020, 1, 1))]
    contacts = [director]
    if second_thread:
        contacts.append(cfo)
        jobs.append(
            Employment(
                cfo.id, a, roles=frozenset({Role.ECONOMIC_BUYER, Role.CHAMPION}), since=date(2020, 1, 1)
            )
        )
        meetings += [
            Interaction(
                f"{a}-c{m}",
                InteractionKind.MEETING,
                datetime(2025, m, 6, tzinfo=UTC),
                participants=("csm", cfo.id),
                accounts=(a,),
            )
            for m in range(1, 7)
        ]
        staff.append(CSM)
        team.append(TeamMembership("csm", a, TeamRole.CUSTOMER_SUCCESS, since=date(2020, 1, 1)))
    return AccountSubgraph(
        account,
        as_of,
        contacts=tuple(contacts),
        employments=tuple(jobs),
        staff=tuple(staff),
        team=tuple(team),
        interactions=tuple(ix for ix in meetings if ix.at.date() <= as_of),
    )


ACME = Account(
    "acme", "Acme", tier=Tier.KEY, annual_revenue=5000, potential_revenue=100, industry="manufacturing"
)
BOLT = Account("bolt", "Bolt", tier=Tier.KEY, annual_revenue=3000, potential_revenue=900)
CORA = Account("cora", "Cora", tier=Tier.STRATEGIC, annual_revenue=2000, potential_revenue=500)
AS_OF = date(2025, 6, 30)


def view_as_of(day: date, **options: dict[str, object]) -> PortfolioView:
    subgraphs = {
        "acme": account_as_of(ACME, day, **options.get("acme", {})),  # type: ignore[arg-type]
        "bolt": account_as_of(BOLT, day, **options.get("bolt", {})),  # type: ignore[arg-type]
        "cora": account_as_of(CORA, day, **options.get("cora", {})),  # type: ignore[arg-type]
    }
    return portfolio_view({a: account_payload(s, detail=False) for a, s in subgraphs.items()}, day)


def test_a_rep_holding_every_tie_of_three_accounts_carries_their_revenue_at_risk() -> None:
    view = view_as_of(AS_OF)
    assert [r.account_id for r in view.accounts] == ["acme", "bolt", "cora"]
    for row in view.accounts:
        assert row.threads == 1 and row.key_person == f"{row.account_id}-dir"
        assert set(row.single_points_of_contact) == {"rep", f"{row.account_id}-dir"}
    # key accounts: the director covers every required role; cora (strategic) also needs an
    # executive sponsor and procurement, so only 5.5 of 7.5 role weight is covered and at risk
    assert [r.revenue_at_risk for r in view.accounts] == pytest.approx([5000, 3000, 2000 * 5.5 / 7.5])
    rep = view.people[0]
    assert (rep.person_id, rep.side, rep.name) == ("rep", "ours", "Rita")
    assert rep.revenue_at_risk == pytest.approx(8000 + 2000 * 5.5 / 7.5)
    assert [a for a, _ in rep.accounts] == ["acme", "bolt", "cora"]
    theirs = [p for p in view.people if p.side == "theirs"]
    assert [p.person_id for p in theirs] == ["acme-dir", "bolt-dir", "cora-dir"]
    assert view.totals["revenue_at_risk"] == pytest.approx(rep.revenue_at_risk)
    assert view.totals["single_threaded"] == 3


def test_gaps_context_and_alerts() -> None:
    view = view_as_of(AS_OF)
    cora_gaps = {(g.kind, g.name) for g in view.gaps if g.account_id == "cora"}
    assert {("role", "executive_sponsor"), ("role", "procurement")} <= cora_gaps
    assert ("level", "executive") in cora_gaps
    kinds = {(a.kind, a.account_id) for a in view.alerts}
    assert ("single_point_of_contact", "cora") in kinds
    assert ("cadence_breach", "cora") in kinds  # no exec-level interaction at a strategic account
    assert ("concentration", "acme") in kinds
    assert view.alerts[0].severity == "severe"
    assert [a.severity_rank for a in view.alerts] == sorted(
        (a.severity_rank for a in view.alerts), reverse=True
    )
    acme = view.account("acme")
    assert acme.quadrant == "cash_cow" and acme.concentration == pytest.approx(0.5)
    assert view.account("bolt").quadrant == "star"
    again = PortfolioView.from_payload(view.to_payload())
    assert again.accounts == view.accounts and again.alerts == view.alerts and again.people == view.people


def test_diff_of_two_dates_shows_what_got_riskier_and_what_improved() -> None:
    before = view_as_of(date(2025, 5, 31), bolt={"director_left": date(2025, 12, 31)})
    after = view_as_of(
        AS_OF,
        acme={"second_thread": True},  # a second thread: less hangs on one person
        bolt={"director_left": date(2025, 6, 15)},  # the director left: coverage collapses
    )
    diff = diff_portfolios(before, after)
    assert [c.account_id for c in diff.improved] == ["acme"]
    assert diff.improved[0].revenue_at_risk_delta < 0 and diff.improved[0].threads_after == 2
    assert "bolt" not in [c.account_id for c in diff.improved]
    bolt = after.account("bolt")
    assert bolt.coverage_score == 0.0 and bolt.threads == 0
    assert ("role", "champion") in {(g.kind, g.name) for g in after.gaps if g.account_id == "bolt"}
    # coverage decides first: it fell from what the director carried to nothing, so bolt got
    # riskier, whatever its revenue at risk did (nothing is left to lose)
    assert before.account("bolt").coverage_score > 0
    assert [c.account_id for c in diff.riskier] == ["bolt"]
    resolved = {(a.kind, a.account_id, a.person_id) for a in diff.resolved_alerts}
    assert ("single_point_of_contact", "acme", "rep") in resolved
    payload = diff.to_payload()
    assert payload["before"] == "2025-05-31" and payload["improved"][0]["account_id"] == "acme"


def test_payloads_must_match_the_day() -> None:
    payload = account_payload(account_as_of(ACME, AS_OF), detail=False)
    with pytest.raises(ValueError, match="as of"):
        portfolio_view({"acme": payload}, date(2025, 1, 1))
    with pytest.raises(ValueError, match="keyed"):
        portfolio_view({"bolt": payload}, AS_OF)
