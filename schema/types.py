"""The GraphQL object types: accounts, people (contacts and staff), employment, teams, interactions.

Objects carry their domain record (``strawberry.Private``) and the ``asOf`` day they were
asked for, so nested fields (a contact's employer, an account's team) read the graph as of the
same day. Every nested field goes through the request's loaders and scope: an account manager
never reaches an account or person outside their teams, however deep or aliased the query.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph import model
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
from schema.fields import field
from schema.presentation import Money, Score
from schema.scoping import account_redactor, redacted, scoped_employments, scoped_interactions

if TYPE_CHECKING:
    from schema.analysis_types import AccountAnalysis, Alert, Health
    from schema.journal import JournalEntry
    from schema.plans import AccountPlan
    from schema.recommendations import RecommendedAction
    from schema.relationship_map import RelationshipMap
    from schema.signals import BusinessSignals

HealthT = Annotated["Health", strawberry.lazy("schema.analysis_types")]
AlertT = Annotated["Alert", strawberry.lazy("schema.analysis_types")]
AccountAnalysisT = Annotated["AccountAnalysis", strawberry.lazy("schema.analysis_types")]
RelationshipMapT = Annotated["RelationshipMap", strawberry.lazy("schema.relationship_map")]
RecommendedActionT = Annotated["RecommendedAction", strawberry.lazy("schema.recommendations")]
AccountPlanT = Annotated["AccountPlan", strawberry.lazy("schema.plans")]
JournalEntryT = Annotated["JournalEntry", strawberry.lazy("schema.journal")]
BusinessSignalsT = Annotated["BusinessSignals", strawberry.lazy("schema.signals")]

__all__ = [
    "Account",
    "AssessedLevel",
    "Contact",
    "Employment",
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

    @field(description="Whether the position is held on the query's `asOf` day.")
    def active(self) -> bool:
        return (self.since is None or self.since <= self.as_of) and (
            self.until is None or self.as_of <= self.until
        )

    @field(description="The account (null when it is outside your scope).")
    async def account(self, info: strawberry.Info) -> Account | None:
        return await load_account(info, str(self.account_id), self.as_of)

    @field(description="The contact (null when outside your scope).")
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

    @field(description="Every position (current and former), ordered by start.")
    async def employments(self, info: strawberry.Info) -> list[Employment]:
        rows = await _ctx(info).loaders.employments.load(str(self.id))
        rows = scoped_employments(info, rows)
        return [employment_type(e, self.as_of) for e in rows if e.since is None or e.since <= self.as_of]

    @field(
        description=(
            "Whether the contact holds or held a position at an account outside your scope (which one "
            "is not shown; always false for callers who see every account)."
        )
    )
    async def employed_elsewhere(self, info: strawberry.Info) -> bool:
        rows = await _ctx(info).loaders.employments.load(str(self.id))
        mine = scoped_employments(info, rows)
        return len(mine) < len(rows)


@strawberry.type(description="One of our people.")
class Staff(Person):
    team_role: model.TeamRole | None
    until: date | None = strawberry.field(description="Last day with us (null while still with us).")
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


@strawberry.type(description="A customer (or prospect) organisation, as of `asOf`.")
class Account:
    id: strawberry.ID
    name: str
    industry: str | None
    region: str | None
    tier: model.Tier
    annual_revenue: Money
    potential_revenue: Money
    domains: list[str]
    strategic_fit: int | None
    relationship_cost: int | None
    as_of: date
    owner_id: strawberry.Private[str | None]

    @field(description="The staff member who owns the account.")
    async def owner(self, info: strawberry.Info) -> Staff | None:
        if self.owner_id is None:
            return None
        person = await load_person(info, self.owner_id, self.as_of)
        return person if isinstance(person, Staff) else None

    @field(description="The account team as of `asOf`.")
    async def team(self, info: strawberry.Info) -> list[TeamMember]:
        rows = await _ctx(info).loaders.teams.load((str(self.id), self.as_of))
        redactor = await account_redactor(info, str(self.id), self.as_of)
        return [
            team_member_type(m, self.as_of) for m in rows if redactor is None or redactor.keeps(m.staff_id)
        ]

    @field(description="Contacts with a position here (`current` only: held on `asOf`).")
    async def contacts(self, info: strawberry.Info, current: bool = True) -> list[Contact]:
        subgraph = await _ctx(info).loaders.subgraphs.load((str(self.id), self.as_of))
        if subgraph is None:
            return []
        ids = {e.contact_id for e in subgraph.employments if not current or e.active_on(self.as_of)}
        return [contact_type(c, self.as_of) for c in subgraph.contacts if c.id in ids]

    @field(description="Interactions about the account up to `asOf`, newest first.")
    async def interactions(
        self, info: strawberry.Info, first: Annotated[int, strawberry.argument(description="1-100")] = 20
    ) -> list[Interaction]:
        from schema.errors import PublicError

        if not 1 <= first <= 100:
            raise PublicError(f"first must be between 1 and 100, got {first}")
        subgraph = await _ctx(info).loaders.subgraphs.load((str(self.id), self.as_of))
        if subgraph is None:
            return []
        visible = await scoped_interactions(info, subgraph.interactions)
        rows = sorted(visible, key=lambda i: (i.at, i.id), reverse=True)[:first]
        return [interaction_type(i) for i in rows]

    @field(
        description=(
            "Business signals dated on or before `asOf`: survey responses, usage, support cases, "
            "contracts and opportunities, newest first."
        )
    )
    async def business_signals(self, info: strawberry.Info) -> BusinessSignalsT | None:
        from schema.signals import business_signals_from

        subgraph = await _ctx(info).loaders.subgraphs.load((str(self.id), self.as_of))
        if subgraph is None:
            return None
        redactor = await account_redactor(info, str(self.id), self.as_of)
        return business_signals_from(subgraph, (lambda _: True) if redactor is None else redactor.keeps)

    @field(description="Account health 0-100 with its components (materialised or computed).")
    async def health(self, info: strawberry.Info) -> HealthT | None:
        from schema.analysis_types import health_from

        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        if summary is None:
            return None
        health = await redacted(info, str(self.id), self.as_of, summary.payload["health"])
        return health_from(health, summary.materialised)

    @field(
        description=(
            "Revenue at risk: annual revenue x the coverage the worst single departure puts at risk "
            "(relationships lost, and role turnover weighed by our ties around the holder)."
        )
    )
    async def revenue_at_risk(self, info: strawberry.Info) -> Money | None:
        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        return None if summary is None else Money(float(summary.payload["summary"]["revenue_at_risk"]))

    @field(
        description="No required role is covered: the whole revenue is exposed already (null when unknown)."
    )
    async def exposed(self, info: strawberry.Info) -> bool | None:
        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        return None if summary is None else bool(summary.payload["summary"]["exposed"])

    @field(description="Decision-chain coverage 0-100 (from the account's summary).")
    async def coverage_score(self, info: strawberry.Info) -> Score | None:
        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        return None if summary is None else Score(float(summary.payload["summary"]["coverage_score"]))

    @field(description="Number of node-disjoint relationship threads (from the account's summary).")
    async def threads(self, info: strawberry.Info) -> int | None:
        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        return None if summary is None else int(summary.payload["summary"]["threads"])

    @field(description="The person whose departure would cost the most coverage (null when nobody would).")
    async def key_person(self, info: strawberry.Info) -> Person | None:
        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        key = None if summary is None else summary.payload["summary"].get("key_person")
        return None if key is None else await load_person(info, str(key), self.as_of)

    @field(description="Alerts of the account: cadence breach, single points of contact, going cold, health.")
    async def alerts(self, info: strawberry.Info) -> list[AlertT]:
        from schema.analysis_types import alert_from

        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        if summary is None:
            return []
        alerts = await redacted(info, str(self.id), self.as_of, list(summary.payload.get("alerts", ())))
        return [alert_from(a) for a in alerts]

    @field(
        description="The relationship map as of `asOf` (lean: bulky parts as compact JSON, see the README)."
    )
    async def relationship_map(
        self,
        info: strawberry.Info,
        min_strength: Annotated[
            float, strawberry.argument(description="Only ties at least this strong.")
        ] = 0.0,
    ) -> RelationshipMapT | None:
        from schema.relationship_map import map_type

        lean = await _ctx(info).loaders.maps.load((str(self.id), self.as_of))
        if lean is None:
            return None
        return map_type(await redacted(info, str(self.id), self.as_of, lean), min_strength)

    @field(
        description=(
            "Recommended next meetings (`first` 1-10): with `plan` (default) a greedy plan, each action "
            "valued on top of the ones before it; without, the best single actions."
        )
    )
    async def recommended_actions(
        self, info: strawberry.Info, first: int = 3, plan: bool = True
    ) -> list[RecommendedActionT]:
        from schema.errors import PublicError
        from schema.recommendations import action_from

        if not 1 <= first <= 10:
            raise PublicError(f"first must be between 1 and 10, got {first}")
        found = await _ctx(info).loaders.actions((str(self.id), self.as_of), first, plan)
        if not found:
            return []
        shown = await redacted(info, str(self.id), self.as_of, found)
        return [action_from(a, self.as_of) for a in shown or () if a is not None]

    @field(description="The account's relationship plan: goals, and actions with owners, dates and status.")
    async def plan(self, info: strawberry.Info) -> AccountPlanT | None:
        from schema.plans import plan_type

        plans = _ctx(info).plans
        if plans is None:
            return None
        summary = await _ctx(info).loaders.summaries.load((str(self.id), self.as_of))
        coverage = None if summary is None else float(summary.payload["summary"]["coverage_score"])
        plain = dataclasses.asdict(plans.plan(str(self.id)))
        shown = await redacted(info, str(self.id), self.as_of, plain)  # an action naming someone foreign goes
        return None if shown is None else plan_type(shown, self.as_of, coverage)

    @field(description="The account's notes, newest first (`first` 1-100).")
    async def notes(self, info: strawberry.Info, first: int = 20) -> list[JournalEntryT]:
        return await _journal_entries(info, str(self.id), self.as_of, "note", first)

    @field(
        description=(
            "The audit trail: every write through the API that touched the account (who, when, which "
            "mutation, what it wrote), newest first (`first` 1-100)."
        )
    )
    async def audit_trail(self, info: strawberry.Info, first: int = 20) -> list[JournalEntryT]:
        return await _journal_entries(info, str(self.id), self.as_of, "write", first)

    @field(description="Coverage per role and level, threads, single points of contact, departure impact.")
    async def analysis(self, info: strawberry.Info) -> AccountAnalysisT | None:
        from schema.analysis_types import AccountAnalysis

        detail = await _ctx(info).loaders.details.load((str(self.id), self.as_of))
        if detail is None:
            return None
        payload = await redacted(info, str(self.id), self.as_of, detail.payload)
        return AccountAnalysis(payload=payload, as_of=self.as_of)


# -- constructors and scoped look-ups ----------------------------------------------------------


async def _journal_entries(
    info: strawberry.Info, account_id: str, day: date, kind: str, first: int
) -> list[Any]:
    """The account's journal entries of ``kind`` as the caller may see them."""
    from schema.journal import journal_entry_type
    from schema.paging import check_first

    check_first(first)
    journal = _ctx(info).journal
    if journal is None:
        return []
    out = []
    for entry in journal.entries(account_id, kind=kind, first=first):
        detail = await redacted(info, account_id, day, dict(entry.detail))
        if detail is not None:
            out.append(journal_entry_type(entry, detail))
    return out


def account_type(record: model.Account, as_of: date) -> Account:
    """The GraphQL view of an account record as of a day (its tier and revenue of that day)."""
    record = record.on(as_of)
    return Account(
        id=strawberry.ID(record.id),
        name=record.name,
        industry=record.industry,
        region=record.region,
        tier=record.tier,
        annual_revenue=Money(record.annual_revenue),
        potential_revenue=Money(record.potential_revenue),
        domains=list(record.domains),
        strategic_fit=record.strategic_fit,
        relationship_cost=record.relationship_cost,
        as_of=as_of,
        owner_id=record.owner,
    )


def contact_type(record: model.Contact, as_of: date) -> Contact:
    """The GraphQL view of a contact as of a day (their stance of that day)."""
    record = record.on(as_of)
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
        until=record.until,
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
