"""Salesforce and mbox import throughput, and demo portfolio generation time and peak memory.

Usage::

    .venv/bin/python bench/bench_formats.py                        # all three, default scales
    .venv/bin/python bench/bench_formats.py --only generate --sizes demo,small,medium,bench
    .venv/bin/python bench/bench_formats.py --only salesforce --size medium
    .venv/bin/python bench/bench_formats.py --only mbox --messages 100000

Every figure is given by the wall clock and by the CPU time of the measuring process (the machine
may be shared: the CPU time leaves out the time other jobs held the cores).

* **generate**: streams ``importers.demo.generate(size)`` to the end without keeping the records,
  each size in a fresh process; reports records, interactions, seconds, records/s, the process's
  peak RSS and the peak above what it held before the first record (the plan of the portfolio).
* **salesforce**: writes a Salesforce data export (User, Account, Contact,
  AccountContactRelation, AccountTeamMember, Task, Event, EventRelation) of the ``--size`` demo
  portfolio (one-to-one interactions as tasks, others as events with their attendees), imports
  it into an empty embedded store with ``run_import`` and imports it again (nothing changes).
* **mbox**: loads the ``small`` demo portfolio's people into an embedded store, writes an mbox of
  ``--messages`` messages between its staff and contacts (plus unknown addresses), and imports it.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.backends.sqlite.store import SqliteStore  # noqa: E402
from graph.model import (  # noqa: E402
    Account,
    Contact,
    Employment,
    Interaction,
    ReportingLine,
    Role,
    Staff,
    TeamMembership,
    TeamRole,
)
from graph.store import GraphBatch  # noqa: E402
from importers import demo  # noqa: E402
from importers.base import ImportReport, run_import  # noqa: E402
from importers.calendar_ics import AddressBook  # noqa: E402
from importers.mailbox import MboxSource  # noqa: E402
from importers.salesforce import SalesforceSource  # noqa: E402

_SF_ROLE = {
    Role.ECONOMIC_BUYER: "Economic Buyer",
    Role.DECISION_MAKER: "Decision Maker",
    Role.TECHNICAL_BUYER: "Technical Buyer",
    Role.USER_BUYER: "Business User",
    Role.EXECUTIVE_SPONSOR: "Executive Sponsor",
    Role.INFLUENCER: "Influencer",
}
_SF_TEAM = {
    TeamRole.ACCOUNT_REP: "Account Manager",
    TeamRole.SOLUTION_SPECIALIST: "Pre-Sales Consultant",
    TeamRole.DELIVERY_LEAD: "Delivery Manager",
    TeamRole.EXECUTIVE_SPONSOR: "Executive Sponsor",
    TeamRole.CUSTOMER_SUCCESS: "Customer Success Manager",
}
_SF_TASK = {"call": "Call", "email": "Email", "support": "Support"}
_SF_EVENT = {"meeting": "Meeting", "exec_visit": "Executive Visit", "event": "Conference"}

_GENERATE_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from importers import demo
size = {size!r}
counts = demo.expected_counts(size)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
cpu = time.process_time()
records = interactions = 0
for record in demo.generate(size):
    records += 1
    if type(record) is demo.Interaction:
        interactions += 1
seconds = time.perf_counter() - start
cpu = time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(dict(size=size, records=records, interactions=interactions, contacts=counts["contacts"],
                      accounts=counts["accounts"], seconds=seconds, cpu=cpu, peak_mib=peak / 1024,
                      before_mib=before / 1024)))
"""


def bench_generate(sizes: list[str]) -> list[dict[str, Any]]:
    """Generate each size in a fresh process and return its figures."""
    results = []
    for size in sizes:
        code = _GENERATE_CHILD.format(root=str(ROOT), size=size)
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        result = json.loads(out.stdout)
        results.append(result)
        print(
            f"generate {size:>6}: {result['accounts']:>6,} accounts {result['contacts']:>9,} contacts "
            f"{result['interactions']:>10,} interactions = {result['records']:>10,} records in "
            f"{result['seconds']:7.1f} s ({result['records'] / result['seconds']:,.0f} records/s; CPU "
            f"{result['cpu']:.1f} s, {result['records'] / result['cpu']:,.0f} records/s); "
            f"peak RSS {result['peak_mib']:.0f} MiB ({result['peak_mib'] - result['before_mib']:.0f} MiB "
            f"above the {result['before_mib']:.0f} MiB held before the first record)",
            flush=True,
        )
    return results


# -- Salesforce ------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, folder: Path, name: str, header: list[str]) -> None:
        self.handle = open(folder / name, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.out = csv.writer(self.handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        self.out.writerow(header)
        self.rows = 0

    def row(self, *values: object) -> None:
        self.out.writerow(["" if v is None else v for v in values])
        self.rows += 1

    def close(self) -> None:
        self.handle.close()


def write_salesforce_export(folder: Path, size: str) -> dict[str, int]:
    """Write the ``size`` demo portfolio as a Salesforce data export; rows per file."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "User.csv": ["Id", "FirstName", "LastName", "Email", "Title"],
        "Account.csv": ["Id", "Name", "Industry", "BillingCountry", "Tier__c", "AnnualRevenue", "OwnerId", "Website"],
        "Contact.csv": ["Id", "AccountId", "FirstName", "LastName", "Email", "Title", "Department", "ReportsToId"],
        "AccountContactRelation.csv": ["AccountId", "ContactId", "Roles", "StartDate", "EndDate", "IsActive",
                                       "IsDirect"],
        "AccountTeamMember.csv": ["AccountId", "UserId", "TeamMemberRole"],
        "Task.csv": ["Id", "WhoId", "WhatId", "OwnerId", "ActivityDate", "Type", "Subject", "Status"],
        "Event.csv": ["Id", "Subject", "StartDateTime", "Type", "OwnerId", "WhoId", "WhatId"],
        "EventRelation.csv": ["EventId", "RelationId"],
    }  # fmt: skip
    out = {name: _Writer(folder, name, header) for name, header in files.items()}
    staff_ids: set[str] = set()
    # contacts are written when their account's employments arrive (employer and manager known)
    pending: dict[str, Contact] = {}
    managers: dict[str, str] = {}
    employers: dict[str, str] = {}
    buffered: list[Any] = []

    def flush_contacts() -> None:
        for cid, c in pending.items():
            first, _, last = c.name.partition(" ")
            out["Contact.csv"].row(cid, employers.get(cid), first, last, c.email, c.title, c.department,
                                   managers.get(cid))  # fmt: skip
        pending.clear()
        managers.clear()
        for e in buffered:
            roles = ";".join(sorted(_SF_ROLE[r] for r in e.roles if r in _SF_ROLE))
            active = "false" if e.until else "true"
            out["AccountContactRelation.csv"].row(
                e.account_id,
                e.contact_id,
                roles,
                e.since,
                e.until,
                active,
                "true" if not e.until else "false",
            )
        buffered.clear()

    for record in demo.generate(size):
        if isinstance(record, Staff):
            first, _, last = record.name.partition(" ")
            out["User.csv"].row(record.id, first, last, record.email, record.title)
            staff_ids.add(record.id)
        elif isinstance(record, Account):
            flush_contacts()
            tier = record.tier.value.title()
            out["Account.csv"].row(record.id, record.name, record.industry, record.region, tier,
                                   int(record.annual_revenue), record.owner, f"https://www.{record.domains[0]}/")  # fmt: skip
        elif isinstance(record, Contact):
            pending[record.id] = record
        elif isinstance(record, Employment):
            if record.until is None:
                employers[record.contact_id] = record.account_id
            buffered.append(record)
        elif isinstance(record, ReportingLine):
            if record.until is None and record.contact_id in pending:
                managers[record.contact_id] = record.manager_id
        elif isinstance(record, TeamMembership):
            flush_contacts()
            out["AccountTeamMember.csv"].row(record.account_id, record.staff_id, _SF_TEAM[record.team_role])
        elif isinstance(record, Interaction):
            flush_contacts()
            staff = [p for p in record.participants if p in staff_ids]
            contacts = [p for p in record.participants if p not in staff_ids]
            what = record.accounts[0] if record.accounts else ""
            if len(staff) == 1 and len(contacts) == 1 and record.kind.value in _SF_TASK:
                out["Task.csv"].row(record.id, contacts[0], what, staff[0], record.at.date().isoformat(),
                                    _SF_TASK[record.kind.value], record.subject, "Completed")  # fmt: skip
            else:
                owner = staff[0] if staff else ""
                who = contacts[0] if contacts else ""
                kind_name = _SF_EVENT.get(record.kind.value, "Meeting")
                out["Event.csv"].row(record.id, record.subject, record.at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                                     kind_name, owner, who, what)  # fmt: skip
                for person in record.participants:
                    if person not in (owner, who):
                        out["EventRelation.csv"].row(record.id, person)
    flush_contacts()
    for writer in out.values():
        writer.close()
    return {name: writer.rows for name, writer in out.items()}


def bench_salesforce(size: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        start = time.perf_counter()
        rows = write_salesforce_export(folder, size)
        written = time.perf_counter() - start
        total = sum(rows.values())
        activities = rows["Task.csv"] + rows["Event.csv"]
        print(f"salesforce export of '{size}': {total:,} rows ({activities:,} tasks and events) written in "
              f"{written:.1f} s: {json.dumps(rows)}", flush=True)  # fmt: skip
        store = SqliteStore(Path(tmp) / "store")
        store.init()
        try:
            for label in ("first import", "re-import"):
                start, cpu = time.perf_counter(), time.process_time()
                report = run_import(store, SalesforceSource(folder, store))
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                _print_import(f"salesforce {label}", report, seconds, cpu, activities)
        finally:
            store.close()


# -- mbox -------------------------------------------------------------------------------------------


def write_mbox(
    path: Path, people: list[tuple[str, str]], staff: list[str], messages: int, seed: int = 3
) -> None:
    """An mbox of ``messages`` messages: a staff sender, 1-3 contacts, sometimes an unknown Cc."""
    rng = random.Random(seed)
    start = demo.START_DATE
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        for n in range(messages):
            sender = rng.choice(staff)
            to = [email for email, _ in rng.sample(people, rng.randint(1, 3))]
            cc = f"Cc: stranger{n % 500}@elsewhere.example\n" if n % 10 == 0 else ""
            moment = start + timedelta(days=rng.randrange(730))
            stamp = format_datetime(
                datetime(moment.year, moment.month, moment.day, rng.randint(7, 18), tzinfo=UTC)
            )
            handle.write(
                f"From {sender} Mon Jan  1 00:00:00 2025\nFrom: {sender}\nTo: {', '.join(to)}\n{cc}"
                f"Date: {stamp}\nSubject: Update {n}\nMessage-ID: <msg-{n}@ourco.example>\n\n"
                f"Hello,\nsee the attached notes.\n\n"
            )


def bench_mbox(messages: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "store")
        store.init()
        try:
            people: list[tuple[str, str]] = []
            staff: list[str] = []
            batch = GraphBatch()
            for record in demo.generate("small"):
                if type(record) is Interaction:
                    continue
                batch.add(record)
                if isinstance(record, Contact) and record.email:
                    people.append((record.email, record.id))
                elif isinstance(record, Staff) and record.email:
                    staff.append(record.email)
            store.write(batch)
            path = Path(tmp) / "mail.mbox"
            start = time.perf_counter()
            write_mbox(path, people, staff, messages)
            size_mib = path.stat().st_size / 2**20
            print(f"mbox: {messages:,} messages ({size_mib:.0f} MiB) written in {time.perf_counter() - start:.1f} s; "
                  f"store holds {len(people):,} contacts and {len(staff):,} staff of the 'small' portfolio",
                  flush=True)  # fmt: skip
            for label in ("first import", "re-import"):
                source = MboxSource(path, AddressBook(store, [demo.STAFF_DOMAIN]))
                start, cpu = time.perf_counter(), time.process_time()
                report = run_import(store, source)
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                _print_import(f"mbox {label}", report, seconds, cpu, messages)
        finally:
            store.close()


def _print_import(label: str, report: ImportReport, seconds: float, cpu: float, interactions: int) -> None:
    created = sum(k.created for k in report.kinds.values())
    unchanged = sum(k.unchanged for k in report.kinds.values())
    print(
        f"{label}: {report.rows_read:,} rows in {seconds:.1f} s = {report.rows_read / seconds:,.0f} rows/s, "
        f"{interactions / seconds:,.0f} interactions/s; CPU {cpu:.1f} s = {report.rows_read / cpu:,.0f} rows/s, "
        f"{interactions / cpu:,.0f} interactions/s (created {created:,}, unchanged {unchanged:,}, "
        f"rejected {report.rows_rejected:,}); peak RSS "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("generate", "salesforce", "mbox"), action="append")
    parser.add_argument("--sizes", default="demo,small,medium", help="sizes to generate (comma-separated)")
    parser.add_argument("--size", default="small", help="demo size exported to Salesforce CSV files")
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    only = set(args.only or ("generate", "salesforce", "mbox"))
    if "generate" in only:
        bench_generate([s.strip() for s in args.sizes.split(",") if s.strip()])
    if "salesforce" in only:
        bench_salesforce(args.size)
    if "mbox" in only:
        bench_mbox(args.messages)


if __name__ == "__main__":
    main()
