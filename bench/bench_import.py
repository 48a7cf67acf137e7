"""Native import throughput into the embedded store: rows/s and interactions/s.

Writes a native CSV folder (accounts, staff, contacts, employments, interactions with three
participants each), imports it into an empty embedded store with ``run_import`` (check pass +
write pass, one transaction), imports it again (everything unchanged), and prints the figures.
The JSON Lines variant of the same data is measured too.

Usage::

    .venv/bin/python bench/bench_import.py                      # 500k interactions
    .venv/bin/python bench/bench_import.py --interactions 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
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


def run(folder: Path, fmt: str, data: Path) -> tuple[ImportReport, ImportReport]:
    store = SqliteStore(data)
    store.init()
    try:
        first = run_import(store, NativeSource(folder, fmt))
        second = run_import(store, NativeSource(folder, fmt))
    finally:
        store.close()
    return first, second


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", type=int, default=500_000)
    parser.add_argument("--skip-jsonl", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "csv").mkdir()
        (root / "jsonl").mkdir()
        t = time.perf_counter()
        rows = write_portfolio(root / "csv", args.interactions)
        print(
            f"generated {rows:,} rows ({args.interactions:,} interactions) in {time.perf_counter() - t:.1f} s"
        )
        formats = ["csv"] if args.skip_jsonl else ["csv", "jsonl"]
        if "jsonl" in formats:
            to_jsonl(root / "csv", root / "jsonl")
        for fmt in formats:
            first, second = run(root / fmt, fmt, root / f"store-{fmt}")
            interactions = first.kinds["interaction"].read
            print(
                f"{fmt:5s} import into an empty store: {first.seconds:6.1f} s  {first.rows_read / first.seconds:9,.0f} rows/s"
                f"  {interactions / first.seconds:9,.0f} interactions/s (created {first.changed:,})"
            )
            print(
                f"{fmt:5s} re-import (all unchanged):  {second.seconds:6.1f} s  {second.rows_read / second.seconds:9,.0f} rows/s"
                f"  {interactions / second.seconds:9,.0f} interactions/s (changed {second.changed:,})"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (RSS): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
