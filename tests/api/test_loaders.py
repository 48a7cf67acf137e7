"""No N+1: a page of 100 accounts with their teams, owners and health costs a constant number of
store calls. The store is the real embedded store behind a counting proxy (not a mock)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.model import Account
from graph.store import AnalysisResult, GraphBatch
from schema.analyses import HEALTH_RESULT
from tests.api.helpers import Portfolio, copy_portfolio


class CountingStore:
    """Forwards every call to the real store and counts them by method name."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.calls: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return attr(*args, **kwargs)

        return counted


@pytest.fixture
def counted(portfolio: Portfolio, tmp_path: Path) -> Iterator[tuple[TestClient, CountingStore]]:
    data = copy_portfolio(portfolio, tmp_path / "data")
    app = create_app(Settings(data_dir=data.data_dir, environment="production"))
    with TestClient(app) as client:
        store = app.state.store
        today = datetime.now(UTC).date()
        extra = [Account(f"zz-{i:03d}", f"Extra {i}", owner=portfolio.manager_id) for i in range(60)]
        store.write(GraphBatch(accounts=extra))
        ids = [a.id for a in store.list_accounts(first=1000).items]
        store.put_results(
            [AnalysisResult(HEALTH_RESULT, i, today, {"score": 70.0, "band": "yellow"}, 1) for i in ids]
        )
        proxy = CountingStore(store)
        app.state.store = proxy
        yield client, proxy


def test_page_of_100_accounts_costs_a_constant_number_of_store_calls(
    counted: tuple[TestClient, CountingStore],
) -> None:
    client, proxy = counted
    query = """{ accounts(first: 100) { edges { node {
        id name owner { id name } team { teamRole staff { id name } } health { score band materialised }
    } } } }"""
    response = client.post("/graphql", json={"query": query}, headers={"Authorization": "Bearer leadership"})
    body = response.json()
    assert "errors" not in body, body
    edges = body["data"]["accounts"]["edges"]
    assert len(edges) == 100
    assert all(e["node"]["health"]["materialised"] for e in edges)
    calls = dict(proxy.calls)
    assert calls.get("account_subgraph", 0) == 0
    assert sum(calls.values()) <= 6, calls
