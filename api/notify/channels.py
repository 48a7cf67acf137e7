"""Delivery channels: each one turns a :class:`~api.notify.messages.Message` into its exact request.

Every HTTP channel has a pure ``request(message, delivery_id=..., now=...)`` that builds the
:class:`HttpRequest` (URL, headers, JSON body) and a ``deliver`` that posts it with ``httpx`` and
checks the answer. The formats, and where each is documented, are in ``docs/alerts.md``:

* ``webhook`` (:class:`WebhookChannel`): kamgraph's own JSON body, signed
  ``X-Kamgraph-Signature: sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`` with the
  ``X-Kamgraph-Timestamp`` (Unix seconds) and an idempotency key ``X-Kamgraph-Delivery``;
* ``slack`` (:class:`SlackChannel`): a Slack incoming webhook, ``{"text": ..., "blocks": [...]}``;
* ``teams`` (:class:`TeamsChannel`): a Microsoft Teams incoming webhook, an Adaptive Card in a
  ``message`` attachment (or a legacy ``MessageCard``);
* ``wecom`` (:class:`WeComChannel`): a WeCom group robot, ``{"msgtype": "markdown", ...}``;
* ``dingtalk`` (:class:`DingTalkChannel`): a DingTalk custom robot, signed in the URL;
* ``feishu`` (:class:`FeishuChannel`): a Feishu/Lark custom bot, signed in the body;
* ``email`` (:class:`EmailChannel`): an :class:`email.message.EmailMessage` with a plain-text and
  an HTML part, sent with :mod:`smtplib`.

Examples
--------
>>> from datetime import UTC, datetime
>>> from graph.analysis.alerts import Alert
>>> from api.notify.messages import render
>>> channel = build_channel(ChannelConfig(id="hook", kind="webhook", url="https://h.example/in", secret="s"))
>>> now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
>>> req = channel.request(render(Alert("health", "severe", "acme", "red")), delivery_id="d1", now=now)
>>> req.headers["X-Kamgraph-Timestamp"], req.headers["X-Kamgraph-Delivery"]
('1735787045', 'd1')
>>> req.headers["X-Kamgraph-Signature"] == webhook_signature("s", "1735787045", req.body)
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import ssl
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote_plus

import httpx

from api.notify.config import ChannelConfig, SmtpConfig
from api.notify.messages import Message

__all__ = [
    "USER_AGENT",
    "Channel",
    "DeliveryError",
    "DingTalkChannel",
    "EmailChannel",
    "FeishuChannel",
    "HttpChannel",
    "HttpRequest",
    "SlackChannel",
    "TeamsChannel",
    "WeComChannel",
    "WebhookChannel",
    "build_channel",
    "build_channels",
    "derived_channel",
    "dingtalk_sign",
    "feishu_sign",
    "personal_channel_id",
    "webhook_signature",
]

USER_AGENT = "kamgraph-notify/1"
#: WeCom refuses markdown content longer than this many bytes (UTF-8).
WECOM_MARKDOWN_MAX_BYTES = 4096
#: Slack refuses a header block longer than this many characters.
SLACK_HEADER_MAX = 150


class DeliveryError(Exception):
    """A delivery attempt failed: the message says why (kept as the outbox's last error)."""


@dataclass(frozen=True)
class HttpRequest:
    """One HTTP request, exactly as it is sent (the body is the signed bytes)."""

    url: str
    headers: Mapping[str, str]
    body: bytes
    method: str = "POST"

    def json(self) -> Any:
        """The body, parsed."""
        return json.loads(self.body)


def _json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def _json_headers(**extra: str) -> dict[str, str]:
    return {"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **extra}


# -- signatures -----------------------------------------------------------------------------------


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``"{timestamp}.{body}"`` keyed with ``secret``.

    Examples
    --------
    >>> expected = hmac.new(b"secret", b'1700000000.{"a":1}', hashlib.sha256).hexdigest()
    >>> webhook_signature("secret", "1700000000", b'{"a":1}') == "sha256=" + expected
    True
    """
    signed = timestamp.encode("ascii") + b"." + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's ``sign``: base64 of HMAC-SHA256 keyed with ``secret`` over ``"{timestamp}\\n{secret}"``.

    The value is returned as base64; it goes URL-encoded into the webhook's query string.

    Examples
    --------
    >>> dingtalk_sign("secret", 1700000000000)
    'OuzzJR5+xZ4/EYwqtNt6sMYZQMTa/HEGvc9miJe7XzY='
    """
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's ``sign``: base64 of HMAC-SHA256 keyed with ``"{timestamp}\\n{secret}"`` over nothing.

    Examples
    --------
    >>> len(feishu_sign("secret", 1700000000))
    44
    """
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


# -- channels -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Channel(ABC):
    """A configured channel. ``deliver`` sends one message or raises :class:`DeliveryError`."""

    config: ChannelConfig

    @property
    def id(self) -> str:
        """The channel's id."""
        return self.config.id

    @property
    def kind(self) -> str:
        """The channel's kind."""
        return self.config.kind

    @property
    def recipient(self) -> str | None:
        """Whom its messages greet (``None``: a group chat, no greeting)."""
        return None

    @abstractmethod
    def deliver(self, message: Message, *, delivery_id: str, now: datetime, http: httpx.Client) -> None:
        """Send ``message``; raise :class:`DeliveryError` when it was not accepted."""


def _secret(config: ChannelConfig) -> str:
    return config.secret.get_secret_value() if config.secret is not None else ""


@dataclass(frozen=True)
class HttpChannel(Channel):
    """A channel that posts one JSON request per message."""

    @abstractmethod
    def request(self, message: Message, *, delivery_id: str, now: datetime) -> HttpRequest:
        """The exact request for ``message`` at ``now``."""

    def check(self, response: httpx.Response) -> None:
        """Raise :class:`DeliveryError` unless ``response`` says the message was accepted."""
        if not response.is_success:
            raise DeliveryError(f"HTTP {response.status_code}: {response.text[:300]}")

    def deliver(self, message: Message, *, delivery_id: str, now: datetime, http: httpx.Client) -> None:
        """Post the request and check the answer."""
        request = self.request(message, delivery_id=delivery_id, now=now)
        try:
            response = http.request(
                request.method, request.url, headers=request.headers, content=request.body
            )
        except httpx.HTTPError as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        self.check(response)


def _check_code(response: httpx.Response, field_name: str, message_field: str) -> None:
    """For the chat robots that answer HTTP 200 with an error code in the body."""
    if not response.is_success:
        raise DeliveryError(f"HTTP {response.status_code}: {response.text[:300]}")
    try:
        answer = response.json()
    except ValueError:
        raise DeliveryError(
            f"HTTP {response.status_code} with a body that is not JSON: {response.text[:300]}"
        ) from None
    code = answer.get(field_name) if isinstance(answer, dict) else None
    if code not in (0, None):
        raise DeliveryError(f"{field_name} {code}: {answer.get(message_field, '')}")


@dataclass(frozen=True)
class WebhookChannel(HttpChannel):
    """kamgraph's generic webhook: the alert as JSON, signed with the channel's secret.

    Headers: ``X-Kamgraph-Timestamp`` (Unix seconds), ``X-Kamgraph-Signature`` (``sha256=`` and
    the hex HMAC-SHA256 of ``"{timestamp}.{raw body}"``), ``X-Kamgraph-Delivery`` (the same for
    every retry of one delivery: a receiver drops a repeat it has seen).
    """

    def payload(self, message: Message, *, delivery_id: str, now: datetime) -> dict[str, Any]:
        """The JSON body."""
        alert = message.alert
        return {
            "event": "alert",
            "delivery_id": delivery_id,
            "sent_at": now.isoformat(),
            "title": message.title,
            "text": message.summary,
            "link": message.link,
            "account": {"id": alert.account_id, "name": message.account_name},
            "alert": alert.to_payload(),
        }

    def request(self, message: Message, *, delivery_id: str, now: datetime) -> HttpRequest:
        """The signed request."""
        body = _json_bytes(self.payload(message, delivery_id=delivery_id, now=now))
        timestamp = str(int(now.timestamp()))
        headers = _json_headers(
            **{
                "X-Kamgraph-Timestamp": timestamp,
                "X-Kamgraph-Signature": webhook_signature(_secret(self.config), timestamp, body),
                "X-Kamgraph-Delivery": delivery_id,
                "X-Kamgraph-Event": "alert",
            }
        )
        return HttpRequest(self.config.endpoint, headers, body)


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class SlackChannel(HttpChannel):
    """A Slack(-compatible) incoming webhook: ``text`` (the notification fallback) and Block Kit
    ``blocks`` (header, the alert, its facts, a button to the account)."""

    def payload(self, message: Message) -> dict[str, Any]:
        """The JSON body."""
        header = message.title if len(message.title) <= SLACK_HEADER_MAX else message.title[:149] + "…"
        fields = [
            {"type": "mrkdwn", "text": f"*{_slack_escape(label)}*\n{_slack_escape(value)}"}
            for label, value in message.facts[:10]  # a section holds at most 10 fields
        ]
        return {
            "text": f"{message.title}: {message.summary}",
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": header}},
                {"type": "section", "text": {"type": "mrkdwn", "text": _slack_escape(message.summary)}},
                {"type": "section", "fields": fields},
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "text": {"type": "plain_text", "text": "Open the account"},
                            "url": message.link,
                        }
                    ],
                },
            ],
        }

    def request(self, message: Message, *, delivery_id: str, now: datetime) -> HttpRequest:
        """The request (Slack signs nothing: the URL is the credential)."""
        return HttpRequest(self.config.endpoint, _json_headers(), _json_bytes(self.payload(message)))


_TEAMS_COLOURS = {"severe": "Attention", "warning": "Warning", "info": "Default"}
_HEX_COLOURS = {"severe": "D13438", "warning": "F7630C", "info": "0078D4"}


@dataclass(frozen=True)
class TeamsChannel(HttpChannel):
    """A Microsoft Teams incoming webhook: an Adaptive Card (``format: adaptive``, the default) in a
    ``message`` with one ``application/vnd.microsoft.card.adaptive`` attachment, or a legacy
    Office 365 connector ``MessageCard`` (``format: messagecard``)."""

    def payload(self, message: Message) -> dict[str, Any]:
        """The JSON body."""
        if self.config.message_format == "messagecard":
            return {
                "@type": "MessageCard",
                "@context": "http://schema.org/extensions",
                "themeColor": _HEX_COLOURS.get(message.severity, "0078D4"),
                "summary": message.title,
                "title": message.title,
                "text": message.summary,
                "sections": [{"facts": [{"name": k, "value": v} for k, v in message.facts]}],
                "potentialAction": [
                    {
                        "@type": "OpenUri",
                        "name": "Open the account",
                        "targets": [{"os": "default", "uri": message.link}],
                    }
                ],
            }
        card = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.2",
            "body": [
                {
                    "type": "TextBlock",
                    "text": message.title,
                    "weight": "Bolder",
                    "size": "Medium",
                    "color": _TEAMS_COLOURS.get(message.severity, "Default"),
                    "wrap": True,
                },
                {"type": "TextBlock", "text": message.summary, "wrap": True},
                {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in message.facts]},
            ],
            "actions": [{"type": "Action.OpenUrl", "title": "Open the account", "url": message.link}],
        }
        return {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": None,
                    "content": card,
                }
            ],
        }

    def request(self, message: Message, *, delivery_id: str, now: datetime) -> HttpRequest:
        """The request (the URL is the credential)."""
        return HttpRequest(self.config.endpoint, _json_headers(), _json_bytes(self.payload(message)))


def _markdown_lines(message: Message, *, heading: str) -> list[str]:
    lines = [f"{heading} {message.title}", message.summary]
    lines += [f"> **{label}**: {value}" for label, value in message.facts]
    lines.append(f"[Open the account]({message.link})")
    return lines


def _truncate_utf8(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - 3].decode("utf-8", errors="ignore") + "…"


@dataclass(frozen=True)
class WeComChannel(HttpChannel):
    """A WeCom (企业微信) group robot: ``{"msgtype": "markdown", "markdown": {"content": ...}}``
    posted to ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY`` (the key is the
    credential; no signature). WeCom answers ``{"errcode": 0, ...}`` when it took the message."""

    def payload(self, message: Message) -> dict[str, Any]:
        """The JSON body (content cut to WeCom's 4096 bytes)."""
        colour = "comment" if message.severity == "info" else "warning"
        lines = _markdown_lines(message, heading="###")
        lines[0] = f'### <font color="{colour}">{message.title}</font>'
        content = _truncate_utf8("\n".join(lines), WECOM_MARKDOWN_MAX_BYTES)
        return {"msgtype": "markdown", "markdown": {"content": content}}

    def request(self, message: Message, *, delivery_id: str, now: datetime) -> HttpRequest:
        """The request."""
        return HttpRequest(self.config.endpoint, _json_headers(), _json_bytes(self.payload(message)))

    def check(self, response: httpx.Response) -> None:
        """HTTP 2xx and ``errcode`` 0."""
        _check_code(response, "errcode", "errmsg")


@dataclass(frozen=True)
class DingTalkChannel(HttpChannel):
    """A DingTalk (钉钉) custom robot with the "加签" security setting: ``timestamp`` (Unix
    milliseconds) and ``sign`` (:func:`dingtalk_sign`, URL-encoded) are added to the webhook URL's
    query; the body is ``{"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}``.
    DingTalk answers ``{"errcode": 0, ...}`` when it took the message."""

    def payload(self, message: Message) -> dict[str, Any]:
        """The JSON body (``title`` is what the conversation list shows)."""
        text = "\n\n".join(_markdown_lines(message, heading="####"))
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}

    def signed_url(self, now: datetime) -> str:
        """The webhook URL with ``timestamp`` and ``sign`` appended."""
        timestamp = int(now.timestamp() * 1000)
        sign = quote_plus(dingtalk_sign(_secret(self.config), timestamp))
        url = self.config.endpoint
        separator = "&" if "?" in url else "?"
        return f"{url}{separator}timestamp={timestamp}&sign={sign}"

    def request(self, message: Message, *, delivery_id: str, now: datetime) -> HttpRequest:
        """The signed request."""
        return HttpRequest(self.signed_url(now), _json_headers(), _json_bytes(self.payload(message)))

    def check(self, response: httpx.Response) -> None:
        """HTTP 2xx and ``errcode`` 0."""
        _check_code(response, "errcode", "errmsg")


_FEISHU_TEMPLATES = {"severe": "red", "warning": "orange", "info": "blue"}


@dataclass(frozen=True)
class FeishuChannel(HttpChannel):
    """A Feishu/Lark (飞书) custom bot with signature verification: ``timestamp`` (Unix seconds, as a
    string) and ``sign`` (:func:`feishu_sign`) go into the JSON body beside ``msg_type`` —
    ``interactive`` (a card, the default) or ``text``. Feishu answers ``{"code": 0, ...}``."""

    def payload(self, message: Message, *, now: datetime) -> dict[str, Any]:
        """The signed JSON body."""
        timestamp = int(now.timestamp())
        signed: dict[str, Any] = {
            "timestamp": str(timestamp),
            "sign": feishu_sign(_secret(self.config), timestamp),
        }
        if self.config.message_format == "text":
            return {**signed, "msg_type": "text", "content": {"text": message.text}}
        facts = "\n".join(f"**{label}**: {value}" for label, value in message.facts)
        card = {
            "header": {
                "title": {"tag": "plain_text", "content": message.title},
                "template": _FEISHU_TEMPLATES.get(message.severity, "blue"),
            },
            "elements": [
                {"tag": "div", "text": {"tag": "lark_md", "content": message.summary}},
                {"tag": "div", "text": {"tag": "lark_md", "content": facts}},
                {
                    "tag": "action",
                    "actions": [
                        {
                            "tag": "button",
                            "text": {"tag": "plain_text", "content": "Open the account"},
                            "url": message.link,
                            "type": "primary",
                        }
                    ],
                },
            ],
        }
        return {**signed, "msg_type": "interactive", "card": card}

    def request(self, message: Message, *, delivery_id: str, now: datetime) -> HttpRequest:
        """The signed request."""
        return HttpRequest(self.config.endpoint, _json_headers(), _json_bytes(self.payload(message, now=now)))

    def check(self, response: httpx.Response) -> None:
        """HTTP 2xx and ``code`` 0."""
        _check_code(response, "code", "msg")


@dataclass(frozen=True)
class EmailChannel(Channel):
    """E-mail to the channel's recipients over SMTP (:class:`~api.notify.config.SmtpConfig`).

    The message has a plain-text part and an HTML alternative; its ``Message-ID`` comes from the
    delivery id, so a retried delivery carries the same id.
    """

    smtp: SmtpConfig = field(default_factory=SmtpConfig)

    @property
    def recipient(self) -> str | None:
        """The recipients, as the greeting names them."""
        return ", ".join(self.config.recipients)

    def email(self, message: Message, *, delivery_id: str, now: datetime) -> EmailMessage:
        """The e-mail for ``message``."""
        mail = EmailMessage()
        mail["Subject"] = message.title
        mail["From"] = self.smtp.sender
        mail["To"] = ", ".join(self.config.recipients)
        mail["Date"] = format_datetime(now)
        mail["Message-ID"] = f"<{delivery_id}@kamgraph>"
        mail["X-Kamgraph-Delivery"] = delivery_id
        mail["X-Kamgraph-Severity"] = message.severity
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        return mail

    def _connect(self) -> smtplib.SMTP:
        smtp = self.smtp
        if not smtp.host:
            raise DeliveryError("no SMTP server configured (KAMGRAPH_SMTP_HOST)")
        context = ssl.create_default_context(cafile=str(smtp.ca_file) if smtp.ca_file else None)
        if smtp.security == "ssl":
            return smtplib.SMTP_SSL(smtp.host, smtp.effective_port, timeout=smtp.timeout, context=context)
        client = smtplib.SMTP(smtp.host, smtp.effective_port, timeout=smtp.timeout)
        if smtp.security == "starttls":
            try:
                client.starttls(context=context)
            except BaseException:
                client.close()
                raise
        return client

    def deliver(self, message: Message, *, delivery_id: str, now: datetime, http: httpx.Client) -> None:
        """Send the e-mail (log in first when a user is configured)."""
        mail = self.email(message, delivery_id=delivery_id, now=now)
        try:
            with self._connect() as client:
                if self.smtp.user:
                    client.login(self.smtp.user, self.smtp.password.get_secret_value())
                refused = client.send_message(mail)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
        if refused:
            raise DeliveryError(f"recipients refused: {', '.join(sorted(refused))}")


_KINDS: dict[str, type[HttpChannel]] = {
    "webhook": WebhookChannel,
    "slack": SlackChannel,
    "teams": TeamsChannel,
    "wecom": WeComChannel,
    "dingtalk": DingTalkChannel,
    "feishu": FeishuChannel,
}


def build_channel(config: ChannelConfig, smtp: SmtpConfig | None = None) -> Channel:
    """The channel ``config`` describes (``smtp`` is used by e-mail channels).

    Examples
    --------
    >>> build_channel(ChannelConfig(id="w", kind="wecom", key="k")).config.endpoint
    'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k'
    """
    if config.kind == "email":
        return EmailChannel(config, smtp or SmtpConfig())
    return _KINDS[config.kind](config)


def build_channels(configs: Iterable[ChannelConfig], smtp: SmtpConfig | None = None) -> dict[str, Channel]:
    """The channels by id (ids must be unique)."""
    channels: dict[str, Channel] = {}
    for config in configs:
        if config.id in channels:
            raise ValueError(f"two channels are named {config.id!r}")
        channels[config.id] = build_channel(config, smtp)
    return channels


def personal_channel_id(email_channel_id: str, address: str) -> str:
    """The outbox channel id of one person's mail sent through an e-mail channel:
    ``"{email channel id}:{address}"`` (the escalation of the alert inbox uses it).

    Examples
    --------
    >>> personal_channel_id("mail", "ann@kam.example")
    'mail:ann@kam.example'
    """
    return f"{email_channel_id}:{address}"


def derived_channel(channels: Mapping[str, Channel], channel_id: str) -> Channel | None:
    """The channel of a :func:`personal_channel_id`: the e-mail channel it names, sent to the one
    address only (``None`` when ``channel_id`` is not one).

    Examples
    --------
    >>> mail = build_channel(ChannelConfig(id="mail", kind="email", recipients=["team@kam.example"]))
    >>> derived_channel({"mail": mail}, "mail:ann@kam.example").config.recipients
    ('ann@kam.example',)
    >>> derived_channel({"mail": mail}, "other:ann@kam.example") is None
    True
    """
    base, sep, address = channel_id.rpartition(":")
    channel = channels.get(base) if sep else None
    if not isinstance(channel, EmailChannel) or "@" not in address:
        return None
    config = channel.config.model_copy(update={"id": channel_id, "recipients": (address,)})
    return EmailChannel(config, channel.smtp)
