"""Warm paths: the best ways for our staff to be introduced to a person.

A warm path runs from one of our staff to a target person (a contact at any account, or a
prospect) over at most ``AnalysisConfig.warm_path_max_hops`` (4) links. A link is one of:

* ``tie``: a tie strength from shared interactions, with the assessed floor
  (:func:`graph.analysis.strength.tie_strengths`); staff-contact or contact-contact;
* ``colleague``: two contacts who both work at the same account on ``as_of``
  (``colleague_strength``, 0.4);
* ``former_colleague``: two contacts whose positions at the same account overlapped in the
  past (``former_colleague_strength``, 0.25);
* ``referral``: a contact who referred an account, and the people working at that account on
  ``as_of`` (``referral_link_strength``, 0.5). Referrals made by an account name no person and
  give no link;
* ``reports_to``: a reporting line active on ``as_of`` between the two
  (``reporting_line_strength``, 0.5, as in reach and coverage);
* ``influences``: an influence line between the two (any relation kind: influences, advises,
  friend, ...), at its weight. A warm path may use it either way: an introduction needs only
  that the two know each other; the evidence keeps the line's direction and kind.

When two people are linked several ways, the strongest link is used and the others are kept as
``alternatives`` in its evidence. A path's strength is the product of its links; paths are
ranked strongest first (ties broken by fewer hops, then by the people's ids). Paths pass through
no other staff member (a path through a colleague of ours starts with that colleague).

The search is pure: it is given ``fetch(person_ids) -> Neighbourhood`` (in production the
store's :meth:`~graph.store.GraphStore.neighbourhood` at ``as_of``) and expands frontiers hop by
hop, from the target and, when ``staff_ids`` are given, from our staff too (a bidirectional
search: ``hops_from_staff + hops_from_target = max_hops``), so every link of a path of at most
``max_hops`` has an expanded end. A person's value is the strongest partial path to them of at
most as many links as the hop (a person first reached through a weak link is searched again
through a stronger, longer one); a partial path weaker than the k-th complete path already known
is not expanded (it cannot end stronger). Each frontier is cut to the ``beam_width`` people
with the strongest values: the search is exact while no frontier is larger than that, as
tests check against brute force over every simple path. The paths are then ranked by a
best-first search over the links found, with no cut-off.

Examples
--------
A world this small can answer every fetch with all of itself:

>>> from datetime import date, datetime, UTC
>>> from graph.model import Contact, Employment, Interaction, Staff
>>> people = {"s1": Staff("s1", "Sam"), "c1": Contact("c1", "Ada"), "c2": Contact("c2", "Bo")}
>>> met = Interaction("i1", "meeting", datetime(2025, 5, 1, tzinfo=UTC), participants=("s1", "c1"))
>>> world = Neighbourhood(
...     date(2025, 6, 1),
...     people=people,
...     interactions=(met,),
...     employments=(Employment("c1", "acme"), Employment("c2", "acme")),
... )
>>> paths = warm_paths(lambda person_ids: world, "c2", date(2025, 6, 1))
>>> [(h.source, h.target, h.kind) for h in paths[0].hops]
[('s1', 'c1', 'tie'), ('c1', 'c2', 'colleague')]
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from typing import Any

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.strength import tie_strengths
from graph.model import Contact, Employment, Staff
from graph.records import Neighbourhood

__all__ = [
    "LINK_KINDS",
    "Fetch",
    "Hop",
    "WarmPath",
    "links_of",
    "warm_paths",
]

#: Kinds of link a warm path runs over.
LINK_KINDS: tuple[str, ...] = ("tie", "reports_to", "influences", "colleague", "former_colleague", "referral")

Fetch = Callable[[Sequence[str]], Neighbourhood]
"""``fetch(person_ids) -> Neighbourhood``: the one-hop surroundings of the people."""


@dataclass(frozen=True)
class Hop:
    """One link of a warm path, explained."""

    source: str
    target: str
    kind: str
    strength: float
    evidence: Mapping[str, Any] = field(default_factory=dict)

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "source": self.source,
            "target": self.target,
            "kind": self.kind,
            "strength": self.strength,
            "evidence": dict(self.evidence),
        }


@dataclass(frozen=True)
class WarmPath:
    """A path from one of our staff (``people[0]``) to the target (``people[-1]``)."""

    hops: tuple[Hop, ...]

    @property
    def strength(self) -> float:
        """The product of the links' strengths."""
        return math.prod(h.strength for h in self.hops)

    @property
    def people(self) -> tuple[str, ...]:
        """The people along the path, staff member first."""
        return (self.hops[0].source, *(h.target for h in self.hops)) if self.hops else ()

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "strength": self.strength,
            "people": list(self.people),
            "hops": [h.to_payload() for h in self.hops],
        }


def links_of(
    neighbourhood: Neighbourhood,
    person_ids: Collection[str],
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> dict[tuple[str, str], Hop]:
    """Every link of the people ``person_ids`` visible in ``neighbourhood``, strongest per pair.

    Parameters
    ----------
    neighbourhood : Neighbourhood
        The one-hop surroundings of (at least) ``person_ids``.
    person_ids : collection of str
        Only links with at least one end among these are returned (their evidence is complete).
    config : AnalysisConfig

    Returns
    -------
    dict
        :class:`Hop` keyed by the sorted pair of ids; ``source`` is the first id of the pair.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Contact, Employment
    >>> nb = Neighbourhood(date(2025, 1, 1), people={"a": Contact("a", "A"), "b": Contact("b", "B")},
    ...     employments=(Employment("a", "x", until=date(2024, 1, 1)), Employment("b", "x")))
    >>> hop = links_of(nb, {"a"})[("a", "b")]
    >>> hop.kind, hop.strength, hop.evidence["account_id"]
    ('former_colleague', 0.25, 'x')
    """
    asked = frozenset(person_ids)
    as_of = neighbourhood.as_of
    people = neighbourhood.people
    staff = {p for p, rec in people.items() if isinstance(rec, Staff)}
    contacts = {p for p, rec in people.items() if isinstance(rec, Contact)}
    found: dict[tuple[str, str], list[Hop]] = {}

    def add(a: str, b: str, kind: str, strength: float, evidence: dict[str, Any]) -> None:
        if a == b or strength <= 0 or (a not in asked and b not in asked):
            return
        x, y = (a, b) if a <= b else (b, a)
        found.setdefault((x, y), []).append(Hop(x, y, kind, strength, evidence))

    ties = tie_strengths(
        neighbourhood.interactions, staff, contacts, as_of, neighbourhood.assessments, config
    )
    for tie in ties.values():
        add(
            tie.a,
            tie.b,
            "tie",
            tie.strength,
            {
                "tie_kind": tie.kind,
                "band": tie.band,
                "interactions": tie.interactions,
                "last_at": tie.last_at.isoformat() if tie.last_at else None,
                "interaction_ids": [e.interaction_id for e in tie.evidence[-5:]],
                "assessed_level": tie.assessed_level.value if tie.assessed_level else None,
            },
        )

    accounts = neighbourhood.accounts
    jobs = [e for e in _unique(neighbourhood.employments) if e.since is None or e.since <= as_of]
    by_account: dict[str, list[Employment]] = {}
    for job in jobs:
        by_account.setdefault(job.account_id, []).append(job)
    for account_id, positions in by_account.items():
        name = accounts[account_id].name if account_id in accounts else None
        mine = [p for p in positions if p.contact_id in asked]
        for p in mine:
            for q in positions:
                if q.contact_id == p.contact_id:
                    continue
                overlap = _overlap(p, q, as_of)
                if overlap is None:
                    continue
                current = p.active_on(as_of) and q.active_on(as_of)
                evidence = {
                    "account_id": account_id,
                    "account_name": name,
                    "since": overlap[0].isoformat() if overlap[0] else None,
                    "until": None if current else (overlap[1].isoformat() if overlap[1] else None),
                    "current": current,
                }
                if current:
                    add(p.contact_id, q.contact_id, "colleague", config.colleague_strength, evidence)
                else:
                    add(
                        p.contact_id,
                        q.contact_id,
                        "former_colleague",
                        config.former_colleague_strength,
                        evidence,
                    )

    for line in neighbourhood.reporting_lines:
        if line.active_on(as_of):
            add(
                line.contact_id,
                line.manager_id,
                "reports_to",
                config.reporting_line_strength,
                {
                    "contact_id": line.contact_id,
                    "manager_id": line.manager_id,
                    "since": line.since.isoformat() if line.since else None,
                },
            )
    for relation in neighbourhood.influence_lines:
        add(
            relation.source_id,
            relation.target_id,
            "influences",
            relation.weight,
            {
                "source_id": relation.source_id,
                "target_id": relation.target_id,
                "relation": relation.kind.value,
            },
        )

    current_staff = {a: [j.contact_id for j in js if j.active_on(as_of)] for a, js in by_account.items()}
    for ref in neighbourhood.referrals:
        if ref.source_kind != "contact" or ref.at > as_of:
            continue
        for person in current_staff.get(ref.target_id, ()):
            add(
                ref.source_id,
                person,
                "referral",
                config.referral_link_strength,
                {
                    "referrer": ref.source_id,
                    "referred_account": ref.target_id,
                    "at": ref.at.isoformat(),
                    "status": ref.status.value,
                    "value": ref.value,
                },
            )

    out: dict[tuple[str, str], Hop] = {}
    for key, hops in found.items():
        hops.sort(key=lambda h: (-h.strength, LINK_KINDS.index(h.kind)))
        best = hops[0]
        if len(hops) > 1:
            alternatives = [{"kind": h.kind, "strength": h.strength} for h in hops[1:]]
            best = Hop(
                best.source,
                best.target,
                best.kind,
                best.strength,
                {**best.evidence, "alternatives": alternatives},
            )
        out[key] = best
    return out


def warm_paths(
    fetch: Fetch,
    target_id: str,
    as_of: date,
    *,
    staff_ids: Collection[str] | None = None,
    k: int = 3,
    config: AnalysisConfig = DEFAULT_CONFIG,
    beam_width: int = 500,
) -> list[WarmPath]:
    """The ``k`` strongest warm paths from our staff to ``target_id``.

    Parameters
    ----------
    fetch : callable
        ``fetch(person_ids) -> Neighbourhood`` as of ``as_of``.
    target_id : str
        The person to reach.
    as_of : date
        The day the links are taken from (only used to check ``fetch``'s answers).
    staff_ids : collection of str, optional
        Only paths starting at these staff members; by default any of our staff.
    k : int
        Number of paths.
    config : AnalysisConfig
        Link strengths and ``warm_path_max_hops``.
    beam_width : int
        Largest frontier expanded per hop (see the module notes).

    Raises
    ------
    KeyError
        When ``fetch`` does not know ``target_id``.

    Examples
    --------
    >>> from datetime import date, datetime, UTC
    >>> from graph.model import Contact, Interaction, Staff
    >>> at = datetime(2025, 5, 1, tzinfo=UTC)
    >>> world = Neighbourhood(
    ...     date(2025, 6, 1),
    ...     people={"s1": Staff("s1", "Sam"), "s2": Staff("s2", "Sue"), "c1": Contact("c1", "Ada")},
    ...     interactions=(Interaction("i1", "email", at, participants=("s1", "c1")),
    ...                   Interaction("i2", "exec_visit", at, participants=("s2", "c1"))))
    >>> [p.people for p in warm_paths(lambda person_ids: world, "c1", date(2025, 6, 1))]
    [('s2', 'c1'), ('s1', 'c1')]
    >>> warm_paths(lambda person_ids: world, "c1", date(2025, 6, 1), staff_ids={"s1"})[0].people
    ('s1', 'c1')
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    max_hops = config.warm_path_max_hops
    if max_hops < 1:
        raise ValueError(f"warm_path_max_hops must be at least 1, got {max_hops}")
    first = fetch([target_id])
    if first.as_of != as_of:
        raise ValueError(f"fetch answered as of {first.as_of}, expected {as_of}")
    if target_id not in first.people:
        raise KeyError(f"person {target_id!r} is not known")
    kinds: dict[str, bool] = {}  # person id -> is staff
    links: dict[tuple[str, str], Hop] = {}
    adjacency: dict[str, dict[str, float]] = {}

    def absorb(nb: Neighbourhood, asked: Collection[str]) -> None:
        for pid, rec in nb.people.items():
            kinds[pid] = isinstance(rec, Staff)
        for key, hop in links_of(nb, asked, config).items():
            if key in links and links[key].strength >= hop.strength:
                continue
            links[key] = hop
            adjacency.setdefault(key[0], {})[key[1]] = hop.strength
            adjacency.setdefault(key[1], {})[key[0]] = hop.strength

    absorb(first, [target_id])
    expanded = {target_id}
    if staff_ids is not None:
        sources = set(staff_ids)
        hops_from_staff = max_hops // 2
        hops_from_target = max_hops - hops_from_staff
    else:
        sources = set()
        hops_from_staff, hops_from_target = 0, max_hops
    if sources:
        nb = fetch(sorted(sources))
        absorb(nb, sources)
        expanded |= sources
    wanted = sources or None
    for side, depth, seeds in (
        ("target", hops_from_target, {target_id}),
        ("staff", hops_from_staff, sources),
    ):
        best = dict.fromkeys(seeds, 1.0)
        layer_of = dict.fromkeys(seeds, 0)
        frontier = set(seeds)
        for layer in range(1, depth):
            # a path through a person cannot be stronger than the best partial path to them:
            # once k complete paths are known, weaker partial paths are not expanded
            bound = (
                _kth_complete(best, layer_of, adjacency, kinds, wanted, k, max_hops)
                if side == "target"
                else 0.0
            )
            # best[p]: the strongest partial path to p of at most `layer` links. A person first
            # reached through a weak link is relaxed again when a longer path to them is stronger.
            nxt: dict[str, float] = {}
            for person in frontier:
                for other, s in adjacency.get(person, {}).items():
                    if other in seeds or (side == "target" and kinds.get(other)):
                        continue
                    value = best[person] * s
                    if value >= bound and value > max(nxt.get(other, 0.0), best.get(other, 0.0)):
                        nxt[other] = value
            if not nxt:
                break
            chosen = sorted(nxt, key=lambda p: (-nxt[p], p))[:beam_width]
            best.update({p: nxt[p] for p in chosen})
            layer_of.update({p: layer for p in chosen if p not in layer_of})
            todo = [p for p in chosen if p not in expanded]
            if todo:
                absorb(fetch(sorted(todo)), todo)
                expanded |= set(todo)
            frontier = set(chosen)
    staff = {p for p, is_staff in kinds.items() if is_staff}
    starts = {p for p in staff if not sources or p in sources}
    return _best_paths(adjacency, links, starts, staff, target_id, max_hops, k)


# -- helpers -------------------------------------------------------------------------------------


def _kth_complete(
    best: Mapping[str, float],
    layer_of: Mapping[str, int],
    adjacency: Mapping[str, Mapping[str, float]],
    kinds: Mapping[str, bool],
    wanted: Collection[str] | None,
    k: int,
    max_hops: int,
) -> float:
    """The k-th strongest complete path known so far (0 when fewer than k are known).

    A complete path is a best partial path from the target to ``p`` plus a link from ``p`` to
    one of our staff (within ``max_hops``).
    """
    found: list[float] = []
    for person, value in best.items():
        if layer_of[person] + 1 > max_hops:
            continue
        for other, strength in adjacency.get(person, {}).items():
            if kinds.get(other) and (wanted is None or other in wanted):
                found.append(value * strength)
    if len(found) < k:
        return 0.0
    found.sort(reverse=True)
    return found[k - 1]


def _unique(employments: Iterable[Employment]) -> list[Employment]:
    return list({e.key: e for e in employments}.values())


def _overlap(p: Employment, q: Employment, as_of: date) -> tuple[date | None, date | None] | None:
    """The common period of two positions up to ``as_of``, or ``None`` when they never overlapped."""
    start = max(p.since or date.min, q.since or date.min)
    end = min(p.until or as_of, q.until or as_of, as_of)
    if start > end:
        return None
    return (None if start == date.min else start, end)


#: Relative slack when comparing products computed in different orders (a few ulps apart).
_SLACK = 1e-12


def _best_paths(
    adjacency: Mapping[str, Mapping[str, float]],
    links: Mapping[tuple[str, str], Hop],
    starts: Collection[str],
    staff: Collection[str],
    target: str,
    max_hops: int,
    k: int,
) -> list[WarmPath]:
    """The ``k`` strongest simple paths of at most ``max_hops`` links from ``starts`` to ``target``.

    A best-first search from the target over partial paths, strongest first. Every link is at
    most 1, so a path is never stronger than any of its parts: once the strongest partial path
    left is weaker than the k-th complete path found, no path still to come can rank above it,
    and the search stops. Complete paths found by then are ranked (strength, hops, people), so
    ties are broken the same way however they were found. Interior people are never staff.
    """
    if not starts or target in starts:
        return []
    heap: list[tuple[float, tuple[str, ...]]] = [(-1.0, (target,))]
    complete: list[tuple[float, tuple[str, ...]]] = []
    kth: list[float] = []  # min-heap of the k strongest complete strengths
    while heap:
        negative, reversed_path = heapq.heappop(heap)
        value = -negative
        if len(kth) == k and value < kth[0] * (1 - _SLACK):
            break
        last = reversed_path[-1]
        if last in starts:
            complete.append((value, reversed_path[::-1]))
            if len(kth) < k:
                heapq.heappush(kth, value)
            elif value > kth[0]:
                heapq.heapreplace(kth, value)
            continue
        if len(reversed_path) > max_hops:
            continue
        for other, strength in adjacency.get(last, {}).items():
            if other in reversed_path or (other in staff and other not in starts):
                continue
            extended = value * strength
            if len(kth) == k and extended < kth[0] * (1 - _SLACK):
                continue
            heapq.heappush(heap, (-extended, (*reversed_path, other)))
    out = []
    for _, people in complete:
        hops = []
        for a, b in pairwise(people):
            link = links[(a, b) if a <= b else (b, a)]
            hops.append(Hop(a, b, link.kind, link.strength, link.evidence))
        out.append(WarmPath(tuple(hops)))
    out.sort(key=lambda p: (-p.strength, len(p.hops), p.people))
    return out[:k]
