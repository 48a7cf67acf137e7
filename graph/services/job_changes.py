"""Job changes through the store: recording one, finding those an import implies, reporting them.

The rules live in :mod:`graph.analysis.job_changes` (pure: what a change means at the old and
the new account, and which positions imply a change); this module is the one place that feeds
them from the store and writes what they decide:

* :func:`move_contact`: the ``moveContact`` mutation's flow (check the contact and the account,
  then end the open positions and start the new one);
* :func:`import_job_changes`: the job changes an import implies over the stored positions (the
  importers call it between their check and their write);
* :func:`job_change_reports_between`: the reports of the changes in a window, with their warm
  paths searched through the store (the portfolio view's job-change alerts).

Examples
--------
>>> class NoContact:
...     def get_people(self, ids):
...         return {}
>>> from datetime import date
>>> move_contact(NoContact(), Employment("ada", "zeta", since=date(2025, 4, 1)))
Traceback (most recent call last):
...
graph.services.job_changes.MissingRecord: no contact with id 'ada'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.job_changes import (
    ImportedPositions,
    InferredChanges,
    JobChangeReport,
    infer_job_changes,
    job_change_reports,
)
from graph.model import Employment
from graph.store import GraphReader, GraphStore, JobChange, NotFoundError

__all__ = [
    "ImportedPositions",
    "InferredChanges",
    "MissingRecord",
    "import_job_changes",
    "job_change_reports_between",
    "move_contact",
]

#: Contacts whose stored positions are read in one call.
_READ_CHUNK = 1_000


class MissingRecord(NotFoundError):
    """A record a job change names does not exist: ``kind`` (contact or account) and ``id``."""

    def __init__(self, kind: str, id: str) -> None:
        self.kind = kind
        self.id = id
        super().__init__(f"no {kind} with id {id!r}")


def move_contact(store: GraphStore, new: Employment) -> JobChange:
    """Record a job change: the contact leaves their open positions and starts ``new``.

    Raises
    ------
    MissingRecord
        When the contact or the new account does not exist (nothing is written).
    NotFoundError, IntegrityError
        When the store refuses the change.
    """
    if store.get_people([new.contact_id]).get(new.contact_id) is None:
        raise MissingRecord("contact", new.contact_id)
    if not store.get_accounts([new.account_id]):
        raise MissingRecord("account", new.account_id)
    return store.move_contact(new.contact_id, new)


def import_job_changes(
    store: GraphReader, imported: ImportedPositions, *, stored_employments: bool = True
) -> InferredChanges:
    """The job changes an import implies (:func:`~graph.analysis.job_changes.infer_job_changes`).

    ``stored_employments`` false says the store holds no position (the stored ones are not read).

    Examples
    --------
    >>> import_job_changes(None, {"ada": {("acme", ""): (None, None)}}, stored_employments=False)
    ({}, [], [])
    """
    stored: dict[str, list[Employment]] = {}
    if stored_employments:
        contacts = list(imported)
        for start in range(0, len(contacts), _READ_CHUNK):
            stored.update(store.employments_of(contacts[start : start + _READ_CHUNK]))
    elif not any(len(positions) > 1 for positions in imported.values()):
        return {}, [], []
    return infer_job_changes(imported, stored)


def job_change_reports_between(
    store: GraphReader,
    since: date,
    as_of: date,
    *,
    warm_paths: bool = True,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> list[JobChangeReport]:
    """Reports of the job changes whose new position started after ``since``, up to ``as_of``.

    Their warm paths are searched through the store's ``neighbourhood`` as of ``as_of`` (not
    with ``warm_paths`` false: the alerts then say they were not searched).
    """
    changes = store.job_changes(since, as_of)
    accounts = store.get_accounts(sorted({c.new.account_id for c in changes}))

    def fetch(person_ids: Sequence[str]) -> Any:
        return store.neighbourhood(person_ids, as_of)

    return job_change_reports(
        changes,
        store.account_subgraph,
        as_of=as_of,
        fetch=fetch if warm_paths else None,
        accounts=accounts,
        config=config,
    )
