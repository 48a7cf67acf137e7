"""Who is asking, what they may do, and the permission classes that guard the schema.

Roles (``ApiToken.role``):

* ``account_manager``: reads only the accounts whose team they are on today (``staff_id`` of
  the token; :meth:`GraphStore.team_accounts`) and only the people at those accounts (contacts
  with a position there, staff on those teams, themselves); writes nothing.
* ``leadership``: reads everything; writes nothing.
* ``admin``: reads everything, writes and imports.
* ``service``: a token for apps, scoped like its *configured* role: ``service:<role>`` names it
  on the token itself (e.g. ``service:admin``); a bare ``service`` token takes
  ``Settings.service_role`` (default ``leadership``). A service token scoped as an account manager
  needs a ``staff_id``.

Examples
--------
>>> viewer = Viewer.from_token_role("service:admin", staff_id=None, name="etl", service_role="leadership")
>>> viewer.role, viewer.can_write, viewer.reads_everything
('admin', True, True)
>>> manager = Viewer.from_token_role("account_manager", staff_id="s1", name="ada", service_role="leadership")
>>> manager.reads_everything
False
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.permission import BasePermission

from schema.errors import PublicError

__all__ = [
    "ANONYMOUS",
    "ROLES",
    "AuthenticationRequired",
    "IsAuthenticated",
    "Viewer",
]

#: The roles a token can have (``service`` resolves to one of the other three).
ROLES: tuple[str, ...] = ("account_manager", "leadership", "admin", "service")
_SCOPED_ROLES = ("account_manager", "leadership", "admin")


@dataclass(frozen=True)
class Viewer:
    """The caller of one request: their effective role and, for account managers, their staff id."""

    role: str
    staff_id: str | None = None
    token_name: str | None = None
    service: bool = False

    @classmethod
    def from_token_role(cls, role: str, *, staff_id: str | None, name: str, service_role: str) -> Viewer:
        """The viewer of a token with ``role`` (resolving ``service`` roles).

        Raises ``ValueError`` for an unknown role.
        """
        service = False
        effective = role
        if role == "service":
            service, effective = True, service_role
        elif role.startswith("service:"):
            service, effective = True, role.split(":", 1)[1]
        if effective not in _SCOPED_ROLES:
            raise ValueError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
        return cls(role=effective, staff_id=staff_id, token_name=name, service=service)

    @property
    def authenticated(self) -> bool:
        """Whether a valid token was presented."""
        return self.role != "anonymous"

    @property
    def reads_everything(self) -> bool:
        """Leadership and admins read the whole portfolio."""
        return self.role in ("leadership", "admin")

    @property
    def can_write(self) -> bool:
        """Admins write everything and import (account managers write a few things on their own
        accounts, checked by those mutations: :mod:`schema.mutations`)."""
        return self.role == "admin"


ANONYMOUS = Viewer(role="anonymous")


class AuthenticationRequired(PublicError):
    """Raised by :class:`IsAuthenticated` for requests without a valid token."""


class IsAuthenticated(BasePermission):
    """Every data field needs a valid bearer token (``{ __typename }`` and introspection do not)."""

    message = "authentication required: send 'Authorization: Bearer <token>'"
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        viewer: Viewer = info.context.viewer
        return viewer.authenticated
