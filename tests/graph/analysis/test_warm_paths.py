"""Tests of warm paths over an in-memory neighbourhood fetch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import pytest

from graph.analysis.config import AnalysisConfig
from graph.analysis.warm_paths import links_of, warm_paths
from graph.model import (
    Account,
    Contact,
    Employment,
    Interaction,
    InteractionKind,
    Referral,
    ReferralStatus,
    Staff,
)
from graph.store import GraphBatch, GraphStore, Neighbourhood
from tests.graph.analysis.worlds import InMemoryWorld

AS_OF = date(2025, 6, 30)


def meet(iid: str, kind: str, *people: str, day: int = 1) -> Interaction:
    return Interaction(iid, InteractionKind(kind), datetime(2025, 6, day, tzinfo=UTC), participants=people)


def world() -> InMemoryWorld:
    """s1 knows a1 (acme); a1 and a2 are colleagues at acme; a2 used to work with p1 at old co;
    p1 now works at the prospect; r1 (referrer) referred the prospect; s2 knows r1 a little."""
    people: dict[str, Contact | Staff] = {
        "s1": Staff("s1", "Sam"),
        "s2": Staff("s2", "Sue"),
        "a1": Contact("a1", "Ann"),
        "a2": Contact("a2", "Abe"),
        "p1": Contact("p1", "Pia"),
        "r1": Contact("r1", "Rob"),
        "x1": Contact("x1", "Xi"),
    }
    return InMemoryWorld(
        people,
        interactions=[
            meet("i1", "exec_visit", "s1", "a1"),
            meet("i2", "meeting", "s1", "a1", day=2),
            meet("i3", "email", "s2", "r1", day=3),
        ],
        employments=[
            Employment("a1", "acme", since=date(2020, 1, 1)),
            Employment("a2", "acme", since=date(2021, 1, 1)),
            Employment("a2", "oldco", since=date(2015, 1, 1), until=date(2019, 12, 31)),
            Employment("p1", "oldco", since=date(2016, 1, 1), until=date(2024, 12, 31)),
            Employment("p1", "prospect", since=date(2025, 1, 1)),
            Employment("x1", "oldco", since=date(2025, 2, 1)),
            Employment("r1", "rco", since=date(2010, 1, 1)),
        ],
        accounts={a: Account(a, a.title()) for a in ("acme", "oldco", "prospect", "rco")},
        referrals=[Referral("r1", "contact", "prospect", date(2025, 3, 1), ReferralStatus.WON, 1000)],
    )


def test_best_paths_are_ranked_by_product_and_every_hop_is_explained() -> None:
    w = world()
    paths = warm_paths(w.fetch(AS_OF), "p1", AS_OF, k=2)
    assert [p.people for p in paths] == [("s2", "r1", "p1"), ("s1", "a1", "a2", "p1")]
    best = paths[1]
    kinds = [h.kind for h in best.hops]
    assert kinds == ["tie", "colleague", "former_colleague"]
    tie, colleague, former = best.hops
    assert tie.evidence["interactions"] == 2 and tie.evidence["last_at"].startswith("2025-06-02")
    assert colleague.strength == 0.4 and colleague.evidence == {
        "account_id": "acme",
        "account_name": "Acme",
        "since": "2021-01-01",
        "until": None,
        "current": True,
    }
    assert former.strength == 0.25 and former.evidence["since"] == "2016-01-01"
    assert former.evidence["until"] == "2019-12-31"
    assert best.strength == pytest.approx(tie.strength * 0.4 * 0.25)
    referral = paths[0].hops[1]
    assert referral.kind == "referral" and referral.evidence["referred_account"] == "prospect"
    assert paths[0].strength >= paths[1].strength


def test_given_staff_and_bidirectional_search_find_the_same_paths() -> None:
    w = world()
    only_s2 = warm_paths(w.fetch(AS_OF), "p1", AS_OF, staff_ids={"s2"}, k=3)
    assert [p.people for p in only_s2] == [("s2", "r1", "p1")]
    assert ["s2"] in w.calls  # our side was expanded too


def test_hop_limit_and_strengths_are_configurable() -> None:
    w = world()
    cfg = AnalysisConfig.from_mapping({"warm_path_max_hops": 2, "referral_link_strength": 0.01})
    paths = warm_paths(w.fetch(AS_OF), "p1", AS_OF, k=5, config=cfg)
    assert [p.people for p in paths] == [("s2", "r1", "p1")]
    assert paths[0].hops[1].strength == 0.01


def test_former_colleagues_need_overlapping_positions() -> None:
    nb = world().neighbourhood(["x1"], AS_OF)
    assert ("p1", "x1") not in links_of(nb, {"x1"})  # x1 joined oldco after p1 left
    nb = world().neighbourhood(["a2"], AS_OF)
    links = links_of(nb, {"a2"})
    assert ("a2", "x1") not in links and links[("a2", "p1")].kind == "former_colleague"


def test_unknown_target_and_unreachable_people() -> None:
    w = world()
    with pytest.raises(KeyError, match="not known"):
        warm_paths(w.fetch(AS_OF), "ghost", AS_OF)
    lonely = InMemoryWorld({"s1": Staff("s1", "Sam"), "c9": Contact("c9", "Cy")})
    assert warm_paths(lonely.fetch(AS_OF), "c9", AS_OF) == []
    with pytest.raises(ValueError, match="k must be"):
        warm_paths(w.fetch(AS_OF), "p1", AS_OF, k=0)


def test_paths_do_not_run_through_other_staff() -> None:
    people: dict[str, Contact | Staff] = {
        "s1": Staff("s1", "Sam"),
        "s2": Staff("s2", "Sue"),
        "c1": Contact("c1", "Cy"),
        "c2": Contact("c2", "Di"),
    }
    w = InMemoryWorld(
        people,
        interactions=[
            meet("i1", "meeting", "s1", "c1"),
            meet("i2", "meeting", "s2", "c2"),
            meet("i3", "email", "c1", "s2"),
        ],
    )
    paths = warm_paths(w.fetch(AS_OF), "c2", AS_OF, k=5)
    assert all(p.people.count("s1") + p.people.count("s2") == 1 for p in paths)
    assert paths[0].people == ("s2", "c2")


def test_the_store_neighbourhood_gives_the_same_paths(sqlite_store: GraphStore) -> None:
    w = world()
    sqlite_store.write(
        GraphBatch(
            accounts=list(w.accounts.values()),
            contacts=[p for p in w.people.values() if isinstance(p, Contact)],
            staff=[p for p in w.people.values() if isinstance(p, Staff)],
            employments=w.employments,
            interactions=w.interactions,
            referrals=w.referrals,
        )
    )

    def fetch(ids: Sequence[str]) -> Neighbourhood:
        return sqlite_store.neighbourhood(ids, AS_OF)

    from_store = warm_paths(fetch, "p1", AS_OF, k=3)
    in_memory = warm_paths(w.fetch(AS_OF), "p1", AS_OF, k=3)
    assert [p.people for p in from_store] == [p.people for p in in_memory]
    assert [h.kind for h in from_store[1].hops] == ["tie", "colleague", "former_colleague"]
    assert from_store[0].strength == pytest.approx(in_memory[0].strength)


def test_search_stops_expanding_once_no_weaker_path_can_win() -> None:
    w = world()
    w.interactions.append(meet("i9", "exec_visit", "s1", "p1", day=20))
    paths = warm_paths(w.fetch(AS_OF), "p1", AS_OF, k=1)
    assert paths[0].people == ("s1", "p1")
    assert w.calls == [["p1"]]  # the direct tie beats anything further away: nothing else fetched
