"""The alert inbox in the API: the ``alertInbox`` query and the acknowledge / snooze / resolve mutations.

The inbox itself is :mod:`api.notify.inbox` (the app puts it in the request context). Who sees
and who acts:

* **Reading** (``alertInbox``): leadership and admins see every alert; an account manager sees
  the alerts of the accounts whose team they are on today, and of those only the ones that name
  nobody and nothing outside their scope (the rule of :mod:`schema.scoping`).
* **Acting** (``acknowledgeAlert``, ``snoozeAlert``, ``resolveAlert``): an account manager on
  the alerts they can read (their own accounts), admins on every alert. Leadership reads
  everything but writes nothing (:mod:`schema.permissions`), so it gets :class:`Forbidden`. An
  alert the caller cannot read is :class:`NotFound`, as if it did not exist.

Every mutation answers ``AlertState | NotFound | Forbidden | InvalidInput``; ``InvalidInput``
for a change the alert's status does not allow (acknowledging a resolved alert, resolving one
twice) or a snooze that does not end after today.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, date, datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.permission import BasePermission

from api.notify.inbox import OPEN_STATUSES, AlertNotFound, InvalidTransition
from api.notify.inbox import AlertState as InboxAlert
from schema.analysis_types import Alert, alert_from
from schema.connection import PageInfo
from schema.errors import Forbidden, InvalidArgument, InvalidInput, NotFound, PublicError
from schema.fields import field, mutation
from schema.permissions import IsAuthenticated
from schema.scoping import redacted

__all__ = ["AlertInboxMutations", "AlertInboxQuery", "AlertState", "AlertStatus"]

_AUTH: list[type[BasePermission]] = [IsAuthenticated]
MAX_INBOX_PAGE = 100


@strawberry.enum(description="Where an alert stands in the inbox.")
class AlertStatus(Enum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"


@strawberry.type(description="One change of an inbox alert.")
class AlertEvent:
    at: datetime
    actor: str = strawberry.field(description="A staff id, a token name, `refresh`, `clock` or `escalation`.")
    action: str
    status: AlertStatus = strawberry.field(description="The status after the change.")
    detail: str | None


@strawberry.type(description="An alert of the inbox: the alert, its status, owner and history.")
class AlertState:
    key: strawberry.ID = strawberry.field(description="The inbox key (from kind, account and person).")
    alert: Alert
    status: AlertStatus
    snoozed_until: date | None = strawberry.field(description="Snoozed through this day (shows again after).")
    account_name: str | None
    owner_id: strawberry.ID | None = strawberry.field(
        description="The account's rep on the day (team role account_rep), else its owner."
    )
    owner_name: str | None
    first_seen: datetime
    last_seen: datetime
    open_since: datetime = strawberry.field(description="When the current episode opened (escalation clock).")
    age_days: int = strawberry.field(description="Whole days since `openSince`.")
    raised: bool = strawberry.field(description="Whether the last refresh raised it.")
    changed_at: datetime
    changed_by: str
    resolved_by: str | None = strawberry.field(description="Who resolved it (`refresh`: no longer raised).")
    note: str | None
    notified: list[str] = strawberry.field(description="Escalation steps sent: owner, manager, leadership.")
    history: list[AlertEvent]


@strawberry.type(description="A page of inbox alerts: most severe first, then oldest first.")
class AlertInboxPage:
    nodes: list[AlertState]
    page_info: PageInfo
    total_count: int


AlertActionPayload = Annotated[
    AlertState | NotFound | Forbidden | InvalidInput, strawberry.union("AlertActionPayload")
]


def _state(info: strawberry.Info, state: InboxAlert, now: datetime) -> AlertState:
    history = info.context.inbox.history(state.key)
    return AlertState(
        key=strawberry.ID(state.key),
        alert=alert_from(state.alert.to_payload()),
        status=AlertStatus(state.status),
        snoozed_until=state.snoozed_until,
        account_name=state.account_name,
        owner_id=strawberry.ID(state.owner_id) if state.owner_id else None,
        owner_name=state.owner_name,
        first_seen=state.first_seen,
        last_seen=state.last_seen,
        open_since=state.opened_at,
        age_days=state.age_days(now),
        raised=state.raised,
        changed_at=state.changed_at,
        changed_by=state.changed_by,
        resolved_by=state.resolved_by,
        note=state.note,
        notified=list(state.notified),
        history=[
            AlertEvent(at=h.at, actor=h.actor, action=h.action, status=AlertStatus(h.status), detail=h.detail)
            for h in history
        ],
    )


def _inbox(info: strawberry.Info) -> Any:
    inbox = info.context.inbox
    if inbox is None:
        raise PublicError("the alert inbox is not available on this server")
    return inbox


async def _visible(info: strawberry.Info, state: InboxAlert) -> bool:
    """Whether the caller may read this alert (see the module notes)."""
    scope = info.context.scope
    if scope.unrestricted:
        return True
    account_id = state.alert.account_id
    if account_id is None or not scope.can_see_account(account_id):
        return False
    return await redacted(info, account_id, info.context.today, state.alert.to_payload()) is not None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps(["alerts", offset]).encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        kind, offset = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, TypeError):
        kind, offset = None, None
    if kind != "alerts" or not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidArgument("after: not a cursor of the alert inbox", "after")
    return offset


def _actor(info: strawberry.Info) -> str:
    viewer = info.context.viewer
    return str(viewer.staff_id or viewer.token_name or viewer.role)


@strawberry.type
class AlertInboxQuery:
    @field(
        permission_classes=_AUTH,
        description="The alert inbox: by default the open alerts (NEW, ACKNOWLEDGED, SNOOZED) you may "
        "see, most severe first, then oldest first; `first` (1-100) after `after`.",
    )
    async def alert_inbox(
        self,
        info: strawberry.Info,
        status: Annotated[
            list[AlertStatus] | None,
            strawberry.argument(description="Only these statuses (default: the open ones)."),
        ] = None,
        first: int = 50,
        after: str | None = None,
    ) -> AlertInboxPage:
        if not 1 <= first <= MAX_INBOX_PAGE:
            raise PublicError(f"first must be between 1 and {MAX_INBOX_PAGE}, got {first}")
        start = _offset(after)
        inbox = _inbox(info)
        now = datetime.now(UTC)
        wanted = OPEN_STATUSES if status is None else tuple(s.value for s in status)
        states = [s for s in inbox.alerts(wanted, now=now) if await _visible(info, s)]
        page = states[start : start + first]
        end = start + len(page)
        return AlertInboxPage(
            nodes=[_state(info, s, now) for s in page],
            page_info=PageInfo(has_next_page=end < len(states), end_cursor=_cursor(end) if page else None),
            total_count=len(states),
        )


async def _act(
    info: strawberry.Info, key: str, change: Any
) -> AlertState | NotFound | Forbidden | InvalidInput:
    viewer = info.context.viewer
    if not viewer.authenticated:
        return Forbidden(
            message="authentication required: send 'Authorization: Bearer <token>'",
            required_role="account_manager",
        )
    if viewer.role not in ("account_manager", "admin"):
        return Forbidden(
            message=f"role {viewer.role} reads alerts but cannot change them; the account's "
            "manager or an admin can",
            required_role="account_manager",
        )
    inbox = _inbox(info)
    missing = NotFound(message=f"no alert with key {key!r} in your inbox", kind="alert", id=key)
    try:
        state = inbox.get(key)
    except AlertNotFound:
        return missing
    if not await _visible(info, state):
        return missing
    now = datetime.now(UTC)
    try:
        changed = change(inbox, now)
    except AlertNotFound:
        return missing
    except InvalidTransition as error:
        return InvalidInput(message=str(error), field=error.field)
    return _state(info, changed, now)


@strawberry.type
class AlertInboxMutations:
    @mutation(description="Acknowledge an alert (someone is on it): no further escalation.")
    async def acknowledge_alert(self, info: strawberry.Info, key: strawberry.ID) -> AlertActionPayload:
        actor = _actor(info)
        return await _act(
            info, str(key), lambda inbox, now: inbox.acknowledge(str(key), actor=actor, now=now)
        )

    @mutation(description="Snooze an open alert through `until` (after today): it shows again the day after.")
    async def snooze_alert(
        self, info: strawberry.Info, key: strawberry.ID, until: date
    ) -> AlertActionPayload:
        actor = _actor(info)
        return await _act(
            info, str(key), lambda inbox, now: inbox.snooze(str(key), until, actor=actor, now=now)
        )

    @mutation(description="Resolve an open alert, with an optional note.")
    async def resolve_alert(
        self, info: strawberry.Info, key: strawberry.ID, note: str | None = None
    ) -> AlertActionPayload:
        actor = _actor(info)
        text = note.strip()[:1000] if note and note.strip() else None
        return await _act(
            info, str(key), lambda inbox, now: inbox.resolve(str(key), actor=actor, note=text, now=now)
        )
