"""Tests of the cadence rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

from graph.analysis.cadence import cadence_alert, cadence_status
from graph.analysis.config import AnalysisConfig
from graph.model import Account, Contact, Employment, Interaction, InteractionKind, Level, Tier
from graph.store import AccountSubgraph

AS_OF = date(2025, 6, 30)


def subgraph(tier: str, *interactions: Interaction) -> AccountSubgraph:
    return AccountSubgraph(
        Account("acme", "Acme", tier=Tier(tier)),
        AS_OF,
        contacts=(Contact("ceo", "Cy", level=Level.OPERATIONAL), Contact("dev", "Di")),
        employments=(
            Employment("ceo", "acme", level=Level.EXECUTIVE, since=date(2024, 1, 1)),
            Employment("dev", "acme", level=Level.OPERATIONAL),
        ),
        interactions=interactions,
    )


def ix(iid: str, kind: str, day: date, *people: str) -> Interaction:
    return Interaction(
        iid, InteractionKind(kind), datetime(day.year, day.month, day.day, tzinfo=UTC), participants=people
    )


def test_strategic_account_breaches_its_quarterly_exec_cadence() -> None:
    sub = subgraph(
        "strategic",
        ix("i1", "meeting", date(2025, 2, 1), "s1", "ceo"),
        ix("i2", "call", date(2025, 6, 1), "s1", "dev"),
    )
    status = cadence_status(sub)
    assert status.breached and status.required_days == 91 and status.days_since == 149
    assert status.last_interaction_id == "i1" and status.exec_interactions == 1
    alert = cadence_alert(status)
    assert alert is not None and alert.kind == "cadence_breach" and alert.severity == "warning"
    assert alert.evidence["days_since"] == 149 and "every 91 days" in alert.message


def test_key_account_keeps_its_cadence_and_exec_visits_count() -> None:
    sub = subgraph("key", ix("i1", "exec_visit", date(2025, 2, 1), "s1", "dev"))
    status = cadence_status(sub)
    assert not status.breached and status.days_since == 149
    assert cadence_alert(status) is None


def test_level_of_the_position_on_the_day_counts() -> None:
    # before 2024 the ceo was not yet in the executive position: their own level (operational) counts
    sub = subgraph("potential", ix("i1", "meeting", date(2023, 6, 1), "s1", "ceo"))
    status = cadence_status(sub)
    assert status.days_since is None and status.breached
    alert = cadence_alert(status)
    assert alert is not None and alert.severity == "severe"


def test_cadence_is_configurable() -> None:
    cfg = AnalysisConfig.from_mapping({"exec_cadence_days": {"strategic": 200}})
    sub = subgraph("strategic", ix("i1", "meeting", date(2025, 2, 1), "s1", "ceo"))
    assert not cadence_status(sub, cfg).breached
