"""The relationship map in the API: lean typed parts plus the bulky parts as compact JSON.

A 500-contact account's map holds ~500 contacts, ~500 org lines and several thousand ties.
Strawberry resolves about 3.4 us per field, so as fully typed objects the ties alone
(~4,700 x 15 fields) would cost ~240 ms per request. The map is therefore shaped as:

* typed: the account, ``asOf``, our staff, the required roles and the placeholders for
  required roles nobody holds (a few dozen fields);
* JSON values: ``contacts`` and ``former`` (objects), ``orgLines`` and ``influenceLines``
  (objects), and ``ties`` as compact rows ``[a, b, kind, strength, band, goingCold,
  interactions, lastAt]`` (the column names are in ``tieColumns``); the evidence of a tie is
  asked for separately (``Account.analysis.ties``), so the map stays small. The JSON parts
  follow the API's presentation (:func:`schema.presentation.api_json`): enum values by their
  GraphQL name (``ECONOMIC_BUYER``, ``STAFF_CONTACT``, ``STRONG``, ``REPORTS_TO``), floats to
  3 decimals.

Maps are computed from the account's subgraph and cached per process, keyed by the account's
data version (:mod:`graph.services.cache`), with the JSON parts already encoded
(:class:`~schema.raw_json.RawJSON`), so a repeated request costs a cache look-up and the
encoding of the small typed parts.

Examples
--------
>>> from graph.analysis.relgraph import example_subgraph
>>> from graph.analysis.relationship_map import relationship_map
>>> lean = lean_map(relationship_map(example_subgraph()))
>>> lean["tie_columns"][:4], lean["ties"].value[0][:3]
(['a', 'b', 'kind', 'strength'], ['rep', 'dir', 'STAFF_CONTACT'])
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from graph import model
from schema.presentation import Ratio, Strength, api_json, enum_name, present
from schema.raw_json import RawJSON

__all__ = ["TIE_COLUMNS", "MapStaff", "RelationshipMap", "RolePlaceholder", "lean_map", "map_type"]

#: Columns of the compact tie rows.
TIE_COLUMNS = ("a", "b", "kind", "strength", "band", "going_cold", "interactions", "last_at")


@strawberry.type(description="One of our people on the map: on the team (with their role) or with ties only.")
class MapStaff:
    staff_id: strawberry.ID
    name: str
    title: str | None
    level: model.Level | None
    on_team: bool
    team_role: model.TeamRole | None
    since: date | None
    until: date | None


@strawberry.type(description="A required role of the account's tier that no active contact holds.")
class RolePlaceholder:
    role: model.Role
    weight: Ratio


@strawberry.type(
    description="The relationship map of an account as of `asOf` (see the README for its shape)."
)
class RelationshipMap:
    account_id: strawberry.ID
    as_of: date
    required_roles: list[model.Role]
    placeholders: list[RolePlaceholder]
    staff: list[MapStaff]
    contacts: JSON = strawberry.field(
        description="Current contacts: id, name, title, department, level, roles, influence, stance, ..."
    )
    former: JSON = strawberry.field(description="Contacts who left (with `until`).")
    org_lines: JSON = strawberry.field(description="Reporting lines: source reports to target.")
    influence_lines: JSON = strawberry.field(description="Influence lines with their weight.")
    tie_columns: list[str]
    ties: JSON = strawberry.field(description="Ties as rows of `tieColumns`, strongest first.")
    tie_count: int


def _lines(lines: Any) -> RawJSON:
    return RawJSON.of([{**api_json(line), "kind": enum_name(line.kind)} for line in lines])


def lean_map(relmap: Any) -> dict[str, Any]:
    """The plain-data lean form of a :class:`graph.analysis.relationship_map.RelationshipMap`."""
    ties = [
        [
            t.a,
            t.b,
            enum_name(t.kind),
            present(Strength, t.strength),
            enum_name(t.band),
            t.going_cold,
            t.interactions,
            t.last_at.isoformat() if t.last_at else None,
        ]
        for t in relmap.ties
    ]
    return {
        "account_id": relmap.account_id,
        "as_of": relmap.as_of.isoformat(),
        "required_roles": [r.value for r in relmap.required_roles],
        "placeholders": [{"role": p.role.value, "weight": p.weight} for p in relmap.placeholders],
        "staff": [
            {
                "staff_id": s.staff_id,
                "name": s.name,
                "title": s.title,
                "level": s.level.value if s.level else None,
                "on_team": s.on_team,
                "team_role": s.team_role.value if s.team_role else None,
                "since": s.since.isoformat() if s.since else None,
                "until": s.until.isoformat() if s.until else None,
            }
            for s in relmap.staff
        ],
        "contacts": RawJSON.of(api_json(relmap.contacts)),
        "former": RawJSON.of(api_json(relmap.former)),
        "org_lines": _lines(relmap.org_lines),
        "influence_lines": _lines(relmap.influence_lines),
        "tie_columns": list(TIE_COLUMNS),
        "ties": RawJSON.of(ties),
    }


def map_type(lean: dict[str, Any], min_strength: float = 0.0) -> RelationshipMap:
    """The GraphQL view of a lean map, keeping ties of at least ``min_strength``."""
    all_ties: RawJSON = lean["ties"]
    ties: Any = all_ties if min_strength <= 0 else [t for t in all_ties.value if t[3] >= min_strength]
    return RelationshipMap(
        account_id=strawberry.ID(lean["account_id"]),
        as_of=date.fromisoformat(lean["as_of"]),
        required_roles=[model.Role(r) for r in lean["required_roles"]],
        placeholders=[
            RolePlaceholder(role=model.Role(p["role"]), weight=Ratio(float(p["weight"])))
            for p in lean["placeholders"]
        ],
        staff=[
            MapStaff(
                staff_id=strawberry.ID(s["staff_id"]),
                name=s["name"],
                title=s["title"],
                level=model.Level(s["level"]) if s["level"] else None,
                on_team=s["on_team"],
                team_role=model.TeamRole(s["team_role"]) if s["team_role"] else None,
                since=date.fromisoformat(s["since"]) if s["since"] else None,
                until=date.fromisoformat(s["until"]) if s["until"] else None,
            )
            for s in lean["staff"]
        ],
        contacts=cast(JSON, lean["contacts"]),
        former=cast(JSON, lean["former"]),
        org_lines=cast(JSON, lean["org_lines"]),
        influence_lines=cast(JSON, lean["influence_lines"]),
        tie_columns=list(lean["tie_columns"]),
        ties=cast(JSON, ties),
        tie_count=len(all_ties.value) if ties is all_ties else len(ties),
    )
