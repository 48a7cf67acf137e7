"""GraphQL types of an account's business signals: surveys, usage, support cases, contracts and
opportunities, as of the account's ``asOf`` day.

Leaf types built from the model's records; :class:`BusinessSignals` is what ``Account.businessSignals``
answers. Contacts a signal names are shown only when the caller may see them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import strawberry

from graph import model
from graph.store import AccountSubgraph
from schema import enums as _enums  # noqa: F401  (registers the model's enums first)
from schema.presentation import Hours, Money, Ratio

__all__ = [
    "BusinessSignals",
    "Contract",
    "Opportunity",
    "SupportCase",
    "SurveyResponse",
    "UsageSample",
    "business_signals_from",
]


@strawberry.type(description="One answer to an NPS (0-10) or CSAT (1-5) survey.")
class SurveyResponse:
    id: strawberry.ID
    kind: model.SurveyKind
    score: int = strawberry.field(description="0-10 (NPS) or 1-5 (CSAT).")
    at: date
    contact_id: strawberry.ID | None = strawberry.field(
        description="Who answered (null: anonymous or hidden)."
    )


@strawberry.type(description="Product usage in the period starting `period`.")
class UsageSample:
    period: date
    active_users: int | None
    licensed_users: int | None
    adoption: Ratio | None = strawberry.field(
        description="Adoption share 0-1: reported, or active / licensed users (at most 1)."
    )


@strawberry.type(description="A support case; a complaint is a case raised as one.")
class SupportCase:
    id: strawberry.ID
    opened: date
    closed: date | None = strawberry.field(
        description="Last day of the case; null while open (as of `asOf`)."
    )
    severity: model.CaseSeverity
    first_response_hours: Hours | None
    complaint: bool
    subject: str | None
    contact_id: strawberry.ID | None


@strawberry.type(description="A contract in force from `start` to `end` (its renewal date).")
class Contract:
    id: strawberry.ID
    start: date
    end: date
    value: Money
    signed: date | None
    in_force: bool = strawberry.field(description="Whether `asOf` lies within the term.")


@strawberry.type(description="A sales opportunity; its status is OPEN until its close date has passed.")
class Opportunity:
    id: strawberry.ID
    name: str
    amount: Money
    opened: date
    close_date: date | None
    stage: str | None
    status: model.OpportunityStatus
    renewal: bool
    contact_ids: list[strawberry.ID] = strawberry.field(
        description="Contacts in its buying roles (those you may see)."
    )


@strawberry.type(description="The account's business signals dated on or before `asOf`.")
class BusinessSignals:
    survey_responses: list[SurveyResponse]
    usage: list[UsageSample]
    support_cases: list[SupportCase]
    contracts: list[Contract]
    opportunities: list[Opportunity]


def business_signals_from(subgraph: AccountSubgraph, keeps: Callable[[str | None], bool]) -> BusinessSignals:
    """The :class:`BusinessSignals` of ``subgraph``; contacts ``keeps`` refuses are left out."""
    day = subgraph.as_of

    def contact(cid: str | None) -> strawberry.ID | None:
        return strawberry.ID(cid) if cid is not None and keeps(cid) else None

    return BusinessSignals(
        survey_responses=[
            SurveyResponse(
                id=strawberry.ID(r.id),
                kind=r.kind,
                score=int(r.score),
                at=r.at,
                contact_id=contact(r.contact_id),
            )
            for r in sorted(subgraph.survey_responses, key=lambda r: (r.at, r.id), reverse=True)
        ],
        usage=[
            UsageSample(
                period=u.period,
                active_users=u.active_users,
                licensed_users=u.licensed_users,
                adoption=Ratio(u.adoption_share) if u.adoption_share is not None else None,
            )
            for u in sorted(subgraph.usage_samples, key=lambda u: u.period, reverse=True)
        ],
        support_cases=[
            SupportCase(
                id=strawberry.ID(c.id),
                opened=c.opened,
                closed=c.closed if c.closed is not None and c.closed <= day else None,
                severity=c.severity,
                first_response_hours=Hours(c.first_response_hours)
                if c.first_response_hours is not None
                else None,
                complaint=c.complaint,
                subject=c.subject,
                contact_id=contact(c.contact_id),
            )
            for c in sorted(subgraph.support_cases, key=lambda c: (c.opened, c.id), reverse=True)
        ],
        contracts=[
            Contract(
                id=strawberry.ID(k.id),
                start=k.start,
                end=k.end,
                value=Money(k.value),
                signed=k.signed,
                in_force=k.in_force(day),
            )
            for k in sorted(subgraph.contracts, key=lambda k: (k.end, k.id), reverse=True)
        ],
        opportunities=[
            Opportunity(
                id=strawberry.ID(o.id),
                name=o.name,
                amount=Money(o.amount),
                opened=o.opened,
                close_date=o.close_date,
                stage=o.stage,
                status=o.status_on(day),
                renewal=o.renewal,
                contact_ids=[strawberry.ID(c) for c in o.contact_ids if keeps(c)],
            )
            for o in sorted(subgraph.opportunities, key=lambda o: (o.opened, o.id), reverse=True)
        ],
    )
