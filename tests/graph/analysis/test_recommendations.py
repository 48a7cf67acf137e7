"""Recommended meetings on hand-built accounts, and against brute force over every pair."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms.connectivity import local_node_connectivity

from graph.analysis.account import analyse_account
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.recommendations import action_plan, candidate_pairs, recommended_actions
from graph.model import Account, Level, Role, TeamRole, Tier

from .builders import AccountBuilder
from .test_properties import ACCOUNT, _brute_at_risk, _brute_score, _thread_graph, account_graphs
from .test_risk import _single_threaded as single_threaded_account

EB, TB, UB, CH = Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION


def _single_threaded(*, with_se: bool = False) -> AccountBuilder:
    """The single-threaded account of the risk tests (our rep knows the director, technical buyer
    and champion; the CIO and the engineer are his manager and his report), with a second person
    of ours who knows nobody yet."""
    b = single_threaded_account("acme", 1_000_000.0)
    if with_se:
        b.staff("se", level=Level.OPERATIONAL, team_role=TeamRole.SOLUTION_SPECIALIST)
    return b


def test_the_rep_meeting_the_cio_comes_first_then_the_engineer() -> None:
    a = analyse_account(_single_threaded().build())
    assert candidate_pairs(a.graph, a.account) == [("rep", "cio"), ("rep", "eng")]  # dir: already strong
    actions = recommended_actions(a, first=5)
    assert [(x.staff_id, x.contact_id) for x in actions] == [("rep", "cio"), ("rep", "eng")]
    cio, eng = actions
    # the economic buyer goes from introduction (0.5) to direct: 2 * 0.5 / 5.5 of the weights
    assert cio.coverage_gain == pytest.approx(100 * 1.0 / 5.5)
    assert cio.roles_improved == ("economic_buyer",) and cio.introducer == "dir"
    # the rep then holds every role alone: the rep's departure would cost all of 5 / 5.5 (from
    # 4 / 5.5), which is shown but not counted against the action's coverage
    assert cio.revenue_protected == pytest.approx(-1_000_000.0 * 1.0 / 5.5)
    assert cio.revenue_at_risk_after == pytest.approx(1_000_000.0 * 5.0 / 5.5)
    assert cio.value == pytest.approx(1_000_000.0 * 1.0 / 5.5)
    assert eng.coverage_gain == pytest.approx(100 * 0.5 / 5.5)  # the user buyer, weight 1
    assert "economic buyer: introduction -> direct" in cio.evidence


def test_a_second_person_meeting_the_cio_also_takes_risk_away() -> None:
    a = analyse_account(_single_threaded(with_se=True).build())
    best = recommended_actions(a, first=1)[0]
    # se -> cio (as valuable for coverage as rep -> cio, and it splits the ties between two of
    # ours). Worst departure after: the rep (technical buyer and champion fall to an introduction
    # through the CIO, the user buyer loses its introduction): (0.5 * 1 + 0.5 * 1.5 + 0.5 * 1) / 5.5
    assert (best.staff_id, best.contact_id) == ("se", "cio")
    assert best.revenue_at_risk_before == pytest.approx(1_000_000.0 * 4.0 / 5.5)
    assert best.revenue_at_risk_after == pytest.approx(1_000_000.0 * 1.75 / 5.5)
    assert best.value == pytest.approx(1_000_000.0 * (1.0 + 4.0 - 1.75) / 5.5)
    assert best.threads_gain == 1


def test_a_greedy_plan_measures_each_action_on_top_of_the_ones_before() -> None:
    a = analyse_account(_single_threaded().build())
    plan = action_plan(a, k=3)
    assert [(x.staff_id, x.contact_id) for x in plan] == [
        ("rep", "cio"),
        ("rep", "eng"),
    ]  # nothing left after
    assert plan[1].coverage_before == pytest.approx(plan[0].coverage_after)
    assert plan[1].coverage_after == pytest.approx(100.0)
    with pytest.raises(ValueError, match="k must be"):
        action_plan(a, k=0)


def test_an_uncovered_level_is_closed_by_a_meeting_of_that_level() -> None:
    b = AccountBuilder("acme", tier=Tier.KEY, revenue=500_000.0)
    b.staff("rep", level=Level.MANAGEMENT)
    b.staff("vp", level=Level.EXECUTIVE, team_role=TeamRole.EXECUTIVE_SPONSOR)
    for cid, role in (("eb", EB), ("tb", TB), ("ub", UB), ("ch", CH)):
        b.contact(cid, role, level=Level.MANAGEMENT)
        b.meet("rep", cid, days_ago=10, times=6)
    b.contact("ceo", level=Level.EXECUTIVE)
    a = analyse_account(b.build())
    actions = recommended_actions(a, first=10)
    closing = [x for x in actions if x.levels_closed]
    assert [(x.staff_id, x.contact_id, x.levels_closed) for x in closing] == [("vp", "ceo", ("executive",))]
    assert "closes the executive level" in closing[0].evidence


# -- against brute force ------------------------------------------------------------------------


@dataclass
class _Analysis:
    account: Account
    graph: nx.DiGraph
    config: AnalysisConfig = DEFAULT_CONFIG


LEVELS = [Level.EXECUTIVE, Level.MANAGEMENT, Level.OPERATIONAL, None]


@st.composite
def leveled_graphs(draw: st.DrawFn) -> nx.DiGraph:
    g = draw(account_graphs())
    for node in g:
        g.nodes[node]["level"] = draw(st.sampled_from(LEVELS))
    return g


def _levels(g: nx.DiGraph) -> set[Level]:
    covered = set()
    for s, c, data in g.edges(data=True):
        ds, dc = g.nodes[s], g.nodes[c]
        same = ds["level"] is not None and ds["level"] == dc["level"]
        if ds["kind"] == "staff" and dc["kind"] == "contact" and same and data["strength"] >= 0.6 - 1e-9:
            covered.add(ds["level"])
    return covered


def _brute(g: nx.DiGraph) -> tuple[float, float, int, set[Level]]:
    """(coverage, revenue at risk, threads, levels) of ``g`` from the definitions."""
    worst = max((sum(_brute_at_risk(g, {p})) for p in g), default=0.0)
    threads = local_node_connectivity(_thread_graph(g), "SRC", "SNK") if len(g) else 0
    return _brute_score(g), ACCOUNT.annual_revenue * worst / 100, threads, _levels(g)


@settings(max_examples=40, deadline=None)
@given(leveled_graphs())
def test_recommendations_equal_brute_force_over_every_pair(g: nx.DiGraph) -> None:
    staff = sorted(n for n in g if g.nodes[n]["kind"] == "staff")
    contacts = sorted(n for n in g if g.nodes[n]["kind"] == "contact")
    cov0, risk0, threads0, levels0 = _brute(g)
    expected = []
    for s in staff:
        for c in contacts:
            if g.has_edge(s, c) and g.edges[s, c]["strength"] >= 0.6 - 1e-9:
                continue
            h = g.copy()
            h.add_edge(s, c, strength=0.7, link="tie", links=(("tie", 0.7),))
            cov1, risk1, threads1, levels1 = _brute(h)
            value = ACCOUNT.annual_revenue * max(cov1 - cov0, 0) / 100 + max(risk0 - risk1, 0)
            closed = levels1 - levels0
            if value > 1e-9 or closed:
                expected.append(((-round(value, 6), -len(closed), -(threads1 - threads0), s, c), value))
    expected.sort()
    found = recommended_actions(_Analysis(ACCOUNT, g), first=10_000)
    assert [(a.staff_id, a.contact_id) for a in found] == [(k[3], k[4]) for k, _ in expected]
    for action, (_, value) in zip(found, expected, strict=True):
        assert action.value == pytest.approx(value, abs=1e-6)


def test_every_pair_outside_the_candidates_adds_no_value() -> None:
    # the pruning claim on a fixed graph with bystanders: a tie to someone who neither holds a
    # role nor has a line to a holder (nor sits at an uncovered level) adds no coverage or value
    a = analyse_account(_single_threaded(with_se=True).build())
    g = a.graph
    g.add_node("by", kind="contact", name="By", level=None, roles=frozenset())
    g.add_edge("by", "eng", strength=0.9, link="tie", links=(("tie", 0.9),))
    g.add_edge("eng", "by", strength=0.9, link="tie", links=(("tie", 0.9),))
    assert all(c != "by" for _, c in candidate_pairs(g, a.account))
    cov0, risk0, _, _ = _brute_fixed(g, a.account)
    for s in ("rep", "se"):
        h = g.copy()
        h.add_edge(s, "by", strength=0.7, link="tie", links=(("tie", 0.7),))
        cov1, risk1, _, _ = _brute_fixed(h, a.account)
        assert cov1 == pytest.approx(cov0) and risk1 == pytest.approx(risk0)


def _brute_fixed(g: nx.DiGraph, account: Account) -> tuple[float, float, int, set[Level]]:
    from graph.analysis.account import key_departure
    from graph.analysis.coverage import decision_chain_coverage
    from graph.analysis.risk import departure_impacts

    worst = key_departure(departure_impacts(g, account))
    return decision_chain_coverage(g, account.tier).score, worst.revenue_at_risk if worst else 0.0, 0, set()


def test_pairs_are_unique() -> None:
    a = analyse_account(_single_threaded(with_se=True).build())
    pairs = candidate_pairs(a.graph, a.account)
    assert len(pairs) == len(set(pairs)) and all(p != q for p, q in combinations(pairs, 2))
