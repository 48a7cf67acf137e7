"""Account plans: relationship goals and the actions that reach them, with owners, dates and status.

A plan per account holds its **goals** (a target coverage score, a target tie level per key contact,
a short summary) and its **actions**: meetings or other steps, written by hand or taken from the
recommended meetings, each with an owner (one of our staff), an optional contact, a due date and a
status (``open``, ``done``, ``dropped``). Plans are kept with the journal (``journal.sqlite3`` in
the data folder); every change is also an entry of the account's audit trail (the GraphQL layer
records it).

Examples
--------
>>> import tempfile, pathlib
>>> from datetime import date
>>> plans = Plans(pathlib.Path(tempfile.mkdtemp()) / "journal.sqlite3")
>>> plans.set_goals("acme", target_coverage=80, summary="Multi-thread the buying centre",
...                 key_contacts={"cio": "trusted_advisor"}).target_coverage
80.0
>>> a = plans.add_action("acme", "Meet the CIO", owner_id="rep", contact_id="cio", due=date(2026, 12, 15))
>>> plans.update_action(a.id, status="done").status
'done'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from api.sqlite_files import SqliteFile

__all__ = ["ACTION_STATUSES", "KEY_LEVELS", "Plan", "PlanAction", "PlanError", "Plans"]

#: Statuses of a plan action.
ACTION_STATUSES = ("open", "done", "dropped")
#: Target levels of a key contact's tie (the assessed levels, weakest first).
KEY_LEVELS = ("vendor", "credible_source", "problem_solver", "trusted_advisor")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS plan_goal (account_id TEXT PRIMARY KEY, target_coverage REAL, "
    "summary TEXT, key_contacts TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS plan_action (id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, "
    "title TEXT NOT NULL, owner_id TEXT NOT NULL, contact_id TEXT, due TEXT, status TEXT NOT NULL, "
    "source TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS plan_action_account ON plan_action (account_id, id)",
)
_ACTION_COLS = "id, account_id, title, owner_id, contact_id, due, status, source, created_at, updated_at"


class PlanError(ValueError):
    """A plan change that cannot be made (with the field it is about)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name


@dataclass(frozen=True, slots=True)
class PlanAction:
    """One action of a plan."""

    id: int
    account_id: str
    title: str
    owner_id: str
    contact_id: str | None
    due: date | None
    status: str
    source: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Plan:
    """An account's plan: its goals and actions (open first, by due date)."""

    account_id: str
    target_coverage: float | None = None
    summary: str | None = None
    key_contacts: Mapping[str, str] = field(default_factory=dict)
    actions: tuple[PlanAction, ...] = ()
    updated_at: datetime | None = None


class Plans:
    """The plans in the SQLite file ``path`` (shared with the journal; created on first use)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._file = SqliteFile(self.path, _SCHEMA)

    def plan(self, account_id: str) -> Plan:
        """The account's plan (empty when none was written)."""
        with self._file.transaction() as conn:
            goal = conn.execute(
                "SELECT target_coverage, summary, key_contacts, updated_at FROM plan_goal WHERE account_id = ?",
                (account_id,),
            ).fetchone()
            rows = conn.execute(
                f"SELECT {_ACTION_COLS} FROM plan_action WHERE account_id = ? ORDER BY id", (account_id,)
            ).fetchall()
        actions = sorted(
            (_action(r) for r in rows),
            key=lambda a: (ACTION_STATUSES.index(a.status), a.due or date.max, a.id),
        )
        if goal is None:
            return Plan(account_id, actions=tuple(actions))
        return Plan(
            account_id,
            None if goal[0] is None else float(goal[0]),
            goal[1],
            json.loads(goal[2]),
            tuple(actions),
            datetime.fromisoformat(goal[3]),
        )

    def set_goals(
        self,
        account_id: str,
        *,
        target_coverage: float | None,
        summary: str | None,
        key_contacts: Mapping[str, str],
        now: datetime | None = None,
    ) -> Plan:
        """Replace the account's goals; raises :class:`PlanError` for a bad value."""
        if target_coverage is not None and not 0 <= target_coverage <= 100:
            raise PlanError("targetCoverage", f"must be between 0 and 100, got {target_coverage}")
        for contact, level in key_contacts.items():
            if level not in KEY_LEVELS:
                raise PlanError(
                    "keyContacts", f"{contact}: unknown level {level!r} (expected {', '.join(KEY_LEVELS)})"
                )
        text = (summary or "").strip() or None
        if text is not None and len(text) > 2000:
            raise PlanError("summary", "at most 2,000 characters")
        moment = _now(now)
        with self._file.transaction() as conn:
            conn.execute(
                "INSERT INTO plan_goal (account_id, target_coverage, summary, key_contacts, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id) DO UPDATE SET target_coverage = excluded.target_coverage, "
                "summary = excluded.summary, key_contacts = excluded.key_contacts, updated_at = excluded.updated_at",
                (
                    account_id,
                    target_coverage,
                    text,
                    json.dumps(dict(sorted(key_contacts.items()))),
                    moment.isoformat(),
                ),
            )
        return self.plan(account_id)

    def add_action(
        self,
        account_id: str,
        title: str,
        *,
        owner_id: str,
        contact_id: str | None = None,
        due: date | None = None,
        source: str = "manual",
        now: datetime | None = None,
    ) -> PlanAction:
        """Add an open action; raises :class:`PlanError` for an empty title or an unknown source."""
        text = title.strip()
        if not 1 <= len(text) <= 300:
            raise PlanError("title", "an action has a title of 1 to 300 characters")
        if source not in ("manual", "recommended"):
            raise PlanError("source", f"unknown source {source!r} (manual or recommended)")
        moment = _now(now).isoformat()
        with self._file.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO plan_action (account_id, title, owner_id, contact_id, due, status, source, created_at, "
                "updated_at) VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)",
                (
                    account_id,
                    text,
                    owner_id,
                    contact_id,
                    due.isoformat() if due else None,
                    source,
                    moment,
                    moment,
                ),
            )
            row = conn.execute(
                f"SELECT {_ACTION_COLS} FROM plan_action WHERE id = ?", (cursor.lastrowid,)
            ).fetchone()
        return _action(row)

    def action(self, action_id: int) -> PlanAction | None:
        """One action by id."""
        with self._file.transaction() as conn:
            row = conn.execute(
                f"SELECT {_ACTION_COLS} FROM plan_action WHERE id = ?", (action_id,)
            ).fetchone()
        return None if row is None else _action(row)

    def update_action(
        self,
        action_id: int,
        *,
        status: str | None = None,
        due: date | None = None,
        owner_id: str | None = None,
        now: datetime | None = None,
    ) -> PlanAction:
        """Change an action's status, due date or owner; raises :class:`PlanError` / ``KeyError``."""
        if status is not None and status not in ACTION_STATUSES:
            raise PlanError("status", f"unknown status {status!r} (expected {', '.join(ACTION_STATUSES)})")
        current = self.action(action_id)
        if current is None:
            raise KeyError(action_id)
        new_due = due or current.due
        with self._file.transaction() as conn:
            conn.execute(
                "UPDATE plan_action SET status = ?, due = ?, owner_id = ?, updated_at = ? WHERE id = ?",
                (
                    status or current.status,
                    new_due.isoformat() if new_due is not None else None,
                    owner_id or current.owner_id,
                    _now(now).isoformat(),
                    action_id,
                ),
            )
        updated = self.action(action_id)
        assert updated is not None
        return updated


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


def _action(r: tuple[object, ...]) -> PlanAction:
    return PlanAction(
        int(str(r[0])),
        str(r[1]),
        str(r[2]),
        str(r[3]),
        None if r[4] is None else str(r[4]),
        None if r[5] is None else date.fromisoformat(str(r[5])),
        str(r[6]),
        str(r[7]),
        datetime.fromisoformat(str(r[8])),
        datetime.fromisoformat(str(r[9])),
    )
