"""Materialised portfolio results and their incremental refresh, through the GraphStore port.

A service (it reads and writes the store and runs a process pool), not a pure analysis: the
figures themselves come from :mod:`graph.analysis.portfolio`.

For every account and ``as_of`` the refresh stores two results with
:meth:`~graph.store.GraphStore.put_results`, each tagged with the account's data version (read
from :meth:`~graph.store.GraphStore.data_versions` *before* the account is read, so a write
that lands meanwhile makes the result stale rather than wrongly fresh):

* ``account_summary`` (:data:`SUMMARY_KIND`): :func:`graph.analysis.portfolio.account_payload`
  without the detail - the figures, impacts, gaps and alerts the portfolio view is built from;
* ``account_analysis`` (:data:`RESULT_KIND`), when asked for (``detail=True``): the same with
  the full account analysis (map, coverage paths, threads, every departure impact) under
  ``"analysis"``. It is about 100 kB of JSON per account and doubles the cost of a refresh, so by
  default only the summaries are stored (the API computes one account's full analysis on
  request);
* ``account_refresh_state`` (:data:`STATE_KIND`): a tiny record of the configuration
  fingerprint, so checking what is stale never reads the large payloads.

All results of one account are written in one ``put_results`` call.

A result is *stale* when the account's data version differs from the stored one, or when it
was computed with another configuration (``config_fingerprint`` in the payload). An incremental
refresh recomputes only stale accounts; ``force`` recomputes all of them.

Accounts are independent, so the refresh spreads them over worker processes
(:class:`concurrent.futures.ProcessPoolExecutor`). Each worker opens its own store with the
``store_factory`` it is given (a picklable callable returning a ready store) - this module
never names a backend. A task reads the subgraphs of its chunk of accounts together
(:meth:`~graph.store.GraphReader.account_subgraphs`: one read per chunk); when that read fails,
the chunk's accounts are read one by one, so that a bad account fails alone.

Examples
--------
>>> from graph.analysis.config import AnalysisConfig
>>> default = config_fingerprint(AnalysisConfig())
>>> len(default), default == config_fingerprint(AnalysisConfig(half_life_days=30))
(16, False)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.portfolio import PortfolioView, account_payload, portfolio_view
from graph.services.job_changes import job_change_reports_between
from graph.store import AnalysisResult, AnalysisStore, GraphStore, ResultStore

__all__ = [
    "PORTFOLIO_KIND",
    "RESULT_KIND",
    "STATE_KIND",
    "SUMMARY_KIND",
    "RefreshSummary",
    "StoreFactory",
    "config_fingerprint",
    "load_portfolio",
    "refresh",
    "stale_accounts",
]

#: Result kind of the full per-account analysis payload.
RESULT_KIND = "account_analysis"
#: Result kind of the per-account summary the portfolio view reads.
SUMMARY_KIND = "account_summary"
#: Result kind of the small per-account refresh state (configuration fingerprint).
STATE_KIND = "account_refresh_state"
#: Result kind of the materialised portfolio view (account id ``"*"``).
PORTFOLIO_KIND = "portfolio_view"

StoreFactory = Callable[[], GraphStore]
"""A picklable callable that opens a ready store (called once per worker process)."""

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RefreshSummary:
    """What a refresh did: ``recomputed`` accounts, how many were already fresh, failures."""

    as_of: date
    accounts: int
    recomputed: tuple[str, ...]
    fresh: int
    failed: Mapping[str, str] = field(default_factory=dict)
    workers: int = 1
    seconds: float = 0.0

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "as_of": self.as_of.isoformat(),
            "accounts": self.accounts,
            "recomputed": len(self.recomputed),
            "fresh": self.fresh,
            "failed": dict(self.failed),
            "workers": self.workers,
            "seconds": self.seconds,
        }


def config_fingerprint(config: AnalysisConfig = DEFAULT_CONFIG) -> str:
    """A short stable hash of every analysis parameter (stored with each result).

    Examples
    --------
    >>> config_fingerprint() == config_fingerprint(AnalysisConfig.from_mapping({}))
    True
    """
    text = json.dumps(_numbers_as_floats(config.to_dict()), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _numbers_as_floats(value: Any) -> Any:
    """Equal settings hash equally whether a number came as 91 or 91.0 (e.g. through from_mapping)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return {str(k): _numbers_as_floats(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_numbers_as_floats(v) for v in value]
    return value


def stale_accounts(
    store: ResultStore,
    as_of: date,
    config: AnalysisConfig = DEFAULT_CONFIG,
    account_ids: Sequence[str] | None = None,
    *,
    detail: bool = False,
) -> tuple[dict[str, int], int]:
    """Accounts whose materialised summary is missing or stale, with their current data version.

    Returns the stale accounts (id -> data version) and the number of accounts considered. With
    ``detail``, accounts refreshed without the full analysis count as stale too.

    Examples
    --------
    A store (here a stand-in with the two methods used) with one account and no results:

    >>> class OneAccount:
    ...     def data_versions(self, ids=None):
    ...         return {"acme": 3}
    ...     def get_results(self, kind, as_of, ids=None):
    ...         return {}
    >>> stale_accounts(OneAccount(), date(2025, 6, 30))
    ({'acme': 3}, 1)
    """
    versions = store.data_versions(account_ids)
    if account_ids is not None:
        missing = sorted(set(account_ids) - versions.keys())
        if missing:
            raise KeyError(f"unknown accounts: {', '.join(missing[:10])}")
    stored = store.get_results(STATE_KIND, as_of, list(versions) if account_ids is not None else None)
    fingerprint = config_fingerprint(config)
    stale = {
        account_id: version
        for account_id, version in versions.items()
        if account_id not in stored
        or stored[account_id].data_version != version
        or stored[account_id].payload.get("config_fingerprint") != fingerprint
        or (detail and not stored[account_id].payload.get("detail"))
    }
    return stale, len(versions)


def refresh(
    store: AnalysisStore | StoreFactory,
    as_of: date,
    *,
    config: AnalysisConfig = DEFAULT_CONFIG,
    account_ids: Sequence[str] | None = None,
    workers: int = 1,
    chunk_size: int = 50,
    force: bool = False,
    detail: bool = False,
    progress: ProgressCallback | None = None,
) -> RefreshSummary:
    """Recompute and store the results of every stale account (or all with ``force``).

    Parameters
    ----------
    store : AnalysisStore or callable
        An open store (reads and results are all it needs) (used in this process and left open; ``workers`` must be 1), or a
        factory that opens a ready store: called once here (that store is closed at the end) and
        once in each worker process, so it must be picklable when ``workers > 1`` (e.g. a
        module-level function or a small class).
    as_of : date
        The day of the analysis.
    config : AnalysisConfig
    account_ids : sequence of str, optional
        Only these accounts (default: every account).
    workers : int
        Worker processes; 1 computes in this process.
    chunk_size : int
        Accounts per task (and per ``put_results`` call).
    force : bool
        Recompute fresh accounts too.
    detail : bool
        Also store the full analysis (:data:`RESULT_KIND`); accounts refreshed without it then
        count as stale.
    progress : callable, optional
        ``progress(done, total)`` after every chunk.

    Returns
    -------
    RefreshSummary
        Accounts that failed are listed with their error; the others are stored.

    Examples
    --------
    In production ``store_factory`` opens the configured store; bad settings fail first:

    >>> refresh(lambda: None, date(2025, 6, 30), workers=0)
    Traceback (most recent call last):
    ...
    ValueError: workers must be at least 1, got 0
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    started = time.perf_counter()
    factory: StoreFactory | None = None
    owned: GraphStore | None = None  # the store this call opened (and closes)
    if callable(store) and not isinstance(store, GraphStore):
        factory = store
        store = owned = factory()
    elif workers > 1:
        raise ValueError("worker processes need a store factory, not an open store")
    try:
        if force:
            versions = store.data_versions(account_ids)
            todo, total = dict(versions), len(versions)
        else:
            todo, total = stale_accounts(store, as_of, config, account_ids, detail=detail)
        chunks = list(_chunks(sorted(todo.items()), chunk_size))
        failed: dict[str, str] = {}
        done: list[str] = []
        settings = config.to_dict()
        fingerprint = config_fingerprint(config)
        if factory is None or workers == 1 or len(chunks) <= 1:
            for chunk in chunks:
                ok, errors = _compute_and_store(store, as_of, chunk, config, detail, fingerprint)
                done.extend(ok)
                failed.update(errors)
                if progress is not None:
                    progress(len(done) + len(failed), len(todo))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = [
                    pool.submit(_worker, factory, as_of, chunk, settings, detail, fingerprint)
                    for chunk in chunks
                ]
                for future in as_completed(futures):
                    ok, errors = future.result()
                    done.extend(ok)
                    failed.update(errors)
                    if progress is not None:
                        progress(len(done) + len(failed), len(todo))
    finally:
        if owned is not None:
            owned.close()
    return RefreshSummary(
        as_of,
        total,
        tuple(sorted(done)),
        total - len(todo),
        failed,
        workers,
        time.perf_counter() - started,
    )


def load_portfolio(
    store: AnalysisStore,
    as_of: date,
    *,
    config: AnalysisConfig = DEFAULT_CONFIG,
    job_changes_days: int = 90,
    warm_paths: bool = True,
    materialise: bool = True,
    skip_missing: bool = False,
    job_changes_since: date | None = None,
) -> PortfolioView:
    """The portfolio view from the stored summaries (refresh first), with job-change alerts.

    Job changes are those whose new position started after ``job_changes_since`` (default: the
    ``job_changes_days`` before ``as_of``), however long ago that is; their warm paths are searched through the store's ``neighbourhood``. The view is
    stored as :data:`PORTFOLIO_KIND` for account ``"*"`` when ``materialise`` is true.
    ``skip_missing`` leaves out accounts without a stored summary (e.g. those whose refresh
    failed) instead of refusing; the view's ``totals["missing"]`` counts them.

    Raises
    ------
    LookupError
        When some account has no stored summary for ``as_of`` (run :func:`refresh` first).

    Examples
    --------
    >>> class NotRefreshed:
    ...     def data_versions(self, ids=None):
    ...         return {"acme": 3}
    ...     def get_results(self, kind, as_of, ids=None):
    ...         return {}
    >>> load_portfolio(NotRefreshed(), date(2025, 6, 30))
    Traceback (most recent call last):
    ...
    LookupError: 1 account(s) have no materialised results for 2025-06-30 (first: acme); run the refresh first
    """
    versions = store.data_versions()
    results = store.get_results(SUMMARY_KIND, as_of)
    missing = sorted(versions.keys() - results.keys())
    if missing and not skip_missing:
        raise LookupError(
            f"{len(missing)} account(s) have no materialised results for {as_of.isoformat()} "
            f"(first: {missing[0]}); run the refresh first"
        )
    payloads = {a: results[a].payload for a in versions if a in results}
    since = job_changes_since if job_changes_since is not None else as_of - timedelta(days=job_changes_days)
    reports = job_change_reports_between(store, since, as_of, warm_paths=warm_paths, config=config)
    view = portfolio_view(payloads, as_of, job_changes=reports, config=config)
    view = dataclasses.replace(view, totals={**view.totals, "missing": float(len(missing))})
    if materialise:
        store.put_results(
            [
                AnalysisResult(
                    PORTFOLIO_KIND,
                    "*",
                    as_of,
                    {**view.to_payload(), "config_fingerprint": config_fingerprint(config)},
                    sum(versions.values()),
                    datetime.now(UTC),
                )
            ]
        )
    return view


# -- workers -------------------------------------------------------------------------------------


def _chunks(items: Sequence[tuple[str, int]], size: int) -> Iterator[list[tuple[str, int]]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _worker(
    store_factory: StoreFactory,
    as_of: date,
    chunk: list[tuple[str, int]],
    settings: Mapping[str, Any],
    detail: bool,
    fingerprint: str,
) -> tuple[list[str], dict[str, str]]:
    config = AnalysisConfig.from_mapping(settings)
    store = _worker_store(store_factory)
    return _compute_and_store(store, as_of, chunk, config, detail, fingerprint)


_WORKER_STORE: list[GraphStore] = []


def _worker_store(store_factory: StoreFactory) -> GraphStore:
    """The worker process's own store, opened on its first task (a pool serves one refresh)."""
    if not _WORKER_STORE:
        _WORKER_STORE.append(store_factory())
    return _WORKER_STORE[0]


def _compute_and_store(
    store: AnalysisStore,
    as_of: date,
    chunk: list[tuple[str, int]],
    config: AnalysisConfig,
    detail: bool,
    fingerprint: str,
) -> tuple[list[str], dict[str, str]]:
    now = datetime.now(UTC)
    results: list[AnalysisResult] = []
    ok: list[str] = []
    failed: dict[str, str] = {}
    try:  # the chunk's subgraphs in one read: far cheaper than a read per account
        subgraphs = store.account_subgraphs([account_id for account_id, _ in chunk], as_of)
    except Exception:  # read one by one instead, so that one bad account fails alone
        subgraphs = {}
    for account_id, version in chunk:
        try:
            # an account missing from the chunk's read is read alone (NotFoundError if it is gone)
            subgraph = subgraphs.pop(account_id, None) or store.account_subgraph(account_id, as_of)
            payload = account_payload(subgraph, config, detail=detail)
        except Exception as exc:  # one bad account must not stop the portfolio
            failed[account_id] = f"{type(exc).__name__}: {exc}"
            continue
        payload["config_fingerprint"] = fingerprint
        full = payload.pop("analysis", None)
        results.append(AnalysisResult(SUMMARY_KIND, account_id, as_of, payload, version, now))
        state = {"config_fingerprint": fingerprint, "detail": detail}
        results.append(AnalysisResult(STATE_KIND, account_id, as_of, state, version, now))
        if detail and full is not None:
            full_payload = {**payload, "analysis": full}
            results.append(AnalysisResult(RESULT_KIND, account_id, as_of, full_payload, version, now))
        ok.append(account_id)
    if results:
        store.put_results(results)
    return ok, failed
