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
schema.errors.PublicError: after: not a cursor of this connection (ordered by name)
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import strawberry

from schema.errors import PublicError
from schema.fields import field
from schema.types import Account

__all__ = ["AccountConnection", "AccountEdge", "PageInfo", "decode_cursor", "encode_cursor"]


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
    """The key of a cursor made by :func:`encode_cursor` for the same ordering."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        found_order, key = json.loads(raw)
    except (binascii.Error, ValueError, TypeError):
        found_order, key = None, None
    if found_order != order:
        raise PublicError(f"after: not a cursor of this connection (ordered by {order})")
    return key
