"""Relationship graph, relationship map, reach and decision-chain coverage."""

from __future__ import annotations

from datetime import date

import pytest

from graph.analysis.config import AnalysisConfig
from graph.analysis.coverage import decision_chain_coverage, level_coverage, reach
from graph.analysis.relationship_map import relationship_map
from graph.analysis.relgraph import relationship_graph
from graph.model import InteractionKind, Level, ReportingLine, Role, TeamMembership, TeamRole, Tier

from .builders import AccountBuilder

EB, TB, UB, CH = Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION


def chain() -> AccountBuilder:
    """rep -> a -> b -> c -> d along strong contact ties; d holds the economic buyer role."""
    b = AccountBuilder("chain")
    b.staff("rep")
    for cid in "abcd":
        b.contact(cid)
    b.contact("eb", EB)
    b.meet("rep", "a", times=6)
    b.meet("a", "b", times=6).meet("b", "c", times=6).meet("c", "eb", times=6)
    return b


def test_graph_links_kinds_and_directions() -> None:
    b = AccountBuilder()
    b.staff("rep").contact("x").contact("y").contact("z")
    b.reports("x", "y").influences("y", "z", 0.8)
    b.meet("rep", "x", times=2).meet("x", "y", kind=InteractionKind.EMAIL, days_ago=400)
    g = relationship_graph(b.build())
    assert g.edges["x", "y"]["link"] == "reports_to" and g.edges["y", "x"]["link"] == "manages"
    assert [k for k, _ in g.edges["x", "y"]["links"]] == ["reports_to", "tie"]
    assert g.edges["y", "z"]["strength"] == 0.8 and not g.has_edge("z", "y")
    assert not g.has_edge("x", "rep")  # our staff only start paths
    assert g.graph["staff"] == ("rep",)


def test_our_staff_include_off_team_people_with_ties() -> None:
    b = AccountBuilder()
    b.staff("rep").staff("ceo", level=Level.EXECUTIVE, team_role=None).staff("gone")
    b.team[-1] = TeamMembership(
        "gone", "acme", TeamRole.ACCOUNT_REP, since=date(2020, 1, 1), until=date(2024, 1, 1)
    )
    b.contact("x", EB)
    b.meet("ceo", "x", kind=InteractionKind.EXEC_VISIT)
    g = relationship_graph(b.build())
    assert set(g.graph["staff"]) == {"rep", "ceo"}
    assert g.nodes["ceo"]["on_team"] is False and g.nodes["rep"]["team_role"] is TeamRole.ACCOUNT_REP
    m = relationship_map(b.build())
    assert [(s.staff_id, s.on_team) for s in m.staff] == [("ceo", False), ("rep", True)]


def test_map_placeholders_former_people_and_dated_lines() -> None:
    b = AccountBuilder("big", tier=Tier.STRATEGIC)
    b.staff("rep")
    b.contact("cfo", EB, level=Level.EXECUTIVE, title="CFO")
    b.contact("it", TB, UB, CH)
    b.contact("buyer", Role.PROCUREMENT, until=date(2025, 1, 31))
    b.contact("later", Role.EXECUTIVE_SPONSOR, since=date(2025, 9, 1))
    b.reporting.append(ReportingLine("it", "cfo", until=date(2024, 12, 31)))
    b.reports("buyer", "cfo")
    m = relationship_map(b.build())
    assert [c.contact_id for c in m.contacts] == ["cfo", "it"]
    assert [(c.contact_id, c.left, c.roles) for c in m.former] == [("buyer", True, (Role.PROCUREMENT,))]
    assert [p.role for p in m.placeholders] == [Role.EXECUTIVE_SPONSOR, Role.PROCUREMENT]
    assert [(line.source, line.target) for line in m.org_lines] == [("buyer", "cfo")]
    assert m.contact("cfo").level is Level.EXECUTIVE and m.contact("cfo").title == "CFO"
    with pytest.raises(KeyError, match="nobody"):
        m.contact("nobody")
    cov = decision_chain_coverage(relationship_graph(b.build()), Tier.STRATEGIC)
    assert cov.role(Role.PROCUREMENT).holders == () and not cov.role(Role.PROCUREMENT).covered


def test_reach_is_bounded_by_hops() -> None:
    sub = chain().build()
    g = relationship_graph(sub)
    assert "eb" not in reach(g)  # four links away
    assert reach(g, AnalysisConfig(reach_max_hops=4))["eb"].nodes == ("rep", "a", "b", "c", "eb")
    cov = decision_chain_coverage(g, Tier.KEY, AnalysisConfig(reach_max_hops=4))
    eb = cov.role(EB)
    assert eb.covered and [link.link for link in eb.path.links] == ["tie"] * 4  # type: ignore[union-attr]
    assert eb.strength == pytest.approx(eb.path.strength)  # type: ignore[union-attr]


def test_score_is_the_weighted_share_of_covered_roles() -> None:
    b = AccountBuilder()
    b.staff("rep").contact("eb", EB).contact("ch", CH).contact("tb", TB).contact("ub", UB)
    b.meet("rep", "eb", times=3).meet("rep", "ch", times=3)
    g = relationship_graph(b.build())
    cov = decision_chain_coverage(g, Tier.KEY)
    # weights: economic buyer 2, champion 1.5, the others 1
    assert cov.total_weight == 5.5 and cov.covered_weight == 3.5
    assert cov.score == pytest.approx(100 * 3.5 / 5.5)
    assert cov.uncovered == (TB, UB)
    custom = AnalysisConfig.from_mapping({"role_weights": {"champion": 0.5}})
    assert decision_chain_coverage(g, Tier.KEY, custom).score == pytest.approx(100 * 2.5 / 4.5)
    assert decision_chain_coverage(g, Tier.KEY, AnalysisConfig(base_required_roles=())).score == 100.0


def test_level_coverage_reports_the_best_pair_and_threshold() -> None:
    b = AccountBuilder()
    b.staff("m1", level=Level.MANAGEMENT).staff("m2", level=Level.MANAGEMENT)
    b.contact("x", level=Level.MANAGEMENT).contact("y", level=Level.MANAGEMENT)
    b.meet("m1", "x", times=1).meet("m2", "y", times=4)
    levels = {lc.level: lc for lc in level_coverage(relationship_graph(b.build()))}
    assert (levels[Level.MANAGEMENT].staff_id, levels[Level.MANAGEMENT].contact_id) == ("m2", "y")
    assert levels[Level.MANAGEMENT].covered
    strict = level_coverage(relationship_graph(b.build()), AnalysisConfig(strong_threshold=0.9999))
    assert not strict[1].covered and strict[1].contact_id == "y"
    assert level_coverage(relationship_graph(b.build()), removed={"m2"})[1].contact_id == "x"


def test_time_travel_sees_only_the_past() -> None:
    b = chain()
    early = b.build(date(2024, 1, 1))
    assert relationship_graph(early).number_of_edges() == 0
    assert decision_chain_coverage(relationship_graph(early), Tier.KEY).score == 0.0


def test_unknown_tier_is_a_clear_error() -> None:
    from graph.analysis.risk import relationship_threads

    g = relationship_graph(chain().build())
    with pytest.raises(ValueError, match="unknown account tier 'gold'"):
        decision_chain_coverage(g, "gold")
    with pytest.raises(ValueError, match="unknown account tier 'gold'"):
        relationship_threads(g, "gold")
