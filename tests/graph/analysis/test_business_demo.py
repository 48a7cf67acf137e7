"""The demo portfolio's business signals, loaded into the embedded store: what health and the
renewal alert make of them, each checked against the stored records read directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.analysis.portfolio import account_payload
from graph.backends.sqlite.store import SqliteStore
from graph.store import GraphStore
from importers import demo

DAY = demo.REFERENCE_DATE


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    path: Path = tmp_path_factory.mktemp("demo-signals")
    db = SqliteStore(path)
    db.init()
    demo.load(db, "demo", seed=7)
    yield db
    db.close()


@pytest.fixture(scope="module")
def payloads(store: GraphStore) -> dict[str, dict[str, object]]:
    ids = [a.id for a in store.list_accounts(None, first=100).items]
    return {aid: account_payload(store.account_subgraph(aid, DAY), detail=False) for aid in ids}


def test_customers_carry_signals_and_prospects_report_them_missing(
    store: GraphStore, payloads: dict[str, dict[str, object]]
) -> None:
    guide = demo.archetypes("demo", 7)
    for aid in guide["prospects"]:
        health = payloads[aid]["health"]
        assert isinstance(health, dict)
        assert set(health["missing"]) == {"satisfaction", "renewal", "usage", "service"}
        assert health["score"] == pytest.approx(health["relationship_score"])
    customers = [a for a in payloads if a not in guide["prospects"]]
    with_contracts = [a for a in customers if store.account_subgraph(a, DAY).contracts]
    assert with_contracts == customers


def test_every_renewal_alert_is_a_near_unsecured_renewal_with_a_red_relationship(
    store: GraphStore, payloads: dict[str, dict[str, object]]
) -> None:
    raised = 0
    for aid, payload in payloads.items():
        sub = store.account_subgraph(aid, DAY)
        health = payload["health"]
        assert isinstance(health, dict)
        in_force = [k for k in sub.contracts if k.start <= DAY <= k.end]
        expected = False
        if in_force:
            current = max(in_force, key=lambda k: (k.end, k.id))
            later = any(k.end > current.end for k in sub.contracts)
            won = any(
                o.renewal and o.close_date is not None and o.close_date <= DAY and o.status.value == "won"
                for o in sub.opportunities
            )
            expected = (
                (current.end - DAY).days <= 90
                and not later
                and not won
                and health["relationship_score"] < 60  # red, recomputed from the score
            )
        kinds = [a["kind"] for a in payload["alerts"]]  # type: ignore[attr-defined]
        assert ("renewal_at_risk" in kinds) == expected, aid
        raised += expected
    assert 3 <= raised <= 8  # a few, not most of the portfolio


def test_healthy_accounts_stay_green_with_their_business_signals(
    payloads: dict[str, dict[str, object]],
) -> None:
    guide = demo.archetypes("demo", 7)
    healthy = [payloads[a]["health"] for a in guide["healthy"]]
    greens = [h for h in healthy if isinstance(h, dict) and h["band"] == "green"]
    assert len(greens) >= len(healthy) * 0.6
