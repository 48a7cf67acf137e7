"""The bridge from the API to the analyses: which function computes what, and plain-data views.

The GraphQL layer is thin: it never computes a score itself. This module names the analysis
functions the resolvers call (imported lazily, so the schema builds without running them) and
turns analysis results (frozen dataclasses) into JSON-ready data for the JSON-typed parts of
the schema.

Examples
--------
>>> from datetime import date
>>> from graph.model import Tier
>>> to_jsonable({"tier": Tier.KEY, "at": date(2025, 1, 2), "pair": ("a", "b"), "ok": frozenset({"x"})})
{'tier': 'key', 'at': '2025-01-02', 'pair': ['a', 'b'], 'ok': ['x']}
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Set
from datetime import date, datetime
from enum import Enum
from typing import Any

from graph.analysis.config import AnalysisConfig
from graph.store import AccountSubgraph

__all__ = ["ACCOUNT_RESULT", "HEALTH_RESULT", "analyse_account", "to_jsonable"]

#: Kinds of materialised results (written by the portfolio refresh) the API reads when present.
ACCOUNT_RESULT = "account"
HEALTH_RESULT = "health"


def to_jsonable(value: Any) -> Any:
    """A JSON-ready copy of ``value``: dataclasses and mappings become objects, enums their value,
    dates ISO strings, tuples/sets lists (sets sorted), non-finite floats ``None``."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {_key(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, Set):
        return sorted((to_jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return str(value)


def _key(key: Any) -> str:
    if isinstance(key, tuple):
        return "|".join(str(_key(k)) for k in key)
    if isinstance(key, Enum):
        return str(key.value)
    return str(key)


@dataclasses.dataclass(frozen=True)
class AccountView:
    """The per-account analysis and the health computed from it (when not materialised)."""

    analysis: Any
    health: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self.analysis, name)


def analyse_account(subgraph: AccountSubgraph, config: AnalysisConfig) -> AccountView:
    """The full per-account analysis (``graph.analysis.account.analyse_account``) and its health
    (``graph.analysis.health.relationship_health`` over its coverage score and threads)."""
    from graph.analysis.account import analyse_account as run
    from graph.analysis.cadence import cadence_status
    from graph.analysis.health import relationship_health

    analysis = run(subgraph, config)
    health = relationship_health(
        subgraph,
        coverage_score=analysis.coverage.score,
        threads=analysis.threads.threads,
        cadence=cadence_status(subgraph, config),
        config=config,
    )
    return AccountView(analysis=analysis, health=health)
