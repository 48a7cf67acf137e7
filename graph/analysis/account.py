"""One entry point for the per-account analyses: map, coverage, threads and departure impact.

:func:`analyse_account` computes, from one :class:`~graph.records.AccountSubgraph`, every tie
(one pass over the interactions), the relationship map, the path graph, decision-chain and
level coverage, the threads with their cuts, and the departure impact of every person, sharing
the work between them: the ties feed both the map and the graph, the graph is indexed once,
and the departure impacts re-run the reach search only for the few people on a covered role's
best path (see :mod:`graph.analysis.risk`). :meth:`AccountAnalysis.to_payload` turns the
result into plain JSON data for materialisation in the store. :func:`account_core` is the
shared part without the map; with ``summary=True`` it computes only what the portfolio summary
needs (the same figures, for a fraction of the work).

Examples
--------
>>> from graph.analysis.relgraph import example_subgraph
>>> a = analyse_account(example_subgraph())
>>> round(a.coverage.score, 1), a.threads.threads, a.key_person_risk.person_id
(81.8, 1, 'dir')
>>> import json; len(json.dumps(a.to_payload())) > 0
True
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import networkx as nx

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.coverage import Coverage, LevelCoverage, PathIndex, coverage_from_search, level_coverage
from graph.analysis.gcpause import gc_paused
from graph.analysis.relationship_map import RelationshipMap, relationship_map
from graph.analysis.relgraph import relationship_graph
from graph.analysis.risk import (
    DepartureImpact,
    Threads,
    WhatIf,
    indexed_departure_impacts,
    indexed_threads,
    what_if,
)
from graph.analysis.strength import Tie, ties_of
from graph.model import Account
from graph.records import AccountSubgraph

__all__ = [
    "PAYLOAD_KIND",
    "AccountAnalysis",
    "AccountCore",
    "account_core",
    "analyse_account",
    "key_departure",
]

#: The ``kind`` of materialised account analyses (:class:`~graph.records.AnalysisResult`).
PAYLOAD_KIND = "account_analysis"


@dataclass(frozen=True)
class AccountAnalysis:
    """Every relationship analysis of one account as of one day.

    Attributes
    ----------
    account : Account
    as_of : date
    config : AnalysisConfig
        The parameters used.
    ties : mapping
        Every tie, keyed by :func:`~graph.analysis.strength.tie_key`.
    map : RelationshipMap
    graph : networkx.DiGraph
        The path graph (not part of the payload).
    coverage : Coverage
        Decision-chain coverage with its per-role breakdown.
    level_coverage : tuple of LevelCoverage
    threads : Threads
    departure_impacts : mapping of str to DepartureImpact
        Every person of the graph (ours and theirs).
    """

    account: Account
    as_of: date
    config: AnalysisConfig
    ties: Mapping[tuple[str, str], Tie] = field(repr=False)
    map: RelationshipMap = field(repr=False)
    graph: nx.DiGraph = field(repr=False, compare=False)
    coverage: Coverage = field(repr=False)
    level_coverage: tuple[LevelCoverage, ...] = field(repr=False)
    threads: Threads = field(repr=False)
    departure_impacts: Mapping[str, DepartureImpact] = field(repr=False)

    @property
    def key_person_risk(self) -> DepartureImpact | None:
        """The single departure that puts the most coverage at risk (then coverage lost, threads, id).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> analyse_account(example_subgraph()).key_person_risk.side
        'theirs'
        """
        return key_departure(self.departure_impacts)

    @property
    def revenue_at_risk(self) -> float:
        """Revenue at risk of the account: that of its worst single departure.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> round(analyse_account(example_subgraph()).revenue_at_risk)
        818182
        """
        worst = self.key_person_risk
        return worst.revenue_at_risk if worst is not None else 0.0

    def what_if(self, remove: Iterable[str]) -> WhatIf:
        """The account without ``remove`` (see :func:`graph.analysis.risk.what_if`).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> analyse_account(example_subgraph()).what_if({"cio"}).threads_lost
        0
        """
        return what_if(self, remove, self.config)

    def to_payload(self, evidence_limit: int = 3) -> dict[str, Any]:
        """The analysis as JSON-serialisable plain data.

        Each tie carries its strength, band, floor, going-cold facts, the number of shared
        interactions and its ``evidence_limit`` largest contributions; everything else is
        complete. Dates are ISO strings, enums their values.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> p = analyse_account(example_subgraph()).to_payload()
        >>> p["coverage"]["score"] == p["departure_impacts"][0]["coverage_lost"]
        True
        >>> p["threads"]["single_points_of_contact"][0]
        {'person_id': 'rep', 'side': 'ours'}
        >>> p["map"]["ties"][0]["evidence"][0]["interaction_id"], p["map"]["ties"][0]["interactions"]
        ('m2', 3)
        """
        if evidence_limit < 0:
            raise ValueError(f"evidence_limit must not be negative, got {evidence_limit!r}")
        ties = [_tie_payload(tie, evidence_limit) for tie in self.map.ties]
        map_data = _plain(dataclasses.replace(self.map, ties=()))
        map_data["ties"] = ties
        worst = self.key_person_risk
        return {
            "account_id": self.account.id,
            "account_name": self.account.name,
            "tier": self.account.tier.value,
            "annual_revenue": self.account.annual_revenue,
            "as_of": self.as_of.isoformat(),
            "config": _plain(self.config.to_dict()),
            "map": map_data,
            "coverage": _plain(self.coverage),
            "level_coverage": _plain(self.level_coverage),
            "threads": _plain(self.threads),
            "departure_impacts": [
                _plain(d)
                for d in sorted(
                    self.departure_impacts.values(), key=lambda d: (-d.coverage_lost, d.person_id)
                )
            ],
            "key_person": worst.person_id if worst is not None else None,
            "revenue_at_risk": self.revenue_at_risk,
        }


def _tie_payload(tie: Tie, evidence_limit: int) -> dict[str, Any]:
    top = sorted(tie.evidence, key=lambda e: (-e.contribution, e.interaction_id))[:evidence_limit]
    return {
        "a": tie.a,
        "b": tie.b,
        "kind": tie.kind,
        "strength": tie.strength,
        "band": tie.band,
        "raw": tie.raw,
        "interaction_strength": tie.interaction_strength,
        "floor": tie.floor,
        "assessed_level": tie.assessed_level.value if tie.assessed_level is not None else None,
        "assessed_at": tie.assessed_at.isoformat() if tie.assessed_at is not None else None,
        "interactions": len(tie.evidence),
        "first_at": tie.first_at.isoformat() if tie.first_at is not None else None,
        "last_at": tie.last_at.isoformat() if tie.last_at is not None else None,
        "usual_gap_days": tie.usual_gap_days,
        "silence_days": tie.silence_days,
        "going_cold": tie.going_cold,
        "recency": tie.recency,
        "cold_factor": tie.cold_factor,
        "effective_strength": tie.effective_strength,
        "evidence": [
            {
                "interaction_id": e.interaction_id,
                "kind": e.kind,
                "at": e.at.isoformat(),
                "age_days": e.age_days,
                "weight": e.weight,
                "contribution": e.contribution,
            }
            for e in top
        ],
    }


def _plain(value: Any) -> Any:
    """Dataclasses, enums, dates, tuples and mappings as JSON-serialisable data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {(k.value if isinstance(k, enum.Enum) else str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | frozenset | set):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, frozenset | set) else items
    return value


@gc_paused()
def analyse_account(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> AccountAnalysis:
    """Map, coverage, level coverage, threads and the departure impact of every person.

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's data as of ``subgraph.as_of``.
    config : AnalysisConfig
        Every parameter of the analyses.

    Returns
    -------
    AccountAnalysis

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> a = analyse_account(example_subgraph())
    >>> [(p, round(d.coverage_lost, 1)) for p, d in sorted(a.departure_impacts.items())]
    [('cio', 18.2), ('dir', 81.8), ('rep', 81.8)]
    >>> [lc.level.value for lc in a.level_coverage if lc.covered]
    ['management']
    """
    if not isinstance(subgraph, AccountSubgraph):
        raise TypeError(f"analyse_account needs an AccountSubgraph, got {type(subgraph).__name__}")
    core = account_core(subgraph, config)
    return AccountAnalysis(
        account=subgraph.account,
        as_of=subgraph.as_of,
        config=config,
        ties=core.ties,
        map=relationship_map(subgraph, config, core.ties),
        graph=core.graph,
        coverage=core.coverage,
        level_coverage=core.level_coverage,
        threads=core.threads,
        departure_impacts=core.departure_impacts,
    )


@dataclass(frozen=True)
class AccountCore:
    """The analyses an account's portfolio summary is built from (see :func:`account_core`)."""

    ties: Mapping[tuple[str, str], Tie] = field(repr=False)
    graph: nx.DiGraph = field(repr=False, compare=False)
    coverage: Coverage = field(repr=False)
    level_coverage: tuple[LevelCoverage, ...] = field(repr=False)
    threads: Threads = field(repr=False)
    departure_impacts: Mapping[str, DepartureImpact] = field(repr=False)


@gc_paused()
def account_core(
    subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG, *, summary: bool = False
) -> AccountCore:
    """Ties, path graph, coverage, level coverage, threads and departure impacts, sharing the work.

    With ``summary`` only what the portfolio summary needs is computed: the threads without
    articulation points and role cuts, and the departure impacts of just the people whose loss
    can cost something (those on the best path of a covered role, and those in some minimum cut
    of the threads; everyone else loses nothing), so their ``cuts_roles`` are empty. Every other
    figure equals that of :func:`analyse_account`.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> core = account_core(example_subgraph(), summary=True)
    >>> sorted(core.departure_impacts), key_departure(core.departure_impacts).person_id
    (['cio', 'dir', 'rep'], 'dir')
    """
    ties = ties_of(subgraph, config)
    graph = relationship_graph(subgraph, config, ties)
    index = PathIndex(graph)
    tier = subgraph.account.tier
    # the coverage grades only the holders of the required roles: the search follows what leads to them
    best, layer, preds = index.search(
        config.reach_max_hops, (), index.holder_indices(config.required_roles(tier))
    )
    coverage = coverage_from_search(index, tier, config, (), best, layer, preds)
    threads = indexed_threads(index, tier, config, set(), with_cuts=not summary)
    people: list[str] | None = None
    if summary:
        at_risk = set(threads.critical)
        for entry in coverage.roles:
            if entry.covered and entry.path is not None:
                at_risk.update(entry.path.nodes)
        people = sorted(at_risk)
    impacts = indexed_departure_impacts(index, subgraph.account, config, threads, coverage, people)
    return AccountCore(ties, graph, coverage, level_coverage(graph, config), threads, impacts)


def key_departure(impacts: Mapping[str, DepartureImpact]) -> DepartureImpact | None:
    """The single departure that puts the most coverage at risk (then coverage lost, threads, id).

    Examples
    --------
    >>> key_departure({}) is None
    True
    """
    if not impacts:
        return None
    # rounded so that equal losses summed in another order (72.7...72 vs 72.7...73) tie
    return min(
        impacts.values(),
        key=lambda d: (-round(d.at_risk, 9), -round(d.coverage_lost, 9), -d.threads_lost, d.person_id),
    )
