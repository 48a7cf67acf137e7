"""Relationship graph, relationship map, reach and decision-chain coverage."""

from __future__ import annotations

from datetime import date

import networkx as nx
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
    # reached, but neither directly nor through an org line: a gap, with the reach as evidence
    assert eb.grade == "gap" and not eb.covered
    assert [link.link for link in eb.path.links] == ["tie"] * 4  # type: ignore[union-attr]
    assert eb.strength == pytest.approx(eb.path.strength)  # type: ignore[union-attr]


def test_score_is_the_weighted_share_of_covered_roles() -> None:
    b = AccountBuilder()
    b.staff("rep").contact("eb", EB).contact("ch", CH).contact("tb", TB).contact("ub", UB)
    b.meet("rep", "eb", times=3).meet("rep", "ch", times=3)
    g = relationship_graph(b.build())
    # three weekly meetings, the last 10 days ago: raw = 2 (2^(-10/90) + 2^(-17/90) + 2^(-24/90))
    raw = 2 * sum(2 ** (-d / 90) for d in (10, 17, 24))
    assert g.edges["rep", "eb"]["strength"] == pytest.approx(raw / (raw + 2.5) / (1 + (10 / 182) ** 2))
    assert 0.6 < g.edges["rep", "eb"]["strength"] < 0.7  # 5.269 / 7.769 x 0.997: strong, direct
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


def _hand_graph(
    ties: dict[tuple[str, str], float], lines: dict[tuple[str, str], tuple[str, float]]
) -> nx.DiGraph:
    """A path graph built by hand: ``rep`` and ``exec`` ours; eb, tb, ub, ch hold one role each."""
    g = nx.DiGraph(account_id="acme")
    for s in ("rep", "exec"):
        g.add_node(s, kind="staff", name=s, level=None, on_team=True, team_role=None)
    roles = {"eb": EB, "tb": TB, "ub": UB, "ch": CH, "mgr": None, "peer": None}
    for c, role in roles.items():
        g.add_node(c, kind="contact", name=c, level=None, roles=frozenset({role} if role else ()))
    for (u, v), w in ties.items():
        g.add_edge(u, v, strength=w, link="tie", links=(("tie", w),))
    for (u, v), (kind, w) in lines.items():
        links = tuple(sorted((*g.edges[u, v]["links"], (kind, w)) if g.has_edge(u, v) else ((kind, w),),
                             key=lambda item: -item[1]))  # fmt: skip
        g.add_edge(u, v, strength=links[0][1], link=links[0][0], links=links)
    g.graph["staff"] = ("exec", "rep")
    g.graph["contacts"] = tuple(roles)
    return g


def test_a_strong_tie_to_the_holders_manager_is_an_introduction() -> None:
    # the issue's case: a 0.97 tie to the economic buyer's manager, whose line reaches at 0.5
    g = _hand_graph(
        {("rep", "mgr"): 0.97}, {("mgr", "eb"): ("manages", 0.5), ("eb", "mgr"): ("reports_to", 0.5)}
    )
    eb = decision_chain_coverage(g, Tier.KEY).role(EB)
    assert (eb.grade, eb.covered, eb.holder, eb.introducer, eb.staff_id) == (
        "introduction",
        True,
        "eb",
        "mgr",
        "rep",
    )
    assert [(link.source, link.target, link.link) for link in eb.path.links] == [  # type: ignore[union-attr]
        ("rep", "mgr", "tie"), ("mgr", "eb", "manages")]  # fmt: skip
    assert eb.tie_strength == 0.97 and eb.strength == pytest.approx(0.97 * 0.5) and eb.grade_weight == 0.5
    # economic buyer (weight 2) through an introduction (0.5) of 5.5: 100 * 1 / 5.5
    assert decision_chain_coverage(g, Tier.KEY).score == pytest.approx(100 / 5.5)
    # the grade weights are configurable, within [0, 1] and for the three grades only
    quarter = AnalysisConfig.from_mapping({"coverage_grade_weights": {"introduction": 0.25}})
    assert decision_chain_coverage(g, Tier.KEY, quarter).score == pytest.approx(100 * 0.5 / 5.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        AnalysisConfig.from_mapping({"coverage_grade_weights": {"direct": 1.5}})


def test_a_report_and_an_influence_line_introduce_too_but_a_weak_line_does_not() -> None:
    report = _hand_graph({("rep", "peer"): 0.8}, {("peer", "eb"): ("reports_to", 0.5)})
    assert decision_chain_coverage(report, Tier.KEY).role(EB).grade == "introduction"
    strong_line = _hand_graph({("rep", "peer"): 0.8}, {("peer", "eb"): ("influences", 0.3)})
    assert decision_chain_coverage(strong_line, Tier.KEY).role(EB).grade == "introduction"
    weak_line = _hand_graph({("rep", "peer"): 0.8}, {("peer", "eb"): ("influences", 0.29)})
    assert decision_chain_coverage(weak_line, Tier.KEY).role(EB).grade == "gap"
    wrong_way = _hand_graph({("rep", "peer"): 0.8}, {("eb", "peer"): ("influences", 0.9)})
    assert decision_chain_coverage(wrong_way, Tier.KEY).role(EB).grade == "gap"
    # a contact tie from shared meetings is not an org line, however strong
    colleagues = _hand_graph({("rep", "peer"): 0.8, ("peer", "eb"): 0.9, ("eb", "peer"): 0.9}, {})
    gap = decision_chain_coverage(colleagues, Tier.KEY).role(EB)
    assert gap.grade == "gap" and gap.path is not None and gap.path.nodes == ("rep", "peer", "eb")
    assert gap.tie_strength == 0.0 and gap.strength == pytest.approx(0.72)


def test_direct_needs_a_strong_tie_and_beats_an_introduction() -> None:
    lines = {("mgr", "eb"): ("manages", 0.5)}
    medium = _hand_graph({("rep", "eb"): 0.59, ("exec", "mgr"): 0.9}, lines)
    eb = decision_chain_coverage(medium, Tier.KEY).role(EB)
    assert (eb.grade, eb.staff_id, eb.introducer) == ("introduction", "exec", "mgr")
    strong = _hand_graph({("rep", "eb"): 0.61, ("exec", "mgr"): 0.9}, lines)
    eb = decision_chain_coverage(strong, Tier.KEY).role(EB)
    assert (eb.grade, eb.staff_id, eb.tie_strength, eb.path.nodes) == (  # type: ignore[union-attr]
        "direct",
        "rep",
        0.61,
        ("rep", "eb"),
    )
    nothing_strong = _hand_graph({("rep", "eb"): 0.59, ("exec", "mgr"): 0.55}, lines)
    eb = decision_chain_coverage(nothing_strong, Tier.KEY).role(EB)
    assert eb.grade == "gap" and eb.tie_strength == 0.59 and eb.holder == "eb"


def test_thresholds_are_met_within_the_tolerance() -> None:
    at_threshold = 0.1 * 6  # 0.6000000000000001
    just_below = 0.6 - 1e-12  # rounding noise: strong
    clearly_below = 0.6 - 1e-6
    g = _hand_graph(
        {("rep", "eb"): just_below, ("rep", "tb"): at_threshold, ("rep", "ub"): clearly_below}, {}
    )
    cov = decision_chain_coverage(g, Tier.KEY)
    assert [cov.role(r).grade for r in (EB, TB, UB)] == ["direct", "direct", "gap"]
    assert cov.min_reach == 0.6 and cov.tolerance == 1e-9
    # level coverage follows the same rule: a same-level tie that is strong within the tolerance
    for strength, covered in ((just_below, True), (at_threshold, True), (clearly_below, False)):
        g = nx.DiGraph()
        g.add_node("rep", kind="staff", level=Level.MANAGEMENT)
        g.add_node("x", kind="contact", level=Level.MANAGEMENT, roles=frozenset())
        g.add_edge("rep", "x", strength=strength, link="tie", links=(("tie", strength),))
        management = level_coverage(g)[1]
        assert management.level is Level.MANAGEMENT and management.covered is covered


def test_no_cliff_many_exec_visits_with_a_technical_buyer() -> None:
    # the issue's cliff: 10 exec visits gave coverage 18.2, 11 gave 100 (strength reached 1.0).
    # Now the technical buyer is direct once our tie is strong, the others (reporting to it)
    # are introductions: (1 + 0.5 * (2 + 1 + 1.5)) / 5.5 = 59.09, whatever the number of visits.
    scores = []
    for visits in (1, 2, 10, 11, 30):
        b = AccountBuilder()
        b.staff("rep").contact("tb", TB).contact("eb", EB).contact("ub", UB).contact("ch", CH)
        for holder in ("eb", "ub", "ch"):
            b.reports(holder, "tb")
        b.meet("rep", "tb", kind=InteractionKind.EXEC_VISIT, times=visits)
        scores.append(decision_chain_coverage(relationship_graph(b.build()), Tier.KEY).score)
    # one visit 10 days ago: raw 3 * 2^(-10/90) = 2.778, strength 0.526: nothing is strong yet
    assert scores[0] == 0.0
    assert scores[1:] == pytest.approx([100 * 3.25 / 5.5] * 4)


def test_a_going_cold_tie_counts_reduced_in_coverage() -> None:
    # twenty weekly meetings, the last 100 days ago: strong, but silent for more than 8 x 7 days
    b = AccountBuilder()
    b.staff("rep").contact("eb", EB)
    b.meet("rep", "eb", days_ago=100, times=20)
    sub = b.build()
    raw = sum(2 * 2 ** (-(100 + 7 * k) / 90) for k in range(20))
    strength = raw / (raw + 2.5) / (1 + (100 / 182) ** 2)
    assert 0.6 < strength < 0.65  # 11.64 / 14.14 x 0.768: strong on its own
    g = relationship_graph(sub)
    assert g.edges["rep", "eb"]["strength"] == pytest.approx(strength * 56 / 100)  # counts 0.354
    eb = decision_chain_coverage(g, Tier.KEY).role(EB)
    assert eb.grade == "gap" and eb.tie_strength == pytest.approx(strength * 0.56)
    # the same history without the silence is direct
    warm = AccountBuilder()
    warm.staff("rep").contact("eb", EB)
    warm.meet("rep", "eb", days_ago=5, times=20)
    assert decision_chain_coverage(relationship_graph(warm.build()), Tier.KEY).role(EB).grade == "direct"
