"""Business signals over HTTP: ``Account.businessSignals``, the blended ``health`` with its
missing signals, and the renewal alert, each against the stored records read directly."""

from __future__ import annotations

from typing import Any

from graph.backends.sqlite.store import SqliteStore
from importers import demo
from tests.api.conftest import Api
from tests.api.helpers import Portfolio

QUERY = """
query ($id: ID!) {
  account(id: $id) {
    id
    health { score band relationshipScore relationshipBand missing { name reason } components { name score weight } }
    alerts { kind severity evidence }
    businessSignals {
      surveyResponses { id kind score at contactId }
      usage { period activeUsers licensedUsers adoption }
      supportCases { id opened closed severity complaint firstResponseHours }
      contracts { id start end value inForce }
      opportunities { id name amount status renewal contactIds }
    }
  }
}
"""


def _account(api: Api, account_id: str, token: str = "leadership") -> dict[str, Any]:
    data: dict[str, Any] = api.data(QUERY, token, {"id": account_id})["account"]
    return data


def test_business_signals_are_the_stored_records_of_the_day(api: Api, portfolio: Portfolio) -> None:
    going_cold = demo.archetypes("demo", 7)["going_cold"][1]
    account = _account(api, going_cold)
    store = SqliteStore(portfolio.data_dir)
    try:
        sub = store.account_subgraph(going_cold, demo.REFERENCE_DATE)
    finally:
        store.close()
    signals = account["businessSignals"]
    assert sorted(r["id"] for r in signals["surveyResponses"]) == sorted(r.id for r in sub.survey_responses)
    assert {r["id"]: r["score"] for r in signals["surveyResponses"]} == {
        r.id: int(r.score) for r in sub.survey_responses
    }
    assert [c["id"] for c in signals["contracts"]] == [
        k.id for k in sorted(sub.contracts, key=lambda k: (k.end, k.id), reverse=True)
    ]
    in_force = [c["id"] for c in signals["contracts"] if c["inForce"]]
    assert in_force == [k.id for k in sub.contracts if k.start <= demo.REFERENCE_DATE <= k.end]
    open_cases = [c["id"] for c in signals["supportCases"] if c["closed"] is None]
    assert open_cases == [
        c.id
        for c in sorted(sub.support_cases, key=lambda c: (c.opened, c.id), reverse=True)
        if c.closed is None or c.closed > demo.REFERENCE_DATE
    ]
    assert any(c["complaint"] and c["severity"] == "CRITICAL" for c in signals["supportCases"])
    latest = signals["usage"][0]
    assert latest["adoption"] == round(latest["activeUsers"] / latest["licensedUsers"], 3)
    # health carries the business components, and the renewal is at risk with a red relationship
    names = {c["name"] for c in account["health"]["components"]}
    assert {"satisfaction", "renewal", "usage", "service"} <= names
    assert account["health"]["missing"] == []
    assert account["health"]["relationshipBand"] == "RED"
    renewal = [a for a in account["alerts"] if a["kind"] == "RENEWAL_AT_RISK"]
    assert len(renewal) == 1 and renewal[0]["severity"] == "SEVERE"
    assert (
        renewal[0]["evidence"]["days_left"] == (max(k.end for k in sub.contracts) - demo.REFERENCE_DATE).days
    )


def test_a_prospect_shows_its_business_signals_missing_with_reasons(api: Api) -> None:
    prospect = demo.archetypes("demo", 7)["prospects"][0]
    health = _account(api, prospect)["health"]
    assert {m["name"]: m["reason"] for m in health["missing"]} == {
        "satisfaction": "no survey response in the last 365 days",
        "renewal": "no contract data",
        "usage": "no usage data",
        "service": "no support data",
    }
    assert health["score"] == health["relationshipScore"]
    assert {c["name"] for c in health["components"]} == {
        "coverage",
        "threads",
        "exec_engagement",
        "stance",
        "trend",
    }


def test_an_account_manager_reads_the_signals_of_their_accounts_only(api: Api, portfolio: Portfolio) -> None:
    mine = sorted(portfolio.manager_accounts)[0]
    assert _account(api, mine, "manager")["businessSignals"]["contracts"]
    assert api.data(QUERY, "manager", {"id": portfolio.other_account}) == {"account": None}
