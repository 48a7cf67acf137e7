"""Bearer-token authentication: who is calling, from the ``Authorization`` header.

Tokens are random strings handed to people and apps (``kamgraph token create --role ROLE
[--staff ID]``); the store keeps only their SHA-256 hash (:class:`graph.store.ApiToken`). A
request without ``Authorization`` is anonymous (it may ask ``{ __typename }``, and introspect the
schema only when ``environment`` is ``development``; nothing else); a malformed, unknown or revoked token is refused with 401.

Examples
--------
>>> hash_token("s3cret")[:16]
'1ec1c26b50d5d3c5'
>>> bearer_token("Bearer abc")
'abc'
>>> bearer_token("Basic abc") is None
True
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import MutableMapping

from graph.store import ApiToken, TokenStore
from schema.permissions import ANONYMOUS, ROLES, Viewer

__all__ = ["ROLES", "AuthError", "authenticate", "bearer_token", "hash_token", "new_token"]


class AuthError(Exception):
    """The presented credentials are not acceptable (answered with 401)."""


def hash_token(token: str) -> str:
    """The hex SHA-256 hash under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh random token (43 URL-safe characters, 256 bits).

    Examples
    --------
    >>> len(new_token())
    43
    """
    return secrets.token_urlsafe(32)


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else ``None``."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate(
    store: TokenStore,
    header: str | None,
    service_role: str = "leadership",
    *,
    lookups: MutableMapping[str, ApiToken | None] | None = None,
) -> Viewer:
    """The viewer for an ``Authorization`` header value.

    Parameters
    ----------
    store : TokenStore
        Where the token hashes are (:meth:`~graph.store.TokenStore.get_token`).
    header : str or None
        The ``Authorization`` header; ``None`` or blank means anonymous.
    service_role : str
        The role a bare ``service`` token is scoped like.
    lookups : mutable mapping, optional
        Token lookups to reuse, by token hash (the API keeps them for ``lookup_cache_seconds``
        in a ``cachetools.TTLCache``); unknown hashes are looked up and added.

    Returns
    -------
    Viewer
        :data:`~schema.permissions.ANONYMOUS` without a header.

    Raises
    ------
    AuthError
        For a header that is not a bearer token, or a token that is unknown or revoked.

    Examples
    --------
    >>> import tempfile
    >>> from datetime import UTC, datetime
    >>> from graph.backends.sqlite.store import SqliteStore
    >>> from graph.store import ApiToken
    >>> store = SqliteStore(tempfile.mkdtemp())
    >>> store.init()
    >>> store.put_token(ApiToken(hash_token("t0k3n"), "ada", "account_manager", "s1", datetime.now(UTC)))
    >>> authenticate(store, "Bearer t0k3n").staff_id
    's1'
    >>> authenticate(store, "Bearer wrong")
    Traceback (most recent call last):
    ...
    api.auth.AuthError: invalid or revoked token
    >>> store.close()
    """
    if header is None or not header.strip():
        return ANONYMOUS
    token = bearer_token(header)
    if token is None:
        raise AuthError("the Authorization header must be 'Bearer <token>'")
    token_hash = hash_token(token)
    if lookups is not None and token_hash in lookups:
        record = lookups[token_hash]
    else:
        record = store.get_token(token_hash)
        if lookups is not None:
            lookups[token_hash] = record
    if record is None or record.revoked:
        raise AuthError("invalid or revoked token")
    try:
        return Viewer.from_token_role(
            record.role, staff_id=record.staff_id, name=record.name, service_role=service_role
        )
    except ValueError:
        raise AuthError("the token has an unknown role") from None
