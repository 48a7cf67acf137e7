"""Zoho CRM export: the module CSV files of a Zoho CRM export, with Zoho's display names.

``kamgraph import zoho <folder>`` reads these files of the folder (any of them may be missing;
other files and other columns are ignored):

===================  ============================================================================
File                 Columns read (required in bold)
===================  ============================================================================
``Accounts.csv``     **Record Id**, **Account Name**, Account Owner, Industry, Annual Revenue,
                     Account Type, Tier (a custom field, when there is one), Billing Country,
                     Website (its host is the account's email domain)
``Contacts.csv``     **Record Id**, **Last Name**, First Name or Full Name, Email, Title,
                     Department, Account Name, Contact Owner, Reports To
``Deals.csv``        **Record Id**, **Deal Name**, **Created Time**, Account Name, Amount, Stage,
                     Closing Date, Type, Contact Name
``Events.csv``       **Record Id**, **Start DateTime**, Event Title, Host or Event Owner,
                     Participants, Related To, Contact Name
``Calls.csv``        **Record Id**, **Call Start Time**, Subject, Call Owner, Call Type, Call
                     Status, Related To, Contact Name
===================  ============================================================================

Ids and look-ups
----------------
Zoho record ids (``zcrm_4150868000000225013``, or the bare number the API shows) are kept as
kamgraph ids in the ``zcrm_<number>`` form, so a newer export updates what an older one wrote and
importing the same export twice changes nothing. A look-up column (``Account Name`` of a contact
or a deal, ``Reports To``, ``Contact Name``, ``Related To``) holds either the record id or the
record's name, as Zoho writes one or the other depending on the export; a name is found in the
export's own files (an account by its name, a contact by its full name or email, a deal by its
name). An id that is not in the export is looked up in the store (an earlier import).

How the records are made
------------------------
* **Accounts.** ``Annual Revenue`` is the account's annual revenue. The tier follows one rule
  (:func:`tier_of`): a ``Tier`` column (strategic / key / potential) when the export has that
  custom field; else ``Account Type`` Prospect is *potential*; else by annual revenue: at least
  ``strategic-revenue`` (default 10,000,000) is *strategic*, at least ``key-revenue`` (default
  1,000,000) *key*, less *potential*; no revenue at all keeps the model's default, *key*.
  ``Rating`` is not read: its default values (Acquired, Active, Market Failed, Project Cancelled,
  Shutdown) describe the relationship's state, not the account's weight.
* **Our staff.** Zoho's owners (``Account Owner``, ``Contact Owner``, an event's host, a call's
  owner) are users of ours: each becomes a staff member, written with the first row that names
  them, under the user's record id when the export gives one, else under ``zoho-user-<name>``
  (the name in lower case, other characters than letters and digits as ``-``). The owner of an
  account and the owner of a contact are on the account team of that account as ``owner-role``
  (default ``account_rep``); the account owner is the account's ``owner``.
* **Contacts** get a position at their ``Account Name`` account with their title and
  department; the level comes from the title (:mod:`importers.titles`). ``Reports To`` is a
  reporting line to another contact.
* **Deals** become opportunities (business signals): Record Id -> id, Deal Name -> name,
  Account Name -> the account, Amount -> amount (0 when blank), Stage -> stage, Closing Date ->
  close_date, Created Time -> opened, Contact Name -> the opportunity's contact. The status
  follows Zoho's closed stages (:func:`deal_status`): ``Closed Won`` is *won*, ``Closed Lost``
  and ``Closed-Lost to Competition`` are *lost*, every other stage is *open*; a won or lost deal
  needs its Closing Date. A ``Type`` containing "renewal" (any case) marks a renewal. A deal
  without an Account Name (Zoho allows deals of a contact alone) is counted and skipped. Deals
  also give the account of activities related to them.
* **Events** become ``meeting`` interactions and **calls** ``call`` interactions, at their start.
  Participants are the host or owner, the ``Contact Name`` contact and every ``Participants``
  item (``;`` or ``,`` separated record ids, email addresses or names of contacts and owners).
  The interaction is ABOUT the ``Related To`` account (or the deal's account), else the
  accounts of its contacts. Missed calls and calls that were not held (``Call Status``
  Scheduled, Overdue or Cancelled) are counted and skipped, as are activities with neither a
  contact nor an account.

Unknown references
------------------
A look-up that names no record of the export (nor, for ids, of the store) is a problem of that
row with its file, line and column: an account name on a contact or a deal, ``Reports To``, an
activity's ``Contact Name``. Two exceptions follow what the Salesforce importer does with leads
and other objects: a ``Related To`` that is no account, deal or contact (Zoho relates activities
to leads, campaigns, cases ...) leaves the account to the contacts and is counted in the
summary's notes; a ``Participants`` item that matches no contact or owner (a lead, an invitee by
email) is left out of the participants and counted in the notes, never invented as a contact.

Examples
--------
>>> zoho_id("zcrm_4150868000000225013"), zoho_id("4150868000000225013"), zoho_id("Acme")
('zcrm_4150868000000225013', 'zcrm_4150868000000225013', '')
>>> tier_of(None, "", 25_000_000.0).value, tier_of(None, "Prospect", 25_000_000.0).value
('strategic', 'potential')
>>> deal_status("Closed-Lost to Competition").value
'lost'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from graph.model import (
    Account,
    Contact,
    Employment,
    Interaction,
    InteractionKind,
    ModelError,
    Opportunity,
    OpportunityStatus,
    ReportingLine,
    Staff,
    TeamMembership,
    TeamRole,
    Tier,
    parse_enum,
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
)
from importers.cells import Cells, slug, table_rows
from importers.titles import level_from_title

__all__ = [
    "FILES",
    "SOURCE",
    "ZohoSource",
    "deal_status",
    "tier_of",
    "zoho_id",
]

#: ``Interaction.source`` of imported events and calls.
SOURCE = "zoho"

#: The files read, in import order, with their required columns.
FILES: Mapping[str, tuple[str, ...]] = {
    "Accounts.csv": ("Record Id", "Account Name"),
    "Contacts.csv": ("Record Id", "Last Name"),
    "Deals.csv": ("Record Id", "Deal Name", "Created Time"),
    "Events.csv": ("Record Id", "Start DateTime"),
    "Calls.csv": ("Record Id", "Call Start Time"),
}

#: Default annual revenue thresholds of the tier rule (``strategic-revenue``, ``key-revenue``).
STRATEGIC_REVENUE = 10_000_000.0
KEY_REVENUE = 1_000_000.0

_ID = re.compile(r"^(?:zcrm_)?(\d{5,})$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
_NOT_HELD = {"scheduled", "overdue", "cancelled", "canceled"}
_CALL_TYPES = {"inbound", "outbound", "missed"}
_OWNER_COLUMNS = {
    "Accounts.csv": ("Account Owner",),
    "Contacts.csv": ("Contact Owner",),
    "Events.csv": ("Host", "Event Owner", "Owner"),
    "Calls.csv": ("Call Owner", "Owner"),
}


def zoho_id(value: str) -> str:
    """The kamgraph id of a Zoho record id (``zcrm_<number>``), ``""`` when ``value`` is no id.

    Zoho writes record ids as ``zcrm_`` followed by the number in exports and as the bare
    number elsewhere; both are the same record.
    """
    match = _ID.match(value.strip())
    return f"zcrm_{match.group(1)}" if match else ""


def tier_of(
    tier: str | None,
    account_type: str,
    revenue: float | None,
    strategic: float = STRATEGIC_REVENUE,
    key: float = KEY_REVENUE,
) -> Tier:
    """The tier of a Zoho account by the documented rule (see the module documentation).

    Raises
    ------
    ModelError
        ``tier`` is not strategic, key or potential.

    Examples
    --------
    >>> [tier_of(None, "Customer", r).value for r in (None, 10_000_000.0, 999_999.0, 1_000_000.0)]
    ['key', 'strategic', 'potential', 'key']
    """
    if tier:
        return parse_enum(Tier, tier, "Account", "tier")
    if account_type.strip().lower() == "prospect":
        return Tier.POTENTIAL
    if revenue is None:
        return Tier.KEY
    if revenue >= strategic:
        return Tier.STRATEGIC
    return Tier.KEY if revenue >= key else Tier.POTENTIAL


def deal_status(stage: str) -> OpportunityStatus:
    """The status of a deal by its Zoho stage: ``Closed Won`` is won, ``Closed Lost`` and
    ``Closed-Lost to Competition`` are lost (any case), every other stage is open.

    Examples
    --------
    >>> [deal_status(s).value for s in ("Closed Won", "closed lost", "Negotiation/Review", "")]
    ['won', 'lost', 'open', 'open']
    """
    words = stage.strip().lower().replace("-", " ")
    if words.startswith("closed won"):
        return OpportunityStatus.WON
    if words.startswith("closed lost"):
        return OpportunityStatus.LOST
    return OpportunityStatus.OPEN


def _owner_id(value: str) -> str:
    return zoho_id(value) or f"zoho-user-{slug(value)}"


@dataclass
class _Index:
    """What the rows need to know about other files (built once, before the first pass)."""

    accounts: set[str] = field(default_factory=set)
    account_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    contacts: dict[str, str] = field(default_factory=dict)  # id -> account id ("" without one)
    contact_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    contact_emails: dict[str, str] = field(default_factory=dict)
    deals: dict[str, str] = field(default_factory=dict)  # id -> account id
    deal_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    owners: dict[str, tuple[str, tuple[str, int]]] = field(default_factory=dict)  # id -> name, first row
    owner_names: dict[str, str] = field(default_factory=dict)  # lower-case name -> staff id
    teams: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # first row per pair
    stored_accounts: set[str] = field(default_factory=set)
    stored_people: set[str] = field(default_factory=set)


class ZohoSource(Source):
    """A Zoho CRM export folder (see the module documentation).

    Parameters
    ----------
    path : Path
        The export folder.
    store : GraphStore, optional
        Used to look up record ids that are not in the export.
    options : CsvOptions, optional
        Encoding, delimiter and date format of the files (default: UTF-8, comma, ISO dates).
    owner_role : TeamRole
        The account-team role of account and contact owners.
    strategic_revenue, key_revenue : float
        Annual revenue thresholds of the tier rule.
    """

    name = "zoho"

    def __init__(
        self,
        path: Path,
        store: GraphStore | None = None,
        options: CsvOptions | None = None,
        *,
        owner_role: TeamRole = TeamRole.ACCOUNT_REP,
        strategic_revenue: float = STRATEGIC_REVENUE,
        key_revenue: float = KEY_REVENUE,
    ) -> None:
        super().__init__(path)
        if not self.path.is_dir():
            what = "is a file" if self.path.exists() else "does not exist"
            raise ImportRejected(
                [Problem(str(path), None, None, f"{what}: a Zoho CRM export is a folder of CSV files")]
            )
        self.store = store
        self.options = options or CsvOptions(hints=True)
        self.owner_role = owner_role
        self.strategic_revenue = strategic_revenue
        self.key_revenue = key_revenue
        self._index: _Index | None = None
        self._notes: dict[str, int] = defaultdict(int)

    def total_size(self) -> int | None:
        return sum((self.path / name).stat().st_size for name in FILES if (self.path / name).is_file())

    def _table(self, name: str) -> CsvFile | None:
        path = self.path / name
        return CsvFile(path, required=FILES[name], options=self.options) if path.is_file() else None

    def _records(self, name: str) -> Iterator[Cells]:
        table = self._table(name)
        if table is None or table.problems:
            return
        for row in table:
            if row.problem is None:
                yield Cells(table.name, row.line, row.fields, table.index, self.options)

    # -- first look at the files
    def _build_index(self) -> _Index:
        index = _Index()
        self._index = index
        for cells in self._records("Accounts.csv"):
            ident = zoho_id(cells.get("Record Id"))
            if ident:
                index.accounts.add(ident)
                index.account_names[cells.get("Account Name").lower()].append(ident)
        contacts = list(self._records("Contacts.csv"))
        for cells in contacts:
            ident = zoho_id(cells.get("Record Id"))
            if ident:
                index.contacts[ident] = ""
                index.contact_names[_full_name(cells).lower()].append(ident)
                email = cells.get("Email").lower()
                if email:
                    index.contact_emails.setdefault(email, ident)
        for cells in contacts:  # the accounts, now that every name is known
            ident = zoho_id(cells.get("Record Id"))
            if ident:
                index.contacts[ident] = self._account_ref(cells, "Account Name")
        for cells in self._records("Deals.csv"):
            ident = zoho_id(cells.get("Record Id"))
            if ident:
                index.deals[ident] = self._account_ref(cells, "Account Name")
                index.deal_names[cells.get("Deal Name").lower()].append(ident)
        unknown: set[str] = set()
        for name, columns in _OWNER_COLUMNS.items():
            for cells in self._records(name):
                owner = cells.get(*columns)
                if owner:
                    staff = _owner_id(owner)
                    index.owners.setdefault(staff, (owner, (cells.file, cells.line)))
                    if not zoho_id(owner):
                        index.owner_names.setdefault(owner.lower(), staff)
                    account = ""
                    if name == "Accounts.csv":
                        account = zoho_id(cells.get("Record Id"))
                    elif name == "Contacts.csv":
                        account = index.contacts.get(zoho_id(cells.get("Record Id")), "")
                    if account:
                        index.teams.setdefault((staff, account), (cells.file, cells.line))
                if name in ("Events.csv", "Calls.csv"):
                    related = zoho_id(cells.get("Related To"))
                    if related and related not in index.accounts and related not in index.deals:
                        unknown.add(related)
                    for item in _items(cells.get("Participants")):
                        person = zoho_id(item)
                        if person and person not in index.contacts and person not in index.owners:
                            unknown.add(person)
        if unknown and self.store is not None:
            ids = sorted(unknown)
            for start in range(0, len(ids), 5_000):
                index.stored_accounts.update(self.store.get_accounts(ids[start : start + 5_000]))
                index.stored_people.update(self.store.get_people(ids[start : start + 5_000]))
        return index

    # -- look-ups
    def _account_ref(self, cells: Cells, column: str) -> str:
        """The account id a look-up cell names (``""`` when blank or unknown, with a problem)."""
        assert self._index is not None
        value = cells.get(column)
        if not value:
            return ""
        ident = zoho_id(value)
        if ident:
            return ident  # not in the export: the framework looks it up in the store
        return _named(cells, column, value, self._index.account_names, "account", "Accounts.csv")

    def _contact_ref(self, cells: Cells, column: str) -> str:
        """The contact id a look-up cell names (an id, an email or a full name)."""
        assert self._index is not None
        value = cells.get(column)
        if not value:
            return ""
        ident = zoho_id(value)
        if ident:
            return ident
        if "@" in value and value.lower() in self._index.contact_emails:
            return self._index.contact_emails[value.lower()]
        return _named(cells, column, value, self._index.contact_names, "contact", "Contacts.csv")

    def _owner(self, cells: Cells, *columns: str) -> tuple[str, list[Any]]:
        """The staff id of the row's owner, and the staff record when this row is its first."""
        assert self._index is not None
        value = cells.get(*columns)
        if not value:
            return "", []
        staff = _owner_id(value)
        name, first = self._index.owners.get(staff, (value, ("", 0)))
        if first != (cells.file, cells.line):
            return staff, []
        record = cells.build(Staff, {"name": cells.which(*columns)}, id=staff, name=name)
        return staff, [record] if record is not None else []

    def _team(self, cells: Cells, staff: str, account: str, column: str) -> list[Any]:
        assert self._index is not None
        if not staff or not account or self._index.teams.get((staff, account)) != (cells.file, cells.line):
            return []
        columns = {"staff_id": column, "account_id": "Account Name"}
        member = cells.build(
            TeamMembership, columns, staff_id=staff, account_id=account, team_role=self.owner_role
        )
        return [member] if member is not None else []

    # -- the rows
    def rows(self) -> Iterator[Row]:
        """Every row of every Zoho file read: accounts, contacts, deals, events, calls."""
        if self._index is None:
            if not any((self.path / n).is_file() for n in FILES):
                reason = f"no Zoho CRM export files here (expected any of {', '.join(FILES)})"
                problem = Problem(self.path.name, None, None, reason)
                yield Row(self.path.name, 0, "", "", (), (problem,), fatal=True)
                return
            self._build_index()
        self._notes.clear()
        handlers: dict[str, tuple[str, Callable[[Cells], Sequence[Any]], Mapping[str, str]]] = {
            "Accounts.csv": ("account", self._account, _ACCOUNT_COLUMNS),
            "Contacts.csv": ("contact", self._contact, _CONTACT_COLUMNS),
            "Deals.csv": ("opportunity", self._deal, _DEAL_COLUMNS),
            "Events.csv": ("interaction", self._event, _EVENT_COLUMNS),
            "Calls.csv": ("interaction", self._call, _CALL_COLUMNS),
        }
        for name, (kind, handler, columns) in handlers.items():
            table = self._table(name)
            if table is not None:
                yield from table_rows(table, kind, handler, columns, self.options)

    def notes(self) -> list[str]:
        """Participants left out and activities whose ``Related To`` is another kind of record."""
        labels = {
            "participant": "participants left out of activities: no contact or owner of the export "
            "(leads, invitees by email or people not exported)",
            "related": "activities related to a record that is no account, deal or contact of the "
            "export (a lead, a campaign ...): their account comes from their contacts",
        }
        return [f"{count:,} {labels[key]}" for key, count in sorted(self._notes.items()) if count]

    # -- transforms, one per file
    def _account(self, cells: Cells) -> Sequence[Any]:
        ident = zoho_id(cells.get("Record Id"))
        if not ident:
            cells.problem("Record Id", f"{cells.get('Record Id')!r} is not a Zoho record id (zcrm_<number>)")
        revenue = cells.number("Annual Revenue")
        tier = Tier.KEY
        try:
            tier = tier_of(cells.get("Tier") or None, cells.get("Account Type"), revenue,
                           self.strategic_revenue, self.key_revenue)  # fmt: skip
        except ModelError as error:
            cells.problem("Tier", f"{error.value!r} {error.reason}")
        owner, records = self._owner(cells, "Account Owner")
        account = cells.build(
            Account, _ACCOUNT_COLUMNS, id=ident or "?", name=cells.get("Account Name"),
            industry=cells.get("Industry").lower() or None, region=cells.get("Billing Country") or None,
            tier=tier, annual_revenue=revenue or 0.0, owner=owner or None, domains=_domain(cells, "Website"),
        )  # fmt: skip
        records.append(account)
        records.extend(self._team(cells, owner, ident, "Account Owner"))
        return records if not cells.problems else []

    def _contact(self, cells: Cells) -> Sequence[Any]:
        ident = zoho_id(cells.get("Record Id"))
        if not ident:
            cells.problem("Record Id", f"{cells.get('Record Id')!r} is not a Zoho record id (zcrm_<number>)")
            ident = "?"
        title = cells.get("Title") or None
        department = cells.get("Department") or None
        level = level_from_title(title)
        owner, records = self._owner(cells, "Contact Owner")
        contact = cells.build(
            Contact, _CONTACT_COLUMNS, id=ident, name=_full_name(cells), email=cells.get("Email") or None,
            title=title, department=department, level=level,
        )  # fmt: skip
        records.append(contact)
        account = self._account_ref(cells, "Account Name")
        if account:
            records.append(
                cells.build(
                    Employment,
                    _CONTACT_COLUMNS,
                    contact_id=ident,
                    account_id=account,
                    title=title,
                    department=department,
                    level=level,
                )
            )
            records.extend(self._team(cells, owner, account, "Contact Owner"))
        manager = self._contact_ref(cells, "Reports To")
        if manager:
            records.append(cells.build(ReportingLine, _CONTACT_COLUMNS, contact_id=ident, manager_id=manager))
        return records if not cells.problems else []

    def _deal(self, cells: Cells) -> Sequence[Any]:
        ident = zoho_id(cells.get("Record Id"))
        if not ident:
            cells.problem("Record Id", f"{cells.get('Record Id')!r} is not a Zoho record id (zcrm_<number>)")
        account = self._account_ref(cells, "Account Name")  # a deal naming no known account is a problem
        if not account and not cells.problems:
            cells.skip = "no account"
            return []
        status = deal_status(cells.get("Stage"))
        opened = None
        if not cells.get("Created Time"):
            cells.problem("Created Time", "must not be empty (the day the deal was created)")
        else:
            opened = cells.day("Created Time")
        close_date = cells.day("Closing Date")
        if close_date is None and status is not OpportunityStatus.OPEN and not cells.problems:
            cells.problem("Closing Date", f"a {status.value} deal needs its Closing Date")
        amount = cells.number("Amount")
        contact = self._contact_ref(cells, "Contact Name")
        if cells.problems:
            return []
        opportunity = cells.build(
            Opportunity, _DEAL_COLUMNS, id=ident, account_id=account, name=cells.get("Deal Name"),
            opened=opened, amount=amount or 0.0, close_date=close_date, stage=cells.get("Stage") or None,
            status=status, renewal="renewal" in cells.get("Type").lower(),
            contact_ids=(contact,) if contact else (),
        )  # fmt: skip
        return [opportunity] if not cells.problems else []

    def _event(self, cells: Cells) -> Sequence[Any]:
        at = cells.moment("Start DateTime")
        if at is None and not cells.problems:
            cells.problem("Start DateTime", "an event needs its Start DateTime")
        return self._activity(
            cells, at, InteractionKind.MEETING, "Event Title", ("Host", "Event Owner", "Owner")
        )

    def _call(self, cells: Cells) -> Sequence[Any]:
        call_type = cells.get("Call Type")
        if call_type and call_type.lower() not in _CALL_TYPES:
            cells.problem("Call Type", f"{call_type!r} is not a Zoho call type (Inbound, Outbound, Missed)")
            return []
        status = cells.get("Call Status")
        at = cells.moment("Call Start Time")
        if at is None and not cells.problems:
            cells.problem("Call Start Time", "a call needs its Call Start Time")
        if cells.problems:
            return []
        if call_type.lower() == "missed":
            cells.skip = "missed call"
            return []
        if status.lower() in _NOT_HELD:
            cells.skip = "call not held (scheduled, overdue or cancelled)"
            return []
        return self._activity(cells, at, InteractionKind.CALL, "Subject", ("Call Owner", "Owner"))

    def _activity(
        self, cells: Cells, at: datetime | None, kind: InteractionKind, subject: str, owners: tuple[str, ...]
    ) -> Sequence[Any]:
        assert self._index is not None
        index = self._index
        owner, records = self._owner(cells, *owners)
        who = self._contact_ref(cells, "Contact Name")
        account, related_contact = self._related(cells)
        people = [p for p in (owner, who, related_contact) if p]
        for item in _items(cells.get("Participants")):
            person = self._participant(item)
            if person:
                people.append(person)
            else:
                self._notes["participant"] += 1
        if cells.problems or at is None:
            return []
        accounts = {account} if account else {index.contacts[p] for p in people if index.contacts.get(p)}
        if not accounts and all(p in index.owners for p in people):
            cells.skip = "no contact or account"
            return []
        interaction = cells.build(
            Interaction, _EVENT_COLUMNS if kind is InteractionKind.MEETING else _CALL_COLUMNS,
            id=zoho_id(cells.get("Record Id")) or cells.get("Record Id"), kind=kind, at=at, source=SOURCE,
            subject=cells.get(subject) or None, participants=tuple(people), accounts=tuple(sorted(accounts)),
        )  # fmt: skip
        records.append(interaction)
        return records if not cells.problems else []

    def _related(self, cells: Cells) -> tuple[str, str]:
        """(account, contact) that ``Related To`` names: an account, a deal's account or a contact."""
        assert self._index is not None
        index = self._index
        value = cells.get("Related To")
        if not value:
            return "", ""
        ident = zoho_id(value)
        if ident:
            if ident in index.accounts or ident in index.stored_accounts:
                return ident, ""
            if ident in index.deals:
                return index.deals[ident], ""
            if ident in index.contacts or ident in index.stored_people:
                return "", ident
        else:
            key = value.lower()
            if len(index.account_names.get(key, [])) == 1:
                return index.account_names[key][0], ""
            if len(index.deal_names.get(key, [])) == 1:
                return index.deals[index.deal_names[key][0]], ""
            if len(index.contact_names.get(key, [])) == 1:
                return "", index.contact_names[key][0]
        self._notes["related"] += 1
        return "", ""

    def _participant(self, item: str) -> str:
        """The person id of a ``Participants`` item, ``""`` when it matches no contact or owner."""
        assert self._index is not None
        index = self._index
        ident = zoho_id(item)
        if ident:
            known = ident in index.contacts or ident in index.owners or ident in index.stored_people
            return ident if known else ""
        key = item.lower()
        if "@" in key:
            return index.contact_emails.get(key, "")
        names = index.contact_names.get(key, [])
        if len(names) == 1:
            return names[0]
        return index.owner_names.get(key, "")


def _full_name(cells: Cells) -> str:
    name = cells.get("Full Name") or " ".join(
        p for p in (cells.get("First Name"), cells.get("Last Name")) if p
    )
    if not name:
        cells.problem("Last Name", "a name is required (Last Name, or Full Name)")
    return name


def _items(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;,]", value) if item.strip()]


def _domain(cells: Cells, column: str) -> tuple[str, ...]:
    value = cells.get(column).lower()
    if not value:
        return ()
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value).split("/")[0].split("?")[0].split(":")[0]
    host = host.removeprefix("www.")
    if not _DOMAIN.match(host):
        cells.problem(column, f"{value!r} is not a web address")
        return ()
    return (host,)


_ACCOUNT_COLUMNS = {
    "id": "Record Id", "name": "Account Name", "industry": "Industry", "region": "Billing Country",
    "tier": "Tier", "annual_revenue": "Annual Revenue", "owner": "Account Owner", "domains": "Website",
    "staff_id": "Account Owner", "account_id": "Record Id",
}  # fmt: skip
_CONTACT_COLUMNS = {
    "id": "Record Id", "contact_id": "Record Id", "name": "Last Name", "email": "Email", "title": "Title",
    "department": "Department", "account_id": "Account Name", "manager_id": "Reports To",
    "staff_id": "Contact Owner",
}  # fmt: skip
_DEAL_COLUMNS = {
    "id": "Record Id", "account_id": "Account Name", "name": "Deal Name", "opened": "Created Time",
    "amount": "Amount", "close_date": "Closing Date", "stage": "Stage", "status": "Stage",
    "renewal": "Type", "contact_ids": "Contact Name",
}  # fmt: skip
_EVENT_COLUMNS = {
    "id": "Record Id", "participants": "Host/Contact Name/Participants", "accounts": "Related To",
    "at": "Start DateTime", "subject": "Event Title", "name": "Host",
}  # fmt: skip
_CALL_COLUMNS = {
    "id": "Record Id", "participants": "Call Owner/Contact Name", "accounts": "Related To",
    "at": "Call Start Time", "subject": "Subject", "name": "Call Owner",
}  # fmt: skip


def _number_option(options: dict[str, str], key: str, default: float) -> float:
    if key not in options:
        return default
    value = options.pop(key)
    try:
        number = float(value.replace(",", "").replace("_", ""))
    except ValueError:
        number = -1.0
    if not number >= 0:
        raise ImportRejected([Problem("--option", None, key, f"{value!r} is not a non-negative number")])
    return number


def _open(path: Path, context: ImportContext) -> Source:
    options = dict(context.options)
    csv_options = pop_csv_options(options)
    role = TeamRole.ACCOUNT_REP
    if "owner-role" in options:
        value = options.pop("owner-role")
        try:
            role = parse_enum(TeamRole, value, "TeamMembership", "team_role")
        except ModelError as error:
            raise ImportRejected(
                [Problem("--option", None, "owner-role", f"{value!r} {error.reason}")]
            ) from None
    strategic = _number_option(options, "strategic-revenue", STRATEGIC_REVENUE)
    key = _number_option(options, "key-revenue", KEY_REVENUE)
    if options:
        unknown = ", ".join(sorted(options))
        known = ", ".join(("owner-role", "strategic-revenue", "key-revenue", *CSV_OPTION_NAMES))
        raise ImportRejected(
            [Problem("--option", None, None, f"unknown option(s) {unknown} (zoho knows {known})")]
        )
    return ZohoSource(
        path, context.store, csv_options, owner_role=role, strategic_revenue=strategic, key_revenue=key
    )


register_importer(
    "zoho", _open, "Zoho CRM export: a folder of module CSV files (Accounts.csv, Contacts.csv, ...)"
)


def _named(
    cells: Cells, column: str, value: str, names: Mapping[str, list[str]], kind: str, file: str
) -> str:
    """The one record of ``file`` named ``value`` (case-insensitively), else ``""`` with the
    problem (none, or several: then the Record Id is needed) recorded on ``column``."""
    found = names.get(value.lower(), [])
    if len(found) == 1:
        return found[0]
    if found:
        cells.problem(column, f"{len(found)} {kind}s are named {value!r} in {file}: give the Record Id")
    else:
        cells.problem(column, f"no {kind} named {value!r} in {file}")
    return ""
