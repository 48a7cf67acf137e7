"""Alert delivery: messages, channels (webhooks, chat robots, e-mail) and the durable outbox.

* :mod:`api.notify.messages` renders an alert into a channel-neutral message;
* :mod:`api.notify.channels` builds each channel's exact request and sends it;
* :mod:`api.notify.outbox` queues deliveries in SQLite and sends them with retries;
* :mod:`api.notify.config` holds the channel and SMTP settings;
* :mod:`api.notify.inbox` keeps each alert's lifecycle (new, acknowledged, snoozed, resolved) and
  escalates it to its owner, their manager and leadership;
* :mod:`api.notify.watch` ticks: refresh, inbox, escalation, delivery (the app's background task
  and ``kamgraph watch``).

See ``docs/alerts.md``.
"""

from __future__ import annotations

from api.notify.channels import Channel, DeliveryError, build_channel, build_channels
from api.notify.config import ChannelConfig, SmtpConfig
from api.notify.messages import Message, render
from api.notify.outbox import OUTBOX_FILE, Delivery, DeliveryReport, Outbox, alert_key

__all__ = [
    "OUTBOX_FILE",
    "Channel",
    "ChannelConfig",
    "Delivery",
    "DeliveryError",
    "DeliveryReport",
    "Message",
    "Outbox",
    "SmtpConfig",
    "alert_key",
    "build_channel",
    "build_channels",
    "render",
]
