"""The notify pieces put together from :class:`api.settings.Settings` (used by the CLI).

Examples
--------
>>> import tempfile
>>> from api.settings import Settings
>>> with open_outbox(Settings(data_dir=tempfile.mkdtemp())) as outbox:
...     outbox.path.name, outbox.deliveries()
('notify.sqlite3', [])
"""

from __future__ import annotations

from datetime import datetime

from api.notify.channels import Channel, build_channels
from api.notify.messages import render
from api.notify.outbox import OUTBOX_FILE, Outbox
from api.settings import Settings
from graph.analysis.alerts import Alert

__all__ = ["channels_of", "open_outbox", "sample_alert", "send_test"]


def channels_of(settings: Settings) -> dict[str, Channel]:
    """The configured channels by id."""
    return build_channels(settings.notify_channels, settings.smtp)


def open_outbox(settings: Settings) -> Outbox:
    """The outbox in ``<data_dir>/notify.sqlite3`` over the configured channels."""
    return Outbox(
        settings.data_dir / OUTBOX_FILE,
        channels_of(settings),
        retry_delays=settings.notify_retry_delays,
        base_url=settings.notify_base_url,
        timeout=settings.notify_timeout_seconds,
        locale=settings.alert_locale,
    )


def sample_alert(channel_id: str) -> Alert:
    """The alert a test message says.

    Examples
    --------
    >>> sample_alert("ops").kind
    'test'
    """
    return Alert(
        "test",
        "info",
        None,
        f"This is a test message from kamgraph: the channel {channel_id!r} works.",
        evidence={"channel": channel_id},
    )


def send_test(settings: Settings, channel_id: str, *, now: datetime) -> str:
    """Send a test message through ``channel_id`` and return its kind.

    Raises ``LookupError`` for an unknown channel and
    :class:`~api.notify.channels.DeliveryError` when the message is not accepted.
    """
    import httpx

    channels = channels_of(settings)
    channel = channels.get(channel_id)
    if channel is None:
        known = ", ".join(sorted(channels)) or "none configured (KAMGRAPH_NOTIFY_CHANNELS)"
        raise LookupError(f"no channel {channel_id!r} (channels: {known})")
    message = render(
        sample_alert(channel_id),
        account_name="kamgraph",
        recipient=channel.recipient,
        base_url=settings.notify_base_url,
        locale=settings.alert_locale,
    )
    with httpx.Client(timeout=settings.notify_timeout_seconds, follow_redirects=False) as http:
        channel.deliver(message, delivery_id=f"test-{int(now.timestamp())}", now=now, http=http)
    return channel.kind
