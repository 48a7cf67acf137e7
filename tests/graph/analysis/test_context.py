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
    # the weighted monetary part is capped at 1: 1.0 x 1.2 counts as 1, so the score is 100, not 110
    assert big.industry_weight == 1.2 and big.score == pytest.approx(100 * (0.3 + 0.2 + 0.5 * 1.0))
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


def test_rfm_scores_stay_within_0_and_100() -> None:
    accounts = [
        Account(f"m{i}", f"M{i}", industry="manufacturing", annual_revenue=100 * (i + 1)) for i in range(4)
    ]
    activity = {a.id: Activity(date(2025, 6, 29), 10) for a in accounts}
    ctx = portfolio_context(accounts, activity, AS_OF)
    # m3 tops every part; m2 has M = 2/3, weighted 0.8: 100 x (0.3 + 0.2 + 0.5 x 0.8) = 90
    assert ctx.accounts["m3"].rfm.score == pytest.approx(100.0)
    assert ctx.accounts["m2"].rfm.score == pytest.approx(90.0)
    assert all(0.0 <= c.rfm.score <= 100.0 for c in ctx.accounts.values())


def test_relationship_cost_without_a_rating_is_the_quintile_of_effort_per_revenue() -> None:
    # effort = interactions in the window per million of revenue:
    # a 10/1 = 10, b 10/2 = 5, c 30/1 = 30, d 2/4 = 0.5, e 5/1 = 5; f has no interactions
    revenue = {"a": 1e6, "b": 2e6, "c": 1e6, "d": 4e6, "e": 1e6, "f": 1e6}
    counts = {"a": 10, "b": 10, "c": 30, "d": 2, "e": 5}
    accounts = [Account(k, k.upper(), annual_revenue=v) for k, v in revenue.items()]
    accounts[4] = Account("e", "E", annual_revenue=1e6, relationship_cost=2)  # a rating wins
    activity = {k: Activity(date(2025, 6, 1), n) for k, n in counts.items()}
    ctx = portfolio_context(accounts, activity, AS_OF)
    # sorted efforts [0.5, 5, 5, 10, 30] (n = 5); quintile = min(5, 1 + 5 * below // 5) = 1 + below
    expected = {"d": 1, "b": 2, "a": 4, "c": 5}
    for key, cost in expected.items():
        pyramid = ctx.accounts[key].pyramid
        assert pyramid.relationship_cost == cost, key
        assert pyramid.computed == ("relationship_cost",)
        assert "relationship_cost" not in pyramid.defaults_used
    assert ctx.accounts["e"].pyramid.relationship_cost == 2 and ctx.accounts["e"].pyramid.computed == ()
    f = ctx.accounts["f"].pyramid
    assert f.relationship_cost == 3 and f.defaults_used == ("strategic_fit", "relationship_cost")
    # the cost counts inverted in the mean: c (cost 5) gets 6 - 5 = 1
    c = ctx.accounts["c"].pyramid
    assert c.score == pytest.approx((c.current_value + c.future_potential + 3 + 1) / 4)
