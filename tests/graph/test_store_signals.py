# mypy: disable-error-code="arg-type"
"""Business signals in the GraphStore port, on every backend: dated reads, change detection,
the accounts a change touches, integrity and merges."""

from __future__ import annotations

from datetime import date

import pytest

from graph.model import (
    Account,
    Contact,
    Contract,
    Employment,
    Opportunity,
    SupportCase,
    SurveyResponse,
    UsageSample,
)
from graph.store import GraphBatch, GraphStore, IntegrityError


def base() -> GraphBatch:
    return GraphBatch(
        accounts=[Account("acme", "Acme"), Account("globex", "Globex")],
        contacts=[Contact("c1", "Ada"), Contact("c2", "Bob"), Contact("c9", "Ada (duplicate)")],
        employments=[Employment("c1", "acme"), Employment("c2", "acme"), Employment("c9", "acme")],
    )


def signals() -> GraphBatch:
    return GraphBatch(
        survey_responses=[
            SurveyResponse("s-old", "acme", "nps", 3, date(2024, 1, 10), "c9"),
            SurveyResponse("s-new", "acme", "nps", 10, date(2025, 3, 1), "c1"),
        ],
        usage_samples=[UsageSample("acme", date(2025, 2, 1), active_users=9, licensed_users=10)],
        support_cases=[SupportCase("k1", "acme", date(2024, 12, 1), "critical", closed=date(2025, 2, 1))],
        contracts=[
            Contract("ct-1", "acme", date(2024, 1, 1), date(2024, 12, 31), 100),
            # signed ahead of its start: visible from the signing day
            Contract("ct-2", "acme", date(2025, 1, 1), date(2025, 12, 31), 110, signed=date(2024, 11, 15)),
        ],
        opportunities=[
            Opportunity("o1", "acme", "Upsell", date(2024, 6, 1), 50, contact_ids=("c9", "c2")),
        ],
    )


def test_signals_are_visible_from_their_day(store: GraphStore) -> None:
    store.write(base())
    store.write(signals())
    early = store.account_subgraph("acme", date(2024, 11, 14))
    assert [r.id for r in early.survey_responses] == ["s-old"]
    assert [k.id for k in early.contracts] == ["ct-1"]
    assert early.usage_samples == () and early.support_cases == ()
    assert [o.id for o in early.opportunities] == ["o1"]
    signed = store.account_subgraph("acme", date(2024, 11, 15))
    assert [k.id for k in signed.contracts] == ["ct-1", "ct-2"]
    late = store.account_subgraph("acme", date(2025, 6, 1))
    assert [r.id for r in late.survey_responses] == ["s-new", "s-old"]  # by key
    assert late.usage_samples == tuple(signals().usage_samples)
    assert late.support_cases == tuple(signals().support_cases)
    assert store.account_subgraph("globex", date(2025, 6, 1)).survey_responses == ()


def test_a_changed_signal_is_counted_and_touches_its_accounts_old_and_new(store: GraphStore) -> None:
    store.write(base())
    store.write(signals())
    versions = store.data_versions()
    again = store.write(signals())
    assert again.changed == 0 and again.touched_accounts == set()
    assert store.data_versions() == versions
    moved = store.write(
        GraphBatch(contracts=[Contract("ct-1", "globex", date(2024, 1, 1), date(2024, 12, 31), 100)])
    )
    assert (moved.kinds["contract"].created, moved.kinds["contract"].updated) == (0, 1)
    assert moved.touched_accounts == {"acme", "globex"}
    assert [k.id for k in store.account_subgraph("acme", date(2025, 6, 1)).contracts] == ["ct-2"]
    assert [k.id for k in store.account_subgraph("globex", date(2025, 6, 1)).contracts] == ["ct-1"]
    after = store.data_versions()
    assert after["acme"] == versions["acme"] + 1 and after["globex"] == versions.get("globex", 0) + 1


def test_a_signal_naming_an_unknown_account_or_a_staff_member_writes_nothing(store: GraphStore) -> None:
    store.write(base())
    before = store.counts()
    bad = signals()
    bad.survey_responses.append(SurveyResponse("s-x", "ghost", "csat", 2, date(2025, 1, 1), "nobody"))
    with pytest.raises(IntegrityError) as caught:
        store.write(bad)
    text = " ".join(caught.value.problems)
    assert "unknown account 'ghost'" in text and "'nobody'" in text
    assert store.counts() == before


def test_merging_contacts_rewrites_the_signals_that_name_them(store: GraphStore) -> None:
    store.write(base())
    store.write(signals())
    store.merge_people("c1", "c9")
    sub = store.account_subgraph("acme", date(2025, 6, 1))
    assert {r.id: r.contact_id for r in sub.survey_responses} == {"s-new": "c1", "s-old": "c1"}
    assert sub.opportunities[0].contact_ids == ("c1", "c2")
    assert [o.contact_ids for o in store.iter_records("opportunity")] == [("c1", "c2")]
