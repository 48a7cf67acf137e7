"""Warm paths against brute force: every simple path of random small worlds, ranked by hand.

The reference takes every link of the whole world (``links_of`` over everybody, so the links
themselves are the module's documented definitions), enumerates every simple path from one of
our staff to the target of at most ``warm_path_max_hops`` links that runs through no other staff
member, and ranks them strongest first (then fewer hops, then the people's ids). The search,
which fetches neighbourhoods hop by hop and prunes, must return exactly its first ``k``.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.config import AnalysisConfig
from graph.analysis.warm_paths import links_of, warm_paths
from graph.model import Contact, Employment, InfluenceLine, Interaction, RelationKind, ReportingLine, Staff
from tests.graph.analysis.worlds import InMemoryWorld

AS_OF = date(2025, 6, 1)
KINDS = ("email", "call", "meeting", "exec_visit")


def brute_force(
    world: InMemoryWorld, target: str, k: int, max_hops: int
) -> list[tuple[float, tuple[str, ...]]]:
    everyone = sorted(world.people)
    links = links_of(world.neighbourhood(everyone, AS_OF), everyone)
    adjacency: dict[str, dict[str, float]] = {p: {} for p in everyone}
    for (a, b), hop in links.items():
        adjacency[a][b] = hop.strength
        adjacency[b][a] = hop.strength
    staff = {p for p, rec in world.people.items() if isinstance(rec, Staff)}
    paths: list[tuple[float, tuple[str, ...]]] = []

    def walk(path: list[str]) -> None:
        last = path[-1]
        if last == target:
            people = tuple(path)
            strength = math.prod(adjacency[a][b] for a, b in pairwise(people))
            paths.append((strength, people))
            return
        if len(path) - 1 == max_hops:
            return
        for other in adjacency[last]:
            if other in path or other in staff:
                continue
            walk([*path, other])

    for s in sorted(staff):
        if s != target:
            walk([s])
    paths.sort(key=lambda p: (-p[0], len(p[1]), p[1]))
    return paths[:k]


@st.composite
def worlds(draw: st.DrawFn) -> tuple[InMemoryWorld, str]:
    n_staff = draw(st.integers(1, 3))
    n_contacts = draw(st.integers(2, 12))
    staff = [f"s{i}" for i in range(n_staff)]
    contacts = [f"c{i}" for i in range(n_contacts)]
    people: dict[str, Contact | Staff] = {s: Staff(s, s.upper()) for s in staff}
    people.update({c: Contact(c, c.upper()) for c in contacts})
    interactions = []
    pairs = draw(
        st.lists(
            st.tuples(
                st.sampled_from(staff + contacts),
                st.sampled_from(contacts),
                st.integers(1, 12),  # how many interactions
                st.integers(0, 400),  # days before AS_OF of the latest
                st.sampled_from(KINDS),
            ),
            max_size=30,
        )
    )
    for n, (a, b, count, ago, kind) in enumerate(pairs):
        if a == b:
            continue
        for j in range(count):
            day = AS_OF - timedelta(days=ago + 14 * j)
            at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
            interactions.append(Interaction(f"i{n}-{j}", kind, at, participants=(a, b)))
    accounts = ["acme", "globex"]
    employments = []
    for c in contacts:
        where = draw(st.sampled_from([None, *accounts]))
        if where is not None:
            left = draw(st.booleans())
            until = AS_OF - timedelta(days=30) if left else None
            employments.append(Employment(c, where, since=date(2020, 1, 1), until=until))
    # org-chart and relation lines between contacts: reporting lines (some ended), influence lines
    lines = draw(
        st.lists(st.tuples(st.sampled_from(contacts), st.sampled_from(contacts), st.booleans()), max_size=6)
    )
    reporting = [
        ReportingLine(a, b, since=date(2020, 1, 1), until=AS_OF - timedelta(days=10) if ended else None)
        for a, b, ended in lines
        if a != b
    ]
    relations = draw(
        st.lists(
            st.tuples(
                st.sampled_from(contacts),
                st.sampled_from(contacts),
                st.sampled_from([0.2, 0.45, 0.8, 0.95]),
                st.sampled_from(list(RelationKind)),
            ),
            max_size=6,
        )
    )
    influence = [InfluenceLine(a, b, w, kind) for a, b, w, kind in relations if a != b]
    world = InMemoryWorld(
        people,
        interactions=interactions,
        employments=employments,
        reporting_lines=reporting,
        influence_lines=influence,
    )
    return world, draw(st.sampled_from(contacts))


@settings(max_examples=1500, deadline=None)
@given(worlds(), st.integers(1, 4), st.integers(1, 4))
def test_search_returns_the_brute_force_best_paths(
    case: tuple[InMemoryWorld, str], k: int, max_hops: int
) -> None:
    world, target = case
    config = AnalysisConfig(warm_path_max_hops=max_hops)
    expected = brute_force(world, target, k, max_hops)
    found = warm_paths(world.fetch(AS_OF), target, AS_OF, k=k, config=config)
    assert [p.people for p in found] == [people for _, people in expected]
    assert [p.strength for p in found] == [strength for strength, _ in expected]


@settings(max_examples=150, deadline=None)
@given(worlds(), st.integers(1, 3))
def test_search_from_given_staff_returns_the_brute_force_best_paths(
    case: tuple[InMemoryWorld, str], k: int
) -> None:
    world, target = case
    staff = sorted(p for p, rec in world.people.items() if isinstance(rec, Staff))[:1]
    expected = [p for p in brute_force(world, target, 10_000, 4) if p[1][0] in staff][:k]
    found = warm_paths(world.fetch(AS_OF), target, AS_OF, staff_ids=staff, k=k)
    assert [p.people for p in found] == [people for _, people in expected]


def _meetings(a: str, b: str, count: int = 20) -> list[Interaction]:
    out = []
    for j in range(count):
        day = AS_OF - timedelta(days=3 + 7 * j)
        out.append(
            Interaction(
                f"{a}-{b}-{j}",
                "meeting",
                datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
                participants=(a, b),
            )
        )
    return out


def test_a_person_first_seen_through_a_weak_link_is_searched_through_their_strongest_one() -> None:
    # t's colleagues y1-y3 and x are one weak link (0.4) away; x is also two strong ties away
    # (t-c-x). The strongest path s-q-x-c-t runs through x's strong approach, beyond the three
    # paths s-y-t: a search that kept x's first (weakest) value pruned q and never saw it.
    people: dict[str, Contact | Staff] = {"s": Staff("s", "Sam")}
    people.update({c: Contact(c, c.upper()) for c in ("t", "x", "c", "q", "y1", "y2", "y3")})
    interactions = [*_meetings("t", "c"), *_meetings("c", "x"), *_meetings("x", "q"), *_meetings("q", "s")]
    for y in ("y1", "y2", "y3"):
        interactions += _meetings("s", y)
    employments = [Employment(p, "acme", since=date(2020, 1, 1)) for p in ("t", "x", "y1", "y2", "y3")]
    world = InMemoryWorld(people, interactions=interactions, employments=employments)
    expected = brute_force(world, "t", 3, 4)
    assert expected[0][1] == ("s", "q", "x", "c", "t")  # the reference's own ranking
    found = warm_paths(world.fetch(AS_OF), "t", AS_OF, k=3)
    assert [p.people for p in found] == [people for _, people in expected]


def test_an_org_chart_line_links_at_the_reporting_strength_not_as_colleagues() -> None:
    people: dict[str, Contact | Staff] = {
        "s": Staff("s", "Sam"),
        "dir": Contact("dir", "Dir"),
        "cio": Contact("cio", "Cio"),
    }
    people["peer"] = Contact("peer", "Peer")
    jobs = [Employment(c, "acme", since=date(2020, 1, 1)) for c in ("dir", "cio", "peer")]
    world = InMemoryWorld(
        people,
        interactions=_meetings("s", "dir"),
        employments=jobs,
        reporting_lines=[ReportingLine("dir", "cio", since=date(2021, 1, 1))],
        influence_lines=[InfluenceLine("peer", "dir", 0.9, RelationKind.ADVISES)],
    )
    tie = links_of(world.neighbourhood(["s", "dir"], AS_OF), ["s", "dir"])[("dir", "s")].strength
    to_cio = warm_paths(world.fetch(AS_OF), "cio", AS_OF, k=1)[0]
    # s -> dir (their tie) -> cio over the reporting line at 0.5, where colleagues alone give 0.4
    assert to_cio.people == ("s", "dir", "cio")
    assert to_cio.strength == tie * 0.5
    line = to_cio.hops[1]
    assert line.kind == "reports_to" and (line.evidence["contact_id"], line.evidence["manager_id"]) == (
        "dir",
        "cio",
    )
    assert {"kind": "colleague", "strength": 0.4} in line.evidence["alternatives"]
    # an influence line counts at its weight, whichever way the path runs
    to_peer = warm_paths(world.fetch(AS_OF), "peer", AS_OF, k=1)[0]
    assert to_peer.people == ("s", "dir", "peer") and to_peer.strength == tie * 0.9
    assert to_peer.hops[1].evidence["relation"] == "advises"
    # an ended line gives no link: cio is a colleague again
    ended = InMemoryWorld(
        people,
        interactions=_meetings("s", "dir"),
        employments=jobs,
        reporting_lines=[
            ReportingLine("dir", "cio", since=date(2021, 1, 1), until=AS_OF - timedelta(days=1))
        ],
    )
    assert warm_paths(ended.fetch(AS_OF), "cio", AS_OF, k=1)[0].strength == tie * 0.4
