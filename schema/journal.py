"""The GraphQL view of an account's journal (:mod:`api.journal`): the audit trail and notes, and
:func:`record_in_journal`, the one audit path of every write."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

__all__ = ["JournalEntry", "journal_entry_type", "record_in_journal"]

_log = logging.getLogger(__name__)


@strawberry.type(description="One entry of an account's journal: a write (the audit trail) or a note.")
class JournalEntry:
    id: strawberry.ID
    at: datetime
    kind: str = strawberry.field(description="WRITE or NOTE (enum casing).")
    actor: str | None = strawberry.field(description="The token's name.")
    role: str
    staff_id: strawberry.ID | None
    action: str = strawberry.field(description="The mutation (recordInteraction, addNote, ...).")
    detail: JSON = strawberry.field(
        description="What was written: the input, and the records created and updated (a note: its text)."
    )


def journal_entry_type(entry: Any, detail: Any) -> JournalEntry:
    """The GraphQL view of an :class:`api.journal.JournalEntry` (``detail`` as the caller may see it)."""
    return JournalEntry(
        id=strawberry.ID(str(entry.id)),
        at=entry.at,
        kind=str(entry.kind).upper(),
        actor=entry.actor,
        role=entry.role,
        staff_id=strawberry.ID(entry.staff_id) if entry.staff_id else None,
        action=entry.action,
        detail=detail,
    )


def record_in_journal(
    info: strawberry.Info, accounts: Iterable[str], detail: dict[str, Any], kind: str = "write"
) -> list[Any]:
    """Keep the write in the journal of each account; a failure is logged, the write stands."""
    journal = info.context.journal
    accounts = sorted(set(accounts))
    if journal is None or not accounts:
        return []
    viewer = info.context.viewer
    try:
        entries: list[Any] = journal.record(
            accounts,
            kind=kind,
            actor=viewer.token_name,
            role=viewer.role,
            staff_id=viewer.staff_id,
            action=info.field_name,
            detail=detail,
        )
    except Exception:  # the graph is the store of record: its write stands
        _log.exception("could not record %s of %s in the journal", info.field_name, ", ".join(accounts))
        return []
    return entries
