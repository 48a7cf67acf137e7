"""Tie strength: the default formula, floors, bands, going cold and evidence."""

from __future__ import annotations

import math
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
    raw = 3.0 * 0.5 + 0.5 * 1.0
    assert tie.raw == pytest.approx(raw)
    assert tie.strength == pytest.approx(1 - math.exp(-raw))
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
    assert tie.strength == 0.1 and tie.floor == 0.1 and tie.band == "weak"
    assert tie.assessed_level is not None and tie.assessed_level.value == "vendor"
    assert tie.evidence == ()


def test_bands_follow_the_thresholds() -> None:
    cfg = AnalysisConfig(strong_threshold=0.8, medium_threshold=0.4)
    assert strength_band(0.79, cfg) == "medium"
    assert strength_band(0.8, cfg) == "strong"
    assert strength_band(0.0, cfg) == "none"
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
    # two interactions are too few to know the usual gap
    tie2 = tie_strengths(weekly[:2], {"s1"}, {"c1"}, AS_OF)[("c1", "s1")]
    assert not tie2.going_cold
    # recent contact: not cold
    recent = [
        *weekly,
        Interaction("r", InteractionKind.CALL, _at(AS_OF - timedelta(days=20)), participants=("s1", "c1")),
    ]
    assert not tie_strengths(recent, {"s1"}, {"c1"}, AS_OF)[("c1", "s1")].going_cold


def test_unknown_kind_weight_is_a_clear_error() -> None:
    cfg = AnalysisConfig(kind_weights={"call": 1.0})
    inter = Interaction("i1", InteractionKind.EMAIL, _at(AS_OF), participants=("s1", "c1"))
    with pytest.raises(ValueError, match="'email' has no weight"):
        tie_strengths([inter], {"s1"}, {"c1"}, AS_OF, config=cfg)
