"""Fixtures of the API tests: the demo portfolio once per session, apps over it, HTTP clients.

The read-only ``api`` runs on both backends: on Neo4j (when the tests have a server) over a copy
of the same portfolio, with the same tokens, so the same queries must give the same answers.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.backends.sqlite.store import SqliteStore
from tests.api.helpers import Portfolio, build_portfolio, copy_portfolio, put_tokens
from tests.conftest import BACKENDS, copy_records, make_store, require_neo4j


@pytest.fixture(scope="session")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    """The demo portfolio (50 accounts) with tokens, generated once per session. Read only."""
    return build_portfolio(tmp_path_factory.mktemp("portfolio") / "data")


class Api:
    """A TestClient with GraphQL helpers."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def gql(
        self, query: str, token: str | None = "leadership", variables: dict[str, Any] | None = None
    ) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    def data(
        self, query: str, token: str | None = "leadership", variables: dict[str, Any] | None = None
    ) -> Any:
        body = self.gql(query, token, variables)
        assert "errors" not in body, body
        return body["data"]


def _client(data_dir: Path, **settings: Any) -> Iterator[Api]:
    app = create_app(
        Settings(data_dir=data_dir, environment=settings.pop("environment", "production"), **settings)
    )
    with TestClient(app) as client:
        yield Api(client)


@pytest.fixture(scope="module", params=BACKENDS)
def api(
    request: pytest.FixtureRequest, portfolio: Portfolio, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """The app over the shared (read-only) portfolio, on each backend."""
    settings = {} if request.param == "sqlite" else _neo4j_copy(portfolio, tmp_path_factory.mktemp("neo4j"))
    for app in _client(portfolio.data_dir, **settings):
        ready = app.client.get("/readyz").json()
        assert ready == {"status": "ready", "store": request.param}, ready
        yield app


def _neo4j_copy(portfolio: Portfolio, tmp_path: Path) -> dict[str, Any]:
    """Wipe the test Neo4j, copy the portfolio and its tokens into it; the app's settings."""
    config = require_neo4j()
    target = make_store("neo4j", tmp_path)
    source = SqliteStore(portfolio.data_dir)
    try:
        copy_records(source, target)
        put_tokens(target, portfolio.manager_id)
    finally:
        source.close()
        target.close()
    return {
        "neo4j_uri": config.uri,
        "neo4j_user": config.user,
        "neo4j_password": config.password,
        "neo4j_database": config.database,
    }


@pytest.fixture
def writable(portfolio: Portfolio, tmp_path: Path) -> Iterator[Api]:
    """The app over a private copy of the portfolio."""
    yield from _client(copy_portfolio(portfolio, tmp_path / "data").data_dir)
