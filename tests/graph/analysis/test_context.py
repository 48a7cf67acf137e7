"""Tests of the account context: RFM, value matrix, tier pyramid, concentration."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from graph.analysis.context import Activity, activity_of, concentration_alerts, portfolio_context
from graph.model import Account, Interaction, InteractionKind, Tier
from graph.store import AccountSubgraph

AS_OF = date(2025, 6, 30)


def portfolio() -> list[Account]:
    return [
        Account(
            "big",
            "Big",
            industry="manufacturing",
            annual_revenue=500,
            potential_revenue=900,
            strategic_fit=5,
            relationship_cost=1,
            tier=Tier.KEY,
        ),
        Account("cow", "Cow", industry="retail", annual_revenue=300, potential_revenue=100),
        Account("new", "New", annual_revenue=100, potential_revenue=800),
        Account("dog", "Dog", annual_revenue=100, potential_revenue=50, strategic_fit=1, relationship_cost=5),
    ]


def test_rfm_scales_within_the_portfolio_and_weights_industries() -> None:
    activity = {
        "big": Activity(date(2025, 6, 20), 40),
        "cow": Activity(date(2025, 6, 20), 40),
        "new": Activity(date(2025, 1, 1), 10),
    }
    ctx = portfolio_context(portfolio(), activity, AS_OF)
    big, cow, new, dog = (ctx.accounts[a].rfm for a in ("big", "cow", "new", "dog"))
    assert (big.recency, big.frequency, big.monetary) == (1.0, 1.0, 1.0)
    assert big.industry_weight == 1.2 and big.score == pytest.approx(100 * (0.3 + 0.2 + 0.5 * 1.2))
    assert cow.monetary == pytest.approx(0.5) and cow.industry_weight == 0.8
    assert cow.score == pytest.approx(100 * (0.3 + 0.2 + 0.5 * 0.5 * 0.8))
    assert new.recency == 0.0 and new.frequency == pytest.approx(0.25)
    assert dog.recency == 0.0 and dog.days_since_last is None and dog.interactions == 0
    assert big.score > cow.score > new.score


def test_value_matrix_splits_at_the_medians() -> None:
    ctx = portfolio_context(portfolio(), {}, AS_OF)
    assert ctx.median_revenue == 200 and ctx.median_potential == 450
    assert {a: c.quadrant for a, c in ctx.accounts.items()} == {
        "big": "star",
        "cow": "cash_cow",
        "new": "question_mark",
        "dog": "dog",
    }


def test_tier_pyramid_uses_four_dimensions() -> None:
    ctx = portfolio_context(portfolio(), {}, AS_OF)
    big = ctx.accounts["big"].pyramid
    assert (big.current_value, big.future_potential, big.strategic_fit, big.relationship_cost) == (4, 4, 5, 1)
    assert big.score == pytest.approx((4 + 4 + 5 + 5) / 4)
    assert big.suggested_tier is Tier.STRATEGIC and big.current_tier is Tier.KEY
    dog = ctx.accounts["dog"].pyramid
    assert dog.suggested_tier is Tier.POTENTIAL
    assert ctx.accounts["cow"].pyramid.defaults_used == ("strategic_fit", "relationship_cost")


def test_revenue_concentration_flags_and_alerts() -> None:
    ctx = portfolio_context(portfolio(), {}, AS_OF)
    assert ctx.total_revenue == 1000
    levels = {a: (c.concentration.share, c.concentration.level) for a, c in ctx.accounts.items()}
    assert levels == {"big": (0.5, "severe"), "cow": (0.3, "flagged"), "new": (0.1, None), "dog": (0.1, None)}
    alerts = concentration_alerts(ctx)
    assert [(a.account_id, a.severity) for a in alerts] == [("big", "severe"), ("cow", "warning")]
    assert alerts[0].evidence["threshold"] == 0.3


def test_activity_of_subgraph_and_duplicate_ids() -> None:
    ixs = tuple(
        Interaction(f"i{n}", InteractionKind.CALL, datetime(2025, m, 1, tzinfo=UTC), accounts=("a",))
        for n, m in enumerate((1, 3, 5, 12))
    )
    sub = AccountSubgraph(Account("a", "A"), AS_OF, interactions=ixs)
    assert activity_of(sub, window_days=130) == Activity(date(2025, 5, 1), 2)
    with pytest.raises(ValueError, match="unique"):
        portfolio_context([Account("a", "A"), Account("a", "A")], {}, AS_OF)
