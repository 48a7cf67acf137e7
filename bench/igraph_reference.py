"""An independent reference for the account analysis numbers: numpy and igraph (benchmark only).

It computes, from the raw records of an :class:`~graph.store.AccountSubgraph` alone, the numbers
:func:`bench.bench_analysis.analyse_kamgraph` reduces kamgraph's analysis to, and shares no code
with kamgraph's analyses: only the model's record types and the parameter values of an
:class:`~graph.analysis.config.AnalysisConfig` come from kamgraph. Each definition is the one
documented in ``docs/analyses.md``, written again here:

* **tie strengths**, vectorised with numpy: per staff-contact and contact-contact pair,
  ``raw = sum(kind weight * 2 ** (-age / half_life))`` over the interactions both took part in
  (``numpy.bincount``, summed in interaction order as a plain loop would), the saturating base
  ``raw / (raw + strength_half_raw)`` times the recency factor ``1 / (1 + (silence /
  recency_half_days) ** 2)``, the assessed floor fading with silence, the cap below 1, and the
  going-cold factor from the median gap between the pair's distinct days in touch;
* **the path graph**: our staff (the team on the day and anyone of ours with a tie to an active
  contact) and the active contacts; the best of the tie, reporting-line and influence-line links
  between two people, merged by ``numpy.maximum.reduceat``;
* **reach**: the best product of link strengths over at most ``reach_max_hops`` links, as
  ``reach_max_hops`` vectorised relaxation layers over the edge arrays;
* **graded coverage** (direct / introduction / gap) and level coverage, over integer adjacency;
* **threads**: igraph's ``Graph.maxflow`` on the split-node graph (capacity 1 per person), and the
  people in some minimum cut from the strongly connected components of its residual graph;
* **articulation points and role cuts**: ``Graph.dominator`` on the thread digraph rooted at a
  virtual source joined to our staff, each role's holders joined to a virtual role sink;
* **departure impact**: coverage and reach recomputed without each person on a covered role's
  evidence path (nobody else can lower a grade: a role keeps its evidence when someone off it
  leaves), threads lost from the minimum-cut membership.

Every floating-point value is computed with the same operations in the same order as the
documented formulas, so the numbers agree exactly with kamgraph's (no tolerance is needed; the
compared scores are rounded to 9 decimals only so that the three implementations print alike).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import igraph as ig
import numpy as np
from numpy.typing import NDArray

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Employment, Level, Role
from graph.store import AccountSubgraph

__all__ = ["STRENGTH_CAP", "TieTable", "analyse_igraph", "tie_table"]

#: No tie strength reaches this: the documented cap just below 1 (``1 - 2 ** -30``).
STRENGTH_CAP = 1.0 - 2.0**-30
#: Days are ordinals below this bound, so ``pair * _DAY_SPAN + day`` keys sort by pair, then day.
_DAY_SPAN = 1 << 21
_BANDS = ("strong", "medium", "weak", "none")

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class TieTable:
    """Every tie of an account as parallel arrays, one entry per pair of people.

    Attributes
    ----------
    first, second : IntArray
        The two people, as indices into ``people``; for a staff-contact pair ``first`` is the
        staff member.
    staff_contact : NDArray[np.bool_]
        Whether the pair is one of our staff and a contact (else two contacts).
    strength : FloatArray
        The tie strength in [0, 1).
    effective : FloatArray
        ``strength`` times the going-cold factor: what the tie counts for in paths.
    going_cold : NDArray[np.bool_]
        Silent for longer than ``cold_gap_factor`` times the pair's usual gap.
    people : list of str
        Person ids: our staff first (sorted), then the contacts (sorted).
    """

    first: IntArray
    second: IntArray
    staff_contact: NDArray[np.bool_]
    strength: FloatArray
    effective: FloatArray
    going_cold: NDArray[np.bool_]
    people: list[str]

    def bands(self, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[str, int]:
        """The number of ties per band (strong, medium, weak, none) and of going-cold ties."""
        tolerance = config.threshold_tolerance
        strong = self.strength >= config.strong_threshold - tolerance
        medium = ~strong & (self.strength >= config.medium_threshold - tolerance)
        weak = ~strong & ~medium & (self.strength > 0)
        counts = {
            "strong": int(strong.sum()),
            "medium": int(medium.sum()),
            "weak": int(weak.sum()),
        }
        counts["none"] = len(self.strength) - sum(counts.values())
        counts["going_cold"] = int(self.going_cold.sum())
        return counts


def tie_table(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> TieTable:
    """Every staff-contact and contact-contact tie of the subgraph as of its ``as_of``.

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's records.
    config : AnalysisConfig
        Kind weights, half-lives, floors, the cap and the going-cold rule.

    Returns
    -------
    TieTable
        One entry per pair with a shared interaction up to the end of ``as_of`` or an
        assessment dated on or before it.
    """
    staff_ids = sorted({s.id for s in subgraph.staff})
    staff_set = set(staff_ids)
    contact_ids = sorted({c.id for c in subgraph.contacts} - staff_set)
    people = staff_ids + contact_ids
    position = {person: k for k, person in enumerate(people)}
    n_staff = len(staff_ids)
    as_of = subgraph.as_of.toordinal()
    kind_weight = {str(kind): float(weight) for kind, weight in config.kind_weights.items()}

    # pair ids per distinct participant list; per interaction its list, day and kind weight
    pair_id: dict[tuple[int, int], int] = {}
    pair_lists: dict[tuple[str, ...], list[int]] = {}
    flat_pairs: list[int] = []
    list_start: list[int] = []
    list_length: list[int] = []
    list_of_participants: dict[tuple[str, ...], int] = {}
    inter_list: list[int] = []
    inter_day: list[int] = []
    inter_weight: list[float] = []
    for interaction in subgraph.interactions:
        day = interaction.at.date().toordinal()
        if day > as_of:
            continue
        participants = interaction.participants
        which = list_of_participants.get(participants)
        if which is None:
            members = sorted(position[p] for p in participants if p in position)
            ours = [m for m in members if m < n_staff]
            theirs = [m for m in members if m >= n_staff]
            pairs = [(s, c) for s in ours for c in theirs]
            pairs += [(a, b) for k, a in enumerate(theirs) for b in theirs[k + 1 :]]
            ids = [pair_id.setdefault(pair, len(pair_id)) for pair in pairs]
            which = list_of_participants[participants] = len(list_start)
            pair_lists[participants] = ids
            list_start.append(len(flat_pairs))
            list_length.append(len(ids))
            flat_pairs.extend(ids)
        if not list_length[which]:
            continue
        inter_list.append(which)
        inter_day.append(day)
        inter_weight.append(kind_weight[str(interaction.kind)])

    # the latest assessment per staff-contact pair sets a floor (and makes a tie by itself)
    latest: dict[int, tuple[date, str]] = {}
    for assessment in subgraph.assessments:
        s, c = position.get(assessment.staff_id, -1), position.get(assessment.contact_id, -1)
        if assessment.at > subgraph.as_of or not 0 <= s < n_staff or c < n_staff:
            continue
        key = pair_id.setdefault((s, c), len(pair_id))
        seen = latest.get(key)
        if seen is None or assessment.at >= seen[0]:
            latest[key] = (assessment.at, str(assessment.level))

    n_pairs = len(pair_id)
    lists = np.asarray(inter_list, dtype=np.int64)
    days = np.asarray(inter_day, dtype=np.int64)
    weights = np.asarray(inter_weight, dtype=np.float64)
    # every (interaction, pair) incidence, in interaction order
    lengths = np.asarray(list_length, dtype=np.int64)[lists]
    starts = np.asarray(list_start, dtype=np.int64)[lists]
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(lists), dtype=np.int64), lengths)
    offset = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    pair_of = np.asarray(flat_pairs, dtype=np.int64)[starts[owner] + offset]
    ages = as_of - days
    distinct_ages, age_index = np.unique(ages, return_inverse=True)
    half_life = config.half_life_days
    decay_table = np.asarray([2.0 ** (-int(a) / half_life) for a in distinct_ages], dtype=np.float64)
    contribution = weights * decay_table[age_index]
    raw = np.bincount(pair_of, weights=contribution[owner], minlength=n_pairs)

    # distinct days per pair, sorted: last day, number of days and the median gap
    keys = np.unique(pair_of * _DAY_SPAN + days[owner])
    key_pair, key_day = keys // _DAY_SPAN, keys % _DAY_SPAN
    n_days = np.bincount(key_pair, minlength=n_pairs)
    last_day = np.zeros(n_pairs, dtype=np.int64)
    last_of_pair = np.flatnonzero(np.r_[key_pair[1:] != key_pair[:-1], True]) if len(keys) else keys
    last_day[key_pair[last_of_pair]] = key_day[last_of_pair]  # keys sort by pair, then day
    same_pair = key_pair[1:] == key_pair[:-1]
    gaps = np.diff(key_day)[same_pair].astype(np.float64)
    gap_pair = key_pair[1:][same_pair]
    order = np.lexsort((gaps, gap_pair))
    gaps, gap_pair = gaps[order], gap_pair[order]
    n_gaps = np.bincount(gap_pair, minlength=n_pairs)
    first_gap = np.cumsum(n_gaps) - n_gaps
    has_gap = n_gaps > 0
    upper = first_gap + n_gaps // 2
    lower = np.where(n_gaps % 2 == 1, upper, upper - 1)
    usual_gap = np.zeros(n_pairs, dtype=np.float64)
    usual_gap[has_gap] = (gaps[lower[has_gap]] + gaps[upper[has_gap]]) / 2

    met = n_days > 0
    silence = np.where(met, as_of - last_day, 0)
    ratio = np.maximum(silence, 0) / config.recency_half_days
    recency = 1.0 / (1.0 + ratio * ratio)
    with np.errstate(invalid="ignore", divide="ignore"):
        base = np.where(raw > 0, raw / (raw + config.strength_half_raw) * recency, 0.0)
    interaction_strength = np.where(met, np.minimum(base, STRENGTH_CAP), 0.0)

    floor = np.zeros(n_pairs, dtype=np.float64)
    floor_half_life = config.assessed_floor_half_life_days
    for key, (assessed_at, level) in latest.items():
        start = float(config.assessed_floors.get(level, 0.0))
        if start <= 0:
            continue
        since = assessed_at.toordinal()
        if met[key]:
            since = max(since, int(last_day[key]))
        floor[key] = start * 2.0 ** (-max(as_of - since, 0) / floor_half_life)
    strength = np.minimum(np.maximum(interaction_strength, floor), STRENGTH_CAP)

    going_cold = (
        has_gap
        & (n_days >= max(config.cold_min_interactions, 2))
        & (silence > config.cold_gap_factor * usual_gap)
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        cold = np.where(
            going_cold & (silence != 0),
            np.minimum(1.0, config.cold_gap_factor * usual_gap / silence),
            1.0,
        )
    ends = np.asarray(list(pair_id), dtype=np.int64).reshape(-1, 2)
    return TieTable(
        first=ends[:, 0],
        second=ends[:, 1],
        staff_contact=ends[:, 0] < n_staff,
        strength=strength,
        effective=strength * cold,
        going_cold=going_cold,
        people=people,
    )


def _active_positions(subgraph: AccountSubgraph) -> dict[str, Employment]:
    """The position at the account held on ``as_of`` per contact (the one started last)."""
    held: dict[str, Employment] = {}
    for position in subgraph.employments:
        if position.account_id != subgraph.account.id or not position.active_on(subgraph.as_of):
            continue
        seen = held.get(position.contact_id)
        if seen is None or (position.since or date.min) >= (seen.since or date.min):
            held[position.contact_id] = position
    return held


def _map_counts(
    subgraph: AccountSubgraph, active: Mapping[str, Employment], n_ties: int, config: AnalysisConfig
) -> tuple[int, ...]:
    """Contacts on the map, people who left, ties and placeholders for unheld required roles."""
    known = {c.id for c in subgraph.contacts}
    former = {
        p.contact_id
        for p in subgraph.employments
        if p.account_id == subgraph.account.id
        and p.contact_id not in active
        and p.contact_id in known
        and (p.since is None or p.since <= subgraph.as_of)
    }
    current = [c for c in active if c in known]
    held = {role for c in current for role in active[c].roles}
    required = config.required_roles(subgraph.account.tier)
    return (len(current), len(former), n_ties, sum(1 for r in required if r not in held))


class _PathGraph:
    """The path graph as arrays and integer adjacency (see the module notes)."""

    def __init__(self, subgraph: AccountSubgraph, ties: TieTable, config: AnalysisConfig) -> None:
        active = _active_positions(subgraph)
        known = {c.id: c for c in subgraph.contacts}
        staff_by_id = {s.id: s for s in subgraph.staff}
        people = ties.people
        contacts = sorted(c for c in active if c in known)
        contact_set = set(contacts)
        ours = {
            m.staff_id
            for m in subgraph.team
            if m.account_id == subgraph.account.id and m.active_on(subgraph.as_of)
        }
        tied = ties.staff_contact & (ties.strength > 0)
        ours |= {
            people[s]
            for s, c in zip(ties.first[tied], ties.second[tied], strict=True)
            if people[c] in contact_set
        }
        staff = sorted(ours)
        self.names: list[str] = staff + contacts
        self.n = len(self.names)
        self.n_staff = len(staff)
        node = {name: k for k, name in enumerate(self.names)}
        self.node = node
        self.levels: list[Level | None] = [
            staff_by_id[s].level if s in staff_by_id else None for s in staff
        ] + [(active[c].level or known[c].level) for c in contacts]
        self.roles: list[frozenset[Role]] = [frozenset()] * len(staff) + [
            frozenset(active[c].roles) for c in contacts
        ]
        self.map_counts = _map_counts(subgraph, active, len(ties.strength), config)

        # links: ties at their effective strength, reporting lines both ways, influence lines
        to_node = np.asarray([node.get(p, -1) for p in people], dtype=np.int64)
        u, v = to_node[ties.first], to_node[ties.second]
        w = ties.effective
        keep = (u >= 0) & (v >= 0) & (w > 0)
        contact_pair = keep & ~ties.staff_contact
        line_u: list[int] = []
        line_v: list[int] = []
        line_w: list[float] = []
        as_of = subgraph.as_of
        for line in subgraph.reporting_lines:
            if line.active_on(as_of):
                line_u += [node.get(line.contact_id, -1), node.get(line.manager_id, -1)]
                line_v += [node.get(line.manager_id, -1), node.get(line.contact_id, -1)]
                line_w += [config.reporting_line_strength] * 2
        for influence in subgraph.influence_lines:
            ends = [(influence.source_id, influence.target_id)]
            if influence.symmetric:
                ends.append((influence.target_id, influence.source_id))
            for a, b in ends:
                line_u.append(node.get(a, -1))
                line_v.append(node.get(b, -1))
                line_w.append(influence.weight)
        lu, lv = np.asarray(line_u, dtype=np.int64), np.asarray(line_v, dtype=np.int64)
        lw = np.asarray(line_w, dtype=np.float64)
        usable = (lu >= 0) & (lv >= 0) & (lu != lv) & (lw > 0)
        lu, lv, lw = lu[usable], lv[usable], lw[usable]
        src = np.concatenate([u[keep], v[contact_pair], lu])
        dst = np.concatenate([v[keep], u[contact_pair], lv])
        weight = np.concatenate([w[keep], w[contact_pair], lw])
        key = src * self.n + dst
        order = np.argsort(key, kind="stable")
        key, weight = key[order], weight[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        best = np.maximum.reduceat(weight, first) if len(key) else weight
        self.src = key[first] // self.n
        self.dst = key[first] % self.n
        self.weight = best
        # for reach: edges grouped by their head
        by_dst = np.argsort(self.dst, kind="stable")
        self.reach_src, self.reach_dst = self.src[by_dst], self.dst[by_dst]
        self.reach_weight = self.weight[by_dst]
        heads = np.flatnonzero(np.r_[True, self.reach_dst[1:] != self.reach_dst[:-1]])
        self.reach_heads = heads if len(by_dst) else np.zeros(0, dtype=np.int64)
        self.reach_head_nodes = self.reach_dst[self.reach_heads]

        # the best non-tie line of each edge (introductions), and our ties into each contact
        self.lines_into: list[list[tuple[int, float]]] = [[] for _ in range(self.n)]
        strongest_line: dict[tuple[int, int], float] = {}
        for tail, head, value in zip(lu.tolist(), lv.tolist(), lw.tolist(), strict=True):
            if tail >= self.n_staff and value > strongest_line.get((tail, head), 0.0):
                strongest_line[tail, head] = value
        for (tail, head), value in strongest_line.items():
            self.lines_into[head].append((tail, value))
        self.ties_into: list[list[tuple[int, float]]] = [[] for _ in range(self.n)]
        from_staff = self.src < self.n_staff
        for a, b, s in zip(
            self.src[from_staff].tolist(),
            self.dst[from_staff].tolist(),
            self.weight[from_staff].tolist(),
            strict=True,
        ):
            self.ties_into[b].append((a, s))

    def reach(self, sources: list[int], max_hops: int, removed: int = -1) -> FloatArray:
        """Best product of link strengths from ``sources`` over at most ``max_hops`` links."""
        best = np.zeros(self.n, dtype=np.float64)
        best[[s for s in sources if s != removed]] = 1.0
        weight = self.reach_weight
        if removed >= 0:
            weight = np.where((self.reach_src == removed) | (self.reach_dst == removed), 0.0, weight)
        if not len(weight):
            return best
        for _ in range(max_hops):
            offered = np.maximum.reduceat(best[self.reach_src] * weight, self.reach_heads)
            better = offered > best[self.reach_head_nodes]
            if not better.any():
                break
            best[self.reach_head_nodes[better]] = offered[better]
        return best


@dataclass(frozen=True)
class _Grade:
    grade: str
    strength: float
    evidence: tuple[int, ...]


def _coverage(
    graph: _PathGraph,
    holders: Mapping[Role, list[int]],
    config: AnalysisConfig,
    removed: int = -1,
) -> tuple[float, dict[Role, _Grade]]:
    """Graded coverage of the required roles, without ``removed``; and the score 0-100."""
    tolerance = config.threshold_tolerance
    strong = config.strong_threshold - tolerance
    usable_line = config.thread_min_strength - tolerance
    reached = graph.reach(list(range(graph.n_staff)), config.reach_max_hops, removed)
    our_tie: dict[int, tuple[float, int]] = {}

    def tie_to(contact: int) -> tuple[float, int] | None:
        if contact not in our_tie:
            found = [(s, staff) for staff, s in graph.ties_into[contact] if staff != removed]
            our_tie[contact] = max(found) if found else (-1.0, -1)
        value = our_tie[contact]
        return value if value[1] >= 0 else None

    grades: dict[Role, _Grade] = {}
    covered_weight = total_weight = 0.0
    grade_weight = config.coverage_grade_weights
    for role, role_holders in holders.items():
        present = [h for h in role_holders if h != removed]
        weight = config.role_weight(role)
        total_weight += weight
        direct = max((t for t in map(tie_to, present) if t is not None), default=None)
        if direct is not None and direct[0] >= strong:
            found = next(h for h in present if tie_to(h) == direct)
            grade = _Grade("direct", direct[0], (direct[1], found))
        else:
            best_intro: tuple[float, float, int, int, int] | None = None
            for h in present:
                for introducer, line in graph.lines_into[h]:
                    ours = tie_to(introducer) if introducer != removed else None
                    if ours is None or line < usable_line:
                        continue
                    candidate = (ours[0], line, ours[1], introducer, h)
                    if best_intro is None or candidate > best_intro:
                        best_intro = candidate
            if best_intro is not None and best_intro[0] >= strong:
                tie, line, staff, introducer, holder = best_intro
                grade = _Grade("introduction", tie * line, (staff, introducer, holder))
            else:
                grade = _Grade("gap", max((float(reached[h]) for h in present), default=0.0), ())
        grades[role] = grade
        covered_weight += weight * float(grade_weight.get(grade.grade, 0.0))
    score = 100.0 if total_weight <= 0 else 100.0 * covered_weight / total_weight
    return score, grades


def _levels(graph: _PathGraph, config: AnalysisConfig) -> dict[str, bool]:
    """Per level: is the strongest same-level tie of ours to a contact strong?"""
    top: dict[Level, float] = {}
    for a, b, s in zip(graph.src.tolist(), graph.dst.tolist(), graph.weight.tolist(), strict=True):
        if a < graph.n_staff <= b and graph.levels[a] is not None and graph.levels[a] == graph.levels[b]:
            level = graph.levels[a]
            assert level is not None
            top[level] = max(top.get(level, 0.0), s)
    strong = config.strong_threshold - config.threshold_tolerance
    return {level.value: level in top and top[level] >= strong for level in Level}


def analyse_igraph(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """The account's compared numbers, computed independently (see the module notes).

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's records.
    config : AnalysisConfig
        The parameter values.

    Returns
    -------
    dict
        The same keys and values as :func:`bench.bench_analysis.analyse_kamgraph`.
    """
    ties = tie_table(subgraph, config)
    graph = _PathGraph(subgraph, ties, config)
    n, names = graph.n, graph.names
    required = config.required_roles(subgraph.account.tier)
    holders = {role: [i for i in range(graph.n_staff, n) if role in graph.roles[i]] for role in required}
    score, grades = _coverage(graph, holders, config)

    lost: dict[int, tuple[float, tuple[str, ...]]] = {}
    candidates = sorted({p for g in grades.values() if g.grade != "gap" for p in g.evidence})
    for person in candidates:
        after, after_grades = _coverage(graph, holders, config, person)
        roles_lost = tuple(
            sorted(r.value for r in required if grades[r].grade != "gap" and after_grades[r].grade == "gap")
        )
        lost[person] = (max(score - after, 0.0), roles_lost)

    # threads: unit vertex capacities on the split-node graph, in C
    thread = graph.weight >= config.thread_min_strength
    thread_src, thread_dst = graph.src[thread].tolist(), graph.dst[thread].tolist()
    sources = list(range(graph.n_staff))
    sinks = sorted({h for hs in holders.values() for h in hs})
    source, sink = 2 * n, 2 * n + 1
    split_edges = [(2 * i, 2 * i + 1) for i in range(n)]
    split_edges += [(2 * a + 1, 2 * b) for a, b in zip(thread_src, thread_dst, strict=True)]
    split_edges += [(source, 2 * s) for s in sources] + [(2 * t + 1, sink) for t in sinks]
    capacity = [1.0] * n + [float(n + 1)] * (len(split_edges) - n)
    flow = ig.Graph(n=2 * n + 2, edges=split_edges, directed=True).maxflow(source, sink, capacity=capacity)
    threads = round(flow.value)
    residual = []
    for (a, b), cap, used in zip(split_edges, capacity, flow.flow, strict=True):
        if cap - used > 0.5:
            residual.append((a, b))
        if used > 0.5:
            residual.append((b, a))
    component = ig.Graph(n=2 * n + 2, edges=residual, directed=True).connected_components("strong").membership
    critical = {
        i for i in range(n) if threads and flow.flow[i] > 0.5 and component[2 * i] != component[2 * i + 1]
    }

    # dominators of the source-rooted thread digraph: articulation points and role cuts
    root = n
    dominated_edges = list(zip(thread_src, thread_dst, strict=True)) + [(root, s) for s in sources]
    for k, role in enumerate(required):
        dominated_edges += [(h, n + 1 + k) for h in holders[role]]
    dominator = ig.Graph(n=n + 1 + len(required), edges=dominated_edges, directed=True).dominator(
        root, mode="out"
    )
    articulation = sorted(
        {names[int(d)] for v, d in enumerate(dominator[:n]) if d == d and 0 <= d < n and int(d) != v}
    )
    role_cuts: dict[str, tuple[str, ...]] = {}
    for k, role in enumerate(required):
        chain: list[str] = []
        d = dominator[n + 1 + k]
        if d == d:  # not NaN: some holder is reached
            at = int(d)
            while at != root:
                chain.append(names[at])
                at = int(dominator[at])
        role_cuts[role.value] = tuple(sorted(chain))

    impacts = {}
    for i, name in enumerate(names):
        coverage_lost, roles_lost = lost.get(i, (0.0, ()))
        impacts[name] = (round(coverage_lost, 9), 1 if i in critical else 0, roles_lost)
    return {
        "map": graph.map_counts,
        "bands": ties.bands(config),
        "score": round(score, 9),
        "roles": {r.value: grades[r].grade for r in required},
        "role_strength": {r.value: round(grades[r].strength, 12) for r in required},
        "levels": _levels(graph, config),
        "threads": threads,
        "critical": sorted(names[i] for i in critical),
        "articulation": articulation,
        "role_cuts": role_cuts,
        "impacts": impacts,
    }
