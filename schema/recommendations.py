"""GraphQL types of the recommended next meetings (:mod:`graph.analysis.recommendations`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import strawberry

from graph import model
from schema.fields import field
from schema.presentation import Money, Score, Strength
from schema.types import Person, load_person

__all__ = ["RecommendedAction", "action_from"]


@strawberry.type(
    description=(
        "A recommended meeting: `staffId` builds a tie with `contactId`; the account analysed again with "
        "that tie (strength plannedTieStrength, 0.7) gives what it adds. value = annual revenue x "
        "coverageGain / 100 + max(revenueProtected, 0)."
    )
)
class RecommendedAction:
    staff_id: strawberry.ID
    contact_id: strawberry.ID
    introducer_id: strawberry.ID | None = strawberry.field(
        description="The contact before the target on our best current path to them: who can introduce."
    )
    tie_before: Strength
    coverage_before: Score
    coverage_after: Score
    coverage_gain: Score
    revenue_at_risk_before: Money
    revenue_at_risk_after: Money
    revenue_protected: Money = strawberry.field(
        description="Revenue at risk taken away (negative when the tie concentrates more on one person)."
    )
    value: Money
    threads_before: int
    threads_after: int
    levels_closed: list[model.Level]
    roles_improved: list[model.Role]
    evidence: list[str]
    as_of: strawberry.Private[date]

    @field(description="Our staff member (null when outside your scope).")
    async def staff(self, info: strawberry.Info) -> Person | None:
        return await load_person(info, str(self.staff_id), self.as_of)

    @field(description="Their contact (null when outside your scope).")
    async def contact(self, info: strawberry.Info) -> Person | None:
        return await load_person(info, str(self.contact_id), self.as_of)


def action_from(data: Mapping[str, Any], as_of: date) -> RecommendedAction:
    """A :class:`RecommendedAction` from plain data."""
    return RecommendedAction(
        staff_id=strawberry.ID(data["staff_id"]),
        contact_id=strawberry.ID(data["contact_id"]),
        introducer_id=strawberry.ID(data["introducer"]) if data.get("introducer") else None,
        tie_before=Strength(float(data["tie_before"])),
        coverage_before=Score(float(data["coverage_before"])),
        coverage_after=Score(float(data["coverage_after"])),
        coverage_gain=Score(float(data["coverage_gain"])),
        revenue_at_risk_before=Money(float(data["revenue_at_risk_before"])),
        revenue_at_risk_after=Money(float(data["revenue_at_risk_after"])),
        revenue_protected=Money(float(data["revenue_protected"])),
        value=Money(float(data["value"])),
        threads_before=int(data["threads_before"]),
        threads_after=int(data["threads_after"]),
        levels_closed=[model.Level(v) for v in data["levels_closed"]],
        roles_improved=[model.Role(v) for v in data["roles_improved"]],
        evidence=[str(e) for e in data["evidence"]],
        as_of=as_of,
    )
