"""The GraphQL object types: accounts, people (contacts and staff), employment, teams, interactions.

Objects carry their domain record (``strawberry.Private``) and the ``asOf`` day they were
asked for, so nested fields (a contact's employer, an account's team) read the graph as of the
same day. Every nested field goes through the request's loaders and scope: an account manager
never reaches an account or person outside their teams, however deep or aliased the query.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON

from graph import model
from schema.analyses import HEALTH_RESULT, to_jsonable
from schema.enums import (
    AssessedLevel,
    InteractionKind,
    Level,
    PoliticalStatus,
    ReferralStatus,
    Role,
    Stance,
    TeamRole,
    Tier,
)

__all__ = [
    "Account",
    "AccountAnalysis",
    "AssessedLevel",
    "Contact",
    "Employment",
    "Health",
    "Interaction",
    "InteractionKind",
    "Level",
    "Person",
    "PoliticalStatus",
    "ReferralStatus",
    "Role",
    "Staff",
    "Stance",
    "TeamMember",
    "TeamRole",
    "Tier",
    "account_type",
    "person_type",
]


def _ctx(info: strawberry.Info) -> Any:
    return info.context


@strawberry.interface(description="A person: one of our staff or a contact at a customer.")
class Person:
    id: strawberry.ID
    name: str
    email: str | None
    title: str | None
    level: model.Level | None


@strawberry.type(description="A dated position of a contact at an account, with its buying roles.")
class Employment:
    account_id: strawberry.ID
    contact_id: strawberry.ID
    title: str | None
    department: str | None
    level: model.Level | None
    roles: list[model.Role]
    since: date | None
    until: date | None
    as_of: strawberry.Private[date]

    @strawberry.field(description="Whether the position is held on the query's `asOf` day.")
    def active(self) -> bool:
        return (self.since is None or self.since <= self.as_of) and (
            self.until is None or self.as_of <= self.until
        )

    @strawberry.field(description="The account (null when it is outside your scope).")
    async def account(self, info: strawberry.Info) -> Account | None:
        return await load_account(info, str(self.account_id), self.as_of)

    @strawberry.field(description="The contact (null when outside your scope).")
    async def contact(self, info: strawberry.Info) -> Contact | None:
        person = await load_person(info, str(self.contact_id), self.as_of)
        return person if isinstance(person, Contact) else None


@strawberry.type(description="A contact: a person at a customer. Their positions live on `employments`.")
class Contact(Person):
    department: str | None
    influence: int | None
    stance: model.Stance
    political_status: model.PoliticalStatus | None
    as_of: strawberry.Private[date]

    @strawberry.field(description="Every position (current and former), ordered by start.")
    async def employments(self, info: strawberry.Info) -> list[Employment]:
        rows = await _ctx(info).loaders.employments.load(str(self.id))
        return [employment_type(e, self.as_of) for e in rows if e.since is None or e.since <= self.as_of]


@strawberry.type(description="One of our people.")
class Staff(Person):
    team_role: model.TeamRole | None
    as_of: strawberry.Private[date]


@strawberry.type(description="A staff member on an account team.")
class TeamMember:
    staff_id: strawberry.ID
    account_id: strawberry.ID
    team_role: model.TeamRole
    since: date | None
    until: date | None
    as_of: strawberry.Private[date]

    @strawberry.field
    async def staff(self, info: strawberry.Info) -> Staff | None:
        person = await load_person(info, str(self.staff_id), self.as_of)
        return person if isinstance(person, Staff) else None


@strawberry.type(description="An n-ary interaction (meeting, call, email, ...) about accounts.")
class Interaction:
    id: strawberry.ID
    kind: model.InteractionKind
    at: datetime
    source: str
    subject: str | None
    participant_ids: list[strawberry.ID]
    account_ids: list[strawberry.ID]


@strawberry.type(description="Relationship health 0-100 with its band and the parts behind it.")
class Health:
    score: float
    band: str = strawberry.field(description="green >= 80, yellow 60-80, red < 60 (configurable).")
    materialised: bool = strawberry.field(description="Read from the portfolio refresh (else computed).")
    details: JSON = strawberry.field(description="The components and weights behind the score.")


def _part(source: Any, *names: str) -> Any:
    for name in names:
        if hasattr(source, name):
            return to_jsonable(getattr(source, name))
    return None


@strawberry.type(
    description=(
        "The per-account analysis: decision-chain coverage per role and per level, relationship threads, "
        "single points of contact, departure impact per person and revenue at risk. Each part carries the "
        "evidence and parameters behind it."
    )
)
class AccountAnalysis:
    source: strawberry.Private[Any]

    @strawberry.field(description="Decision-chain coverage: score 0-100 and each required role's best reach.")
    def coverage(self) -> JSON | None:
        return _part(self.source, "coverage")

    @strawberry.field(description="Level coverage: executive, management, operational.")
    def level_coverage(self) -> JSON | None:
        return _part(self.source, "level_coverage", "levels")

    @strawberry.field(description="Node-disjoint relationship threads, minimum cut and articulation points.")
    def threads(self) -> JSON | None:
        return _part(self.source, "threads")

    @strawberry.field(description="People whose departure alone cuts us off from a required role.")
    def single_points_of_contact(self) -> JSON | None:
        threads = getattr(self.source, "threads", None)
        return _part(threads, "single_points_of_contact") if threads is not None else None

    @strawberry.field(description="Per person (ours and theirs): coverage and threads lost, revenue at risk.")
    def departure_impact(self) -> JSON | None:
        return _part(self.source, "departure_impacts", "departure_impact", "impacts")

    @strawberry.field(description="Annual revenue x the largest departure impact.")
    def revenue_at_risk(self) -> float | None:
        value = getattr(self.source, "revenue_at_risk", None)
        return None if value is None else float(value)

    @strawberry.field(description="Relationship health with its components.")
    def health(self) -> JSON | None:
        return _part(self.source, "health")

    @strawberry.field(description="Alerts raised for the account (cadence, single points, going cold, ...).")
    def alerts(self) -> JSON | None:
        return _part(self.source, "alerts")


def relationship_map_payload(subgraph: Any, config: Any) -> Any:
    """The relationship map of a subgraph as plain data."""
    from graph.analysis.relationship_map import relationship_map

    return to_jsonable(relationship_map(subgraph, config))


@strawberry.type(description="A customer (or prospect) organisation, as of `asOf`.")
class Account:
    id: strawberry.ID
    name: str
    industry: str | None
    region: str | None
    tier: model.Tier
    annual_revenue: float
    potential_revenue: float
    domains: list[str]
    strategic_fit: int | None
    relationship_cost: int | None
    as_of: date
    owner_id: strawberry.Private[str | None]

    @strawberry.field(description="The staff member who owns the account.")
    async def owner(self, info: strawberry.Info) -> Staff | None:
        if self.owner_id is None:
            return None
        person = await load_person(info, self.owner_id, self.as_of)
        return person if isinstance(person, Staff) else None

    @strawberry.field(description="The account team as of `asOf`.")
    async def team(self, info: strawberry.Info) -> list[TeamMember]:
        rows = await _ctx(info).loaders.teams.load((str(self.id), self.as_of))
        return [team_member_type(m, self.as_of) for m in rows]

    @strawberry.field(description="Contacts with a position here (`current` only: held on `asOf`).")
    async def contacts(self, info: strawberry.Info, current: bool = True) -> list[Contact]:
        subgraph = await _ctx(info).loaders.subgraphs.load((str(self.id), self.as_of))
        if subgraph is None:
            return []
        ids = {e.contact_id for e in subgraph.employments if not current or e.active_on(self.as_of)}
        return [contact_type(c, self.as_of) for c in subgraph.contacts if c.id in ids]

    @strawberry.field(description="Interactions about the account up to `asOf`, newest first.")
    async def interactions(
        self, info: strawberry.Info, first: Annotated[int, strawberry.argument(description="1-100")] = 20
    ) -> list[Interaction]:
        from schema.errors import PublicError

        if not 1 <= first <= 100:
            raise PublicError(f"first must be between 1 and 100, got {first}")
        subgraph = await _ctx(info).loaders.subgraphs.load((str(self.id), self.as_of))
        if subgraph is None:
            return []
        rows = sorted(subgraph.interactions, key=lambda i: (i.at, i.id), reverse=True)[:first]
        return [interaction_type(i) for i in rows]

    @strawberry.field(description="Relationship health: materialised by the refresh when present.")
    async def health(self, info: strawberry.Info) -> Health | None:
        return await load_health(info, str(self.id), self.as_of)

    @strawberry.field(
        description=(
            "The relationship map as of `asOf`: contacts (roles, level, influence, stance), former contacts, "
            "org and influence lines, our staff, ties with strength and evidence, and placeholders for "
            "required roles nobody holds. One JSON value (see the README: a map has thousands of parts)."
        )
    )
    async def relationship_map(self, info: strawberry.Info) -> JSON | None:
        subgraph = await _ctx(info).loaders.subgraphs.load((str(self.id), self.as_of))
        if subgraph is None:
            return None
        return relationship_map_payload(subgraph, _ctx(info).config)

    @strawberry.field(
        description="The full per-account analysis (coverage per role and level, threads, ...)."
    )
    async def analysis(self, info: strawberry.Info) -> AccountAnalysis | None:
        analysis = await _ctx(info).loaders.analyses.load((str(self.id), self.as_of))
        return None if analysis is None else AccountAnalysis(source=analysis)


# -- constructors and scoped look-ups ----------------------------------------------------------


def account_type(record: model.Account, as_of: date) -> Account:
    """The GraphQL view of an account record as of a day."""
    return Account(
        id=strawberry.ID(record.id),
        name=record.name,
        industry=record.industry,
        region=record.region,
        tier=record.tier,
        annual_revenue=record.annual_revenue,
        potential_revenue=record.potential_revenue,
        domains=list(record.domains),
        strategic_fit=record.strategic_fit,
        relationship_cost=record.relationship_cost,
        as_of=as_of,
        owner_id=record.owner,
    )


def contact_type(record: model.Contact, as_of: date) -> Contact:
    """The GraphQL view of a contact."""
    return Contact(
        id=strawberry.ID(record.id),
        name=record.name,
        email=record.email,
        title=record.title,
        level=record.level,
        department=record.department,
        influence=record.influence,
        stance=record.stance,
        political_status=record.political_status,
        as_of=as_of,
    )


def staff_type(record: model.Staff, as_of: date) -> Staff:
    """The GraphQL view of a staff member."""
    return Staff(
        id=strawberry.ID(record.id),
        name=record.name,
        email=record.email,
        title=record.title,
        level=record.level,
        team_role=record.team_role,
        as_of=as_of,
    )


def person_type(record: model.Contact | model.Staff, as_of: date) -> Contact | Staff:
    """The GraphQL view of a person of either kind."""
    if isinstance(record, model.Staff):
        return staff_type(record, as_of)
    return contact_type(record, as_of)


def employment_type(record: model.Employment, as_of: date) -> Employment:
    """The GraphQL view of a position."""
    return Employment(
        account_id=strawberry.ID(record.account_id),
        contact_id=strawberry.ID(record.contact_id),
        title=record.title,
        department=record.department,
        level=record.level,
        roles=sorted(record.roles, key=lambda r: r.value),
        since=record.since,
        until=record.until,
        as_of=as_of,
    )


def team_member_type(record: model.TeamMembership, as_of: date) -> TeamMember:
    """The GraphQL view of a team membership."""
    return TeamMember(
        staff_id=strawberry.ID(record.staff_id),
        account_id=strawberry.ID(record.account_id),
        team_role=record.team_role,
        since=record.since,
        until=record.until,
        as_of=as_of,
    )


def interaction_type(record: model.Interaction) -> Interaction:
    """The GraphQL view of an interaction."""
    return Interaction(
        id=strawberry.ID(record.id),
        kind=record.kind,
        at=record.at,
        source=record.source,
        subject=record.subject,
        participant_ids=[strawberry.ID(p) for p in record.participants],
        account_ids=[strawberry.ID(a) for a in record.accounts],
    )


async def load_account(info: strawberry.Info, account_id: str, as_of: date) -> Account | None:
    """The account if it exists and the viewer may see it, else ``None``."""
    ctx = _ctx(info)
    if not ctx.scope.can_see_account(account_id):
        return None
    record = await ctx.loaders.accounts.load(account_id)
    return None if record is None else account_type(record, as_of)


async def load_person(info: strawberry.Info, person_id: str, as_of: date) -> Contact | Staff | None:
    """The person if they exist and the viewer may see them, else ``None``."""
    ctx = _ctx(info)
    record = await ctx.loaders.people.load(person_id)
    if record is None or not await ctx.scope.can_see_person(record):
        return None
    return person_type(record, as_of)


async def load_health(info: strawberry.Info, account_id: str, as_of: date) -> Health | None:
    """Health from the materialised refresh result when present, computed otherwise."""
    ctx = _ctx(info)
    stored = await ctx.loaders.results.load((account_id, HEALTH_RESULT, as_of))
    if stored is not None:
        payload = dict(stored.payload)
        return Health(
            score=float(payload.get("score", 0.0)),
            band=str(payload.get("band", "")),
            materialised=True,
            details=payload,
        )
    analysis = await ctx.loaders.analyses.load((account_id, as_of))
    health = getattr(analysis, "health", None) if analysis is not None else None
    if health is None:
        return None
    data = to_jsonable(health)
    return Health(
        score=float(getattr(health, "score", 0.0)),
        band=str(getattr(health, "band", "")),
        materialised=False,
        details=data,
    )
