"""The Relay-style accounts connection: filters, orderings and opaque keyset cursors.

Ordering by ``ID`` pages straight through the store (``list_accounts`` keyset paging). Other
orderings rank the filtered accounts by a key (name, revenue, revenue at risk, health) and
page through that ranking with a cursor holding the last ``(key, id)``; revenue at risk and
health come from the materialised refresh results when present and are computed otherwise.

Examples
--------
>>> cursor = encode_cursor("name", ["Acme", "acme"])
>>> decode_cursor(cursor, "name")
['Acme', 'acme']
>>> decode_cursor("nonsense", "name")
Traceback (most recent call last):
...
schema.errors.InvalidArgument: after: not a cursor of this connection (ordered by name)
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

import strawberry

from schema.errors import InvalidArgument
from schema.fields import field
from schema.types import Account

__all__ = ["AccountConnection", "AccountEdge", "PageInfo", "decode_cursor", "encode_cursor"]

_TEXT_ORDERS = frozenset({"id", "name"})


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class AccountEdge:
    cursor: str
    node: Account


@strawberry.type(description="A page of accounts (Relay connection).")
class AccountConnection:
    edges: list[AccountEdge]
    page_info: PageInfo
    total_count: int | None = strawberry.field(
        description="Accounts matching the filter (null when ordering by id, which does not count)."
    )

    @field(description="The accounts of `edges`, without cursors.")
    def nodes(self) -> list[Account]:
        return [e.node for e in self.edges]


def encode_cursor(order: str, key: Any) -> str:
    """An opaque cursor for ``key`` in the ordering ``order``."""
    raw = json.dumps([order, key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, order: str) -> Any:
    """The key of a cursor made by :func:`encode_cursor` for the same ordering.

    A cursor that does not decode, names another ordering or holds a key of the wrong shape
    (``[text, id]`` for ``id`` and ``name``, ``[number, id]`` otherwise) is refused with an
    ``INVALID_INPUT`` error.

    Examples
    --------
    >>> decode_cursor(encode_cursor("health", [{"x": 1}, "a"]), "health")
    Traceback (most recent call last):
    ...
    schema.errors.InvalidArgument: after: not a cursor of this connection (ordered by health)
    """
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found_order, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        found_order, key = None, None
    if found_order != order or not _key_fits(order, key):
        raise InvalidArgument(f"after: not a cursor of this connection (ordered by {order})", "after")
    return key


def _key_fits(order: str, key: Any) -> bool:
    if not isinstance(key, list) or len(key) != 2 or not isinstance(key[1], str):
        return False
    first = key[0]
    if order in _TEXT_ORDERS:
        return isinstance(first, str)
    return isinstance(first, int | float) and not isinstance(first, bool) and math.isfinite(first)
