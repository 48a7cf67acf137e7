"""Key-person risk on hand-built accounts from KAM practice."""

from __future__ import annotations

from datetime import date

import pytest

from graph.analysis.account import analyse_account
from graph.analysis.risk import exposure, what_if
from graph.model import InteractionKind, Level, Role, TeamRole, Tier

from .builders import AccountBuilder

EB, TB, UB, CH = Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION


def single_threaded() -> AccountBuilder:
    """The rep knows the IT director; the director knows the CIO and the engineers.

    The director leaves on 2025-05-31; the replacement starts on 2025-06-01 and nobody knows her.
    """
    b = AccountBuilder("acme", revenue=2_000_000.0)
    b.staff("rep", level=Level.MANAGEMENT)
    b.contact("cio", EB, level=Level.EXECUTIVE)
    b.contact("dir", TB, CH, level=Level.MANAGEMENT, until=date(2025, 5, 31), title="IT Director")
    b.contact("dir2", TB, CH, level=Level.MANAGEMENT, since=date(2025, 6, 1), title="IT Director")
    b.contact("eng", UB, level=Level.OPERATIONAL)
    b.reports("dir", "cio").reports("eng", "dir").reports("dir2", "cio").reports("eng", "dir2")
    b.meet("rep", "dir", days_ago=50, times=6)
    b.meet("dir", "cio", days_ago=50, times=4)
    b.meet("dir", "eng", days_ago=50, times=4)
    return b


def test_single_threaded_account_before_the_director_leaves() -> None:
    a = analyse_account(single_threaded().build(date(2025, 5, 15)))
    # our strong tie to the director covers technical buyer and champion directly; the CIO (the
    # director's manager) and the engineer (a report) through an introduction, at half weight:
    # (1 + 1.5 + 0.5 * 2 + 0.5 * 1) / 5.5
    assert [(r.role, r.grade) for r in a.coverage.roles] == [
        (EB, "introduction"), (TB, "direct"), (UB, "introduction"), (CH, "direct")]  # fmt: skip
    assert a.coverage.role(EB).introducer == "dir" and a.coverage.role(UB).introducer == "dir"
    assert a.coverage.score == pytest.approx(100 * 4.0 / 5.5)
    assert a.threads.threads == 1
    spoc = [(p.person_id, p.side) for p in a.threads.single_points_of_contact]
    assert spoc == [("rep", "ours"), ("dir", "theirs")]
    director = a.departure_impacts["dir"]
    assert director.coverage_lost == pytest.approx(100 * 4.0 / 5.5)  # everything goes with him
    assert set(director.roles_lost) == {EB, TB, UB, CH}
    assert director.threads_lost == 1 and director.threads_after == 0
    assert director.revenue_at_risk == pytest.approx(2_000_000.0 * 4.0 / 5.5)
    # the director holds technical buyer and champion (turnover, and nobody of ours knows the CIO
    # or the engineer around him, so nothing makes it good); the CIO and the engineer were
    # reached through him (relationship): (1 + 1.5) / 5.5 and (0.5 * 2 + 0.5 * 1) / 5.5
    assert director.turnover_at_risk == pytest.approx(100 * 2.5 / 5.5)
    assert director.relationship_at_risk == pytest.approx(100 * 1.5 / 5.5)
    assert {(r.role, r.part, r.cover) for r in director.role_risks} == {
        (EB, "relationship", 0.0), (TB, "turnover", 0.0), (UB, "relationship", 0.0), (CH, "turnover", 0.0)}  # fmt: skip
    assert set(director.cuts_roles) == {EB, TB, UB, CH}
    assert "dir" in a.threads.articulation_points
    # our rep is the one thread on our side: their departure costs exactly as much, so the tie
    # goes to the smaller id, the director
    rep = a.departure_impacts["rep"]
    assert (rep.coverage_lost, rep.threads_lost) == (director.coverage_lost, director.threads_lost)
    assert rep.relationship_at_risk == pytest.approx(100 * 4.0 / 5.5) and rep.turnover_at_risk == 0.0
    assert a.key_person_risk is not None and a.key_person_risk.person_id == "dir"
    # the engineer only costs their own role
    assert a.departure_impacts["eng"].roles_lost == (UB,)
    # the what-if agrees with the departure impact
    w = a.what_if({"dir"})
    assert w.coverage_lost == pytest.approx(100 * 4.0 / 5.5) and w.threads.threads == 0


def test_single_threaded_account_after_the_director_left() -> None:
    a = analyse_account(single_threaded().build(date(2025, 6, 30)))
    assert a.coverage.score == 0.0
    assert [c.contact_id for c in a.map.former] == ["dir"]
    assert a.map.contact("dir").left and a.map.contact("dir").until == date(2025, 5, 31)
    champion = a.coverage.role(CH)
    assert champion.holders == ("dir2",) and not champion.covered and champion.holder is None
    assert a.threads.threads == 0 and a.threads.single_points_of_contact == ()
    assert "dir" not in a.graph
    assert all(rc.cut_vertices == () for rc in a.threads.role_cuts)


def test_exec_ties_without_working_level_ties() -> None:
    b = AccountBuilder("globex")
    b.staff("sponsor", level=Level.EXECUTIVE, team_role=TeamRole.EXECUTIVE_SPONSOR)
    b.staff("rep", level=Level.OPERATIONAL)
    b.contact("ceo", EB, level=Level.EXECUTIVE)
    b.contact("ops", UB, level=Level.OPERATIONAL)
    b.contact("mgr", TB, level=Level.MANAGEMENT)
    b.meet("sponsor", "ceo", kind=InteractionKind.EXEC_VISIT, times=3)
    b.meet("rep", "ops", kind=InteractionKind.EMAIL, days_ago=200)
    a = analyse_account(b.build())
    levels = {lc.level: lc for lc in a.level_coverage}
    assert levels[Level.EXECUTIVE].covered
    assert (levels[Level.EXECUTIVE].staff_id, levels[Level.EXECUTIVE].contact_id) == ("sponsor", "ceo")
    assert not levels[Level.MANAGEMENT].covered and levels[Level.MANAGEMENT].staff_id is None
    operational = levels[Level.OPERATIONAL]
    assert not operational.covered and (operational.staff_id, operational.contact_id) == ("rep", "ops")
    assert 0 < operational.strength < 0.3
    assert a.coverage.role(EB).covered and not a.coverage.role(UB).covered
    # losing the sponsor loses the executive level
    assert a.what_if({"sponsor"}).levels_lost == ("executive",)


def _rep_account(account_id: str, revenue: float) -> AccountBuilder:
    b = AccountBuilder(account_id, tier=Tier.KEY, revenue=revenue)
    b.staff("rep", level=Level.MANAGEMENT)
    b.staff("se", level=Level.OPERATIONAL, team_role=TeamRole.SOLUTION_SPECIALIST)
    for cid, role in (("eb", EB), ("tb", TB), ("ub", UB), ("ch", CH)):
        b.contact(f"{account_id}-{cid}", role, level=Level.MANAGEMENT)
        b.meet("rep", f"{account_id}-{cid}", times=3)
    return b


def test_rep_who_holds_every_tie_of_three_accounts() -> None:
    revenues = {"a1": 1_000_000.0, "a2": 500_000.0, "a3": 250_000.0}
    analyses = [analyse_account(_rep_account(aid, rev).build()) for aid, rev in revenues.items()]
    for a in analyses:
        assert a.coverage.score == 100.0
        assert a.threads.threads == 1
        assert [p.person_id for p in a.threads.single_points_of_contact] == ["rep"]
        assert a.threads.single_points_of_contact[0].side == "ours"
        assert a.departure_impacts["rep"].coverage_lost == 100.0
        assert a.departure_impacts["se"].coverage_lost == 0.0
        assert a.revenue_at_risk == revenues[a.account.id]
    ours = exposure(analyses)
    assert ours[0].person_id == "rep"
    assert ours[0].revenue_at_risk == pytest.approx(sum(revenues.values()))
    assert [row[0] for row in ours[0].accounts] == ["a1", "a2", "a3"]
    assert {e.person_id for e in ours} == {"rep", "se"}
    theirs = exposure(analyses, side="theirs")
    assert all(e.side == "theirs" for e in theirs)
    with pytest.raises(ValueError, match="side must be"):
        exposure(analyses, side="both")


def test_what_if_on_a_subgraph_and_bad_ids() -> None:
    sub = single_threaded().build(date(2025, 5, 15))
    w = what_if(sub, ["eng", "cio"])
    assert w.removed == ("cio", "eng")
    assert set(w.roles_lost) == {EB, UB}
    assert w.threads_lost == 0 and w.threads.threads == 1
    assert w.coverage_lost == pytest.approx(100 * 1.5 / 5.5)
    # both leave their own role (turnover); our strong tie to the director, the CIO's report and
    # the engineer's manager, makes good 0.75 of each: (0.5 * 2 + 0.5 * 1) * 0.25 / 5.5
    assert w.turnover_at_risk == pytest.approx(100 * 0.375 / 5.5) and w.relationship_at_risk == 0.0
    assert {(r.role, r.via, r.staff_id, r.cover) for r in w.role_risks} == {
        (EB, "dir", "rep", 0.75),
        (UB, "dir", "rep", 0.75),
    }
    assert w.revenue_at_risk == pytest.approx(2_000_000.0 * 0.375 / 5.5)
    with pytest.raises(ValueError, match="'nobody'"):
        what_if(sub, ["nobody"])


def test_payload_is_json_and_complete() -> None:
    import json

    a = analyse_account(single_threaded().build(date(2025, 5, 15)))
    payload = json.loads(json.dumps(a.to_payload(evidence_limit=2)))
    assert payload["coverage"]["score"] == pytest.approx(100 * 4.0 / 5.5)
    assert [r["grade"] for r in payload["coverage"]["roles"]] == [
        "introduction",
        "direct",
        "introduction",
        "direct",
    ]
    assert payload["key_person"] == "dir"  # tied with the rep, first by id (see above)
    assert len(payload["departure_impacts"]) == len(a.graph)
    tie = next(t for t in payload["map"]["ties"] if (t["a"], t["b"]) == ("rep", "dir"))
    assert tie["interactions"] == 6 and len(tie["evidence"]) == 2
    assert payload["threads"]["single_points_of_contact"][1] == {"person_id": "dir", "side": "theirs"}


def _multi_threaded(account_id: str, revenue: float) -> AccountBuilder:
    """Three of ours each know several people; the CIO's reports are known, and so on down."""
    b = AccountBuilder(account_id, tier=Tier.KEY, revenue=revenue)
    b.staff("rep", level=Level.MANAGEMENT)
    b.staff("se", level=Level.OPERATIONAL, team_role=TeamRole.SOLUTION_SPECIALIST)
    b.staff("exec", level=Level.EXECUTIVE, team_role=TeamRole.EXECUTIVE_SPONSOR)
    b.contact("cio", EB, level=Level.EXECUTIVE)
    b.contact("dir", TB, level=Level.MANAGEMENT)
    b.contact("mgr", CH, level=Level.MANAGEMENT)
    b.contact("eng", UB, level=Level.OPERATIONAL)
    b.reports("dir", "cio").reports("mgr", "cio").reports("eng", "mgr")
    for staff, contact in (("exec", "cio"), ("rep", "cio"), ("rep", "dir"), ("rep", "mgr"),
                           ("rep", "eng"), ("se", "dir"), ("se", "mgr"), ("se", "eng")):  # fmt: skip
        b.meet(staff, contact, days_ago=20, times=6)
    return b


def _single_threaded(account_id: str, revenue: float) -> AccountBuilder:
    """Our rep knows the director alone; the CIO and the engineer are reached through him."""
    b = AccountBuilder(account_id, tier=Tier.KEY, revenue=revenue)
    b.staff("rep", level=Level.MANAGEMENT)
    b.contact("cio", EB, level=Level.EXECUTIVE)
    b.contact("dir", TB, CH, level=Level.MANAGEMENT)
    b.contact("eng", UB, level=Level.OPERATIONAL)
    b.reports("dir", "cio").reports("eng", "dir")
    b.meet("rep", "dir", days_ago=20, times=6)
    return b


def test_multi_threaded_account_shows_little_at_risk_and_single_threaded_a_lot() -> None:
    from graph.analysis.portfolio import account_payload, portfolio_view

    revenue = 1_000_000.0
    multi = analyse_account(_multi_threaded("multi", revenue).build())
    single = analyse_account(_single_threaded("single", revenue).build())
    assert multi.coverage.score == 100.0 and multi.threads.threads >= 2
    # multi: no departure of ours costs a role (another strong tie remains); the worst is the
    # CIO's own role going vacant, made good to 0.75 by our strong ties to his reports:
    # 2 * 1 * (1 - 0.75) / 5.5 of the revenue
    worst = multi.key_person_risk
    assert worst is not None and worst.person_id == "cio" and worst.relationship_at_risk == 0.0
    assert multi.revenue_at_risk == pytest.approx(revenue * 2 * 0.25 / 5.5)
    assert all(multi.departure_impacts[s].at_risk == 0.0 for s in ("rep", "se", "exec"))
    # single: (2 * 0.5 + 1 + 1 * 0.5 + 1.5) / 5.5 covered, all of it carried by the rep and the director
    assert single.coverage.score == pytest.approx(100 * 4.0 / 5.5)
    assert single.revenue_at_risk == pytest.approx(revenue * 4.0 / 5.5)
    assert single.revenue_at_risk - multi.revenue_at_risk == pytest.approx(revenue * (4.0 - 0.5) / 5.5)

    # the portfolio ranks them so, and an account nobody of ours covers is exposed, first, not safe
    exposed = AccountBuilder("bare", tier=Tier.KEY, revenue=500_000.0)
    exposed.staff("rep", level=Level.MANAGEMENT)
    exposed.contact("ceo", EB, level=Level.EXECUTIVE)
    exposed.meet("rep", "ceo", kind=InteractionKind.EMAIL, days_ago=300)
    day = _multi_threaded("multi", revenue).as_of
    payloads = {
        "multi": account_payload(_multi_threaded("multi", revenue).build(), detail=False),
        "single": account_payload(_single_threaded("single", revenue).build(), detail=False),
        "bare": account_payload(exposed.build(), detail=False),
    }
    view = portfolio_view(payloads, day)
    assert [r.account_id for r in view.accounts] == ["single", "bare", "multi"]
    bare = view.account("bare")
    assert bare.exposed and bare.revenue_at_risk == 0.0 and bare.revenue_exposed == 500_000.0
    assert not view.account("single").exposed and not view.account("multi").exposed
    assert view.totals["revenue_exposed"] == 500_000.0 and view.totals["exposed"] == 1
    assert view.totals["revenue_at_risk"] == pytest.approx(revenue * 4.5 / 5.5)
    single_row = view.account("single")
    assert single_row.revenue_relationship + single_row.revenue_turnover == pytest.approx(
        single_row.revenue_at_risk
    )
