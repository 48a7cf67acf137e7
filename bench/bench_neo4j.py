"""Benchmark: the Neo4j backend side by side with the embedded store, in one run.

Usage::

    .venv/bin/python bench/bench_neo4j.py [--size medium] [--seed 7] [--reads 100] [--map-requests 50]
                                          [--java-opts "-Xmx4g -Dkamgraph.pagecache.mb=2048"]

Without ``NEO4J_URI`` it starts the project's test server (``scripts/neo4j.sh``, an in-process
Neo4j 5 Community on loopback, with ``--java-opts``) in a throw-away state directory and stops it
at the end; with ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD`` set it uses that server and
**wipes its database**. On the same demo portfolio (``--size``, default ``medium``: 1,000
accounts) it measures, for the embedded store and for Neo4j:

1. **import**: the first load into an empty store with ``load_records`` (the importers' batches of
   10,000 records), rows/s; then the same records again (nothing changes); on Neo4j, the load
   into an emptied store once more (the server's JIT has compiled its hot paths by then, as on a
   long-running server);
2. **account subgraph**: ``account_subgraph`` of the largest account as of ``--reads`` random days
   of the last two years, p50 / p99;
3. **API**: ``kamgraph serve``'s app (uvicorn, one worker) on each store: the first portfolio page
   (100 accounts by revenue at risk, nothing cached: every account is analysed during the
   request), then the relationship map of the largest account, first and warm (``--map-requests``
   requests, p50 / p99);
4. **refresh**: a full portfolio refresh (every account analysed and its summary stored, one
   process), then ``--refreshes`` refreshes with nothing changed (p50 / p99), then the portfolio view
   from the stored results.

The 1-minute load average is printed before and after each step; the wall clock counts other
jobs' use of the two cores too.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_api import MAP_QUERY, PAGE_QUERY, Server, _client_run, put_token  # noqa: E402
from graph.backends.neo4j.store import Neo4jStore, open_neo4j_store  # noqa: E402
from graph.backends.sqlite.store import SqliteStore  # noqa: E402
from graph.model import Employment, Record  # noqa: E402
from graph.services.refresh import load_portfolio, refresh  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from importers.base import load_records  # noqa: E402
from importers.demo import REFERENCE_DATE, generate  # noqa: E402

__all__ = ["main"]


def _load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def _pcts(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


@contextmanager
def _neo4j(java_opts: str) -> Iterator[tuple[str, str, str]]:
    """The server to measure: ``NEO4J_URI`` if set, else a test server started here."""
    if os.environ.get("NEO4J_URI"):
        yield (
            os.environ["NEO4J_URI"],
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
        )
        return
    with tempfile.TemporaryDirectory(prefix="kamgraph-bench-neo4j-") as state:
        env = {**os.environ, "KAMGRAPH_NEO4J_STATE": state, "KAMGRAPH_NEO4J_JAVA_OPTS": java_opts}
        script = str(ROOT / "scripts" / "neo4j.sh")
        subprocess.run(["bash", script, "start"], env=env, check=True, stdout=subprocess.DEVNULL)
        try:
            uri = Path(state, "uri").read_text().strip()
            password = Path(state, "password").read_text().strip()
            yield uri, "neo4j", password
        finally:
            subprocess.run(["bash", script, "stop"], env=env, check=False)


def _timed(work: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def _import_step(store: GraphStore, records: list[Record]) -> str:
    before = _load()
    first, _ = _timed(lambda: load_records(store, iter(records)))
    again, _ = _timed(lambda: load_records(store, iter(records)))
    warmed = ""
    if isinstance(store, Neo4jStore):
        # A long-running server has compiled its hot paths by now: wipe and load once more.
        store.wipe()
        store.init()
        second, _ = _timed(lambda: load_records(store, iter(records)))
        warmed = f"; into an empty store again (server warmed up) {len(records) / second:,.0f} rows/s ({second:.1f} s)"
    put_token(store)
    return (
        f"import: {len(records) / first:,.0f} rows/s ({first:.1f} s); unchanged "
        f"{len(records) / again:,.0f} rows/s ({again:.1f} s){warmed}; load {before} -> {_load()}"
    )


def _subgraph_step(store: GraphStore, account_id: str, as_of: date, days: list[date]) -> str:
    store.account_subgraph(account_id, as_of)  # the server's caches and plans warm
    samples = []
    for day in days:
        started = time.perf_counter()
        store.account_subgraph(account_id, day)
        samples.append(time.perf_counter() - started)
    return f"account_subgraph({account_id}, random day): {_pcts(samples)}"


def _refresh_step(store: GraphStore, as_of: date, refreshes: int) -> str:
    before = _load()
    full, summary = _timed(lambda: refresh(store, as_of, force=True))
    idle = [_timed(lambda: refresh(store, as_of))[0] for _ in range(refreshes)]
    view = [_timed(lambda: load_portfolio(store, as_of, materialise=False))[0] for _ in range(5)]
    return (
        f"refresh: full {full:.1f} s ({len(summary.recomputed)} accounts); nothing changed {_pcts(idle)}; "
        f"portfolio view {_pcts(view)}; load {before} -> {_load()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="medium")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reads", type=int, default=100)
    parser.add_argument("--map-requests", type=int, default=50)
    parser.add_argument("--refreshes", type=int, default=20)
    parser.add_argument("--java-opts", default="-Xmx4g -Dkamgraph.pagecache.mb=2048")
    args = parser.parse_args(argv)

    print(f"generating the {args.size!r} demo portfolio (seed {args.seed})", flush=True)
    records: list[Record] = list(generate(args.size, args.seed))
    as_of = REFERENCE_DATE
    sizes: dict[str, int] = {}
    for r in records:
        if isinstance(r, Employment):
            sizes[r.account_id] = sizes.get(r.account_id, 0) + 1
    largest = max(sorted(sizes), key=lambda a: sizes[a])
    print(f"{len(records):,} records; as of {as_of}; largest account {largest} ({sizes[largest]} positions)")

    with (
        tempfile.TemporaryDirectory(prefix="kamgraph-bench-") as tmp,
        _neo4j(args.java_opts) as (uri, user, pw),
    ):
        embedded_dir = Path(tmp, "embedded")
        embedded = SqliteStore(embedded_dir)
        embedded.init()
        neo4j_store: Neo4jStore = open_neo4j_store(uri, user, pw)
        neo4j_store.init()
        neo4j_store.wipe()
        stores: dict[str, GraphStore] = {"embedded": embedded, "neo4j": neo4j_store}
        rows: dict[str, list[str]] = {name: [] for name in stores}

        for name, store in stores.items():
            rows[name].append(_import_step(store, records))
            print(f"{name:8} {rows[name][-1]}", flush=True)

        rng = random.Random(args.seed)
        days = [as_of - timedelta(days=rng.randrange(730)) for _ in range(args.reads)]
        for name, store in stores.items():
            rows[name].append(_subgraph_step(store, largest, as_of, days))
            print(f"{name:8} {rows[name][-1]}", flush=True)

        envs = {
            "embedded": {"KAMGRAPH_DATA_DIR": str(embedded_dir)},
            "neo4j": {"NEO4J_URI": uri, "NEO4J_USER": user, "NEO4J_PASSWORD": pw},
        }
        variables = {"id": largest, "asOf": as_of.isoformat()}
        for name in stores:
            with Server(embedded_dir, workers=1, env=envs[name]) as server:
                before = _load()
                page, _ = _client_run(
                    (server.url, PAGE_QUERY.replace("accounts(", f'accounts(asOf: "{as_of}", '), {}, 1)
                )[0]
                first_map, _ = _client_run((server.url, MAP_QUERY, variables, 1))[0]
                warm = [t for t, _ in _client_run((server.url, MAP_QUERY, variables, args.map_requests))]
            rows[name].append(
                f"API: first portfolio page {page:.2f} s; map first {first_map:.2f} s, warm {_pcts(warm)}; "
                f"load {before} -> {_load()}"
            )
            print(f"{name:8} {rows[name][-1]}", flush=True)

        for name, store in stores.items():
            rows[name].append(_refresh_step(store, as_of, args.refreshes))
            print(f"{name:8} {rows[name][-1]}", flush=True)

        for store in stores.values():
            store.close()

    print()
    for name, lines in rows.items():
        print(f"## {name}")
        for line in lines:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
