"""The diff of an account's relationship map between two dates: what appeared, changed or went.

:func:`diff_maps` compares two :class:`~graph.analysis.relationship_map.RelationshipMap` s of one
account (and, when given, their :class:`~graph.analysis.coverage.Coverage`) and lists, per
subject, the entries that *appeared* (only in the later map), *went* (only in the earlier one)
or *changed* (in both, with different compared fields):

* ``people``: current contacts (title, department, level, roles, influence, stance, political
  status) and our staff on the map (on the team, team role, title, level), keyed by id. A
  contact who left the account (or whose position has not started yet) is not a current
  contact, so shows as *went* (or *appeared*).
* ``ties``: keyed by the pair; a tie *changed* when its band or going-cold flag changed, or its
  strength moved by at least ``strength_tolerance`` (*default* 0.05: ties decay a little every
  day, which alone is not news).
* ``lines``: reporting and influence lines, keyed by kind, source and target; an influence line
  *changed* when its weight did.
* ``roles``: each buying role held by a current contact, keyed by role; it *changed* when its
  holders did.
* ``coverage``: each required role (only when both coverages are given), keyed by role; it
  *changed* when it was covered and is not (or the reverse), when its best holder changed, or
  when its reach moved by at least ``strength_tolerance``. The scores before and after are kept.

Each :class:`MapChange` carries the compared values before and after, and the names of the
fields that differ, so a change is explained by its evidence.

Examples
--------
>>> from datetime import date
>>> from graph.analysis.relgraph import example_subgraph
>>> from graph.analysis.relationship_map import relationship_map
>>> early = relationship_map(example_subgraph(date(2025, 1, 31)))
>>> late = relationship_map(example_subgraph())
>>> d = diff_maps(early, late)
>>> [(c.change, c.key) for c in d.people], [(c.change, c.key) for c in d.ties]
([('went', 'old')], [('appeared', 'dir|rep'), ('appeared', 'old|rep')])
>>> [(c.change, c.key) for c in d.roles], d.count()
([('went', 'procurement')], 4)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.analysis.coverage import Coverage
from graph.analysis.relationship_map import RelationshipMap
from graph.analysis.strength import Tie

__all__ = ["APPEARED", "CHANGED", "WENT", "MapChange", "MapDiff", "diff_maps"]

#: Only in the later map.
APPEARED = "appeared"
#: In both maps, with different compared fields.
CHANGED = "changed"
#: Only in the earlier map.
WENT = "went"

_SUBJECTS = ("people", "ties", "lines", "roles", "coverage")


@dataclass(frozen=True)
class MapChange:
    """One entry that appeared, changed or went; ``before``/``after`` hold its compared values
    (``None`` on the side where it is absent), ``fields`` the names that differ."""

    change: str
    key: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapDiff:
    """What differs between the maps of ``account_id`` on ``before`` and on ``after``."""

    account_id: str
    before: date
    after: date
    people: tuple[MapChange, ...] = ()
    ties: tuple[MapChange, ...] = ()
    lines: tuple[MapChange, ...] = ()
    roles: tuple[MapChange, ...] = ()
    coverage: tuple[MapChange, ...] = ()
    coverage_before: float | None = None
    coverage_after: float | None = None
    strength_tolerance: float = 0.05
    notes: Mapping[str, str] = field(default_factory=dict)

    def count(self, change: str | None = None) -> int:
        """Number of changes (of one kind, or all).

        Examples
        --------
        >>> MapDiff("a", date(2025, 1, 1), date(2025, 2, 1)).count()
        0
        """
        return sum(1 for s in _SUBJECTS for c in getattr(self, s) if change is None or c.change == change)


def diff_maps(
    before: RelationshipMap,
    after: RelationshipMap,
    coverage_before: Coverage | None = None,
    coverage_after: Coverage | None = None,
    *,
    strength_tolerance: float = 0.05,
) -> MapDiff:
    """The changes from the map ``before`` to the map ``after`` of the same account.

    Parameters
    ----------
    before, after : RelationshipMap
        The account's maps on two dates (``before.as_of <= after.as_of``).
    coverage_before, coverage_after : Coverage, optional
        The account's decision-chain coverage on the same dates; both or neither.
    strength_tolerance : float
        Smallest move of a tie's strength or a role's reach that counts as a change.

    Raises
    ------
    ValueError
        When the maps are of two accounts, in the wrong order, only one coverage is given, or
        the tolerance is negative.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.analysis.relgraph import example_subgraph
    >>> from graph.analysis.relationship_map import relationship_map
    >>> m = relationship_map(example_subgraph())
    >>> diff_maps(m, m).count()
    0
    """
    if before.account_id != after.account_id:
        raise ValueError(f"diff_maps: maps of two accounts ({before.account_id!r}, {after.account_id!r})")
    if before.as_of > after.as_of:
        raise ValueError(
            f"diff_maps: the first map ({before.as_of}) is later than the second ({after.as_of})"
        )
    if (coverage_before is None) != (coverage_after is None):
        raise ValueError("diff_maps: give both coverages or neither")
    if strength_tolerance < 0:
        raise ValueError(f"diff_maps: strength_tolerance must not be negative, got {strength_tolerance!r}")

    def moved(a: Mapping[str, Any], b: Mapping[str, Any], name: str) -> bool:
        return abs(float(a[name]) - float(b[name])) >= strength_tolerance

    ties = _diff(
        _ties(before.ties),
        _ties(after.ties),
        exact=("kind", "band", "going_cold"),
        close=("strength",),
        moved=moved,
    )
    coverage: tuple[MapChange, ...] = ()
    if coverage_before is not None and coverage_after is not None:
        coverage = _diff(
            _coverage(coverage_before),
            _coverage(coverage_after),
            exact=("covered", "holder"),
            close=("strength",),
            moved=moved,
        )
    return MapDiff(
        before.account_id,
        before.as_of,
        after.as_of,
        people=_diff(_people(before), _people(after), exact=_PERSON_FIELDS),
        ties=ties,
        lines=_diff(_lines(before), _lines(after), exact=("weight",)),
        roles=_diff(_roles(before), _roles(after), exact=("holders",)),
        coverage=coverage,
        coverage_before=None if coverage_before is None else coverage_before.score,
        coverage_after=None if coverage_after is None else coverage_after.score,
        strength_tolerance=strength_tolerance,
    )


# -- helpers -------------------------------------------------------------------------------------

_PERSON_FIELDS = (
    "side",
    "title",
    "department",
    "level",
    "roles",
    "influence",
    "stance",
    "political_status",
    "on_team",
    "team_role",
)


def _value(v: Any) -> Any:
    return getattr(v, "value", v)


def _people(m: RelationshipMap) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for c in m.contacts:
        out[c.contact_id] = {
            "name": c.name,
            "side": "theirs",
            "title": c.title,
            "department": c.department,
            "level": _value(c.level),
            "roles": tuple(sorted(r.value for r in c.roles)),
            "influence": c.influence,
            "stance": _value(c.stance),
            "political_status": _value(c.political_status),
        }
    for s in m.staff:
        out[s.staff_id] = {
            "name": s.name,
            "side": "ours",
            "title": s.title,
            "level": _value(s.level),
            "on_team": s.on_team,
            "team_role": _value(s.team_role),
        }
    return out


def _ties(ties: Iterable[Tie]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for t in ties:
        a, b = sorted((t.a, t.b))
        out[f"{a}|{b}"] = {
            "a": a,
            "b": b,
            "kind": t.kind,
            "strength": t.strength,
            "band": t.band,
            "going_cold": t.going_cold,
            "interactions": t.interactions,
            "last_at": t.last_at.isoformat() if t.last_at else None,
        }
    return out


def _lines(m: RelationshipMap) -> dict[str, dict[str, Any]]:
    return {
        f"{line.kind}|{line.source}|{line.target}": {
            "kind": line.kind,
            "source": line.source,
            "target": line.target,
            "weight": line.weight,
        }
        for line in (*m.org_lines, *m.influence_lines)
    }


def _roles(m: RelationshipMap) -> dict[str, dict[str, Any]]:
    holders: dict[str, list[str]] = {}
    for c in m.contacts:
        for role in c.roles:
            holders.setdefault(role.value, []).append(c.contact_id)
    return {role: {"role": role, "holders": tuple(sorted(ids))} for role, ids in holders.items()}


def _coverage(coverage: Coverage) -> dict[str, dict[str, Any]]:
    return {
        r.role.value: {"role": r.role.value, "covered": r.covered, "holder": r.holder, "strength": r.strength}
        for r in coverage.roles
    }


def _diff(
    old: Mapping[str, Mapping[str, Any]],
    new: Mapping[str, Mapping[str, Any]],
    *,
    exact: tuple[str, ...] = (),
    close: tuple[str, ...] = (),
    moved: Callable[[Mapping[str, Any], Mapping[str, Any], str], bool] | None = None,
) -> tuple[MapChange, ...]:
    """Changes from ``old`` to ``new`` (both keyed), in key order."""
    out: list[MapChange] = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is None:
            out.append(MapChange(APPEARED, key, None, dict(b or {})))
        elif b is None:
            out.append(MapChange(WENT, key, dict(a), None))
        else:
            fields = [f for f in exact if a.get(f) != b.get(f)]
            if moved is not None:
                fields += [f for f in close if moved(a, b, f)]
            if fields:
                out.append(MapChange(CHANGED, key, dict(a), dict(b), tuple(fields)))
    return tuple(out)
