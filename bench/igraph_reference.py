"""Reference implementation of the account analysis numbers with igraph (benchmark only).

Computes the same numbers as :func:`graph.analysis.account.analyse_account` — coverage and its
per-role breakdown, level coverage, threads, the set of people whose loss costs a thread,
articulation points, per-role cut vertices and the departure impact of every person — using
igraph's own C routines wherever igraph has one:

* threads: ``Graph.maxflow`` on the split-node graph (unit vertex capacities), and the people in
  some minimum cut from ``Graph.connected_components("strong")`` of the residual graph;
* per-role cut vertices: ``Graph.dominator`` on the source-rooted thread graph;
* articulation points: ``Graph.articulation_points``.

Graded coverage (direct / introduction / gap) is a lookup over integer adjacency lists in
Python, and departure impact re-grades only for the people on a covered role's evidence path
(the same shortcut as kamgraph; without it the reference would be far slower).
Ties, the relationship map and the path graph come from kamgraph itself (plain Python, no graph
algorithm involved), so the comparison is about the graph algorithms.
"""

from __future__ import annotations

from typing import Any

import igraph as ig

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.relationship_map import relationship_map
from graph.analysis.relgraph import relationship_graph
from graph.analysis.strength import ties_of
from graph.model import Level
from graph.store import AccountSubgraph

__all__ = ["analyse_igraph"]


def analyse_igraph(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[str, Any]:
    """The account's numbers, computed with igraph (see the module doc)."""
    ties = ties_of(subgraph, config)
    rel_map = relationship_map(subgraph, config, ties)
    graph = relationship_graph(subgraph, config, ties)
    names = list(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    n = len(names)
    kind = [graph.nodes[v]["kind"] for v in names]
    sources = [i for i in range(n) if kind[i] == "staff"]
    edges = [(index[u], index[v], float(d["strength"])) for u, v, d in graph.edges(data=True)]
    tier = subgraph.account.tier
    required = config.required_roles(tier)
    holders = {
        role: sorted(i for i in range(n) if kind[i] == "contact" and role in graph.nodes[names[i]]["roles"])
        for role in required
    }
    weights = {role: config.role_weight(role) for role in required}
    total = sum(weights.values())

    # graded coverage: a strong tie of ours to a holder (direct) or to someone with an org or
    # relation line to a holder (introduction); the evidence people are the departure candidates
    strong = config.strong_threshold - config.threshold_tolerance
    line_min = config.thread_min_strength - config.threshold_tolerance
    ties_to: list[list[int]] = [[] for _ in range(n)]  # our staff with a strong tie to each contact
    lines_into: list[list[int]] = [[] for _ in range(n)]  # contacts with a line into each contact
    for u, v, d in graph.edges(data=True):
        iu, iv = index[u], index[v]
        if kind[iu] == "staff" and float(d["strength"]) >= strong:
            ties_to[iv].append(iu)
        elif kind[iu] == "contact" and any(k != "tie" and w >= line_min for k, w in d["links"]):
            lines_into[iv].append(iu)
    grade_weights = config.coverage_grade_weights

    def coverage(removed: int = -1) -> tuple[float, dict[Any, Any]]:
        covered = 0.0
        per_role = {}
        for role in required:
            evidence: tuple[int, ...] = ()
            grade = "gap"
            for h in holders[role]:
                staff = [s for s in ties_to[h] if s != removed]
                if h != removed and staff:
                    grade, evidence = "direct", (staff[0], h)
                    break
            if grade == "gap":
                for h in holders[role]:
                    for m in lines_into[h]:
                        staff = [s for s in ties_to[m] if s != removed]
                        if h != removed and m != removed and staff:
                            grade, evidence = "introduction", (staff[0], m, h)
                            break
                    if grade != "gap":
                        break
            per_role[role] = (grade != "gap", evidence)
            covered += weights[role] * grade_weights.get(grade, 0.0)
        return (100.0 if total <= 0 else 100.0 * covered / total), per_role

    score, per_role = coverage()
    candidates: set[int] = set()
    for _role, (ok, evidence) in per_role.items():
        if ok:
            candidates.update(evidence)
    lost: dict[int, tuple[float, tuple[Any, ...]]] = {}
    for p in candidates:
        s2, r2 = coverage(p)
        lost[p] = (score - s2, tuple(r for r in required if per_role[r][0] and not r2[r][0]))

    # level coverage
    levels = {}
    for level in Level:
        top: tuple[float, str, str] | None = None
        for u, v, w in edges:
            if kind[u] != "staff" or kind[v] != "contact":
                continue
            if graph.nodes[names[u]].get("level") == level == graph.nodes[names[v]].get("level"):
                cand = (w, names[u], names[v])
                if top is None or w > top[0] or (w == top[0] and cand[1:] < top[1:]):
                    top = cand
        levels[level] = (top is not None and top[0] >= config.strong_threshold, top)

    # threads: unit vertex capacity max flow on the split-node graph, in C
    thr = config.thread_min_strength
    thread_edges = [(u, v) for u, v, w in edges if w >= thr]
    source, sink = 2 * n, 2 * n + 1
    big = float(n + 1)
    split_edges = [(2 * i, 2 * i + 1) for i in range(n)]
    caps = [1.0] * n
    sinks = sorted({h for hs in holders.values() for h in hs})
    split_edges += [(2 * u + 1, 2 * v) for u, v in thread_edges]
    split_edges += [(source, 2 * s) for s in sources]
    split_edges += [(2 * t + 1, sink) for t in sinks]
    caps += [big] * (len(split_edges) - n)
    split = ig.Graph(n=2 * n + 2, edges=split_edges, directed=True)
    flow = split.maxflow(source, sink, capacity=caps)
    threads = round(flow.value)
    residual = []
    for (u, v), cap, f in zip(split_edges, caps, flow.flow, strict=True):
        if cap - f > 0.5:
            residual.append((u, v))
        if f > 0.5:
            residual.append((v, u))
    comp = ig.Graph(n=2 * n + 2, edges=residual, directed=True).connected_components("strong").membership
    critical = sorted(
        names[i] for i in range(n) if threads and flow.flow[i] > 0.5 and comp[2 * i] != comp[2 * i + 1]
    )

    # articulation points of the undirected thread graph joined at our side
    und = ig.Graph(n=n + 1, edges=thread_edges + [(n, s) for s in sources], directed=False)
    articulation = sorted(names[i] for i in und.articulation_points() if i != n)

    # per-role cut vertices: dominators of each role's sink
    k = len(required)
    dom_edges = thread_edges + [(n, s) for s in sources]
    for r, role in enumerate(required):
        dom_edges += [(h, n + 1 + r) for h in holders[role]]
    dom = ig.Graph(n=n + 1 + k, edges=dom_edges, directed=True).dominator(n, mode="out")
    role_cuts = {}
    for r, role in enumerate(required):
        d = dom[n + 1 + r]
        chain: list[str] = []
        if d == d:  # not NaN: the role's sink is reachable
            node = int(d)
            while node != n:
                chain.append(names[node])
                node = int(dom[node])
        role_cuts[role] = tuple(sorted(chain))

    crit = set(critical)
    impacts = {}
    for i, name in enumerate(names):
        cov_lost, roles_lost = lost.get(i, (0.0, ()))
        lost_names = tuple(sorted(r.value for r in roles_lost))
        impacts[name] = (round(cov_lost, 9), 1 if name in crit else 0, lost_names)
    return {
        "map": (len(rel_map.contacts), len(rel_map.former), len(rel_map.ties), len(rel_map.placeholders)),
        "score": round(score, 9),
        "roles": {r.value: per_role[r][0] for r in required},
        "levels": {lv.value: levels[lv][0] for lv in Level},
        "threads": threads,
        "critical": critical,
        "articulation": articulation,
        "role_cuts": {r.value: role_cuts[r] for r in required},
        "impacts": impacts,
    }
