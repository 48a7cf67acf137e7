# mypy: disable-error-code="arg-type"
"""Business signals scored for health, each against a hand derivation or a textbook formula."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from graph.analysis.business import (
    MissingSignal,
    SignalScore,
    net_promoter_score,
    renewal_score,
    satisfaction_score,
    service_score,
    usage_score,
)
from graph.analysis.config import DEFAULT_CONFIG
from graph.analysis.health import Health, relationship_health, renewal_alert
from graph.model import Account, Contract, Opportunity, SupportCase, SurveyResponse, UsageSample
from graph.store import AccountSubgraph

DAY = date(2026, 6, 30)


def account(**signals: object) -> AccountSubgraph:
    return AccountSubgraph(Account("acme", "Acme", annual_revenue=1e6), DAY, **signals)  # type: ignore[arg-type]


def nps(i: int, score: int, at: date = date(2026, 3, 1)) -> SurveyResponse:
    return SurveyResponse(f"n{i}", "acme", "nps", score, at)


def scored(result: SignalScore | MissingSignal) -> SignalScore:
    assert isinstance(result, SignalScore), result
    return result


# -- satisfaction ------------------------------------------------------------------------------


def test_nps_is_promoters_minus_detractors_in_percent() -> None:
    # 6 promoters, 2 passives, 2 detractors of 10: 60 % - 20 % = 40
    answers = [10, 10, 9, 9, 9, 10, 8, 7, 6, 0]
    assert net_promoter_score(answers) == pytest.approx(40.0)
    s = scored(satisfaction_score(account(survey_responses=tuple(nps(i, a) for i, a in enumerate(answers)))))
    assert s.evidence["promoters"] == 6 and s.evidence["detractors"] == 2
    assert s.score == pytest.approx((40 + 100) / 200)


def test_csat_is_the_share_of_satisfied_answers_and_mixes_with_nps_by_mean() -> None:
    csat = tuple(
        SurveyResponse(f"c{i}", "acme", "csat", a, date(2026, 5, 1)) for i, a in enumerate([5, 4, 3, 1])
    )
    only_csat = scored(satisfaction_score(account(survey_responses=csat)))
    assert only_csat.score == pytest.approx(2 / 4)
    both = scored(satisfaction_score(account(survey_responses=(*csat, nps(1, 10), nps(2, 6)))))
    # NPS of [10, 6] = 50 - 50 = 0 -> 0.5; CSAT 0.5; mean 0.5
    assert both.score == pytest.approx(0.5)


def test_answers_outside_the_window_are_missing_not_zero() -> None:
    old = nps(1, 2, DAY - timedelta(days=DEFAULT_CONFIG.survey_window_days))  # on the window's edge: out
    result = satisfaction_score(account(survey_responses=(old,)))
    assert isinstance(result, MissingSignal) and old.at.isoformat() in result.reason
    inside = nps(2, 2, DAY - timedelta(days=DEFAULT_CONFIG.survey_window_days - 1))
    assert scored(satisfaction_score(account(survey_responses=(old, inside)))).score == 0.0


# -- usage ---------------------------------------------------------------------------------------


def test_usage_is_adoption_against_the_target() -> None:
    sample = UsageSample("acme", date(2026, 6, 1), active_users=30, licensed_users=50)  # 0.6 adoption
    assert scored(usage_score(account(usage_samples=(sample,)))).score == pytest.approx(0.6 / 0.8)
    full = UsageSample("acme", date(2026, 6, 1), adoption=0.9)
    assert scored(usage_score(account(usage_samples=(full,)))).score == 1.0


def test_usage_with_active_users_only_compares_with_the_period_before() -> None:
    samples = (
        UsageSample("acme", date(2026, 4, 1), active_users=80),
        UsageSample("acme", date(2026, 5, 1), active_users=100),
        UsageSample("acme", date(2026, 6, 1), active_users=60),
    )
    assert scored(usage_score(account(usage_samples=samples))).score == pytest.approx(0.6)
    assert isinstance(usage_score(account(usage_samples=samples[:1])), MissingSignal)


def test_stale_usage_is_missing() -> None:
    stale = UsageSample("acme", DAY - timedelta(days=DEFAULT_CONFIG.usage_stale_days + 1), adoption=0.9)
    assert isinstance(usage_score(account(usage_samples=(stale,))), MissingSignal)


# -- service -------------------------------------------------------------------------------------


def test_service_penalty_by_hand() -> None:
    cases = (
        # open critical, a complaint, answered late (target 1 h): 0.4 x 2 + 0.25 + 0.05 = 1.1
        SupportCase("a", "acme", date(2026, 6, 20), "critical", first_response_hours=3, complaint=True),
        # closed high in the window, on time: 0.2
        SupportCase("b", "acme", date(2026, 5, 1), "high", closed=date(2026, 5, 3), first_response_hours=1),
        # closed long ago: not counted
        SupportCase("c", "acme", date(2025, 1, 1), "critical", closed=date(2025, 1, 2)),
    )
    light = scored(service_score(account(support_cases=cases[1:])))
    assert light.evidence["penalty"] == pytest.approx(0.2) and light.score == pytest.approx(0.8)
    heavy = scored(service_score(account(support_cases=cases)))
    assert heavy.evidence["penalty"] == pytest.approx(1.3) and heavy.score == 0.0
    # a case closed after the day of the analysis was still open then
    reopened = SupportCase("d", "acme", date(2026, 6, 1), "low", closed=date(2026, 7, 5))
    assert scored(service_score(account(support_cases=(reopened,)))).score == pytest.approx(1 - 0.05 * 2)


def test_no_case_at_all_is_missing_but_no_recent_case_is_perfect() -> None:
    assert isinstance(service_score(account()), MissingSignal)
    old = SupportCase("c", "acme", date(2025, 1, 1), "critical", closed=date(2025, 1, 2))
    assert scored(service_score(account(support_cases=(old,)))).score == 1.0


# -- renewal -------------------------------------------------------------------------------------


def contract(end: date, ident: str = "k1", start: date = date(2025, 7, 1), **kw: object) -> Contract:
    return Contract(ident, "acme", start, end, 500_000, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("days_left", [0, 1, 45, 90, 179, 180, 365])
def test_renewal_falls_linearly_over_the_horizon(days_left: int) -> None:
    s = scored(renewal_score(account(contracts=(contract(DAY + timedelta(days=days_left)),))))
    assert s.score == pytest.approx(min(1.0, days_left / 180))
    assert s.evidence["days_left"] == days_left


def test_a_known_later_contract_or_a_won_renewal_secures_it() -> None:
    current = contract(DAY + timedelta(days=30))
    renewal = contract(
        DAY + timedelta(days=395), "k2", start=DAY + timedelta(days=31), signed=DAY - timedelta(days=3)
    )
    assert scored(renewal_score(account(contracts=(current, renewal)))).score == 1.0
    not_yet_signed = contract(
        DAY + timedelta(days=395), "k2", start=DAY + timedelta(days=31), signed=DAY + timedelta(days=1)
    )
    # the store would not return it before its day; the analysis ignores it as well
    assert scored(renewal_score(account(contracts=(current, not_yet_signed)))).score == pytest.approx(
        30 / 180
    )
    won = Opportunity(
        "o",
        "acme",
        "Renewal",
        date(2026, 3, 1),
        5e5,
        close_date=DAY - timedelta(days=1),
        status="won",
        renewal=True,
    )
    assert scored(renewal_score(account(contracts=(current,), opportunities=(won,)))).score == 1.0
    pending = Opportunity(
        "o",
        "acme",
        "Renewal",
        date(2026, 3, 1),
        5e5,
        close_date=DAY + timedelta(days=5),
        status="won",
        renewal=True,
    )
    assert scored(renewal_score(account(contracts=(current,), opportunities=(pending,)))).score < 1.0


def test_a_lapsed_contract_scores_zero_and_no_contract_is_missing() -> None:
    lapsed = contract(DAY - timedelta(days=1))
    assert scored(renewal_score(account(contracts=(lapsed,)))).score == 0.0
    assert isinstance(renewal_score(account()), MissingSignal)


# -- the blend -----------------------------------------------------------------------------------


def reference_blend(components: dict[str, float]) -> float:
    """The weighted mean over the components given, written out from the definition."""
    num = den = 0.0
    for name, value in components.items():
        weight = DEFAULT_CONFIG.health_weights[name]
        num += weight * value
        den += weight
    return 100 * num / den


def test_missing_signals_leave_the_score_on_the_relationship_alone() -> None:
    bare = relationship_health(account(), coverage_score=50.0, threads=1)
    assert set(bare.missing) == {"satisfaction", "renewal", "usage", "service"}
    assert set(bare.components) == {"coverage", "threads", "exec_engagement", "stance", "trend"}
    assert bare.score == pytest.approx(reference_blend(dict(bare.components)))
    assert bare.score == pytest.approx(bare.relationship_score)


def test_every_present_signal_enters_the_weighted_mean() -> None:
    rng = random.Random(5)
    for _ in range(30):
        signals: dict[str, object] = {}
        if rng.random() < 0.5:
            signals["survey_responses"] = tuple(nps(i, rng.randint(0, 10)) for i in range(rng.randint(1, 6)))
        if rng.random() < 0.5:
            signals["usage_samples"] = (UsageSample("acme", date(2026, 6, 1), adoption=rng.random()),)
        if rng.random() < 0.5:
            signals["contracts"] = (contract(DAY + timedelta(days=rng.randint(0, 400))),)
        sub = account(**signals)
        health = relationship_health(sub, coverage_score=rng.uniform(0, 100), threads=rng.randint(0, 3))
        expected = dict(health.components)
        assert health.score == pytest.approx(reference_blend(expected))
        present = {"satisfaction": "survey_responses", "usage": "usage_samples", "renewal": "contracts"}
        for component, field_name in present.items():
            assert (component in health.components) == (field_name in signals)
            assert (component in health.missing) == (field_name not in signals)


def test_an_unhappy_customer_pulls_a_green_relationship_down() -> None:
    unhappy = tuple(nps(i, 2) for i in range(5))  # NPS -100: satisfaction 0
    health = relationship_health(account(survey_responses=unhappy), coverage_score=100.0, threads=2)
    assert health.components["satisfaction"] == 0.0
    assert health.score == pytest.approx(health.relationship_score * 1.0 / 1.1)


# -- the renewal alert ---------------------------------------------------------------------------


def health_of(relationship: float) -> Health:
    band = "red" if relationship < 60 else ("yellow" if relationship < 80 else "green")
    return Health("acme", relationship, band, {}, {}, relationship_score=relationship, relationship_band=band)


@pytest.mark.parametrize(
    ("days_left", "relationship", "fires"),
    [(90, 59.9, True), (91, 59.9, False), (0, 10.0, True), (30, 60.0, False), (30, 85.0, False)],
)
def test_renewal_alert_needs_a_near_unsecured_renewal_and_a_red_relationship(
    days_left: int, relationship: float, fires: bool
) -> None:
    sub = account(contracts=(contract(DAY + timedelta(days=days_left)),))
    alert = renewal_alert(sub, health_of(relationship))
    assert (alert is not None) == fires
    if alert is not None:
        assert alert.severity == "severe" and alert.evidence["days_left"] == days_left


def test_a_secured_renewal_raises_no_alert() -> None:
    current = contract(DAY + timedelta(days=10))
    renewal = contract(DAY + timedelta(days=400), "k2", start=DAY + timedelta(days=11), signed=DAY)
    assert renewal_alert(account(contracts=(current, renewal)), health_of(20.0)) is None
