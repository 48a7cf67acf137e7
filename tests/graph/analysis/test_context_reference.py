"""RFM scales and pyramid quintiles equal a direct per-account recomputation over the portfolio."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.context import Activity, portfolio_context
from graph.model import Account

AS_OF = date(2025, 6, 30)
MONEY = st.sampled_from([0.0, 50.0, 100.0, 100.0, 250.0, 1000.0, 1e6])


def _scale(value: float, values: list[float]) -> float:
    if not values:
        return 0.0
    low, high = min(values), max(values)
    return 1.0 if high == low else float((value - low) / (high - low))


def _quintile(value: float, values: list[float]) -> int:
    below = sum(1 for v in values if v < value)
    return min(5, 1 + (5 * below) // len(values))


@st.composite
def portfolios(draw: st.DrawFn) -> tuple[list[Account], dict[str, Activity]]:
    accounts, activity = [], {}
    for i in range(draw(st.integers(1, 12))):
        accounts.append(Account(f"a{i}", f"A{i}", annual_revenue=draw(MONEY), potential_revenue=draw(MONEY)))
        if draw(st.booleans()):
            last = AS_OF - timedelta(days=draw(st.integers(0, 400)))
            activity[f"a{i}"] = Activity(last, draw(st.integers(0, 50)))
    return accounts, activity


@settings(max_examples=80, deadline=None)
@given(portfolios())
def test_scales_and_quintiles_equal_the_direct_recomputation(
    case: tuple[list[Account], dict[str, Activity]],
) -> None:
    accounts, activity = case
    ctx = portfolio_context(accounts, activity, AS_OF)
    days = [(AS_OF - a.last_interaction).days for a in activity.values() if a.last_interaction]
    counts = [float(activity.get(a.id, Activity()).interactions) for a in accounts]
    revenues = [a.annual_revenue for a in accounts]
    potentials = [a.potential_revenue for a in accounts]
    for account, count in zip(accounts, counts, strict=True):
        placed = ctx.accounts[account.id]
        act = activity.get(account.id)
        if act is not None and act.last_interaction is not None:
            assert placed.rfm.recency == _scale(-(AS_OF - act.last_interaction).days, [-d for d in days])
        else:
            assert placed.rfm.recency == 0.0
        assert placed.rfm.frequency == _scale(count, counts)
        assert placed.rfm.monetary == _scale(account.annual_revenue, revenues)
        assert placed.pyramid.current_value == _quintile(account.annual_revenue, revenues)
        assert placed.pyramid.future_potential == _quintile(account.potential_revenue, potentials)
