"""Per-process reuse of the two small reads every API request makes: its token and the day.

Every GraphQL request looks up its bearer token and the store's reference date (the day it
analyses by default). On Neo4j each is a round trip to the server, as long as the rest of a warm
request together, so an API process keeps both for ``lookup_cache_seconds`` (1 s by default):
under load they are read about once a second instead of once per request, and a revoked token
or a new reference date takes effect within that time.

Examples
--------
>>> import tempfile
>>> from graph.backends.sqlite.store import SqliteStore
>>> store = SqliteStore(tempfile.mkdtemp())
>>> store.init()
>>> lookups = Lookups(seconds=60)
>>> from datetime import date
>>> store.set_reference_date(date(2026, 11, 1))
>>> lookups.today(store)
datetime.date(2026, 11, 1)
>>> store.set_reference_date(date(2026, 12, 1))
>>> lookups.today(store)  # reused until the 60 s are over
datetime.date(2026, 11, 1)
>>> Lookups(seconds=0).today(store)
datetime.date(2026, 12, 1)
>>> store.close()
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from cachetools import TTLCache

from graph.store import ApiToken, GraphStore

__all__ = ["Lookups"]


class Lookups:
    """Token lookups (by hash) and the reference date, each kept for ``seconds``.

    Parameters
    ----------
    seconds : float
        How long a lookup is reused; 0 reads the store every time.
    tokens : int
        Most token lookups kept (the least recently used go first).
    """

    def __init__(self, seconds: float, tokens: int = 1024) -> None:
        self.tokens: TTLCache[str, ApiToken | None] | None = (
            TTLCache(maxsize=tokens, ttl=seconds) if seconds > 0 else None
        )
        self._day: TTLCache[str, date | None] | None = (
            TTLCache(maxsize=1, ttl=seconds) if seconds > 0 else None
        )

    def today(self, store: GraphStore) -> date:
        """The day requests analyse by default: the stored reference date, else today (UTC)."""
        if self._day is not None and "day" in self._day:
            stored = self._day["day"]
        else:
            stored = store.reference_date()
            if self._day is not None:
                self._day["day"] = stored
        return stored or datetime.now(UTC).date()
