"""Tie strength: the calibrated formula, fading floors, bands, going cold and evidence.

Expected values are derived by hand from the formula of the design brief (see the comments):
``strength = raw / (raw + 2.5) / (1 + (silence / 182) ** 2)``, floors halving every 365 days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from graph.analysis.config import AnalysisConfig
from graph.analysis.strength import (
    CONTACT_CONTACT,
    STAFF_CONTACT,
    decay_factor,
    get_tie,
    strength_band,
    tie_strengths,
)
from graph.model import AssessedLevel, Assessment, Interaction, InteractionKind

AS_OF = date(2025, 6, 30)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def test_formula_matches_the_design_default() -> None:
    inters = [
        Interaction(
            "i1", InteractionKind.EXEC_VISIT, _at(AS_OF - timedelta(days=90)), participants=("s1", "c1")
        ),
        Interaction("i2", InteractionKind.EMAIL, _at(AS_OF), participants=("s1", "c1")),
    ]
    tie = get_tie(tie_strengths(inters, {"s1"}, {"c1"}, AS_OF), "s1", "c1")
    assert tie is not None
    raw = 3.0 * 0.5 + 0.5 * 1.0  # the exec visit is one half-life old, the email is of today
    assert tie.raw == pytest.approx(raw)
    assert tie.recency == 1.0  # no silence
    assert tie.strength == pytest.approx(2.0 / 4.5) and tie.band == "medium"
    # thirty days later: raw halves every 90 days, recency 1 / (1 + (30/182)^2)
    later = get_tie(tie_strengths(inters, {"s1"}, {"c1"}, AS_OF + timedelta(days=30)), "s1", "c1")
    assert later is not None
    raw30 = raw * 2 ** (-30 / 90)
    assert later.strength == pytest.approx(raw30 / (raw30 + 2.5) / (1 + (30 / 182) ** 2))
    assert tie.kind == STAFF_CONTACT and (tie.a, tie.b) == ("s1", "c1")
    assert [(e.interaction_id, e.age_days, e.weight) for e in tie.evidence] == [
        ("i1", 90, 3.0),
        ("i2", 0, 0.5),
    ]
    assert sum(e.contribution for e in tie.evidence) == pytest.approx(tie.raw)


def test_n_ary_interaction_makes_every_pair_but_no_staff_staff_pair() -> None:
    inter = Interaction("m", InteractionKind.MEETING, _at(AS_OF), participants=("s1", "s2", "c1", "c2", "x9"))
    ties = tie_strengths([inter], {"s1", "s2"}, {"c1", "c2"}, AS_OF)
    assert sorted(ties) == [("c1", "c2"), ("c1", "s1"), ("c1", "s2"), ("c2", "s1"), ("c2", "s2")]
    assert ties[("c1", "c2")].kind == CONTACT_CONTACT


def test_future_interactions_are_ignored_and_end_of_day_counts() -> None:
    late = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, tzinfo=UTC)
    inters = [
        Interaction("today", InteractionKind.CALL, late, participants=("s1", "c1")),
        Interaction("tomorrow", InteractionKind.CALL, late + timedelta(minutes=2), participants=("s1", "c1")),
    ]
    tie = tie_strengths(inters, {"s1"}, {"c1"}, AS_OF)[("c1", "s1")]
    assert [e.interaction_id for e in tie.evidence] == ["today"]


def test_latest_assessment_sets_a_floor() -> None:
    assessments = [
        Assessment("s1", "c1", AssessedLevel.TRUSTED_ADVISOR, date(2025, 1, 1)),
        Assessment("s1", "c1", AssessedLevel.VENDOR, date(2025, 3, 1)),
        Assessment("s1", "c1", AssessedLevel.PROBLEM_SOLVER, date(2025, 9, 1)),  # after as_of
    ]
    tie = tie_strengths([], {"s1"}, {"c1"}, AS_OF, assessments)[("c1", "s1")]
    # the vendor floor 0.1, assessed 121 days before, has faded: 0.1 * 2 ** (-121 / 365)
    assert tie.floor == pytest.approx(0.1 * 2 ** (-121 / 365)) and tie.strength == tie.floor
    assert tie.band == "weak" and tie.interaction_strength == 0.0 and tie.recency == 0.0
    assert tie.assessed_level is not None and tie.assessed_level.value == "vendor"
    assert tie.evidence == ()


def test_a_floor_fades_from_the_last_contact_after_the_assessment() -> None:
    rated = [Assessment("s1", "c1", AssessedLevel.TRUSTED_ADVISOR, date(2025, 1, 1))]
    email = Interaction("e", InteractionKind.EMAIL, _at(date(2025, 5, 1)), participants=("s1", "c1"))
    tie = tie_strengths([email], {"s1"}, {"c1"}, AS_OF, rated)[("c1", "s1")]
    # the email (60 days before AS_OF) is later than the rating: the floor fades from the email
    assert tie.floor == pytest.approx(0.7 * 2 ** (-60 / 365))
    raw = 0.5 * 2 ** (-60 / 90)
    assert tie.interaction_strength == pytest.approx(raw / (raw + 2.5) / (1 + (60 / 182) ** 2))
    assert tie.strength == tie.floor and tie.band == "strong"  # 0.7 * 0.892 = 0.624
    # 81 days of silence keep a trusted advisor strong, 82 do not: 365 * log2(0.7 / 0.6) = 81.2
    assert tie_strengths([], {"s1"}, {"c1"}, date(2025, 3, 23), rated)[("c1", "s1")].band == "strong"
    assert tie_strengths([], {"s1"}, {"c1"}, date(2025, 3, 24), rated)[("c1", "s1")].band == "medium"


def test_bands_follow_the_thresholds() -> None:
    cfg = AnalysisConfig(strong_threshold=0.8, medium_threshold=0.4)
    assert strength_band(0.79, cfg) == "medium"
    assert strength_band(0.8, cfg) == "strong"
    assert strength_band(0.0, cfg) == "none"
    # thresholds are met within the documented tolerance, not by rounding luck
    assert strength_band(0.8 - 1e-12, cfg) == "strong" and strength_band(0.8 - 1e-6, cfg) == "medium"
    assert strength_band(0.1 + 0.2) == "medium"  # 0.30000000000000004
    with pytest.raises(ValueError, match="half_life_days"):
        decay_factor(1, 0)


def test_going_cold_needs_a_long_silence_and_enough_history() -> None:
    start = AS_OF - timedelta(days=200)
    weekly = [
        Interaction(
            f"w{i}", InteractionKind.CALL, _at(start + timedelta(days=7 * i)), participants=("s1", "c1")
        )
        for i in range(4)
    ]
    tie = tie_strengths(weekly, {"s1"}, {"c1"}, AS_OF)[("c1", "s1")]
    assert tie.usual_gap_days == pytest.approx(7.0)
    assert tie.silence_days == 200 - 21
    assert tie.going_cold
    # it counts at 8 x 7 / 179 of its strength in paths and coverage
    assert tie.cold_factor == pytest.approx(56 / 179)
    assert tie.effective_strength == pytest.approx(tie.strength * 56 / 179)
    # two interactions are too few to know the usual gap
    tie2 = tie_strengths(weekly[:2], {"s1"}, {"c1"}, AS_OF)[("c1", "s1")]
    assert not tie2.going_cold
    # recent contact: not cold
    recent = [
        *weekly,
        Interaction("r", InteractionKind.CALL, _at(AS_OF - timedelta(days=20)), participants=("s1", "c1")),
    ]
    warm = tie_strengths(recent, {"s1"}, {"c1"}, AS_OF)[("c1", "s1")]
    assert not warm.going_cold and warm.cold_factor == 1.0 and warm.effective_strength == warm.strength


def test_the_usual_gap_counts_days_in_touch() -> None:
    # a meeting and its follow-up email on the same day are one day in touch
    days = [AS_OF - timedelta(days=d) for d in (100, 70, 40)]
    inters = [
        Interaction(f"{kind.value}{i}", kind, _at(day), participants=("s1", "c1"))
        for i, day in enumerate(days)
        for kind in (InteractionKind.MEETING, InteractionKind.EMAIL)
    ]
    tie = tie_strengths(inters, {"s1"}, {"c1"}, AS_OF)[("c1", "s1")]
    assert tie.interactions == 6 and tie.usual_gap_days == 30.0 and not tie.going_cold
    # two days in touch are too few to know a rhythm, however many interactions they hold
    few = tie_strengths(inters[:4], {"s1"}, {"c1"}, AS_OF + timedelta(days=400))[("c1", "s1")]
    assert few.usual_gap_days == 30.0 and not few.going_cold


def test_unknown_kind_weight_is_a_clear_error() -> None:
    cfg = AnalysisConfig(kind_weights={"call": 1.0})
    inter = Interaction("i1", InteractionKind.EMAIL, _at(AS_OF), participants=("s1", "c1"))
    with pytest.raises(ValueError, match="'email' has no weight"):
        tie_strengths([inter], {"s1"}, {"c1"}, AS_OF, config=cfg)
