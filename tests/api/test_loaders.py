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
from graph.backends.sqlite.store import SqliteStore
from graph.model import Account
from graph.services.refresh import refresh
from graph.store import GraphBatch, GraphStore
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


def _open(data_dir: Path) -> GraphStore:
    store = SqliteStore(data_dir)
    store.init()
    return store


@pytest.fixture(params=[0.0], ids=["no-lookup-cache"])
def counted(
    portfolio: Portfolio, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[TestClient, CountingStore]]:
    data = copy_portfolio(portfolio, tmp_path / "data")
    settings = Settings(data_dir=data.data_dir, environment="production", lookup_cache_seconds=request.param)
    app = create_app(settings)
    with TestClient(app) as client:
        store = app.state.store
        today = store.reference_date() or datetime.now(UTC).date()  # the API's default day
        extra = [Account(f"zz-{i:03d}", f"Extra {i}", owner=portfolio.manager_id) for i in range(60)]
        store.write(GraphBatch(accounts=extra))
        summary = refresh(lambda: _open(data.data_dir), today, detail=False)
        assert not summary.failed
        proxy = CountingStore(store)
        app.state.store = proxy
        yield client, proxy


QUERY = """query Page($first: Int!) { accounts(first: $first) { edges { node {
    id name owner { id name } team { teamRole staff { id name } }
    health { score band materialised } revenueAtRisk alerts { kind severity }
} } } }"""


def _calls(client: TestClient, proxy: CountingStore, first: int) -> dict[str, int]:
    proxy.calls.clear()
    response = client.post(
        "/graphql",
        json={"query": QUERY, "variables": {"first": first}},
        headers={"Authorization": "Bearer leadership"},
    )
    body = response.json()
    assert "errors" not in body, body
    edges = body["data"]["accounts"]["edges"]
    assert len(edges) == first
    assert all(e["node"]["health"]["materialised"] for e in edges)
    assert any(e["node"]["team"] for e in edges)
    return dict(proxy.calls)


def test_page_of_100_accounts_costs_a_constant_number_of_store_calls(
    counted: tuple[TestClient, CountingStore],
) -> None:
    client, proxy = counted
    small = _calls(client, proxy, 10)
    large = _calls(client, proxy, 100)
    assert large == small, (small, large)
    assert large["get_token"] == 1 and large["reference_date"] == 1  # no reuse with 0 seconds
    assert "account_subgraph" not in large
    assert sum(large.values()) <= 9, large  # one of them reads the data's reference date


@pytest.mark.parametrize("counted", [3600.0], ids=["lookup-cache"], indirect=True)
def test_a_process_reuses_its_token_lookup_and_reference_date(
    counted: tuple[TestClient, CountingStore],
) -> None:
    client, proxy = counted
    first = _calls(client, proxy, 10)
    again = _calls(client, proxy, 10)
    assert first["get_token"] == 1 and first["reference_date"] == 1
    assert "get_token" not in again and "reference_date" not in again  # read once in an hour
