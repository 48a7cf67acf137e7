"""Store adapters and the factory that picks one.

``open_store`` returns the Neo4j store when a URI is given, else the embedded SQLite store in
``data_dir``. The caller owns the returned store and closes it (which closes the Neo4j driver
the factory opened for it).
"""

from __future__ import annotations

from pathlib import Path

from graph.store import GraphStore

__all__ = ["open_store"]


def open_store(
    *,
    data_dir: Path | str = "data",
    neo4j_uri: str | None = None,
    neo4j_user: str = "neo4j",
    neo4j_password: str = "",
    neo4j_database: str = "neo4j",
) -> GraphStore:
    """Open the configured store (without creating its schema: call ``init()`` for that).

    Examples
    --------
    >>> import tempfile
    >>> store = open_store(data_dir=tempfile.mkdtemp())
    >>> store.backend
    'sqlite'
    >>> store.close()
    """
    if neo4j_uri:
        from graph.backends.neo4j.store import open_neo4j_store

        return open_neo4j_store(neo4j_uri, neo4j_user, neo4j_password, neo4j_database)
    from graph.backends.sqlite.store import SqliteStore

    return SqliteStore(Path(data_dir))
