"""A reach search aimed at targets gives the targets exactly what the whole search gives them."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analysis.coverage import PathIndex


def random_path_graph(seed: int) -> nx.DiGraph:
    """Staff and contacts with links of a few repeated strengths (so equal products compete)."""
    rng = random.Random(seed)
    graph = nx.DiGraph()
    staff = [f"s{i}" for i in range(rng.randint(1, 4))]
    contacts = [f"c{i}" for i in range(rng.randint(2, 40))]
    graph.add_nodes_from(staff, kind="staff")
    graph.add_nodes_from(contacts, kind="contact")
    strengths = [0.25, 0.5, 0.5, 0.8, 1.0]
    density = rng.choice([0.05, 0.15, 0.3])
    for u in staff + contacts:
        for v in contacts:
            if u != v and rng.random() < density:
                graph.add_edge(u, v, strength=rng.choice(strengths), link="tie")
    return graph


@pytest.mark.parametrize("seed", range(80))
def test_targets_get_the_whole_search_figures(seed: int) -> None:
    rng = random.Random(1000 + seed)
    index = PathIndex(random_path_graph(seed))
    n = len(index.nodes)
    hops = rng.randint(1, 4)
    removed = set(rng.sample(range(n), rng.randint(0, 2)))
    targets = frozenset(rng.sample(range(n), rng.randint(1, max(1, n // 4))))
    best, layer, preds = index.search(hops, removed)
    t_best, t_layer, t_preds = index.search(hops, removed, targets)
    for t in targets:
        assert (t_best[t], t_layer[t]) == (best[t], layer[t])
        if layer[t] > 0:
            assert index.path(t, t_layer, t_preds, t_best) == index.path(t, layer, preds, best)
    # a second search reuses the plan and still agrees
    again = index.search(hops, removed, targets)
    assert [again[0][t] for t in targets] == [best[t] for t in targets]


def test_targets_search_skips_what_leads_nowhere() -> None:
    """Links away from the target are not followed (the other figures stay 0), yet the target's
    path is the whole search's."""
    graph = nx.DiGraph()
    graph.add_node("s", kind="staff")
    graph.add_nodes_from(["a", "b", "t", "far"], kind="contact")
    graph.add_edge("s", "a", strength=0.9)
    graph.add_edge("a", "t", strength=0.9)
    graph.add_edge("s", "b", strength=0.5)
    graph.add_edge("b", "far", strength=0.5)
    index = PathIndex(graph)
    t, far = index.index["t"], index.index["far"]
    best, layer, preds = index.search(2, (), {t})
    assert best[t] == pytest.approx(0.81)
    assert index.path(t, layer, preds, best).nodes == ("s", "a", "t")
    assert best[far] == 0.0 and layer[far] == -1  # two hops from s, but it leads to no target
    whole = index.search(2)
    assert whole[0][far] == 0.25
