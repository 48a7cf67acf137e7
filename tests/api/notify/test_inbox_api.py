"""The alert inbox over HTTP (a real uvicorn): ``alertInbox`` scoped by role, and the acknowledge,
snooze and resolve mutations with their union results; the lifespan's watcher fills the inbox."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.notify.watch import open_inbox, sync_store
from api.settings import Settings
from graph.backends.sqlite.store import SqliteStore
from tests.api.helpers import Portfolio, copy_portfolio, live_uvicorn

INBOX = """
query Inbox($status: [AlertStatus!], $first: Int!, $after: String) {
  alertInbox(status: $status, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { key status ownerId ownerName accountName ageDays changedBy snoozedUntil
            alert { kind severity accountId message } history { actor action status } }
  }
}"""
RESULT = """
  __typename
  ... on AlertState { key status changedBy snoozedUntil resolvedBy note }
  ... on NotFound { message kind id }
  ... on Forbidden { message requiredRole }
  ... on InvalidInput { message field }
"""
ACK = f"mutation Ack($key: ID!) {{ acknowledgeAlert(key: $key) {{ {RESULT} }} }}"
SNOOZE = (
    f"mutation Snooze($key: ID!, $until: Date!) {{ snoozeAlert(key: $key, until: $until) {{ {RESULT} }} }}"
)
RESOLVE = (
    f"mutation Resolve($key: ID!, $note: String) {{ resolveAlert(key: $key, note: $note) {{ {RESULT} }} }}"
)


class Client:
    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=30, trust_env=False)

    def gql(self, query: str, token: str | None, **variables: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    def data(self, query: str, token: str | None, **variables: Any) -> Any:
        body = self.gql(query, token, **variables)
        assert "errors" not in body, body
        return body["data"]

    def inbox(self, token: str, status: list[str] | None = None) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = []
        after = None
        while True:
            page = self.data(INBOX, token, status=status, first=100, after=after)["alertInbox"]
            nodes += page["nodes"]
            if not page["pageInfo"]["hasNextPage"]:
                return nodes
            after = page["pageInfo"]["endCursor"]


@pytest.fixture(scope="module")
def served(
    portfolio: Portfolio, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Client, Portfolio]]:
    data = copy_portfolio(portfolio, tmp_path_factory.mktemp("inbox-api") / "data")
    store = SqliteStore(data.data_dir)
    try:
        with open_inbox(Settings(data_dir=data.data_dir)) as inbox:
            sync_store(inbox, store, now=datetime.now(UTC) - timedelta(days=1))
    finally:
        store.close()
    env = {**os.environ, "KAMGRAPH_DATA_DIR": str(data.data_dir), "KAMGRAPH_ENVIRONMENT": "production"}
    env.pop("NEO4J_URI", None)
    with live_uvicorn(env) as (port, _pid):
        client = Client(f"http://127.0.0.1:{port}")
        yield client, data
        client.http.close()


def test_leadership_sees_every_open_alert_and_a_manager_only_theirs(served: tuple[Client, Portfolio]) -> None:
    client, data = served
    everything = client.inbox("leadership")
    mine = client.inbox("manager")
    assert everything and mine
    assert {n["alert"]["accountId"] for n in mine} <= data.manager_accounts
    assert len(mine) < len(everything)
    assert {n["alert"]["accountId"] for n in everything} - data.manager_accounts  # others exist
    first = everything[0]
    assert first["status"] == "NEW" and first["ownerId"] and first["ageDays"] == 1
    assert first["history"] == [{"actor": "refresh", "action": "raised", "status": "NEW"}]
    page = client.data(INBOX, "leadership", first=2)["alertInbox"]
    assert len(page["nodes"]) == 2 and page["pageInfo"]["hasNextPage"]
    assert page["totalCount"] == len(everything)
    following = client.data(INBOX, "leadership", first=2, after=page["pageInfo"]["endCursor"])["alertInbox"]
    assert [n["key"] for n in following["nodes"]] == [n["key"] for n in everything[2:4]]
    anonymous = client.gql(INBOX, None, first=5)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_manager_acts_on_their_own_accounts_alerts_only(served: tuple[Client, Portfolio]) -> None:
    client, data = served
    mine = client.inbox("manager")[0]
    acked = client.data(ACK, "manager", key=mine["key"])["acknowledgeAlert"]
    assert (acked["__typename"], acked["status"], acked["changedBy"]) == (
        "AlertState",
        "ACKNOWLEDGED",
        data.manager_id,
    )
    again = client.data(ACK, "manager", key=mine["key"])["acknowledgeAlert"]
    assert again["__typename"] == "InvalidInput" and "acknowledged" in again["message"]

    foreign = next(
        n for n in client.inbox("leadership") if n["alert"]["accountId"] not in data.manager_accounts
    )
    refused = client.data(ACK, "manager", key=foreign["key"])["acknowledgeAlert"]
    assert refused["__typename"] == "NotFound"
    still = next(n for n in client.inbox("leadership") if n["key"] == foreign["key"])
    assert still["status"] == "NEW"
    unknown = client.data(ACK, "manager", key="0" * 20)["acknowledgeAlert"]
    assert unknown == {
        "__typename": "NotFound",
        "message": unknown["message"],
        "kind": "alert",
        "id": "0" * 20,
    }


def test_leadership_reads_but_cannot_change_and_admins_can(served: tuple[Client, Portfolio]) -> None:
    client, _ = served
    target = next(n for n in client.inbox("leadership") if n["status"] == "NEW")
    denied = client.data(ACK, "leadership", key=target["key"])["acknowledgeAlert"]
    assert denied["__typename"] == "Forbidden"
    assert next(n for n in client.inbox("leadership") if n["key"] == target["key"])["status"] == "NEW"
    done = client.data(ACK, "admin", key=target["key"])["acknowledgeAlert"]
    assert (done["__typename"], done["status"], done["changedBy"]) == ("AlertState", "ACKNOWLEDGED", "admin")


def test_snooze_and_resolve_with_invalid_input(served: tuple[Client, Portfolio]) -> None:
    client, _ = served
    target = next(n for n in client.inbox("manager") if n["status"] == "NEW")
    today = datetime.now(UTC).date()
    past = client.data(SNOOZE, "manager", key=target["key"], until=(today - timedelta(days=1)).isoformat())
    assert past["snoozeAlert"]["__typename"] == "InvalidInput"
    assert past["snoozeAlert"]["field"] == "until"
    until = (today + timedelta(days=3)).isoformat()
    snoozed = client.data(SNOOZE, "manager", key=target["key"], until=until)["snoozeAlert"]
    assert (snoozed["status"], snoozed["snoozedUntil"]) == ("SNOOZED", until)
    resolved = client.data(RESOLVE, "manager", key=target["key"], note="  called them  ")["resolveAlert"]
    assert (resolved["status"], resolved["note"]) == ("RESOLVED", "called them")
    twice = client.data(RESOLVE, "manager", key=target["key"])["resolveAlert"]
    assert twice["__typename"] == "InvalidInput" and "resolved" in twice["message"]
    assert target["key"] not in {n["key"] for n in client.inbox("manager")}  # no longer open
    assert target["key"] in {n["key"] for n in client.inbox("manager", ["RESOLVED"])}


def test_the_lifespan_watcher_fills_the_inbox(portfolio: Portfolio, tmp_path: Path) -> None:
    data = copy_portfolio(portfolio, tmp_path / "data")
    app = create_app(Settings(data_dir=data.data_dir, alert_interval_seconds=30))
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        watcher = app.state.watcher
        while watcher.ticks == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert watcher.ticks == 1 and watcher.failures == 0
        body = client.post(
            "/graphql",
            json={"query": INBOX, "variables": {"first": 1}},
            headers={"Authorization": "Bearer admin"},
        ).json()
        assert body["data"]["alertInbox"]["totalCount"] == watcher.last.sync.raised > 0
    with open_inbox(Settings(data_dir=data.data_dir)) as inbox:
        assert len(inbox.alerts()) == watcher.last.sync.raised
