"""Benchmark: full analysis of 500-contact accounts, kamgraph vs naive networkx vs igraph.

Usage::

    .venv/bin/python bench/bench_analysis.py [--contacts 500] [--accounts 3] [--repeat 3] [--seed 7]

For each seeded synthetic account (generated here: an org chart of executives, managers and
operational staff, buying roles of a strategic account, an account team plus a few other staff
who met the customer, thousands of n-ary interactions over two years, influence lines,
assessments and a few people who left; 12, 4 and 1 interactions per contact in turn) it runs, on the same data:

* **kamgraph**: :func:`graph.analysis.account.analyse_account` (ties, map, coverage, level
  coverage, threads and cuts, departure impact of every person);
* **naive networkx**: ties and map once, then for every person remove them from the graph and
  recompute the graph analyses with networkx (hop-bounded reach, coverage, level coverage,
  ``local_node_connectivity`` and ``minimum_st_node_cut`` on the source/sink graph,
  ``articulation_points``, ``immediate_dominators``);
* **igraph reference**: ``bench/igraph_reference.py``.

It checks that all three give the same numbers and prints the timings side by side (best of
``--repeat`` runs per account).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import networkx as nx  # noqa: E402
from igraph_reference import analyse_igraph  # noqa: E402
from networkx.algorithms.connectivity import local_node_connectivity, minimum_st_node_cut  # noqa: E402

from graph.analysis.account import analyse_account  # noqa: E402
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig  # noqa: E402
from graph.analysis.relationship_map import relationship_map  # noqa: E402
from graph.analysis.relgraph import relationship_graph  # noqa: E402
from graph.analysis.strength import ties_of  # noqa: E402
from graph.model import (  # noqa: E402
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
from graph.store import AccountSubgraph  # noqa: E402

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


def synthetic_account(
    n_contacts: int = 500, seed: int = 7, n_interactions: int | None = None, account_id: str = "acct"
) -> AccountSubgraph:
    """A seeded synthetic strategic account of ``n_contacts`` contacts."""
    rng = random.Random(seed)
    n_interactions = n_interactions if n_interactions is not None else 12 * n_contacts
    ids = [f"{account_id}-c{i:04d}" for i in range(n_contacts)]
    n_exec = max(1, n_contacts // 60)
    n_mgr = max(1, n_contacts // 12)
    level = {}
    manager: dict[str, str] = {}
    for i, cid in enumerate(ids):
        if i <= n_exec:
            level[cid] = Level.EXECUTIVE
            if i:
                manager[cid] = ids[0]
        elif i <= n_exec + n_mgr:
            level[cid] = Level.MANAGEMENT
            manager[cid] = ids[rng.randint(1, n_exec)]
        else:
            level[cid] = Level.OPERATIONAL
            manager[cid] = ids[rng.randint(n_exec + 1, n_exec + n_mgr)]
    team_of = {cid: (cid if level[cid] is Level.EXECUTIVE else manager[cid]) for cid in ids}
    managers = [c for c in ids if level[c] is Level.MANAGEMENT]
    operational = [c for c in ids if level[c] is Level.OPERATIONAL]
    roles: dict[str, set[Role]] = {cid: set() for cid in ids}
    roles[ids[0]].add(Role.ECONOMIC_BUYER)
    roles[ids[1 % n_contacts]].add(Role.ECONOMIC_BUYER)
    roles[ids[2 % n_contacts]].add(Role.EXECUTIVE_SPONSOR)
    roles[ids[3 % n_contacts]].add(Role.TECHNICAL_BUYER)
    for cid in rng.sample(managers, min(2, len(managers))):
        roles[cid].add(Role.TECHNICAL_BUYER)
    for cid in rng.sample(managers, min(2, len(managers))):
        roles[cid].add(Role.PROCUREMENT)
    for cid in rng.sample(managers, min(2, len(managers))):
        roles[cid].add(Role.CHAMPION)
    for cid in rng.sample(operational, min(5, len(operational))):
        roles[cid].add(Role.USER_BUYER)
    for cid in rng.sample(ids, min(15, len(ids))):
        roles[cid].add(rng.choice([Role.INFLUENCER, Role.COACH, Role.GATEKEEPER]))
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
    staff_spec = [
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
    staff = tuple(Staff(f"{account_id}-{s}", s.upper(), level=lv) for s, lv, _ in staff_spec)
    team = tuple(
        TeamMembership(f"{account_id}-{s}", account_id, role, since=date(2019, 1, 1))
        for s, _, role in staff_spec
        if role is not None
    )
    # each of our people works with a pool of contacts, mostly at their own level
    pools: dict[str, list[str]] = {}
    for s, lv, role in staff_spec:
        same = [c for c in ids if level[c] is lv]
        size = 30 if role is not None else 6
        pool = rng.sample(same, min(size, len(same))) + rng.sample(ids, min(size // 3, len(ids)))
        pools[f"{account_id}-{s}"] = pool
    staff_ids = [s.id for s in staff]
    staff_weights = [8 if role is not None else 1 for _, _, role in staff_spec]
    by_team: dict[str, list[str]] = {}
    for cid in ids:
        by_team.setdefault(team_of[cid], []).append(cid)
    kinds, kind_weights = zip(*KINDS, strict=True)
    interactions = []
    start = datetime(AS_OF.year, AS_OF.month, AS_OF.day, tzinfo=UTC) - timedelta(days=730)
    for k in range(n_interactions):
        who = rng.choices(staff_ids, staff_weights, k=rng.choice([1, 1, 1, 2]))
        focus = rng.choice(pools[who[0]])
        colleagues = by_team[team_of[focus]]
        extra = rng.sample(colleagues, min(len(colleagues), rng.choice([0, 0, 0, 1, 2, 3])))
        at = start + timedelta(minutes=rng.randrange(730 * 24 * 60))
        kind = rng.choices(kinds, kind_weights)[0]
        interactions.append(
            Interaction(
                f"{account_id}-i{k}", kind, at, participants=(*who, focus, *extra), accounts=(account_id,)
            )
        )
    influence = []
    seen_lines = set()
    for _ in range(n_contacts // 5):
        a, b = rng.sample(ids, 2)
        if (a, b) not in seen_lines:
            seen_lines.add((a, b))
            influence.append(InfluenceLine(a, b, round(rng.uniform(0.2, 0.9), 2)))
    assessments = tuple(
        Assessment(
            rng.choice(staff_ids[:8]),
            rng.choice(ids),
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
        interactions=tuple(sorted(interactions, key=lambda i: i.at)),
        assessments=assessments,
    )


# ------------------------------------------------------------------------------------------
# naive networkx: remove each person, recompute the graph analyses
# ------------------------------------------------------------------------------------------


def _nx_graph_analysis(g: nx.DiGraph, tier: Tier, config: AnalysisConfig) -> dict[str, Any]:
    staff = [n for n, d in g.nodes(data=True) if d["kind"] == "staff"]
    required = config.required_roles(tier)
    holders = {
        r: sorted(n for n, d in g.nodes(data=True) if d["kind"] == "contact" and r in d["roles"])
        for r in required
    }
    # graded coverage straight from its definition: direct, through an introduction, or gap
    tolerance = config.threshold_tolerance

    def strong_tie(contact: Any) -> bool:
        return any(
            g.has_edge(s, contact) and g.edges[s, contact]["strength"] >= config.strong_threshold - tolerance
            for s in staff
        )

    def introduced(holder: Any) -> bool:
        for m in g.predecessors(holder):
            if g.nodes[m]["kind"] != "contact" or not strong_tie(m):
                continue
            lines = [w for k, w in g.edges[m, holder]["links"] if k != "tie"]
            if any(w >= config.thread_min_strength - tolerance for w in lines):
                return True
        return False

    covered_weight = total = 0.0
    roles = {}
    for r in required:
        w = config.role_weight(r)
        total += w
        if any(strong_tie(h) for h in holders[r]):
            grade = "direct"
        elif any(introduced(h) for h in holders[r]):
            grade = "introduction"
        else:
            grade = "gap"
        roles[r] = grade != "gap"
        covered_weight += w * config.coverage_grade_weights.get(grade, 0.0)
    score = 100.0 if total <= 0 else 100.0 * covered_weight / total
    levels = {}
    for level in Level:
        top = 0.0
        for u, v, d in g.edges(data=True):
            nu, nv = g.nodes[u], g.nodes[v]
            if (
                nu["kind"] == "staff"
                and nv["kind"] == "contact"
                and nu.get("level") == level == nv.get("level")
            ):
                top = max(top, d["strength"])
        levels[level] = top >= config.strong_threshold
    # threads: node connectivity and a minimum node cut through a virtual source and sink
    h = nx.DiGraph()
    h.add_nodes_from(g)
    h.add_edges_from((u, v) for u, v, d in g.edges(data=True) if d["strength"] >= config.thread_min_strength)
    src, snk = ("source",), ("sink",)
    h.add_edges_from((src, s) for s in staff)
    h.add_edges_from((t, snk) for hs in holders.values() for t in hs)
    h.add_node(src)
    h.add_node(snk)
    threads = local_node_connectivity(h, src, snk)
    cut = minimum_st_node_cut(h, src, snk) if threads else set()
    und = h.to_undirected()
    und.remove_node(snk)
    articulation = sorted(n for n in nx.articulation_points(und) if n != src)
    d = h.copy()
    d.remove_node(snk)
    for r in required:
        d.add_edges_from((t, ("role", r)) for t in holders[r])
    idom = nx.immediate_dominators(d, src)
    role_cuts = {}
    for r in required:
        chain = []
        node = idom.get(("role", r))
        while node is not None and node != src:
            chain.append(node)
            node = idom[node]
        role_cuts[r] = tuple(sorted(chain))
    return {
        "score": score,
        "roles": roles,
        "levels": levels,
        "threads": threads,
        "cut": cut,
        "articulation": articulation,
        "role_cuts": role_cuts,
    }


def analyse_naive(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """Ties and map once; then the graph analyses again without each person."""
    ties = ties_of(subgraph, config)
    rel_map = relationship_map(subgraph, config, ties)
    graph = relationship_graph(subgraph, config, ties)
    tier = subgraph.account.tier
    base = _nx_graph_analysis(graph, tier, config)
    impacts = {}
    critical = []
    for person in list(graph.nodes):
        g = graph.copy()
        g.remove_node(person)
        after = _nx_graph_analysis(g, tier, config)
        lost = base["score"] - after["score"]
        was, now = base["roles"], after["roles"]
        roles_lost = tuple(sorted(r.value for r in was if was[r] and not now[r]))
        threads_lost = base["threads"] - after["threads"]
        if threads_lost:
            critical.append(person)
        impacts[person] = (round(lost, 9), threads_lost, roles_lost)
    return {
        "map": (len(rel_map.contacts), len(rel_map.former), len(rel_map.ties), len(rel_map.placeholders)),
        "score": round(base["score"], 9),
        "roles": {r.value: ok for r, ok in base["roles"].items()},
        "levels": {lv.value: ok for lv, ok in base["levels"].items()},
        "threads": base["threads"],
        "critical": sorted(critical),
        "articulation": base["articulation"],
        "role_cuts": {r.value: cut for r, cut in base["role_cuts"].items()},
        "impacts": impacts,
    }


def analyse_kamgraph(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """kamgraph's analysis, reduced to the compared numbers."""
    a = analyse_account(subgraph, config)
    return {
        "map": (len(a.map.contacts), len(a.map.former), len(a.map.ties), len(a.map.placeholders)),
        "score": round(a.coverage.score, 9),
        "roles": {r.role.value: r.covered for r in a.coverage.roles},
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


def _best_of(fn: Any, subgraph: AccountSubgraph, repeat: int) -> tuple[float, dict[str, Any]]:
    best = float("inf")
    result: dict[str, Any] = {}
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(subgraph)
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--accounts", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-repeat", type=int, default=1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    header = (
        f"{'account':8} {'nodes':>6} {'edges':>6} {'inter.':>7} {'thr':>4} {'cov':>6} "
        f"{'ties':>7} {'kamgraph':>9} {'igraph':>8} {'naive nx':>9} {'vs naive':>9} {'vs igraph':>10} same"
    )
    print(header)
    print("-" * len(header), flush=True)
    ok = True
    for k in range(args.accounts):
        density = DENSITIES[k % len(DENSITIES)]
        sub = synthetic_account(
            args.contacts, seed=args.seed + k, n_interactions=density * args.contacts, account_id=f"a{k}"
        )
        t0 = time.perf_counter()
        ties_of(sub)
        t_ties = time.perf_counter() - t0
        t_ours, ours = _best_of(analyse_kamgraph, sub, args.repeat)
        t_ig, ref = _best_of(analyse_igraph, sub, args.repeat)
        t_naive, naive = _best_of(analyse_naive, sub, args.naive_repeat)
        same = ours == ref == naive
        if not same:
            ok = False
            for key in ours:
                if not (ours[key] == ref[key] == naive[key]):
                    print(f"  account a{k}: {key} differs", file=sys.stderr)
        graph = analyse_account(sub).graph
        print(
            f"a{k:<7} {graph.number_of_nodes():6d} {graph.number_of_edges():6d} {len(sub.interactions):7d} "
            f"{ours['threads']:4d} {ours['score']:6.1f} {t_ties:6.3f}s "
            f"{t_ours:8.3f}s {t_ig:7.3f}s {t_naive:8.2f}s {t_naive / t_ours:8.1f}x {t_ours / t_ig:9.2f}x "
            f"{'yes' if same else 'NO'}",
            flush=True,
        )
    print("(ties = the tie-strength pass alone, included in every column; best of runs)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
