"""The alert inbox page in headless Chromium on the demo: an account manager acknowledges and snoozes
alerts of their accounts; a refused change (leadership reads but does not write, a snooze into the
past) is shown on the row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api.notify.watch import open_inbox, seed_demo_inbox, sync_store
from api.settings import Settings
from graph.backends.sqlite.store import SqliteStore
from tests.web.conftest import DemoServer, browser_page
from tests.web.test_pages import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def inbox_server(demo_server: DemoServer) -> DemoServer:
    """The demo server with its alert inbox filled as ``kamgraph demo`` fills it."""
    assert demo_server.log is not None
    data_dir = demo_server.log.parent
    store = SqliteStore(data_dir)
    now = datetime.now(UTC) - timedelta(days=1)
    try:
        with open_inbox(Settings(data_dir=data_dir)) as inbox:
            sync_store(inbox, store, now=now)
            seeded = seed_demo_inbox(inbox, now=now)
    finally:
        store.close()
    assert [s for _, s in seeded] == ["acknowledged", "acknowledged", "snoozed", "snoozed"]
    return demo_server


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from browser_page(browser)


def open_inbox_page(page: Any, server: DemoServer) -> Any:
    page.goto(f"{server.url}/#/alerts")
    page.locator('[data-testid="alerts-table"], [data-testid="page-error"]').first.wait_for()
    error = page.locator('[data-testid="page-error"]')
    assert not error.count(), f"the inbox page shows an error: {error.inner_text()}\n{server.log_tail()}"
    return page.locator('[data-testid="alerts-table"] tbody tr[data-key]')


def test_the_demo_inbox_lists_open_alerts_and_leadership_cannot_change_them(
    inbox_server: DemoServer, page: Any, artifacts: Path
) -> None:
    sign_in(page, inbox_server, inbox_server.tokens["leadership"], "#/alerts")
    rows = open_inbox_page(page, inbox_server)
    statuses = [rows.nth(i).get_attribute("data-status") for i in range(rows.count())]
    assert statuses.count("acknowledged") == 2 and statuses.count("snoozed") == 2
    assert statuses.count("new") > 10
    assert page.locator('#nav a[data-nav="alerts"]').get_attribute("aria-current") == "page"
    assert rows.first.locator('[data-testid="alert-severity"]').inner_text() == "severe"  # most severe first
    first = page.locator('[data-testid="alerts-table"] tbody tr[data-status="new"]').first
    key = first.get_attribute("data-key")
    first.get_by_role("button", name="Acknowledge").click()
    error = page.locator(f'tr[data-key="{key}"] [data-testid="row-error"]')
    error.wait_for(state="visible")
    assert "cannot change them" in error.inner_text()
    assert page.locator(f'tr[data-key="{key}"]').get_attribute("data-status") == "new"
    page.screenshot(path=str(artifacts / "alerts-inbox.png"), full_page=True)


def test_a_manager_acknowledges_and_snoozes_alerts_of_their_accounts(
    inbox_server: DemoServer, page: Any, artifacts: Path
) -> None:
    sign_in(page, inbox_server, inbox_server.tokens["manager"], "#/alerts")
    rows = open_inbox_page(page, inbox_server)
    new_rows = page.locator('[data-testid="alerts-table"] tbody tr[data-status="new"]')
    assert new_rows.count() >= 3
    total = rows.count()
    ack_key = new_rows.nth(0).get_attribute("data-key")
    new_rows.nth(0).get_by_role("button", name="Acknowledge").click()
    acked = page.locator(f'tr[data-key="{ack_key}"][data-status="acknowledged"]')
    acked.wait_for()
    assert acked.locator('[data-testid="alert-status"]').inner_text() == "acknowledged"
    assert acked.get_by_role("button", name="Acknowledge").is_disabled()

    snooze_row = page.locator('[data-testid="alerts-table"] tbody tr[data-status="new"]').first
    snooze_key = snooze_row.get_attribute("data-key")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    snooze_row.get_by_label("Snooze until").fill(yesterday)
    snooze_row.get_by_role("button", name="Snooze").click()
    error = page.locator(f'tr[data-key="{snooze_key}"] [data-testid="row-error"]')
    error.wait_for(state="visible")
    assert "is not after today" in error.inner_text()
    until = (datetime.now(UTC) + timedelta(days=10)).date().isoformat()
    row = page.locator(f'tr[data-key="{snooze_key}"]')
    row.get_by_label("Snooze until").fill(until)
    row.get_by_role("button", name="Snooze").click()
    snoozed = page.locator(f'tr[data-key="{snooze_key}"][data-status="snoozed"]')
    snoozed.wait_for()
    assert snoozed.locator('[data-testid="alert-status"]').inner_text() == f"snoozed until {until}"
    assert not snoozed.locator('[data-testid="row-error"]').is_visible()
    assert rows.count() == total  # both still open
    shown = {
        s: page.locator(f'tbody tr[data-status="{s}"]').count() for s in ("new", "acknowledged", "snoozed")
    }
    summary = page.locator('[data-testid="alerts-summary"]').inner_text()
    expected = f"{total} open alert(s): {shown['new']} new, {shown['acknowledged']} acknowledged, {shown['snoozed']} snoozed."
    assert summary.startswith(expected)  # the counts follow the changes
    page.screenshot(path=str(artifacts / "alerts-acknowledged-snoozed.png"), full_page=True)

    # the changes are stored: a reload shows them
    page.reload()
    rows = open_inbox_page(page, inbox_server)
    assert page.locator(f'tr[data-key="{ack_key}"]').get_attribute("data-status") == "acknowledged"
    assert page.locator(f'tr[data-key="{snooze_key}"]').get_attribute("data-status") == "snoozed"
