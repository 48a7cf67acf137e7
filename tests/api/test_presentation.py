"""Over HTTP: every number in its documented precision, every vocabulary in enum casing, counts as
integers, and the RFM parts and tier evaluation recomputed from their inputs by the textbook
formulas (min-max scaling, quintiles), independently of the analysis code."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from graph.analysis.portfolio import account_payload
from graph.backends.sqlite.store import SqliteStore
from tests.api.conftest import Api
from tests.api.helpers import Portfolio

ROWS = """{ portfolio { totals { accounts annualRevenue revenueAtRisk red yellow green singleThreaded }
  accounts(first: 100) { accountId tier annualRevenue revenueAtRisk coverageScore threads healthScore healthBand
    uncoveredRoles quadrant concentration rfmScore suggestedTier
    rfm { recency frequency monetary industryWeight score daysSinceLast interactions weights }
    tierEvaluation { currentValue futurePotential strategicFit relationshipCost score suggestedTier currentTier
      defaultsUsed computed }
    account { industry potentialRevenue strategicFit relationshipCost } }
  gaps(first: 100) { kind name role level detail }
  alerts(first: 100) { kind severity } } }"""

SCALAR_DECIMALS = {"Strength": 3, "Ratio": 3, "Score": 1, "Money": 2, "Days": 1}
INDUSTRY = {"manufacturing": 1.2, "retail": 0.8}
RFM_WEIGHTS = {"recency": 0.3, "frequency": 0.2, "monetary": 0.5}


@pytest.fixture(scope="module")
def rows(api: Api) -> dict[str, Any]:
    data: dict[str, Any] = api.data(ROWS)["portfolio"]
    return data


def _enum(api: Api, name: str) -> set[str]:
    data = api.data(f'{{ __type(name: "{name}") {{ enumValues {{ name }} }} }}')
    return {v["name"] for v in data["__type"]["enumValues"]}


def _has_decimals(value: float, decimals: int) -> bool:
    return round(value, decimals) == value


def _named(t: dict[str, Any]) -> str:
    while t.get("ofType"):
        t = t["ofType"]
    return str(t["name"])


def test_no_output_field_is_a_bare_float_and_the_precision_scalars_are_documented(api: Api) -> None:
    types = api.data(
        """{ __schema { types { name kind description
             fields { name type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } }"""
    )["__schema"]["types"]
    bare = [
        f"{t['name']}.{f['name']}"
        for t in types
        if t["kind"] in ("OBJECT", "INTERFACE") and not t["name"].startswith("__")
        for f in t["fields"] or ()
        if _named(f["type"]) == "Float"
    ]
    assert bare == []
    scalars = {t["name"]: t["description"] for t in types if t["kind"] == "SCALAR"}
    for name, decimals in SCALAR_DECIMALS.items():
        assert f"{decimals} decimal" in scalars[name], name


def test_values_are_the_analysis_values_rounded_once(
    api: Api, portfolio: Portfolio, rows: dict[str, Any]
) -> None:
    """The API's health, coverage and revenue at risk equal the analysis' own numbers, rounded
    to 1 decimal (scores) and 2 (money); ties to 3."""
    store = SqliteStore(portfolio.data_dir)
    today = store.reference_date() or datetime.now(UTC).date()  # the day the API analyses
    try:
        for row in rows["accounts"][:6]:
            payload = account_payload(store.account_subgraph(row["accountId"], today), detail=False)
            summary = payload["summary"]
            assert row["healthScore"] == round(summary["health_score"], 1)
            assert row["coverageScore"] == round(summary["coverage_score"], 1)
            assert row["revenueAtRisk"] == round(summary["revenue_at_risk"], 2)
    finally:
        store.close()
    for row in rows["accounts"]:
        assert _has_decimals(row["healthScore"], 1) and _has_decimals(row["coverageScore"], 1)
        assert _has_decimals(row["revenueAtRisk"], 2) and _has_decimals(row["concentration"], 3)
        for part in ("recency", "frequency", "monetary", "score"):
            assert _has_decimals(row["rfm"][part], 1), part
    account = rows["accounts"][0]["accountId"]
    analysis = api.data(
        """query A($id: ID!) { account(id: $id) { analysis {
             coverage { score roles { strength weight path { strength links { strength } } } }
             ties(first: 100) { strength raw usualGapDays evidence { weight decay contribution } } } } }""",
        variables={"id": account},
    )["account"]["analysis"]
    for role in analysis["coverage"]["roles"]:
        assert _has_decimals(role["strength"], 3)
        for link in (role["path"] or {}).get("links", ()):
            assert _has_decimals(link["strength"], 3)
    for tie in analysis["ties"]:
        assert _has_decimals(tie["strength"], 3) and _has_decimals(tie["raw"], 3)
        assert tie["usualGapDays"] is None or _has_decimals(tie["usualGapDays"], 1)
        for e in tie["evidence"]:
            assert _has_decimals(e["contribution"], 3) and (
                e["decay"] is None or _has_decimals(e["decay"], 3)
            )


def test_every_vocabulary_is_in_enum_casing(api: Api, rows: dict[str, Any]) -> None:
    roles, levels, stances, tiers = (_enum(api, n) for n in ("Role", "Level", "Stance", "Tier"))
    assert roles >= {"USER_BUYER", "ECONOMIC_BUYER"}
    for row in rows["accounts"]:
        assert set(row["uncoveredRoles"]) <= roles
        assert row["tier"] in tiers and row["suggestedTier"] in tiers
        assert row["healthBand"] in _enum(api, "HealthBand") and row["quadrant"] in _enum(api, "Quadrant")
    for gap in rows["gaps"]:
        assert gap["kind"] in ("ROLE", "LEVEL")
        assert gap["name"] == (gap["role"] if gap["kind"] == "ROLE" else gap["level"])
    for alert in rows["alerts"]:
        assert alert["kind"] == alert["kind"].upper() and alert["severity"] in _enum(api, "Severity")
    account = next(r["accountId"] for r in rows["accounts"] if r["threads"] >= 2)
    m = api.data(
        """query M($id: ID!) { account(id: $id) { relationshipMap {
             requiredRoles contacts former orgLines influenceLines tieColumns ties } } }""",
        variables={"id": account},
    )["account"]["relationshipMap"]
    assert set(m["requiredRoles"]) <= roles
    for c in m["contacts"] + m["former"]:
        assert set(c["roles"]) <= roles
        assert c["level"] is None or c["level"] in levels
        assert c["stance"] in stances
    assert {line["kind"] for line in m["orgLines"]} <= {"REPORTS_TO"}
    assert {line["kind"] for line in m["influenceLines"]} <= {"INFLUENCES"}
    kind, band = m["tieColumns"].index("kind"), m["tieColumns"].index("band")
    assert {t[kind] for t in m["ties"]} <= _enum(api, "TieKind")
    assert {t[band] for t in m["ties"]} <= _enum(api, "TieBand")


def test_portfolio_totals_are_integer_counts_of_the_rows(rows: dict[str, Any], portfolio: Portfolio) -> None:
    totals, accounts = rows["totals"], rows["accounts"]
    counts = ("accounts", "red", "yellow", "green", "singleThreaded")
    assert all(type(totals[k]) is int for k in counts), totals
    assert totals["accounts"] == len(portfolio.all_accounts) == len(accounts)
    for band in ("red", "yellow", "green"):
        assert totals[band] == sum(1 for a in accounts if a["healthBand"] == band.upper())
    assert totals["singleThreaded"] == sum(1 for a in accounts if a["threads"] <= 1)
    assert totals["annualRevenue"] == pytest.approx(sum(a["annualRevenue"] for a in accounts), abs=0.01)
    assert totals["revenueAtRisk"] == pytest.approx(
        sum(a["revenueAtRisk"] for a in accounts), abs=0.01 * len(accounts)
    )


def test_gap_details_never_read_a_threshold_below_itself(rows: dict[str, Any]) -> None:
    pattern = re.compile(
        r"(?:no strong tie to a holder or an introducer \()?best reach (\d+\.\d+) < (\d+\.\d+) needed\)?"
    )
    for gap in rows["gaps"]:
        found = pattern.fullmatch(gap["detail"])
        if found is not None:
            reach, needed = found.groups()
            assert float(reach) < float(needed), gap
        else:
            assert "best reach" not in gap["detail"], gap


def _scale(value: float, values: list[float]) -> float:
    low, high = min(values), max(values)
    return 1.0 if high == low else (value - low) / (high - low)


def test_rfm_parts_and_bounded_score_recomputed_by_min_max_scaling(rows: dict[str, Any]) -> None:
    accounts = rows["accounts"]
    days = [a["rfm"]["daysSinceLast"] for a in accounts if a["rfm"]["daysSinceLast"] is not None]
    counts = [a["rfm"]["interactions"] for a in accounts]
    revenues = [a["annualRevenue"] for a in accounts]
    for a in accounts:
        rfm = a["rfm"]
        d = rfm["daysSinceLast"]
        recency = 0.0 if d is None else 100 * _scale(-d, [-x for x in days])
        frequency = 100 * _scale(rfm["interactions"], counts)
        monetary = 100 * _scale(a["annualRevenue"], revenues)
        weight = INDUSTRY.get((a["account"]["industry"] or "").strip().lower(), 1.0)
        score = (
            RFM_WEIGHTS["recency"] * recency
            + RFM_WEIGHTS["frequency"] * frequency
            + RFM_WEIGHTS["monetary"] * min(100.0, monetary * weight)
        )
        assert rfm["weights"] == RFM_WEIGHTS and rfm["industryWeight"] == weight
        assert rfm["recency"] == pytest.approx(recency, abs=0.051)
        assert rfm["frequency"] == pytest.approx(frequency, abs=0.051)
        assert rfm["monetary"] == pytest.approx(monetary, abs=0.051)
        assert rfm["score"] == pytest.approx(score, abs=0.051) and a["rfmScore"] == rfm["score"]
        assert 0.0 <= rfm["score"] <= 100.0
    # an industry weight above 1 caps the monetary part: the top manufacturer does not pass 100
    assert max(a["rfm"]["score"] for a in accounts) <= 100.0


def _quintile(value: float, values: list[float]) -> int:
    below = sum(1 for v in values if v < value)
    return min(5, 1 + (5 * below) // len(values))


def test_tier_evaluation_recomputed_from_quintiles_and_ratings(rows: dict[str, Any]) -> None:
    accounts = rows["accounts"]
    revenues = [a["annualRevenue"] for a in accounts]
    potentials = [a["account"]["potentialRevenue"] for a in accounts]
    efforts = {
        a["accountId"]: a["rfm"]["interactions"] / (a["annualRevenue"] / 1e6)
        for a in accounts
        if a["rfm"]["interactions"] > 0 and a["annualRevenue"] > 0
    }
    suggested = {"STRATEGIC": 0, "KEY": 0, "POTENTIAL": 0}
    for a in accounts:
        ev, own = a["tierEvaluation"], a["account"]
        assert ev["currentValue"] == _quintile(a["annualRevenue"], revenues)
        assert ev["futurePotential"] == _quintile(own["potentialRevenue"], potentials)
        assert ev["strategicFit"] == (own["strategicFit"] if own["strategicFit"] is not None else 3)
        if own["relationshipCost"] is not None:
            cost, computed = own["relationshipCost"], []
        elif a["accountId"] in efforts:
            cost, computed = _quintile(efforts[a["accountId"]], list(efforts.values())), ["relationship_cost"]
        else:
            cost, computed = 3, []
        assert (ev["relationshipCost"], ev["computed"]) == (cost, computed)
        mean = (ev["currentValue"] + ev["futurePotential"] + ev["strategicFit"] + (6 - cost)) / 4
        assert ev["score"] == pytest.approx(mean, abs=0.0005)
        tier = "STRATEGIC" if mean >= 4 else "KEY" if mean >= 3 else "POTENTIAL"
        assert ev["suggestedTier"] == tier == a["suggestedTier"] and ev["currentTier"] == a["tier"]
        suggested[tier] += 1
    assert sum(suggested.values()) == len(accounts)


def test_vocabulary_inside_evidence_is_in_enum_casing(api: Api, rows: dict[str, Any]) -> None:
    tiers, stances, kinds = (_enum(api, n) for n in ("Tier", "Stance", "InteractionKind"))
    account = rows["accounts"][0]["accountId"]
    data = api.data(
        """query A($id: ID!) { account(id: $id) { tier health { evidence } alerts { kind evidence } } }""",
        variables={"id": account},
    )["account"]
    evidence = data["health"]["evidence"]
    assert evidence["cadence"]["tier"] == data["tier"] and data["tier"] in tiers
    kind = evidence["cadence"]["last_interaction_kind"]
    assert kind is None or kind in kinds
    assert evidence["cadence"]["account_id"] == account  # ids are left as they are
    assert set(evidence["role_holder_stances"].values()) <= stances and evidence["role_holder_stances"]
    for alert in data["alerts"]:
        for key in ("tier", "band", "severity"):
            value = alert["evidence"].get(key)
            assert value is None or value == value.upper(), (alert["kind"], key, value)
