"""Tie strength: how well two people know each other, from the interactions they shared.

The calibrated *default* model, every number taken from
:class:`~graph.analysis.config.AnalysisConfig`::

    raw      = sum(kind_weights[kind] * 2 ** (-age_days / half_life_days))    # shared interactions
    base     = raw / (raw + strength_half_raw)                               # saturating, never 1
    recency  = 1 / (1 + (silence_days / recency_half_days) ** 2)            # 1 right after contact
    interaction_strength = base * recency
    floor    = assessed_floors[level] * 2 ** (-floor_silence / assessed_floor_half_life_days)
    strength = min(max(interaction_strength, floor), MAX_STRENGTH)

``age_days`` is the number of calendar days from an interaction's (UTC) day to ``as_of`` (an
interaction on ``as_of`` itself has age 0); interactions after the end of ``as_of`` are
ignored. ``silence_days`` is the age of the last shared interaction. The floor applies to
staff-contact pairs only and uses the latest assessment dated on or before ``as_of``; it fades
with ``floor_silence``, the days since the later of that assessment and the last shared
interaction. Bands: ``strong`` >= ``strong_threshold``, ``medium`` >= ``medium_threshold``,
``weak`` > 0, otherwise ``none``; each threshold is compared with ``threshold_tolerance``
(``value >= threshold - tolerance``) so that rounding noise never decides a band.

*Going cold*: a pair in touch on at least ``cold_min_interactions`` distinct days whose silence
is longer than ``cold_gap_factor`` times their usual gap (the median number of days between
consecutive days in touch). A going-cold tie keeps its ``strength`` (and band) but *counts* at
``effective_strength = strength * cold_factor`` in paths (reach, coverage, threads, single
points of contact, departure impact and health), with::

    cold_factor = cold_gap_factor * usual_gap_days / silence_days     # < 1 only when going cold

so a tie counts in full up to eight times its rhythm, half at sixteen times, a quarter at 32.

Why these constants (the calibration cases of the design brief)
---------------------------------------------------------------
The half-life (90 days) and the kind weights are the brief's; the map from ``raw`` to a
strength is chosen so that the cases below hold, and tests check each one.

* ``strength_half_raw`` = ``k`` = 2.5 (the raw that gives half the base; one meeting and one
  email today). One exec visit alone has at most ``raw = 3`` (on ``as_of``): ``3 / 5.5 = 0.545``,
  *not strong* for any ``k > 2``. A steady monthly rhythm of four meetings every 31 days, the
  last one 31 days ago, has ``raw = 2 q (1 + q + q^2 + q^3) = 4.563`` with
  ``q = 2 ** (-31/90) = 0.7877``; with ``recency(31) = 0.972`` it is strong (>= 0.6) when
  ``k <= 0.6196 * 4.563 = 2.83``. 2.5 lies inside ``(2, 2.83]`` and gives that case 0.628.
* ``recency_half_days`` = 182 (half a year of silence halves a tie). The factor is flat right
  after contact (a month of silence costs 3 %) and falls visibly over a quarter (0.80 at 91
  days). Ten weekly meetings then 113 days of silence have ``raw = 6.65``, base 0.727: with
  ``recency(113) = 0.722`` the tie is 0.525, medium, not strong (any half-recency below 245
  days makes it so; above 112 days keeps the monthly case strong). After two half-lives
  (180 days) of silence a monthly tie has at most ``raw = 2.58`` (an endless history): base
  0.507 x ``recency(180) = 0.506`` = 0.256, at most medium. One email a year ago: ``raw =
  0.030``, strength 0.0024, weak.
* ``assessed_floor_half_life_days`` = 365: a trusted-advisor rating (floor 0.7) keeps a silent
  tie strong for ``365 * log2(0.7 / 0.6) = 81`` days (about a quarter, the review cycle of an
  account plan) and medium for ``365 * log2(0.7 / 0.3) = 446`` days.
* ``raw / (raw + k) < 1`` in floating point for every ``raw < k * 2**52`` (10,000 exec visits
  today: raw 30,000, strength 0.99992); :data:`MAX_STRENGTH` caps the rest (absurd weights or
  a floor of 1), so a strength never reaches 1.

``strength`` is monotone: it never falls when an interaction becomes heavier or more recent
(``raw`` grows, the silences shrink). ``effective_strength`` is kept apart because a factor
relative to the pair's own rhythm cannot be monotone in every interaction's date: moving an
early meeting later shortens the usual gap, so the same silence becomes longer relative to it.
It is monotone in every weight (the rhythm does not depend on weights).

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
>>> round(tie.strength, 3), tie.band, tie.evidence[0].contribution   # 2 / (2 + 2.5)
(0.444, 'medium', 2.0)
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.frozen import frozen_record
from graph.model import AssessedLevel, Assessment, Interaction
from graph.records import AccountSubgraph

__all__ = [
    "BANDS",
    "CONTACT_CONTACT",
    "MAX_STRENGTH",
    "STAFF_CONTACT",
    "Tie",
    "TieEvidence",
    "calibrated_strength",
    "cold_factor",
    "decay_factor",
    "fading_floor",
    "get_tie",
    "recency_factor",
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
#: No strength reaches this (a guard for absurd weights or floors; see the module notes).
MAX_STRENGTH = 1.0 - 2.0**-30


@frozen_record
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


@frozen_record
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
        Final strength in [0, 1): ``min(max(interaction_strength, floor), MAX_STRENGTH)``.
    raw : float
        Sum of the evidence contributions.
    interaction_strength : float
        ``raw / (raw + strength_half_raw) * recency``.
    floor : float
        The floor set by the latest assessment, faded by the silence since the later of the
        assessment and the last shared interaction (0 when none).
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
        Median number of days between consecutive days with a shared interaction; ``None``
        with fewer than two such days.
    silence_days : int or None
        Days from the last shared interaction to ``as_of``.
    going_cold : bool
        Silence longer than ``cold_gap_factor`` x the usual gap (needs
        ``cold_min_interactions`` days in touch).
    recency : float
        ``1 / (1 + (silence_days / recency_half_days) ** 2)`` (0 without interactions).
    cold_factor : float
        ``cold_gap_factor * usual_gap_days / silence_days`` when going cold, else 1.
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
    recency: float = 1.0
    cold_factor: float = 1.0

    @property
    def effective_strength(self) -> float:
        """``strength * cold_factor``: what the tie counts for in paths, coverage and health.

        Examples
        --------
        >>> t = Tie("s1", "c1", STAFF_CONTACT, 0.5, 2.0, 0.5, 0.0, None, None, "medium", (), None, None,
        ...         7.0, 112, True, 0.8, 0.5)
        >>> t.effective_strength
        0.25
        """
        return self.strength * self.cold_factor

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
        3
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

    Thresholds are met within ``config.threshold_tolerance``.

    Examples
    --------
    >>> [strength_band(s) for s in (0.7, 0.3, 0.01, 0.0, 0.6 - 1e-12)]
    ['strong', 'medium', 'weak', 'none', 'strong']
    """
    tolerance = config.threshold_tolerance
    if strength >= config.strong_threshold - tolerance:
        return "strong"
    if strength >= config.medium_threshold - tolerance:
        return "medium"
    if strength > 0:
        return "weak"
    return "none"


def recency_factor(silence_days: float, config: AnalysisConfig = DEFAULT_CONFIG) -> float:
    """``1 / (1 + (silence_days / recency_half_days) ** 2)``: how much a silence leaves of a tie.

    Examples
    --------
    >>> recency_factor(0), recency_factor(182), round(recency_factor(30), 3)
    (1.0, 0.5, 0.974)
    """
    half = config.recency_half_days
    if half <= 0:
        raise ValueError(f"recency_half_days must be positive, got {half!r}")
    ratio = max(silence_days, 0.0) / half
    return 1.0 / (1.0 + ratio * ratio)


def calibrated_strength(raw: float, silence_days: float, config: AnalysisConfig = DEFAULT_CONFIG) -> float:
    """``raw / (raw + strength_half_raw) * recency_factor(silence_days)``, below :data:`MAX_STRENGTH`.

    Examples
    --------
    >>> calibrated_strength(2.5, 0), calibrated_strength(0.0, 10)
    (0.5, 0.0)
    >>> calibrated_strength(3 * 10_000, 0) < 1.0
    True
    """
    if raw <= 0:
        return 0.0
    half_raw = config.strength_half_raw
    if half_raw <= 0:
        raise ValueError(f"strength_half_raw must be positive, got {half_raw!r}")
    return min(raw / (raw + half_raw) * recency_factor(silence_days, config), MAX_STRENGTH)


def fading_floor(floor: float, silence_days: float, config: AnalysisConfig = DEFAULT_CONFIG) -> float:
    """``floor * 2 ** (-silence_days / assessed_floor_half_life_days)``: an assessment's floor now.

    Examples
    --------
    >>> fading_floor(0.7, 0), fading_floor(0.7, 365)
    (0.7, 0.35)
    """
    if floor <= 0:
        return 0.0
    return floor * decay_factor(silence_days, config.assessed_floor_half_life_days)


def cold_factor(
    usual_gap_days: float | None,
    silence_days: int | None,
    going_cold: bool,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> float:
    """``cold_gap_factor * usual_gap_days / silence_days`` for a going-cold tie, else 1.

    Examples
    --------
    >>> cold_factor(7.0, 112, True), cold_factor(7.0, 112, False), cold_factor(None, None, False)
    (0.5, 1.0, 1.0)
    """
    if not going_cold or usual_gap_days is None or not silence_days:
        return 1.0
    return min(1.0, config.cold_gap_factor * usual_gap_days / silence_days)


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
    ('s1', 'staff_contact', 'weak', True, 1.0, 149)
    >>> c2 = ties[("c2", "s1")]  # the trusted-advisor floor 0.7 after 120 days: 0.7 * 2 ** (-120 / 365)
    >>> round(c2.strength, 3), c2.band, round(c2.effective_strength, 3)  # cold: counts 8 * 1 / 149 of it
    (0.557, 'medium', 0.03)
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
    previous_at: datetime | None = None
    previous_id = ""
    for inter in interactions:
        at = inter.at
        day = at.date()
        if day > as_of:
            continue
        if in_order:
            if previous_at is not None and (
                at < previous_at or (at == previous_at and inter.id < previous_id)
            ):
                in_order = False
            previous_at = at
            previous_id = inter.id
        participants = inter.participants
        pairs = groups.get(participants)
        if pairs is None:
            theirs = [p for p in participants if p in contacts]
            if not theirs:
                groups[participants] = _NO_CONTACT
                continue
            _weight_of(inter, weights)  # an unknown kind fails before any pair is recorded
            pairs = groups[participants] = _pairs(acc, [p for p in participants if p in staff], theirs)
        elif pairs is _NO_CONTACT:
            continue
        kind = inter.kind._value_
        weight = kind_weight.get(kind)
        if weight is None:
            weight = kind_weight[kind] = float(_weight_of(inter, weights))
        age = (as_of - day).days
        decay = decays.get(age)
        if decay is None:
            decay = decays[age] = 2.0 ** (-age / half_life)
        contribution = weight * decay
        evidence = TieEvidence(inter.id, kind, at, age, weight, decay, contribution)
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

    return _finished_ties(acc, latest, staff, as_of, config, in_order)


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


def _finished_ties(
    acc: dict[tuple[str, str], _Acc],
    latest: Mapping[tuple[str, str], Assessment],
    staff: frozenset[str],
    as_of: date,
    config: AnalysisConfig,
    in_order: bool,
) -> dict[tuple[str, str], Tie]:
    """The :class:`Tie` of every accumulated pair: the module's formulas, one loop for all pairs.

    The per-tie arithmetic is written out here (the same operations, in the same order, as
    :func:`calibrated_strength`, :func:`recency_factor`, :func:`strength_band` and
    :func:`cold_factor`) because it runs thousands of times per account.
    """
    recency_half = config.recency_half_days
    half_raw = config.strength_half_raw
    if recency_half <= 0:
        raise ValueError(f"recency_half_days must be positive, got {recency_half!r}")
    if half_raw <= 0:
        raise ValueError(f"strength_half_raw must be positive, got {half_raw!r}")
    strong = config.strong_threshold - config.threshold_tolerance
    medium = config.medium_threshold - config.threshold_tolerance
    gap_factor = config.cold_gap_factor
    min_days = max(config.cold_min_interactions, 2)
    result: dict[tuple[str, str], Tie] = {}
    for key, pair in acc.items():
        x, y = key
        if y in staff:
            a, b, kind = y, x, STAFF_CONTACT
        elif x in staff:
            a, b, kind = x, y, STAFF_CONTACT
        else:
            a, b, kind = x, y, CONTACT_CONTACT
        raw = pair.raw
        evidence = tuple(pair.evidence) if in_order else tuple(sorted(pair.evidence, key=_evidence_order))
        silence: int | None = None
        recency = 0.0
        interaction_strength = 0.0
        usual_gap: float | None = None
        days = 0
        if evidence:
            last = evidence[-1]
            silence = last.age_days
            ratio = silence / recency_half
            recency = 1.0 / (1.0 + ratio * ratio)
            if raw > 0:
                interaction_strength = min(raw / (raw + half_raw) * recency, MAX_STRENGTH)
            if len(evidence) > 1:
                # the days in touch, oldest first, as ages (days before as_of): gaps are differences
                gaps: list[int] = []
                previous_age = evidence[0].age_days
                for item in evidence:
                    age = item.age_days
                    if age != previous_age:
                        gaps.append(previous_age - age)
                        previous_age = age
                days = len(gaps) + 1
                if gaps:
                    gaps.sort()
                    mid = len(gaps) // 2
                    usual_gap = float(gaps[mid]) if len(gaps) % 2 else (gaps[mid - 1] + gaps[mid]) / 2
        floor = 0.0
        level: AssessedLevel | None = None
        assessed_at: date | None = None
        assessment = latest.get(key)
        if assessment is not None:
            level = assessment.level
            assessed_at = assessment.at
            since = assessed_at if not evidence else max(assessed_at, evidence[-1].at.date())
            floor = fading_floor(
                float(config.assessed_floors.get(level.value, 0.0)), (as_of - since).days, config
            )
        strength = min(max(interaction_strength, floor), MAX_STRENGTH)
        going_cold = (
            usual_gap is not None
            and silence is not None
            and days >= min_days
            and silence > gap_factor * usual_gap
        )
        result[key] = Tie(
            a,
            b,
            kind,
            strength,
            raw,
            interaction_strength,
            floor,
            level,
            assessed_at,
            "strong"
            if strength >= strong
            else "medium"
            if strength >= medium
            else "weak"
            if strength > 0
            else "none",
            evidence,
            evidence[0].at if evidence else None,
            evidence[-1].at if evidence else None,
            usual_gap,
            silence,
            going_cold,
            recency,
            min(1.0, gap_factor * usual_gap / silence)
            if going_cold and usual_gap is not None and silence
            else 1.0,
        )
    return result


def _evidence_order(item: TieEvidence) -> tuple[datetime, str]:
    return item.at, item.interaction_id


def ties_of(subgraph: AccountSubgraph, config: AnalysisConfig = DEFAULT_CONFIG) -> dict[tuple[str, str], Tie]:
    """Every tie of an :class:`~graph.records.AccountSubgraph` as of its ``as_of``.

    Staff are the subgraph's staff; contacts are the account's contacts (current and former).

    Examples
    --------
    >>> from datetime import date, datetime, UTC
    >>> from graph.model import Account, Contact, Employment, Interaction, Staff
    >>> from graph.records import AccountSubgraph
    >>> sub = AccountSubgraph(Account("acme", "Acme"), date(2025, 1, 31),
    ...     contacts=(Contact("c1", "Ada"),), employments=(Employment("c1", "acme"),),
    ...     staff=(Staff("s1", "Sam"),),
    ...     interactions=(Interaction("i1", "email", datetime(2025, 1, 31, tzinfo=UTC),
    ...                               participants=("c1", "s1")),))
    >>> round(ties_of(sub)[("c1", "s1")].strength, 4)  # 0.5 / (0.5 + 2.5)
    0.1667
    >>> ties_of(sub) is ties_of(sub)  # the map and the summary of one request share the pass
    True
    """
    key = id(subgraph)
    with _RECENT_LOCK:
        hit = _RECENT_TIES.get(key)
        # the weak reference tells a live subgraph from a new one that reuses a freed id
        if hit is not None and hit[0]() is subgraph and (hit[1] is config or hit[1] == config):
            _RECENT_TIES.move_to_end(key)
            return hit[2]
    ties = tie_strengths(
        subgraph.interactions,
        {s.id for s in subgraph.staff},
        {c.id for c in subgraph.contacts},
        subgraph.as_of,
        subgraph.assessments,
        config,
    )
    with _RECENT_LOCK:
        _RECENT_TIES[key] = (weakref.ref(subgraph, _forget), config, ties)
        while len(_RECENT_TIES) > _RECENT_MAX:
            _RECENT_TIES.popitem(last=False)
    return ties


def _forget(ref: weakref.ref[AccountSubgraph]) -> None:
    """Drop the ties of a subgraph nobody holds any more (a weak reference's callback).

    It may run inside a locked block of the same thread (when a reference count drops there),
    so it takes no lock: the dictionary operations are atomic.
    """
    for key, entry in list(_RECENT_TIES.items()):
        if entry[0] is ref:
            _RECENT_TIES.pop(key, None)


#: The ties of the last few subgraphs (by identity): a request that draws an account's map and
#: its summary from one subgraph computes the tie pass once. Subgraphs are frozen, so their ties
#: cannot change; the entries hold the subgraphs only weakly.
_RECENT_MAX = 8
_RECENT_LOCK = threading.Lock()
_RECENT_TIES: OrderedDict[
    int, tuple[weakref.ref[AccountSubgraph], AnalysisConfig, dict[tuple[str, str], Tie]]
] = OrderedDict()
