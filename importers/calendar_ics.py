"""Calendar import: RFC 5545 ``.ics`` files, one meeting interaction per event with attendees.

``kamgraph import ics <path>`` reads one ``.ics`` file or a folder of them (parsed with the
``icalendar`` library). Every ``VEVENT`` is one input row, located by the line of its
``BEGIN:VEVENT``:

* it becomes an interaction of kind ``meeting`` (see *kinds* below) at ``DTSTART`` (an all-day
  event at midnight UTC, a floating time taken as UTC), with ``SUMMARY`` as its subject;
* its id is the event's ``UID``; an occurrence of a recurring event gets ``UID/<start in UTC>``
  (``RRULE`` / ``RDATE`` are expanded, ``EXDATE`` removed, an event with a ``RECURRENCE-ID``
  replaces its occurrence). Series without an end are expanded up to the ``until`` option
  (default: the day of the import), at most 1,000 occurrences per series;
* the participants are the ``ORGANIZER`` and the ``ATTENDEE`` s, resolved by email (see
  :class:`AddressBook`): our staff, contacts, and the accounts of their email domains (the
  interaction is ABOUT them). Attendees that declined (``PARTSTAT=DECLINED``) and rooms or
  resources (``CUTYPE=ROOM`` / ``RESOURCE``) are left out. Addresses that match nobody are
  listed in the summary; they are never dropped silently and never invented as contacts.

Events that are not customer interactions are counted in the summary and skipped: cancelled
events (``STATUS:CANCELLED``), events of our own people only, events whose addresses match no
known person or account, and the same event met again (same ``UID`` in another file).

Errors (each with file, line and column): an empty file or one without ``BEGIN:VCALENDAR`` or
without any ``VEVENT``; text that is not UTF-8; an event without ``UID`` or ``DTSTART`` or with a
value ``icalendar`` cannot read; **an event without any ``ATTENDEE``** ("VEVENT without
ATTENDEE: not a meeting with anyone") - or, with ``--option skip_unattended=true``, such events
are counted and skipped.

Options (``--option KEY=VALUE``): ``staff_domains`` (comma-separated, added to the configured
``KAMGRAPH_STAFF_EMAIL_DOMAINS``), ``kind`` (default ``meeting``), ``exec_visit=executives``
(an event with an executive of ours and an executive contact becomes an ``exec_visit``),
``keywords`` (``exec_visit=board|briefing;event=conference|webinar``: the first kind whose
keyword is in the SUMMARY, case-insensitive, wins), ``until`` (YYYY-MM-DD, end of open
series), ``skip_unattended``, ``unresolved_file`` (write every unresolved address to this CSV).

Examples
--------
>>> book = AddressBook(None, ["ourco.example"])
>>> book.is_staff_address("sam@OurCo.example")
True
>>> parse_keywords("exec_visit=board|briefing; event=conference")
(('board', <InteractionKind.EXEC_VISIT: 'exec_visit'>), ('briefing', <InteractionKind.EXEC_VISIT: 'exec_visit'>), ('conference', <InteractionKind.EVENT: 'event'>))
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from icalendar import Calendar

from graph.model import Contact, Interaction, InteractionKind, Level, ModelError, Staff
from graph.store import GraphStore
from importers.base import (
    FileSetSource,
    ImportContext,
    ImportRejected,
    Problem,
    Row,
    model_problem,
    register_importer,
)

__all__ = [
    "MAX_OCCURRENCES",
    "SOURCE",
    "AddressBook",
    "CalendarSource",
    "KindRules",
    "Resolution",
    "check_options",
    "flag_option",
    "kind_rules_from",
    "parse_keywords",
    "staff_domains_from",
]

#: ``Interaction.source`` of imported events.
SOURCE = "calendar"
#: Occurrences expanded per recurring series at most.
MAX_OCCURRENCES = 1_000
_LOOKUP = 5_000
_SHOWN = 50


# -- resolving addresses ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    """What the addresses of one message or event resolve to."""

    participants: tuple[str, ...]
    accounts: tuple[str, ...]
    unresolved: tuple[str, ...]
    contacts: int
    staff: int
    executives: frozenset[str] = frozenset()  # "staff" and/or "contact" when an executive takes part
    internal: bool = False  # every address is one of our people or on a staff domain

    @property
    def customer_facing(self) -> bool:
        """A contact or a customer account is involved."""
        return bool(self.contacts or self.accounts)


class AddressBook:
    """Resolves email addresses through the store: staff, contacts, and accounts by domain.

    Our staff are recognised by their email in the store (an address on one of
    ``staff_domains`` that is not a stored staff member is unresolved); contacts by their email;
    accounts by the email domain of the other addresses, and a resolved contact's account is the
    one they work at on the day (when the address is not on an account's domain). Look-ups are
    batched (:meth:`prime`) and cached. Unresolved addresses are counted in :attr:`unresolved`.

    Parameters
    ----------
    store : GraphStore or None
        Where people and accounts are looked up (``None``: nothing resolves).
    staff_domains : sequence of str
        Email domains of our own people.
    """

    def __init__(self, store: GraphStore | None, staff_domains: Iterable[str]) -> None:
        self.store = store
        self.staff_domains = frozenset(d.strip().lower().lstrip("@") for d in staff_domains if d.strip())
        self._people: dict[str, Contact | Staff | None] = {}
        self._domains: dict[str, str | None] = {}
        self._jobs: dict[str, list[Any]] = {}
        self.unresolved: Counter[str] = Counter()

    def is_staff_address(self, address: str) -> bool:
        """Whether ``address`` is on one of our staff email domains."""
        return address.rsplit("@", 1)[-1].lower() in self.staff_domains

    def prime(self, addresses: Iterable[str]) -> None:
        """Look up every new address (and its domain) in batches."""
        new = sorted({a for a in addresses if a not in self._people})
        for start in range(0, len(new), _LOOKUP):
            chunk = new[start : start + _LOOKUP]
            found = self.store.find_people_by_email(chunk) if self.store is not None else {}
            contacts = []
            for address in chunk:
                person = found.get(address)
                self._people[address] = person
                if isinstance(person, Contact):
                    contacts.append(person.id)
            if contacts and self.store is not None:
                self._jobs.update(self.store.employments_of([c for c in contacts if c not in self._jobs]))
            domains = sorted({a.rsplit("@", 1)[1] for a in chunk if "@" in a} - set(self._domains))
            accounts = (
                self.store.find_accounts_by_domain(domains) if self.store is not None and domains else {}
            )
            for domain in domains:
                account = accounts.get(domain)
                self._domains[domain] = account.id if account is not None else None

    def resolve(self, addresses: Iterable[str], on: date, count: bool = True) -> Resolution:
        """Participants, accounts and unresolved addresses of one message or event."""
        unique = sorted({a.lower() for a in addresses if a})
        self.prime(unique)
        participants: list[str] = []
        accounts: set[str] = set()
        unresolved: list[str] = []
        executives: set[str] = set()
        contacts = staff = outside = 0
        for address in unique:
            person = self._people.get(address)
            domain = address.rsplit("@", 1)[-1]
            on_staff_domain = domain in self.staff_domains
            account = None if on_staff_domain else self._domains.get(domain)
            if account is not None:
                accounts.add(account)
            if not on_staff_domain and not isinstance(person, Staff):
                outside += 1
            if person is None:
                unresolved.append(address)
                continue
            participants.append(person.id)
            if isinstance(person, Staff):
                staff += 1
                if person.level is Level.EXECUTIVE:
                    executives.add("staff")
                continue
            contacts += 1
            if person.level is Level.EXECUTIVE:
                executives.add("contact")
            if account is None:
                jobs = [j for j in self._jobs.get(person.id, ()) if j.active_on(on)]
                accounts.update(j.account_id for j in jobs)
        if count:
            self.unresolved.update(unresolved)
        return Resolution(
            tuple(participants),
            tuple(sorted(accounts)),
            tuple(unresolved),
            contacts,
            staff,
            frozenset(executives),
            internal=outside == 0,
        )

    def account_of_domain(self, address: str) -> str | None:
        """The account whose email domain ``address`` is on (after :meth:`prime`)."""
        return self._domains.get(address.rsplit("@", 1)[-1])

    def notes(self) -> list[str]:
        """The unresolved addresses, most frequent first (at most 50 shown)."""
        if not self.unresolved:
            return []
        ranked = sorted(self.unresolved.items(), key=lambda item: (-item[1], item[0]))
        lines = [
            f"{len(ranked):,} unresolved address(es), not imported as people (add them as contacts or "
            "staff, then import again):"
        ]
        for address, count in ranked[:_SHOWN]:
            account = self.account_of_domain(address)
            where = f", domain of account {account}" if account else ""
            lines.append(f"  {address} ({count}{where})")
        if len(ranked) > _SHOWN:
            lines.append(f"  ... and {len(ranked) - _SHOWN:,} more")
        return lines

    def write_unresolved(self, path: Path) -> None:
        """Write every unresolved address with its count and account (CSV)."""
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(("address", "count", "account"))
            for address, count in sorted(self.unresolved.items(), key=lambda item: (-item[1], item[0])):
                writer.writerow((address, count, self.account_of_domain(address) or ""))


# -- interaction kinds ------------------------------------------------------------------------------


def parse_keywords(text: str) -> tuple[tuple[str, InteractionKind], ...]:
    """Parse ``kind=word|word;kind=word`` keyword rules (see the module documentation)."""
    rules: list[tuple[str, InteractionKind]] = []
    for part in text.split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise ValueError(f"{part.strip()!r} is not kind=word|word")
        name, words = part.split("=", 1)
        try:
            kind = InteractionKind(name.strip().lower())
        except ValueError:
            allowed = ", ".join(k.value for k in InteractionKind)
            raise ValueError(f"{name.strip()!r} is not one of {allowed}") from None
        rules.extend((w.strip().lower(), kind) for w in words.split("|") if w.strip())
    return tuple(rules)


@dataclass(frozen=True)
class KindRules:
    """Which kind an interaction gets: keywords in the subject, then executives, then the default."""

    default: InteractionKind = InteractionKind.MEETING
    keywords: tuple[tuple[str, InteractionKind], ...] = ()
    exec_visit_for_executives: bool = False

    def kind(self, subject: str | None, resolution: Resolution) -> InteractionKind:
        """The kind of one interaction."""
        text = (subject or "").lower()
        for word, kind in self.keywords:
            if word in text:
                return kind
        if self.exec_visit_for_executives and resolution.executives == {"staff", "contact"}:
            return InteractionKind.EXEC_VISIT
        return self.default


def check_options(context: ImportContext, known: Sequence[str], fmt: str) -> dict[str, str]:
    """The ``--option`` pairs, or :class:`ImportRejected` naming those ``fmt`` does not know."""
    options = dict(context.options)
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ImportRejected(
            [
                Problem(
                    "--option",
                    None,
                    None,
                    f"unknown option(s) {', '.join(unknown)} ({fmt} knows {', '.join(known)})",
                )
            ]
        )
    return options


def kind_rules_from(options: Mapping[str, str], default: InteractionKind) -> KindRules:
    """Build :class:`KindRules` from the ``kind``, ``keywords`` and ``exec_visit`` options."""
    try:
        kind = InteractionKind(options["kind"].strip().lower()) if "kind" in options else default
        keywords = parse_keywords(options.get("keywords", ""))
    except ValueError as error:
        raise ImportRejected([Problem("--option", None, "kind/keywords", str(error))]) from None
    exec_visit = options.get("exec_visit", "").strip().lower()
    if exec_visit not in ("", "executives"):
        raise ImportRejected([Problem("--option", None, "exec_visit", f"{exec_visit!r} is not 'executives'")])
    return KindRules(kind, keywords, exec_visit == "executives")


def staff_domains_from(context: ImportContext, options: Mapping[str, str]) -> list[str]:
    """The configured staff domains plus the ``staff_domains`` option."""
    extra = [d for d in options.get("staff_domains", "").split(",") if d.strip()]
    return [*context.staff_email_domains, *extra]


def flag_option(options: Mapping[str, str], name: str) -> bool:
    """A true/false option."""
    value = options.get(name, "false").strip().lower()
    if value not in ("true", "false", "1", "0", "yes", "no"):
        raise ImportRejected([Problem("--option", None, name, f"{value!r} is not true or false")])
    return value in ("true", "1", "yes")


# -- the calendar source -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Block:
    line: int  # of BEGIN:VEVENT
    text: str  # the event wrapped in a calendar with the file's time zones
    verbatim: str  # the event as written


class CalendarSource(FileSetSource):
    """``.ics`` files: one file, or every ``*.ics`` file of a folder (see the module documentation).

    Parameters
    ----------
    path : Path
        A file or a folder.
    book : AddressBook
        Resolves attendees.
    rules : KindRules, optional
        The interaction kinds.
    until : date, optional
        Last day of expanded open-ended series (default: today).
    skip_unattended : bool
        Count and skip events without attendees instead of reporting them as errors.
    unresolved_file : Path, optional
        Where to write every unresolved address.
    """

    name = "ics"
    file_noun = ".ics files"

    def __init__(
        self,
        path: Path,
        book: AddressBook,
        rules: KindRules | None = None,
        until: date | None = None,
        skip_unattended: bool = False,
        unresolved_file: Path | None = None,
    ) -> None:
        super().__init__(path)
        self.book = book
        self.rules = rules or KindRules()
        self.until = until or date.today()
        self.skip_unattended = skip_unattended
        self.unresolved_file = unresolved_file
        self._skipped: Counter[str] = Counter()
        self._overrides: set[tuple[str, datetime]] | None = None

    def files(self) -> list[Path]:
        """The files read, in order."""
        if self.path.is_file():
            return [self.path]
        return sorted(p for p in self.path.iterdir() if p.is_file() and p.suffix.lower() == ".ics")

    def rows(self) -> Iterator[Row]:
        """One row per VEVENT of every file."""
        files = self.files()
        if not files:
            yield self.no_files_row()
            return
        if self._overrides is None:  # first pass: overridden occurrences, and every address looked up
            self._overrides = set()
            addresses: set[str] = set()
            for path in files:
                for block, _ in self._blocks(path):
                    if block is not None:
                        event = _parse_event(block.text)
                        if event is None or event.errors:
                            continue
                        addresses.update(_addresses(event.get("ATTENDEE"), attendee=True)[0])
                        addresses.update(_addresses(event.get("ORGANIZER"), attendee=False)[0])
                        if event.get("RECURRENCE-ID") is not None:
                            self._overrides.add(
                                (str(event.get("UID", "")), _utc(event.decoded("RECURRENCE-ID")))
                            )
            self.book.prime(addresses)
        self._skipped.clear()
        self.book.unresolved.clear()
        seen: set[str] = set()
        for path in files:
            for block, problem in self._blocks(path):
                if problem is not None:
                    yield Row(path.name, problem.line or 0, "", "interaction", (), (problem,), fatal=True)
                    continue
                assert block is not None
                yield self._row(path.name, block, seen)

    def notes(self) -> list[str]:
        """Skipped events and unresolved addresses."""
        labels = {
            "cancelled": "cancelled events skipped",
            "internal": "events with only our own people skipped",
            "unknown": "events with no known person or account skipped",
            "duplicate": "events met again (same UID) skipped",
            "unattended": "events without attendees skipped",
        }
        lines = [f"{count:,} {labels[key]}" for key, count in sorted(self._skipped.items()) if count]
        if self.unresolved_file is not None and self.book.unresolved:
            self.book.write_unresolved(self.unresolved_file)
            lines.append(f"unresolved addresses written to {self.unresolved_file}")
        return lines + self.book.notes()

    # -- reading
    def _blocks(self, path: Path) -> Iterator[tuple[_Block | None, Problem | None]]:
        name = path.name
        data = path.read_bytes()
        if not data.strip():
            yield None, Problem(name, None, None, "empty file: no calendar")
            return
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            row = data[: error.start].count(b"\n") + 1
            column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
            yield (
                None,
                Problem(name, row, f"byte {column}", f"is not valid UTF-8 (byte 0x{data[error.start]:02x})"),
            )
            return
        lines = text.splitlines(keepends=True)
        if not any(line.strip().upper() == "BEGIN:VCALENDAR" for line in lines[:50]):
            yield None, Problem(name, 1, None, "not an iCalendar file: no BEGIN:VCALENDAR")
            return
        timezones: list[str] = []
        current: list[str] | None = None
        zone: list[str] | None = None
        start = 0
        events = 0
        for number, line in enumerate(lines, start=1):
            tag = line.strip().upper()
            if tag == "BEGIN:VTIMEZONE":
                zone = [line]
            elif zone is not None:
                zone.append(line)
                if tag == "END:VTIMEZONE":
                    timezones.append("".join(zone))
                    zone = None
            elif tag == "BEGIN:VEVENT":
                current, start = [line], number
            elif current is not None:
                current.append(line)
                if tag == "END:VEVENT":
                    events += 1
                    body = "".join(current)
                    wrapped = (
                        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + "".join(timezones) + body + "END:VCALENDAR\r\n"
                    )
                    yield _Block(start, wrapped, body), None
                    current = None
        if current is not None:
            yield None, Problem(name, start, None, "VEVENT without END:VEVENT")
        elif events == 0:
            yield None, Problem(name, None, None, "no VEVENT in the calendar: nothing to import")

    def _row(self, file: str, block: _Block, seen: set[str]) -> Row:
        text, verbatim = block.text, block.verbatim

        def problem(column: str | None, reason: str) -> Row:
            return Row(
                file, block.line, verbatim, "interaction", (), (Problem(file, block.line, column, reason),)
            )

        event = _parse_event(text)
        if event is None:
            return problem(None, "cannot read the event")
        if event.errors:
            name, reason = event.errors[0]
            return problem(str(name), f"cannot be read: {reason}")
        uid = str(event.get("UID", "")).strip()
        if not uid:
            return problem("UID", "an event needs a UID")
        if event.get("DTSTART") is None:
            return problem("DTSTART", "an event needs a DTSTART")
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            self._skipped["cancelled"] += 1
            return Row(file, block.line, verbatim, "interaction", (), (), skipped="cancelled")
        attendees = _addresses(event.get("ATTENDEE"), attendee=True)
        if not attendees[1]:
            if self.skip_unattended:
                self._skipped["unattended"] += 1
                return Row(file, block.line, verbatim, "interaction", (), (), skipped="unattended")
            return problem("ATTENDEE", "VEVENT without ATTENDEE: not a meeting with anyone")
        organizer = _addresses(event.get("ORGANIZER"), attendee=False)[0]
        addresses = [*organizer, *attendees[0]]
        start = _utc(event.decoded("DTSTART"))
        subject = str(event.get("SUMMARY", "")).strip() or None
        occurrences: list[tuple[str, datetime]]
        if event.get("RECURRENCE-ID") is not None:
            moment = _utc(event.decoded("RECURRENCE-ID"))
            occurrences = [(f"{uid}/{moment:%Y%m%dT%H%M%SZ}", start)]
        elif event.get("RRULE") is not None or event.get("RDATE") is not None:
            try:
                starts = _expand(event, start, self.until)
            except (ValueError, TypeError) as error:
                return problem("RRULE", f"cannot expand the recurrence: {error}")
            overrides = self._overrides or set()
            occurrences = [(f"{uid}/{s:%Y%m%dT%H%M%SZ}", s) for s in starts if (uid, s) not in overrides]
        else:
            occurrences = [(uid, start)]
        if occurrences and occurrences[0][0] in seen:
            self._skipped["duplicate"] += 1
            return Row(file, block.line, verbatim, "interaction", (), (), skipped="duplicate")
        resolution = self.book.resolve(addresses, start.date())
        if not resolution.customer_facing or not resolution.participants:
            self._skipped["internal" if resolution.internal else "unknown"] += 1
            return Row(
                file,
                block.line,
                verbatim,
                "interaction",
                (),
                (),
                skipped="internal" if resolution.internal else "unknown",
            )
        kind = self.rules.kind(subject, resolution)
        records = []
        for ident, moment in occurrences:
            seen.add(ident)
            try:
                records.append(
                    Interaction(
                        ident, kind, moment, SOURCE, subject, resolution.participants, resolution.accounts
                    )
                )
            except ModelError as error:
                columns = {"id": "UID", "at": "DTSTART", "subject": "SUMMARY", "participants": "ATTENDEE"}
                return Row(
                    file,
                    block.line,
                    verbatim,
                    "interaction",
                    (),
                    (model_problem(file, block.line, error, columns),),
                )
        columns = {"id": "UID", "participants": "ATTENDEE", "accounts": "ATTENDEE"}
        return Row(file, block.line, verbatim, "interaction", records, (), columns)


def _parse_event(text: str) -> Any:
    try:
        calendar = Calendar.from_ical(text)
    except Exception:  # icalendar raises several kinds of errors on text it cannot read
        return None
    events = calendar.walk("VEVENT")
    return events[0] if events else None


_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)


def _addresses(value: Any, attendee: bool) -> tuple[list[str], bool]:
    """Email addresses of an ORGANIZER / ATTENDEE property (and whether any attendee was given)."""
    if value is None:
        return [], False
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        params = getattr(item, "params", {})
        if attendee:
            if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
                continue
            if str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"):
                continue
        address = _MAILTO.sub("", str(item)).strip().lower()
        if "@" in address:
            out.append(address)
    return out, bool(items)


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    raise ValueError(f"{value!r} is not a date or date-time")


def _expand(event: Any, start: datetime, until: date) -> list[datetime]:
    from dateutil.rrule import rruleset, rrulestr  # type: ignore[import-untyped]

    original = event.decoded("DTSTART")
    local_start = original if isinstance(original, datetime) else datetime.combine(original, time())
    rules = rruleset()
    rule_values = event.get("RRULE")
    for rule in (
        rule_values if isinstance(rule_values, list) else [rule_values] if rule_values is not None else []
    ):
        rules.rrule(rrulestr(rule.to_ical().decode(), dtstart=local_start, ignoretz=False))
    rules.rdate(local_start)
    for prop, add in (("RDATE", rules.rdate), ("EXDATE", rules.exdate)):
        values = event.get(prop)
        for group in values if isinstance(values, list) else [values] if values is not None else []:
            for item in group.dts:
                moment = item.dt
                if not isinstance(moment, datetime):
                    moment = datetime.combine(moment, local_start.time(), tzinfo=local_start.tzinfo)
                elif moment.tzinfo is None and local_start.tzinfo is not None:
                    moment = moment.replace(tzinfo=local_start.tzinfo)
                add(moment)
    end = datetime.combine(until, time.max)
    if local_start.tzinfo is not None:
        end = end.replace(tzinfo=UTC)
    out: list[datetime] = []
    for moment in rules:
        if moment > end or len(out) >= MAX_OCCURRENCES:
            break
        out.append(_utc(moment))
    del start
    return out


def _open(path: Path, context: ImportContext) -> FileSetSource:
    known = ("staff_domains", "kind", "exec_visit", "keywords", "until", "skip_unattended", "unresolved_file")
    options = check_options(context, known, "ics")
    until = None
    if "until" in options:
        try:
            until = date.fromisoformat(options["until"])
        except ValueError:
            raise ImportRejected(
                [Problem("--option", None, "until", f"{options['until']!r} is not a date")]
            ) from None
    book = AddressBook(context.store, staff_domains_from(context, options))
    return CalendarSource(
        path,
        book,
        kind_rules_from(options, InteractionKind.MEETING),
        until,
        flag_option(options, "skip_unattended"),
        Path(options["unresolved_file"]) if "unresolved_file" in options else None,
    )


register_importer("ics", _open, "calendar: RFC 5545 .ics files (events with attendees become meetings)")
