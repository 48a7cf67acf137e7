"""Tests of job-change alerts: a champion moves to a prospect."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from graph.analysis.job_changes import job_change_report, job_change_reports, last_day
from graph.model import (
    Account,
    Contact,
    Employment,
    Interaction,
    InteractionKind,
    Level,
    ReportingLine,
    Role,
    Staff,
    Stance,
    TeamMembership,
    TeamRole,
    Tier,
)
from graph.store import AccountSubgraph, JobChange
from tests.graph.analysis.worlds import InMemoryWorld

LEFT = date(2025, 5, 31)
AS_OF = date(2025, 6, 30)

ACME = Account("acme", "Acme", tier=Tier.KEY, annual_revenue=2_000_000)
PROSPECT = Account("nova", "Nova", tier=Tier.POTENTIAL)
PEOPLE: dict[str, Contact | Staff] = {
    "rep": Staff("rep", "Rita", level=Level.MANAGEMENT),
    "champ": Contact("champ", "Cham Pion", stance=Stance.CHAMPION, level=Level.MANAGEMENT),
    "cfo": Contact("cfo", "Fin", level=Level.EXECUTIVE),
    "dev": Contact("dev", "Dev", level=Level.OPERATIONAL),
    "buyer": Contact("buyer", "Nova Buyer"),
}
OLD = Employment(
    "champ",
    "acme",
    roles=frozenset({Role.CHAMPION, Role.TECHNICAL_BUYER, Role.USER_BUYER}),
    since=date(2020, 1, 1),
    until=LEFT,
)
NEW = Employment("champ", "nova", title="CTO", since=date(2025, 6, 1))
MEETINGS = tuple(
    Interaction(
        f"m{m}", InteractionKind.MEETING, datetime(2025, m, 3, tzinfo=UTC), participants=("rep", "champ")
    )
    for m in (2, 3, 4, 5)  # four monthly meetings: a strong tie (three would be medium)
)
EMPLOYMENTS = (
    OLD,
    Employment("cfo", "acme", roles=frozenset({Role.ECONOMIC_BUYER}), since=date(2019, 1, 1)),
    Employment("dev", "acme", since=date(2021, 1, 1)),
)


def acme_as_of(day: date) -> AccountSubgraph:
    return AccountSubgraph(
        ACME,
        day,
        contacts=tuple(PEOPLE[c] for c in ("champ", "cfo", "dev")),  # type: ignore[misc]
        employments=EMPLOYMENTS,
        staff=(PEOPLE["rep"],),  # type: ignore[arg-type]
        team=(TeamMembership("rep", "acme", TeamRole.ACCOUNT_REP, since=date(2020, 1, 1)),),
        reporting_lines=(ReportingLine("champ", "cfo"),),
        interactions=tuple(ix for ix in MEETINGS if ix.at.date() <= day),
    )


def test_champion_moving_to_a_prospect_raises_risk_and_opportunity_with_a_warm_path() -> None:
    world = InMemoryWorld(
        PEOPLE,
        interactions=MEETINGS,
        employments=(*EMPLOYMENTS, NEW, Employment("buyer", "nova", since=date(2024, 1, 1))),
        accounts={"acme": ACME, "nova": PROSPECT},
    )
    change = JobChange("champ", OLD, NEW)
    report = job_change_report(
        change, acme_as_of(LEFT), as_of=AS_OF, fetch=world.fetch(AS_OF), new_account=PROSPECT, k_paths=2
    )
    assert report.key_person and report.stance == "champion"
    assert report.roles == ("champion", "technical_buyer", "user_buyer")
    # before: champion, technical and user buyer direct, the CFO (the champion's manager) through
    # the champion's introduction: (1.5 + 1 + 1 + 0.5 * 2) / 5.5; after: nothing
    assert report.coverage_before == pytest.approx(100 * 4.5 / 5.5) and report.coverage_after == 0.0
    assert set(report.roles_lost) == {"champion", "technical_buyer", "user_buyer", "economic_buyer"}
    assert report.revenue_at_risk == pytest.approx(ACME.annual_revenue * report.coverage_before / 100)
    risk = report.risk_alert
    assert risk is not None and risk.kind == "job_change_risk" and risk.severity == "severe"
    assert risk.account_id == "acme" and risk.person_id == "champ"
    opp = report.opportunity_alert
    assert opp.kind == "job_change_opportunity" and opp.account_id == "nova"
    assert opp.evidence["champion"] is True
    # the rep still knows the champion: a direct warm path into the prospect
    assert report.warm_paths[0].people == ("rep", "champ")
    assert report.warm_paths[0].hops[0].kind == "tie"
    assert "rep -> champ" in opp.message
    # and a second path to reach them through... nobody else: only one path exists
    assert len(report.warm_paths) == 1


def test_a_non_key_person_leaving_is_only_an_opportunity() -> None:
    old = Employment("dev", "acme", since=date(2021, 1, 1), until=LEFT)
    change = JobChange("dev", old, Employment("dev", "nova", since=date(2025, 6, 1)))
    report = job_change_report(change, acme_as_of(LEFT), as_of=AS_OF)
    assert not report.key_person and report.risk_alert is None
    assert report.alerts() == [report.opportunity_alert] and report.warm_paths == ()


def test_batch_orders_by_severity_and_checks_its_inputs() -> None:
    changes = [
        JobChange(
            "dev",
            Employment("dev", "acme", since=date(2021, 1, 1), until=LEFT),
            Employment("dev", "nova", since=date(2025, 6, 1)),
        ),
        JobChange("champ", OLD, NEW),
        JobChange("cfo", EMPLOYMENTS[1], Employment("cfo", "nova", since=date(2025, 9, 1))),  # after as_of
    ]
    reports = job_change_reports(changes, lambda a, d: acme_as_of(d), as_of=AS_OF)
    assert [r.contact_id for r in reports] == ["champ", "dev"]
    with pytest.raises(ValueError, match="last day"):
        job_change_report(changes[1], acme_as_of(AS_OF), as_of=AS_OF)
    assert last_day(
        JobChange("x", Employment("x", "a"), Employment("x", "b", since=date(2025, 1, 1)))
    ) == date(2024, 12, 31)


def test_without_a_search_the_alert_says_the_warm_paths_were_not_searched() -> None:
    report = job_change_report(
        JobChange("champ", OLD, NEW), acme_as_of(LEFT), as_of=AS_OF, new_account=PROSPECT
    )
    opp = report.opportunity_alert
    assert not report.warm_paths_searched and opp.evidence["warm_paths_searched"] is False
    assert opp.message.endswith("; warm paths not searched (no neighbourhood to search)")
    assert "no warm path" not in opp.message


def test_a_search_that_finds_nothing_says_so_and_one_that_cannot_start_says_why() -> None:
    # nobody of ours ever met the champion or anyone at nova: the search runs and finds nothing
    world = InMemoryWorld(
        PEOPLE,
        interactions=(),
        employments=(*EMPLOYMENTS, NEW),
        accounts={"acme": ACME, "nova": PROSPECT},
    )
    change = JobChange("champ", OLD, NEW)
    report = job_change_report(change, acme_as_of(LEFT), as_of=AS_OF, fetch=world.fetch(AS_OF))
    assert report.warm_paths_searched and report.warm_paths == ()
    assert report.opportunity_alert.message.endswith("; no warm path found")
    stranger = JobChange(
        "ghost",
        Employment("ghost", "acme", until=LEFT),
        Employment("ghost", "nova", since=date(2025, 6, 1)),
    )
    report = job_change_report(stranger, acme_as_of(LEFT), as_of=AS_OF, fetch=world.fetch(AS_OF))
    assert not report.warm_paths_searched
    assert report.opportunity_alert.message.endswith(
        "; warm paths not searched ('ghost' is not in the searched graph)"
    )
