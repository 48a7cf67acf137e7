"""Benchmark of the embedded store: bulk loads and the as-of read of one large account.

Run with ``.venv/bin/python -m bench.bench_store`` (``--help`` for the sizes). It generates a
synthetic portfolio inline (seeded), then measures

1. a bulk load of the contacts, their positions and the first interactions into an empty store
   (one ``write_many`` stream, one transaction),
2. a bulk load of as many new interactions into the now populated store,
3. an idempotent re-write of a 100k-interaction slice (nothing changes),
4. ``account_subgraph`` of the largest account (500 contacts by default) as of random days
   (p50 / p99 over ``--reads`` reads).

Every figure is given by the wall clock and by the CPU time of the process: on a shared machine
the wall clock also counts the time other processes held the cores, the CPU time does not (and
leaves out the little time spent waiting for the disk). The load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from graph.backends.sqlite.store import SqliteStore
from graph.model import (
    Account,
    Contact,
    Employment,
    Interaction,
    InteractionKind,
    Staff,
    TeamMembership,
    TeamRole,
)
from graph.store import GraphBatch, WriteSummary

__all__ = ["interactions", "main", "portfolio_nodes"]

KINDS = list(InteractionKind)
START = datetime(2022, 1, 1, tzinfo=UTC)
SPAN_SECONDS = 3 * 365 * 86400


def portfolio_nodes(
    contacts: int, accounts: int, big: int, staff: int, seed: int = 7
) -> tuple[GraphBatch, list[int]]:
    """Accounts, contacts (one position each), staff and account teams.

    Account ``a00000`` has ``big`` contacts; the others share the rest evenly. Returns the batch
    and the account index of every contact.
    """
    rng = random.Random(seed)
    employer = [0] * big + [1 + i % (accounts - 1) for i in range(contacts - big)]
    batch = GraphBatch(
        accounts=[
            Account(f"a{a:05d}", f"Account {a}", industry="retail", owner=f"s{a % staff:04d}")
            for a in range(accounts)
        ],
        contacts=[
            Contact(f"c{c:06d}", f"Contact {c}", email=f"c{c}@a{employer[c]}.example")
            for c in range(contacts)
        ],
        staff=[Staff(f"s{s:04d}", f"Staff {s}") for s in range(staff)],
        employments=[
            Employment(
                f"c{c:06d}",
                f"a{employer[c]:05d}",
                since=date(2020, 1, 1) + timedelta(days=rng.randrange(700)),
            )
            for c in range(contacts)
        ],
        team_memberships=[
            TeamMembership(f"s{(a + k) % staff:04d}", f"a{a:05d}", role, since=date(2020, 1, 1))
            for a in range(accounts)
            for k, role in enumerate(
                (TeamRole.ACCOUNT_REP, TeamRole.SOLUTION_SPECIALIST, TeamRole.DELIVERY_LEAD)
            )
        ],
    )
    return batch, employer


def interactions(
    n: int, first: int, employer: list[int], staff: int, seed: int, batch_size: int = 50_000
) -> list[GraphBatch]:
    """``n`` interactions (ids from ``first``): one of our people and one to three contacts of one
    account, ABOUT that account, in batches of ``batch_size``."""
    rng = random.Random(seed)
    by_account: dict[int, list[int]] = {}
    for c, a in enumerate(employer):
        by_account.setdefault(a, []).append(c)
    contacts_of = [by_account[a] for a in sorted(by_account)]
    batches = []
    for start in range(first, first + n, batch_size):
        items = []
        for i in range(start, min(first + n, start + batch_size)):
            a = employer[rng.randrange(len(employer))]
            people = contacts_of[a]
            chosen = {f"c{people[rng.randrange(len(people))]:06d}" for _ in range(rng.randint(1, 3))}
            chosen.add(f"s{(a + rng.randrange(3)) % staff:04d}")
            items.append(
                Interaction(
                    f"i{i:08d}",
                    KINDS[rng.randrange(len(KINDS))],
                    START + timedelta(seconds=rng.randrange(SPAN_SECONDS)),
                    source="bench",
                    participants=tuple(chosen),
                    accounts=(f"a{a:05d}",),
                )
            )
        batches.append(GraphBatch(interactions=items))
    return batches


def _stream(nodes: GraphBatch | None, batches: list[GraphBatch]) -> Iterator[GraphBatch]:
    if nodes is not None:
        yield nodes
    yield from batches


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--interactions", type=int, default=1_000_000, help="per load (two loads)")
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--big", type=int, default=500, help="contacts of the account read back")
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a temporary directory")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(args.data_dir or Path(tmp))
        store.init()
        nodes, employer = portfolio_nodes(args.contacts, args.accounts, args.big, args.staff)
        rows: list[tuple[str, str, str]] = []

        def load(label: str, batches: Iterable[GraphBatch], count: int) -> WriteSummary:
            wall, cpu = time.perf_counter(), time.process_time()
            summary = store.write_many(batches)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rows.append(
                (
                    label,
                    f"{count / wall:,.0f} /s ({wall:.1f} s)",
                    f"{count / cpu:,.0f} /s ({cpu:.1f} s)",
                )
            )
            return summary

        first = interactions(args.interactions, 0, employer, args.staff, seed=1)
        load(
            f"empty store: {args.contacts:,} contacts, their positions, {args.interactions:,} interactions",
            _stream(nodes, first),
            args.interactions,
        )
        del first
        second = interactions(args.interactions, args.interactions, employer, args.staff, seed=2)
        load(f"populated store: {args.interactions:,} new interactions", second, args.interactions)
        again = second[: max(1, 100_000 // 50_000)]
        size = sum(len(b.interactions) for b in again)
        unchanged = load(f"idempotent re-write of {size:,} interactions", again, size)
        assert unchanged.changed == 0
        del second, again

        rng = random.Random(3)
        walls: list[float] = []
        cpus: list[float] = []
        sizes = []
        for _ in range(args.reads):
            day = date(2022, 1, 1) + timedelta(days=rng.randrange(3 * 365))
            wall, cpu = time.perf_counter(), time.process_time()
            sub = store.account_subgraph("a00000", day)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            sizes.append(len(sub.interactions))
        latest = store.account_subgraph("a00000", date(2025, 1, 1))
        rows.append(
            (
                f"account_subgraph of a {len(latest.contacts)}-contact account as of a day "
                f"({min(sizes):,}-{max(sizes):,} interactions)",
                f"p50 {statistics.median(walls):.1f} ms, p99 {_percentile(walls, 0.99):.1f} ms",
                f"p50 {statistics.median(cpus):.1f} ms, p99 {_percentile(cpus, 0.99):.1f} ms",
            )
        )
        size_mb = store.path.stat().st_size / 1e6
        store.close()

    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  {'wall clock':>26}  {'CPU time of the process':>26}")
    for label, a, b in rows:
        print(f"{label:<{width}}  {a:>26}  {b:>26}")
    print(f"database file: {size_mb:,.0f} MB; load average (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
