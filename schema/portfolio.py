"""The portfolio view in the API: ranked accounts and people, coverage gaps, alerts, concentration.

The view is the one :func:`graph.analysis.portfolio.portfolio_view` builds. It is read from the
refresh's materialised ``portfolio_view`` result when that is fresh (computed from the current
data with the current configuration); otherwise it is built for the request from the
per-account summaries (materialised where fresh, computed otherwise) and the job changes of
the last 90 days (without their warm paths, which the refresh adds).

For an account manager the view is cut down to their accounts: account rows, gaps and alerts of
other accounts are left out, people are those visible to them with their exposure summed over
the visible accounts only, and portfolio-wide totals are withheld.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from graph import model
from schema.analyses import PORTFOLIO_KIND, is_fresh
from schema.analysis_types import Alert, alert_from
from schema.enums import GapKind, HealthBand, Quadrant, Side
from schema.errors import PublicError
from schema.fields import field
from schema.presentation import Money, Ratio, Score
from schema.recommendations import RecommendedAction, action_from
from schema.scoping import account_redactor, redacted
from schema.types import Account, Person, load_account, load_person

__all__ = [
    "AccountRisk",
    "CoverageGap",
    "PersonExposure",
    "Portfolio",
    "PortfolioAccount",
    "PortfolioAction",
    "PortfolioTotals",
    "Rfm",
    "TierEvaluation",
    "load_view",
]

_SCAN_PAGE = 1000
_JOB_CHANGE_DAYS = 90


@strawberry.type(
    description=(
        "RFM within the portfolio: each part min-max scaled over the accounts, as a score 0-100. "
        "recency = 100 x (1 - (days - minDays) / (maxDays - minDays)) over the days since the last "
        "interaction (0 without any); frequency the same scaling of the interactions in the last 365 "
        "days; monetary of the annual revenue. score = wR x recency + wF x frequency + wM x "
        "min(100, monetary x industryWeight) (default weights 0.3, 0.2, 0.5), so it stays within 0-100."
    )
)
class Rfm:
    recency: Score
    frequency: Score
    monetary: Score
    industry_weight: Ratio
    score: Score
    days_since_last: int | None
    interactions: int = strawberry.field(description="Interactions in the last 365 days.")
    weights: JSON = strawberry.field(description="The weights of recency, frequency and monetary.")


@strawberry.type(
    description=(
        "The tier pyramid's four evaluation dimensions, each 1-5: currentValue and futurePotential are the "
        "quintile of annual and potential revenue in the portfolio; strategicFit is the account's own "
        "rating; relationshipCost the account's own rating, else the quintile of its interactions in the "
        "last 365 days per million of annual revenue (more effort per revenue costs more); it counts "
        "inverted (6 - cost). score = the mean of the four; >= 4 suggests STRATEGIC, >= 3 KEY, else "
        "POTENTIAL. `defaultsUsed` names dimensions without a rating that were taken as 3."
    )
)
class TierEvaluation:
    current_value: int
    future_potential: int
    strategic_fit: int
    relationship_cost: int
    score: Ratio
    suggested_tier: model.Tier
    current_tier: model.Tier
    defaults_used: list[str]
    computed: list[str] = strawberry.field(description="Dimensions computed from activity (no rating given).")


@strawberry.type(description="One account of the portfolio, with the figures it is ranked by.")
class PortfolioAccount:
    account_id: strawberry.ID
    name: str
    tier: model.Tier
    annual_revenue: Money
    revenue_at_risk: Money = strawberry.field(description="Revenue at risk of the worst single departure.")
    revenue_relationship: Money = strawberry.field(description="The part of it our relationships would lose.")
    revenue_turnover: Money = strawberry.field(description="The part of it from a role holder's turnover.")
    exposed: bool = strawberry.field(
        description="Roles are required and none is covered: all of the revenue is exposed already."
    )
    revenue_exposed: Money = strawberry.field(description="Annual revenue when exposed, else 0.")
    key_person_id: strawberry.ID | None
    coverage_score: Score
    threads: int
    health_score: Score
    health_band: HealthBand
    uncovered_roles: list[model.Role]
    single_points_of_contact: list[strawberry.ID]
    quadrant: Quadrant | None = strawberry.field(description="Value matrix: contribution x potential.")
    concentration: Ratio | None = strawberry.field(description="Share of total revenue.")
    rfm_score: Score | None
    suggested_tier: model.Tier | None
    rfm: Rfm | None
    tier_evaluation: TierEvaluation | None
    as_of: strawberry.Private[date]

    @strawberry.field
    async def account(self, info: strawberry.Info) -> Account | None:
        return await load_account(info, str(self.account_id), self.as_of)


@strawberry.type
class AccountRisk:
    account_id: strawberry.ID
    revenue_at_risk: Money


@strawberry.type(description="A person's revenue at risk summed over accounts (exposure), ours or theirs.")
class PersonExposure:
    person_id: strawberry.ID
    name: str | None
    side: Side
    revenue_at_risk: Money
    accounts: list[AccountRisk]
    as_of: strawberry.Private[date]

    @strawberry.field
    async def person(self, info: strawberry.Info) -> Person | None:
        return await load_person(info, str(self.person_id), self.as_of)


@strawberry.type(description="An uncovered required role (kind ROLE) or level (kind LEVEL) of an account.")
class CoverageGap:
    account_id: strawberry.ID
    kind: GapKind
    name: str = strawberry.field(description="The role or level, in its enum casing (USER_BUYER).")
    role: model.Role | None
    level: model.Level | None
    detail: str


@strawberry.type(
    description="The account's share of total revenue (flagged above the configured thresholds)."
)
class AccountConcentration:
    account_id: strawberry.ID
    name: str
    share: Ratio


@strawberry.type(description="Portfolio totals: counts of accounts and money summed over them.")
class PortfolioTotals:
    accounts: int
    annual_revenue: Money
    revenue_at_risk: Money
    revenue_relationship: Money
    revenue_turnover: Money
    exposed: int = strawberry.field(description="Accounts with no required role covered.")
    revenue_exposed: Money
    red: int
    yellow: int
    green: int
    single_threaded: int = strawberry.field(description="Accounts with at most one thread.")


@strawberry.type(description="The best next meeting at one account of the portfolio.")
class PortfolioAction:
    account_id: strawberry.ID
    name: str
    action: RecommendedAction


@strawberry.type(description="The portfolio as of `asOf`.")
class Portfolio:
    as_of: date
    materialised: bool = strawberry.field(description="Read from the refresh's materialised view.")
    view: strawberry.Private[Any]
    restricted: strawberry.Private[bool]

    @field(
        description="Accounts ranked by revenue at risk, an exposed one by its whole revenue (`first` 1-100)."
    )
    def accounts(self, first: int = 20) -> list[PortfolioAccount]:
        _check(first)
        return [_row(r, self.as_of) for r in self.view.accounts[:first]]

    @field(
        description=(
            "The best next meetings at the `accounts` (1-50) accounts ranked first, highest value first "
            "(`first` 1-50), at most `perPerson` (1-10) for any one of our staff: the best meeting of an "
            "account whose best is for someone already busy is its next best."
        )
    )
    async def recommended_actions(
        self, info: strawberry.Info, first: int = 10, accounts: int = 20, per_person: int = 2
    ) -> list[PortfolioAction]:
        if not (1 <= first <= 50 and 1 <= accounts <= 50 and 1 <= per_person <= 10):
            raise PublicError(
                f"first and accounts must be between 1 and 50 and perPerson between 1 and 10, "
                f"got {first}, {accounts} and {per_person}"
            )
        candidates: list[PortfolioAction] = []
        for row in self.view.accounts[:accounts]:
            actions = await info.context.loaders.actions((row.account_id, self.as_of), 3, False)
            shown = await redacted(info, row.account_id, self.as_of, actions or [])
            for data in shown or ():
                if data is not None:
                    candidates.append(
                        PortfolioAction(
                            account_id=strawberry.ID(row.account_id),
                            name=row.name,
                            action=action_from(data, self.as_of),
                        )
                    )
        # one meeting per account, the most valuable first, and no one of ours booked beyond per_person
        candidates.sort(key=lambda p: (-float(p.action.value), str(p.account_id), str(p.action.staff_id)))
        found: list[PortfolioAction] = []
        booked: dict[str, int] = {}
        placed: set[str] = set()
        for candidate in candidates:
            staff = str(candidate.action.staff_id)
            if str(candidate.account_id) in placed or booked.get(staff, 0) >= per_person:
                continue
            found.append(candidate)
            placed.add(str(candidate.account_id))
            booked[staff] = booked.get(staff, 0) + 1
            if len(found) == first:
                break
        return found

    @field(description="People (ours and theirs) ranked by exposure; `side` ours or theirs filters.")
    def people(self, first: int = 20, side: str | None = None) -> list[PersonExposure]:
        _check(first)
        rows = [p for p in self.view.people if side is None or p.side == side]
        return [
            PersonExposure(
                person_id=strawberry.ID(p.person_id),
                name=p.name,
                side=Side(p.side),
                revenue_at_risk=Money(p.revenue_at_risk),
                accounts=[
                    AccountRisk(account_id=strawberry.ID(a), revenue_at_risk=Money(v)) for a, v in p.accounts
                ],
                as_of=self.as_of,
            )
            for p in rows[:first]
        ]

    @field(description="Uncovered required roles and levels.")
    def gaps(self, first: int = 100) -> list[CoverageGap]:
        _check(first)
        return [gap_type(g) for g in self.view.gaps[:first]]

    @field(description="Alerts, most severe first.")
    def alerts(self, first: int = 100) -> list[Alert]:
        _check(first)
        return [alert_from(a.to_payload()) for a in self.view.alerts[:first]]

    @field(description="Accounts by share of total revenue, largest first.")
    def concentration(self, first: int = 20) -> list[AccountConcentration]:
        _check(first)
        rows = sorted(
            (r for r in self.view.accounts if r.concentration is not None),
            key=lambda r: (-float(r.concentration), r.account_id),
        )
        return [
            AccountConcentration(
                account_id=strawberry.ID(r.account_id), name=r.name, share=Ratio(float(r.concentration))
            )
            for r in rows[:first]
        ]

    @field(description="Portfolio totals (null for account managers).")
    def totals(self) -> PortfolioTotals | None:
        return None if self.restricted else totals_type(self.view.totals)


def _check(first: int) -> None:
    from schema.paging import check_first

    check_first(first)


def gap_type(g: Any) -> CoverageGap:
    """The GraphQL view of a :class:`graph.analysis.portfolio.CoverageGap`."""
    kind = GapKind(g.kind)
    return CoverageGap(
        account_id=strawberry.ID(g.account_id),
        kind=kind,
        name=str(g.name).upper(),
        role=model.Role(g.name) if kind is GapKind.ROLE else None,
        level=model.Level(g.name) if kind is GapKind.LEVEL else None,
        detail=g.detail,
    )


def totals_type(totals: Any) -> PortfolioTotals:
    """The typed portfolio totals (counts as integers)."""
    return PortfolioTotals(
        accounts=round(float(totals.get("accounts", 0))),
        annual_revenue=Money(float(totals.get("annual_revenue", 0.0))),
        revenue_at_risk=Money(float(totals.get("revenue_at_risk", 0.0))),
        revenue_relationship=Money(float(totals.get("revenue_relationship", 0.0))),
        revenue_turnover=Money(float(totals.get("revenue_turnover", 0.0))),
        exposed=round(float(totals.get("exposed", 0))),
        revenue_exposed=Money(float(totals.get("revenue_exposed", 0.0))),
        red=round(float(totals.get("red", 0))),
        yellow=round(float(totals.get("yellow", 0))),
        green=round(float(totals.get("green", 0))),
        single_threaded=round(float(totals.get("single_threaded", 0))),
    )


def rfm_type(data: Any) -> Rfm | None:
    """The :class:`Rfm` of ``Rfm.to_payload`` data (parts 0-1 shown as scores 0-100)."""
    if not data:
        return None
    return Rfm(
        recency=Score(100.0 * float(data["recency"])),
        frequency=Score(100.0 * float(data["frequency"])),
        monetary=Score(100.0 * float(data["monetary"])),
        industry_weight=Ratio(float(data["industry_weight"])),
        score=Score(float(data["score"])),
        days_since_last=data.get("days_since_last"),
        interactions=int(data["interactions"]),
        weights=cast(JSON, dict(data.get("weights") or {})),
    )


def tier_evaluation_type(data: Any) -> TierEvaluation | None:
    """The :class:`TierEvaluation` of ``PyramidPlacement.to_payload`` data."""
    if not data:
        return None
    return TierEvaluation(
        current_value=int(data["current_value"]),
        future_potential=int(data["future_potential"]),
        strategic_fit=int(data["strategic_fit"]),
        relationship_cost=int(data["relationship_cost"]),
        score=Ratio(float(data["score"])),
        suggested_tier=model.Tier(data["suggested_tier"]),
        current_tier=model.Tier(data["current_tier"]),
        defaults_used=[str(d) for d in data.get("defaults_used", ())],
        computed=[str(d) for d in data.get("computed", ())],
    )


def _row(r: Any, as_of: date) -> PortfolioAccount:
    return PortfolioAccount(
        account_id=strawberry.ID(r.account_id),
        name=r.name,
        tier=model.Tier(r.tier),
        annual_revenue=Money(r.annual_revenue),
        revenue_at_risk=Money(r.revenue_at_risk),
        revenue_relationship=Money(r.revenue_relationship),
        revenue_turnover=Money(r.revenue_turnover),
        exposed=r.exposed,
        revenue_exposed=Money(r.revenue_exposed),
        key_person_id=strawberry.ID(r.key_person) if r.key_person else None,
        coverage_score=Score(r.coverage_score),
        threads=r.threads,
        health_score=Score(r.health_score),
        health_band=HealthBand(r.health_band),
        uncovered_roles=[model.Role(v) for v in r.uncovered_roles],
        single_points_of_contact=[strawberry.ID(p) for p in r.single_points_of_contact],
        quadrant=Quadrant(r.quadrant) if r.quadrant else None,
        concentration=None if r.concentration is None else Ratio(r.concentration),
        rfm_score=None if r.rfm_score is None else Score(r.rfm_score),
        suggested_tier=model.Tier(r.suggested_tier) if r.suggested_tier else None,
        rfm=rfm_type(getattr(r, "rfm", None)),
        tier_evaluation=tier_evaluation_type(getattr(r, "pyramid", None)),
        as_of=as_of,
    )


async def load_view(info: strawberry.Info, day: date, job_changes_since: date | None = None) -> Portfolio:
    """The (scoped) portfolio view of ``day``, alerting the job changes after ``job_changes_since``
    (default :data:`_JOB_CHANGE_DAYS` before ``day``; another window is computed, not stored)."""
    from graph.analysis.portfolio import PortfolioView, portfolio_view
    from graph.services.job_changes import job_change_reports_between

    ctx = info.context
    store = ctx.store
    view: Any = None
    stored = store.get_results(PORTFOLIO_KIND, day, ["*"]).get("*") if job_changes_since is None else None
    if stored is not None:
        version = sum(store.data_versions().values())
        if is_fresh(stored, version, ctx.loaders.fingerprint):
            view = PortfolioView.from_payload(stored.payload)
    materialised = view is not None
    if view is None:
        ids: list[str] = []
        cursor: str | None = None
        while True:
            page = store.list_accounts(None, first=_SCAN_PAGE, after=cursor)
            ids += [a.id for a in page.items]
            for account in page.items:
                ctx.loaders.accounts.prime(account.id, account)
            if not page.has_next or page.end_cursor is None:
                break
            cursor = page.end_cursor
        summaries = await ctx.loaders.summaries.load_many([(i, day) for i in ids])
        payloads = {i: s.payload for i, s in zip(ids, summaries, strict=True) if s is not None}
        since = job_changes_since if job_changes_since is not None else day - timedelta(days=_JOB_CHANGE_DAYS)
        reports = job_change_reports_between(store, since, day, config=ctx.config)
        view = portfolio_view(payloads, day, job_changes=reports, config=ctx.config)
    visible = ctx.scope.account_ids()
    if visible is not None:
        view = await _scoped(info, view, visible)
    return Portfolio(as_of=day, materialised=materialised, view=view, restricted=visible is not None)


async def _scoped(info: strawberry.Info, view: Any, visible: frozenset[str]) -> Any:
    import dataclasses

    from graph.analysis.portfolio import PersonExposure as Exposure

    people = []
    for p in view.people:
        accounts = tuple((a, v) for a, v in p.accounts if a in visible)
        if accounts and await info.context.scope.can_see_person_id(p.person_id):
            people.append(Exposure(p.person_id, p.name, p.side, sum(v for _, v in accounts), accounts))
    people.sort(key=lambda p: (-p.revenue_at_risk, p.person_id))
    return dataclasses.replace(
        view,
        accounts=tuple(
            [await _scoped_row(info, r, view.as_of) for r in view.accounts if r.account_id in visible]
        ),
        people=tuple(people),
        gaps=tuple(g for g in view.gaps if g.account_id in visible),
        alerts=tuple(
            [a for a in view.alerts if a.account_id in visible and await _alert_kept(info, a, view.as_of)]
        ),
        totals={},
    )


async def _scoped_row(info: strawberry.Info, row: Any, day: date) -> Any:
    """An account row without the people the caller may not see (:mod:`schema.scoping`)."""
    import dataclasses

    redactor = await account_redactor(info, row.account_id, day)
    if redactor is None:
        return row
    return dataclasses.replace(
        row,
        key_person=row.key_person if redactor.keeps(row.key_person) else None,
        single_points_of_contact=tuple(p for p in row.single_points_of_contact if redactor.keeps(p)),
    )


async def _alert_kept(info: strawberry.Info, alert: Any, day: date) -> bool:
    """Whether an alert of a visible account mentions nothing the caller may not see."""
    return await redacted(info, str(alert.account_id), day, alert.to_payload()) is not None
