"""The account-map diff against hand-built maps: every appearance, change and departure listed by hand."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from graph.analysis.coverage import Coverage, decision_chain_coverage
from graph.analysis.map_diff import APPEARED, CHANGED, WENT, diff_maps
from graph.analysis.relationship_map import MapContact, MapLine, MapStaff, RelationshipMap
from graph.analysis.relgraph import example_subgraph, relationship_graph
from graph.analysis.strength import CONTACT_CONTACT, STAFF_CONTACT, Tie, ties_of
from graph.model import Level, Role, Stance, TeamRole, Tier

JAN, JUN = date(2025, 1, 31), date(2025, 6, 30)
_TIE = next(iter(ties_of(example_subgraph()).values()))
_COVERAGE = decision_chain_coverage(relationship_graph(example_subgraph()), "key")


def tie(a: str, b: str, strength: float, band: str, *, cold: bool = False, kind: str = STAFF_CONTACT) -> Tie:
    return dataclasses.replace(_TIE, a=a, b=b, kind=kind, strength=strength, band=band, going_cold=cold)


def contact(cid: str, *roles: Role, title: str = "Manager", stance: Stance = Stance.NEUTRAL) -> MapContact:
    return MapContact(
        cid, cid.upper(), title, None, Level.MANAGEMENT, roles, 3, stance, None, None, None, False
    )


def staff(sid: str, on_team: bool = True) -> MapStaff:
    return MapStaff(
        sid, sid.upper(), None, None, on_team, TeamRole.ACCOUNT_REP if on_team else None, None, None
    )


def relmap(
    day: date, contacts: tuple[MapContact, ...], ties: tuple[Tie, ...], lines: tuple[MapLine, ...] = ()
) -> RelationshipMap:
    org = tuple(line for line in lines if line.kind == "reports_to")
    influence = tuple(line for line in lines if line.kind == "influences")
    return RelationshipMap(
        "acme",
        "Acme",
        Tier.KEY,
        day,
        contacts,
        (),
        org,
        influence,
        (staff("rep"), staff("sa", day == JUN)),
        ties,
        (),
        (),
    )


def coverage(score: float, *roles: tuple[Role, bool, str | None, float]) -> Coverage:
    base = _COVERAGE.roles[0]
    rows = tuple(
        dataclasses.replace(base, role=r, covered=c, holder=h, strength=s, holders=(h,) if h else ())
        for r, c, h, s in roles
    )
    return dataclasses.replace(_COVERAGE, score=score, roles=rows)


BEFORE = relmap(
    JAN,
    (
        contact("cfo", Role.ECONOMIC_BUYER),
        contact("cto", Role.TECHNICAL_BUYER),
        contact("pm", Role.USER_BUYER),
    ),
    (
        tie("rep", "cfo", 0.72, "strong"),
        tie("rep", "cto", 0.40, "medium"),
        tie("rep", "pm", 0.31, "medium"),
        tie("cto", "pm", 0.50, "medium", kind=CONTACT_CONTACT),
    ),
    (MapLine("reports_to", "pm", "cto", 0.5), MapLine("influences", "cto", "cfo", 0.6)),
)
AFTER = relmap(
    JUN,
    (
        contact("cfo", Role.ECONOMIC_BUYER),
        contact("cto", Role.TECHNICAL_BUYER, Role.CHAMPION, title="CTO"),
        contact("ops", Role.USER_BUYER, stance=Stance.SUPPORTER),
    ),
    (
        tie("rep", "cfo", 0.70, "strong"),  # moved 0.02 < 0.05: not a change
        tie("rep", "cto", 0.40, "medium", cold=True),  # went cold
        tie("sa", "ops", 0.65, "strong"),
        tie("cto", "cfo", 0.45, "medium", kind=CONTACT_CONTACT),
    ),
    (MapLine("reports_to", "ops", "cto", 0.5), MapLine("influences", "cto", "cfo", 0.9)),
)


def test_people_that_appeared_changed_and_went() -> None:
    d = diff_maps(BEFORE, AFTER)
    assert [(c.change, c.key, c.fields) for c in d.people] == [
        (CHANGED, "cto", ("title", "roles")),
        (APPEARED, "ops", ()),
        (WENT, "pm", ()),
        (CHANGED, "sa", ("on_team", "team_role")),
    ]
    cto = d.people[0]
    assert cto.before is not None and cto.after is not None
    assert cto.before["roles"] == ("technical_buyer",) and cto.after["roles"] == (
        "champion",
        "technical_buyer",
    )
    assert d.people[1].before is None and d.people[2].after is None


def test_ties_change_on_band_cold_or_a_move_of_the_tolerance() -> None:
    d = diff_maps(BEFORE, AFTER)
    assert [(c.change, c.key, c.fields) for c in d.ties] == [
        (APPEARED, "cfo|cto", ()),
        (WENT, "cto|pm", ()),
        (CHANGED, "cto|rep", ("going_cold",)),
        (APPEARED, "ops|sa", ()),
        (WENT, "pm|rep", ()),
    ]
    # with a tolerance of 0.01 the 0.72 -> 0.70 move of rep-cfo counts too
    fine = diff_maps(BEFORE, AFTER, strength_tolerance=0.01)
    assert (CHANGED, "cfo|rep", ("strength",)) in [(c.change, c.key, c.fields) for c in fine.ties]


def test_lines_and_roles() -> None:
    d = diff_maps(BEFORE, AFTER)
    assert [(c.change, c.key, c.fields) for c in d.lines] == [
        (CHANGED, "influences|cto|cfo", ("weight",)),
        (APPEARED, "reports_to|ops|cto", ()),
        (WENT, "reports_to|pm|cto", ()),
    ]
    assert [(c.change, c.key, c.fields) for c in d.roles] == [
        (APPEARED, "champion", ()),
        (CHANGED, "user_buyer", ("holders",)),
    ]
    user = d.roles[1]
    assert user.before == {"role": "user_buyer", "holders": ("pm",)}
    assert user.after == {"role": "user_buyer", "holders": ("ops",)}


def test_coverage_per_required_role_and_scores() -> None:
    before = coverage(
        60.0,
        (Role.ECONOMIC_BUYER, True, "cfo", 0.72),
        (Role.TECHNICAL_BUYER, False, "cto", 0.40),
        (Role.USER_BUYER, False, "pm", 0.31),
    )
    after = coverage(
        80.0,
        (Role.ECONOMIC_BUYER, True, "cfo", 0.70),
        (Role.TECHNICAL_BUYER, False, "cto", 0.40),
        (Role.USER_BUYER, True, "ops", 0.65),
    )
    d = diff_maps(BEFORE, AFTER, before, after)
    assert [(c.change, c.key, c.fields) for c in d.coverage] == [
        (CHANGED, "user_buyer", ("covered", "holder", "strength")),
    ]
    assert (d.coverage_before, d.coverage_after) == (60.0, 80.0)
    assert d.count() == 4 + 5 + 3 + 2 + 1 and d.count(WENT) == 4


def test_the_same_map_has_no_changes_and_bad_input_is_refused() -> None:
    assert diff_maps(AFTER, AFTER).count() == 0
    with pytest.raises(ValueError, match="later than"):
        diff_maps(AFTER, BEFORE)
    with pytest.raises(ValueError, match="two accounts"):
        diff_maps(BEFORE, dataclasses.replace(AFTER, account_id="other"))
    with pytest.raises(ValueError, match="both coverages"):
        diff_maps(BEFORE, AFTER, _COVERAGE, None)
    with pytest.raises(ValueError, match="negative"):
        diff_maps(BEFORE, AFTER, strength_tolerance=-0.1)
