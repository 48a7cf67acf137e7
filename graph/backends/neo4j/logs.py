"""The neo4j driver's log records, demoted to DEBUG: the user sees kamgraph's one clear error.

The driver logs on the ``neo4j`` logger and its children: a WARNING for every retry of a
transaction (``Transaction failed and will be retried in 1.1s (...)``), an ERROR for a connection
that broke, a WARNING for every notification of the server (a label a query names that the
database does not hold yet, ...). With no logging configured, Python prints WARNINGs and above
on stderr (:data:`logging.lastResort`), so a server that went away would bury the one line
kamgraph prints (``error: store unavailable: cannot reach Neo4j at ...``) under a dozen lines of
driver noise, some of them several lines long.

:func:`demote_driver_logs` (called by :func:`graph.backends.neo4j.store.open_neo4j_store`) stops
the ``neo4j`` records from propagating as they are and hands each on as a DEBUG record instead,
to the handlers of the root logger, when debug logging is asked for: the record's logger enabled
for DEBUG (``logging.getLogger("neo4j").setLevel(logging.DEBUG)``, or the root logger at DEBUG,
e.g. ``logging.basicConfig(level=logging.DEBUG)``). A handler put on the ``neo4j`` logger itself
still gets every record as the driver logged it.

Examples
--------
>>> import logging
>>> demote_driver_logs()
>>> logging.getLogger("neo4j.pool").warning("Transaction failed and will be retried")  # silent
"""

from __future__ import annotations

import logging
import threading

__all__ = ["demote_driver_logs", "driver_logger_name"]

#: The logger of the neo4j driver (its children: ``neo4j.pool``, ``neo4j.io``, ...).
driver_logger_name = "neo4j"

_installing = threading.Lock()


class _DemoteToDebug(logging.Handler):
    """Hands a driver record on to the root logger's handlers as a DEBUG record, if wanted."""

    def emit(self, record: logging.LogRecord) -> None:
        if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return
        demoted = logging.makeLogRecord(record.__dict__)  # other handlers keep the original
        demoted.levelno, demoted.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
        logging.getLogger().handle(demoted)


def demote_driver_logs() -> None:
    """Make every record of the neo4j driver a DEBUG record (idempotent; see the module notes)."""
    logger = logging.getLogger(driver_logger_name)
    with _installing:
        if not any(isinstance(h, _DemoteToDebug) for h in logger.handlers):
            logger.addHandler(_DemoteToDebug())
        logger.propagate = False
