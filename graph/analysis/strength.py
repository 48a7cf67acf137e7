"""Tie strength: how well two people know each other, from the interactions they shared.

The *default* formula of the design brief, every number taken from
:class:`~graph.analysis.config.AnalysisConfig`::

    raw      = sum(kind_weights[kind] * 2 ** (-age_days / half_life_days))   # shared interactions
    strength = max(1 - exp(-raw), assessed_floors[latest ASSESSED level])

``age_days`` is the number of calendar days from the interaction's (UTC) day to ``as_of``
(an interaction on ``as_of`` itself has age 0); interactions after the end of ``as_of`` are
ignored. The floor applies to staff-contact pairs only and uses the latest assessment dated on
or before ``as_of``. Bands: ``strong`` >= ``strong_threshold``, ``medium`` >= ``medium_threshold``,
``weak`` > 0, otherwise ``none``.

*Going cold*: a pair with at least ``cold_min_interactions`` shared interactions whose silence
since the last one (in days, up to ``as_of``) is longer than ``cold_gap_factor`` times their usual
gap (the median gap between consecutive interactions, at least one day).

All pairs of an account are computed in one pass over its interactions: an interaction with
``n`` participants contributes to every staff-contact and contact-contact pair among them
(staff-staff pairs are not ties of an account and are skipped).

Examples
--------
>>> from datetime import date, datetime, UTC
>>> from graph.model import Interaction
>>> meet = Interaction("i1", "meeting", datetime(2025, 1, 1, tzinfo=UTC), participants=("s1", "c1"))
>>> ties = tie_strengths([meet], staff_ids={"s1"}, contact_ids={"c1"}, as_of=date(2025, 1, 1))
>>> tie = get_tie(ties, "c1", "s1")
>>> round(tie.strength, 3), tie.band, tie.evidence[0].contribution
(0.865, 'strong', 2.0)
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.model import AssessedLevel, Assessment, Interaction
from graph.store import AccountSubgraph

__all__ = [
    "BANDS",
    "CONTACT_CONTACT",
    "STAFF_CONTACT",
    "Tie",
    "TieEvidence",
    "decay_factor",
    "get_tie",
    "strength_band",
    "tie_key",
    "tie_strengths",
    "ties_of",
]

#: Kind of a tie between one of our staff and a contact.
STAFF_CONTACT = "staff_contact"
#: Kind of a tie between two contacts.
CONTACT_CONTACT = "contact_contact"
#: Band names, strongest first.
BANDS: tuple[str, ...] = ("strong", "medium", "weak", "none")


@dataclass(frozen=True, slots=True)
class TieEvidence:
    """One shared interaction and what it contributed to a tie's raw strength.

    ``contribution = weight * decay`` with ``decay = 2 ** (-age_days / half_life_days)``.
    """

    interaction_id: str
    kind: str
    at: datetime
    age_days: int
    weight: float
    decay: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Tie:
    """The strength of the tie between two people, with the evidence behind it.

    For a staff-contact tie ``a`` is the staff member and ``b`` the contact; for a
    contact-contact tie ``a < b``.

    Attributes
    ----------
    a, b : str
        The two people.
    kind : str
        :data:`STAFF_CONTACT` or :data:`CONTACT_CONTACT`.
    strength : float
        Final strength in [0, 1): ``max(interaction_strength, floor)``.
    raw : float
        Sum of the evidence contributions.
    interaction_strength : float
        ``1 - exp(-raw)``.
    floor : float
        The floor set by the latest assessment (0 when none).
    assessed_level : AssessedLevel or None
        The latest assessed level as of the date.
    assessed_at : date or None
        When it was assessed.
    band : str
        One of :data:`BANDS`.
    evidence : tuple of TieEvidence
        The contributing interactions, oldest first.
    first_at, last_at : datetime or None
        First and last shared interaction.
    usual_gap_days : float or None
        Median gap between consecutive shared interactions (at least 1 day); ``None`` with
        fewer than two interactions.
    silence_days : int or None
        Days from the last shared interaction to ``as_of``.
    going_cold : bool
        Silence longer than ``cold_gap_factor`` x the usual gap (needs
        ``cold_min_interactions`` interactions).
    """

    a: str
    b: str
    kind: str
    strength: float
    raw: float
    interaction_strength: float
    floor: float
    assessed_level: AssessedLevel | None
    assessed_at: date | None
    band: str
    evidence: tuple[TieEvidence, ...]
    first_at: datetime | None
    last_at: datetime | None
    usual_gap_days: float | None
    silence_days: int | None
    going_cold: bool

    @property
    def key(self) -> tuple[str, str]:
        """The pair as a sorted tuple (the key of :func:`tie_strengths`' result).

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> ties_of(example_subgraph())[("dir", "rep")].key
        ('dir', 'rep')
        """
        return tie_key(self.a, self.b)

    @property
    def interactions(self) -> int:
        """Number of shared interactions.

        Examples
        --------
        >>> from graph.analysis.relgraph import example_subgraph
        >>> ties_of(example_subgraph())[("dir", "rep")].interactions
        2
        """
        return len(self.evidence)

    def other(self, person_id: str) -> str:
        """The other end of the tie.

        Examples
        --------
        >>> t = Tie("s1", "c1", STAFF_CONTACT, 0.5, 0.7, 0.5, 0.0, None, None, "medium", (), None, None,
        ...         None, None, False)
        >>> t.other("s1")
        'c1'
        """
        if person_id == self.a:
            return self.b
        if person_id == self.b:
            return self.a
        raise ValueError(f"{person_id!r} is not an end of the tie {self.a!r}-{self.b!r}")


def tie_key(x: str, y: str) -> tuple[str, str]:
    """The key of the pair ``x``, ``y`` in a ties mapping: the two ids sorted.

    Examples
    --------
    >>> tie_key("s1", "c1")
    ('c1', 's1')
    """
    return (x, y) if x <= y else (y, x)


def get_tie(ties: Mapping[tuple[str, str], Tie], x: str, y: str) -> Tie | None:
    """The tie between ``x`` and ``y`` in ``ties`` (either order), or ``None``.

    Examples
    --------
    >>> get_tie({}, "a", "b") is None
    True
    """
    return ties.get(tie_key(x, y))


def decay_factor(age_days: float, half_life_days: float) -> float:
    """``2 ** (-age_days / half_life_days)``: the weight left after ``age_days``.

    Examples
    --------
    >>> decay_factor(90, 90), decay_factor(0, 90)
    (0.5, 1.0)
    """
    if half_life_days <= 0:
        raise ValueError(f"half_life_days must be positive, got {half_life_days!r}")
    return float(2.0 ** (-max(age_days, 0.0) / half_life_days))


def strength_band(strength: float, config: AnalysisConfig = DEFAULT_CONFIG) -> str:
    """The band of a strength: ``strong``, ``medium``, ``weak`` or ``none``.

    Examples
    --------
    >>> [strength_band(s) for s in (0.7, 0.3, 0.01, 0.0)]
    ['strong', 'medium', 'weak', 'none']
    """
    if strength >= config.strong_threshold:
        return "strong"
    if strength >= config.medium_threshold:
        return "medium"
    if strength > 0:
        return "weak"
    return "none"


#: Marks a participant list without any of the contacts (its interactions tie nobody).
_NO_CONTACT: list[_Acc] = []


class _Acc:
    """Accumulator of one pair during the pass over interactions."""

    __slots__ = ("evidence", "raw")

    def __init__(self) -> None:
        self.raw = 0.0
        self.evidence: list[TieEvidence] = []


def tie_strengths(
    interactions: Iterable[Interaction],
    staff_ids: Collection[str],
    contact_ids: Collection[str],
    as_of: date,
    assessments: Iterable[Assessment] = (),
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> dict[tuple[str, str], Tie]:
    """Every staff-contact and contact-contact tie among the given people, in one pass.

    Parameters
    ----------
    interactions : iterable of Interaction
        Candidate interactions; those after the end of ``as_of`` are ignored, and only
        participants in ``staff_ids`` or ``contact_ids`` are paired.
    staff_ids, contact_ids : collection of str
        Our people and the contacts to pair (an id in both counts as staff).
    as_of : date
        The day the strengths are computed for.
    assessments : iterable of Assessment
        ASSESSED ratings; the latest one dated on or before ``as_of`` per staff-contact pair
        sets a floor, and a pair with an assessment but no interaction is still a tie.
    config : AnalysisConfig
        Weights, half-life, floors, bands and the going-cold rule.

    Returns
    -------
    dict
        :class:`Tie` keyed by :func:`tie_key` of the pair. Pairs without evidence and
        without an assessment are absent.

    Raises
    ------
    ValueError
        When an interaction kind has no weight in ``config.kind_weights``.

    Examples
    --------
    >>> from datetime import date, datetime, UTC
    >>> from graph.model import Assessment, Interaction
    >>> people = ("s1", "c1", "c2")
    >>> calls = [Interaction(f"i{d}", "email", datetime(2025, 1, d, tzinfo=UTC), participants=people)
    ...          for d in (1, 2, 3)]
    >>> ties = tie_strengths(calls, {"s1"}, {"c1", "c2"}, date(2025, 6, 1),
    ...                      [Assessment("s1", "c2", "trusted_advisor", date(2025, 2, 1))])
    >>> sorted(ties)
    [('c1', 'c2'), ('c1', 's1'), ('c2', 's1')]
    >>> t = ties[("c1", "s1")]
    >>> t.a, t.kind, t.band, t.going_cold, t.usual_gap_days, t.silence_days
    ('s1', 'staff_contact', 'medium', True, 1.0, 149)
    >>> ties[("c2", "s1")].strength, ties[("c2", "s1")].band
    (0.7, 'strong')
    """
    staff = frozenset(staff_ids)
    contacts = frozenset(c for c in contact_ids if c not in staff)
    weights = config.kind_weights
    half_life = config.half_life_days
    if half_life <= 0:
        raise ValueError(f"half_life_days must be positive, got {half_life!r}")
    acc: dict[tuple[str, str], _Acc] = {}
    # the pairs of each distinct participant list, found once (accounts meet the same groups often)
    groups: dict[tuple[str, ...], list[_Acc]] = {}
    decays: dict[int, float] = {}
    kind_weight: dict[str, float] = {}
    in_order = True  # evidence lists are oldest first already when the interactions are
    previous: tuple[datetime, str] | None = None
    for inter in interactions:
        at = inter.at
        day = at.date()
        if day > as_of:
            continue
        if in_order:
            position = (at, inter.id)
            if previous is not None and position < previous:
                in_order = False
            previous = position
        participants = inter.participants
        pairs = groups.get(participants)
        if pairs is None:
            ours = [p for p in participants if p in staff]
            theirs = [p for p in participants if p in contacts]
            if not theirs:
                groups[participants] = _NO_CONTACT
                continue
            _weight_of(inter, weights)  # an unknown kind fails before any pair is recorded
            pairs = groups[participants] = _pairs(acc, ours, theirs)
        elif pairs is _NO_CONTACT:
            continue
        kind = inter.kind._value_
        weight = kind_weight.get(kind)
        if weight is None:
            weight = kind_weight[kind] = _weight_of(inter, weights)
        age = (as_of - day).days
        decay = decays.get(age)
        if decay is None:
            decay = decays[age] = 2.0 ** (-age / half_life)
        contribution = weight * decay
        evidence = TieEvidence(inter.id, kind, at, age, float(weight), decay, contribution)
        for pair in pairs:
            pair.raw += contribution
            pair.evidence.append(evidence)

    latest: dict[tuple[str, str], Assessment] = {}
    for assessment in assessments:
        if assessment.at > as_of or assessment.staff_id not in staff or assessment.contact_id not in contacts:
            continue
        key = tie_key(assessment.staff_id, assessment.contact_id)
        seen = latest.get(key)
        if seen is None or assessment.at >= seen.at:
            latest[key] = assessment
        acc.setdefault(key, _Acc())

    result: dict[tuple[str, str], Tie] = {}
    for key, pair in acc.items():
        x, y = key
        if y in staff:
            a, b, kind = y, x, STAFF_CONTACT
        elif x in staff:
            a, b, kind = x, y, STAFF_CONTACT
        else:
            a, b, kind = x, y, CONTACT_CONTACT
        result[key] = _make_tie(a, b, kind, pair, latest.get(key), as_of, config, in_order)
    return result


def _weight_of(inter: Interaction, weights: Mapping[str, float]) -> float:
    weight = weights.get(inter.kind._value_)
    if weight is None:
        raise ValueError(f"interaction {inter.id!r}: kind {inter.kind.value!r} has no weight in kind_weights")
    return weight


def _pairs(acc: dict[tuple[str, str], _Acc], ours: list[str], theirs: list[str]) -> list[_Acc]:
    """The accumulators of every staff-contact and contact-contact pair of one interaction."""
    pairs: list[_Acc] = []
    for s in ours:
        for c in theirs:
            key = (s, c) if s <= c else (c, s)
            pair = acc.get(key)
            if pair is None:
                pair = acc[key] = _Acc()
            pairs.append(pair)
    for i, c1 in enumerate(theirs):
        for c2 in theirs[i + 1 :]:
            key = (c1, c2) if c1 <= c2 else (c2, c1)
            pair = acc.get(key)
            if pair is None:
                pair = acc[key] = _Acc()
            pairs.append(pair)
    return pairs


def _median(values: list[float]) -> float:
    """``statistics.median`` of a non-empty list of floats (same result, less overhead)."""
    data = sorted(values)
    n = len(data)
    mid = n // 2
    if n % 2 == 1:
        return data[mid]
    return (data[mid - 1] + data[mid]) / 2


def _make_tie(
    a: str,
    b: str,
    kind: str,
    pair: _Acc,
    assessment: Assessment | None,
    as_of: date,
    config: AnalysisConfig,
    in_order: bool = False,
) -> Tie:
    if in_order:
        evidence = tuple(pair.evidence)
    else:
        evidence = tuple(sorted(pair.evidence, key=lambda e: (e.at, e.interaction_id)))
    interaction_strength = 1.0 - math.exp(-pair.raw)
    floor = 0.0
    level: AssessedLevel | None = None
    assessed_at: date | None = None
    if assessment is not None:
        level = assessment.level
        assessed_at = assessment.at
        floor = float(config.assessed_floors.get(level.value, 0.0))
    strength = max(interaction_strength, floor)
    first_at = evidence[0].at if evidence else None
    last_at = evidence[-1].at if evidence else None
    usual_gap: float | None = None
    silence: int | None = None
    if last_at is not None:
        silence = (as_of - last_at.date()).days
    if len(evidence) >= 2:
        gaps = [(e2.at - e1.at).total_seconds() / 86400.0 for e1, e2 in pairwise(evidence)]
        usual_gap = max(float(_median(gaps)), 1.0)
    going_cold = (
        usual_gap is not None
        and silence is not None
        and len(evidence) >= max(config.cold_min_interactions, 2)
        and silence > config.cold_gap_factor * usual_gap
    )
    return Tie(
        a=a,
        b=b,
        kind=kind,
        strength=strength,
        raw=pair.raw,
        interaction_strength=interaction_strength,
        floor=floor,
        assessed_level=level,
        assessed_at=assessed_at,
        band=strength_band(strength, config),
        evidence=evidence,
        first_at=first_at,
        last_at=last_at,
        usual_gap_days=usual_gap,
        silence_days=silence,
        going_cold=going_cold,
    )


def ties_of(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[tuple[str, str], Tie]:
    """Every tie of an :class:`~graph.store.AccountSubgraph` as of its ``as_of``.

    Staff are the subgraph's staff; contacts are the account's contacts (current and former).

    Examples
    --------
    >>> from datetime import date, datetime, UTC
    >>> from graph.model import Account, Contact, Employment, Interaction, Staff
    >>> from graph.store import AccountSubgraph
    >>> sub = AccountSubgraph(Account("acme", "Acme"), date(2025, 1, 31),
    ...     contacts=(Contact("c1", "Ada"),), employments=(Employment("c1", "acme"),),
    ...     staff=(Staff("s1", "Sam"),),
    ...     interactions=(Interaction("i1", "email", datetime(2025, 1, 31, tzinfo=UTC),
    ...                               participants=("c1", "s1")),))
    >>> round(ties_of(sub)[("c1", "s1")].strength, 4)
    0.3935
    """
    return tie_strengths(
        subgraph.interactions,
        {s.id for s in subgraph.staff},
        {c.id for c in subgraph.contacts},
        subgraph.as_of,
        subgraph.assessments,
        config,
    )
