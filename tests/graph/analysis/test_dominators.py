"""Immediate dominators on integer lists agree with networkx and with the definition."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analysis.risk import immediate_dominators


def random_digraph(seed: int) -> list[list[int]]:
    rng = random.Random(seed)
    size = rng.randint(1, 40)
    density = rng.choice([0.03, 0.08, 0.2])
    return [[v for v in range(size) if v != u and rng.random() < density] for u in range(size)]


def reached(successors: list[list[int]], root: int, removed: int | None = None) -> set[int]:
    seen = {root} if root != removed else set()
    stack = list(seen)
    while stack:
        u = stack.pop()
        for v in successors[u]:
            if v != removed and v not in seen:
                seen.add(v)
                stack.append(v)
    return seen


@pytest.mark.parametrize("seed", range(60))
def test_agrees_with_networkx(seed: int) -> None:
    successors = random_digraph(seed)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(len(successors)))
    graph.add_edges_from((u, v) for u, heads in enumerate(successors) for v in heads)
    expected = nx.immediate_dominators(graph, 0)
    idom = immediate_dominators(successors, 0)
    assert {v: d for v, d in enumerate(idom) if d >= 0 and v != 0} == expected
    assert idom[0] == 0
    assert all(idom[v] == -1 for v in range(len(successors)) if v != 0 and v not in expected)


@pytest.mark.parametrize("seed", range(30))
def test_matches_the_definition(seed: int) -> None:
    """``d`` strictly dominates ``v`` exactly when removing ``d`` cuts ``v`` off; the immediate
    dominator is the strict dominator every other strict dominator dominates."""
    successors = random_digraph(seed)
    root = 0
    idom = immediate_dominators(successors, root)
    reach = reached(successors, root)
    strict = {v: {d for d in reach if d != v and v not in reached(successors, root, d)} for v in reach}
    for v in reach - {root}:
        chain = set()
        d = idom[v]
        while d != root:
            chain.add(d)
            d = idom[d]
        chain.add(root)
        assert chain == strict[v]


def test_bad_root() -> None:
    with pytest.raises(ValueError, match="root 3 is not a node"):
        immediate_dominators([[1], []], 3)
