"""Account plans in the API: goals, actions with owners and dates, and their changes.

``Account.plan`` reads an account's plan (:mod:`api.plans`, through ``context.plans``);
``setAccountPlan``, ``addPlanAction`` and ``updatePlanAction`` change it. Admins change every plan,
account managers the plans of their own accounts; leadership reads. Every change is kept in the
account's audit trail (``Account.auditTrail``), like the graph's writes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from schema.errors import Forbidden, InvalidInput, NotFound
from schema.fields import mutation
from schema.journal import record_in_journal  # one audit path for every write
from schema.presentation import Score

__all__ = ["AccountPlan", "PlanAction", "PlanMutations", "plan_type"]


@strawberry.type(description="A key contact of a plan and the tie level we aim for with them.")
class KeyContact:
    contact_id: strawberry.ID
    target_level: str = strawberry.field(
        description="VENDOR, CREDIBLE_SOURCE, PROBLEM_SOLVER or TRUSTED_ADVISOR."
    )


@strawberry.type(description="One action of an account plan.")
class PlanAction:
    id: strawberry.ID
    account_id: strawberry.ID
    title: str
    owner_id: strawberry.ID = strawberry.field(description="Our staff member who owns it.")
    contact_id: strawberry.ID | None
    due: date | None
    status: str = strawberry.field(description="OPEN, DONE or DROPPED.")
    source: str = strawberry.field(description="MANUAL or RECOMMENDED (from a recommended meeting).")
    overdue: bool = strawberry.field(description="Open and due before the day asked for.")
    created_at: datetime
    updated_at: datetime


@strawberry.type(description="An account's relationship plan: goals and the actions that reach them.")
class AccountPlan:
    account_id: strawberry.ID
    target_coverage: Score | None
    coverage: Score | None = strawberry.field(
        description="The account's coverage score on the day asked for."
    )
    summary: str | None
    key_contacts: list[KeyContact]
    actions: list[PlanAction]
    updated_at: datetime | None


@strawberry.input(description="A key contact and the tie level to reach.")
class KeyContactInput:
    contact_id: strawberry.ID
    target_level: str


def plan_type(plan: Mapping[str, Any], day: date, coverage: float | None) -> AccountPlan:
    """The GraphQL view on ``day`` of an :class:`api.plans.Plan` as plain data
    (``dataclasses.asdict``: what the scoping redactor reads and writes)."""
    target = plan["target_coverage"]
    return AccountPlan(
        account_id=strawberry.ID(plan["account_id"]),
        target_coverage=None if target is None else Score(target),
        coverage=None if coverage is None else Score(coverage),
        summary=plan["summary"],
        key_contacts=[
            KeyContact(contact_id=strawberry.ID(c), target_level=level.upper())
            for c, level in plan["key_contacts"].items()
        ],
        actions=[action_type(a, day) for a in plan["actions"] if a is not None],
        updated_at=plan["updated_at"],
    )


def action_type(action: Mapping[str, Any], day: date) -> PlanAction:
    """The GraphQL view of an :class:`api.plans.PlanAction` as plain data."""
    due = action["due"]
    return PlanAction(
        id=strawberry.ID(str(action["id"])),
        account_id=strawberry.ID(action["account_id"]),
        title=action["title"],
        owner_id=strawberry.ID(action["owner_id"]),
        contact_id=strawberry.ID(action["contact_id"]) if action["contact_id"] else None,
        due=due,
        status=action["status"].upper(),
        source=action["source"].upper(),
        overdue=action["status"] == "open" and due is not None and due < day,
        created_at=action["created_at"],
        updated_at=action["updated_at"],
    )


PlanPayload = Annotated[AccountPlan | InvalidInput | NotFound | Forbidden, strawberry.union("PlanPayload")]
PlanActionPayload = Annotated[
    PlanAction | InvalidInput | NotFound | Forbidden, strawberry.union("PlanActionPayload")
]


async def _may_plan(info: strawberry.Info, account_id: str) -> Forbidden | NotFound | InvalidInput | None:
    viewer = info.context.viewer
    if not viewer.authenticated:
        return Forbidden(
            message="authentication required: send 'Authorization: Bearer <token>'", required_role="admin"
        )
    if viewer.role == "account_manager":
        if not info.context.scope.can_see_account(account_id):
            return Forbidden(
                message=f"not on the team of {account_id}: you plan your accounts only", required_role="admin"
            )
    elif viewer.role != "admin":
        return Forbidden(
            message=f"role {viewer.role} reads plans; changes need the admin role", required_role="admin"
        )
    if not info.context.store.get_accounts([account_id]):
        return NotFound(message=f"no account with id {account_id!r}", kind="account", id=account_id)
    if info.context.plans is None:
        return InvalidInput(message="this server keeps no plans", field=None)
    return None


def _audit(info: strawberry.Info, account_id: str, detail: dict[str, Any]) -> None:
    record_in_journal(info, [account_id], detail)


def _day(info: strawberry.Info) -> date:
    return info.context.today  # type: ignore[no-any-return]


@strawberry.type
class PlanMutations:
    @mutation(
        description="Set an account plan's goals: target coverage (0-100), summary, key contacts and levels."
    )
    async def set_account_plan(
        self,
        info: strawberry.Info,
        account_id: strawberry.ID,
        target_coverage: float | None = None,
        summary: str | None = None,
        key_contacts: list[KeyContactInput] | None = None,
    ) -> PlanPayload:
        denied = await _may_plan(info, str(account_id))
        if denied is not None:
            return denied
        contacts = {str(k.contact_id): k.target_level.lower() for k in key_contacts or ()}
        try:
            plan = info.context.plans.set_goals(
                str(account_id), target_coverage=target_coverage, summary=summary, key_contacts=contacts
            )
        except ValueError as error:  # the plans' own check (api.plans.PlanError names the field)
            return InvalidInput(message=str(error), field=getattr(error, "field", None))
        _audit(
            info,
            str(account_id),
            {"goals": {"target_coverage": target_coverage, "summary": summary, "key_contacts": contacts}},
        )
        return plan_type(dataclasses.asdict(plan), _day(info), None)

    @mutation(description="Add an action to an account plan (owner: one of our staff; due date optional).")
    async def add_plan_action(
        self,
        info: strawberry.Info,
        account_id: strawberry.ID,
        title: str,
        owner_id: strawberry.ID,
        contact_id: strawberry.ID | None = None,
        due: date | None = None,
        recommended: bool = False,
    ) -> PlanActionPayload:
        denied = await _may_plan(info, str(account_id))
        if denied is not None:
            return denied
        people = info.context.store.get_people([str(owner_id)] + ([str(contact_id)] if contact_id else []))
        owner = people.get(str(owner_id))
        if owner is None or type(owner).__name__ != "Staff":
            return InvalidInput(message=f"ownerId: {owner_id} is not one of our staff", field="ownerId")
        if contact_id is not None and type(people.get(str(contact_id))).__name__ != "Contact":
            return InvalidInput(message=f"contactId: {contact_id} is not a contact", field="contactId")
        try:
            action = info.context.plans.add_action(
                str(account_id),
                title,
                owner_id=str(owner_id),
                contact_id=str(contact_id) if contact_id else None,
                due=due,
                source="recommended" if recommended else "manual",
            )
        except ValueError as error:  # the plans' own check (api.plans.PlanError names the field)
            return InvalidInput(message=str(error), field=getattr(error, "field", None))
        _audit(
            info,
            str(account_id),
            {
                "plan_action": {
                    "id": action.id,
                    "title": action.title,
                    "owner_id": action.owner_id,
                    "contact_id": action.contact_id,
                    "due": action.due,
                }
            },
        )
        return action_type(dataclasses.asdict(action), _day(info))

    @mutation(description="Change a plan action's status (OPEN, DONE, DROPPED), due date or owner.")
    async def update_plan_action(
        self,
        info: strawberry.Info,
        id: strawberry.ID,
        status: str | None = None,
        due: date | None = None,
        owner_id: strawberry.ID | None = None,
    ) -> PlanActionPayload:
        plans = info.context.plans
        found = None if plans is None or not str(id).isdigit() else plans.action(int(str(id)))
        if found is None:
            return NotFound(message=f"no plan action with id {id!r}", kind="plan_action", id=str(id))
        denied = await _may_plan(info, found.account_id)
        if denied is not None:
            return (
                NotFound(message=f"no plan action with id {id!r}", kind="plan_action", id=str(id))
                if isinstance(denied, Forbidden) and info.context.viewer.role == "account_manager"
                else denied
            )
        try:
            action = plans.update_action(
                int(str(id)),
                status=status.lower() if status else None,
                due=due,
                owner_id=str(owner_id) if owner_id else None,
            )
        except ValueError as error:  # the plans' own check (api.plans.PlanError names the field)
            return InvalidInput(message=str(error), field=getattr(error, "field", None))
        _audit(
            info,
            found.account_id,
            {
                "plan_action": {
                    "id": action.id,
                    "status": action.status,
                    "due": action.due,
                    "owner_id": action.owner_id,
                }
            },
        )
        return action_type(dataclasses.asdict(action), _day(info))
