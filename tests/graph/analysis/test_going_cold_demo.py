"""Going cold counts: the demo's "champion goes cold" accounts, loaded into the embedded store.

Before the calibration these accounts showed the silent champion's ties strong, coverage 100 and
green health; the cold champion showed only as a warning. The champion's tie strengths are
recomputed here from the stored interactions with the formula written out.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from statistics import median

import pytest

from graph.analysis.account import analyse_account
from graph.analysis.portfolio import account_payload
from graph.analysis.strength import Tie
from graph.backends.sqlite.store import SqliteStore
from graph.model import Role
from graph.store import AccountSubgraph, GraphStore
from importers import demo

FLOORS = {"vendor": 0.1, "credible_source": 0.3, "problem_solver": 0.5, "trusted_advisor": 0.7}
WEIGHTS = {"exec_visit": 3.0, "meeting": 2.0, "call": 1.5, "event": 1.0, "email": 0.5, "support": 0.5}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    path: Path = tmp_path_factory.mktemp("demo")
    db = SqliteStore(path)
    db.init()
    demo.load(db, "demo", seed=7)
    yield db
    db.close()


def _cold_accounts() -> list[tuple[str, str]]:
    plan = demo.archetypes("demo", 7)
    return list(zip(plan["going_cold"], plan["going_cold_contacts"], strict=True))


def _by_hand(sub: AccountSubgraph, staff: str, contact: str) -> tuple[float, float]:
    """(strength, effective strength) of one staff-contact tie from the brief's formula."""
    as_of = sub.as_of
    shared = [i for i in sub.interactions if {staff, contact} <= set(i.participants) and i.at.date() <= as_of]
    days = sorted({i.at.date() for i in shared})
    silence = (as_of - days[-1]).days
    raw = sum(WEIGHTS[i.kind.value] * 2 ** (-(as_of - i.at.date()).days / 90) for i in shared)
    strength = raw / (raw + 2.5) / (1 + (silence / 182) ** 2)
    rated = [a for a in sub.assessments if (a.staff_id, a.contact_id) == (staff, contact) and a.at <= as_of]
    if rated:
        latest = max(rated, key=lambda a: a.at)
        since = max(latest.at, days[-1])
        strength = max(strength, FLOORS[latest.level.value] * 2 ** (-(as_of - since).days / 365))
    gap = median([(b - a).days for a, b in pairwise(days)]) if len(days) >= 2 else None
    cold = gap is not None and len(days) >= 3 and silence > 8 * gap
    return strength, strength * (8 * gap / silence if cold and gap is not None else 1.0)


@pytest.mark.parametrize("index", range(3))
def test_a_cold_champion_lowers_ties_coverage_and_health(store: GraphStore, index: int) -> None:
    account_id, champion = _cold_accounts()[index]
    sub = store.account_subgraph(account_id, demo.REFERENCE_DATE)
    analysis = analyse_account(sub)
    ours = {s.id for s in sub.staff}
    ties: list[Tie] = [t for t in analysis.ties.values() if t.b == champion and t.a in ours]
    assert ties, "the champion has ties with our staff"
    for tie in ties:
        strength, effective = _by_hand(sub, tie.a, champion)
        assert tie.strength == pytest.approx(strength, rel=1e-9)
        assert tie.effective_strength == pytest.approx(effective, rel=1e-9)
        assert tie.band != "strong" and tie.effective_strength < 0.6
        assert tie.silence_days is not None and tie.silence_days >= 150
    # the rep's thread faded out (a rhythm of days, then 150+ days of silence): it is going cold,
    # and no tie to the champion counts enough for a thread (>= 0.3) any more
    assert any(t.going_cold and t.cold_factor < 1 for t in ties)
    assert all(t.effective_strength < 0.3 for t in ties)
    champion_role = analysis.coverage.role(Role.CHAMPION)
    assert champion_role.holders == (champion,) and champion_role.grade != "direct"
    summary = account_payload(sub, detail=False)["summary"]
    assert summary["coverage_score"] < 100.0
    assert summary["health_band"] != "green"
