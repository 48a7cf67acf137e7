"""GraphQL input types and their conversion to domain records (with field-named errors)."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry

from graph import model
from schema import enums as _enums  # noqa: F401  (registers the model's enums first)

__all__ = [
    "AccountFilterInput",
    "AccountInput",
    "AccountOrder",
    "AssessmentInput",
    "ContactInput",
    "EmploymentInput",
    "ImportBatchInput",
    "InfluenceLineInput",
    "InteractionInput",
    "ReferralInput",
    "ReportingLineInput",
    "RevenueSinceInput",
    "StaffInput",
    "StanceSinceInput",
    "TeamMembershipInput",
    "TierSinceInput",
]


@strawberry.enum(description="Orderings of the accounts connection.")
class AccountOrder(Enum):
    NAME = "name"
    REVENUE = "revenue"
    REVENUE_AT_RISK = "revenue_at_risk"
    HEALTH = "health"
    ID = "id"


@strawberry.input(description="Filters of the accounts connection; null means any.")
class AccountFilterInput:
    tier: model.Tier | None = None
    owner: strawberry.ID | None = None
    industry: str | None = None
    region: str | None = None
    name_contains: str | None = None
    ids: list[strawberry.ID] | None = None


@strawberry.input(description="The tier an account holds from `since` on (until the next entry).")
class TierSinceInput:
    since: date
    tier: model.Tier


@strawberry.input(description="The annual revenue of an account from `since` on (until the next entry).")
class RevenueSinceInput:
    since: date
    annual_revenue: float


@strawberry.input(description="A contact's stance toward us from `since` on (until the next entry).")
class StanceSinceInput:
    since: date
    stance: model.Stance


@strawberry.input
class AccountInput:
    id: strawberry.ID
    name: str
    industry: str | None = None
    region: str | None = None
    tier: model.Tier = model.Tier.KEY
    annual_revenue: float = 0.0
    potential_revenue: float = 0.0
    owner: strawberry.ID | None = None
    domains: list[str] = strawberry.field(default_factory=list)
    strategic_fit: int | None = None
    relationship_cost: int | None = None
    tier_history: list[TierSinceInput] = strawberry.field(
        default_factory=list, description="Earlier tiers, so `asOf` analyses see the tier of their day."
    )
    revenue_history: list[RevenueSinceInput] = strawberry.field(
        default_factory=list, description="Earlier annual revenues, so `asOf` analyses see the revenue then."
    )


@strawberry.input
class ContactInput:
    id: strawberry.ID
    name: str
    email: str | None = None
    title: str | None = None
    department: str | None = None
    level: model.Level | None = None
    influence: int | None = None
    stance: model.Stance = model.Stance.NEUTRAL
    political_status: model.PoliticalStatus | None = None
    stance_history: list[StanceSinceInput] = strawberry.field(
        default_factory=list, description="Earlier stances, so `asOf` analyses see the stance then."
    )


@strawberry.input
class StaffInput:
    id: strawberry.ID
    name: str
    email: str | None = None
    title: str | None = None
    level: model.Level | None = None
    team_role: model.TeamRole | None = None
    until: date | None = strawberry.field(
        default=None, description="Last day with us: from the next day on the person is no longer our staff."
    )


@strawberry.input
class EmploymentInput:
    contact_id: strawberry.ID
    account_id: strawberry.ID
    title: str | None = None
    department: str | None = None
    level: model.Level | None = None
    roles: list[model.Role] = strawberry.field(default_factory=list)
    since: date | None = None
    until: date | None = None


@strawberry.input
class TeamMembershipInput:
    staff_id: strawberry.ID
    account_id: strawberry.ID
    team_role: model.TeamRole
    since: date | None = None
    until: date | None = None


@strawberry.input
class ReportingLineInput:
    contact_id: strawberry.ID
    manager_id: strawberry.ID
    since: date | None = None
    until: date | None = None


@strawberry.input
class InfluenceLineInput:
    source_id: strawberry.ID
    target_id: strawberry.ID
    weight: float = strawberry.field(default=0.5, description="In (0, 1].")
    kind: model.RelationKind = strawberry.field(
        default=model.RelationKind.INFLUENCES,
        description="A pair may hold one line of each kind; a symmetric kind holds both ways.",
    )


@strawberry.input
class InteractionInput:
    id: strawberry.ID
    kind: model.InteractionKind
    at: datetime
    source: str = "api"
    subject: str | None = None
    participants: list[strawberry.ID] = strawberry.field(default_factory=list)
    accounts: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class AssessmentInput:
    staff_id: strawberry.ID
    contact_id: strawberry.ID
    level: model.AssessedLevel
    at: date


@strawberry.input
class ReferralInput:
    source_id: strawberry.ID
    source_kind: str = strawberry.field(description="account or contact")
    target_id: strawberry.ID
    at: date
    status: model.ReferralStatus = model.ReferralStatus.LEAD
    value: float = 0.0


@strawberry.input(description="Records of every kind, written in one transaction (all or nothing).")
class ImportBatchInput:
    accounts: list[AccountInput] = strawberry.field(default_factory=list)
    contacts: list[ContactInput] = strawberry.field(default_factory=list)
    staff: list[StaffInput] = strawberry.field(default_factory=list)
    employments: list[EmploymentInput] = strawberry.field(default_factory=list)
    reporting_lines: list[ReportingLineInput] = strawberry.field(default_factory=list)
    influence_lines: list[InfluenceLineInput] = strawberry.field(default_factory=list)
    team_memberships: list[TeamMembershipInput] = strawberry.field(default_factory=list)
    interactions: list[InteractionInput] = strawberry.field(default_factory=list)
    assessments: list[AssessmentInput] = strawberry.field(default_factory=list)
    referrals: list[ReferralInput] = strawberry.field(default_factory=list)


_RECORDS: dict[type[Any], type[Any]] = {
    AccountInput: model.Account,
    ContactInput: model.Contact,
    StaffInput: model.Staff,
    EmploymentInput: model.Employment,
    TeamMembershipInput: model.TeamMembership,
    ReportingLineInput: model.ReportingLine,
    InfluenceLineInput: model.InfluenceLine,
    InteractionInput: model.Interaction,
    AssessmentInput: model.Assessment,
    ReferralInput: model.Referral,
}


def to_record(value: Any) -> Any:
    """The domain record of an input object; raises :class:`graph.model.ModelError` when invalid.

    Examples
    --------
    >>> to_record(AccountInput(id="acme", name="Acme")).name
    'Acme'
    """
    record_type = _RECORDS[type(value)]
    fields = {k: v for k, v in vars(value).items()}
    for key, item in list(fields.items()):
        if key in _HISTORIES:
            fields[key] = tuple((entry.since, getattr(entry, _HISTORIES[key])) for entry in item)
        elif isinstance(item, list):
            fields[key] = frozenset(item) if key == "roles" else tuple(str(x) for x in item)
    return record_type(**fields)


#: History fields of the inputs, and the field of each entry that holds the value.
_HISTORIES = {"tier_history": "tier", "revenue_history": "annual_revenue", "stance_history": "stance"}
