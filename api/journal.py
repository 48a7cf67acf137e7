"""The journal: the audit trail of every write through the API, and the notes on accounts.

Every mutation that writes (an admin's upsert, an account manager logging a meeting or rating a
tie, a note) leaves one entry per account it touched: when, who (token name, role, staff id),
which mutation, and what it wrote (the input, and the counts of records created and updated).
Notes are entries of their own kind. The journal is a small SQLite file beside the embedded store
(``journal.sqlite3`` in the data folder), kept by the service like its alert outbox, whichever
store holds the graph: on Neo4j too it lives with the service (one file per deployment).

The store write comes first and the entry after it: a write whose entry could not be recorded is
reported in the server log, and the write stands (the graph is the store of record).

Examples
--------
>>> import tempfile, pathlib
>>> journal = Journal(pathlib.Path(tempfile.mkdtemp()) / "journal.sqlite3")
>>> entry = journal.record(["acme"], kind="note", actor="ana", role="account_manager", staff_id="s1",
...                        action="addNote", detail={"text": "Met the CFO at the fair."})
>>> [(e.kind, e.actor, e.detail["text"]) for e in journal.entries("acme")]
[('note', 'ana', 'Met the CFO at the fair.')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.sqlite_files import SqliteFile

__all__ = ["JOURNAL_FILE", "Journal", "JournalEntry"]

#: The journal's file name in the data folder.
JOURNAL_FILE = "journal.sqlite3"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY, at TEXT NOT NULL, account_id TEXT NOT NULL, "
    "kind TEXT NOT NULL, actor TEXT, role TEXT NOT NULL, staff_id TEXT, action TEXT NOT NULL, detail TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS entry_account ON entry (account_id, id)",
)
_INSERT = (
    "INSERT INTO entry (at, account_id, kind, actor, role, staff_id, action, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_SELECT = (
    "SELECT id, at, account_id, kind, actor, role, staff_id, action, detail FROM entry "
    "WHERE account_id = ? AND (? IS NULL OR kind = ?) AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?"
)

#: Kinds of entries.
KINDS = ("write", "note")


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One entry: ``kind`` is ``write`` (the audit trail) or ``note``; ``detail`` is plain data."""

    id: int
    at: datetime
    account_id: str
    kind: str
    actor: str | None
    role: str
    staff_id: str | None
    action: str
    detail: Mapping[str, Any]


class Journal:
    """The journal in the SQLite file ``path`` (created on first use).

    Each call opens its own connection, so one journal serves every request thread.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._file = SqliteFile(self.path, _SCHEMA)

    def record(
        self,
        account_ids: Iterable[str],
        *,
        kind: str,
        actor: str | None,
        role: str,
        staff_id: str | None,
        action: str,
        detail: Mapping[str, Any],
        at: datetime | None = None,
    ) -> list[JournalEntry]:
        """Add one entry per account (in one transaction) and return them.

        Raises
        ------
        ValueError
            For an unknown ``kind``.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown journal entry kind {kind!r}: expected one of {', '.join(KINDS)}")
        moment = (at or datetime.now(UTC)).astimezone(UTC)
        text = json.dumps(detail, sort_keys=True, default=str)
        accounts = sorted(set(account_ids))
        out = []
        with self._file.transaction() as conn:
            for account_id in accounts:
                cursor = conn.execute(
                    _INSERT, (moment.isoformat(), account_id, kind, actor, role, staff_id, action, text)
                )
                row_id = cursor.lastrowid or 0
                out.append(
                    JournalEntry(
                        row_id, moment, account_id, kind, actor, role, staff_id, action, json.loads(text)
                    )
                )
        return out

    def entries(
        self, account_id: str, *, kind: str | None = None, first: int = 50, before: int | None = None
    ) -> list[JournalEntry]:
        """The account's entries, newest first: ``first`` of them, before the entry id ``before``."""
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown journal entry kind {kind!r}: expected one of {', '.join(KINDS)}")
        with self._file.transaction() as conn:
            rows = conn.execute(_SELECT, (account_id, kind, kind, before, before, first)).fetchall()
        return [
            JournalEntry(
                int(r[0]), datetime.fromisoformat(r[1]), r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8])
            )
            for r in rows
        ]
