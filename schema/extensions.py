"""The security extensions: query depth, aliases and tokens limits, and masking of unexpected errors.

Parsing and validation are cached (strawberry's ``ParserCache`` and ``ValidationCache``, LRU
by document text): the depth and alias rules are built once per limit value, so a repeated
document is parsed and validated once per process. The token limit applies before parsing.

Examples
--------
>>> [type(make()).__name__ for make in security_extensions(Limits())]
['MaxTokensLimiter', 'ParserCache', 'DepthLimit', 'AliasLimit', 'ValidationCache', 'MaskErrors']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from graphql import ValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule

from schema.errors import should_mask_error

__all__ = ["AliasLimit", "DepthLimit", "Limits", "security_extensions"]

_CACHE_SIZE = 256


@dataclass(frozen=True)
class Limits:
    """Limits of one GraphQL document (defaults fit every query of the web front-end)."""

    max_depth: int = 10
    max_aliases: int = 30
    max_tokens: int = 2000


@cache
def _depth_rule(max_depth: int) -> type[ValidationRule]:
    return depth_rule(max_depth, None, None)


@cache
def _alias_rule(max_aliases: int) -> type[ValidationRule]:
    return alias_rule(max_aliases)


class DepthLimit(AddValidationRules):
    """Refuse documents nested deeper than ``max_depth`` (strawberry's ``QueryDepthLimiter`` rule)."""

    def __init__(self, max_depth: int) -> None:
        super().__init__([_depth_rule(max_depth)])


class AliasLimit(AddValidationRules):
    """Refuse documents with more than ``max_aliases`` aliases (``MaxAliasesLimiter``'s rule)."""

    def __init__(self, max_aliases: int) -> None:
        super().__init__([_alias_rule(max_aliases)])


def security_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """Factories of the extensions every request runs through, cheapest first."""
    return [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: ParserCache(maxsize=_CACHE_SIZE),
        lambda: DepthLimit(limits.max_depth),
        lambda: AliasLimit(limits.max_aliases),
        lambda: ValidationCache(maxsize=_CACHE_SIZE),
        lambda: MaskErrors(should_mask_error=should_mask_error, error_message="Unexpected error."),
    ]
