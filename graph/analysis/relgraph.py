"""The relationship graph of one account: the networkx graph reach, coverage and risk run on.

Not the relationship *map*: :mod:`graph.analysis.relationship_map` describes the account for
people to read (contacts with their positions, the people who left, org lines, our team and
every tie with its evidence, as plain records). This module turns the same data into a *path
graph*, a weighted :class:`networkx.DiGraph` whose edges say how far an introduction can
carry, for the analyses that search it (reach and coverage in :mod:`~graph.analysis.coverage`,
threads and departures in :mod:`~graph.analysis.risk`, and those built on them). It also holds
what both share: :func:`active_employments`, :func:`contact_level`, :func:`our_staff`, and the small
:func:`example_subgraph` the examples of every analysis run on.

:func:`relationship_graph` turns an :class:`~graph.records.AccountSubgraph` into a directed
:class:`networkx.DiGraph` of *paths* (design brief, "Paths"):

* nodes: **our staff** and the account's **active contacts** (employment active on ``as_of``).
  Node attributes: ``kind`` (``"staff"`` or ``"contact"``), ``name``, ``level`` and, for staff,
  ``on_team`` (an active ON_TEAM membership) and ``team_role``; for contacts ``roles``
  (a frozenset of :class:`~graph.model.Role`).
* edges ``u -> v`` with attributes ``strength`` (the best link between them), ``link`` (the
  kind of that best link: ``"tie"``, ``"reports_to"``, ``"manages"`` or ``"influences"``) and
  ``links`` (every link between them as ``(kind, strength)``, best first):

  - staff -> contact: their tie's effective strength (strength x going-cold factor; staff are
    only ever the start of a path);
  - contact <-> contact: the same from shared interactions, in both directions;
  - reporting lines active on ``as_of``: ``reporting_line_strength`` both ways (a manager can
    introduce us to a report and back);
  - influence lines (any informal relation kind): ``source -> target`` with the line's weight,
    and ``target -> source`` too for a symmetric kind (friend, former colleague, colleague).

**Our staff** are the staff on the account team on ``as_of`` *and* every other staff member
with a tie to one of the account's active contacts (an executive who visited the customer is a
relationship we have, even if they are not on the team). ``on_team`` tells them apart.
Staff whose team membership ended and who have no tie left are not in the graph.

Examples
--------
>>> g = relationship_graph(example_subgraph())
>>> sorted(g.nodes)
['cio', 'dir', 'rep']
>>> g.edges["rep", "dir"]["link"], round(g.edges["rep", "dir"]["strength"], 3)
('tie', 0.665)
>>> g.edges["dir", "cio"]["link"], g.edges["cio", "dir"]["strength"]
('reports_to', 0.5)
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import networkx as nx

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.strength import STAFF_CONTACT, Tie, ties_of
from graph.model import (
    Account,
    Contact,
    Employment,
    InfluenceLine,
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
from graph.records import AccountSubgraph

__all__ = [
    "active_employments",
    "contact_level",
    "example_subgraph",
    "our_staff",
    "relationship_graph",
]


def active_employments(subgraph: AccountSubgraph) -> dict[str, Employment]:
    """The employment at the account active on ``as_of``, per contact id.

    When a contact holds two active positions (bad data) the one started last wins.

    Examples
    --------
    >>> sorted(active_employments(example_subgraph()))
    ['cio', 'dir']
    """
    account_id = subgraph.account.id
    result: dict[str, Employment] = {}
    for emp in subgraph.employments:
        if emp.account_id != account_id or not emp.active_on(subgraph.as_of):
            continue
        seen = result.get(emp.contact_id)
        if seen is None or (emp.since or date.min) >= (seen.since or date.min):
            result[emp.contact_id] = emp
    return result


def contact_level(contact: Contact, employment: Employment | None) -> Level | None:
    """A contact's level: the employment's level, else the contact's own.

    Examples
    --------
    >>> contact_level(Contact("c1", "Ada", level="executive"), Employment("c1", "acme", level="management"))
    <Level.MANAGEMENT: 'management'>
    """
    if employment is not None and employment.level is not None:
        return employment.level
    return contact.level


def our_staff(
    subgraph: AccountSubgraph, ties: Mapping[tuple[str, str], Tie], active_contacts: set[str] | None = None
) -> dict[str, TeamMembership | None]:
    """Our staff for the account: id -> active team membership (``None`` when off the team).

    Examples
    --------
    >>> sub = example_subgraph()
    >>> our_staff(sub, ties_of(sub))["rep"].team_role.value
    'account_rep'
    """
    if active_contacts is None:
        active_contacts = set(active_employments(subgraph))
    result: dict[str, TeamMembership | None] = {}
    for membership in subgraph.team:
        if membership.account_id == subgraph.account.id and membership.active_on(subgraph.as_of):
            result.setdefault(membership.staff_id, membership)
    staff_ids = {s.id for s in subgraph.staff}
    for tie in ties.values():
        if tie.kind == STAFF_CONTACT and tie.a in staff_ids and tie.b in active_contacts and tie.strength > 0:
            result.setdefault(tie.a, None)
    return result


def relationship_graph(
    subgraph: AccountSubgraph,
    config: AnalysisConfig = DEFAULT_CONFIG,
    ties: Mapping[tuple[str, str], Tie] | None = None,
) -> nx.DiGraph:
    """The directed path graph of an account as of ``subgraph.as_of`` (see the module doc).

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's data.
    config : AnalysisConfig
        Supplies ``reporting_line_strength`` (and the tie parameters when ``ties`` is not given).
    ties : mapping, optional
        Precomputed :func:`~graph.analysis.strength.tie_strengths` of the subgraph.

    Returns
    -------
    networkx.DiGraph
        Graph attributes: ``account_id``, ``as_of``, ``staff`` (tuple of our staff ids) and
        ``contacts`` (tuple of active contact ids).

    Examples
    --------
    >>> g = relationship_graph(example_subgraph())
    >>> g.graph["staff"], g.graph["contacts"]
    (('rep',), ('cio', 'dir'))
    >>> g.nodes["cio"]["roles"] == frozenset({Role.ECONOMIC_BUYER})
    True
    """
    if ties is None:
        ties = ties_of(subgraph, config)
    active = active_employments(subgraph)
    contacts = {c.id: c for c in subgraph.contacts}
    staff_by_id = {s.id: s for s in subgraph.staff}
    ours = our_staff(subgraph, ties, set(active))
    graph = nx.DiGraph(account_id=subgraph.account.id, as_of=subgraph.as_of)
    nodes: list[tuple[str, dict[str, Any]]] = []
    for sid in sorted(ours):
        member = ours[sid]
        person = staff_by_id.get(sid)
        attrs: dict[str, Any] = {
            "kind": "staff",
            "name": person.name if person else sid,
            "level": person.level if person else None,
            "on_team": member is not None,
            "team_role": member.team_role if member is not None else None,
        }
        nodes.append((sid, attrs))
    for cid in sorted(active):
        contact = contacts.get(cid)
        if contact is None:
            continue
        emp = active[cid]
        attrs = {
            "kind": "contact",
            "name": contact.name,
            "level": contact_level(contact, emp),
            "roles": frozenset(emp.roles),
        }
        nodes.append((cid, attrs))
    graph.add_nodes_from(nodes)
    present = {node for node, _ in nodes}
    # edges gathered in plain dicts first (in the order they are first seen), then added at once
    edges: dict[tuple[str, str], dict[str, Any]] = {}

    def add(u: str, v: str, kind: str, strength: float) -> None:
        if strength <= 0 or u == v or u not in present or v not in present:
            return
        data = edges.get((u, v))
        if data is None:
            edges[u, v] = {"strength": strength, "link": kind, "links": ((kind, strength),)}
            return
        data["links"] = tuple(sorted((*data["links"], (kind, strength)), key=_weakest_last))
        if strength > data["strength"]:
            data["strength"] = strength
            data["link"] = kind

    # each pair has one tie, so the tie edges are all new: only the lines below can meet them
    for tie in ties.values():
        a, b = tie.a, tie.b
        strength = tie.strength * tie.cold_factor  # a going-cold tie counts at its effective strength
        if strength <= 0 or a == b or a not in present or b not in present:
            continue
        if tie.kind == STAFF_CONTACT:
            if a in ours:
                edges[a, b] = {"strength": strength, "link": "tie", "links": (("tie", strength),)}
        else:
            links = (("tie", strength),)
            edges[a, b] = {"strength": strength, "link": "tie", "links": links}
            edges[b, a] = {"strength": strength, "link": "tie", "links": links}
    for line in subgraph.reporting_lines:
        if line.active_on(subgraph.as_of):
            add(line.contact_id, line.manager_id, "reports_to", config.reporting_line_strength)
            add(line.manager_id, line.contact_id, "manages", config.reporting_line_strength)
    for influence in subgraph.influence_lines:
        add(influence.source_id, influence.target_id, "influences", influence.weight)
        if influence.symmetric:  # friend, former colleague, colleague: both ways
            add(influence.target_id, influence.source_id, "influences", influence.weight)
    _add_new_edges(graph, edges)
    graph.graph["staff"] = tuple(n for n, d in nodes if d["kind"] == "staff")
    graph.graph["contacts"] = tuple(n for n, d in nodes if d["kind"] == "contact")
    return graph


def _weakest_last(link: tuple[str, float]) -> float:
    return -link[1]


def _add_new_edges(graph: nx.DiGraph, edges: Mapping[tuple[str, str], dict[str, Any]]) -> None:
    """Add edges between existing nodes, none of them in ``graph`` yet, each with its own data dict.

    What ``graph.add_edges_from((u, v, data) ...)`` makes (the same adjacency, every data dict
    shared by the successor and the predecessor view, nothing cached), without its per-edge
    checks and dict copies: a 500-contact account has about 10,000 edges, and the checks were
    half of building its path graph (``tests/graph/analysis/test_relgraph.py`` compares both).
    """
    successors = graph._succ
    predecessors = graph._pred
    for (u, v), data in edges.items():
        successors[u][v] = data
        predecessors[v][u] = data
    nx._clear_cache(graph)


def example_subgraph(as_of: date = date(2025, 6, 30)) -> AccountSubgraph:
    """A tiny account used by the examples: a rep who knows the IT director, who reports to the CIO.

    ``rep`` (account rep) met ``dir`` (IT director; technical buyer, user buyer and champion)
    weekly, three times in June 2025; ``dir`` reports to ``cio`` (economic buyer); ``old`` (a
    former procurement lead) left on 2025-03-31.

    Examples
    --------
    >>> example_subgraph().account.name
    'Acme'
    """
    at = datetime(2025, 6, 1, 10, tzinfo=UTC)
    meetings = tuple(
        Interaction(f"m{i}", InteractionKind.MEETING, at.replace(day=1 + 7 * i), participants=("rep", "dir"))
        for i in range(3)
    )
    email = Interaction("x1", InteractionKind.EMAIL, at, participants=("rep", "old"))
    return AccountSubgraph(
        account=Account("acme", "Acme", tier=Tier.KEY, annual_revenue=1_000_000.0, owner="rep"),
        as_of=as_of,
        contacts=(
            Contact("dir", "Dana IT-Director", level=Level.MANAGEMENT, stance=Stance.CHAMPION, influence=4),
            Contact("cio", "Chris CIO", level=Level.EXECUTIVE, influence=5),
            Contact("old", "Olga Procurement", level=Level.MANAGEMENT),
        ),
        employments=(
            Employment(
                "dir",
                "acme",
                title="IT Director",
                roles=frozenset({Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION}),
                since=date(2020, 1, 1),
            ),
            Employment(
                "cio", "acme", title="CIO", roles=frozenset({Role.ECONOMIC_BUYER}), since=date(2019, 1, 1)
            ),
            Employment(
                "old",
                "acme",
                roles=frozenset({Role.PROCUREMENT}),
                since=date(2018, 1, 1),
                until=date(2025, 3, 31),
            ),
        ),
        staff=(Staff("rep", "Rita Rep", level=Level.MANAGEMENT),),
        team=(TeamMembership("rep", "acme", TeamRole.ACCOUNT_REP, since=date(2020, 1, 1)),),
        reporting_lines=(ReportingLine("dir", "cio"),),
        influence_lines=(InfluenceLine("dir", "old", 0.4),),
        interactions=(*meetings, email),
    )
