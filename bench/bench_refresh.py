"""Benchmark: portfolio refresh on the embedded store (full, then incremental).

Loads the first ``--accounts`` accounts of the seeded ``bench`` demo portfolio
(``importers.demo``: 100 contacts and 1,000 interactions per account on average; the full
portfolio is 10k accounts, 1M contacts, 10M interactions) into an embedded store, then measures:

1. a full refresh (every account analysed and its results stored) with ``--workers`` processes;
2. an incremental refresh after ``--new`` new interactions spread over ``--touched`` accounts
   (only those accounts are recomputed);
3. an incremental refresh with nothing changed;
4. peak resident memory of this process and of the largest worker.

Run from the repository root::

    .venv/bin/python bench/bench_refresh.py --accounts 500 --workers 2
    .venv/bin/python bench/bench_refresh.py --accounts 10000 --data-dir /tmp/kg-bench   # the full bench

``--data-dir`` keeps the loaded store, so later runs skip the load (``--reuse``); without it the
store lives in a temporary folder that is removed when the run ends (also on an error).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.backends.sqlite.store import SqliteStore
from graph.model import Account, Interaction, InteractionKind, Record
from graph.services.refresh import SUMMARY_KIND, load_portfolio, refresh
from graph.store import GraphBatch, GraphStore
from importers import demo


class OpenStore:
    """Picklable factory: the embedded store in ``path`` (one per worker process)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self) -> GraphStore:
        store = SqliteStore(self.path)
        store.init()
        return store


def first_accounts(n: int, seed: int) -> Iterator[Record]:
    """The bench portfolio's records up to (not including) its ``n + 1``-th account."""
    seen = 0
    for record in demo.generate("bench", seed):
        if isinstance(record, Account):
            seen += 1
            if seen > n:
                return
        yield record


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its finished children so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def load_average() -> str:
    """The 1-minute load average (other jobs share the cores)."""
    return f"{os.getloadavg()[0]:.1f}"


def peak_mib() -> tuple[float, float]:
    """Peak RSS (MiB) of this process and of the largest finished child (Linux: KiB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--accounts", type=int, default=10_000, help="accounts of the bench portfolio to load"
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes of the refresh")
    parser.add_argument("--chunk", type=int, default=25, help="accounts per worker task")
    parser.add_argument("--new", type=int, default=1_000, help="new interactions before the incremental run")
    parser.add_argument("--touched", type=int, default=10, help="accounts the new interactions are about")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--data-dir", type=Path, default=None, help="store folder (default: a temp folder)")
    parser.add_argument("--reuse", action="store_true", help="the store in --data-dir is already loaded")
    parser.add_argument("--detail", action="store_true", help="also store the full account analyses")
    args = parser.parse_args(argv)
    if args.accounts < 1 or args.workers < 1 or args.touched < 1 or args.new < 0:
        parser.error("--accounts, --workers and --touched must be positive, --new not negative")

    if args.data_dir is not None:
        return _run(args, args.data_dir)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:  # removed with the store, however it ends
        return _run(args, Path(tmp))


def _run(args: argparse.Namespace, data_dir: Path) -> int:
    """The measurements on the store in ``data_dir`` (see the module notes)."""
    factory = OpenStore(data_dir)
    store = factory()
    try:
        return _measure(args, data_dir, factory, store)
    finally:
        store.close()


def _measure(args: argparse.Namespace, data_dir: Path, factory: OpenStore, store: GraphStore) -> int:
    as_of = demo.REFERENCE_DATE
    print(f"store: {data_dir}  as_of: {as_of}  workers: {args.workers}")

    if not args.reuse:
        t0 = time.perf_counter()
        store.write_many(demo.batches(first_accounts(args.accounts, args.seed), 20_000))
        print(f"load: {time.perf_counter() - t0:.1f} s")
    counts = store.counts()
    print(
        f"portfolio: {counts['account']:,} accounts, {counts['contact']:,} contacts, "
        f"{counts['interaction']:,} interactions, {counts['staff']:,} staff"
    )

    detail = args.detail
    print(f"load average before the full refresh: {load_average()}")
    cpu = cpu_seconds()
    full = refresh(factory, as_of, workers=args.workers, chunk_size=args.chunk, force=True, detail=detail)
    cpu = cpu_seconds() - cpu
    print(
        f"full refresh: {full.seconds:.1f} s for {len(full.recomputed):,} accounts "
        f"({1000 * full.seconds / max(len(full.recomputed), 1):.1f} ms/account wall, "
        f"{1000 * cpu / max(len(full.recomputed), 1):.1f} ms/account CPU over all processes: "
        f"{cpu:.1f} s), failed {len(full.failed)}; load average after: {load_average()}"
    )
    if full.failed:
        print("  first failures:", list(full.failed.items())[:3])

    rng = random.Random(args.seed)
    accounts = sorted(store.data_versions())
    rng.shuffle(accounts)
    subgraphs = {}
    for account_id in accounts:  # accounts with a team and contacts (not prospects)
        sub = store.account_subgraph(account_id, as_of)
        if sub.staff and sub.contacts:
            subgraphs[account_id] = sub
            if len(subgraphs) == args.touched:
                break
    touched = sorted(subgraphs)
    run_tag = datetime.now(UTC).strftime("%Y%m%d%H%M%S")  # new ids on every run
    new: list[Interaction] = []
    for i in range(args.new):
        account_id = touched[i % len(touched)]
        sub = subgraphs[account_id]
        staff = [s.id for s in sub.staff]
        contacts = [c.id for c in sub.contacts]
        people = (rng.choice(staff), *rng.sample(contacts, min(2, len(contacts))))
        at = datetime(as_of.year, as_of.month, as_of.day, 9, tzinfo=UTC) - timedelta(
            hours=rng.randint(0, 24 * 60)
        )
        new.append(
            Interaction(
                f"bench-{run_tag}-{i}", InteractionKind.CALL, at, "bench", None, people, (account_id,)
            )
        )
    t0 = time.perf_counter()
    store.write(GraphBatch(interactions=new))
    write_s = time.perf_counter() - t0
    cpu = cpu_seconds()
    incremental = refresh(
        factory, as_of, workers=args.workers, chunk_size=max(1, args.touched // args.workers)
    )
    cpu = cpu_seconds() - cpu
    print(
        f"incremental refresh after {args.new:,} new interactions on {len(touched)} accounts: "
        f"{incremental.seconds:.2f} s ({cpu:.2f} s CPU), recomputed {len(incremental.recomputed)} "
        f"(write took {write_s:.2f} s); load average: {load_average()}"
    )
    if set(incremental.recomputed) != set(touched):
        extra = sorted(set(incremental.recomputed) - set(touched))
        print(f"  note: {len(extra)} accounts besides the touched ones were recomputed, e.g. {extra[:5]}")
    idle = refresh(factory, as_of, workers=args.workers)
    print(
        f"incremental refresh with nothing changed: {idle.seconds:.2f} s, recomputed {len(idle.recomputed)}"
    )
    stored = store.get_results(SUMMARY_KIND, as_of)
    assert len(stored) == counts["account"]
    t0 = time.perf_counter()
    view = load_portfolio(store, as_of)
    job_alerts = sum(1 for a in view.alerts if a.kind.startswith("job_change"))
    print(
        f"portfolio view from the stored results (+ {job_alerts} job-change alerts with warm paths): "
        f"{time.perf_counter() - t0:.2f} s"
    )
    own, child = peak_mib()
    print(f"peak RSS: main process {own:,.0f} MiB, largest worker {child:,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
