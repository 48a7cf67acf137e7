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
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.alerts import AlertInboxMutations, AlertInboxQuery
from schema.errors import should_mask_error
from schema.extensions import Limits, security_extensions
from schema.mutations import Mutation as GraphMutation
from schema.plans import PlanMutations
from schema.presentation import SCALARS
from schema.queries import Query as GraphQuery
from schema.types import Contact, Staff

__all__ = ["Limits", "Mutation", "Query", "build_schema"]


@strawberry.type(name="Query")
class Query(GraphQuery, AlertInboxQuery):
    """The root query: the graph's fields (:mod:`schema.queries`) and the alert inbox (:mod:`schema.alerts`)."""


@strawberry.type(name="Mutation")
class Mutation(GraphMutation, AlertInboxMutations, PlanMutations):
    """The root mutation: the graph's writes (:mod:`schema.mutations`) and the alert inbox's changes."""


class Schema(strawberry.Schema):
    """The kamgraph schema: logs only unexpected errors (the ones masked for the client), with
    their traceback; a client's own mistakes (syntax, validation, limits, expected errors) are
    answered, not logged."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        super().process_errors([e for e in errors if should_mask_error(e)], execution_context)


def build_schema(limits: Limits | None = None) -> Schema:
    """The executable schema, guarded by the limits (defaults: :class:`Limits`)."""
    return Schema(
        query=Query,
        mutation=Mutation,
        types=[Contact, Staff],
        extensions=security_extensions(limits or Limits()),
        config=StrawberryConfig(scalar_map=SCALARS),
    )
