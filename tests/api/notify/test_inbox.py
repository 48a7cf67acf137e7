"""The alert inbox's lifecycle on a real SQLite file: new, acknowledged, snoozed, resolved, history,
automatic resolution and reopening, and the file shared with the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from api.notify.inbox import (
    AlertNotFound,
    Inbox,
    InvalidTransition,
    Owner,
    alert_id,
    inbox_key,
)
from api.notify.outbox import OUTBOX_FILE, Outbox
from graph.analysis.alerts import Alert

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
COLD = Alert("going_cold", "warning", "acme", "tie with Ann is going cold", "c-ann", {"silence_days": 120})
CADENCE = Alert("cadence_breach", "severe", "acme", "no exec visit for 200 days")
OTHER = Alert("health", "warning", "globex", "health 55 (red)")
OWNERS = {"acme": Owner("stf-1", "Dana Rep"), "globex": Owner("stf-2", "Gil Rep")}


def key(alert: Alert) -> str:
    return inbox_key(alert_id(alert))


@pytest.fixture
def inbox(tmp_path: Path) -> Inbox:
    box = Inbox(tmp_path / OUTBOX_FILE)
    yield box
    box.close()


def test_a_raised_alert_is_new_with_its_owner_and_seen_dates(inbox: Inbox) -> None:
    report = inbox.sync([COLD, CADENCE], owners=OWNERS, account_names={"acme": "Acme"}, now=T0)
    assert (report.raised, report.new, report.resolved) == (2, 2, 0)
    state = inbox.get(key(COLD))
    assert (state.status, state.owner_id, state.owner_name, state.account_name) == (
        "new",
        "stf-1",
        "Dana Rep",
        "Acme",
    )
    assert state.first_seen == state.last_seen == state.opened_at == T0
    assert [s.key for s in inbox.alerts()] == [key(CADENCE), key(COLD)]  # severe first


def test_raised_again_it_is_the_same_alert_updated(inbox: Inbox) -> None:
    inbox.sync([COLD], owners=OWNERS, now=T0)
    worse = Alert("going_cold", "severe", "acme", "tie with Ann went cold", "c-ann", {"silence_days": 200})
    report = inbox.sync([worse], owners=OWNERS, now=T0 + timedelta(days=1))
    assert (report.new, report.reopened) == (0, 0)
    [state] = inbox.alerts(None)
    assert state.key == key(COLD)
    assert (state.alert.severity, state.alert.message) == ("severe", "tie with Ann went cold")
    assert (state.first_seen, state.last_seen) == (T0, T0 + timedelta(days=1))


def test_duplicates_within_one_refresh_keep_the_most_severe(inbox: Inbox) -> None:
    milder = Alert("going_cold", "info", "acme", "mild", "c-ann")
    inbox.sync([milder, COLD], now=T0)
    [state] = inbox.alerts(None)
    assert state.alert.severity == "warning"


def test_acknowledge_snooze_resolve_with_history(inbox: Inbox) -> None:
    inbox.sync([COLD], owners=OWNERS, now=T0)
    k = key(COLD)
    acked = inbox.acknowledge(k, actor="stf-1", now=T0 + timedelta(hours=1))
    assert (acked.status, acked.changed_by, acked.changed_at) == (
        "acknowledged",
        "stf-1",
        T0 + timedelta(hours=1),
    )
    with pytest.raises(InvalidTransition, match="acknowledged"):
        inbox.acknowledge(k, actor="stf-1", now=T0 + timedelta(hours=2))
    snoozed = inbox.snooze(k, date(2026, 3, 9), actor="stf-1", now=T0 + timedelta(hours=2))
    assert (snoozed.status, snoozed.snoozed_until) == ("snoozed", date(2026, 3, 9))
    done = inbox.resolve(k, actor="stf-9", note="met Ann for lunch", now=T0 + timedelta(days=1))
    assert (done.status, done.resolved_by, done.note) == ("resolved", "stf-9", "met Ann for lunch")
    with pytest.raises(InvalidTransition, match="resolved"):
        inbox.resolve(k, actor="stf-9", now=T0 + timedelta(days=1))
    assert [(h.actor, h.action, h.status) for h in inbox.history(k)] == [
        ("refresh", "raised", "new"),
        ("stf-1", "acknowledged", "acknowledged"),
        ("stf-1", "snoozed", "snoozed"),
        ("stf-9", "resolved", "resolved"),
    ]
    assert inbox.alerts() == []  # no longer open


def test_a_snooze_must_end_after_today_and_shows_again_after_its_day(inbox: Inbox) -> None:
    inbox.sync([COLD], now=T0)
    k = key(COLD)
    with pytest.raises(InvalidTransition) as error:
        inbox.snooze(k, T0.date(), actor="stf-1", now=T0)
    assert error.value.field == "until"
    inbox.snooze(k, date(2026, 3, 5), actor="stf-1", now=T0)
    assert inbox.alerts(("snoozed",), now=datetime(2026, 3, 5, 23, 0, tzinfo=UTC))[0].key == k
    woken = inbox.alerts(now=datetime(2026, 3, 6, 0, 30, tzinfo=UTC))
    assert [(s.key, s.status) for s in woken] == [(k, "new")]
    assert inbox.history(k)[-1].actor == "clock"


def test_an_alert_no_longer_raised_is_resolved_by_the_refresh_and_reopens(inbox: Inbox) -> None:
    inbox.sync([COLD, OTHER], owners=OWNERS, now=T0)
    inbox.acknowledge(key(COLD), actor="stf-1", now=T0)
    report = inbox.sync([OTHER], owners=OWNERS, now=T0 + timedelta(days=1))
    assert report.resolved == 1
    gone = inbox.get(key(COLD))
    assert (gone.status, gone.resolved_by, gone.raised) == ("resolved", "refresh", False)
    assert inbox.get(key(OTHER)).status == "new"
    back = inbox.sync([COLD, OTHER], owners=OWNERS, now=T0 + timedelta(days=3))
    assert back.reopened == 1
    again = inbox.get(key(COLD))
    assert (again.status, again.opened_at, again.first_seen) == ("new", T0 + timedelta(days=3), T0)


def test_resolved_by_a_person_stays_resolved_while_still_raised(inbox: Inbox) -> None:
    inbox.sync([COLD], now=T0)
    inbox.resolve(key(COLD), actor="stf-1", now=T0)
    assert inbox.sync([COLD], now=T0 + timedelta(days=1)).reopened == 0
    assert inbox.get(key(COLD)).status == "resolved"


def test_accounts_missing_from_the_refresh_keep_their_alerts(inbox: Inbox) -> None:
    inbox.sync([COLD, OTHER], now=T0)
    report = inbox.sync([], accounts=["globex"], now=T0 + timedelta(days=1))  # acme's analysis failed
    assert report.resolved == 1
    assert (inbox.get(key(COLD)).status, inbox.get(key(OTHER)).status) == ("new", "resolved")


def test_state_survives_a_restart_and_shares_the_outbox_file(tmp_path: Path) -> None:
    path = tmp_path / OUTBOX_FILE
    with Inbox(path) as box:
        box.sync([COLD], now=T0)
        box.acknowledge(key(COLD), actor="stf-1", now=T0)
    with Outbox(path, channels={}) as outbox:  # the outbox opens the same file
        assert outbox.enqueue(COLD, period="p", channel_ids=["x"], now=T0)
    with Inbox(path) as box:
        assert box.get(key(COLD)).status == "acknowledged"
        with pytest.raises(AlertNotFound):
            box.get("nope")
