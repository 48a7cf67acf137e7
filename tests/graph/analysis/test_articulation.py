"""Articulation points restricted to what our side reaches, against a brute-force reference."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.config import DEFAULT_CONFIG
from graph.analysis.risk import relationship_threads
from graph.model import Role


def _graph(staff: list[str], contacts: list[str], edges: list[tuple[str, str, float]]) -> nx.DiGraph:
    g = nx.DiGraph()
    for s in staff:
        g.add_node(s, kind="staff", level=None)
    for c in contacts:
        g.add_node(c, kind="contact", level=None, roles=frozenset({Role.CHAMPION}))
    for u, v, w in edges:
        g.add_edge(u, v, strength=w, link="tie", links=(("tie", w),))
    g.graph["staff"] = tuple(staff)
    g.graph["contacts"] = tuple(contacts)
    return g


def _brute_force(g: nx.DiGraph, min_strength: float) -> set[str]:
    """Remove each person in turn and compare who our staff still reach over thread links."""
    thread = nx.DiGraph()
    thread.add_nodes_from(g.nodes)
    thread.add_edges_from((u, v) for u, v, w in g.edges(data="strength") if w >= min_strength)
    staff = [n for n, kind in g.nodes(data="kind") if kind == "staff"]

    def reached(without: str | None) -> set[str]:
        out: set[str] = set()
        for s in staff:
            if s == without:
                continue
            sub = thread.subgraph(n for n in thread if n != without)
            out |= {s} | nx.descendants(sub, s)
        return out

    everyone = reached(None)
    return {p for p in g.nodes if (everyone - {p}) - reached(p)}


def test_an_island_nobody_of_ours_reaches_reports_no_articulation_point() -> None:
    g = _graph(
        ["rep"],
        ["c1", "x", "y", "z"],
        [("rep", "c1", 0.9), ("x", "y", 0.8), ("y", "x", 0.8), ("y", "z", 0.8), ("z", "y", 0.8)],
    )
    t = relationship_threads(g, "key")
    assert t.articulation_points == ("rep",)  # rep alone reaches c1; y links x and z, but nobody reaches them
    assert _brute_force(g, DEFAULT_CONFIG.thread_min_strength) == {"rep"}


def test_one_way_influence_is_not_a_bridge_back() -> None:
    # c2 influences c1 (one way): our rep reaches c1 but not c2, so c1 cuts nobody off
    g = _graph(["rep"], ["c1", "c2"], [("rep", "c1", 0.9), ("c2", "c1", 0.7)])
    assert relationship_threads(g, "key").articulation_points == ("rep",)


_PEOPLE = ("s1", "s2", "a", "b", "c", "d", "e")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 2),
    st.lists(
        st.tuples(
            st.sampled_from(_PEOPLE), st.sampled_from(_PEOPLE[2:]), st.sampled_from((0.2, 0.3, 0.6, 0.9))
        ),
        max_size=14,
    ),
    st.booleans(),
)
def test_articulation_points_match_brute_force(
    n_staff: int, raw: list[tuple[str, str, float]], symmetric: bool
) -> None:
    staff = list(_PEOPLE[:n_staff])
    contacts = list(_PEOPLE[2:])
    edges: dict[tuple[str, str], float] = {}
    for u, v, w in raw:
        if u == v or (u.startswith("s") and u not in staff):
            continue
        edges[u, v] = w
        if symmetric and not u.startswith("s"):
            edges[v, u] = w
    g = _graph(staff, contacts, [(u, v, w) for (u, v), w in edges.items()])
    got = set(relationship_threads(g, "key").articulation_points)
    assert got == _brute_force(g, DEFAULT_CONFIG.thread_min_strength)
