"""``kamgraph notify test`` and ``kamgraph notify send-due``, run for real against loopback receivers."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import EXIT_INPUT, app
from api.notify.channels import build_channels
from api.notify.config import ChannelConfig
from api.notify.outbox import OUTBOX_FILE, Outbox, alert_key
from graph.analysis.alerts import Alert
from tests.api.notify.receivers import HttpReceiver, ReceiverFactory


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("KAMGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _configure(monkeypatch: pytest.MonkeyPatch, *channels: dict[str, object]) -> None:
    monkeypatch.setenv("KAMGRAPH_NOTIFY_CHANNELS", json.dumps(list(channels)))


def test_notify_test_sends_a_signed_test_message(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, receiver: HttpReceiver
) -> None:
    _configure(monkeypatch, {"id": "hook", "kind": "webhook", "url": f"{receiver.url}/in", "secret": "s"})
    result = runner.invoke(app, ["notify", "test", "--channel", "hook"])
    assert result.exit_code == 0, result.output
    assert "test message sent through channel 'hook' (webhook)" in result.output
    [got] = receiver.requests
    signed = got.headers["x-kamgraph-timestamp"].encode() + b"." + got.body
    assert (
        got.headers["x-kamgraph-signature"] == "sha256=" + hmac.new(b"s", signed, hashlib.sha256).hexdigest()
    )
    assert got.json()["alert"]["kind"] == "test"


def test_notify_test_reports_a_refusal_and_an_unknown_channel(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, receiver_factory: ReceiverFactory
) -> None:
    receiver = receiver_factory(default=(200, b'{"errcode":310000,"errmsg":"keywords not in content"}'))
    _configure(
        monkeypatch, {"id": "ding", "kind": "dingtalk", "url": f"{receiver.url}/send", "secret": "SEC"}
    )
    refused = runner.invoke(app, ["notify", "test", "--channel", "ding"])
    assert refused.exit_code == EXIT_INPUT
    assert "not delivered: errcode 310000: keywords not in content" in refused.output
    unknown = runner.invoke(app, ["notify", "test", "--channel", "nope"])
    assert unknown.exit_code == EXIT_INPUT
    assert "no channel 'nope' (channels: ding)" in unknown.output
    assert "Traceback" not in unknown.output


def test_bad_channel_settings_end_with_a_message(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    _configure(monkeypatch, {"id": "x", "kind": "feishu", "url": "https://open.example/hook"})
    result = runner.invoke(app, ["notify", "send-due"])
    assert result.exit_code == EXIT_INPUT
    assert "bad settings:" in result.output
    assert "channel 'x' (feishu) needs a secret" in result.output
    monkeypatch.setenv("KAMGRAPH_NOTIFY_CHANNELS", "[{not json")
    result = runner.invoke(app, ["notify", "send-due"])
    assert result.exit_code == EXIT_INPUT and "bad settings" in result.output
    assert "Traceback" not in result.output


def test_notify_send_due_runs_one_pass(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, receiver_factory: ReceiverFactory
) -> None:
    good, bad = receiver_factory(), receiver_factory(default=(500, b"down"))
    channels = [
        {"id": "slack", "kind": "slack", "url": f"{good.url}/services/x"},
        {"id": "teams", "kind": "teams", "url": f"{bad.url}/webhookb2/y"},
    ]
    _configure(monkeypatch, *channels)
    alert = Alert("cadence_breach", "warning", "acme", "no exec visit for 120 days")
    configs = [ChannelConfig.model_validate(c) for c in channels]
    earlier = datetime.now(UTC) - timedelta(minutes=1)
    with Outbox(tmp_path / "data" / OUTBOX_FILE, build_channels(configs)) as box:
        box.enqueue(alert, period="2025-03-01", account_name="Acme", now=earlier)

    result = runner.invoke(app, ["notify", "send-due"])
    assert result.exit_code == 0, result.output
    assert "1 sent, 1 to retry, 0 failed; 1 pending in all" in result.output
    assert "teams: cadence_breach acme: pending after 1 attempt(s): HTTP 500: down" in result.output
    assert len(good.requests) == 1 and len(bad.requests) == 1
    assert good.requests[0].json()["text"].startswith("[WARNING] Cadence breach: Acme")

    again = runner.invoke(app, ["notify", "send-due"])  # nothing due: the retry waits a minute
    assert "0 sent, 0 to retry, 0 failed; 1 pending in all" in again.output
    assert len(good.requests) == 1 and len(bad.requests) == 1
    with Outbox(tmp_path / "data" / OUTBOX_FILE, {}) as box:
        assert box.delivery(alert_key(alert, "2025-03-01"), "slack").status == "sent"
