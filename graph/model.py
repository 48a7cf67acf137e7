"""The kamgraph domain model: immutable, validated records of the relationship graph.

Every record is a frozen dataclass that validates itself on construction and raises
:class:`ModelError` naming the offending field and value. Ids are stable external ids
(non-empty strings). Staff and contacts share one *person* id space: an id names at most
one person, so an interaction's participants can be given as plain ids.

Dates follow one convention everywhere:

* ``since`` / ``until`` are calendar days, both inclusive (``until`` is the last day).
* Interaction timestamps are timezone-aware datetimes, normalised to UTC.
* ``as_of`` is a calendar day; everything dated on or before that day is visible.

Examples
--------
>>> from datetime import date
>>> Employment("c1", "acme", roles=frozenset({Role.ECONOMIC_BUYER}), since=date(2024, 1, 1)).active_on(date(2025, 1, 1))
True
>>> Contact(id="c1", name="Ada", influence=9)
Traceback (most recent call last):
...
graph.model.ModelError: Contact.influence: 9 is not between 1 and 5
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, TypeVar

__all__ = [
    "RECORD_TYPES",
    "SIGNAL_TYPES",
    "SURVEY_SCALES",
    "SYMMETRIC_RELATIONS",
    "Account",
    "AssessedLevel",
    "Assessment",
    "CaseSeverity",
    "Contact",
    "Contract",
    "Employment",
    "InfluenceLine",
    "Interaction",
    "InteractionKind",
    "Level",
    "ModelError",
    "Opportunity",
    "OpportunityStatus",
    "PersonKind",
    "PoliticalStatus",
    "Record",
    "Referral",
    "ReferralStatus",
    "RelationKind",
    "ReportingLine",
    "Role",
    "Signal",
    "Staff",
    "Stance",
    "SupportCase",
    "SurveyKind",
    "SurveyResponse",
    "TeamMembership",
    "TeamRole",
    "Tier",
    "UsageSample",
    "history_text",
    "influence_from",
    "parse_date",
    "parse_datetime",
    "parse_enum",
    "parse_history",
    "signal_fields",
    "signal_from_fields",
    "signal_json",
    "signal_with_contact",
    "value_on",
]


class ModelError(ValueError):
    """A record field holds a value the model does not accept.

    Attributes
    ----------
    record : str
        The record type, e.g. ``"Contact"``.
    field : str
        The field name.
    value : object
        The rejected value.
    reason : str
        Why it was rejected.
    """

    def __init__(self, record: str, field_name: str, value: object, reason: str) -> None:
        self.record = record
        self.field = field_name
        self.value = value
        self.reason = reason
        super().__init__(f"{record}.{field_name}: {value!r} {reason}")


class Tier(StrEnum):
    """Account tier of the KAM pyramid."""

    STRATEGIC = "strategic"
    KEY = "key"
    POTENTIAL = "potential"


class Level(StrEnum):
    """Organisational level of a person (theirs or ours)."""

    EXECUTIVE = "executive"
    MANAGEMENT = "management"
    OPERATIONAL = "operational"


class Stance(StrEnum):
    """A contact's stance toward us."""

    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    BLOCKER = "blocker"


class PoliticalStatus(StrEnum):
    """Where a contact stands in the customer's power structure."""

    OUTSIDE = "outside"
    POLITICAL_STRUCTURE = "political_structure"
    INNER_CIRCLE = "inner_circle"


class Role(StrEnum):
    """Buying-centre role a contact holds at one account."""

    ECONOMIC_BUYER = "economic_buyer"
    DECISION_MAKER = "decision_maker"
    TECHNICAL_BUYER = "technical_buyer"
    USER_BUYER = "user_buyer"
    PROCUREMENT = "procurement"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    CHAMPION = "champion"
    COACH = "coach"
    INFLUENCER = "influencer"
    GATEKEEPER = "gatekeeper"
    BLOCKER = "blocker"


class TeamRole(StrEnum):
    """Role of one of our people on an account team."""

    ACCOUNT_REP = "account_rep"
    SOLUTION_SPECIALIST = "solution_specialist"
    DELIVERY_LEAD = "delivery_lead"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    CUSTOMER_SUCCESS = "customer_success"


class InteractionKind(StrEnum):
    """Kind of interaction; each kind has a configurable weight in tie strength."""

    EXEC_VISIT = "exec_visit"
    MEETING = "meeting"
    CALL = "call"
    EMAIL = "email"
    EVENT = "event"
    SUPPORT = "support"


#: Interaction kinds by their exact value (the fast path of :class:`Interaction`).
_INTERACTION_KINDS: dict[str, InteractionKind] = {k.value: k for k in InteractionKind}


class AssessedLevel(StrEnum):
    """A rep's own rating of a tie, weakest first."""

    VENDOR = "vendor"
    CREDIBLE_SOURCE = "credible_source"
    PROBLEM_SOLVER = "problem_solver"
    TRUSTED_ADVISOR = "trusted_advisor"


class RelationKind(StrEnum):
    """Type of an informal contact-contact relation (the org chart is :class:`ReportingLine`)."""

    INFLUENCES = "influences"
    ADVISES = "advises"
    FRIEND = "friend"
    FORMER_COLLEAGUE = "former_colleague"
    COLLEAGUE = "colleague"


#: Relation kinds that hold both ways: one line stands for the pair (stored with the ids sorted).
SYMMETRIC_RELATIONS: frozenset[RelationKind] = frozenset(
    {RelationKind.FRIEND, RelationKind.FORMER_COLLEAGUE, RelationKind.COLLEAGUE}
)


class ReferralStatus(StrEnum):
    """Outcome of a referral."""

    LEAD = "lead"
    WON = "won"
    LOST = "lost"


class PersonKind(StrEnum):
    """Which side a person is on."""

    CONTACT = "contact"
    STAFF = "staff"


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E = TypeVar("_E", bound=StrEnum)
_INFLUENCE_WORDS = {"low": 1, "medium": 3, "high": 5}


def parse_enum(enum: type[_E], value: object, record: str, field_name: str) -> _E:
    """Return ``value`` as a member of ``enum`` or raise :class:`ModelError`.

    Matching ignores case, surrounding blanks, and treats spaces and hyphens as underscores.

    Examples
    --------
    >>> parse_enum(Level, "Executive", "Contact", "level")
    <Level.EXECUTIVE: 'executive'>
    >>> parse_enum(Level, "boss", "Contact", "level")
    Traceback (most recent call last):
    ...
    graph.model.ModelError: Contact.level: 'boss' is not one of executive, management, operational
    """
    if isinstance(value, enum):
        return value
    if isinstance(value, str):
        key = value.strip().lower().replace(" ", "_").replace("-", "_")
        try:
            return enum(key)
        except ValueError:
            pass
    allowed = ", ".join(m.value for m in enum)
    raise ModelError(record, field_name, value, f"is not one of {allowed}")


def influence_from(value: object, record: str = "Contact", field_name: str = "influence") -> int:
    """Return an influence score 1-5 from an int, a numeric string or low/medium/high.

    Examples
    --------
    >>> influence_from("high"), influence_from("2"), influence_from(4)
    (5, 2, 4)
    """
    number: object = value
    if isinstance(value, str):
        text = value.strip().lower()
        number = _INFLUENCE_WORDS.get(text, text)
        if isinstance(number, str):
            try:
                number = int(number)
            except ValueError:
                raise ModelError(record, field_name, value, "is not 1-5 or low/medium/high") from None
    if isinstance(number, bool) or not isinstance(number, int):
        raise ModelError(record, field_name, value, "is not 1-5 or low/medium/high")
    if not 1 <= number <= 5:
        raise ModelError(record, field_name, value, "is not between 1 and 5")
    return number


def parse_date(value: object, record: str, field_name: str) -> date:
    """Return ``value`` as a :class:`datetime.date` (ISO ``YYYY-MM-DD`` for strings).

    Examples
    --------
    >>> parse_date("2025-03-01", "Employment", "since")
    datetime.date(2025, 3, 1)
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ModelError(record, field_name, value, "is not a date (YYYY-MM-DD)")


def parse_datetime(value: object, record: str, field_name: str) -> datetime:
    """Return ``value`` as an aware UTC datetime; naive values are taken as UTC.

    Examples
    --------
    >>> parse_datetime("2025-03-01T09:30:00+01:00", "Interaction", "at").isoformat()
    '2025-03-01T08:30:00+00:00'
    """
    result: datetime | None = None
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            result = datetime.fromisoformat(value.strip())
        except ValueError:
            result = None
    if result is None:
        raise ModelError(record, field_name, value, "is not a timestamp (ISO 8601)")
    if result.tzinfo is None:
        return result.replace(tzinfo=UTC)
    return result.astimezone(UTC)


_V = TypeVar("_V")


def parse_history(
    value: object, parse_value: Callable[[object], _V], record: str, field_name: str
) -> tuple[tuple[date, _V], ...]:
    """A dated history: ``(since, value)`` pairs, oldest first, each value holding from its day on.

    Accepts ``None`` or ``""`` (no history), the text form ``"2024-01-01:key;2025-07-01:strategic"``
    (see :func:`history_text`), or an iterable of ``(since, value)`` pairs or ``"since:value"``
    strings. Two values on one day are an error.

    Examples
    --------
    >>> parse_history("2025-07-01:strategic; 2024-01-01:key", lambda v: parse_enum(Tier, v, "Account", "tier"),
    ...               "Account", "tier_history")
    ((datetime.date(2024, 1, 1), <Tier.KEY: 'key'>), (datetime.date(2025, 7, 1), <Tier.STRATEGIC: 'strategic'>))
    >>> parse_history("2024-01-01", str, "Account", "tier_history")
    Traceback (most recent call last):
    ...
    graph.model.ModelError: Account.tier_history: '2024-01-01' is not since:value
    """
    if value is None or value == "" or value == ():
        return ()
    items: Iterable[object]
    if isinstance(value, str):
        items = [part for part in (p.strip() for p in value.split(";")) if part]
    elif isinstance(value, Iterable):
        items = value
    else:
        raise ModelError(record, field_name, value, "is not a history (since:value;...)")
    entries: dict[date, _V] = {}
    for item in items:
        if isinstance(item, str):
            day_text, sep, raw = item.partition(":")
            if not sep:
                raise ModelError(record, field_name, item, "is not since:value")
            since_value: tuple[object, object] = (day_text, raw.strip())
        elif isinstance(item, tuple | list) and len(item) == 2:
            since_value = (item[0], item[1])
        else:
            raise ModelError(record, field_name, item, "is not since:value")
        day = parse_date(since_value[0], record, field_name)
        if day in entries:
            raise ModelError(record, field_name, day.isoformat(), "has two values on one day")
        entries[day] = parse_value(since_value[1])
    return tuple(sorted(entries.items()))


def history_text(history: Iterable[tuple[date, object]]) -> str | None:
    """The text form of a history (``None`` when empty), as stored and exported.

    Examples
    --------
    >>> history_text([(date(2024, 1, 1), Tier.KEY), (date(2025, 7, 1), 2.5), (date(2026, 1, 1), 3.0)])
    '2024-01-01:key;2025-07-01:2.5;2026-01-01:3'
    """
    parts = [f"{day.isoformat()}:{_history_value(v)}" for day, v in history]
    return ";".join(parts) or None


def _history_value(value: object) -> object:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def value_on(history: tuple[tuple[date, _V], ...], day: date, current: _V) -> _V:
    """The value a history gives on ``day``: that of its latest entry on or before ``day``, the
    earliest value before the history starts, ``current`` without a history.

    Examples
    --------
    >>> h = ((date(2024, 1, 1), "key"), (date(2025, 7, 1), "strategic"))
    >>> value_on(h, date(2025, 6, 30), "strategic"), value_on(h, date(2023, 1, 1), "strategic")
    ('key', 'key')
    """
    if not history:
        return current
    found = history[0][1]
    for since, value in history:
        if since > day:
            break
        found = value
    return found


def _check_latest(
    record: str, field_name: str, history: tuple[tuple[date, Any], ...], current: object
) -> None:
    if history and history[-1][1] != current:
        since, latest = history[-1]
        shown = latest.value if isinstance(latest, StrEnum) else latest
        now = current.value if isinstance(current, StrEnum) else current
        raise ModelError(
            record,
            field_name,
            f"{since.isoformat()}:{shown}",
            f"is the latest value but the current one is {now!r}; a history ends with the current value",
        )


def _money(record: str, field_name: str) -> Callable[[object], float]:
    def parse(value: object) -> float:
        number: object = value
        if isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                raise ModelError(record, field_name, value, "is not a number") from None
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0 or number != number:
            raise ModelError(record, field_name, value, "must be a non-negative number")
        return float(number)

    return parse


def _plain_id(value: object) -> bool:
    """Whether ``value`` is an id that :func:`_require_id` accepts, by a cheap test (a str, not
    empty, no blank at either end)."""
    return type(value) is str and value != "" and not value[0].isspace() and not value[-1].isspace()


def _require_id(record: str, field_name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(record, field_name, value, "must be a non-empty id")
    if value != value.strip():
        raise ModelError(record, field_name, value, "must not start or end with blanks")


def _check_email(record: str, value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise ModelError(record, "email", value, "is not a valid email address")
    return value.lower()


def _check_dates(record: str, since: date | None, until: date | None) -> None:
    if since is not None and until is not None and until < since:
        raise ModelError(record, "until", until.isoformat(), f"is before since {since.isoformat()}")


def _check_money(record: str, field_name: str, value: float | None) -> None:
    if value is not None and (not isinstance(value, int | float) or value < 0 or value != value):
        raise ModelError(record, field_name, value, "must be a non-negative number")


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


_Record = TypeVar("_Record")


def _with_values(record: _Record, **values: object) -> _Record:
    """A copy of a validated slotted record with ``values`` set, without validating it again
    (a value a history gives for a day need not be the record's current value)."""
    changed = object.__new__(type(record))
    for name in type(record).__slots__:  # type: ignore[attr-defined]
        _set(changed, name, values[name] if name in values else getattr(record, name))
    return changed


def _active(since: date | None, until: date | None, day: date) -> bool:
    return (since is None or since <= day) and (until is None or day <= until)


@dataclass(frozen=True, slots=True)
class Account:
    """A customer (or prospect) organisation.

    ``domains`` are its email domains, used to resolve mail and calendar addresses.
    ``owner`` is the id of the staff member who owns the account.
    """

    id: str
    name: str
    industry: str | None = None
    region: str | None = None
    tier: Tier = Tier.KEY
    annual_revenue: float = 0.0
    potential_revenue: float = 0.0
    owner: str | None = None
    domains: tuple[str, ...] = ()
    strategic_fit: int | None = None
    relationship_cost: int | None = None
    tier_history: tuple[tuple[date, Tier], ...] = ()
    revenue_history: tuple[tuple[date, float], ...] = ()

    def __post_init__(self) -> None:
        _require_id("Account", "id", self.id)
        if not self.name or not self.name.strip():
            raise ModelError("Account", "name", self.name, "must not be empty")
        _set(self, "tier", parse_enum(Tier, self.tier, "Account", "tier"))
        _check_money("Account", "annual_revenue", self.annual_revenue)
        _check_money("Account", "potential_revenue", self.potential_revenue)
        _set(self, "annual_revenue", float(self.annual_revenue))
        _set(self, "potential_revenue", float(self.potential_revenue))
        if self.owner is not None:
            _require_id("Account", "owner", self.owner)
        domains = tuple(sorted({d.strip().lower() for d in self.domains if d and d.strip()}))
        for domain in domains:
            if "." not in domain or "@" in domain or " " in domain:
                raise ModelError("Account", "domains", domain, "is not an email domain")
        _set(self, "domains", domains)
        for name in ("strategic_fit", "relationship_cost"):
            value = getattr(self, name)
            if value is not None:
                _set(self, name, influence_from(value, "Account", name))
        tiers = parse_history(
            self.tier_history,
            lambda v: parse_enum(Tier, v, "Account", "tier_history"),
            "Account",
            "tier_history",
        )
        _check_latest("Account", "tier_history", tiers, self.tier)
        _set(self, "tier_history", tiers)
        revenues = parse_history(
            self.revenue_history, _money("Account", "revenue_history"), "Account", "revenue_history"
        )
        _check_latest("Account", "revenue_history", revenues, self.annual_revenue)
        _set(self, "revenue_history", revenues)

    def on(self, day: date) -> Account:
        """The account with the tier and annual revenue its histories give on ``day``.

        Examples
        --------
        >>> a = Account("a", "A", tier="strategic", annual_revenue=2.0,
        ...             tier_history="2024-01-01:key;2025-07-01:strategic")
        >>> a.on(date(2025, 1, 1)).tier, a.on(date(2025, 7, 1)).tier
        (<Tier.KEY: 'key'>, <Tier.STRATEGIC: 'strategic'>)
        """
        tier = value_on(self.tier_history, day, self.tier)
        revenue = value_on(self.revenue_history, day, self.annual_revenue)
        if tier is self.tier and revenue == self.annual_revenue:
            return self
        return _with_values(self, tier=tier, annual_revenue=revenue)


@dataclass(frozen=True, slots=True)
class Contact:
    """A person at a customer. Their position lives on :class:`Employment`."""

    id: str
    name: str
    email: str | None = None
    title: str | None = None
    department: str | None = None
    level: Level | None = None
    influence: int | None = None
    stance: Stance = Stance.NEUTRAL
    political_status: PoliticalStatus | None = None
    stance_history: tuple[tuple[date, Stance], ...] = ()

    def __post_init__(self) -> None:
        _require_id("Contact", "id", self.id)
        if not self.name or not self.name.strip():
            raise ModelError("Contact", "name", self.name, "must not be empty")
        _set(self, "email", _check_email("Contact", self.email))
        if self.level is not None:
            _set(self, "level", parse_enum(Level, self.level, "Contact", "level"))
        if self.influence is not None:
            _set(self, "influence", influence_from(self.influence))
        _set(self, "stance", parse_enum(Stance, self.stance, "Contact", "stance"))
        if self.political_status is not None:
            _set(
                self,
                "political_status",
                parse_enum(PoliticalStatus, self.political_status, "Contact", "political_status"),
            )
        stances = parse_history(
            self.stance_history,
            lambda v: parse_enum(Stance, v, "Contact", "stance_history"),
            "Contact",
            "stance_history",
        )
        _check_latest("Contact", "stance_history", stances, self.stance)
        _set(self, "stance_history", stances)

    def on(self, day: date) -> Contact:
        """The contact with the stance their history gives on ``day``.

        Examples
        --------
        >>> c = Contact("c1", "Ada", stance="skeptic", stance_history="2024-01-01:champion;2025-03-01:skeptic")
        >>> c.on(date(2025, 2, 28)).stance, c.on(date(2025, 3, 1)).stance
        (<Stance.CHAMPION: 'champion'>, <Stance.SKEPTIC: 'skeptic'>)
        """
        stance = value_on(self.stance_history, day, self.stance)
        if stance is self.stance:
            return self
        return _with_values(self, stance=stance)


@dataclass(frozen=True, slots=True)
class Staff:
    """One of our people; ``until`` is their last day with us (``None`` while they are with us).

    A staff member who left counts on no account after ``until``, whatever their team
    memberships say (see :mod:`graph.scope`).
    """

    id: str
    name: str
    email: str | None = None
    title: str | None = None
    level: Level | None = None
    team_role: TeamRole | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        _require_id("Staff", "id", self.id)
        if not self.name or not self.name.strip():
            raise ModelError("Staff", "name", self.name, "must not be empty")
        _set(self, "email", _check_email("Staff", self.email))
        if self.level is not None:
            _set(self, "level", parse_enum(Level, self.level, "Staff", "level"))
        if self.team_role is not None:
            _set(self, "team_role", parse_enum(TeamRole, self.team_role, "Staff", "team_role"))
        if self.until is not None:
            _set(self, "until", parse_date(self.until, "Staff", "until"))


@dataclass(frozen=True, slots=True)
class Interaction:
    """An n-ary interaction: PARTICIPATED by ``participants``, ABOUT ``accounts``.

    ``participants`` are person ids (staff or contacts), ``accounts`` account ids; both are
    stored sorted and de-duplicated so equal interactions compare equal.
    """

    id: str
    kind: InteractionKind
    at: datetime
    source: str = "manual"
    subject: str | None = None
    participants: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The hot path of imports (a million interactions, built once per pass): values already
        # in their final form are checked by a cheap test; anything else goes the general way,
        # which also words the errors.
        if not _plain_id(self.id):
            _require_id("Interaction", "id", self.id)
        kind = self.kind
        if type(kind) is not InteractionKind:
            found = _INTERACTION_KINDS.get(kind) if type(kind) is str else None
            _set(self, "kind", found or parse_enum(InteractionKind, kind, "Interaction", "kind"))
        at = self.at
        if type(at) is not datetime or at.tzinfo is not UTC:
            _set(self, "at", parse_datetime(at, "Interaction", "at"))
        if not self.source or not str(self.source).strip():
            raise ModelError("Interaction", "source", self.source, "must not be empty")
        for pid in self.participants:
            if not _plain_id(pid):
                _require_id("Interaction", "participants", pid)
        for aid in self.accounts:
            if not _plain_id(aid):
                _require_id("Interaction", "accounts", aid)
        _set(self, "participants", tuple(sorted(set(self.participants))))
        _set(self, "accounts", tuple(sorted(set(self.accounts))))


@dataclass(frozen=True, slots=True)
class Employment:
    """``(Contact)-[:WORKS_AT]->(Account)``: a dated position with its buying roles.

    Keyed by ``(contact_id, account_id, since)``: a person may work at an account twice.
    """

    contact_id: str
    account_id: str
    title: str | None = None
    department: str | None = None
    level: Level | None = None
    roles: frozenset[Role] = field(default_factory=frozenset)
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        _require_id("Employment", "contact_id", self.contact_id)
        _require_id("Employment", "account_id", self.account_id)
        if self.level is not None:
            _set(self, "level", parse_enum(Level, self.level, "Employment", "level"))
        _set(self, "roles", frozenset(parse_enum(Role, r, "Employment", "roles") for r in self.roles))
        if self.since is not None:
            _set(self, "since", parse_date(self.since, "Employment", "since"))
        if self.until is not None:
            _set(self, "until", parse_date(self.until, "Employment", "until"))
        _check_dates("Employment", self.since, self.until)

    def active_on(self, day: date) -> bool:
        """Whether the position is held on ``day`` (``since`` and ``until`` inclusive)."""
        return _active(self.since, self.until, day)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the position: contact, account and start day."""
        return (self.contact_id, self.account_id, self.since.isoformat() if self.since else "")


@dataclass(frozen=True, slots=True)
class ReportingLine:
    """``(Contact)-[:REPORTS_TO]->(Contact)``: the org chart, dated."""

    contact_id: str
    manager_id: str
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        _require_id("ReportingLine", "contact_id", self.contact_id)
        _require_id("ReportingLine", "manager_id", self.manager_id)
        if self.contact_id == self.manager_id:
            raise ModelError("ReportingLine", "manager_id", self.manager_id, "is the contact itself")
        if self.since is not None:
            _set(self, "since", parse_date(self.since, "ReportingLine", "since"))
        if self.until is not None:
            _set(self, "until", parse_date(self.until, "ReportingLine", "until"))
        _check_dates("ReportingLine", self.since, self.until)

    def active_on(self, day: date) -> bool:
        """Whether the line holds on ``day``."""
        return _active(self.since, self.until, day)

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the line."""
        return (self.contact_id, self.manager_id)


@dataclass(frozen=True, slots=True)
class InfluenceLine:
    """``(Contact)-[:INFLUENCES {weight, kind}]->(Contact)``: an informal relation, weight in (0, 1].

    ``kind`` types it (:class:`RelationKind`, default ``influences``); a pair may have one line
    of each kind. A symmetric kind (:data:`SYMMETRIC_RELATIONS`: friend, former colleague,
    colleague) holds both ways: its ids are stored sorted, so ``a``-``b`` and ``b``-``a`` are the
    same line and one row suffices.

    Examples
    --------
    >>> InfluenceLine("zoe", "al", 0.6, "friend").key
    ('al', 'zoe', 'friend')
    """

    source_id: str
    target_id: str
    weight: float = 0.5
    kind: RelationKind = RelationKind.INFLUENCES

    def __post_init__(self) -> None:
        _require_id("InfluenceLine", "source_id", self.source_id)
        _require_id("InfluenceLine", "target_id", self.target_id)
        if self.source_id == self.target_id:
            raise ModelError("InfluenceLine", "target_id", self.target_id, "is the source itself")
        if (
            isinstance(self.weight, bool)
            or not isinstance(self.weight, int | float)
            or not 0 < self.weight <= 1
        ):
            raise ModelError("InfluenceLine", "weight", self.weight, "is not in (0, 1]")
        _set(self, "weight", float(self.weight))
        _set(self, "kind", parse_enum(RelationKind, self.kind, "InfluenceLine", "kind"))
        if self.kind in SYMMETRIC_RELATIONS and self.target_id < self.source_id:
            source = self.source_id
            _set(self, "source_id", self.target_id)
            _set(self, "target_id", source)

    @property
    def symmetric(self) -> bool:
        """Whether the relation holds both ways."""
        return self.kind in SYMMETRIC_RELATIONS

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the line: its two ends and its kind."""
        return (self.source_id, self.target_id, self.kind.value)


@dataclass(frozen=True, slots=True)
class TeamMembership:
    """``(Staff)-[:ON_TEAM {team_role}]->(Account)``, dated."""

    staff_id: str
    account_id: str
    team_role: TeamRole
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        _require_id("TeamMembership", "staff_id", self.staff_id)
        _require_id("TeamMembership", "account_id", self.account_id)
        _set(self, "team_role", parse_enum(TeamRole, self.team_role, "TeamMembership", "team_role"))
        if self.since is not None:
            _set(self, "since", parse_date(self.since, "TeamMembership", "since"))
        if self.until is not None:
            _set(self, "until", parse_date(self.until, "TeamMembership", "until"))
        _check_dates("TeamMembership", self.since, self.until)

    def active_on(self, day: date) -> bool:
        """Whether the membership holds on ``day``."""
        return _active(self.since, self.until, day)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the membership."""
        return (self.staff_id, self.account_id, self.team_role.value)


@dataclass(frozen=True, slots=True)
class Assessment:
    """``(Staff)-[:ASSESSED {level, at}]->(Contact)``: a rep's own rating of a tie."""

    staff_id: str
    contact_id: str
    level: AssessedLevel
    at: date

    def __post_init__(self) -> None:
        _require_id("Assessment", "staff_id", self.staff_id)
        _require_id("Assessment", "contact_id", self.contact_id)
        _set(self, "level", parse_enum(AssessedLevel, self.level, "Assessment", "level"))
        _set(self, "at", parse_date(self.at, "Assessment", "at"))

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the assessment."""
        return (self.staff_id, self.contact_id, self.at.isoformat())


@dataclass(frozen=True, slots=True)
class Referral:
    """``(Account|Contact)-[:REFERRED {at, status, value}]->(Account)``."""

    source_id: str
    source_kind: str
    target_id: str
    at: date
    status: ReferralStatus = ReferralStatus.LEAD
    value: float = 0.0

    def __post_init__(self) -> None:
        _require_id("Referral", "source_id", self.source_id)
        _require_id("Referral", "target_id", self.target_id)
        if self.source_kind not in ("account", "contact"):
            raise ModelError("Referral", "source_kind", self.source_kind, "is not one of account, contact")
        if self.source_kind == "account" and self.source_id == self.target_id:
            raise ModelError("Referral", "target_id", self.target_id, "is the referring account itself")
        _set(self, "at", parse_date(self.at, "Referral", "at"))
        _set(self, "status", parse_enum(ReferralStatus, self.status, "Referral", "status"))
        _check_money("Referral", "value", self.value)
        _set(self, "value", float(self.value))

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the referral: who referred which account."""
        return (self.source_id, self.target_id)


# -- business signals -------------------------------------------------------------------------
#
# Dated records of an account's business (surveys, usage, support, contracts, pipeline). Each is
# stored beside the account (``(:Account)-[:HAS_SIGNAL]->(:Signal)`` in Neo4j) and is visible as
# of its ``dated`` day, so time travel holds for them as for the relationship graph.


class SurveyKind(StrEnum):
    """Survey scales: NPS (0-10, "how likely to recommend") and CSAT (1-5, "how satisfied")."""

    NPS = "nps"
    CSAT = "csat"


class CaseSeverity(StrEnum):
    """Support case severity, worst first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class OpportunityStatus(StrEnum):
    """Whether an opportunity is still open, won or lost."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


#: The score range of each survey scale, both ends included.
SURVEY_SCALES: dict[SurveyKind, tuple[int, int]] = {SurveyKind.NPS: (0, 10), SurveyKind.CSAT: (1, 5)}


def _number(
    record: str, field_name: str, value: object, low: float | None = None, high: float | None = None
) -> float:
    """``value`` as a finite float within ``[low, high]``, or :class:`ModelError`."""
    number: object = value
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            raise ModelError(record, field_name, value, "is not a number") from None
    if isinstance(number, bool) or not isinstance(number, int | float) or number != number:
        raise ModelError(record, field_name, value, "is not a number")
    if number in (float("inf"), float("-inf")):
        raise ModelError(record, field_name, value, "is not a finite number")
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        raise ModelError(record, field_name, value, f"is not {bounds}")
    return float(number)


def _count(record: str, field_name: str, value: object) -> int | None:
    """``value`` as a non-negative whole number (``None`` and ``""`` stay ``None``)."""
    if value is None or value == "":
        return None
    number = _number(record, field_name, value, 0)
    if number != int(number):
        raise ModelError(record, field_name, value, "is not a whole number")
    return int(number)


def _flag(record: str, field_name: str, value: object) -> bool:
    """``value`` as a bool; strings true/false, yes/no, 1/0 (any case) are accepted."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "y"):
        return True
    if text in ("false", "no", "0", "n", ""):
        return False
    raise ModelError(record, field_name, value, "is not true or false")


def _blank(value: object) -> bool:
    """Whether an optional field was left empty (``None`` or an empty cell)."""
    return value is None or value == ""


def _optional_id(record: str, field_name: str, value: object) -> str | None:
    if _blank(value):
        return None
    _require_id(record, field_name, value)
    return str(value)


@dataclass(frozen=True, slots=True)
class SurveyResponse:
    """One answer to an NPS or CSAT survey, from a contact of the account (or anonymous).

    Examples
    --------
    >>> SurveyResponse("s1", "acme", "nps", 9, date(2026, 3, 1)).score
    9.0
    >>> SurveyResponse("s1", "acme", "csat", 7, date(2026, 3, 1))
    Traceback (most recent call last):
    ...
    graph.model.ModelError: SurveyResponse.score: 7 is not between 1 and 5
    """

    id: str
    account_id: str
    kind: SurveyKind
    score: float
    at: date
    contact_id: str | None = None

    def __post_init__(self) -> None:
        _require_id("SurveyResponse", "id", self.id)
        _require_id("SurveyResponse", "account_id", self.account_id)
        kind = parse_enum(SurveyKind, self.kind, "SurveyResponse", "kind")
        _set(self, "kind", kind)
        low, high = SURVEY_SCALES[kind]
        score = _number("SurveyResponse", "score", self.score, low, high)
        if score != int(score):
            raise ModelError("SurveyResponse", "score", self.score, "is not a whole number")
        _set(self, "score", score)
        _set(self, "at", parse_date(self.at, "SurveyResponse", "at"))
        _set(self, "contact_id", _optional_id("SurveyResponse", "contact_id", self.contact_id))

    @property
    def key(self) -> str:
        """Identity of the response."""
        return self.id

    @property
    def dated(self) -> date:
        """The day from which the record is visible."""
        return self.at

    @property
    def named_contacts(self) -> tuple[str, ...]:
        """The contacts the record names."""
        return (self.contact_id,) if self.contact_id else ()


@dataclass(frozen=True, slots=True)
class UsageSample:
    """Product usage of an account in the period starting ``period``: active users, the seats
    licensed, and/or an adoption share 0-1 reported as such.

    Examples
    --------
    >>> UsageSample("acme", date(2026, 3, 1), active_users=40, licensed_users=50).adoption_share
    0.8
    """

    account_id: str
    period: date
    active_users: int | None = None
    licensed_users: int | None = None
    adoption: float | None = None

    def __post_init__(self) -> None:
        _require_id("UsageSample", "account_id", self.account_id)
        _set(self, "period", parse_date(self.period, "UsageSample", "period"))
        _set(self, "active_users", _count("UsageSample", "active_users", self.active_users))
        _set(self, "licensed_users", _count("UsageSample", "licensed_users", self.licensed_users))
        if not _blank(self.adoption):
            _set(self, "adoption", _number("UsageSample", "adoption", self.adoption, 0, 1))
        else:
            _set(self, "adoption", None)
        if self.active_users is None and self.adoption is None:
            raise ModelError("UsageSample", "active_users", None, "or adoption must be given")
        if self.licensed_users == 0:
            raise ModelError("UsageSample", "licensed_users", 0, "must be at least 1 when given")

    @property
    def adoption_share(self) -> float | None:
        """``adoption`` when reported, else active / licensed users (at most 1), else ``None``."""
        if self.adoption is not None:
            return self.adoption
        if self.active_users is not None and self.licensed_users:
            return min(1.0, self.active_users / self.licensed_users)
        return None

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the sample: one per account and period."""
        return (self.account_id, self.period.isoformat())

    @property
    def dated(self) -> date:
        """The day from which the record is visible."""
        return self.period

    @property
    def named_contacts(self) -> tuple[str, ...]:
        """The contacts the record names."""
        return ()


@dataclass(frozen=True, slots=True)
class SupportCase:
    """A support case of the account; a ``complaint`` is a case the customer raised as one.

    ``closed`` is the last day of the case (``None`` while open); ``first_response_hours`` the
    time to our first answer.

    Examples
    --------
    >>> c = SupportCase("case-1", "acme", date(2026, 3, 1), "high", closed=date(2026, 3, 4))
    >>> c.open_on(date(2026, 3, 2)), c.open_on(date(2026, 3, 5))
    (True, False)
    """

    id: str
    account_id: str
    opened: date
    severity: CaseSeverity = CaseSeverity.MEDIUM
    closed: date | None = None
    first_response_hours: float | None = None
    complaint: bool = False
    subject: str | None = None
    contact_id: str | None = None

    def __post_init__(self) -> None:
        _require_id("SupportCase", "id", self.id)
        _require_id("SupportCase", "account_id", self.account_id)
        _set(self, "opened", parse_date(self.opened, "SupportCase", "opened"))
        _set(self, "severity", parse_enum(CaseSeverity, self.severity, "SupportCase", "severity"))
        if not _blank(self.closed):
            closed = parse_date(self.closed, "SupportCase", "closed")
            if closed < self.opened:
                raise ModelError(
                    "SupportCase", "closed", closed.isoformat(), f"is before opened {self.opened}"
                )
            _set(self, "closed", closed)
        else:
            _set(self, "closed", None)
        if not _blank(self.first_response_hours):
            hours = _number("SupportCase", "first_response_hours", self.first_response_hours, 0)
            _set(self, "first_response_hours", hours)
        else:
            _set(self, "first_response_hours", None)
        _set(self, "complaint", _flag("SupportCase", "complaint", self.complaint))
        _set(self, "subject", self.subject or None)
        _set(self, "contact_id", _optional_id("SupportCase", "contact_id", self.contact_id))

    def open_on(self, day: date) -> bool:
        """Whether the case was open at the end of ``day``."""
        return self.opened <= day and (self.closed is None or self.closed > day)

    @property
    def key(self) -> str:
        """Identity of the case."""
        return self.id

    @property
    def dated(self) -> date:
        """The day from which the record is visible."""
        return self.opened

    @property
    def named_contacts(self) -> tuple[str, ...]:
        """The contacts the record names."""
        return (self.contact_id,) if self.contact_id else ()


@dataclass(frozen=True, slots=True)
class Contract:
    """A contract of the account, in force from ``start`` to ``end`` (both inclusive); ``end``
    is its renewal date. ``signed`` (default ``start``) is when it became known, so a renewal
    signed ahead of its start counts from that day.

    Examples
    --------
    >>> Contract("k1", "acme", date(2026, 1, 1), date(2026, 12, 31), 120_000).in_force(date(2026, 6, 1))
    True
    """

    id: str
    account_id: str
    start: date
    end: date
    value: float = 0.0
    signed: date | None = None

    def __post_init__(self) -> None:
        _require_id("Contract", "id", self.id)
        _require_id("Contract", "account_id", self.account_id)
        _set(self, "start", parse_date(self.start, "Contract", "start"))
        _set(self, "end", parse_date(self.end, "Contract", "end"))
        if self.end < self.start:
            raise ModelError("Contract", "end", self.end.isoformat(), f"is before start {self.start}")
        _set(self, "value", _money("Contract", "value")(0 if _blank(self.value) else self.value))
        if not _blank(self.signed):
            _set(self, "signed", parse_date(self.signed, "Contract", "signed"))
        else:
            _set(self, "signed", None)

    def in_force(self, day: date) -> bool:
        """Whether ``day`` lies within the contract's term."""
        return self.start <= day <= self.end

    @property
    def key(self) -> str:
        """Identity of the contract."""
        return self.id

    @property
    def dated(self) -> date:
        """The day from which the record is visible: ``signed``, else ``start``."""
        return self.signed if self.signed is not None else self.start

    @property
    def named_contacts(self) -> tuple[str, ...]:
        """The contacts the record names."""
        return ()


@dataclass(frozen=True, slots=True)
class Opportunity:
    """A sales opportunity at the account, with the contacts in its buying roles.

    ``status`` is the outcome once ``close_date`` has passed; before that day it is still open
    (time travel). ``renewal`` marks an opportunity that renews a contract.

    Examples
    --------
    >>> o = Opportunity("o1", "acme", "Expansion", date(2026, 1, 5), 50_000,
    ...                 close_date=date(2026, 4, 30), status="won")
    >>> o.status_on(date(2026, 3, 1)), o.status_on(date(2026, 5, 1))
    (<OpportunityStatus.OPEN: 'open'>, <OpportunityStatus.WON: 'won'>)
    """

    id: str
    account_id: str
    name: str
    opened: date
    amount: float = 0.0
    close_date: date | None = None
    stage: str | None = None
    status: OpportunityStatus = OpportunityStatus.OPEN
    renewal: bool = False
    contact_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _require_id("Opportunity", "id", self.id)
        _require_id("Opportunity", "account_id", self.account_id)
        if not isinstance(self.name, str) or not self.name.strip():
            raise ModelError("Opportunity", "name", self.name, "must not be empty")
        _set(self, "amount", _money("Opportunity", "amount")(0 if _blank(self.amount) else self.amount))
        _set(self, "opened", parse_date(self.opened, "Opportunity", "opened"))
        if not _blank(self.close_date):
            _set(self, "close_date", parse_date(self.close_date, "Opportunity", "close_date"))
        else:
            _set(self, "close_date", None)
        _set(self, "stage", self.stage or None)
        _set(self, "status", parse_enum(OpportunityStatus, self.status, "Opportunity", "status"))
        if self.status is not OpportunityStatus.OPEN and self.close_date is None:
            raise ModelError(
                "Opportunity", "close_date", None, f"is required for a {self.status.value} opportunity"
            )
        _set(self, "renewal", _flag("Opportunity", "renewal", self.renewal))
        for cid in self.contact_ids:
            _require_id("Opportunity", "contact_ids", cid)
        _set(self, "contact_ids", tuple(sorted(set(self.contact_ids))))

    def status_on(self, day: date) -> OpportunityStatus:
        """The status as of ``day``: open until its close date has passed."""
        if self.close_date is None or self.close_date > day:
            return OpportunityStatus.OPEN
        return self.status

    @property
    def key(self) -> str:
        """Identity of the opportunity."""
        return self.id

    @property
    def dated(self) -> date:
        """The day from which the record is visible."""
        return self.opened

    @property
    def named_contacts(self) -> tuple[str, ...]:
        """The contacts the record names."""
        return self.contact_ids


#: Business signal record types by kind, in write order.
SIGNAL_TYPES: dict[str, type[Any]] = {
    "survey_response": SurveyResponse,
    "usage_sample": UsageSample,
    "support_case": SupportCase,
    "contract": Contract,
    "opportunity": Opportunity,
}

Signal = SurveyResponse | UsageSample | SupportCase | Contract | Opportunity


def signal_fields(record: Signal) -> dict[str, Any]:
    """The plain fields of a signal record: dates as ISO text, enums as values, tuples as lists,
    ``None`` fields left out. :func:`signal_from_fields` reads it back.

    Examples
    --------
    >>> signal_fields(SurveyResponse("s1", "acme", "nps", 9, date(2026, 3, 1)))
    {'id': 's1', 'account_id': 'acme', 'kind': 'nps', 'score': 9.0, 'at': '2026-03-01'}
    """
    out: dict[str, Any] = {}
    for name in type(record).__slots__:
        value = getattr(record, name)
        if value is None:
            continue
        if isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def signal_with_contact(record: Signal, old_id: str, new_id: str) -> Signal:
    """``record`` naming ``new_id`` wherever it named ``old_id`` (a merge of two contacts).

    Examples
    --------
    >>> o = Opportunity("o1", "acme", "Upsell", date(2026, 1, 5), contact_ids=("c9", "c2"))
    >>> signal_with_contact(o, "c9", "c1").contact_ids
    ('c1', 'c2')
    """
    if isinstance(record, Opportunity):
        return replace(record, contact_ids=tuple(new_id if c == old_id else c for c in record.contact_ids))
    if isinstance(record, SurveyResponse | SupportCase) and record.contact_id == old_id:
        return replace(record, contact_id=new_id)
    return record


def signal_json(record: Signal) -> str:
    """The canonical JSON text of :func:`signal_fields` (sorted keys, no blanks): equal records
    give equal text, which is how the stores tell an unchanged signal.

    Examples
    --------
    >>> signal_json(Contract("k1", "acme", date(2026, 1, 1), date(2026, 12, 31)))
    '{"account_id":"acme","end":"2026-12-31","id":"k1","start":"2026-01-01","value":0.0}'
    """
    return json.dumps(signal_fields(record), sort_keys=True, separators=(",", ":"))


def signal_from_fields(kind: str, fields: Mapping[str, Any]) -> Signal:
    """The signal record of ``kind`` from its plain fields (see :func:`signal_fields`).

    Examples
    --------
    >>> s = SurveyResponse("s1", "acme", "nps", 9, date(2026, 3, 1))
    >>> signal_from_fields("survey_response", signal_fields(s)) == s
    True
    """
    cls = SIGNAL_TYPES.get(kind)
    if cls is None:
        raise ModelError("Signal", "kind", kind, f"is not one of {', '.join(SIGNAL_TYPES)}")
    values = dict(fields)
    if "contact_ids" in values:
        values["contact_ids"] = tuple(values["contact_ids"] or ())
    record: Signal = cls(**values)
    return record


Record = (
    Account
    | Contact
    | Staff
    | Interaction
    | Employment
    | ReportingLine
    | InfluenceLine
    | TeamMembership
    | Assessment
    | Referral
    | SurveyResponse
    | UsageSample
    | SupportCase
    | Contract
    | Opportunity
)

#: Every record type, in the order a batch is written (nodes before the lines between them).
RECORD_TYPES: tuple[type[Any], ...] = (
    Account,
    Contact,
    Staff,
    Employment,
    ReportingLine,
    InfluenceLine,
    TeamMembership,
    Interaction,
    Assessment,
    Referral,
    *SIGNAL_TYPES.values(),
)


def unique_by_key(records: Iterable[Any]) -> list[Any]:
    """Keep the last record per identity (``id`` or ``key``), preserving first-seen order."""
    seen: dict[object, Any] = {}
    for record in records:
        seen[getattr(record, "key", None) or record.id] = record
    return list(seen.values())
