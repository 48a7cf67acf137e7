"""The portfolio report's figures: refresh the day (and an earlier one), read the views, diff them.

``kamgraph report`` (:mod:`api.report`) renders what :func:`build_report` returns as a table,
CSV files and an HTML page; the figures are built here, through the port, so the rendering never
reaches the store.

Examples
--------
>>> from datetime import date
>>> build_report(None, date(2025, 6, 30), compare_to=date(2025, 7, 1))
Traceback (most recent call last):
...
ValueError: compare_to 2025-07-01 must be before the report day 2025-06-30
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.portfolio import PortfolioDiff, PortfolioView, diff_portfolios
from graph.services.refresh import RefreshSummary, load_portfolio, refresh
from graph.store import AnalysisStore

__all__ = ["PortfolioReport", "build_report"]


@dataclass(frozen=True)
class PortfolioReport:
    """The refresh of the report day, its portfolio view and (with an earlier day) the diff."""

    refresh: RefreshSummary
    view: PortfolioView
    diff: PortfolioDiff | None = None


def build_report(
    store: AnalysisStore,
    as_of: date,
    *,
    compare_to: date | None = None,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> PortfolioReport:
    """Refresh ``as_of`` incrementally and read its portfolio view (accounts whose refresh failed
    are left out and counted); with ``compare_to``, the same for that day and the diff to it.

    Raises
    ------
    ValueError
        When ``compare_to`` is not before ``as_of``.
    """
    if compare_to is not None and compare_to >= as_of:
        raise ValueError(
            f"compare_to {compare_to.isoformat()} must be before the report day {as_of.isoformat()}"
        )
    summary = refresh(store, as_of, config=config)
    view = load_portfolio(store, as_of, config=config, skip_missing=True)
    diff: PortfolioDiff | None = None
    if compare_to is not None:
        refresh(store, compare_to, config=config)
        before = load_portfolio(store, compare_to, config=config, skip_missing=True)
        diff = diff_portfolios(before, view)
    return PortfolioReport(summary, view, diff)
