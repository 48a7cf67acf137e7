"""The GraphQL view of an account's journal (:mod:`api.journal`): the audit trail and notes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

__all__ = ["JournalEntry", "journal_entry_type"]


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
