"""Fixtures of the notify tests: loopback receivers, closed after each test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.api.notify.receivers import HttpReceiver, ReceiverFactory


@pytest.fixture
def receiver_factory() -> Iterator[ReceiverFactory]:
    made: list[HttpReceiver] = []

    def make(**kwargs: Any) -> HttpReceiver:
        receiver = HttpReceiver(**kwargs)
        made.append(receiver)
        return receiver

    yield make
    for receiver in made:
        receiver.close()


@pytest.fixture
def receiver(receiver_factory: ReceiverFactory) -> HttpReceiver:
    return receiver_factory()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    """A client that ignores proxy settings (the receivers are on loopback)."""
    with httpx.Client(timeout=10, trust_env=False) as client:
        yield client
