# mypy: disable-error-code="arg-type"
# (the model parses enum and history fields from their text forms; the tests use those strings)
"""Dated attributes of the model: histories of stance, tier and revenue, and a staff leaving day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.model import Account, Contact, ModelError, Staff, Stance, Tier, history_text, parse_history


def test_a_history_must_end_with_the_current_value() -> None:
    with pytest.raises(ModelError) as error:
        Account("a", "A", tier="key", tier_history="2024-01-01:key;2025-01-01:strategic")
    assert str(error.value) == (
        "Account.tier_history: '2025-01-01:strategic' is the latest value but the current one is 'key'; "
        "a history ends with the current value"
    )
    with pytest.raises(ModelError, match="has two values on one day"):
        Contact("c", "C", stance="champion", stance_history="2024-01-01:skeptic;2024-01-01:champion")
    with pytest.raises(ModelError, match="revenue_history: 'lots' is not a number"):
        Account("a", "A", revenue_history="2024-01-01:lots")
    with pytest.raises(ModelError, match=r"revenue_history: -1\.0 must be a non-negative number"):
        Account("a", "A", revenue_history=[(date(2024, 1, 1), -1.0)])
    with pytest.raises(ModelError, match=r"Staff\.until: 'soon' is not a date"):
        Staff("s", "S", until="soon")


@given(
    st.lists(st.tuples(st.integers(0, 2000), st.sampled_from(list(Stance))), min_size=1, max_size=6),
    st.integers(-30, 2100),
)
def test_the_stance_on_a_day_is_the_latest_one_set_by_then(
    entries: list[tuple[int, Stance]], offset: int
) -> None:
    start = date(2020, 1, 1)
    by_day = {start + timedelta(days=d): s for d, s in entries}  # the last one given per day
    history = sorted(by_day.items())
    contact = Contact("c", "C", stance=history[-1][1], stance_history=history)
    day = start + timedelta(days=offset)
    # the reference, written out: scan every entry, keep the latest started by `day`
    started = [(since, stance) for since, stance in history if since <= day]
    expected = max(started)[1] if started else min(history)[1]
    assert contact.on(day).stance is expected
    # the text form round-trips
    assert parse_history(history_text(history), Stance, "Contact", "stance_history") == tuple(history)


def test_values_on_a_day_leave_everything_else_alone() -> None:
    acme = Account(
        "acme",
        "Acme",
        tier=Tier.STRATEGIC,
        annual_revenue=2.0,
        potential_revenue=5.0,
        tier_history="2024-01-01:key;2025-01-01:strategic",
        revenue_history="2024-01-01:1;2025-01-01:2",
    )
    then = acme.on(date(2024, 6, 1))
    assert (then.tier, then.annual_revenue, then.potential_revenue, then.tier_history) == (
        Tier.KEY,
        1.0,
        5.0,
        acme.tier_history,
    )
    assert acme.on(date(2025, 6, 1)) is acme
