"""The outbox over a real file and real receivers: dedupe, retries with back-off on a hand-driven
clock, no duplicate after a restart, failed for good with the last error."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from api.notify.channels import Channel, build_channels
from api.notify.config import ChannelConfig
from api.notify.messages import Message
from api.notify.outbox import Outbox, alert_key, delivery_id
from graph.analysis.alerts import Alert
from tests.api.notify.receivers import HttpReceiver, ReceiverFactory

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
ALERT = Alert("going_cold", "warning", "acme", "tie with Ann is going cold", "c-ann", {"silence_days": 120})
KEY = alert_key(ALERT, "2025-03-01")


def _channels(*receivers: tuple[str, HttpReceiver]) -> dict[str, Channel]:
    configs = [ChannelConfig(id=cid, kind="webhook", url=r.url, secret="s") for cid, r in receivers]
    return build_channels(configs)


def _outbox(path: Path, channels: dict[str, Channel], http: httpx.Client, **kwargs: object) -> Outbox:
    return Outbox(path, channels, http=http, base_url="https://kam.example", **kwargs)  # type: ignore[arg-type]


def test_retries_follow_the_back_off(
    tmp_path: Path, receiver_factory: ReceiverFactory, http: httpx.Client
) -> None:
    receiver = receiver_factory(responses=[(500, b"boom 1"), (500, b"boom 2")])
    box = _outbox(tmp_path / "notify.sqlite3", _channels(("hook", receiver)), http)
    [created] = box.enqueue(ALERT, period="2025-03-01", account_name="Acme", now=T0)
    assert created.status == "pending" and created.next_attempt_at == T0

    report = box.deliver_due(T0)
    assert (report.sent, report.retrying, report.failed) == (0, 1, 0)
    first = box.delivery(KEY, "hook")
    assert first.attempts == 1 and first.last_error == "HTTP 500: boom 1"
    assert first.next_attempt_at == T0 + timedelta(minutes=1)

    assert box.deliver_due(T0 + timedelta(seconds=59)).tried == ()  # not due yet
    assert len(receiver.requests) == 1

    box.deliver_due(T0 + timedelta(minutes=1))
    second = box.delivery(KEY, "hook")
    assert second.attempts == 2 and second.last_error == "HTTP 500: boom 2"
    assert second.next_attempt_at == T0 + timedelta(minutes=1 + 5)

    assert box.deliver_due(T0 + timedelta(minutes=5, seconds=59)).tried == ()
    report = box.deliver_due(T0 + timedelta(minutes=6))
    assert report.sent == 1
    done = box.delivery(KEY, "hook")
    assert done.status == "sent" and done.attempts == 3
    assert done.sent_at == T0 + timedelta(minutes=6)
    assert done.last_error is None and done.next_attempt_at is None

    attempts = box.attempts(KEY, "hook")
    assert [a.at for a in attempts] == [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=6)]
    assert [a.ok for a in attempts] == [False, False, True]
    assert [a.error for a in attempts] == ["HTTP 500: boom 1", "HTTP 500: boom 2", None]

    # Every retry is the same delivery (one idempotency key), signed at its own time.
    assert {r.headers["x-kamgraph-delivery"] for r in receiver.requests} == {delivery_id(KEY, "hook")}
    assert [int(r.headers["x-kamgraph-timestamp"]) for r in receiver.requests] == [
        int(a.at.timestamp()) for a in attempts
    ]
    assert box.deliver_due(T0 + timedelta(days=3)).tried == ()
    assert len(receiver.requests) == 3
    box.close()


def test_no_duplicate_after_a_restart(tmp_path: Path, receiver: HttpReceiver, http: httpx.Client) -> None:
    path = tmp_path / "notify.sqlite3"
    with _outbox(path, _channels(("hook", receiver)), http) as box:
        assert len(box.enqueue(ALERT, period="2025-03-01", now=T0)) == 1
        assert box.deliver_due(T0).sent == 1
    # The same alert again, after a restart (its message and evidence changed, its identity did not).
    again = Alert("going_cold", "severe", "acme", "still cold", "c-ann", {"silence_days": 150})
    with _outbox(path, _channels(("hook", receiver)), http) as box:
        assert box.enqueue(again, period="2025-03-01", now=T0 + timedelta(hours=1)) == []
        assert box.deliver_due(T0 + timedelta(hours=1)).tried == ()
        [row] = box.deliveries()
        assert row.status == "sent" and row.alert == ALERT
    assert len(receiver.requests) == 1


def test_a_restart_in_the_middle_of_the_retries_goes_on(
    tmp_path: Path, receiver_factory: ReceiverFactory, http: httpx.Client
) -> None:
    receiver = receiver_factory(responses=[(500, b"down")])
    path = tmp_path / "notify.sqlite3"
    with _outbox(path, _channels(("hook", receiver)), http) as box:
        box.enqueue(ALERT, period="2025-03-01", now=T0)
        box.deliver_due(T0)
    with _outbox(path, _channels(("hook", receiver)), http) as box:
        assert box.deliver_due(T0 + timedelta(seconds=30)).tried == ()
        assert box.deliver_due(T0 + timedelta(minutes=1)).sent == 1
        assert box.delivery(KEY, "hook").attempts == 2
    assert len(receiver.requests) == 2


def test_always_failing_ends_failed_with_the_last_error(
    tmp_path: Path, receiver_factory: ReceiverFactory, http: httpx.Client
) -> None:
    receiver = receiver_factory(responses=[(500, b"first"), (502, b"second")], default=(503, b"third"))
    box = _outbox(tmp_path / "n.sqlite3", _channels(("hook", receiver)), http, retry_delays=(10, 20))
    box.enqueue(ALERT, period="w09", now=T0)
    key = alert_key(ALERT, "w09")
    box.deliver_due(T0)
    box.deliver_due(T0 + timedelta(seconds=10))
    report = box.deliver_due(T0 + timedelta(seconds=30))
    assert report.failed == 1
    row = box.delivery(key, "hook")
    assert row.status == "failed" and row.attempts == 3
    assert row.last_error == "HTTP 503: third"
    assert row.next_attempt_at is None and row.sent_at is None
    assert [a.error for a in box.attempts(key, "hook")] == [
        "HTTP 500: first",
        "HTTP 502: second",
        "HTTP 503: third",
    ]
    assert box.deliver_due(T0 + timedelta(days=30)).tried == ()
    assert len(receiver.requests) == 3
    assert [d.channel_id for d in box.deliveries("failed")] == ["hook"]
    box.close()


def test_the_dedupe_key_is_kind_account_person_period_and_channel(
    tmp_path: Path, receiver_factory: ReceiverFactory, http: httpx.Client
) -> None:
    a, b = receiver_factory(), receiver_factory()
    box = _outbox(tmp_path / "n.sqlite3", _channels(("a", a), ("b", b)), http)
    assert len(box.enqueue(ALERT, period="2025-03-01", now=T0)) == 2  # every channel by default
    assert box.enqueue(ALERT, period="2025-03-01", channel_ids=["a", "a"], now=T0) == []
    assert len(box.enqueue(ALERT, period="2025-03-02", channel_ids=["a"], now=T0)) == 1
    other_person = Alert("going_cold", "warning", "acme", "cold", "c-bob")
    other_account = Alert("going_cold", "warning", "globex", "cold", "c-ann")
    other_kind = Alert("cadence_breach", "warning", "acme", "no visit", "c-ann")
    for alert in (other_person, other_account, other_kind):
        assert len(box.enqueue(alert, period="2025-03-01", channel_ids=["a"], now=T0)) == 1
    assert box.deliver_due(T0).sent == 6
    assert len(a.requests) == 5 and len(b.requests) == 1
    box.close()


def test_one_failing_channel_does_not_hold_up_another(
    tmp_path: Path, receiver_factory: ReceiverFactory, http: httpx.Client
) -> None:
    good, bad = receiver_factory(), receiver_factory(default=(500, b"no"))
    box = _outbox(tmp_path / "n.sqlite3", _channels(("good", good), ("bad", bad)), http)
    box.enqueue(ALERT, period="p", now=T0)
    report = box.deliver_due(T0)
    assert (report.sent, report.retrying) == (1, 1)
    assert {d.channel_id: d.status for d in box.deliveries()} == {"good": "sent", "bad": "pending"}
    box.close()


def test_a_channel_no_longer_configured_is_retried_with_the_reason(
    tmp_path: Path, http: httpx.Client
) -> None:
    box = _outbox(tmp_path / "n.sqlite3", {}, http, retry_delays=(60,))
    box.enqueue(ALERT, period="p", channel_ids=["gone"], now=T0)
    box.deliver_due(T0)
    row = box.delivery(alert_key(ALERT, "p"), "gone")
    assert row.status == "pending" and row.last_error == "channel 'gone' is not configured"
    box.close()


@dataclass(frozen=True)
class _Reentrant(Channel):
    """A channel that, while it sends, runs a second pass over the same file (a concurrent sender)."""

    other: list[Outbox] = field(default_factory=list)
    seen: list[int] = field(default_factory=list)

    def deliver(self, message: Message, *, delivery_id: str, now: datetime, http: httpx.Client) -> None:
        self.seen.append(len(self.other[0].deliver_due(now).tried))


def test_a_second_pass_does_not_send_what_the_first_is_sending(tmp_path: Path, http: httpx.Client) -> None:
    channel = _Reentrant(ChannelConfig(id="x", kind="slack", url="https://hooks.example/x"))
    path = tmp_path / "n.sqlite3"
    first, second = _outbox(path, {"x": channel}, http), _outbox(path, {"x": channel}, http)
    channel.other.append(second)
    first.enqueue(ALERT, period="p", now=T0)
    assert first.deliver_due(T0).sent == 1
    assert channel.seen == [0]  # the concurrent pass found the row claimed
    assert first.delivery(alert_key(ALERT, "p"), "x").attempts == 1
    first.close()
    second.close()


def test_times_must_be_timezone_aware(tmp_path: Path, http: httpx.Client) -> None:
    with _outbox(tmp_path / "n.sqlite3", {}, http) as box, pytest.raises(ValueError, match="timezone-aware"):
        box.enqueue(ALERT, period="p", now=datetime(2025, 3, 1))


def test_the_clock_is_injected(tmp_path: Path, receiver: HttpReceiver, http: httpx.Client) -> None:
    now = [T0]
    box = Outbox(tmp_path / "n.sqlite3", _channels(("hook", receiver)), http=http, clock=lambda: now[0])
    box.enqueue(ALERT, period="p")
    now[0] = T0 + timedelta(minutes=3)
    box.deliver_due()
    [attempt] = box.attempts(alert_key(ALERT, "p"), "hook")
    assert attempt.at == T0 + timedelta(minutes=3) and attempt.ok
    box.close()


def test_an_outbox_in_chinese_delivers_chinese_titles(
    tmp_path: Path, http: httpx.Client, receiver_factory: ReceiverFactory
) -> None:
    receiver = receiver_factory(responses=[])
    configs = [ChannelConfig(id="sl", kind="slack", url=f"{receiver.url}/services/T/B/x")]
    box = Outbox(
        tmp_path / "n.sqlite3",
        build_channels(configs),
        http=http,
        base_url="https://kam.example",
        locale="zh-CN",
    )
    box.enqueue(ALERT, period="2025-03-01", account_name="Acme", now=T0)
    assert box.deliver_due(T0).sent == 1
    body = receiver.requests[0].json()
    assert body["text"].startswith("【警告】关系降温：Acme")
