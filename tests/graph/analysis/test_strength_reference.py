"""The one-pass tie computation equals a plain pair-by-pair reference, in any interaction order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from statistics import median

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.strength import Tie, TieEvidence, strength_band, tie_strengths
from graph.model import Interaction, InteractionKind

AS_OF = date(2025, 6, 30)
STAFF = {"s1", "s2"}
CONTACTS = {"c1", "c2", "c3"}
PEOPLE = sorted(STAFF | CONTACTS | {"x"})


def _key(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


def _reference(
    interactions: list[Interaction], config: AnalysisConfig = DEFAULT_CONFIG
) -> dict[tuple[str, str], Tie]:
    """Every pair of every interaction, one at a time (no assessments)."""
    raw: dict[tuple[str, str], float] = {}
    evidence: dict[tuple[str, str], list[TieEvidence]] = {}
    for inter in interactions:
        day = inter.at.date()
        if day > AS_OF:
            continue
        ours = [p for p in inter.participants if p in STAFF]
        theirs = [p for p in inter.participants if p in CONTACTS]
        if not theirs:
            continue
        weight = config.kind_weights[inter.kind.value]
        age = (AS_OF - day).days
        decay = 2.0 ** (-age / config.half_life_days)
        e = TieEvidence(inter.id, inter.kind.value, inter.at, age, float(weight), decay, weight * decay)
        keys = [_key(s, c) for s in ours for c in theirs]
        keys += [_key(c1, c2) for i, c1 in enumerate(theirs) for c2 in theirs[i + 1 :]]
        for key in keys:
            raw[key] = raw.get(key, 0.0) + e.contribution
            evidence.setdefault(key, []).append(e)
    result = {}
    for key, value in raw.items():
        x, y = key
        a, b, kind = (y, x, "staff_contact") if y in STAFF else (x, y, "staff_contact")
        if x not in STAFF and y not in STAFF:
            a, b, kind = x, y, "contact_contact"
        ev = tuple(sorted(evidence[key], key=lambda e: (e.at, e.interaction_id)))
        silence = (AS_OF - ev[-1].at.date()).days
        # the calibrated formula, written out: saturating base times recency
        recency = 1.0 / (1.0 + (silence / config.recency_half_days) ** 2)
        strength = value / (value + config.strength_half_raw) * recency
        days = sorted({e.at.date() for e in ev})
        gap = float(median([(q - p).days for p, q in pairwise(days)])) if len(days) >= 2 else None
        cold = gap is not None and len(days) >= 3 and silence > 8 * gap
        factor = 8 * gap / silence if cold and gap is not None else 1.0
        result[key] = Tie(
            a, b, kind, strength, value, strength, 0.0, None, None, strength_band(strength), ev,
            ev[0].at, ev[-1].at, gap, silence, cold, recency, factor,
        )  # fmt: skip
    return result


def _same(found: dict[tuple[str, str], Tie], expected: dict[tuple[str, str], Tie]) -> None:
    """Equal ties: every field, floats within rounding of a different order of operations."""
    assert found.keys() == expected.keys()
    for key, tie in expected.items():
        got = found[key]
        for name in Tie.__dataclass_fields__:
            want, have = getattr(tie, name), getattr(got, name)
            if isinstance(want, float):
                assert have == pytest.approx(want, rel=1e-12, abs=1e-15), (key, name)
            else:
                assert have == want, (key, name)


@st.composite
def interactions(draw: st.DrawFn) -> list[Interaction]:
    start = datetime(2025, 7, 2, 9, tzinfo=UTC)
    result = []
    for i in range(draw(st.integers(0, 30))):
        group = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True))
        hours = draw(st.integers(0, 24 * 400))
        kind = draw(st.sampled_from(list(InteractionKind)))
        result.append(
            Interaction(f"i{i:02d}", kind, start - timedelta(hours=hours), participants=tuple(group))
        )
    if draw(st.booleans()):
        result.sort(key=lambda ix: (ix.at, ix.id))
    return result


@settings(max_examples=80, deadline=None)
@given(interactions())
def test_ties_equal_the_pair_by_pair_reference(given_interactions: list[Interaction]) -> None:
    _same(tie_strengths(given_interactions, STAFF, CONTACTS, AS_OF), _reference(given_interactions))


def test_an_unknown_kind_fails_even_for_a_group_seen_before() -> None:
    at = datetime(2025, 6, 1, tzinfo=UTC)
    calls = [
        Interaction("i1", InteractionKind.CALL, at, participants=("s1", "c1")),
        Interaction("i2", InteractionKind.EMAIL, at, participants=("s1", "c1")),
    ]
    with pytest.raises(ValueError, match="'i2': kind 'email' has no weight"):
        tie_strengths(calls, STAFF, CONTACTS, AS_OF, config=AnalysisConfig(kind_weights={"call": 1.0}))
