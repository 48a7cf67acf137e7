"""Benchmark: the GraphQL API over HTTP against a live uvicorn server on the embedded store.

Usage::

    .venv/bin/python bench/bench_api.py [--contacts 500] [--requests 200] [--accounts 200] [--seed 7]
                                        [--workers 2] [--clients 1,8,32] [--cold-requests 24]

Measurements, each at 1, 8 and 32 concurrent clients (``--clients``), reporting p50 / p99
latency and requests/s, with the machine's load average (1 minute) before and after each row:

* **map, warm**: the relationship map of one ``--contacts``-contact strategic account (the
  synthetic account of ``bench_analysis.py``: ~6,000 interactions, ~4,700 ties) with its typed
  parts and the compact JSON parts, plus revenue at risk, served from the per-process result
  cache (every worker computes it once before the timing starts).
* **map, cold**: the same request against a server whose result caches are off
  (``KAMGRAPH_RESULT_CACHE_SIZE=0``, ``KAMGRAPH_SUMMARY_CACHE_SIZE=0``), so every request reads
  the subgraph and computes the map and the summary; ``--cold-requests`` requests in all per row.
* **page**: the first page of 100 accounts ordered by revenue at risk with team and health, on
  the first ``--accounts`` accounts of the ``bench`` demo portfolio after a portfolio refresh
  (materialised results); the cold figure is the same page before the refresh (every account
  analysed during the request).

The server is ``kamgraph serve``'s configuration: uvicorn with the httptools parser and the uvloop
event loop (``api.app:create_app``, ``--workers`` processes, default 2 as on the 2-core reference
machine) on a free loopback port; the clients are separate processes (one keep-alive connection
each), so the client's own work does not share the server's GIL. The request loops are bounded
(a fixed number of requests per client) and target 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from api.auth import hash_token  # noqa: E402
from bench.bench_analysis import AS_OF, synthetic_account  # noqa: E402
from graph.backends.sqlite.store import SqliteStore  # noqa: E402
from graph.model import Account, Record  # noqa: E402
from graph.services.refresh import refresh  # noqa: E402
from graph.store import ApiToken, GraphBatch, GraphStore  # noqa: E402
from importers import demo  # noqa: E402

TOKEN = "bench-token"

MAP_QUERY = """query Map($id: ID!, $asOf: Date!) { account(id: $id, asOf: $asOf) {
  id name revenueAtRisk
  relationshipMap {
    accountId asOf requiredRoles placeholders { role weight }
    staff { staffId name onTeam teamRole }
    contacts former orgLines influenceLines tieColumns ties tieCount
  }
} }"""

PAGE_QUERY = """query Page { accounts(first: 100, orderBy: REVENUE_AT_RISK) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id name annualRevenue revenueAtRisk health { score band } team { teamRole staffId } } }
} }"""


def open_store(data_dir: Path) -> GraphStore:
    store = SqliteStore(data_dir)
    store.init()
    return store


class _Opener:
    """A picklable store factory for the refresh."""

    def __init__(self, data_dir: Path, workers: int = 1) -> None:
        self.data_dir = data_dir
        self.workers = workers

    def __call__(self) -> GraphStore:
        return open_store(self.data_dir)


def write_map_account(data_dir: Path, contacts: int, seed: int) -> tuple[str, int]:
    """Write the synthetic account; returns its id and its number of ties' interactions."""
    sg = synthetic_account(contacts, seed=seed, account_id="big")
    batch = GraphBatch(
        accounts=[sg.account],
        contacts=list(sg.contacts),
        staff=list(sg.staff),
        employments=list(sg.employments),
        reporting_lines=list(sg.reporting_lines),
        influence_lines=list(sg.influence_lines),
        team_memberships=list(sg.team),
        interactions=list(sg.interactions),
        assessments=list(sg.assessments),
    )
    store = open_store(data_dir)
    try:
        store.write(batch)
        put_token(store)
    finally:
        store.close()
    return sg.account.id, len(sg.interactions)


def first_accounts(n: int, seed: int) -> Iterator[Record]:
    """The bench demo portfolio's records up to its ``n + 1``-th account."""
    seen = 0
    for record in demo.generate("bench", seed):
        if isinstance(record, Account):
            seen += 1
            if seen > n:
                return
        yield record


def write_portfolio(data_dir: Path, accounts: int, seed: int) -> None:
    store = open_store(data_dir)
    try:
        store.write_many(demo.batches(first_accounts(accounts, seed)))
        put_token(store)
    finally:
        store.close()


def put_token(store: GraphStore) -> None:
    store.put_token(ApiToken(hash_token(TOKEN), "bench", "leadership", None, datetime.now(UTC)))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """uvicorn serving ``api.app:create_app`` over ``data_dir`` (context manager)."""

    def __init__(self, data_dir: Path, workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.workers = workers
        self.env = env or {}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "KAMGRAPH_DATA_DIR": str(self.data_dir),
            "KAMGRAPH_ENVIRONMENT": "production",
            **self.env,
        }
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "api.app:create_app",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                "--no-access-log",
                "--workers",
                str(self.workers),
                "--http",
                "httptools",
                "--loop",
                "uvloop",
            ],
            env=env,
            cwd=ROOT,
        )
        for _ in range(200):
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=0.5).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Client:
    """A lean keep-alive HTTP client (``http.client``), so the clients' own work stays small."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.path = parts.path
        self.conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=600)

    def post(self, query: str, variables: dict[str, Any]) -> tuple[float, int]:
        """One request; returns its latency (until the whole body is read) and the body size."""
        payload = json.dumps({"query": query, "variables": variables}).encode()
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {TOKEN}"}
        started = time.perf_counter()
        self.conn.request("POST", self.path, payload, headers)
        response = self.conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200 or (b'"errors"' in body[:200_000] and b'"errors":[' in body):
            raise RuntimeError(f"request failed: {response.status} {body[:300]!r}")
        return elapsed, len(body)

    def close(self) -> None:
        self.conn.close()


def _client_run(args: tuple[str, str, dict[str, Any], int]) -> list[tuple[float, int]]:
    url, query, variables, requests = args
    client = Client(url)
    try:
        return [client.post(query, variables) for _ in range(requests)]
    finally:
        client.close()


def measure(url: str, query: str, variables: dict[str, Any], clients: int, requests: int) -> dict[str, float]:
    """Latencies of ``requests`` requests per client, ``clients`` client processes at once."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(clients) as pool:
        results = pool.map(_client_run, [(url, query, variables, requests)] * clients)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    pairs = [pair for result in results for pair in result]
    ordered = sorted(t for t, _ in pairs)
    return {
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "rps": len(ordered) / wall,
        "kib": statistics.mean(n for _, n in pairs) / 1024,
        "n": len(ordered),
        "load_before": load_before,
        "load_after": load_after,
    }


def warm(url: str, query: str, variables: dict[str, Any], workers: int) -> None:
    """Let every server worker compute and cache the result before measuring."""
    measure(url, query, variables, max(2, 2 * workers), 3)


def _row(name: str, clients: int, m: dict[str, float]) -> str:
    return (
        f"| {name} | {clients} | {m['n']:.0f} | {m['p50']:.1f} | {m['p99']:.1f} | {m['rps']:.1f} "
        f"| {m['kib']:.0f} | {m['load_before']:.2f} / {m['load_after']:.2f} |"
    )


def _machine() -> str:
    cores = os.cpu_count() or 0
    one, five, fifteen = os.getloadavg()
    return f"{cores} cores, load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=500)
    parser.add_argument("--requests", type=int, default=200, help="warm map requests at each client count")
    parser.add_argument("--cold-requests", type=int, default=24, help="cold map requests per row")
    parser.add_argument("--clients", default="1,8,32", help="client counts, comma-separated")
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-page", action="store_true", help="only the relationship map")
    args = parser.parse_args(argv)
    client_counts = [int(c) for c in args.clients.split(",") if c.strip()]
    rows: list[str] = []
    print(f"machine at start: {_machine()}; server: {args.workers} uvicorn worker(s), httptools + uvloop")
    with tempfile.TemporaryDirectory() as tmp:
        map_dir = Path(tmp) / "map"
        account_id, interactions = write_map_account(map_dir, args.contacts, args.seed)
        variables = {"id": account_id, "asOf": AS_OF.isoformat()}
        name = f"map ({args.contacts} contacts, {interactions} interactions)"
        with Server(map_dir, args.workers) as server:
            first, size = _client_run((server.url, MAP_QUERY, variables, 1))[0]
            print(f"{name}: first request {first * 1000:.0f} ms, {size / 1024:.0f} KiB")
            warm(server.url, MAP_QUERY, variables, args.workers)
            for clients in client_counts:
                result = measure(server.url, MAP_QUERY, variables, clients, max(1, args.requests // clients))
                rows.append(_row(f"{name}, warm", clients, result))
        no_cache = {"KAMGRAPH_RESULT_CACHE_SIZE": "0", "KAMGRAPH_SUMMARY_CACHE_SIZE": "0"}
        with Server(map_dir, args.workers, no_cache) as server:
            for clients in client_counts:
                per_client = max(1, args.cold_requests // clients)
                result = measure(server.url, MAP_QUERY, variables, clients, per_client)
                rows.append(_row(f"{name}, cold (no cache)", clients, result))
        if not args.skip_page:
            rows += _page_rows(Path(tmp) / "page", args)
    print(f"machine at end: {_machine()}")
    print()
    print("| request | clients | requests | p50 ms | p99 ms | req/s | response KiB | load before / after |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for row in rows:
        print(row)
    return 0


def _page_rows(page_dir: Path, args: argparse.Namespace) -> list[str]:
    rows: list[str] = []
    per_client = max(1, args.requests // 4)
    write_portfolio(page_dir, args.accounts, args.seed)
    with Server(page_dir, 1) as server:
        cold_page, _ = _client_run((server.url, PAGE_QUERY, {}, 1))[0]
        print(
            f"page of 100 by revenue at risk over {args.accounts} accounts, nothing materialised "
            f"(every account analysed in the request): {cold_page * 1000:.0f} ms"
        )
    started = time.perf_counter()
    summary = refresh(_Opener(page_dir), datetime.now(UTC).date(), workers=2, detail=False)
    print(f"refresh of {summary.accounts} accounts: {time.perf_counter() - started:.1f} s")
    with Server(page_dir, args.workers) as server:
        warm(server.url, PAGE_QUERY, {}, args.workers)
        for clients, requests in ((1, per_client), (8, max(1, per_client // 4))):
            result = measure(server.url, PAGE_QUERY, {}, clients, requests)
            rows.append(_row(f"100 of {args.accounts} accounts by revenue at risk", clients, result))
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
