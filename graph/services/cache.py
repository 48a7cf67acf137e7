"""A small per-process cache of computed analysis results, keyed by the account's data version.

Materialised results (the portfolio refresh) are the shared cache of record. When they are
missing or stale, the API computes what a request needs (a relationship map, an account's
summary or detail) and keeps it here, keyed by ``(kind, account, as_of, data version, config
fingerprint)``: a write to the account bumps its data version, so a stale entry is never
served; it simply ages out of the LRU.

Examples
--------
>>> cache = ResultCache(max_entries=2)
>>> cache.get_or_compute(("map", "acme", 1), lambda: {"n": 1})
{'n': 1}
>>> cache.get_or_compute(("map", "acme", 1), lambda: {"n": 2})  # served from the cache
{'n': 1}
>>> cache.hits, cache.misses
(1, 1)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

__all__ = ["ResultCache"]


class ResultCache:
    """A thread-safe LRU mapping of result keys to computed values (``max_entries`` 0 disables it)."""

    def __init__(self, max_entries: int = 256) -> None:
        if max_entries < 0:
            raise ValueError(f"max_entries must not be negative, got {max_entries}")
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached value of ``key``, computing (and keeping) it on a miss."""
        found, value = self.get(key)
        if not found:
            value = compute()
            self.put(key, value)
        return value

    def get(self, key: Hashable) -> tuple[bool, Any]:
        """``(True, value)`` when ``key`` is cached, else ``(False, None)``."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                self.hits += 1
                return True, self._entries[key]
            self.misses += 1
            return False, None

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key`` (evicting the least recently used entries)."""
        if not self.max_entries:
            return
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
