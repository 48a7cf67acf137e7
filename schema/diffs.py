"""The diff between two dates in the API: of one account's map, and of the portfolio.

``accountDiff`` compares the account's relationship map and coverage on ``from`` and on ``to``
(:func:`graph.analysis.map_diff.diff_maps`); ``portfolioDiff`` compares the (scoped) portfolio
views of the two days (:func:`graph.analysis.portfolio.diff_portfolios`). Values before and
after each change are JSON in the API's presentation (enum names, floats to 3 decimals).
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from schema.analysis_types import Alert, alert_from
from schema.enums import Change, Direction
from schema.errors import PublicError
from schema.presentation import Money, Score, Strength, api_evidence, enum_name
from schema.types import load_account

__all__ = [
    "AccountChange",
    "AccountDiff",
    "MapChange",
    "PortfolioDiff",
    "check_dates",
    "load_account_diff",
    "load_portfolio_diff",
]


@strawberry.type(
    description=(
        "One entry of a map that appeared, changed or went: `key` names it (a person id, a pair `a|b`, "
        "a line `KIND|source|target`, a role), `fields` the compared values that differ, `before` and "
        "`after` the compared values (null where absent)."
    )
)
class MapChange:
    change: Change
    key: str
    fields: list[str]
    before: JSON | None
    after: JSON | None


@strawberry.type(
    description=(
        "What differs between an account's map on `from` and on `to`: people (contacts and our staff), "
        "ties (changed: band, going cold, or strength moved by >= strengthTolerance), reporting and "
        "influence lines, buying roles (their holders) and coverage per required role."
    )
)
class AccountDiff:
    account_id: strawberry.ID
    from_: date = strawberry.field(name="from")
    to: date
    people: list[MapChange]
    ties: list[MapChange]
    lines: list[MapChange]
    roles: list[MapChange]
    coverage: list[MapChange]
    coverage_before: Score | None
    coverage_after: Score | None
    strength_tolerance: Strength
    changes: int = strawberry.field(description="Number of changes of every subject.")


@strawberry.type(description="How one account moved between the two dates (after minus before).")
class AccountChange:
    account_id: strawberry.ID
    name: str
    direction: Direction
    revenue_at_risk_before: Money
    revenue_at_risk_after: Money
    revenue_at_risk_delta: Money
    health_before: Score
    health_after: Score
    health_delta: Score
    coverage_before: Score
    coverage_after: Score
    threads_before: int
    threads_after: int


@strawberry.type(
    description=(
        "What changed in the portfolio between `from` and `to`: accounts that got riskier or improved (the "
        "first that moved decides: coverage, then health, then revenue at risk), accounts added or removed, "
        "alerts raised and resolved (matched by kind, account and person)."
    )
)
class PortfolioDiff:
    from_: date = strawberry.field(name="from")
    to: date
    riskier: list[AccountChange]
    improved: list[AccountChange]
    unchanged: list[strawberry.ID]
    added: list[strawberry.ID]
    removed: list[strawberry.ID]
    new_alerts: list[Alert]
    resolved_alerts: list[Alert]


def check_dates(from_: date, to: date) -> None:
    """Refuse a window that ends before it starts.

    Examples
    --------
    >>> check_dates(date(2025, 2, 1), date(2025, 1, 1))
    Traceback (most recent call last):
    ...
    schema.errors.PublicError: from (2025-02-01) must be on or before to (2025-01-01)
    """
    if from_ > to:
        raise PublicError(f"from ({from_}) must be on or before to ({to})")


def _values(v: Any) -> JSON | None:
    return None if v is None else cast(JSON, api_evidence(v))


def _change(c: Any, subject: str) -> MapChange:
    key = str(c.key)
    if subject in ("roles", "coverage"):
        key = enum_name(key)
    elif subject == "lines":
        kind, rest = key.split("|", 1)
        key = f"{enum_name(kind)}|{rest}"
    return MapChange(
        change=Change(c.change),
        key=key,
        fields=list(c.fields),
        before=_values(c.before),
        after=_values(c.after),
    )


async def load_account_diff(
    info: strawberry.Info, account_id: str, from_: date, to: date
) -> AccountDiff | None:
    """The map diff of a visible account (``None`` when it is not visible or does not exist)."""
    from graph.analysis.map_diff import diff_maps

    check_dates(from_, to)
    if await load_account(info, account_id, to) is None:
        return None
    ctx = info.context
    before, after = await ctx.loaders.analyses.load_many([(account_id, from_), (account_id, to)])
    if before is None or after is None:
        return None
    d = diff_maps(before.map, after.map, before.coverage, after.coverage)
    return AccountDiff(
        account_id=strawberry.ID(account_id),
        from_=from_,
        to=to,
        people=[_change(c, "people") for c in d.people],
        ties=[_change(c, "ties") for c in d.ties],
        lines=[_change(c, "lines") for c in d.lines],
        roles=[_change(c, "roles") for c in d.roles],
        coverage=[_change(c, "coverage") for c in d.coverage],
        coverage_before=None if d.coverage_before is None else Score(d.coverage_before),
        coverage_after=None if d.coverage_after is None else Score(d.coverage_after),
        strength_tolerance=Strength(d.strength_tolerance),
        changes=d.count(),
    )


def _account_change(c: Any) -> AccountChange:
    return AccountChange(
        account_id=strawberry.ID(c.account_id),
        name=c.name,
        direction=Direction(c.direction),
        revenue_at_risk_before=Money(c.revenue_at_risk_before),
        revenue_at_risk_after=Money(c.revenue_at_risk_after),
        revenue_at_risk_delta=Money(c.revenue_at_risk_delta),
        health_before=Score(c.health_before),
        health_after=Score(c.health_after),
        health_delta=Score(c.health_delta),
        coverage_before=Score(c.coverage_before),
        coverage_after=Score(c.coverage_after),
        threads_before=int(c.threads_before),
        threads_after=int(c.threads_after),
    )


async def load_portfolio_diff(info: strawberry.Info, from_: date, to: date) -> PortfolioDiff:
    """The diff of the (scoped) portfolio views of ``from_`` and ``to``."""
    from graph.analysis.portfolio import diff_portfolios
    from schema.portfolio import load_view

    check_dates(from_, to)
    before = await load_view(info, from_)
    after = await load_view(info, to)
    d = diff_portfolios(before.view, after.view)
    return PortfolioDiff(
        from_=from_,
        to=to,
        riskier=[_account_change(c) for c in d.riskier],
        improved=[_account_change(c) for c in d.improved],
        unchanged=[strawberry.ID(a) for a in d.unchanged],
        added=[strawberry.ID(a) for a in d.added],
        removed=[strawberry.ID(a) for a in d.removed],
        new_alerts=[alert_from(a.to_payload()) for a in d.new_alerts],
        resolved_alerts=[alert_from(a.to_payload()) for a in d.resolved_alerts],
    )
