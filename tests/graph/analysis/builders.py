"""A small builder of account subgraphs for the analysis tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from graph.model import (
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    InteractionKind,
    Level,
    ReportingLine,
    Role,
    Staff,
    TeamMembership,
    TeamRole,
    Tier,
)
from graph.store import AccountSubgraph

AS_OF = date(2025, 6, 30)


class AccountBuilder:
    """Build an :class:`AccountSubgraph` person by person."""

    def __init__(
        self,
        account_id: str = "acme",
        tier: Tier = Tier.KEY,
        revenue: float = 1_000_000.0,
        as_of: date = AS_OF,
    ) -> None:
        self.account = Account(account_id, account_id.title(), tier=tier, annual_revenue=revenue)
        self.as_of = as_of
        self.contacts: list[Contact] = []
        self.employments: list[Employment] = []
        self.staff_: list[Staff] = []
        self.team: list[TeamMembership] = []
        self.reporting: list[ReportingLine] = []
        self.influence: list[InfluenceLine] = []
        self.interactions: list[Interaction] = []
        self.assessments: list[Assessment] = []
        self._n = 0

    def contact(
        self,
        cid: str,
        *roles: Role,
        level: Level | None = None,
        since: date = date(2020, 1, 1),
        until: date | None = None,
        title: str | None = None,
    ) -> AccountBuilder:
        if all(c.id != cid for c in self.contacts):
            self.contacts.append(Contact(cid, cid.title(), level=level))
        self.employments.append(
            Employment(
                cid,
                self.account.id,
                title=title,
                level=level,
                roles=frozenset(roles),
                since=since,
                until=until,
            )
        )
        return self

    def staff(
        self, sid: str, level: Level | None = None, team_role: TeamRole | None = TeamRole.ACCOUNT_REP
    ) -> AccountBuilder:
        if all(s.id != sid for s in self.staff_):
            self.staff_.append(Staff(sid, sid.title(), level=level))
        if team_role is not None:
            self.team.append(TeamMembership(sid, self.account.id, team_role, since=date(2020, 1, 1)))
        return self

    def meet(
        self,
        *people: str,
        kind: InteractionKind = InteractionKind.MEETING,
        days_ago: int = 10,
        times: int = 1,
    ) -> AccountBuilder:
        for k in range(times):
            self._n += 1
            day = self.as_of - timedelta(days=days_ago + 7 * k)
            at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
            self.interactions.append(
                Interaction(
                    f"{self.account.id}-i{self._n}",
                    kind,
                    at,
                    participants=people,
                    accounts=(self.account.id,),
                )
            )
        return self

    def reports(self, contact: str, manager: str) -> AccountBuilder:
        self.reporting.append(ReportingLine(contact, manager))
        return self

    def influences(self, source: str, target: str, weight: float) -> AccountBuilder:
        self.influence.append(InfluenceLine(source, target, weight))
        return self

    def build(self, as_of: date | None = None) -> AccountSubgraph:
        day = as_of or self.as_of
        return AccountSubgraph(
            account=self.account,
            as_of=day,
            contacts=tuple(self.contacts),
            employments=tuple(e for e in self.employments if e.since is None or e.since <= day),
            staff=tuple(self.staff_),
            team=tuple(self.team),
            reporting_lines=tuple(self.reporting),
            influence_lines=tuple(self.influence),
            interactions=tuple(i for i in self.interactions if i.at.date() <= day),
            assessments=tuple(self.assessments),
        )
