"""The GraphQL enums: the model's enumerations (values are the model's values) and the API's own
closed vocabularies (health band, tie band, side, severity, ...). Every enum is written in its
GraphQL casing (``STRATEGIC``), see :mod:`schema.presentation`."""

from __future__ import annotations

from enum import StrEnum

import strawberry

from graph import model

__all__ = [
    "AssessedLevel",
    "CaseSeverity",
    "Change",
    "ConcentrationLevel",
    "Direction",
    "GapKind",
    "HealthBand",
    "InteractionKind",
    "Level",
    "OpportunityStatus",
    "PoliticalStatus",
    "Quadrant",
    "ReferralStatus",
    "ReferrerKind",
    "RelationKind",
    "RiskPart",
    "Role",
    "SearchKind",
    "Severity",
    "Side",
    "Stance",
    "SurveyKind",
    "TeamRole",
    "TieBand",
    "TieKind",
    "Tier",
]

Tier = strawberry.enum(model.Tier, name="Tier", description="Account tier of the KAM pyramid.")
Level = strawberry.enum(model.Level, name="Level", description="Organisational level of a person.")
Stance = strawberry.enum(model.Stance, name="Stance", description="A contact's stance toward us.")
PoliticalStatus = strawberry.enum(
    model.PoliticalStatus,
    name="PoliticalStatus",
    description="Where a contact stands in the power structure.",
)
Role = strawberry.enum(model.Role, name="Role", description="Buying-centre role at one account.")
TeamRole = strawberry.enum(model.TeamRole, name="TeamRole", description="Role on one of our account teams.")
InteractionKind = strawberry.enum(
    model.InteractionKind, name="InteractionKind", description="Kind of interaction."
)
AssessedLevel = strawberry.enum(
    model.AssessedLevel, name="AssessedLevel", description="A rep's rating of a tie, weakest first."
)
ReferralStatus = strawberry.enum(
    model.ReferralStatus, name="ReferralStatus", description="Outcome of a referral."
)
RelationKind = strawberry.enum(
    model.RelationKind,
    name="RelationKind",
    description="Type of an informal contact-contact relation (friend, former colleague, colleague hold both ways).",
)

SurveyKind = strawberry.enum(
    model.SurveyKind, name="SurveyKind", description="Survey scale: NPS (0-10) or CSAT (1-5)."
)
CaseSeverity = strawberry.enum(
    model.CaseSeverity, name="CaseSeverity", description="Severity of a support case, worst first."
)
OpportunityStatus = strawberry.enum(
    model.OpportunityStatus,
    name="OpportunityStatus",
    description="Whether an opportunity is open, won or lost.",
)


class Quadrant(StrEnum):
    """Value-matrix quadrant: contribution x potential, split at the portfolio medians."""

    STAR = "star"
    CASH_COW = "cash_cow"
    QUESTION_MARK = "question_mark"
    DOG = "dog"


class HealthBand(StrEnum):
    """Relationship-health band: green >= 80, yellow 60-80, red < 60 (configurable)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class TieBand(StrEnum):
    """Band of a tie's strength: strong >= 0.6, medium >= 0.3, weak > 0, none."""

    STRONG = "strong"
    MEDIUM = "medium"
    WEAK = "weak"
    NONE = "none"


class TieKind(StrEnum):
    """Which people a tie joins."""

    STAFF_CONTACT = "staff_contact"
    CONTACT_CONTACT = "contact_contact"


class Side(StrEnum):
    """Whose person: one of our staff (ours) or a contact at the customer (theirs)."""

    OURS = "ours"
    THEIRS = "theirs"


class RiskPart(StrEnum):
    """What a departure costs: our access to a role (relationship) or the role holder (turnover)."""

    RELATIONSHIP = "relationship"
    TURNOVER = "turnover"


class Severity(StrEnum):
    """Severity of an alert, mildest first."""

    INFO = "info"
    WARNING = "warning"
    SEVERE = "severe"


class GapKind(StrEnum):
    """What a coverage gap is about: a required role or a level."""

    ROLE = "role"
    LEVEL = "level"


class ConcentrationLevel(StrEnum):
    """Revenue concentration flag: above 20 % flagged, above 30 % severe (configurable)."""

    FLAGGED = "flagged"
    SEVERE = "severe"


class Change(StrEnum):
    """How something differs between two dates."""

    APPEARED = "appeared"
    CHANGED = "changed"
    WENT = "went"


class Direction(StrEnum):
    """How an account moved between two dates."""

    RISKIER = "riskier"
    IMPROVED = "improved"


class ReferrerKind(StrEnum):
    """Who made referrals: an account or a contact."""

    ACCOUNT = "account"
    CONTACT = "contact"


class SearchKind(StrEnum):
    """What a search hit is."""

    ACCOUNT = "account"
    CONTACT = "contact"
    STAFF = "staff"


for _enum in (
    Quadrant,
    HealthBand,
    TieBand,
    TieKind,
    Side,
    RiskPart,
    Severity,
    GapKind,
    ConcentrationLevel,
    Change,
    Direction,
    ReferrerKind,
    SearchKind,
):
    strawberry.enum(_enum, description=_enum.__doc__)
