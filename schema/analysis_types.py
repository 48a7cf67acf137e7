"""GraphQL types of the analyses' results: coverage, threads, departure impact, ties, health, alerts.

The types are built from the analyses' plain-data payloads (``AccountAnalysis.to_payload``,
``account_payload``, ``Alert.to_payload``), which is also what the portfolio refresh
materialises, so a materialised and a freshly computed result look the same through the API.
Each score comes with the parameters and evidence behind it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from graph import model
from schema.enums import HealthBand, RiskPart, Severity, Side, TieBand, TieKind
from schema.fields import field
from schema.presentation import Days, Money, Ratio, Score, Strength, api_evidence, enum_name
from schema.types import Person, load_person

__all__ = [
    "AccountAnalysis",
    "Alert",
    "Coverage",
    "CoverageGrade",
    "DepartureImpact",
    "Health",
    "HealthComponent",
    "LevelCoverage",
    "PathLink",
    "ReachPath",
    "RoleCoverage",
    "RoleCut",
    "RoleRisk",
    "SinglePoint",
    "Threads",
    "Tie",
    "TieEvidence",
    "WhatIf",
    "alert_from",
    "coverage_from",
    "health_from",
    "impact_from",
    "level_coverage_from",
    "role_risk_from",
    "threads_from",
    "tie_from",
    "what_if_from",
]

Data = Mapping[str, Any]


def _ids(values: Sequence[Any] | None) -> list[strawberry.ID]:
    return [strawberry.ID(str(v)) for v in values or ()]


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


@strawberry.type(description="One link of a path: its kind (tie, reporting line, influence) and strength.")
class PathLink:
    source: strawberry.ID
    target: strawberry.ID
    link: str = strawberry.field(description="TIE, REPORTS_TO, MANAGES, INFLUENCES, ... (enum casing).")
    strength: Strength


@strawberry.type(description="The best path from one of our staff to a person; strength = product of links.")
class ReachPath:
    nodes: list[strawberry.ID]
    links: list[PathLink]
    strength: Strength


@strawberry.enum(
    description="How a required role is covered: a direct strong tie, an introduction, or a gap."
)
class CoverageGrade(enum.Enum):
    DIRECT = "direct"
    INTRODUCTION = "introduction"
    GAP = "gap"


@strawberry.type(
    description=(
        "Coverage of one required role: its grade (direct: our strong tie to a holder; introduction: "
        "our strong tie to someone who manages, reports to or influences a holder; gap) and the path behind it."
    )
)
class RoleCoverage:
    role: model.Role
    weight: Ratio
    holder_ids: list[strawberry.ID]
    covered: bool = strawberry.field(description="Whether the grade is direct or introduction.")
    holder_id: strawberry.ID | None
    path: ReachPath | None
    strength: Strength = strawberry.field(description="Strength of the path (product of its links).")
    grade: CoverageGrade
    grade_weight: Ratio = strawberry.field(description="Weight of the grade in the score (0-1).")
    staff_id: strawberry.ID | None = strawberry.field(description="Our person at the start of the path.")
    introducer_id: strawberry.ID | None = strawberry.field(description="Who introduces us (introduction).")
    tie_strength: Strength = strawberry.field(
        description="Our tie to the holder or introducer, compared with the strong threshold."
    )


@strawberry.type(
    description="Decision-chain coverage 0-100 = sum(role weight x grade weight) / sum(role weight) x 100."
)
class Coverage:
    score: Score
    covered_weight: Ratio
    total_weight: Ratio
    min_reach: Strength = strawberry.field(
        description="Tie strength a grade needs (the strong threshold, met within the tolerance)."
    )
    tolerance: str = strawberry.field(
        description="Tolerance the thresholds are met with, exact (e.g. 1e-09): value >= threshold - tolerance."
    )
    max_hops: int
    roles: list[RoleCoverage]


@strawberry.type(description="Level coverage: the strongest same-level tie between our staff and theirs.")
class LevelCoverage:
    level: model.Level
    covered: bool
    staff_id: strawberry.ID | None
    contact_id: strawberry.ID | None
    strength: Strength


@strawberry.type(description="A person who alone holds every thread to the decision makers (ours or theirs).")
class SinglePoint:
    person_id: strawberry.ID
    side: Side
    as_of: strawberry.Private[date]

    @field(description="The person (null when outside your scope).")
    async def person(self, info: strawberry.Info) -> Person | None:
        return await load_person(info, str(self.person_id), self.as_of)


@strawberry.type(description="The people whose loss alone cuts every thread to the holders of `role`.")
class RoleCut:
    role: model.Role
    holder_ids: list[strawberry.ID]
    reachable: bool
    cut_vertices: list[strawberry.ID]


@strawberry.type(
    description=(
        "Relationship threads: node-disjoint paths from our staff to the holders of required roles over "
        "links >= minStrength; a minimum node cut of size 1 names the single point of contact."
    )
)
class Threads:
    threads: int
    min_strength: Strength
    sources: list[strawberry.ID]
    sinks: list[strawberry.ID]
    paths: list[list[strawberry.ID]]
    min_cut: list[strawberry.ID]
    critical: list[strawberry.ID]
    single_points_of_contact: list[SinglePoint]
    articulation_points: list[strawberry.ID]
    role_cuts: list[RoleCut]


@strawberry.type(
    description=(
        "What one covered role stands to lose in a departure: a RELATIONSHIP loss (the person carried our "
        "access to it) or a TURNOVER loss (the person holds it), the latter made good by `cover` through "
        "our tie `staffId -> via` to someone around the holder."
    )
)
class RoleRisk:
    role: model.Role
    part: RiskPart
    weight: Ratio
    before: Ratio = strawberry.field(description="The role's grade weight before the departure.")
    after: Ratio = strawberry.field(description="The role's standing without the people who leave (0-1).")
    cover: Ratio = strawberry.field(
        description="Share of a turnover loss our ties around the holder make good."
    )
    via: strawberry.ID | None
    staff_id: strawberry.ID | None
    at_risk: Score = strawberry.field(
        description="Coverage points at risk: 100 x weight x loss x (1 - cover) / total weight."
    )


@strawberry.type(description="What the account loses if this person leaves (what-if of one person).")
class DepartureImpact:
    person_id: strawberry.ID
    side: Side
    coverage_before: Score
    coverage_after: Score
    coverage_lost: Score
    impact: Ratio = strawberry.field(description="atRisk / 100.")
    roles_lost: list[model.Role]
    threads_before: int
    threads_after: int
    threads_lost: int
    cuts_roles: list[model.Role]
    revenue_at_risk: Money = strawberry.field(description="Annual revenue x impact.")
    at_risk: Score = strawberry.field(
        description="Coverage points at risk: relationshipAtRisk + turnoverAtRisk."
    )
    relationship_at_risk: Score
    turnover_at_risk: Score
    revenue_relationship: Money = strawberry.field(
        description="The part of revenueAtRisk from relationships."
    )
    revenue_turnover: Money = strawberry.field(description="The part of revenueAtRisk from role turnover.")
    role_risks: list[RoleRisk] = strawberry.field(description="Why: the loss of each role.")
    as_of: strawberry.Private[date]

    @field(description="The person (null when outside your scope).")
    async def person(self, info: strawberry.Info) -> Person | None:
        return await load_person(info, str(self.person_id), self.as_of)


@strawberry.type(description="One shared interaction and what it contributed to a tie (weight x decay).")
class TieEvidence:
    interaction_id: strawberry.ID
    kind: model.InteractionKind
    at: datetime
    age_days: int
    weight: Ratio
    decay: Ratio | None = strawberry.field(
        description="2 ** (-ageDays / halfLife) (null in stored summaries)."
    )
    contribution: Ratio


@strawberry.type(
    description=(
        "The tie between two people: strength = raw / (raw + k) x recency, raw = sum of decayed interaction "
        "weights, floored by a fading assessment; band strong/medium/weak; a going-cold tie (silence longer "
        "than 8 x its usual gap) counts at effectiveStrength = strength x coldFactor."
    )
)
class Tie:
    a: strawberry.ID
    b: strawberry.ID
    kind: TieKind
    strength: Strength
    raw: Ratio
    interaction_strength: Strength
    floor: Strength
    assessed_level: model.AssessedLevel | None
    assessed_at: date | None
    band: TieBand
    interactions: int
    first_at: datetime | None
    last_at: datetime | None
    usual_gap_days: Days | None
    silence_days: int | None
    going_cold: bool
    recency: Ratio = strawberry.field(description="1 / (1 + (silence / recencyHalfDays)^2).")
    cold_factor: Ratio = strawberry.field(description="8 x usual gap / silence when going cold, else 1.")
    effective_strength: Strength = strawberry.field(
        description="strength x coldFactor: what the tie counts for in reach, coverage and health."
    )
    evidence: list[TieEvidence] = strawberry.field(description="The strongest contributions (a few).")


@strawberry.type(description="One component of relationship health (0-1) and its weight.")
class HealthComponent:
    name: str
    score: Ratio
    weight: Ratio


@strawberry.type(
    description="A business signal without data: left out of the health score, never counted as zero."
)
class MissingSignal:
    name: str
    reason: str


@strawberry.type(
    description=(
        "Account health 0-100: relationship components (coverage, threads, exec engagement, stance, "
        "trend) and business ones (satisfaction, renewal, usage, service) blended by weight over "
        "those with data."
    )
)
class Health:
    score: Score
    band: HealthBand = strawberry.field(description="green >= 80, yellow 60-80, red < 60 (configurable).")
    components: list[HealthComponent]
    missing: list[MissingSignal] = strawberry.field(
        description="Business signals without data, with the reason."
    )
    relationship_score: Score | None = strawberry.field(
        description="The blend of the relationship components alone."
    )
    relationship_band: HealthBand | None
    evidence: JSON = strawberry.field(description="The inputs of each component.")
    materialised: bool = strawberry.field(description="Read from the portfolio refresh (else computed now).")


@strawberry.type(
    description="Something to look at (cadence breach, single point, going cold, job change, ...)."
)
class Alert:
    kind: str = strawberry.field(
        description="CADENCE_BREACH, SINGLE_POINT_OF_CONTACT, GOING_COLD, JOB_CHANGE_RISK, ... (enum casing)."
    )
    severity: Severity
    account_id: strawberry.ID | None
    person_id: strawberry.ID | None
    message: str
    evidence: JSON


@strawberry.type(
    description="The account without the removed people: coverage, levels and threads, and losses."
)
class WhatIf:
    account_id: strawberry.ID
    removed: list[strawberry.ID]
    coverage_before: Score
    coverage: Coverage
    coverage_lost: Score
    impact: Ratio
    roles_lost: list[model.Role]
    level_coverage: list[LevelCoverage]
    levels_lost: list[model.Level]
    threads_before: int
    threads: Threads
    threads_lost: int
    revenue_at_risk: Money = strawberry.field(description="Annual revenue x atRisk / 100.")
    at_risk: Score = strawberry.field(description="Coverage points at risk (see DepartureImpact).")
    relationship_at_risk: Score
    turnover_at_risk: Score
    role_risks: list[RoleRisk]


# -- converters from plain data ----------------------------------------------------------------


def _path(data: Data | None) -> ReachPath | None:
    if data is None:
        return None
    return ReachPath(
        nodes=_ids(data["nodes"]),
        links=[
            PathLink(
                source=strawberry.ID(link["source"]),
                target=strawberry.ID(link["target"]),
                link=enum_name(str(link["link"])),
                strength=Strength(float(link["strength"])),
            )
            for link in data["links"]
        ],
        strength=Strength(float(data["strength"])),
    )


def coverage_from(data: Data) -> Coverage:
    """A :class:`Coverage` from ``Coverage`` plain data."""
    return Coverage(
        score=Score(float(data["score"])),
        covered_weight=Ratio(float(data["covered_weight"])),
        total_weight=Ratio(float(data["total_weight"])),
        min_reach=Strength(float(data["min_reach"])),
        tolerance=repr(float(data.get("tolerance", 0.0))),
        max_hops=int(data["max_hops"]),
        roles=[
            RoleCoverage(
                role=model.Role(r["role"]),
                weight=Ratio(float(r["weight"])),
                holder_ids=_ids(r["holders"]),
                covered=bool(r["covered"]),
                holder_id=strawberry.ID(r["holder"]) if r.get("holder") else None,
                path=_path(r.get("path")),
                strength=Strength(float(r["strength"])),
                grade=CoverageGrade(r.get("grade", "direct" if r["covered"] else "gap")),
                grade_weight=Ratio(float(r.get("grade_weight", 1.0 if r["covered"] else 0.0))),
                staff_id=strawberry.ID(r["staff_id"]) if r.get("staff_id") else None,
                introducer_id=strawberry.ID(r["introducer"]) if r.get("introducer") else None,
                tie_strength=Strength(float(r.get("tie_strength", r["strength"]))),
            )
            for r in data["roles"]
        ],
    )


def level_coverage_from(rows: Sequence[Data]) -> list[LevelCoverage]:
    """:class:`LevelCoverage` s from plain data."""
    return [
        LevelCoverage(
            level=model.Level(r["level"]),
            covered=bool(r["covered"]),
            staff_id=strawberry.ID(r["staff_id"]) if r.get("staff_id") else None,
            contact_id=strawberry.ID(r["contact_id"]) if r.get("contact_id") else None,
            strength=Strength(float(r["strength"])),
        )
        for r in rows
    ]


def threads_from(data: Data, as_of: date) -> Threads:
    """A :class:`Threads` from plain data."""
    return Threads(
        threads=int(data["threads"]),
        min_strength=Strength(float(data["min_strength"])),
        sources=_ids(data["sources"]),
        sinks=_ids(data["sinks"]),
        paths=[_ids(p) for p in data["paths"]],
        min_cut=_ids(data["min_cut"]),
        critical=_ids(data["critical"]),
        single_points_of_contact=[
            SinglePoint(person_id=strawberry.ID(p["person_id"]), side=Side(p["side"]), as_of=as_of)
            for p in data["single_points_of_contact"]
        ],
        articulation_points=_ids(data["articulation_points"]),
        role_cuts=[
            RoleCut(
                role=model.Role(c["role"]),
                holder_ids=_ids(c["holders"]),
                reachable=bool(c["reachable"]),
                cut_vertices=_ids(c["cut_vertices"]),
            )
            for c in data["role_cuts"]
        ],
    )


def impact_from(data: Data, as_of: date) -> DepartureImpact:
    """A :class:`DepartureImpact` from plain data."""
    return DepartureImpact(
        person_id=strawberry.ID(data["person_id"]),
        side=Side(data["side"]),
        coverage_before=Score(float(data["coverage_before"])),
        coverage_after=Score(float(data["coverage_after"])),
        coverage_lost=Score(float(data["coverage_lost"])),
        impact=Ratio(float(data["impact"])),
        roles_lost=[model.Role(r) for r in data["roles_lost"]],
        threads_before=int(data["threads_before"]),
        threads_after=int(data["threads_after"]),
        threads_lost=int(data["threads_lost"]),
        cuts_roles=[model.Role(r) for r in data["cuts_roles"]],
        revenue_at_risk=Money(float(data["revenue_at_risk"])),
        at_risk=Score(float(data["at_risk"])),
        relationship_at_risk=Score(float(data["relationship_at_risk"])),
        turnover_at_risk=Score(float(data["turnover_at_risk"])),
        revenue_relationship=Money(float(data["revenue_relationship"])),
        revenue_turnover=Money(float(data["revenue_turnover"])),
        role_risks=[role_risk_from(r) for r in data["role_risks"]],
        as_of=as_of,
    )


def role_risk_from(data: Data) -> RoleRisk:
    """A :class:`RoleRisk` from plain data."""
    return RoleRisk(
        role=model.Role(data["role"]),
        part=RiskPart(data["part"]),
        weight=Ratio(float(data["weight"])),
        before=Ratio(float(data["before"])),
        after=Ratio(float(data["after"])),
        cover=Ratio(float(data["cover"])),
        via=strawberry.ID(data["via"]) if data.get("via") else None,
        staff_id=strawberry.ID(data["staff_id"]) if data.get("staff_id") else None,
        at_risk=Score(float(data["at_risk"])),
    )


def tie_from(data: Data) -> Tie:
    """A :class:`Tie` from plain data."""
    level = data.get("assessed_level")
    evidence = data.get("evidence") or ()
    return Tie(
        a=strawberry.ID(data["a"]),
        b=strawberry.ID(data["b"]),
        kind=TieKind(data["kind"]),
        strength=Strength(float(data["strength"])),
        raw=Ratio(float(data["raw"])),
        interaction_strength=Strength(float(data["interaction_strength"])),
        floor=Strength(float(data["floor"])),
        assessed_level=model.AssessedLevel(level) if level else None,
        assessed_at=_day(data.get("assessed_at")),
        band=TieBand(data["band"]),
        interactions=int(data.get("interactions", len(evidence))),
        first_at=_moment(data.get("first_at")),
        last_at=_moment(data.get("last_at")),
        usual_gap_days=None if data.get("usual_gap_days") is None else Days(float(data["usual_gap_days"])),
        silence_days=data.get("silence_days"),
        going_cold=bool(data["going_cold"]),
        recency=Ratio(float(data.get("recency", 1.0))),
        cold_factor=Ratio(float(data.get("cold_factor", 1.0))),
        effective_strength=Strength(float(data.get("effective_strength", data["strength"]))),
        evidence=[
            TieEvidence(
                interaction_id=strawberry.ID(e["interaction_id"]),
                kind=model.InteractionKind(e["kind"]),
                at=_moment(e["at"]) or datetime.min,
                age_days=int(e["age_days"]),
                weight=Ratio(float(e["weight"])),
                decay=Ratio(float(e["decay"])) if e.get("decay") is not None else None,
                contribution=Ratio(float(e["contribution"])),
            )
            for e in evidence
        ],
    )


def health_from(data: Data, materialised: bool) -> Health:
    """A :class:`Health` from ``Health.to_payload`` data."""
    components = data.get("components") or {}
    weights = data.get("weights") or {}
    return Health(
        score=Score(float(data["score"])),
        band=HealthBand(data["band"]),
        components=[
            HealthComponent(name=str(k), score=Ratio(float(v)), weight=Ratio(float(weights.get(k, 0.0))))
            for k, v in components.items()
        ],
        missing=[MissingSignal(name=str(k), reason=str(v)) for k, v in (data.get("missing") or {}).items()],
        relationship_score=(
            Score(float(data["relationship_score"])) if data.get("relationship_score") is not None else None
        ),
        relationship_band=HealthBand(data["relationship_band"]) if data.get("relationship_band") else None,
        evidence=cast(JSON, api_evidence(dict(data.get("evidence") or {}))),
        materialised=materialised,
    )


def alert_from(data: Data) -> Alert:
    """An :class:`Alert` from ``Alert.to_payload`` data."""
    return Alert(
        kind=enum_name(str(data["kind"])),
        severity=Severity(data["severity"]),
        account_id=strawberry.ID(data["account_id"]) if data.get("account_id") else None,
        person_id=strawberry.ID(data["person_id"]) if data.get("person_id") else None,
        message=str(data["message"]),
        evidence=cast(JSON, api_evidence(dict(data.get("evidence") or {}))),
    )


def what_if_from(data: Data, as_of: date) -> WhatIf:
    """A :class:`WhatIf` from plain data."""
    return WhatIf(
        account_id=strawberry.ID(data["account_id"]),
        removed=_ids(data["removed"]),
        coverage_before=Score(float(data["coverage_before"])),
        coverage=coverage_from(data["coverage"]),
        coverage_lost=Score(float(data["coverage_lost"])),
        impact=Ratio(float(data["impact"])),
        roles_lost=[model.Role(r) for r in data["roles_lost"]],
        level_coverage=level_coverage_from(data["level_coverage"]),
        levels_lost=[model.Level(v) for v in data["levels_lost"]],
        threads_before=int(data["threads_before"]),
        threads=threads_from(data["threads"], as_of),
        threads_lost=int(data["threads_lost"]),
        revenue_at_risk=Money(float(data["revenue_at_risk"])),
        at_risk=Score(float(data["at_risk"])),
        relationship_at_risk=Score(float(data["relationship_at_risk"])),
        turnover_at_risk=Score(float(data["turnover_at_risk"])),
        role_risks=[role_risk_from(r) for r in data["role_risks"]],
    )


@strawberry.type(
    description=(
        "The per-account analysis: decision-chain coverage per role and per level, relationship threads and "
        "single points of contact, the departure impact of every person and revenue at risk, the ties with "
        "their evidence, and the parameters used."
    )
)
class AccountAnalysis:
    payload: strawberry.Private[Data]
    as_of: strawberry.Private[date]

    @strawberry.field
    def coverage(self) -> Coverage:
        return coverage_from(self.payload["coverage"])

    @strawberry.field
    def level_coverage(self) -> list[LevelCoverage]:
        return level_coverage_from(self.payload["level_coverage"])

    @strawberry.field
    def threads(self) -> Threads:
        return threads_from(self.payload["threads"], self.as_of)

    @field(description="People who alone hold every thread to the decision makers (when threads = 1).")
    def single_points_of_contact(self) -> list[SinglePoint]:
        return threads_from(self.payload["threads"], self.as_of).single_points_of_contact

    @field(description="Departure impact per person, largest revenue at risk first (`first` 1-100).")
    def departure_impacts(self, first: int = 20) -> list[DepartureImpact]:
        from schema.paging import check_first

        check_first(first)
        rows = sorted(
            self.payload["departure_impacts"],
            key=lambda d: (-float(d["revenue_at_risk"]), str(d["person_id"])),
        )
        return [impact_from(d, self.as_of) for d in rows[:first]]

    @field(description="The person whose departure would cost the most.")
    def key_person_id(self) -> strawberry.ID | None:
        key = self.payload.get("key_person")
        return None if key is None else strawberry.ID(str(key))

    @strawberry.field
    def revenue_at_risk(self) -> Money:
        return Money(float(self.payload["revenue_at_risk"]))

    @field(
        description=(
            "Ties touching the account's contacts with their evidence, strongest first (`first` 1-100); "
            "`kind` keeps only staff-contact or only contact-contact ties."
        )
    )
    def ties(self, first: int = 50, min_strength: float = 0.0, kind: TieKind | None = None) -> list[Tie]:
        from schema.paging import check_first

        check_first(first)
        rows = [
            t
            for t in self.payload["map"]["ties"]
            if float(t["strength"]) >= min_strength and (kind is None or t["kind"] == kind.value)
        ]
        return [tie_from(t) for t in rows[:first]]

    @field(description="Every parameter the analysis used.")
    def config(self) -> JSON:
        return cast(JSON, self.payload.get("config", {}))
