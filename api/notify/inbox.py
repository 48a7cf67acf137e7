"""The alert inbox: the lifecycle of every alert the refresh raises, and its escalation.

The inbox lives beside the outbox in ``<data_dir>/notify.sqlite3``: it is the service's
operational state (who acknowledged what, and when), not graph data, so it works the same with
Neo4j. One row per alert *identity* — kind, account and person — so an alert raised again by a
later refresh is the same alert (its severity, message and evidence are updated):

* status ``new`` → ``acknowledged`` → ``resolved``; ``snoozed`` until a day (it is ``new`` again
  the day after; a snooze is kept through its day);
* who changed it and when: every change is a history row (``inbox_history``);
* the owner: the account's rep on the day (the staff member with team role ``account_rep``,
  else the account's ``owner`` field);
* first and last seen, and ``opened_at``: when the current episode opened (the escalation clock);
* an open alert the refresh no longer raises is resolved by ``"refresh"``; one resolved by a
  person stays resolved while the refresh keeps raising it, and opens again (as ``new``, with a
  fresh escalation clock) if it comes back after it had gone.

:func:`escalate` enqueues each escalation step (owner, owner's manager, leadership) into the
outbox once per episode: the step's dedupe period is the episode's opening time and the role, so
no step is sent twice, also after a restart. Every method takes ``now`` (a timezone-aware
``datetime``); the inbox's ``clock`` is used without it.

Examples
--------
>>> import tempfile
>>> from datetime import UTC, datetime
>>> box = Inbox(Path(tempfile.mkdtemp()) / "notify.sqlite3")
>>> now = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
>>> a = Alert("cadence_breach", "warning", "acme", "no exec visit for 120 days")
>>> box.sync([a], now=now).raised
1
>>> state = box.acknowledge(inbox_key(alert_id(a)), actor="stf-1", now=now)
>>> state.status, state.changed_by
('acknowledged', 'stf-1')
>>> box.sync([], now=now).resolved, box.get(state.key).resolved_by
(1, 'refresh')
>>> box.close()
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from api.notify.channels import personal_channel_id
from api.notify.config import DEFAULT_ESCALATION, ESCALATION_ROLES
from api.notify.messages import RECIPIENT_NAME
from api.notify.outbox import Delivery, Outbox
from api.sqlite_files import immediate_transaction
from graph.analysis.alerts import SEVERITIES, Alert

__all__ = [
    "DEFAULT_ESCALATION",
    "ESCALATION_ROLES",
    "INBOX_STATUSES",
    "OPEN_STATUSES",
    "AlertNotFound",
    "AlertState",
    "EscalationReport",
    "HistoryEntry",
    "Inbox",
    "InvalidTransition",
    "Owner",
    "Routing",
    "SyncReport",
    "alert_id",
    "escalate",
    "inbox_key",
]

#: Every status of an inbox alert.
INBOX_STATUSES: tuple[str, ...] = ("new", "acknowledged", "snoozed", "resolved")
#: The statuses of an open alert (shown on the inbox page).
OPEN_STATUSES: tuple[str, ...] = ("new", "acknowledged", "snoozed")

CREATE_ALERTS = """
CREATE TABLE IF NOT EXISTS inbox_alerts (
    key TEXT PRIMARY KEY,
    identity TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    account_id TEXT,
    person_id TEXT,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    alert TEXT NOT NULL,
    account_name TEXT,
    owner_id TEXT,
    owner_name TEXT,
    status TEXT NOT NULL CHECK (status IN ('new', 'acknowledged', 'snoozed', 'resolved')),
    snoozed_until TEXT,
    raised INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    opened_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL,
    resolved_at INTEGER,
    resolved_by TEXT,
    note TEXT,
    notified TEXT NOT NULL DEFAULT ''
)
"""
CREATE_STATUS_INDEX = "CREATE INDEX IF NOT EXISTS inbox_alerts_status ON inbox_alerts (status, account_id)"
CREATE_HISTORY = """
CREATE TABLE IF NOT EXISTS inbox_history (
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    PRIMARY KEY (key, seq)
)
"""
SELECT_ONE = "SELECT * FROM inbox_alerts WHERE key = ?"
SELECT_ALL = "SELECT * FROM inbox_alerts"
INSERT_ALERT = """
INSERT INTO inbox_alerts (key, identity, kind, account_id, person_id, severity, message, alert,
    account_name, owner_id, owner_name, status, raised, first_seen, last_seen, opened_at, changed_at,
    changed_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', 1, ?, ?, ?, ?, 'refresh')
"""
UPDATE_SEEN = """
UPDATE inbox_alerts SET severity = ?, message = ?, alert = ?, account_name = ?, owner_id = ?,
    owner_name = ?, raised = 1, last_seen = ?
WHERE key = ?
"""
UPDATE_STATUS = """
UPDATE inbox_alerts SET status = ?, snoozed_until = ?, changed_at = ?, changed_by = ?, resolved_at = ?,
    resolved_by = ?, note = COALESCE(?, note)
WHERE key = ?
"""
UPDATE_REOPEN = """
UPDATE inbox_alerts SET status = 'new', snoozed_until = NULL, opened_at = ?, changed_at = ?,
    changed_by = 'refresh', resolved_at = NULL, resolved_by = NULL, note = NULL, notified = ''
WHERE key = ?
"""
UPDATE_GONE = "UPDATE inbox_alerts SET raised = 0 WHERE key = ?"
UPDATE_NOTIFIED = "UPDATE inbox_alerts SET notified = ? WHERE key = ?"
SELECT_WOKEN = "SELECT key FROM inbox_alerts WHERE status = 'snoozed' AND snoozed_until < ?"
SELECT_HISTORY = "SELECT * FROM inbox_history WHERE key = ? ORDER BY seq"
NEXT_SEQ = "SELECT COALESCE(MAX(seq), 0) + 1 FROM inbox_history WHERE key = ?"
INSERT_HISTORY = """
INSERT INTO inbox_history (key, seq, at, actor, action, status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)
"""
COUNT_BY_ACTOR = "SELECT COUNT(*) FROM inbox_history WHERE actor = ?"


class AlertNotFound(LookupError):
    """No alert with this key in the inbox."""


class InvalidTransition(ValueError):
    """The change is not allowed from the alert's status (or its input is wrong: ``field``)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("inbox times must be timezone-aware")
    return round(moment.timestamp() * 1_000_000)


def _moment(micros: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def alert_id(alert: Alert) -> str:
    """The identity of an alert in the inbox: kind, account and person, as a JSON list.

    Examples
    --------
    >>> alert_id(Alert("going_cold", "warning", "acme", "x", "c-ann"))
    '["going_cold","acme","c-ann"]'
    """
    return json.dumps([alert.kind, alert.account_id, alert.person_id], separators=(",", ":"))


def inbox_key(identity: str) -> str:
    """The short, URL-safe key of an identity (the API's ``key``): 20 hex digits.

    Examples
    --------
    >>> len(inbox_key('["health","acme",null]'))
    20
    """
    return hashlib.sha256(identity.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Owner:
    """Who owns an account's alerts: a staff id and name (``None``: nobody is known)."""

    staff_id: str | None
    name: str | None = None


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an alert: when, who, what, and the status after it."""

    at: datetime
    actor: str
    action: str
    status: str
    detail: str | None


@dataclass(frozen=True)
class AlertState:
    """One alert of the inbox as it stands."""

    key: str
    alert: Alert
    account_name: str | None
    owner_id: str | None
    owner_name: str | None
    status: str
    snoozed_until: date | None
    raised: bool
    first_seen: datetime
    last_seen: datetime
    opened_at: datetime
    changed_at: datetime
    changed_by: str
    resolved_at: datetime | None
    resolved_by: str | None
    note: str | None
    notified: tuple[str, ...]

    @property
    def is_open(self) -> bool:
        """Whether it is new, acknowledged or snoozed."""
        return self.status in OPEN_STATUSES

    def age_days(self, now: datetime) -> int:
        """Whole days since the current episode opened."""
        return max(0, (now - self.opened_at).days)


def _state(row: sqlite3.Row) -> AlertState:
    until = row["snoozed_until"]
    return AlertState(
        key=row["key"],
        alert=Alert.from_payload(json.loads(row["alert"])),
        account_name=row["account_name"],
        owner_id=row["owner_id"],
        owner_name=row["owner_name"],
        status=row["status"],
        snoozed_until=date.fromisoformat(until) if until else None,
        raised=bool(row["raised"]),
        first_seen=_moment(row["first_seen"]),
        last_seen=_moment(row["last_seen"]),
        opened_at=_moment(row["opened_at"]),
        changed_at=_moment(row["changed_at"]),
        changed_by=row["changed_by"],
        resolved_at=_moment(row["resolved_at"]) if row["resolved_at"] is not None else None,
        resolved_by=row["resolved_by"],
        note=row["note"],
        notified=tuple(r for r in row["notified"].split(",") if r),
    )


@dataclass(frozen=True)
class SyncReport:
    """What one :meth:`Inbox.sync` did: alerts raised (seen), new, reopened and auto-resolved."""

    raised: int
    new: int
    reopened: int
    resolved: int
    woken: int


_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


def _merge(alerts: Iterable[Alert]) -> dict[str, Alert]:
    """One alert per identity: the most severe (the first of equals)."""
    merged: dict[str, Alert] = {}
    for alert in alerts:
        identity = alert_id(alert)
        known = merged.get(identity)
        if known is None or _SEVERITY_RANK[alert.severity] > _SEVERITY_RANK[known.severity]:
            merged[identity] = alert
    return merged


class Inbox:
    """The alert inbox in the SQLite file at ``path`` (the outbox's file; created when missing)."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = _utc_now) -> None:
        self.path = Path(path)
        self.clock = clock
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._transaction() as db:
            db.execute(CREATE_ALERTS)
            db.execute(CREATE_STATUS_INDEX)
            db.execute(CREATE_HISTORY)

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Inbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, immediate_transaction(self._db) as db:
            yield db

    @staticmethod
    def _history(
        db: sqlite3.Connection, key: str, at: int, actor: str, action: str, status: str, detail: str | None
    ) -> None:
        seq = db.execute(NEXT_SEQ, (key,)).fetchone()[0]
        db.execute(INSERT_HISTORY, (key, seq, at, actor, action, status, detail))

    def _wake(self, db: sqlite3.Connection, moment: datetime) -> int:
        """Snoozes whose day has passed end: the alert is ``new`` again."""
        at = _micros(moment)
        keys = [r["key"] for r in db.execute(SELECT_WOKEN, (moment.date().isoformat(),)).fetchall()]
        for key in keys:
            db.execute(UPDATE_STATUS, ("new", None, at, "clock", None, None, None, key))
            self._history(db, key, at, "clock", "snooze ended", "new", None)
        return len(keys)

    # -- the refresh's side -------------------------------------------------------------------------

    def sync(
        self,
        alerts: Iterable[Alert],
        *,
        owners: Mapping[str, Owner] | None = None,
        account_names: Mapping[str, str] | None = None,
        accounts: Iterable[str] | None = None,
        now: datetime | None = None,
    ) -> SyncReport:
        """Record the alerts one refresh raised (new ones, updates) and resolve those it no longer raises.

        ``owners`` and ``account_names`` are by account id. ``accounts``, when given, limits the
        automatic resolution to alerts of those accounts (and to alerts of no account): an account
        missing from the refresh (its analysis failed) keeps its alerts as they are.
        """
        moment = now or self.clock()
        at = _micros(moment)
        merged = _merge(alerts)
        owners = owners or {}
        names = account_names or {}
        scope = None if accounts is None else set(accounts)
        new = reopened = resolved = 0
        with self._transaction() as db:
            woken = self._wake(db, moment)
            rows = {r["identity"]: r for r in db.execute(SELECT_ALL).fetchall()}
            for identity, alert in merged.items():
                key = inbox_key(identity)
                owner = owners.get(alert.account_id or "", Owner(None))
                payload = json.dumps(alert.to_payload(), ensure_ascii=False, sort_keys=True, default=str)
                name = names.get(alert.account_id or "")
                row = rows.get(identity)
                if row is None:
                    db.execute(
                        INSERT_ALERT,
                        (
                            key,
                            identity,
                            alert.kind,
                            alert.account_id,
                            alert.person_id,
                            alert.severity,
                            alert.message,
                            payload,
                            name,
                            owner.staff_id,
                            owner.name,
                            at,
                            at,
                            at,
                            at,
                        ),
                    )
                    self._history(db, key, at, "refresh", "raised", "new", alert.severity)
                    new += 1
                    continue
                if row["status"] == "resolved" and (row["resolved_by"] == "refresh" or not row["raised"]):
                    db.execute(UPDATE_REOPEN, (at, at, key))
                    self._history(db, key, at, "refresh", "raised again", "new", alert.severity)
                    reopened += 1
                db.execute(
                    UPDATE_SEEN,
                    (
                        alert.severity,
                        alert.message,
                        payload,
                        name or row["account_name"],
                        owner.staff_id,
                        owner.name,
                        at,
                        key,
                    ),
                )
            for identity, row in rows.items():
                if identity in merged or not row["raised"]:
                    continue
                if scope is not None and row["account_id"] is not None and row["account_id"] not in scope:
                    continue
                db.execute(UPDATE_GONE, (row["key"],))
                if row["status"] in OPEN_STATUSES:
                    db.execute(
                        UPDATE_STATUS,
                        ("resolved", None, at, "refresh", at, "refresh", None, row["key"]),
                    )
                    self._history(db, row["key"], at, "refresh", "no longer raised", "resolved", None)
                    resolved += 1
        return SyncReport(len(merged), new, reopened, resolved, woken)

    # -- people's side --------------------------------------------------------------------------------

    def get(self, key: str) -> AlertState:
        """One alert (:class:`AlertNotFound` when there is none)."""
        row = self._db.execute(SELECT_ONE, (key,)).fetchone()
        if row is None:
            raise AlertNotFound(key)
        return _state(row)

    def alerts(
        self, statuses: Sequence[str] | None = OPEN_STATUSES, *, now: datetime | None = None
    ) -> list[AlertState]:
        """The alerts of ``statuses`` (all with ``None``): most severe first, then oldest first.

        Snoozes whose day has passed end first.
        """
        if statuses is not None:
            unknown = [s for s in statuses if s not in INBOX_STATUSES]
            if unknown:
                raise ValueError(f"unknown status {unknown[0]!r} (one of {', '.join(INBOX_STATUSES)})")
        with self._transaction() as db:
            self._wake(db, now or self.clock())
            rows = db.execute(SELECT_ALL).fetchall()
        states = [_state(r) for r in rows if statuses is None or r["status"] in statuses]
        states.sort(key=lambda s: (-s.alert.severity_rank, s.opened_at, s.key))
        return states

    def history(self, key: str) -> list[HistoryEntry]:
        """Every change of one alert, oldest first."""
        return [
            HistoryEntry(_moment(r["at"]), r["actor"], r["action"], r["status"], r["detail"])
            for r in self._db.execute(SELECT_HISTORY, (key,)).fetchall()
        ]

    def _change(
        self,
        key: str,
        *,
        actor: str,
        now: datetime | None,
        allowed: Sequence[str],
        status: str,
        action: str,
        until: date | None = None,
        note: str | None = None,
    ) -> AlertState:
        moment = now or self.clock()
        at = _micros(moment)
        with self._transaction() as db:
            self._wake(db, moment)
            row = db.execute(SELECT_ONE, (key,)).fetchone()
            if row is None:
                raise AlertNotFound(key)
            if row["status"] not in allowed:
                raise InvalidTransition(f"the alert is {row['status']}: it cannot be {action}")
            resolved = (at, actor) if status == "resolved" else (None, None)
            db.execute(
                UPDATE_STATUS,
                (status, until.isoformat() if until else None, at, actor, *resolved, note, key),
            )
            detail = until.isoformat() if until else note
            self._history(db, key, at, actor, action, status, detail)
        return self.get(key)

    def acknowledge(self, key: str, *, actor: str, now: datetime | None = None) -> AlertState:
        """``new`` or ``snoozed`` → ``acknowledged``: someone is on it (no further escalation)."""
        return self._change(
            key,
            actor=actor,
            now=now,
            allowed=("new", "snoozed"),
            status="acknowledged",
            action="acknowledged",
        )

    def snooze(self, key: str, until: date, *, actor: str, now: datetime | None = None) -> AlertState:
        """An open alert → ``snoozed`` through ``until`` (a day after today): it shows again after it."""
        moment = now or self.clock()
        if until <= moment.date():
            raise InvalidTransition(
                f"until: {until.isoformat()} is not after today ({moment.date().isoformat()})", "until"
            )
        return self._change(
            key,
            actor=actor,
            now=moment,
            allowed=OPEN_STATUSES,
            status="snoozed",
            action="snoozed",
            until=until,
        )

    def resolve(
        self, key: str, *, actor: str, note: str | None = None, now: datetime | None = None
    ) -> AlertState:
        """An open alert → ``resolved`` by ``actor`` (with an optional note)."""
        return self._change(
            key, actor=actor, now=now, allowed=OPEN_STATUSES, status="resolved", action="resolved", note=note
        )

    def mark_notified(self, key: str, role: str, *, now: datetime | None = None, detail: str = "") -> None:
        """Record that an escalation step reached ``role``."""
        at = _micros(now or self.clock())
        with self._transaction() as db:
            row = db.execute(SELECT_ONE, (key,)).fetchone()
            if row is None:
                raise AlertNotFound(key)
            roles = [r for r in row["notified"].split(",") if r]
            if role not in roles:
                roles.append(role)
            db.execute(UPDATE_NOTIFIED, (",".join(roles), key))
            self._history(db, key, at, "escalation", f"notified {role}", row["status"], detail or None)

    def acted_on_by(self, actor: str) -> int:
        """How many changes ``actor`` made (the demo seeds once)."""
        return int(self._db.execute(COUNT_BY_ACTOR, (actor,)).fetchone()[0])


# -- escalation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Routing:
    """Where each escalation step goes.

    ``email_channel`` is the id of the configured e-mail channel people's own addresses are sent
    through (``None``: people get no e-mail); ``emails`` and ``names`` are by staff id;
    ``managers`` maps a staff id to their manager's staff id; ``leadership`` holds e-mail
    addresses (with an ``@``) and channel ids; ``role_channels`` adds chat channel ids per role
    (``owner``, ``manager``, ``leadership``).
    """

    email_channel: str | None = None
    emails: Mapping[str, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    managers: Mapping[str, str] = field(default_factory=dict)
    leadership: Sequence[str] = ()
    role_channels: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def _person(self, staff_id: str | None) -> list[str]:
        address = self.emails.get(staff_id or "")
        if not address or self.email_channel is None:
            return []
        return [personal_channel_id(self.email_channel, address)]

    def manager_of(self, staff_id: str | None) -> str | None:
        """The manager's staff id (``None``: none configured)."""
        return self.managers.get(staff_id or "")

    def channels(self, role: str, owner_id: str | None) -> list[str]:
        """The outbox channel ids of one step."""
        if role == "owner":
            ids = self._person(owner_id)
        elif role == "manager":
            ids = self._person(self.manager_of(owner_id))
        else:
            ids = []
            for entry in self.leadership:
                if "@" in entry:
                    if self.email_channel is not None:
                        ids.append(personal_channel_id(self.email_channel, entry))
                else:
                    ids.append(entry)
        ids.extend(self.role_channels.get(role, ()))
        return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class EscalationReport:
    """What one :func:`escalate` pass enqueued: (alert key, role, channel id) per new delivery,
    and the steps that were due but had nowhere to go."""

    queued: tuple[tuple[str, str, str], ...]
    unrouted: tuple[tuple[str, str], ...] = ()


def _step_alert(state: AlertState, role: str, routing: Routing, now: datetime) -> Alert:
    alert = state.alert
    owner = state.owner_name or state.owner_id or "nobody"
    days = state.age_days(now)
    if role == "owner":
        lead = "New alert on your account"
    elif role == "manager":
        lead = f"Unacknowledged for {days} day(s) (owner {owner})"
    else:
        lead = f"Escalated to leadership: unacknowledged for {days} day(s) (owner {owner})"
    evidence: dict[str, Any] = {
        "inbox_status": state.status,
        "owner": owner,
        "open_since": state.opened_at.date().isoformat(),
        "escalation": role,
        **alert.evidence,
    }
    # whom a person's own e-mail greets (chat channels and leadership lists keep their own name)
    recipient = state.owner_name if role == "owner" else None
    if role == "manager":
        recipient = routing.names.get(routing.manager_of(state.owner_id) or "")
    if recipient:
        evidence[RECIPIENT_NAME] = recipient
    return Alert(
        alert.kind, alert.severity, alert.account_id, f"{lead}: {alert.message}", alert.person_id, evidence
    )


def escalate(
    inbox: Inbox,
    outbox: Outbox,
    *,
    policy: Mapping[str, Sequence[int]],
    routing: Routing,
    now: datetime | None = None,
) -> EscalationReport:
    """Enqueue every escalation step that is due at ``now`` and not yet queued.

    An alert escalates while it is ``new`` (not acknowledged, not snoozed): step ``i`` of
    ``policy[severity]`` (days after the episode opened) notifies :data:`ESCALATION_ROLES` ``[i]``.
    Each step is enqueued with the period ``"{opened_at}/{role}"``, so the outbox keeps one
    delivery per (step, channel) for ever: a second pass, in this process or after a restart,
    queues nothing.
    """
    moment = now or inbox.clock()
    queued: list[tuple[str, str, str]] = []
    unrouted: list[tuple[str, str]] = []
    for state in inbox.alerts(("new",), now=moment):
        steps = policy.get(state.alert.severity, ())
        for index, days in enumerate(steps[: len(ESCALATION_ROLES)]):
            if moment - state.opened_at < timedelta(days=days):
                break
            role = ESCALATION_ROLES[index]
            channel_ids = routing.channels(role, state.owner_id)
            if not channel_ids:
                if role not in state.notified:
                    unrouted.append((state.key, role))
                continue
            period = f"{state.opened_at.isoformat()}/{role}"
            created: list[Delivery] = outbox.enqueue(
                _step_alert(state, role, routing, moment),
                period=period,
                channel_ids=channel_ids,
                account_name=state.account_name,
                now=moment,
            )
            for delivery in created:
                queued.append((state.key, role, delivery.channel_id))
            if created:
                inbox.mark_notified(
                    state.key, role, now=moment, detail=", ".join(d.channel_id for d in created)
                )
    return EscalationReport(tuple(queued), tuple(unrouted))
