"""Job-change alerts: a key person left an account, and where they went.

A :class:`~graph.records.JobChange` (from the store, which matches people by email or external id,
never by name) names a contact, the position they left (``old``) and the one they started
(``new``). This module only ever matches people by id.

At the **old account** the change is a risk. The account is analysed as of the last day of the
old position (``old.until``; the day before ``new.since`` when open), with the person, and then
without them (a what-if through :func:`graph.analysis.coverage.decision_chain_coverage`): the
coverage score before and after and the roles that were covered and no longer are. The person is
a *key person* when they held a required role, were a champion, or their leaving lowers coverage.
A key person's departure raises a ``job_change_risk`` alert: severe when coverage drops, a
warning otherwise.

At the **new account** the change is an opportunity (``job_change_opportunity``, info; the
evidence says whether they were a champion or key person), with the best warm paths from our
staff to the person (:func:`graph.analysis.warm_paths.warm_paths`). The search runs whenever a
``fetch`` is given; without one (or when the person is unknown to it) the alert says that the
warm paths were *not searched* (``warm_paths_searched`` false in the evidence) and never claims
that there is no warm path. "No warm path" is said only after a search that found none.

Examples
--------
>>> from datetime import date
>>> from graph.analysis.relgraph import example_subgraph
>>> from graph.model import Employment
>>> from graph.records import JobChange
>>> old = Employment("dir", "acme", since=date(2020, 1, 1), until=date(2025, 6, 30))
>>> change = JobChange("dir", old, Employment("dir", "zeta", since=date(2025, 7, 1)))
>>> report = job_change_report(change, example_subgraph(date(2025, 6, 30)), as_of=date(2025, 7, 15))
>>> report.key_person, report.coverage_before, report.coverage_after, report.risk_alert.severity
(True, 81.81818181818181, 0.0, 'severe')
>>> [r for r in report.roles_lost]
['economic_buyer', 'technical_buyer', 'user_buyer', 'champion']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from graph.analysis.alerts import Alert
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.coverage import decision_chain_coverage
from graph.analysis.relgraph import relationship_graph
from graph.analysis.warm_paths import Fetch, WarmPath, warm_paths
from graph.model import Account, Employment, Stance
from graph.records import AccountSubgraph, JobChange

__all__ = [
    "ImportedPositions",
    "InferredChanges",
    "JobChangeReport",
    "infer_job_changes",
    "job_change_report",
    "job_change_reports",
    "last_day",
]

#: Imported positions per contact: ``(account id, start day in ISO or "") -> (since, until)``.
ImportedPositions = Mapping[str, Mapping[tuple[str, str], tuple[date | None, date | None]]]

#: What :func:`infer_job_changes` finds: imported positions to end (``(contact, account, start)``
#: to the last day), stored positions to end (with their new ``until``), and the job changes.
InferredChanges = tuple[dict[tuple[str, str, str], date], list[Employment], list[JobChange]]


@dataclass(frozen=True)
class JobChangeReport:
    """What one job change means at the old and at the new account."""

    contact_id: str
    contact_name: str | None
    old_account_id: str
    new_account_id: str
    left_on: date
    started_on: date | None
    key_person: bool
    roles: tuple[str, ...]
    stance: str | None
    coverage_before: float
    coverage_after: float
    roles_lost: tuple[str, ...]
    revenue_at_risk: float
    risk_alert: Alert | None
    opportunity_alert: Alert
    warm_paths: tuple[WarmPath, ...] = field(default=())
    warm_paths_searched: bool = False

    def alerts(self) -> list[Alert]:
        """The risk alert (if any) and the opportunity alert."""
        return [a for a in (self.risk_alert, self.opportunity_alert) if a is not None]

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "contact_id": self.contact_id,
            "contact_name": self.contact_name,
            "old_account_id": self.old_account_id,
            "new_account_id": self.new_account_id,
            "left_on": self.left_on.isoformat(),
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "key_person": self.key_person,
            "roles": list(self.roles),
            "stance": self.stance,
            "coverage_before": self.coverage_before,
            "coverage_after": self.coverage_after,
            "roles_lost": list(self.roles_lost),
            "revenue_at_risk": self.revenue_at_risk,
            "risk_alert": self.risk_alert.to_payload() if self.risk_alert else None,
            "opportunity_alert": self.opportunity_alert.to_payload(),
            "warm_paths": [p.to_payload() for p in self.warm_paths],
            "warm_paths_searched": self.warm_paths_searched,
        }


def last_day(change: JobChange) -> date:
    """The last day at the old position: ``old.until``, else the day before ``new.since``.

    Examples
    --------
    >>> from graph.model import Employment
    >>> last_day(JobChange("c", Employment("c", "a"), Employment("c", "b", since=date(2025, 3, 1))))
    datetime.date(2025, 2, 28)
    """
    if change.old.until is not None:
        return change.old.until
    if change.new.since is not None:
        return change.new.since - timedelta(days=1)
    raise ValueError(f"job change of {change.contact_id!r}: neither old.until nor new.since is known")


def job_change_report(
    change: JobChange,
    old_subgraph: AccountSubgraph,
    *,
    as_of: date,
    fetch: Fetch | None = None,
    new_account: Account | None = None,
    k_paths: int = 1,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> JobChangeReport:
    """Risk at the old account and opportunity at the new one for one job change.

    Parameters
    ----------
    change : JobChange
        The change.
    old_subgraph : AccountSubgraph
        The old account's subgraph as of :func:`last_day` of the change.
    as_of : date
        The day of the report (warm paths are searched as of this day).
    fetch : callable, optional
        ``fetch(person_ids) -> Neighbourhood`` as of ``as_of``, for warm paths.
    new_account : Account, optional
        The new account (for its name in the alert).
    k_paths : int
        Number of warm paths.
    config : AnalysisConfig

    Raises
    ------
    ValueError
        When the subgraph is not of the old account or not as of the last day.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> from graph.model import Employment
    >>> change = JobChange("old", Employment("old", "acme", until=date(2025, 3, 31)),
    ...                    Employment("old", "zeta", since=date(2025, 4, 1)))
    >>> report = job_change_report(change, example_subgraph(date(2025, 3, 31)), as_of=date(2025, 6, 30))
    >>> report.roles, report.key_person, report.risk_alert is None, report.opportunity_alert.account_id
    (('procurement',), False, True, 'zeta')
    """
    contact_id = change.contact_id
    old_id = change.old.account_id
    left_on = last_day(change)
    if old_subgraph.account.id != old_id:
        raise ValueError(f"old_subgraph is of {old_subgraph.account.id!r}, expected {old_id!r}")
    if old_subgraph.as_of != left_on:
        raise ValueError(f"old_subgraph is as of {old_subgraph.as_of}, expected the last day {left_on}")
    account = old_subgraph.account
    graph = relationship_graph(old_subgraph, config)
    before = decision_chain_coverage(graph, account.tier, config)
    after = decision_chain_coverage(graph, account.tier, config, removed={contact_id})
    lost = tuple(r.role.value for r in before.roles if r.covered and r.role in after.uncovered)
    contact = next((c for c in old_subgraph.contacts if c.id == contact_id), None)
    held = set(change.old.roles)
    for job in old_subgraph.employments:
        if job.contact_id == contact_id and job.account_id == old_id and job.active_on(left_on):
            held |= job.roles
    roles = tuple(sorted(r.value for r in held))
    required = {r.value for r in config.required_roles(account.tier)}
    stance = contact.stance if contact else None
    drop = max(0.0, before.score - after.score)
    key = bool(required & set(roles)) or stance is Stance.CHAMPION or drop > 0
    revenue_at_risk = account.annual_revenue * drop / 100.0
    name = contact.name if contact else None
    who = f"{name} ({contact_id})" if name else contact_id
    risk: Alert | None = None
    evidence = {
        "left_on": left_on.isoformat(),
        "roles": list(roles),
        "stance": stance.value if stance else None,
        "coverage_before": before.score,
        "coverage_after": after.score,
        "roles_lost": list(lost),
        "revenue_at_risk": revenue_at_risk,
        "new_account_id": change.new.account_id,
    }
    if key:
        what = f"coverage {before.score:.0f} -> {after.score:.0f}"
        if lost:
            what += f", uncovered: {', '.join(lost)}"
        risk = Alert(
            "job_change_risk",
            "severe" if drop > 0 else "warning",
            old_id,
            f"{who} left {account.name} on {left_on.isoformat()}: {what}",
            person_id=contact_id,
            evidence=evidence,
        )
    paths: tuple[WarmPath, ...] = ()
    searched = False
    not_searched = "no neighbourhood to search"
    if fetch is not None:
        try:
            paths = tuple(warm_paths(fetch, contact_id, as_of, k=k_paths, config=config))
            searched = True
        except KeyError:
            not_searched = f"{contact_id!r} is not in the searched graph"
    new_name = new_account.name if new_account else change.new.account_id
    best = paths[0] if paths else None
    if best is not None:
        via = f"; best warm path {' -> '.join(best.people)} ({best.strength:.2f})"
    elif searched:
        via = "; no warm path found"
    else:
        via = f"; warm paths not searched ({not_searched})"
    opportunity = Alert(
        "job_change_opportunity",
        "info",
        change.new.account_id,
        f"{who} started at {new_name}"
        + (f" on {change.new.since.isoformat()}" if change.new.since else "")
        + (f" (was {', '.join(roles)} at {account.name})" if roles else f" (from {account.name})")
        + via,
        person_id=contact_id,
        evidence={
            "old_account_id": old_id,
            "key_person": key,
            "champion": stance is Stance.CHAMPION,
            "roles": list(roles),
            "new_title": change.new.title,
            "warm_paths": [p.to_payload() for p in paths],
            "warm_paths_searched": searched,
        },
    )
    return JobChangeReport(
        contact_id,
        name,
        old_id,
        change.new.account_id,
        left_on,
        change.new.since,
        key,
        roles,
        stance.value if stance else None,
        before.score,
        after.score,
        lost,
        revenue_at_risk,
        risk,
        opportunity,
        paths,
        searched,
    )


def job_change_reports(
    changes: Iterable[JobChange],
    subgraph_of: Callable[[str, date], AccountSubgraph],
    *,
    as_of: date,
    fetch: Fetch | None = None,
    accounts: Mapping[str, Account] | None = None,
    k_paths: int = 1,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> list[JobChangeReport]:
    """:func:`job_change_report` for every change, most severe first.

    ``subgraph_of(account_id, day)`` supplies the old accounts' subgraphs (in production the
    store's ``account_subgraph``). Changes whose new position starts after ``as_of`` are skipped.

    Examples
    --------
    >>> from graph.analysis.relgraph import example_subgraph
    >>> from graph.model import Employment
    >>> change = JobChange("cio", Employment("cio", "acme", until=date(2025, 6, 30)),
    ...                    Employment("cio", "zeta", since=date(2025, 7, 1)))
    >>> reports = job_change_reports([change], lambda a, d: example_subgraph(d), as_of=date(2025, 8, 1))
    >>> reports[0].key_person, reports[0].risk_alert.severity, reports[0].roles_lost
    (True, 'severe', ('economic_buyer',))
    """
    out = []
    for change in changes:
        if change.new.since is not None and change.new.since > as_of:
            continue
        day = last_day(change)
        report = job_change_report(
            change,
            subgraph_of(change.old.account_id, day),
            as_of=as_of,
            fetch=fetch,
            new_account=(accounts or {}).get(change.new.account_id),
            k_paths=k_paths,
            config=config,
        )
        out.append(report)
    out.sort(
        key=lambda r: (
            -(r.risk_alert.severity_rank if r.risk_alert else -1),
            -(r.coverage_before - r.coverage_after),
            r.contact_id,
        )
    )
    return out


def infer_job_changes(
    imported: ImportedPositions, stored: Mapping[str, Sequence[Employment]]
) -> InferredChanges:
    """The job changes that imported positions imply, over the stored and imported ones together.

    A contact with positions at two accounts or more (at least one of the two from the import)
    who holds an open position at one account and a position at another account that starts
    later (or, when the open one has no start day, an open position elsewhere) changed jobs: the
    open position ends the day before the later one starts; both are kept. People are matched by
    id only (the importers resolve emails and external ids before).

    Parameters
    ----------
    imported : mapping
        Per contact id, the imported positions: ``(account id, start day in ISO or "")`` to
        ``(since, until)``.
    stored : mapping
        Per contact id, the stored positions (:class:`~graph.model.Employment`).

    Returns
    -------
    tuple
        The imported positions to end (``(contact, account, start)`` to the last day), the stored
        positions to end (with their new ``until``) and the job changes, ordered by contact and
        start of the new position.

    Examples
    --------
    >>> old = Employment("ada", "acme", since=date(2020, 1, 1))
    >>> new = {"ada": {("zeta", "2025-04-01"): (date(2025, 4, 1), None)}}
    >>> adjust, extra, changes = infer_job_changes(new, {"ada": [old]})
    >>> adjust, [e.until for e in extra], [(c.old.account_id, c.new.account_id) for c in changes]
    ({}, [datetime.date(2025, 3, 31)], [('acme', 'zeta')])
    """
    adjust: dict[tuple[str, str, str], date] = {}
    extra: list[Employment] = []
    changes: list[JobChange] = []
    for contact, mine in imported.items():
        own: dict[tuple[str, str], tuple[date | None, date | None, Employment | None]] = {
            (e.account_id, e.since.isoformat() if e.since else ""): (e.since, e.until, e)
            for e in stored.get(contact, ())
        }
        from_import = set(mine)
        for key, (since, until) in mine.items():
            own[key] = (since, until, None)
        if len({account for account, _ in own}) < 2:
            continue
        for key, (since, until, record) in own.items():
            if until is not None:
                continue
            later = [
                (other_since, other_key)
                for other_key, (other_since, other_until, _) in own.items()
                if other_key[0] != key[0]
                and other_since is not None
                and (other_since > since if since is not None else other_until is None)
                and (key in from_import or other_key in from_import)
            ]
            if not later:
                continue
            new_since, new_key = min(later)
            end = new_since - timedelta(days=1)
            if key in from_import:
                adjust[(contact, key[0], key[1])] = end
                old = Employment(contact, key[0], since=since, until=end)
            else:
                assert record is not None
                old = replace(record, until=end)
                extra.append(old)
            new_record = own[new_key][2] or Employment(contact, new_key[0], since=new_since)
            changes.append(JobChange(contact, old, new_record))
    changes.sort(key=lambda c: (c.contact_id, c.new.since or date.min))
    return adjust, extra, changes
