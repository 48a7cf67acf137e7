"""Conversion between :mod:`graph.model` records and Neo4j property maps.

Writing, every record becomes a *row*: a plain dict of parameters for one ``UNWIND $rows``
statement of :mod:`graph.backends.neo4j.queries`. Its identity goes into the ``MERGE`` pattern
and ``props`` is set with ``SET x += row.props`` (a ``None`` value removes the property, so
clearing a field really clears it). Reading, every statement returns maps (``n {.*}`` /
``r {.*, <end ids>}``) that the ``*_from`` functions turn back into validated model records.

Values stay typed end to end: dates are Neo4j ``DATE`` values, interaction timestamps
``DATETIME`` values in UTC, buying roles and email domains lists of strings. The driver hands
temporal values back as :mod:`neo4j.time` objects; :func:`native` turns them into the standard
library's.

Examples
--------
>>> from datetime import date
>>> row = employment_row(Employment("c1", "acme", roles=frozenset({"champion"}), since=date(2024, 1, 2)))
>>> row["since_key"], row["props"]["roles"]
('2024-01-02', ['champion'])
>>> employment_from({"contact_id": "c1", "account_id": "acme", **row["props"]}) == Employment(
...     "c1", "acme", roles=frozenset({"champion"}), since=date(2024, 1, 2))
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from graph.model import (
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    Referral,
    ReportingLine,
    Staff,
    TeamMembership,
    history_text,
)
from graph.store import AnalysisResult, ApiToken

__all__ = [
    "account_from",
    "account_row",
    "assessment_from",
    "assessment_row",
    "contact_from",
    "contact_row",
    "employment_from",
    "employment_row",
    "influence_line_from",
    "influence_line_row",
    "interaction_from",
    "interaction_row",
    "native",
    "person_from",
    "referral_from",
    "referral_row",
    "reporting_line_from",
    "reporting_line_row",
    "result_from",
    "result_row",
    "since_key",
    "staff_from",
    "staff_row",
    "team_membership_from",
    "team_membership_row",
    "token_from",
    "token_row",
]


def native(value: Any) -> Any:
    """Return ``value`` with Neo4j temporal types replaced by :mod:`datetime` ones.

    Examples
    --------
    >>> import neo4j.time
    >>> native(neo4j.time.Date(2025, 3, 1))
    datetime.date(2025, 3, 1)
    >>> native("text")
    'text'
    """
    to_native = getattr(value, "to_native", None)
    if callable(to_native):
        return to_native()
    return value


def instant(value: Any) -> datetime:
    """An interaction's instant: the ``toString(i.at)`` ISO text the reads return, or a driver
    value. Text because the driver hydrates temporal values in Python, which was most of the
    time of reading many interactions.

    Examples
    --------
    >>> instant("2025-03-01T09:30:00.250Z")
    datetime.datetime(2025, 3, 1, 9, 30, 0, 250000, tzinfo=datetime.timezone.utc)
    >>> instant("2025-03-01T09:30Z[UTC]")
    datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.timezone.utc)
    """
    if isinstance(value, str):
        text = value.split("[", 1)[0]  # a named zone's suffix; the offset before it is exact
        parsed = datetime.fromisoformat(text)
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    result: datetime = native(value)
    return result


def since_key(since: date | None) -> str:
    """The ``since`` part of an employment's identity: ISO date, or ``""`` when open-ended.

    Neo4j cannot ``MERGE`` on a missing property, so the identity is kept as this string
    beside the typed ``since`` date.

    Examples
    --------
    >>> since_key(None), since_key(date(2024, 5, 1))
    ('', '2024-05-01')
    """
    return since.isoformat() if since is not None else ""


# -- model -> parameters ------------------------------------------------------------------


def account_row(account: Account) -> dict[str, Any]:
    """The ``UPSERT_ACCOUNTS`` row of ``account``."""
    return {
        "id": account.id,
        "props": {
            "name": account.name,
            "industry": account.industry,
            "region": account.region,
            "tier": account.tier.value,
            "annual_revenue": account.annual_revenue,
            "potential_revenue": account.potential_revenue,
            "owner": account.owner,
            "domains": list(account.domains),
            "strategic_fit": account.strategic_fit,
            "relationship_cost": account.relationship_cost,
            "tier_history": history_text(account.tier_history),
            "revenue_history": history_text(account.revenue_history),
        },
    }


def contact_row(contact: Contact) -> dict[str, Any]:
    """The ``UPSERT_CONTACTS`` row of ``contact``."""
    return {
        "id": contact.id,
        "props": {
            "name": contact.name,
            "email": contact.email,
            "title": contact.title,
            "department": contact.department,
            "level": contact.level.value if contact.level else None,
            "influence": contact.influence,
            "stance": contact.stance.value,
            "political_status": contact.political_status.value if contact.political_status else None,
            "stance_history": history_text(contact.stance_history),
        },
    }


def staff_row(staff: Staff) -> dict[str, Any]:
    """The ``UPSERT_STAFF`` row of ``staff``."""
    return {
        "id": staff.id,
        "props": {
            "name": staff.name,
            "email": staff.email,
            "title": staff.title,
            "level": staff.level.value if staff.level else None,
            "team_role": staff.team_role.value if staff.team_role else None,
            "until": staff.until,
        },
    }


def employment_row(employment: Employment) -> dict[str, Any]:
    """The ``UPSERT_EMPLOYMENTS`` row of ``employment`` (identity: contact, account, since_key)."""
    return {
        "contact_id": employment.contact_id,
        "account_id": employment.account_id,
        "since_key": since_key(employment.since),
        "props": {
            "title": employment.title,
            "department": employment.department,
            "level": employment.level.value if employment.level else None,
            "roles": sorted(role.value for role in employment.roles),
            "since": employment.since,
            "until": employment.until,
        },
    }


def reporting_line_row(line: ReportingLine) -> dict[str, Any]:
    """The ``UPSERT_REPORTING_LINES`` row of ``line``."""
    return {
        "contact_id": line.contact_id,
        "manager_id": line.manager_id,
        "props": {"since": line.since, "until": line.until},
    }


def influence_line_row(line: InfluenceLine) -> dict[str, Any]:
    """The ``UPSERT_INFLUENCE_LINES`` row of ``line``."""
    return {
        "source_id": line.source_id,
        "target_id": line.target_id,
        "kind": line.kind.value,
        "props": {"weight": line.weight},
    }


def team_membership_row(membership: TeamMembership) -> dict[str, Any]:
    """The ``UPSERT_TEAM_MEMBERSHIPS`` row of ``membership`` (identity: staff, account, role)."""
    return {
        "staff_id": membership.staff_id,
        "account_id": membership.account_id,
        "team_role": membership.team_role.value,
        "props": {"since": membership.since, "until": membership.until},
    }


def interaction_row(interaction: Interaction) -> dict[str, Any]:
    """The ``WRITE_INTERACTIONS`` row of ``interaction``: the node, its instant as UTC ISO text
    (``datetime(row.at)`` on the server; far cheaper than the driver's temporal packing) and
    the ids it links to."""
    return {
        "id": interaction.id,
        "at": interaction.at.astimezone(UTC).isoformat(),
        "props": {
            "kind": interaction.kind.value,
            "source": interaction.source,
            "subject": interaction.subject,
        },
        "participants": list(interaction.participants),
        "accounts": list(interaction.accounts),
    }


def assessment_row(assessment: Assessment) -> dict[str, Any]:
    """The ``UPSERT_ASSESSMENTS`` row of ``assessment`` (identity: staff, contact, at)."""
    return {
        "staff_id": assessment.staff_id,
        "contact_id": assessment.contact_id,
        "at": assessment.at,
        "props": {"level": assessment.level.value},
    }


def referral_row(referral: Referral) -> dict[str, Any]:
    """The ``UPSERT_ACCOUNT_REFERRALS`` / ``UPSERT_CONTACT_REFERRALS`` row of ``referral``."""
    return {
        "source_id": referral.source_id,
        "target_id": referral.target_id,
        "props": {"at": referral.at, "status": referral.status.value, "value": referral.value},
    }


def result_row(result: AnalysisResult, computed_at: datetime) -> dict[str, Any]:
    """The ``PUT_RESULTS`` row of ``result``; the payload is stored as a JSON string.

    Examples
    --------
    >>> from datetime import UTC
    >>> r = AnalysisResult("health", "acme", date(2025, 1, 1), {"score": 80}, 3)
    >>> result_row(r, datetime(2025, 1, 2, tzinfo=UTC))["payload"]
    '{"score": 80}'
    """
    return {
        "kind": result.kind,
        "account_id": result.account_id,
        "as_of": result.as_of,
        "payload": json.dumps(result.payload, sort_keys=True, separators=(", ", ": ")),
        "data_version": result.data_version,
        "computed_at": result.computed_at or computed_at,
    }


def token_row(token: ApiToken) -> dict[str, Any]:
    """The ``PUT_TOKEN`` parameters of ``token``."""
    return {
        "token_hash": token.token_hash,
        "props": {
            "name": token.name,
            "role": token.role,
            "staff_id": token.staff_id,
            "created_at": token.created_at,
            "revoked": token.revoked,
        },
    }


# -- property maps -> model ---------------------------------------------------------------


def _get(row: Mapping[str, Any], name: str, default: Any = None) -> Any:
    value = row.get(name)
    return default if value is None else native(value)


def account_from(row: Mapping[str, Any]) -> Account:
    """The :class:`Account` of an ``a {.*}`` map.

    Examples
    --------
    >>> account_from({"id": "acme", "name": "Acme", "tier": "strategic", "domains": ["acme.com"]}).tier
    <Tier.STRATEGIC: 'strategic'>
    """
    return Account(
        id=row["id"],
        name=row["name"],
        industry=_get(row, "industry"),
        region=_get(row, "region"),
        tier=_get(row, "tier", "key"),
        annual_revenue=_get(row, "annual_revenue", 0.0),
        potential_revenue=_get(row, "potential_revenue", 0.0),
        owner=_get(row, "owner"),
        domains=tuple(_get(row, "domains", ())),
        strategic_fit=_get(row, "strategic_fit"),
        relationship_cost=_get(row, "relationship_cost"),
        tier_history=_get(row, "tier_history", ()),
        revenue_history=_get(row, "revenue_history", ()),
    )


def contact_from(row: Mapping[str, Any]) -> Contact:
    """The :class:`Contact` of a ``p {.*}`` map."""
    return Contact(
        id=row["id"],
        name=row["name"],
        email=_get(row, "email"),
        title=_get(row, "title"),
        department=_get(row, "department"),
        level=_get(row, "level"),
        influence=_get(row, "influence"),
        stance=_get(row, "stance", "neutral"),
        political_status=_get(row, "political_status"),
        stance_history=_get(row, "stance_history", ()),
    )


def staff_from(row: Mapping[str, Any]) -> Staff:
    """The :class:`Staff` of a ``p {.*}`` map."""
    return Staff(
        id=row["id"],
        name=row["name"],
        email=_get(row, "email"),
        title=_get(row, "title"),
        level=_get(row, "level"),
        team_role=_get(row, "team_role"),
        until=_get(row, "until"),
    )


def person_from(kind: str, row: Mapping[str, Any]) -> Contact | Staff:
    """A :class:`Staff` when ``kind`` is ``"staff"``, else a :class:`Contact`.

    Examples
    --------
    >>> person_from("staff", {"id": "s1", "name": "Sam"})
    Staff(id='s1', name='Sam', email=None, title=None, level=None, team_role=None, until=None)
    """
    return staff_from(row) if kind == "staff" else contact_from(row)


def employment_from(row: Mapping[str, Any]) -> Employment:
    """The :class:`Employment` of an ``r {.*, contact_id, account_id}`` map."""
    return Employment(
        contact_id=row["contact_id"],
        account_id=row["account_id"],
        title=_get(row, "title"),
        department=_get(row, "department"),
        level=_get(row, "level"),
        roles=frozenset(_get(row, "roles", ())),
        since=_get(row, "since"),
        until=_get(row, "until"),
    )


def reporting_line_from(row: Mapping[str, Any]) -> ReportingLine:
    """The :class:`ReportingLine` of an ``r {.*, contact_id, manager_id}`` map."""
    return ReportingLine(
        contact_id=row["contact_id"],
        manager_id=row["manager_id"],
        since=_get(row, "since"),
        until=_get(row, "until"),
    )


def influence_line_from(row: Mapping[str, Any]) -> InfluenceLine:
    """The :class:`InfluenceLine` of an ``r {.*, source_id, target_id}`` map."""
    return InfluenceLine(
        source_id=row["source_id"],
        target_id=row["target_id"],
        weight=_get(row, "weight", 0.5),
        kind=_get(row, "kind", "influences"),
    )


def team_membership_from(row: Mapping[str, Any]) -> TeamMembership:
    """The :class:`TeamMembership` of an ``r {.*, staff_id, account_id}`` map."""
    return TeamMembership(
        staff_id=row["staff_id"],
        account_id=row["account_id"],
        team_role=row["team_role"],
        since=_get(row, "since"),
        until=_get(row, "until"),
    )


def interaction_from(row: Mapping[str, Any]) -> Interaction:
    """The :class:`Interaction` of an ``i {.*, participants, accounts}`` map.

    Examples
    --------
    >>> from datetime import UTC
    >>> i = interaction_from({"id": "m1", "kind": "call", "at": datetime(2025, 1, 1, tzinfo=UTC),
    ...                       "source": "crm", "participants": ["s1", "c1"], "accounts": ["acme"]})
    >>> i.participants
    ('c1', 's1')
    """
    return Interaction(
        id=row["id"],
        kind=row["kind"],
        at=instant(row["at"]),
        source=_get(row, "source", "manual"),
        subject=_get(row, "subject"),
        participants=tuple(_get(row, "participants", ())),
        accounts=tuple(_get(row, "accounts", ())),
    )


def assessment_from(row: Mapping[str, Any]) -> Assessment:
    """The :class:`Assessment` of an ``r {.*, staff_id, contact_id}`` map."""
    return Assessment(
        staff_id=row["staff_id"], contact_id=row["contact_id"], level=row["level"], at=native(row["at"])
    )


def referral_from(row: Mapping[str, Any]) -> Referral:
    """The :class:`Referral` of an ``r {.*, source_id, source_kind, target_id}`` map."""
    return Referral(
        source_id=row["source_id"],
        source_kind=row["source_kind"],
        target_id=row["target_id"],
        at=native(row["at"]),
        status=_get(row, "status", "lead"),
        value=_get(row, "value", 0.0),
    )


def result_from(row: Mapping[str, Any]) -> AnalysisResult:
    """The :class:`AnalysisResult` of an ``r {.*}`` map (the JSON payload is decoded).

    Examples
    --------
    >>> result_from({"kind": "health", "account_id": "acme", "as_of": date(2025, 1, 1),
    ...              "payload": '{"score": 80}', "data_version": 3}).payload
    {'score': 80}
    """
    computed_at = _get(row, "computed_at")
    return AnalysisResult(
        kind=row["kind"],
        account_id=row["account_id"],
        as_of=native(row["as_of"]),
        payload=json.loads(row["payload"]),
        data_version=int(row["data_version"]),
        computed_at=computed_at,
    )


def token_from(row: Mapping[str, Any]) -> ApiToken:
    """The :class:`ApiToken` of a ``t {.*}`` map."""
    return ApiToken(
        token_hash=row["token_hash"],
        name=row["name"],
        role=row["role"],
        staff_id=_get(row, "staff_id"),
        created_at=native(row["created_at"]),
        revoked=bool(row.get("revoked", False)),
    )
