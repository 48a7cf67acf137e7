"""Per-request DataLoaders over the store, and the account manager's scope.

Every nested field goes through a loader, so a page of accounts with their teams, owners and
health costs a constant number of store calls, not one per account. Loaders also cache: within
one request each account, person, team and analysis is read or computed once.

Scoping lives here too: :class:`Scope` answers "may the viewer see this account / person?"
for account managers (everything else reads everything), so nested and aliased fields are
filtered by the same rule as the root fields.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict, deque
from collections.abc import AsyncGenerator, Awaitable, Callable, Hashable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from itertools import islice
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Account, Contact, Employment, Staff, TeamMembership
from graph.services.cache import ResultCache
from graph.services.refresh import config_fingerprint
from graph.store import AccountSubgraph, AnalysisResult, GraphStore, NotFoundError
from schema.analyses import (
    DETAIL_KIND,
    SUMMARY_KIND,
    Materialised,
    analyse_account,
    compute_detail,
    compute_summary,
    is_fresh,
)
from schema.permissions import Viewer

__all__ = ["Loaders", "Scope"]

#: Subgraphs read ahead of the analysis that needs them (see ``Loaders._read_ahead``): three
#: keep a two-core Neo4j server busy while this process analyses.
READ_AHEAD = 3

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _grouped(keys: Sequence[tuple[Any, ...]]) -> dict[tuple[Any, ...], list[Any]]:
    """Group ``(first, ..., last)`` keys by everything except their first part."""
    groups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for key in keys:
        groups[key[1:]].append(key[0])
    return groups


class Loaders:
    """The DataLoaders of one request.

    Parameters
    ----------
    store : GraphStore
        The store to read from.
    config : AnalysisConfig
        Parameters of the analyses computed when no fresh materialised result exists.
    cache : ResultCache, optional
        Per-process cache of computed maps and analysis details (large entries).
    summary_cache : ResultCache, optional
        Per-process cache of account summaries, materialised or computed (small entries).
    """

    def __init__(
        self,
        store: GraphStore,
        config: AnalysisConfig = DEFAULT_CONFIG,
        cache: ResultCache | None = None,
        summary_cache: ResultCache | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.cache = cache if cache is not None else ResultCache(0)
        self.summary_cache = summary_cache if summary_cache is not None else ResultCache(0)
        self.fingerprint = config_fingerprint(config)
        self.versions: DataLoader[str, int | None] = DataLoader(load_fn=self._load_versions)
        self.maps: DataLoader[tuple[str, date], dict[str, Any] | None] = DataLoader(load_fn=self._load_maps)
        self.accounts: DataLoader[str, Account | None] = DataLoader(load_fn=self._load_accounts)
        self.people: DataLoader[str, Contact | Staff | None] = DataLoader(load_fn=self._load_people)
        self.employments: DataLoader[str, list[Employment]] = DataLoader(load_fn=self._load_employments)
        self.teams: DataLoader[tuple[str, date], list[TeamMembership]] = DataLoader(load_fn=self._load_teams)
        self.results: DataLoader[tuple[str, str, date], AnalysisResult | None] = DataLoader(
            load_fn=self._load_results
        )
        self.subgraphs: DataLoader[tuple[str, date], AccountSubgraph | None] = DataLoader(
            load_fn=self._load_subgraphs
        )
        self.analyses: DataLoader[tuple[str, date], Any] = DataLoader(load_fn=self._load_analyses)
        self.summaries: DataLoader[tuple[str, date], Materialised | None] = DataLoader(
            load_fn=self._load_summaries
        )
        self.details: DataLoader[tuple[str, date], Materialised | None] = DataLoader(
            load_fn=self._load_details
        )

    async def _cached(self, kind: str, key: tuple[str, date], compute: Callable[[], Awaitable[Any]]) -> Any:
        """``await compute()`` through the per-process cache, keyed by the account's data version."""
        version = await self.versions.load(key[0])
        cache_key = (kind, key[0], key[1], version, self.fingerprint)
        found, value = self.cache.get(cache_key)
        if not found:
            value = await compute()
            if value is not None:
                self.cache.put(cache_key, value)
        return value

    async def actions(self, key: tuple[str, date], first: int, plan: bool) -> list[dict[str, Any]] | None:
        """Recommended actions of an account as plain data (a greedy plan or the best singles),
        through the per-process cache under the account's data version."""
        from graph.analysis.recommendations import action_plan, recommended_actions
        from schema.analyses import to_jsonable

        async def compute() -> list[dict[str, Any]] | None:
            analysis = await self.analyses.load(key)
            if analysis is None:
                return None
            found = action_plan(analysis, k=first) if plan else recommended_actions(analysis, first=first)
            return [
                {**to_jsonable(a), "coverage_gain": a.coverage_gain, "revenue_protected": a.revenue_protected}
                for a in found
            ]

        result: list[dict[str, Any]] | None = await self._cached(f"actions:{int(plan)}:{first}", key, compute)
        return result

    async def _load_versions(self, ids: list[str]) -> list[int | None]:
        found = self.store.data_versions(ids)
        return [found.get(i) for i in ids]

    async def _load_maps(self, keys: list[tuple[str, date]]) -> list[dict[str, Any] | None]:
        from graph.analysis.relationship_map import relationship_map
        from schema.relationship_map import lean_map

        await self.versions.load_many([k[0] for k in keys])  # read before the data
        out: list[dict[str, Any] | None] = []
        for key in keys:

            async def compute(key: tuple[str, date] = key) -> dict[str, Any] | None:
                subgraph = await self.subgraphs.load(key)
                return None if subgraph is None else lean_map(relationship_map(subgraph, self.config))

            out.append(await self._cached("map", key, compute))
        return out

    async def _load_accounts(self, ids: list[str]) -> list[Account | None]:
        """Accounts from the per-process cache under their data version, else from the store.

        A change to an account record bumps its data version, so a cached record of the same
        version is the stored one; a warm request then reads only the version (one round trip
        less on Neo4j).
        """
        versions = await self.versions.load_many(ids)
        out: list[Account | None] = [None] * len(ids)
        missing: list[int] = []
        for n, (account_id, version) in enumerate(zip(ids, versions, strict=True)):
            found, cached = self.summary_cache.get(("account", account_id, version))
            if found and version is not None:
                out[n] = cached
            else:
                missing.append(n)
        if missing:
            stored = self.store.get_accounts([ids[n] for n in missing])
            for n in missing:
                out[n] = account = stored.get(ids[n])
                if account is not None and versions[n] is not None:
                    self.summary_cache.put(("account", ids[n], versions[n]), account)
        return out

    async def _load_people(self, ids: list[str]) -> list[Contact | Staff | None]:
        found = self.store.get_people(ids)
        return [found.get(i) for i in ids]

    async def _load_employments(self, ids: list[str]) -> list[list[Employment]]:
        found = self.store.employments_of(ids)
        return [found.get(i, []) for i in ids]

    async def _load_teams(self, keys: list[tuple[str, date]]) -> list[list[TeamMembership]]:
        out: dict[tuple[str, date], list[TeamMembership]] = {}
        for (day,), ids in _grouped(keys).items():
            found = self.store.teams_of(ids, day)
            for i in ids:
                out[(i, day)] = found.get(i, [])
        return [out[k] for k in keys]

    async def _load_results(self, keys: list[tuple[str, str, date]]) -> list[AnalysisResult | None]:
        """Fresh materialised results only (same data version and configuration)."""
        out: dict[tuple[str, str, date], AnalysisResult | None] = {}
        groups = _grouped(keys)
        versions = self.store.data_versions(sorted({k[0] for k in keys})) if groups else {}
        for (kind, day), ids in groups.items():
            found = self.store.get_results(kind, day, ids)
            for i in ids:
                result = found.get(i)
                fresh = result is not None and is_fresh(result, versions.get(i), self.fingerprint)
                out[(i, kind, day)] = result if fresh else None
        return [out[k] for k in keys]

    async def _load_subgraphs(self, keys: list[tuple[str, date]]) -> list[AccountSubgraph | None]:
        await self.versions.load_many([k[0] for k in keys])  # versions are read before the data
        out: list[AccountSubgraph | None] = []
        for account_id, day in keys:
            try:
                out.append(self.store.account_subgraph(account_id, day))
            except NotFoundError:
                out.append(None)
        return out

    async def _load_analyses(self, keys: list[tuple[str, date]]) -> list[Any]:
        subgraphs = await self.subgraphs.load_many(keys)
        out: list[Any] = []
        for subgraph in subgraphs:
            out.append(None if subgraph is None else analyse_account(subgraph, self.config))
            await asyncio.sleep(0)  # let other requests in between accounts
        return out

    async def _load_summaries(self, keys: list[tuple[str, date]]) -> list[Materialised | None]:
        """Summaries from the per-process cache, else the fresh stored ones, else computed now."""
        versions = await self.versions.load_many([i for i, _ in keys])
        cache_keys = [(i, day, v, self.fingerprint) for (i, day), v in zip(keys, versions, strict=True)]
        out: list[Materialised | None] = [None] * len(keys)
        missing: list[int] = []
        for n, cache_key in enumerate(cache_keys):
            found, cached = self.summary_cache.get(cache_key)
            if found:
                out[n] = cached
            else:
                missing.append(n)
        if not missing:
            return out
        stored = await self.results.load_many([(keys[n][0], SUMMARY_KIND, keys[n][1]) for n in missing])
        to_read = [keys[n] for n, result in zip(missing, stored, strict=True) if result is None]
        subgraphs = self._read_ahead(to_read)
        try:
            for n, result in zip(missing, stored, strict=True):
                value: Materialised | None = None
                if result is not None:
                    value = Materialised(result.payload, True)
                else:
                    subgraph = await anext(subgraphs)
                    if subgraph is not None:
                        value = Materialised(compute_summary(subgraph, self.config), False)
                    await asyncio.sleep(0)  # let other requests in between accounts
                if value is not None:
                    self.summary_cache.put(cache_keys[n], value)
                out[n] = value
        finally:
            await subgraphs.aclose()
        return out

    async def _read_ahead(self, keys: list[tuple[str, date]]) -> AsyncGenerator[AccountSubgraph | None, None]:
        """The subgraphs of ``keys`` in order, read up to ``READ_AHEAD`` at once in threads.

        While one account is analysed the next ones are read, so a store that answers over the
        network (Neo4j) works beside the analysis instead of in turn with it. Each subgraph is
        also primed into the ``subgraphs`` loader for the rest of the request.
        """
        if not keys:
            return
        await self.versions.load_many([k[0] for k in keys])  # versions are read before the data
        loop = asyncio.get_running_loop()

        def read(key: tuple[str, date]) -> AccountSubgraph | None:
            try:
                return self.store.account_subgraph(*key)
            except NotFoundError:
                return None

        with ThreadPoolExecutor(READ_AHEAD, thread_name_prefix="kamgraph-read-ahead") as pool:
            pending: deque[tuple[tuple[str, date], asyncio.Future[AccountSubgraph | None]]] = deque()
            upcoming = iter(keys)
            for key in islice(upcoming, READ_AHEAD):
                pending.append((key, loop.run_in_executor(pool, read, key)))
            try:
                while pending:
                    key, future = pending.popleft()
                    subgraph = await future
                    following = next(upcoming, None)
                    if following is not None:
                        pending.append((following, loop.run_in_executor(pool, read, following)))
                    self.subgraphs.prime(key, subgraph)
                    yield subgraph
            finally:
                for _, future in pending:
                    future.cancel()

    async def _load_details(self, keys: list[tuple[str, date]]) -> list[Materialised | None]:
        stored = await self.results.load_many([(i, DETAIL_KIND, day) for i, day in keys])
        out: list[Materialised | None] = []
        for key, result in zip(keys, stored, strict=True):
            if result is not None and isinstance(result.payload.get("analysis"), Mapping):
                out.append(Materialised(result.payload["analysis"], True))
                continue

            async def detail(key: tuple[str, date] = key) -> dict[str, Any] | None:
                analysis = await self.analyses.load(key)
                return None if analysis is None else compute_detail(analysis)

            payload = await self._cached(DETAIL_KIND, key, detail)
            out.append(None if payload is None else Materialised(payload, False))
        return out


class Scope:
    """What the viewer may read. Account managers see their team's accounts as of ``today``,
    the contacts with a position (current or former) at one of them, and the staff on (or
    formerly on) those teams; everyone else sees everything (see :mod:`schema.scoping`)."""

    def __init__(self, viewer: Viewer, store: GraphStore, loaders: Loaders, today: date) -> None:
        self.viewer = viewer
        self.store = store
        self.loaders = loaders
        self.today = today
        self._accounts: frozenset[str] | None = None
        self._staff: frozenset[str] | None = None

    @property
    def unrestricted(self) -> bool:
        """Whether the viewer reads everything."""
        return self.viewer.reads_everything

    def account_ids(self) -> frozenset[str] | None:
        """The visible account ids, or ``None`` when every account is visible."""
        if self.unrestricted:
            return None
        if self._accounts is None:
            staff_id = self.viewer.staff_id
            self._accounts = frozenset(self.store.team_accounts(staff_id, self.today) if staff_id else ())
        return self._accounts

    def can_see_account(self, account_id: str) -> bool:
        """Whether the account is visible."""
        ids = self.account_ids()
        return ids is None or account_id in ids

    async def staff_ids(self) -> frozenset[str] | None:
        """Staff on the teams of the visible accounts (and the viewer), ``None`` for everyone."""
        ids = self.account_ids()
        if ids is None:
            return None
        if self._staff is None:
            # Everyone on the team today or before (a former member appears in the account's history).
            subgraphs = await self.loaders.subgraphs.load_many([(i, self.today) for i in sorted(ids)])
            staff = {m.staff_id for sg in subgraphs if sg is not None for m in sg.team}
            if self.viewer.staff_id:
                staff.add(self.viewer.staff_id)
            self._staff = frozenset(staff)
        return self._staff

    async def can_see_person(self, person: Contact | Staff) -> bool:
        """Whether the person is visible."""
        ids = self.account_ids()
        if ids is None:
            return True
        if isinstance(person, Staff):
            staff = await self.staff_ids()
            return staff is not None and person.id in staff
        employments = await self.loaders.employments.load(person.id)
        return any(e.account_id in ids for e in employments)

    async def can_see_person_id(self, person_id: str) -> bool:
        """Whether the person with this id exists and is visible."""
        person = await self.loaders.people.load(person_id)
        return person is not None and await self.can_see_person(person)
