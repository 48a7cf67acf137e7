"""Tests of the mbox importer, end to end into the embedded store."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.model import InteractionKind
from graph.store import GraphStore
from importers.base import ImportContext, ImportRejected, get_importer, run_import
from importers.calendar_ics import AddressBook
from importers.mailbox import MboxSource, split_mbox
from tests.importers.test_calendar_ics import seed_people

AS_OF = date(2026, 1, 1)


def message(
    sender: str, to: str, date_header: str, subject: str, message_id: str | None, cc: str = ""
) -> str:
    lines = [f"From {sender} Mon Mar  3 09:00:00 2025", f"From: {sender}", f"To: {to}"]
    if cc:
        lines.append(f"Cc: {cc}")
    lines += [f"Date: {date_header}", f"Subject: {subject}"]
    if message_id:
        lines.append(f"Message-ID: <{message_id}>")
    return "\n".join([*lines, "", "Hello,", ">From the team", ""]) + "\n"


PROPOSAL = message(
    "Sam Rep <sam@ourco.example>",
    "Ada Chief <ada@acme.example>",
    "Mon, 03 Mar 2025 10:15:00 +0100",
    "=?utf-8?q?Proposal_f=C3=BCr_2025?=",
    "m1@ourco.example",
    cc="bob@acme.example, Jane <jane@acme.example>",
)
REPLY = message(
    "ada@acme.example", "sam@ourco.example", "Tue, 04 Mar 2025 08:00:00 +0000", "Re: Proposal", None
)
INTERNAL = message(
    "sam@ourco.example", "kim@ourco.example", "Tue, 04 Mar 2025 09:00:00 +0000", "fwd", "m3@ourco"
)
STRANGER = message(
    "kim@ourco.example", "x@nowhere.example", "Tue, 04 Mar 2025 09:30:00 +0000", "hi", "m4@ourco"
)
COPY = PROPOSAL.replace("From sam@ourco.example Mon", "From sam@ourco.example Tue")
BAD_DATE = message("bob@acme.example", "kim@ourco.example", "the day after tomorrow", "Specs", "m5@acme")


def mbox(path: Path, *messages: str) -> Path:
    path.write_bytes("".join(messages).encode("utf-8"))
    return path


def source(path: Path, store: GraphStore) -> MboxSource:
    return MboxSource(path, AddressBook(store, ["ourco.example"]))


def test_mailbox_end_to_end(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    box = mbox(tmp_path / "sam.mbox", PROPOSAL, REPLY, INTERNAL, STRANGER, COPY)
    report = run_import(sqlite_store, source(box, sqlite_store))
    assert report.rows_read == 5 and report.rows_rejected == 0
    mails = {i.id: i for i in sqlite_store.account_subgraph("acme", AS_OF).interactions}
    proposal = mails["m1@ourco.example"]
    assert proposal.participants == ("ada", "bob", "sam")
    assert proposal.accounts == ("acme",) and proposal.kind is InteractionKind.EMAIL
    assert proposal.at == datetime(2025, 3, 3, 9, 15, tzinfo=UTC)
    assert proposal.subject == "Proposal für 2025" and proposal.source == "mail"
    (reply_id,) = [i for i in mails if i.startswith("mail-")]  # no Message-ID: a stable hash
    assert mails[reply_id].participants == ("ada", "sam")
    assert sqlite_store.counts()["interaction"] == 2
    notes = "\n".join(report.notes)
    assert "1 messages between our own people only skipped" in notes
    assert "1 messages met again (same Message-ID) skipped" in notes
    assert "1 messages with no known person or account skipped" in notes
    assert "jane@acme.example (2, domain of account acme)" not in notes  # the copy is not counted twice
    assert "jane@acme.example (1, domain of account acme)" in notes
    assert "x@nowhere.example (1)" in notes


def test_reimport_changes_nothing(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    box = mbox(tmp_path / "sam.mbox", PROPOSAL, REPLY)
    run_import(sqlite_store, source(box, sqlite_store))
    again = run_import(sqlite_store, source(box, sqlite_store))
    assert again.changed == 0 and again.rows_read == 2


def test_empty_mbox_is_an_error(sqlite_store: GraphStore, tmp_path: Path) -> None:
    box = tmp_path / "empty.mbox"
    box.write_bytes(b"")
    with pytest.raises(ImportRejected) as caught:
        run_import(sqlite_store, source(box, sqlite_store), lenient=True)
    assert [str(p) for p in caught.value.problems] == ["empty.mbox: empty mbox (0 bytes): no messages"]


def test_not_an_mbox(sqlite_store: GraphStore, tmp_path: Path) -> None:
    box = tmp_path / "notes.txt"
    box.write_text("Subject: hello\n\nbody\n")
    with pytest.raises(ImportRejected, match="not an mbox file: the first line must start with 'From '"):
        run_import(sqlite_store, source(box, sqlite_store))


def test_bad_date_strict_and_lenient(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    box = mbox(tmp_path / "sam.mbox", PROPOSAL, BAD_DATE, REPLY)
    with pytest.raises(ImportRejected) as caught:
        run_import(sqlite_store, source(box, sqlite_store))
    line = PROPOSAL.count("\n") + 1
    assert [str(p) for p in caught.value.problems] == [
        f"sam.mbox:{line}: column Date: 'the day after tomorrow' is not an RFC 5322 date"
    ]
    assert sqlite_store.counts()["interaction"] == 0

    rejects = tmp_path / "rejects.csv"
    report = run_import(sqlite_store, source(box, sqlite_store), lenient=True, reject_file=rejects)
    assert (report.rows_read, report.rows_imported, report.rows_rejected) == (3, 2, 1)
    with open(rejects, encoding="utf-8", newline="") as handle:
        (rejected,) = list(csv.DictReader(handle))
    assert (rejected["line"], rejected["column"]) == (str(line), "Date")
    assert "Subject: Specs" in rejected["row"]
    assert sqlite_store.counts()["interaction"] == 2


def test_message_without_addresses_or_date(sqlite_store: GraphStore, tmp_path: Path) -> None:
    box = mbox(tmp_path / "odd.mbox", "From x\nSubject: nobody\n\nbody\n", "From y\nFrom: a@b.example\n\n")
    with pytest.raises(ImportRejected) as caught:
        run_import(sqlite_store, source(box, sqlite_store))
    assert [str(p) for p in caught.value.problems] == [
        "odd.mbox:1: column From: no email address in From, To or Cc",
        "odd.mbox:1: column Date: a message needs a Date header",
        "odd.mbox:5: column Date: a message needs a Date header",
    ]


def test_folder_through_the_registry(sqlite_store: GraphStore, tmp_path: Path) -> None:
    seed_people(sqlite_store)
    folder = tmp_path / "mail"
    folder.mkdir()
    mbox(folder / "inbox", REPLY)
    mbox(folder / "sent", PROPOSAL)
    (folder / ".hidden").write_text("ignored")
    context = ImportContext(
        sqlite_store, {"keywords": "meeting=proposal"}, staff_email_domains=("ourco.example",)
    )
    report = run_import(sqlite_store, get_importer("mbox").factory(folder, context))
    assert report.rows_read == 2
    kinds = {i.subject: i.kind for i in sqlite_store.account_subgraph("acme", AS_OF).interactions}
    assert kinds == {"Re: Proposal": InteractionKind.MEETING, "Proposal für 2025": InteractionKind.MEETING}


def test_split_mbox_lines(tmp_path: Path) -> None:
    box = mbox(tmp_path / "box", PROPOSAL, REPLY)
    assert [line for line, _ in split_mbox(box)] == [1, PROPOSAL.count("\n") + 1]
