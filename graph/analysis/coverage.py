"""Reach and graded decision-chain coverage: is every buying role reached, and how?

Runs on the path graph of :func:`~graph.analysis.relgraph.relationship_graph`, whose tie links
carry each tie's *effective* strength (a going-cold tie counts reduced there).

* ``reach(contact)`` is the best product of link strengths along a path of at most
  ``config.reach_max_hops`` links from any of our staff (the graph's ``staff``). It is computed
  with a hop-bounded best-product search (a Bellman-Ford over ``reach_max_hops`` layers that
  only relaxes nodes improved in the previous layer), so each contact's best path is simple and
  explained link by link.
* Each required role (``config.required_roles(tier)``) gets a **grade**, from the active holders
  of the role:

  - ``direct``: one of our staff has a *strong* tie to a holder (effective strength >=
    ``strong_threshold``); evidence: the path ``staff -> holder``;
  - ``introduction``: not direct, but one of our staff has a strong tie to a contact who
    manages, reports to or influences a holder (any org-chart or relation line ``contact ->
    holder`` other than a tie, of strength >= ``thread_min_strength``: the line is one a
    thread may use); evidence: ``staff -> introducer -> holder``;
  - ``gap``: neither; the evidence is the best reach path to a holder, if any.

  Among candidates of a grade the strongest tie of ours wins (then the stronger line, then ids).
  Every threshold is met within ``config.threshold_tolerance`` (``value >= threshold -
  tolerance``), so ``0.6`` computed as ``0.5999999999999999`` is strong.
* The **score** is ``100 * sum(role_weight * grade_weight) / sum(role_weight)`` with
  ``config.role_weight`` and ``config.coverage_grade_weights`` (*default* direct 1, introduction
  0.5, gap 0; 100 when nothing is required). A role counts as ``covered`` unless it is a gap.
* **Level coverage**: for executive, management and operational, the strongest tie between one
  of our staff and a contact at the same level (``staff.level`` and the contact's level); the
  level is covered by the same strong-tie rule (>= ``strong_threshold``, with the tolerance).

Examples
--------
>>> from graph.analysis.relgraph import example_subgraph, relationship_graph
>>> g = relationship_graph(example_subgraph())
>>> cov = decision_chain_coverage(g, example_subgraph().account.tier)
>>> [(r.role.value, r.grade) for r in cov.roles][:2]
[('economic_buyer', 'introduction'), ('technical_buyer', 'direct')]
>>> [r.grade for r in cov.roles][2:], round(cov.score, 1)  # (2 * 0.5 + 1 + 1 + 1.5) / 5.5
(['direct', 'direct'], 81.8)
>>> cov.role("economic_buyer").path.nodes, cov.role("economic_buyer").introducer
(('rep', 'dir', 'cio'), 'dir')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import pairwise

import networkx as nx

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Level, Role, Tier

__all__ = [
    "GRADES",
    "Coverage",
    "LevelCoverage",
    "PathIndex",
    "PathLink",
    "ReachPath",
    "RoleCoverage",
    "check_tier",
    "coverage_from_search",
    "decision_chain_coverage",
    "level_coverage",
    "meets",
    "reach",
    "role_holders",
]

#: Coverage grades of a required role, best first.
GRADES: tuple[str, ...] = ("direct", "introduction", "gap")


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
    """Coverage of one required role: its grade and the evidence behind it.

    ``holders`` are the active contacts holding the role. For a ``direct`` or ``introduction``
    grade, ``holder`` is the holder graded, ``path`` the evidence (``staff -> holder`` or
    ``staff -> introducer -> holder``) and ``tie_strength`` the strength of our tie on it (to
    the holder or the introducer). For a ``gap``, ``holder`` and ``path`` are the best reach
    to a holder (``None`` when no holder is reachable) and ``tie_strength`` the strongest tie
    of ours to a holder or to a possible introducer (0 when none). ``strength`` is the strength
    of ``path`` (the product of its links; 0 without a path). ``covered`` is ``grade != "gap"``
    and ``grade_weight`` the grade's weight in the score.

    ``standing`` (0 to 1) grades the same candidates without the strong-tie cliff: the larger of
    the grade weight and ``grade_weight(kind) * min(1, tie / strong_threshold)`` over the best
    direct tie and the best tie to an introducer. A role whose tie fell just below strong keeps
    most of its standing; departure risk (:mod:`graph.analysis.risk`) measures what a
    departure costs against it.
    """

    role: Role
    weight: float
    holders: tuple[str, ...]
    covered: bool
    holder: str | None
    path: ReachPath | None
    strength: float
    grade: str = "gap"
    grade_weight: float = 0.0
    staff_id: str | None = None
    introducer: str | None = None
    tie_strength: float = 0.0
    standing: float = 0.0


@dataclass(frozen=True, slots=True)
class Coverage:
    """Decision-chain coverage: the score 0-100 and its breakdown per role, with the parameters.

    ``covered_weight`` is ``sum(role_weight * grade_weight)``; ``min_reach`` is the tie
    strength a grade needs (``strong_threshold``), ``tolerance`` the tolerance it is met with.
    """

    score: float
    covered_weight: float
    total_weight: float
    roles: tuple[RoleCoverage, ...]
    min_reach: float
    max_hops: int
    grade_weights: tuple[tuple[str, float], ...] = ()
    tolerance: float = 0.0

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
        >>> decision_chain_coverage(relationship_graph(example_subgraph()), "key", removed={"cio"}).uncovered
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

    __slots__ = (
        "_best_ties",
        "_holders",
        "_plans",
        "_staff_links",
        "graph",
        "index",
        "nodes",
        "sources",
        "succ",
    )

    def __init__(self, graph: nx.DiGraph) -> None:
        self.graph = graph
        self.nodes: list[str] = list(graph.nodes)
        self.index: dict[str, int] = {n: i for i, n in enumerate(self.nodes)}
        index = self.index
        # adjacency() yields the plain neighbour dicts, in node order (no view per node)
        self.succ: list[list[tuple[int, float]]] = [
            [(index[v], float(d["strength"])) for v, d in neighbours.items()]
            for _, neighbours in graph.adjacency()
        ]
        self.sources: list[int] = [index[n] for n, d in graph.nodes(data=True) if d.get("kind") == "staff"]
        # what the coverage grading reads again for every departure, gathered once (the graph
        # does not change under its index)
        self._staff_links: list[tuple[str, list[tuple[str, float]]]] | None = None
        self._best_ties: dict[str, tuple[float, str]] | None = None
        self._holders: dict[tuple[Role, ...], dict[Role, tuple[str, ...]]] = {}
        self._plans: dict[
            tuple[frozenset[int], int], tuple[list[int], list[dict[int, list[tuple[int, float]]]]]
        ] = {}

    def role_holders(self, roles: tuple[Role, ...]) -> dict[Role, tuple[str, ...]]:
        """:func:`role_holders` of the indexed graph (computed once per ``roles``).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> PathIndex(relationship_graph(example_subgraph())).role_holders((Role.CHAMPION,))
        {<Role.CHAMPION: 'champion'>: ('dir',)}
        """
        found = self._holders.get(roles)
        if found is None:
            found = self._holders[roles] = role_holders(self.graph, roles)
        return found

    def holder_indices(self, roles: tuple[Role, ...]) -> frozenset[int]:
        """The indices of the holders of ``roles`` (the targets of a coverage search).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> idx = PathIndex(relationship_graph(example_subgraph()))
        >>> sorted(idx.nodes[i] for i in idx.holder_indices((Role.CHAMPION, Role.ECONOMIC_BUYER)))
        ['cio', 'dir']
        """
        return frozenset(self.index[h] for hs in self.role_holders(roles).values() for h in hs)

    def best_ties(self, removed: Collection[str] = ()) -> dict[str, tuple[float, str]]:
        """Per contact, our strongest tie to them: ``(strength, staff id)``, ties broken by staff id.

        Without the ``removed`` people (staff or contacts). The result must not be changed (the
        one without anyone removed is shared).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> idx = PathIndex(relationship_graph(example_subgraph()))
        >>> {c: (round(s, 2), by) for c, (s, by) in idx.best_ties().items()}
        {'dir': (0.67, 'rep')}
        >>> idx.best_ties({"rep"})
        {}
        """
        if self._best_ties is not None:
            if not removed:
                return self._best_ties
            if not any(staff in removed for staff, _ in self._staff_links or ()):
                # only contacts leave: everyone else keeps their best tie
                return {c: best for c, best in self._best_ties.items() if c not in removed}
        links = self._staff_links
        if links is None:
            nodes = self.graph.nodes
            links = self._staff_links = [
                (
                    self.nodes[i],
                    [
                        (contact, float(data["strength"]))
                        for contact, data in self.graph.succ[self.nodes[i]].items()
                        if nodes[contact].get("kind") == "contact"
                    ],
                )
                for i in self.sources
            ]
        result: dict[str, tuple[float, str]] = {}
        for staff, contacts in links:
            if staff in removed:
                continue
            for contact, strength in contacts:
                if contact in removed:
                    continue
                seen = result.get(contact)
                if seen is None or strength > seen[0] or (strength == seen[0] and staff < seen[1]):
                    result[contact] = (strength, staff)
        if not removed:
            self._best_ties = result
        return result

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
        self, max_hops: int, removed: Collection[int] = (), targets: Collection[int] | None = None
    ) -> tuple[list[float], list[int], list[dict[int, int]]]:
        """Hop-bounded best products from the sources, without the ``removed`` nodes.

        Returns ``(best, layer, preds)``: ``best[i]`` the best product (0 when unreachable,
        1 for a source), ``layer[i]`` the number of links of that path (-1 when unreachable)
        and ``preds[h]`` the predecessor of each node improved at layer ``h``.

        With ``targets``, links that cannot lead to a target within the hops left are not
        followed: the figures of the targets and the predecessors along their best paths
        (:meth:`path`) are exactly those of the whole search, the figures of other nodes may be
        lower. A node whose hop distance to every target exceeds the hops left can only pass
        its value on to nodes that are as far, so no target's value or path depends on it.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
        >>> idx = PathIndex(relationship_graph(example_subgraph()))
        >>> best, layer, preds = idx.search(3)
        >>> [(idx.nodes[i], round(best[i], 2), layer[i]) for i in range(len(idx.nodes))]
        [('rep', 1.0, 0), ('cio', 0.33, 2), ('dir', 0.67, 1)]
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
        plan = None if targets is None else self._plan(frozenset(targets), max_hops)
        for hop in range(1, max_hops + 1):
            if not frontier:
                break
            nxt: dict[int, float] = {}
            pred: dict[int, int] = {}
            if plan is not None:
                distance, links_at = plan
                left = max_hops - hop  # hops left after this one
                links = links_at[left]
            for u, value in frontier.items():
                if plan is None:
                    heads = succ[u]
                else:
                    followed = links.get(u)
                    if followed is None:
                        followed = links[u] = (
                            [(v, w) for v, w in succ[u] if distance[v] <= left]
                            if distance[u] <= left + 1
                            else []
                        )
                    heads = followed
                for v, w in heads:
                    cand = value * w
                    if cand > best[v] and v not in removed:
                        best[v] = cand
                        layer[v] = hop
                        nxt[v] = cand
                        pred[v] = u
            preds.append(pred)
            frontier = nxt
        return best, layer, preds

    def _plan(
        self, targets: frozenset[int], max_hops: int
    ) -> tuple[list[int], list[dict[int, list[tuple[int, float]]]]]:
        """Hop distances to ``targets`` and, per number of hops left, the links worth following
        (filled in as searches meet their tails).

        Distances are exact up to ``max_hops - 1``; every node farther away gets ``max_hops``
        (no link into it is ever followed, since at least one hop is left after following it).
        """
        key = (targets, max_hops)
        found = self._plans.get(key)
        if found is not None:
            return found
        far = max(max_hops, 1)
        distance = [far] * len(self.nodes)
        ring = [t for t in targets if 0 <= t < len(distance)]
        for t in ring:
            distance[t] = 0
        index, nodes, predecessors = self.index, self.nodes, self.graph.pred
        for step in range(1, max_hops):
            next_ring = []
            for v in ring:
                for tail in predecessors[nodes[v]]:
                    u = index[tail]
                    if distance[u] == far:
                        distance[u] = step
                        next_ring.append(u)
            ring = next_ring
        found = self._plans[key] = (distance, [{} for _ in range(max_hops)])
        return found

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


def meets(value: float, threshold: float, config: AnalysisConfig = DEFAULT_CONFIG) -> bool:
    """Whether ``value`` meets ``threshold`` within ``config.threshold_tolerance``.

    Examples
    --------
    >>> meets(0.1 + 0.2, 0.3), meets(0.5999, 0.6)
    (True, False)
    """
    return value >= threshold - config.threshold_tolerance


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
    {'cio': 0.333, 'dir': 0.665}
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
        Required roles, role weights, grade weights, ``strong_threshold``, ``thread_min_strength``,
        ``threshold_tolerance`` and ``reach_max_hops``.
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
    >>> eb = decision_chain_coverage(g, "key").role("economic_buyer")
    >>> eb.grade, eb.holder, eb.introducer, [link.link for link in eb.path.links], round(eb.tie_strength, 3)
    ('introduction', 'cio', 'dir', ['tie', 'reports_to'], 0.665)
    >>> strict = AnalysisConfig(strong_threshold=0.7)  # our tie to dir is no longer strong: all gaps
    >>> [r.grade for r in decision_chain_coverage(g, "key", strict).roles]
    ['gap', 'gap', 'gap', 'gap']
    """
    tier = check_tier(tier)
    if index is None:
        index = PathIndex(graph)
    gone = {index.index[p] for p in removed if p in index.index}
    targets = index.holder_indices(config.required_roles(tier))
    best, layer, preds = index.search(config.reach_max_hops, gone, targets)
    return coverage_from_search(index, tier, config, gone, best, layer, preds)


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


def coverage_from_search(
    index: PathIndex,
    tier: Tier | str,
    config: AnalysisConfig,
    gone: Collection[int],
    best: list[float],
    layer: list[int],
    preds: list[dict[int, int]],
) -> Coverage:
    """Coverage of the indexed graph without ``gone``, from a reach search already run.

    :func:`decision_chain_coverage` without its own search: callers that also need the search
    for other analyses (or re-run it for a departure) run it once and grade from its result.

    Parameters
    ----------
    index : PathIndex
        The index of the path graph.
    tier : Tier or str
        The account's tier (selects the required roles).
    config : AnalysisConfig
        As for :func:`decision_chain_coverage`.
    gone : collection of int
        Indices of the people taken out (the ones the search was run without).
    best, layer, preds : list
        The result of ``index.search(config.reach_max_hops, gone)`` (or of a search with the
        required roles' holders as its ``targets``: only their figures are read).

    Returns
    -------
    Coverage

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> idx = PathIndex(relationship_graph(example_subgraph()))
    >>> best, layer, preds = idx.search(DEFAULT_CONFIG.reach_max_hops)
    >>> round(coverage_from_search(idx, "key", DEFAULT_CONFIG, (), best, layer, preds).score, 1)
    81.8
    """
    graph = index.graph
    required = config.required_roles(tier)
    holders = index.role_holders(required)
    grade_weights = {g: float(config.coverage_grade_weights.get(g, 0.0)) for g in GRADES}
    removed = {index.nodes[i] for i in gone}
    ties = index.best_ties(removed)
    entries: list[RoleCoverage] = []
    covered_weight = 0.0
    total_weight = 0.0
    for role in required:
        weight = config.role_weight(role)
        total_weight += weight
        present = tuple(h for h in holders[role] if index.index[h] not in gone)
        entry = _grade(graph, index, role, weight, present, ties, removed, config, best, layer, preds)
        entry_weight = grade_weights[entry.grade]
        covered_weight += weight * entry_weight
        direct_tie, intro_tie = _closest_ties(graph, present, ties, removed, config)
        standing = max(
            entry_weight,
            grade_weights["direct"] * _towards_strong(direct_tie, config),
            grade_weights["introduction"] * _towards_strong(intro_tie, config),
        )
        entries.append(dataclasses.replace(entry, grade_weight=entry_weight, standing=standing))
    score = 100.0 if total_weight <= 0 else 100.0 * covered_weight / total_weight
    return Coverage(
        score=score,
        covered_weight=covered_weight,
        total_weight=total_weight,
        roles=tuple(entries),
        min_reach=config.strong_threshold,
        max_hops=config.reach_max_hops,
        grade_weights=tuple(grade_weights.items()),
        tolerance=config.threshold_tolerance,
    )


def _towards_strong(tie: float, config: AnalysisConfig) -> float:
    """``min(1, tie / strong_threshold)``, 1 once the tie meets the threshold (with the tolerance)."""
    strong = config.strong_threshold
    if meets(tie, strong, config) or strong <= 0:
        return 1.0
    return max(tie, 0.0) / strong


def _closest_ties(
    graph: nx.DiGraph,
    present: tuple[str, ...],
    ties: dict[str, tuple[float, str]],
    removed: Collection[str],
    config: AnalysisConfig,
) -> tuple[float, float]:
    """Our strongest tie to a present holder, and to a contact with a usable line to one."""
    direct = max((ties[h][0] for h in present if h in ties), default=0.0)
    intro = 0.0
    nodes = graph.nodes
    for holder in present:
        for introducer, data in graph.pred[holder].items():
            if introducer in removed or introducer not in ties or nodes[introducer].get("kind") != "contact":
                continue
            line = _line(data)
            if line is not None and meets(line[1], config.thread_min_strength, config):
                intro = max(intro, ties[introducer][0])
    return direct, intro


def _line(data: dict[str, object]) -> tuple[str, float] | None:
    """The strongest link of an edge that is not a tie (an org-chart or relation line)."""
    links = data.get("links")
    if not isinstance(links, tuple):
        links = ((data.get("link", "tie"), data["strength"]),)
    found: tuple[str, float] | None = None
    for kind, strength in links:
        if kind != "tie" and (found is None or float(strength) > found[1]):
            found = (str(kind), float(strength))
    return found


def _grade(
    graph: nx.DiGraph,
    index: PathIndex,
    role: Role,
    weight: float,
    present: tuple[str, ...],
    ties: dict[str, tuple[float, str]],
    removed: Collection[str],
    config: AnalysisConfig,
    best: list[float],
    layer: list[int],
    preds: list[dict[int, int]],
) -> RoleCoverage:
    """The grade of one role from its present holders (see the module notes)."""
    strong = config.strong_threshold
    closest = 0.0
    # candidates are ordered by min() over keys: the strongest tie first, then ids
    direct: tuple[float, str, str] | None = None  # (-tie, holder, staff)
    for holder in present:
        found = ties.get(holder)
        if found is None:
            continue
        closest = max(closest, found[0])
        key = (-found[0], holder, found[1])
        if direct is None or key < direct:
            direct = key
    if direct is not None and meets(-direct[0], strong, config):
        tie, holder, staff = -direct[0], direct[1], direct[2]
        path = ReachPath((staff, holder), (PathLink(staff, holder, "tie", tie),), tie)
        return RoleCoverage(role, weight, present, True, holder, path, tie, "direct", 0.0, staff, None, tie)
    # (-tie, -line, holder, introducer, staff, line kind)
    intro: tuple[float, float, str, str, str, str] | None = None
    nodes = graph.nodes
    for holder in present:
        for introducer, data in graph.pred[holder].items():
            if introducer in removed or nodes[introducer].get("kind") != "contact":
                continue
            line = _line(data)
            found = ties.get(introducer)
            if line is None or found is None or not meets(line[1], config.thread_min_strength, config):
                continue
            closest = max(closest, found[0])
            candidate = (-found[0], -line[1], holder, introducer, found[1], line[0])
            if intro is None or candidate < intro:
                intro = candidate
    if intro is not None and meets(-intro[0], strong, config):
        tie, line_strength = -intro[0], -intro[1]
        holder, introducer, staff, kind = intro[2:]
        links = (PathLink(staff, introducer, "tie", tie), PathLink(introducer, holder, kind, line_strength))
        path = ReachPath((staff, introducer, holder), links, tie * line_strength)
        return RoleCoverage(
            role,
            weight,
            present,
            True,
            holder,
            path,
            path.strength,
            "introduction",
            0.0,
            staff,
            introducer,
            tie,
        )
    best_holder: str | None = None
    best_value = 0.0
    for holder in present:
        i = index.index[holder]
        if layer[i] > 0 and best[i] > best_value:
            best_value = best[i]
            best_holder = holder
    reach_path = index.path(index.index[best_holder], layer, preds, best) if best_holder is not None else None
    staff_id = reach_path.nodes[0] if reach_path is not None else None
    return RoleCoverage(
        role, weight, present, False, best_holder, reach_path, best_value, "gap", 0.0, staff_id, None, closest
    )


def level_coverage(
    graph: nx.DiGraph, config: AnalysisConfig = DEFAULT_CONFIG, removed: Collection[str] = ()
) -> tuple[LevelCoverage, ...]:
    """Level coverage for executive, management and operational, in that order.

    Only direct staff -> contact ties count (at their effective strength); the best pair is
    reported even when it is below ``config.strong_threshold`` (then ``covered`` is false); the
    threshold is met within ``config.threshold_tolerance``.

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
            result.append(
                LevelCoverage(level, meets(strength, config.strong_threshold, config), sid, cid, strength)
            )
    return tuple(result)
