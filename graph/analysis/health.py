"""Account health 0-100: five relationship components and four business ones, each scored 0-1.

*Default* weights (``AnalysisConfig.health_weights``): coverage 0.35, threads 0.2, exec engagement
0.15, stance 0.15, trend 0.15 (the relationship, 1.0 together), and satisfaction 0.1, renewal
0.1, usage 0.1, service 0.1 (the business, :mod:`graph.analysis.business`).
``health = 100 * sum(w * component) / sum(w)`` over the components that have data: a business
signal without data is reported in ``missing`` with the reason and left out of both sums, so it
never counts as zero. An account without business data scores on its relationships alone.
``relationship_score`` is the same blend over the five relationship components only (what the
"renewal within 90 days with a red relationship" alert reads).

* ``coverage``: the graded decision-chain coverage score / 100
  (:func:`graph.analysis.coverage.decision_chain_coverage`).
* ``threads``: ``min(threads, full_threads) / full_threads`` (``full_threads`` = 2: two
  independent relationship threads count as full).

Going cold counts here, not only as an alert: coverage and threads run on the path graph, where
a going-cold tie counts at its effective strength (``strength * cold_factor``, see
:mod:`graph.analysis.strength`), so a silent champion costs coverage (no longer a strong tie)
and threads (below ``thread_min_strength``).
* ``exec_engagement``: against the tier's cadence (:mod:`graph.analysis.cadence`): 1 while the
  last exec-level interaction is within the cadence, falling linearly to 0 at twice the cadence;
  0 without any.
* ``stance``: mean over the active holders of a buying role of champion 1, supporter 0.75,
  neutral 0.5, skeptic 0.25, blocker 0; 0.5 when nobody holds a role.
* ``trend``: interactions in the last ``trend_window_days`` against the window before: 1 when
  not fewer, else ``recent / previous``; with no previous interactions 1 if there are recent
  ones, else 0.

Bands: green >= ``health_green`` (80), yellow >= ``health_yellow`` (60), red below.

Examples
--------
>>> from datetime import date
>>> from graph.analysis.cadence import cadence_status
>>> from graph.analysis.relgraph import example_subgraph
>>> sub = example_subgraph()
>>> h = relationship_health(sub, coverage_score=100.0, threads=2, cadence=cadence_status(sub))
>>> h.band, round(h.score, 1), h.components["threads"]
('green', 81.3, 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from graph.analysis.alerts import Alert
from graph.analysis.business import SignalScore, business_scores, renewal_status
from graph.analysis.cadence import CadenceStatus, cadence_status
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Stance
from graph.records import AccountSubgraph

__all__ = [
    "RELATIONSHIP_COMPONENTS",
    "STANCE_SCORES",
    "Health",
    "health_alert",
    "health_band",
    "relationship_health",
    "renewal_alert",
]

#: The relationship components of health, in display order.
RELATIONSHIP_COMPONENTS: tuple[str, ...] = ("coverage", "threads", "exec_engagement", "stance", "trend")

#: Score of each stance in the ``stance`` component.
STANCE_SCORES: Mapping[Stance, float] = {
    Stance.CHAMPION: 1.0,
    Stance.SUPPORTER: 0.75,
    Stance.NEUTRAL: 0.5,
    Stance.SKEPTIC: 0.25,
    Stance.BLOCKER: 0.0,
}


@dataclass(frozen=True)
class Health:
    """An account's relationship health with its breakdown.

    ``components`` are the 0-1 scores of the components with data, ``weights`` the weights
    used, ``evidence`` the inputs of each component, ``missing`` the business components without
    data (with the reason); ``relationship_score`` / ``relationship_band`` blend the relationship
    components alone.
    """

    account_id: str
    score: float
    band: str
    components: Mapping[str, float]
    weights: Mapping[str, float]
    evidence: Mapping[str, Any] = field(default_factory=dict)
    missing: Mapping[str, str] = field(default_factory=dict)
    relationship_score: float | None = None
    relationship_band: str | None = None

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "account_id": self.account_id,
            "score": self.score,
            "band": self.band,
            "components": dict(self.components),
            "weights": dict(self.weights),
            "evidence": dict(self.evidence),
            "missing": dict(self.missing),
            "relationship_score": self.relationship_score,
            "relationship_band": self.relationship_band,
        }


def health_band(score: float, config: AnalysisConfig = DEFAULT_CONFIG) -> str:
    """``green``, ``yellow`` or ``red``.

    Examples
    --------
    >>> [health_band(s) for s in (80, 79.9, 60, 59.9)]
    ['green', 'yellow', 'yellow', 'red']
    """
    if score >= config.health_green:
        return "green"
    if score >= config.health_yellow:
        return "yellow"
    return "red"


def relationship_health(
    subgraph: AccountSubgraph,
    *,
    coverage_score: float,
    threads: int,
    cadence: CadenceStatus | None = None,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> Health:
    """Relationship health of the subgraph's account (see the module notes).

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's data (stance of role holders and the interaction trend come from it).
    coverage_score : float
        Decision-chain coverage 0-100.
    threads : int
        Independent relationship threads to the decision makers.
    cadence : CadenceStatus, optional
        The exec cadence check; computed from ``subgraph`` when omitted.
    config : AnalysisConfig

    Examples
    --------
    >>> from graph.model import Account
    >>> from datetime import date
    >>> empty = AccountSubgraph(Account("a", "A"), date(2025, 1, 1))
    >>> h = relationship_health(empty, coverage_score=0, threads=0)
    >>> h.score, h.band, h.components["stance"]
    (7.5, 'red', 0.5)
    """
    if not 0 <= coverage_score <= 100:
        raise ValueError(f"coverage_score must be between 0 and 100, got {coverage_score!r}")
    if threads < 0:
        raise ValueError(f"threads must not be negative, got {threads!r}")
    if cadence is None:
        cadence = cadence_status(subgraph, config)
    as_of = subgraph.as_of
    full = max(config.full_threads, 1)
    if cadence.days_since is None:
        engagement = 0.0
    elif cadence.days_since <= cadence.required_days:
        engagement = 1.0
    else:
        over = (cadence.days_since - cadence.required_days) / max(cadence.required_days, 1)
        engagement = max(0.0, 1.0 - over)

    contacts = {c.id: c for c in subgraph.contacts}
    holders = sorted(
        {
            e.contact_id
            for e in subgraph.employments
            if e.account_id == subgraph.account.id
            and e.roles
            and e.active_on(as_of)
            and e.contact_id in contacts
        }
    )
    stances = {h: contacts[h].stance.value for h in holders}
    stance = sum(STANCE_SCORES[contacts[h].stance] for h in holders) / len(holders) if holders else 0.5

    window = config.trend_window_days
    recent_start = as_of - timedelta(days=window)
    previous_start = recent_start - timedelta(days=window)
    days = [ix.at.date() for ix in subgraph.interactions if ix.at.date() <= as_of]
    recent = sum(1 for d in days if d > recent_start)
    previous = sum(1 for d in days if previous_start < d <= recent_start)
    trend = (1.0 if recent else 0.0) if previous == 0 else min(1.0, recent / previous)

    components = {
        "coverage": coverage_score / 100.0,
        "threads": min(threads, full) / full,
        "exec_engagement": engagement,
        "stance": stance,
        "trend": trend,
    }
    relationship_score = _blend(components, config)
    missing: dict[str, str] = {}
    business_evidence: dict[str, Any] = {}
    for name, result in business_scores(subgraph, config).items():
        if isinstance(result, SignalScore):
            components[name] = result.score
            business_evidence[name] = dict(result.evidence)
        else:
            missing[name] = result.reason
    weights = {k: float(config.health_weights.get(k, 0.0)) for k in components}
    score = _blend(components, config)
    evidence = {
        "coverage_score": coverage_score,
        "threads": threads,
        "full_threads": full,
        "cadence": cadence.to_payload(),
        "role_holder_stances": stances,
        "trend_window_days": window,
        "recent_interactions": recent,
        "previous_interactions": previous,
        **business_evidence,
    }
    return Health(
        subgraph.account.id,
        score,
        health_band(score, config),
        components,
        weights,
        evidence,
        missing,
        relationship_score,
        health_band(relationship_score, config),
    )


def _blend(components: Mapping[str, float], config: AnalysisConfig) -> float:
    """``100 * sum(w * c) / sum(w)`` over ``components`` (0 when no weight is set)."""
    weights = {k: float(config.health_weights.get(k, 0.0)) for k in components}
    total = sum(weights.values())
    return 100.0 * sum(weights[k] * components[k] for k in components) / total if total > 0 else 0.0


def health_alert(health: Health) -> Alert | None:
    """A warning for a yellow account, a severe alert for a red one (``None`` when green).

    Examples
    --------
    >>> health_alert(Health("a", 55.0, "red", {}, {})).severity
    'severe'
    """
    if health.band == "green":
        return None
    severity = "severe" if health.band == "red" else "warning"
    weakest = sorted(health.components.items(), key=lambda kv: kv[1])[:2]
    detail = ", ".join(f"{k} {v:.2f}" for k, v in weakest)
    message = f"account health {health.score:.0f} ({health.band})" + (
        f"; weakest: {detail}" if detail else ""
    )
    return Alert("health", severity, health.account_id, message, evidence=health.to_payload())


def renewal_alert(
    subgraph: AccountSubgraph, health: Health, config: AnalysisConfig = DEFAULT_CONFIG
) -> Alert | None:
    """A severe alert when the contract in force ends within ``renewal_alert_days`` (90), no
    renewal is secured, and the relationship alone is red (``None`` otherwise).

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Account, Contract
    >>> k = Contract("k1", "acme", date(2026, 1, 1), date(2026, 12, 31), 500_000)
    >>> sub = AccountSubgraph(Account("acme", "Acme"), date(2026, 11, 1), contracts=(k,))
    >>> red = Health("acme", 40.0, "red", {}, {}, relationship_score=35.0, relationship_band="red")
    >>> renewal_alert(sub, red).message
    'contract k1 (500,000) renews in 60 days (2026-12-31), not secured, with a red relationship (35)'
    """
    status = renewal_status(subgraph)
    if status is None or status.contract is None or status.secured or status.days_left is None:
        return None
    if status.days_left > config.renewal_alert_days or health.relationship_band != "red":
        return None
    contract = status.contract
    score = health.relationship_score if health.relationship_score is not None else health.score
    message = (
        f"contract {contract.id} ({contract.value:,.0f}) renews in {status.days_left} days "
        f"({contract.end.isoformat()}), not secured, with a red relationship ({score:.0f})"
    )
    evidence = {
        "contract_id": contract.id,
        "end": contract.end.isoformat(),
        "days_left": status.days_left,
        "value": contract.value,
        "relationship_score": score,
        "alert_days": config.renewal_alert_days,
    }
    return Alert("renewal_at_risk", "severe", subgraph.account.id, message, evidence=evidence)
