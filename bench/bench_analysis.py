"""Benchmark: full analysis of 500-contact accounts, kamgraph vs an independent reference vs naive networkx.

Usage::

    python -m bench.bench_analysis [--contacts 500] [--accounts 3] [--repeat 3] [--seed 7] [--no-naive]

For each seeded synthetic account (generated here, see :func:`synthetic_account`: an executive
floor, a front office our people work with, and departments reachable from our side only through
one to three bridge contacts each, with role holders inside the departments, so the threads are
cut inside the customer, not at our staff; 12, 4 and 1 interactions per contact in turn) it runs,
on the same data:

* **kamgraph**: :func:`graph.analysis.account.analyse_account` (ties, map, coverage, level
  coverage, threads and cuts, departure impact of every person);
* **independent reference**: :func:`bench.igraph_reference.analyse_igraph`, which computes the
  same numbers from the raw records with its own numpy tie pass, numpy reach and igraph's C max
  flow and dominator tree, sharing no analysis code with kamgraph;
* **naive networkx**: kamgraph's ties, map and path graph once, then for every person remove them
  and recompute reach, graded coverage and ``local_node_connectivity`` (the threads); level
  coverage, articulation points and role cuts (``immediate_dominators``) once, since the
  per-person loop does not use them.

It checks that all three give the same numbers (map counts, tie bands, coverage score, per-role
grade and strength, level coverage, threads, critical people, articulation points, role cuts,
per-person coverage, threads and roles lost) and prints the best of ``--repeat`` runs of each,
timed alike: every run on a fresh copy of the subgraph (so no cache keyed by the subgraph serves
a repeat), with the cyclic garbage collector paused. Figures are ratios against the reference
of the same run, with the load average before and after each account.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import math
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx
from networkx.algorithms.connectivity import local_node_connectivity

from bench.igraph_reference import analyse_igraph, tie_table
from graph.analysis.account import AccountAnalysis, analyse_account
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.relationship_map import relationship_map
from graph.analysis.relgraph import relationship_graph
from graph.analysis.strength import ties_of
from graph.model import (
    Account,
    AssessedLevel,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    InteractionKind,
    Level,
    ReportingLine,
    Role,
    Staff,
    TeamMembership,
    TeamRole,
    Tier,
)
from graph.store import AccountSubgraph

__all__ = [
    "AS_OF",
    "DENSITIES",
    "analyse_naive",
    "best_of",
    "kamgraph_numbers",
    "main",
    "synthetic_account",
]

AS_OF = date(2025, 6, 30)
#: Interactions per contact of the benchmark accounts, in turn: a well-covered account, a thinner
#: one and a sparse one (lower coverage, fewer threads, more departures that matter).
DENSITIES = (12, 4, 1)
KINDS = [
    (InteractionKind.EMAIL, 40),
    (InteractionKind.CALL, 20),
    (InteractionKind.MEETING, 25),
    (InteractionKind.SUPPORT, 8),
    (InteractionKind.EVENT, 4),
    (InteractionKind.EXEC_VISIT, 3),
]
#: Our people on the account: id suffix, level and team role (``None``: met the customer, off the team).
STAFF_SPEC = [
    ("rep", Level.MANAGEMENT, TeamRole.ACCOUNT_REP),
    ("se", Level.OPERATIONAL, TeamRole.SOLUTION_SPECIALIST),
    ("fl", Level.OPERATIONAL, TeamRole.DELIVERY_LEAD),
    ("sponsor", Level.EXECUTIVE, TeamRole.EXECUTIVE_SPONSOR),
    ("csm", Level.OPERATIONAL, TeamRole.CUSTOMER_SUCCESS),
    ("se2", Level.OPERATIONAL, TeamRole.SOLUTION_SPECIALIST),
    ("fl2", Level.MANAGEMENT, TeamRole.DELIVERY_LEAD),
    ("rep2", Level.MANAGEMENT, TeamRole.ACCOUNT_REP),
    ("ceo", Level.EXECUTIVE, None),
    ("cto", Level.EXECUTIVE, None),
    ("pm", Level.MANAGEMENT, None),
    ("eng", Level.OPERATIONAL, None),
]
#: Share of the interactions held inside one department, among its people only (no staff of ours).
INTERNAL_SHARE = 0.25

Result = TypeVar("Result")


@dataclasses.dataclass
class _Department:
    """One department of a synthetic account: its head, its other bridges and everyone in it."""

    head: str
    bridges: list[str]
    managers: list[str]
    members: list[str]


def synthetic_account(
    n_contacts: int = 500,
    seed: int = 7,
    n_interactions: int | None = None,
    account_id: str = "acct",
    departments: int | None = None,
) -> AccountSubgraph:
    """A seeded synthetic strategic account whose threads are cut inside the customer.

    The contacts are an executive floor (``n_contacts // 60`` executives under the first one), a
    front office (two fifths of the rest: managers reporting to executives, their reports) and
    ``departments`` departments (default ``max(2, n_contacts // 80)``). A department's head
    reports to an executive and has zero to two more *bridges* (managers reporting to the head);
    its other managers report to the head and its staff to them. Our twelve people (eight on the
    team, four who met the customer) only ever meet executives, the front office and the
    bridges; three quarters of the interactions are theirs, the rest are held inside one
    department. Influence lines stay inside the executive floor and front office or inside one
    department. The economic buyers and the executive sponsor are executives; the technical
    buyers, procurement, champions and most user buyers sit inside departments, so every thread
    to them passes a department's bridges: the cut of the threads is inside the customer, role
    cuts and articulation points are department heads, and coverage mixes direct, introduced and
    uncovered roles.

    Parameters
    ----------
    n_contacts : int
        Contacts of the account (at least 30).
    seed : int
        Seed of the generator: the same seed gives the same account.
    n_interactions : int, optional
        Interactions over the two years before :data:`AS_OF` (default ``12 * n_contacts``).
    account_id : str
        Id of the account, prefixed to every id.
    departments : int, optional
        Number of departments.

    Returns
    -------
    AccountSubgraph
    """
    if n_contacts < 30:
        raise ValueError(f"a synthetic account needs at least 30 contacts, got {n_contacts}")
    rng = random.Random(seed)
    n_interactions = n_interactions if n_interactions is not None else 12 * n_contacts
    n_departments = departments if departments is not None else max(2, n_contacts // 80)
    ids = [f"{account_id}-c{i:04d}" for i in range(n_contacts)]
    n_exec = max(2, n_contacts // 60)
    executives = ids[: n_exec + 1]
    rest = ids[n_exec + 1 :]
    n_front = max(2, round(len(rest) * 0.4))
    front, inner = rest[:n_front], rest[n_front:]
    level: dict[str, Level] = dict.fromkeys(executives, Level.EXECUTIVE)
    manager: dict[str, str] = {cid: executives[0] for cid in executives[1:]}

    front_managers = front[: max(1, n_front // 8)]
    for cid in front_managers:
        level[cid] = Level.MANAGEMENT
        manager[cid] = rng.choice(executives)
    for cid in front[len(front_managers) :]:
        level[cid] = Level.OPERATIONAL
        manager[cid] = rng.choice(front_managers)

    units: list[_Department] = []
    for k in range(n_departments):
        members = inner[k::n_departments]
        head, others = members[0], members[1:]
        n_bridges = min(len(others), rng.choice([0, 0, 1, 2]))
        n_managers = min(len(others), n_bridges + max(1, len(others) // 8))
        managers = others[:n_managers]
        level[head] = Level.MANAGEMENT
        manager[head] = rng.choice(executives[1:])
        for cid in managers:
            level[cid] = Level.MANAGEMENT
            manager[cid] = head
        for cid in others[n_managers:]:
            level[cid] = Level.OPERATIONAL
            manager[cid] = rng.choice(managers[n_bridges:] or [head])
        units.append(_Department(head, [head, *managers[:n_bridges]], managers[n_bridges:], members))

    roles: dict[str, set[Role]] = {cid: set() for cid in ids}
    roles[executives[0]].add(Role.ECONOMIC_BUYER)
    roles[executives[1]].add(Role.ECONOMIC_BUYER)
    roles[executives[2]].add(Role.EXECUTIVE_SPONSOR)
    roles[front_managers[0]].add(Role.TECHNICAL_BUYER)
    operational_front = [c for c in front if level[c] is Level.OPERATIONAL]
    if operational_front:
        roles[rng.choice(operational_front)].add(Role.USER_BUYER)

    def inside(k: int, deep: bool) -> str:
        """Someone inside department ``k``: a manager under the head, or (deep) their staff."""
        unit = units[k % n_departments]
        staff_level = [c for c in unit.members if level[c] is Level.OPERATIONAL]
        pool = (staff_level if deep else unit.managers) or unit.managers or unit.members
        return rng.choice(pool)

    roles[inside(0, deep=False)].add(Role.TECHNICAL_BUYER)
    roles[inside(1, deep=False)].add(Role.PROCUREMENT)
    roles[inside(2, deep=True)].add(Role.CHAMPION)
    roles[inside(3, deep=False)].add(Role.CHAMPION)
    for k in (0, 0, 2, 2):
        roles[inside(k, deep=True)].add(Role.USER_BUYER)
    for cid in rng.sample(ids, min(15, len(ids))):
        roles[cid].add(rng.choice([Role.INFLUENCER, Role.COACH, Role.GATEKEEPER]))
    holders = {c for c, held in roles.items() if held}
    operational = [c for c in ids if level[c] is Level.OPERATIONAL and c not in holders]
    left = set(rng.sample(operational, min(10, len(operational))))

    contacts = tuple(Contact(cid, f"Contact {cid}", level=level[cid]) for cid in ids)
    employments = tuple(
        Employment(
            cid,
            account_id,
            title=level[cid].value,
            level=level[cid],
            roles=frozenset(roles[cid]),
            since=date(2018, 1, 1),
            until=date(2025, 3, 31) if cid in left else None,
        )
        for cid in ids
    )
    staff = tuple(Staff(f"{account_id}-{s}", s.upper(), level=lv) for s, lv, _ in STAFF_SPEC)
    team = tuple(
        TeamMembership(f"{account_id}-{s}", account_id, role, since=date(2019, 1, 1))
        for s, _, role in STAFF_SPEC
        if role is not None
    )
    # our side meets the executives, the front office and the departments' bridges only
    reachable = executives + front + [b for unit in units for b in unit.bridges]
    pools: dict[str, list[str]] = {}
    for s, lv, role in STAFF_SPEC:
        same = [c for c in reachable if level[c] is lv]
        size = 30 if role is not None else 6
        pools[f"{account_id}-{s}"] = rng.sample(same, min(size, len(same))) + rng.sample(
            reachable, min(size // 3, len(reachable))
        )
    staff_ids = [s.id for s in staff]
    staff_weights = [8 if role is not None else 1 for _, _, role in STAFF_SPEC]
    reachable_set = set(reachable)
    siblings: dict[str, list[str]] = {}
    for cid in reachable:
        siblings.setdefault(manager.get(cid, cid), []).append(cid)
    unit_weights = [len(unit.members) for unit in units]
    kinds, kind_weights = zip(*KINDS, strict=True)
    interactions = []
    start = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC) - timedelta(days=730)
    for k in range(n_interactions):
        if rng.random() < INTERNAL_SHARE:
            unit = rng.choices(units, unit_weights)[0]
            participants = tuple(rng.sample(unit.members, min(len(unit.members), rng.choice([2, 2, 3, 4]))))
        else:
            who = rng.choices(staff_ids, staff_weights, k=rng.choice([1, 1, 1, 2]))
            focus = rng.choice(pools[who[0]])
            colleagues = [c for c in siblings[manager.get(focus, focus)] if c in reachable_set]
            extra = rng.sample(colleagues, min(len(colleagues), rng.choice([0, 0, 0, 1, 2, 3])))
            participants = (*who, focus, *extra)
        at = start + timedelta(minutes=rng.randrange(730 * 24 * 60))
        kind = rng.choices(kinds, kind_weights)[0]
        interactions.append(
            Interaction(f"{account_id}-i{k}", kind, at, participants=participants, accounts=(account_id,))
        )
    groups = [executives + front] + [unit.members for unit in units]
    influence = []
    seen_lines = set()
    for _ in range(n_contacts // 5):
        group = rng.choice([g for g in groups if len(g) >= 2])
        a, b = rng.sample(group, 2)
        if (a, b) not in seen_lines:
            seen_lines.add((a, b))
            influence.append(InfluenceLine(a, b, round(rng.uniform(0.2, 0.9), 2)))
    assessments = tuple(
        Assessment(
            rng.choice(staff_ids[:8]),
            rng.choice(reachable),
            rng.choice(list(AssessedLevel)),
            AS_OF - timedelta(days=rng.randrange(300)),
        )
        for _ in range(20)
    )
    return AccountSubgraph(
        account=Account(account_id, f"Account {account_id}", tier=Tier.STRATEGIC, annual_revenue=5_000_000.0),
        as_of=AS_OF,
        contacts=contacts,
        employments=employments,
        staff=staff,
        team=team,
        reporting_lines=tuple(ReportingLine(c, m) for c, m in manager.items()),
        influence_lines=tuple(influence),
        # in the order both stores return an account's interactions (by time, then id)
        interactions=tuple(sorted(interactions, key=lambda i: (i.at, i.id))),
        assessments=assessments,
    )


# ------------------------------------------------------------------------------------------
# naive networkx: remove each person, recompute reach, coverage and the threads
# ------------------------------------------------------------------------------------------


def _nx_reach(g: nx.DiGraph, staff: Sequence[Any], max_hops: int) -> dict[Any, float]:
    """Best product of link strengths from our staff over at most ``max_hops`` links."""
    best: dict[Any, float] = dict.fromkeys(staff, 1.0)
    for _ in range(max_hops):
        layer = dict(best)
        for u, value in best.items():
            for v, data in g.succ[u].items():
                offered = value * data["strength"]
                if offered > layer.get(v, 0.0):
                    layer[v] = offered
        best = layer
    return best


def _nx_coverage(
    g: nx.DiGraph, required: Sequence[Role], config: AnalysisConfig
) -> tuple[float, dict[Role, tuple[str, float]]]:
    """Graded coverage straight from its definition: direct, through an introduction, or a gap."""
    staff = [n for n, d in g.nodes(data=True) if d["kind"] == "staff"]
    reached = _nx_reach(g, staff, config.reach_max_hops)
    tolerance = config.threshold_tolerance
    strong = config.strong_threshold - tolerance

    def our_tie(contact: Any) -> float:
        return max(
            (g.edges[s, contact]["strength"] for s in g.predecessors(contact) if s in staff), default=-1.0
        )

    covered = total = 0.0
    grades: dict[Role, tuple[str, float]] = {}
    for role in required:
        holders = [n for n, d in g.nodes(data=True) if d["kind"] == "contact" and role in d["roles"]]
        weight = config.role_weight(role)
        total += weight
        direct = max((our_tie(h) for h in holders), default=-1.0)
        grade = ("gap", max((reached.get(h, 0.0) for h in holders), default=0.0))
        if direct >= strong:
            grade = ("direct", direct)
        else:
            best: tuple[float, float] | None = None
            for h in holders:
                for m in g.predecessors(h):
                    if g.nodes[m]["kind"] != "contact":
                        continue
                    lines = [w for kind, w in g.edges[m, h]["links"] if kind != "tie"]
                    tie = our_tie(m)
                    if lines and max(lines) >= config.thread_min_strength - tolerance and tie >= 0:
                        best = max(best or (tie, max(lines)), (tie, max(lines)))
            if best is not None and best[0] >= strong:
                grade = ("introduction", best[0] * best[1])
        grades[role] = grade
        covered += weight * config.coverage_grade_weights.get(grade[0], 0.0)
    return (100.0 if total <= 0 else 100.0 * covered / total), grades


def _thread_graph(g: nx.DiGraph, required: Sequence[Role], config: AnalysisConfig) -> nx.DiGraph:
    """Links of at least ``thread_min_strength``, a virtual source before our staff and a sink."""
    h = nx.DiGraph()
    h.add_nodes_from(g)
    h.add_edges_from((u, v) for u, v, d in g.edges(data=True) if d["strength"] >= config.thread_min_strength)
    h.add_edges_from((("source",), n) for n, d in g.nodes(data=True) if d["kind"] == "staff")
    h.add_edges_from(
        (n, ("sink",))
        for n, d in g.nodes(data=True)
        if d["kind"] == "contact" and any(r in d["roles"] for r in required)
    )
    h.add_nodes_from([("source",), ("sink",)])
    return h


def _nx_threads(g: nx.DiGraph, required: Sequence[Role], config: AnalysisConfig) -> int:
    return int(local_node_connectivity(_thread_graph(g, required, config), ("source",), ("sink",)))


def _nx_cuts(
    g: nx.DiGraph, required: Sequence[Role], config: AnalysisConfig
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """Articulation points and role cuts from the dominators of the source-rooted thread graph."""
    d = _thread_graph(g, required, config)
    d.remove_node(("sink",))
    for role in required:
        d.add_node(("role", role))
        d.add_edges_from((n, ("role", role)) for n, a in g.nodes(data=True) if role in a.get("roles", ()))
    idom = nx.immediate_dominators(d, ("source",))
    articulation = sorted({p for v, p in idom.items() if v in g and p in g and p != v and v != ("source",)})
    cuts = {}
    for role in required:
        chain = []
        node = idom.get(("role", role))
        while node is not None and node != ("source",):
            chain.append(node)
            node = idom.get(node)
        cuts[role.value] = tuple(sorted(chain))
    return articulation, cuts


def _nx_levels(g: nx.DiGraph, config: AnalysisConfig) -> dict[str, bool]:
    top: dict[Level, float] = {}
    for u, v, d in g.edges(data=True):
        nu, nv = g.nodes[u], g.nodes[v]
        if nu["kind"] == "staff" and nv["kind"] == "contact" and nu["level"] and nu["level"] == nv["level"]:
            top[nu["level"]] = max(top.get(nu["level"], 0.0), d["strength"])
    strong = config.strong_threshold - config.threshold_tolerance
    return {lv.value: top.get(lv, -1.0) >= strong for lv in Level}


def analyse_naive(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """Ties, map and path graph once; then reach, coverage and threads again without each person.

    Parameters
    ----------
    subgraph : AccountSubgraph
        The account's records.
    config : AnalysisConfig
        The parameter values.

    Returns
    -------
    dict
        The compared numbers (see :func:`kamgraph_numbers`).
    """
    ties = ties_of(subgraph, config)
    rel_map = relationship_map(subgraph, config, ties)
    graph = relationship_graph(subgraph, config, ties)
    required = config.required_roles(subgraph.account.tier)
    score, grades = _nx_coverage(graph, required, config)
    threads = _nx_threads(graph, required, config)
    articulation, role_cuts = _nx_cuts(graph, required, config)
    impacts = {}
    critical = []
    for person in list(graph.nodes):
        g = graph.copy()
        g.remove_node(person)
        after, after_grades = _nx_coverage(g, required, config)
        threads_lost = threads - _nx_threads(g, required, config)
        if threads_lost:
            critical.append(person)
        roles_lost = tuple(
            sorted(r.value for r in required if grades[r][0] != "gap" and after_grades[r][0] == "gap")
        )
        impacts[person] = (round(max(score - after, 0.0), 9), threads_lost, roles_lost)
    bands: dict[str, int] = dict.fromkeys(("strong", "medium", "weak", "none", "going_cold"), 0)
    for tie in ties.values():
        bands[tie.band] += 1
        bands["going_cold"] += tie.going_cold
    return {
        "map": (len(rel_map.contacts), len(rel_map.former), len(rel_map.ties), len(rel_map.placeholders)),
        "bands": bands,
        "score": round(score, 9),
        "roles": {r.value: grades[r][0] for r in required},
        "role_strength": {r.value: round(grades[r][1], 12) for r in required},
        "levels": _nx_levels(graph, config),
        "threads": threads,
        "critical": sorted(critical),
        "articulation": articulation,
        "role_cuts": role_cuts,
        "impacts": impacts,
    }


def kamgraph_numbers(a: AccountAnalysis) -> dict[str, Any]:
    """kamgraph's analysis reduced to the compared numbers (outside the timed run).

    Parameters
    ----------
    a : AccountAnalysis
        The result of :func:`~graph.analysis.account.analyse_account`.

    Returns
    -------
    dict
        Map counts, tie bands, score, per-role grade and strength, level coverage, threads,
        critical people, articulation points, role cuts and per-person impacts.
    """
    bands: dict[str, int] = dict.fromkeys(("strong", "medium", "weak", "none", "going_cold"), 0)
    for tie in a.ties.values():
        bands[tie.band] += 1
        bands["going_cold"] += tie.going_cold
    return {
        "map": (len(a.map.contacts), len(a.map.former), len(a.map.ties), len(a.map.placeholders)),
        "bands": bands,
        "score": round(a.coverage.score, 9),
        "roles": {r.role.value: r.grade for r in a.coverage.roles},
        "role_strength": {r.role.value: round(r.strength, 12) for r in a.coverage.roles},
        "levels": {lc.level.value: lc.covered for lc in a.level_coverage},
        "threads": a.threads.threads,
        "critical": sorted(a.threads.critical),
        "articulation": sorted(a.threads.articulation_points),
        "role_cuts": {rc.role.value: tuple(sorted(rc.cut_vertices)) for rc in a.threads.role_cuts},
        "impacts": {
            p: (round(d.coverage_lost, 9), d.threads_lost, tuple(sorted(r.value for r in d.roles_lost)))
            for p, d in a.departure_impacts.items()
        },
    }


#: The clock the runs are timed by (``--clock``): the CPU time of this process leaves out the time
#: other jobs held the cores, so ratios measured on a shared machine move less.
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


def best_of(
    run: Callable[[AccountSubgraph], Result],
    subgraph: AccountSubgraph,
    repeat: int,
    clock: Callable[[], float] = time.process_time,
) -> tuple[float, Result]:
    """The best time of ``repeat`` runs by ``clock``, and the last run's result.

    Every run gets a fresh copy of ``subgraph`` (as every request reads a new one, so nothing
    cached by the subgraph's identity serves a repeat) and runs with the cyclic garbage collector
    paused after a full collection, the same for every implementation.

    Parameters
    ----------
    run : callable
        The implementation.
    subgraph : AccountSubgraph
        Its input.
    repeat : int
        Number of runs (at least 1).
    clock : callable
        Seconds as a float (:data:`CLOCKS`).

    Returns
    -------
    tuple
        ``(seconds, result)``.
    """
    best = math.inf
    result: Result | None = None
    for _ in range(max(1, repeat)):
        fresh = dataclasses.replace(subgraph)
        gc.collect()
        gc.disable()
        try:
            started = clock()
            result = run(fresh)
            best = min(best, clock() - started)
        finally:
            gc.enable()
    assert result is not None
    return best, result


def _differences(results: dict[str, dict[str, Any]]) -> list[str]:
    """The compared keys on which the implementations disagree."""
    reference = results["reference"]
    return [
        f"{key} ({', '.join(name for name, r in results.items() if r[key] != reference[key])} differ)"
        for key in reference
        if any(r[key] != reference[key] for r in results.values())
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (see the module notes); 0 when every implementation agrees."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3, help="runs per implementation and account (best)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-naive", action="store_true", help="leave the naive networkx baseline out")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="cpu",
        help="time runs by this process's CPU time or the wall clock",
    )
    args = parser.parse_args(argv)
    clock = CLOCKS[args.clock]
    cores = os.cpu_count() or 0
    print(f"{cores} cores; load average {'/'.join(f'{x:.2f}' for x in os.getloadavg())} at start")
    header = (
        f"{'account':7} {'inter.':>6} {'nodes':>5} {'links':>5} {'thr':>3} {'cut':>3} {'cov':>5} "
        f"{'kg ties':>7} {'ref ties':>8} {'kamgraph':>8} {'reference':>9} {'naive':>8} "
        f"{'kg/ref':>6} {'graph kg/ref':>12} {'naive/kg':>8} {'load':>9} same"
    )
    print(header)
    print("-" * len(header), flush=True)
    # a first run of each on a small account, so that no timed run pays for imports or warm-up
    warm_up = synthetic_account(30, seed=args.seed, account_id="warm-up")
    for run in (ties_of, tie_table, analyse_account, analyse_igraph, analyse_naive):
        run(warm_up)
    ok = True
    totals = dict.fromkeys(("kamgraph", "reference", "naive", "kg_ties", "ref_ties"), 0.0)
    for k in range(args.accounts):
        density = DENSITIES[k % len(DENSITIES)]
        sub = synthetic_account(
            args.contacts, seed=args.seed + k, n_interactions=density * args.contacts, account_id=f"a{k}"
        )
        load_before = os.getloadavg()[0]
        t_kg_ties, _ = best_of(ties_of, sub, args.repeat, clock)
        t_ref_ties, _ = best_of(tie_table, sub, args.repeat, clock)
        t_kg, analysis = best_of(analyse_account, sub, args.repeat, clock)
        t_ref, reference = best_of(analyse_igraph, sub, args.repeat, clock)
        results = {"kamgraph": kamgraph_numbers(analysis), "reference": reference}
        t_naive = math.nan
        if not args.no_naive:
            t_naive, results["naive"] = best_of(analyse_naive, sub, args.repeat, clock)
        load_after = os.getloadavg()[0]
        differences = _differences(results)
        if differences:
            ok = False
            print(f"  account a{k}: {'; '.join(differences)}", file=sys.stderr)
        for name, seconds in (
            ("kamgraph", t_kg),
            ("reference", t_ref),
            ("naive", t_naive),
            ("kg_ties", t_kg_ties),
            ("ref_ties", t_ref_ties),
        ):
            totals[name] += seconds
        ours = results["kamgraph"]
        graph_ratio = (t_kg - t_kg_ties) / (t_ref - t_ref_ties) if t_ref > t_ref_ties else math.nan
        print(
            f"a{k:<6} {len(sub.interactions):6d} {analysis.graph.number_of_nodes():5d} "
            f"{analysis.graph.number_of_edges():5d} {ours['threads']:3d} {len(analysis.threads.critical):3d} "
            f"{ours['score']:5.1f} {t_kg_ties:6.3f}s {t_ref_ties:7.3f}s {t_kg:7.3f}s {t_ref:8.3f}s "
            f"{t_naive:7.2f}s {t_kg / t_ref:5.2f}x {graph_ratio:11.2f}x {t_naive / t_kg:7.0f}x "
            f"{load_before:4.2f}/{load_after:4.2f} {'no' if differences else 'yes'}",
            flush=True,
        )
    print(
        f"all accounts: kamgraph / reference {totals['kamgraph'] / totals['reference']:.2f}x "
        f"(tie pass {totals['kg_ties'] / totals['ref_ties']:.2f}x, the rest "
        f"{(totals['kamgraph'] - totals['kg_ties']) / (totals['reference'] - totals['ref_ties']):.2f}x), "
        f"naive / kamgraph {totals['naive'] / totals['kamgraph']:.0f}x"
    )
    print(
        f"(best of runs, {'CPU time' if args.clock == 'cpu' else 'wall clock'}; 'cut' = people in some minimum cut of the threads; the tie passes"
        " are timed alone and are part of every full column; 'graph' = full minus tie pass)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
