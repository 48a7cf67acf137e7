"""Configuration records of the delivery channels and of the SMTP server, validated with pydantic.

:class:`api.settings.Settings` reads them from the environment: ``KAMGRAPH_NOTIFY_CHANNELS`` is a
JSON list of :class:`ChannelConfig` objects, ``KAMGRAPH_SMTP_*`` fill :class:`SmtpConfig`.

Examples
--------
>>> ChannelConfig(id="ops", kind="slack", url="https://hooks.example/T/B/x").kind
'slack'
>>> ChannelConfig(id="ding", kind="dingtalk", url="https://oapi.example/robot/send?access_token=t")
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for ChannelConfig
  Value error, channel 'ding' (dingtalk) needs a secret: kamgraph signs every dingtalk request ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

__all__ = [
    "CHANNEL_KINDS",
    "DEFAULT_ESCALATION",
    "DEFAULT_RETRY_DELAYS",
    "ESCALATION_ROLES",
    "FORMATS",
    "SIGNED_KINDS",
    "ChannelConfig",
    "SmtpConfig",
]

#: Every kind of channel, in the order the docs list them.
CHANNEL_KINDS: tuple[str, ...] = ("webhook", "slack", "teams", "wecom", "dingtalk", "feishu", "email")
#: Kinds whose requests kamgraph signs with the channel's secret (so the secret is required).
SIGNED_KINDS: frozenset[str] = frozenset({"webhook", "dingtalk", "feishu"})
#: Message formats a kind offers, the default first.
FORMATS: dict[str, tuple[str, ...]] = {
    "teams": ("adaptive", "messagecard"),
    "feishu": ("interactive", "text"),
}
#: Seconds to wait after the 1st, 2nd, ... failed attempt: 1 min, 5 min, 30 min, 2 h, then failed.
DEFAULT_RETRY_DELAYS: tuple[float, ...] = (60.0, 300.0, 1800.0, 7200.0)

#: Who each escalation step of the alert inbox notifies, in order.
ESCALATION_ROLES: tuple[str, ...] = ("owner", "manager", "leadership")
#: Days after an alert opened when each step (owner, manager, leadership) is due, per severity.
DEFAULT_ESCALATION: dict[str, tuple[int, ...]] = {"severe": (0, 2, 5), "warning": (0, 7, 14), "info": (0,)}

#: Where a WeCom group robot posts when only its ``key`` is given.
WECOM_SEND_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"


class ChannelConfig(BaseModel):
    """One delivery channel: where alerts go and how they are signed.

    ``kind`` is one of :data:`CHANNEL_KINDS`. HTTP kinds need ``url`` (a WeCom robot may give its
    ``key`` instead); the signed kinds (:data:`SIGNED_KINDS`) need ``secret``; ``email`` needs
    ``recipients`` (addresses) and the SMTP settings. ``format`` picks the message shape where a
    kind has several (:data:`FORMATS`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, description="Stable name of the channel (the outbox keys on it).")
    kind: str = Field(description="webhook, slack, teams, wecom, dingtalk, feishu or email.")
    url: str | None = Field(default=None, description="Webhook URL (HTTP kinds).")
    secret: SecretStr | None = Field(default=None, description="Signing secret (webhook, dingtalk, feishu).")
    key: str | None = Field(default=None, description="WeCom robot key, when no url is given.")
    recipients: tuple[str, ...] = Field(default=(), description="E-mail addresses (email).")
    format: str | None = Field(default=None, description="Message shape (teams, feishu).")

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in CHANNEL_KINDS:
            raise ValueError(f"unknown channel kind {value!r} (one of: {', '.join(CHANNEL_KINDS)})")
        return value

    @model_validator(mode="after")
    def _complete(self) -> ChannelConfig:
        label = f"channel {self.id!r} ({self.kind})"
        if self.kind == "email":
            if not self.recipients:
                raise ValueError(f"{label} needs recipients (a list of e-mail addresses)")
            bad = [r for r in self.recipients if "@" not in r]
            if bad:
                raise ValueError(f"{label}: {', '.join(map(repr, bad))} is not an e-mail address")
        elif self.kind == "wecom":
            if not self.url and not self.key:
                raise ValueError(f"{label} needs a url (or the robot's key)")
        elif not self.url:
            raise ValueError(f"{label} needs a url")
        if self.url and not self.url.startswith(("https://", "http://")):
            raise ValueError(f"{label}: url {self.url!r} is not an http(s) URL")
        if self.kind in SIGNED_KINDS and (self.secret is None or not self.secret.get_secret_value()):
            raise ValueError(f"{label} needs a secret: kamgraph signs every {self.kind} request with it")
        formats = FORMATS.get(self.kind, ())
        if self.format is not None and self.format not in formats:
            allowed = f"one of: {', '.join(formats)}" if formats else "this kind has a single format"
            raise ValueError(f"{label}: unknown format {self.format!r} ({allowed})")
        return self

    @property
    def endpoint(self) -> str:
        """The URL requests go to (a WeCom key becomes the robot's send URL)."""
        if self.url:
            return self.url
        if self.kind == "wecom" and self.key:
            return f"{WECOM_SEND_URL}?key={self.key}"
        return ""

    @property
    def message_format(self) -> str | None:
        """``format``, or the kind's default (``None`` for kinds with one shape)."""
        formats = FORMATS.get(self.kind)
        return self.format or (formats[0] if formats else None)


class SmtpConfig(BaseModel):
    """How e-mail leaves: the server, its security and the optional login.

    ``security`` is ``starttls`` (plain connection upgraded with STARTTLS), ``ssl`` (TLS from the
    first byte, SMTPS) or ``none``; the port defaults to 587, 465 and 25 respectively. A login is
    made when ``user`` is set. ``ca_file`` adds a certificate authority to trust (a private relay).

    Examples
    --------
    >>> SmtpConfig(host="mail.example", security="ssl").effective_port
    465
    """

    model_config = ConfigDict(frozen=True)

    host: str | None = None
    port: int | None = Field(default=None, ge=1, le=65535)
    user: str | None = None
    password: SecretStr = SecretStr("")
    sender: str = "kamgraph@localhost"
    security: Literal["starttls", "ssl", "none"] = "starttls"
    timeout: float = Field(default=30.0, gt=0)
    ca_file: Path | None = None

    @property
    def effective_port(self) -> int:
        """``port``, or the usual port of ``security``."""
        if self.port is not None:
            return self.port
        return {"starttls": 587, "ssl": 465, "none": 25}[self.security]
