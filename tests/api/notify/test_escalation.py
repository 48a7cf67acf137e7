"""Escalation timed with a controllable clock, delivered by e-mail to a real loopback SMTP server
(aiosmtpd): the owner at day 0, the owner's manager at day 2, leadership at day 5; nothing after an
acknowledgement; nothing twice, also after a restart; the normal morning of a rep on the demo."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api.notify.inbox import Inbox, alert_id, escalate, inbox_key
from api.notify.outbox import OUTBOX_FILE
from api.notify.service import open_outbox
from api.notify.watch import open_inbox, owners_of, routing_of, tick
from api.settings import Settings
from graph.analysis.alerts import Alert
from graph.backends.sqlite.store import SqliteStore
from graph.model import Account, Staff, TeamMembership, TeamRole
from graph.store import GraphBatch
from tests.api.helpers import Portfolio, copy_portfolio
from tests.api.notify.receivers import SmtpReceiver

T0 = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
DAY = date(2026, 3, 2)
SPOC = Alert("single_point_of_contact", "severe", "acme", "Ann alone holds every thread", "c-ann")
REP, BOSS, LEADS = "dana.rep@ourco.example", "max.boss@ourco.example", "kam-leads@ourco.example"


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = SmtpReceiver()
    yield server
    server.close()


def settings_for(data_dir: Path, smtp: SmtpReceiver, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "notify_channels": [{"id": "mail", "kind": "email", "recipients": ["kam-ops@ourco.example"]}],
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp.port,
        "smtp_security": "none",
        "smtp_from": "kamgraph@ourco.example",
        "staff_managers": {"stf-rep": "stf-boss"},
        "leadership_recipients": [LEADS],
    }
    return Settings(**{**values, **extra})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    db = SqliteStore(tmp_path / "data")
    db.init()
    db.write(
        GraphBatch(
            accounts=[
                Account("acme", "Acme", owner="stf-old"),
                Account("globex", "Globex", owner="stf-boss"),
            ],
            staff=[
                Staff("stf-rep", "Dana Rep", email=REP),
                Staff("stf-boss", "Max Boss", email=BOSS),
                Staff("stf-old", "Old Owner", email="old@ourco.example"),
            ],
            team_memberships=[
                TeamMembership("stf-rep", "acme", TeamRole.ACCOUNT_REP, since=date(2025, 1, 1)),
                TeamMembership("stf-old", "acme", TeamRole.DELIVERY_LEAD, since=date(2025, 1, 1)),
            ],
        )
    )
    yield db
    db.close()


def received(smtp: SmtpReceiver) -> list[tuple[str, str]]:
    """(recipient, subject) of every mail received, in order."""
    return [(rcpt, str(mail["Subject"])) for _, rcpts, mail in smtp.messages for rcpt in rcpts]


def run(settings: Settings, store: SqliteStore, now: datetime, *, alerts: list[Alert] | None = None) -> None:
    """One tick by hand: sync the given alerts, escalate, deliver (each a fresh open: a restart)."""
    with open_inbox(settings) as inbox, open_outbox(settings) as outbox:
        if alerts is not None:
            inbox.sync(
                alerts, owners=owners_of(store, ["acme"], DAY), account_names={"acme": "Acme"}, now=now
            )
        owners = {s.owner_id for s in inbox.alerts(("new",), now=now) if s.owner_id}
        escalate(
            inbox,
            outbox,
            policy=settings.alert_escalation,
            routing=routing_of(settings, store, owners),
            now=now,
        )
        report = outbox.deliver_due(now)
        assert report.failed == report.retrying == 0, [d.last_error for d in report.tried]


def test_the_owner_is_the_rep_on_the_day_else_the_owner_field(store: SqliteStore) -> None:
    owners = owners_of(store, ["acme", "globex"], DAY)
    assert (owners["acme"].staff_id, owners["acme"].name) == ("stf-rep", "Dana Rep")
    assert owners["globex"].staff_id == "stf-boss"  # no account_rep: the account's owner
    assert owners_of(store, ["acme"], date(2024, 6, 1))["acme"].staff_id == "stf-old"  # before the rep


def test_owner_at_day_0_manager_at_day_2_leadership_at_day_5(
    tmp_path: Path, store: SqliteStore, smtp: SmtpReceiver
) -> None:
    settings = settings_for(tmp_path / "data", smtp)
    run(settings, store, T0, alerts=[SPOC])
    assert received(smtp) == [(REP, "[SEVERE] Single point of contact: Acme")]
    mail = smtp.messages[0][2]
    assert (
        "New alert on your account: Ann alone holds every thread" in mail.get_body(("plain",)).get_content()
    )

    run(settings, store, T0 + timedelta(days=1, hours=23), alerts=[SPOC])  # day 1: nothing new
    assert len(smtp.messages) == 1
    run(settings, store, T0 + timedelta(days=2), alerts=[SPOC])
    assert received(smtp)[1:] == [(BOSS, "[SEVERE] Single point of contact: Acme")]
    text = smtp.messages[1][2].get_body(("plain",)).get_content()
    assert "Unacknowledged for 2 day(s) (owner Dana Rep)" in text
    run(settings, store, T0 + timedelta(days=4), alerts=[SPOC])
    assert len(smtp.messages) == 2
    run(settings, store, T0 + timedelta(days=5), alerts=[SPOC])
    assert received(smtp)[2:] == [(LEADS, "[SEVERE] Single point of contact: Acme")]
    run(settings, store, T0 + timedelta(days=9), alerts=[SPOC])  # every step sent: nothing more
    assert len(smtp.messages) == 3
    with Inbox(settings.data_dir / OUTBOX_FILE) as inbox:
        state = inbox.get(inbox_key(alert_id(SPOC)))
        assert state.notified == ("owner", "manager", "leadership")
        assert [h.action for h in inbox.history(state.key)][-3:] == [
            "notified owner",
            "notified manager",
            "notified leadership",
        ]


def test_nothing_is_escalated_after_an_acknowledgement(
    tmp_path: Path, store: SqliteStore, smtp: SmtpReceiver
) -> None:
    settings = settings_for(tmp_path / "data", smtp)
    run(settings, store, T0, alerts=[SPOC])
    with open_inbox(settings) as inbox:
        inbox.acknowledge(inbox_key(alert_id(SPOC)), actor="stf-rep", now=T0 + timedelta(hours=3))
    for days in (2, 5, 8):
        run(settings, store, T0 + timedelta(days=days), alerts=[SPOC])
    assert received(smtp) == [(REP, "[SEVERE] Single point of contact: Acme")]


def test_no_step_is_sent_twice_after_a_restart(
    tmp_path: Path, store: SqliteStore, smtp: SmtpReceiver
) -> None:
    settings = settings_for(tmp_path / "data", smtp)
    later = T0 + timedelta(days=2, hours=1)
    run(settings, store, T0, alerts=[SPOC])
    run(settings, store, later, alerts=[SPOC])
    assert len(smtp.messages) == 2
    # every run opens the files afresh (a restart); a second pass at the same moment sends nothing
    run(settings, store, later, alerts=[SPOC])
    run(settings, store, later + timedelta(minutes=5))
    assert [r for r, _ in received(smtp)] == [REP, BOSS]
    with open_outbox(settings) as outbox:
        assert sorted(d.channel_id for d in outbox.deliveries("sent")) == sorted(
            [f"mail:{REP}", f"mail:{BOSS}"]
        )


def test_chat_channels_per_role_and_leadership_channels(
    tmp_path: Path, store: SqliteStore, smtp: SmtpReceiver, receiver: Any
) -> None:
    settings = settings_for(
        tmp_path / "data",
        smtp,
        notify_channels=[
            {"id": "mail", "kind": "email", "recipients": ["kam-ops@ourco.example"]},
            {"id": "team-hook", "kind": "webhook", "url": receiver.url + "/team", "secret": "s"},
            {"id": "lead-hook", "kind": "webhook", "url": receiver.url + "/lead", "secret": "s"},
        ],
        alert_role_channels={"owner": ["team-hook"]},
        leadership_recipients=["lead-hook"],
        alert_escalation={"severe": [0, 0, 0]},
    )
    run(settings, store, T0, alerts=[SPOC])
    assert sorted(r for r, _ in received(smtp)) == sorted([REP, BOSS])  # leadership: its channel only
    paths = sorted(r.path for r in receiver.requests)
    assert paths == ["/lead", "/team"]
    lead = next(r for r in receiver.requests if r.path == "/lead").json()
    assert lead["alert"]["evidence"]["escalation"] == "leadership"


def test_a_normal_morning_on_the_demo(portfolio: Portfolio, tmp_path: Path, smtp: SmtpReceiver) -> None:
    """The demo as of its reference date: on the first morning every rep gets one mail per new
    alert of their accounts; two days later, the managers get the severe ones nobody acknowledged."""
    data = copy_portfolio(portfolio, tmp_path / "data")
    settings = settings_for(data.data_dir, smtp, staff_managers={})
    store = SqliteStore(data.data_dir)
    try:
        reps = owners_of(store, sorted(data.all_accounts), store.reference_date() or DAY)
        rep = reps[sorted(data.all_accounts)[0]].staff_id
        assert rep is not None
        people = store.get_people([*{o.staff_id for o in reps.values() if o.staff_id}, "stf-001"])
        boss = next(i for i in sorted(people) if i != rep)
        managers = {o.staff_id: boss for o in reps.values() if o.staff_id and o.staff_id != boss}
        settings = settings.model_copy(update={"staff_managers": managers})
        first = tick(settings, store, now=T0)
        rep_mail = people[rep].email
        boss_mail = people[boss].email
        with open_inbox(settings) as inbox:
            open_alerts = inbox.alerts(now=T0)
            mine = [s for s in open_alerts if s.owner_id == rep]
            severe_mine = [s for s in mine if s.alert.severity == "severe"]
            inbox.acknowledge(mine[0].key, actor=rep, now=T0 + timedelta(hours=2))
        to_rep = [s for r, s in received(smtp) if r == rep_mail]
        assert first.sync.new == len(open_alerts) > 0
        assert len(to_rep) == len(mine) > 0  # one mail per alert of their accounts
        assert first.delivery.sent == len(smtp.messages) == len(first.escalation.queued)
        # alerts whose owner has no e-mail address (or no owner) had nowhere to go, and say so
        assert len(first.escalation.queued) + len(first.escalation.unrouted) == len(open_alerts)
        count = len(smtp.messages)
        second = tick(settings, store, now=T0 + timedelta(days=2))
        to_boss = [s for r, s in received(smtp)[count:] if r == boss_mail]
        acked_severe = 1 if mine[0].alert.severity == "severe" else 0
        assert second.sync.new == 0
        assert len(to_boss) >= len(severe_mine) - acked_severe
        assert all(s.startswith("[SEVERE]") for s in to_boss)
        # each person's own mail greets them by their name in the graph, not by their address
        greetings = {
            rcpt: mail.get_body(("plain",)).get_content().splitlines()[0]  # type: ignore[union-attr]
            for _, rcpts, mail in smtp.messages
            for rcpt in rcpts
        }
        assert greetings[rep_mail] == f"Hello {people[rep].name},"
        assert greetings[boss_mail] == f"Hello {people[boss].name},"
    finally:
        store.close()
