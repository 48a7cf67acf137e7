"""Single point of contact and key-person risk, on both sides, and what-if.

Runs on the path graph of :func:`~graph.analysis.relgraph.relationship_graph`, keeping only
links with strength >= ``config.thread_min_strength`` (the *thread graph*):

* **Threads**: a virtual source feeds all our staff, every active holder of a required role
  feeds a virtual sink; ``threads`` is the source->sink node connectivity (the number of
  node-disjoint relationship threads), computed as a unit-vertex-capacity max flow on the
  split-node auxiliary digraph. The minimum node cut comes from the residual graph; when
  ``threads == 1`` every person who alone cuts the threads is a **single point of contact**
  (``"ours"`` for our staff, ``"theirs"`` for a contact). A person is **critical** (their loss
  costs a thread) exactly when they belong to *some* minimum node cut, which is read off the
  strongly connected components of the residual graph (Picard-Queyranne), so no per-person
  recomputation is needed.
* **Articulation points**, restricted to what our side reaches: the people whose loss leaves
  someone our staff reach over thread links (directed, from any of our staff) reachable no
  more. They are the immediate dominators of the people reached in the thread graph rooted at
  the virtual source, so a group nobody of ours reaches reports none.
* **Role cut vertices**: per required role, the people whose loss alone leaves no thread to
  any holder of the role: the dominators of the role's virtual sink in the source-rooted
  thread graph (one :func:`immediate_dominators` call for all roles).
* **Departure impact** of a person: the coverage score (:mod:`graph.analysis.coverage`) lost
  when they are removed, the roles that become uncovered, the threads lost, and the **coverage
  at risk**, which separates two kinds of loss per covered role (:class:`RoleRisk`):

  - *relationship*: a role the person does not hold loses standing because they carried our
    access to it (one of our staff holding the ties alone, a contact bridging to others):
    ``weight * max(grade_weight_before - standing_after, 0)``. ``standing_after`` grades what
    remains without the strong-tie cliff (:class:`~graph.analysis.coverage.RoleCoverage`), so a
    second rep whose tie is just below strong keeps most of the role;
  - *turnover*: the person holds the role, so it goes vacant with them, which no relationship
    work prevents. The same loss is weighed by what remains around the holder:
    ``(1 - cover)`` with ``cover = succession_cover_max * min(1, tie / strong_threshold)`` for
    our strongest tie to someone in their circle (their manager, their reports, the manager's
    other reports: where a successor comes from and who introduces us to them).

  ``at_risk = 100 * sum(role losses) / sum(role weights)`` and
  ``revenue_at_risk = account.annual_revenue * at_risk / 100``, split into the relationship
  and the turnover part. Only people on the evidence path of a covered role can lower it, so
  coverage is recomputed for those few people only; everyone else puts nothing at risk.
* **What-if** for any set of people: coverage, level coverage and threads recomputed without
  them, and the coverage at risk as above.

Examples
--------
>>> from graph.analysis.relgraph import example_subgraph, relationship_graph
>>> g = relationship_graph(example_subgraph())
>>> t = relationship_threads(g, "key")
>>> t.threads, [(p.person_id, p.side) for p in t.single_points_of_contact]
(1, [('rep', 'ours'), ('dir', 'theirs')])
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import networkx as nx

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.coverage import (
    Coverage,
    LevelCoverage,
    PathIndex,
    check_tier,
    coverage_from_search,
    decision_chain_coverage,
    level_coverage,
    meets,
)
from graph.analysis.frozen import frozen_record
from graph.analysis.relgraph import relationship_graph
from graph.model import Account, Role, Tier
from graph.records import AccountSubgraph

__all__ = [
    "AnalysedAccount",
    "DepartureImpact",
    "Exposure",
    "RoleCut",
    "RoleRisk",
    "SinglePoint",
    "Threads",
    "WhatIf",
    "departure_impacts",
    "exposure",
    "immediate_dominators",
    "indexed_departure_impacts",
    "indexed_threads",
    "relationship_threads",
    "role_cut_vertices",
    "what_if",
]

_INF = 1 << 30


@dataclass(frozen=True, slots=True)
class SinglePoint:
    """A person who alone holds every thread to the decision makers; ``side`` is ours or theirs."""

    person_id: str
    side: str


@dataclass(frozen=True, slots=True)
class RoleCut:
    """The people whose loss alone cuts every thread to the holders of ``role``.

    ``reachable`` is false when no thread reaches a holder even now (then ``cut_vertices`` is
    empty: there is nothing left to cut).
    """

    role: Role
    holders: tuple[str, ...]
    reachable: bool
    cut_vertices: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Threads:
    """Independent relationship threads from our staff to the holders of required roles.

    Attributes
    ----------
    threads : int
        Node connectivity virtual source -> virtual sink over links >= ``min_strength``.
    min_strength : float
        The link threshold used.
    sources, sinks : tuple of str
        Our staff and the active holders of required roles.
    paths : tuple of tuple of str
        ``threads`` node-disjoint paths (staff first, holder last).
    min_cut : tuple of str
        A minimum node cut (``len(min_cut) == threads``).
    critical : tuple of str
        Everyone whose loss alone costs a thread (members of some minimum node cut).
    single_points_of_contact : tuple of SinglePoint
        When ``threads == 1``: the critical people, ordered along the thread.
    articulation_points : tuple of str
        People whose loss cuts someone our staff reach off from all of our staff.
    role_cuts : tuple of RoleCut
        Per required role, the people whose loss alone cuts the role off.
    """

    threads: int
    min_strength: float
    sources: tuple[str, ...]
    sinks: tuple[str, ...]
    paths: tuple[tuple[str, ...], ...]
    min_cut: tuple[str, ...]
    critical: tuple[str, ...]
    single_points_of_contact: tuple[SinglePoint, ...]
    articulation_points: tuple[str, ...]
    role_cuts: tuple[RoleCut, ...]


@dataclass(frozen=True, slots=True)
class RoleRisk:
    """What one covered role stands to lose in a departure (see the module notes).

    ``part`` is ``"relationship"`` or ``"turnover"``; ``before`` the role's grade weight,
    ``after`` its standing without the people who leave; ``cover`` the share of a turnover
    loss that our ties around the holder make good (0 for a relationship loss), through our
    tie ``staff_id -> via``; ``at_risk`` the coverage points (of 100) at risk.
    """

    role: Role
    part: str
    weight: float
    before: float
    after: float
    cover: float
    via: str | None
    staff_id: str | None
    at_risk: float


@frozen_record
class DepartureImpact:
    """What the account loses if one person (ours or theirs) leaves.

    ``coverage_lost`` is the fall of the coverage score; ``at_risk`` the coverage points at
    risk (``relationship_at_risk + turnover_at_risk``, explained by ``role_risks``);
    ``impact = at_risk / 100``; ``revenue_at_risk = annual_revenue * impact``, of which
    ``revenue_relationship`` and ``revenue_turnover``. ``cuts_roles`` are the roles this
    person alone cuts off (see :class:`RoleCut`).
    """

    person_id: str
    side: str
    coverage_before: float
    coverage_after: float
    coverage_lost: float
    impact: float
    roles_lost: tuple[Role, ...]
    threads_before: int
    threads_after: int
    threads_lost: int
    cuts_roles: tuple[Role, ...]
    revenue_at_risk: float
    at_risk: float = 0.0
    relationship_at_risk: float = 0.0
    turnover_at_risk: float = 0.0
    revenue_relationship: float = 0.0
    revenue_turnover: float = 0.0
    role_risks: tuple[RoleRisk, ...] = ()


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The account without ``removed``: coverage, level coverage and threads, and what was lost."""

    account_id: str
    removed: tuple[str, ...]
    coverage_before: float
    coverage: Coverage
    coverage_lost: float
    impact: float
    roles_lost: tuple[Role, ...]
    level_coverage: tuple[LevelCoverage, ...]
    levels_lost: tuple[str, ...]
    threads_before: int
    threads: Threads
    threads_lost: int
    revenue_at_risk: float
    at_risk: float = 0.0
    relationship_at_risk: float = 0.0
    turnover_at_risk: float = 0.0
    role_risks: tuple[RoleRisk, ...] = ()


@dataclass(frozen=True, slots=True)
class Exposure:
    """A person's revenue at risk summed over accounts, with the per-account breakdown.

    ``accounts`` holds ``(account_id, impact, revenue_at_risk)`` per account where the person
    appears, highest revenue at risk first.
    """

    person_id: str
    side: str
    revenue_at_risk: float
    accounts: tuple[tuple[str, float, float], ...]


class AnalysedAccount(Protocol):
    """What a what-if needs from an account analysis (its account, path graph and config):
    :func:`what_if` and :mod:`graph.analysis.recommendations`."""

    @property
    def account(self) -> Account: ...

    @property
    def graph(self) -> nx.DiGraph: ...

    @property
    def config(self) -> AnalysisConfig: ...


class _SubjectWithImpacts(Protocol):
    @property
    def account(self) -> Account: ...

    @property
    def departure_impacts(self) -> Mapping[str, DepartureImpact]: ...


# --------------------------------------------------------------------------------------------
# threads: unit vertex capacity max flow on the split-node graph
# --------------------------------------------------------------------------------------------


class _Flow:
    """Max flow source -> sink with capacity 1 on every person (node splitting)."""

    def __init__(
        self, index: PathIndex, min_strength: float, sinks: Collection[int], removed: Collection[int]
    ) -> None:
        n = len(index.nodes)
        self.n = n
        self.source = 2 * n
        self.sink = 2 * n + 1
        res: list[dict[int, int]] = [{} for _ in range(2 * n + 2)]
        # the capacities as given (forward edges only), in the order the edges were added; no
        # edge is added twice and no two people link both ways through one split node pair, so
        # each is set once (the residual graph gets the reverse edges at capacity 0)
        orig: dict[int, dict[int, int]] = {}
        succ = index.succ
        for i in range(n):
            if i in removed:
                continue
            entry, out = 2 * i, 2 * i + 1
            res[entry][out] = 1
            res[out].setdefault(entry, 0)
            orig[entry] = {out: 1}
            links: dict[int, int] = {}
            out_res = res[out]
            for j, w in succ[i]:
                if w >= min_strength and j not in removed and j != i:
                    head = 2 * j
                    out_res[head] = _INF
                    res[head].setdefault(out, 0)
                    links[head] = _INF
            if links:
                orig[out] = links
        source_links: dict[int, int] = {}
        for s in index.sources:
            if s not in removed:
                res[self.source][2 * s] = _INF
                res[2 * s].setdefault(self.source, 0)
                source_links[2 * s] = _INF
        if source_links:
            orig[self.source] = source_links
        for t in set(sinks):
            if t not in removed:
                res[2 * t + 1][self.sink] = _INF
                res[self.sink].setdefault(2 * t + 1, 0)
                orig.setdefault(2 * t + 1, {})[self.sink] = _INF
        self.res = res
        self.orig = orig
        self.value = 0
        while self._augment():
            self.value += 1

    def _augment(self) -> bool:
        res = self.res
        parent = {self.source: self.source}
        queue = deque([self.source])
        sink = self.sink
        while queue:
            u = queue.popleft()
            for v, cap in res[u].items():
                if cap > 0 and v not in parent:
                    parent[v] = u
                    if v == sink:
                        while v != self.source:
                            u = parent[v]
                            res[u][v] -= 1
                            res[v][u] += 1
                            v = u
                        return True
                    queue.append(v)
        return False

    def residual_reach(self) -> set[int]:
        seen = {self.source}
        stack = [self.source]
        while stack:
            u = stack.pop()
            for v, cap in self.res[u].items():
                if cap > 0 and v not in seen:
                    seen.add(v)
                    stack.append(v)
        return seen

    def min_cut(self) -> list[int]:
        seen = self.residual_reach()
        return [i for i in range(self.n) if 2 * i in seen and 2 * i + 1 not in seen]

    def paths(self) -> list[list[int]]:
        """Decompose the flow into ``value`` node-disjoint paths of person indices."""
        out_edges: dict[int, list[int]] = {}
        for u, caps in self.orig.items():
            for v, cap in caps.items():
                used = cap - self.res[u][v]
                if used > 0:
                    out_edges.setdefault(u, []).extend([v] * min(used, self.value))
        result = []
        for _ in range(self.value):
            node = self.source
            people: list[int] = []
            while node != self.sink:
                nxt = out_edges[node].pop()
                if nxt < 2 * self.n and nxt % 2 == 0:
                    people.append(nxt // 2)
                node = nxt
            result.append(people)
        return result

    def critical(self) -> list[int]:
        """Persons in some minimum cut: saturated, with in- and out-node in different residual SCCs."""
        if self.value == 0:
            return []
        comp = _scc(self.res)
        return [
            i
            for i in range(self.n)
            if self.res[2 * i].get(2 * i + 1, 1) == 0 and comp[2 * i] != comp[2 * i + 1]
        ]


def _scc(res: list[dict[int, int]]) -> list[int]:
    """Strongly connected component id of every node of the residual graph (iterative Tarjan)."""
    n = len(res)
    index = [-1] * n
    low = [0] * n
    comp = [-1] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = 0
    ncomp = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, iter(res[root].items()))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, it = work[-1]
            advanced = False
            for v, cap in it:
                if cap <= 0:
                    continue
                if index[v] == -1:
                    index[v] = low[v] = counter
                    counter += 1
                    stack.append(v)
                    on_stack[v] = True
                    work.append((v, iter(res[v].items())))
                    advanced = True
                    break
                if on_stack[v] and index[v] < low[node]:
                    low[node] = index[v]
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp[w] = ncomp
                    if w == node:
                        break
                ncomp += 1
    return comp


# --------------------------------------------------------------------------------------------
# public functions
# --------------------------------------------------------------------------------------------


def _side(graph: nx.DiGraph, node: str) -> str:
    return "ours" if graph.nodes[node].get("kind") == "staff" else "theirs"


def _gone(index: PathIndex, removed: Iterable[str]) -> set[int]:
    return {index.index[p] for p in removed if p in index.index}


def relationship_threads(
    graph: nx.DiGraph,
    tier: Tier | str,
    config: AnalysisConfig = DEFAULT_CONFIG,
    removed: Collection[str] = (),
    index: PathIndex | None = None,
    *,
    with_cuts: bool = True,
) -> Threads:
    """Threads, minimum cut, single points of contact, articulation points and role cuts.

    Parameters
    ----------
    graph : networkx.DiGraph
        A path graph of :func:`~graph.analysis.relgraph.relationship_graph`.
    tier : Tier or str
        The account's tier (selects the required roles whose holders form the sink).
    config : AnalysisConfig
        Supplies ``thread_min_strength`` and the required roles.
    removed : collection of str
        People taken out first (a what-if).
    index : PathIndex, optional
        A prebuilt index of ``graph``.
    with_cuts : bool
        Without it the articulation points and role cuts are left empty (the larger part of the
        work, which a count of threads and the critical people do not need).

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> t = relationship_threads(relationship_graph(example_subgraph()), "key")
    >>> t.paths, t.min_cut, t.critical
    ((('rep', 'dir'),), ('rep',), ('dir', 'rep'))
    >>> [(rc.role.value, rc.cut_vertices) for rc in t.role_cuts][:1]
    [('economic_buyer', ('rep', 'dir', 'cio'))]
    >>> relationship_threads(relationship_graph(example_subgraph()), "key", removed={"dir"}).threads
    0
    """
    tier = check_tier(tier)
    if index is None:
        index = PathIndex(graph)
    return indexed_threads(index, tier, config, _gone(index, removed), with_cuts=with_cuts)


def indexed_threads(
    index: PathIndex, tier: Tier | str, config: AnalysisConfig, gone: set[int], *, with_cuts: bool = True
) -> Threads:
    """Threads of the indexed graph without ``gone``: :func:`relationship_threads` on an index.

    Parameters
    ----------
    index : PathIndex
        The index of the path graph.
    tier : Tier or str
        The account's tier (selects the required roles whose holders form the sink).
    config : AnalysisConfig
        Supplies ``thread_min_strength`` and the required roles.
    gone : set of int
        Indices of the people taken out first.
    with_cuts : bool
        Without it the articulation points and role cuts are left empty (the portfolio summary
        does not use them, and they are the larger part of the work).

    Returns
    -------
    Threads

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> idx = PathIndex(relationship_graph(example_subgraph()))
    >>> t = indexed_threads(idx, "key", DEFAULT_CONFIG, {idx.index["dir"]}, with_cuts=False)
    >>> t.threads, t.role_cuts
    (0, ())
    """
    required = config.required_roles(tier)
    holders = index.role_holders(required)
    sinks = sorted({index.index[h] for hs in holders.values() for h in hs} - gone)
    min_strength = config.thread_min_strength
    flow = _Flow(index, min_strength, sinks, gone)
    names = index.nodes
    flow_paths = flow.paths()
    critical = flow.critical()
    live_sources = [s for s in index.sources if s not in gone]
    articulation: tuple[str, ...] = ()
    cuts: tuple[RoleCut, ...] = ()
    if with_cuts:
        articulation, cuts = _cuts(index, required, holders, min_strength, gone, live_sources)
    return Threads(
        threads=flow.value,
        min_strength=min_strength,
        sources=tuple(names[i] for i in live_sources),
        sinks=tuple(names[i] for i in sinks),
        paths=tuple(tuple(names[i] for i in p) for p in flow_paths),
        min_cut=tuple(names[i] for i in flow.min_cut()),
        critical=tuple(sorted(names[i] for i in critical)),
        single_points_of_contact=_single_points(index, flow.value, flow_paths, critical),
        articulation_points=articulation,
        role_cuts=cuts,
    )


def _single_points(
    index: PathIndex, threads: int, flow_paths: list[list[int]], critical: list[int]
) -> tuple[SinglePoint, ...]:
    """When there is exactly one thread, the critical people ordered along it (else none)."""
    if threads != 1:
        return ()
    names = index.nodes
    position: dict[int, int] = {}
    for path in flow_paths[:1]:
        position = {node: k for k, node in enumerate(path)}
    ordered = sorted(critical, key=lambda i: (position.get(i, len(position)), names[i]))
    return tuple(SinglePoint(names[i], _side(index.graph, names[i])) for i in ordered)


def _cuts(
    index: PathIndex,
    required: tuple[Role, ...],
    holders: Mapping[Role, tuple[str, ...]],
    min_strength: float,
    gone: set[int],
    live_sources: list[int],
) -> tuple[tuple[str, ...], tuple[RoleCut, ...]]:
    """Articulation points and role cuts, from the dominators of the source-rooted thread digraph."""
    names = index.nodes
    # the source-rooted thread digraph on indices: people 0..n-1, the virtual source n, and the
    # sink of each required role (n + 1 + k) hanging off the role's present holders
    n = len(names)
    successors: list[list[int]] = [[] for _ in range(n + 1 + len(required))]
    for i in range(n):
        if i not in gone:
            successors[i] = [j for j, w in index.succ[i] if w >= min_strength and j not in gone]
    successors[n] = list(live_sources)
    role_sink: dict[Role, int] = {}
    for k, role in enumerate(required):
        sink = role_sink[role] = n + 1 + k
        for h in holders[role]:
            if index.index[h] not in gone:
                successors[index.index[h]].append(sink)
    idom = immediate_dominators(successors, n)
    # articulation points restricted to what our side reaches: the immediate dominators of the
    # people reached (someone reached only through them); islands nobody of ours reaches have none
    articulation = sorted({names[idom[v]] for v in range(n) if 0 <= idom[v] < n})
    cuts = []
    for role in required:
        sink = role_sink[role]
        present = tuple(h for h in holders[role] if index.index[h] not in gone)
        if idom[sink] < 0:
            cuts.append(RoleCut(role, present, False, ()))
            continue
        chain: list[str] = []
        node = idom[sink]
        while node != n:
            chain.append(names[node])
            node = idom[node]
        chain.reverse()
        cuts.append(RoleCut(role, present, True, tuple(chain)))
    return tuple(articulation), tuple(cuts)


def immediate_dominators(successors: Sequence[Sequence[int]], root: int) -> list[int]:
    """The immediate dominator of every node of a digraph on ``0..len(successors) - 1``.

    ``d`` dominates ``v`` when every path from ``root`` to ``v`` passes through ``d``; the
    immediate dominator is the closest strict one (the parent in the dominator tree, which is
    unique). Cooper, Harvey and Kennedy's iterative algorithm ("A simple, fast dominance
    algorithm", 2001), as :func:`networkx.immediate_dominators` runs it, on integer lists.

    Parameters
    ----------
    successors : sequence of sequences of int
        ``successors[u]``: the heads of the edges leaving ``u``.
    root : int
        The start node.

    Returns
    -------
    list of int
        ``idom[v]`` for every node: ``root`` for the root itself, -1 for a node the root does
        not reach.

    Examples
    --------
    >>> immediate_dominators([[1, 2], [4], [3], [4], [], [0]], 0)   # 0->1->4 and 0->2->3->4
    [0, 0, 0, 2, 0, -1]
    """
    size = len(successors)
    if not 0 <= root < size:
        raise ValueError(f"root {root} is not a node of a graph of {size} nodes")
    number = [-1] * size  # postorder number of each reached node
    order: list[int] = []
    seen = [False] * size
    seen[root] = True
    stack = [(root, iter(successors[root]))]
    while stack:
        node, heads = stack[-1]
        for head in heads:
            if not seen[head]:
                seen[head] = True
                stack.append((head, iter(successors[head])))
                break
        else:
            stack.pop()
            number[node] = len(order)
            order.append(node)
    predecessors: list[list[int]] = [[] for _ in range(size)]
    for node in order:
        for head in successors[node]:
            predecessors[head].append(node)
    idom = [-1] * size
    idom[root] = root
    reverse_postorder = order[-2::-1]  # the root is last in postorder
    changed = True
    while changed:
        changed = False
        for node in reverse_postorder:
            new = -1
            for pred in predecessors[node]:
                if idom[pred] < 0:
                    continue
                if new < 0:
                    new = pred
                    continue
                a, b = pred, new  # walk both up the tree to their common dominator
                while a != b:
                    while number[a] < number[b]:
                        a = idom[a]
                    while number[b] < number[a]:
                        b = idom[b]
                new = a
            if idom[node] != new:
                idom[node] = new
                changed = True
    return idom


def role_cut_vertices(
    graph: nx.DiGraph,
    tier: Tier | str,
    config: AnalysisConfig = DEFAULT_CONFIG,
    removed: Collection[str] = (),
) -> dict[Role, tuple[str, ...]]:
    """Per required role, the people whose loss alone cuts every thread to its holders.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> role_cut_vertices(relationship_graph(example_subgraph()), "key")[Role.CHAMPION]
    ('rep', 'dir')
    """
    return {rc.role: rc.cut_vertices for rc in relationship_threads(graph, tier, config, removed).role_cuts}


def departure_impacts(
    graph: nx.DiGraph,
    account: Account,
    config: AnalysisConfig = DEFAULT_CONFIG,
    index: PathIndex | None = None,
    threads: Threads | None = None,
    people: Iterable[str] | None = None,
) -> dict[str, DepartureImpact]:
    """The departure impact of every person of the graph (or of ``people``).

    Only people on the best path of a covered role can uncover it, so the reach search runs
    once for the account and once per such person; threads lost come from the minimum-cut
    membership of :func:`relationship_threads` (``threads_lost`` is 0 or 1).

    Parameters
    ----------
    graph : networkx.DiGraph
        A path graph of :func:`~graph.analysis.relgraph.relationship_graph`.
    account : Account
        The account (its tier and annual revenue).
    config : AnalysisConfig
        Coverage and thread parameters.
    index : PathIndex, optional
        A prebuilt index of ``graph``.
    threads : Threads, optional
        Precomputed :func:`relationship_threads` of ``graph``.
    people : iterable of str, optional
        Only these people (default: everyone in the graph).

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> sub = example_subgraph()
    >>> impacts = departure_impacts(relationship_graph(sub), sub.account)
    >>> d = impacts["dir"]
    >>> round(d.coverage_lost, 1), [r.value for r in d.roles_lost], d.threads_lost, round(d.revenue_at_risk)
    (81.8, ['economic_buyer', 'technical_buyer', 'user_buyer', 'champion'], 1, 818182)
    >>> impacts["cio"].coverage_lost, impacts["cio"].cuts_roles
    (18.18181818181818, (<Role.ECONOMIC_BUYER: 'economic_buyer'>,))
    """
    if index is None:
        index = PathIndex(graph)
    if threads is None:
        threads = indexed_threads(index, account.tier, config, set())
    targets = index.holder_indices(config.required_roles(account.tier))
    best, layer, preds = index.search(config.reach_max_hops, (), targets)
    base = coverage_from_search(index, account.tier, config, (), best, layer, preds)
    return indexed_departure_impacts(index, account, config, threads, base, people)


def indexed_departure_impacts(
    index: PathIndex,
    account: Account,
    config: AnalysisConfig,
    threads: Threads,
    base: Coverage,
    people: Iterable[str] | None,
) -> dict[str, DepartureImpact]:
    """:func:`departure_impacts` on an index, from the account's coverage ``base`` (already computed).

    Parameters
    ----------
    index : PathIndex
        The index of the path graph.
    account : Account
        The account (its tier and annual revenue).
    config : AnalysisConfig
        Coverage and thread parameters.
    threads : Threads
        The threads of the indexed graph (:func:`indexed_threads`, without anyone gone).
    base : Coverage
        The account's coverage with everyone (:func:`~graph.analysis.coverage.coverage_from_search`).
    people : iterable of str or None
        Only these people (``None``: everyone in the graph).

    Returns
    -------
    dict of str to DepartureImpact

    Raises
    ------
    ValueError
        When one of ``people`` is not a person of the graph.

    Examples
    --------
    >>> from graph.analysis.coverage import decision_chain_coverage
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> sub = example_subgraph()
    >>> idx = PathIndex(relationship_graph(sub))
    >>> threads = indexed_threads(idx, sub.account.tier, DEFAULT_CONFIG, set())
    >>> base = decision_chain_coverage(idx.graph, sub.account.tier, index=idx)
    >>> round(indexed_departure_impacts(idx, sub.account, DEFAULT_CONFIG, threads, base, ["dir"])["dir"].at_risk, 1)
    81.8
    """
    graph = index.graph
    hops = config.reach_max_hops
    targets = index.holder_indices(config.required_roles(account.tier))
    candidates: set[str] = set()
    for entry in base.roles:
        if entry.covered and entry.path is not None:
            candidates.update(entry.path.nodes)
    critical = set(threads.critical)
    cuts: dict[str, list[Role]] = {}
    for rc in threads.role_cuts:
        for person in rc.cut_vertices:
            cuts.setdefault(person, []).append(rc.role)
    revenue = account.annual_revenue
    wanted = list(graph.nodes) if people is None else list(people)
    result: dict[str, DepartureImpact] = {}
    for person in wanted:
        if person not in index.index:
            raise ValueError(f"{person!r} is not an active person of account {account.id!r}")
        threads_lost = 1 if person in critical else 0
        if person not in candidates:  # nobody's best path runs through them: nothing changes
            result[person] = DepartureImpact(
                person,
                _side(graph, person),
                base.score,
                base.score,
                0.0,
                0.0,
                (),
                threads.threads,
                threads.threads - threads_lost,
                threads_lost,
                tuple(cuts.get(person, ())),
                0.0,
                0,
                0,
                0,
                0.0,
                0.0,
                (),
            )
            continue
        gone = {index.index[person]}
        b2, l2, p2 = index.search(hops, gone, targets)
        after = coverage_from_search(index, account.tier, config, gone, b2, l2, p2)
        lost = max(base.score - after.score, 0.0)
        covered_after = {r.role for r in after.roles if r.covered}
        roles_lost = tuple(r.role for r in base.roles if r.covered and r.role not in covered_after)
        risks = role_risks(graph, base, after, {person}, config)
        relationship = sum(r.at_risk for r in risks if r.part == "relationship")
        turnover = sum(r.at_risk for r in risks if r.part == "turnover")
        at_risk = relationship + turnover
        result[person] = DepartureImpact(
            person_id=person,
            side=_side(graph, person),
            coverage_before=base.score,
            coverage_after=after.score,
            coverage_lost=lost,
            impact=at_risk / 100.0,
            roles_lost=roles_lost,
            threads_before=threads.threads,
            threads_after=threads.threads - threads_lost,
            threads_lost=threads_lost,
            cuts_roles=tuple(cuts.get(person, ())),
            revenue_at_risk=revenue * at_risk / 100.0,
            at_risk=at_risk,
            relationship_at_risk=relationship,
            turnover_at_risk=turnover,
            revenue_relationship=revenue * relationship / 100.0,
            revenue_turnover=revenue * turnover / 100.0,
            role_risks=risks,
        )
    return result


def role_risks(
    graph: nx.DiGraph,
    before: Coverage,
    after: Coverage,
    removed: Collection[str],
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> tuple[RoleRisk, ...]:
    """Per covered role, the coverage points put at risk when ``removed`` leave.

    Parameters
    ----------
    graph : networkx.DiGraph
        The path graph both coverages were computed on.
    before, after : Coverage
        Coverage with everyone, and without ``removed`` (same tier, same config).
    removed : collection of str
        The people who leave.
    config : AnalysisConfig
        Supplies ``strong_threshold``, ``threshold_tolerance`` and ``succession_cover_max``.

    Returns
    -------
    tuple of RoleRisk
        The roles that lose anything, in the coverage's role order.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> g = relationship_graph(example_subgraph())
    >>> tier = example_subgraph().account.tier
    >>> before = decision_chain_coverage(g, tier)
    >>> after = decision_chain_coverage(g, tier, removed={"cio"})
    >>> [(r.role.value, r.part, r.cover, round(r.at_risk, 2)) for r in role_risks(g, before, after, {"cio"})]
    [('economic_buyer', 'turnover', 0.75, 4.55)]
    """
    total = before.total_weight
    gone = set(removed)
    risks: list[RoleRisk] = []
    if total <= 0:
        return ()
    for b, a in zip(before.roles, after.roles, strict=True):
        loss = max(b.grade_weight - a.standing, 0.0)
        if b.grade_weight <= 0 or loss <= 0:
            continue
        if b.holder is not None and b.holder in gone:
            cover, via, staff = succession_cover(graph, b.holder, gone, config)
            part = "turnover"
        else:
            cover, via, staff = 0.0, None, None
            part = "relationship"
        points = 100.0 * b.weight * loss * (1.0 - cover) / total
        risks.append(RoleRisk(b.role, part, b.weight, b.grade_weight, a.standing, cover, via, staff, points))
    return tuple(risks)


def succession_cover(
    graph: nx.DiGraph,
    holder: str,
    removed: Collection[str] = (),
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> tuple[float, str | None, str | None]:
    """How much of a vacated role our ties around its holder make good: ``(cover, via, staff)``.

    The holder's circle is their managers, their reports and their managers' other reports
    (reporting lines of the path graph), without ``removed``. ``cover`` is
    ``succession_cover_max * min(1, tie / strong_threshold)`` for our strongest tie
    ``staff -> via`` into the circle (0, ``None``, ``None`` without one).

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> succession_cover(relationship_graph(example_subgraph()), "cio")
    (0.75, 'dir', 'rep')
    """
    gone = set(removed) | {holder}
    managers = _lined(graph, holder, "reports_to")
    circle = (managers | _lined(graph, holder, "manages")) - gone
    for manager in managers:
        circle |= _lined(graph, manager, "manages") - gone
    best: tuple[float, str, str] | None = None  # (-tie, via, staff)
    nodes = graph.nodes
    for contact in circle:
        for staff, data in graph.pred[contact].items():
            if staff in gone or nodes[staff].get("kind") != "staff":
                continue
            key = (-float(data["strength"]), contact, staff)
            if best is None or key < best:
                best = key
    if best is None or -best[0] <= 0:
        return 0.0, None, None
    tie = -best[0]
    strong = config.strong_threshold
    share = 1.0 if meets(tie, strong, config) or strong <= 0 else tie / strong
    return config.succession_cover_max * share, best[1], best[2]


def _lined(graph: nx.DiGraph, person: str, kind: str) -> set[str]:
    """The people ``person`` has a ``kind`` line to (``reports_to``: managers; ``manages``: reports)."""
    found: set[str] = set()
    for other, data in graph.succ[person].items():
        links = data.get("links") or ((data.get("link"), data.get("strength")),)
        if any(link == kind for link, _ in links):
            found.add(other)
    return found


def what_if(
    subject: AccountSubgraph | AnalysedAccount,
    remove: Iterable[str],
    config: AnalysisConfig | None = None,
) -> WhatIf:
    """The account without the people in ``remove`` (ours or theirs), and what it loses.

    Parameters
    ----------
    subject : AccountSubgraph or AccountAnalysis
        The account's data, or an analysis of it (its graph is reused).
    remove : iterable of str
        Ids of people in the account's relationship graph.
    config : AnalysisConfig, optional
        Defaults to the analysis' config (or :data:`~graph.analysis.config.DEFAULT_CONFIG`).

    Raises
    ------
    ValueError
        When an id is not a person of the account's relationship graph.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> w = what_if(example_subgraph(), {"rep"})
    >>> round(w.coverage_lost, 1), w.threads_lost, w.levels_lost, round(w.revenue_at_risk)
    (81.8, 1, ('management',), 818182)
    """
    if isinstance(subject, AccountSubgraph):
        cfg = config or DEFAULT_CONFIG
        graph = relationship_graph(subject, cfg)
        account = subject.account
    else:
        cfg = config or subject.config
        graph = subject.graph
        account = subject.account
    removed = tuple(sorted(set(remove)))
    unknown = [p for p in removed if p not in graph]
    if unknown:
        raise ValueError(f"not active people of account {account.id!r}: {', '.join(map(repr, unknown))}")
    index = PathIndex(graph)
    before = decision_chain_coverage(graph, account.tier, cfg, index=index)
    after = decision_chain_coverage(graph, account.tier, cfg, removed, index=index)
    threads_before = indexed_threads(index, account.tier, cfg, set())
    threads_after = indexed_threads(index, account.tier, cfg, _gone(index, removed))
    levels_before = level_coverage(graph, cfg)
    levels_after = level_coverage(graph, cfg, removed)
    lost = max(before.score - after.score, 0.0)
    covered_after = {r.role for r in after.roles if r.covered}
    risks = role_risks(graph, before, after, removed, cfg)
    at_risk = sum(r.at_risk for r in risks)
    return WhatIf(
        account_id=account.id,
        removed=removed,
        coverage_before=before.score,
        coverage=after,
        coverage_lost=lost,
        impact=lost / 100.0,
        roles_lost=tuple(r.role for r in before.roles if r.covered and r.role not in covered_after),
        level_coverage=levels_after,
        levels_lost=tuple(
            b.level.value
            for b, a in zip(levels_before, levels_after, strict=True)
            if b.covered and not a.covered
        ),
        threads_before=threads_before.threads,
        threads=threads_after,
        threads_lost=threads_before.threads - threads_after.threads,
        revenue_at_risk=account.annual_revenue * at_risk / 100.0,
        at_risk=at_risk,
        relationship_at_risk=sum(r.at_risk for r in risks if r.part == "relationship"),
        turnover_at_risk=sum(r.at_risk for r in risks if r.part == "turnover"),
        role_risks=risks,
    )


def exposure(analyses: Iterable[_SubjectWithImpacts], side: str | None = "ours") -> tuple[Exposure, ...]:
    """People's revenue at risk summed over the given account analyses, highest first.

    Parameters
    ----------
    analyses : iterable of AccountAnalysis
        Analyses with ``account`` and ``departure_impacts``.
    side : {"ours", "theirs", None}
        Only our staff (default), only contacts, or everyone.

    Examples
    --------
    >>> from graph.analysis.account import analyse_account
    >>> from graph.analysis.relgraph import example_subgraph
    >>> [(e.person_id, round(e.revenue_at_risk)) for e in exposure([analyse_account(example_subgraph())])]
    [('rep', 818182)]
    """
    if side not in ("ours", "theirs", None):
        raise ValueError(f"side must be 'ours', 'theirs' or None, got {side!r}")
    per_person: dict[str, list[tuple[str, float, float]]] = {}
    sides: dict[str, str] = {}
    for analysis in analyses:
        for person, impact in analysis.departure_impacts.items():
            if side is not None and impact.side != side:
                continue
            sides[person] = impact.side
            per_person.setdefault(person, []).append(
                (analysis.account.id, impact.impact, impact.revenue_at_risk)
            )
    result = [
        Exposure(
            person_id=person,
            side=sides[person],
            revenue_at_risk=sum(r for _, _, r in rows),
            accounts=tuple(sorted(rows, key=lambda row: (-row[2], row[0]))),
        )
        for person, rows in per_person.items()
    ]
    result.sort(key=lambda e: (-e.revenue_at_risk, e.person_id))
    return tuple(result)
