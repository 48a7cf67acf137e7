"""The security extensions: query depth, aliases and tokens limits, and masking of unexpected errors.

Examples
--------
>>> [type(make()).__name__ for make in security_extensions(Limits())]
['MaxTokensLimiter', 'QueryDepthLimiter', 'MaxAliasesLimiter', 'MaskErrors']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from schema.errors import should_mask_error

__all__ = ["Limits", "security_extensions"]


@dataclass(frozen=True)
class Limits:
    """Limits of one GraphQL document (defaults fit every query of the web front-end)."""

    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2000


def security_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """Factories of the extensions every request runs through, cheapest first."""
    return [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: QueryDepthLimiter(max_depth=limits.max_depth),
        lambda: MaxAliasesLimiter(max_alias_count=limits.max_aliases),
        lambda: MaskErrors(should_mask_error=should_mask_error, error_message="Unexpected error."),
    ]
