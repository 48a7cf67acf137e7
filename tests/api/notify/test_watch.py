"""The alert watcher: a failing tick is logged and the next one runs, ticks never overlap, and the
``kamgraph watch`` and ``kamgraph demo`` commands fill the inbox."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.notify.watch import Watcher, open_inbox
from api.settings import Settings
from graph.backends.sqlite.store import SqliteStore
from graph.store import GraphStore
from tests.api.helpers import Portfolio, copy_portfolio

NOW = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def test_a_failing_tick_is_logged_and_the_next_one_runs(
    portfolio: Portfolio, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = copy_portfolio(portfolio, tmp_path / "data")
    calls = {"n": 0}

    def opener() -> GraphStore:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("the store is not there yet")
        store = SqliteStore(data.data_dir)
        store.init()
        return store

    watcher = Watcher(Settings(data_dir=data.data_dir), opener, interval=60, clock=lambda: NOW)
    assert watcher.run_once() is None
    assert (watcher.failures, watcher.last_error) == (1, "OSError: the store is not there yet")
    assert "the tick failed" in caplog.text
    report = watcher.run_once()
    assert report is not None and report.sync.new > 0
    assert (watcher.ticks, watcher.last_error) == (1, None)


def test_ticks_never_overlap(portfolio: Portfolio, tmp_path: Path) -> None:
    data = copy_portfolio(portfolio, tmp_path / "data")
    entered, release = threading.Event(), threading.Event()

    def slow() -> GraphStore:
        entered.set()
        release.wait(10)
        store = SqliteStore(data.data_dir)
        store.init()
        return store

    watcher = Watcher(Settings(data_dir=data.data_dir), slow, interval=60, clock=lambda: NOW)
    first = threading.Thread(target=watcher.run_once)
    first.start()
    assert entered.wait(10)
    assert watcher.run_once() is None  # the first tick is still running: this one is skipped
    release.set()
    first.join(30)
    assert (watcher.ticks, watcher.failures) == (1, 0)


def test_watch_once_and_the_demo_inbox(tmp_path: Path) -> None:
    runner = CliRunner()
    data_dir = tmp_path / "data"
    demo = runner.invoke(app, ["--data-dir", str(data_dir), "demo"])
    assert demo.exit_code == 0, demo.output
    assert "seeded 2 acknowledged, 2 snoozed" in demo.output
    with open_inbox(Settings(data_dir=data_dir)) as inbox:
        statuses = [s.status for s in inbox.alerts()]
    assert statuses.count("acknowledged") == 2 and statuses.count("snoozed") == 2
    assert statuses.count("new") > 10
    again = runner.invoke(app, ["--data-dir", str(data_dir), "demo"])
    assert "seeded" not in again.output  # once only
    watched = runner.invoke(app, ["--data-dir", str(data_dir), "watch", "--once"])
    assert watched.exit_code == 0, watched.output
    assert f"{len(statuses)} raised, 0 new" in watched.output
