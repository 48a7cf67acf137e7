"""Benchmark: what an uncached account request computes, in-process (no HTTP).

Usage::

    .venv/bin/python -m bench.bench_map [--contacts 500,2000,5000] [--repeat 9]

For the synthetic strategic account of ``bench_analysis.py`` at each size, times (CPU of this
process, p50 and min over ``--repeat`` runs, each on a fresh copy of the subgraph as a new request
reads one): the relationship map (``relationship_map`` + the API's ``lean_map``), the account
summary (``account_payload(detail=False)``), both from one subgraph (what the account page's
first request computes), and the full analysis (``analyse_account``). Prints the load average.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.bench_analysis import synthetic_account
from graph.analysis.account import analyse_account
from graph.analysis.portfolio import account_payload
from graph.analysis.relationship_map import relationship_map
from graph.store import AccountSubgraph
from schema.relationship_map import lean_map


def _map(sub: AccountSubgraph) -> Any:
    return lean_map(relationship_map(sub))


def _summary(sub: AccountSubgraph) -> Any:
    return account_payload(sub, detail=False)


def _both(sub: AccountSubgraph) -> Any:
    return _map(sub), _summary(sub)


STEPS: dict[str, Callable[[AccountSubgraph], Any]] = {
    "map": _map,
    "summary": _summary,
    "map + summary (one request)": _both,
    "full analysis": analyse_account,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", default="500,2000,5000", help="comma-separated account sizes")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print(f"{'contacts':>8}  {'step':<28} {'p50 ms':>8} {'min ms':>8}")
    for n in (int(x) for x in args.contacts.split(",")):
        base = synthetic_account(n)
        for name, step in STEPS.items():
            times = []
            for _ in range(args.repeat):
                sub = dataclasses.replace(base)  # a new subgraph object, as each request reads
                start = time.process_time()
                step(sub)
                times.append(time.process_time() - start)
            print(f"{n:>8}  {name:<28} {1000 * statistics.median(times):>8.1f} {1000 * min(times):>8.1f}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
