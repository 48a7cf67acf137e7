"""The portfolio view for leadership, and the diff of two dates.

Two steps, both pure:

1. :func:`account_payload` analyses one :class:`~graph.records.AccountSubgraph` (the account
   analysis of :func:`graph.analysis.account.analyse_account`, or without the detail just the
   part the summary needs, :func:`graph.analysis.account.account_core`; the exec cadence,
   relationship health, activity) and returns JSON-serialisable data: the ``summary`` figures, the people whose
   departure costs something (``impacts``), coverage ``gaps`` and the account's ``alerts``
   (cadence breach, going-cold ties, single points of contact, health). This is what the refresh
   materialises per account (:mod:`graph.services.refresh`).
2. :func:`portfolio_view` combines those payloads: accounts ranked by revenue at risk (the
   revenue at risk of their worst single departure, :mod:`graph.analysis.risk`, split into what
   the departure costs us in relationships and the turnover of a role holder) or, for an
   **exposed** account (roles are required and none is covered, so no departure can cost
   more), by its whole revenue, shown as exposed rather than as nothing at risk; people (ours and theirs) ranked by exposure
   (revenue at risk summed over their accounts), coverage gaps, the account context
   (:mod:`graph.analysis.context`) and every alert, most severe first, including revenue
   concentration and the job-change alerts given.

:func:`diff_portfolios` compares two views (two dates): accounts that got riskier (revenue at
coverage down, else health down, else revenue at risk up), accounts that improved (the
reverse), alerts raised and resolved.

Examples
--------
>>> from graph.analysis.relgraph import example_subgraph
>>> payload = account_payload(example_subgraph())
>>> payload["summary"]["threads"], [a["kind"] for a in payload["alerts"]][:2]
(1, ['cadence_breach', 'single_point_of_contact'])
>>> view = portfolio_view({"acme": payload}, example_subgraph().as_of)
>>> view.accounts[0].account_id, [p.person_id for p in view.people]
('acme', ['dir', 'rep', 'cio'])
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from graph.analysis.account import account_core, analyse_account, key_departure
from graph.analysis.alerts import Alert
from graph.analysis.cadence import cadence_alert, cadence_status
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.context import (
    Activity,
    PortfolioContext,
    activity_of,
    concentration_alerts,
    portfolio_context,
)
from graph.analysis.health import health_alert, relationship_health, renewal_alert
from graph.analysis.job_changes import JobChangeReport
from graph.analysis.strength import STAFF_CONTACT
from graph.model import Account
from graph.records import AccountSubgraph

__all__ = [
    "PAYLOAD_VERSION",
    "AccountChange",
    "AccountRow",
    "CoverageGap",
    "PersonExposure",
    "PortfolioDiff",
    "PortfolioView",
    "account_from_payload",
    "account_payload",
    "diff_portfolios",
    "portfolio_view",
]

#: Version of the shape of :func:`account_payload` (stored with every materialised result).
PAYLOAD_VERSION = 3


@dataclass(frozen=True)
class AccountRow:
    """One account of the portfolio view."""

    account_id: str
    name: str
    tier: str
    annual_revenue: float
    revenue_at_risk: float
    key_person: str | None
    coverage_score: float
    threads: int
    health_score: float
    health_band: str
    uncovered_roles: tuple[str, ...]
    single_points_of_contact: tuple[str, ...]
    quadrant: str | None = None
    concentration: float | None = None
    rfm_score: float | None = None
    suggested_tier: str | None = None
    potential_revenue: float | None = None
    health_breakdown: Mapping[str, float] = field(default_factory=dict)
    rfm: Mapping[str, Any] = field(default_factory=dict)
    pyramid: Mapping[str, Any] = field(default_factory=dict)
    revenue_relationship: float = 0.0
    revenue_turnover: float = 0.0
    exposed: bool = False
    revenue_exposed: float = 0.0

    @property
    def revenue_in_question(self) -> float:
        """What the portfolio ranks by: the revenue at risk, or all of it when the account is exposed.

        Examples
        --------
        >>> row = AccountRow("a", "A", "key", 100.0, 0.0, None, 0.0, 0, 30.0, "red", (), (), exposed=True,
        ...                  revenue_exposed=100.0)
        >>> row.revenue_in_question
        100.0
        """
        return max(self.revenue_at_risk, self.revenue_exposed)


@dataclass(frozen=True)
class PersonExposure:
    """A person's revenue at risk summed over accounts; ``accounts`` is (account, revenue at risk)."""

    person_id: str
    name: str | None
    side: str
    revenue_at_risk: float
    accounts: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class CoverageGap:
    """An uncovered required role (``kind="role"``) or level (``kind="level"``) of an account."""

    account_id: str
    kind: str
    name: str
    detail: str


@dataclass(frozen=True)
class PortfolioView:
    """The portfolio as of one day (see the module notes)."""

    as_of: date
    accounts: tuple[AccountRow, ...]
    people: tuple[PersonExposure, ...]
    gaps: tuple[CoverageGap, ...]
    alerts: tuple[Alert, ...]
    context: PortfolioContext | None = None
    totals: Mapping[str, float] = field(default_factory=dict)

    def account(self, account_id: str) -> AccountRow:
        """The row of one account (``KeyError`` when absent)."""
        for row in self.accounts:
            if row.account_id == account_id:
                return row
        raise KeyError(f"account {account_id!r} is not in the portfolio view")

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view (the context is summarised in the account rows)."""
        return {
            "as_of": self.as_of.isoformat(),
            "totals": dict(self.totals),
            "accounts": [dataclasses.asdict(r) for r in self.accounts],
            "people": [dataclasses.asdict(p) for p in self.people],
            "gaps": [dataclasses.asdict(g) for g in self.gaps],
            "alerts": [a.to_payload() for a in self.alerts],
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> PortfolioView:
        """Inverse of :meth:`to_payload` (without the context).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> view = portfolio_view({"acme": account_payload(example_subgraph())}, date(2025, 6, 30))
        >>> PortfolioView.from_payload(view.to_payload()).accounts == view.accounts
        True
        """
        return cls(
            date.fromisoformat(data["as_of"]),
            tuple(
                AccountRow(
                    **{
                        **r,
                        "uncovered_roles": tuple(r["uncovered_roles"]),
                        "single_points_of_contact": tuple(r["single_points_of_contact"]),
                    }
                )
                for r in data["accounts"]
            ),
            tuple(
                PersonExposure(**{**p, "accounts": tuple(tuple(a) for a in p["accounts"])})
                for p in data["people"]
            ),
            tuple(CoverageGap(**g) for g in data["gaps"]),
            tuple(Alert.from_payload(a) for a in data["alerts"]),
            None,
            dict(data.get("totals") or {}),
        )


@dataclass(frozen=True)
class AccountChange:
    """How one account moved between two dates (after minus before)."""

    account_id: str
    name: str
    direction: str
    revenue_at_risk_before: float
    revenue_at_risk_after: float
    health_before: float
    health_after: float
    coverage_before: float
    coverage_after: float
    threads_before: int
    threads_after: int

    @property
    def revenue_at_risk_delta(self) -> float:
        """Change in revenue at risk."""
        return self.revenue_at_risk_after - self.revenue_at_risk_before

    @property
    def health_delta(self) -> float:
        """Change in health."""
        return self.health_after - self.health_before


@dataclass(frozen=True)
class PortfolioDiff:
    """What changed between two portfolio views."""

    before: date
    after: date
    riskier: tuple[AccountChange, ...]
    improved: tuple[AccountChange, ...]
    unchanged: tuple[str, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    new_alerts: tuple[Alert, ...]
    resolved_alerts: tuple[Alert, ...]

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""

        def change(c: AccountChange) -> dict[str, Any]:
            return {
                **dataclasses.asdict(c),
                "revenue_at_risk_delta": c.revenue_at_risk_delta,
                "health_delta": c.health_delta,
            }

        return {
            "before": self.before.isoformat(),
            "after": self.after.isoformat(),
            "riskier": [change(c) for c in self.riskier],
            "improved": [change(c) for c in self.improved],
            "unchanged": list(self.unchanged),
            "added": list(self.added),
            "removed": list(self.removed),
            "new_alerts": [a.to_payload() for a in self.new_alerts],
            "resolved_alerts": [a.to_payload() for a in self.resolved_alerts],
        }


# -- per account ---------------------------------------------------------------------------------


def account_payload(
    subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG, *, detail: bool = True
) -> dict[str, Any]:
    """Analyse one account and return the JSON-serialisable payload the portfolio is built from.

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's data as of the day of the analysis.
    config : AnalysisConfig
    detail : bool
        Include the full account analysis (map, coverage paths, threads...) under
        ``"analysis"``; without it only the figures the portfolio view needs are kept.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> p = account_payload(example_subgraph(), detail=False)
    >>> sorted(p)[:6]
    ['account', 'activity', 'alerts', 'as_of', 'cadence', 'gaps']
    >>> p["summary"]["key_person"], round(p["summary"]["revenue_at_risk"])
    ('dir', 818182)
    """
    account = subgraph.account
    full = analyse_account(subgraph, config) if detail else None
    analysis = full if full is not None else account_core(subgraph, config, summary=True)
    cadence = cadence_status(subgraph, config)
    threads = analysis.threads
    health = relationship_health(
        subgraph,
        coverage_score=analysis.coverage.score,
        threads=threads.threads,
        cadence=cadence,
        config=config,
    )
    activity = activity_of(subgraph)
    names: dict[str, str] = {c.id: c.name for c in subgraph.contacts}
    names.update({s.id: s.name for s in subgraph.staff})
    active_contacts = set(analysis.graph.graph.get("contacts", ()))

    alerts: list[Alert] = []
    breach = cadence_alert(cadence)
    if breach is not None:
        alerts.append(breach)
    for point in threads.single_points_of_contact:
        who = names.get(point.person_id, point.person_id)
        alerts.append(
            Alert(
                "single_point_of_contact",
                "severe" if account.tier.value == "strategic" else "warning",
                account.id,
                f"{who} ({point.side}) alone holds every relationship thread to the decision makers",
                person_id=point.person_id,
                evidence={
                    "side": point.side,
                    "threads": threads.threads,
                    "paths": [list(p) for p in threads.paths],
                },
            )
        )
    for tie in sorted(analysis.ties.values(), key=lambda t: (t.a, t.b)):
        if tie.kind != STAFF_CONTACT or not tie.going_cold or tie.b not in active_contacts:
            continue
        alerts.append(
            Alert(
                "going_cold",
                "warning",
                account.id,
                f"{names.get(tie.a, tie.a)} - {names.get(tie.b, tie.b)}: silent for {tie.silence_days} days "
                f"(usually every {tie.usual_gap_days:.0f})",
                person_id=tie.b,
                evidence={
                    "staff_id": tie.a,
                    "contact_id": tie.b,
                    "silence_days": tie.silence_days,
                    "usual_gap_days": tie.usual_gap_days,
                    "last_at": tie.last_at.isoformat() if tie.last_at else None,
                    "interactions": tie.interactions,
                    "strength": tie.strength,
                },
            )
        )
    unhealthy = health_alert(health)
    if unhealthy is not None:
        alerts.append(unhealthy)
    renewal = renewal_alert(subgraph, health, config)
    if renewal is not None:
        alerts.append(renewal)

    impacts = [
        {
            "person_id": d.person_id,
            "name": names.get(d.person_id),
            "side": d.side,
            "coverage_lost": d.coverage_lost,
            "impact": d.impact,
            "revenue_at_risk": d.revenue_at_risk,
            "at_risk": d.at_risk,
            "relationship_at_risk": d.relationship_at_risk,
            "turnover_at_risk": d.turnover_at_risk,
            "revenue_relationship": d.revenue_relationship,
            "revenue_turnover": d.revenue_turnover,
            "roles_lost": [r.value for r in d.roles_lost],
            "threads_lost": d.threads_lost,
        }
        for d in sorted(analysis.departure_impacts.values(), key=lambda d: (-d.revenue_at_risk, d.person_id))
        if d.coverage_lost > 0 or d.threads_lost > 0 or d.at_risk > 0
    ]
    gaps = [
        {"kind": "role", "name": r.role.value, "detail": _role_gap(r.holders, r.strength, config)}
        for r in analysis.coverage.roles
        if not r.covered
    ] + [
        {"kind": "level", "name": lc.level.value, "detail": _level_gap(lc.strength)}
        for lc in analysis.level_coverage
        if not lc.covered
    ]
    worst = key_departure(analysis.departure_impacts)
    # exposed: roles are required and none is covered, so no departure can cost anything more
    exposed = analysis.coverage.total_weight > 0 and analysis.coverage.covered_weight <= 0
    summary = {
        "coverage_score": analysis.coverage.score,
        "threads": threads.threads,
        "revenue_at_risk": worst.revenue_at_risk if worst is not None else 0.0,
        "revenue_relationship": worst.revenue_relationship if worst is not None else 0.0,
        "revenue_turnover": worst.revenue_turnover if worst is not None else 0.0,
        "exposed": exposed,
        "revenue_exposed": account.annual_revenue if exposed else 0.0,
        "key_person": worst.person_id if worst is not None and worst.at_risk > 0 else None,
        "health_score": health.score,
        "health_band": health.band,
        "uncovered_roles": [r.role.value for r in analysis.coverage.roles if not r.covered],
        "uncovered_levels": [lc.level.value for lc in analysis.level_coverage if not lc.covered],
        "single_points_of_contact": [p.person_id for p in threads.single_points_of_contact],
        "going_cold": sum(1 for a in alerts if a.kind == "going_cold"),
        "cadence_breached": cadence.breached,
        "contacts": len(active_contacts),
        "interactions": len(subgraph.interactions),
    }
    payload: dict[str, Any] = {
        "version": PAYLOAD_VERSION,
        "as_of": subgraph.as_of.isoformat(),
        "account": _account_fields(account),
        "summary": summary,
        "impacts": impacts,
        "gaps": gaps,
        "alerts": [a.to_payload() for a in alerts],
        "health": health.to_payload(),
        "cadence": cadence.to_payload(),
        "activity": {
            "last_interaction": activity.last_interaction.isoformat() if activity.last_interaction else None,
            "interactions": activity.interactions,
        },
        "names": {p["person_id"]: p["name"] for p in impacts},
    }
    if full is not None:
        payload["analysis"] = full.to_payload(evidence_limit=3)
    return payload


def account_from_payload(payload: Mapping[str, Any]) -> Account:
    """The :class:`~graph.model.Account` stored in an :func:`account_payload`.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> account_from_payload(account_payload(example_subgraph(), detail=False)) == example_subgraph().account
    True
    """
    fields = dict(payload["account"])
    fields["domains"] = tuple(fields.get("domains") or ())
    return Account(**fields)


# -- portfolio -----------------------------------------------------------------------------------


def portfolio_view(
    payloads: Mapping[str, Mapping[str, Any]],
    as_of: date,
    *,
    job_changes: Sequence[JobChangeReport] = (),
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> PortfolioView:
    """Combine per-account payloads (:func:`account_payload`) into the portfolio view.

    Parameters
    ----------
    payloads : mapping of account id to payload
        One payload per account, all as of ``as_of``.
    as_of : date
    job_changes : sequence of JobChangeReport
        Their risk and opportunity alerts join the view's alerts.
    config : AnalysisConfig
        RFM and concentration parameters of the context.

    Raises
    ------
    ValueError
        When a payload is of another day or of an unknown shape.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> view = portfolio_view({"acme": account_payload(example_subgraph(), detail=False)}, date(2025, 6, 30))
    >>> row = view.account("acme")
    >>> row.threads, row.health_band, row.quadrant, [g.name for g in view.gaps if g.kind == "role"]
    (1, 'yellow', 'star', [])
    """
    accounts: list[Account] = []
    activity: dict[str, Activity] = {}
    for account_id, payload in payloads.items():
        if payload.get("version") != PAYLOAD_VERSION:
            raise ValueError(
                f"payload of {account_id!r} has version {payload.get('version')!r}, expected {PAYLOAD_VERSION}"
            )
        if payload.get("as_of") != as_of.isoformat():
            raise ValueError(f"payload of {account_id!r} is as of {payload.get('as_of')}, expected {as_of}")
        account = account_from_payload(payload)
        if account.id != account_id:
            raise ValueError(f"payload keyed {account_id!r} is of account {account.id!r}")
        accounts.append(account)
        act = payload["activity"]
        last = act.get("last_interaction")
        activity[account_id] = Activity(date.fromisoformat(last) if last else None, int(act["interactions"]))
    context = portfolio_context(accounts, activity, as_of, config)

    rows: list[AccountRow] = []
    gaps: list[CoverageGap] = []
    alerts: list[Alert] = []
    exposure: dict[str, list[tuple[str, float]]] = {}
    sides: dict[str, str] = {}
    names: dict[str, str | None] = {}
    for account in accounts:
        payload = payloads[account.id]
        s = payload["summary"]
        ctx = context.accounts[account.id]
        rows.append(
            AccountRow(
                account.id,
                account.name,
                account.tier.value,
                account.annual_revenue,
                float(s["revenue_at_risk"]),
                s["key_person"],
                float(s["coverage_score"]),
                int(s["threads"]),
                float(s["health_score"]),
                str(s["health_band"]),
                tuple(s["uncovered_roles"]),
                tuple(s["single_points_of_contact"]),
                ctx.quadrant,
                ctx.concentration.share,
                ctx.rfm.score,
                ctx.pyramid.suggested_tier.value,
                account.potential_revenue,
                dict(payload["health"]["components"]),
                ctx.rfm.to_payload(),
                ctx.pyramid.to_payload(),
                float(s["revenue_relationship"]),
                float(s["revenue_turnover"]),
                bool(s["exposed"]),
                float(s["revenue_exposed"]),
            )
        )
        for gap in payload["gaps"]:
            gaps.append(CoverageGap(account.id, gap["kind"], gap["name"], gap["detail"]))
        alerts.extend(Alert.from_payload(a) for a in payload["alerts"])
        for impact in payload["impacts"]:
            if impact["revenue_at_risk"] <= 0:
                continue
            pid = impact["person_id"]
            exposure.setdefault(pid, []).append((account.id, float(impact["revenue_at_risk"])))
            sides[pid] = impact["side"]
            names[pid] = names.get(pid) or impact.get("name")
    alerts.extend(concentration_alerts(context))
    for report in job_changes:
        alerts.extend(report.alerts())
    people = [
        PersonExposure(
            pid,
            names.get(pid),
            sides[pid],
            sum(v for _, v in rows_),
            tuple(sorted(rows_, key=lambda r: (-r[1], r[0]))),
        )
        for pid, rows_ in exposure.items()
    ]
    rows.sort(key=lambda r: (-r.revenue_in_question, r.health_score, r.account_id))
    people.sort(key=lambda p: (-p.revenue_at_risk, p.person_id))
    order = {row.account_id: i for i, row in enumerate(rows)}
    gaps.sort(key=lambda g: (order[g.account_id], g.kind != "role", g.name))
    alerts.sort(
        key=lambda a: (-a.severity_rank, order.get(a.account_id or "", len(order)), a.kind, a.person_id or "")
    )
    totals = {
        "accounts": float(len(rows)),
        "annual_revenue": context.total_revenue,
        "revenue_at_risk": sum(r.revenue_at_risk for r in rows),
        "revenue_relationship": sum(r.revenue_relationship for r in rows),
        "revenue_turnover": sum(r.revenue_turnover for r in rows),
        "exposed": float(sum(1 for r in rows if r.exposed)),
        "revenue_exposed": sum(r.revenue_exposed for r in rows),
        "red": float(sum(1 for r in rows if r.health_band == "red")),
        "yellow": float(sum(1 for r in rows if r.health_band == "yellow")),
        "green": float(sum(1 for r in rows if r.health_band == "green")),
        "single_threaded": float(sum(1 for r in rows if r.threads <= 1)),
    }
    return PortfolioView(as_of, tuple(rows), tuple(people), tuple(gaps), tuple(alerts), context, totals)


def diff_portfolios(before: PortfolioView, after: PortfolioView, *, tolerance: float = 1e-6) -> PortfolioDiff:
    """What got riskier and what improved between two portfolio views.

    The first of these that changed (by more than ``tolerance``) decides: coverage score,
    health, revenue at risk. An account got *riskier* when its coverage fell, or stayed and its
    health fell, or both stayed and its revenue at risk rose; it *improved* in the reverse
    cases. (Revenue at risk comes last: when a key person leaves, coverage collapses and the
    revenue at risk of the *next* departure may well fall.) Alerts are matched by kind,
    account and person.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> def view(day):
    ...     return portfolio_view({"acme": account_payload(example_subgraph(day))}, day)
    >>> early, late = view(date(2025, 6, 2)), view(date(2025, 12, 31))
    >>> d = diff_portfolios(early, late)
    >>> [c.account_id for c in d.riskier], round(d.riskier[0].health_delta, 1)
    (['acme'], -25.0)
    """
    old = {r.account_id: r for r in before.accounts}
    new = {r.account_id: r for r in after.accounts}
    riskier: list[AccountChange] = []
    improved: list[AccountChange] = []
    unchanged: list[str] = []
    for account_id in sorted(old.keys() & new.keys()):
        a, b = old[account_id], new[account_id]
        deltas = (
            b.coverage_score - a.coverage_score,
            b.health_score - a.health_score,
            a.revenue_at_risk - b.revenue_at_risk,
        )
        sign = next((d for d in deltas if abs(d) > tolerance), 0.0)
        if sign == 0.0:
            unchanged.append(account_id)
            continue
        direction = "improved" if sign > 0 else "riskier"
        change = AccountChange(
            account_id,
            b.name,
            direction,
            a.revenue_at_risk,
            b.revenue_at_risk,
            a.health_score,
            b.health_score,
            a.coverage_score,
            b.coverage_score,
            a.threads,
            b.threads,
        )
        (riskier if direction == "riskier" else improved).append(change)
    riskier.sort(key=lambda c: (-c.revenue_at_risk_delta, c.health_delta, c.account_id))
    improved.sort(key=lambda c: (c.revenue_at_risk_delta, -c.health_delta, c.account_id))
    old_alerts = {_alert_key(a): a for a in before.alerts}
    new_alerts = {_alert_key(a): a for a in after.alerts}
    return PortfolioDiff(
        before.as_of,
        after.as_of,
        tuple(riskier),
        tuple(improved),
        tuple(unchanged),
        tuple(sorted(new.keys() - old.keys())),
        tuple(sorted(old.keys() - new.keys())),
        tuple(a for k, a in new_alerts.items() if k not in old_alerts),
        tuple(a for k, a in old_alerts.items() if k not in new_alerts),
    )


# -- helpers -------------------------------------------------------------------------------------


def _alert_key(alert: Alert) -> tuple[str, str, str]:
    return (alert.kind, alert.account_id or "", alert.person_id or "")


def _role_gap(holders: Iterable[str], strength: float, config: AnalysisConfig) -> str:
    holders = tuple(holders)
    if not holders:
        return "nobody holds the role"
    if strength <= 0:
        return f"no path to {', '.join(holders)}"
    return (
        "no strong tie to a holder or an introducer "
        f"(best reach {_cut(strength)} < {_cut(config.strong_threshold, ROUND_CEILING)} needed)"
    )


def _cut(value: float, rounding: str = ROUND_FLOOR) -> str:
    """``value`` to 2 decimals, cut down (a reach) or up (a threshold) rather than rounded, and
    exact when it has at most 4 decimals, so a reach below a threshold never reads as the
    threshold ("0.50 < 0.50").

    Examples
    --------
    >>> _cut(0.4999999), _cut(0.29), _cut(0.5), _cut(0.555), _cut(0.5000001, ROUND_CEILING)
    ('0.49', '0.29', '0.50', '0.555', '0.51')
    """
    exact = Decimal(repr(value))
    cut = exact.quantize(Decimal("0.01"), rounding=rounding)
    return str(cut) if cut == exact or len(str(exact)) > 6 else str(exact)


def _level_gap(strength: float) -> str:
    return "no same-level tie" if strength <= 0 else f"strongest same-level tie {strength:.2f}"


def _account_fields(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "name": account.name,
        "industry": account.industry,
        "region": account.region,
        "tier": account.tier.value,
        "annual_revenue": account.annual_revenue,
        "potential_revenue": account.potential_revenue,
        "owner": account.owner,
        "domains": list(account.domains),
        "strategic_fit": account.strategic_fit,
        "relationship_cost": account.relationship_cost,
    }
