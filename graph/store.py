"""The GraphStore port: the one interface every backend implements.

The port is split by concern into protocols: :class:`GraphReader` (reads of the graph),
:class:`GraphWriter` (writes), :class:`TokenStore` (API tokens) and :class:`ResultStore`
(materialised results, data versions and the data's reference date); :class:`GraphStore` is all
of them with the store's lifecycle, and every backend implements it. A caller that needs one
concern takes the narrow protocol.

Shaped by its callers: the importers write :class:`GraphBatch` es atomically and idempotently;
the analyses read one :class:`AccountSubgraph` at a time (never the whole portfolio, except the
referral network; the portfolio refresh reads those of a chunk of accounts together) and the :class:`Neighbourhood` of people for warm paths; the API pages
through accounts and looks people up in batches (for its DataLoaders); the portfolio refresh
stores materialised :class:`AnalysisResult` s and asks which accounts changed since a version.

The records the analyses take (:class:`AccountSubgraph`, :class:`Neighbourhood`,
:class:`ReferralGraph`, :class:`JobChange`, :class:`AnalysisResult`) live beside the model in
:mod:`graph.records` and are re-exported here.

Backends live in ``graph.backends`` (``sqlite`` is the embedded default, ``neo4j`` the store
of record). They never import the analyses, and the analyses never import them.

Examples
--------
>>> batch = GraphBatch(accounts=[Account("acme", "Acme")])
>>> batch.size()
1
>>> sorted(k for k, v in batch.by_kind().items() if v)
['account']
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

from graph.model import (
    SIGNAL_TYPES,
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
    Signal,
    Staff,
    SupportCase,
    SurveyResponse,
    TeamMembership,
    Tier,
    UsageSample,
)
from graph.records import AccountSubgraph, AnalysisResult, JobChange, Neighbourhood, ReferralGraph

__all__ = [
    "RECORD_KINDS",
    "SIGNAL_FIELDS",
    "SIGNAL_KINDS",
    "AccountFilter",
    "AccountSubgraph",
    "AnalysisResult",
    "AnalysisStore",
    "ApiToken",
    "GraphBatch",
    "GraphReader",
    "GraphStore",
    "GraphWriter",
    "IntegrityError",
    "JobChange",
    "KindCounts",
    "Neighbourhood",
    "NotFoundError",
    "Page",
    "ReferralGraph",
    "ResultStore",
    "SearchHit",
    "StoreError",
    "StoreUnavailableError",
    "TokenStore",
    "WriteSummary",
    "kind_of",
    "signal_uid",
]


class StoreError(Exception):
    """Base class of every error a store raises on purpose."""


class NotFoundError(StoreError):
    """A record that the operation needs does not exist."""


class IntegrityError(StoreError):
    """A batch breaks the graph's rules (e.g. a line to an unknown record, a duplicate id).

    Nothing of the batch was written. ``problems`` lists every problem found, each naming the
    record kind, its identity and the reason.
    """

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:10])
        more = f" (and {len(self.problems) - 10} more)" if len(self.problems) > 10 else ""
        super().__init__(f"batch rejected, nothing written: {shown}{more}")


class StoreUnavailableError(StoreError):
    """The store cannot be reached or refused the credentials (the message names the URI)."""


#: Record kinds in write order; the names are used in summaries, exports and counts.
RECORD_KINDS: tuple[str, ...] = (
    "account",
    "contact",
    "staff",
    "employment",
    "reporting_line",
    "influence_line",
    "team_membership",
    "interaction",
    "assessment",
    "referral",
    *SIGNAL_TYPES,
)

#: The record kinds of business signals (surveys, usage, support cases, contracts, opportunities).
SIGNAL_KINDS: tuple[str, ...] = tuple(SIGNAL_TYPES)


@dataclass
class GraphBatch:
    """Records of every kind, written together in one transaction.

    Lines may refer to nodes of the same batch or already stored. Within one batch the last
    record with a given identity wins.
    """

    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    employments: list[Employment] = field(default_factory=list)
    reporting_lines: list[ReportingLine] = field(default_factory=list)
    influence_lines: list[InfluenceLine] = field(default_factory=list)
    team_memberships: list[TeamMembership] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    referrals: list[Referral] = field(default_factory=list)
    survey_responses: list[SurveyResponse] = field(default_factory=list)
    usage_samples: list[UsageSample] = field(default_factory=list)
    support_cases: list[SupportCase] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    opportunities: list[Opportunity] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Any]]:
        """The batch's lists keyed by record kind, in write order."""
        return {
            "account": self.accounts,
            "contact": self.contacts,
            "staff": self.staff,
            "employment": self.employments,
            "reporting_line": self.reporting_lines,
            "influence_line": self.influence_lines,
            "team_membership": self.team_memberships,
            "interaction": self.interactions,
            "assessment": self.assessments,
            "referral": self.referrals,
            "survey_response": self.survey_responses,
            "usage_sample": self.usage_samples,
            "support_case": self.support_cases,
            "contract": self.contracts,
            "opportunity": self.opportunities,
        }

    def size(self) -> int:
        """Number of records in the batch."""
        return sum(len(v) for v in self.by_kind().values())

    def add(self, record: Any) -> None:
        """Append ``record`` to the list of its kind."""
        getattr(self, _LIST_OF[type(record)]).append(record)


_KIND_OF: dict[type[Any], str] = {
    Account: "account",
    Contact: "contact",
    Staff: "staff",
    Employment: "employment",
    ReportingLine: "reporting_line",
    InfluenceLine: "influence_line",
    TeamMembership: "team_membership",
    Interaction: "interaction",
    Assessment: "assessment",
    Referral: "referral",
    SurveyResponse: "survey_response",
    UsageSample: "usage_sample",
    SupportCase: "support_case",
    Contract: "contract",
    Opportunity: "opportunity",
}

#: The :class:`GraphBatch` list that holds each record type.
_LIST_OF: dict[type[Any], str] = {
    Account: "accounts",
    Contact: "contacts",
    Staff: "staff",
    Employment: "employments",
    ReportingLine: "reporting_lines",
    InfluenceLine: "influence_lines",
    TeamMembership: "team_memberships",
    Interaction: "interactions",
    Assessment: "assessments",
    Referral: "referrals",
    SurveyResponse: "survey_responses",
    UsageSample: "usage_samples",
    SupportCase: "support_cases",
    Contract: "contracts",
    Opportunity: "opportunities",
}


#: The :class:`GraphBatch` list (and :class:`AccountSubgraph` field) of each signal kind.
SIGNAL_FIELDS: dict[str, str] = {kind: _LIST_OF[cls] for kind, cls in SIGNAL_TYPES.items()}


def kind_of(record: Any) -> str:
    """The record kind (a key of :data:`RECORD_KINDS`) of a model record.

    Examples
    --------
    >>> kind_of(Contact("c1", "Ada"))
    'contact'
    """
    return _KIND_OF[type(record)]


def signal_uid(record: Signal) -> str:
    """The store-wide identity of a business signal: its kind and its key.

    Examples
    --------
    >>> signal_uid(UsageSample("acme", date(2026, 3, 1), active_users=40))
    'usage_sample:acme|2026-03-01'
    """
    key = record.key
    return f"{_KIND_OF[type(record)]}:{key if isinstance(key, str) else '|'.join(key)}"


@dataclass
class KindCounts:
    """What a write did to the records of one kind."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __iadd__(self, other: KindCounts) -> KindCounts:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        return self


@dataclass
class WriteSummary:
    """Per-kind counts of a write; ``touched_accounts`` are the accounts whose data changed."""

    kinds: dict[str, KindCounts] = field(default_factory=lambda: {k: KindCounts() for k in RECORD_KINDS})
    touched_accounts: set[str] = field(default_factory=set)

    def merge(self, other: WriteSummary) -> None:
        """Add ``other``'s counts to this summary."""
        for kind, counts in other.kinds.items():
            self.kinds.setdefault(kind, KindCounts())
            self.kinds[kind] += counts
        self.touched_accounts |= other.touched_accounts

    @property
    def changed(self) -> int:
        """Records created or updated."""
        return sum(c.created + c.updated for c in self.kinds.values())


@dataclass(frozen=True)
class AccountFilter:
    """Filters for :meth:`GraphStore.list_accounts`; ``None`` means any."""

    tier: Tier | None = None
    owner: str | None = None
    industry: str | None = None
    region: str | None = None
    ids: frozenset[str] | None = None
    name_contains: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of a keyset-paginated listing; ``end_cursor`` resumes after the last item."""

    items: list[Any]
    end_cursor: str | None
    has_next: bool


@dataclass(frozen=True)
class SearchHit:
    """A match of :meth:`GraphStore.search`: ``kind`` is account, contact or staff."""

    kind: str
    id: str
    name: str
    detail: str | None = None


@dataclass(frozen=True)
class ApiToken:
    """An API token record. Only the token's SHA-256 hash is stored, never the token."""

    token_hash: str
    name: str
    role: str
    staff_id: str | None
    created_at: datetime
    revoked: bool = False


class GraphReader(Protocol):
    """Reads of the graph: records by id, listings, the subgraphs the analyses take, exports.

    What the analyses' callers, the API's DataLoaders and the importers' checks read. Every
    method is safe to call from several threads of one process, and never sees half a write.

    See Also
    --------
    GraphStore : the whole port, which every backend implements.
    """

    @abc.abstractmethod
    def get_accounts(self, ids: Sequence[str]) -> dict[str, Account]:
        """Accounts by id (missing ids are absent from the result)."""

    @abc.abstractmethod
    def get_people(self, ids: Sequence[str]) -> dict[str, Contact | Staff]:
        """Contacts and staff by id (missing ids are absent from the result)."""

    @abc.abstractmethod
    def find_people_by_email(self, emails: Sequence[str]) -> dict[str, Contact | Staff]:
        """People by email address (case-insensitive); the result is keyed by lower-case email."""

    @abc.abstractmethod
    def find_accounts_by_domain(self, domains: Sequence[str]) -> dict[str, Account]:
        """Accounts by email domain (lower-case keys)."""

    @abc.abstractmethod
    def list_accounts(
        self, filter: AccountFilter | None = None, first: int = 50, after: str | None = None
    ) -> Page:
        """Accounts ordered by id, ``first`` at a time after the cursor ``after``."""

    @abc.abstractmethod
    def account_subgraph(self, account_id: str, as_of: date) -> AccountSubgraph:
        """The account's subgraph as of the end of ``as_of``; :class:`NotFoundError` if absent."""

    @abc.abstractmethod
    def account_subgraphs(self, account_ids: Sequence[str], as_of: date) -> dict[str, AccountSubgraph]:
        """The subgraphs of several accounts as of the end of ``as_of``, read together.

        For each known id, exactly what :meth:`account_subgraph` returns; unknown ids are absent
        from the result (as in :meth:`get_accounts`), which is keyed by account id in the order
        asked (an id asked twice is read once). All of them are read at once (one query per
        record kind for them all), which costs much less than a read per account: the portfolio
        refresh reads each chunk of accounts so. ``account_ids`` must be a sequence of ids, not
        one id.
        """

    @abc.abstractmethod
    def neighbourhood(self, person_ids: Sequence[str], as_of: date) -> Neighbourhood:
        """The one-hop neighbourhood of ``person_ids`` as of ``as_of``."""

    @abc.abstractmethod
    def referral_graph(
        self, as_of: date, root_id: str | None = None, depth: int | None = None
    ) -> ReferralGraph:
        """All referrals, or those reachable from the account ``root_id`` within ``depth`` hops
        (following REFERRED forward, from the account and from its contacts)."""

    @abc.abstractmethod
    def employments_of(self, contact_ids: Sequence[str]) -> dict[str, list[Employment]]:
        """Every position of each contact, ordered by start."""

    @abc.abstractmethod
    def job_changes(self, since: date | None, as_of: date) -> list[JobChange]:
        """Job changes whose new position started after ``since`` and on or before ``as_of``."""

    @abc.abstractmethod
    def team_accounts(self, staff_id: str, as_of: date) -> list[str]:
        """Ids of the accounts whose team the staff member is on, as of ``as_of``."""

    @abc.abstractmethod
    def teams_of(self, account_ids: Sequence[str], as_of: date) -> dict[str, list[TeamMembership]]:
        """Active team memberships per account as of ``as_of`` (for the API's loaders)."""

    @abc.abstractmethod
    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Accounts and people whose name or email contains ``text`` (case-insensitive)."""

    @abc.abstractmethod
    def counts(self) -> dict[str, int]:
        """Number of stored records per kind (keys of :data:`RECORD_KINDS`)."""

    @abc.abstractmethod
    def iter_records(self, kind: str) -> Iterator[Any]:
        """Every stored record of ``kind`` in a stable order (by identity), for export."""


class GraphWriter(Protocol):
    """Writes of the graph: batches of records, job changes, merges of duplicate people.

    Writes are atomic (a batch is written whole or not at all) and idempotent (writing the same
    batch twice leaves the same graph; the second summary counts only ``unchanged``). A write
    bumps the data version of every account whose data it changed (see :class:`ResultStore`).

    See Also
    --------
    GraphStore : the whole port, which every backend implements.
    """

    @abc.abstractmethod
    def write(self, batch: GraphBatch) -> WriteSummary:
        """Upsert every record of ``batch`` in one transaction.

        Raises :class:`IntegrityError` (and writes nothing) when a line names a record that is
        neither in the batch nor stored, or when a staff id is used by a contact or vice versa.
        """

    def write_many(self, batches: Iterable[GraphBatch]) -> WriteSummary:
        """Write a stream of batches; atomic as a whole where the backend allows it.

        The embedded store writes the whole stream in one transaction. The default writes
        batch by batch (each atomic and idempotent, so a failed stream can be run again).
        """
        summary = WriteSummary()
        for batch in batches:
            summary.merge(self.write(batch))
        return summary

    @abc.abstractmethod
    def end_employment(self, contact_id: str, account_id: str, until: date) -> Employment:
        """End the contact's open position at the account on ``until`` (inclusive)."""

    @abc.abstractmethod
    def move_contact(self, contact_id: str, new: Employment) -> JobChange:
        """A job change: end the contact's open positions elsewhere the day before
        ``new.since`` and start ``new``. The former positions are kept."""

    @abc.abstractmethod
    def merge_people(self, keep_id: str, duplicate_id: str) -> None:
        """Merge two records of the same person: every line of ``duplicate_id`` moves to
        ``keep_id`` (missing properties are filled from the duplicate) and the duplicate is
        deleted. Both must be of the same kind."""


class TokenStore(Protocol):
    """The API tokens: records keyed by the token's SHA-256 hash (the token itself is never stored).

    What the API's authentication and the CLI's ``token`` commands need.

    See Also
    --------
    GraphStore : the whole port, which every backend implements.
    """

    @abc.abstractmethod
    def put_token(self, token: ApiToken) -> None:
        """Store (or replace) an API token record."""

    @abc.abstractmethod
    def get_token(self, token_hash: str) -> ApiToken | None:
        """The token record with this hash, or ``None``."""

    @abc.abstractmethod
    def list_tokens(self) -> list[ApiToken]:
        """Every token record."""

    @abc.abstractmethod
    def revoke_token(self, token_hash: str) -> None:
        """Mark a token revoked."""


class ResultStore(Protocol):
    """Materialised results, the accounts' data versions, and the data's settings (its reference date).

    What the portfolio refresh and the API's freshness checks need: a result is fresh while the
    account's data version is the one it was computed from.

    See Also
    --------
    GraphStore : the whole port, which every backend implements.
    """

    @abc.abstractmethod
    def data_versions(self, account_ids: Sequence[str] | None = None) -> dict[str, int]:
        """Per-account data version: it grows whenever a write touches the account's data."""

    @abc.abstractmethod
    def put_results(self, results: Sequence[AnalysisResult]) -> None:
        """Store materialised results, replacing those with the same (kind, account, as_of)."""

    @abc.abstractmethod
    def get_results(
        self, kind: str, as_of: date, account_ids: Sequence[str] | None = None
    ) -> dict[str, AnalysisResult]:
        """Materialised results of ``kind`` for ``as_of``, keyed by account id."""

    @abc.abstractmethod
    def reference_date(self) -> date | None:
        """The day the stored data is as of, when it has one (the demo stores the day its
        history ends on); the API and the CLI default ``as_of`` to it instead of today."""

    @abc.abstractmethod
    def set_reference_date(self, day: date | None) -> None:
        """Store the data's reference date (``None``: none, analyses default to today)."""


class AnalysisStore(GraphReader, ResultStore, Protocol):
    """Reads and materialised results: what the portfolio refresh and the portfolio view need.

    See Also
    --------
    GraphStore : the whole port, which every backend implements.
    """


class GraphStore(GraphReader, GraphWriter, TokenStore, ResultStore):
    """The port: every concern together, with the store's lifecycle. Every backend implements it.

    Every method is safe to call from several threads of one process. Writes are atomic (a
    batch is written whole or not at all) and idempotent (writing the same batch twice leaves
    the same graph; the second summary counts only ``unchanged``). Reads never see half a write.

    A caller that needs one concern only takes the narrower protocol: :class:`GraphReader`,
    :class:`GraphWriter`, :class:`TokenStore`, :class:`ResultStore` (or :class:`AnalysisStore`,
    reads and results). A backend subclasses this class, so it must implement them all.
    """

    backend: str = "abstract"

    @abc.abstractmethod
    def init(self) -> None:
        """Create or migrate the schema (constraints and indexes). Idempotent."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release what the store holds (not a driver it was given)."""

    @abc.abstractmethod
    def ping(self) -> None:
        """Raise :class:`StoreUnavailableError` when the store cannot answer."""
