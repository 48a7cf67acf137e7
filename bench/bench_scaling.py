"""Benchmark: how the cost of an account analysis and of the portfolio view grows.

Usage::

    .venv/bin/python -m bench.bench_scaling [--contacts 100,500,2000,5000] [--accounts 1000,10000,100000]

* **Per account**: the full analysis (``analyse_account``: map, coverage, threads, departure
  impacts) of the synthetic strategic account of ``bench_analysis.py`` at each size (about 12
  interactions per contact), CPU p50 of ``--repeat`` runs.
* **Portfolio**: ``portfolio_view`` (ranking, exposure, gaps, alerts, context: RFM, value matrix,
  concentration) over N account payloads. The payloads are those of the 50-account demo
  portfolio, copied under new account ids up to N (a simulated portfolio: the view's cost depends
  on the number of payloads and their sizes, not on where they came from). Reports CPU and the
  growth of the resident memory while the view is built.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_analysis import synthetic_account
from graph.analysis.account import analyse_account
from graph.analysis.portfolio import account_payload, portfolio_view
from graph.backends.sqlite.store import SqliteStore
from importers import demo


def demo_payloads() -> tuple[Any, dict[str, dict[str, Any]]]:
    """The demo portfolio's summary payloads as of its reference date."""
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStore(Path(folder) / "kamgraph.sqlite3")
        store.init()
        demo.load(store)
        day = store.reference_date()
        assert day is not None
        ids = [a.id for a in store.list_accounts(first=1000).items]
        payloads = {i: account_payload(store.account_subgraph(i, day), detail=False) for i in ids}
        store.close()
    return day, payloads


def replicated(payloads: dict[str, dict[str, Any]], n: int) -> dict[str, dict[str, Any]]:
    """``n`` payloads: copies of ``payloads`` under new account ids (their people keep theirs)."""
    base = list(payloads.values())
    out: dict[str, dict[str, Any]] = {}
    for k in range(n):
        payload = copy.deepcopy(base[k % len(base)])
        account_id = f"sim-{k:06d}"
        payload["account"]["id"] = account_id
        for alert in payload["alerts"]:
            alert["account_id"] = account_id
        out[account_id] = payload
    return out


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", default="100,500,2000,5000")
    parser.add_argument("--accounts", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print("per account: full analysis")
    previous: tuple[int, float] | None = None
    for n in (int(x) for x in args.contacts.split(",")):
        sub = synthetic_account(n)
        times = []
        for _ in range(args.repeat):
            fresh = dataclasses.replace(sub)  # a new subgraph object: no tie pass reused
            start = time.process_time()
            analyse_account(fresh)
            times.append(time.process_time() - start)
        p50 = statistics.median(times)
        growth = "" if previous is None else f"  x{p50 / previous[1]:.1f} for x{n / previous[0]:.0f} contacts"
        print(f"  {n:>6} contacts ({len(sub.interactions):>6} interactions): {1000 * p50:9.1f} ms{growth}")
        previous = (n, p50)
    day, payloads = demo_payloads()
    print("portfolio view over N payloads")
    previous = None
    for n in (int(x) for x in args.accounts.split(",")):
        sim = replicated(payloads, n)
        before = _rss_mib()
        start = time.process_time()
        view = portfolio_view(sim, day)
        seconds = time.process_time() - start
        grown = _rss_mib() - before
        growth = (
            "" if previous is None else f"  x{seconds / previous[1]:.1f} for x{n / previous[0]:.0f} accounts"
        )
        print(
            f"  {n:>7} accounts: {seconds:7.2f} s CPU, peak RSS +{grown:6.0f} MiB "
            f"({len(view.alerts):,} alerts){growth}"
        )
        previous = (n, seconds)
        del sim, view
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
