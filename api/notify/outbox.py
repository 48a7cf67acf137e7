"""The durable outbox: one row per (alert, channel), sent at most once, retried with back-off.

The outbox lives in its own SQLite file (``<data_dir>/notify.sqlite3``, WAL mode), apart from the
graph store, so it works the same with Neo4j. :meth:`Outbox.enqueue` records that an alert is to
go to some channels; the row's key is the alert's identity — kind, account, person and a
caller-given period (a day, a week, ...) — and the channel, so enqueueing the same alert again,
in this process or after a restart, changes nothing. :meth:`Outbox.deliver_due` sends every row
that is due, records each attempt, and on failure waits ``retry_delays[n - 1]`` after the n-th
failed attempt (default 1 min, 5 min, 30 min, 2 h) before the next; when the delays run out the
row ends ``failed`` with its last error.

Rows being sent are claimed first (their next attempt is moved ``claim_seconds`` ahead in the
same transaction that reads them), so two ``deliver_due`` passes at once never send a row twice;
a pass that dies mid-send leaves the row to be retried after the claim expires. Receivers get a
stable delivery id (``X-Kamgraph-Delivery``, the e-mail's ``Message-ID``) to drop such a repeat.

Examples
--------
>>> import tempfile
>>> from datetime import UTC, datetime
>>> from graph.analysis.alerts import Alert
>>> folder = tempfile.mkdtemp()
>>> box = Outbox(Path(folder) / "notify.sqlite3", channels={})
>>> now = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
>>> alert = Alert("cadence_breach", "warning", "acme", "no exec visit for 120 days")
>>> len(box.enqueue(alert, period="2025-03-01", channel_ids=["ops"], now=now))
1
>>> box.enqueue(alert, period="2025-03-01", channel_ids=["ops"], now=now)
[]
>>> [(d.channel_id, d.status) for d in box.deliveries()]
[('ops', 'pending')]
>>> box.close()
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from api.notify.channels import Channel, DeliveryError, derived_channel
from api.notify.config import DEFAULT_RETRY_DELAYS
from api.notify.messages import RECIPIENT_NAME, render
from api.sqlite_files import immediate_transaction
from graph.analysis.alerts import Alert

__all__ = [
    "OUTBOX_FILE",
    "STATUSES",
    "Attempt",
    "Delivery",
    "DeliveryReport",
    "Outbox",
    "alert_key",
    "delivery_id",
]

#: The outbox's file name inside the data folder.
OUTBOX_FILE = "notify.sqlite3"
#: Row statuses.
STATUSES: tuple[str, ...] = ("pending", "sent", "failed")
_SCHEMA_VERSION = 1

CREATE_DELIVERIES = """
CREATE TABLE IF NOT EXISTS deliveries (
    alert_key TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    alert TEXT NOT NULL,
    account_name TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER,
    last_attempt_at INTEGER,
    last_error TEXT,
    sent_at INTEGER,
    PRIMARY KEY (alert_key, channel_id)
)
"""
CREATE_DUE_INDEX = "CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (status, next_attempt_at)"
CREATE_ATTEMPTS = """
CREATE TABLE IF NOT EXISTS attempts (
    alert_key TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    error TEXT,
    PRIMARY KEY (alert_key, channel_id, attempt)
)
"""
INSERT_DELIVERY = """
INSERT OR IGNORE INTO deliveries
    (alert_key, channel_id, delivery_id, alert, account_name, status, created_at, next_attempt_at)
VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
"""
SELECT_DUE = """
SELECT alert_key, channel_id FROM deliveries
WHERE status = 'pending' AND next_attempt_at <= ?
ORDER BY next_attempt_at, created_at, alert_key, channel_id
"""
CLAIM = "UPDATE deliveries SET next_attempt_at = ? WHERE alert_key = ? AND channel_id = ?"
SELECT_ONE = "SELECT * FROM deliveries WHERE alert_key = ? AND channel_id = ?"
SELECT_ALL = "SELECT * FROM deliveries ORDER BY created_at, alert_key, channel_id"
SELECT_BY_STATUS = "SELECT * FROM deliveries WHERE status = ? ORDER BY created_at, alert_key, channel_id"
INSERT_ATTEMPT = (
    "INSERT INTO attempts (alert_key, channel_id, attempt, at, ok, error) VALUES (?, ?, ?, ?, ?, ?)"
)
SELECT_ATTEMPTS = """
SELECT attempt, at, ok, error FROM attempts WHERE alert_key = ? AND channel_id = ? ORDER BY attempt
"""
UPDATE_SENT = """
UPDATE deliveries SET status = 'sent', attempts = ?, last_attempt_at = ?, sent_at = ?, next_attempt_at = NULL,
    last_error = NULL
WHERE alert_key = ? AND channel_id = ?
"""
UPDATE_FAILED_ATTEMPT = """
UPDATE deliveries SET status = ?, attempts = ?, last_attempt_at = ?, next_attempt_at = ?, last_error = ?
WHERE alert_key = ? AND channel_id = ?
"""


def _micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("outbox times must be timezone-aware")
    return round(moment.timestamp() * 1_000_000)


def _moment(micros: int | None) -> datetime | None:
    if micros is None:
        return None
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def alert_key(alert: Alert, period: str | date) -> str:
    """The identity of an alert in a period: kind, account, person and period, as a JSON list.

    Two alerts with the same key are the same alert (their message and evidence may differ):

    Examples
    --------
    >>> alert_key(Alert("health", "severe", "acme", "red (41)"), date(2025, 3, 1))
    '["health","acme",null,"2025-03-01"]'
    >>> alert_key(Alert("health", "warning", "acme", "red (44)"), "2025-03-01")
    '["health","acme",null,"2025-03-01"]'
    """
    when = period.isoformat() if isinstance(period, date) else str(period)
    return json.dumps([alert.kind, alert.account_id, alert.person_id, when], separators=(",", ":"))


def delivery_id(key: str, channel_id: str) -> str:
    """The stable id of one delivery (the idempotency key receivers see): 32 hex digits.

    Examples
    --------
    >>> delivery_id('["health","acme",null,"2025-03-01"]', "ops") == delivery_id(
    ...     '["health","acme",null,"2025-03-01"]', "ops")
    True
    >>> len(delivery_id("k", "ops"))
    32
    """
    return hashlib.sha256(f"{key}\n{channel_id}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Delivery:
    """One row of the outbox: an alert for a channel."""

    alert_key: str
    channel_id: str
    delivery_id: str
    alert: Alert
    account_name: str | None
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    sent_at: datetime | None


@dataclass(frozen=True)
class Attempt:
    """One recorded attempt of a delivery."""

    number: int
    at: datetime
    ok: bool
    error: str | None


@dataclass(frozen=True)
class DeliveryReport:
    """What one :meth:`Outbox.deliver_due` pass did: the deliveries it tried, as they ended."""

    tried: tuple[Delivery, ...]

    @property
    def sent(self) -> int:
        """Deliveries sent in this pass."""
        return sum(d.status == "sent" for d in self.tried)

    @property
    def retrying(self) -> int:
        """Failed attempts that will be tried again."""
        return sum(d.status == "pending" for d in self.tried)

    @property
    def failed(self) -> int:
        """Deliveries that failed for good in this pass."""
        return sum(d.status == "failed" for d in self.tried)


def _row(row: sqlite3.Row) -> Delivery:
    return Delivery(
        alert_key=row["alert_key"],
        channel_id=row["channel_id"],
        delivery_id=row["delivery_id"],
        alert=Alert.from_payload(json.loads(row["alert"])),
        account_name=row["account_name"],
        status=row["status"],
        attempts=row["attempts"],
        created_at=_moment(row["created_at"]) or datetime.min.replace(tzinfo=UTC),
        next_attempt_at=_moment(row["next_attempt_at"]),
        last_attempt_at=_moment(row["last_attempt_at"]),
        last_error=row["last_error"],
        sent_at=_moment(row["sent_at"]),
    )


class Outbox:
    """The delivery log and outbox in the SQLite file at ``path`` (created when missing).

    Parameters
    ----------
    path
        The outbox file, e.g. ``<data_dir>/notify.sqlite3``.
    channels
        The configured channels by id.
    retry_delays
        Seconds to wait after the 1st, 2nd, ... failed attempt; after ``len(retry_delays) + 1``
        failed attempts the delivery is ``failed``.
    base_url
        Where the web pages are served (the messages link to the account page).
    clock
        Where "now" comes from when a method is not given ``now``.
    http
        The HTTP client; by default one is made per pass with ``timeout`` seconds.
    claim_seconds
        How long a row being sent stays claimed by the pass sending it.
    """

    def __init__(
        self,
        path: Path,
        channels: Mapping[str, Channel],
        *,
        retry_delays: Sequence[float] = DEFAULT_RETRY_DELAYS,
        base_url: str = "",
        clock: Callable[[], datetime] = _utc_now,
        http: httpx.Client | None = None,
        timeout: float = 10.0,
        claim_seconds: float = 300.0,
        locale: str = "en",
    ) -> None:
        if any(delay < 0 for delay in retry_delays):
            raise ValueError("retry delays must not be negative")
        self.path = Path(path)
        self.channels = dict(channels)
        self.retry_delays = tuple(float(d) for d in retry_delays)
        self.base_url = base_url
        self.locale = locale
        self.clock = clock
        self.timeout = timeout
        self.claim_seconds = claim_seconds
        self._http = http
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > _SCHEMA_VERSION:
            self._db.close()
            raise RuntimeError(f"{self.path} was written by a newer kamgraph (outbox schema {version})")
        with self._transaction():
            self._db.execute(CREATE_DELIVERIES)
            self._db.execute(CREATE_DUE_INDEX)
            self._db.execute(CREATE_ATTEMPTS)
            self._db.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, immediate_transaction(self._db) as db:
            yield db

    # -- enqueue ----------------------------------------------------------------------------------

    def enqueue(
        self,
        alert: Alert,
        *,
        period: str | date,
        channel_ids: Iterable[str] | None = None,
        account_name: str | None = None,
        now: datetime | None = None,
    ) -> list[Delivery]:
        """Queue ``alert`` (identified within ``period``) for ``channel_ids`` (default: every channel).

        Returns the deliveries this call created, due at once; a (alert, channel) pair already in
        the outbox, whatever its status, is left alone.
        """
        moment = _micros(now or self.clock())
        ids = list(self.channels) if channel_ids is None else list(dict.fromkeys(channel_ids))
        key = alert_key(alert, period)
        payload = json.dumps(alert.to_payload(), ensure_ascii=False, sort_keys=True, default=str)
        created: list[tuple[str, str]] = []
        with self._transaction() as db:
            for channel_id in ids:
                cursor = db.execute(
                    INSERT_DELIVERY,
                    (key, channel_id, delivery_id(key, channel_id), payload, account_name, moment, moment),
                )
                if cursor.rowcount:
                    created.append((key, channel_id))
        return [self.delivery(k, c) for k, c in created]

    # -- deliver ----------------------------------------------------------------------------------

    def deliver_due(self, now: datetime | None = None, *, limit: int | None = None) -> DeliveryReport:
        """Send every pending delivery due at ``now`` (at most ``limit``), one attempt each."""
        moment = now or self.clock()
        at = _micros(moment)
        with self._transaction() as db:
            due = [(r["alert_key"], r["channel_id"]) for r in db.execute(SELECT_DUE, (at,)).fetchall()]
            if limit is not None:
                due = due[:limit]
            claim_until = at + round(self.claim_seconds * 1_000_000)
            for key, channel_id in due:
                db.execute(CLAIM, (claim_until, key, channel_id))
        if not due:
            return DeliveryReport(())
        client = self._http or httpx.Client(timeout=self.timeout, follow_redirects=False)
        try:
            tried = tuple(self._attempt(key, channel_id, moment, client) for key, channel_id in due)
        finally:
            if self._http is None:
                client.close()
        return DeliveryReport(tried)

    def _attempt(self, key: str, channel_id: str, moment: datetime, client: httpx.Client) -> Delivery:
        delivery = self.delivery(key, channel_id)
        error: str | None = None
        personal = channel_id not in self.channels
        channel = self.channels.get(channel_id) or derived_channel(self.channels, channel_id)
        if channel is None:
            error = f"channel {channel_id!r} is not configured"
        else:
            # a person's own e-mail greets them by name when the escalation step gave it
            name = delivery.alert.evidence.get(RECIPIENT_NAME) if personal else None
            message = render(
                delivery.alert,
                account_name=delivery.account_name,
                recipient=str(name) if name else channel.recipient,
                base_url=self.base_url,
                locale=self.locale,
            )
            try:
                channel.deliver(message, delivery_id=delivery.delivery_id, now=moment, http=client)
            except DeliveryError as failure:
                error = str(failure) or type(failure).__name__
        self._record(delivery, moment, error)
        return self.delivery(key, channel_id)

    def _record(self, delivery: Delivery, moment: datetime, error: str | None) -> None:
        at = _micros(moment)
        number = delivery.attempts + 1
        where = (delivery.alert_key, delivery.channel_id)
        with self._transaction() as db:
            db.execute(INSERT_ATTEMPT, (*where, number, at, error is None, error))
            if error is None:
                db.execute(UPDATE_SENT, (number, at, at, *where))
            elif number <= len(self.retry_delays):
                retry_at = at + round(self.retry_delays[number - 1] * 1_000_000)
                db.execute(UPDATE_FAILED_ATTEMPT, ("pending", number, at, retry_at, error, *where))
            else:
                db.execute(UPDATE_FAILED_ATTEMPT, ("failed", number, at, None, error, *where))

    # -- reading ----------------------------------------------------------------------------------

    def delivery(self, key: str, channel_id: str) -> Delivery:
        """One delivery (``KeyError`` when there is none)."""
        row = self._db.execute(SELECT_ONE, (key, channel_id)).fetchone()
        if row is None:
            raise KeyError((key, channel_id))
        return _row(row)

    def deliveries(self, status: str | None = None) -> list[Delivery]:
        """Every delivery (of ``status``), oldest first."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"status {status!r} is not one of {', '.join(STATUSES)}")
        rows = self._db.execute(SELECT_BY_STATUS, (status,)) if status else self._db.execute(SELECT_ALL)
        return [_row(r) for r in rows.fetchall()]

    def attempts(self, key: str, channel_id: str) -> list[Attempt]:
        """Every recorded attempt of one delivery, in order."""
        rows = self._db.execute(SELECT_ATTEMPTS, (key, channel_id)).fetchall()
        return [
            Attempt(r["attempt"], _moment(r["at"]) or datetime.min, bool(r["ok"]), r["error"]) for r in rows
        ]
