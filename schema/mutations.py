"""The root ``Mutation`` type: upserts of every record kind, job changes, batch imports and notes.

Every mutation needs an ``admin`` role (``service`` tokens configured as admin included), except
what an **account manager** does on the accounts they are on: log an interaction
(``recordInteraction``: about their accounts only, with people they may see), rate their own tie
(``assessTie``: their staff id, a contact of their accounts) and add a note (``addNote``).
Leadership reads. Each mutation answers with a union: its payload, or
:class:`~schema.errors.Forbidden`, :class:`~schema.errors.InvalidInput` (naming the field) or
:class:`~schema.errors.NotFound`. Writes go through :meth:`GraphStore.write`, so each one is
atomic and idempotent, and every write that changed something is kept in the journal (who, when,
which mutation, what it wrote) of each account it touched, readable as ``Account.auditTrail``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import Annotated, Any

import strawberry

from graph import model
from graph.model import ModelError
from graph.services import job_changes
from graph.store import GraphBatch, IntegrityError, NotFoundError, WriteSummary
from schema.analyses import to_jsonable
from schema.errors import Forbidden, InvalidInput, NotFound
from schema.fields import mutation
from schema.inputs import (
    AccountInput,
    AssessmentInput,
    ContactInput,
    EmploymentInput,
    ImportBatchInput,
    InfluenceLineInput,
    InteractionInput,
    ReferralInput,
    ReportingLineInput,
    StaffInput,
    TeamMembershipInput,
    to_record,
)
from schema.journal import JournalEntry, journal_entry_type, record_in_journal
from schema.scoping import visible_people
from schema.types import Employment, employment_type

__all__ = ["JobChangeResult", "Mutation", "WriteResult"]

MAX_IMPORT_RECORDS = 5000
#: Longest note, in characters.
MAX_NOTE_CHARS = 4000

_log = logging.getLogger(__name__)


@strawberry.type(description="Per-kind counts of a write.")
class KindCount:
    kind: str
    created: int
    updated: int
    unchanged: int


@strawberry.type(description="What a write did: counts per record kind and the accounts it touched.")
class WriteResult:
    created: int
    updated: int
    unchanged: int
    kinds: list[KindCount]
    touched_accounts: list[strawberry.ID]


@strawberry.type(description="A job change: the position ended and the new one started.")
class JobChangeResult:
    contact_id: strawberry.ID
    old: Employment
    new: Employment


WritePayload = Annotated[WriteResult | InvalidInput | NotFound | Forbidden, strawberry.union("WritePayload")]
NotePayload = Annotated[JournalEntry | InvalidInput | NotFound | Forbidden, strawberry.union("NotePayload")]
MoveContactPayload = Annotated[
    JobChangeResult | InvalidInput | NotFound | Forbidden, strawberry.union("MoveContactPayload")
]


def _forbidden(info: strawberry.Info) -> Forbidden | None:
    viewer = info.context.viewer
    if not viewer.authenticated:
        return Forbidden(
            message="authentication required: send 'Authorization: Bearer <token>'", required_role="admin"
        )
    if not viewer.can_write:
        return Forbidden(
            message=f"role {viewer.role} cannot write; writes need the admin role", required_role="admin"
        )
    return None


def _summary(summary: WriteSummary) -> WriteResult:
    kinds = [
        KindCount(kind=k, created=c.created, updated=c.updated, unchanged=c.unchanged)
        for k, c in summary.kinds.items()
        if c.created or c.updated or c.unchanged
    ]
    return WriteResult(
        created=sum(k.created for k in kinds),
        updated=sum(k.updated for k in kinds),
        unchanged=sum(k.unchanged for k in kinds),
        kinds=kinds,
        touched_accounts=[strawberry.ID(a) for a in sorted(summary.touched_accounts)],
    )


def _invalid(error: ModelError, prefix: str = "") -> InvalidInput:
    return InvalidInput(message=str(error), field=f"{prefix}{error.field}")


def _write(
    info: strawberry.Info, inputs: Iterable[tuple[str, Any]], *, checked: bool = False
) -> WriteResult | InvalidInput | Forbidden:
    """Write the inputs in one batch; ``checked`` when the caller's right was checked already."""
    if not checked:
        denied = _forbidden(info)
        if denied is not None:
            return denied
    inputs = list(inputs)
    batch = GraphBatch()
    for path, value in inputs:
        try:
            batch.add(to_record(value))
        except ModelError as error:
            return _invalid(error, f"{path}.")
    if batch.size() > MAX_IMPORT_RECORDS:
        return InvalidInput(
            message=f"a batch holds at most {MAX_IMPORT_RECORDS} records, got {batch.size()}", field="batch"
        )
    try:
        summary = info.context.store.write(batch)
    except IntegrityError as error:
        return InvalidInput(message=str(error), field=None)
    result = _summary(summary)
    if result.created or result.updated:
        record_in_journal(
            info, summary.touched_accounts, {"input": [to_jsonable(v) for _, v in inputs], **_counts(result)}
        )
    return result


def _counts(result: WriteResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "kinds": {k.kind: k.created + k.updated for k in result.kinds},
    }


async def _rep_write(
    info: strawberry.Info, input: Any, may: Callable[[strawberry.Info, Any], Awaitable[Forbidden | None]]
) -> WriteResult | InvalidInput | Forbidden:
    """Write ``input`` as an admin may, or as an account manager when ``may`` allows its record."""
    if not _account_manager(info):
        return _write(info, _one("input", input))
    try:
        record = to_record(input)
    except ModelError as error:
        return _invalid(error, "input.")
    denied = await may(info, record)
    return denied if denied is not None else _write(info, _one("input", input), checked=True)


def _account_manager(info: strawberry.Info) -> bool:
    return bool(info.context.viewer.role == "account_manager" and info.context.viewer.staff_id)


def _not_yours(message: str) -> Forbidden:
    return Forbidden(message=message, required_role="admin")


async def _rep_may_record(info: strawberry.Info, record: model.Interaction) -> Forbidden | None:
    """An account manager logs interactions about their own accounts, with people they may see."""
    scope = info.context.scope
    if not record.accounts:
        return _not_yours("an account manager logs interactions about their accounts: give input.accounts")
    foreign = [a for a in record.accounts if not scope.can_see_account(a)]
    if foreign:
        return _not_yours(
            f"not on the team of {', '.join(foreign)}: you log interactions of your accounts only"
        )
    seen = await visible_people(info, record.participants)
    hidden = [p for p in record.participants if p not in seen]
    if hidden:
        return _not_yours(f"participants outside your accounts (or unknown): {', '.join(hidden)}")
    return None


async def _rep_may_assess(info: strawberry.Info, record: model.Assessment) -> Forbidden | None:
    """An account manager rates their own ties with the contacts of their accounts."""
    viewer = info.context.viewer
    if record.staff_id != viewer.staff_id:
        return _not_yours(f"you rate your own ties: input.staffId must be {viewer.staff_id}")
    if record.contact_id not in await visible_people(info, [record.contact_id]):
        return _not_yours(f"{record.contact_id} is not a contact of your accounts")
    return None


def _one(name: str, value: Any) -> list[tuple[str, Any]]:
    return [(name, value)]


@strawberry.type
class Mutation:
    @mutation(description="Create or update an account.")
    def upsert_account(self, info: strawberry.Info, input: AccountInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(description="Create or update a contact.")
    def upsert_contact(self, info: strawberry.Info, input: ContactInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(description="Create or update a staff member.")
    def upsert_staff(self, info: strawberry.Info, input: StaffInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(description="Create or update a position (keyed by contact, account and since).")
    def upsert_employment(self, info: strawberry.Info, input: EmploymentInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(description="Create or update a team membership.")
    def upsert_team_membership(self, info: strawberry.Info, input: TeamMembershipInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(description="Create or update a reporting line.")
    def upsert_reporting_line(self, info: strawberry.Info, input: ReportingLineInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(description="Create or update an influence line.")
    def upsert_influence_line(self, info: strawberry.Info, input: InfluenceLineInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(
        description=(
            "Record (or update) an interaction with its participants. Account managers: about their "
            "accounts, with people they may see."
        )
    )
    async def record_interaction(self, info: strawberry.Info, input: InteractionInput) -> WritePayload:
        return await _rep_write(info, input, _rep_may_record)

    @mutation(
        description=(
            "A rep's own rating of a tie (sets a floor under its strength). Account managers rate their "
            "own ties with the contacts of their accounts."
        )
    )
    async def assess_tie(self, info: strawberry.Info, input: AssessmentInput) -> WritePayload:
        return await _rep_write(info, input, _rep_may_assess)

    @mutation(description=f"Add a note to an account's journal (1-{MAX_NOTE_CHARS} characters).")
    async def add_note(self, info: strawberry.Info, account_id: strawberry.ID, text: str) -> NotePayload:
        if not _account_manager(info):
            denied = _forbidden(info)
            if denied is not None:
                return denied
        elif not info.context.scope.can_see_account(str(account_id)):
            return _not_yours(f"not on the team of {account_id}: you add notes to your accounts only")
        body = text.strip()
        if not 1 <= len(body) <= MAX_NOTE_CHARS:
            return InvalidInput(message=f"text: a note has 1 to {MAX_NOTE_CHARS} characters", field="text")
        if not info.context.store.get_accounts([str(account_id)]):
            return NotFound(message=f"no account with id {account_id!r}", kind="account", id=str(account_id))
        if info.context.journal is None:
            return InvalidInput(message="this server keeps no journal", field=None)
        entries = record_in_journal(info, [str(account_id)], {"text": body}, kind="note")
        if not entries:
            return InvalidInput(message="the note could not be recorded; try again", field=None)
        return journal_entry_type(entries[0], dict(entries[0].detail))

    @mutation(description="Record that an account or contact referred an account.")
    def link_referral(self, info: strawberry.Info, input: ReferralInput) -> WritePayload:
        return _write(info, _one("input", input))

    @mutation(
        description=(
            "Set a contact's buying roles on their position at an account (held on `asOf`, default today)."
        )
    )
    def set_roles(
        self,
        info: strawberry.Info,
        contact_id: strawberry.ID,
        account_id: strawberry.ID,
        roles: list[model.Role],
        as_of: date | None = None,
    ) -> WritePayload:
        denied = _forbidden(info)
        if denied is not None:
            return denied
        day = as_of or info.context.today
        store = info.context.store
        positions = store.employments_of([str(contact_id)]).get(str(contact_id), [])
        current = [e for e in positions if e.account_id == str(account_id) and e.active_on(day)]
        if not current:
            return NotFound(
                message=f"contact {contact_id} holds no position at {account_id} on {day.isoformat()}",
                kind="employment",
                id=f"{contact_id}@{account_id}",
            )
        position = max(current, key=lambda e: e.since or date.min)
        updated = model.Employment(
            contact_id=position.contact_id,
            account_id=position.account_id,
            title=position.title,
            department=position.department,
            level=position.level,
            roles=frozenset(roles),
            since=position.since,
            until=position.until,
        )
        return _summary(store.write(GraphBatch(employments=[updated])))

    @mutation(
        description=(
            "A job change: end the contact's open positions the day before `input.since`, start `input`."
        )
    )
    def move_contact(self, info: strawberry.Info, input: EmploymentInput) -> MoveContactPayload:
        denied = _forbidden(info)
        if denied is not None:
            return denied
        if input.since is None:
            return InvalidInput(
                message="input.since: a job change needs the new position's start day", field="input.since"
            )
        try:
            new = to_record(input)
        except ModelError as error:
            return _invalid(error, "input.")
        try:
            change = job_changes.move_contact(info.context.store, new)
        except job_changes.MissingRecord as error:
            return NotFound(message=str(error), kind=error.kind, id=error.id)
        except NotFoundError as error:
            return NotFound(message=str(error), kind="contact", id=new.contact_id)
        except IntegrityError as error:
            return InvalidInput(message=str(error), field="input")
        day = info.context.today
        return JobChangeResult(
            contact_id=strawberry.ID(change.contact_id),
            old=employment_type(change.old, day),
            new=employment_type(change.new, day),
        )

    @mutation(
        description=f"Write records of any kind in one transaction (at most {MAX_IMPORT_RECORDS} records)."
    )
    def import_batch(self, info: strawberry.Info, batch: ImportBatchInput) -> WritePayload:
        inputs: list[tuple[str, Any]] = []
        for name in (
            "accounts",
            "contacts",
            "staff",
            "employments",
            "reporting_lines",
            "influence_lines",
            "team_memberships",
            "interactions",
            "assessments",
            "referrals",
        ):
            for index, value in enumerate(getattr(batch, name)):
                inputs.append((f"batch.{_camel(name)}[{index}]", value))
        return _write(info, inputs)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.title() for p in rest)
