"""Reach and decision-chain coverage: is every buying role reached, and how strongly?

Runs on the path graph of :func:`~graph.analysis.relgraph.relationship_graph`.

* ``reach(contact)`` is the best product of link strengths along a path of at most
  ``config.reach_max_hops`` links from any of our staff (the graph's ``staff``). It is computed
  with a hop-bounded best-product search (a Bellman-Ford over ``reach_max_hops`` layers that
  only relaxes nodes improved in the previous layer), so each contact's best path is simple and
  explained link by link.
* A required role (``config.required_roles(tier)``) is **covered** when some active holder
  has reach >= ``config.coverage_min_reach``; the best holder and path are reported either way.
* The **score** is ``100 * covered weight / total weight`` with ``config.role_weight`` (100 when
  nothing is required).
* **Level coverage**: for executive, management and operational, the strongest tie between one
  of our staff and a contact at the same level (``staff.level`` and the contact's level); the
  level is covered when it is >= ``config.strong_threshold``.

Examples
--------
>>> from graph.analysis.relgraph import example_subgraph, relationship_graph
>>> g = relationship_graph(example_subgraph())
>>> cov = decision_chain_coverage(g, example_subgraph().account.tier)
>>> round(cov.score, 1), [(r.role.value, r.covered) for r in cov.roles]
(63.6, [('economic_buyer', False), ('technical_buyer', True), ('user_buyer', True), ('champion', True)])
>>> cov.role("economic_buyer").path.nodes
('rep', 'dir', 'cio')
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Level, Role, Tier

__all__ = [
    "Coverage",
    "LevelCoverage",
    "PathIndex",
    "PathLink",
    "ReachPath",
    "RoleCoverage",
    "check_tier",
    "decision_chain_coverage",
    "level_coverage",
    "reach",
    "role_holders",
]


@dataclass(frozen=True, slots=True)
class PathLink:
    """One link of a path: ``source -> target``, its kind and strength."""

    source: str
    target: str
    link: str
    strength: float


@dataclass(frozen=True, slots=True)
class ReachPath:
    """The best path from one of our staff to a person; ``strength`` is the product of the links."""

    nodes: tuple[str, ...]
    links: tuple[PathLink, ...]
    strength: float

    @property
    def hops(self) -> int:
        """Number of links.

        Examples
        --------
        >>> ReachPath(("s", "c"), (PathLink("s", "c", "tie", 0.8),), 0.8).hops
        1
        """
        return len(self.links)


@dataclass(frozen=True, slots=True)
class RoleCoverage:
    """Coverage of one required role.

    ``holders`` are the active contacts holding the role; ``holder`` is the one with the best
    reach and ``path`` its best path (``None`` when no holder is reachable); ``strength`` is
    that reach (0 when unreachable).
    """

    role: Role
    weight: float
    holders: tuple[str, ...]
    covered: bool
    holder: str | None
    path: ReachPath | None
    strength: float


@dataclass(frozen=True, slots=True)
class Coverage:
    """Decision-chain coverage: the score 0-100 and its breakdown per role, with the parameters."""

    score: float
    covered_weight: float
    total_weight: float
    roles: tuple[RoleCoverage, ...]
    min_reach: float
    max_hops: int

    def role(self, role: Role | str) -> RoleCoverage:
        """The breakdown of one required role.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> decision_chain_coverage(relationship_graph(example_subgraph()), "key").role("champion").holder
        'dir'
        """
        key = Role(role)
        for entry in self.roles:
            if entry.role is key:
                return entry
        raise KeyError(f"role {key.value!r} is not a required role here")

    @property
    def uncovered(self) -> tuple[Role, ...]:
        """Required roles that are not covered.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> decision_chain_coverage(relationship_graph(example_subgraph()), "key").uncovered
        (<Role.ECONOMIC_BUYER: 'economic_buyer'>,)
        """
        return tuple(r.role for r in self.roles if not r.covered)


@dataclass(frozen=True, slots=True)
class LevelCoverage:
    """Level coverage: the strongest same-level tie between our staff and their contacts."""

    level: Level
    covered: bool
    staff_id: str | None
    contact_id: str | None
    strength: float


class PathIndex:
    """Integer-indexed adjacency of a path graph, for repeated hop-bounded reach searches.

    Parameters
    ----------
    graph : networkx.DiGraph
        A graph of :func:`~graph.analysis.relgraph.relationship_graph` (edge attribute
        ``strength``; node attribute ``kind``).

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> idx = PathIndex(relationship_graph(example_subgraph()))
    >>> [idx.nodes[i] for i in idx.sources]
    ['rep']
    """

    __slots__ = ("graph", "index", "nodes", "sources", "succ")

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        self.nodes: list[str] = list(graph.nodes)
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.nodes)}
        index = self.index
        self.succ: list[list[tuple[int, float]]] = [
            [(index[v], float(d["strength"])) for v, d in graph.succ[n].items()] for n in self.nodes
        ]
        self.sources: list[int] = [index[n] for n, d in graph.nodes(data=True) if d.get("kind") == "staff"]

    @property
    def links(self) -> dict[tuple[int, int], str]:
        """The kind of the best link of every edge, keyed by its indexed ends.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> idx = PathIndex(relationship_graph(example_subgraph()))
        >>> idx.links[idx.index["dir"], idx.index["cio"]]
        'reports_to'
        """
        index = self.index
        return {(index[u], index[v]): str(d.get("link", "tie")) for u, v, d in self.graph.edges(data=True)}

    def search(
        self, max_hops: int, removed: Collection[int] = ()
    ) -> tuple[list[float], list[int], list[dict[int, int]]]:
        """Hop-bounded best products from the sources, without the ``removed`` nodes.

        Returns ``(best, layer, preds)``: ``best[i]`` the best product (0 when unreachable,
        1 for a source), ``layer[i]`` the number of links of that path (-1 when unreachable)
        and ``preds[h]`` the predecessor of each node improved at layer ``h``.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> idx = PathIndex(relationship_graph(example_subgraph()))
        >>> best, layer, preds = idx.search(3)
        >>> [(idx.nodes[i], round(best[i], 2), layer[i]) for i in range(len(idx.nodes))]
        [('rep', 1.0, 0), ('cio', 0.48, 2), ('dir', 0.96, 1)]
        """
        n = len(self.nodes)
        best = [0.0] * n
        layer = [-1] * n
        frontier: dict[int, float] = {}
        for s in self.sources:
            if s not in removed:
                best[s] = 1.0
                layer[s] = 0
                frontier[s] = 1.0
        preds: list[dict[int, int]] = [{}]
        succ = self.succ
        for hop in range(1, max_hops + 1):
            if not frontier:
                break
            nxt: dict[int, float] = {}
            pred: dict[int, int] = {}
            for u, value in frontier.items():
                for v, w in succ[u]:
                    cand = value * w
                    if cand > best[v] and v not in removed:
                        best[v] = cand
                        layer[v] = hop
                        nxt[v] = cand
                        pred[v] = u
            preds.append(pred)
            frontier = nxt
        return best, layer, preds

    def path(
        self, target: int, layer: list[int], preds: list[dict[int, int]], best: list[float]
    ) -> ReachPath:
        """The best path to ``target`` found by :meth:`search`.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> idx = PathIndex(relationship_graph(example_subgraph()))
        >>> best, layer, preds = idx.search(3)
        >>> idx.path(idx.index["cio"], layer, preds, best).nodes
        ('rep', 'dir', 'cio')
        """
        hop = layer[target]
        chain = [target]
        node = target
        while hop > 0:
            node = preds[hop][node]
            chain.append(node)
            hop -= 1
        chain.reverse()
        links = []
        succ = self.graph.succ
        for u, v in pairwise(chain):
            data = succ[self.nodes[u]][self.nodes[v]]
            links.append(
                PathLink(self.nodes[u], self.nodes[v], str(data.get("link", "tie")), float(data["strength"]))
            )
        return ReachPath(tuple(self.nodes[i] for i in chain), tuple(links), best[target])


def role_holders(graph: nx.DiGraph, roles: Iterable[Role]) -> dict[Role, tuple[str, ...]]:
    """Active contacts holding each role (node attribute ``roles``), sorted by id.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> role_holders(relationship_graph(example_subgraph()), [Role.CHAMPION, Role.PROCUREMENT])
    {<Role.CHAMPION: 'champion'>: ('dir',), <Role.PROCUREMENT: 'procurement'>: ()}
    """
    wanted = list(roles)
    result: dict[Role, list[str]] = {r: [] for r in wanted}
    for node, data in graph.nodes(data=True):
        if data.get("kind") != "contact":
            continue
        for role in data.get("roles", ()):
            if role in result:
                result[role].append(node)
    return {r: tuple(sorted(v)) for r, v in result.items()}


def reach(
    graph: nx.DiGraph, config: AnalysisConfig = DEFAULT_CONFIG, removed: Collection[str] = ()
) -> dict[str, ReachPath]:
    """The best path from our staff to every reachable contact within ``config.reach_max_hops``.

    Parameters
    ----------
    graph : networkx.DiGraph
        A path graph of :func:`~graph.analysis.relgraph.relationship_graph`.
    config : AnalysisConfig
        Supplies ``reach_max_hops``.
    removed : collection of str
        People taken out of the graph first (a what-if).

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> r = reach(relationship_graph(example_subgraph()))
    >>> {c: round(p.strength, 3) for c, p in sorted(r.items())}
    {'cio': 0.48, 'dir': 0.96}
    >>> reach(relationship_graph(example_subgraph()), removed={"dir"})
    {}
    """
    index = PathIndex(graph)
    gone = {index.index[p] for p in removed if p in index.index}
    best, layer, preds = index.search(config.reach_max_hops, gone)
    return {
        index.nodes[i]: index.path(i, layer, preds, best)
        for i in range(len(index.nodes))
        if layer[i] > 0 and graph.nodes[index.nodes[i]].get("kind") == "contact"
    }


def decision_chain_coverage(
    graph: nx.DiGraph,
    tier: Tier | str,
    config: AnalysisConfig = DEFAULT_CONFIG,
    removed: Collection[str] = (),
    index: PathIndex | None = None,
) -> Coverage:
    """Coverage of the decision chain of an account of ``tier``.

    Parameters
    ----------
    graph : networkx.DiGraph
        A path graph of :func:`~graph.analysis.relgraph.relationship_graph`.
    tier : Tier or str
        The account's tier (selects the required roles).
    config : AnalysisConfig
        Required roles, role weights, ``coverage_min_reach`` and ``reach_max_hops``.
    removed : collection of str
        People taken out first (a what-if).
    index : PathIndex, optional
        A prebuilt index of ``graph`` (saves rebuilding it for repeated calls).

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> g = relationship_graph(example_subgraph())
    >>> cov = decision_chain_coverage(g, "key", removed={"dir"})
    >>> cov.score, cov.role("champion").holders
    (0.0, ())
    >>> eb = decision_chain_coverage(g, "key", AnalysisConfig(coverage_min_reach=0.4)).role("economic_buyer")
    >>> eb.covered, eb.holder, [link.link for link in eb.path.links]
    (True, 'cio', ['tie', 'reports_to'])
    """
    tier = check_tier(tier)
    if index is None:
        index = PathIndex(graph)
    gone = {index.index[p] for p in removed if p in index.index}
    best, layer, preds = index.search(config.reach_max_hops, gone)
    return _coverage(index, tier, config, gone, best, layer, preds)


def check_tier(tier: Tier | str) -> Tier:
    """``tier`` as a :class:`~graph.model.Tier`, or a :class:`ValueError` naming the valid tiers.

    Examples
    --------
    >>> check_tier("strategic")
    <Tier.STRATEGIC: 'strategic'>
    >>> check_tier("gold")
    Traceback (most recent call last):
    ...
    ValueError: unknown account tier 'gold' (expected strategic, key or potential)
    """
    try:
        return Tier(tier)
    except ValueError:
        raise ValueError(f"unknown account tier {tier!r} (expected strategic, key or potential)") from None


def _coverage(
    index: PathIndex,
    tier: Tier | str,
    config: AnalysisConfig,
    gone: Collection[int],
    best: list[float],
    layer: list[int],
    preds: list[dict[int, int]],
) -> Coverage:
    required = config.required_roles(tier)
    holders = role_holders(index.graph, required)
    entries: list[RoleCoverage] = []
    covered_weight = 0.0
    total_weight = 0.0
    for role in required:
        weight = config.role_weight(role)
        total_weight += weight
        present = tuple(h for h in holders[role] if index.index[h] not in gone)
        best_holder: str | None = None
        best_value = 0.0
        for holder in present:
            i = index.index[holder]
            if layer[i] > 0 and best[i] > best_value:
                best_value = best[i]
                best_holder = holder
        path = index.path(index.index[best_holder], layer, preds, best) if best_holder is not None else None
        covered = best_holder is not None and best_value >= config.coverage_min_reach
        if covered:
            covered_weight += weight
        entries.append(RoleCoverage(role, weight, present, covered, best_holder, path, best_value))
    score = 100.0 if total_weight <= 0 else 100.0 * covered_weight / total_weight
    return Coverage(
        score=score,
        covered_weight=covered_weight,
        total_weight=total_weight,
        roles=tuple(entries),
        min_reach=config.coverage_min_reach,
        max_hops=config.reach_max_hops,
    )


def level_coverage(
    graph: nx.DiGraph, config: AnalysisConfig = DEFAULT_CONFIG, removed: Collection[str] = ()
) -> tuple[LevelCoverage, ...]:
    """Level coverage for executive, management and operational, in that order.

    Only direct staff -> contact ties count; the best pair is reported even when it is below
    ``config.strong_threshold`` (then ``covered`` is false).

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> levels = level_coverage(relationship_graph(example_subgraph()))
    >>> [(lc.level.value, lc.covered, lc.contact_id) for lc in levels]
    [('executive', False, None), ('management', True, 'dir'), ('operational', False, None)]
    """
    gone = set(removed)
    best: dict[Level, tuple[float, str, str]] = {}
    nodes = graph.nodes
    for u in graph.graph.get("staff") or [n for n, d in nodes(data=True) if d.get("kind") == "staff"]:
        if u in gone or u not in nodes:
            continue
        level = nodes[u].get("level")
        if level is None:
            continue
        for v, data in graph.succ[u].items():
            dv = nodes[v]
            if v in gone or dv.get("kind") != "contact" or level != dv.get("level"):
                continue
            strength = float(data["strength"])
            seen = best.get(level)
            if seen is None or strength > seen[0] or (strength == seen[0] and (u, v) < (seen[1], seen[2])):
                best[level] = (strength, u, v)
    result = []
    for level in Level:
        found = best.get(level)
        if found is None:
            result.append(LevelCoverage(level, False, None, None, 0.0))
        else:
            strength, sid, cid = found
            result.append(LevelCoverage(level, strength >= config.strong_threshold, sid, cid, strength))
    return tuple(result)
