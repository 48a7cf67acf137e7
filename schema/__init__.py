"""The kamgraph GraphQL schema (strawberry): types, queries, mutations, loaders and permissions.

:func:`build_schema` makes the executable schema with the security extensions for given
:class:`~schema.extensions.Limits`; ``python -m schema.export`` writes its SDL to
``schema.graphql``.

Examples
--------
>>> "type Query" in build_schema().as_str()
True
"""

from __future__ import annotations

import strawberry

from schema.extensions import Limits, security_extensions
from schema.mutations import Mutation
from schema.queries import Query
from schema.types import Contact, Staff

__all__ = ["Limits", "build_schema"]


def build_schema(limits: Limits | None = None) -> strawberry.Schema:
    """The executable schema, guarded by the limits (defaults: :class:`Limits`)."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Contact, Staff],
        extensions=security_extensions(limits or Limits()),
    )
