"""Recommended next relationship actions: who of ours should meet whom of theirs, and what it adds.

Each candidate action is a what-if that **adds** a tie: one of our staff builds a tie of strength
``config.planned_tie_strength`` (default 0.7, above ``strong_threshold``: a few good meetings) with
one of the account's contacts. The account is analysed again with that tie on the path graph of
:func:`~graph.analysis.relgraph.relationship_graph`, and the action is valued by what changes:

* ``coverage_gain``: decision-chain coverage points added (:mod:`graph.analysis.coverage`);
* ``revenue_protected``: the account's revenue at risk taken away (that of its worst single
  departure, :mod:`graph.analysis.risk`);
* ``value = annual_revenue * coverage_gain / 100 + max(revenue_protected, 0)``: money brought
  under coverage plus money no longer at risk. A tie can also *add* revenue at risk (the one rep
  who knows everybody now also knows the CIO: their departure would cost more); that is shown
  (``revenue_protected`` < 0) but does not count against the action, whose coverage is real;
* ``levels_closed``: levels (executive, management, operational) it newly covers, and
  ``threads_gain``: relationship threads it adds.

Actions rank by ``value``, then levels closed, then threads added (then staff and contact ids).
An action is recommended when it has value or closes a level.

**Candidates** are our staff (the path graph's staff) paired with the contacts who hold a
required role or have an org-chart or relation line (>= ``thread_min_strength``) to a holder,
and, for a level nobody of ours covers, our staff of that level paired with the contacts at that
level. A tie to anyone else changes neither coverage nor revenue at risk (both are graded from our
ties to holders and to those who introduce them), so it could only add a thread; tests check this
against every pair. Pairs whose tie is already strong are skipped.

:func:`recommended_actions` returns the best single actions; :func:`action_plan` a greedy set of
up to ``k``: the best action, then the best given the first, and so on, so each later gain is
measured on top of the earlier ones (diminishing returns show as smaller gains).

Each action says *why* (``evidence``), e.g. "the economic buyer goes from introduction to
direct", "closes the executive level", and who could introduce (``introducer``: the contact
before the target on our current best path to them, if any).

Examples
--------
>>> from graph.analysis.account import analyse_account
>>> from graph.analysis.relgraph import example_subgraph
>>> best = recommended_actions(analyse_account(example_subgraph()), first=1)[0]
>>> best.staff_id, best.contact_id, round(best.coverage_gain, 1), best.introducer
('rep', 'cio', 18.2, 'dir')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx

from graph.analysis.account import key_departure
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.coverage import (
    PathIndex,
    decision_chain_coverage,
    level_coverage,
    meets,
    reach,
    role_holders,
)
from graph.analysis.risk import AnalysedAccount, departure_impacts, relationship_threads
from graph.model import Account, Level

__all__ = ["RecommendedAction", "action_plan", "candidate_pairs", "recommended_actions"]


@dataclass(frozen=True, slots=True)
class RecommendedAction:
    """One recommended meeting: ``staff_id`` builds a tie with ``contact_id`` (see the module notes).

    ``coverage_before``/``coverage_after`` and ``revenue_at_risk_before``/``_after`` are the
    account's figures without and with the new tie (for a plan: on top of the earlier actions).
    """

    staff_id: str
    contact_id: str
    tie_before: float
    coverage_before: float
    coverage_after: float
    revenue_at_risk_before: float
    revenue_at_risk_after: float
    threads_before: int
    threads_after: int
    levels_closed: tuple[str, ...]
    roles_improved: tuple[str, ...]
    value: float
    introducer: str | None = None
    evidence: tuple[str, ...] = field(default=())

    @property
    def coverage_gain(self) -> float:
        """Coverage points added."""
        return self.coverage_after - self.coverage_before

    @property
    def revenue_protected(self) -> float:
        """Revenue at risk taken away (negative when the tie concentrates more on one person)."""
        return self.revenue_at_risk_before - self.revenue_at_risk_after

    @property
    def threads_gain(self) -> int:
        """Relationship threads added."""
        return self.threads_after - self.threads_before


def recommended_actions(
    analysis: AnalysedAccount, first: int = 5, config: AnalysisConfig | None = None
) -> list[RecommendedAction]:
    """The ``first`` best single actions for the account, best first.

    Parameters
    ----------
    analysis : AccountAnalysis
        The account's analysis (its path graph and account are used).
    first : int
        How many actions to return (at least 1).
    config : AnalysisConfig, optional
        Defaults to the analysis' config.

    Examples
    --------
    >>> from graph.analysis.account import analyse_account
    >>> from graph.analysis.relgraph import example_subgraph
    >>> [(a.contact_id, a.roles_improved) for a in recommended_actions(analyse_account(example_subgraph()))]
    [('cio', ('economic_buyer',))]
    """
    if first < 1:
        raise ValueError(f"first must be at least 1, got {first}")
    cfg = config or analysis.config
    return _ranked(analysis.graph, analysis.account, cfg)[:first]


def action_plan(
    analysis: AnalysedAccount, k: int = 3, config: AnalysisConfig | None = None
) -> list[RecommendedAction]:
    """A greedy plan of up to ``k`` actions: each the best given the ones before it.

    Examples
    --------
    >>> from graph.analysis.account import analyse_account
    >>> from graph.analysis.relgraph import example_subgraph
    >>> [(a.staff_id, a.contact_id) for a in action_plan(analyse_account(example_subgraph()), k=3)]
    [('rep', 'cio')]
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    cfg = config or analysis.config
    graph = analysis.graph
    plan: list[RecommendedAction] = []
    for _ in range(k):
        ranked = _ranked(graph, analysis.account, cfg)
        if not ranked:
            break
        best = ranked[0]
        plan.append(best)
        graph = _with_tie(graph, best.staff_id, best.contact_id, cfg.planned_tie_strength)
    return plan


def candidate_pairs(
    graph: nx.DiGraph, account: Account, config: AnalysisConfig = DEFAULT_CONFIG
) -> list[tuple[str, str]]:
    """The (staff, contact) pairs an action is considered for (see the module notes), sorted.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph, relationship_graph
    >>> sub = example_subgraph()
    >>> candidate_pairs(relationship_graph(sub), sub.account)
    [('rep', 'cio')]
    """
    nodes = graph.nodes
    staff = sorted(n for n, d in nodes(data=True) if d.get("kind") == "staff")
    holders = {h for hs in role_holders(graph, config.required_roles(account.tier)).values() for h in hs}
    targets = set(holders)
    for holder in holders:
        for other, data in graph.pred[holder].items():
            if nodes[other].get("kind") != "contact":
                continue
            links = data.get("links") or ((data.get("link"), data.get("strength")),)
            if any(
                kind != "tie" and meets(float(s), config.thread_min_strength, config) for kind, s in links
            ):
                targets.add(other)
    pairs = {(s, c) for s in staff for c in targets}
    uncovered = {lc.level for lc in level_coverage(graph, config) if not lc.covered}
    for s in staff:
        level = nodes[s].get("level")
        if level in uncovered:
            pairs |= {
                (s, c) for c, d in nodes(data=True) if d.get("kind") == "contact" and d.get("level") == level
            }
    strong = config.strong_threshold
    return sorted(
        (s, c)
        for s, c in pairs
        if not (graph.has_edge(s, c) and meets(float(graph.edges[s, c]["strength"]), strong, config))
    )


# -- helpers -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _State:
    coverage: float
    grades: tuple[tuple[str, str], ...]
    revenue_at_risk: float
    threads: int
    levels: frozenset[Level]


def _state(graph: nx.DiGraph, account: Account, config: AnalysisConfig) -> _State:
    index = PathIndex(graph)
    coverage = decision_chain_coverage(graph, account.tier, config, index=index)
    # the count and the critical people are what the revenue at risk needs; no cuts
    threads = relationship_threads(graph, account.tier, config, index=index, with_cuts=False)
    worst = key_departure(departure_impacts(graph, account, config, index=index, threads=threads))
    return _State(
        coverage.score,
        tuple((r.role.value, r.grade) for r in coverage.roles),
        worst.revenue_at_risk if worst is not None else 0.0,
        threads.threads,
        frozenset(lc.level for lc in level_coverage(graph, config) if lc.covered),
    )


def _with_tie(graph: nx.DiGraph, staff: str, contact: str, strength: float) -> nx.DiGraph:
    """A copy of ``graph`` where ``staff`` has a tie of ``strength`` with ``contact`` (if stronger)."""
    out = graph.copy()
    if out.has_edge(staff, contact) and float(out.edges[staff, contact]["strength"]) >= strength:
        return out
    out.add_edge(staff, contact, strength=strength, link="tie", links=(("tie", strength),))
    return out


def _ranked(graph: nx.DiGraph, account: Account, config: AnalysisConfig) -> list[RecommendedAction]:
    before = _state(graph, account, config)
    paths = reach(graph, config)
    names = {n: d.get("name") or n for n, d in graph.nodes(data=True)}
    actions = []
    for staff, contact in candidate_pairs(graph, account, config):
        tie = float(graph.edges[staff, contact]["strength"]) if graph.has_edge(staff, contact) else 0.0
        after = _state(_with_tie(graph, staff, contact, config.planned_tie_strength), account, config)
        action = _action(graph, account, staff, contact, tie, before, after, paths.get(contact), names)
        if action.value > 1e-9 or action.levels_closed:
            actions.append(action)
    actions.sort(
        key=lambda a: (-round(a.value, 6), -len(a.levels_closed), -a.threads_gain, a.staff_id, a.contact_id)
    )
    return actions


def _action(
    graph: nx.DiGraph,
    account: Account,
    staff: str,
    contact: str,
    tie: float,
    before: _State,
    after: _State,
    path: object,
    names: dict[str, str],
) -> RecommendedAction:
    gain = max(after.coverage - before.coverage, 0.0)
    protected = max(before.revenue_at_risk - after.revenue_at_risk, 0.0)
    value = account.annual_revenue * gain / 100.0 + protected
    improved = tuple(
        role for (role, grade), (_, new) in zip(before.grades, after.grades, strict=True) if new != grade
    )
    closed = tuple(level.value for level in (Level.EXECUTIVE, Level.MANAGEMENT, Level.OPERATIONAL)
                   if level in after.levels and level not in before.levels)  # fmt: skip
    nodes_on_path: Sequence[str] = getattr(path, "nodes", ())
    introducer = None
    if len(nodes_on_path) > 2 and graph.nodes[nodes_on_path[-2]].get("kind") == "contact":
        introducer = nodes_on_path[-2]
    grades_after = dict(after.grades)
    evidence = [
        f"{role.replace('_', ' ')}: {grade} -> {grades_after[role]}"
        for role, grade in before.grades
        if role in improved
    ]
    evidence += [f"closes the {level} level" for level in closed]
    if after.threads > before.threads:
        evidence.append(f"threads {before.threads} -> {after.threads}")
    if protected > 0:
        evidence.append(f"revenue at risk {before.revenue_at_risk:,.0f} -> {after.revenue_at_risk:,.0f}")
    if introducer is not None:
        evidence.append(f"{names.get(introducer, introducer)} can introduce")
    return RecommendedAction(
        staff_id=staff,
        contact_id=contact,
        tie_before=tie,
        coverage_before=before.coverage,
        coverage_after=after.coverage,
        revenue_at_risk_before=before.revenue_at_risk,
        revenue_at_risk_after=after.revenue_at_risk,
        threads_before=before.threads,
        threads_after=after.threads,
        levels_closed=closed,
        roles_improved=improved,
        value=value,
        introducer=introducer,
        evidence=tuple(evidence),
    )
