"""Channel and SMTP settings from the environment, and the errors a bad channel gets."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from api.settings import Settings


def _settings(monkeypatch: pytest.MonkeyPatch, channels: object, **env: str) -> Settings:
    monkeypatch.setenv("KAMGRAPH_NOTIFY_CHANNELS", json.dumps(channels))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_channels_and_smtp_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(
        monkeypatch,
        [
            {"id": "hook", "kind": "webhook", "url": "https://in.example/kam", "secret": "s"},
            {
                "id": "ding",
                "kind": "dingtalk",
                "url": "https://oapi.example/robot/send?access_token=t",
                "secret": "SEC1",
            },
            {"id": "wx", "kind": "wecom", "key": "k"},
            {"id": "mail", "kind": "email", "recipients": ["lead@kam.example"]},
        ],
        KAMGRAPH_SMTP_HOST="mail.kam.example",
        KAMGRAPH_SMTP_SECURITY="ssl",
        KAMGRAPH_SMTP_USER="kam",
        KAMGRAPH_SMTP_PASSWORD="pw",
        KAMGRAPH_SMTP_FROM="alerts@kam.example",
        KAMGRAPH_NOTIFY_RETRY_DELAYS="[30, 60]",
    )
    assert [c.id for c in settings.notify_channels] == ["hook", "ding", "wx", "mail"]
    assert settings.notify_channels[2].endpoint == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"
    smtp = settings.smtp
    assert (smtp.host, smtp.effective_port, smtp.user, smtp.sender) == (
        "mail.kam.example",
        465,
        "kam",
        "alerts@kam.example",
    )
    assert smtp.password.get_secret_value() == "pw"
    assert settings.notify_retry_delays == [30, 60]
    assert "pw" not in repr(settings) and "SEC1" not in repr(settings)


@pytest.mark.parametrize(
    ("channel", "error"),
    [
        (
            {"id": "x", "kind": "pager", "url": "https://x"},
            "unknown channel kind 'pager' (one of: webhook, slack",
        ),
        ({"id": "x", "kind": "slack"}, "channel 'x' (slack) needs a url"),
        ({"id": "x", "kind": "webhook", "url": "https://x"}, "channel 'x' (webhook) needs a secret"),
        ({"id": "x", "kind": "dingtalk", "url": "https://x"}, "channel 'x' (dingtalk) needs a secret"),
        (
            {"id": "x", "kind": "feishu", "url": "https://x", "secret": ""},
            "channel 'x' (feishu) needs a secret",
        ),
        ({"id": "x", "kind": "wecom"}, "channel 'x' (wecom) needs a url (or the robot's key)"),
        ({"id": "x", "kind": "email"}, "channel 'x' (email) needs recipients"),
        ({"id": "x", "kind": "email", "recipients": ["nobody"]}, "'nobody' is not an e-mail address"),
        ({"id": "x", "kind": "teams", "url": "ftp://x"}, "url 'ftp://x' is not an http(s) URL"),
        (
            {"id": "x", "kind": "teams", "url": "https://x", "format": "card"},
            "unknown format 'card' (one of: adaptive",
        ),
        ({"id": "x", "kind": "slack", "url": "https://x", "colour": "red"}, "colour"),
    ],
)
def test_a_bad_channel_is_refused_clearly(
    monkeypatch: pytest.MonkeyPatch, channel: dict[str, object], error: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _settings(monkeypatch, [channel])
    assert error in str(caught.value)


def test_duplicate_ids_and_email_without_smtp_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    twice = [
        {"id": "a", "kind": "slack", "url": "https://x"},
        {"id": "a", "kind": "teams", "url": "https://y"},
    ]
    with pytest.raises(ValidationError, match="two channels are named 'a'"):
        _settings(monkeypatch, twice)
    monkeypatch.delenv("KAMGRAPH_SMTP_HOST", raising=False)
    with pytest.raises(ValidationError, match=r"channel 'm' \(email\) needs KAMGRAPH_SMTP_HOST"):
        _settings(monkeypatch, [{"id": "m", "kind": "email", "recipients": ["a@b.example"]}])
