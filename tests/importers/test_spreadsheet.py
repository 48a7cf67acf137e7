"""Tests of the generic spreadsheet importer (contacts.csv + activities.csv), into the embedded store."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.model import Contact, InteractionKind, Level, Role, Staff
from graph.store import GraphStore
from importers.base import ImportContext, ImportRejected, get_importer, run_import
from importers.spreadsheet import SpreadsheetSource, account_id, staff_name

CONTACTS = """
Account,Name,Email,Title,Level,Roles,Manager Email
Acme Corp,Ada Chief,ada@acme.example,Chief Financial Officer,,Economic Buyer;decision_maker,
Acme Corp,Bob Boss,bob@acme.example,IT Director,,technical_buyer,ada@acme.example
Globex,Cy Worker,cy@globex.example,Consultant,management,,
"""
ACTIVITIES = """
date,account,kind,subject,participants,our_people
2025-03-04T09:00:00+01:00,Acme Corp,Meeting,QBR,ada@acme.example;bob@acme.example;sam.rep@ourco.example,
2025-03-10,Globex,call,Check-in,cy@globex.example,kim@partner.example
2025-04-01,Initech,exec visit,Intro,,sam.rep@ourco.example
"""
ADA, BOB, CY = "contact:ada@acme.example", "contact:bob@acme.example", "contact:cy@globex.example"
SAM, KIM = "staff:sam.rep@ourco.example", "staff:kim@partner.example"


def write(folder: Path, contacts: str | None = CONTACTS, activities: str | None = ACTIVITIES,
          encoding: str = "utf-8") -> Path:  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("contacts.csv", contacts), ("activities.csv", activities)):
        if text is not None:
            (folder / name).write_text(text.lstrip("\n"), encoding=encoding)
    return folder


def source(folder: Path, store: GraphStore, **options: str) -> SpreadsheetSource:
    opened = get_importer("spreadsheet").factory(
        folder, ImportContext(store, {"our-domain": "ourco.example", **options})
    )
    assert isinstance(opened, SpreadsheetSource)
    return opened


@pytest.fixture
def store(sqlite_store: GraphStore) -> Iterator[GraphStore]:
    yield sqlite_store


def test_contacts_and_activities_end_to_end(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, source(write(tmp_path / "sheet"), store))
    assert report.rows_read == 6 and report.rows_rejected == 0

    accounts = store.get_accounts(["acme-corp", "globex", "initech"])
    assert {a.id: a.name for a in accounts.values()} == {"acme-corp": "Acme Corp", "globex": "Globex",
                                                          "initech": "Initech"}  # fmt: skip
    people = store.get_people([ADA, BOB, CY, SAM, KIM])
    assert isinstance(people[ADA], Contact) and people[ADA].name == "Ada Chief"
    assert people[ADA].level is Level.EXECUTIVE  # from the title
    assert people[CY].level is Level.MANAGEMENT  # the level column wins over the title
    assert isinstance(people[SAM], Staff) and people[SAM].name == "Sam Rep"
    assert people[SAM].email == "sam.rep@ourco.example"
    assert isinstance(people[KIM], Staff)  # in our_people although not on our domain

    jobs = store.employments_of([ADA, BOB, CY])
    (ada,) = jobs[ADA]
    assert ada.account_id == "acme-corp" and ada.roles == {Role.ECONOMIC_BUYER, Role.DECISION_MAKER}
    assert ada.title == "Chief Financial Officer"
    assert [(e.account_id, e.roles) for e in jobs[BOB]] == [("acme-corp", frozenset({Role.TECHNICAL_BUYER}))]
    assert [e.account_id for e in jobs[CY]] == ["globex"]

    acme = store.account_subgraph("acme-corp", date(2025, 12, 31))
    assert {(r.contact_id, r.manager_id) for r in acme.reporting_lines} == {(BOB, ADA)}
    (qbr,) = acme.interactions
    assert qbr.kind is InteractionKind.MEETING and qbr.subject == "QBR" and qbr.source == "spreadsheet"
    assert qbr.at == datetime(2025, 3, 4, 8, 0, tzinfo=UTC)
    assert qbr.participants == tuple(sorted((ADA, BOB, SAM))) and qbr.accounts == ("acme-corp",)
    (call,) = store.account_subgraph("globex", date(2025, 12, 31)).interactions
    assert call.kind is InteractionKind.CALL and call.participants == tuple(sorted((CY, KIM)))
    assert call.at == datetime(2025, 3, 10, tzinfo=UTC)
    (visit,) = store.account_subgraph("initech", date(2025, 12, 31)).interactions
    assert visit.kind is InteractionKind.EXEC_VISIT and visit.participants == (SAM,)


def test_the_summary_adds_up_per_file(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, source(write(tmp_path / "sheet"), store))
    got = {
        name: (o.read, o.imported, o.skipped_rows, o.rejected, dict(o.records))
        for name, o in report.objects.items()
    }
    assert got == {
        # Acme on its first row, Globex on Cy's; three contacts, three positions, Bob reports to Ada
        "contacts.csv": (3, 3, 0, 0, {"account": 2, "contact": 3, "employment": 3, "reporting_line": 1}),
        # Sam on the first activity, Kim on the second, Initech on the third
        "activities.csv": (3, 3, 0, 0, {"staff": 2, "interaction": 3, "account": 1}),
    }
    for o in report.objects.values():
        assert o.read == o.imported + o.merged + o.skipped_rows + o.rejected


def test_reimport_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    folder = write(tmp_path / "sheet")
    run_import(store, source(folder, store))
    counts = store.counts()
    again = run_import(store, source(folder, store))
    assert again.changed == 0 and store.counts() == counts
    # accounts and our staff are stored now and not written again: 3 contacts, 3 positions,
    # 1 reporting line and 3 activities are written, all unchanged
    assert sum(k.unchanged for k in again.kinds.values()) == 10
    assert again.written.get("account", 0) == 0 and again.written.get("staff", 0) == 0


def test_missing_required_columns_name_the_file_and_header(store: GraphStore, tmp_path: Path) -> None:
    folder = write(
        tmp_path / "sheet", "Account,Email\nAcme,ada@acme.example\n", "when,account\n2025-01-01,Acme\n"
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(store, source(folder, store), lenient=True)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        "contacts.csv:1: column name: missing required column (the header has: Account, Email)",
        "activities.csv:1: column date: missing required column (the header has: when, account)",
        "activities.csv:1: column kind: missing required column (the header has: when, account)",
    ]


def test_bad_values_name_file_line_and_column(store: GraphStore, tmp_path: Path) -> None:
    contacts = CONTACTS.replace("technical_buyer,ada@", "wizard,ada@").replace(
        "Consultant,management", "Consultant,boss"
    )
    activities = ACTIVITIES.replace("2025-03-10,Globex,call", "10/03/2025,Globex,fax").replace(
        "cy@globex.example,kim", "who@nowhere.example,kim"
    )
    with pytest.raises(ImportRejected) as caught:
        run_import(store, source(write(tmp_path / "sheet", contacts, activities), store))
    problems = [str(p) for p in caught.value.problems]
    assert (
        "contacts.csv:3: column roles: 'wizard' is not one of economic_buyer, decision_maker, technical_buyer, "
        "user_buyer, procurement, executive_sponsor, champion, coach, influencer, gatekeeper, blocker"
        in problems
    )
    assert "contacts.csv:4: column level: 'boss' is not one of executive, management, operational" in problems
    assert any(
        p.startswith("activities.csv:3: column date: '10/03/2025' is not a date-time") for p in problems
    )
    assert any(
        p.startswith("activities.csv:3: column participants: 'who@nowhere.example' is no contact")
        for p in problems
    )
    assert sum(store.counts().values()) == 0


def test_lenient_rejects_rows_and_adds_up(store: GraphStore, tmp_path: Path) -> None:
    activities = ACTIVITIES.replace("2025-03-10,Globex,call", "2025-03-10,Globex,fax")
    rejects = tmp_path / "rejects.csv"
    report = run_import(store, source(write(tmp_path / "sheet", activities=activities), store), lenient=True,
                        reject_file=rejects)  # fmt: skip
    o = report.objects["activities.csv"]
    assert (o.read, o.imported, o.rejected) == (3, 2, 1)
    with open(rejects, encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["file"], row["line"], row["column"]) == ("activities.csv", "3", "kind")
    assert store.counts()["interaction"] == 2


def test_stored_people_keep_their_ids(store: GraphStore, tmp_path: Path) -> None:
    first = write(tmp_path / "first", contacts=None, activities=ACTIVITIES.split("\n2025-03-10")[0] + "\n")
    with pytest.raises(ImportRejected, match=r"'ada@acme\.example' is no contact"):
        run_import(store, source(first, store))
    run_import(store, source(write(tmp_path / "second"), store))
    # a later sheet with activities only: the people are found in the store by email
    later = "date,account,kind,participants,our_people\n2025-06-01,Acme Corp,email,bob@acme.example,sam.rep@ourco.example\n"
    report = run_import(store, source(write(tmp_path / "third", contacts=None, activities=later), store))
    assert report.rows_rejected == 0 and report.written.get("staff", 0) == 0
    emails = [
        i for i in store.account_subgraph("acme-corp", date(2025, 12, 31)).interactions if i.kind == "email"
    ]
    assert [i.participants for i in emails] == [tuple(sorted((BOB, SAM)))]


def test_utf8_bom_and_gbk(store: GraphStore, tmp_path: Path) -> None:
    contacts = "account,name,email,title\n华为技术,王伟,wang@huawei.example,销售总监\n"
    activities = "date,account,kind,participants,our_people\n2025-05-01,华为技术,meeting,wang@huawei.example,sam@ourco.example\n"
    run_import(store, source(write(tmp_path / "bom", contacts, activities, encoding="utf-8-sig"), store))
    wang = store.get_people(["contact:wang@huawei.example"])["contact:wang@huawei.example"]
    assert wang.name == "王伟" and wang.level is Level.MANAGEMENT
    assert store.get_accounts([account_id("华为技术")])["华为技术"].name == "华为技术"
    gbk = write(
        tmp_path / "gbk", contacts.replace("王伟", "李娜").replace("wang@", "li@"), None, encoding="gbk"
    )
    with pytest.raises(ImportRejected, match=r"contacts\.csv:2: column byte \d+: is not valid UTF-8"):
        run_import(store, source(gbk, store))
    run_import(store, source(gbk, store, encoding="gbk"))
    assert store.get_people(["contact:li@huawei.example"])["contact:li@huawei.example"].name == "李娜"


def test_names_and_ids() -> None:
    assert staff_name("kim.o-neil@ourco.example") == "Kim O Neil"
    assert account_id(" ACME corp. ") == account_id("Acme Corp") == "acme-corp"
    with pytest.raises(ImportRejected, match="unknown option"):
        get_importer("spreadsheet").factory(Path("."), ImportContext(None, {"colour": "red"}))  # type: ignore[arg-type]
