"""Account context for leadership: RFM, value matrix, tier pyramid and revenue concentration.

All four compare an account with the rest of the portfolio, so they take every account at once.

RFM (*default* weights R 0.3, F 0.2, M 0.5, ``AnalysisConfig.rfm_weights``): each part is scaled
to 0-1 within the portfolio by min-max scaling (when every account has the same value the part
is 1 for all of them):

* recency ``R = 1 - (days - min_days) / (max_days - min_days)`` over the days since each
  account's last interaction; an account without any interaction gets 0;
* frequency ``F = (n - min_n) / (max_n - min_n)`` over the number of interactions in the last
  ``window_days`` (365);
* monetary ``M`` the same scaling of ``annual_revenue``, then multiplied by the industry weight
  (``AnalysisConfig.industry_weights``, e.g. manufacturing 1.2, retail 0.8, otherwise 1.0).

``score = 100 * (wR * R + wF * F + wM * min(1, M * industry_weight))``: the weighted monetary
part is capped at 1, so with weights summing to 1 the score stays within 0-100 (an industry
weight above 1 lifts an account towards the top, never past it).

Value matrix: contribution (``annual_revenue``) and potential (``potential_revenue``) are split
at the portfolio medians (a value equal to the median is *high*): star (high, high), cash cow
(high contribution, low potential), question mark (low, high), dog (low, low).

Tier pyramid: four evaluation dimensions scored 1-5: current value and future potential are the
quintile of ``annual_revenue`` / ``potential_revenue`` within the portfolio; strategic fit is
``Account.strategic_fit``; relationship cost is ``Account.relationship_cost`` and counts
inverted (``6 - cost``: cheap relationships score high). Without a rating, the relationship
cost is computed from activity when it can be: the *effort* of an account is its interactions in
the last ``window_days`` per million of ``annual_revenue``, and its cost is the quintile of its
effort among the accounts whose effort is known (at least one interaction and a positive
revenue); such dimensions are listed in ``computed``. A fit, or a cost that cannot be computed,
counts as 3 and is listed in ``defaults_used``. The mean of the four suggests the tier: >= 4
strategic partner, >= 3 key, else potential.

Revenue concentration: an account's share of the portfolio's ``annual_revenue``; above
``concentration_flag`` (20 %) it is flagged, above ``concentration_severe`` (30 %) severe.

Examples
--------
>>> from datetime import date
>>> from graph.model import Account
>>> accounts = [Account("a", "A", annual_revenue=800, potential_revenue=50),
...             Account("b", "B", annual_revenue=200, potential_revenue=500)]
>>> ctx = portfolio_context(accounts, {}, date(2025, 6, 1))
>>> ctx.accounts["a"].quadrant, ctx.accounts["b"].quadrant
('cash_cow', 'question_mark')
>>> ctx.accounts["a"].concentration.level
'severe'
"""

from __future__ import annotations

import statistics
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph.analysis.alerts import Alert
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Account, Tier
from graph.records import AccountSubgraph

__all__ = [
    "QUADRANTS",
    "AccountContext",
    "Activity",
    "Concentration",
    "PortfolioContext",
    "PyramidPlacement",
    "Rfm",
    "activity_of",
    "concentration_alerts",
    "portfolio_context",
]

#: Value-matrix quadrants.
QUADRANTS: tuple[str, ...] = ("star", "cash_cow", "question_mark", "dog")


@dataclass(frozen=True)
class Activity:
    """Interaction activity of one account: last interaction day and count in the window."""

    last_interaction: date | None = None
    interactions: int = 0


@dataclass(frozen=True)
class Rfm:
    """An RFM score with its parts (each 0-1) and inputs."""

    recency: float
    frequency: float
    monetary: float
    industry_weight: float
    score: float
    days_since_last: int | None
    interactions: int
    annual_revenue: float
    weights: Mapping[str, float] | None = None

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {**self.__dict__, "weights": dict(self.weights or {})}


@dataclass(frozen=True)
class PyramidPlacement:
    """Tier pyramid placement: the four dimensions (1-5), their mean and the suggested tier."""

    current_value: int
    future_potential: int
    strategic_fit: int
    relationship_cost: int
    score: float
    suggested_tier: Tier
    current_tier: Tier
    defaults_used: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "current_value": self.current_value,
            "future_potential": self.future_potential,
            "strategic_fit": self.strategic_fit,
            "relationship_cost": self.relationship_cost,
            "score": self.score,
            "suggested_tier": self.suggested_tier.value,
            "current_tier": self.current_tier.value,
            "defaults_used": list(self.defaults_used),
            "computed": list(self.computed),
        }


@dataclass(frozen=True)
class Concentration:
    """Share of portfolio revenue and its level: ``None``, ``"flagged"`` or ``"severe"``."""

    share: float
    level: str | None

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {"share": self.share, "level": self.level}


@dataclass(frozen=True)
class AccountContext:
    """RFM, value-matrix quadrant, pyramid placement and concentration of one account."""

    account_id: str
    rfm: Rfm
    quadrant: str
    pyramid: PyramidPlacement
    concentration: Concentration

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "account_id": self.account_id,
            "rfm": self.rfm.to_payload(),
            "quadrant": self.quadrant,
            "pyramid": self.pyramid.to_payload(),
            "concentration": self.concentration.to_payload(),
        }


@dataclass(frozen=True)
class PortfolioContext:
    """Context of every account plus the portfolio figures it was measured against."""

    as_of: date
    accounts: Mapping[str, AccountContext]
    total_revenue: float
    median_revenue: float
    median_potential: float
    config: Mapping[str, Any]

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "as_of": self.as_of.isoformat(),
            "total_revenue": self.total_revenue,
            "median_revenue": self.median_revenue,
            "median_potential": self.median_potential,
            "config": dict(self.config),
            "accounts": {k: v.to_payload() for k, v in self.accounts.items()},
        }


def activity_of(subgraph: AccountSubgraph, window_days: int = 365) -> Activity:
    """The account's last interaction day and interaction count over the last ``window_days``.

    Examples
    --------
    >>> from datetime import date, datetime, UTC
    >>> from graph.model import Account, Interaction
    >>> ix = Interaction("i1", "call", datetime(2025, 5, 1, tzinfo=UTC), accounts=("a",))
    >>> activity_of(AccountSubgraph(Account("a", "A"), date(2025, 6, 1), interactions=(ix,)))
    Activity(last_interaction=datetime.date(2025, 5, 1), interactions=1)
    """
    start = subgraph.as_of - timedelta(days=window_days)
    days = [ix.at.date() for ix in subgraph.interactions if ix.at.date() <= subgraph.as_of]
    return Activity(max(days) if days else None, sum(1 for d in days if d > start))


def portfolio_context(
    accounts: Sequence[Account],
    activity: Mapping[str, Activity],
    as_of: date,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> PortfolioContext:
    """RFM, value matrix, tier pyramid and concentration of every account.

    Parameters
    ----------
    accounts : sequence of Account
        The portfolio (ids must be unique).
    activity : mapping of account id to Activity
        From :func:`activity_of`; accounts missing here count as without interactions.
    as_of : date
        The day recency is measured to.
    config : AnalysisConfig

    Examples
    --------
    >>> from graph.model import Account
    >>> accs = [Account("m", "M", industry="manufacturing", annual_revenue=100),
    ...         Account("r", "R", industry="retail", annual_revenue=100)]
    >>> acts = {"m": Activity(date(2025, 5, 1), 4), "r": Activity(date(2025, 5, 1), 4)}
    >>> ctx = portfolio_context(accs, acts, date(2025, 6, 1))
    >>> round(ctx.accounts["m"].rfm.score, 1), round(ctx.accounts["r"].rfm.score, 1)
    (100.0, 90.0)
    """
    ids = [a.id for a in accounts]
    if len(set(ids)) != len(ids):
        raise ValueError("portfolio_context: account ids must be unique")
    days: dict[str, int | None] = {}
    for account in accounts:
        act = activity.get(account.id, Activity())
        days[account.id] = (as_of - act.last_interaction).days if act.last_interaction else None
    known_days = [d for d in days.values() if d is not None]
    counts = {a.id: activity.get(a.id, Activity()).interactions for a in accounts}
    revenues = {a.id: a.annual_revenue for a in accounts}
    potentials = {a.id: a.potential_revenue for a in accounts}
    total = sum(revenues.values())
    median_revenue = statistics.median(revenues.values()) if accounts else 0.0
    median_potential = statistics.median(potentials.values()) if accounts else 0.0
    weights = config.rfm_weights
    out: dict[str, AccountContext] = {}
    # ranges and orders of the whole portfolio found once, not once per account
    recency_range = _Range([-k for k in known_days])
    frequency_range = _Range(counts.values())
    monetary_range = _Range(revenues.values())
    revenue_order = sorted(revenues.values())
    potential_order = sorted(potentials.values())
    efforts = {
        a.id: counts[a.id] / (a.annual_revenue / 1e6)
        for a in accounts
        if counts[a.id] > 0 and a.annual_revenue > 0
    }
    effort_order = sorted(efforts.values())
    for account in accounts:
        d = days[account.id]
        recency = 0.0 if d is None else recency_range.scale(-d)
        frequency = frequency_range.scale(counts[account.id])
        monetary = monetary_range.scale(revenues[account.id])
        industry = (account.industry or "").strip().lower()
        weight = float(config.industry_weights.get(industry, 1.0))
        score = 100.0 * (
            weights.get("recency", 0.0) * recency
            + weights.get("frequency", 0.0) * frequency
            + weights.get("monetary", 0.0) * min(1.0, monetary * weight)
        )
        rfm = Rfm(
            recency,
            frequency,
            monetary,
            weight,
            score,
            d,
            counts[account.id],
            account.annual_revenue,
            dict(weights),
        )
        high_c = account.annual_revenue >= median_revenue
        high_p = account.potential_revenue >= median_potential
        quadrant = ("star" if high_p else "cash_cow") if high_c else ("question_mark" if high_p else "dog")
        share = account.annual_revenue / total if total > 0 else 0.0
        level = (
            "severe"
            if share > config.concentration_severe
            else "flagged"
            if share > config.concentration_flag
            else None
        )
        out[account.id] = AccountContext(
            account.id,
            rfm,
            quadrant,
            _pyramid(account, revenue_order, potential_order, efforts.get(account.id), effort_order),
            Concentration(share, level),
        )
    return PortfolioContext(
        as_of,
        out,
        total,
        float(median_revenue),
        float(median_potential),
        {
            "rfm_weights": dict(config.rfm_weights),
            "industry_weights": dict(config.industry_weights),
            "concentration_flag": config.concentration_flag,
            "concentration_severe": config.concentration_severe,
        },
    )


def concentration_alerts(context: PortfolioContext) -> list[Alert]:
    """Alerts for flagged (warning) and severe revenue concentration, largest share first.

    Examples
    --------
    >>> from graph.model import Account
    >>> ctx = portfolio_context([Account("a", "A", annual_revenue=3), Account("b", "B", annual_revenue=1)],
    ...                         {}, date(2025, 1, 1))
    >>> [(a.account_id, a.severity) for a in concentration_alerts(ctx)]
    [('a', 'severe'), ('b', 'warning')]
    """
    out = []
    for acc in sorted(context.accounts.values(), key=lambda c: -c.concentration.share):
        level = acc.concentration.level
        if level is None:
            continue
        out.append(
            Alert(
                "concentration",
                "severe" if level == "severe" else "warning",
                acc.account_id,
                f"{acc.concentration.share:.0%} of portfolio revenue",
                evidence={
                    "share": acc.concentration.share,
                    "annual_revenue": acc.rfm.annual_revenue,
                    "total_revenue": context.total_revenue,
                    "threshold": context.config[
                        "concentration_severe" if level == "severe" else "concentration_flag"
                    ],
                },
            )
        )
    return out


# -- helpers -------------------------------------------------------------------------------------


class _Range:
    """The lowest and highest of a series, to scale its values to 0-1 (1 when all are equal)."""

    __slots__ = ("empty", "high", "low")

    def __init__(self, values: Iterable[float]) -> None:
        items = list(values)
        self.empty = not items
        self.low: float = min(items) if items else 0.0
        self.high: float = max(items) if items else 0.0

    def scale(self, value: float) -> float:
        if self.empty:
            return 0.0
        if self.high == self.low:
            return 1.0
        return float((value - self.low) / (self.high - self.low))


def _quintile(value: float, ordered: Sequence[float]) -> int:
    """The quintile (1-5) of ``value`` among ``ordered`` (sorted): by how many values are below it."""
    n = len(ordered)
    below = bisect_left(ordered, value)
    return min(5, 1 + (5 * below) // n) if n else 3


def _pyramid(
    account: Account,
    revenues: Sequence[float],
    potentials: Sequence[float],
    effort: float | None,
    efforts: Sequence[float],
) -> PyramidPlacement:
    computed: tuple[str, ...] = ()
    if account.relationship_cost is not None:
        cost = account.relationship_cost
    elif effort is not None:
        cost = _quintile(effort, efforts)
        computed = ("relationship_cost",)
    else:
        cost = 3
    defaults = tuple(
        name
        for name in ("strategic_fit", "relationship_cost")
        if getattr(account, name) is None and name not in computed
    )
    fit = account.strategic_fit if account.strategic_fit is not None else 3
    current = _quintile(account.annual_revenue, revenues)
    future = _quintile(account.potential_revenue, potentials)
    score = (current + future + fit + (6 - cost)) / 4.0
    suggested = Tier.STRATEGIC if score >= 4 else Tier.KEY if score >= 3 else Tier.POTENTIAL
    return PyramidPlacement(current, future, fit, cost, score, suggested, account.tier, defaults, computed)
