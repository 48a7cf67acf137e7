"""The API under abuse, over HTTP: out-of-range days and misshapen cursors are invalid input,
oversized bodies are refused before they are read whole, anonymous callers get no introspection
in production, and after a bounded abuse run the server's memory is back near its baseline.

Every request loop here is bounded in count and goes to a server of this test on 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import Api, _client
from tests.api.helpers import Portfolio, live_uvicorn

LEADERSHIP = {"Authorization": "Bearer leadership"}


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors = body.get("errors")
    assert errors, body
    return list(errors)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_out_of_range_days_are_invalid_input(api: Api, portfolio: Portfolio, day: str) -> None:
    account = portfolio.other_account
    for query in (
        f'{{ account(id: "{account}", asOf: "{day}") {{ id health {{ score }} }} }}',
        f'{{ accounts(first: 5, orderBy: HEALTH, asOf: "{day}") {{ totalCount }} }}',
        f'{{ portfolio(asOf: "{day}") {{ accounts {{ accountId }} }} }}',
        f'{{ referralNetwork(asOf: "{day}") {{ __typename }} }}',
        f'{{ warmPaths(toPersonId: "{portfolio.inside_contact}", asOf: "{day}") {{ strength }} }}',
    ):
        errors = _errors(api.gql(query))
        assert len(errors) == 1, errors
        assert errors[0]["message"] == (
            f"asOf: {day} is outside the supported range 1900-01-01 to 2199-12-31"
        )
        assert errors[0]["extensions"] == {"code": "INVALID_INPUT", "field": "asOf"}
    typed = api.data(
        f'{{ whatIf(accountId: "{account}", remove: ["{portfolio.outside_contact}"], asOf: "{day}") '
        "{ __typename ... on InvalidInput { message field } } }"
    )
    assert typed["whatIf"] == {
        "__typename": "InvalidInput",
        "message": f"asOf: {day} is outside the supported range 1900-01-01 to 2199-12-31",
        "field": "asOf",
    }


def test_days_inside_the_range_are_answered(api: Api, portfolio: Portfolio) -> None:
    for day in ("1900-01-01", "2199-12-31"):
        data = api.data(
            f'{{ account(id: "{portfolio.other_account}", asOf: "{day}") {{ id health {{ score }} }} }}'
        )
        assert data["account"]["id"] == portfolio.other_account


def test_out_of_range_moment_inside_an_input_is_invalid_input(writable: Api) -> None:
    data = writable.data(
        'mutation { recordInteraction(input: {id: "x1", kind: CALL, at: "0001-01-01T00:00:00Z"}) '
        "{ __typename ... on InvalidInput { message field } } }",
        token="admin",
    )
    assert data["recordInteraction"] == {
        "__typename": "InvalidInput",
        "message": "input.at: 0001-01-01 is outside the supported range 1900-01-01 to 2199-12-31",
        "field": "input.at",
    }


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("order", "key"),
    [
        ("NAME", ["name", {"x": 1}]),
        ("NAME", ["name", ["acme"]]),
        ("NAME", ["name", [1, "acme"]]),
        ("HEALTH", ["health", ["a", "b"]]),
        ("HEALTH", ["health", [True, "b"]]),
        ("REVENUE", ["revenue", [1.0, 2.0]]),
        ("REVENUE_AT_RISK", ["revenue_at_risk", [1.0, "a", "b"]]),
        ("ID", ["id", None]),
        ("ID", ["id"]),
        ("ID", {"id": ["a", "a"]}),
        ("NAME", "name"),
    ],
)
def test_well_formed_cursor_of_the_wrong_shape_is_invalid_input(api: Api, order: str, key: Any) -> None:
    query = f'{{ accounts(orderBy: {order}, after: "{_cursor(key)}") {{ totalCount }} }}'
    errors = _errors(api.gql(query))
    assert errors[0]["message"] == f"after: not a cursor of this connection (ordered by {order.lower()})"
    assert errors[0]["extensions"] == {"code": "INVALID_INPUT", "field": "after"}


def test_a_cursor_of_the_right_shape_still_pages(api: Api) -> None:
    first = api.data("{ accounts(first: 2, orderBy: NAME) { edges { node { id } } pageInfo { endCursor } } }")
    after = first["accounts"]["pageInfo"]["endCursor"]
    second = api.data(
        f'{{ accounts(first: 2, orderBy: NAME, after: "{after}") {{ edges {{ node {{ id }} }} }} }}'
    )
    firsts = [e["node"]["id"] for e in first["accounts"]["edges"]]
    seconds = [e["node"]["id"] for e in second["accounts"]["edges"]]
    assert len(seconds) == 2 and not set(firsts) & set(seconds)


INTROSPECTION = "{ __schema { queryType { name } types { name fields { name } } } }"


def test_anonymous_callers_get_no_introspection_in_production(api: Api) -> None:
    for query in (INTROSPECTION, '{ __type(name: "Account") { name } }'):
        response = api.client.post("/graphql", json={"query": query})
        assert response.status_code == 200
        body = response.json()
        assert "data" not in body
        assert body["errors"] == [
            {
                "message": "introspection needs a valid token: send 'Authorization: Bearer <token>'",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
        strict = api.client.post(
            "/graphql", json={"query": query}, headers={"accept": "application/graphql-response+json"}
        )
        assert strict.status_code == 400
    assert api.gql("{ __typename }", token=None) == {"data": {"__typename": "Query"}}
    authenticated = api.data(INTROSPECTION)["__schema"]
    assert authenticated["queryType"] == {"name": "Query"}
    assert "Account" in {t["name"] for t in authenticated["types"]}


def test_development_mode_keeps_anonymous_introspection(portfolio: Portfolio) -> None:
    for dev in _client(portfolio.data_dir, environment="development"):
        body = dev.gql(INTROSPECTION, token=None)
        assert body["data"]["__schema"]["queryType"] == {"name": "Query"}


# -- a live server -----------------------------------------------------------------------------


@pytest.fixture
def server(portfolio: Portfolio) -> Iterator[tuple[int, int]]:
    """uvicorn (httptools, uvloop) over the portfolio: ``(port, pid)``."""
    env = {**os.environ, "KAMGRAPH_DATA_DIR": str(portfolio.data_dir), "KAMGRAPH_ENVIRONMENT": "production"}
    with live_uvicorn(env, ["--http", "httptools", "--loop", "uvloop"]) as served:
        yield served


def _status_of(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


def test_declared_oversized_body_is_refused_before_it_is_sent(server: tuple[int, int]) -> None:
    port, _ = server
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 20000000\r\n\r\n{"
        )
        # Only one byte of the 20 MB was sent: the answer comes before the body.
        assert _status_of(sock) == 413


def test_chunked_oversized_body_is_refused_while_it_streams(server: tuple[int, int]) -> None:
    port, _ = server
    chunk = b"x" * 65536
    sent = 0
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        for _ in range(20):  # 1.25 MiB of a body that never ends: over the 1 MB limit
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        assert sent < 2_000_000
        assert _status_of(sock) == 413


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's RSS from /proc")
def test_memory_returns_near_its_baseline_after_an_abuse_run(
    server: tuple[int, int], portfolio: Portfolio
) -> None:
    port, pid = server
    url = f"http://127.0.0.1:{port}/graphql"
    account = sorted(portfolio.manager_accounts)[0]
    normal = (
        "query M($id: ID!) { account(id: $id) { id relationshipMap { ties contacts } health { score } } }"
    )
    with httpx.Client(timeout=120, headers=LEADERSHIP) as client:

        def post(query: str) -> httpx.Response:
            return client.post(url, json={"query": query})

        for _ in range(3):  # the normal work, so the steady caches are in the baseline
            assert client.post(url, json={"query": normal, "variables": {"id": account}}).status_code == 200
            assert (
                post("{ accounts(first: 50) { edges { node { id health { score } } } } }").status_code == 200
            )
        baseline = _rss_mib(pid)
        for i in range(60):
            deep = (
                f'{{ account(id: "{account}") {{ '
                + "contacts { employments { account { " * 15
                + "id"
                + " } } }" * 15
                + f" }} }} # {i}"
            )
            assert "exceeds maximum operation depth" in post(deep).text
            aliases = "{ " + " ".join(f"a{i}x{j}: __typename" for j in range(600)) + " }"
            assert "aliases" in post(aliases).text
            padded = "{ __typename } # " + str(i) + "x" * 990_000  # few tokens, nearly 1 MB of text
            assert post(padded).json() == {"data": {"__typename": "Query"}}
            if i % 10 == 0:
                refused = client.post(
                    url, content=b"x" * 20_000_000, headers={"content-type": "application/json"}
                )
                assert refused.status_code == 413
            batch = client.post(url, json=[{"query": "{ __typename }"}] * 100)
            assert batch.status_code == 400
        after = _rss_mib(pid)
    # 60 distinct ~1 MB documents and 60 floods of 600 aliases, each kept by the document caches,
    # came to ~100 MiB; bounded caches keep none of them.
    assert after - baseline < 32, (baseline, after)
