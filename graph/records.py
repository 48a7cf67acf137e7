"""The records that flow from the store to the analyses: what one analysis reads, and what it keeps.

They sit beside the model (:mod:`graph.model`) so the analyses can take them without knowing the
store: a backend builds them (through the port of :mod:`graph.store`, which re-exports them), an
analysis reads them, and the refresh stores :class:`AnalysisResult` s.

Examples
--------
>>> from graph.model import Account
>>> sub = AccountSubgraph(Account("acme", "Acme"), date(2025, 6, 30))
>>> sub.account.id, sub.contacts
('acme', ())
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graph.model import (
    Account,
    Assessment,
    Contact,
    Contract,
    Employment,
    InfluenceLine,
    Interaction,
    Opportunity,
    Referral,
    ReportingLine,
    Staff,
    SupportCase,
    SurveyResponse,
    TeamMembership,
    UsageSample,
)

__all__ = ["AccountSubgraph", "AnalysisResult", "JobChange", "Neighbourhood", "ReferralGraph"]


@dataclass(frozen=True)
class AccountSubgraph:
    """Everything the per-account analyses need, as of one day.

    * ``employments``: positions at this account that started on or before ``as_of``
      (those that ended are included, with ``until``, so departures can be seen).
    * ``contacts``: every contact of those employments.
    * ``team``: ON_TEAM memberships started on or before ``as_of`` (ended ones included).
    * ``staff``: the staff still with us (``Staff.until`` not before ``as_of``) who are on the
      team or take part in ``interactions``.
    * ``reporting_lines`` / ``influence_lines``: lines between the account's contacts, started on
      or before ``as_of``; a reporting line ends when either person left the account.
    * ``interactions``: the account's activity up to the end of ``as_of``: interactions ABOUT this
      account (with all their participants) and interactions about no account while one of its
      contacts worked there (with the participants who count for it); see :mod:`graph.scope`.
    * ``assessments``: ASSESSED ratings of its contacts dated on or before ``as_of``.
    * ``former_employments``: other positions (any account) of the account's contacts that
      started on or before ``as_of``: where people came from and went to.
    * ``survey_responses``, ``usage_samples``, ``support_cases``, ``contracts``,
      ``opportunities``: the account's business signals dated (``dated``) on or before ``as_of``,
      each sorted by its key.
    """

    account: Account
    as_of: date
    contacts: tuple[Contact, ...] = ()
    employments: tuple[Employment, ...] = ()
    staff: tuple[Staff, ...] = ()
    team: tuple[TeamMembership, ...] = ()
    reporting_lines: tuple[ReportingLine, ...] = ()
    influence_lines: tuple[InfluenceLine, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    former_employments: tuple[Employment, ...] = ()
    survey_responses: tuple[SurveyResponse, ...] = ()
    usage_samples: tuple[UsageSample, ...] = ()
    support_cases: tuple[SupportCase, ...] = ()
    contracts: tuple[Contract, ...] = ()
    opportunities: tuple[Opportunity, ...] = ()


@dataclass(frozen=True)
class Neighbourhood:
    """The one-hop surroundings of a set of people, as of one day, for warm-path search.

    * ``people``: the people asked for and every person linked to them below.
    * ``interactions``: interactions up to ``as_of`` with one of the people among the
      participants (each with all its participants).
    * ``employments``: every position (current or former) of the people asked for, and every
      position at those accounts (their colleagues, current and former), started by ``as_of``.
    * ``accounts``: the accounts of those positions and of ``referrals``.
    * ``referrals``: referrals made by the people asked for or by their accounts, or received by
      their accounts, dated on or before ``as_of``.
    * ``team``: ON_TEAM memberships of staff asked for, and of the accounts above.
    * ``assessments``: ASSESSED ratings made by or about the people asked for.
    * ``reporting_lines``: reporting lines active on ``as_of`` with one of the people asked for
      at either end; ``influence_lines``: every influence line with one of them at either end.
    """

    as_of: date
    people: Mapping[str, Contact | Staff] = field(default_factory=dict)
    interactions: tuple[Interaction, ...] = ()
    employments: tuple[Employment, ...] = ()
    accounts: Mapping[str, Account] = field(default_factory=dict)
    referrals: tuple[Referral, ...] = ()
    team: tuple[TeamMembership, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    reporting_lines: tuple[ReportingLine, ...] = ()
    influence_lines: tuple[InfluenceLine, ...] = ()


@dataclass(frozen=True)
class ReferralGraph:
    """Referrals (dated on or before ``as_of``) and the accounts and contacts they touch."""

    as_of: date
    accounts: Mapping[str, Account] = field(default_factory=dict)
    contacts: Mapping[str, Contact] = field(default_factory=dict)
    referrals: tuple[Referral, ...] = ()


@dataclass(frozen=True)
class JobChange:
    """A contact left ``old`` and started ``new`` (both kept in the graph)."""

    contact_id: str
    old: Employment
    new: Employment


@dataclass(frozen=True)
class AnalysisResult:
    """A materialised analysis result for one account (or ``"*"`` for the portfolio).

    ``payload`` is JSON-serialisable; ``data_version`` is the account's data version the
    result was computed from, so the refresh knows what is stale.
    """

    kind: str
    account_id: str
    as_of: date
    payload: Mapping[str, Any]
    data_version: int
    computed_at: datetime | None = None
