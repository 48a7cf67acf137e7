"""Business signals of an account scored 0-1 for its health: satisfaction, renewal, usage, service.

Each scorer reads the account's dated signal records (survey responses, usage samples, support
cases, contracts, opportunities) as of the subgraph's day and returns a :class:`SignalScore`
with the evidence behind it, or a :class:`MissingSignal` saying why there is nothing to score.
A missing signal is left out of the health blend: it never counts as zero
(:mod:`graph.analysis.health`).

* ``satisfaction``: survey responses of the last ``survey_window_days`` (365). NPS responses
  (0-10) give the Net Promoter Score ``NPS = 100 * (promoters - detractors) / responses``
  (promoters 9-10, detractors 0-6), scored ``(NPS + 100) / 200``; CSAT responses (1-5) give the
  share of satisfied answers (4 or 5). With both, the score is their mean.
* ``usage``: the latest usage sample, unless older than ``usage_stale_days`` (120). With an
  adoption share (reported, or active / licensed users), ``min(1, share / usage_target_adoption)``
  (0.8); with active users only, ``min(1, active / active of the sample before)``.
* ``service``: support cases opened in the last ``service_window_days`` (90) or still open.
  ``service = max(0, 1 - penalty)``, the penalty summing per case its severity weight
  (``case_severity_weights``: critical 0.4, high 0.2, medium 0.1, low 0.05), times
  ``case_open_factor`` (2) while open, plus ``complaint_weight`` (0.25) for a complaint and
  ``response_miss_weight`` (0.05) when the first response took longer than the severity's
  ``response_target_hours``. Missing while the account has no case at all (no support data).
* ``renewal``: the contract in force with the latest end. Secured (1) when a later contract is
  known or a renewal opportunity was won; else 1 while the end is at least
  ``renewal_horizon_days`` (180) away, falling linearly to 0 on the end day. A contract that
  ended with nothing after it scores 0 (lapsed).

Examples
--------
>>> from datetime import date
>>> from graph.model import Account, SurveyResponse
>>> from graph.store import AccountSubgraph
>>> day = date(2026, 6, 30)
>>> sub = AccountSubgraph(Account("acme", "Acme"), day, survey_responses=tuple(
...     SurveyResponse(f"s{i}", "acme", "nps", score, date(2026, 3, 1)) for i, score in enumerate([10, 9, 8, 3])))
>>> s = satisfaction_score(sub)
>>> s.evidence["nps"], s.score
(25.0, 0.625)
>>> usage_score(sub).reason
'no usage data'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Contract, OpportunityStatus, SurveyKind
from graph.records import AccountSubgraph

__all__ = [
    "BUSINESS_COMPONENTS",
    "MissingSignal",
    "RenewalStatus",
    "SignalScore",
    "business_scores",
    "net_promoter_score",
    "renewal_score",
    "renewal_status",
    "satisfaction_score",
    "service_score",
    "usage_score",
]

#: The business components of health, in display order.
BUSINESS_COMPONENTS: tuple[str, ...] = ("satisfaction", "renewal", "usage", "service")


@dataclass(frozen=True)
class SignalScore:
    """A business component scored 0-1, with the inputs behind it."""

    name: str
    score: float
    evidence: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class MissingSignal:
    """A business component without data to score: left out of the health blend."""

    name: str
    reason: str


def business_scores(
    subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG
) -> dict[str, SignalScore | MissingSignal]:
    """Every business component of the subgraph's account, by name (see the module notes).

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Account
    >>> sorted(business_scores(AccountSubgraph(Account("a", "A"), date(2026, 1, 1))))
    ['renewal', 'satisfaction', 'service', 'usage']
    """
    return {
        "satisfaction": satisfaction_score(subgraph, config),
        "renewal": renewal_score(subgraph, config),
        "usage": usage_score(subgraph, config),
        "service": service_score(subgraph, config),
    }


def net_promoter_score(scores: list[float]) -> float:
    """The Net Promoter Score of 0-10 answers: % promoters (9-10) minus % detractors (0-6).

    Examples
    --------
    >>> net_promoter_score([10, 9, 8, 7, 6])
    20.0
    """
    if not scores:
        raise ValueError("net_promoter_score needs at least one answer")
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100.0 * (promoters - detractors) / len(scores)


def satisfaction_score(
    subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG
) -> SignalScore | MissingSignal:
    """NPS and CSAT of the last ``survey_window_days`` (see the module notes)."""
    as_of = subgraph.as_of
    start = as_of - timedelta(days=config.survey_window_days)
    recent = [r for r in subgraph.survey_responses if start < r.at <= as_of]
    if not recent:
        older = [r.at for r in subgraph.survey_responses if r.at <= as_of]
        reason = f"no survey response in the last {config.survey_window_days} days"
        if older:
            reason += f" (the latest is of {max(older).isoformat()})"
        return MissingSignal("satisfaction", reason)
    nps = [r.score for r in recent if r.kind is SurveyKind.NPS]
    csat = [r.score for r in recent if r.kind is SurveyKind.CSAT]
    parts: list[float] = []
    evidence: dict[str, Any] = {"window_days": config.survey_window_days, "latest": max(r.at for r in recent)}
    if nps:
        value = net_promoter_score(nps)
        parts.append((value + 100.0) / 200.0)
        evidence.update(
            nps=value,
            nps_responses=len(nps),
            promoters=sum(1 for s in nps if s >= 9),
            detractors=sum(1 for s in nps if s <= 6),
        )
    if csat:
        satisfied = sum(1 for s in csat if s >= 4)
        parts.append(satisfied / len(csat))
        evidence.update(csat_percent=100.0 * satisfied / len(csat), csat_responses=len(csat))
    evidence["latest"] = evidence["latest"].isoformat()
    return SignalScore("satisfaction", sum(parts) / len(parts), evidence)


def usage_score(
    subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG
) -> SignalScore | MissingSignal:
    """Adoption of the latest usage sample (see the module notes)."""
    as_of = subgraph.as_of
    samples = sorted((s for s in subgraph.usage_samples if s.period <= as_of), key=lambda s: s.period)
    if not samples:
        return MissingSignal("usage", "no usage data")
    latest = samples[-1]
    age = (as_of - latest.period).days
    if age > config.usage_stale_days:
        return MissingSignal(
            "usage", f"the latest usage sample ({latest.period.isoformat()}) is {age} days old"
        )
    evidence: dict[str, Any] = {
        "period": latest.period.isoformat(),
        "active_users": latest.active_users,
        "licensed_users": latest.licensed_users,
    }
    share = latest.adoption_share
    if share is not None:
        target = config.usage_target_adoption
        evidence.update(adoption=share, target_adoption=target)
        score = min(1.0, share / target) if target > 0 else 1.0
        return SignalScore("usage", score, evidence)
    before = [s for s in samples[:-1] if s.active_users is not None]
    if not before or latest.active_users is None:
        return MissingSignal("usage", "active users without licences or an earlier period to compare with")
    previous = before[-1]
    assert previous.active_users is not None
    evidence.update(previous_period=previous.period.isoformat(), previous_active_users=previous.active_users)
    if previous.active_users == 0:
        return SignalScore("usage", 1.0 if latest.active_users > 0 else 0.0, evidence)
    return SignalScore("usage", min(1.0, latest.active_users / previous.active_users), evidence)


def service_score(
    subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG
) -> SignalScore | MissingSignal:
    """Support load of the last ``service_window_days`` (see the module notes)."""
    as_of = subgraph.as_of
    known = [c for c in subgraph.support_cases if c.opened <= as_of]
    if not known:
        return MissingSignal("service", "no support data")
    start = as_of - timedelta(days=config.service_window_days)
    counted = [c for c in known if c.opened > start or c.open_on(as_of)]
    penalty = 0.0
    cases: list[dict[str, Any]] = []
    for case in sorted(counted, key=lambda c: (c.opened, c.id)):
        weight = float(config.case_severity_weights.get(case.severity.value, 0.0))
        is_open = case.open_on(as_of)
        part = weight * (config.case_open_factor if is_open else 1.0)
        if case.complaint:
            part += config.complaint_weight
        target = config.response_target_hours.get(case.severity.value)
        late = (
            case.first_response_hours is not None
            and target is not None
            and case.first_response_hours > target
        )
        if late:
            part += config.response_miss_weight
        penalty += part
        cases.append(
            {
                "id": case.id,
                "severity": case.severity.value,
                "open": is_open,
                "complaint": case.complaint,
                "late_response": late,
                "penalty": part,
            }
        )
    evidence = {
        "window_days": config.service_window_days,
        "cases": cases,
        "open_cases": sum(1 for c in cases if c["open"]),
        "complaints": sum(1 for c in cases if c["complaint"]),
        "penalty": penalty,
    }
    return SignalScore("service", max(0.0, 1.0 - penalty), evidence)


@dataclass(frozen=True)
class RenewalStatus:
    """Where the account's contract stands on a day.

    ``contract`` is the contract in force with the latest end (``None`` when none is in force);
    ``days_left`` the days from the day to its end; ``secured`` whether a later contract is known
    or a renewal opportunity was won; ``lapsed`` that contracts existed and all have ended.
    """

    contract: Contract | None
    days_left: int | None
    secured: bool
    lapsed: bool


def renewal_status(subgraph: AccountSubgraph) -> RenewalStatus | None:
    """The account's :class:`RenewalStatus` on the subgraph's day (``None`` without contracts).

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Account, Contract
    >>> k = Contract("k1", "acme", date(2026, 1, 1), date(2026, 12, 31))
    >>> renewal_status(AccountSubgraph(Account("acme", "A"), date(2026, 11, 1), contracts=(k,))).days_left
    60
    """
    as_of = subgraph.as_of
    known = [c for c in subgraph.contracts if c.dated <= as_of]
    if not known:
        return None
    in_force = [c for c in known if c.in_force(as_of)]
    if not in_force:
        upcoming = any(c.start > as_of for c in known)
        return RenewalStatus(None, None, secured=upcoming, lapsed=not upcoming)
    current = max(in_force, key=lambda c: (c.end, c.id))
    later = any(c.end > current.end and c.id != current.id for c in known)
    won = any(
        o.renewal and o.status_on(as_of) is OpportunityStatus.WON and (o.close_date or as_of) >= current.start
        for o in subgraph.opportunities
        if o.opened <= as_of
    )
    return RenewalStatus(current, (current.end - as_of).days, secured=later or won, lapsed=False)


def renewal_score(
    subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG
) -> SignalScore | MissingSignal:
    """How far off and how secured the next renewal is (see the module notes)."""
    status = renewal_status(subgraph)
    if status is None:
        return MissingSignal("renewal", "no contract data")
    as_of = subgraph.as_of
    open_pipeline = [
        o
        for o in subgraph.opportunities
        if o.opened <= as_of and o.status_on(as_of) is OpportunityStatus.OPEN
    ]
    evidence: dict[str, Any] = {
        "horizon_days": config.renewal_horizon_days,
        "secured": status.secured,
        "lapsed": status.lapsed,
        "open_opportunities": len(open_pipeline),
        "open_pipeline": sum(o.amount for o in open_pipeline),
    }
    if status.contract is None:
        return SignalScore("renewal", 1.0 if status.secured else 0.0, evidence)
    contract = status.contract
    assert status.days_left is not None
    evidence.update(contract_id=contract.id, end=contract.end.isoformat(), days_left=status.days_left)
    if status.secured or status.days_left >= config.renewal_horizon_days:
        return SignalScore("renewal", 1.0, evidence)
    horizon = max(config.renewal_horizon_days, 1)
    return SignalScore("renewal", max(0.0, status.days_left / horizon), evidence)
