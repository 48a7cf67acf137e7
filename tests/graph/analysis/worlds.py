"""Small in-memory worlds for the analyses that read the store through ``fetch``.

:class:`InMemoryWorld` answers ``fetch(person_ids)`` (:data:`graph.analysis.warm_paths.Fetch`)
from plain records, as the store's ``neighbourhood`` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from graph.analysis.warm_paths import Fetch
from graph.model import (
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    Referral,
    ReportingLine,
    Staff,
    TeamMembership,
)
from graph.store import Neighbourhood

__all__ = ["InMemoryWorld"]


class InMemoryWorld:
    """Plain records answering ``fetch(person_ids)`` like the store's ``neighbourhood``.

    A test double of :meth:`~graph.store.GraphStore.neighbourhood` for the warm-path and
    job-change analyses: it follows the :class:`~graph.store.Neighbourhood` contract over lists
    of records.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Contact
    >>> nb = InMemoryWorld({"c1": Contact("c1", "Ada")}).fetch(date(2025, 1, 1))(["c1"])
    >>> sorted(nb.people)
    ['c1']
    """

    def __init__(
        self,
        people: Mapping[str, Contact | Staff],
        *,
        interactions: Iterable[Interaction] = (),
        employments: Iterable[Employment] = (),
        accounts: Mapping[str, Account] | None = None,
        referrals: Iterable[Referral] = (),
        team: Iterable[TeamMembership] = (),
        assessments: Iterable[Assessment] = (),
        reporting_lines: Iterable[ReportingLine] = (),
        influence_lines: Iterable[InfluenceLine] = (),
    ) -> None:
        self.people = dict(people)
        self.interactions = list(interactions)
        self.employments = list(employments)
        self.accounts = dict(accounts or {})
        self.referrals = list(referrals)
        self.team = list(team)
        self.assessments = list(assessments)
        self.reporting_lines = list(reporting_lines)
        self.influence_lines = list(influence_lines)
        self.calls: list[list[str]] = []

    def fetch(self, as_of: date) -> Fetch:
        """A fetch callable answering as of ``as_of``; every call is logged in ``calls``."""

        def fetch(person_ids: Sequence[str]) -> Neighbourhood:
            self.calls.append(list(person_ids))
            return self.neighbourhood(person_ids, as_of)

        return fetch

    def neighbourhood(self, person_ids: Sequence[str], as_of: date) -> Neighbourhood:
        """The :class:`~graph.store.Neighbourhood` of ``person_ids``."""
        asked = {p for p in person_ids if p in self.people}
        interactions = tuple(
            ix for ix in self.interactions if ix.at.date() <= as_of and asked & set(ix.participants)
        )
        started = [e for e in self.employments if e.since is None or e.since <= as_of]
        their_accounts = {e.account_id for e in started if e.contact_id in asked}
        employments = tuple(e for e in started if e.account_id in their_accounts)
        referrals = tuple(
            r
            for r in self.referrals
            if r.at <= as_of
            and (r.source_id in asked or r.source_id in their_accounts or r.target_id in their_accounts)
        )
        account_ids = (
            their_accounts
            | {r.target_id for r in referrals}
            | {r.source_id for r in referrals if r.source_kind == "account"}
        )
        linked = set(asked)
        for ix in interactions:
            linked |= set(ix.participants)
        linked |= {e.contact_id for e in employments}
        linked |= {r.source_id for r in referrals if r.source_kind == "contact"}
        team = tuple(
            t
            for t in self.team
            if (t.since is None or t.since <= as_of) and (t.staff_id in asked or t.account_id in account_ids)
        )
        assessments = tuple(
            a for a in self.assessments if a.at <= as_of and (a.staff_id in asked or a.contact_id in asked)
        )
        linked |= {a.staff_id for a in assessments} | {a.contact_id for a in assessments}
        reporting = tuple(
            r
            for r in self.reporting_lines
            if r.active_on(as_of) and (r.contact_id in asked or r.manager_id in asked)
        )
        influence = tuple(r for r in self.influence_lines if r.source_id in asked or r.target_id in asked)
        linked |= {p for r in reporting for p in (r.contact_id, r.manager_id)}
        linked |= {p for r in influence for p in (r.source_id, r.target_id)}
        return Neighbourhood(
            as_of,
            people={p: self.people[p] for p in sorted(linked) if p in self.people},
            interactions=interactions,
            employments=employments,
            accounts={a: self.accounts[a] for a in sorted(account_ids) if a in self.accounts},
            referrals=referrals,
            team=team,
            assessments=assessments,
            reporting_lines=reporting,
            influence_lines=influence,
        )
