"""Salesforce data export: the CSV files of a Salesforce export, with Salesforce's own names.

``kamgraph import salesforce <folder>`` reads these files of the folder (any of them may be
missing; other files of the export are ignored) and their Salesforce field names (other columns
are ignored):

====================================  ===========================================================
File                                  Columns read (required in bold)
====================================  ===========================================================
``User.csv`` -> staff                 **Id**, Name or FirstName/LastName, Email, Title
``Account.csv`` -> accounts           **Id**, **Name**, Industry, Region__c or BillingCountry,
                                      Tier__c or Rating, AnnualRevenue, Potential_Revenue__c,
                                      OwnerId, Website (its host is the account's email domain)
``Contact.csv`` -> contacts           **Id**, Name or FirstName/LastName, Email, Title, Department,
                                      AccountId (the current employer), ReportsToId, Level__c,
                                      Influence__c, Stance__c
``AccountContactRelation.csv``        **AccountId**, **ContactId**, Roles (``;``-separated),
-> employments                        StartDate, EndDate, IsActive, IsDirect
``Opportunity.csv`` -> opportunities  **Id**, **AccountId**, **Name**, **StageName**, **CloseDate**,
                                      **CreatedDate**, Amount, IsClosed, IsWon, Type, IsDeleted
``Case.csv`` -> support cases         **Id**, **AccountId**, **CreatedDate**, ContactId, ClosedDate,
                                      IsClosed, Priority, Subject, Type, Reason, IsDeleted, the
                                      column of ``case-first-response-hours``
``Contract.csv`` -> contracts         **Id**, **AccountId**, **StartDate**, EndDate, ContractTerm,
                                      StatusCode or Status, CustomerSignedDate, ActivatedDate,
                                      IsDeleted, the column of ``contract-value``
``OpportunityContactRole.csv``        **ContactId**, **OpportunityId**, **Role**, AccountId
-> roles of employments, contacts
of opportunities
``AccountTeamMember.csv`` -> teams    **AccountId**, **UserId**, **TeamMemberRole**
``Event.csv`` -> interactions         **Id**, StartDateTime or ActivityDateTime or ActivityDate,
                                      Type or EventSubtype, Subject, OwnerId, WhoId, WhatId,
                                      AccountId, IsDeleted
``EventRelation.csv`` -> attendees    **EventId**, **RelationId**
``Task.csv`` -> interactions          **Id**, ActivityDate or CompletedDateTime or CreatedDate,
                                      Type or TaskSubtype, Subject, OwnerId, WhoId, WhatId,
                                      AccountId, Status, IsClosed, IsDeleted
====================================  ===========================================================

Salesforce Ids are kept as kamgraph ids (users become staff, contacts contacts, tasks and events
interactions), so importing a newer export updates what an older one wrote.

How the records are made
------------------------
* **Employments.** Each AccountContactRelation row is a position (roles from ``Roles``, dates
  from StartDate / EndDate; the contact's Title and Department when it is their primary
  account). A contact's ``AccountId`` gives a position only when no AccountContactRelation row
  names that pair. An inactive relation (``IsActive`` false) needs an EndDate, or the option
  ``inactive_end=YYYY-MM-DD`` giving the day to use. Positions keep exactly the periods the
  export states: indirect relations (``IsDirect`` false) run in parallel with the direct one, so
  no job change is inferred from two open positions (a job change shows as an EndDate on the old
  relation and a StartDate on the new one).
* **Opportunity contact roles** add their role to the contact's position at the opportunity's
  account (``Opportunity.csv`` gives the account; without it, the row's own ``AccountId`` column,
  else the contact's primary account is assumed). When the contact has no position there, the
  first such row creates one without dates. The contact is also one of the opportunity's
  ``contact_ids``. These rows create no other record of their own.
* **Opportunities** (business signals): Id, AccountId, Name, Amount (0 when blank), StageName
  -> stage, CloseDate -> close_date, CreatedDate -> opened. The status is *open* while
  ``IsClosed`` is false, else *won* or *lost* by ``IsWon``; an export without IsClosed / IsWon
  values closes the standard stages ``Closed Won`` (won) and ``Closed Lost`` (lost). A ``Type``
  containing "renewal" (any case, e.g. ``Existing Customer - Renewal``) marks a renewal. The
  contacts are those of the opportunity's OpportunityContactRole rows. A won or lost opportunity
  needs its CloseDate.
* **Cases** become support cases: CreatedDate -> opened, ClosedDate -> closed (a case with
  ``IsClosed`` true needs one), Priority -> severity by the ``severities`` table (blank:
  medium), Subject, ContactId -> the contact. A ``Type`` or ``Reason`` containing "complaint"
  (any case) marks a complaint. Salesforce has no standard field for the time to the first
  response: ``--option case-first-response-hours=COLUMN`` names the column holding it in hours
  (then a required column), else cases have none.
* **Contracts**: StartDate -> start, EndDate -> end (the renewal date); without an EndDate, the
  end follows from ``ContractTerm`` months (:func:`contract_end`: 12 months from 2025-04-01 end
  on 2026-03-31). The value comes from the column ``--option contract-value=COLUMN`` names (no
  standard field holds it), else 0. Signed is the earlier of CustomerSignedDate and
  ActivatedDate (else the start). Contracts not activated yet (StatusCode, else Status, Draft /
  InApproval / In Approval Process) are counted and skipped.
* **Deleted and account-less signals.** Opportunities, cases and contracts with ``IsDeleted``
  true, and opportunities and cases without an AccountId (Salesforce allows both; kamgraph
  keeps the signals of accounts), are counted and skipped. An AccountId or ContactId that is
  neither in the export nor in the store is a problem of the row, as for any other record.
* **Level** comes from ``Level__c`` when present, else from the title: chief / president / VP /
  managing director ... are executive, director / head / manager / lead are management, other
  titles operational.
* **Interactions.** Tasks and events become interactions: participants are the owner (a user),
  the ``WhoId`` contact and, for events, every EventRelation attendee; the interaction is ABOUT
  ``AccountId``, else the ``WhatId`` account (or the account of the ``WhatId`` opportunity), else
  the ``WhoId`` contact's account. Leads (Ids starting ``00Q``) are not imported: they are left
  out of the participants and counted in the summary. Open tasks (``IsClosed`` false, or a
  ``Status`` other than Completed), deleted rows (``IsDeleted`` true) and activities with neither
  a contact nor an account are counted and skipped.

Default mappings (:data:`DEFAULT_MAPPING`), overridable with ``--option mapping=FILE`` (a JSON or
TOML file with any of the tables ``roles``, ``team_roles``, ``task_kinds``, ``event_kinds``,
``tiers``, ``severities``, ``titles``; keys are Salesforce values, case-insensitive; a role maps to a list of
kamgraph roles; ``titles`` maps a title keyword to a level, over :data:`importers.titles.TITLE_LEVELS`)::

    roles:       Business User -> user_buyer, Decision Maker -> decision_maker,
                 Economic Buyer -> economic_buyer,
                 Economic Decision Maker -> economic_buyer + decision_maker,
                 Evaluator -> technical_buyer, Executive Sponsor -> executive_sponsor,
                 Influencer -> influencer, Technical Buyer -> technical_buyer, Other -> (none),
                 and kamgraph's own role names (Champion, Coach, Procurement, ...)
    team_roles:  Account Manager, Sales Rep, Sales Manager, Channel Manager, Lead Qualifier ->
                 account_rep; Pre-Sales Consultant, Technical Sales, Sales Engineer,
                 Solution Engineer, Solution Architect -> solution_specialist; Executive Sponsor
                 -> executive_sponsor; Customer Success Manager, Support -> customer_success;
                 Delivery Manager, Project Manager, Implementation Lead -> delivery_lead
    task_kinds:  Call -> call, Email / List Email -> email, Meeting -> meeting, Other / Task /
                 (blank) -> call, Support -> support
    event_kinds: Meeting / Event / Other / (blank) -> meeting, Call -> call, Email -> email,
                 Executive Visit / Executive Briefing -> exec_visit,
                 Conference / Webinar / Trade Show -> event
    tiers:       Strategic -> strategic, Key -> key, Potential -> potential (Tier__c);
                 Hot -> strategic, Warm -> key, Cold -> potential (Rating)
    severities:  Critical / Urgent -> critical, High -> high, Medium / Normal -> medium,
                 Low -> low (a case's Priority)

A value the mapping does not know is a problem naming its file, line and column.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "Account.csv").write_text("Id,Name,Website\\n001A,Acme,https://www.acme.example/\\n")
>>> rows = list(SalesforceSource(folder).rows())
>>> rows[0].records[0].domains
('acme.example',)
>>> map_roles("Economic Decision Maker; Other")
['decision_maker', 'economic_buyer']
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from graph.model import (
    Account,
    CaseSeverity,
    Contact,
    Contract,
    Employment,
    Interaction,
    InteractionKind,
    Level,
    Opportunity,
    OpportunityStatus,
    ReportingLine,
    Role,
    Staff,
    SupportCase,
    TeamMembership,
    TeamRole,
    Tier,
)
from graph.store import GraphStore
from importers.base import (
    CSV_OPTION_NAMES,
    CsvFile,
    CsvOptions,
    ImportContext,
    ImportRejected,
    Problem,
    Row,
    Source,
    pop_csv_options,
    register_importer,
    split_list,
)
from importers.cells import Cells
from importers.titles import TitleLevels, title_levels
from importers.titles import level_from_title as _title_level

__all__ = [
    "COLUMN_OPTIONS",
    "DEFAULT_MAPPING",
    "FILES",
    "SOURCE",
    "SalesforceMapping",
    "SalesforceSource",
    "contract_end",
    "level_from_title",
    "load_mapping",
    "map_roles",
]

#: ``Interaction.source`` of imported tasks and events.
SOURCE = "salesforce"

#: ``--option`` keys that name a column of the export (fields Salesforce has no standard one for).
COLUMN_OPTIONS = ("case-first-response-hours", "contract-value")

#: The files read, in import order, with their required columns.
FILES: Mapping[str, tuple[str, ...]] = {
    "User.csv": ("Id",),
    "Account.csv": ("Id", "Name"),
    "Contact.csv": ("Id",),
    "AccountContactRelation.csv": ("AccountId", "ContactId"),
    "Opportunity.csv": ("Id", "AccountId", "Name", "StageName", "CloseDate", "CreatedDate"),
    "Case.csv": ("Id", "AccountId", "CreatedDate"),
    "Contract.csv": ("Id", "AccountId", "StartDate"),
    "OpportunityContactRole.csv": ("ContactId", "OpportunityId", "Role"),
    "AccountTeamMember.csv": ("AccountId", "UserId", "TeamMemberRole"),
    "Event.csv": ("Id",),
    "EventRelation.csv": ("EventId", "RelationId"),
    "Task.csv": ("Id",),
}

_R = Role
#: Salesforce value -> kamgraph value(s), per table. Keys are compared case-insensitively.
DEFAULT_MAPPING: Mapping[str, Mapping[str, Any]] = {
    "roles": {
        "Business User": [_R.USER_BUYER.value],
        "Decision Maker": [_R.DECISION_MAKER.value],
        "Economic Buyer": [_R.ECONOMIC_BUYER.value],
        "Economic Decision Maker": [_R.ECONOMIC_BUYER.value, _R.DECISION_MAKER.value],
        "Evaluator": [_R.TECHNICAL_BUYER.value],
        "Executive Sponsor": [_R.EXECUTIVE_SPONSOR.value],
        "Influencer": [_R.INFLUENCER.value],
        "Technical Buyer": [_R.TECHNICAL_BUYER.value],
        "Other": [],
        **{r.value.replace("_", " ").title(): [r.value] for r in Role},
    },
    "team_roles": {
        "Account Manager": TeamRole.ACCOUNT_REP.value,
        "Sales Rep": TeamRole.ACCOUNT_REP.value,
        "Sales Manager": TeamRole.ACCOUNT_REP.value,
        "Channel Manager": TeamRole.ACCOUNT_REP.value,
        "Lead Qualifier": TeamRole.ACCOUNT_REP.value,
        "Pre-Sales Consultant": TeamRole.SOLUTION_SPECIALIST.value,
        "Technical Sales": TeamRole.SOLUTION_SPECIALIST.value,
        "Sales Engineer": TeamRole.SOLUTION_SPECIALIST.value,
        "Solution Engineer": TeamRole.SOLUTION_SPECIALIST.value,
        "Solution Architect": TeamRole.SOLUTION_SPECIALIST.value,
        "Executive Sponsor": TeamRole.EXECUTIVE_SPONSOR.value,
        "Customer Success Manager": TeamRole.CUSTOMER_SUCCESS.value,
        "Support": TeamRole.CUSTOMER_SUCCESS.value,
        "Delivery Manager": TeamRole.DELIVERY_LEAD.value,
        "Project Manager": TeamRole.DELIVERY_LEAD.value,
        "Implementation Lead": TeamRole.DELIVERY_LEAD.value,
        **{r.value.replace("_", " ").title(): r.value for r in TeamRole},
    },
    "task_kinds": {
        "Call": "call",
        "Email": "email",
        "List Email": "email",
        "ListEmail": "email",
        "Meeting": "meeting",
        "Support": "support",
        "Other": "call",
        "Task": "call",
        "": "call",
    },
    "event_kinds": {
        "Meeting": "meeting",
        "Event": "meeting",
        "Other": "meeting",
        "": "meeting",
        "Call": "call",
        "Email": "email",
        "Executive Visit": "exec_visit",
        "Executive Briefing": "exec_visit",
        "Conference": "event",
        "Webinar": "event",
        "Trade Show": "event",
    },
    "tiers": {
        "Strategic": "strategic",
        "Key": "key",
        "Potential": "potential",
        "Hot": "strategic",
        "Warm": "key",
        "Cold": "potential",
    },
    "severities": {
        "Critical": "critical",
        "Urgent": "critical",
        "High": "high",
        "Medium": "medium",
        "Normal": "medium",
        "Low": "low",
    },
    # title keyword -> level, over the defaults of importers.titles.TITLE_LEVELS
    "titles": {},
}

_TABLES = {
    "roles": Role,
    "team_roles": TeamRole,
    "task_kinds": InteractionKind,
    "event_kinds": InteractionKind,
    "tiers": Tier,
    "severities": CaseSeverity,
    "titles": Level,
}


@dataclass(frozen=True)
class SalesforceMapping:
    """Lower-cased Salesforce value -> kamgraph value(s), per table (see :data:`DEFAULT_MAPPING`)."""

    roles: Mapping[str, tuple[Role, ...]]
    team_roles: Mapping[str, TeamRole]
    task_kinds: Mapping[str, InteractionKind]
    event_kinds: Mapping[str, InteractionKind]
    tiers: Mapping[str, Tier]
    severities: Mapping[str, CaseSeverity]
    titles: Mapping[str, Level] = field(default_factory=dict)

    @cached_property
    def levels(self) -> TitleLevels:
        """The title keyword table with :attr:`titles` merged over the defaults."""
        return title_levels({k: v.value for k, v in self.titles.items()})

    @classmethod
    def build(
        cls, overrides: Mapping[str, Mapping[str, Any]] | None = None, origin: str = "mapping"
    ) -> SalesforceMapping:
        """The default mapping with ``overrides`` applied; bad entries raise :class:`ImportRejected`."""
        problems: list[Problem] = []
        tables: dict[str, dict[str, Any]] = {}
        for name in _TABLES:
            merged = {k.strip().lower(): v for k, v in DEFAULT_MAPPING[name].items()}
            extra = (overrides or {}).get(name, {})
            if not isinstance(extra, Mapping):
                problems.append(
                    Problem(origin, None, name, "must be a table of Salesforce value -> kamgraph value")
                )
                extra = {}
            for key, value in extra.items():
                merged[str(key).strip().lower()] = value
            tables[name] = {}
            for key, value in merged.items():
                try:
                    tables[name][key] = _convert_entry(name, value)
                except ValueError as error:
                    problems.append(Problem(origin, None, f"{name}.{key}", str(error)))
        for name in overrides or {}:
            if name not in _TABLES:
                problems.append(Problem(origin, None, name, f"unknown table (known: {', '.join(_TABLES)})"))
        if problems:
            raise ImportRejected(problems)
        return cls(**tables)


def _convert_entry(table: str, value: Any) -> Any:
    enum = _TABLES[table]
    allowed = ", ".join(m.value for m in enum)
    if table == "roles":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValueError(f"{value!r} is not a role or a list of roles")
        roles = []
        for item in items:
            if not isinstance(item, str):
                raise ValueError(f"{item!r} is not one of {allowed}")
            if item.strip():
                try:
                    roles.append(enum(item.strip().lower()))
                except ValueError:
                    raise ValueError(f"{item!r} is not one of {allowed}") from None
        return tuple(roles)
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        raise ValueError(f"{value!r} is not one of {allowed}") from None


def load_mapping(path: Path) -> SalesforceMapping:
    """Read a mapping override file (``.json`` or ``.toml``) and merge it over the defaults.

    Raises
    ------
    ImportRejected
        The file is missing, unreadable, or maps a value to something kamgraph does not know.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data: Any = tomllib.loads(text) if path.suffix.lower() == ".toml" else json.loads(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ImportRejected(
            [Problem(path.name, None, None, f"cannot read the mapping file: {error}")]
        ) from None
    if not isinstance(data, dict):
        raise ImportRejected([Problem(path.name, None, None, "the mapping file must hold a table of tables")])
    return SalesforceMapping.build(data, path.name)


_DEFAULT = SalesforceMapping.build()


def map_roles(value: str, mapping: SalesforceMapping = _DEFAULT) -> list[str]:
    """kamgraph roles of a Salesforce ``Roles`` / ``Role`` value (``;``-separated), sorted.

    Examples
    --------
    >>> map_roles("Business User;Technical Buyer")
    ['technical_buyer', 'user_buyer']
    >>> map_roles("Janitor")
    Traceback (most recent call last):
    ...
    ValueError: 'Janitor' is not a known Salesforce role (map it with --option mapping=FILE)
    """
    roles: set[Role] = set()
    for item in split_list(value):
        mapped = mapping.roles.get(item.lower())
        if mapped is None:
            raise ValueError(f"{item!r} is not a known Salesforce role (map it with --option mapping=FILE)")
        roles.update(mapped)
    return sorted(r.value for r in roles)


def level_from_title(title: str | None, mapping: SalesforceMapping | None = None) -> Level | None:
    """The organisational level a job title suggests (``None`` without a title), in English,
    German, French, Spanish or Chinese (:mod:`importers.titles`), with the mapping's ``titles``.

    Examples
    --------
    >>> level_from_title("VP Operations"), level_from_title("IT Director"), level_from_title("Buyer")
    (<Level.EXECUTIVE: 'executive'>, <Level.MANAGEMENT: 'management'>, <Level.OPERATIONAL: 'operational'>)
    >>> level_from_title("Geschäftsführer").value, level_from_title("采购经理").value
    ('executive', 'management')
    """
    return _title_level(title, (mapping or _DEFAULT).levels)


# -- reading cells ---------------------------------------------------------------------------------


class _Cells(Cells):
    """The cells of one CSV row by Salesforce field name, collecting every problem: the shared
    reader (:class:`importers.cells.Cells`) with Ids in their 18-character form, a value's column
    named only when it holds one, and Salesforce's booleans and names."""

    def __init__(
        self,
        file: str,
        line: int,
        fields: Sequence[str],
        index: Mapping[str, int],
        options: CsvOptions | None = None,
    ) -> None:
        super().__init__(file, line, fields, index, options)
        self.merged: tuple[str, str, str] | None = None
        self.fallback: Sequence[Any] = ()
        self.contact_id = ""
        self.part_of: tuple[tuple[str, str, str], ...] = ()

    def get(self, *columns: str) -> str:
        """The first non-blank value of ``columns`` (stripped), or ``""``; Ids (``Id`` and the
        ``...Id`` reference fields) in their 18-character form."""
        for column in columns:
            position = self.index.get(column)
            if position is not None:
                value = self.fields[position].strip()
                if value:
                    return salesforce_id(value) if _is_id_column(column) else value
        return ""

    def which(self, *columns: str) -> str:
        """The first of ``columns`` holding a value (for naming the column in problems)."""
        for column in columns:
            position = self.index.get(column)
            if position is not None and self.fields[position].strip():
                return column
        return columns[0]

    def number(self, column: str) -> float | None:
        value = self.get(column)
        if not value:
            return None
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            self.problem(column, f"{value!r} is not a number")
            return None
        if number != number or number < 0:
            self.problem(column, f"{value!r} must be a non-negative number")
            return None
        return number

    def flag(self, column: str) -> bool | None:
        value = self.get(column).lower()
        if not value:
            return None
        if value in ("true", "1", "yes"):
            return True
        if value in ("false", "0", "no"):
            return False
        self.problem(column, f"{value!r} is not a boolean (true/false)")
        return None

    def required_day(self, column: str, what: str) -> date | None:
        """The day in ``column``, with a problem when it is blank (``what`` says what it is)."""
        if not self.get(column):
            self.problem(column, f"must not be empty ({what})")
            return None
        return self.day(column)

    def name(self) -> str:
        name = self.get("Name")
        if not name:
            name = " ".join(p for p in (self.get("FirstName"), self.get("LastName")) if p)
        if not name:
            self.problem("LastName", "a name is required (Name, or FirstName and LastName)")
        return name


_LEAD_PREFIX = "00Q"
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")

#: Key prefixes (the first three characters of an Id) of the objects the importer knows.
PREFIXES: Mapping[str, str] = {
    "001": "Account",
    "003": "Contact",
    "005": "User",
    "006": "Opportunity",
    "00Q": "Lead",
    "500": "Case",
    "800": "Contract",
    "00U": "Event",
    "00T": "Task",
}
_SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_ID15 = re.compile(r"^[a-zA-Z0-9]{15}$")


def id_suffix(ident: str) -> str:
    """The three checksum characters that turn a 15-character Salesforce Id into 18 characters.

    Salesforce's documented algorithm: the Id is cut into three blocks of five characters; in each
    block, character *i* (from 0, left to right) that is an upper-case letter A-Z sets bit *i*;
    the block's number 0-31 is the letter of ``ABCDEFGHIJKLMNOPQRSTUVWXYZ012345`` at that place.
    The suffix makes the Id unique even where case is ignored (Excel, some databases).

    Examples
    --------
    >>> id_suffix("001A000000BcDeF")  # blocks 001A0 (bit 3 = 8: I), 00000 (A), BcDeF (1+4+16 = 21: V)
    'IAV'
    """
    if not _ID15.match(ident):
        raise ValueError(f"{ident!r} is not a 15-character Salesforce Id")
    letters = []
    for start in (0, 5, 10):
        block = ident[start : start + 5]
        number = sum(1 << i for i, char in enumerate(block) if "A" <= char <= "Z")
        letters.append(_SUFFIX_ALPHABET[number])
    return "".join(letters)


def salesforce_id(value: str) -> str:
    """The 18-character form of a Salesforce Id (15-character Ids get their suffix; any other
    value is returned as it is), so both forms of one record are the same kamgraph id.

    Examples
    --------
    >>> salesforce_id("003B000000xYzAb"), salesforce_id("003B000000xYzAbIAK")
    ('003B000000xYzAbIAK', '003B000000xYzAbIAK')
    >>> salesforce_id("legacy-7")
    'legacy-7'
    """
    value = value.strip()
    return value + id_suffix(value) if _ID15.match(value) else value


def contract_end(start: date, months: int) -> date:
    """The last day of a contract of ``months`` months from ``start``: the day before the same
    day ``months`` later (the day before the 1st of the month after, when that month has no
    such day), as Salesforce computes a contract's end from its ``ContractTerm``.

    Examples
    --------
    >>> contract_end(date(2025, 1, 15), 12), contract_end(date(2025, 1, 31), 1)
    (datetime.date(2026, 1, 14), datetime.date(2025, 2, 28))
    """
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    try:
        following = start.replace(year=year, month=month)
    except ValueError:  # no such day in that month: the next term starts on the 1st of the next
        following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def _object_name(ident: str) -> str:
    """The object an Id is of, by its key prefix (``"prefix 701"`` when the importer does not know it)."""
    return PREFIXES.get(ident[:3], f"prefix {ident[:3]}")


def _is_id_column(column: str) -> bool:
    return column == "Id" or column.endswith("Id")


def _domain(cells: _Cells, column: str) -> tuple[str, ...]:
    value = cells.get(column).lower()
    if not value:
        return ()
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value).split("/")[0].split("?")[0].split(":")[0]
    host = host.removeprefix("www.")
    if not _DOMAIN.match(host):
        cells.problem(column, f"{value!r} is not a web address")
        return ()
    return (host,)


# -- the source ------------------------------------------------------------------------------------


@dataclass
class _Index:
    """What the rows need to know about other files (built once, before the first pass)."""

    accounts: set[str] = field(default_factory=set)
    users: set[str] = field(default_factory=set)
    contacts: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # id -> account, title, dept
    opportunities: dict[str, str] = field(default_factory=dict)
    acr_pairs: set[tuple[str, str]] = field(default_factory=set)
    ocr_roles: dict[tuple[str, str], set[Role]] = field(default_factory=lambda: defaultdict(set))
    ocr_owner: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    opportunity_contacts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    cases: dict[str, str] = field(default_factory=dict)  # case id -> account id
    events: set[str] = field(default_factory=set)
    attendees: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    event_accounts: dict[str, str] = field(default_factory=dict)  # event -> account of an EventRelation
    relation_accounts: dict[int, str] = field(default_factory=dict)  # EventRelation line -> account
    bad_relations: set[int] = field(default_factory=set)
    unknown_relations: dict[int, str] = field(default_factory=dict)
    unknown_whats: dict[int, str] = field(default_factory=dict)  # EventRelation line -> unresolvable what
    other_relations: dict[int, str] = field(default_factory=dict)  # EventRelation line -> object name

    def account_of_what(self, what: str) -> str | None:
        """The account a ``WhatId`` (or an ``IsWhat`` relation) stands for: the account itself, the
        account of an opportunity or a case; ``""`` for an opportunity or case not in the export;
        ``None`` when the Id is of another object."""
        if what in self.accounts or (what.startswith("001") and what not in self.contacts):
            return what
        if what in self.opportunities:
            return self.opportunities[what]
        if what in self.cases:
            return self.cases[what]
        if what[:3] in ("006", "500"):
            return ""
        return None


class SalesforceSource(Source):
    """A Salesforce data export folder (see the module documentation).

    Parameters
    ----------
    path : Path
        The export folder.
    store : GraphStore, optional
        Used to check event attendees that are not in the export.
    mapping : SalesforceMapping, optional
        Value mappings (default :data:`DEFAULT_MAPPING`).
    inactive_end : date, optional
        End day for inactive AccountContactRelations without an EndDate.
    options : CsvOptions, optional
        Encoding, delimiter and date format of the files (default: UTF-8, comma, ISO dates).
    case_response_column : str, optional
        The ``Case.csv`` column holding the hours to the first response (Salesforce has no
        standard field for it); without it support cases have no first response time.
    contract_value_column : str, optional
        The ``Contract.csv`` column holding the contract's value (no standard field either);
        without it contracts are worth 0.
    """

    name = "salesforce"
    infers_job_changes = False  # indirect relations are concurrent by design

    def __init__(
        self,
        path: Path,
        store: GraphStore | None = None,
        mapping: SalesforceMapping | None = None,
        inactive_end: date | None = None,
        options: CsvOptions | None = None,
        *,
        case_response_column: str | None = None,
        contract_value_column: str | None = None,
    ) -> None:
        super().__init__(path)
        if not self.path.is_dir():
            what = "is a file" if self.path.exists() else "does not exist"
            raise ImportRejected(
                [Problem(str(path), None, None, f"{what}: a Salesforce export is a folder of CSV files")]
            )
        self.store = store
        self.mapping = mapping or _DEFAULT
        self.inactive_end = inactive_end
        self.options = options or CsvOptions(hints=True)
        self.case_response_column = case_response_column
        self.contract_value_column = contract_value_column
        self._index: _Index | None = None
        self._skipped: dict[str, int] = defaultdict(int)

    def total_size(self) -> int | None:
        return sum((self.path / name).stat().st_size for name in FILES if (self.path / name).is_file())

    def _table(self, name: str) -> CsvFile | None:
        path = self.path / name
        return CsvFile(path, required=self._required(name), options=self.options) if path.is_file() else None

    def _required(self, name: str) -> tuple[str, ...]:
        """The required columns of a file: those of :data:`FILES` and the columns options name."""
        extra = {"Case.csv": self.case_response_column, "Contract.csv": self.contract_value_column}.get(name)
        return (*FILES[name], extra) if extra else FILES[name]

    # -- first look at the files
    def _build_index(self) -> _Index:
        index = _Index()
        for name, target in (
            ("Account.csv", index.accounts),
            ("User.csv", index.users),
            ("Event.csv", index.events),
        ):
            table = self._table(name)
            if table is not None:
                for row in table:
                    if row.problem is None:
                        target.add(salesforce_id(row.fields[table.index["Id"]]))
        contacts = self._table("Contact.csv")
        if contacts is not None:
            for row in contacts:
                if row.problem is None:
                    cells = _Cells(contacts.name, row.line, row.fields, contacts.index)
                    index.contacts[cells.get("Id")] = (
                        cells.get("AccountId"),
                        cells.get("Title"),
                        cells.get("Department"),
                    )
        for name, lookup in (("Opportunity.csv", index.opportunities), ("Case.csv", index.cases)):
            table = self._table(name)
            if table is not None:
                for row in table:
                    if row.problem is None:
                        cells = _Cells(table.name, row.line, row.fields, table.index)
                        lookup[cells.get("Id")] = cells.get("AccountId")
        acr = self._table("AccountContactRelation.csv")
        if acr is not None:
            for row in acr:
                if row.problem is None:
                    cells = _Cells(acr.name, row.line, row.fields, acr.index)
                    index.acr_pairs.add((cells.get("ContactId"), cells.get("AccountId")))
        self._index = index  # the OCR and EventRelation checks below use it
        ocr = self._table("OpportunityContactRole.csv")
        if ocr is not None:
            for row in ocr:
                if row.problem is None:
                    cells = _Cells(ocr.name, row.line, row.fields, ocr.index)
                    checked = self._ocr(cells)
                    if checked is not None and not cells.problems:
                        pair, roles = checked
                        index.ocr_roles[pair].update(roles)
                        opportunity = cells.get("OpportunityId")
                        if index.opportunities.get(opportunity):  # an opportunity record
                            index.opportunity_contacts[opportunity].add(pair[0])
                        if pair not in index.acr_pairs and index.contacts.get(pair[0], ("",))[0] != pair[1]:
                            index.ocr_owner.setdefault(pair, (ocr.name, row.line))
        relations = self._table("EventRelation.csv")
        if relations is not None:
            unknown: dict[str, list[int]] = defaultdict(list)
            for row in relations:
                if row.problem is not None:
                    continue
                cells = _Cells(relations.name, row.line, row.fields, relations.index, self.options)
                event, person = cells.get("EventId"), cells.get("RelationId")
                if not event or not person or event not in index.events:
                    index.bad_relations.add(row.line)
                    continue
                if person.startswith(_LEAD_PREFIX):
                    continue
                if person not in index.contacts and person not in index.users:
                    account = index.account_of_what(person)
                    if account:  # the event's account (or its opportunity's or case's)
                        index.relation_accounts[row.line] = account
                        index.event_accounts.setdefault(event, account)
                        continue
                    if account == "":
                        index.unknown_whats[row.line] = person
                        continue
                    if cells.flag("IsWhat") is True:
                        index.other_relations[row.line] = _object_name(person)
                        continue
                if person in index.contacts or person in index.users:
                    index.attendees[event].append(person)
                else:
                    unknown[person].append(row.line)
                    index.attendees[event].append(person)
            found: set[str] = set()
            if unknown and self.store is not None:
                ids = list(unknown)
                for start in range(0, len(ids), 5_000):
                    found.update(self.store.get_people(ids[start : start + 5_000]))
            for person, lines in unknown.items():
                if person not in found:
                    for line in lines:
                        if person[:3] in ("003", "005"):
                            index.unknown_relations[line] = person
                        else:  # another object than a person (a campaign, a custom object ...)
                            index.other_relations[line] = _object_name(person)
            if index.unknown_relations or index.other_relations:
                drop = set(index.unknown_relations.values()) | {
                    p for p, lines in unknown.items() if lines[0] in index.other_relations
                }
                for event, people in index.attendees.items():
                    index.attendees[event] = [p for p in people if p not in drop]
        return index

    # -- the rows
    def rows(self) -> Iterator[Row]:
        """Every row of every Salesforce file read, users first, then accounts, contacts, ..."""
        if self._index is None:
            present = [n for n in FILES if (self.path / n).is_file()]
            if not present:
                known = ", ".join(FILES)
                reason = f"no Salesforce export files here (expected any of {known})"
                yield Row(
                    self.path.name, 0, "", "", (), (Problem(self.path.name, None, None, reason),), fatal=True
                )
                return
            self._build_index()
        self._skipped.clear()
        handlers: dict[str, tuple[str, Callable[[_Cells], Sequence[Any]], Mapping[str, str]]] = {
            "User.csv": ("staff", self._user, {"email": "Email", "name": "Name", "title": "Title"}),
            "Account.csv": ("account", self._account, _ACCOUNT_COLUMNS),
            "Contact.csv": ("contact", self._contact, _CONTACT_COLUMNS),
            "AccountContactRelation.csv": ("employment", self._relation, _ACR_COLUMNS),
            "Opportunity.csv": ("opportunity", self._opportunity, _OPPORTUNITY_COLUMNS),
            "Case.csv": ("support_case", self._case, self._case_columns),
            "Contract.csv": ("contract", self._contract, self._contract_columns),
            "OpportunityContactRole.csv": ("opportunity_contact_role", self._ocr_row, _OCR_COLUMNS),
            "AccountTeamMember.csv": ("team_membership", self._team, _TEAM_COLUMNS),
            "Event.csv": ("interaction", self._event, _ACTIVITY_COLUMNS),
            "EventRelation.csv": ("event_relation", self._event_relation, {}),
            "Task.csv": ("interaction", self._task, _ACTIVITY_COLUMNS),
        }
        for name, (kind, handler, columns) in handlers.items():
            table = self._table(name)
            if table is None:
                continue
            for problem in table.problems:
                yield Row(table.name, problem.line or 0, table.header_text, kind, (), (problem,), fatal=True)
            if table.problems:
                continue
            for row in table:
                if row.problem is not None:
                    yield Row(table.name, row.line, row.text, kind, (), (row.problem,), fatal=row.fatal)
                    continue
                cells = _Cells(table.name, row.line, row.fields, table.index, self.options)
                records = handler(cells)
                if cells.problems:
                    yield Row(
                        table.name, row.line, row.text, kind, (), cells.problems, columns,
                        contact_id=cells.contact_id,
                    )  # fmt: skip
                else:
                    yield Row(
                        table.name, row.line, row.text, kind, records, (), columns, skipped=cells.skip,
                        merged=cells.merged, fallback=cells.fallback, part_of=cells.part_of,
                    )  # fmt: skip

    def notes(self) -> list[str]:
        """What the summary table does not show: lead participants left out of imported
        activities, and ``WhatId`` values of objects that have no account."""
        labels = {
            "lead": "lead participants (00Q...) left out of activities: leads are not imported",
            "other_what": "activities related (WhatId) to another object than an account, opportunity "
            "or case: their account comes from the contact",
        }
        return [f"{count:,} {labels[key]}" for key, count in sorted(self._skipped.items()) if count]

    # -- transforms, one per file
    def _user(self, cells: _Cells) -> Sequence[Any]:
        name = cells.name()
        title = cells.get("Title") or None
        staff = cells.build(
            Staff, {"name": "Name"}, id=cells.get("Id"), name=name, email=cells.get("Email") or None,
            title=title, level=level_from_title(title, self.mapping),
        )  # fmt: skip
        return [staff] if staff is not None and not cells.problems else []

    def _account(self, cells: _Cells) -> Sequence[Any]:
        tier_column = cells.which("Tier__c", "Rating")
        tier_value = cells.get(tier_column)
        tier = Tier.KEY
        if tier_value:
            mapped = self.mapping.tiers.get(tier_value.lower())
            if mapped is None:
                cells.problem(
                    tier_column, f"{tier_value!r} is not a known tier (map it with --option mapping=FILE)"
                )
            else:
                tier = mapped
        revenue = cells.number("AnnualRevenue")
        potential = cells.number("Potential_Revenue__c")
        domains = _domain(cells, "Website")
        account = cells.build(
            Account,
            _ACCOUNT_COLUMNS,
            id=cells.get("Id"),
            name=cells.get("Name"),
            industry=cells.get("Industry").lower() or None,
            region=cells.get("Region__c", "BillingCountry") or None,
            tier=tier,
            annual_revenue=revenue or 0.0,
            potential_revenue=potential or 0.0,
            owner=cells.get("OwnerId") or None,
            domains=domains,
        )
        return [account] if account is not None and not cells.problems else []

    def _contact(self, cells: _Cells) -> Sequence[Any]:
        assert self._index is not None
        ident = cells.get("Id")
        title = cells.get("Title") or None
        department = cells.get("Department") or None
        level: Any = cells.get("Level__c") or level_from_title(title, self.mapping)
        contact = cells.build(
            Contact,
            _CONTACT_COLUMNS,
            id=ident,
            name=cells.name(),
            email=cells.get("Email") or None,
            title=title,
            department=department,
            level=level,
            influence=cells.get("Influence__c") or None,
            stance=cells.get("Stance__c") or "neutral",
        )
        records: list[Any] = [contact]
        account = cells.get("AccountId")
        if account:
            roles = self._index.ocr_roles.get((ident, account), set())
            position = cells.build(
                Employment, _CONTACT_COLUMNS, contact_id=ident, account_id=account, title=title,
                department=department, level=level, roles=frozenset(roles),
            )  # fmt: skip
            if (ident, account) not in self._index.acr_pairs:
                records.append(position)
            elif position is not None:  # kept in case every AccountContactRelation row is rejected
                cells.fallback = (position,)
        manager = cells.get("ReportsToId")
        if manager:
            records.append(cells.build(ReportingLine, _CONTACT_COLUMNS, contact_id=ident, manager_id=manager))
        return records if not cells.problems else []

    def _relation(self, cells: _Cells) -> Sequence[Any]:
        assert self._index is not None
        contact, account = cells.get("ContactId"), cells.get("AccountId")
        cells.contact_id = contact
        try:
            roles = set(map_roles(cells.get("Roles"), self.mapping))
        except ValueError as error:
            cells.problem("Roles", str(error))
            roles = set()
        roles.update(r.value for r in self._index.ocr_roles.get((contact, account), ()))
        since, until = cells.day("StartDate"), cells.day("EndDate")
        active = cells.flag("IsActive")
        if active is False and until is None:
            if self.inactive_end is None:
                cells.problem(
                    "EndDate",
                    "the relation is inactive (IsActive false) but has no EndDate: give the last day, "
                    "or --option inactive_end=YYYY-MM-DD",
                )
            else:
                until = self.inactive_end
        direct = cells.flag("IsDirect")
        primary = self._index.contacts.get(contact)
        title = department = None
        if primary is not None and (primary[0] == account or direct):
            title, department = primary[1] or None, primary[2] or None
        employment = cells.build(
            Employment, _ACR_COLUMNS, contact_id=contact, account_id=account, title=title,
            department=department, level=level_from_title(title, self.mapping), roles=frozenset(roles), since=since,
            until=until,
        )  # fmt: skip
        return [employment] if not cells.problems else []

    def _ocr(self, cells: _Cells) -> tuple[tuple[str, str], set[Role]] | None:
        """Check an OpportunityContactRole row: ((contact, account), roles) or problems."""
        assert self._index is not None
        contact, opportunity = cells.get("ContactId"), cells.get("OpportunityId")
        try:
            roles = {Role(r) for r in map_roles(cells.get("Role"), self.mapping)}
        except ValueError as error:
            cells.problem("Role", str(error))
            return None
        account = self._index.opportunities.get(opportunity) or cells.get("AccountId")
        if not account and not self._index.opportunities:
            account = self._index.contacts.get(contact, ("",))[0]
        if not account:
            if self._index.opportunities:
                cells.problem(
                    "OpportunityId", f"unknown opportunity {opportunity!r} (not in Opportunity.csv)"
                )
            else:
                cells.problem(
                    "OpportunityId",
                    f"cannot tell the account of opportunity {opportunity!r}: add Opportunity.csv",
                )
            return None
        if contact not in self._index.contacts:
            cells.problem("ContactId", f"unknown contact {contact!r} (not in Contact.csv)")
            return None
        return (contact, account), roles

    def _ocr_row(self, cells: _Cells) -> Sequence[Any]:
        assert self._index is not None
        checked = self._ocr(cells)
        if checked is None or cells.problems:
            return []
        pair, _ = checked
        contact, account = pair
        opportunity = cells.get("OpportunityId")
        if self._index.opportunities.get(opportunity):  # an opportunity record
            cells.part_of = (("contacts", "opportunity", opportunity),)
        if self._index.ocr_owner.get(pair) == (cells.file, cells.line):
            roles = frozenset(self._index.ocr_roles[pair])
            return [
                cells.build(Employment, _OCR_COLUMNS, contact_id=contact, account_id=account, roles=roles)
            ]
        cells.merged = ("roles", "employment", f"{contact}@{account}")
        return []

    def _team(self, cells: _Cells) -> Sequence[Any]:
        value = cells.get("TeamMemberRole")
        role = self.mapping.team_roles.get(value.lower())
        if role is None:
            cells.problem(
                "TeamMemberRole", f"{value!r} is not a known team role (map it with --option mapping=FILE)"
            )
            return []
        member = cells.build(
            TeamMembership, _TEAM_COLUMNS, staff_id=cells.get("UserId"), account_id=cells.get("AccountId"),
            team_role=role, since=cells.day("StartDate") if cells.has("StartDate") else None,
        )  # fmt: skip
        return [member] if not cells.problems else []

    # -- business signals
    def _opportunity(self, cells: _Cells) -> Sequence[Any]:
        assert self._index is not None
        if self._signal_skipped(cells):
            return []
        ident, stage = cells.get("Id"), cells.get("StageName")
        closed, won = cells.flag("IsClosed"), cells.flag("IsWon")
        if closed is None:  # no IsClosed value: Salesforce's standard closed stages
            closed = stage.lower() in _CLOSED_STAGES
        if won is None:
            won = stage.lower() == "closed won"
        status = OpportunityStatus.OPEN
        if closed:
            status = OpportunityStatus.WON if won else OpportunityStatus.LOST
        opened = cells.required_day("CreatedDate", "the day the opportunity was opened")
        amount, close_date = cells.number("Amount"), cells.day("CloseDate")
        if close_date is None and status is not OpportunityStatus.OPEN and not cells.problems:
            cells.problem("CloseDate", f"a {status.value} opportunity needs its CloseDate")
        if cells.problems:
            return []
        opportunity = cells.build(
            Opportunity, _OPPORTUNITY_COLUMNS, id=ident, account_id=cells.get("AccountId"),
            name=cells.get("Name"), opened=opened, amount=amount or 0.0, close_date=close_date,
            stage=stage or None, status=status, renewal="renewal" in cells.get("Type").lower(),
            contact_ids=tuple(self._index.opportunity_contacts.get(ident, ())),
        )  # fmt: skip
        return [opportunity] if not cells.problems else []

    def _case(self, cells: _Cells) -> Sequence[Any]:
        if self._signal_skipped(cells):
            return []
        opened = cells.required_day("CreatedDate", "the day the case was opened")
        closed = cells.day("ClosedDate")
        if closed is None and cells.flag("IsClosed") and not cells.problems:
            cells.problem("ClosedDate", "the case is closed (IsClosed true) but has no ClosedDate")
        severity = CaseSeverity.MEDIUM
        priority = cells.get("Priority")
        if priority:
            mapped = self.mapping.severities.get(priority.lower())
            if mapped is None:
                cells.problem(
                    "Priority",
                    f"{priority!r} is not a known case priority (map it with --option mapping=FILE)",
                )
            else:
                severity = mapped
        hours = cells.number(self.case_response_column) if self.case_response_column else None
        complaint = any("complaint" in cells.get(column).lower() for column in ("Type", "Reason"))
        if cells.problems:
            return []
        case = cells.build(
            SupportCase, self._case_columns, id=cells.get("Id"), account_id=cells.get("AccountId"),
            opened=opened, severity=severity, closed=closed, first_response_hours=hours, complaint=complaint,
            subject=cells.get("Subject") or None, contact_id=cells.get("ContactId") or None,
        )  # fmt: skip
        return [case] if not cells.problems else []

    def _contract(self, cells: _Cells) -> Sequence[Any]:
        if cells.flag("IsDeleted"):
            cells.skip = "deleted"
            return []
        status = cells.get("StatusCode", "Status")
        if status.lower() in _NOT_ACTIVATED:
            cells.skip = "not activated (draft or in approval)"
            return []
        start = cells.required_day("StartDate", "the first day of the contract")
        end = cells.day("EndDate")
        if end is None and start is not None and not cells.problems:
            term = cells.get("ContractTerm")
            if not term:
                cells.problem("EndDate", "a contract needs an EndDate or a ContractTerm (months)")
            else:
                try:
                    months = float(term)
                except ValueError:
                    months = 0.0
                if months < 1 or months != int(months):
                    cells.problem("ContractTerm", f"{term!r} is not a whole number of months")
                else:
                    end = contract_end(start, int(months))
        value = cells.number(self.contract_value_column) if self.contract_value_column else None
        signed = [d for d in (cells.day("CustomerSignedDate"), cells.day("ActivatedDate")) if d is not None]
        if cells.problems:
            return []
        contract = cells.build(
            Contract, self._contract_columns, id=cells.get("Id"), account_id=cells.get("AccountId"),
            start=start, end=end, value=value or 0.0, signed=min(signed) if signed else None,
        )  # fmt: skip
        return [contract] if not cells.problems else []

    @staticmethod
    def _signal_skipped(cells: _Cells) -> bool:
        """Whether an opportunity or case row makes no record on purpose: deleted, or of no
        account (Salesforce allows both without an account; kamgraph keeps those of accounts)."""
        if cells.flag("IsDeleted"):
            cells.skip = "deleted"
        elif not cells.get("AccountId") and not cells.problems:
            cells.skip = "no account"
        return bool(cells.skip)

    @property
    def _case_columns(self) -> Mapping[str, str]:
        if self.case_response_column is None:
            return _CASE_COLUMNS
        return {**_CASE_COLUMNS, "first_response_hours": self.case_response_column}

    @property
    def _contract_columns(self) -> Mapping[str, str]:
        if self.contract_value_column is None:
            return _CONTRACT_COLUMNS
        return {**_CONTRACT_COLUMNS, "value": self.contract_value_column}

    def _event_relation(self, cells: _Cells) -> Sequence[Any]:
        assert self._index is not None
        if cells.line in self._index.bad_relations:
            event = cells.get("EventId")
            if not event or not cells.get("RelationId"):
                cells.problem("EventId" if not event else "RelationId", "must not be empty")
            else:
                cells.problem("EventId", f"unknown event {event!r} (not in Event.csv)")
        elif cells.line in self._index.unknown_relations:
            person = self._index.unknown_relations[cells.line]
            cells.problem(
                "RelationId", f"unknown person {person!r} (neither a contact nor a user, here or stored)"
            )
        elif cells.line in self._index.unknown_whats:
            what = self._index.unknown_whats[cells.line]
            source = "Opportunity.csv" if what.startswith("006") else "Case.csv"
            cells.problem("RelationId", f"unknown {_object_name(what).lower()} {what!r} (not in {source})")
        elif cells.get("RelationId").startswith(_LEAD_PREFIX):
            cells.skip = "lead"
        elif cells.line in self._index.other_relations:
            cells.skip = f"other object ({self._index.other_relations[cells.line]})"
        elif cells.line in self._index.relation_accounts:
            cells.merged = ("account", "interaction", cells.get("EventId"))
        else:
            cells.merged = ("participants", "interaction", cells.get("EventId"))
        return []

    def _event(self, cells: _Cells) -> Sequence[Any]:
        assert self._index is not None
        at = cells.moment("StartDateTime", "ActivityDateTime", "ActivityDate")
        if at is None and not cells.problems:
            cells.problem("StartDateTime", "an event needs StartDateTime, ActivityDateTime or ActivityDate")
        kind = self._kind(cells, self.mapping.event_kinds, "Type", "EventSubtype")
        extra = self._index.attendees.get(cells.get("Id"), [])
        return self._activity(cells, at, kind, extra)

    def _task(self, cells: _Cells) -> Sequence[Any]:
        closed = cells.flag("IsClosed")
        status = cells.get("Status")
        if closed is False or (closed is None and status and status.lower() != "completed"):
            cells.skip = "open task"
            return []
        at = cells.moment("CompletedDateTime", "ActivityDate", "CreatedDate")
        if at is None and not cells.problems:
            cells.problem("ActivityDate", "a task needs ActivityDate, CompletedDateTime or CreatedDate")
        kind = self._kind(cells, self.mapping.task_kinds, "Type", "TaskSubtype")
        return self._activity(cells, at, kind, [])

    def _kind(
        self, cells: _Cells, table: Mapping[str, InteractionKind], *columns: str
    ) -> InteractionKind | None:
        column = cells.which(*columns)
        value = cells.get(column)
        kind = table.get(value.lower())
        if kind is None:
            cells.problem(
                column, f"{value!r} is not a known activity type (map it with --option mapping=FILE)"
            )
        return kind

    def _activity(
        self, cells: _Cells, at: datetime | None, kind: InteractionKind | None, extra: Sequence[str]
    ) -> Sequence[Any]:
        assert self._index is not None
        if cells.flag("IsDeleted") and not cells.problems:
            cells.skip = "deleted"
            return []
        if cells.problems or at is None or kind is None:
            return []
        owner, who = cells.get("OwnerId"), cells.get("WhoId")
        people = [p for p in (owner, who, *extra) if p]
        leads = [p for p in people if p.startswith(_LEAD_PREFIX)]
        people = [p for p in people if not p.startswith(_LEAD_PREFIX)]
        account = cells.get("AccountId")
        what = cells.get("WhatId")
        if not account and what:
            found = self._index.account_of_what(what)
            if found == "":
                source = "Opportunity.csv" if what.startswith("006") else "Case.csv"
                cells.problem("WhatId", f"unknown {_object_name(what).lower()} {what!r} (not in {source})")
                return []
            if found is None:
                self._skipped["other_what"] += 1
            account = found or ""
        if not account:
            account = self._index.event_accounts.get(cells.get("Id"), "")
        if not account and who in self._index.contacts:
            account = self._index.contacts[who][0]
        if leads:
            self._skipped["lead"] += len(leads)
        if not account and all(p in self._index.users for p in people):
            cells.skip = "lead only" if leads else "no contact or account"
            return []
        interaction = cells.build(
            Interaction, _ACTIVITY_COLUMNS, id=cells.get("Id"), kind=kind, at=at, source=SOURCE,
            subject=cells.get("Subject") or None, participants=tuple(people),
            accounts=(account,) if account else (),
        )  # fmt: skip
        return [interaction] if interaction is not None else []


_ACCOUNT_COLUMNS = {
    "id": "Id", "name": "Name", "industry": "Industry", "region": "BillingCountry", "tier": "Tier__c",
    "annual_revenue": "AnnualRevenue", "potential_revenue": "Potential_Revenue__c", "owner": "OwnerId",
    "domains": "Website",
}  # fmt: skip
_CONTACT_COLUMNS = {
    "id": "Id", "contact_id": "Id", "name": "Name", "email": "Email", "title": "Title",
    "department": "Department", "level": "Level__c", "influence": "Influence__c", "stance": "Stance__c",
    "account_id": "AccountId", "manager_id": "ReportsToId",
}  # fmt: skip
_ACR_COLUMNS = {
    "contact_id": "ContactId", "account_id": "AccountId", "roles": "Roles", "since": "StartDate",
    "until": "EndDate",
}  # fmt: skip
_OCR_COLUMNS = {"contact_id": "ContactId", "account_id": "OpportunityId", "roles": "Role"}
_TEAM_COLUMNS = {"staff_id": "UserId", "account_id": "AccountId", "team_role": "TeamMemberRole"}
_OPPORTUNITY_COLUMNS = {
    "id": "Id", "account_id": "AccountId", "name": "Name", "opened": "CreatedDate", "amount": "Amount",
    "close_date": "CloseDate", "stage": "StageName", "status": "IsWon", "renewal": "Type",
    "contact_ids": "OpportunityContactRole.ContactId",
}  # fmt: skip
_CASE_COLUMNS = {
    "id": "Id", "account_id": "AccountId", "opened": "CreatedDate", "closed": "ClosedDate",
    "severity": "Priority", "complaint": "Type", "subject": "Subject", "contact_id": "ContactId",
}  # fmt: skip
_CONTRACT_COLUMNS = {
    "id": "Id", "account_id": "AccountId", "start": "StartDate", "end": "EndDate",
    "signed": "CustomerSignedDate",
}  # fmt: skip
#: Opportunity stages that close it when the export has no ``IsClosed`` value (lower case).
_CLOSED_STAGES = ("closed won", "closed lost")
#: Contract status codes (and the standard labels) of contracts not yet in force (lower case).
_NOT_ACTIVATED = ("draft", "inapproval", "in approval process")
_ACTIVITY_COLUMNS = {
    "id": "Id", "participants": "OwnerId/WhoId/EventRelation", "accounts": "AccountId/WhatId",
    "at": "ActivityDate", "subject": "Subject",
}  # fmt: skip


def _open(path: Path, context: ImportContext) -> Source:
    options = dict(context.options)
    csv_options = pop_csv_options(options)
    mapping = load_mapping(Path(options.pop("mapping"))) if "mapping" in options else None
    inactive_end: date | None = None
    if "inactive_end" in options:
        value = options.pop("inactive_end")
        try:
            inactive_end = date.fromisoformat(value)
        except ValueError:
            raise ImportRejected(
                [Problem("--option", None, "inactive_end", f"{value!r} is not a date")]
            ) from None
    columns = {name: options.pop(name).strip() or None for name in COLUMN_OPTIONS if name in options}
    if options:
        unknown = ", ".join(sorted(options))
        raise ImportRejected(
            [
                Problem(
                    "--option",
                    None,
                    None,
                    f"unknown option(s) {unknown} (salesforce knows mapping, inactive_end, "
                    f"{', '.join(COLUMN_OPTIONS)}, {', '.join(CSV_OPTION_NAMES)})",
                )
            ]
        )
    return SalesforceSource(
        path, context.store, mapping, inactive_end, csv_options,
        case_response_column=columns.get("case-first-response-hours"),
        contract_value_column=columns.get("contract-value"),
    )  # fmt: skip


register_importer(
    "salesforce", _open, "Salesforce data export: a folder of CSV files (Account.csv, Contact.csv, ...)"
)
