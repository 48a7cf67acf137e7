"""Account scoping (graph.scope) against a pair-by-pair reference written from the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.model import (
    Account,
    Contact,
    Employment,
    Interaction,
    InteractionKind,
    Staff,
    TeamMembership,
    TeamRole,
)
from graph.scope import account_activity
from graph.store import AccountSubgraph

START = date(2024, 1, 1)
AS_OF = date(2025, 6, 30)
CONTACTS = ("c0", "c1", "c2", "c3")
STAFF = ("s0", "s1", "s2")


def _day(draw: st.DrawFn) -> date:
    return START + timedelta(days=draw(st.integers(0, 560)))


@st.composite
def subgraphs(draw: st.DrawFn) -> AccountSubgraph:
    jobs = []
    for c in CONTACTS:
        for _ in range(draw(st.integers(0, 2))):
            since = _day(draw)
            until = draw(st.sampled_from([None, since + timedelta(days=draw(st.integers(0, 300)))]))
            jobs.append(Employment(c, draw(st.sampled_from(["a", "b"])), since=since, until=until))
    team = []
    for s in STAFF:
        if draw(st.booleans()):
            since = _day(draw)
            until = draw(st.sampled_from([None, since + timedelta(days=draw(st.integers(0, 300)))]))
            team.append(TeamMembership(s, "a", TeamRole.ACCOUNT_REP, since=since, until=until))
    staff = tuple(
        Staff(s, s.upper(), until=draw(st.sampled_from([None, _day(draw), AS_OF + timedelta(days=30)])))
        for s in STAFF
    )
    interactions = tuple(
        Interaction(
            f"i{k}",
            InteractionKind.MEETING,
            datetime.combine(_day(draw), datetime.min.time(), UTC),
            participants=tuple(draw(st.lists(st.sampled_from(CONTACTS + STAFF), min_size=2, max_size=4))),
            accounts=draw(st.sampled_from([(), ("a",), ("b",), ("a", "b")])),
        )
        for k in range(8)
    )
    return AccountSubgraph(
        Account("a", "A"),
        AS_OF,
        contacts=tuple(Contact(c, c.upper()) for c in CONTACTS),
        employments=tuple(jobs),
        staff=staff,
        team=tuple(team),
        interactions=interactions,
    )


def _works_at_a(sub: AccountSubgraph, contact: str, day: date) -> bool:
    return any(
        j.contact_id == contact
        and j.account_id == "a"
        and (j.since is None or j.since <= day)
        and (j.until is None or day <= j.until)
        for j in sub.employments
    )


def _staff_counts(sub: AccountSubgraph, staff_id: str, day: date) -> bool:
    person = next(s for s in sub.staff if s.id == staff_id)
    if person.until is not None and person.until < sub.as_of:
        return False  # left us
    mine = [m for m in sub.team if m.staff_id == staff_id]
    if mine and all(m.until is not None and m.until < sub.as_of for m in mine):
        last = max(m.until for m in mine if m.until is not None)
        return day > last  # a former team member counts only for what came after the team
    return True


def _reference(sub: AccountSubgraph) -> set[tuple[str, str, str]]:
    """Every (interaction, person, person) pair that is a tie of account a, rule by rule."""
    pairs = set()
    for ix in sub.interactions:
        day = ix.at.date()
        if ix.accounts and "a" not in ix.accounts:
            continue
        for x, y in combinations(sorted(set(ix.participants)), 2):
            if x in STAFF and y in STAFF:
                continue
            ok = True
            for p in (x, y):
                if p in STAFF:
                    ok = ok and _staff_counts(sub, p, day)
                elif not ix.accounts:
                    ok = ok and _works_at_a(sub, p, day)
            if ok:
                pairs.add((ix.id, x, y))
    return pairs


def _pairs(sub: AccountSubgraph) -> set[tuple[str, str, str]]:
    staff = {s.id for s in sub.staff}
    pairs = set()
    for ix in sub.interactions:
        people = [p for p in ix.participants if p in staff or p in CONTACTS]
        for x, y in combinations(sorted(people), 2):
            if not (x in STAFF and y in STAFF):
                pairs.add((ix.id, x, y))
    return pairs


@settings(max_examples=150, deadline=None)
@given(subgraphs())
def test_scoped_pairs_equal_the_rule_by_rule_reference_and_scoping_is_idempotent(
    sub: AccountSubgraph,
) -> None:
    scoped = account_activity(sub)
    assert _pairs(scoped) == _reference(sub)
    assert account_activity(scoped) == scoped
