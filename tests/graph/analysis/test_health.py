"""Tests of relationship health."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from graph.analysis.account import analyse_account
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.health import health_alert, health_band, relationship_health
from graph.model import Account, Contact, Employment, Interaction, InteractionKind, Role, Stance, Tier
from graph.store import AccountSubgraph

from .builders import AccountBuilder

AS_OF = date(2025, 6, 30)


def account(
    stances: tuple[str, ...], recent: int, previous: int, exec_days_ago: int | None
) -> AccountSubgraph:
    contacts = tuple(Contact(f"c{i}", f"C{i}", stance=Stance(s)) for i, s in enumerate(stances))
    jobs = tuple(Employment(c.id, "acme", roles=frozenset({Role.USER_BUYER})) for c in contacts)
    day = datetime(2025, 6, 30, tzinfo=UTC)
    ixs = [
        Interaction(f"r{i}", InteractionKind.CALL, day - timedelta(days=1 + i), participants=("s1",))
        for i in range(recent)
    ]
    ixs += [
        Interaction(f"p{i}", InteractionKind.CALL, day - timedelta(days=100 + i), participants=("s1",))
        for i in range(previous)
    ]
    if exec_days_ago is not None:
        ixs.append(
            Interaction(
                "x", InteractionKind.EXEC_VISIT, day - timedelta(days=exec_days_ago), participants=("s1",)
            )
        )
    return AccountSubgraph(
        Account("acme", "Acme", tier=Tier.STRATEGIC),
        AS_OF,
        contacts=contacts,
        employments=jobs,
        interactions=tuple(ixs),
    )


def test_green_account() -> None:
    h = relationship_health(account(("champion", "supporter"), 10, 10, 30), coverage_score=100, threads=3)
    assert h.components == {
        "coverage": 1.0,
        "threads": 1.0,
        "exec_engagement": 1.0,
        "stance": pytest.approx(0.875),
        "trend": 1.0,
    }
    assert h.score == pytest.approx(100 * (1 - 0.15 * 0.125)) and h.band == "green"
    assert health_alert(h) is None
    assert h.evidence["role_holder_stances"] == {"c0": "champion", "c1": "supporter"}


def test_yellow_account_with_one_thread_and_a_lapsed_cadence() -> None:
    # exec visit 137 days ago: 46 days over a 91-day cadence -> engagement 1 - 46/91
    h = relationship_health(account(("neutral",), 5, 10, 137), coverage_score=100, threads=1)
    assert h.components["threads"] == 0.5
    assert h.components["exec_engagement"] == pytest.approx(1 - 46 / 91)
    # the exec visit falls in the previous 90-day window too: 5 recent against 11 before
    assert h.components["trend"] == pytest.approx(5 / 11)
    expected = 100 * (0.35 + 0.2 * 0.5 + 0.15 * (1 - 46 / 91) + 0.15 * 0.5 + 0.15 * 5 / 11)
    assert h.score == pytest.approx(expected) and h.band == "yellow"
    alert = health_alert(h)
    assert alert is not None and alert.severity == "warning"


def test_red_account() -> None:
    h = relationship_health(account(("blocker", "skeptic"), 0, 4, None), coverage_score=25, threads=0)
    assert h.components["exec_engagement"] == 0.0 and h.components["trend"] == 0.0
    assert h.components["stance"] == pytest.approx(0.125)
    assert h.band == "red"
    alert = health_alert(h)
    assert alert is not None and alert.severity == "severe" and "red" in alert.message


def test_bands_and_weights_are_configurable() -> None:
    assert [health_band(s) for s in (100, 80, 79.99, 60, 59.99, 0)] == [
        "green",
        "green",
        "yellow",
        "yellow",
        "red",
        "red",
    ]
    cfg = AnalysisConfig.from_mapping(
        {"health_weights": {"coverage": 1, "threads": 0, "exec_engagement": 0, "stance": 0, "trend": 0}}
    )
    h = relationship_health(account(("blocker",), 0, 0, None), coverage_score=70, threads=0, config=cfg)
    assert h.score == pytest.approx(70.0) and h.band == "yellow"


def test_bad_inputs() -> None:
    with pytest.raises(ValueError, match="coverage_score"):
        relationship_health(account((), 0, 0, None), coverage_score=120, threads=1)
    with pytest.raises(ValueError, match="threads"):
        relationship_health(account((), 0, 0, None), coverage_score=50, threads=-1)


def _one_holder(days_ago: int) -> AccountSubgraph:
    b = AccountBuilder()
    b.staff("rep").contact("champ", Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION)
    b.meet("rep", "champ", days_ago=days_ago, times=20)  # weekly, the last ``days_ago`` days ago
    return b.build()


def test_a_going_cold_tie_lowers_health_not_only_as_a_warning() -> None:
    def health_of(sub: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> float:
        a = analyse_account(sub, config)
        return relationship_health(
            sub, coverage_score=a.coverage.score, threads=a.threads.threads, config=config
        ).score

    # warm: the last of twenty weekly meetings 5 days ago. Coverage 100 (a strong direct tie),
    # one thread (of 2 for full), no exec-level interaction, a neutral holder (0.5), 13 meetings in
    # the last 90 days against 7 before (trend 1):
    # 100 * (0.35 * 1 + 0.2 * 0.5 + 0.15 * 0 + 0.15 * 0.5 + 0.15 * 1) = 67.5
    assert health_of(_one_holder(5)) == pytest.approx(67.5)
    # cold: the last one 100 days ago. The tie (0.632) is still strong on its own, but silent for
    # more than 8 x 7 days it counts 0.632 x 56/100 = 0.354: no longer strong (coverage 0), still
    # a thread (>= 0.3); nothing in the last 90 days (trend 0):
    # 100 * (0.35 * 0 + 0.2 * 0.5 + 0 + 0.15 * 0.5 + 0.15 * 0) = 17.5
    assert health_of(_one_holder(100)) == pytest.approx(17.5)
    # the going-cold factor is what costs the coverage: without it (a rule that never fires) the
    # strong tie covers every role, 100 * (0.35 + 0.1 + 0.075) = 52.5
    assert health_of(_one_holder(100), AnalysisConfig(cold_gap_factor=1000.0)) == pytest.approx(52.5)
