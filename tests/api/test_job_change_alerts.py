# mypy: disable-error-code="arg-type"
# (the model parses enum fields from their string values; the tests use those strings)
"""Job-change alerts of the portfolio over HTTP: warm paths searched, any window of moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.auth import hash_token
from api.settings import Settings
from graph.backends.sqlite.store import SqliteStore
from graph.model import Account, Contact, Employment, Interaction, Staff, TeamMembership
from graph.store import ApiToken, GraphBatch
from tests.api.conftest import Api

TOKEN = "job-change-leadership-token"
QUERY = """
query Alerts($asOf: Date!, $since: Date) {
  portfolio(asOf: $asOf, jobChangesSince: $since) { materialised alerts { kind personId message evidence } }
}
"""


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    store = SqliteStore(tmp_path)
    store.init()
    meetings = [
        Interaction(f"m{m}", "meeting", datetime(2025, m, 3, tzinfo=UTC), participants=("rep", "champ"))
        for m in (3, 4, 5)
    ]
    store.write(
        GraphBatch(
            accounts=[Account("acme", "Acme", annual_revenue=1_000_000), Account("nova", "Nova")],
            contacts=[Contact("champ", "Cham Pion", stance="champion"), Contact("tech", "Tek")],
            staff=[Staff("rep", "Rita Rep")],
            employments=[
                Employment(
                    "champ",
                    "acme",
                    roles=frozenset({"champion"}),
                    since=date(2020, 1, 1),
                    until=date(2025, 5, 31),
                ),
                Employment("champ", "nova", since=date(2025, 6, 1)),
                # a move 211 days before the day asked about
                Employment(
                    "tech",
                    "acme",
                    roles=frozenset({"technical_buyer"}),
                    since=date(2020, 1, 1),
                    until=date(2024, 11, 30),
                ),
                Employment("tech", "nova", since=date(2024, 12, 1)),
            ],
            team_memberships=[TeamMembership("rep", "acme", "account_rep", since=date(2020, 1, 1))],
            interactions=meetings,
        )
    )
    store.put_token(ApiToken(hash_token(TOKEN), "test", "leadership", None, datetime.now(UTC)))
    store.close()
    with TestClient(create_app(Settings(data_dir=tmp_path, environment="production"))) as client:
        yield Api(client)


def _opportunities(api: Api, since: str | None = None) -> dict[str, Any]:
    data = api.data(QUERY, token=TOKEN, variables={"asOf": "2025-06-30", "since": since})["portfolio"]
    assert data["materialised"] is False  # nothing was refreshed: the view is computed on the spot
    return {a["personId"]: a for a in data["alerts"] if a["kind"] == "JOB_CHANGE_OPPORTUNITY"}


def test_the_warm_path_search_runs_without_a_stored_view(api: Api) -> None:
    found = _opportunities(api)
    assert set(found) == {"champ"}  # the default window is the 90 days before asOf
    alert = found["champ"]
    assert alert["evidence"]["warm_paths_searched"] is True
    assert [hop for hop in alert["evidence"]["warm_paths"][0]["people"]] == ["rep", "champ"]
    assert "best warm path rep -> champ" in alert["message"]


def test_moves_of_any_age_inside_the_requested_window_are_alerted(api: Api) -> None:
    assert set(_opportunities(api, since="2024-11-30")) == {"champ", "tech"}
    assert set(_opportunities(api, since="2024-12-01")) == {"champ"}  # tech started on that day
    body = api.gql(QUERY, token=TOKEN, variables={"asOf": "2025-06-30", "since": "2025-07-01"})
    assert body["errors"][0]["message"] == "jobChangesSince 2025-07-01 is after asOf 2025-06-30"
