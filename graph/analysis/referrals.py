"""The referral network: customers (and their people) referring new customers.

The network is a directed graph of accounts built from a :class:`~graph.records.ReferralGraph`:
an edge ``a -> b`` means account ``a`` referred account ``b``; the edge keeps every
:class:`~graph.model.Referral` behind it as evidence.

A referral made by a *contact* counts for the contact's employer at the time (the position
active on the referral's date, from the ``employments`` given); the contact stays named on the
edge (``via_contact``). A contact referral whose employer at the time is unknown is kept in
``network.graph["unattributed"]``: it counts for the contact in :func:`top_referrers` but for no
account.

Attributed revenue of an account (*default*, ``AnalysisConfig.referral_hop_decay`` = 0.5) runs
over its **acquisition tree**: the accounts it brought in through *won* referrals, directly or
through accounts it brought in. Only edges with a won referral count (a lost or open referral
brought nobody in), the root is never re-entered (an account is not credited for its own
acquisition) and every account appears once, at its smallest hop ``h`` (its shortest chain of won
referrals from the root). An account at hop ``h`` is credited to the root with the value of the
won referrals on its tree edge times ``decay ** (h - 1)``; its tree edge comes from the account
at hop ``h - 1`` whose won referral to it is the earliest (then the smallest id). ``direct`` is
the hop-1 part (the value of the root's own won referrals), ``indirect`` the rest. So with
a->b lost, b->c won and c->a won, ``a`` is credited nothing: it brought nobody in.

Conversion rate: ``won / (won + lost + lead)`` (``rate``, every referral made) and
``won / (won + lost)`` (``decided_rate``, only referrals whose outcome is known); both are
``None`` when their denominator is zero.

Examples
--------
>>> from datetime import date
>>> from graph.model import Account, Referral
>>> from graph.records import ReferralGraph
>>> accounts = {a: Account(a, a.title()) for a in ("acme", "bolt", "cora")}
>>> graph = ReferralGraph(
...     as_of=date(2025, 6, 1),
...     accounts=accounts,
...     referrals=(
...         Referral("acme", "account", "bolt", date(2025, 1, 1), "won", 100.0),
...         Referral("bolt", "account", "cora", date(2025, 2, 1), "won", 40.0),
...     ),
... )
>>> net = referral_network(graph)
>>> revenue = attributed_revenue(net, "acme")
>>> revenue.direct, revenue.indirect, revenue.total
(100.0, 20.0, 120.0)
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Employment, Referral, ReferralStatus
from graph.records import ReferralGraph

__all__ = [
    "AccountReferrals",
    "AttributedRevenue",
    "Contribution",
    "Conversion",
    "ReferralEvidence",
    "Referrer",
    "account_referrals",
    "attributed_revenue",
    "conversion",
    "employer_on",
    "referral_network",
    "referral_tree",
    "top_referrers",
]


@dataclass(frozen=True)
class ReferralEvidence:
    """One referral on an edge of the network.

    ``credited_to`` is the account the referral counts for: the referring account, or the
    employer of the referring contact on the referral's date (``via_contact``).
    """

    referral: Referral
    credited_to: str | None
    via_contact: str | None

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        r = self.referral
        return {
            "source_id": r.source_id,
            "source_kind": r.source_kind,
            "target_id": r.target_id,
            "at": r.at.isoformat(),
            "status": r.status.value,
            "value": r.value,
            "credited_to": self.credited_to,
            "via_contact": self.via_contact,
        }


@dataclass(frozen=True)
class Contribution:
    """A won referral's share in an account's attributed revenue."""

    evidence: ReferralEvidence
    hop: int
    factor: float

    @property
    def amount(self) -> float:
        """``value * factor``."""
        return self.evidence.referral.value * self.factor


@dataclass(frozen=True)
class AttributedRevenue:
    """Revenue an account brought in through referrals, with every contribution."""

    account_id: str
    direct: float
    indirect: float
    decay: float
    contributions: tuple[Contribution, ...] = ()

    @property
    def total(self) -> float:
        """``direct + indirect``."""
        return self.direct + self.indirect

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view, with the contributions as evidence."""
        return {
            "account_id": self.account_id,
            "direct": self.direct,
            "indirect": self.indirect,
            "total": self.total,
            "decay": self.decay,
            "contributions": [
                {**c.evidence.to_payload(), "hop": c.hop, "factor": c.factor, "amount": c.amount}
                for c in self.contributions
            ],
        }


@dataclass(frozen=True)
class Conversion:
    """Referral outcomes: counts and both conversion rates (see the module notes)."""

    won: int = 0
    lost: int = 0
    lead: int = 0

    @property
    def total(self) -> int:
        """Every referral made."""
        return self.won + self.lost + self.lead

    @property
    def rate(self) -> float | None:
        """``won / (won + lost + lead)``, or ``None`` without referrals."""
        return self.won / self.total if self.total else None

    @property
    def decided_rate(self) -> float | None:
        """``won / (won + lost)``, or ``None`` when no outcome is known yet."""
        decided = self.won + self.lost
        return self.won / decided if decided else None

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "won": self.won,
            "lost": self.lost,
            "lead": self.lead,
            "rate": self.rate,
            "decided_rate": self.decided_rate,
        }


@dataclass(frozen=True)
class AccountReferrals:
    """Referrals an account gave and received, its attributed revenue and conversion."""

    account_id: str
    given: tuple[ReferralEvidence, ...]
    received: tuple[ReferralEvidence, ...]
    attributed: AttributedRevenue
    conversion: Conversion

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "account_id": self.account_id,
            "given": [e.to_payload() for e in self.given],
            "received": [e.to_payload() for e in self.received],
            "attributed": self.attributed.to_payload(),
            "conversion": self.conversion.to_payload(),
        }


@dataclass(frozen=True)
class Referrer:
    """A ranked referrer: an account or a contact.

    ``pagerank`` is the PageRank of the referrer in the reversed network of won referrals
    (credit flows from an account brought in back to whoever brought it in; contacts get their
    employer's score, or 0 when unattributed); ``downstream_value`` is the attributed revenue
    (direct + indirect) over the referrer's acquisition tree.
    """

    kind: str
    id: str
    referrals: int
    won: int
    direct_value: float
    downstream_value: float
    pagerank: float
    evidence: tuple[ReferralEvidence, ...] = field(default=())

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "kind": self.kind,
            "id": self.id,
            "referrals": self.referrals,
            "won": self.won,
            "direct_value": self.direct_value,
            "downstream_value": self.downstream_value,
            "pagerank": self.pagerank,
            "evidence": [e.to_payload() for e in self.evidence],
        }


def employer_on(employments: Iterable[Employment], contact_id: str, day: date) -> str | None:
    """The account where ``contact_id`` worked on ``day`` (the latest-started position), if any.

    Examples
    --------
    >>> from datetime import date
    >>> jobs = [
    ...     Employment("c1", "acme", until=date(2024, 12, 31)),
    ...     Employment("c1", "bolt", since=date(2025, 1, 1)),
    ... ]
    >>> employer_on(jobs, "c1", date(2024, 6, 1)), employer_on(jobs, "c1", date(2025, 6, 1))
    ('acme', 'bolt')
    """
    best: Employment | None = None
    for job in employments:
        if job.contact_id != contact_id or not job.active_on(day):
            continue
        if best is None or (job.since or date.min) >= (best.since or date.min):
            best = job
    return best.account_id if best else None


def referral_network(graph: ReferralGraph, employments: Iterable[Employment] = ()) -> nx.DiGraph:
    """Build the account-level referral network.

    Parameters
    ----------
    graph : ReferralGraph
        Referrals and the accounts they touch (from the store's ``referral_graph``).
    employments : iterable of Employment, optional
        Positions of the referring contacts, to credit their employer at the time.

    Returns
    -------
    networkx.DiGraph
        Nodes are account ids (attribute ``account``: the :class:`~graph.model.Account` or
        ``None``); edge ``a -> b`` has ``evidence`` (list of :class:`ReferralEvidence`) and
        ``status`` (the best outcome: won over lead over lost). ``G.graph`` holds ``as_of``,
        ``contact_evidence`` (evidence per referring contact) and ``unattributed``.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Employment, Referral
    >>> ref = Referral("c1", "contact", "bolt", date(2025, 2, 1), "won", 10)
    >>> g = ReferralGraph(date(2025, 6, 1), referrals=(ref,))
    >>> net = referral_network(g, [Employment("c1", "acme", since=date(2020, 1, 1))])
    >>> list(net.edges), net.edges["acme", "bolt"]["evidence"][0].via_contact
    ([('acme', 'bolt')], 'c1')
    """
    jobs = list(employments)
    net = nx.DiGraph(as_of=graph.as_of, contact_evidence={}, unattributed=[])
    for account_id, account in graph.accounts.items():
        net.add_node(account_id, account=account)
    ordered = sorted(graph.referrals, key=lambda r: (r.at, r.source_id, r.target_id))
    for ref in ordered:
        if ref.at > graph.as_of:
            continue
        if ref.source_kind == "account":
            evidence = ReferralEvidence(ref, ref.source_id, None)
        else:
            evidence = ReferralEvidence(ref, employer_on(jobs, ref.source_id, ref.at), ref.source_id)
            net.graph["contact_evidence"].setdefault(ref.source_id, []).append(evidence)
        if evidence.credited_to is None:
            net.graph["unattributed"].append(evidence)
            if ref.target_id not in net:
                net.add_node(ref.target_id, account=graph.accounts.get(ref.target_id))
            continue
        source = evidence.credited_to
        for node in (source, ref.target_id):
            if node not in net:
                net.add_node(node, account=graph.accounts.get(node))
        if source == ref.target_id:
            continue  # a contact referring their own employer: no edge between accounts
        if net.has_edge(source, ref.target_id):
            data = net.edges[source, ref.target_id]
            data["evidence"].append(evidence)
            data["status"] = _best_status(data["status"], ref.status)
        else:
            net.add_edge(source, ref.target_id, evidence=[evidence], status=ref.status)
    return net


def attributed_revenue(
    network: nx.DiGraph, account_id: str, config: AnalysisConfig = DEFAULT_CONFIG
) -> AttributedRevenue:
    """Direct and indirect revenue an account brought in through referrals.

    Parameters
    ----------
    network : networkx.DiGraph
        From :func:`referral_network`.
    account_id : str
        The referring account.
    config : AnalysisConfig
        ``referral_hop_decay`` is the factor per extra hop.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Referral
    >>> g = ReferralGraph(date(2025, 6, 1), referrals=(
    ...     Referral("a", "account", "b", date(2025, 1, 1), "won", 10),
    ...     Referral("a", "account", "c", date(2025, 1, 2), "lost", 99),
    ... ))
    >>> attributed_revenue(referral_network(g), "a").total
    10.0
    """
    _require_node(network, account_id)
    decay = config.referral_hop_decay
    contributions: list[Contribution] = []
    direct = indirect = 0.0
    for hop, evidence in _acquisitions(network, _won_edges_from(network, account_id), {account_id}):
        contribution = Contribution(evidence, hop, decay ** (hop - 1))
        contributions.append(contribution)
        if hop == 1:
            direct += contribution.amount
        else:
            indirect += contribution.amount
    return AttributedRevenue(account_id, direct, indirect, decay, tuple(contributions))


def referral_tree(network: nx.DiGraph, account_id: str, depth: int) -> nx.DiGraph:
    """The referral tree from ``account_id``, ``depth`` hops deep (breadth first).

    Every account appears once, at its smallest hop (node attribute ``hop``); edges keep the
    network's ``evidence`` and ``status``.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Referral
    >>> g = ReferralGraph(date(2025, 6, 1), referrals=(
    ...     Referral("a", "account", "b", date(2025, 1, 1)), Referral("b", "account", "c", date(2025, 1, 2)),
    ... ))
    >>> sorted(referral_tree(referral_network(g), "a", 1).nodes(data="hop"))
    [('a', 0), ('b', 1)]
    """
    _require_node(network, account_id)
    if depth < 0:
        raise ValueError(f"depth must not be negative: {depth}")
    tree = nx.DiGraph(root=account_id, depth=depth)
    tree.add_node(account_id, hop=0, account=network.nodes[account_id].get("account"))
    queue: deque[str] = deque([account_id])
    while queue:
        node = queue.popleft()
        hop = tree.nodes[node]["hop"]
        if hop >= depth:
            continue
        for target in sorted(network.successors(node)):
            if target in tree:
                continue
            tree.add_node(target, hop=hop + 1, account=network.nodes[target].get("account"))
            tree.add_edge(node, target, **network.edges[node, target])
            queue.append(target)
    return tree


def conversion(evidence: Iterable[ReferralEvidence]) -> Conversion:
    """Count outcomes of referrals (see the module notes for both rates).

    Examples
    --------
    >>> from datetime import date
    >>> outcomes = (("b", "won"), ("c", "lost"), ("d", "lead"))
    >>> refs = [Referral("a", "account", t, date(2025, 1, 1), s) for t, s in outcomes]
    >>> c = conversion(ReferralEvidence(r, "a", None) for r in refs)
    >>> round(c.rate, 3), c.decided_rate
    (0.333, 0.5)
    """
    counts = {status: 0 for status in ReferralStatus}
    for item in evidence:
        counts[item.referral.status] += 1
    return Conversion(counts[ReferralStatus.WON], counts[ReferralStatus.LOST], counts[ReferralStatus.LEAD])


def account_referrals(
    network: nx.DiGraph, account_id: str, config: AnalysisConfig = DEFAULT_CONFIG
) -> AccountReferrals:
    """Referrals given and received by an account, its attributed revenue and conversion.

    Referrals its contacts made while working there count as given by the account.

    Examples
    --------
    >>> from datetime import date
    >>> ref = Referral("a", "account", "b", date(2025, 1, 1), "won", 5)
    >>> g = ReferralGraph(date(2025, 6, 1), referrals=(ref,))
    >>> summary = account_referrals(referral_network(g), "b")
    >>> len(summary.given), len(summary.received), summary.received[0].referral.source_id
    (0, 1, 'a')
    """
    _require_node(network, account_id)
    given = [e for t in network.successors(account_id) for e in network.edges[account_id, t]["evidence"]]
    received = [e for s in network.predecessors(account_id) for e in network.edges[s, account_id]["evidence"]]
    received += [e for e in network.graph.get("unattributed", []) if e.referral.target_id == account_id]
    key = _evidence_key
    return AccountReferrals(
        account_id,
        tuple(sorted(given, key=key)),
        tuple(sorted(received, key=key)),
        attributed_revenue(network, account_id, config),
        conversion(given),
    )


def top_referrers(
    network: nx.DiGraph,
    k: int = 10,
    config: AnalysisConfig = DEFAULT_CONFIG,
    *,
    include_contacts: bool = True,
    damping: float = 0.85,
) -> list[Referrer]:
    """The ``k`` best referrers, ranked by downstream value, then PageRank, then id.

    Both measures are reported on every :class:`Referrer`. A contact's downstream value is
    computed over the contact's own acquisition tree (the accounts their won referrals brought
    in at hop 1, never their own employers), like an account's.

    Examples
    --------
    >>> from datetime import date
    >>> g = ReferralGraph(date(2025, 6, 1), referrals=(
    ...     Referral("a", "account", "b", date(2025, 1, 1), "won", 10),
    ...     Referral("b", "account", "c", date(2025, 1, 2), "won", 30),
    ... ))
    >>> [(r.id, r.downstream_value) for r in top_referrers(referral_network(g), k=2)]
    [('b', 30.0), ('a', 25.0)]
    """
    if k < 0:
        raise ValueError(f"k must not be negative: {k}")
    ranks = _pagerank(_won_network(network).reverse(copy=False), damping)
    decay = config.referral_hop_decay
    out: list[Referrer] = []
    for node in network.nodes:
        if network.out_degree(node) == 0:
            continue
        given = [e for t in network.successors(node) for e in network.edges[node, t]["evidence"]]
        won = [e for e in given if e.referral.status is ReferralStatus.WON]
        attributed = attributed_revenue(network, node, config)
        out.append(
            Referrer(
                "account",
                node,
                len(given),
                len(won),
                sum(e.referral.value for e in won),
                attributed.total,
                ranks.get(node, 0.0),
                tuple(sorted(given, key=_evidence_key)),
            )
        )
    if include_contacts:
        for contact_id, evidence in network.graph.get("contact_evidence", {}).items():
            won = [e for e in evidence if e.referral.status is ReferralStatus.WON]
            direct = sum(e.referral.value for e in won)
            first: dict[str, list[ReferralEvidence]] = {}
            for e in won:
                first.setdefault(e.referral.target_id, []).append(e)
            employers = {e.credited_to for e in evidence if e.credited_to is not None}
            downstream = sum(
                decay ** (hop - 1) * e.referral.value for hop, e in _acquisitions(network, first, employers)
            )
            employer = evidence[-1].credited_to
            out.append(
                Referrer(
                    "contact",
                    contact_id,
                    len(evidence),
                    len(won),
                    direct,
                    downstream,
                    ranks.get(employer, 0.0) if employer else 0.0,
                    tuple(evidence),
                )
            )
    out.sort(key=lambda r: (-r.downstream_value, -r.pagerank, r.kind, r.id))
    return out[:k]


# -- helpers -------------------------------------------------------------------------------------

_STATUS_ORDER = {ReferralStatus.LOST: 0, ReferralStatus.LEAD: 1, ReferralStatus.WON: 2}


def _best_status(a: ReferralStatus, b: ReferralStatus) -> ReferralStatus:
    return a if _STATUS_ORDER[a] >= _STATUS_ORDER[b] else b


def _evidence_key(e: ReferralEvidence) -> tuple[date, str, str]:
    return (e.referral.at, e.referral.source_id, e.referral.target_id)


def _require_node(network: nx.DiGraph, account_id: str) -> None:
    if account_id not in network:
        raise KeyError(f"account {account_id!r} is not in the referral network")


def _won(network: nx.DiGraph, source: str, target: str) -> list[ReferralEvidence]:
    evidence = network.edges[source, target]["evidence"]
    return [e for e in evidence if e.referral.status is ReferralStatus.WON]


def _won_edges_from(network: nx.DiGraph, account_id: str) -> dict[str, list[ReferralEvidence]]:
    """The accounts ``account_id`` referred with a won referral, and those referrals."""
    out: dict[str, list[ReferralEvidence]] = {}
    for target in network.successors(account_id):
        won = _won(network, account_id, target)
        if won:
            out[target] = won
    return out


def _acquisitions(
    network: nx.DiGraph, first: Mapping[str, list[ReferralEvidence]], excluded: set[str]
) -> list[tuple[int, ReferralEvidence]]:
    """The won referrals on the acquisition tree (see the module notes), with their hop.

    ``first`` holds the accounts brought in at hop 1 and the won referrals that did it;
    ``excluded`` (the root's own side) is never entered. Breadth first over won edges only:
    every account is reached once, at its smallest hop, through the earliest won referral from
    the previous hop (then the smallest referrer id).
    """
    level = {t: list(first[t]) for t in first if t not in excluded}
    seen = set(excluded) | set(level)
    result: list[tuple[int, ReferralEvidence]] = []
    hop = 1
    while level:
        for target in sorted(level):
            result.extend((hop, e) for e in sorted(level[target], key=_evidence_key))
        chosen: dict[str, tuple[date, str, list[ReferralEvidence]]] = {}
        for source in sorted(level):
            if source not in network:
                continue
            for target in network.successors(source):
                if target in seen:
                    continue
                won = _won(network, source, target)
                if not won:
                    continue
                at = min(e.referral.at for e in won)
                held = chosen.get(target)
                if held is None or (at, source) < (held[0], held[1]):
                    chosen[target] = (at, source, won)
        seen |= set(chosen)
        level = {t: won for t, (_, _, won) in chosen.items()}
        hop += 1
    return result


def _won_network(network: nx.DiGraph) -> nx.DiGraph:
    """The network restricted to edges with a won referral (every node kept)."""
    won = nx.DiGraph()
    won.add_nodes_from(network.nodes)
    for u, v, data in network.edges(data=True):
        evidence = [e for e in data["evidence"] if e.referral.status is ReferralStatus.WON]
        if evidence:
            won.add_edge(u, v, evidence=evidence)
    return won


def _pagerank(graph: nx.DiGraph, damping: float, tol: float = 1e-10, max_iter: int = 200) -> dict[Any, float]:
    """Plain power-iteration PageRank (edge weight = number of referrals on the edge)."""
    nodes = list(graph.nodes)
    if not nodes:
        return {}
    n = len(nodes)
    rank = dict.fromkeys(nodes, 1.0 / n)
    out_weight: Mapping[Any, float] = {
        u: sum(len(d.get("evidence", ())) or 1 for _, _, d in graph.out_edges(u, data=True)) for u in nodes
    }
    for _ in range(max_iter):
        dangling = damping * sum(rank[u] for u in nodes if out_weight[u] == 0) / n
        new = dict.fromkeys(nodes, (1.0 - damping) / n + dangling)
        for u, v, data in graph.edges(data=True):
            new[v] += damping * rank[u] * (len(data.get("evidence", ())) or 1) / out_weight[u]
        err = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if err < n * tol:
            break
    return rank
