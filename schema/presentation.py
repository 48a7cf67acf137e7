"""How the API presents numbers and vocabularies: precision scalars, enum casing, JSON parts.

Precision is decided here, once, and applied when a value is serialised:

======== ======================================================== ==========
scalar   used for                                                 decimals
======== ======================================================== ==========
Strength tie strengths, reach, path and link strengths (0-1)      3
Ratio    shares, rates, impacts, weights, PageRank (0-1 or small) 3
Score    scores on 0-100 (coverage, health, RFM and its parts)    1
Money    revenue, revenue at risk, attributed value               2
Days     day counts that are averages (a tie's usual gap)         1
Hours    durations in hours (a support case's first response)     1
======== ======================================================== ==========

Counts are ``Int``. Every closed vocabulary is a GraphQL enum, written in the enum's own casing
(``STRATEGIC``, ``USER_BUYER``) wherever it appears: typed fields, lists, the enum values inside
the JSON parts of the relationship map (:func:`api_json`) and the vocabulary values inside
evidence JSON (:func:`api_evidence`: the values of keys such as ``tier``, ``band``, ``kind``,
``stance``, ``roles``). Floats inside JSON parts are rounded to 3 decimals
(:data:`JSON_DECIMALS`). JSON *keys* stay snake_case; ``config`` JSON is the settings format
(:meth:`graph.analysis.config.AnalysisConfig.from_mapping`) and is left as it is read.

Examples
--------
>>> present(Score, 51.15624999999999), present(Strength, 0.709999999999814), present(Money, 1234.5678)
(51.2, 0.71, 1234.57)
>>> from graph.model import Role
>>> api_json({"roles": (Role.USER_BUYER,), "reach": 0.49999999, "n": 3})
{'roles': ['USER_BUYER'], 'reach': 0.5, 'n': 3}
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Set
from datetime import date, datetime
from enum import Enum
from typing import Any, NewType, cast

import strawberry
from strawberry.types.scalar import ScalarDefinition

__all__ = [
    "DECIMALS",
    "JSON_DECIMALS",
    "SCALARS",
    "Days",
    "Hours",
    "Money",
    "Ratio",
    "Score",
    "Strength",
    "api_evidence",
    "api_json",
    "enum_name",
    "present",
]

Strength = NewType("Strength", float)
Ratio = NewType("Ratio", float)
Score = NewType("Score", float)
Money = NewType("Money", float)
Days = NewType("Days", float)
Hours = NewType("Hours", float)

#: Decimals each precision scalar is rounded to when serialised.
DECIMALS: Mapping[Any, int] = {Strength: 3, Ratio: 3, Score: 1, Money: 2, Days: 1, Hours: 1}
#: Decimals of floats inside JSON values.
JSON_DECIMALS = 3

_DESCRIPTIONS = {
    Strength: "A strength or reach in [0, 1], rounded to 3 decimals.",
    Ratio: "A share, rate, impact, weight or rank, rounded to 3 decimals.",
    Score: "A score on 0-100, rounded to 1 decimal.",
    Money: "An amount of money (revenue), rounded to 2 decimals.",
    Days: "A number of days (an average), rounded to 1 decimal.",
    Hours: "A number of hours, rounded to 1 decimal.",
}


def present(kind: Any, value: float) -> float:
    """``value`` rounded to the precision of the scalar ``kind`` (non-finite values raise)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{kind.__name__}: {value!r} is not a finite number")
    rounded = round(number, DECIMALS[kind])
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


def _scalar(kind: Any) -> ScalarDefinition:
    return cast(
        ScalarDefinition,
        strawberry.scalar(
            name=kind.__name__,
            description=_DESCRIPTIONS[kind],
            serialize=lambda value: present(kind, value),
            parse_value=float,
        ),
    )


#: The ``scalar_map`` of the schema's configuration.
SCALARS: dict[object, ScalarDefinition] = {kind: _scalar(kind) for kind in DECIMALS}


def enum_name(value: Enum | str) -> str:
    """The API's casing of an enum value: the GraphQL enum name (``user_buyer`` -> ``USER_BUYER``).

    Examples
    --------
    >>> enum_name("user_buyer"), enum_name("STRATEGIC")
    ('USER_BUYER', 'STRATEGIC')
    """
    text = value.value if isinstance(value, Enum) else value
    return str(text).upper()


def api_json(value: Any) -> Any:
    """A JSON-ready copy of ``value`` in the API's presentation: enums by name, floats rounded to
    :data:`JSON_DECIMALS`, dates ISO, dataclasses and mappings as objects, sets sorted, non-finite
    floats ``None``."""
    if isinstance(value, Enum):
        return enum_name(value)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return round(value, JSON_DECIMALS) if math.isfinite(value) else None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: api_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k.value if isinstance(k, Enum) else k): api_json(v) for k, v in value.items()}
    if isinstance(value, Set):
        return sorted((api_json(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [api_json(v) for v in value]
    return str(value)


_WORD = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
_VOCABULARY_KEYS = re.compile(
    r"^(?:.*_)?(?:tier|band|kind|side|level|stance|status|role|severity|political_status|team_role|"
    r"assessed_level|quadrant|direction|change)$"
)
_VOCABULARY_LISTS = re.compile(r"^(?:.*_)?(?:roles|levels|tiers|kinds)$")
_VOCABULARY_MAPS = re.compile(r"^(?:.*_)?(?:stances|bands|tiers|levels)$")


def api_evidence(value: Any) -> Any:
    """:func:`api_json` of an evidence value, with the vocabulary values in enum casing: the
    string values of keys naming a vocabulary (``tier``, ``band``, ``kind``, ``*_kind``,
    ``stance``, ``status``, ...), the items of lists such as ``roles`` and the values of mappings
    such as ``role_holder_stances``; only lower-case words are changed (never ids or text).

    Examples
    --------
    >>> api_evidence({"tier": "strategic", "last_interaction_kind": "email", "account_id": "acc-1",
    ...               "roles": ["user_buyer"], "role_holder_stances": {"c1": "champion"}, "score": 79.02666})
    {'tier': 'STRATEGIC', 'last_interaction_kind': 'EMAIL', 'account_id': 'acc-1', 'roles': ['USER_BUYER'], 'role_holder_stances': {'c1': 'CHAMPION'}, 'score': 79.027}
    """
    return _cased(api_json(value))


def _word(value: Any) -> Any:
    return enum_name(value) if isinstance(value, str) and _WORD.match(value) else value


def _cased(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        if _VOCABULARY_MAPS.match(key):
            return {k: _word(v) if not isinstance(v, dict | list) else _cased(v) for k, v in value.items()}
        return {k: _cased(v, k) for k, v in value.items()}
    if isinstance(value, list):
        if _VOCABULARY_LISTS.match(key):
            return [_word(v) for v in value]
        return [_cased(v) for v in value]
    if _VOCABULARY_KEYS.match(key):
        return _word(value)
    return value
