"""The security extensions: query depth, aliases and tokens limits, date bounds, and masking of
unexpected errors.

Parsing and validation are cached (strawberry's ``ParserCache`` and ``ValidationCache``, LRU
by document text): the depth and alias rules are built once per limit value, so a repeated
document is parsed and validated once per process. The token limit applies before parsing.
Only documents of at most :data:`MAX_CACHED_QUERY` characters are cached
(:class:`BoundedParserCache`, :class:`BoundedValidationCache`): a cached document keeps its
whole text, and 256 distinct documents of nearly a megabyte each (a comment pads a document
without adding tokens) would otherwise hold a quarter of a gigabyte for the life of the process.

:class:`DateBounds` refuses any date or date-time argument (``asOf``, ``since``, ``at``, also
inside input objects and lists) outside :data:`MIN_DAY` to :data:`MAX_DAY` before the resolver
runs: a field whose type can answer :class:`~schema.errors.InvalidInput` answers it, any other
field gets an error with ``extensions.code`` ``INVALID_INPUT`` (the analyses step whole days and
windows around the day asked for, which a day like 0001-01-01 or 9999-12-31 would overflow).

Examples
--------
>>> [type(make()).__name__ for make in security_extensions(Limits())]
['MaxTokensLimiter', 'BoundedParserCache', 'DepthLimit', 'AliasLimit', 'BoundedValidationCache', 'DateBounds', 'MaskErrors']
>>> out_of_bounds({"as_of": date(1, 1, 1)})
('asOf', datetime.date(1, 1, 1))
>>> out_of_bounds({"first": 3, "as_of": date(2025, 1, 2)}) is None
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from graphql import GraphQLNonNull, GraphQLUnionType, ValidationRule, parse
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
from strawberry.schema.schema import validate_document
from strawberry.utils.str_converters import to_camel_case

from schema.errors import InvalidArgument, InvalidInput, should_mask_error

__all__ = [
    "MAX_CACHED_QUERY",
    "MAX_DAY",
    "MIN_DAY",
    "AliasLimit",
    "BoundedParserCache",
    "BoundedValidationCache",
    "DateBounds",
    "DepthLimit",
    "Limits",
    "out_of_bounds",
    "security_extensions",
]

#: Earliest day an argument may name.
MIN_DAY = date(1900, 1, 1)
#: Latest day an argument may name.
MAX_DAY = date(2199, 12, 31)

_CACHE_SIZE = 256
#: Longest document text (characters) whose parse and validation are cached.
MAX_CACHED_QUERY = 4096


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


class BoundedParserCache(ParserCache):
    """``ParserCache`` for documents of at most ``MAX_CACHED_QUERY`` characters; longer ones are
    parsed for the request only."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and len(context.query) > MAX_CACHED_QUERY:
            context.graphql_document = parse(context.query, **context.parse_options)
            yield
        else:
            yield from super().on_parse()


class BoundedValidationCache(ValidationCache):
    """``ValidationCache`` for documents of at most ``MAX_CACHED_QUERY`` characters (a cached
    document keeps its source text)."""

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query is not None and len(context.query) > MAX_CACHED_QUERY:
            assert context.graphql_document is not None
            context.pre_execution_errors = validate_document(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
            yield
        else:
            yield from super().on_validate()


def out_of_bounds(arguments: Mapping[str, Any]) -> tuple[str, date] | None:
    """The first argument holding a day outside ``MIN_DAY``-``MAX_DAY`` (its GraphQL name, with
    the field inside an input object after a dot) and that day, looking into lists and input
    objects; ``None`` when every day is in bounds."""
    for name, value in arguments.items():
        found = _bad_day(value, to_camel_case(name))
        if found is not None:
            return found
    return None


def _bad_day(value: Any, where: str) -> tuple[str, date] | None:
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return None if MIN_DAY <= day <= MAX_DAY else (where, day)
    items: list[tuple[str, Any]] = []
    if isinstance(value, list | tuple):
        items = [(where, item) for item in value]
    elif isinstance(value, Mapping):
        items = [(f"{where}.{to_camel_case(str(k))}", v) for k, v in value.items()]
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [
            (f"{where}.{to_camel_case(f.name)}", getattr(value, f.name)) for f in dataclasses.fields(value)
        ]
    for inner, item in items:
        found = _bad_day(item, inner)
        if found is not None:
            return found
    return None


class DateBounds(SchemaExtension):
    """Refuse day arguments outside ``MIN_DAY``-``MAX_DAY`` as invalid input (see the module)."""

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        if kwargs:
            found = out_of_bounds(kwargs)
            if found is not None:
                name, day = found
                message = (
                    f"{name}: {day.isoformat()} is outside the supported range "
                    f"{MIN_DAY.isoformat()} to {MAX_DAY.isoformat()}"
                )
                if _answers_invalid_input(info.return_type):
                    return InvalidInput(message=message, field=name)
                raise InvalidArgument(message, name)
        return _next(root, info, *args, **kwargs)


def _answers_invalid_input(return_type: Any) -> bool:
    inner = return_type.of_type if isinstance(return_type, GraphQLNonNull) else return_type
    return isinstance(inner, GraphQLUnionType) and any(t.name == "InvalidInput" for t in inner.types)


def security_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """Factories of the extensions every request runs through, cheapest first."""
    return [
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        lambda: BoundedParserCache(maxsize=_CACHE_SIZE),
        lambda: DepthLimit(limits.max_depth),
        lambda: AliasLimit(limits.max_aliases),
        lambda: BoundedValidationCache(maxsize=_CACHE_SIZE),
        DateBounds,
        lambda: MaskErrors(should_mask_error=should_mask_error, error_message="Unexpected error."),
    ]
