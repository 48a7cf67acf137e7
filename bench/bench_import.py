"""Native import throughput into the embedded store: rows/s and interactions/s.

Writes a native CSV folder (accounts, staff, contacts, employments, interactions with three
participants each), imports it into an empty embedded store with ``run_import`` (check pass +
write pass, one transaction), imports it again (everything unchanged), and prints the figures.
The JSON Lines variant of the same data is measured too.

Wall-clock and CPU figures are both printed: on a shared machine the CPU rate is the one that
does not depend on what else runs. Inputs up to 200k rows are kept in memory between the check
and the write pass; larger ones are read twice (streaming).

Usage::

    .venv/bin/python bench/bench_import.py                          # 150k and 1M interactions
    .venv/bin/python bench/bench_import.py --interactions 500000 --skip-jsonl
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.backends.sqlite.store import SqliteStore
from importers.base import ImportReport, run_import
from importers.native import NativeSource

KINDS = ("meeting", "call", "email", "exec_visit", "event", "support")


def write_portfolio(folder: Path, interactions: int, seed: int = 1) -> int:
    """Write a native CSV portfolio sized around ``interactions``; return the number of rows."""
    rng = random.Random(seed)
    accounts = max(10, interactions // 1000)
    contacts_per_account = 20
    staff = max(5, accounts // 5)
    rows = 0
    with open(folder / "staff.csv", "w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["id", "name", "email", "level", "team_role"])
        for s in range(staff):
            out.writerow([f"s{s}", f"Staff {s}", f"staff{s}@ourco.example", "management", "account_rep"])
            rows += 1
    with open(folder / "accounts.csv", "w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["id", "name", "tier", "annual_revenue", "owner", "domains"])
        for a in range(accounts):
            out.writerow([f"a{a}", f"Account {a}", "key", 100000 + a, f"s{a % staff}", f"a{a}.example"])
            rows += 1
    with (
        open(folder / "contacts.csv", "w", newline="") as handle,
        open(folder / "employments.csv", "w", newline="") as emp_handle,
    ):
        out = csv.writer(handle, lineterminator="\n")
        emp = csv.writer(emp_handle, lineterminator="\n")
        out.writerow(["id", "name", "email", "level", "influence", "stance"])
        emp.writerow(["contact_id", "account_id", "title", "roles", "since"])
        for a in range(accounts):
            for c in range(contacts_per_account):
                cid = f"c{a}-{c}"
                out.writerow(
                    [cid, f"Contact {a} {c}", f"c{c}@a{a}.example", "operational", 1 + c % 5, "neutral"]
                )
                emp.writerow([cid, f"a{a}", "Engineer", "user_buyer" if c % 3 else "champion", "2020-01-01"])
                rows += 2
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with open(folder / "interactions.csv", "w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["id", "kind", "at", "source", "subject", "participants", "accounts"])
        for i in range(interactions):
            a = rng.randrange(accounts)
            people = {f"s{a % staff}", f"c{a}-{rng.randrange(contacts_per_account)}"}
            people.add(f"c{a}-{rng.randrange(contacts_per_account)}")
            at = start + timedelta(minutes=rng.randrange(1_000_000))
            out.writerow(
                [f"i{i}", rng.choice(KINDS), at.isoformat(), "crm", "", ";".join(sorted(people)), f"a{a}"]
            )
            rows += 1
    return rows


def to_jsonl(csv_folder: Path, jsonl_folder: Path) -> None:
    """The same portfolio as JSON Lines."""
    lists = {"domains", "roles", "participants", "accounts"}
    for path in csv_folder.glob("*.csv"):
        with open(path, newline="") as src, open(jsonl_folder / f"{path.stem}.jsonl", "w") as dst:
            for record in csv.DictReader(src):
                obj = {k: (v.split(";") if k in lists else v) for k, v in record.items() if v}
                dst.write(json.dumps(obj) + "\n")


def run(folder: Path, fmt: str, data: Path) -> list[tuple[str, ImportReport, float]]:
    """Import ``folder`` twice into a fresh store; the reports with the CPU seconds of each run."""
    store = SqliteStore(data)
    store.init()
    results = []
    try:
        for label in ("import into an empty store", "re-import (all unchanged)"):
            cpu = time.process_time()
            report = run_import(store, NativeSource(folder, fmt))
            results.append((label, report, time.process_time() - cpu))
    finally:
        store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, nargs="+", default=[150_000, 1_000_000])
    parser.add_argument("--skip-jsonl", action="store_true")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for size in args.interactions:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "csv").mkdir()
            (root / "jsonl").mkdir()
            rows = write_portfolio(root / "csv", size)
            print(f"-- {rows:,} rows ({size:,} interactions, 3 participants each)")
            formats = ["csv"] if args.skip_jsonl else ["csv", "jsonl"]
            if "jsonl" in formats:
                to_jsonl(root / "csv", root / "jsonl")
            for fmt in formats:
                for label, report, cpu in run(root / fmt, fmt, root / f"store-{fmt}"):
                    interactions = report.kinds["interaction"].read
                    print(
                        f"{fmt:5s} {label:27s} {report.seconds:6.1f} s wall"
                        f" {report.rows_read / report.seconds:8,.0f} rows/s"
                        f" {interactions / report.seconds:8,.0f} interactions/s |"
                        f" {cpu:6.1f} s CPU {report.rows_read / cpu:8,.0f} rows/s"
                        f" {interactions / cpu:8,.0f} interactions/s | changed {report.changed:,}"
                    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:,.0f} MiB; load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
