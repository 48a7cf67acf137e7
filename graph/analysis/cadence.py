"""Cadence rules per tier: how often an account needs an exec-level interaction.

An interaction is *exec-level* when it is an ``exec_visit``, or when one of its participants is
a contact at executive level at the account on the day of the interaction: the level of the
position they held there that day (the contact's own level when the position has none). A
contact who held no position at the account that day (before they joined, after they left)
counts at no level. The interactions are the account's own (see :mod:`graph.scope`). The required cadence comes from
``AnalysisConfig.exec_cadence_days`` per tier (*default*: strategic 91 days, key 182,
potential 365). A breach is the last exec-level interaction being more than the cadence ago
(or there being none at all).

Examples
--------
>>> from datetime import date, datetime, UTC
>>> from graph.model import Account, Interaction
>>> visit = Interaction("i1", "exec_visit", datetime(2025, 1, 10, tzinfo=UTC), accounts=("a",))
>>> sub = AccountSubgraph(Account("a", "A", tier="strategic"), date(2025, 6, 1), interactions=(visit,))
>>> status = cadence_status(sub)
>>> status.breached, status.days_since, status.required_days
(True, 142, 91)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from graph.analysis.alerts import Alert
from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import Employment, Interaction, InteractionKind, Level
from graph.records import AccountSubgraph

__all__ = ["CadenceStatus", "cadence_alert", "cadence_status", "is_exec_level"]


@dataclass(frozen=True)
class CadenceStatus:
    """Exec-engagement cadence of one account, with the interaction it rests on."""

    account_id: str
    tier: str
    as_of: date
    required_days: int
    days_since: int | None
    last_interaction_id: str | None
    last_interaction_at: date | None
    last_interaction_kind: str | None
    exec_interactions: int

    @property
    def breached(self) -> bool:
        """Whether the cadence is missed (no exec-level interaction or too long ago)."""
        return self.days_since is None or self.days_since > self.required_days

    def to_payload(self) -> dict[str, Any]:
        """Plain-data view."""
        return {
            "account_id": self.account_id,
            "tier": self.tier,
            "as_of": self.as_of.isoformat(),
            "required_days": self.required_days,
            "days_since": self.days_since,
            "breached": self.breached,
            "last_interaction_id": self.last_interaction_id,
            "last_interaction_at": self.last_interaction_at.isoformat() if self.last_interaction_at else None,
            "last_interaction_kind": self.last_interaction_kind,
            "exec_interactions": self.exec_interactions,
        }


def is_exec_level(interaction: Interaction, subgraph: AccountSubgraph) -> bool:
    """Whether ``interaction`` counts as exec-level for the subgraph's account.

    Examples
    --------
    >>> from datetime import date, datetime, UTC
    >>> from graph.model import Account, Contact, Employment
    >>> ix = Interaction("i1", "call", datetime(2025, 1, 10, tzinfo=UTC), participants=("ceo",))
    >>> sub = AccountSubgraph(Account("a", "A"), date(2025, 6, 1), contacts=(Contact("ceo", "Cy"),),
    ...                       employments=(Employment("ceo", "a", level="executive"),))
    >>> is_exec_level(ix, sub)
    True
    """
    return _ExecLevels(subgraph).is_exec(interaction)


class _ExecLevels:
    """The levels of the account's contacts, prepared once for many interactions."""

    def __init__(self, subgraph: AccountSubgraph) -> None:
        self.contact_level = {c.id: c.level for c in subgraph.contacts}
        self.jobs: dict[str, list[Employment]] = {}
        for job in subgraph.employments:
            if job.account_id == subgraph.account.id and job.contact_id in self.contact_level:
                self.jobs.setdefault(job.contact_id, []).append(job)
        # a contact with one position that is never ending and whose level is executive always
        # counts, one without any executive level never does; only the others depend on the day
        self.always: set[str] = set()
        self.by_day: set[str] = set()
        for contact_id, level in self.contact_level.items():
            jobs = self.jobs.get(contact_id, [])
            levels: set[Level | None] = {j.level if j.level is not None else level for j in jobs}
            if Level.EXECUTIVE not in levels:
                continue
            if levels == {Level.EXECUTIVE} and any(j.since is None and j.until is None for j in jobs):
                self.always.add(contact_id)
            else:
                self.by_day.add(contact_id)

    def is_exec(self, interaction: Interaction) -> bool:
        if interaction.kind is InteractionKind.EXEC_VISIT:
            return True
        always = self.always
        by_day = self.by_day
        for pid in interaction.participants:
            if pid in always:
                return True
            if pid in by_day and self._level_on(pid, interaction.at.date()) is Level.EXECUTIVE:
                return True
        return False

    def _level_on(self, contact_id: str, day: date) -> Level | None:
        held = [job for job in self.jobs.get(contact_id, ()) if job.active_on(day)]
        if not held:
            return None
        for job in held:
            if job.level is not None:
                return job.level
        return self.contact_level[contact_id]


def cadence_status(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> CadenceStatus:
    """Check the account's exec-level cadence as of ``subgraph.as_of``.

    Examples
    --------
    >>> from datetime import date
    >>> from graph.model import Account
    >>> cadence_status(AccountSubgraph(Account("a", "A", tier="key"), date(2025, 6, 1))).breached
    True
    """
    account = subgraph.account
    tier = account.tier.value
    if tier not in config.exec_cadence_days:
        raise ValueError(f"no exec cadence configured for tier {tier!r}")
    required = int(config.exec_cadence_days[tier])
    levels = _ExecLevels(subgraph)
    execs = [ix for ix in subgraph.interactions if ix.at.date() <= subgraph.as_of and levels.is_exec(ix)]
    last = max(execs, key=lambda ix: (ix.at, ix.id)) if execs else None
    return CadenceStatus(
        account.id,
        tier,
        subgraph.as_of,
        required,
        (subgraph.as_of - last.at.date()).days if last else None,
        last.id if last else None,
        last.at.date() if last else None,
        last.kind.value if last else None,
        len(execs),
    )


def cadence_alert(status: CadenceStatus) -> Alert | None:
    """The breach alert for ``status`` (``None`` when the cadence is kept).

    Severe when there never was an exec-level interaction or it is more than twice the cadence
    ago, otherwise a warning.

    Examples
    --------
    >>> s = CadenceStatus("a", "strategic", date(2025, 6, 1), 91, 120, "i1", date(2025, 2, 1), "meeting", 1)
    >>> cadence_alert(s).message
    'no exec-level interaction for 120 days (strategic tier requires one every 91 days)'
    """
    if not status.breached:
        return None
    if status.days_since is None:
        rule = f"{status.tier} tier requires one every {status.required_days} days"
        message = f"no exec-level interaction ever ({rule})"
        severity = "severe"
    else:
        message = (
            f"no exec-level interaction for {status.days_since} days "
            f"({status.tier} tier requires one every {status.required_days} days)"
        )
        severity = "severe" if status.days_since > 2 * status.required_days else "warning"
    return Alert("cadence_breach", severity, status.account_id, message, evidence=status.to_payload())
