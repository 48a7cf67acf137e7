"""The path graph is a well-formed networkx graph, equal to one built through networkx's own API."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analysis.relgraph import example_subgraph, relationship_graph
from graph.analysis.strength import ties_of
from graph.model import Role
from graph.records import AccountSubgraph
from tests.graph.analysis.builders import AccountBuilder


def random_account(seed: int) -> AccountSubgraph:
    """Staff and contacts meeting in random groups, with org-chart and influence lines that
    double some tie edges (so that edges carry several links)."""
    rng = random.Random(seed)
    b = AccountBuilder(f"acct{seed}")
    staff = [f"s{i}" for i in range(3)]
    contacts = [f"c{i}" for i in range(25)]
    for s in staff:
        b.staff(s)
    for c in contacts:
        b.contact(c, *rng.sample(list(Role), rng.randint(0, 2)))
    for _ in range(120):
        group = rng.sample(staff, rng.randint(0, 2)) + rng.sample(contacts, rng.randint(1, 4))
        b.meet(*group, days_ago=rng.randint(0, 400))
    for c in contacts[1:12]:
        b.reports(c, contacts[0])
    for _ in range(15):
        x, y = rng.sample(contacts, 2)
        b.influences(x, y, rng.choice([0.2, 0.5, 0.9]))
    return b.build()


@pytest.mark.parametrize("subgraph", [example_subgraph(), *(random_account(seed) for seed in range(4))])
def test_path_graph_equals_the_networkx_built_graph(subgraph: AccountSubgraph) -> None:
    graph = relationship_graph(subgraph, ties=ties_of(subgraph))
    rebuilt = nx.DiGraph(**graph.graph)
    rebuilt.add_nodes_from(graph.nodes(data=True))
    rebuilt.add_edges_from((u, v, dict(d)) for u, v, d in graph.edges(data=True))
    assert nx.utils.graphs_equal(graph, rebuilt)
    # both views of an edge are one dict, as networkx keeps them
    for u, v, data in graph.edges(data=True):
        assert graph.pred[v][u] is data
    assert graph.number_of_edges() == sum(len(graph.pred[v]) for v in graph)
    assert dict(graph.in_degree()) == dict(rebuilt.in_degree())
    # networkx algorithms see the same graph (nothing stale in its caches)
    assert sorted(nx.strongly_connected_components(graph), key=min) == sorted(
        nx.strongly_connected_components(rebuilt), key=min
    )
    assert nx.utils.graphs_equal(graph.reverse(copy=True), rebuilt.reverse(copy=True))


def test_random_accounts_have_edges_with_several_links() -> None:
    """The fixture exercises what it claims: some edges carry a tie and a line."""
    graph = relationship_graph(random_account(0))
    assert any(len(d["links"]) > 1 for _, _, d in graph.edges(data=True))
    assert graph.number_of_edges() > 100
