"""The day the API analyses: the store's reference date when it has one, else today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import hash_token
from api.settings import Settings
from graph.backends.sqlite.store import SqliteStore
from graph.model import Account
from graph.store import ApiToken, GraphBatch
from tests.api.conftest import Api

TOKEN = "reference-date-leadership-token"
QUERY = '{ referenceDate portfolio { asOf } account(id: "acme") { asOf } }'


def _api(data_dir: Path, reference: date | None) -> Iterator[Api]:
    store = SqliteStore(data_dir)
    store.init()
    store.write(GraphBatch(accounts=[Account("acme", "Acme")]))
    store.set_reference_date(reference)
    store.put_token(ApiToken(hash_token(TOKEN), "test", "leadership", None, datetime.now(UTC)))
    store.close()
    with TestClient(create_app(Settings(data_dir=data_dir, environment="production"))) as client:
        yield Api(client)


@pytest.fixture
def pinned(tmp_path: Path) -> Iterator[Api]:
    yield from _api(tmp_path, date(2026, 11, 1))


@pytest.fixture
def unpinned(tmp_path: Path) -> Iterator[Api]:
    yield from _api(tmp_path, None)


def test_a_stored_reference_date_is_the_default_as_of_everywhere(pinned: Api) -> None:
    data = pinned.data(QUERY, token=TOKEN)
    assert data["referenceDate"] == "2026-11-01"
    assert data["portfolio"]["asOf"] == data["account"]["asOf"] == "2026-11-01"
    # an explicit asOf still wins
    assert (
        pinned.data('{ account(id: "acme", asOf: "2025-01-02") { asOf } }', token=TOKEN)["account"]["asOf"]
        == "2025-01-02"
    )


def test_without_one_the_api_analyses_today(unpinned: Api) -> None:
    before = datetime.now(UTC).date().isoformat()
    data = unpinned.data(QUERY, token=TOKEN)
    after = datetime.now(UTC).date().isoformat()
    assert data["referenceDate"] in {before, after}
    assert data["portfolio"]["asOf"] == data["referenceDate"]
