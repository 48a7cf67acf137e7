"""Account scoping: which activity, people and lines belong to one account as of one day.

A pure function over an :class:`~graph.store.AccountSubgraph`, applied by every backend to the
subgraph it reads (so the embedded store and Neo4j scope the same way) and safe to apply again
(it is idempotent). The rules (design brief, "Account-scoped activity"):

* An interaction **about** the account counts, with all its participants.
* An interaction about **other accounts only** does not count (a former contact meeting us about
  their new employer is not activity of their old one).
* An interaction about **no account** counts while the people involved work there: it is kept
  when at least one participant held a position at the account on the interaction's (UTC) day,
  and its participants are cut down to our staff and the contacts who held a position there on
  that day (nobody else's pairs are the account's ties).
* **Our staff** count only while they are with us and on the team. Staff who left us (their
  ``until`` is before ``as_of``) are dropped from ``staff``. A *former team member* (every
  membership of the account ended before ``as_of``) is taken out of the interactions dated
  while they were on the team: the ties they built there left with them; what they do with the
  account afterwards counts like the visit of anyone off the team. Staff never on the team (an
  executive who visited) count while they are with us. ``staff`` then holds the staff on the
  team and those taking part in the scoped interactions; memberships stay in ``team`` as history,
  those of staff who left us ended on their last day with us.
* **Reporting lines** end when either person's time at the account ends: a line whose end
  left the account (no position active on ``as_of``) gets ``until`` = the last day that person
  worked there (dropped when that is before the line started).

**Dated attributes**: the account's tier and annual revenue and each contact's stance are
those their histories give on ``as_of`` (:meth:`graph.model.Account.on`,
:meth:`graph.model.Contact.on`), so time travel sees the values of the day.

Levels and roles come from positions (:class:`~graph.model.Employment`) and so already count
only while the position is held; :mod:`graph.analysis.cadence` reads levels by day likewise.

Examples
--------
>>> from datetime import UTC, date, datetime
>>> from graph.model import Account, Contact, Employment, Interaction, Staff
>>> from graph.store import AccountSubgraph
>>> def meet(iid, day, about=()):
...     return Interaction(iid, "meeting", datetime(2025, day, 1, tzinfo=UTC),
...                        participants=("rep", "cy"), accounts=about)
>>> sub = AccountSubgraph(Account("globex", "Globex"), date(2025, 12, 31),
...     contacts=(Contact("cy", "Cy"),), staff=(Staff("rep", "Rita"),),
...     employments=(Employment("cy", "globex", until=date(2025, 3, 31)),),
...     interactions=(meet("a", 2), meet("b", 5), meet("c", 6, ("initech",)), meet("d", 7, ("globex",))))
>>> [i.id for i in account_activity(sub).interactions]
['a', 'd']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date

from graph.model import Employment, Interaction, ReportingLine, TeamMembership
from graph.store import AccountSubgraph

__all__ = ["account_activity", "counts_for_account", "reporting_lines_ending", "scoped_participants"]


def account_activity(subgraph: AccountSubgraph) -> AccountSubgraph:
    """The subgraph with only the account's own activity, staff and lines (see the module doc).

    Parameters
    ----------
    subgraph : AccountSubgraph
        An account's subgraph as a backend reads it.

    Returns
    -------
    AccountSubgraph
        The same subgraph, its ``interactions``, ``staff`` and ``reporting_lines`` scoped and its
        account and contacts as of ``as_of``.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Account, Staff, TeamMembership
    >>> from graph.store import AccountSubgraph
    >>> sub = AccountSubgraph(Account("a", "A"), date(2025, 6, 1),
    ...     staff=(Staff("s1", "Sam"), Staff("s2", "Sue"), Staff("s3", "Syd", until=date(2025, 1, 31))),
    ...     team=(TeamMembership("s1", "a", "account_rep", until=date(2025, 3, 31)),
    ...           TeamMembership("s2", "a", "delivery_lead")))
    >>> [s.id for s in account_activity(sub).staff]
    ['s2']
    """
    account_id = subgraph.account.id
    as_of = subgraph.as_of
    jobs = _jobs_at(subgraph.employments, account_id)
    staff = tuple(s for s in subgraph.staff if s.until is None or s.until >= as_of)
    staff_ids = {s.id for s in staff}
    left = {s.id: s.until for s in subgraph.staff if s.until is not None}
    team = tuple(_end_with_us(m, left) for m in subgraph.team)
    off_team = _off_team_since(team, account_id, as_of)
    interactions: list[Interaction] = []
    for interaction in subgraph.interactions:
        kept = _scoped(interaction, account_id, jobs, staff_ids)
        if kept is not None and off_team:
            kept = _without_former_members(kept, off_team)
        if kept is not None:
            interactions.append(kept)
    present = (
        {m.staff_id for m in team if m.account_id == account_id}
        - off_team.keys()
        - ({s.id for s in subgraph.staff} - staff_ids)
    )
    for interaction in interactions:
        present.update(interaction.participants)
    staff = tuple(s for s in staff if s.id in present)
    lines = tuple(
        line for line in (_clip(line, jobs, as_of) for line in subgraph.reporting_lines) if line is not None
    )
    return dataclasses.replace(
        subgraph,
        account=subgraph.account.on(as_of),
        contacts=tuple(c.on(as_of) for c in subgraph.contacts),
        staff=staff,
        team=team,
        interactions=tuple(interactions),
        reporting_lines=lines,
    )


def counts_for_account(interaction: Interaction, account_id: str, employments: Iterable[Employment]) -> bool:
    """Whether ``interaction`` is activity of ``account_id`` (about it, or about no account while
    one of its participants held a position there).

    Examples
    --------
    >>> from datetime import UTC, date, datetime
    >>> call = Interaction("i1", "call", datetime(2025, 5, 1, tzinfo=UTC), participants=("s1", "cy"))
    >>> counts_for_account(call, "globex", [Employment("cy", "globex", until=date(2025, 3, 31))])
    False
    >>> counts_for_account(call, "initech", [Employment("cy", "initech", since=date(2025, 4, 1))])
    True
    """
    if account_id in interaction.accounts:
        return True
    if interaction.accounts:
        return False
    jobs = _jobs_at(employments, account_id)
    day = interaction.at.date()
    return any(_works_on(jobs.get(p, ()), day) for p in interaction.participants)


def scoped_participants(
    interaction: Interaction, account_id: str, employments: Iterable[Employment], staff_ids: Iterable[str]
) -> tuple[str, ...]:
    """The participants of ``interaction`` whose pairs are ties of ``account_id``.

    All of them for an interaction about the account; for one about no account our staff and the
    contacts holding a position at the account on its day; nobody otherwise.

    Examples
    --------
    >>> from datetime import UTC, date, datetime
    >>> ix = Interaction("i1", "call", datetime(2025, 5, 1, tzinfo=UTC), participants=("s1", "cy", "dee"))
    >>> scoped_participants(ix, "globex", [Employment("dee", "globex")], {"s1"})
    ('dee', 's1')
    """
    kept = _scoped(interaction, account_id, _jobs_at(employments, account_id), set(staff_ids))
    return kept.participants if kept is not None else ()


def reporting_lines_ending(
    contact_id: str,
    left: Iterable[str],
    last_day: date,
    lines: Iterable[ReportingLine],
    employments: Iterable[Employment],
) -> list[ReportingLine]:
    """The open reporting lines of ``contact_id`` that end when they leave the accounts ``left``.

    A line (as the report or as the manager) ends on ``last_day`` when it is open on that day
    and the other person held a position at one of the accounts left on that day. Lines that
    start after ``last_day`` or are already closed are kept as they are.

    Parameters
    ----------
    contact_id : str
        The person leaving.
    left : iterable of str
        The accounts they leave.
    last_day : date
        Their last day there.
    lines : iterable of ReportingLine
        Candidate lines (those not touching ``contact_id`` are ignored).
    employments : iterable of Employment
        Positions of the other ends of the lines.

    Examples
    --------
    >>> lines = [ReportingLine("greg", "carol"), ReportingLine("carol", "board")]
    >>> jobs = [Employment("greg", "globex"), Employment("board", "holding")]
    >>> reporting_lines_ending("carol", ["globex"], date(2024, 6, 30), lines, jobs)
    [ReportingLine(contact_id='greg', manager_id='carol', since=None, until=datetime.date(2024, 6, 30))]
    """
    accounts = set(left)
    at_left: set[str] = {
        job.contact_id for job in employments if job.account_id in accounts and job.active_on(last_day)
    }
    ended: list[ReportingLine] = []
    for line in lines:
        if contact_id not in (line.contact_id, line.manager_id) or not line.active_on(last_day):
            continue
        if line.until is not None and line.until <= last_day:
            continue
        other = line.manager_id if line.contact_id == contact_id else line.contact_id
        if other in at_left:
            ended.append(dataclasses.replace(line, until=last_day))
    return ended


def _jobs_at(employments: Iterable[Employment], account_id: str) -> dict[str, list[Employment]]:
    jobs: dict[str, list[Employment]] = {}
    for job in employments:
        if job.account_id == account_id:
            jobs.setdefault(job.contact_id, []).append(job)
    return jobs


def _works_on(jobs: Iterable[Employment], day: date) -> bool:
    return any(job.active_on(day) for job in jobs)


def _scoped(
    interaction: Interaction, account_id: str, jobs: Mapping[str, list[Employment]], staff_ids: set[str]
) -> Interaction | None:
    if account_id in interaction.accounts:
        return interaction
    if interaction.accounts:
        return None
    day = interaction.at.date()
    working = [p for p in interaction.participants if _works_on(jobs.get(p, ()), day)]
    if not working:
        return None
    kept = tuple(p for p in interaction.participants if p in staff_ids or p in working)
    if kept == interaction.participants:
        return interaction
    return dataclasses.replace(interaction, participants=kept)


def _end_with_us(membership: TeamMembership, left: Mapping[str, date | None]) -> TeamMembership:
    """The membership, ended on the staff member's last day with us at the latest."""
    last = left.get(membership.staff_id)
    if last is None or (membership.until is not None and membership.until <= last):
        return membership
    if membership.since is not None and last < membership.since:
        last = membership.since  # joined the team after leaving us: bad data, kept to one day
    return dataclasses.replace(membership, until=last)


def _off_team_since(team: Iterable[TeamMembership], account_id: str, as_of: date) -> dict[str, date]:
    """Former team members (every membership ended before ``as_of``): id -> last day on the team."""
    ended: dict[str, date] = {}
    active: set[str] = set()
    for m in team:
        if m.account_id != account_id:
            continue
        if m.until is not None and m.until < as_of:
            ended[m.staff_id] = max(m.until, ended.get(m.staff_id, m.until))
        else:
            active.add(m.staff_id)
    return {sid: day for sid, day in ended.items() if sid not in active}


def _without_former_members(interaction: Interaction, off_team: Mapping[str, date]) -> Interaction | None:
    """The interaction without the former team members who took part while on the team."""
    day = interaction.at.date()
    kept = tuple(p for p in interaction.participants if p not in off_team or day > off_team[p])
    if kept == interaction.participants:
        return interaction
    return dataclasses.replace(interaction, participants=kept) if kept else None


def _clip(line: ReportingLine, jobs: Mapping[str, list[Employment]], as_of: date) -> ReportingLine | None:
    until = line.until
    for person in (line.contact_id, line.manager_id):
        held = jobs.get(person, ())
        if not held or _works_on(held, as_of):
            continue
        ends = [job.until for job in held if job.until is not None and job.until < as_of]
        if not ends:
            continue
        last = max(ends)
        if until is None or last < until:
            until = last
    if until == line.until:
        return line
    if line.since is not None and until is not None and until < line.since:
        return None
    return dataclasses.replace(line, until=until)
