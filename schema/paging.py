"""Page sizes of the list fields: the largest page and the check every list field runs.

A leaf module (it imports only the errors), so the types and the resolvers that page can all use it.
"""

from __future__ import annotations

from schema.errors import PublicError

__all__ = ["MAX_PAGE", "check_first"]

#: Largest page any list field returns.
MAX_PAGE = 100


def check_first(first: int, name: str = "first") -> None:
    """Refuse page sizes outside 1-100 with a readable error.

    Examples
    --------
    >>> check_first(100)
    >>> check_first(0)
    Traceback (most recent call last):
    ...
    schema.errors.PublicError: first must be between 1 and 100, got 0
    """
    if not 1 <= first <= MAX_PAGE:
        raise PublicError(f"{name} must be between 1 and {MAX_PAGE}, got {first}")
