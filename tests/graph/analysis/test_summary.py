"""The portfolio summary computes only what it needs, with the same figures as the full analysis."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings

from graph.analysis.account import account_core, analyse_account
from graph.analysis.portfolio import account_payload
from graph.analysis.relgraph import example_subgraph
from graph.store import AccountSubgraph

from .test_properties import subgraphs


def _without_cuts(impact: object) -> object:
    return dataclasses.replace(impact, cuts_roles=())  # type: ignore[type-var]


def _check(sub: AccountSubgraph) -> None:
    full = account_payload(sub, detail=True)
    del full["analysis"]
    assert account_payload(sub, detail=False) == full

    analysis = analyse_account(sub)
    core = account_core(sub, summary=True)
    assert core.coverage == analysis.coverage
    assert core.level_coverage == analysis.level_coverage
    assert core.threads.threads == analysis.threads.threads
    assert core.threads.paths == analysis.threads.paths
    assert core.threads.critical == analysis.threads.critical
    assert core.threads.single_points_of_contact == analysis.threads.single_points_of_contact
    assert set(core.departure_impacts) <= set(analysis.departure_impacts)
    for person, impact in analysis.departure_impacts.items():
        if person in core.departure_impacts:
            assert core.departure_impacts[person] == _without_cuts(impact)
        else:  # left out: their loss costs nothing
            assert impact.coverage_lost == 0 and impact.threads_lost == 0


def test_summary_of_the_example_equals_the_full_analysis() -> None:
    _check(example_subgraph())


@settings(max_examples=60, deadline=None)
@given(subgraphs())
def test_summary_equals_the_full_analysis_on_random_accounts(sub: AccountSubgraph) -> None:
    _check(sub)
