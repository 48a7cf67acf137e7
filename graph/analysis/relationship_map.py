"""The relationship map of one account as of a date: who we know there, and how well.

The map is the account *as people read it*, plain frozen records for the map page, the API's
``relationshipMap`` (:mod:`schema.relationship_map`) and the materialised payload: no graph
object, and nothing computed on paths. Its sibling :mod:`graph.analysis.relgraph` builds the
*path graph* instead, the :class:`networkx.DiGraph` that reach, coverage and risk run on. Both
start from the same :class:`~graph.records.AccountSubgraph`, the same ties
(:func:`~graph.analysis.strength.ties_of`) and the same helpers of ``relgraph`` (who holds an
active position, a contact's level, our staff), so a person is on the map exactly when they are
a node of the path graph (plus the people who left, whom the map keeps and the graph drops).

The map lists the account's contacts with an active position (title, department, level,
buying roles, influence, stance, since/until), the people who left (their last position ended
on or before ``as_of``), the org lines (REPORTS_TO active on ``as_of``) and influence lines
between them, our team (active ON_TEAM memberships) and other staff with ties, every tie with
its strength, band and evidence, and a placeholder for each required role of the account's tier
(:meth:`~graph.analysis.config.AnalysisConfig.required_roles`) that no active contact holds.

Examples
--------
>>> from graph.analysis.relgraph import example_subgraph
>>> m = relationship_map(example_subgraph())
>>> [c.contact_id for c in m.contacts], [c.contact_id for c in m.former]
(['cio', 'dir'], ['old'])
>>> [p.role.value for p in m.placeholders]
[]
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.frozen import frozen_record
from graph.analysis.gcpause import gc_paused
from graph.analysis.relgraph import active_employments, contact_level, our_staff
from graph.analysis.strength import Tie, ties_of
from graph.model import Contact, Employment, Level, PoliticalStatus, Role, Stance, TeamRole, Tier
from graph.records import AccountSubgraph

__all__ = [
    "MapContact",
    "MapLine",
    "MapStaff",
    "RelationshipMap",
    "RolePlaceholder",
    "relationship_map",
]


@frozen_record
class MapContact:
    """A contact on the map with their position at the account.

    ``left`` is true for people whose last position at the account ended on or before
    ``as_of`` (and who hold no active one); ``until`` is then their last day.
    """

    contact_id: str
    name: str
    title: str | None
    department: str | None
    level: Level | None
    roles: tuple[Role, ...]
    influence: int | None
    stance: Stance
    political_status: PoliticalStatus | None
    since: date | None
    until: date | None
    left: bool


@dataclass(frozen=True, slots=True)
class MapLine:
    """An org line (``kind="reports_to"``: ``source`` reports to ``target``) or an influence
    line (``kind="influences"``, with its ``weight``)."""

    kind: str
    source: str
    target: str
    weight: float
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True, slots=True)
class MapStaff:
    """One of our people on the map: ``on_team`` with ``team_role``, or off the team with ties."""

    staff_id: str
    name: str
    title: str | None
    level: Level | None
    on_team: bool
    team_role: TeamRole | None
    since: date | None
    until: date | None


@dataclass(frozen=True, slots=True)
class RolePlaceholder:
    """A required role of the account's tier that no active contact holds."""

    role: Role
    weight: float


@dataclass(frozen=True, slots=True)
class RelationshipMap:
    """The relationship map of one account as of ``as_of``.

    ``ties`` are the staff-contact and contact-contact ties touching the account's contacts
    (current and former), strongest first, each with its evidence.
    """

    account_id: str
    account_name: str
    tier: Tier
    as_of: date
    contacts: tuple[MapContact, ...]
    former: tuple[MapContact, ...]
    org_lines: tuple[MapLine, ...]
    influence_lines: tuple[MapLine, ...]
    staff: tuple[MapStaff, ...]
    ties: tuple[Tie, ...]
    required_roles: tuple[Role, ...]
    placeholders: tuple[RolePlaceholder, ...]

    def contact(self, contact_id: str) -> MapContact:
        """The map entry of a contact (current or former).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> relationship_map(example_subgraph()).contact("dir").title
        'IT Director'
        """
        for entry in (*self.contacts, *self.former):
            if entry.contact_id == contact_id:
                return entry
        raise KeyError(f"contact {contact_id!r} is not on the map of account {self.account_id!r}")


@gc_paused()
def relationship_map(
    subgraph: AccountSubgraph,
    config: AnalysisConfig = DEFAULT_CONFIG,
    ties: Mapping[tuple[str, str], Tie] | None = None,
) -> RelationshipMap:
    """The relationship map of ``subgraph.account`` as of ``subgraph.as_of``.

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's data.
    config : AnalysisConfig
        Tie parameters and the required roles per tier.
    ties : mapping, optional
        Precomputed ties of the subgraph (:func:`~graph.analysis.strength.ties_of`).

    Returns
    -------
    RelationshipMap

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> m = relationship_map(example_subgraph())
    >>> [(t.a, t.b, t.band) for t in m.ties]
    [('rep', 'dir', 'strong'), ('rep', 'old', 'weak')]
    >>> m.former[0].left, m.former[0].until
    (True, datetime.date(2025, 3, 31))
    >>> [(s.staff_id, s.team_role.value) for s in m.staff]
    [('rep', 'account_rep')]
    """
    if ties is None:
        ties = ties_of(subgraph, config)
    account = subgraph.account
    active = active_employments(subgraph)
    people = {c.id: c for c in subgraph.contacts}
    contacts, former = _map_contacts(people, active, _last_positions(subgraph, active))
    known = set(people)
    required = config.required_roles(account.tier)
    return RelationshipMap(
        account_id=account.id,
        account_name=account.name,
        tier=account.tier,
        as_of=subgraph.as_of,
        contacts=contacts,
        former=former,
        org_lines=_org_lines(subgraph, known, config),
        influence_lines=_influence_lines(subgraph, known),
        staff=_map_staff(subgraph, ties, set(active)),
        ties=_map_ties(ties, known),
        required_roles=required,
        placeholders=_placeholders(required, active, known, config),
    )


def _last_positions(subgraph: AccountSubgraph, active: Mapping[str, Employment]) -> dict[str, Employment]:
    """Per person who left the account (no active position), their last position started by ``as_of``."""
    as_of = subgraph.as_of
    last_position: dict[str, Employment] = {}
    for emp in subgraph.employments:
        if emp.account_id != subgraph.account.id or emp.contact_id in active:
            continue
        if emp.since is not None and emp.since > as_of:
            continue
        seen = last_position.get(emp.contact_id)
        if seen is None or (emp.until or date.max) > (seen.until or date.max):
            last_position[emp.contact_id] = emp
    return last_position


def _map_contacts(
    people: Mapping[str, Contact],
    active: Mapping[str, Employment],
    last_position: Mapping[str, Employment],
) -> tuple[tuple[MapContact, ...], tuple[MapContact, ...]]:
    """The current contacts (at their active position) and the former ones (at their last), by id."""
    contacts: list[MapContact] = []
    former: list[MapContact] = []
    for cid in sorted(set(active) | set(last_position)):
        person = people.get(cid)
        if person is None:
            continue
        is_left = cid not in active
        entry = _map_contact(person, last_position[cid] if is_left else active[cid], is_left)
        (former if is_left else contacts).append(entry)
    return tuple(contacts), tuple(former)


def _map_contact(person: Contact, emp: Employment, left: bool) -> MapContact:
    """A contact's map entry at position ``emp`` (the position's title and department first)."""
    return MapContact(
        contact_id=person.id,
        name=person.name,
        title=emp.title or person.title,
        department=emp.department or person.department,
        level=contact_level(person, emp),
        roles=_sorted_roles(emp.roles),
        influence=person.influence,
        stance=person.stance,
        political_status=person.political_status,
        since=emp.since,
        until=emp.until,
        left=left,
    )


@functools.lru_cache(maxsize=256)
def _sorted_roles(roles: frozenset[Role]) -> tuple[Role, ...]:
    """The roles by value (contacts share a handful of role sets)."""
    return tuple(sorted(roles, key=lambda r: r.value))


def _org_lines(
    subgraph: AccountSubgraph, known: Collection[str], config: AnalysisConfig
) -> tuple[MapLine, ...]:
    """Reporting lines active on ``as_of`` between people on the map."""
    return tuple(
        MapLine(
            "reports_to",
            line.contact_id,
            line.manager_id,
            config.reporting_line_strength,
            line.since,
            line.until,
        )
        for line in sorted(subgraph.reporting_lines, key=lambda x: x.key)
        if line.active_on(subgraph.as_of) and line.contact_id in known and line.manager_id in known
    )


def _influence_lines(subgraph: AccountSubgraph, known: Collection[str]) -> tuple[MapLine, ...]:
    """Influence lines between people on the map, with their kind and weight."""
    return tuple(
        MapLine(line.kind.value, line.source_id, line.target_id, line.weight)
        for line in sorted(subgraph.influence_lines, key=lambda x: x.key)
        if line.source_id in known and line.target_id in known
    )


def _map_staff(
    subgraph: AccountSubgraph, ties: Mapping[tuple[str, str], Tie], active: set[str]
) -> tuple[MapStaff, ...]:
    """Our people on the map, by id: the account team and other staff with ties to its contacts."""
    ours = our_staff(subgraph, ties, active)
    staff_by_id = {s.id: s for s in subgraph.staff}
    staff: list[MapStaff] = []
    for sid in sorted(ours):
        member = ours[sid]
        person_s = staff_by_id.get(sid)
        staff.append(
            MapStaff(
                staff_id=sid,
                name=person_s.name if person_s else sid,
                title=person_s.title if person_s else None,
                level=person_s.level if person_s else None,
                on_team=member is not None,
                team_role=member.team_role if member else None,
                since=member.since if member else None,
                until=member.until if member else None,
            )
        )
    return tuple(staff)


def _map_ties(ties: Mapping[tuple[str, str], Tie], known: Collection[str]) -> tuple[Tie, ...]:
    """The ties touching people on the map, strongest first."""
    touching = [t for t in ties.values() if t.b in known or t.a in known]
    # by (-strength, a, b): two sorts on C-level keys (stable, so the second keeps the first's
    # order among equal strengths) instead of one on a Python key per tie
    touching.sort(key=attrgetter("a", "b"))
    touching.sort(key=attrgetter("strength"), reverse=True)
    return tuple(touching)


def _placeholders(
    required: tuple[Role, ...],
    active: Mapping[str, Employment],
    known: Collection[str],
    config: AnalysisConfig,
) -> tuple[RolePlaceholder, ...]:
    """The required roles that no active contact on the map holds."""
    held = {role for cid in active for role in active[cid].roles if cid in known}
    return tuple(RolePlaceholder(role, config.role_weight(role)) for role in required if role not in held)
