"""Fixtures of the API tests: the demo portfolio once per session, apps over it, HTTP clients."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.helpers import Portfolio, build_portfolio, copy_portfolio


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


@pytest.fixture(scope="module")
def api(portfolio: Portfolio) -> Iterator[Api]:
    """The app over the shared (read-only) portfolio."""
    yield from _client(portfolio.data_dir)


@pytest.fixture
def writable(portfolio: Portfolio, tmp_path: Path) -> Iterator[Api]:
    """The app over a private copy of the portfolio."""
    yield from _client(copy_portfolio(portfolio, tmp_path / "data").data_dir)
