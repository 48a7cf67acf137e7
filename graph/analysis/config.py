"""Every tunable number of the analyses, with the defaults from the design brief.

Analyses take an :class:`AnalysisConfig` and report the values they used, so each score can be
explained. ``AnalysisConfig.from_mapping`` builds one from plain data (a settings file or an
API input) and rejects unknown keys and out-of-range values.

Examples
--------
>>> cfg = AnalysisConfig()
>>> cfg.kind_weights["exec_visit"], cfg.half_life_days
(3.0, 90.0)
>>> [r.value for r in cfg.required_roles(Tier.STRATEGIC)][-2:]
['executive_sponsor', 'procurement']
>>> AnalysisConfig.from_mapping({"half_life_days": 30}).half_life_days
30.0
>>> AnalysisConfig.from_mapping({"half_life": 30})
Traceback (most recent call last):
...
ValueError: unknown analysis setting 'half_life'
>>> AnalysisConfig.from_mapping({"coverage_grade_weights": {"introduction": 0.25}}).coverage_grade_weights["direct"]
1.0
>>> AnalysisConfig.from_mapping({"coverage_grade_weights": {"indirect": 0.5}})
Traceback (most recent call last):
...
ValueError: unknown coverage grade 'indirect' (expected direct, introduction or gap)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from graph.model import AssessedLevel, Role, Tier

__all__ = ["DEFAULT_CONFIG", "AnalysisConfig"]


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class AnalysisConfig:
    """Parameters of every analysis (the brief's *default* formulas).

    Tie strength (:mod:`graph.analysis.strength`, where the constants are derived):
    ``raw = sum(kind_weights[kind] * 2 ** (-age_days / half_life_days))``,
    ``strength = raw / (raw + strength_half_raw) * 1 / (1 + (silence / recency_half_days) ** 2)``;
    an assessment sets a floor (``assessed_floors``) that halves every
    ``assessed_floor_half_life_days`` of silence. Bands: strong >= ``strong_threshold``, medium
    >= ``medium_threshold``, weak > 0, every threshold met within ``threshold_tolerance``.
    Going cold: silence longer than ``cold_gap_factor`` x the pair's usual gap; the tie then
    counts at ``strength * cold_gap_factor * usual_gap / silence`` in paths and coverage.

    Paths: staff->contact ties and contact<->contact ties weigh their strength, reporting lines
    ``reporting_line_strength``, influence lines their weight; a path's strength is the product.
    Threads and single points of contact count links >= ``thread_min_strength``.
    Reach looks ``reach_max_hops`` deep. Coverage grades each required role *direct* (a strong
    tie of ours to a holder), *introduction* (a strong tie to someone with an org or influence
    line >= ``thread_min_strength`` to a holder) or *gap*, weighted by ``coverage_grade_weights``.
    A role holder's departure is weighed by our ties around them: at most
    ``succession_cover_max`` of the vacated role is made good (:mod:`graph.analysis.risk`).
    A recommended meeting is valued as a new tie of ``planned_tie_strength``
    (:mod:`graph.analysis.recommendations`).
    """

    kind_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"exec_visit": 3.0, "meeting": 2.0, "call": 1.5, "event": 1.0, "email": 0.5, "support": 0.5}
        )
    )
    half_life_days: float = 90.0
    strength_half_raw: float = 2.5
    recency_half_days: float = 182.0
    assessed_floor_half_life_days: float = 365.0
    assessed_floors: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                AssessedLevel.VENDOR.value: 0.1,
                AssessedLevel.CREDIBLE_SOURCE.value: 0.3,
                AssessedLevel.PROBLEM_SOLVER.value: 0.5,
                AssessedLevel.TRUSTED_ADVISOR.value: 0.7,
            }
        )
    )
    strong_threshold: float = 0.6
    medium_threshold: float = 0.3
    cold_gap_factor: float = 8.0
    cold_min_interactions: int = 3
    threshold_tolerance: float = 1e-9

    reporting_line_strength: float = 0.5
    thread_min_strength: float = 0.3
    reach_max_hops: int = 3
    coverage_grade_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"direct": 1.0, "introduction": 0.5, "gap": 0.0})
    )
    succession_cover_max: float = 0.75
    planned_tie_strength: float = 0.7

    base_required_roles: tuple[Role, ...] = (
        Role.ECONOMIC_BUYER,
        Role.TECHNICAL_BUYER,
        Role.USER_BUYER,
        Role.CHAMPION,
    )
    extra_required_roles: Mapping[str, tuple[Role, ...]] = field(
        default_factory=lambda: _frozen({Tier.STRATEGIC.value: (Role.EXECUTIVE_SPONSOR, Role.PROCUREMENT)})
    )
    role_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen({Role.ECONOMIC_BUYER.value: 2.0, Role.CHAMPION.value: 1.5})
    )

    warm_path_max_hops: int = 4
    colleague_strength: float = 0.4
    former_colleague_strength: float = 0.25
    referral_link_strength: float = 0.5

    referral_hop_decay: float = 0.5

    health_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {
                "coverage": 0.35,
                "threads": 0.2,
                "exec_engagement": 0.15,
                "stance": 0.15,
                "trend": 0.15,
                "satisfaction": 0.1,
                "renewal": 0.1,
                "usage": 0.1,
                "service": 0.1,
            }
        )
    )
    health_green: float = 80.0
    health_yellow: float = 60.0
    full_threads: int = 2
    exec_cadence_days: Mapping[str, int] = field(
        default_factory=lambda: _frozen(
            {Tier.STRATEGIC.value: 91, Tier.KEY.value: 182, Tier.POTENTIAL.value: 365}
        )
    )
    trend_window_days: int = 90

    # business signals (graph.analysis.business)
    survey_window_days: int = 365
    usage_target_adoption: float = 0.8
    usage_stale_days: int = 120
    service_window_days: int = 90
    case_severity_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"critical": 0.4, "high": 0.2, "medium": 0.1, "low": 0.05})
    )
    case_open_factor: float = 2.0
    complaint_weight: float = 0.25
    response_target_hours: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"critical": 1.0, "high": 4.0, "medium": 8.0, "low": 24.0})
    )
    response_miss_weight: float = 0.05
    renewal_horizon_days: int = 180
    renewal_alert_days: int = 90

    rfm_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"recency": 0.3, "frequency": 0.2, "monetary": 0.5})
    )
    industry_weights: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"manufacturing": 1.2, "retail": 0.8})
    )
    concentration_flag: float = 0.20
    concentration_severe: float = 0.30

    def required_roles(self, tier: Tier | str) -> tuple[Role, ...]:
        """The roles an account of ``tier`` must have covered, base roles first."""
        key = tier.value if isinstance(tier, Tier) else str(tier)
        return self.base_required_roles + tuple(self.extra_required_roles.get(key, ()))

    def role_weight(self, role: Role | str) -> float:
        """Weight of ``role`` in the coverage score (1.0 unless configured)."""
        key = role.value if isinstance(role, Role) else str(role)
        return float(self.role_weights.get(key, 1.0))

    def to_dict(self) -> dict[str, Any]:
        """Plain-data view of every parameter (for explanations and the API)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Mapping):
                value = {k: [r.value for r in v] if isinstance(v, tuple) else v for k, v in value.items()}
            elif isinstance(value, tuple):
                value = [r.value if isinstance(r, Role) else r for r in value]
            out[f.name] = value
        return out

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> AnalysisConfig:
        """Build a config from plain data, starting from the defaults."""
        names = {f.name: f for f in dataclasses.fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key not in names:
                raise ValueError(f"unknown analysis setting {key!r}")
            default = getattr(DEFAULT_CONFIG, key)
            if isinstance(default, Mapping):
                if not isinstance(value, Mapping):
                    raise ValueError(f"analysis setting {key!r} must be a mapping")
                merged = dict(default)
                for k, v in value.items():
                    merged[str(k)] = tuple(Role(r) for r in v) if key == "extra_required_roles" else float(v)
                if key == "coverage_grade_weights":
                    _check_grade_weights(merged)
                changes[key] = _frozen(merged)
            elif isinstance(default, tuple):
                changes[key] = tuple(Role(r) for r in value)
            elif isinstance(default, bool) or not isinstance(default, int | float):
                changes[key] = value
            else:
                number = type(default)(value)
                if number < 0:
                    raise ValueError(f"analysis setting {key!r} must not be negative: {value!r}")
                if key in ("succession_cover_max", "planned_tie_strength") and number > 1:
                    raise ValueError(f"analysis setting {key!r} must be between 0 and 1: {value!r}")
                changes[key] = number
        return dataclasses.replace(DEFAULT_CONFIG, **changes)


def _check_grade_weights(weights: Mapping[str, float]) -> None:
    """Grade weights name the three grades and lie in [0, 1] (a gap never counts more than direct)."""
    unknown = sorted(set(weights) - {"direct", "introduction", "gap"})
    if unknown:
        raise ValueError(f"unknown coverage grade {unknown[0]!r} (expected direct, introduction or gap)")
    for grade, weight in weights.items():
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"coverage grade weight {grade!r} must be between 0 and 1: {weight!r}")


DEFAULT_CONFIG = AnalysisConfig()
