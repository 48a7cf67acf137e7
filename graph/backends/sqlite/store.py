"""The embedded default store: one SQLite file in WAL mode, from the standard library.

``SqliteStore(data_dir)`` keeps the graph in ``<data_dir>/kamgraph.sqlite3``. :meth:`~SqliteStore.init`
creates the file and its schema; opening an existing file migrates an older schema
(``PRAGMA user_version``). Several processes may use one file at once: WAL lets readers go on
while one writer writes, and a busy timeout makes a second writer wait instead of failing.
Within one process every thread gets its own connection; writes of one process are serialised
by a lock. Every read runs in one read transaction, so it sees a write whole or not at all.

A write stages its batches in temporary tables, checks referential integrity set-wise, finds
what changed and upserts only that, all in one transaction (see :mod:`graph.backends.sqlite.sql`).

Examples
--------
>>> import tempfile
>>> from datetime import date
>>> from graph.model import Account, Contact, Employment
>>> from graph.store import GraphBatch
>>> store = SqliteStore(tempfile.mkdtemp())
>>> store.init()
>>> batch = GraphBatch(accounts=[Account("acme", "Acme")], contacts=[Contact("c1", "Ada")],
...                    employments=[Employment("c1", "acme", since=date(2024, 1, 1))])
>>> store.write(batch).kinds["contact"].created
1
>>> store.write(batch).changed
0
>>> [c.name for c in store.account_subgraph("acme", date(2025, 1, 1)).contacts]
['Ada']
>>> store.close()
"""

from __future__ import annotations

import base64
import binascii
import gc
import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from graph.backends.sqlite import sql
from graph.model import (
    SIGNAL_TYPES,
    Account,
    AssessedLevel,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    InteractionKind,
    Level,
    PoliticalStatus,
    Referral,
    ReferralStatus,
    RelationKind,
    ReportingLine,
    Role,
    Staff,
    Stance,
    TeamMembership,
    TeamRole,
    Tier,
    history_text,
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
    signal_uid,
)

__all__ = ["FILE_NAME", "SqliteStore"]

#: Name of the database file inside the data directory.
FILE_NAME = "kamgraph.sqlite3"

_Row = tuple[Any, ...]
_Line = TypeVar("_Line", ReportingLine, InfluenceLine)


class SqliteStore(GraphStore):
    """The embedded store in ``data_dir`` (see the module documentation).

    Parameters
    ----------
    data_dir : Path or str
        Directory of the database file; created by :meth:`init`.
    """

    backend = "sqlite"

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / FILE_NAME
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._closed = False
        self._migrated = False

    def __repr__(self) -> str:
        return f"SqliteStore({str(self.data_dir)!r})"

    # -- lifecycle -------------------------------------------------------------------------
    def init(self) -> None:
        """Create the data directory, the database file and its schema, or migrate it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        conn = self._connect(create=True)
        conn.execute(sql.SET_WAL)
        self._migrate(conn)
        old: sqlite3.Connection | None = getattr(self._local, "conn", None)
        self._local.conn = conn
        if old is not None:
            self._forget(old)

    def close(self) -> None:
        """Close every connection of this store; later calls raise :class:`StoreError`."""
        self._closed = True
        with self._conns_lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            conn.close()

    def ping(self) -> None:
        """Raise :class:`StoreUnavailableError` when the database file cannot be read."""
        try:
            self._conn().execute(sql.PING).fetchone()
        except (sqlite3.Error, StoreError) as exc:
            raise StoreUnavailableError(f"embedded store {self.path}: {exc}") from exc

    # -- writes ----------------------------------------------------------------------------
    def write(self, batch: GraphBatch) -> WriteSummary:
        """Upsert every record of ``batch`` in one transaction (see :class:`GraphStore`)."""
        return self.write_many([batch])

    def write_many(self, batches: Iterable[GraphBatch]) -> WriteSummary:
        """Write a stream of batches in one transaction: all of it or nothing.

        The cyclic garbage collector is paused meanwhile (see :func:`_gc_paused`).
        """
        with self._writing() as conn, _gc_paused():
            return self._write_stream(conn, batches)

    def end_employment(self, contact_id: str, account_id: str, until: date) -> Employment:
        """End the contact's open position at the account on ``until`` (inclusive)."""
        with self._writing() as conn:
            open_rows = [r for r in conn.execute(sql.OPEN_EMPLOYMENTS, (contact_id,)) if r[1] == account_id]
            if not open_rows:
                raise NotFoundError(f"contact {contact_id!r} has no open position at account {account_id!r}")
            ended = replace(_employment(open_rows[-1]), until=until)
            lines = self._lines_ending(conn, contact_id, [account_id], until)
            self._write_stream(conn, [GraphBatch(employments=[ended], reporting_lines=lines)])
            return ended

    def _lines_ending(
        self, conn: sqlite3.Connection, contact_id: str, left: Sequence[str], last_day: date
    ) -> list[ReportingLine]:
        """The contact's open reporting lines at the accounts ``left``, ended on ``last_day``."""
        lines = [_reporting(r) for r in conn.execute(sql.OPEN_REPORTING_LINES_OF, (contact_id,))]
        others = sorted(
            {line.manager_id if line.contact_id == contact_id else line.contact_id for line in lines}
        )
        jobs = (
            [_employment(r) for r in conn.execute(sql.EMPLOYMENTS_OF, (_ids_json(others),))] if others else []
        )
        return reporting_lines_ending(contact_id, left, last_day, lines, jobs)

    def move_contact(self, contact_id: str, new: Employment) -> JobChange:
        """A job change: end the open positions elsewhere the day before ``new.since``, start
        ``new``; the former positions stay in the graph."""
        if new.contact_id != contact_id:
            raise StoreError(f"move_contact: new position is of {new.contact_id!r}, not {contact_id!r}")
        if new.since is None:
            raise StoreError(f"move_contact: the new position of {contact_id!r} needs a start day (since)")
        with self._writing() as conn:
            kinds = dict(conn.execute(sql.PERSON_KINDS, (_ids_json([contact_id]),)).fetchall())
            if kinds.get(contact_id) != "contact":
                raise NotFoundError(f"contact {contact_id!r} does not exist")
            last_day = new.since - timedelta(days=1)
            open_elsewhere = [
                _employment(r)
                for r in conn.execute(sql.OPEN_EMPLOYMENTS, (contact_id,))
                if r[1] != new.account_id
            ]
            ended = [replace(e, until=last_day) for e in open_elsewhere]
            if ended:
                old = ended[-1]
            else:
                former = [
                    _employment(r)
                    for r in conn.execute(sql.EMPLOYMENTS_OF, (_ids_json([contact_id]),))
                    if r[1] != new.account_id
                ]
                if not former:
                    raise NotFoundError(f"contact {contact_id!r} has no former position to move from")
                old = former[-1]
            lines = self._lines_ending(conn, contact_id, sorted({e.account_id for e in ended}), last_day)
            self._write_stream(conn, [GraphBatch(employments=[*ended, new], reporting_lines=lines)])
            return JobChange(contact_id=contact_id, old=old, new=new)

    def merge_people(self, keep_id: str, duplicate_id: str) -> None:
        """Merge ``duplicate_id`` into ``keep_id`` (same kind); the duplicate is deleted."""
        if keep_id == duplicate_id:
            raise StoreError(f"merge_people: cannot merge {keep_id!r} with itself")
        with self._writing() as conn:
            kinds = dict(conn.execute(sql.PERSON_KINDS, (_ids_json([keep_id, duplicate_id]),)).fetchall())
            for pid in (keep_id, duplicate_id):
                if pid not in kinds:
                    raise NotFoundError(f"person {pid!r} does not exist")
            if kinds[keep_id] != kinds[duplicate_id]:
                raise IntegrityError(
                    [
                        f"merge_people: {keep_id!r} is {kinds[keep_id]} but {duplicate_id!r} is "
                        f"{kinds[duplicate_id]}; only records of the same kind can be merged"
                    ]
                )
            self._ensure_stage(conn)
            conn.execute(sql.TOUCHED_CLEAR)
            for pid in (keep_id, duplicate_id):
                conn.executemany(sql.TOUCHED_ADD, conn.execute(sql.ACCOUNTS_OF_PERSON, (pid,)).fetchall())
            rewritten = []
            for interaction_id, participants in conn.execute(
                sql.MERGE_INTERACTIONS, (duplicate_id,)
            ).fetchall():
                people = set(json.loads(participants))
                if duplicate_id in people:  # else a stale posting
                    rewritten.append(
                        (_ids_json(sorted((people - {duplicate_id}) | {keep_id})), interaction_id)
                    )
            conn.executemany(sql.SET_PARTICIPANTS, rewritten)
            _merge_signal_contacts(conn, keep_id, duplicate_id)
            conn.execute(sql.MERGE_FILL_PERSON, (keep_id, duplicate_id))
            for statement in sql.MERGE_STATEMENTS:
                conn.execute(statement, (keep_id, duplicate_id))
            conn.execute(sql.BUMP_VERSIONS)
            conn.execute(sql.TOUCHED_CLEAR)

    # -- reads -----------------------------------------------------------------------------
    def get_accounts(self, ids: Sequence[str]) -> dict[str, Account]:
        """Accounts by id (missing ids are absent from the result)."""
        with self._reading() as conn:
            return {r[0]: _account(r) for r in conn.execute(sql.GET_ACCOUNTS, (_ids_json(ids),))}

    def get_people(self, ids: Sequence[str]) -> dict[str, Contact | Staff]:
        """Contacts and staff by id (missing ids are absent from the result)."""
        with self._reading() as conn:
            return _people(conn, ids)

    def find_people_by_email(self, emails: Sequence[str]) -> dict[str, Contact | Staff]:
        """People by email address (case-insensitive), keyed by lower-case email."""
        with self._reading() as conn:
            rows = conn.execute(sql.FIND_PEOPLE_BY_EMAIL, (_ids_json(emails),)).fetchall()
        return {r[3]: _person(r) for r in rows}

    def find_accounts_by_domain(self, domains: Sequence[str]) -> dict[str, Account]:
        """Accounts by email domain (lower-case keys; the first account by id per domain)."""
        result: dict[str, Account] = {}
        with self._reading() as conn:
            for r in conn.execute(sql.FIND_ACCOUNTS_BY_DOMAIN, (_ids_json(domains),)):
                result.setdefault(r[0], _account(r[1:]))
        return result

    def list_accounts(
        self, filter: AccountFilter | None = None, first: int = 50, after: str | None = None
    ) -> Page:
        """Accounts ordered by id, ``first`` at a time after the opaque cursor ``after``."""
        if isinstance(first, bool) or not isinstance(first, int) or first < 1:
            raise StoreError(f"list_accounts: first must be a positive integer, got {first!r}")
        f = filter or AccountFilter()
        last = _decode_cursor(after) if after else ""
        tier = f.tier.value if isinstance(f.tier, Tier) else f.tier
        ids = _ids_json(sorted(f.ids)) if f.ids is not None else None
        params = (
            last,
            tier,
            tier,
            f.owner,
            f.owner,
            f.industry,
            f.industry,
            f.region,
            f.region,
            ids,
            ids,
            f.name_contains,
            f.name_contains,
            first + 1,
        )
        with self._reading() as conn:
            rows = conn.execute(sql.LIST_ACCOUNTS, params).fetchall()
        items = [_account(r) for r in rows[:first]]
        end = _encode_cursor(items[-1].id) if items else None
        return Page(items=items, end_cursor=end, has_next=len(rows) > first)

    def account_subgraph(self, account_id: str, as_of: date) -> AccountSubgraph:
        """The account's subgraph as of the end of ``as_of`` (see :class:`AccountSubgraph`)."""
        found = self.account_subgraphs([account_id], as_of)
        if account_id not in found:
            raise NotFoundError(f"account {account_id!r} does not exist")
        return found[account_id]

    def account_subgraphs(self, account_ids: Sequence[str], as_of: date) -> dict[str, AccountSubgraph]:
        """The subgraphs of several accounts as of the end of ``as_of``, read together.

        Each is what :meth:`account_subgraph` returns for the account; unknown ids are absent
        from the result, which is keyed in the order asked. One read transaction and one query
        per record kind for all of them: the rows of the accounts' people, lines and
        interactions are fetched at once (their interaction candidates in one sorted lookup),
        and each staff member, interaction or parsed id list they share is built once.
        """
        if isinstance(account_ids, str):
            raise TypeError(f"account_subgraphs takes a sequence of account ids, not the id {account_ids!r}")
        day = as_of.isoformat()
        with self._reading() as conn, _gc_paused():
            accounts = {r[0]: _account(r) for r in conn.execute(sql.GET_ACCOUNTS, (_ids_json(account_ids),))}
            asked = [a for a in dict.fromkeys(account_ids) if a in accounts]
            if not asked:
                return {}
            aids = _ids_json(asked)
            employments: dict[str, list[Employment]] = {a: [] for a in asked}
            for r in conn.execute(sql.EMPLOYMENTS_AT, (aids, day)):
                employments[r[1]].append(_employment(r))
            contacts_of = {a: sorted({e.contact_id for e in jobs}) for a, jobs in employments.items()}
            accounts_of: dict[str, list[str]] = {}  # contact -> the accounts asked they work at
            for a, contact_ids in contacts_of.items():
                for c in contact_ids:
                    accounts_of.setdefault(c, []).append(a)
            all_contacts = sorted(accounts_of)
            cids = _ids_json(all_contacts)
            people = _people(conn, all_contacts)
            team: dict[str, list[TeamMembership]] = {a: [] for a in asked}
            for r in conn.execute(sql.TEAM_AT, (aids, day)):
                team[r[1]].append(_team(r))
            reporting = _lines_among(
                map(_reporting, conn.execute(sql.SUBGRAPH_REPORTING_LINES, (cids, day))), accounts_of
            )
            influence = _lines_among(
                map(_influence, conn.execute(sql.SUBGRAPH_INFLUENCE_LINES, (cids,))), accounts_of
            )
            candidates: set[str] = set()
            for (posting,) in conn.execute(sql.SUBGRAPHS_POSTINGS, (aids, cids)):
                candidates.update(_id_tuple(posting))
            rows = conn.execute(
                sql.INTERACTIONS_BY_ID, (_group_json(sorted(candidates)), _end_of_day(as_of))
            ).fetchall()
            interactions = _interactions_of_accounts(rows, asked, accounts_of)
            assessments: dict[str, list[Assessment]] = defaultdict(list)
            for assessment in map(_assessment, conn.execute(sql.ASSESSMENTS_ABOUT, (cids, day))):
                for a in accounts_of[assessment.contact_id]:
                    assessments[a].append(assessment)
            former: dict[str, list[Employment]] = defaultdict(list)
            for r in conn.execute(sql.POSITIONS_OF_CONTACTS, (cids, day)):
                job: Employment | None = None  # most are positions at the one account read: not built
                for a in accounts_of[r[0]]:
                    if r[1] != a:
                        job = job or _employment(r)
                        former[a].append(job)
            staff_ids: dict[str, set[str]] = {}
            for a in asked:
                ids = {m.staff_id for m in team[a]}
                for interaction in interactions[a]:
                    ids.update(interaction.participants)
                staff_ids[a] = ids
            staff = {
                p.id: p
                for p in _people(conn, sorted(set().union(*staff_ids.values()) - accounts_of.keys())).values()
                if isinstance(p, Staff)
            }
            signals: dict[str, dict[str, list[Any]]] = {a: {kind: [] for kind in SIGNAL_KINDS} for a in asked}
            for a, kind, fields in conn.execute(sql.SIGNALS_OF_ACCOUNTS, (aids, day)):
                signals[a][kind].append(signal_from_fields(kind, json.loads(fields)))
        subgraphs: dict[str, AccountSubgraph] = {}
        for a in asked:
            subgraph = AccountSubgraph(
                account=accounts[a],
                as_of=as_of,
                contacts=tuple(p for p in (people.get(c) for c in contacts_of[a]) if isinstance(p, Contact)),
                employments=tuple(sorted(employments[a], key=_employment_order)),
                staff=tuple(staff[s] for s in sorted(staff_ids[a]) if s in staff),
                team=tuple(sorted(team[a], key=lambda m: m.key)),
                reporting_lines=tuple(sorted(reporting[a], key=lambda r: r.key)),
                influence_lines=tuple(sorted(influence[a], key=lambda r: r.key)),
                interactions=tuple(interactions[a]),
                assessments=tuple(sorted(assessments[a], key=lambda x: x.key)),
                former_employments=tuple(sorted(former[a], key=_employment_order)),
                **{SIGNAL_FIELDS[kind]: _by_key(found) for kind, found in signals[a].items()},
            )
            subgraphs[a] = account_activity(subgraph)
        return subgraphs

    def neighbourhood(self, person_ids: Sequence[str], as_of: date) -> Neighbourhood:
        """The one-hop neighbourhood of ``person_ids`` as of ``as_of`` (see :class:`Neighbourhood`)."""
        day = as_of.isoformat()
        asked = sorted(set(person_ids))
        asked_set = set(asked)
        pids = _ids_json(asked)
        with self._reading() as conn:
            interactions = _interactions_among(
                conn.execute(sql.INTERACTIONS_OF_PEOPLE, (pids, _end_of_day(as_of))).fetchall(),
                None,
                asked_set,
            )
            own = [_employment(r) for r in conn.execute(sql.EMPLOYMENTS_OF, (pids,))]
            own = [e for e in own if e.since is None or e.since <= as_of]
            own_accounts = sorted({e.account_id for e in own})
            colleagues = [
                _employment(r) for r in conn.execute(sql.EMPLOYMENTS_AT, (_ids_json(own_accounts), day))
            ]
            employments = {e.key: e for e in [*own, *colleagues]}
            contact_ids = sorted({e.contact_id for e in own})
            referrals = [
                _referral(r)
                for r in conn.execute(sql.REFERRALS_BY_OR_TO, (_ids_json(own_accounts), pids, day))
            ]
            account_ids = set(own_accounts)
            for ref in referrals:
                account_ids.add(ref.target_id)
                if ref.source_kind == "account":
                    account_ids.add(ref.source_id)
            accounts = {r[0]: _account(r) for r in conn.execute(sql.GET_ACCOUNTS, (_ids_json(account_ids),))}
            team = {
                m.key: m
                for rows in (
                    conn.execute(sql.TEAM_OF_STAFF, (pids, day)),
                    conn.execute(sql.TEAM_AT, (_ids_json(sorted(accounts)), day)),
                )
                for m in map(_team, rows)
            }
            assessments = [_assessment(r) for r in conn.execute(sql.ASSESSMENTS_BY_OR_ABOUT, (pids, day))]
            reporting = [
                line
                for line in map(_reporting, conn.execute(sql.NEIGHBOURHOOD_REPORTING_LINES, (pids, day)))
                if line.active_on(as_of)
            ]
            influence = [_influence(r) for r in conn.execute(sql.NEIGHBOURHOOD_INFLUENCE_LINES, (pids,))]
            linked: set[str] = set(asked) | set(contact_ids)
            for line in reporting:
                linked.update((line.contact_id, line.manager_id))
            for influence_line in influence:
                linked.update((influence_line.source_id, influence_line.target_id))
            for interaction in interactions:
                linked.update(interaction.participants)
            linked.update(e.contact_id for e in employments.values())
            linked.update(m.staff_id for m in team.values())
            for a in assessments:
                linked.update((a.staff_id, a.contact_id))
            linked.update(r.source_id for r in referrals if r.source_kind == "contact")
            people = _people(conn, sorted(linked))
        return Neighbourhood(
            as_of=as_of,
            people=people,
            interactions=tuple(interactions),
            employments=tuple(sorted(employments.values(), key=_employment_order)),
            accounts=accounts,
            referrals=tuple(sorted(referrals, key=lambda r: r.key)),
            team=tuple(sorted(team.values(), key=lambda m: m.key)),
            assessments=tuple(sorted(assessments, key=lambda a: a.key)),
            reporting_lines=tuple(sorted(reporting, key=lambda r: r.key)),
            influence_lines=tuple(sorted(influence, key=lambda r: r.key)),
        )

    def referral_graph(
        self, as_of: date, root_id: str | None = None, depth: int | None = None
    ) -> ReferralGraph:
        """All referrals up to ``as_of``, or those reachable from ``root_id`` within ``depth`` hops."""
        day = as_of.isoformat()
        with self._reading() as conn:
            if root_id is None:
                referrals = [_referral(r) for r in conn.execute(sql.ALL_REFERRALS, (day,))]
            else:
                if not conn.execute(sql.GET_ACCOUNTS, (_ids_json([root_id]),)).fetchall():
                    raise NotFoundError(f"account {root_id!r} does not exist")
                found: dict[tuple[str, str], Referral] = {}
                seen = {root_id}
                frontier = [root_id]
                hops = 0
                while frontier and (depth is None or hops < depth):
                    step = [
                        _referral(r) for r in conn.execute(sql.REFERRALS_FROM, (_ids_json(frontier), day))
                    ]
                    found.update((r.key, r) for r in step)
                    frontier = sorted({r.target_id for r in step} - seen)
                    seen.update(frontier)
                    hops += 1
                referrals = sorted(found.values(), key=lambda r: r.key)
            account_ids = {r.target_id for r in referrals} | {
                r.source_id for r in referrals if r.source_kind == "account"
            }
            if root_id is not None:
                account_ids.add(root_id)
            accounts = {r[0]: _account(r) for r in conn.execute(sql.GET_ACCOUNTS, (_ids_json(account_ids),))}
            contact_ids = sorted({r.source_id for r in referrals if r.source_kind == "contact"})
            contacts = {k: v for k, v in _people(conn, contact_ids).items() if isinstance(v, Contact)}
        return ReferralGraph(as_of=as_of, accounts=accounts, contacts=contacts, referrals=tuple(referrals))

    def employments_of(self, contact_ids: Sequence[str]) -> dict[str, list[Employment]]:
        """Every position of each contact, ordered by start (unknown start first)."""
        result: dict[str, list[Employment]] = {}
        with self._reading() as conn:
            for r in conn.execute(sql.EMPLOYMENTS_OF, (_ids_json(contact_ids),)):
                result.setdefault(r[0], []).append(_employment(r))
        return result

    def job_changes(self, since: date | None, as_of: date) -> list[JobChange]:
        """Job changes whose new position started after ``since`` and on or before ``as_of``."""
        after = since.isoformat() if since else ""
        with self._reading() as conn:
            rows = conn.execute(sql.JOB_CHANGE_CANDIDATES, (after, as_of.isoformat())).fetchall()
        latest: dict[tuple[str, str, str], JobChange] = {}
        for r in rows:  # ordered by old.until: the last one is the position left most recently
            new = _employment(r[8:])
            latest[new.key] = JobChange(contact_id=new.contact_id, old=_employment(r[:8]), new=new)
        return list(latest.values())

    def team_accounts(self, staff_id: str, as_of: date) -> list[str]:
        """Ids of the accounts whose team ``staff_id`` is on, as of ``as_of``."""
        with self._reading() as conn:
            return [r[0] for r in conn.execute(sql.TEAM_ACCOUNTS, (staff_id, as_of.isoformat()))]

    def teams_of(self, account_ids: Sequence[str], as_of: date) -> dict[str, list[TeamMembership]]:
        """Active team memberships per account as of ``as_of``."""
        result: dict[str, list[TeamMembership]] = {}
        with self._reading() as conn:
            for r in conn.execute(sql.ACTIVE_TEAM_AT, (_ids_json(account_ids), as_of.isoformat())):
                result.setdefault(r[1], []).append(_team(r))
        return result

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Accounts and people whose name or email (or account id) contains ``text``."""
        needle = text.strip()
        if not needle or limit < 1:
            return []
        with self._reading() as conn:
            hits = [
                SearchHit("account", r[0], r[1], r[2])
                for r in conn.execute(sql.SEARCH_ACCOUNTS, (needle, limit))
            ]
            hits += [
                SearchHit(r[0], r[1], r[2], r[3]) for r in conn.execute(sql.SEARCH_PEOPLE, (needle, limit))
            ]
        hits.sort(key=lambda h: (h.name.lower(), h.kind, h.id))
        return hits[:limit]

    def counts(self) -> dict[str, int]:
        """Number of stored records per kind."""
        with self._reading() as conn:
            counts = {kind: int(conn.execute(sql.COUNT_ROWS[kind]).fetchone()[0]) for kind in sql.COUNT_ROWS}
            counts.update(dict.fromkeys(SIGNAL_KINDS, 0))
            counts.update({kind: int(n) for kind, n in conn.execute(sql.COUNT_SIGNALS)})
            return {kind: counts[kind] for kind in RECORD_KINDS}

    def iter_records(self, kind: str) -> Iterator[Any]:
        """Every stored record of ``kind`` in identity order, read in one snapshot."""
        if kind in SIGNAL_KINDS:
            with self._reading() as conn:
                rows = conn.execute(sql.ITER_SIGNALS, (kind,)).fetchall()
            yield from (signal_from_fields(kind, json.loads(fields)) for (fields,) in rows)
            return
        if kind not in sql.ITER_ROWS:
            raise StoreError(f"unknown record kind {kind!r}; one of {', '.join(RECORD_KINDS)}")
        parse = _FROM_ROW[kind]
        conn = self._connect(create=False)
        try:
            conn.execute(sql.BEGIN_READ)
            cursor = conn.execute(sql.ITER_ROWS[kind])
            while rows := cursor.fetchmany(2000):
                yield from map(parse, rows)
            conn.execute(sql.COMMIT)
        finally:
            self._forget(conn)

    # -- change tracking and materialised results -------------------------------------------
    def data_versions(self, account_ids: Sequence[str] | None = None) -> dict[str, int]:
        """Per-account data version; it grows only when a write changes the account's data."""
        with self._reading() as conn:
            if account_ids is None:
                rows = conn.execute(sql.ALL_VERSIONS).fetchall()
            else:
                rows = conn.execute(sql.VERSIONS_OF, (_ids_json(account_ids),)).fetchall()
        return {r[0]: int(r[1]) for r in rows}

    def put_results(self, results: Sequence[AnalysisResult]) -> None:
        """Store materialised results, replacing those with the same (kind, account, as_of)."""
        now = datetime.now(UTC)
        rows = [
            (
                r.kind,
                r.account_id,
                r.as_of.isoformat(),
                json.dumps(r.payload, sort_keys=True, separators=(",", ":")),
                int(r.data_version),
                (r.computed_at or now).isoformat(),
            )
            for r in results
        ]
        with self._writing() as conn:
            conn.executemany(sql.PUT_RESULT, rows)

    def get_results(
        self, kind: str, as_of: date, account_ids: Sequence[str] | None = None
    ) -> dict[str, AnalysisResult]:
        """Materialised results of ``kind`` for ``as_of``, keyed by account id."""
        ids = None if account_ids is None else _ids_json(account_ids)
        with self._reading() as conn:
            rows = conn.execute(sql.GET_RESULTS, (kind, as_of.isoformat(), ids)).fetchall()
        return {
            r[1]: AnalysisResult(
                kind=r[0],
                account_id=r[1],
                as_of=date.fromisoformat(r[2]),
                payload=json.loads(r[3]),
                data_version=int(r[4]),
                computed_at=datetime.fromisoformat(r[5]),
            )
            for r in rows
        }

    # -- API tokens --------------------------------------------------------------------------
    def put_token(self, token: ApiToken) -> None:
        """Store (or replace) an API token record."""
        row = (
            token.token_hash,
            token.name,
            token.role,
            token.staff_id,
            token.created_at.isoformat(),
            int(token.revoked),
        )
        with self._writing() as conn:
            conn.execute(sql.PUT_TOKEN, row)

    def reference_date(self) -> date | None:
        """The data's reference date, or ``None``."""
        with self._reading() as conn:
            row = conn.execute(sql.GET_SETTING, (_REFERENCE_DATE,)).fetchone()
        return date.fromisoformat(row[0]) if row else None

    def set_reference_date(self, day: date | None) -> None:
        """Store (or clear, with ``None``) the data's reference date."""
        with self._writing() as conn:
            if day is None:
                conn.execute(sql.DELETE_SETTING, (_REFERENCE_DATE,))
            else:
                conn.execute(sql.PUT_SETTING, (_REFERENCE_DATE, day.isoformat()))

    def get_token(self, token_hash: str) -> ApiToken | None:
        """The token record with this hash, or ``None``."""
        with self._reading() as conn:
            row = conn.execute(sql.GET_TOKEN, (token_hash,)).fetchone()
        return _token(row) if row else None

    def list_tokens(self) -> list[ApiToken]:
        """Every token record, oldest first."""
        with self._reading() as conn:
            return [_token(r) for r in conn.execute(sql.LIST_TOKENS)]

    def revoke_token(self, token_hash: str) -> None:
        """Mark a token revoked; :class:`NotFoundError` for an unknown hash."""
        with self._writing() as conn:
            if conn.execute(sql.REVOKE_TOKEN, (token_hash,)).rowcount == 0:
                raise NotFoundError(f"no API token with hash {token_hash[:12]!r}...")

    # -- connections and transactions ------------------------------------------------------
    def _connect(self, *, create: bool) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"embedded store {self.path} is closed")
        if not create and not self.path.exists():
            raise StoreError(f"no kamgraph store at {self.path}: run init first")
        uri = self.path.resolve().as_uri() + ("?mode=rwc" if create else "?mode=rw")
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        for pragma in sql.CONNECTION_PRAGMAS:
            conn.execute(pragma)
        with self._conns_lock:
            self._conns.append(conn)
        if not self._migrated and not create:
            self._migrate(conn)
        return conn

    def _forget(self, conn: sqlite3.Connection) -> None:
        with self._conns_lock:
            if conn in self._conns:
                self._conns.remove(conn)
        conn.close()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or self._closed:
            conn = self._connect(create=False)
            self._local.conn = conn
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = int(conn.execute(sql.GET_USER_VERSION).fetchone()[0])
        if version > sql.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this kamgraph ({sql.SCHEMA_VERSION})"
            )
        if version < sql.SCHEMA_VERSION:
            with self._write_lock:
                conn.execute(sql.BEGIN_WRITE)
                try:
                    version = int(conn.execute(sql.GET_USER_VERSION).fetchone()[0])
                    for target, statements in sql.MIGRATIONS:
                        if target > version:
                            for statement in statements:
                                conn.execute(statement)
                            conn.execute(sql.SET_USER_VERSION[target])
                    conn.execute(sql.COMMIT)
                except BaseException:
                    conn.execute(sql.ROLLBACK)
                    raise
        self._migrated = True

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        if conn.in_transaction:  # e.g. a batch generator of write_many looking records up
            yield conn
            return
        conn.execute(sql.BEGIN_READ)
        try:
            yield conn
        finally:
            conn.execute(sql.COMMIT)

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            conn = self._conn()
            if conn.in_transaction:
                raise StoreError("cannot write while this thread's write_many stream is being written")
            conn.execute(sql.BEGIN_WRITE)
            try:
                yield conn
            except BaseException:
                conn.execute(sql.ROLLBACK)
                raise
            conn.execute(sql.COMMIT)

    @staticmethod
    def _ensure_stage(conn: sqlite3.Connection) -> None:
        # every time: a rolled-back write also rolls back the creation of the temporary tables
        for table in sql.COLUMNS:
            for statement in sql.STAGE_CREATE[table]:
                conn.execute(statement)
        conn.execute(sql.TOUCHED_CREATE)
        for statement in sql.GROUPED_CREATE:
            conn.execute(statement)

    # -- the write path ----------------------------------------------------------------------
    def _write_stream(self, conn: sqlite3.Connection, batches: Iterable[GraphBatch]) -> WriteSummary:
        self._ensure_stage(conn)
        for table in sql.COLUMNS:
            for statement in sql.STAGE_CLEAR[table]:
                conn.execute(statement)
        for statement in sql.GROUPED_CLEAR:
            conn.execute(statement)
        conn.execute(sql.TOUCHED_CLEAR)
        staged: set[str] = set()
        grouping = _Grouping(conn)
        signals = _SignalWrite()
        for batch in batches:
            if not isinstance(batch, GraphBatch):
                raise TypeError(f"write expects GraphBatch objects, got {type(batch).__name__}")
            for kind, records in batch.by_kind().items():
                if not records:
                    continue
                if kind in SIGNAL_KINDS:
                    signals.add(kind, records)
                    continue
                table = _TABLE_OF[kind]
                staged.add(table)
                if kind == "interaction":
                    grouping.add(records)  # written (or staged) as they come
                    continue
                expected = _TYPE_OF[kind]
                for record in records:
                    if type(record) is not expected:
                        raise TypeError(f"GraphBatch {kind} list holds a {type(record).__name__}")
                conn.executemany(sql.STAGE_INSERT[table], map(_TO_ROW[kind], records))

        summary = WriteSummary()
        problems: list[str] = []
        if "account" in staged:
            conn.execute(sql.DIFF["account"])
            self._count(conn, "account", summary)
            conn.execute(sql.TOUCH_ACCOUNT)
            conn.execute(sql.UNINDEX_DOMAINS)
            conn.execute(sql.UPSERT["account"])
            conn.execute(sql.INDEX_DOMAINS)
        if "person" in staged:
            for (pid,) in conn.execute(sql.CHECK_PERSON_KIND_MIXED):
                problems.append(f"person {pid!r}: given both as contact and as staff")
            for pid, kind, stored in conn.execute(sql.CHECK_PERSON_KIND_STORED):
                problems.append(f"{kind} {pid!r}: the id is already stored as {stored}")
            conn.execute(sql.DIFF["person"])
            stage_counts = dict(conn.execute(sql.PERSON_STAGE_COUNTS).fetchall())
            for kind, created, updated in conn.execute(sql.PERSON_CHANGE_COUNTS).fetchall():
                summary.kinds[kind] = KindCounts(created, updated, stage_counts.pop(kind) - created - updated)
            for kind, total in stage_counts.items():
                summary.kinds[kind] = KindCounts(0, 0, total)
            conn.execute(sql.UPSERT["person"])
            conn.execute(sql.TOUCH_PERSON)
        if "interaction" in staged:
            grouping.find_changes(conn)
        for table in _LINE_TABLES:
            if table == "interaction" and table in staged:
                problems += _check_interaction(conn, grouping)
            elif table in staged:
                problems += _CHECKS[table](conn)
        problems += signals.problems(conn)
        if problems:
            raise IntegrityError(problems)
        signals.write(conn, summary)
        for table in _LINE_TABLES:
            if table not in staged:
                continue
            if table == "interaction":
                if grouping.all_new:
                    summary.kinds[table] = KindCounts(created=len(grouping.records))
                else:
                    self._count(conn, table, summary)
                    conn.execute(sql.TOUCH_INTERACTION_OLD)
                    conn.execute(sql.UPSERT[table])
                conn.execute(sql.INDEX_PARTICIPATION)
                conn.execute(sql.INDEX_ABOUT)
                conn.execute(sql.TOUCH_INTERACTION_NEW)
            else:
                conn.execute(sql.DIFF[table])
                self._count(conn, table, summary)
                conn.execute(sql.UPSERT[table])
                conn.execute(_TOUCH[table])
        conn.execute(sql.BUMP_VERSIONS)
        summary.touched_accounts = {r[0] for r in conn.execute(sql.TOUCHED_SELECT)}
        for table in staged:
            for statement in sql.STAGE_CLEAR[table]:
                conn.execute(statement)
        for statement in sql.GROUPED_CLEAR:
            conn.execute(statement)
        conn.execute(sql.TOUCHED_CLEAR)
        return summary

    @staticmethod
    def _count(conn: sqlite3.Connection, table: str, summary: WriteSummary) -> None:
        total = int(conn.execute(sql.STAGE_COUNT[table]).fetchone()[0])
        created, updated = (int(v) for v in conn.execute(sql.CHANGE_COUNTS[table]).fetchone())
        summary.kinds[table] = KindCounts(created, updated, total - created - updated)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, and resume it after if it was running.

    A bulk load makes millions of row tuples while millions of records are alive; each full
    collection walks all of them, and they ran often enough to double the time of a load. Row
    tuples and id lists hold no reference cycles, so nothing waits for the collector meanwhile;
    reference counting frees everything else as usual. The collector is process-wide: when writes in
    several threads overlap, the first to finish may resume it while another still runs, which
    costs only speed; it is never left paused by a write.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Grouping:
    """The interactions of a write: written as they stream in, grouped by participant and by
    account for the posting lists.

    Grouping a million interactions in Python is several times faster than SQLite's sorter.
    The common case of a bulk load is interactions that are all new: each batch is inserted
    straight into ``interaction`` as it arrives (its rows made one at a time and freed at once,
    so a load never holds a million row tuples; inside a savepoint per batch, so a batch that
    meets a stored or repeated id is undone alone). When a batch meets such an id, the write
    falls back to the stage: the batches inserted so far are deleted again (they were all new,
    so that restores the stored state), every interaction of the write is staged in order,
    :meth:`find_changes` finds the changed ones with :data:`sql.DIFF` and keeps only their
    groups. When the write repeats an interaction id, SQL groups the changed interactions
    instead (:data:`sql.GROUP_PARTICIPATION`), so the last record wins.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.records: list[Interaction] = []
        #: whether every interaction so far went straight into ``interaction`` (none was stored)
        self.all_new = True
        self.by_person: defaultdict[str, list[str]] = defaultdict(list)
        self.by_account: defaultdict[str, list[str]] = defaultdict(list)
        # the records by their first account ('' for none), grouped per person by _group()
        self._by_first: defaultdict[str, list[Interaction]] = defaultdict(list)
        self._grouped = False
        #: the records about no account (they count for their participants' employers of the day)
        self.loose: list[Interaction] = []
        #: interaction ids per participant written straight into ``participation`` (not in
        #: ``g_participation``), checked by :meth:`missing_people`
        self.posted_people: Mapping[str, list[str]] = {}

    def add(self, records: Sequence[Any]) -> None:
        """Check the records' type, bucket them by account and write (or stage) their rows."""
        conn = self._conn
        if self.all_new and not self.records and self._any_stored(records):
            self.all_new = False  # a re-import: stage from the start
        if not self.all_new:
            conn.executemany(sql.STAGE_INSERT["interaction"], self._bucketed_rows(records))
            self.records.extend(records)
            return
        conn.execute(sql.SAVEPOINT_NEW_INTERACTIONS)
        inserted = conn.executemany(sql.INSERT_NEW_INTERACTIONS, self._bucketed_rows(records)).rowcount
        if inserted != len(records):
            conn.execute(sql.ROLLBACK_NEW_INTERACTIONS)
        conn.execute(sql.RELEASE_NEW_INTERACTIONS)
        if inserted != len(records):
            self._to_stage()
            conn.executemany(sql.STAGE_INSERT["interaction"], _plain_rows(records))
        self.records.extend(records)

    def _bucketed_rows(self, records: Sequence[Any]) -> Iterator[_Row]:
        """The rows of ``records``, made one at a time while bucketing the records by account.

        The hot path of bulk loads, so written out in one loop without per-record calls; the
        JSON arrays of participants and accounts are joined directly, and :meth:`find_changes`
        redoes them with :func:`json.dumps` in the rare case that an id needs escaping.
        """
        by_first, by_account = self._by_first, self.by_account
        epoch = _EPOCH
        for record in records:
            if type(record) is not Interaction:
                raise TypeError(f"GraphBatch interaction list holds a {type(record).__name__}")
            iid = record.id
            people = record.participants
            accounts = record.accounts
            if accounts:
                by_first[accounts[0]].append(record)
                for aid in accounts[1:]:
                    by_account[aid].append(iid)
            else:
                by_first[""].append(record)
            since = record.at - epoch  # exact integer microseconds, as _micros
            yield (
                iid,
                record.kind._value_,  # the plain str: binding a str enum costs 0.5 µs more
                (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds,
                record.source,
                record.subject,
                '["' + '","'.join(people) + '"]' if people else "[]",
                '["' + '","'.join(accounts) + '"]' if accounts else "[]",
            )

    def _to_stage(self) -> None:
        """Leave the direct path: delete the interactions inserted so far (all new, so this
        restores the stored state) and stage them instead, in their order."""
        self.all_new = False
        if self.records:
            ids = _ids_json([r.id for r in self.records])
            self._conn.execute(sql.DELETE_INTERACTIONS, (ids,))
            self._conn.executemany(sql.STAGE_INSERT["interaction"], _plain_rows(self.records))

    def _any_stored(self, records: Sequence[Any]) -> bool:
        """Whether a sample of the ids (first, middle, last) is stored already: a re-import."""
        sample = {getattr(r, "id", None) for r in (records[0], records[len(records) // 2], records[-1])}
        ids = sorted(i for i in sample if isinstance(i, str))  # a wrong type is reported when written
        return self._conn.execute(sql.ANY_INTERACTION_STORED, (_ids_json(ids),)).fetchone() is not None

    def _group(self) -> None:
        """Fill :attr:`by_person` and :attr:`by_account` from the records bucketed by account.

        Grouping per person one account at a time touches a few hundred lists at once instead of
        hopping between all of them: about a third faster on a million interactions.
        """
        if self._grouped:
            return
        self._grouped = True
        by_person, by_account = self.by_person, self.by_account
        self.loose = self._by_first.get("", [])
        for aid, records in self._by_first.items():
            ids = [r.id for r in records]
            if aid:
                by_account[aid].extend(ids)
            local: defaultdict[str, list[str]] = defaultdict(list)
            for iid, record in zip(ids, records, strict=True):
                for pid in record.participants:
                    local[pid].append(iid)
            for pid, group in local.items():
                by_person[pid].extend(group)
        self._by_first.clear()

    def find_changes(self, conn: sqlite3.Connection) -> None:
        """Finish writing new interactions, or find the changes of staged ones and fill
        ``c_interaction``; fill ``g_participation`` and ``g_about`` with the groups of the
        changed ones."""
        self._group()
        escaped = not (_plain_json("".join(self.by_person)) and _plain_json("".join(self.by_account)))
        records = self.records
        if self.all_new:
            if escaped:  # rewrite the rows with json.dumps (they are all new: delete, insert)
                conn.execute(sql.DELETE_INTERACTIONS, (_ids_json([r.id for r in records]),))
                conn.executemany(sql.INSERT_NEW_INTERACTIONS, map(_interaction_row, records))
            # straight into the posting lists (no temporary copy); their participants are
            # checked by missing_people
            conn.executemany(sql.ADD_PARTICIPATION, ((k, _group_json(v)) for k, v in self.by_person.items()))
            self.posted_people = self.by_person
            self._write_groups(conn, {}, self.by_account)
            self._write_loose(conn, None)
            return
        if escaped:
            conn.execute(sql.STAGE_CLEAR["interaction"][0])
            conn.executemany(sql.STAGE_INSERT["interaction"], map(_interaction_row, records))
        duplicates = len({r.id for r in records}) != len(records)
        if duplicates:
            conn.execute(sql.DEDUPE_INTERACTIONS)
        conn.execute(sql.DIFF["interaction"])
        if duplicates:
            conn.execute(sql.GROUP_PARTICIPATION)
            conn.execute(sql.GROUP_ABOUT)
            conn.execute(sql.GROUP_LOOSE)
            return
        changed = sum(int(n) for n in conn.execute(sql.CHANGE_COUNTS["interaction"]).fetchone())
        if changed == 0:
            return
        by_person: Mapping[str, list[str]] = self.by_person
        by_account: Mapping[str, list[str]] = self.by_account
        keep: set[str] | None = None
        if changed < len(records):
            keep = {r[0] for r in conn.execute(sql.CHANGED_INTERACTIONS)}
            by_person = {k: [i for i in v if i in keep] for k, v in by_person.items()}
            by_account = {k: [i for i in v if i in keep] for k, v in by_account.items()}
        self._write_groups(conn, by_person, by_account)
        self._write_loose(conn, keep)

    def missing_people(self, conn: sqlite3.Connection) -> list[tuple[str, list[str]]]:
        """Participants of :attr:`posted_people` that do not exist, with their interactions."""
        if not self.posted_people:
            return []
        ids = _ids_json(self.posted_people)
        return [(pid, self.posted_people[pid]) for (pid,) in conn.execute(sql.MISSING_PEOPLE, (ids,))]

    def _write_loose(self, conn: sqlite3.Connection, keep: set[str] | None) -> None:
        """``g_loose``: participant and UTC day of each written interaction about no account."""
        conn.executemany(
            sql.ADD_LOOSE,
            (
                (pid, record.at.date().isoformat())
                for record in self.loose
                if keep is None or record.id in keep
                for pid in record.participants
            ),
        )

    @staticmethod
    def _write_groups(
        conn: sqlite3.Connection, by_person: Mapping[str, list[str]], by_account: Mapping[str, list[str]]
    ) -> None:
        conn.executemany(
            sql.ADD_PARTICIPATION_GROUP, ((k, _group_json(v)) for k, v in by_person.items() if v)
        )
        conn.executemany(sql.ADD_ABOUT_GROUP, ((k, _group_json(v)) for k, v in by_account.items() if v))


class _SignalWrite:
    """The business signals of a write: checked after the batch's accounts and people are
    upserted, then compared with what is stored and written when they changed.

    Signals are few next to interactions (thousands, not millions), so they are compared in
    Python against their stored canonical JSON rather than staged in SQL.
    """

    def __init__(self) -> None:
        #: uid -> (kind, record, canonical fields JSON); the last record per uid wins
        self.records: dict[str, tuple[str, Any, str]] = {}

    def add(self, kind: str, records: Sequence[Any]) -> None:
        """Take ``records`` of ``kind`` (a signal kind)."""
        expected = SIGNAL_TYPES[kind]
        for record in records:
            if type(record) is not expected:
                raise TypeError(f"GraphBatch {kind} list holds a {type(record).__name__}")
            fields = signal_json(record)
            self.records[signal_uid(record)] = (kind, record, fields)

    def problems(self, conn: sqlite3.Connection) -> list[str]:
        """Every signal naming an account or a contact that is not stored."""
        if not self.records:
            return []
        accounts = {r.account_id for _, r, _ in self.records.values()}
        contacts = {c for _, r, _ in self.records.values() for c in r.named_contacts}
        known = {row[0] for row in conn.execute(sql.KNOWN_ACCOUNT_IDS, (_ids_json(sorted(accounts)),))}
        kinds = dict(conn.execute(sql.PERSON_KINDS, (_ids_json(sorted(contacts)),)).fetchall())
        found: list[str] = []
        for _uid, (kind, record, _) in sorted(self.records.items()):
            ident = repr(record.key) if isinstance(record.key, str) else str(record.key)
            if record.account_id not in known:
                found.append(f"{kind} {ident}: unknown account {record.account_id!r}")
            for cid in record.named_contacts:
                if kinds.get(cid) is None:
                    found.append(f"{kind} {ident}: unknown contact {cid!r}")
                elif kinds[cid] != "contact":
                    found.append(f"{kind} {ident}: {cid!r} is a {kinds[cid]}, not a contact")
        return found

    def write(self, conn: sqlite3.Connection, summary: WriteSummary) -> None:
        """Upsert the changed signals, count them and mark their accounts (old and new) touched."""
        if not self.records:
            return
        stored = {
            uid: (account_id, fields)
            for uid, account_id, fields in conn.execute(
                sql.SIGNALS_BY_UID, (_ids_json(sorted(self.records)),)
            )
        }
        counts = {kind: KindCounts() for kind in SIGNAL_KINDS}
        rows: list[_Row] = []
        touched: set[str] = set()
        for uid, (kind, record, fields) in self.records.items():
            before = stored.get(uid)
            if before is not None and before[1] == fields and before[0] == record.account_id:
                counts[kind].unchanged += 1
                continue
            if before is None:
                counts[kind].created += 1
            else:
                counts[kind].updated += 1
                touched.add(before[0])
            touched.add(record.account_id)
            contacts = _ids_json(sorted(record.named_contacts))
            rows.append((uid, kind, record.account_id, record.dated.isoformat(), fields, contacts))
        conn.executemany(sql.UPSERT_SIGNAL, rows)
        conn.executemany(sql.TOUCHED_ADD, ((aid,) for aid in sorted(touched)))
        for kind, counted in counts.items():
            if counted.created or counted.updated or counted.unchanged:
                summary.kinds[kind] = counted


def _merge_signal_contacts(conn: sqlite3.Connection, keep_id: str, duplicate_id: str) -> None:
    """Rewrite the signals naming ``duplicate_id`` to name ``keep_id``; their accounts are touched."""
    conn.executemany(
        sql.TOUCHED_ADD, conn.execute(sql.SIGNAL_ACCOUNTS_OF_CONTACT, (duplicate_id,)).fetchall()
    )
    rewritten = []
    for uid, kind, fields in conn.execute(sql.SIGNALS_OF_CONTACT, (duplicate_id,)).fetchall():
        record = signal_with_contact(signal_from_fields(kind, json.loads(fields)), duplicate_id, keep_id)
        text = signal_json(record)
        rewritten.append((text, _ids_json(sorted(record.named_contacts)), uid))
    conn.executemany(sql.SET_SIGNAL_FIELDS, rewritten)


def _by_key(records: Iterable[Any]) -> tuple[Any, ...]:
    """``records`` sorted by their key."""
    return tuple(sorted(records, key=lambda r: r.key))


def _plain_json(text: str) -> bool:
    """Whether ids whose concatenation is ``text`` go into a JSON string unescaped."""
    return '"' not in text and "\\" not in text and text.isprintable()


def _group_json(ids: list[str]) -> str:
    """A JSON array of ids, joined directly when no id needs escaping (checked on the joined text)."""
    joined = '","'.join(ids)
    if joined.count('"') == 2 * (len(ids) - 1) and "\\" not in joined and joined.isprintable():
        return '["' + joined + '"]'
    return _ids_json(ids)


def _plain_rows(records: Iterable[Interaction]) -> Iterator[_Row]:
    """The rows of interactions as :meth:`_Grouping._bucketed_rows` makes them, without bucketing."""
    epoch = _EPOCH
    for record in records:
        people, accounts = record.participants, record.accounts
        since = record.at - epoch
        yield (
            record.id,
            record.kind._value_,
            (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds,
            record.source,
            record.subject,
            '["' + '","'.join(people) + '"]' if people else "[]",
            '["' + '","'.join(accounts) + '"]' if accounts else "[]",
        )


# -- integrity checks ---------------------------------------------------------------------------


def _kind_problem(pid: str, actual: str | None, expected: str) -> str | None:
    if actual == expected:
        return None
    if actual is None:
        return f"{expected} {pid!r} does not exist"
    return f"{pid!r} is {actual}, not {expected}"


def _check_employment(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for cid, aid, since, kind, has_account in conn.execute(sql.CHECK_EMPLOYMENT):
        where = f"employment ({cid!r}, {aid!r}, {since or None!r})"
        if p := _kind_problem(cid, kind, "contact"):
            problems.append(f"{where}: {p}")
        if not has_account:
            problems.append(f"{where}: account {aid!r} does not exist")
    return problems


def _check_pair(statement: str, kind: str) -> Callable[[sqlite3.Connection], list[str]]:
    def check(conn: sqlite3.Connection) -> list[str]:
        problems = []
        for a, b, kind_a, kind_b in conn.execute(statement):
            for pid, actual in ((a, kind_a), (b, kind_b)):
                if p := _kind_problem(pid, actual, "contact"):
                    problems.append(f"{kind} ({a!r}, {b!r}): {p}")
        return problems

    return check


def _check_team(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for sid, aid, role, kind, has_account in conn.execute(sql.CHECK_TEAM_MEMBERSHIP):
        where = f"team_membership ({sid!r}, {aid!r}, {role!r})"
        if p := _kind_problem(sid, kind, "staff"):
            problems.append(f"{where}: {p}")
        if not has_account:
            problems.append(f"{where}: account {aid!r} does not exist")
    return problems


def _check_assessment(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for sid, cid, at, kind_s, kind_c in conn.execute(sql.CHECK_ASSESSMENT):
        where = f"assessment ({sid!r}, {cid!r}, {at!r})"
        for pid, actual, expected in ((sid, kind_s, "staff"), (cid, kind_c, "contact")):
            if p := _kind_problem(pid, actual, expected):
                problems.append(f"{where}: {p}")
    return problems


def _check_referral(conn: sqlite3.Connection) -> list[str]:
    problems = []
    for source, target, source_kind, actual, has_target in conn.execute(sql.CHECK_REFERRAL):
        where = f"referral ({source!r}, {target!r})"
        if p := _kind_problem(source, actual, source_kind):
            problems.append(f"{where}: {p}")
        if not has_target:
            problems.append(f"{where}: account {target!r} does not exist")
    return problems


def _check_interaction(conn: sqlite3.Connection, grouping: _Grouping) -> list[str]:
    """Check the participants and accounts of the changed interactions (see :class:`_Grouping`)."""
    problems = []
    people = [(pid, json.loads(ids)) for pid, ids in conn.execute(sql.CHECK_INTERACTION_PEOPLE)]
    people += grouping.missing_people(conn)
    accounts = [(aid, json.loads(ids)) for aid, ids in conn.execute(sql.CHECK_INTERACTION_ACCOUNTS)]
    for what, found in (("participant", sorted(people)), ("account", accounts)):
        for missing, missing_ids in found:
            ids = sorted(missing_ids)
            named = ", ".join(repr(i) for i in ids[:3]) + (
                f" and {len(ids) - 3} more" if len(ids) > 3 else ""
            )
            problems.append(f"interaction {named}: {what} {missing!r} does not exist")
    return problems


_LINE_TABLES = (
    "employment",
    "reporting_line",
    "influence_line",
    "team_membership",
    "interaction",
    "assessment",
    "referral",
)
_CHECKS: dict[str, Callable[[sqlite3.Connection], list[str]]] = {
    "employment": _check_employment,
    "reporting_line": _check_pair(sql.CHECK_REPORTING_LINE, "reporting_line"),
    "influence_line": _check_pair(sql.CHECK_INFLUENCE_LINE, "influence_line"),
    "team_membership": _check_team,
    "assessment": _check_assessment,
    "referral": _check_referral,
}
_TOUCH: dict[str, str] = {
    "employment": sql.TOUCH_EMPLOYMENT,
    "reporting_line": sql.TOUCH_REPORTING_LINE,
    "influence_line": sql.TOUCH_INFLUENCE_LINE,
    "team_membership": sql.TOUCH_TEAM_MEMBERSHIP,
    "assessment": sql.TOUCH_ASSESSMENT,
    "referral": sql.TOUCH_REFERRAL,
}

# -- records to rows ------------------------------------------------------------------------------


def _ids_json(ids: Iterable[str]) -> str:
    return json.dumps(list(ids), ensure_ascii=False, separators=(",", ":"))


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _opt_day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _val(value: Any) -> Any:
    return value.value if value is not None else None


def _account_row(a: Account) -> _Row:
    return (
        a.id,
        a.name,
        a.industry,
        a.region,
        a.tier.value,
        a.annual_revenue,
        a.potential_revenue,
        a.owner,
        _ids_json(a.domains),
        a.strategic_fit,
        a.relationship_cost,
        history_text(a.tier_history),
        history_text(a.revenue_history),
    )


def _contact_row(c: Contact) -> _Row:
    return (
        c.id,
        "contact",
        c.name,
        c.email,
        c.title,
        c.department,
        _val(c.level),
        c.influence,
        c.stance.value,
        _val(c.political_status),
        None,
        None,
        history_text(c.stance_history),
    )


def _staff_row(s: Staff) -> _Row:
    until = s.until.isoformat() if s.until is not None else None
    return (
        s.id,
        "staff",
        s.name,
        s.email,
        s.title,
        None,
        _val(s.level),
        None,
        None,
        None,
        _val(s.team_role),
        until,
        None,
    )


def _employment_row(e: Employment) -> _Row:
    return (
        e.contact_id,
        e.account_id,
        _day(e.since),
        _opt_day(e.until),
        e.title,
        e.department,
        _val(e.level),
        ",".join(sorted(r.value for r in e.roles)),
    )


def _interaction_row(i: Interaction) -> _Row:
    # the hot path of bulk loads: JSON arrays are joined directly unless an id needs escaping
    people = '","'.join(i.participants)
    accounts = '","'.join(i.accounts)
    text = people + accounts
    if (
        text.count('"')
        != 2 * (len(i.participants) + len(i.accounts) - 2 + (not i.participants) + (not i.accounts))
        or "\\" in text
        or not text.isprintable()
    ):
        return (
            i.id,
            i.kind,
            _micros(i.at),
            i.source,
            i.subject,
            _ids_json(i.participants),
            _ids_json(i.accounts),
        )
    return (
        i.id,
        i.kind,  # a str enum binds as its value
        round(i.at.timestamp() * 1_000_000),
        i.source,
        i.subject,
        f'["{people}"]' if people else "[]",
        f'["{accounts}"]' if accounts else "[]",
    )


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(at: datetime) -> int:
    """Microseconds since the Unix epoch (exact: a float holds 53 bits, today's values need 51)."""
    return round(at.timestamp() * 1_000_000)


def _end_of_day(day: date) -> int:
    """The first microsecond after ``day`` (UTC)."""
    return _micros(datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1))


_TO_ROW: dict[str, Callable[[Any], _Row]] = {
    "account": _account_row,
    "contact": _contact_row,
    "staff": _staff_row,
    "employment": _employment_row,
    "reporting_line": lambda r: (r.contact_id, r.manager_id, _day(r.since), _opt_day(r.until)),
    "influence_line": lambda r: (r.source_id, r.target_id, r.weight, r.kind.value),
    "team_membership": lambda m: (
        m.staff_id,
        m.account_id,
        m.team_role.value,
        _day(m.since),
        _opt_day(m.until),
    ),
    "interaction": _interaction_row,
    "assessment": lambda a: (a.staff_id, a.contact_id, a.at.isoformat(), a.level.value),
    "referral": lambda r: (
        r.source_id,
        r.target_id,
        r.source_kind,
        r.at.isoformat(),
        r.status.value,
        r.value,
    ),
}
_TABLE_OF: dict[str, str] = {kind: kind for kind in RECORD_KINDS} | {"contact": "person", "staff": "person"}
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
}

# -- rows to records (stored rows are valid: build without re-validating) ----------------------------


def _build(cls: type[Any], values: Mapping[str, Any]) -> Any:
    obj = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(obj, name, value)
    return obj


def _enum_map(enum: type[Any]) -> dict[str | None, Any]:
    return {None: None, **{m.value: m for m in enum}}


_LEVEL = _enum_map(Level)
_STANCE = _enum_map(Stance)
_RELATION = _enum_map(RelationKind)
_POLITICAL = _enum_map(PoliticalStatus)
_TEAM_ROLE = _enum_map(TeamRole)
_KIND = _enum_map(InteractionKind)
_ROLE = _enum_map(Role)
_TIER = _enum_map(Tier)
_ASSESSED = _enum_map(AssessedLevel)
_STATUS = _enum_map(ReferralStatus)


def _date_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _account(r: _Row) -> Account:
    account: Account = _build(
        Account,
        {
            "id": r[0],
            "name": r[1],
            "industry": r[2],
            "region": r[3],
            "tier": _TIER[r[4]],
            "annual_revenue": float(r[5]),
            "potential_revenue": float(r[6]),
            "owner": r[7],
            "domains": tuple(json.loads(r[8])),
            "strategic_fit": r[9],
            "relationship_cost": r[10],
            "tier_history": _history(r[11], _TIER),
            "revenue_history": _history(r[12], None),
        },
    )
    return account


def _history(text: str | None, values: Mapping[str | None, Any] | None) -> tuple[tuple[date, Any], ...]:
    """A stored history text (written by :func:`graph.model.history_text`) as the model's pairs."""
    if not text:
        return ()
    pairs = []
    for part in text.split(";"):
        day, _, value = part.partition(":")
        pairs.append((date.fromisoformat(day), values[value] if values is not None else float(value)))
    return tuple(pairs)


def _person(r: _Row) -> Contact | Staff:
    if r[1] == "staff":
        staff: Staff = _build(
            Staff,
            {
                "id": r[0],
                "name": r[2],
                "email": r[3],
                "title": r[4],
                "level": _LEVEL[r[6]],
                "team_role": _TEAM_ROLE[r[10]],
                "until": date.fromisoformat(r[11]) if r[11] else None,
            },
        )
        return staff
    contact: Contact = _build(
        Contact,
        {
            "id": r[0],
            "name": r[2],
            "email": r[3],
            "title": r[4],
            "department": r[5],
            "level": _LEVEL[r[6]],
            "influence": r[7],
            "stance": _STANCE[r[8]],
            "political_status": _POLITICAL[r[9]],
            "stance_history": _history(r[12], _STANCE),
        },
    )
    return contact


def _people(conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, Contact | Staff]:
    return {r[0]: _person(r) for r in conn.execute(sql.GET_PEOPLE, (_ids_json(ids),))}


def _employment(r: _Row) -> Employment:
    roles: frozenset[Role] = frozenset(_ROLE[x] for x in r[7].split(",")) if r[7] else frozenset()
    employment: Employment = _build(
        Employment,
        {
            "contact_id": r[0],
            "account_id": r[1],
            "title": r[4],
            "department": r[5],
            "level": _LEVEL[r[6]],
            "roles": roles,
            "since": _date_or_none(r[2]),
            "until": _date_or_none(r[3]),
        },
    )
    return employment


def _employment_order(e: Employment) -> tuple[str, str, str]:
    return (e.contact_id, _day(e.since), e.account_id)


#: Key of the reference date in the ``setting`` table.
_REFERENCE_DATE = "reference_date"


def _reporting(r: _Row) -> ReportingLine:
    line: ReportingLine = _build(
        ReportingLine,
        {"contact_id": r[0], "manager_id": r[1], "since": _date_or_none(r[2]), "until": _date_or_none(r[3])},
    )
    return line


def _influence(r: _Row) -> InfluenceLine:
    line: InfluenceLine = _build(
        InfluenceLine,
        {"source_id": r[0], "target_id": r[1], "weight": float(r[2]), "kind": _RELATION[r[3]]},
    )
    return line


def _team(r: _Row) -> TeamMembership:
    membership: TeamMembership = _build(
        TeamMembership,
        {
            "staff_id": r[0],
            "account_id": r[1],
            "team_role": _TEAM_ROLE[r[2]],
            "since": _date_or_none(r[3]),
            "until": _date_or_none(r[4]),
        },
    )
    return membership


_new = object.__new__
_set = object.__setattr__
_loads = json.loads


def _interaction(r: _Row) -> Interaction:
    # the hot path of account_subgraph: thousands per read, so without the generic _build
    interaction: Interaction = _new(Interaction)
    _set(interaction, "id", r[0])
    _set(interaction, "kind", _KIND[r[1]])
    _set(interaction, "at", _from_micros(r[2]))
    _set(interaction, "source", r[3])
    _set(interaction, "subject", r[4])
    _set(interaction, "participants", _id_tuple(r[5]))
    _set(interaction, "accounts", _id_tuple(r[6]))
    return interaction


_SET_INTERACTION = tuple(
    getattr(Interaction, name).__set__
    for name in ("id", "kind", "at", "source", "subject", "participants", "accounts")
)
#: Timestamps within 2**32 seconds of the epoch (1833-2106) are exact through a float (see
#: :func:`_from_micros`).
_FLOAT_EXACT = 2**32 * 1_000_000
_from_timestamp = datetime.fromtimestamp


def _from_micros(micros: int) -> datetime:
    """The UTC datetime of integer microseconds since the epoch, exactly.

    Through a float when it is exact: within 2**32 s of the epoch the float nearest to
    ``micros / 1e6`` is less than half a microsecond off, and :meth:`datetime.fromtimestamp`
    rounds to the nearest microsecond; that is twice as fast as adding a :class:`timedelta`.

    Examples
    --------
    >>> _from_micros(1_700_000_000_123_457).isoformat()
    '2023-11-14T22:13:20.123457+00:00'
    >>> _from_micros(-62_135_596_800_000_000).isoformat()
    '0001-01-01T00:00:00+00:00'
    """
    if -_FLOAT_EXACT < micros < _FLOAT_EXACT:
        return _from_timestamp(micros / 1e6, UTC)
    return _EPOCH + timedelta(microseconds=micros)


def _interactions_among(rows: Iterable[_Row], account_id: str | None, people: set[str]) -> list[Interaction]:
    """The interactions of ``rows`` ABOUT ``account_id`` or with one of ``people`` as participant.

    The hot path of :meth:`SqliteStore.account_subgraph` (thousands of rows per read): rows that
    do not match (stale postings) are dropped before a record is built, and records are built as
    in :func:`_interaction`, with the slots' own setters and a fast exact timestamp.
    """
    set_id, set_kind, set_at, set_source, set_subject, set_participants, set_accounts = _SET_INTERACTION
    kinds = _KIND
    fast = _FLOAT_EXACT
    from_timestamp = _from_timestamp
    new = _new
    utc = UTC
    result: list[Interaction] = []
    append = result.append
    parsed: dict[str, tuple[str, ...]] = {}  # account lists repeat: parsed once
    for iid, kind, at, source, subject, participants_text, accounts_text in rows:
        accounts = parsed.get(accounts_text)
        if accounts is None:
            accounts = parsed[accounts_text] = _id_tuple(accounts_text)
        if len(participants_text) > 2 and "\\" not in participants_text:
            participants = tuple(participants_text[2:-2].split('","'))
        else:
            participants = _id_tuple(participants_text)
        if account_id not in accounts and people.isdisjoint(participants):
            continue
        interaction = new(Interaction)
        set_id(interaction, iid)
        set_kind(interaction, kinds[kind])
        set_at(interaction, from_timestamp(at / 1e6, utc) if -fast < at < fast else _from_micros(at))
        set_source(interaction, source)
        set_subject(interaction, subject)
        set_participants(interaction, participants)
        set_accounts(interaction, accounts)
        append(interaction)
    return result


def _lines_among(
    lines: Iterable[_Line], accounts_of: Mapping[str, Sequence[str]]
) -> defaultdict[str, list[_Line]]:
    """Each line whose two ends are contacts of one account, listed under every such account.

    ``accounts_of`` maps a contact to the accounts (of those read) they work at.

    Examples
    --------
    >>> lines = [ReportingLine("b", "a"), ReportingLine("c", "b"), InfluenceLine("a", "c", 0.5)]
    >>> found = _lines_among(lines, {"a": ["x"], "b": ["x", "y"], "c": ["y"]})
    >>> {account: [line.key for line in found[account]] for account in sorted(found)}
    {'x': [('b', 'a')], 'y': [('c', 'b')]}
    """
    found: defaultdict[str, list[_Line]] = defaultdict(list)
    for line in lines:
        if isinstance(line, ReportingLine):
            one, other = line.contact_id, line.manager_id
        else:
            one, other = line.source_id, line.target_id
        at_other = accounts_of.get(other, ())
        for account_id in accounts_of.get(one, ()):
            if account_id in at_other:
                found[account_id].append(line)
    return found


def _interactions_of_accounts(
    rows: Iterable[_Row], account_ids: Iterable[str], accounts_of: Mapping[str, Sequence[str]]
) -> dict[str, list[Interaction]]:
    """The interactions of ``rows`` of each account: ABOUT it, or with one of its contacts.

    ``accounts_of`` maps a contact to the accounts (of ``account_ids``) they work at. What
    :func:`_interactions_among` keeps for one account, for several at once: each matching row
    becomes one record, shared by the accounts it belongs to; rows that match none (stale
    postings) are dropped before a record is built. In the order of ``rows``. Participant and
    account lists repeat (the same people meet again), so each distinct pair of them is parsed,
    and matched to the accounts, once.

    Examples
    --------
    >>> rows = [("i1", "call", 0, "crm", None, '["s1","c1"]', '["x"]'),
    ...         ("i2", "call", 1, "crm", None, '["s1","c2"]', '[]'),
    ...         ("i3", "call", 2, "crm", None, '["s1"]', '["z"]')]
    >>> found = _interactions_of_accounts(rows, ["x", "y"], {"c1": ["x"], "c2": ["x", "y"]})
    >>> {account: [i.id for i in found[account]] for account in found}
    {'x': ['i1', 'i2'], 'y': ['i2']}
    >>> found["x"][1] is found["y"][0]
    True
    """
    set_id, set_kind, set_at, set_source, set_subject, set_participants, set_accounts = _SET_INTERACTION
    kinds = _KIND
    fast = _FLOAT_EXACT
    from_timestamp = _from_timestamp
    new = _new
    utc = UTC
    result: dict[str, list[Interaction]] = {account_id: [] for account_id in account_ids}
    lists: dict[tuple[str, str], tuple[tuple[str, ...], tuple[str, ...], list[list[Interaction]]]] = {}
    for iid, kind, at, source, subject, participants_text, accounts_text in rows:
        parsed = lists.get((participants_text, accounts_text))
        if parsed is None:
            parsed = lists[participants_text, accounts_text] = _lists_of(
                participants_text, accounts_text, result, accounts_of
            )
        participants, accounts, belongs = parsed
        if not belongs:
            continue
        interaction = new(Interaction)
        set_id(interaction, iid)
        set_kind(interaction, kinds[kind])
        set_at(interaction, from_timestamp(at / 1e6, utc) if -fast < at < fast else _from_micros(at))
        set_source(interaction, source)
        set_subject(interaction, subject)
        set_participants(interaction, participants)
        set_accounts(interaction, accounts)
        for found in belongs:
            found.append(interaction)
    return result


def _lists_of(
    participants_text: str,
    accounts_text: str,
    result: Mapping[str, list[Interaction]],
    accounts_of: Mapping[str, Sequence[str]],
) -> tuple[tuple[str, ...], tuple[str, ...], list[list[Interaction]]]:
    """The parsed participants and accounts of an interaction, and the lists of ``result`` it
    goes into: those of the accounts it is ABOUT, then of its contacts' accounts."""
    participants = _id_tuple(participants_text)
    accounts = _id_tuple(accounts_text)
    belongs = list(
        dict.fromkeys(
            [a for a in accounts if a in result]
            + [a for person in participants for a in accounts_of.get(person, ())]
        )
    )
    return participants, accounts, [result[a] for a in belongs]


def _id_tuple(text: str) -> tuple[str, ...]:
    """Parse a stored JSON array of ids; without escapes (no backslash) it is a plain split."""
    if "\\" in text:
        return tuple(_loads(text))
    return tuple(text[2:-2].split('","')) if len(text) > 2 else ()


def _assessment(r: _Row) -> Assessment:
    assessment: Assessment = _build(
        Assessment,
        {"staff_id": r[0], "contact_id": r[1], "at": date.fromisoformat(r[2]), "level": _ASSESSED[r[3]]},
    )
    return assessment


def _referral(r: _Row) -> Referral:
    referral: Referral = _build(
        Referral,
        {
            "source_id": r[0],
            "target_id": r[1],
            "source_kind": r[2],
            "at": date.fromisoformat(r[3]),
            "status": _STATUS[r[4]],
            "value": float(r[5]),
        },
    )
    return referral


def _token(r: _Row) -> ApiToken:
    return ApiToken(
        token_hash=r[0],
        name=r[1],
        role=r[2],
        staff_id=r[3],
        created_at=datetime.fromisoformat(r[4]),
        revoked=bool(r[5]),
    )


_FROM_ROW: dict[str, Callable[[_Row], Any]] = {
    "account": _account,
    "contact": _person,
    "staff": _person,
    "employment": _employment,
    "reporting_line": _reporting,
    "influence_line": _influence,
    "team_membership": _team,
    "interaction": _interaction,
    "assessment": _assessment,
    "referral": _referral,
}


def _encode_cursor(last_id: str) -> str:
    return base64.urlsafe_b64encode(f"account:{last_id}".encode()).decode("ascii")


def _decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        text = ""
    if not text.startswith("account:"):
        raise StoreError(f"invalid cursor {cursor!r}")
    return text[len("account:") :]
