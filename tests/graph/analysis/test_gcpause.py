"""One tie pass per subgraph, and the cyclic collector paused only while an analysis runs."""

from __future__ import annotations

import dataclasses
import gc
import threading
from typing import Any

import pytest

import graph.analysis.strength as strength
from graph.analysis.account import analyse_account
from graph.analysis.gcpause import gc_paused
from graph.analysis.portfolio import account_payload
from graph.analysis.relationship_map import relationship_map
from graph.analysis.relgraph import example_subgraph


def test_map_summary_and_analysis_of_one_subgraph_share_one_tie_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bool] = []
    real = strength.tie_strengths

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(strength, "tie_strengths", counted)
    sub = example_subgraph()
    relationship_map(sub)
    account_payload(sub, detail=False)
    analyse_account(sub)
    assert calls == [False]  # computed once, with the collector paused
    assert gc.isenabled()
    # an equal but new subgraph (another request) computes its own, as does another config
    relationship_map(dataclasses.replace(sub))
    assert len(calls) == 2
    from graph.analysis.config import AnalysisConfig

    relationship_map(sub, AnalysisConfig.from_mapping({"half_life_days": 30}))
    assert len(calls) == 3


def test_nested_and_concurrent_pauses_restore_the_collector_once_all_end() -> None:
    assert gc.isenabled()
    inside = threading.Event()
    release = threading.Event()

    def other() -> None:
        with gc_paused():
            inside.set()
            release.wait(5)

    worker = threading.Thread(target=other)
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
        worker.start()
        inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause still holds
    release.set()
    worker.join(5)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_ties_of_a_subgraph_nobody_holds_are_let_go() -> None:
    sub = dataclasses.replace(example_subgraph())
    strength.ties_of(sub)
    assert id(sub) in strength._RECENT_TIES
    key = id(sub)
    del sub
    gc.collect()
    assert key not in strength._RECENT_TIES
