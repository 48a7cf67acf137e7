"""The alert watcher: each tick refreshes the portfolio, syncs the inbox, escalates and delivers.

One tick (:func:`tick`):

1. :func:`graph.services.refresh.refresh` and :func:`~graph.services.refresh.load_portfolio` as of
   the data's reference date, else today (as the app analyses);
2. :meth:`api.notify.inbox.Inbox.sync` with the view's alerts, their accounts' names and owners
   (new alerts, updates, alerts no longer raised resolved by ``"refresh"``);
3. :func:`api.notify.inbox.escalate` with the settings' policy and routing;
4. :meth:`api.notify.outbox.Outbox.deliver_due`.

:class:`Watcher` runs ticks one after another (never two at once; a failing tick is logged and the
next one runs on time): the app's lifespan starts it when ``KAMGRAPH_ALERT_INTERVAL_SECONDS`` is
above 0, ``kamgraph watch`` runs it in the foreground.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from api.notify.inbox import (
    EscalationReport,
    Inbox,
    InvalidTransition,
    Owner,
    Routing,
    SyncReport,
    escalate,
)
from api.notify.outbox import OUTBOX_FILE, DeliveryReport
from api.notify.service import open_outbox
from api.settings import Settings
from graph.model import Staff, TeamRole
from graph.services.refresh import load_portfolio, refresh
from graph.store import GraphStore, ResultStore

__all__ = [
    "TickReport",
    "Watcher",
    "analysis_day",
    "open_inbox",
    "owners_of",
    "routing_of",
    "seed_demo_inbox",
    "sync_store",
    "tick",
]

log = logging.getLogger("kamgraph.watch")


def open_inbox(settings: Settings) -> Inbox:
    """The inbox in ``<data_dir>/notify.sqlite3`` (the outbox's file)."""
    return Inbox(settings.data_dir / OUTBOX_FILE)


def analysis_day(store: ResultStore, now: datetime) -> date:
    """The day a tick analyses: the data's reference date, else the day of ``now`` (UTC)."""
    return store.reference_date() or now.astimezone(UTC).date()


def owners_of(store: GraphStore, account_ids: Sequence[str], day: date) -> dict[str, Owner]:
    """Each account's owner on ``day``: its ``account_rep`` (the first by staff id), else its ``owner``."""
    ids = sorted(set(account_ids))
    teams = store.teams_of(ids, day)
    accounts = store.get_accounts(ids)
    owner_ids: dict[str, str | None] = {}
    for account_id in ids:
        reps = sorted(m.staff_id for m in teams.get(account_id, []) if m.team_role == TeamRole.ACCOUNT_REP)
        account = accounts.get(account_id)
        owner_ids[account_id] = reps[0] if reps else (account.owner if account else None)
    people = store.get_people(sorted({o for o in owner_ids.values() if o}))
    owners: dict[str, Owner] = {}
    for account_id, staff_id in owner_ids.items():
        person = people.get(staff_id) if staff_id else None
        owners[account_id] = Owner(staff_id, person.name if person is not None else None)
    return owners


def routing_of(settings: Settings, store: GraphStore, staff_ids: Iterable[str]) -> Routing:
    """The escalation routing for the owners ``staff_ids``: their and their managers' e-mail
    addresses from the store, and the settings' managers, leadership and role channels."""
    wanted = set(staff_ids)
    wanted |= {settings.staff_managers[s] for s in wanted if s in settings.staff_managers}
    people = store.get_people(sorted(wanted))
    emails = {i: p.email for i, p in people.items() if isinstance(p, Staff) and p.email}
    names = {i: p.name for i, p in people.items()}
    return Routing(
        email_channel=settings.person_email_channel,
        emails=emails,
        names=names,
        managers=dict(settings.staff_managers),
        leadership=tuple(settings.leadership_recipients),
        role_channels={role: tuple(ids) for role, ids in settings.alert_role_channels.items()},
    )


def sync_store(inbox: Inbox, store: GraphStore, *, now: datetime, day: date | None = None) -> SyncReport:
    """Refresh the portfolio as of ``day`` (default :func:`analysis_day`) and sync the inbox with its alerts."""
    as_of = day or analysis_day(store, now)
    refresh(store, as_of)
    view = load_portfolio(store, as_of, skip_missing=True)
    account_ids = [row.account_id for row in view.accounts]
    names = {row.account_id: row.name for row in view.accounts}
    extra = sorted({a.account_id for a in view.alerts if a.account_id and a.account_id not in names})
    for account_id, account in store.get_accounts(extra).items():
        names[account_id] = account.name
    owners = owners_of(store, [*account_ids, *extra], as_of)
    return inbox.sync(view.alerts, owners=owners, account_names=names, accounts=account_ids, now=now)


@dataclass(frozen=True)
class TickReport:
    """What one tick did."""

    at: datetime
    as_of: date
    sync: SyncReport
    escalation: EscalationReport
    delivery: DeliveryReport

    def summary(self) -> str:
        """One line for the log."""
        s, d = self.sync, self.delivery
        return (
            f"alerts as of {self.as_of.isoformat()}: {s.raised} raised, {s.new} new, {s.reopened} reopened, "
            f"{s.resolved} resolved by the refresh; {len(self.escalation.queued)} notification(s) queued; "
            f"{d.sent} sent, {d.retrying} to retry, {d.failed} failed"
        )


def tick(settings: Settings, store: GraphStore, *, now: datetime) -> TickReport:
    """One tick of the watcher at ``now`` over an open ``store``."""
    as_of = analysis_day(store, now)
    with open_inbox(settings) as inbox, open_outbox(settings) as outbox:
        synced = sync_store(inbox, store, now=now, day=as_of)
        owners = {s.owner_id for s in inbox.alerts(("new",), now=now) if s.owner_id}
        routing = routing_of(settings, store, owners)
        escalation = escalate(inbox, outbox, policy=settings.alert_escalation, routing=routing, now=now)
        delivery = outbox.deliver_due(now)
    return TickReport(now, as_of, synced, escalation, delivery)


class Watcher:
    """Runs :func:`tick` every ``interval`` seconds; ticks never overlap and a failure is logged.

    ``open_store`` opens a ready store for one tick (closed after it), so the watcher never shares
    the app's connection; ``clock`` says what "now" is.
    """

    def __init__(
        self,
        settings: Settings,
        open_store: Callable[[], GraphStore],
        *,
        interval: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be above 0, got {interval}")
        self.settings = settings
        self.open_store = open_store
        self.interval = interval
        self.clock = clock
        self.ticks = 0
        self.failures = 0
        self.last: TickReport | None = None
        self.last_error: str | None = None
        self._lock = threading.Lock()

    def run_once(self) -> TickReport | None:
        """One tick now; ``None`` when it failed (logged) or when another tick is running."""
        if not self._lock.acquire(blocking=False):
            log.warning("alert watcher: the previous tick is still running; skipping this one")
            return None
        try:
            store = self.open_store()
            try:
                report = tick(self.settings, store, now=self.clock())
            finally:
                store.close()
        except Exception as error:
            self.failures += 1
            self.last_error = f"{type(error).__name__}: {error}"
            log.exception("alert watcher: the tick failed; the next one runs in %.0f s", self.interval)
            return None
        finally:
            self._lock.release()
        self.ticks += 1
        self.last, self.last_error = report, None
        log.info("alert watcher: %s", report.summary())
        return report

    async def run(self, stop: asyncio.Event) -> None:
        """Tick (in a worker thread) until ``stop`` is set, waiting ``interval`` between starts."""
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            started = loop.time()
            await asyncio.to_thread(self.run_once)
            wait = max(0.0, self.interval - (loop.time() - started))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=wait)


#: Actor of the demo's seeded changes.
DEMO_ACTOR = "demo"


def seed_demo_inbox(inbox: Inbox, *, now: datetime, count: int = 2) -> list[tuple[str, str]]:
    """Acknowledge ``count`` and snooze ``count`` open alerts (the first by key, deterministic), as
    each alert's owner would; once only (a second call changes nothing). Returns (key, status)."""
    if inbox.acted_on_by(DEMO_ACTOR):
        return []
    candidates = sorted(
        (s for s in inbox.alerts(("new",), now=now) if s.alert.account_id), key=lambda s: s.key
    )
    done: list[tuple[str, str]] = []
    for state in candidates[:count]:
        inbox.acknowledge(state.key, actor=DEMO_ACTOR, now=now)
        done.append((state.key, "acknowledged"))
    until = (now + timedelta(days=7)).date()
    for state in candidates[count : 2 * count]:
        try:
            inbox.snooze(state.key, until, actor=DEMO_ACTOR, now=now)
        except InvalidTransition:  # pragma: no cover - an open alert can always be snoozed
            continue
        done.append((state.key, "snoozed"))
    return done
