"""The org chart and influence lines of an account's subgraph, on every backend.

The expected lines are found by brute force over every stored line: both ends are contacts of
the account as of the day and a reporting line started by then. The store reads them by
driving from one side of the line (see ``graph.backends.sqlite.sql``), which must return
exactly the same rows.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from graph.model import Account, Contact, Employment, InfluenceLine, ReportingLine
from graph.store import GraphBatch, GraphStore

DAYS = (date(2021, 6, 1), date(2023, 1, 1), date(2030, 1, 1))


def org_chart_portfolio(seed: int = 11) -> GraphBatch:
    """Two accounts of 60 contacts each, a tree of reporting lines in each (started on various
    days), lines across the two accounts, and random influence lines within and across."""
    rng = random.Random(seed)
    accounts = ("acme", "globex")
    contacts: list[Contact] = []
    employments: list[Employment] = []
    people: dict[str, list[str]] = {a: [] for a in accounts}
    for a in accounts:
        for i in range(60):
            cid = f"{a}-c{i:02d}"
            people[a].append(cid)
            contacts.append(Contact(cid, f"Contact {cid}"))
            since = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
            employments.append(Employment(cid, a, since=since))
    reporting = []
    for a in accounts:
        ids = people[a]
        for i in range(1, len(ids)):  # a tree: each reports to an earlier one
            since = date(2020, 1, 1) + timedelta(days=rng.randrange(1500))
            reporting.append(ReportingLine(ids[i], ids[rng.randrange(i)], since=since))
    # dotted lines across the two accounts (a consultant reporting into both)
    for i in range(5):
        reporting.append(ReportingLine(people["acme"][50 + i], people["globex"][i]))
    influence: set[tuple[str, str]] = set()
    everyone = people["acme"] + people["globex"]
    while len(influence) < 200:
        s, t = rng.choice(everyone), rng.choice(everyone)
        if s != t:
            influence.add((s, t))
    return GraphBatch(
        accounts=[Account(a, a.title()) for a in accounts],
        contacts=contacts,
        employments=employments,
        reporting_lines=reporting,
        influence_lines=[InfluenceLine(s, t, round(rng.uniform(0.1, 1.0), 2)) for s, t in sorted(influence)],
    )


def test_lines_among_the_accounts_contacts_equal_brute_force(store: GraphStore) -> None:
    batch = org_chart_portfolio()
    store.write(batch)
    for account in ("acme", "globex"):
        for day in DAYS:
            members = {
                e.contact_id
                for e in batch.employments
                if e.account_id == account and e.since is not None and e.since <= day
            }
            expected_reporting = sorted(
                (r.contact_id, r.manager_id, r.since)
                for r in batch.reporting_lines
                if r.contact_id in members and r.manager_id in members and (r.since is None or r.since <= day)
            )
            expected_influence = sorted(
                (i.source_id, i.target_id, i.weight)
                for i in batch.influence_lines
                if i.source_id in members and i.target_id in members
            )
            sub = store.account_subgraph(account, day)
            assert {c.id for c in sub.contacts} == members
            got_reporting = sorted((r.contact_id, r.manager_id, r.since) for r in sub.reporting_lines)
            got_influence = sorted((i.source_id, i.target_id, i.weight) for i in sub.influence_lines)
            assert got_reporting == expected_reporting
            assert got_influence == expected_influence
            # each line once (the read drives from one side and must not repeat rows)
            assert len(sub.reporting_lines) == len(got_reporting)
    # the last day sees whole trees: 59 lines each, none of the five across the accounts
    assert len(store.account_subgraph("acme", DAYS[-1]).reporting_lines) == 59
