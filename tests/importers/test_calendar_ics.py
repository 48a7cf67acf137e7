"""Tests of the .ics calendar importer, end to end into the embedded store."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.model import Account, Contact, Employment, InteractionKind, Level, Staff
from graph.store import GraphBatch, GraphStore
from importers.base import ImportContext, ImportRejected, get_importer, run_import
from importers.calendar_ics import AddressBook, CalendarSource, KindRules

AS_OF = date(2026, 1, 1)


def seed_people(store: GraphStore) -> None:
    """Two accounts, three contacts (one moved from Acme to Initech) and two of our staff."""
    store.write(
        GraphBatch(
            accounts=[
                Account("acme", "Acme", domains=("acme.example",)),
                Account("initech", "Initech", domains=("initech.example",)),
            ],
            contacts=[
                Contact("ada", "Ada Chief", "ada@acme.example", level=Level.EXECUTIVE),
                Contact("bob", "Bob Boss", "bob@acme.example", level=Level.MANAGEMENT),
                Contact("gil", "Gil Private", "gil@mail.example"),
            ],
            staff=[
                Staff("sam", "Sam Rep", "sam@ourco.example", level=Level.EXECUTIVE),
                Staff("kim", "Kim Tech", "kim@ourco.example", level=Level.OPERATIONAL),
            ],
            employments=[
                Employment("ada", "acme", since=date(2020, 1, 1)),
                Employment("bob", "acme", since=date(2020, 1, 1)),
                Employment("gil", "acme", since=date(2019, 1, 1), until=date(2024, 12, 31)),
                Employment("gil", "initech", since=date(2025, 1, 1)),
            ],
        )
    )


def calendar(*events: str, timezone: str = "") -> str:
    body = "".join(e.strip("\n").replace("\n", "\r\n") + "\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{timezone}{body}END:VCALENDAR\r\n"


QBR = """
BEGIN:VEVENT
UID:qbr-1@ourco.example
DTSTART:20250304T090000Z
DTEND:20250304T100000Z
SUMMARY:Quarterly business review
ORGANIZER;CN=Sam Rep:mailto:sam@ourco.example
ATTENDEE;CN=Ada Chief;PARTSTAT=ACCEPTED:mailto:ADA@acme.example
ATTENDEE;CN=Bob:mailto:bob@acme.example
ATTENDEE;CN=Jane New:mailto:jane@acme.example
ATTENDEE;CUTYPE=ROOM:mailto:room-4@ourco.example
ATTENDEE;PARTSTAT=DECLINED:mailto:kim@ourco.example
END:VEVENT
"""
WEEKLY = """
BEGIN:VEVENT
UID:weekly-2
DTSTART;TZID=Europe/Berlin:20250106T100000
SUMMARY:Weekly check-in
RRULE:FREQ=WEEKLY;COUNT=4
EXDATE;TZID=Europe/Berlin:20250113T100000
ORGANIZER:mailto:kim@ourco.example
ATTENDEE:mailto:bob@acme.example
END:VEVENT
"""
MOVED = """
BEGIN:VEVENT
UID:weekly-2
RECURRENCE-ID;TZID=Europe/Berlin:20250120T100000
DTSTART;TZID=Europe/Berlin:20250121T150000
SUMMARY:Weekly check-in (moved)
ORGANIZER:mailto:kim@ourco.example
ATTENDEE:mailto:bob@acme.example
END:VEVENT
"""
ALL_DAY = """
BEGIN:VEVENT
UID:fair-3
DTSTART;VALUE=DATE:20250512
SUMMARY:Industry fair
ORGANIZER:mailto:sam@ourco.example
ATTENDEE:mailto:gil@mail.example
END:VEVENT
"""
INTERNAL = """
BEGIN:VEVENT
UID:internal-4
DTSTART:20250305T090000Z
SUMMARY:Account planning
ORGANIZER:mailto:sam@ourco.example
ATTENDEE:mailto:kim@ourco.example
END:VEVENT
"""
CANCELLED = """
BEGIN:VEVENT
UID:cancelled-5
DTSTART:20250306T090000Z
STATUS:CANCELLED
ORGANIZER:mailto:sam@ourco.example
ATTENDEE:mailto:ada@acme.example
END:VEVENT
"""
ALONE = """
BEGIN:VEVENT
UID:focus-6
DTSTART:20250307T090000Z
SUMMARY:Focus time
ORGANIZER:mailto:sam@ourco.example
END:VEVENT
"""


def source(path: Path, store: GraphStore, **kwargs: object) -> CalendarSource:
    return CalendarSource(path, AddressBook(store, ["ourco.example"]), until=date(2025, 12, 31), **kwargs)  # type: ignore[arg-type]


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_calendar_end_to_end(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    ics = write(tmp_path / "sam.ics", calendar(QBR, WEEKLY, MOVED, ALL_DAY, INTERNAL, CANCELLED))
    report = run_import(sqlite_store, source(ics, sqlite_store))
    assert report.rows_read == 6 and report.rows_rejected == 0

    acme = {i.id: i for i in sqlite_store.account_subgraph("acme", AS_OF).interactions}
    qbr = acme["qbr-1@ourco.example"]
    assert qbr.participants == ("ada", "bob", "sam")  # no room, no decliner, Jane unknown
    assert qbr.accounts == ("acme",) and qbr.kind is InteractionKind.MEETING
    assert qbr.subject == "Quarterly business review" and qbr.source == "calendar"
    assert qbr.at == datetime(2025, 3, 4, 9, tzinfo=UTC)
    weekly = sorted(i for i in acme if i.startswith("weekly-2/"))
    # 4 occurrences, one excluded, one moved (kept under its original start's id)
    assert weekly == ["weekly-2/20250106T090000Z", "weekly-2/20250120T090000Z", "weekly-2/20250127T090000Z"]
    assert acme["weekly-2/20250120T090000Z"].at == datetime(2025, 1, 21, 14, tzinfo=UTC)
    assert acme["weekly-2/20250120T090000Z"].subject == "Weekly check-in (moved)"

    initech = {i.id: i for i in sqlite_store.account_subgraph("initech", AS_OF).interactions}
    fair = initech["fair-3"]  # gil's mail domain is no account's: their employer on the day
    assert fair.accounts == ("initech",) and fair.at == datetime(2025, 5, 12, tzinfo=UTC)
    assert sqlite_store.counts()["interaction"] == 5

    notes = "\n".join(report.notes)
    assert "1 cancelled events skipped" in notes
    assert "1 events with only our own people skipped" in notes
    assert "jane@acme.example (1, domain of account acme)" in notes
    assert "room" not in notes
    assert sqlite_store.find_people_by_email(["jane@acme.example"]) == {}  # never invented


def test_reimport_changes_nothing(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    folder = tmp_path / "calendars"
    folder.mkdir()
    write(folder / "a.ics", calendar(QBR, WEEKLY, MOVED))
    write(folder / "b.ics", calendar(QBR, ALL_DAY))  # the same meeting in a second calendar
    first = run_import(sqlite_store, source(folder, sqlite_store))
    assert "1 events met again (same UID) skipped" in first.notes
    again = run_import(sqlite_store, source(folder, sqlite_store))
    assert again.changed == 0 and again.rows_read == 5


def test_event_without_attendees_is_an_error(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    ics = write(tmp_path / "focus.ics", calendar(QBR, ALONE))
    with pytest.raises(ImportRejected) as caught:
        run_import(sqlite_store, source(ics, sqlite_store))
    assert [str(p) for p in caught.value.problems] == [
        "focus.ics:16: column ATTENDEE: VEVENT without ATTENDEE: not a meeting with anyone"
    ]
    assert sqlite_store.counts()["interaction"] == 0
    report = run_import(sqlite_store, source(ics, sqlite_store, skip_unattended=True))
    assert "1 events without attendees skipped" in report.notes
    assert sqlite_store.counts()["interaction"] == 1


def test_malformed_calendars(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    bad_start = QBR.replace("DTSTART:20250304T090000Z", "DTSTART:2025-03-04 nine").replace("qbr-1", "bad-1")
    no_uid = "\n".join(line for line in WEEKLY.splitlines() if not line.startswith("UID"))
    ics = write(tmp_path / "bad.ics", calendar(bad_start, no_uid, ALL_DAY))
    with pytest.raises(ImportRejected) as caught:
        run_import(sqlite_store, source(ics, sqlite_store))
    problems = [str(p) for p in caught.value.problems]
    assert problems[0].startswith("bad.ics:4: column DTSTART: cannot be read")
    assert problems[1] == "bad.ics:16: column UID: an event needs a UID"
    assert sqlite_store.counts()["interaction"] == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty.ics: empty file: no calendar"),
        (b"hello\r\n", "empty.ics:1: not an iCalendar file: no BEGIN:VCALENDAR"),
        (calendar().encode(), "empty.ics: no VEVENT in the calendar: nothing to import"),
        (
            calendar(QBR).replace("Jane New", "Jane N\xe9").encode("latin-1"),
            "empty.ics:12: column byte 19: is not valid UTF-8 (byte 0xe9)",
        ),
        (calendar(QBR).rsplit("END:VEVENT", 1)[0].encode(), "empty.ics:4: VEVENT without END:VEVENT"),
    ],
)
def test_unreadable_files(sqlite_store: GraphStore, tmp_path: Path, content: bytes, expected: str) -> None:
    ics = tmp_path / "empty.ics"
    ics.write_bytes(content)
    with pytest.raises(ImportRejected) as caught:
        run_import(sqlite_store, source(ics, sqlite_store), lenient=True)
    assert str(caught.value.problems[0]).startswith(expected)


def test_lenient_imports_the_good_events(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    ics = write(tmp_path / "mixed.ics", calendar(QBR, ALONE, ALL_DAY, INTERNAL))
    rejects = tmp_path / "rejects.csv"
    report = run_import(sqlite_store, source(ics, sqlite_store), lenient=True, reject_file=rejects)
    # the internal meeting is skipped, not imported
    assert (report.rows_read, report.rows_imported, report.rows_skipped, report.rows_rejected) == (4, 2, 1, 1)
    with open(rejects, encoding="utf-8", newline="") as handle:
        (rejected,) = list(csv.DictReader(handle))
    assert rejected["column"] == "ATTENDEE" and rejected["row"].startswith("BEGIN:VEVENT\r\nUID:focus-6")
    assert sqlite_store.counts()["interaction"] == 2


def test_kind_rules_through_the_registry(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    exec_meeting = QBR.replace("UID:qbr-1", "UID:exec-7").replace(
        "ATTENDEE;CN=Bob:mailto:bob@acme.example\n", ""
    )
    summit = ALL_DAY.replace("Industry fair", "Customer Summit 2025")
    ics = write(tmp_path / "rules.ics", calendar(exec_meeting, summit))
    options = {"exec_visit": "executives", "keywords": "event=summit|fair", "until": "2025-12-31"}
    context = ImportContext(sqlite_store, options, staff_email_domains=("ourco.example",))
    run_import(sqlite_store, get_importer("ics").factory(ics, context))
    kinds = {i.id: i.kind for i in sqlite_store.account_subgraph("acme", AS_OF).interactions}
    assert kinds["exec-7@ourco.example"] is InteractionKind.EXEC_VISIT  # sam and ada are executives
    initech = {i.id: i.kind for i in sqlite_store.account_subgraph("initech", AS_OF).interactions}
    assert initech["fair-3"] is InteractionKind.EVENT
    with pytest.raises(ImportRejected, match="unknown option"):
        get_importer("ics").factory(ics, ImportContext(sqlite_store, {"colour": "red"}))
    with pytest.raises(ImportRejected, match="'party' is not one of"):
        get_importer("ics").factory(ics, ImportContext(sqlite_store, {"keywords": "party=cake"}))


def test_unresolved_staff_address_and_file(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    newcomer = QBR.replace("mailto:sam@ourco.example", "mailto:new.hire@ourco.example")
    ics = write(tmp_path / "new.ics", calendar(newcomer))
    listing = tmp_path / "unresolved.csv"
    report = run_import(sqlite_store, source(ics, sqlite_store, unresolved_file=listing))
    (interaction,) = sqlite_store.account_subgraph("acme", AS_OF).interactions
    assert interaction.participants == ("ada", "bob")
    assert any("new.hire@ourco.example (1)" in n for n in report.notes)
    with open(listing, encoding="utf-8", newline="") as handle:
        rows = {r["address"]: r for r in csv.DictReader(handle)}
    assert rows["jane@acme.example"]["account"] == "acme" and rows["new.hire@ourco.example"]["account"] == ""


def test_kind_rules_defaults() -> None:
    assert KindRules().default is InteractionKind.MEETING
