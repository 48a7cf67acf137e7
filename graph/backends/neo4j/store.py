"""The Neo4j store of record: :class:`Neo4jStore` implements :class:`graph.store.GraphStore`.

One :class:`neo4j.Driver` per process is opened by its owner and passed in
(:func:`open_neo4j_store` opens one, checks that it can reach the server and hands it to a store
that closes it on :meth:`Neo4jStore.close`). Every statement is a constant of
:mod:`graph.backends.neo4j.queries`; values travel only as parameters.

* **Reads** of one statement run as auto-commit transactions in read sessions (retried as
  ``driver.execute_query(..., routing_=READ)``); reads of several
  statements (an account subgraph, a neighbourhood, the counts) run in one read transaction.
  Neo4j reads at READ COMMITTED, so an account subgraph is read under the account's lock, which
  every write of the account's data takes (:meth:`Neo4jStore.account_subgraph`); the other
  multi-statement reads may see a write that lands in their middle.
* **Writes** run in managed transactions (``session.execute_write``) that the driver retries on
  transient failures. A :class:`~graph.store.GraphBatch` is one transaction: the integrity check
  reads what the batch refers to, the current state of every record in the batch is read and
  compared with the new one (that gives the created / updated / unchanged counts and the accounts
  whose data changed), and only changed records are written, as ``UNWIND $rows`` batches that
  ``MERGE`` on identity. A retried transaction therefore leaves the same graph.
* **Data versions**: every account whose data a write changed (the account itself, its
  positions, team, lines between its contacts, interactions about it or with its contacts,
  assessments of its contacts, its referrals) gets ``Account.data_version`` one higher, in the
  same transaction; a write that changes nothing bumps nothing. An import of many batches
  (:meth:`Neo4jStore.write_many`) bumps each changed account once, at its end.
* **Schema**: :meth:`Neo4jStore.init` creates uniqueness constraints and indexes (``IF NOT
  EXISTS``); nothing happens in the constructor or at import.

Examples
--------
A server that cannot be reached gives one clear error naming the URI (never the password):

>>> open_neo4j_store("bolt://127.0.0.1:1", "neo4j", "s3cret")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
graph.store.StoreUnavailableError: cannot reach Neo4j at bolt://127.0.0.1:1: ...
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import fields, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit, urlunsplit

import neo4j
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConstraintError,
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph.backends.neo4j import queries as q
from graph.backends.neo4j import records as rec
from graph.backends.neo4j.logs import demote_driver_logs
from graph.model import (
    SIGNAL_TYPES,
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    Referral,
    RelationKind,
    ReportingLine,
    Staff,
    TeamMembership,
    Tier,
    signal_from_fields,
    signal_json,
    signal_with_contact,
)
from graph.scope import account_activity, reporting_lines_ending
from graph.store import (
    RECORD_KINDS,
    SIGNAL_FIELDS,
    SIGNAL_KINDS,
    AccountFilter,
    AccountSubgraph,
    AnalysisResult,
    ApiToken,
    GraphBatch,
    GraphStore,
    IntegrityError,
    JobChange,
    KindCounts,
    Neighbourhood,
    NotFoundError,
    Page,
    ReferralGraph,
    SearchHit,
    StoreError,
    StoreUnavailableError,
    WriteSummary,
    kind_of,
    signal_uid,
)

__all__ = ["Neo4jStore", "open_neo4j_store", "redact_uri"]

_T = TypeVar("_T")
_CHUNK = 5000
#: Transactions creating an import's new interactions at once, beside the batch transaction.
#: Two keep a two-core server busy: the demo's ``medium`` portfolio loads about half as fast
#: again as with one (docs/benchmarks.md); more only queue on the same cores.
_WRITE_WORKERS = 2
_PAGE = 2000
_FAR_FUTURE = datetime(9999, 12, 31, tzinfo=UTC)


def open_neo4j_store(uri: str, user: str, password: str, database: str = "neo4j") -> Neo4jStore:
    """Open a driver to ``uri``, check that the server answers, and return a store owning it.

    The returned store closes the driver on :meth:`Neo4jStore.close`. It does not create the
    schema: call :meth:`Neo4jStore.init` for that.

    Raises
    ------
    StoreUnavailableError
        The URI is malformed, the server cannot be reached, it rejects the credentials or the
        database does not exist. The message names the URI (without any user info) and never
        the password.
    """
    demote_driver_logs()  # the driver's retry warnings are DEBUG: the user sees our one error
    shown = redact_uri(uri)

    def fail(reason: str) -> StoreUnavailableError:
        text = reason.replace(password, "***") if len(password) >= 4 else reason
        return StoreUnavailableError(f"cannot reach Neo4j at {shown}: {text}")

    auth = (user, password) if user or password else None
    try:
        driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, connection_timeout=10.0, max_transaction_retry_time=15.0
        )
    except (ConfigurationError, ValueError) as exc:
        raise fail(f"invalid URI ({exc})") from None
    try:
        driver.verify_connectivity()
        driver.execute_query(q.PING, routing_=neo4j.RoutingControl.READ, database_=database)
    except AuthError:
        driver.close()
        raise fail(f"the server rejected the credentials of user {user!r}") from None
    except (DriverError, OSError, ValueError) as exc:  # unreachable, unresolvable, TLS, ...
        driver.close()
        raise fail(_one_line(exc)) from None
    except Neo4jError as exc:
        driver.close()
        raise fail(f"database {database!r} is not available ({_one_line(exc)})") from None
    return Neo4jStore(driver, database, owns_driver=True, uri=uri)


def redact_uri(uri: str) -> str:
    """``uri`` without the user info (``user:password@``) it may carry.

    Examples
    --------
    >>> redact_uri("neo4j+s://me:pw@db.example.com:7687")
    'neo4j+s://db.example.com:7687'
    >>> redact_uri("bolt://localhost:7687")
    'bolt://localhost:7687'
    """
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<malformed URI>"
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:500] if text else type(exc).__name__


class Neo4jStore(GraphStore):
    """The :class:`~graph.store.GraphStore` on a Neo4j 5 database.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver; the store does not close it unless ``owns_driver``.
    database : str
        The database to use.
    owns_driver : bool
        Close ``driver`` on :meth:`close` (set by :func:`open_neo4j_store`).
    uri : str, optional
        Shown (without user info) in :class:`~graph.store.StoreUnavailableError` messages.
    write_workers : int
        Transactions that create an import's new interactions beside its batch transaction
        (see :meth:`write_many`).
    """

    backend = "neo4j"

    def __init__(
        self,
        driver: neo4j.Driver,
        database: str = "neo4j",
        *,
        owns_driver: bool = False,
        uri: str | None = None,
        write_workers: int = _WRITE_WORKERS,
    ) -> None:
        if write_workers < 1:
            raise ValueError(f"write_workers must be at least 1, got {write_workers}")
        self._driver = driver
        self._database = database
        self._owns_driver = owns_driver
        self._uri = redact_uri(uri) if uri else "the configured server"
        self._closed = False
        self._lock = threading.Lock()
        self._write_workers = write_workers

    # -- plumbing ------------------------------------------------------------------------------
    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except AuthError:
            raise StoreUnavailableError(f"Neo4j at {self._uri} rejected the credentials") from None
        except (ServiceUnavailable, SessionExpired, DatabaseUnavailable) as exc:
            # DatabaseUnavailable: the retries ran out while the server was shutting down.
            raise StoreUnavailableError(f"cannot reach Neo4j at {self._uri}: {_one_line(exc)}") from None

    def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        """One read statement, routed to a reader, seeing the writes made before it.

        First as an auto-commit transaction (one round trip: a managed one takes two, which
        was a third of a warm API request); when that fails on a transient error or a lost
        connection, as a managed transaction, which the driver retries until
        ``max_transaction_retry_time``.
        """
        with self._errors():
            try:
                with self._session(neo4j.READ_ACCESS) as session:
                    return list(session.run(query, params))
            except (TransientError, ServiceUnavailable, SessionExpired):
                result = self._driver.execute_query(
                    query, params, routing_=neo4j.RoutingControl.READ, database_=self._database
                )
                return list(result.records)

    def _read_collected(self, query: str, **params: Any) -> list[Any]:
        """The rows a statement collected into its one record (``RETURN collect(...) AS rows``)."""
        return list(self._read(query, **params)[0]["rows"])

    def _session(self, mode: str) -> neo4j.Session:
        # The bookmark manager execute_query uses: reads see the writes made before them.
        return self._driver.session(
            database=self._database,
            default_access_mode=mode,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )

    def _read_tx(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        with (
            self._errors(),
            self._session(neo4j.READ_ACCESS) as session,
        ):
            return session.execute_read(work)

    def _write_tx(self, work: Callable[[neo4j.ManagedTransaction], _T]) -> _T:
        with (
            self._errors(),
            self._session(neo4j.WRITE_ACCESS) as session,
        ):
            return session.execute_write(work)

    # -- lifecycle -------------------------------------------------------------------------
    def init(self) -> None:
        """Create the uniqueness constraints and indexes (``IF NOT EXISTS``: idempotent), then
        give influence lines from before typed relations their kind (idempotent too)."""
        with self._errors():
            for statement in q.SCHEMA_STATEMENTS:
                self._driver.execute_query(statement, database_=self._database)
            self._driver.execute_query(q.AWAIT_INDEXES, database_=self._database)
            self._driver.execute_query(
                q.SET_INFLUENCE_KIND, {"kind": RelationKind.INFLUENCES.value}, database_=self._database
            )

    def wipe(self) -> None:
        """Delete every node and relationship of the database. **For tests only.**

        The constraints and indexes stay. Use it only on a database that belongs to the tests.
        """
        with self._errors():
            while True:
                records, _, _ = self._driver.execute_query(q.WIPE, database_=self._database)
                if not records[0]["deleted"]:
                    break

    def close(self) -> None:
        """Close the driver if this store opened it (:func:`open_neo4j_store`); idempotent."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if self._owns_driver:
            self._driver.close()

    def ping(self) -> None:
        """Raise :class:`~graph.store.StoreUnavailableError` when the database does not answer.

        At once: one auto-commit query, without the driver's retries of a managed transaction
        (they would hold a readiness check for their whole budget, 15 s and more); a pooled
        connection that broke since its last use is tried once more, on a new connection.
        """

        def once() -> None:
            with self._session(neo4j.READ_ACCESS) as session:
                session.run(q.PING).consume()

        try:
            with self._errors():
                try:
                    once()
                except (ServiceUnavailable, SessionExpired):
                    once()
        except Neo4jError as exc:
            raise StoreUnavailableError(f"Neo4j at {self._uri} does not answer: {_one_line(exc)}") from None

    # -- writes ----------------------------------------------------------------------------
    def write(self, batch: GraphBatch) -> WriteSummary:
        """Upsert every record of ``batch`` in one managed transaction (see the module notes)."""
        return self._write_batch(batch, bump=True)

    def write_many(self, batches: Iterable[GraphBatch]) -> WriteSummary:
        """Write a stream of batches, one transaction each; one data version bump per import.

        Each batch is atomic and idempotent (a stream that failed half-way can be run again).
        A batch marks the accounts whose data it changed as *pending* in its own transaction;
        when the stream is done, one last transaction adds one to the data version of every
        pending account and clears the mark. So an account changed by several batches of one
        import gets one bump, like on the embedded store, and marks left by an import that died
        are bumped by the next one: a version never stays behind the data.

        The interactions a batch creates (not those it updates) are written by
        :class:`_InteractionWriters` transactions after the batch's own commits, beside the next
        batches; an import that dies may leave the last of them unwritten, and its next run
        writes them. The bump waits for all of them.
        """
        summary = WriteSummary()
        with _InteractionWriters(self._create_interactions, self._write_workers) as writers:
            for batch in batches:
                # A later batch may update an interaction an earlier one is still creating, and
                # one that locks an account a writer holds would wait on it and risk a deadlock.
                writers.wait_for({i.id for i in batch.interactions}, _accounts_named(batch))
                new: list[_NewInteraction] = []
                summary.merge(self._write_batch(batch, bump=False, deferred=new))
                writers.submit(new)
        with self._errors():
            self._driver.execute_query(q.BUMP_PENDING_DATA_VERSIONS, database_=self._database)
        return summary

    def _create_interactions(self, new: Sequence[_NewInteraction]) -> None:
        """Create interactions no batch stored yet, holding the locks of the accounts they change."""
        accounts = sorted(set().union(*(n.accounts for n in new)))

        rows = [n.row for n in new]

        def work(tx: neo4j.ManagedTransaction, *, merge: bool = False) -> None:
            if merge:
                tx.run(q.UNLINK_INTERACTIONS, {"ids": [row["id"] for row in rows]}).consume()
                tx.run(q.WRITE_INTERACTIONS, {"rows": rows}).consume()
            else:
                tx.run(q.CREATE_INTERACTIONS, {"rows": rows}).consume()
            # Last, so the accounts stay locked only while this transaction commits.
            tx.run(q.LOCK_ACCOUNTS, {"account_ids": accounts}).consume()

        try:
            self._write_tx(work)
        except ConstraintError:
            # Another writer stored one of these ids since the batch read them: the last write
            # wins, as between any two writes.
            self._write_tx(lambda tx: work(tx, merge=True))

    def _write_batch(
        self, batch: GraphBatch, *, bump: bool, deferred: list[_NewInteraction] | None = None
    ) -> WriteSummary:
        for kind, values in batch.by_kind().items():
            for record in values:
                if type(record) is not _TYPE_OF[kind]:
                    raise TypeError(f"GraphBatch {kind} list holds a {type(record).__name__}")
        records = {kind: _unique(values) for kind, values in batch.by_kind().items()}
        if not any(records.values()):
            return WriteSummary()

        def work(tx: neo4j.ManagedTransaction) -> WriteSummary:
            problems = _integrity_problems(tx, records)
            if problems:
                raise IntegrityError(problems)
            if deferred is not None:
                deferred.clear()  # a retried transaction starts over
            return _apply(tx, records, bump=bump, deferred=deferred)

        return self._write_tx(work)

    def end_employment(self, contact_id: str, account_id: str, until: date) -> Employment:
        """End the contact's open position at the account on ``until`` (inclusive).

        Raises :class:`~graph.store.NotFoundError` when there is no open position there, and
        :class:`~graph.model.ModelError` when ``until`` is before the position's start.
        """

        def work(tx: neo4j.ManagedTransaction) -> Employment:
            open_ = [
                e for e in _employments_of(tx, [contact_id]) if e.account_id == account_id and e.until is None
            ]
            if not open_:
                raise NotFoundError(f"contact {contact_id!r} has no open position at account {account_id!r}")
            current = max(open_, key=_start)
            ended = replace(current, until=until)
            lines = _lines_ending(tx, contact_id, [account_id], until)
            _apply(tx, {"employment": [ended], "reporting_line": lines})
            return ended

        return self._write_tx(work)

    def move_contact(self, contact_id: str, new: Employment) -> JobChange:
        """End the contact's open positions elsewhere the day before ``new.since``; start ``new``.

        ``old`` of the returned :class:`~graph.store.JobChange` is the open position ended (the
        latest started), else the latest former position elsewhere. Raises
        :class:`~graph.store.NotFoundError` for an unknown contact or one that never held a
        position elsewhere, :class:`~graph.store.IntegrityError` for an unknown account and
        :class:`~graph.store.StoreError` when ``new`` is for another contact or has no start.
        """
        if new.contact_id != contact_id:
            raise StoreError(f"move_contact: the new position is of {new.contact_id!r}, not {contact_id!r}")
        if new.since is None:
            raise StoreError(f"move_contact: the new position of {contact_id!r} needs a start day (since)")
        start = new.since

        def work(tx: neo4j.ManagedTransaction) -> JobChange:
            person = _people(tx, [contact_id]).get(contact_id)
            if not isinstance(person, Contact):
                raise NotFoundError(f"unknown contact {contact_id!r}")
            elsewhere = sorted(
                (e for e in _employments_of(tx, [contact_id]) if e.account_id != new.account_id),
                key=_employment_order,
            )
            ended = [replace(e, until=start - timedelta(days=1)) for e in elsewhere if e.until is None]
            candidates = ended or elsewhere
            if not candidates:
                raise NotFoundError(f"contact {contact_id!r} has no former position to move from")
            old = candidates[-1]
            left = sorted({e.account_id for e in ended})
            batch: dict[str, list[Any]] = {
                "employment": [*ended, new],
                "reporting_line": _lines_ending(tx, contact_id, left, start - timedelta(days=1)),
            }
            problems = _integrity_problems(tx, batch)
            if problems:
                raise IntegrityError(problems)
            _apply(tx, batch)
            return JobChange(contact_id=contact_id, old=old, new=new)

        return self._write_tx(work)

    def merge_people(self, keep_id: str, duplicate_id: str) -> None:
        """Merge ``duplicate_id`` into ``keep_id`` (same kind): lines move, gaps are filled.

        Lines that ``keep_id`` already has (same identity) keep their version; lines that would
        join the person to itself are dropped; accounts the duplicate owned now belong to
        ``keep_id``. Raises :class:`~graph.store.NotFoundError` for an unknown id,
        :class:`~graph.store.IntegrityError` when one is a contact and the other staff and
        :class:`~graph.store.StoreError` when both ids are the same.
        """
        if keep_id == duplicate_id:
            raise StoreError(f"merge_people: cannot merge {keep_id!r} with itself")

        def work(tx: neo4j.ManagedTransaction) -> None:
            people = _people(tx, [keep_id, duplicate_id])
            for pid in (keep_id, duplicate_id):
                if pid not in people:
                    raise NotFoundError(f"unknown person {pid!r}")
            keep, dup = people[keep_id], people[duplicate_id]
            if type(keep) is not type(dup):
                raise IntegrityError(
                    [
                        f"cannot merge {type(dup).__name__.lower()} {duplicate_id!r} into "
                        f"{type(keep).__name__.lower()} {keep_id!r}: not the same kind"
                    ]
                )
            filled = replace(
                keep,
                **{
                    f.name: getattr(dup, f.name)
                    for f in fields(keep)
                    if getattr(keep, f.name) is None and getattr(dup, f.name) is not None
                },
            )
            both = [keep_id, duplicate_id]
            # The accounts either person's data belongs to: employers, teams, interactions.
            touched = {e.account_id for e in _employments_of(tx, both)}
            touched |= {m.account_id for m in _team_of_staff(tx, both)}
            touched |= {a for i in _interactions_of(tx, both, _FAR_FUTURE) for a in i.accounts}
            moved = _moved_lines(tx, keep_id, duplicate_id)
            touched |= _merge_signal_contacts(tx, keep_id, duplicate_id)
            owned = [r["id"] for r in tx.run(q.ACCOUNTS_OWNED_BY, {"owner": duplicate_id})]
            tx.run(q.DELETE_PERSON, {"id": duplicate_id}).consume()
            if owned:
                tx.run(q.SET_ACCOUNT_OWNER, {"ids": owned, "owner": keep_id}).consume()
            kind = "contact" if isinstance(filled, Contact) else "staff"
            moved[kind] = [filled]
            _apply(tx, moved, touched=touched | set(owned))

        self._write_tx(work)

    # -- reads -----------------------------------------------------------------------------
    def get_accounts(self, ids: Sequence[str]) -> dict[str, Account]:
        """Accounts by id (missing ids are absent from the result)."""
        if not ids:
            return {}
        rows = self._read(q.GET_ACCOUNTS, ids=list(dict.fromkeys(ids)))
        return {a.id: a for a in (rec.account_from(r["row"]) for r in rows)}

    def get_people(self, ids: Sequence[str]) -> dict[str, Contact | Staff]:
        """Contacts and staff by id (missing ids are absent from the result)."""
        if not ids:
            return {}
        rows = self._read(q.GET_PEOPLE, ids=list(dict.fromkeys(ids)))
        return {p.id: p for p in (rec.person_from(r["kind"], r["row"]) for r in rows)}

    def find_people_by_email(self, emails: Sequence[str]) -> dict[str, Contact | Staff]:
        """People by email address (case-insensitive), keyed by lower-case email."""
        wanted = sorted({e.strip().lower() for e in emails if e and e.strip()})
        if not wanted:
            return {}
        found: dict[str, Contact | Staff] = {}
        for r in self._read(q.FIND_PEOPLE_BY_EMAIL, emails=wanted):  # by id: the last id wins
            person = rec.person_from(r["kind"], r["row"])
            if person.email is not None:
                found[person.email] = person
        return found

    def find_accounts_by_domain(self, domains: Sequence[str]) -> dict[str, Account]:
        """Accounts by email domain (lower-case keys); the first account by id wins a shared domain."""
        wanted = sorted({d.strip().lower() for d in domains if d and d.strip()})
        if not wanted:
            return {}
        found: dict[str, Account] = {}
        for r in self._read(q.FIND_ACCOUNTS_BY_DOMAIN, domains=wanted):
            found.setdefault(r["domain"], rec.account_from(r["row"]))
        return found

    def list_accounts(
        self, filter: AccountFilter | None = None, first: int = 50, after: str | None = None
    ) -> Page:
        """Accounts ordered by id, ``first`` at a time after the cursor ``after``."""
        if isinstance(first, bool) or not isinstance(first, int) or first < 1:
            raise StoreError(f"list_accounts: first must be a positive integer, got {first!r}")
        f = filter or AccountFilter()
        rows = self._read(
            q.LIST_ACCOUNTS,
            after=_decode_cursor(after) if after else None,
            tier=f.tier.value if isinstance(f.tier, Tier) else f.tier,
            owner=f.owner,
            industry=f.industry,
            region=f.region,
            ids=sorted(f.ids) if f.ids is not None else None,
            name_contains=f.name_contains or None,
            limit=first + 1,
        )
        items = [rec.account_from(r["row"]) for r in rows[:first]]
        has_next = len(rows) > first
        return Page(
            items=items, end_cursor=_encode_cursor(items[-1].id) if items else None, has_next=has_next
        )

    def account_subgraph(self, account_id: str, as_of: date) -> AccountSubgraph:
        """The account's subgraph as of the end of ``as_of``: all of one committed state (read
        as :meth:`account_subgraphs` reads several)."""
        found = self.account_subgraphs([account_id], as_of)
        if account_id not in found:
            raise NotFoundError(f"unknown account {account_id!r}")
        return found[account_id]

    def account_subgraphs(self, account_ids: Sequence[str], as_of: date) -> dict[str, AccountSubgraph]:
        """The subgraphs of several accounts as of the end of ``as_of``, each what
        :meth:`account_subgraph` returns; unknown ids are absent. One transaction and one
        statement per record kind for all of them.

        Neo4j reads at READ COMMITTED, and a commit becomes visible record by record: a read
        that overlaps the commit of a write can see the account already new and its contacts
        still old, even when a token the write set on the account is the same at the read's
        first and last statement (a test caught 1 read of 60 doing so with such a token). So the
        read holds the accounts' locks (a write transaction, served by the leader in a cluster):
        every write that changes an account's data sets a property of the account node, so it
        waits for the read, or the read for its commit. The lock costs about what the token check
        did (24-27 ms for an average demo account either way). The accounts are locked in the
        order of their ids, so two reads of overlapping chunks wait for each other rather than
        deadlock.
        """
        if isinstance(account_ids, str):
            raise TypeError(f"account_subgraphs takes a sequence of account ids, not the id {account_ids!r}")
        wanted = list(dict.fromkeys(account_ids))
        if not wanted:
            return {}

        def locked(tx: neo4j.ManagedTransaction) -> dict[str, AccountSubgraph]:
            rows = [r["row"] for r in tx.run(q.LOCK_SUBGRAPH_ACCOUNTS, {"ids": sorted(wanted)})]
            accounts = {a.id: a for a in map(rec.account_from, rows)}
            read = _account_subgraphs(tx, [accounts[a] for a in wanted if a in accounts], as_of)
            return {a: read[a] for a in wanted if a in read}

        return self._write_tx(locked)

    def neighbourhood(self, person_ids: Sequence[str], as_of: date) -> Neighbourhood:
        """The one-hop neighbourhood of ``person_ids`` as of ``as_of``, read in one transaction."""
        return self._read_tx(lambda tx: _neighbourhood(tx, list(dict.fromkeys(person_ids)), as_of))

    def referral_graph(
        self, as_of: date, root_id: str | None = None, depth: int | None = None
    ) -> ReferralGraph:
        """All referrals dated by ``as_of``, or those reachable from ``root_id`` within ``depth`` hops."""
        if depth is not None and depth < 0:
            raise StoreError(f"referral_graph: depth must not be negative, got {depth}")
        return self._read_tx(lambda tx: _referral_graph(tx, as_of, root_id, depth))

    def employments_of(self, contact_ids: Sequence[str]) -> dict[str, list[Employment]]:
        """Every position of each contact (that has one), ordered by start."""
        if not contact_ids:
            return {}
        rows = self._read_collected(q.EMPLOYMENTS_OF_CONTACTS, ids=list(dict.fromkeys(contact_ids)))
        result: dict[str, list[Employment]] = defaultdict(list)
        for e in sorted((rec.employment_from(r) for r in rows), key=_employment_order):
            result[e.contact_id].append(e)
        return dict(result)

    def job_changes(self, since: date | None, as_of: date) -> list[JobChange]:
        """Job changes whose new position started after ``since`` and on or before ``as_of``."""

        def work(tx: neo4j.ManagedTransaction) -> list[JobChange]:
            ids = [r["id"] for r in tx.run(q.CONTACTS_WITH_NEW_POSITIONS, {"since": since, "as_of": as_of})]
            return _job_changes(_employments_of(tx, ids), since, as_of)

        return self._read_tx(work)

    def team_accounts(self, staff_id: str, as_of: date) -> list[str]:
        """Ids of the accounts whose team the staff member is on, as of ``as_of``."""
        rows = self._read_collected(q.TEAM_OF_STAFF, ids=[staff_id])
        return sorted(
            {m.account_id for m in (rec.team_membership_from(r) for r in rows) if m.active_on(as_of)}
        )

    def teams_of(self, account_ids: Sequence[str], as_of: date) -> dict[str, list[TeamMembership]]:
        """Active team memberships per account as of ``as_of`` (accounts without any are absent)."""
        ids = list(dict.fromkeys(account_ids))
        result: dict[str, list[TeamMembership]] = {}
        if not ids:
            return result
        members = [rec.team_membership_from(r) for r in self._read_collected(q.TEAM_OF_ACCOUNTS, ids=ids)]
        for m in sorted(members, key=lambda m: (m.account_id, m.staff_id, m.team_role.value)):
            if m.active_on(as_of):
                result.setdefault(m.account_id, []).append(m)
        return result

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Accounts and people whose name or email contains ``text`` (case-insensitive)."""
        needle = text.strip().lower()
        if not needle or limit <= 0:
            return []

        def work(tx: neo4j.ManagedTransaction) -> list[SearchHit]:
            hits = [
                SearchHit(kind=r["kind"], id=r["id"], name=r["name"], detail=r["detail"])
                for query in (q.SEARCH_ACCOUNTS, q.SEARCH_PEOPLE)
                for r in tx.run(query, {"text": needle, "limit": limit})
            ]
            return sorted(hits, key=lambda h: (h.name.lower(), h.kind, h.id))[:limit]

        return self._read_tx(work)

    def counts(self) -> dict[str, int]:
        """Number of stored records per kind, read in one transaction."""
        statements = {
            "account": q.COUNT_ACCOUNTS,
            "contact": q.COUNT_CONTACTS,
            "staff": q.COUNT_STAFF,
            "employment": q.COUNT_EMPLOYMENTS,
            "reporting_line": q.COUNT_REPORTING_LINES,
            "influence_line": q.COUNT_INFLUENCE_LINES,
            "team_membership": q.COUNT_TEAM_MEMBERSHIPS,
            "interaction": q.COUNT_INTERACTIONS,
            "assessment": q.COUNT_ASSESSMENTS,
            "referral": q.COUNT_REFERRALS,
        }

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            counts = {
                kind: int(tx.run(statement).single(strict=True)["n"])
                for kind, statement in statements.items()
            }
            counts.update(dict.fromkeys(SIGNAL_KINDS, 0))
            counts.update({r["kind"]: int(r["n"]) for r in tx.run(q.COUNT_SIGNALS)})
            return {kind: counts[kind] for kind in RECORD_KINDS}

        return self._read_tx(work)

    def iter_records(self, kind: str) -> Iterator[Any]:
        """Every stored record of ``kind`` in a stable order (by identity), for export.

        Nodes are read a page at a time by id; lines are read whole and sorted by identity.
        """
        if kind not in RECORD_KINDS:
            raise StoreError(f"unknown record kind {kind!r}; one of {', '.join(RECORD_KINDS)}")
        if kind in SIGNAL_KINDS:
            return iter(
                [
                    signal_from_fields(kind, json.loads(r["fields"]))
                    for r in self._read(q.SIGNALS_OF_KIND, kind=kind)
                ]
            )
        if kind in _NODE_PAGES:
            return self._iter_nodes(kind)
        query, parse = _ALL_LINES[kind]
        lines = [parse(r["row"]) for r in self._read(query)]
        return iter(sorted(lines, key=_line_order))

    def _iter_nodes(self, kind: str) -> Iterator[Any]:
        query, parse = _NODE_PAGES[kind]
        after: str | None = None
        while True:
            rows = self._read(query, after=after, limit=_PAGE)
            for r in rows:
                yield parse(r["row"])
            if len(rows) < _PAGE:
                return
            after = rows[-1]["id"]

    # -- change tracking and materialised results -------------------------------------------
    def data_versions(self, account_ids: Sequence[str] | None = None) -> dict[str, int]:
        """Per-account data version (accounts never bumped are absent)."""
        ids = list(dict.fromkeys(account_ids)) if account_ids is not None else None
        if ids == []:
            return {}
        rows = self._read(q.ALL_DATA_VERSIONS) if ids is None else self._read(q.DATA_VERSIONS_OF, ids=ids)
        return {r["id"]: int(r["version"]) for r in rows}

    def put_results(self, results: Sequence[AnalysisResult]) -> None:
        """Store results, replacing those with the same (kind, account, as_of)."""
        if not results:
            return
        now = datetime.now(UTC)
        rows = [rec.result_row(r, now) for r in results]

        def work(tx: neo4j.ManagedTransaction) -> None:
            for chunk in _chunks(rows):
                tx.run(q.PUT_RESULTS, {"rows": chunk}).consume()

        self._write_tx(work)

    def get_results(
        self, kind: str, as_of: date, account_ids: Sequence[str] | None = None
    ) -> dict[str, AnalysisResult]:
        """Materialised results of ``kind`` for ``as_of``, keyed by account id."""
        ids = list(dict.fromkeys(account_ids)) if account_ids is not None else None
        if ids == []:
            return {}
        rows = self._read(q.GET_RESULTS, kind=kind, as_of=as_of, ids=ids)
        return {r.account_id: r for r in (rec.result_from(row["row"]) for row in rows)}

    # -- API tokens --------------------------------------------------------------------------
    def put_token(self, token: ApiToken) -> None:
        """Store (or replace) an API token record."""
        row = rec.token_row(token)

        def work(tx: neo4j.ManagedTransaction) -> None:
            tx.run(q.PUT_TOKEN, row).consume()

        self._write_tx(work)

    def reference_date(self) -> date | None:
        """The data's reference date, or ``None``."""
        rows = self._read(q.GET_SETTING, key=_REFERENCE_DATE)
        return date.fromisoformat(rows[0]["value"]) if rows else None

    def set_reference_date(self, day: date | None) -> None:
        """Store (or clear, with ``None``) the data's reference date."""

        def work(tx: neo4j.ManagedTransaction) -> None:
            if day is None:
                tx.run(q.DELETE_SETTING, {"key": _REFERENCE_DATE}).consume()
            else:
                tx.run(q.PUT_SETTING, {"key": _REFERENCE_DATE, "value": day.isoformat()}).consume()

        self._write_tx(work)

    def get_token(self, token_hash: str) -> ApiToken | None:
        """The token record with this hash, or ``None``."""
        rows = self._read(q.GET_TOKEN, token_hash=token_hash)
        return rec.token_from(rows[0]["row"]) if rows else None

    def list_tokens(self) -> list[ApiToken]:
        """Every token record, ordered by hash."""
        return [rec.token_from(r["row"]) for r in self._read(q.LIST_TOKENS)]

    def revoke_token(self, token_hash: str) -> None:
        """Mark a token revoked; :class:`~graph.store.NotFoundError` for an unknown hash."""

        def work(tx: neo4j.ManagedTransaction) -> int:
            return len(list(tx.run(q.REVOKE_TOKEN, {"token_hash": token_hash})))

        if not self._write_tx(work):
            raise NotFoundError("unknown API token")


# -- cursors --------------------------------------------------------------------------------


def _encode_cursor(account_id: str) -> str:
    return base64.urlsafe_b64encode(f"account:{account_id}".encode()).decode("ascii")


def _decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith("account:"):
        raise StoreError(f"invalid cursor {cursor!r}")
    return text[len("account:") :]


# -- ordering helpers -----------------------------------------------------------------------


def _start(e: Employment) -> date:
    return e.since or date.min


def _employment_order(e: Employment) -> tuple[str, str, str]:
    """Contact, start (unknown first) and account: the order the embedded store uses too."""
    return (e.contact_id, rec.since_key(e.since), e.account_id)


def _line_order(record: Any) -> tuple[str, ...]:
    key: tuple[str, ...] = record.key
    return key


def _unique(records: Iterable[_T]) -> list[_T]:
    seen: dict[object, _T] = {}
    for record in records:
        seen[_identity(record)] = record
    return list(seen.values())


def _identity(record: Any) -> object:
    key = getattr(record, "key", None)
    return key if key is not None else record.id


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def _end_of(as_of: date) -> datetime:
    return datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=UTC)


def _started(since: date | None, as_of: date) -> bool:
    return since is None or since <= as_of


# -- transaction helpers ----------------------------------------------------------------------


def _rows(tx: neo4j.ManagedTransaction, query: str, ids: Iterable[str], **params: Any) -> list[Any]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    # the statement collects its rows into one record: the driver's cost is per record
    return list(tx.run(query, {"ids": wanted, **params}).single(strict=True)["rows"])


def _account_rows(tx: neo4j.ManagedTransaction, ids: Iterable[str]) -> list[Any]:
    wanted = sorted(set(ids))
    return [r["row"] for r in tx.run(q.GET_ACCOUNTS, {"ids": wanted})] if wanted else []


def _accounts(tx: neo4j.ManagedTransaction, ids: Iterable[str]) -> dict[str, Account]:
    return {a.id: a for a in map(rec.account_from, _account_rows(tx, ids))}


def _people(tx: neo4j.ManagedTransaction, ids: Iterable[str]) -> dict[str, Contact | Staff]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    result = tx.run(q.GET_PEOPLE, {"ids": wanted})
    return {p.id: p for p in (rec.person_from(r["kind"], r["row"]) for r in result)}


def _employments_of(tx: neo4j.ManagedTransaction, contact_ids: Iterable[str]) -> list[Employment]:
    return [rec.employment_from(r) for r in _rows(tx, q.EMPLOYMENTS_OF_CONTACTS, contact_ids)]


def _employments_at(tx: neo4j.ManagedTransaction, account_ids: Iterable[str]) -> list[Employment]:
    return [rec.employment_from(r) for r in _rows(tx, q.EMPLOYMENTS_AT_ACCOUNTS, account_ids)]


def _team_of_accounts(tx: neo4j.ManagedTransaction, account_ids: Iterable[str]) -> list[TeamMembership]:
    return [rec.team_membership_from(r) for r in _rows(tx, q.TEAM_OF_ACCOUNTS, account_ids)]


def _team_of_staff(tx: neo4j.ManagedTransaction, staff_ids: Iterable[str]) -> list[TeamMembership]:
    return [rec.team_membership_from(r) for r in _rows(tx, q.TEAM_OF_STAFF, staff_ids)]


def _reporting_lines(tx: neo4j.ManagedTransaction, contact_ids: Iterable[str]) -> list[ReportingLine]:
    return [rec.reporting_line_from(r) for r in _rows(tx, q.REPORTING_LINES_OF_CONTACTS, contact_ids)]


#: Key of the reference date's ``(:Setting)`` node.
_REFERENCE_DATE = "reference_date"


def _lines_ending(
    tx: neo4j.ManagedTransaction, contact_id: str, left: Sequence[str], last_day: date
) -> list[ReportingLine]:
    """The contact's open reporting lines at the accounts ``left``, ended on ``last_day``."""
    lines = [r for r in _reporting_lines(tx, [contact_id]) if r.until is None]
    others = {line.manager_id if line.contact_id == contact_id else line.contact_id for line in lines}
    jobs = _employments_of(tx, sorted(others)) if others else []
    return reporting_lines_ending(contact_id, left, last_day, lines, jobs)


def _influence_lines(tx: neo4j.ManagedTransaction, contact_ids: Iterable[str]) -> list[InfluenceLine]:
    return [rec.influence_line_from(r) for r in _rows(tx, q.INFLUENCE_LINES_OF_CONTACTS, contact_ids)]


def _assessments(tx: neo4j.ManagedTransaction, person_ids: Iterable[str]) -> list[Assessment]:
    return [rec.assessment_from(r) for r in _rows(tx, q.ASSESSMENTS_OF_PEOPLE, person_ids)]


def _referrals_to(tx: neo4j.ManagedTransaction, account_ids: Iterable[str]) -> list[Referral]:
    return [rec.referral_from(r) for r in _rows(tx, q.REFERRALS_TO_ACCOUNTS, account_ids)]


def _referrals_from(tx: neo4j.ManagedTransaction, source_ids: Iterable[str]) -> list[Referral]:
    return [rec.referral_from(r) for r in _rows(tx, q.REFERRALS_FROM, source_ids)]


def _interactions_by_ids(tx: neo4j.ManagedTransaction, ids: Iterable[str]) -> list[Interaction]:
    return [rec.interaction_from(r) for r in _rows(tx, q.INTERACTIONS_BY_IDS, ids)]


def _interactions_of(
    tx: neo4j.ManagedTransaction, person_ids: Iterable[str], end: datetime
) -> list[Interaction]:
    return [rec.interaction_from(r) for r in _rows(tx, q.INTERACTIONS_OF_PEOPLE, person_ids, end=end)]


def _by_identity(records: Iterable[_T]) -> dict[object, _T]:
    return {_identity(r): r for r in records}


# -- integrity ------------------------------------------------------------------------------


def _integrity_problems(tx: neo4j.ManagedTransaction, records: Mapping[str, list[Any]]) -> list[str]:
    """Every reference of the batch to a record neither in the batch nor stored, and every id
    used for a contact and a staff member at once."""
    records = {kind: list(records.get(kind, ())) for kind in RECORD_KINDS}
    accounts_in = {a.id for a in records["account"]}
    contacts_in = {c.id for c in records["contact"]}
    staff_in = {s.id for s in records["staff"]}
    need_accounts: set[str] = set()
    need_people: set[str] = set(contacts_in | staff_in)
    for e in records["employment"]:
        need_accounts.add(e.account_id)
        need_people.add(e.contact_id)
    for rl in records["reporting_line"]:
        need_people |= {rl.contact_id, rl.manager_id}
    for il in records["influence_line"]:
        need_people |= {il.source_id, il.target_id}
    for m in records["team_membership"]:
        need_accounts.add(m.account_id)
        need_people.add(m.staff_id)
    for i in records["interaction"]:
        need_accounts |= set(i.accounts)
        need_people |= set(i.participants)
    for a in records["assessment"]:
        need_people |= {a.staff_id, a.contact_id}
    for r in records["referral"]:
        need_accounts.add(r.target_id)
        if r.source_kind == "account":
            need_accounts.add(r.source_id)
        else:
            need_people.add(r.source_id)
    for kind in SIGNAL_KINDS:
        for sig in records[kind]:
            need_accounts.add(sig.account_id)
            need_people |= set(sig.named_contacts)
    stored_accounts = {
        r["row"]["id"] for r in tx.run(q.GET_ACCOUNTS, {"ids": sorted(need_accounts - accounts_in)})
    }
    stored_kinds = {r["row"]["id"]: r["kind"] for r in tx.run(q.GET_PEOPLE, {"ids": sorted(need_people)})}
    problems: list[str] = []
    for pid in sorted(contacts_in & staff_in):
        problems.append(f"contact {pid!r}: the id is also used by a staff member of the batch")
    for pid in sorted(contacts_in - staff_in):
        if stored_kinds.get(pid) == "staff":
            problems.append(f"contact {pid!r}: the id is already used by a staff member")
    for pid in sorted(staff_in - contacts_in):
        if stored_kinds.get(pid) == "contact":
            problems.append(f"staff {pid!r}: the id is already used by a contact")
    kinds = dict(stored_kinds)
    kinds.update({pid: "contact" for pid in contacts_in})
    kinds.update({pid: "staff" for pid in staff_in})
    known_accounts = accounts_in | stored_accounts

    def account(kind: str, ident: object, aid: str) -> None:
        if aid not in known_accounts:
            problems.append(f"{kind} {ident}: unknown account {aid!r}")

    def person(kind: str, ident: object, pid: str, want: str | None) -> None:
        found = kinds.get(pid)
        if found is None:
            problems.append(f"{kind} {ident}: unknown {want or 'person'} {pid!r}")
        elif want is not None and found != want:
            problems.append(f"{kind} {ident}: {pid!r} is a {found}, not a {want}")

    for e in records["employment"]:
        person("employment", e.key, e.contact_id, "contact")
        account("employment", e.key, e.account_id)
    for rl in records["reporting_line"]:
        person("reporting_line", rl.key, rl.contact_id, "contact")
        person("reporting_line", rl.key, rl.manager_id, "contact")
    for il in records["influence_line"]:
        person("influence_line", il.key, il.source_id, "contact")
        person("influence_line", il.key, il.target_id, "contact")
    for m in records["team_membership"]:
        person("team_membership", m.key, m.staff_id, "staff")
        account("team_membership", m.key, m.account_id)
    for i in records["interaction"]:
        for pid in i.participants:
            person("interaction", repr(i.id), pid, None)
        for aid in i.accounts:
            account("interaction", repr(i.id), aid)
    for a in records["assessment"]:
        person("assessment", a.key, a.staff_id, "staff")
        person("assessment", a.key, a.contact_id, "contact")
    for r in records["referral"]:
        if r.source_kind == "account":
            account("referral", r.key, r.source_id)
        else:
            person("referral", r.key, r.source_id, "contact")
        account("referral", r.key, r.target_id)
    for kind in SIGNAL_KINDS:
        for sig in records[kind]:
            ident = repr(sig.key) if isinstance(sig.key, str) else str(sig.key)
            account(kind, ident, sig.account_id)
            for cid in sig.named_contacts:
                person(kind, ident, cid, "contact")
    return problems


# -- the write --------------------------------------------------------------------------------


def _accounts_named(batch: GraphBatch) -> set[str]:
    """The accounts the records of ``batch`` name (not those reached through stored lines)."""
    named = {a.id for a in batch.accounts}
    named.update(e.account_id for e in batch.employments)
    named.update(m.account_id for m in batch.team_memberships)
    named.update(a for i in batch.interactions for a in i.accounts)
    named.update(r.target_id for r in batch.referrals)
    named.update(r.source_id for r in batch.referrals if r.source_kind == "account")
    return named


class _NewInteraction(NamedTuple):
    """A ``CREATE_INTERACTIONS`` row and the accounts whose data the interaction changes."""

    row: dict[str, Any]
    accounts: frozenset[str]


class _InteractionWriters:
    """Transactions creating an import's new interactions while its next batches are written.

    New interactions are most of a first import and depend on nothing but the people and
    accounts their batch transaction committed, so a small pool writes them beside it. A chunk
    holds about ``_CHUNK`` interactions of whole accounts (two chunks in flight seldom wait on
    one account's lock); at most two chunks per worker wait, then the import waits too (memory
    stays bounded, a failure stops it soon). The first failure is raised in the importing
    thread; what the pool had not yet written is written by the import's next run.
    """

    def __init__(self, create: Callable[[Sequence[_NewInteraction]], None], workers: int) -> None:
        self._create = create
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="kamgraph-neo4j-writer")
        # each chunk with its interaction ids and the accounts it locks
        self._in_flight: dict[Future[None], tuple[frozenset[str], frozenset[str]]] = {}
        self._limit = 2 * workers

    def __enter__(self) -> _InteractionWriters:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        try:
            if exc_type is None:
                self._settle(lambda _ids, _accounts: True)
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def wait_for(self, interaction_ids: set[str], account_ids: set[str]) -> None:
        """Wait for the chunks creating any of ``interaction_ids`` or changing any of
        ``account_ids``; raise any failure so far."""
        self._settle(
            lambda ids, accounts: not (ids.isdisjoint(interaction_ids) and accounts.isdisjoint(account_ids))
        )

    def submit(self, new: list[_NewInteraction]) -> None:
        """Queue ``new`` for creation, in chunks of whole accounts."""
        new.sort(key=lambda n: n.row["accounts"][0] if n.row["accounts"] else "")
        chunk: list[_NewInteraction] = []
        for position, item in enumerate(new):
            chunk.append(item)
            last = position + 1 == len(new)
            if last or (
                len(chunk) >= _CHUNK and new[position + 1].row["accounts"][:1] != item.row["accounts"][:1]
            ):
                self._submit_chunk(chunk)
                chunk = []

    def _submit_chunk(self, chunk: list[_NewInteraction]) -> None:
        while len(self._in_flight) >= self._limit:
            oldest = next(iter(self._in_flight))
            del self._in_flight[oldest]
            oldest.result()
        self._settle(lambda _ids, _accounts: False)
        future = self._pool.submit(self._create, chunk)
        accounts = frozenset().union(*(n.accounts for n in chunk))
        self._in_flight[future] = (frozenset(n.row["id"] for n in chunk), accounts)

    def _settle(self, must_wait: Callable[[frozenset[str], frozenset[str]], bool]) -> None:
        """Collect the chunks done and wait for those ``must_wait`` picks; raise a failure."""
        for future, (ids, accounts) in list(self._in_flight.items()):
            if future.done() or must_wait(ids, accounts):
                del self._in_flight[future]
                future.result()


def _apply(
    tx: neo4j.ManagedTransaction,
    records: Mapping[str, list[Any]],
    touched: set[str] | None = None,
    *,
    bump: bool = True,
    deferred: list[_NewInteraction] | None = None,
) -> WriteSummary:
    """Write the changed records of ``records`` (already checked) and bump data versions.

    ``touched`` are accounts to bump whatever the records change (a merge changes them even
    when no record of the batch differs from what is stored). With ``bump=False`` the touched
    accounts are only marked pending (:meth:`Neo4jStore.write_many` bumps them at the end).
    Given ``deferred``, the interactions not stored yet are appended to it instead of written,
    each with the accounts whose data it changes (for the import's interaction writers).

    The steps: read what is stored (:func:`_stored_state`), compare (:func:`_changes`), find the
    accounts whose data changes (:func:`_accounts_touched`), write each kind with its loader
    (:data:`_LOADERS`, nodes before the lines between them), then version the accounts
    (:func:`_version_accounts`).
    """
    old = _stored_state(tx, records)
    summary, changed, replaced = _changes(records, old)
    accounts_touched, readers, accounts_of_contact = _accounts_touched(
        tx, records, changed, replaced, touched
    )
    for kind, load in _LOADERS.items():
        if changed[kind] or replaced[kind]:
            load(tx, changed[kind], replaced[kind])
    if changed["interaction"] or replaced["interaction"]:
        _load_interactions(tx, changed["interaction"], replaced["interaction"], deferred, accounts_of_contact)
    _version_accounts(tx, accounts_touched, readers, bump=bump)
    summary.touched_accounts = accounts_touched
    return summary


def _stored_state(
    tx: neo4j.ManagedTransaction, records: Mapping[str, list[Any]]
) -> dict[str, dict[Any, Any]]:
    """The stored record of every identity of ``records``, per kind."""

    def get(kind: str) -> list[Any]:
        return list(records.get(kind, ()))

    stored_people = _people(tx, [*(c.id for c in get("contact")), *(s.id for s in get("staff"))])
    old: dict[str, dict[Any, Any]] = {
        "account": dict(_accounts(tx, (a.id for a in get("account")))),
        "contact": {k: v for k, v in stored_people.items() if isinstance(v, Contact)},
        "staff": {k: v for k, v in stored_people.items() if isinstance(v, Staff)},
        "employment": _by_identity(_employments_of(tx, (e.contact_id for e in get("employment")))),
        "reporting_line": _by_identity(_reporting_lines(tx, (r.contact_id for r in get("reporting_line")))),
        "influence_line": _by_identity(_influence_lines(tx, (r.source_id for r in get("influence_line")))),
        "team_membership": _by_identity(_team_of_staff(tx, (m.staff_id for m in get("team_membership")))),
        "interaction": _by_identity(_interactions_by_ids(tx, (i.id for i in get("interaction")))),
        "assessment": _by_identity(_assessments(tx, (a.staff_id for a in get("assessment")))),
        "referral": _by_identity(_referrals_to(tx, (r.target_id for r in get("referral")))),
    }
    stored_signals = _signals_by_uid(tx, (signal_uid(r) for kind in SIGNAL_KINDS for r in get(kind)))
    for kind in SIGNAL_KINDS:
        old[kind] = {r.key: r for r in stored_signals if type(r) is SIGNAL_TYPES[kind]}
    return old


def _changes(
    records: Mapping[str, list[Any]], old: Mapping[str, Mapping[Any, Any]]
) -> tuple[WriteSummary, dict[str, list[Any]], dict[str, list[Any]]]:
    """The counts per kind, the created or updated records, and the stored versions they replace."""
    summary = WriteSummary()
    changed: dict[str, list[Any]] = {}
    replaced: dict[str, list[Any]] = {}
    for kind in RECORD_KINDS:
        counts = KindCounts()
        changed[kind], replaced[kind] = [], []
        for record in records.get(kind, ()):
            before = old[kind].get(_identity(record))
            if before is None:
                counts.created += 1
                changed[kind].append(record)
            elif before != record:
                counts.updated += 1
                changed[kind].append(record)
                replaced[kind].append(before)
            else:
                counts.unchanged += 1
        summary.kinds[kind] = counts
    return summary, changed, replaced


def _accounts_touched(
    tx: neo4j.ManagedTransaction,
    records: Mapping[str, list[Any]],
    changed: Mapping[str, list[Any]],
    replaced: Mapping[str, list[Any]],
    touched: set[str] | None,
) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """The accounts whose data the changes touch; the other accounts that read the changed
    interactions (their participants' other employers, locked but not versioned); and the
    employers of each participant and touched contact."""
    accounts_touched = set(touched or ())
    contacts_touched: set[str] = set()
    staff_touched: set[str] = set()
    accounts_touched |= {a.id for a in changed["account"]}
    contacts_touched |= {c.id for c in changed["contact"]}
    staff_touched |= {s.id for s in changed["staff"]}
    accounts_touched |= {e.account_id for e in changed["employment"]}
    for rl in changed["reporting_line"] + replaced["reporting_line"]:
        contacts_touched |= {rl.contact_id, rl.manager_id}
    for il in changed["influence_line"] + replaced["influence_line"]:
        contacts_touched |= {il.source_id, il.target_id}
    accounts_touched |= {m.account_id for m in changed["team_membership"]}
    # an interaction counts for the accounts it is about, or, about none, for its participants'
    # employers of its (UTC) day (graph.scope): those are the accounts it touches
    loose: list[Interaction] = []
    participants: set[str] = set()  # staff ids are harmless: they hold no positions
    for i in changed["interaction"] + replaced["interaction"]:
        accounts_touched |= set(i.accounts)
        participants |= set(i.participants)
        if not i.accounts:
            loose.append(i)
    for a in changed["assessment"]:
        contacts_touched.add(a.contact_id)
    for r in changed["referral"] + replaced["referral"]:
        accounts_touched.add(r.target_id)
        if r.source_kind == "account":
            accounts_touched.add(r.source_id)
        else:
            contacts_touched.add(r.source_id)
    for kind in SIGNAL_KINDS:
        accounts_touched |= {sig.account_id for sig in changed[kind] + replaced[kind]}
    # the employers of participants are also what a new interaction's writer waits for
    accounts_of_contact: dict[str, set[str]] = defaultdict(set)
    jobs: dict[str, list[Employment]] = defaultdict(list)
    lookup = contacts_touched | participants
    if lookup:
        for e in [*_employments_of(tx, lookup), *records.get("employment", ())]:
            if e.contact_id in lookup:
                accounts_of_contact[e.contact_id].add(e.account_id)
                jobs[e.contact_id].append(e)
            if e.contact_id in contacts_touched:
                accounts_touched.add(e.account_id)
    for i in loose:
        day = i.at.astimezone(UTC).date()
        accounts_touched |= {
            e.account_id for p in i.participants for e in jobs.get(p, ()) if e.active_on(day)
        }
    if staff_touched:
        accounts_touched |= {m.account_id for m in _team_of_staff(tx, staff_touched)}
        accounts_touched |= {
            m.account_id for m in records.get("team_membership", ()) if m.staff_id in staff_touched
        }
    readers = set().union(*(accounts_of_contact.get(p, ()) for p in participants)) - accounts_touched
    return accounts_touched, readers, accounts_of_contact


def _run_rows(tx: neo4j.ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> None:
    """``query`` over ``rows`` in chunks of :data:`_CHUNK`."""
    for chunk in _chunks(rows):
        tx.run(query, {"rows": chunk}).consume()


def _loader(
    query: str, row: Callable[[Any], dict[str, Any]]
) -> Callable[[neo4j.ManagedTransaction, list[Any], list[Any]], None]:
    """A loader that upserts the changed records of one kind with ``query``, a row each."""

    def load(tx: neo4j.ManagedTransaction, changed: list[Any], _replaced: list[Any]) -> None:
        _run_rows(tx, query, [row(r) for r in changed])

    return load


def _load_referrals(tx: neo4j.ManagedTransaction, changed: list[Referral], replaced: list[Referral]) -> None:
    """Upsert referrals; one whose source changed kind (account <-> contact) is replaced."""
    new_referrals = {r.key: r for r in changed}
    switched = sorted(r.key for r in replaced if new_referrals[r.key].source_kind != r.source_kind)
    _run_rows(tx, q.DELETE_REFERRALS, [{"source_id": s, "target_id": t} for s, t in switched])
    _run_rows(
        tx, q.UPSERT_ACCOUNT_REFERRALS, [rec.referral_row(r) for r in changed if r.source_kind == "account"]
    )
    _run_rows(
        tx, q.UPSERT_CONTACT_REFERRALS, [rec.referral_row(r) for r in changed if r.source_kind == "contact"]
    )


def _load_interactions(
    tx: neo4j.ManagedTransaction,
    changed: list[Interaction],
    replaced: list[Interaction],
    deferred: list[_NewInteraction] | None,
    accounts_of_contact: Mapping[str, set[str]],
) -> None:
    """Relink updated interactions and write them; new ones too, or hand those to ``deferred``."""
    relinked = sorted(i.id for i in replaced)
    for start in range(0, len(relinked), _CHUNK):
        tx.run(q.UNLINK_INTERACTIONS, {"ids": relinked[start : start + _CHUNK]}).consume()
    if deferred is None:
        _run_rows(tx, q.WRITE_INTERACTIONS, [rec.interaction_row(i) for i in changed])
        return
    updated = {i.id for i in replaced}
    _run_rows(tx, q.WRITE_INTERACTIONS, [rec.interaction_row(i) for i in changed if i.id in updated])
    for i in changed:
        if i.id not in updated:
            changes = set(i.accounts).union(*(accounts_of_contact.get(p, ()) for p in i.participants))
            deferred.append(_NewInteraction(rec.interaction_row(i), frozenset(changes)))


def _load_signals(tx: neo4j.ManagedTransaction, changed: list[Any], _replaced: list[Any]) -> None:
    _run_rows(tx, q.UPSERT_SIGNALS, [_signal_row(sig) for sig in changed])


#: The loader of each record kind but interactions (:func:`_load_interactions`), in write order:
#: nodes before the lines between them.
_LOADERS: dict[str, Callable[[neo4j.ManagedTransaction, list[Any], list[Any]], None]] = {
    "account": _loader(q.UPSERT_ACCOUNTS, rec.account_row),
    "contact": _loader(q.UPSERT_CONTACTS, rec.contact_row),
    "staff": _loader(q.UPSERT_STAFF, rec.staff_row),
    "employment": _loader(q.UPSERT_EMPLOYMENTS, rec.employment_row),
    "reporting_line": _loader(q.UPSERT_REPORTING_LINES, rec.reporting_line_row),
    "influence_line": _loader(q.UPSERT_INFLUENCE_LINES, rec.influence_line_row),
    "team_membership": _loader(q.UPSERT_TEAM_MEMBERSHIPS, rec.team_membership_row),
    "assessment": _loader(q.UPSERT_ASSESSMENTS, rec.assessment_row),
    "referral": _load_referrals,
    **dict.fromkeys(SIGNAL_KINDS, _load_signals),
}


def _version_accounts(
    tx: neo4j.ManagedTransaction, touched: set[str], readers: set[str], *, bump: bool
) -> None:
    """A new data version (or the pending mark) on every touched account.

    Setting it also takes the account's lock, which a subgraph read of the account holds while it
    reads. The other accounts that read the changed interactions are locked as well, in one
    sorted pass with the touched ones, so that none of their reads sees half of this commit, but
    their data version stays.
    """
    if readers:
        tx.run(q.LOCK_ACCOUNTS, {"account_ids": sorted(readers | touched)}).consume()
    if touched:
        bumping = q.BUMP_DATA_VERSIONS if bump else q.MARK_DATA_PENDING
        tx.run(bumping, {"account_ids": sorted(touched)}).consume()


def _signal_row(record: Any) -> dict[str, Any]:
    """The ``UPSERT_SIGNALS`` row of a business signal."""
    return {
        "uid": signal_uid(record),
        "kind": kind_of(record),
        "account_id": record.account_id,
        "at": record.dated,
        "fields": signal_json(record),
        "contacts": list(record.named_contacts),
    }


def _signals_by_uid(tx: neo4j.ManagedTransaction, uids: Iterable[str]) -> list[Any]:
    """The stored business signals of ``uids``."""
    return [signal_from_fields(r["kind"], json.loads(r["fields"])) for r in _rows(tx, q.SIGNALS_BY_UID, uids)]


def _merge_signal_contacts(tx: neo4j.ManagedTransaction, keep_id: str, duplicate_id: str) -> set[str]:
    """Rewrite the signals naming ``duplicate_id`` to name ``keep_id``; returns their accounts."""
    rows = []
    accounts: set[str] = set()
    for r in tx.run(q.SIGNALS_OF_CONTACT, {"id": duplicate_id}):
        record = signal_with_contact(
            signal_from_fields(r["kind"], json.loads(r["fields"])), duplicate_id, keep_id
        )
        rows.append({"uid": r["uid"], "fields": signal_json(record), "contacts": list(record.named_contacts)})
        accounts.add(r["account_id"])
    if rows:
        tx.run(q.SET_SIGNAL_FIELDS, {"rows": rows}).consume()
    return accounts


def _moved_lines(tx: neo4j.ManagedTransaction, keep_id: str, dup_id: str) -> dict[str, list[Any]]:
    """The lines of ``dup_id`` rewritten to ``keep_id``, minus those ``keep_id`` already has."""

    def swap(pid: str) -> str:
        return keep_id if pid == dup_id else pid

    both = [keep_id, dup_id]
    moved: dict[str, list[Any]] = {}

    def take(kind: str, lines: list[Any], rewrite: Callable[[Any], Any | None]) -> None:
        have = {_identity(x) for x in lines if dup_id not in _ends(x)}
        out: dict[object, Any] = {}
        for line in lines:
            if dup_id not in _ends(line):
                continue
            new = rewrite(line)
            if new is not None and _identity(new) not in have:
                out.setdefault(_identity(new), new)
        moved[kind] = list(out.values())

    def self_loop(a: str, b: str) -> bool:
        return swap(a) == swap(b)

    take("employment", _employments_of(tx, both), lambda e: replace(e, contact_id=swap(e.contact_id)))
    take(
        "reporting_line",
        _reporting_lines(tx, both),
        lambda r: (
            None
            if self_loop(r.contact_id, r.manager_id)
            else replace(r, contact_id=swap(r.contact_id), manager_id=swap(r.manager_id))
        ),
    )
    take(
        "influence_line",
        _influence_lines(tx, both),
        lambda r: (
            None
            if self_loop(r.source_id, r.target_id)
            else replace(r, source_id=swap(r.source_id), target_id=swap(r.target_id))
        ),
    )
    take("team_membership", _team_of_staff(tx, both), lambda m: replace(m, staff_id=swap(m.staff_id)))
    take(
        "assessment",
        _assessments(tx, both),
        lambda a: replace(a, staff_id=swap(a.staff_id), contact_id=swap(a.contact_id)),
    )
    take(
        "referral",
        [r for r in _referrals_from(tx, both) if r.source_kind == "contact"],
        lambda r: replace(r, source_id=swap(r.source_id)),
    )
    moved["interaction"] = [
        replace(i, participants=tuple(swap(p) for p in i.participants))
        for i in _interactions_of(tx, [dup_id], _FAR_FUTURE)
    ]
    return moved


def _ends(line: Any) -> set[str]:
    if isinstance(line, Employment):
        return {line.contact_id}
    if isinstance(line, ReportingLine):
        return {line.contact_id, line.manager_id}
    if isinstance(line, InfluenceLine):
        return {line.source_id, line.target_id}
    if isinstance(line, TeamMembership):
        return {line.staff_id}
    if isinstance(line, Assessment):
        return {line.staff_id, line.contact_id}
    if isinstance(line, Referral):
        return {line.source_id}
    raise TypeError(f"not a line: {line!r}")


# -- composite reads --------------------------------------------------------------------------


def _account_subgraphs(
    tx: neo4j.ManagedTransaction, accounts: Sequence[Account], as_of: date
) -> dict[str, AccountSubgraph]:
    """The subgraphs of ``accounts`` as of ``as_of`` (read under their locks): each record kind
    read once for all of them, then handed to the accounts it belongs to."""
    asked = [a.id for a in accounts]
    if not asked:
        return {}
    employments: dict[str, list[Employment]] = {a: [] for a in asked}
    for e in _employments_at(tx, asked):
        if _started(e.since, as_of):
            employments[e.account_id].append(e)
    contacts_of = {a: {e.contact_id for e in jobs} for a, jobs in employments.items()}
    accounts_of: dict[str, list[str]] = defaultdict(list)  # contact -> the accounts read they work at
    for a in asked:
        for c in contacts_of[a]:
            accounts_of[c].append(a)
    contact_ids = set(accounts_of)
    people = _people(tx, contact_ids)
    team: dict[str, list[TeamMembership]] = {a: [] for a in asked}
    for m in _team_of_accounts(tx, asked):
        if _started(m.since, as_of):
            team[m.account_id].append(m)
    reporting: dict[str, list[ReportingLine]] = defaultdict(list)
    for line in _reporting_lines(tx, contact_ids):
        if _started(line.since, as_of):
            for a in accounts_of.get(line.contact_id, ()):
                if line.manager_id in contacts_of[a]:
                    reporting[a].append(line)
    influence: dict[str, list[InfluenceLine]] = defaultdict(list)
    for link in _influence_lines(tx, contact_ids):
        for a in accounts_of.get(link.source_id, ()):
            if link.target_id in contacts_of[a]:
                influence[a].append(link)
    params = {"account_ids": asked, "ids": sorted(contact_ids), "end": _end_of(as_of)}
    record = tx.run(q.INTERACTIONS_OF_ACCOUNTS, params).single(strict=True)
    interactions: dict[str, list[Interaction]] = {a: [] for a in asked}
    for interaction in sorted(map(rec.interaction_from, record["rows"]), key=lambda i: (i.at, i.id)):
        belongs = {a for a in interaction.accounts if a in interactions}
        for p in interaction.participants:
            belongs.update(accounts_of.get(p, ()))
        for a in belongs:
            interactions[a].append(interaction)
    staff_ids = {
        a: {m.staff_id for m in team[a]}
        | {p for i in interactions[a] for p in i.participants if p not in contacts_of[a]}
        for a in asked
    }
    staff = {p.id: p for p in _people(tx, set().union(*staff_ids.values())).values() if isinstance(p, Staff)}
    assessments: dict[str, list[Assessment]] = defaultdict(list)
    for assessment in _assessments(tx, contact_ids):
        if assessment.at <= as_of:
            for a in accounts_of.get(assessment.contact_id, ()):
                assessments[a].append(assessment)
    former: dict[str, list[Employment]] = defaultdict(list)
    for e in _employments_of(tx, contact_ids):
        if _started(e.since, as_of):
            for a in accounts_of.get(e.contact_id, ()):
                if e.account_id != a:
                    former[a].append(e)
    signals = _signals_of_accounts(tx, asked, as_of)
    subgraphs: dict[str, AccountSubgraph] = {}
    for account in accounts:
        a = account.id
        subgraph = AccountSubgraph(
            account=account,
            as_of=as_of,
            contacts=tuple(
                sorted(
                    (p for c, p in people.items() if c in contacts_of[a] and isinstance(p, Contact)),
                    key=lambda p: p.id,
                )
            ),
            employments=tuple(sorted(employments[a], key=_employment_order)),
            staff=tuple(staff[s] for s in sorted(staff_ids[a]) if s in staff),
            team=tuple(sorted(team[a], key=lambda m: m.key)),
            reporting_lines=tuple(sorted(reporting[a], key=lambda r: r.key)),
            influence_lines=tuple(sorted(influence[a], key=lambda r: r.key)),
            interactions=tuple(interactions[a]),
            assessments=tuple(sorted(assessments[a], key=lambda x: x.key)),
            former_employments=tuple(sorted(former[a], key=_employment_order)),
            **signals[a],
        )
        subgraphs[a] = account_activity(subgraph)
    return subgraphs


def _signals_of_accounts(
    tx: neo4j.ManagedTransaction, account_ids: Sequence[str], as_of: date
) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Each account's business signals visible on ``as_of``, by AccountSubgraph field."""
    found: dict[str, dict[str, list[Any]]] = {a: {kind: [] for kind in SIGNAL_KINDS} for a in account_ids}
    for r in _rows(tx, q.SIGNALS_OF_ACCOUNTS, account_ids, day=as_of):
        found[r["account_id"]][r["kind"]].append(signal_from_fields(r["kind"], json.loads(r["fields"])))
    return {
        a: {
            SIGNAL_FIELDS[kind]: tuple(sorted(records, key=lambda x: x.key))
            for kind, records in kinds.items()
        }
        for a, kinds in found.items()
    }


def _neighbourhood(tx: neo4j.ManagedTransaction, person_ids: list[str], as_of: date) -> Neighbourhood:
    asked = _people(tx, person_ids)
    ids = set(asked)
    end = _end_of(as_of)
    interactions = sorted(_interactions_of(tx, ids, end), key=lambda i: (i.at, i.id))
    own = [e for e in _employments_of(tx, ids) if _started(e.since, as_of)]
    their_accounts = {e.account_id for e in own}
    colleagues = [e for e in _employments_at(tx, their_accounts) if _started(e.since, as_of)]
    employments = sorted(_by_identity([*own, *colleagues]).values(), key=_employment_order)
    referrals_found = _by_identity(
        [*_referrals_from(tx, ids | their_accounts), *_referrals_to(tx, their_accounts)]
    )
    referrals = sorted(
        (
            r
            for r in referrals_found.values()
            if r.at <= as_of
            and (
                (r.source_kind == "contact" and r.source_id in ids)
                or (r.source_kind == "account" and r.source_id in their_accounts)
                or r.target_id in their_accounts
            )
        ),
        key=lambda r: r.key,
    )
    account_ids = {e.account_id for e in employments} | {r.target_id for r in referrals}
    account_ids |= {r.source_id for r in referrals if r.source_kind == "account"}
    staff_ids = {pid for pid, p in asked.items() if isinstance(p, Staff)}
    team_found = _by_identity([*_team_of_staff(tx, staff_ids), *_team_of_accounts(tx, account_ids)])
    team = sorted((m for m in team_found.values() if _started(m.since, as_of)), key=lambda m: m.key)
    assessments = sorted((a for a in _assessments(tx, ids) if a.at <= as_of), key=lambda a: a.key)
    contact_ids = {pid for pid, p in asked.items() if isinstance(p, Contact)}
    reporting = sorted(
        (line for line in _reporting_lines(tx, contact_ids) if line.active_on(as_of)), key=lambda r: r.key
    )
    influence = sorted(_influence_lines(tx, contact_ids), key=lambda r: r.key)
    linked = {p for i in interactions for p in i.participants}
    linked |= {p for line in reporting for p in (line.contact_id, line.manager_id)}
    linked |= {p for line in influence for p in (line.source_id, line.target_id)}
    linked |= {e.contact_id for e in employments} | {m.staff_id for m in team}
    linked |= {a.staff_id for a in assessments} | {a.contact_id for a in assessments}
    linked |= {r.source_id for r in referrals if r.source_kind == "contact"}
    people: dict[str, Contact | Staff] = dict(asked)
    people.update(_people(tx, linked - ids))
    return Neighbourhood(
        as_of=as_of,
        people=dict(sorted(people.items())),
        interactions=tuple(interactions),
        employments=tuple(employments),
        accounts=dict(sorted(_accounts(tx, account_ids).items())),
        referrals=tuple(referrals),
        team=tuple(team),
        assessments=tuple(assessments),
        reporting_lines=tuple(reporting),
        influence_lines=tuple(influence),
    )


def _referral_graph(
    tx: neo4j.ManagedTransaction, as_of: date, root_id: str | None, depth: int | None
) -> ReferralGraph:
    referrals = [r for r in (rec.referral_from(x["row"]) for x in tx.run(q.ALL_REFERRALS)) if r.at <= as_of]
    if root_id is not None:
        if root_id not in _accounts(tx, [root_id]):
            raise NotFoundError(f"unknown account {root_id!r}")
        sources = {r.source_id for r in referrals if r.source_kind == "contact"}
        works_at: dict[str, set[str]] = defaultdict(set)
        for e in _employments_of(tx, sources):
            if _started(e.since, as_of):
                works_at[e.contact_id].add(e.account_id)
        chosen: dict[object, Referral] = {}
        frontier, seen, hops = {root_id}, {root_id}, 0
        while frontier and (depth is None or hops < depth):
            hops += 1
            step = [
                r
                for r in referrals
                if (r.source_kind == "account" and r.source_id in frontier)
                or (r.source_kind == "contact" and works_at[r.source_id] & frontier)
            ]
            chosen.update(_by_identity(step))
            frontier = {r.target_id for r in step} - seen
            seen |= frontier
        referrals = list(chosen.values())
    referrals.sort(key=lambda r: r.key)
    account_ids = {r.target_id for r in referrals} | {
        r.source_id for r in referrals if r.source_kind == "account"
    }
    if root_id is not None:
        account_ids.add(root_id)
    contacts = {
        pid: p
        for pid, p in _people(tx, {r.source_id for r in referrals if r.source_kind == "contact"}).items()
        if isinstance(p, Contact)
    }
    return ReferralGraph(
        as_of=as_of,
        accounts=dict(sorted(_accounts(tx, account_ids).items())),
        contacts=dict(sorted(contacts.items())),
        referrals=tuple(referrals),
    )


def _job_changes(employments: list[Employment], since: date | None, as_of: date) -> list[JobChange]:
    """Pair each position that started in the window with the latest position the contact left
    elsewhere by then."""
    by_contact: dict[str, list[Employment]] = defaultdict(list)
    for e in employments:
        by_contact[e.contact_id].append(e)
    changes: list[JobChange] = []
    for contact_id, positions in sorted(by_contact.items()):
        for new in sorted(positions, key=_employment_order):
            if new.since is None or new.since > as_of or (since is not None and new.since <= since):
                continue
            left = [
                o
                for o in positions
                if o.account_id != new.account_id and o.until is not None and o.until <= new.since
            ]
            if left:
                old = max(left, key=lambda o: (o.until or date.min, rec.since_key(o.since), o.account_id))
                changes.append(JobChange(contact_id=contact_id, old=old, new=new))
    return changes


_TYPE_OF: dict[str, type[Any]] = {
    "account": Account,
    "contact": Contact,
    "staff": Staff,
    "employment": Employment,
    "reporting_line": ReportingLine,
    "influence_line": InfluenceLine,
    "team_membership": TeamMembership,
    "interaction": Interaction,
    "assessment": Assessment,
    "referral": Referral,
    **SIGNAL_TYPES,
}

_NODE_PAGES: dict[str, tuple[str, Callable[[Mapping[str, Any]], Any]]] = {
    "account": (q.ACCOUNTS_PAGE, rec.account_from),
    "contact": (q.CONTACTS_PAGE, rec.contact_from),
    "staff": (q.STAFF_PAGE, rec.staff_from),
    "interaction": (q.INTERACTIONS_PAGE, rec.interaction_from),
}

_ALL_LINES: dict[str, tuple[str, Callable[[Mapping[str, Any]], Any]]] = {
    "employment": (q.ALL_EMPLOYMENTS, rec.employment_from),
    "reporting_line": (q.ALL_REPORTING_LINES, rec.reporting_line_from),
    "influence_line": (q.ALL_INFLUENCE_LINES, rec.influence_line_from),
    "team_membership": (q.ALL_TEAM_MEMBERSHIPS, rec.team_membership_from),
    "assessment": (q.ALL_ASSESSMENTS, rec.assessment_from),
    "referral": (q.ALL_REFERRALS, rec.referral_from),
}
