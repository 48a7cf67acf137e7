"""The service's small SQLite files (alert outbox and inbox, journal, plans): one way to write them.

Examples
--------
>>> import sqlite3
>>> conn = sqlite3.connect(":memory:", isolation_level=None)
>>> with immediate_transaction(conn) as db:
...     _ = db.execute("CREATE TABLE t (x)")
>>> conn.execute("SELECT count(*) FROM t").fetchone()
(0,)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

__all__ = ["SqliteFile", "immediate_transaction"]


@contextmanager
def immediate_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction on an autocommit connection: committed on success, rolled back on
    any error. ``BEGIN IMMEDIATE`` takes the write lock at once, so two writers wait instead of
    failing halfway."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


class SqliteFile:
    """A SQLite file opened per use (so one object serves every request thread), its tables
    created on first use.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = SqliteFile(pathlib.Path(tempfile.mkdtemp()) / "x.sqlite3", ("CREATE TABLE IF NOT EXISTS t (x)",))
    >>> with f.transaction() as db:
    ...     _ = db.execute("INSERT INTO t VALUES (1)")
    >>> with f.transaction() as db:
    ...     db.execute("SELECT x FROM t").fetchall()
    [(1,)]
    """

    def __init__(self, path: Path | str, schema: Sequence[str]) -> None:
        self.path = Path(path)
        self.schema = tuple(schema)
        self._ready = False

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A new connection in one :func:`immediate_transaction`, closed afterwards."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            if not self._ready:
                conn.execute("PRAGMA journal_mode=WAL")
                for statement in self.schema:
                    conn.execute(statement)
                self._ready = True
            with immediate_transaction(conn):
                yield conn
        finally:
            conn.close()
