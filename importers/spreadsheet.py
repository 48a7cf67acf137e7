"""A generic spreadsheet: contacts and activities, as two CSV files kept by hand.

``kamgraph import spreadsheet <folder>`` reads ``contacts.csv`` and ``activities.csv`` of the
folder (either may be missing; a spreadsheet's sheets saved as CSV). Column names are read
without regard to case, surrounding blanks, spaces or hyphens (``Manager Email`` is
``manager_email``); other columns are ignored.

=====================  ==========================================================================
File                   Columns (required in bold)
=====================  ==========================================================================
``contacts.csv``       **account** (the account's name), **name**, email, title, department,
                       level (executive / management / operational), roles (``;``-separated
                       buying roles), manager_email
``activities.csv``     **date**, **account**, **kind** (exec_visit, meeting, call, email, event,
                       support), subject, participants (``;``-separated emails), our_people
                       (``;``-separated emails of our own people), id
=====================  ==========================================================================

How the records are made
------------------------
* **Accounts** are made by name: the id is the name in lower case with other characters than
  letters and digits as ``-`` (``Acme Corp.`` is ``acme-corp``), so names that differ only in
  case or punctuation are one account. An account already in the store is not written again
  (its tier, revenue and owner stay as they are).
* **Contacts**: one per email (id ``contact:<email>``; a contact without email is
  ``contact:<account id>/<name>``), with a position at the row's account (title, department,
  level, roles); the level is the ``level`` column, else read from the title
  (:mod:`importers.titles`). A contact on several rows has a position at each row's account.
  ``manager_email`` is a reporting line to the contact with that email (in the file or in the
  store). An imported email that belongs to a stored contact updates that contact (the
  framework's job-change matching).
* **Our staff** are the addresses of ``our_people`` and the ``participants`` on one of our email
  domains (``--option our-domain=ourco.example,ourco.example.cn`` and the configured
  ``KAMGRAPH_STAFF_EMAIL_DOMAINS``). A stored person with that email keeps their id and record; anyone else
  becomes staff member ``staff:<email>``, named after the address (``sam.rep@`` is "Sam Rep"),
  written with the first row that names them.
* **Activities** become interactions ABOUT the row's account at ``date`` (a day, or a date and
  time; without an offset UTC), of ``kind``, with the participants and our people. The id is the
  ``id`` column, else ``sheet:`` and a digest of the row's values: the same row imported again
  is the same interaction, and the same row twice in the file is a duplicate.

A participant email that is neither a contact of the file, nor a stored person, nor on our
domains is a problem of its row (file, line, column ``participants``), as is a bad date, kind,
level or role, and a missing required column fails the whole import naming the file and the
column.

Examples
--------
>>> staff_name("sam.rep@ourco.example"), account_id("Acme Corp.")
('Sam Rep', 'acme-corp')
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.model import (
    Account,
    Contact,
    Employment,
    Interaction,
    ReportingLine,
    Staff,
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
from importers.cells import Cells, slug, table_rows
from importers.titles import level_from_title

__all__ = [
    "COLUMNS",
    "FILES",
    "SOURCE",
    "SpreadsheetSource",
    "account_id",
    "staff_name",
]

#: ``Interaction.source`` of imported activities.
SOURCE = "spreadsheet"

#: The files read, in import order, with their required columns.
FILES: Mapping[str, tuple[str, ...]] = {
    "contacts.csv": ("account", "name"),
    "activities.csv": ("date", "account", "kind"),
}

#: Every column read, per file.
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "contacts.csv": ("account", "name", "email", "title", "department", "level", "roles", "manager_email"),
    "activities.csv": ("date", "account", "kind", "subject", "participants", "our_people", "id"),
}


def account_id(name: str) -> str:
    """The id of the account named ``name``."""
    return slug(name)


def staff_name(email: str) -> str:
    """A name for one of our people known only by email: the address's local part, capitalised."""
    local = email.split("@")[0]
    return " ".join(part.capitalize() for part in re.split(r"[._\-+]+", local) if part) or email


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


@dataclass
class _Index:
    """What the rows need to know about both files and the store (built before the first pass)."""

    contacts: dict[str, str] = field(default_factory=dict)  # email -> contact id in contacts.csv
    first_contact: dict[str, tuple[str, int]] = field(default_factory=dict)  # contact id -> first row
    first_account: dict[str, tuple[str, int]] = field(default_factory=dict)
    first_staff: dict[str, tuple[str, int]] = field(default_factory=dict)
    stored_people: dict[str, str] = field(default_factory=dict)  # email -> stored person id
    stored_accounts: set[str] = field(default_factory=set)


class SpreadsheetSource(Source):
    """A folder with ``contacts.csv`` and ``activities.csv`` (see the module documentation).

    Parameters
    ----------
    path : Path
        The folder.
    store : GraphStore, optional
        Used to find stored people by email and stored accounts.
    options : CsvOptions, optional
        Encoding, delimiter and date format of the files.
    our_domains : collection of str
        The email domains of our own people.
    """

    name = "spreadsheet"

    def __init__(
        self,
        path: Path,
        store: GraphStore | None = None,
        options: CsvOptions | None = None,
        our_domains: Collection[str] = (),
    ) -> None:
        super().__init__(path)
        if not self.path.is_dir():
            what = "is a file" if self.path.exists() else "does not exist"
            raise ImportRejected(
                [
                    Problem(
                        str(path),
                        None,
                        None,
                        f"{what}: give the folder holding contacts.csv and activities.csv",
                    )
                ]
            )
        self.store = store
        self.options = options or CsvOptions(hints=True)
        self.our_domains = tuple(d.strip().lower().lstrip("@") for d in our_domains if d.strip())
        self._index: _Index | None = None

    def total_size(self) -> int | None:
        return sum((self.path / name).stat().st_size for name in FILES if (self.path / name).is_file())

    def _table(self, name: str) -> tuple[CsvFile, dict[str, int]] | None:
        path = self.path / name
        if not path.is_file():
            return None
        table = CsvFile(path, options=self.options)
        index = {_column_key(column): position for column, position in table.index.items()}
        if table.header and not table.problems:
            for column in FILES[name]:
                if column not in index:
                    table.problems.append(
                        Problem(
                            table.name,
                            1,
                            column,
                            f"missing required column (the header has: {', '.join(table.header)})",
                        )
                    )
        return table, index

    def _records(self, name: str) -> Iterator[Cells]:
        opened = self._table(name)
        if opened is None or opened[0].problems:
            return
        table, index = opened
        for row in table:
            if row.problem is None:
                yield Cells(table.name, row.line, row.fields, index, self.options)

    def _is_ours(self, email: str) -> bool:
        domain = email.rpartition("@")[2].lower()
        return any(domain == d or domain.endswith("." + d) for d in self.our_domains)

    # -- first look at the files
    def _build_index(self) -> _Index:
        index = _Index()
        emails: set[str] = set()
        accounts: set[str] = set()
        for cells in self._records("contacts.csv"):
            ident = self._contact_id(cells)
            email = cells.get("email").lower()
            if email:
                index.contacts.setdefault(email, ident)
            index.first_contact.setdefault(ident, (cells.file, cells.line))
            manager = cells.get("manager_email").lower()
            if manager:
                emails.add(manager)
            account = account_id(cells.get("account"))
            if account:
                accounts.add(account)
                index.first_account.setdefault(account, (cells.file, cells.line))
        for cells in self._records("activities.csv"):
            account = account_id(cells.get("account"))
            if account:
                accounts.add(account)
                index.first_account.setdefault(account, (cells.file, cells.line))
            for column in ("participants", "our_people"):
                emails.update(e.lower() for e in split_list(cells.get(column)))
        if self.store is not None:
            unknown = sorted(e for e in emails if e not in index.contacts)
            for start in range(0, len(unknown), 5_000):
                found = self.store.find_people_by_email(unknown[start : start + 5_000])
                index.stored_people.update({email.lower(): person.id for email, person in found.items()})
            ids = sorted(accounts)
            for start in range(0, len(ids), 5_000):
                index.stored_accounts.update(self.store.get_accounts(ids[start : start + 5_000]))
        self._index = index
        for cells in self._records("activities.csv"):  # first mention of each of our people
            for person in self._people(cells):
                if person.startswith("staff:") and person.removeprefix("staff:") not in index.stored_people:
                    index.first_staff.setdefault(person, (cells.file, cells.line))
        return index

    def _people(self, cells: Cells) -> Iterator[str]:
        """The person ids an activity row names (unresolvable addresses left out)."""
        assert self._index is not None
        for column, ours in (("participants", False), ("our_people", True)):
            for email in split_list(cells.get(column)):
                address = email.lower()
                person = None if ours else self._index.contacts.get(address)
                person = person or self._staff_id(address, ours=ours)
                if person and "@" in address:
                    yield person

    def _contact_id(self, cells: Cells) -> str:
        email = cells.get("email").lower()
        if email:
            return f"contact:{email}"
        return f"contact:{account_id(cells.get('account'))}/{slug(cells.get('name'))}"

    def _staff_id(self, email: str, *, ours: bool) -> str:
        """The id of one of our people by email (``""`` when the address is not ours)."""
        assert self._index is not None
        if email in self._index.stored_people:
            return self._index.stored_people[email]
        if ours or self._is_ours(email):
            return f"staff:{email}"
        return ""

    # -- the rows
    def rows(self) -> Iterator[Row]:
        """The rows of ``contacts.csv``, then those of ``activities.csv``."""
        if self._index is None:
            if not any((self.path / n).is_file() for n in FILES):
                problem = Problem(self.path.name, None, None, "no contacts.csv or activities.csv here")
                yield Row(self.path.name, 0, "", "", (), (problem,), fatal=True)
                return
            self._build_index()
        handlers: dict[str, tuple[str, Callable[[Cells], Sequence[Any]], Mapping[str, str]]] = {
            "contacts.csv": ("contact", self._contact, _CONTACT_COLUMNS),
            "activities.csv": ("interaction", self._activity, _ACTIVITY_COLUMNS),
        }
        for name, (kind, handler, columns) in handlers.items():
            opened = self._table(name)
            if opened is not None:
                table, index = opened
                yield from table_rows(table, kind, handler, columns, self.options, index)

    # -- transforms
    def _account(self, cells: Cells) -> list[Any]:
        """The account record when this row is the first to name it and the store lacks it."""
        assert self._index is not None
        name = cells.get("account")
        ident = account_id(name)
        if not ident:
            cells.problem("account", "must not be empty (the account's name)")
            return []
        if ident in self._index.stored_accounts or self._index.first_account.get(ident) != (
            cells.file,
            cells.line,
        ):
            return []
        return [cells.build(Account, {"id": "account", "name": "account"}, id=ident, name=name)]

    def _contact(self, cells: Cells) -> Sequence[Any]:
        assert self._index is not None
        records = self._account(cells)
        ident = self._contact_id(cells)
        title = cells.get("title") or None
        department = cells.get("department") or None
        level: Any = cells.get("level") or level_from_title(title)
        if self._index.first_contact.get(ident) == (cells.file, cells.line):
            records.append(
                cells.build(
                    Contact,
                    _CONTACT_COLUMNS,
                    id=ident,
                    name=cells.get("name"),
                    email=cells.get("email") or None,
                    title=title,
                    department=department,
                    level=level,
                )
            )
        account = account_id(cells.get("account"))
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
                    roles=frozenset(split_list(cells.get("roles"))),
                )
            )
        manager = cells.get("manager_email").lower()
        if manager:
            manager_id = self._index.contacts.get(manager) or self._index.stored_people.get(manager)
            if manager_id is None:
                cells.problem(
                    "manager_email", f"no contact with email {manager!r} in contacts.csv or in the store"
                )
            elif manager_id == ident:
                cells.problem("manager_email", "a contact cannot be their own manager")
            else:
                records.append(
                    cells.build(ReportingLine, _CONTACT_COLUMNS, contact_id=ident, manager_id=manager_id)
                )
        return records if not cells.problems else []

    def _activity(self, cells: Cells) -> Sequence[Any]:
        assert self._index is not None
        index = self._index
        records = self._account(cells)
        at = cells.moment("date")
        if at is None and not cells.problems:
            cells.problem("date", "must not be empty")
        people: list[str] = []
        for column, ours in (("participants", False), ("our_people", True)):
            for email in split_list(cells.get(column)):
                address = email.lower()
                if "@" not in address:
                    cells.problem(column, f"{email!r} is not an email address")
                    continue
                person = None if ours else index.contacts.get(address)
                person = person or self._staff_id(address, ours=ours)
                if not person:
                    cells.problem(
                        column,
                        f"{email!r} is no contact of contacts.csv, no stored person and not on our domains "
                        f"({', '.join(self.our_domains) or 'none given: --option our-domain=...'})",
                    )
                    continue
                if person not in people and index.first_staff.get(person) == (cells.file, cells.line):
                    staff = cells.build(
                        Staff, {"name": column}, id=person, name=staff_name(address), email=address
                    )
                    records.append(staff)
                people.append(person)
        if cells.problems or at is None:
            return []
        ident = cells.get("id")
        if not ident:
            values = "\x1f".join(
                cells.get(c) for c in ("date", "account", "kind", "subject", "participants", "our_people")
            )
            ident = "sheet:" + hashlib.sha1(values.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        interaction = cells.build(
            Interaction, _ACTIVITY_COLUMNS, id=ident, kind=cells.get("kind"), at=at, source=SOURCE,
            subject=cells.get("subject") or None, participants=tuple(people),
            accounts=(account_id(cells.get("account")),),
        )  # fmt: skip
        records.append(interaction)
        return records if not cells.problems else []


_CONTACT_COLUMNS = {
    "id": "email", "contact_id": "email", "name": "name", "email": "email", "title": "title",
    "department": "department", "level": "level", "roles": "roles", "account_id": "account",
    "manager_id": "manager_email",
}  # fmt: skip
_ACTIVITY_COLUMNS = {
    "id": "id", "kind": "kind", "at": "date", "subject": "subject", "participants": "participants",
    "accounts": "account",
}  # fmt: skip


def _open(path: Path, context: ImportContext) -> Source:
    options = dict(context.options)
    csv_options = pop_csv_options(options)
    domains = list(context.staff_email_domains)
    if "our-domain" in options:
        domains.extend(d for d in re.split(r"[,;\s]+", options.pop("our-domain")) if d)
    if options:
        unknown = ", ".join(sorted(options))
        known = ", ".join(("our-domain", *CSV_OPTION_NAMES))
        raise ImportRejected(
            [Problem("--option", None, None, f"unknown option(s) {unknown} (spreadsheet knows {known})")]
        )
    return SpreadsheetSource(path, context.store, csv_options, domains)


register_importer(
    "spreadsheet", _open, "Spreadsheet: contacts.csv and activities.csv (accounts by name, people by email)"
)
