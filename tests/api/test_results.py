"""Materialised results are used only while fresh; computed ones follow every write at once."""

from __future__ import annotations

from pathlib import Path

from graph.backends.sqlite.store import SqliteStore
from graph.services.refresh import refresh
from graph.store import GraphStore
from importers.demo import REFERENCE_DATE
from tests.api.conftest import Api
from tests.api.helpers import Portfolio

ACCOUNT = """query A($id: ID!) { account(id: $id) {
  revenueAtRisk health { score materialised } analysis { coverage { score } }
  relationshipMap { tieCount } } }"""


def _open(data_dir: Path) -> GraphStore:
    store = SqliteStore(data_dir)
    store.init()
    return store


def test_materialised_results_are_used_until_the_account_changes(writable: Api, portfolio: Portfolio) -> None:
    data_dir = writable.client.app.state.settings.data_dir  # type: ignore[attr-defined]
    account_id = sorted(portfolio.manager_accounts)[0]
    before = writable.data(ACCOUNT, variables={"id": account_id})["account"]
    assert before["health"]["materialised"] is False
    summary = refresh(lambda: _open(data_dir), REFERENCE_DATE)
    assert not summary.failed
    # the process already computed the same results for the same data version and keeps serving
    # them; a fresh process (no cache) reads the materialised ones
    state = writable.client.app.state  # type: ignore[attr-defined]
    state.summary_cache.clear()
    state.result_cache.clear()
    refreshed = writable.data(ACCOUNT, variables={"id": account_id})["account"]
    assert refreshed["health"]["materialised"] is True
    assert refreshed["health"]["score"] == before["health"]["score"]
    assert refreshed["revenueAtRisk"] == before["revenueAtRisk"]
    portfolio_view = writable.data("{ portfolio { materialised accounts(first: 3) { accountId } } }")
    assert portfolio_view["portfolio"]["accounts"]
    contact = portfolio.inside_contact
    staff = portfolio.manager_id
    write = f"""mutation {{ recordInteraction(input: {{id: "fresh-1", kind: EXEC_VISIT,
        at: "{REFERENCE_DATE.isoformat()}T09:00:00Z", participants: ["{staff}", "{contact}"],
        accounts: ["{account_id}"]}}) {{ __typename }} }}"""
    assert writable.data(write, token="admin") == {"recordInteraction": {"__typename": "WriteResult"}}
    after = writable.data(ACCOUNT, variables={"id": account_id})["account"]
    assert after["health"]["materialised"] is False, "a write makes the stored result stale"


def test_computed_map_follows_writes(writable: Api, portfolio: Portfolio) -> None:
    account_id = portfolio.other_account
    first = writable.data(ACCOUNT, variables={"id": account_id})["account"]["relationshipMap"]["tieCount"]
    again = writable.data(ACCOUNT, variables={"id": account_id})["account"]["relationshipMap"]["tieCount"]
    assert again == first
    cache = writable.client.app.state.result_cache  # type: ignore[attr-defined]
    assert cache.hits >= 1
    batch = f"""mutation {{ importBatch(batch: {{
        staff: [{{id: "zz-staff", name: "Zed"}}],
        contacts: [{{id: "zz-contact", name: "Zoe"}}],
        employments: [{{contactId: "zz-contact", accountId: "{account_id}", since: "2020-01-01"}}],
        interactions: [{{id: "zz-i", kind: MEETING, at: "{REFERENCE_DATE.isoformat()}T08:00:00Z",
                         participants: ["zz-staff", "zz-contact"], accounts: ["{account_id}"]}}] }}) {{
        __typename ... on WriteResult {{ created }} ... on InvalidInput {{ message }} }} }}"""
    assert writable.data(batch, token="admin")["importBatch"] == {"__typename": "WriteResult", "created": 4}
    after = writable.data(ACCOUNT, variables={"id": account_id})["account"]["relationshipMap"]["tieCount"]
    assert after == first + 1
