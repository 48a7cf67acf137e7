"""Typed forms of ``strawberry.field`` and ``strawberry.mutation`` used as decorators with options.

Strawberry types ``@strawberry.field(description=...)`` as returning ``Any``, which strict mypy
reports as an untyped decorator; these wrappers keep the decorated resolver's type.

Examples
--------
>>> import strawberry
>>> @strawberry.type
... class Q:
...     @field(description="The answer.")
...     def answer(self) -> int:
...         return 42
>>> "answer: Int!" in strawberry.Schema(query=Q).as_str()
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

__all__ = ["field", "mutation"]

F = TypeVar("F", bound=Callable[..., Any])


def field(**options: Any) -> Callable[[F], F]:
    """``strawberry.field(**options)`` as a typed decorator."""
    return cast(Callable[[F], F], strawberry.field(**options))


def mutation(**options: Any) -> Callable[[F], F]:
    """``strawberry.mutation(**options)`` as a typed decorator."""
    return cast(Callable[[F], F], strawberry.mutation(**options))
