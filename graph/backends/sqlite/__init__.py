"""The embedded default store: SQLite from the standard library, in WAL mode.

``store`` holds :class:`SqliteStore`, ``sql`` every statement it runs.
"""

from __future__ import annotations

from graph.backends.sqlite.store import FILE_NAME, SqliteStore

__all__ = ["FILE_NAME", "SqliteStore"]
