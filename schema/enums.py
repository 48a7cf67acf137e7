"""The model's enumerations, registered once as GraphQL enums (values are the model's values)."""

from __future__ import annotations

import strawberry

from graph import model

__all__ = [
    "AssessedLevel",
    "InteractionKind",
    "Level",
    "PoliticalStatus",
    "ReferralStatus",
    "Role",
    "Stance",
    "TeamRole",
    "Tier",
]

Tier = strawberry.enum(model.Tier, name="Tier", description="Account tier of the KAM pyramid.")
Level = strawberry.enum(model.Level, name="Level", description="Organisational level of a person.")
Stance = strawberry.enum(model.Stance, name="Stance", description="A contact's stance toward us.")
PoliticalStatus = strawberry.enum(
    model.PoliticalStatus,
    name="PoliticalStatus",
    description="Where a contact stands in the power structure.",
)
Role = strawberry.enum(model.Role, name="Role", description="Buying-centre role at one account.")
TeamRole = strawberry.enum(model.TeamRole, name="TeamRole", description="Role on one of our account teams.")
InteractionKind = strawberry.enum(
    model.InteractionKind, name="InteractionKind", description="Kind of interaction."
)
AssessedLevel = strawberry.enum(
    model.AssessedLevel, name="AssessedLevel", description="A rep's rating of a tie, weakest first."
)
ReferralStatus = strawberry.enum(
    model.ReferralStatus, name="ReferralStatus", description="Outcome of a referral."
)
