"""Property-based checks of reach, coverage, threads, cuts and departure impact.

Random small account graphs (in the format of ``relationship_graph``) are checked against
brute-force recomputations: every simple path for reach, removing each person for departure
impact and cut vertices, and networkx's own node connectivity and minimum node cut for threads.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import date
from itertools import combinations, pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms.connectivity import local_node_connectivity, minimum_st_node_cut

from graph.analysis.account import analyse_account
from graph.analysis.config import DEFAULT_CONFIG
from graph.analysis.coverage import decision_chain_coverage, reach
from graph.analysis.risk import departure_impacts, relationship_threads
from graph.model import Account, InteractionKind, Level, Role, TeamRole, Tier
from graph.store import AccountSubgraph

from .builders import AccountBuilder

ROLES = DEFAULT_CONFIG.required_roles(Tier.KEY)
# with values at the thresholds as floating point computes them (0.1 + 0.2, 0.6 - 1e-12)
STRENGTHS = [0.15, 0.3, 0.1 + 0.2, 0.45, 0.55, 0.6 - 1e-12, 0.6 - 1e-6, 0.7, 0.85, 0.99]
ACCOUNT = Account("acme", "Acme", tier=Tier.KEY, annual_revenue=1000.0)
CFG = DEFAULT_CONFIG
PROFILE = settings(max_examples=60, deadline=None)


@st.composite
def account_graphs(draw: st.DrawFn) -> nx.DiGraph:
    n_staff = draw(st.integers(1, 3))
    n_contacts = draw(st.integers(1, 7))
    staff = [f"s{i}" for i in range(n_staff)]
    contacts = [f"c{i}" for i in range(n_contacts)]
    g = nx.DiGraph(account_id="acme")
    for s in staff:
        g.add_node(s, kind="staff", name=s, level=None, on_team=True, team_role=None)
    for c in contacts:
        roles = draw(st.frozensets(st.sampled_from(ROLES), max_size=2))
        g.add_node(c, kind="contact", name=c, level=None, roles=roles)
    strength = st.sampled_from(STRENGTHS)
    for s in staff:
        for c in contacts:
            if draw(st.booleans()):
                w = draw(strength)
                g.add_edge(s, c, strength=w, link="tie", links=(("tie", w),))
    for a, b in combinations(contacts, 2):
        kind = draw(st.sampled_from(["none", "none", "tie", "influence", "reports", "tie+influence"]))
        w = draw(strength)
        if kind == "tie":
            g.add_edge(a, b, strength=w, link="tie", links=(("tie", w),))
            g.add_edge(b, a, strength=w, link="tie", links=(("tie", w),))
        elif kind == "influence":
            g.add_edge(a, b, strength=w, link="influences", links=(("influences", w),))
        elif kind == "reports":
            g.add_edge(a, b, strength=0.5, link="reports_to", links=(("reports_to", 0.5),))
            g.add_edge(b, a, strength=0.5, link="manages", links=(("manages", 0.5),))
        elif kind == "tie+influence":  # a tie both ways and an influence line a -> b on the same edge
            line = draw(strength)
            links = tuple(sorted((("tie", w), ("influences", line)), key=lambda item: -item[1]))
            g.add_edge(a, b, strength=links[0][1], link=links[0][0], links=links)
            g.add_edge(b, a, strength=w, link="tie", links=(("tie", w),))
    g.graph["staff"] = tuple(staff)
    g.graph["contacts"] = tuple(contacts)
    return g


def _staff(g: nx.DiGraph) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d["kind"] == "staff"]


def _holders(g: nx.DiGraph, roles: tuple[Role, ...] = ROLES) -> list[str]:
    return [n for n, d in g.nodes(data=True) if d["kind"] == "contact" and d["roles"] & set(roles)]


def _thread_graph(
    g: nx.DiGraph, removed: Collection[str] = frozenset(), roles: tuple[Role, ...] = ROLES
) -> nx.DiGraph:
    h = nx.DiGraph()
    h.add_nodes_from(n for n in g if n not in removed)
    h.add_edges_from(
        (u, v)
        for u, v, d in g.edges(data=True)
        if d["strength"] >= CFG.thread_min_strength and u not in removed and v not in removed
    )
    h.add_node("SRC")
    h.add_node("SNK")
    h.add_edges_from(("SRC", s) for s in _staff(g) if s not in removed)
    h.add_edges_from((t, "SNK") for t in _holders(g, roles) if t not in removed)
    return h


def _brute_reach(g: nx.DiGraph, removed: Collection[str] = frozenset()) -> dict[str, float]:
    h = g.subgraph(n for n in g if n not in removed)
    best: dict[str, float] = {}
    for s in _staff(g):
        if s in removed:
            continue
        for c in h:
            if h.nodes[c]["kind"] != "contact":
                continue
            for path in nx.all_simple_paths(h, s, c, cutoff=CFG.reach_max_hops):
                value = 1.0
                for u, v in pairwise(path):
                    value *= h.edges[u, v]["strength"]
                best[c] = max(best.get(c, 0.0), value)
    return best


def _brute_grade(g: nx.DiGraph, holders: list[str], removed: Collection[str]) -> str:
    """The grade of a role from its definition: every staff, holder and introducer tried."""
    staff = [s for s in _staff(g) if s not in removed]

    def strong_tie_to(person: str) -> bool:
        return any(g.has_edge(s, person) and g.edges[s, person]["strength"] >= 0.6 - 1e-9 for s in staff)

    if any(strong_tie_to(h) for h in holders):
        return "direct"
    for h in holders:
        for m in g:
            if m in removed or m == h or g.nodes[m]["kind"] != "contact" or not g.has_edge(m, h):
                continue
            lines = [w for kind, w in g.edges[m, h]["links"] if kind != "tie"]
            if any(w >= 0.3 - 1e-9 for w in lines) and strong_tie_to(m):
                return "introduction"
    return "gap"


def _brute_score(g: nx.DiGraph, removed: Collection[str] = frozenset()) -> float:
    grade_weight = {"direct": 1.0, "introduction": 0.5, "gap": 0.0}
    covered = total = 0.0
    for role in ROLES:
        weight = CFG.role_weight(role)
        total += weight
        holders = [h for h in _holders(g, (role,)) if h not in removed]
        covered += weight * grade_weight[_brute_grade(g, holders, removed)]
    return 100.0 * covered / total


def _soft(tie: float) -> float:
    return 1.0 if tie >= 0.6 - 1e-9 else tie / 0.6


def _our_ties(g: nx.DiGraph, person: str, removed: Collection[str]) -> list[tuple[float, str]]:
    return [
        (g.edges[s, person]["strength"], s) for s in _staff(g) if s not in removed and g.has_edge(s, person)
    ]


def _introducers(g: nx.DiGraph, holder: str, removed: Collection[str]) -> list[tuple[str, float]]:
    """Contacts with an org or influence line >= 0.3 to ``holder``, with that line's strength."""
    found = []
    for m in g:
        if m in removed or m == holder or g.nodes[m]["kind"] != "contact" or not g.has_edge(m, holder):
            continue
        lines = [w for kind, w in g.edges[m, holder]["links"] if kind != "tie"]
        if lines and max(lines) >= 0.3 - 1e-9:
            found.append((m, max(lines)))
    return found


def _graded_holder(g: nx.DiGraph, holders: list[str]) -> str | None:
    """The holder a covered role is graded through, by the documented order of candidates."""
    direct = [(-t, h, s) for h in holders for t, s in _our_ties(g, h, ()) if t >= 0.6 - 1e-9]
    if direct:
        return min(direct)[1]
    intro = [
        (-t, -line, h, m, s)
        for h in holders
        for m, line in _introducers(g, h, ())
        for t, s in _our_ties(g, m, ())
        if t >= 0.6 - 1e-9
    ]
    return min(intro)[2] if intro else None


def _brute_at_risk(g: nx.DiGraph, removed: Collection[str]) -> tuple[float, float]:
    """(relationship, turnover) coverage points at risk when ``removed`` leave, from the definition."""
    grade_weight = {"direct": 1.0, "introduction": 0.5, "gap": 0.0}
    total = sum(CFG.role_weight(r) for r in ROLES)
    parts = [0.0, 0.0]
    for role in ROLES:
        holders = _holders(g, (role,))
        before = grade_weight[_brute_grade(g, holders, ())]
        if before == 0:
            continue
        left = [h for h in holders if h not in removed]
        direct = max((t for h in left for t, _ in _our_ties(g, h, removed)), default=0.0)
        intro = max(
            (t for h in left for m, _ in _introducers(g, h, removed) for t, _ in _our_ties(g, m, removed)),
            default=0.0,
        )
        standing = max(grade_weight[_brute_grade(g, left, removed)], _soft(direct), 0.5 * _soft(intro))
        loss = max(before - standing, 0.0)
        holder = _graded_holder(g, holders)
        if holder in removed:
            lines = {kind: {v for _, v, d in g.out_edges(holder, data=True) if any(k == kind for k, _ in d["links"])}
                     for kind in ("reports_to", "manages")}  # fmt: skip
            circle = lines["reports_to"] | lines["manages"]
            for manager in lines["reports_to"]:
                circle |= {
                    v
                    for _, v, d in g.out_edges(manager, data=True)
                    if any(k == "manages" for k, _ in d["links"])
                }
            circle -= set(removed) | {holder}
            tie = max((t for c in circle for t, _ in _our_ties(g, c, removed)), default=0.0)
            parts[1] += 100.0 * CFG.role_weight(role) * loss * (1 - 0.75 * _soft(tie)) / total
        else:
            parts[0] += 100.0 * CFG.role_weight(role) * loss / total
    return parts[0], parts[1]


@PROFILE
@given(account_graphs())
def test_coverage_grades_equal_the_definition(g: nx.DiGraph) -> None:
    cov = decision_chain_coverage(g, Tier.KEY)
    for entry in cov.roles:
        assert entry.grade == _brute_grade(g, _holders(g, (entry.role,)), ())
        assert entry.covered == (entry.grade != "gap")
        if entry.grade != "gap":  # the evidence is a real path of the graph with its links
            assert entry.path is not None and entry.path.nodes[-1] == entry.holder
            assert entry.path.nodes[0] in _staff(g) and entry.path.links[0].link == "tie"
            assert entry.tie_strength == entry.path.links[0].strength >= 0.6 - 1e-9
            assert entry.path.hops == (1 if entry.grade == "direct" else 2)
            assert (entry.introducer is None) == (entry.grade == "direct")
    assert abs(cov.score - _brute_score(g)) < 1e-9


@PROFILE
@given(account_graphs())
def test_reach_is_the_best_product_over_simple_paths(g: nx.DiGraph) -> None:
    found = {c: p.strength for c, p in reach(g).items()}
    expected = _brute_reach(g)
    assert found.keys() == expected.keys()
    for c, value in expected.items():
        assert abs(found[c] - value) < 1e-12
        path = reach(g)[c]
        assert path.hops <= CFG.reach_max_hops and len(set(path.nodes)) == len(path.nodes)


@PROFILE
@given(account_graphs(), st.data())
def test_removing_people_never_raises_coverage(g: nx.DiGraph, data: st.DataObject) -> None:
    people = sorted(g)
    first = set(data.draw(st.lists(st.sampled_from(people), max_size=3)))
    more = first | set(data.draw(st.lists(st.sampled_from(people), max_size=2)))
    base = decision_chain_coverage(g, Tier.KEY).score
    after_first = decision_chain_coverage(g, Tier.KEY, removed=first).score
    after_more = decision_chain_coverage(g, Tier.KEY, removed=more).score
    assert after_more <= after_first <= base
    assert abs(after_more - _brute_score(g, more)) < 1e-9


@PROFILE
@given(account_graphs())
def test_threads_exist_exactly_when_a_holder_is_reachable(g: nx.DiGraph) -> None:
    t = relationship_threads(g, Tier.KEY)
    h = _thread_graph(g)
    assert (t.threads >= 1) == nx.has_path(h, "SRC", "SNK")


@PROFILE
@given(account_graphs())
def test_threads_equal_the_minimum_node_cut(g: nx.DiGraph) -> None:
    t = relationship_threads(g, Tier.KEY)
    h = _thread_graph(g)
    assert t.threads == local_node_connectivity(h, "SRC", "SNK")
    assert len(t.min_cut) == t.threads
    assert len(t.paths) == t.threads
    assert len({n for p in t.paths for n in p}) == sum(len(p) for p in t.paths)  # node-disjoint
    if t.threads:
        assert len(minimum_st_node_cut(h, "SRC", "SNK")) == t.threads
        assert not nx.has_path(_thread_graph(g, set(t.min_cut)), "SRC", "SNK")


@PROFILE
@given(account_graphs())
def test_cut_vertices_and_departure_impact_match_brute_force(g: nx.DiGraph) -> None:
    t = relationship_threads(g, Tier.KEY)
    impacts = departure_impacts(g, ACCOUNT, threads=t)
    base = _brute_score(g)
    for person in g:
        d = impacts[person]
        after = _brute_score(g, {person})
        assert abs(d.coverage_lost - (base - after)) < 1e-9
        relationship, turnover = _brute_at_risk(g, {person})
        assert abs(d.relationship_at_risk - relationship) < 1e-9
        assert abs(d.turnover_at_risk - turnover) < 1e-9
        assert abs(d.at_risk - (relationship + turnover)) < 1e-9
        assert d.at_risk <= d.coverage_lost + 1e-9  # what remains only ever softens the loss
        assert abs(d.revenue_at_risk - ACCOUNT.annual_revenue * (relationship + turnover) / 100) < 1e-6
        if g.nodes[person]["kind"] == "staff":  # our people hold no role of theirs
            assert d.turnover_at_risk == 0.0
        threads_after = local_node_connectivity(_thread_graph(g, {person}), "SRC", "SNK")
        assert d.threads_after == threads_after
        assert (person in t.critical) == (threads_after < t.threads)
    single = {p.person_id for p in t.single_points_of_contact}
    if t.threads == 1:
        assert single == {p for p in g if impacts[p].threads_after == 0}
    else:
        assert single == set()
    for rc in t.role_cuts:
        h = _thread_graph(g, roles=(rc.role,))
        assert rc.reachable == nx.has_path(h, "SRC", "SNK")
        brute = {
            p for p in g if rc.reachable and not nx.has_path(_thread_graph(g, {p}, (rc.role,)), "SRC", "SNK")
        }
        assert set(rc.cut_vertices) == brute
        assert {p for p in g if rc.role in impacts[p].cuts_roles} == brute


@st.composite
def subgraphs(draw: st.DrawFn) -> AccountSubgraph:
    b = AccountBuilder("acme", tier=draw(st.sampled_from(list(Tier))), revenue=1000.0)
    staff = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    contacts = [f"c{i}" for i in range(draw(st.integers(1, 6)))]
    for s in staff:
        b.staff(
            s, level=draw(st.sampled_from(list(Level))), team_role=draw(st.sampled_from([None, *TeamRole]))
        )
    for c in contacts:
        roles = draw(st.frozensets(st.sampled_from(list(Role)), max_size=2))
        until = draw(st.sampled_from([None, None, None, date(2025, 1, 1)]))
        b.contact(c, *sorted(roles), level=draw(st.sampled_from(list(Level))), until=until)
    people = staff + contacts
    for _ in range(draw(st.integers(0, 10))):
        group = draw(st.lists(st.sampled_from(people), min_size=2, max_size=4, unique=True))
        b.meet(
            *group,
            kind=draw(st.sampled_from(list(InteractionKind))),
            days_ago=draw(st.integers(0, 400)),
            times=draw(st.integers(1, 4)),
        )
    for a, c in combinations(contacts, 2):
        link = draw(st.sampled_from(["none", "none", "reports", "influences"]))
        if link == "reports":
            b.reports(a, c)
        elif link == "influences":
            b.influences(a, c, draw(st.sampled_from([0.2, 0.5, 0.9])))
    return b.build()


@settings(max_examples=40, deadline=None)
@given(subgraphs())
def test_departure_impacts_agree_with_what_if_on_whole_accounts(sub: AccountSubgraph) -> None:
    a = analyse_account(sub)
    json.dumps(a.to_payload())
    for person, impact in a.departure_impacts.items():
        w = a.what_if({person})
        assert abs(w.coverage_lost - impact.coverage_lost) < 1e-9
        assert set(w.roles_lost) == set(impact.roles_lost)
        assert w.threads_lost == impact.threads_lost
        assert w.revenue_at_risk == pytest.approx(impact.revenue_at_risk)
    assert a.revenue_at_risk == max((d.revenue_at_risk for d in a.departure_impacts.values()), default=0.0)
