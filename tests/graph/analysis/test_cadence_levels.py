"""Exec-level interactions: the prepared level lookup equals the level of the position on the day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.cadence import is_exec_level
from graph.model import Account, Contact, Employment, Interaction, InteractionKind, Level
from graph.store import AccountSubgraph

LEVELS = [None, *Level]
START = date(2024, 1, 1)


def _reference(interaction: Interaction, sub: AccountSubgraph) -> bool:
    """Job by job: a participant counts at the level of a position at ``a`` held on the day (the
    contact's own level when that position has none); without such a position, at no level."""
    if interaction.kind is InteractionKind.EXEC_VISIT:
        return True
    own = {c.id: c.level for c in sub.contacts}
    day = interaction.at.date()
    for pid in interaction.participants:
        if pid not in own:
            continue
        held = [
            job
            for job in sub.employments
            if job.contact_id == pid
            and job.account_id == "a"
            and (job.since is None or job.since <= day)
            and (job.until is None or day <= job.until)
        ]
        if not held:
            continue
        with_level = [job.level for job in held if job.level is not None]
        level = with_level[0] if with_level else own[pid]
        if level is Level.EXECUTIVE:
            return True
    return False


@st.composite
def accounts(draw: st.DrawFn) -> tuple[AccountSubgraph, list[Interaction]]:
    contacts = [Contact(f"c{i}", f"C{i}", level=draw(st.sampled_from(LEVELS))) for i in range(3)]
    jobs = []
    for c in contacts:
        for _ in range(draw(st.integers(0, 2))):
            since = START + timedelta(days=draw(st.integers(0, 300)))
            until = draw(st.sampled_from([None, since + timedelta(days=draw(st.integers(0, 200)))]))
            account = draw(st.sampled_from(["a", "a", "b"]))
            jobs.append(
                Employment(c.id, account, level=draw(st.sampled_from(LEVELS)), since=since, until=until)
            )
    interactions = [
        Interaction(
            f"i{k}",
            draw(
                st.sampled_from([InteractionKind.CALL, InteractionKind.MEETING, InteractionKind.EXEC_VISIT])
            ),
            datetime(2024, 1, 1, 9, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 500))),
            participants=tuple(
                draw(st.lists(st.sampled_from(["c0", "c1", "c2", "s1"]), min_size=1, max_size=3))
            ),
        )
        for k in range(8)
    ]
    sub = AccountSubgraph(
        Account("a", "A"), date(2025, 6, 1), contacts=tuple(contacts), employments=tuple(jobs)
    )
    return sub, interactions


@settings(max_examples=80, deadline=None)
@given(accounts())
def test_exec_level_equals_the_job_by_job_reference(case: tuple[AccountSubgraph, list[Interaction]]) -> None:
    sub, interactions = case
    for interaction in interactions:
        assert is_exec_level(interaction, sub) == _reference(interaction, sub)
