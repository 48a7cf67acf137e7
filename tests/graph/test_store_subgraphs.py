# mypy: disable-error-code="arg-type"
# (the model parses enum fields from their string values; the tests use those strings)
"""``account_subgraphs``: the subgraphs of many accounts read together, on every backend.

Each account's subgraph in a batched read must be exactly (:func:`plain`: types, order and
every value) what ``account_subgraph`` reads for it alone, whatever else is in the batch: the
demo portfolio (50 accounts: job changes, people on several accounts' interactions, signals)
and a hand-built world with the awkward cases (contacts who moved between accounts, one working
at two at once, staff on several teams, a former team member, lines and interactions crossing
accounts, interactions about no account or two, an empty account and a team-only one), each read
at days before some positions and interactions started.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from graph.model import (
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    ReportingLine,
    Staff,
    SurveyResponse,
    TeamMembership,
    UsageSample,
)
from graph.store import GraphBatch, GraphStore
from importers import demo
from importers.base import load_records
from tests.graph.test_backends_differential import plain


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def crossing_world() -> GraphBatch:
    """Four accounts whose people, lines and interactions cross between them.

    Carol moved from globex to initech on 2024-07-01; Dan works at globex and initech at once;
    Greg reports to Carol at globex and influences Dan; Rita is on both teams, Rex left globex's
    on 2024-06-30, Sue (who left us on 2024-12-31) was on initech's; hooli has a team and no
    contacts, umbrella has nothing at all.
    """
    return GraphBatch(
        accounts=[
            Account("globex", "Globex", tier="strategic"),
            Account("initech", "Initech"),
            Account("hooli", "Hooli"),
            Account("umbrella", "Umbrella"),
        ],
        contacts=[
            Contact("carol", "Carol"),
            Contact("dan", "Dan"),
            Contact("greg", "Greg", stance="champion"),
        ],
        staff=[
            Staff("rita", "Rita Rep"),
            Staff("rex", "Rex Former"),
            Staff("sue", "Sue Left", until=date(2024, 12, 31)),
            Staff("vip", "Vic Exec", level="executive"),
        ],
        employments=[
            Employment("carol", "globex", level="executive", since=date(2020, 1, 1), until=date(2024, 6, 30)),
            Employment("carol", "initech", level="management", since=date(2024, 7, 1)),
            Employment("dan", "globex", since=date(2022, 1, 1)),
            Employment("dan", "initech", since=date(2023, 1, 1)),
            Employment("greg", "globex", since=date(2020, 1, 1)),
        ],
        reporting_lines=[
            ReportingLine("greg", "carol", since=date(2021, 1, 1)),
            ReportingLine("dan", "carol", since=date(2024, 8, 1)),
        ],
        influence_lines=[InfluenceLine("greg", "dan", 0.6), InfluenceLine("dan", "carol", 0.4)],
        team_memberships=[
            TeamMembership("rita", "globex", "account_rep", since=date(2020, 1, 1)),
            TeamMembership("rita", "initech", "account_rep", since=date(2020, 1, 1)),
            TeamMembership("rex", "globex", "delivery_lead", since=date(2020, 1, 1), until=date(2024, 6, 30)),
            TeamMembership("sue", "initech", "customer_success", since=date(2023, 1, 1)),
            TeamMembership("rita", "hooli", "account_rep", since=date(2024, 1, 1)),
        ],
        interactions=[
            Interaction("x1", "meeting", at("2024-03-01T10:00:00"), participants=("rita", "carol", "greg")),
            Interaction(
                "x2",
                "meeting",
                at("2025-02-01T10:00:00"),
                participants=("rita", "carol"),
                accounts=("initech",),
            ),
            Interaction("x3", "call", at("2025-03-01T10:00:00"), participants=("rita", "carol", "greg")),
            Interaction("x4", "call", at("2025-04-01T10:00:00"), participants=("rita", "dan")),
            Interaction(
                "x5", "meeting", at("2025-04-02T10:00:00"), participants=("rita", "dan"), accounts=("globex",)
            ),
            Interaction(
                "x6", "meeting", at("2024-05-01T10:00:00"), participants=("rex", "greg"), accounts=("globex",)
            ),
            Interaction(
                "x7",
                "exec_visit",
                at("2024-09-01T10:00:00"),
                participants=("vip", "carol", "dan", "greg"),
                accounts=("globex", "initech"),
            ),
            Interaction(
                "x8", "email", at("2024-10-01T10:00:00"), participants=("sue", "dan"), accounts=("initech",)
            ),
            Interaction("x9", "call", at("2024-02-01T10:00:00"), participants=("rita",), accounts=("hooli",)),
            Interaction(
                "x10", "event", at("2025-05-01T23:59:00"), participants=("rita", "greg"), accounts=("hooli",)
            ),
        ],
        assessments=[
            Assessment("rita", "carol", "trusted_advisor", date(2023, 1, 1)),
            Assessment("rita", "dan", "credible_source", date(2025, 1, 15)),
        ],
        survey_responses=[
            SurveyResponse("nps-g", "globex", "nps", 9, date(2024, 6, 1), "greg"),
            SurveyResponse("nps-i", "initech", "nps", 3, date(2025, 3, 1), "dan"),
        ],
        usage_samples=[UsageSample("globex", date(2024, 11, 1), active_users=40, licensed_users=50)],
    )


CROSSING_DAYS = (
    date(2025, 6, 30),
    date(2024, 8, 15),  # after Carol's move and Dan's new line, before half the interactions
    date(2023, 6, 1),  # before every interaction, Carol's move and Dan's line
    date(2021, 6, 1),  # before Dan's positions, the assessments and the surveys
    date(2019, 1, 1),  # before every position
)


def load_crossing(store: GraphStore) -> list[date]:
    store.write(crossing_world())
    return list(CROSSING_DAYS)


def load_demo(store: GraphStore) -> list[date]:
    load_records(store, demo.generate("demo", 7))
    return [
        demo.REFERENCE_DATE,
        demo.REFERENCE_DATE - timedelta(days=365),
        demo.START_DATE + timedelta(days=30),  # the interaction history starts on START_DATE
    ]


WORLDS: dict[str, Callable[[GraphStore], list[date]]] = {"crossing": load_crossing, "demo": load_demo}


def account_ids(store: GraphStore) -> list[str]:
    return sorted(store.data_versions())


def batches(ids: list[str], seed: int) -> Iterable[list[str]]:
    """The ids in batches of several sizes and orders: all at once, shuffled, in pairs, in sevens."""
    yield ids
    shuffled = random.Random(seed).sample(ids, len(ids))
    yield shuffled
    for size in (2, 7):
        for start in range(0, len(shuffled), size):
            yield shuffled[start : start + size]


@pytest.mark.parametrize("world", sorted(WORLDS))
def test_each_subgraph_of_a_batched_read_is_what_a_read_of_the_account_alone_gives(
    store: GraphStore, world: str
) -> None:
    days = WORLDS[world](store)
    ids = account_ids(store)
    for day in days:
        alone = {account_id: plain(store.account_subgraph(account_id, day)) for account_id in ids}
        compared = 0
        for batch in batches(ids, seed=day.toordinal()):
            read = store.account_subgraphs(batch, day)
            assert list(read) == batch  # keyed in the order asked
            for account_id, subgraph in read.items():
                assert plain(subgraph) == alone[account_id], (
                    f"{account_id} at {day} in a batch of {len(batch)}"
                )
                compared += 1
        assert compared == 4 * len(ids)
    # not a comparison of empty reads: the latest day has people, lines and activity
    latest = store.account_subgraphs(ids, days[0]).values()
    assert sum(len(s.contacts) for s in latest) and sum(len(s.interactions) for s in latest)
    assert sum(len(s.reporting_lines) for s in latest) and sum(len(s.team) for s in latest)


def test_what_a_batch_holds_for_the_crossing_cases(store: GraphStore) -> None:
    store.write(crossing_world())
    read = store.account_subgraphs(["globex", "initech", "hooli", "umbrella"], date(2025, 6, 30))

    def ids(records: Iterable[Any]) -> list[str]:
        return sorted(r.id for r in records)

    globex, initech, hooli, umbrella = read.values()
    assert ids(globex.contacts) == ["carol", "dan", "greg"] and ids(initech.contacts) == ["carol", "dan"]
    assert [e.key for e in initech.former_employments] == [
        ("carol", "globex", "2020-01-01"),
        ("dan", "globex", "2022-01-01"),
    ]
    assert [e.key for e in globex.former_employments] == [
        ("carol", "initech", "2024-07-01"),
        ("dan", "initech", "2023-01-01"),
    ]
    # the exec visit x7 is about both accounts; x3 and x4 are about none, so they count where the
    # contacts in them worked that day; x10 is about hooli only, though Greg is globex's contact
    assert ids(globex.interactions) == ["x1", "x3", "x4", "x5", "x6", "x7"]
    assert ids(initech.interactions) == ["x2", "x3", "x4", "x7", "x8"]
    assert ids(hooli.interactions) == ["x10", "x9"] and hooli.contacts == ()
    # lines between contacts of one account only: Dan -> Carol is initech's (Carol left globex)
    assert [r.key for r in initech.reporting_lines] == [("dan", "carol")]
    assert [r.key for r in globex.influence_lines] == [
        ("dan", "carol", "influences"),
        ("greg", "dan", "influences"),
    ]
    assert ids(globex.staff) == ["rita", "vip"] and ids(initech.staff) == ["rita", "vip"]  # Sue left us
    assert umbrella.contacts == umbrella.team == umbrella.interactions == ()
    assert [s.id for s in globex.survey_responses] == ["nps-g"] and len(globex.usage_samples) == 1


def test_unknown_ids_are_absent_and_an_id_asked_twice_is_read_once(store: GraphStore) -> None:
    store.write(crossing_world())
    day = date(2025, 6, 30)
    read = store.account_subgraphs(["nope", "initech", "globex", "initech", "gone"], day)
    assert list(read) == ["initech", "globex"]
    assert plain(read["globex"]) == plain(store.account_subgraph("globex", day))
    assert store.account_subgraphs(["nope"], day) == {}
    assert store.account_subgraphs([], day) == {}
    with pytest.raises(TypeError, match="sequence of account ids"):
        store.account_subgraphs("globex", day)
