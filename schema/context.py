"""The per-request context every resolver receives as ``info.context``.

Examples
--------
>>> import tempfile
>>> from graph.backends.sqlite.store import SqliteStore
>>> from schema.permissions import Viewer
>>> store = SqliteStore(tempfile.mkdtemp())
>>> store.init()
>>> ctx = make_context(store, Viewer("account_manager", staff_id="s1"))
>>> ctx.scope.account_ids()
frozenset()
>>> store.close()
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.services.cache import ResultCache
from graph.store import GraphStore
from schema.loaders import Loaders, Scope
from schema.permissions import Viewer

__all__ = ["Context", "make_context"]


@dataclass
class Context:
    """Store, caller, loaders and scope of one request; ``today`` is the default ``asOf``: the
    store's reference date when it has one (the demo's), else today (UTC)."""

    store: GraphStore
    viewer: Viewer
    loaders: Loaders
    scope: Scope
    today: date
    config: AnalysisConfig = DEFAULT_CONFIG
    #: Per (account, day): the ids a scoped caller may not see around it (``schema.scoping``).
    foreign_ids: dict[tuple[str, date], frozenset[str]] = field(default_factory=dict)
    #: The alert inbox (:class:`api.notify.inbox.Inbox`), when the app has one.
    inbox: Any = None
    #: The journal of writes and notes (:class:`api.journal.Journal`), when the app has one.
    journal: Any = None
    #: The account plans (:class:`api.plans.Plans`), when the app has them.
    plans: Any = None


def make_context(
    store: GraphStore,
    viewer: Viewer,
    config: AnalysisConfig = DEFAULT_CONFIG,
    today: date | None = None,
    cache: ResultCache | None = None,
    summary_cache: ResultCache | None = None,
    inbox: Any = None,
    journal: Any = None,
    plans: Any = None,
) -> Context:
    """A fresh context: new loaders; only the caches (keyed by data version) outlive the request."""
    day = today or store.reference_date() or datetime.now(UTC).date()
    loaders = Loaders(store, config, cache, summary_cache)
    return Context(
        store=store,
        viewer=viewer,
        loaders=loaders,
        scope=Scope(viewer, store, loaders, day),
        today=day,
        config=config,
        inbox=inbox,
        journal=journal,
        plans=plans,
    )
