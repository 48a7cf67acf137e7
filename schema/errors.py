"""Expected failures of the API as typed results, and the rule that masks everything else.

Mutations (and the look-ups that can fail in an expected way) return a union of their payload
and one of :class:`NotFound`, :class:`InvalidInput` or :class:`Forbidden`; each carries a
human-readable ``message``. Anything *unexpected* (a bug, a store outage) reaches the client
only as ``"Unexpected error."``: :func:`should_mask_error` keeps GraphQL's own parse and
validation errors and the API's :class:`PublicError` s readable and masks the rest, so no
internals, file paths, Cypher/SQL or secrets leak.

Examples
--------
>>> from graphql import GraphQLError
>>> should_mask_error(GraphQLError("boom", original_error=RuntimeError("/srv/db.sqlite")))
True
>>> should_mask_error(GraphQLError("Syntax Error: Unexpected Name 'x'."))
False
>>> should_mask_error(GraphQLError("no", original_error=PublicError("forbidden: no")))
False
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

__all__ = ["Forbidden", "InvalidArgument", "InvalidInput", "NotFound", "PublicError", "should_mask_error"]


class PublicError(Exception):
    """An error whose message is safe and useful to show to the client as it is."""

    def __init__(self, message: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(message)
        self.code = code


class InvalidArgument(PublicError):
    """A rejected argument value, answered as an error with ``extensions.code`` ``INVALID_INPUT``
    (the error form of :class:`InvalidInput`, for fields that do not return that type).

    Examples
    --------
    >>> error = InvalidArgument("asOf: out of range", "asOf")
    >>> error.extensions, error.field
    ({'code': 'INVALID_INPUT', 'field': 'asOf'}, 'asOf')
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message, "INVALID_INPUT")
        self.field = field
        self.extensions: dict[str, str] = {"code": "INVALID_INPUT"}
        if field is not None:
            self.extensions["field"] = field


@strawberry.type(description="The thing asked for does not exist (or is not visible to you).")
class NotFound:
    message: str
    kind: str = strawberry.field(description="Record kind: account, person, contact, staff, ...")
    id: str


@strawberry.type(description="An input value was rejected; `field` names it.")
class InvalidInput:
    message: str
    field: str | None = None


@strawberry.type(description="Your token's role does not allow this operation.")
class Forbidden:
    message: str
    required_role: str | None = None


def should_mask_error(error: GraphQLError) -> bool:
    """Whether ``error`` must be replaced by a generic message before it reaches the client."""
    original = error.original_error
    if original is None:
        return False
    return not isinstance(original, GraphQLError | PublicError)
