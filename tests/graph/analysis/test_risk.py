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
    assert set(director.cuts_roles) == {EB, TB, UB, CH}
    assert "dir" in a.threads.articulation_points
    # our rep is the one thread on our side: their departure costs exactly as much, so the tie
    # goes to the smaller id, the director
    rep = a.departure_impacts["rep"]
    assert (rep.coverage_lost, rep.threads_lost) == (director.coverage_lost, director.threads_lost)
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
    assert w.revenue_at_risk == pytest.approx(2_000_000.0 * w.coverage_lost / 100)
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
