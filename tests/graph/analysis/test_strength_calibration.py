"""The calibration cases of tie strength, as properties (hypothesis) and hand-derived values.

Each case is a sentence of the design brief; the expected figures are derived in the comments
from ``strength = raw / (raw + 2.5) / (1 + (silence / 182) ** 2)`` with the brief's weights
(meeting 2, exec visit 3, email 0.5) and half-life (90 days).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.strength import MAX_STRENGTH, Tie, tie_strengths
from graph.model import AssessedLevel, Assessment, Interaction, InteractionKind

AS_OF = date(2025, 6, 30)
PAIR = ("s1", "c1")
KINDS = list(InteractionKind)
PROFILE = settings(max_examples=150, deadline=None)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _history(ages: list[int], kind: InteractionKind = InteractionKind.MEETING) -> list[Interaction]:
    return [Interaction(f"i{n:04d}", kind, _at(AS_OF - timedelta(days=a)), participants=PAIR) for n, a in
            enumerate(ages)]  # fmt: skip


def _tie(
    inters: list[Interaction],
    as_of: date = AS_OF,
    assessments: list[Assessment] | None = None,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> Tie:
    ties = tie_strengths(inters, {"s1"}, {"c1"}, as_of, assessments or [], config)
    return ties[("c1", "s1")]


def _by_hand(ages: list[int], weight: float) -> float:
    """The formula of the brief, written out for one kind of interaction."""
    raw = sum(weight * 2 ** (-a / 90) for a in ages)
    return raw / (raw + 2.5) / (1 + (min(ages) / 182) ** 2)


@st.composite
def monthly(draw: st.DrawFn) -> list[int]:
    """A steady monthly rhythm: 4-40 meetings every 28-31 days, the last one at most a gap ago."""
    n = draw(st.integers(4, 40))
    silence = draw(st.integers(0, 31))
    ages = [silence]
    for _ in range(n - 1):
        ages.append(ages[-1] + draw(st.integers(28, 31)))
    return ages


@PROFILE
@given(monthly())
def test_a_steady_monthly_rhythm_is_strong(ages: list[int]) -> None:
    tie = _tie(_history(ages))
    assert tie.strength >= 0.6 and tie.band == "strong"
    assert tie.strength == pytest.approx(_by_hand(ages, 2.0))
    assert not tie.going_cold and tie.effective_strength == tie.strength


def test_the_weakest_steady_monthly_rhythm_is_just_strong() -> None:
    # four meetings 31 days apart, the last 31 days ago: raw = 2 q (1 + q + q^2 + q^3), q = 2^(-31/90)
    q = 2 ** (-31 / 90)
    raw = 2 * q * (1 + q + q**2 + q**3)
    assert raw == pytest.approx(4.5627, abs=1e-4)
    expected = raw / (raw + 2.5) / (1 + (31 / 182) ** 2)
    assert expected == pytest.approx(0.6278, abs=1e-4)
    assert _tie(_history([31, 62, 93, 124])).strength == pytest.approx(expected)
    # three such meetings are not yet a rhythm that makes a tie strong
    assert _tie(_history([31, 62, 93])).band == "medium"


@PROFILE
@given(monthly(), st.lists(st.sampled_from(KINDS), max_size=5), st.sampled_from([None, *AssessedLevel]))
def test_two_half_lives_of_silence_leave_any_tie_at_most_medium(
    ages: list[int], extra: list[InteractionKind], level: AssessedLevel | None
) -> None:
    # recency(180) = 1 / (1 + (180/182)^2) = 0.506 caps every interaction strength, and the highest
    # floor (0.7) has faded to 0.7 * 2^(-180/365) = 0.499: no tie can stay strong
    later = AS_OF + timedelta(days=180 - min(ages))
    inters = _history(ages) + [
        Interaction(f"x{n}", kind, _at(AS_OF - timedelta(days=min(ages) + n)), participants=PAIR)
        for n, kind in enumerate(extra)
    ]
    rated = [Assessment("s1", "c1", level, AS_OF - timedelta(days=min(ages)))] if level else []
    tie = _tie(inters, later, rated)
    assert tie.silence_days == 180
    assert tie.strength < 0.6 and tie.band in ("medium", "weak")


def test_two_half_lives_after_an_endless_monthly_rhythm_by_hand() -> None:
    # meetings every 28 days forever, the last 180 days ago: raw <= 2 * 2^(-2) / (1 - 2^(-28/90))
    raw = 0.5 / (1 - 2 ** (-28 / 90))
    bound = raw / (raw + 2.5) / (1 + (180 / 182) ** 2)
    assert bound == pytest.approx(0.2566, abs=1e-4)
    tie = _tie(_history([180 + 28 * k for k in range(200)]))
    assert tie.strength <= bound + 1e-12 and tie.strength == pytest.approx(bound, rel=1e-3)


@PROFILE
@given(st.integers(300, 2000), st.sampled_from(KINDS))
def test_a_single_interaction_a_year_ago_is_weak(age: int, kind: InteractionKind) -> None:
    tie = _tie(_history([age], kind))
    assert 0 < tie.strength < 0.3 and tie.band == "weak"


def test_a_single_email_a_year_ago_by_hand() -> None:
    raw = 0.5 * 2 ** (-365 / 90)  # 0.0301
    expected = raw / (raw + 2.5) / (1 + (365 / 182) ** 2)
    assert expected == pytest.approx(0.00237, abs=1e-5)
    assert _tie(_history([365], InteractionKind.EMAIL)).strength == pytest.approx(expected)


@PROFILE
@given(st.integers(0, 2000))
def test_one_exec_visit_alone_is_not_strong(age: int) -> None:
    # at most raw = 3 (a visit today): 3 / (3 + 2.5) = 0.545
    tie = _tie(_history([age], InteractionKind.EXEC_VISIT))
    assert tie.strength <= 3 / 5.5 + 1e-12 and tie.band != "strong"


def test_ten_weekly_meetings_then_113_days_of_silence_are_not_strong() -> None:
    ages = [113 + 7 * k for k in range(10)]
    raw = sum(2 * 2 ** (-a / 90) for a in ages)
    assert raw == pytest.approx(6.6513, abs=1e-4)
    expected = raw / (raw + 2.5) / (1 + (113 / 182) ** 2)  # 0.727 x 0.722
    assert expected == pytest.approx(0.5246, abs=1e-4)
    tie = _tie(_history(ages))
    assert tie.strength == pytest.approx(expected) and tie.band == "medium"
    # 113 days is more than 8 x the weekly gap: it counts at 56/113 of that in paths
    assert tie.going_cold and tie.cold_factor == pytest.approx(56 / 113)
    assert tie.effective_strength == pytest.approx(expected * 56 / 113)
    assert tie.effective_strength < DEFAULT_CONFIG.thread_min_strength


def test_ten_thousand_exec_visits_today_stay_below_one() -> None:
    tie = _tie(_history([0] * 10_000, InteractionKind.EXEC_VISIT))
    assert tie.strength < 1.0 and tie.strength == pytest.approx(30_000 / 30_002.5)
    huge = AnalysisConfig.from_mapping({"kind_weights": {"exec_visit": 1e200}})
    assert _tie(_history([0] * 3, InteractionKind.EXEC_VISIT), config=huge).strength == MAX_STRENGTH < 1.0
    floor_one = AnalysisConfig.from_mapping({"assessed_floors": {"trusted_advisor": 1.0}})
    rated = [Assessment("s1", "c1", AssessedLevel.TRUSTED_ADVISOR, AS_OF)]
    assert _tie([], assessments=rated, config=floor_one).strength < 1.0


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Interaction], list[Assessment]]:
    inters = [
        Interaction(f"i{n:02d}", draw(st.sampled_from(KINDS)), _at(AS_OF - timedelta(days=draw(st.integers(0, 700)))),
                    participants=PAIR)
        for n in range(draw(st.integers(1, 12)))
    ]  # fmt: skip
    rated = []
    if draw(st.booleans()):
        age = draw(st.integers(0, 700))
        rated.append(
            Assessment("s1", "c1", draw(st.sampled_from(list(AssessedLevel))), AS_OF - timedelta(days=age))
        )
    return inters, rated


@PROFILE
@given(histories(), st.data())
def test_strength_never_falls_when_an_interaction_is_more_recent(
    history: tuple[list[Interaction], list[Assessment]], data: st.DataObject
) -> None:
    inters, rated = history
    i = data.draw(st.integers(0, len(inters) - 1))
    room = (AS_OF - inters[i].at.date()).days
    later = data.draw(st.integers(0, room))
    moved = list(inters)
    moved[i] = dataclasses.replace(inters[i], at=inters[i].at + timedelta(days=later))
    assert _tie(moved, assessments=rated).strength >= _tie(inters, assessments=rated).strength


@PROFILE
@given(histories(), st.data())
def test_strength_never_falls_when_an_interaction_weighs_more(
    history: tuple[list[Interaction], list[Assessment]], data: st.DataObject
) -> None:
    inters, rated = history
    i = data.draw(st.integers(0, len(inters) - 1))
    weights = DEFAULT_CONFIG.kind_weights
    heavier = [k for k in KINDS if weights[k.value] >= weights[inters[i].kind.value]]
    changed = list(inters)
    changed[i] = dataclasses.replace(inters[i], kind=data.draw(st.sampled_from(heavier)))
    before, after = _tie(inters, assessments=rated), _tie(changed, assessments=rated)
    assert after.strength >= before.strength
    # the rhythm does not depend on weights: what a tie counts for is monotone in them too
    assert after.effective_strength >= before.effective_strength
    # and so with any weights of the kinds (the kind itself kept)
    bump = data.draw(st.floats(1.0, 50.0))
    kind = inters[i].kind.value
    config = AnalysisConfig.from_mapping({"kind_weights": {kind: weights[kind] * bump}})
    assert _tie(inters, assessments=rated, config=config).strength >= before.strength


@PROFILE
@given(histories())
def test_strength_is_below_one_and_in_its_band(history: tuple[list[Interaction], list[Assessment]]) -> None:
    inters, rated = history
    tie = _tie(inters, assessments=rated)
    assert 0 < tie.strength < 1 and 0 < tie.effective_strength <= tie.strength
    expected = "strong" if tie.strength >= 0.6 else "medium" if tie.strength >= 0.3 else "weak"
    assert tie.band == expected


@PROFILE
@given(histories(), st.sampled_from(KINDS), st.integers(0, 700))
def test_strength_never_falls_with_one_more_interaction(
    history: tuple[list[Interaction], list[Assessment]], kind: InteractionKind, age: int
) -> None:
    inters, rated = history
    more = [*inters, Interaction("new", kind, _at(AS_OF - timedelta(days=age)), participants=PAIR)]
    assert _tie(more, assessments=rated).strength >= _tie(inters, assessments=rated).strength
