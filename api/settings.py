"""kamgraph settings, read from the environment (and an optional ``.env`` file).

Examples
--------
>>> Settings(data_dir="/tmp/kg").store_backend
'sqlite'
>>> Settings(neo4j_uri="neo4j://db:7687").store_backend
'neo4j'
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from api.notify.config import (
    DEFAULT_ESCALATION,
    DEFAULT_RETRY_DELAYS,
    ESCALATION_ROLES,
    ChannelConfig,
    SmtpConfig,
)
from graph.store import GraphStore

__all__ = ["Settings", "get_settings"]


class Settings(BaseSettings):
    """Every setting of kamgraph. Environment variables are upper-case, prefixed ``KAMGRAPH_``,
    except the Neo4j ones, which use Neo4j's usual ``NEO4J_*`` names."""

    model_config = SettingsConfigDict(env_prefix="KAMGRAPH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Folder of the embedded store.")
    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI", "neo4j_uri"))
    neo4j_user: str = Field(default="neo4j", validation_alias=AliasChoices("NEO4J_USER", "neo4j_user"))
    neo4j_password: SecretStr = Field(
        default=SecretStr(""), validation_alias=AliasChoices("NEO4J_PASSWORD", "neo4j_password")
    )
    neo4j_database: str = Field(
        default="neo4j", validation_alias=AliasChoices("NEO4J_DATABASE", "neo4j_database")
    )
    staff_email_domains: list[str] = Field(
        default_factory=list, description="Email domains of our own people (mail/calendar import)."
    )
    environment: str = Field(default="development", description="development or production.")
    service_role: str = Field(
        default="leadership",
        description="Role a bare `service` API token is scoped like (account_manager, leadership or admin).",
    )
    max_query_depth: int = Field(default=10, ge=1, description="Deepest GraphQL selection allowed.")
    max_aliases: int = Field(default=30, ge=0, description="Most aliases in one GraphQL document.")
    max_tokens: int = Field(default=2000, ge=10, description="Most tokens in one GraphQL document.")
    result_cache_size: int = Field(
        default=64, ge=0, description="Relationship maps and analysis details kept per API process (0: none)."
    )
    summary_cache_size: int = Field(
        default=4096, ge=0, description="Account summaries kept per API process (0: none)."
    )
    lookup_cache_seconds: float = Field(
        default=1.0,
        ge=0,
        description="How long an API process reuses a token lookup and the reference date "
        "(0: look both up on every request). A revoked token stops working within this time.",
    )
    max_body_bytes: int = Field(
        default=1_000_000, ge=1024, description="Largest request body accepted (413 above)."
    )

    notify_channels: list[ChannelConfig] = Field(
        default_factory=list,
        description="Alert delivery channels, a JSON list of {id, kind, url, secret, key, recipients, "
        "format} objects (see docs/alerts.md).",
    )
    alert_locale: Literal["en", "zh-CN"] = Field(
        default="en", description="Language of delivered alerts: en or zh-CN (titles and labels)."
    )
    notify_base_url: str = Field(
        default="http://127.0.0.1:8000", description="Where the web pages are served (alert links)."
    )
    notify_retry_delays: list[float] = Field(
        default_factory=lambda: list(DEFAULT_RETRY_DELAYS),
        description="Seconds to wait after each failed delivery attempt; when they run out, failed.",
    )
    notify_timeout_seconds: float = Field(default=10.0, gt=0, description="HTTP timeout of a delivery.")
    smtp_host: str | None = Field(default=None, description="SMTP server for e-mail channels.")
    smtp_port: int | None = Field(
        default=None, ge=1, le=65535, description="SMTP port (default 587 starttls, 465 ssl, 25 none)."
    )
    smtp_user: str | None = Field(default=None, description="SMTP login (none when unset).")
    smtp_password: SecretStr = Field(default=SecretStr(""), description="SMTP password.")
    smtp_from: str = Field(default="kamgraph@localhost", description="Sender address of alert e-mails.")
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls, ssl (SMTPS) or none."
    )
    smtp_timeout_seconds: float = Field(default=30.0, gt=0, description="SMTP timeout.")
    smtp_ca_file: Path | None = Field(default=None, description="Extra CA certificate(s) to trust (PEM).")

    alert_interval_seconds: float = Field(
        default=0.0,
        ge=0,
        description="Seconds between two ticks of the alert watcher in the app (refresh, inbox, "
        "escalation, delivery); 0: no watcher in the app (run `kamgraph watch`).",
    )
    alert_escalation: dict[str, list[int]] = Field(
        default_factory=lambda: {k: list(v) for k, v in DEFAULT_ESCALATION.items()},
        description="Per severity, the days after an alert opened when it goes to the owner, the "
        "owner's manager and leadership while nobody has acknowledged it.",
    )
    alert_email_channel: str | None = Field(
        default=None,
        description="Id of the e-mail channel people's own alert mail goes through "
        "(default: the first e-mail channel).",
    )
    alert_role_channels: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Chat channel ids that also get each escalation step, by role "
        "(owner, manager, leadership).",
    )
    staff_managers: dict[str, str] = Field(
        default_factory=dict, description="Staff id to their manager's staff id (alert escalation)."
    )
    leadership_recipients: list[str] = Field(
        default_factory=list,
        description="Who gets the leadership step: e-mail addresses and/or channel ids.",
    )

    @model_validator(mode="after")
    def _alerts_consistent(self) -> Settings:
        for severity, days in self.alert_escalation.items():
            label = f"KAMGRAPH_ALERT_ESCALATION[{severity!r}]"
            if severity not in ("info", "warning", "severe"):
                raise ValueError(f"{label}: unknown severity (info, warning or severe)")
            if len(days) > len(ESCALATION_ROLES):
                raise ValueError(
                    f"{label}: at most {len(ESCALATION_ROLES)} steps ({', '.join(ESCALATION_ROLES)})"
                )
            if any(d < 0 for d in days) or list(days) != sorted(days):
                raise ValueError(f"{label}: days must be non-negative and in order, got {days}")
        channels = {c.id: c for c in self.notify_channels}
        if self.alert_email_channel is not None:
            chosen = channels.get(self.alert_email_channel)
            if chosen is None or chosen.kind != "email":
                raise ValueError(
                    f"KAMGRAPH_ALERT_EMAIL_CHANNEL: {self.alert_email_channel!r} is not a configured e-mail channel"
                )
        for role, ids in self.alert_role_channels.items():
            if role not in ESCALATION_ROLES:
                raise ValueError(
                    f"KAMGRAPH_ALERT_ROLE_CHANNELS: unknown role {role!r} ({', '.join(ESCALATION_ROLES)})"
                )
            for channel_id in ids:
                if channel_id not in channels:
                    raise ValueError(f"KAMGRAPH_ALERT_ROLE_CHANNELS[{role!r}]: no channel {channel_id!r}")
        for entry in self.leadership_recipients:
            if "@" not in entry and entry not in channels:
                raise ValueError(
                    f"KAMGRAPH_LEADERSHIP_RECIPIENTS: {entry!r} is neither an e-mail address nor a channel id"
                )
        return self

    @property
    def person_email_channel(self) -> str | None:
        """The e-mail channel people's own alert mail goes through (``None``: no e-mail channel)."""
        if self.alert_email_channel is not None:
            return self.alert_email_channel
        return next((c.id for c in self.notify_channels if c.kind == "email"), None)

    @model_validator(mode="after")
    def _notify_consistent(self) -> Settings:
        seen: set[str] = set()
        for channel in self.notify_channels:
            if channel.id in seen:
                raise ValueError(f"KAMGRAPH_NOTIFY_CHANNELS: two channels are named {channel.id!r}")
            seen.add(channel.id)
            if channel.kind == "email" and not self.smtp_host:
                raise ValueError(f"channel {channel.id!r} (email) needs KAMGRAPH_SMTP_HOST")
        if any(delay < 0 for delay in self.notify_retry_delays):
            raise ValueError("KAMGRAPH_NOTIFY_RETRY_DELAYS: delays must not be negative")
        return self

    @property
    def smtp(self) -> SmtpConfig:
        """The SMTP settings as one record."""
        return SmtpConfig(
            host=self.smtp_host,
            port=self.smtp_port,
            user=self.smtp_user,
            password=self.smtp_password,
            sender=self.smtp_from,
            security=self.smtp_security,
            timeout=self.smtp_timeout_seconds,
            ca_file=self.smtp_ca_file,
        )

    @property
    def store_backend(self) -> str:
        """``neo4j`` when ``NEO4J_URI`` is set, else the embedded ``sqlite`` store."""
        return "neo4j" if self.neo4j_uri else "sqlite"

    def open_store(self, *, ready: bool = False) -> GraphStore:
        """The configured store (Neo4j when ``NEO4J_URI`` is set, else the embedded one);
        with ``ready`` its schema is created or migrated first (``init``)."""
        from graph.backends import open_store

        store = open_store(
            data_dir=self.data_dir,
            neo4j_uri=self.neo4j_uri,
            neo4j_user=self.neo4j_user,
            neo4j_password=self.neo4j_password.get_secret_value(),
            neo4j_database=self.neo4j_database,
        )
        if ready:
            store.init()
        return store


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
