"""Graded coverage and going-cold ties over HTTP, on the demo's "champion goes cold" account."""

from __future__ import annotations

import pytest

from importers import demo
from tests.api.conftest import Api

QUERY = """query ($id: ID!, $day: Date) { account(id: $id, asOf: $day) {
  analysis {
    coverage {
      score coveredWeight totalWeight minReach tolerance
      roles { role weight covered grade gradeWeight holderId staffId introducerId tieStrength strength
              path { nodes strength links { source target link strength } } }
    }
    ties(first: 100, minStrength: 0.05) { a b strength band goingCold recency coldFactor effectiveStrength }
  }
} }"""

GRADE_WEIGHTS = {"DIRECT": 1.0, "INTRODUCTION": 0.5, "GAP": 0.0}


def test_a_cold_champion_over_the_api(api: Api) -> None:
    plan = demo.archetypes("demo", 7)
    account_id, champion = plan["going_cold"][0], plan["going_cold_contacts"][0]
    data = api.data(QUERY, variables={"id": account_id, "day": demo.REFERENCE_DATE.isoformat()})
    analysis = data["account"]["analysis"]
    coverage = analysis["coverage"]
    assert coverage["minReach"] == 0.6 and coverage["tolerance"] == "1e-09"
    # the score is the weighted share of the grades, recomputed from the roles shown
    expected = sum(r["weight"] * GRADE_WEIGHTS[r["grade"]] for r in coverage["roles"]) / sum(
        r["weight"] for r in coverage["roles"]
    )
    assert coverage["score"] == round(100 * expected, 1) and coverage["score"] < 100
    for role in coverage["roles"]:
        assert role["gradeWeight"] == GRADE_WEIGHTS[role["grade"]]
        assert role["covered"] == (role["grade"] != "GAP")
        if role["grade"] == "DIRECT":
            assert role["path"]["nodes"] == [role["staffId"], role["holderId"]]
            assert role["tieStrength"] >= 0.6 - 1e-9 and role["introducerId"] is None
        elif role["grade"] == "INTRODUCTION":
            assert role["path"]["nodes"] == [role["staffId"], role["introducerId"], role["holderId"]]
            assert role["path"]["links"][0]["link"] == "TIE" and role["path"]["links"][1]["link"] != "TIE"
            assert role["tieStrength"] == role["path"]["links"][0]["strength"] >= 0.6 - 1e-9
    champion_role = next(r for r in coverage["roles"] if r["role"] == "CHAMPION")
    assert champion_role["grade"] != "DIRECT"
    ties = [t for t in analysis["ties"] if champion in (t["a"], t["b"])]
    assert ties and all(t["band"] != "STRONG" for t in ties)
    for tie in ties:
        assert tie["effectiveStrength"] == pytest.approx(
            tie["strength"] * tie["coldFactor"], abs=0.002
        )  # each shown to 3 decimals
        assert 0 < tie["recency"] <= 1 and 0 < tie["coldFactor"] <= 1
        assert tie["coldFactor"] < 1 if tie["goingCold"] else tie["coldFactor"] == 1
    assert any(t["goingCold"] for t in ties)
