"""The bridge from the API to the analyses: materialised results when fresh, computed otherwise.

The GraphQL layer is thin: it never computes a score itself. Per account and day it needs

* the *summary* (``graph.analysis.portfolio.account_payload(..., detail=False)``: revenue at
  risk, key person, coverage score, threads, health, alerts, gaps), and
* the *detail* (``AccountAnalysis.to_payload()``: map, coverage paths, level coverage,
  threads, every departure impact),

both of which the portfolio refresh materialises (``account_summary`` and
``account_analysis`` results, :mod:`graph.services.refresh`). A materialised result is used
when its data version is the account's current one and it was computed with the same
configuration; otherwise the API computes it for the request (and does not store it).

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
from graph.services.refresh import PORTFOLIO_KIND, RESULT_KIND, SUMMARY_KIND
from graph.store import AccountSubgraph, AnalysisResult

__all__ = [
    "DETAIL_KIND",
    "PORTFOLIO_KIND",
    "SUMMARY_KIND",
    "Materialised",
    "analyse_account",
    "compute_detail",
    "compute_summary",
    "is_fresh",
    "to_jsonable",
]

#: Result kind of the full per-account analysis.
DETAIL_KIND = RESULT_KIND


@dataclasses.dataclass(frozen=True)
class Materialised:
    """A payload and whether it was read from the refresh's results (else computed now)."""

    payload: Mapping[str, Any]
    materialised: bool


def is_fresh(result: AnalysisResult, version: int | None, fingerprint: str) -> bool:
    """Whether a stored result still describes the account's data (``version``) under the
    configuration with this :func:`~graph.services.refresh.config_fingerprint`."""
    if version is not None and result.data_version != version:
        return False
    stored = result.payload.get("config_fingerprint")
    return stored is None or stored == fingerprint


def analyse_account(subgraph: AccountSubgraph, config: AnalysisConfig) -> Any:
    """The live per-account analysis (``graph.analysis.account.analyse_account``), for what-if."""
    from graph.analysis.account import analyse_account as run

    return run(subgraph, config)


def compute_summary(subgraph: AccountSubgraph, config: AnalysisConfig) -> dict[str, Any]:
    """The account's summary payload, computed now (``account_payload(..., detail=False)``)."""
    from graph.analysis.portfolio import account_payload

    return account_payload(subgraph, config, detail=False)


def compute_detail(analysis: Any) -> dict[str, Any]:
    """The detail payload of a live analysis (``AccountAnalysis.to_payload``)."""
    payload: dict[str, Any] = analysis.to_payload(evidence_limit=3)
    return payload


def to_jsonable(value: Any) -> Any:
    """A JSON-ready copy of ``value``: dataclasses and mappings become objects, enums their value,
    dates ISO strings, tuples/sets lists (sets sorted), non-finite floats ``None``."""
    if isinstance(value, Enum):
        return value.value
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
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
        return "|".join(_key(k) for k in key)
    if isinstance(key, Enum):
        return str(key.value)
    return str(key)
