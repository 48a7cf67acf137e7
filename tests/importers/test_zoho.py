"""Tests of the Zoho CRM export importer, end to end into the embedded store."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from graph.model import Contact, InteractionKind, Level, Opportunity, OpportunityStatus, Staff, TeamRole, Tier
from graph.store import GraphStore
from importers.base import ImportContext, ImportRejected, get_importer, run_import
from importers.zoho import ZohoSource, deal_status, tier_of, zoho_id
from tests.conftest import BACKENDS, make_store

A1, A2, A3 = "zcrm_1000000000001", "zcrm_1000000000002", "zcrm_1000000000003"
C1, C2, C3 = "zcrm_2000000000001", "zcrm_2000000000002", "zcrm_2000000000003"
D1 = "zcrm_3000000000001"
SAM, KIM = "zoho-user-sam-rep", "zoho-user-kim-tech"

# a small Zoho export: look-ups by id in some rows and by name in others, as Zoho writes them
EXPORT_TEXT = {
    "Accounts.csv": f"""
Record Id,Account Name,Account Owner,Industry,Annual Revenue,Rating,Account Type,Website,Billing Country
{A1},Acme Corp,Sam Rep,Manufacturing,"25,000,000",Active,Customer,https://www.acme.example/,Germany
{A2},Globex,Sam Rep,Energy,500000,,Customer,globex.example,France
{A3},Initech,Kim Tech,,,,Prospect,,
""",
    "Contacts.csv": f"""
Record Id,First Name,Last Name,Email,Title,Department,Account Name,Contact Owner,Reports To
{C1},Ada,Chief,ada@acme.example,Chief Financial Officer,Finance,Acme Corp,Sam Rep,
{C2},Bob,Boss,bob@acme.example,IT Director,IT,{A1},Kim Tech,Ada Chief
{C3},Cy,Worker,cy@globex.example,Systems Engineer,IT,Globex,Sam Rep,
""",
    "Deals.csv": f"""
Record Id,Deal Name,Account Name,Stage,Amount,Closing Date,Deal Owner,Created Time,Type,Contact Name
{D1},Acme renewal,Acme Corp,Negotiation/Review,120000,2025-06-30,Sam Rep,2025-01-20 10:00:00,Existing Business - Renewal,Ada Chief
""",
    "Events.csv": f"""
Record Id,Event Title,Start DateTime,End DateTime,Host,Participants,Related To,Contact Name
zcrm_4000000000001,QBR,2025-03-04 09:00:00,2025-03-04 10:00:00,Sam Rep,bob@acme.example;Kim Tech;lead@else.example,Acme renewal,Ada Chief
zcrm_4000000000002,Site visit,2025-05-06 14:30:00,2025-05-06 16:00:00,Kim Tech,,{A2},
""",
    "Calls.csv": f"""
Record Id,Subject,Call Type,Call Start Time,Call Duration,Call Owner,Call Status,Related To,Contact Name
zcrm_5000000000001,Check-in,Outbound,2025-02-10 11:00:00,00:12,Sam Rep,Completed,,{C3}
zcrm_5000000000002,Missed one,Missed,2025-02-11 11:00:00,00:00,Sam Rep,,,{C3}
zcrm_5000000000003,Follow up,Outbound,2026-12-01 11:00:00,,Kim Tech,Scheduled,Acme Corp,
zcrm_5000000000004,Internal,Inbound,2025-01-15 08:00:00,00:05,Kim Tech,Completed,,
""",
}
EXPORT: dict[str, list[dict[str, str]]] = {
    name: list(csv.DictReader(text.strip().splitlines())) for name, text in EXPORT_TEXT.items()
}
N_ROWS = sum(len(rows) for rows in EXPORT.values())  # 3 + 3 + 1 + 2 + 4 = 13


def write_export(
    folder: Path, export: dict[str, list[dict[str, str]]] = EXPORT, *, encoding: str = "utf-8"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in export.items():
        with open(folder / name, "w", encoding=encoding, newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
            writer.writeheader()
            writer.writerows(rows)
    return folder


def changed(
    export: dict[str, list[dict[str, str]]], name: str, index: int, **values: str
) -> dict[str, list[dict[str, str]]]:
    copy = {k: [dict(r) for r in v] for k, v in export.items()}
    copy[name][index].update(values)
    return copy


@pytest.fixture
def store(sqlite_store: GraphStore) -> Iterator[GraphStore]:
    yield sqlite_store


def test_export_end_to_end(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, ZohoSource(write_export(tmp_path / "export"), store))
    assert report.rows_read == 13 and report.rows_rejected == 0

    accounts = store.get_accounts([A1, A2, A3])
    assert accounts[A1].name == "Acme Corp" and accounts[A1].annual_revenue == 25_000_000
    assert accounts[A1].tier is Tier.STRATEGIC  # >= 10 M
    assert accounts[A2].tier is Tier.POTENTIAL  # 500 k < 1 M
    assert accounts[A3].tier is Tier.POTENTIAL  # a prospect
    assert accounts[A1].domains == ("acme.example",) and accounts[A2].domains == ("globex.example",)
    assert accounts[A1].owner == SAM and accounts[A3].owner == KIM
    assert accounts[A1].industry == "manufacturing" and accounts[A1].region == "Germany"

    people = store.get_people([SAM, KIM, C1, C2, C3])
    assert isinstance(people[SAM], Staff) and people[SAM].name == "Sam Rep"
    assert isinstance(people[KIM], Staff) and people[KIM].name == "Kim Tech"
    assert isinstance(people[C1], Contact) and people[C1].name == "Ada Chief"
    assert people[C1].email == "ada@acme.example"
    assert people[C1].level is Level.EXECUTIVE and people[C2].level is Level.MANAGEMENT
    assert people[C3].level is Level.OPERATIONAL

    jobs = store.employments_of([C1, C2, C3])
    assert [(e.account_id, e.title, e.department) for e in jobs[C1]] == [
        (A1, "Chief Financial Officer", "Finance")
    ]
    assert [e.account_id for e in jobs[C2]] == [A1]  # Account Name given as the id
    assert [e.account_id for e in jobs[C3]] == [A2]

    teams = store.teams_of([A1, A2, A3], date(2025, 6, 1))
    assert {(m.staff_id, m.team_role) for m in teams[A1]} == {
        (SAM, TeamRole.ACCOUNT_REP),
        (KIM, TeamRole.ACCOUNT_REP),
    }
    assert {m.staff_id for m in teams[A2]} == {SAM}
    assert {m.staff_id for m in teams[A3]} == {KIM}

    acme = store.account_subgraph(A1, date(2025, 12, 31))
    assert {(r.contact_id, r.manager_id) for r in acme.reporting_lines} == {(C2, C1)}
    activities = {i.id: i for i in acme.interactions}
    qbr = activities["zcrm_4000000000001"]
    # host, Contact Name and two of the three Participants (the lead's address is left out)
    assert qbr.participants == tuple(sorted((SAM, C1, C2, KIM)))
    assert qbr.kind is InteractionKind.MEETING and qbr.accounts == (A1,)  # the deal's account
    assert qbr.at == datetime(2025, 3, 4, 9, 0, tzinfo=UTC) and qbr.subject == "QBR" and qbr.source == "zoho"
    globex = {i.id: i for i in store.account_subgraph(A2, date(2025, 12, 31)).interactions}
    assert globex["zcrm_4000000000002"].participants == (KIM,)
    call = globex["zcrm_5000000000001"]
    assert call.kind is InteractionKind.CALL and call.participants == tuple(sorted((SAM, C3)))
    assert call.accounts == (A2,)  # from the contact's account
    assert store.counts()["interaction"] == 3
    assert report.notes == [
        "1 participants left out of activities: no contact or owner of the export "
        "(leads, invitees by email or people not exported)"
    ]


# What each file of EXPORT becomes, derived by hand from the rows above:
# (read, imported, merged, skipped, rejected, records written per kind)
EXPECTED_OBJECTS = {
    # Sam is first named on Acme's row, Kim on Initech's; each account's owner is on its team
    "Accounts.csv": (3, 3, 0, 0, 0, {"staff": 2, "account": 3, "team_membership": 3}),
    # Ada's and Cy's owner Sam is already on their accounts' teams; Bob's owner Kim joins Acme's;
    # Bob reports to Ada
    "Contacts.csv": (
        3,
        3,
        0,
        0,
        0,
        {"contact": 3, "employment": 3, "team_membership": 1, "reporting_line": 1},
    ),
    "Deals.csv": (1, 1, 0, 0, 0, {"opportunity": 1}),
    "Events.csv": (2, 2, 0, 0, 0, {"interaction": 2}),
    # the missed call, the scheduled one and the call with nobody but Kim are skipped
    "Calls.csv": (4, 1, 0, 3, 0, {"interaction": 1}),
}


def test_the_summary_adds_up_per_file(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, ZohoSource(write_export(tmp_path / "export"), store))
    got = {
        name: (o.read, o.imported, o.merged, o.skipped_rows, o.rejected, dict(o.records))
        for name, o in report.objects.items()
    }
    assert got == EXPECTED_OBJECTS
    for o in report.objects.values():
        assert o.read == o.imported + o.merged + o.skipped_rows + o.rejected
    assert (report.rows_read, report.rows_imported, report.rows_skipped) == (N_ROWS, 10, 3)
    assert dict(report.objects["Calls.csv"].skipped) == {
        "missed call": 1,
        "call not held (scheduled, overdue or cancelled)": 1,
        "no contact or account": 1,
    }
    assert report.objects["Deals.csv"].became() == "1 opportunity"
    created = {kind: k.created for kind, k in report.kinds.items() if k.created}
    assert created == {"staff": 2, "account": 3, "contact": 3, "employment": 3, "team_membership": 4,
                       "reporting_line": 1, "interaction": 3, "opportunity": 1}  # fmt: skip


def test_reimport_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export")
    run_import(store, ZohoSource(folder, store))
    counts = store.counts()
    again = run_import(store, ZohoSource(folder, store))
    assert again.changed == 0 and store.counts() == counts
    assert sum(k.unchanged for k in again.kinds.values()) == 20  # every record written, all unchanged


def test_through_the_registry_with_options(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export")
    context = ImportContext(store, {"owner-role": "Customer Success", "strategic-revenue": "30000000"})
    source = get_importer("zoho").factory(folder, context)
    run_import(store, source)
    assert store.get_accounts([A1])[A1].tier is Tier.KEY  # 25 M < 30 M, >= 1 M
    assert {m.team_role for m in store.teams_of([A1], date(2025, 6, 1))[A1]} == {TeamRole.CUSTOMER_SUCCESS}
    with pytest.raises(ImportRejected, match=r"unknown option.*colour"):
        get_importer("zoho").factory(folder, ImportContext(store, {"colour": "red"}))
    with pytest.raises(ImportRejected, match="column owner-role: 'boss' is not one of"):
        get_importer("zoho").factory(folder, ImportContext(store, {"owner-role": "boss"}))


def test_unknown_references_are_rejected_with_file_line_and_column(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "Contacts.csv", 2, **{"Account Name": "Nowhere Ltd"})
    export = changed(export, "Contacts.csv", 1, **{"Reports To": "Zed Nobody"})
    export = changed(export, "Events.csv", 1, **{"Contact Name": "zcrm_2999999999999"})
    export = changed(export, "Deals.csv", 0, **{"Account Name": "Gone Inc"})
    with pytest.raises(ImportRejected) as caught:
        run_import(store, ZohoSource(write_export(tmp_path / "export", export), store))
    problems = [str(p) for p in caught.value.problems]
    assert "Contacts.csv:4: column Account Name: no account named 'Nowhere Ltd' in Accounts.csv" in problems
    assert "Contacts.csv:3: column Reports To: no contact named 'Zed Nobody' in Contacts.csv" in problems
    assert "Deals.csv:2: column Account Name: no account named 'Gone Inc' in Accounts.csv" in problems
    assert any(p.startswith("Events.csv:3: column Host/Contact Name/Participants: unknown person 'zcrm_2999999999999'")
               for p in problems)  # fmt: skip
    # and the rows naming Bob (Events.csv:2) or Cy (Calls.csv:2), whose own rows are rejected
    places = {(p.file, p.line) for p in caught.value.problems}
    assert places == {("Contacts.csv", 3), ("Contacts.csv", 4), ("Deals.csv", 2), ("Events.csv", 2),
                      ("Events.csv", 3), ("Calls.csv", 2)}  # fmt: skip
    assert sum(store.counts().values()) == 0


def test_bad_values_name_file_line_and_column(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "Accounts.csv", 1, **{"Annual Revenue": "lots"})
    export = changed(export, "Calls.csv", 0, **{"Call Type": "Carrier pigeon"})
    export = changed(export, "Events.csv", 0, **{"Start DateTime": "someday"})
    export = changed(export, "Contacts.csv", 0, Email="ada-at-acme")
    with pytest.raises(ImportRejected) as caught:
        run_import(store, ZohoSource(write_export(tmp_path / "export", export), store))
    problems = [str(p) for p in caught.value.problems]
    assert "Accounts.csv:3: column Annual Revenue: 'lots' is not a number" in problems
    assert "Contacts.csv:2: column Email: 'ada-at-acme' is not a valid email address" in problems
    assert any(
        p.startswith("Events.csv:2: column Start DateTime: 'someday' is not a date-time") for p in problems
    )
    assert (
        "Calls.csv:2: column Call Type: 'Carrier pigeon' is not a Zoho call type (Inbound, Outbound, Missed)"
    ) in problems


def test_lenient_imports_the_good_rows_and_adds_up(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "Calls.csv", 0, **{"Call Start Time": "yesterday"})
    folder = write_export(tmp_path / "export", export)
    rejects = tmp_path / "rejects.csv"
    report = run_import(store, ZohoSource(folder, store), lenient=True, reject_file=rejects)
    calls = report.objects["Calls.csv"]
    assert (calls.read, calls.imported, calls.skipped_rows, calls.rejected) == (4, 0, 3, 1)
    assert report.rows_imported + report.rows_merged + report.rows_skipped + report.rows_rejected == N_ROWS
    with open(rejects, encoding="utf-8", newline="") as handle:
        (rejected,) = list(csv.DictReader(handle))
    assert (rejected["file"], rejected["line"], rejected["column"]) == ("Calls.csv", "2", "Call Start Time")
    assert store.counts()["interaction"] == 2


def test_missing_column_and_not_an_export(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Contacts.csv").write_text("Record Id,First Name\nzcrm_2000000000001,Ada\n", encoding="utf-8")
    with pytest.raises(ImportRejected, match=r"Contacts\.csv:1: column Last Name: missing required column"):
        run_import(store, ZohoSource(folder, store), lenient=True)
    with pytest.raises(ImportRejected, match="does not exist"):
        ZohoSource(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportRejected, match="no Zoho CRM export files here"):
        run_import(store, ZohoSource(tmp_path / "empty", store))


def test_utf8_with_bom_reads(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "Accounts.csv", 0, **{"Account Name": "Acme Überseehandel"})
    export = changed(export, "Contacts.csv", 0, **{"Account Name": "Acme Überseehandel"})
    export = changed(export, "Deals.csv", 0, **{"Account Name": "Acme Überseehandel"})
    run_import(store, ZohoSource(write_export(tmp_path / "export", export, encoding="utf-8-sig"), store))
    assert store.get_accounts([A1])[A1].name == "Acme Überseehandel"
    assert [e.account_id for e in store.employments_of([C1])[C1]] == [A1]  # the BOM is not in "Record Id"


def test_gbk_export_names_its_encoding_and_reads_with_the_option(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "Accounts.csv", 0, **{"Account Name": "华为技术有限公司"})
    export = changed(export, "Contacts.csv", 0, **{"Account Name": "华为技术有限公司", "Title": "采购经理"})
    export = changed(export, "Deals.csv", 0, **{"Account Name": "华为技术有限公司"})
    folder = write_export(tmp_path / "export", export, encoding="gbk")
    with pytest.raises(ImportRejected, match=r"Accounts\.csv:2: column byte \d+: is not valid UTF-8"):
        run_import(store, ZohoSource(folder, store))
    source = get_importer("zoho").factory(folder, ImportContext(store, {"encoding": "gbk"}))
    run_import(store, source)
    assert store.get_accounts([A1])[A1].name == "华为技术有限公司"
    ada = store.get_people([C1])[C1]
    assert ada.title == "采购经理" and ada.level is Level.MANAGEMENT


def test_an_id_of_a_stored_account_relates_an_activity(store: GraphStore, tmp_path: Path) -> None:
    run_import(
        store, ZohoSource(write_export(tmp_path / "first", {"Accounts.csv": EXPORT["Accounts.csv"]}), store)
    )
    calls = {"Calls.csv": [{"Record Id": "zcrm_5000000000009", "Subject": "Hello", "Call Type": "Inbound",
                            "Call Start Time": "2025-04-01 10:00:00", "Call Owner": "Sam Rep",
                            "Related To": A3}]}  # fmt: skip
    report = run_import(store, ZohoSource(write_export(tmp_path / "second", calls), store))
    assert report.rows_rejected == 0
    (call,) = store.account_subgraph(A3, date(2025, 12, 31)).interactions
    assert call.accounts == (A3,) and call.participants == (SAM,)


def test_ids_and_tier_rule() -> None:
    assert zoho_id(" zcrm_123456 ") == "zcrm_123456" and zoho_id("123456") == "zcrm_123456"
    assert zoho_id("Acme 2") == "" and zoho_id("zcrm_12") == ""
    assert tier_of("Strategic", "Prospect", 0.0) is Tier.STRATEGIC  # the Tier column wins
    assert tier_of(None, "prospect", 50_000_000.0) is Tier.POTENTIAL
    assert tier_of(None, "Customer", 10_000_000.0) is Tier.STRATEGIC
    assert tier_of(None, "Customer", 9_999_999.0) is Tier.KEY
    assert tier_of(None, "Customer", 0.0) is Tier.POTENTIAL
    assert tier_of(None, "", None) is Tier.KEY


# -- deals become opportunities --------------------------------------------------------------------


@pytest.fixture(params=BACKENDS)
def each_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each available backend (the module's ``store`` is the embedded one)."""
    s = make_store(str(request.param), tmp_path)
    try:
        yield s
    finally:
        s.close()


D2, D3, D4, D5 = (f"zcrm_300000000000{n}" for n in (2, 3, 4, 5))
DEAL_COLUMNS = "Record Id,Deal Name,Account Name,Stage,Amount,Closing Date,Created Time,Type,Contact Name"
DEALS_TEXT = f"""
{DEAL_COLUMNS}
{D1},Acme renewal,Acme Corp,Negotiation/Review,120000,2025-06-30,2025-01-20 10:00:00,Existing Business - Renewal,Ada Chief
{D2},Globex pilot,{A2},Closed Won,"$40,000.50",2025-04-15,2025-02-03 08:30:00,New Business,{C3}
{D3},Acme add-on,Acme Corp,Closed-Lost to Competition,,2025-05-31,2025-03-01 00:00:00,,bob@acme.example
{D4},Initech trial,Initech,Closed Lost,5000,2025-02-28,2025-01-05 12:00:00,RENEWAL,
{D5},Side deal,,Qualification,1000,2025-09-30,2025-04-01 09:00:00,,Cy Worker
"""
DEALS = list(csv.DictReader(DEALS_TEXT.strip().splitlines()))

# every opportunity DEALS makes, derived by hand from the rows above
EXPECTED_DEALS = {
    D1: Opportunity(D1, A1, "Acme renewal", date(2025, 1, 20), 120_000.0, close_date=date(2025, 6, 30),
                    stage="Negotiation/Review", status="open", renewal=True, contact_ids=(C1,)),
    D2: Opportunity(D2, A2, "Globex pilot", date(2025, 2, 3), 40_000.5, close_date=date(2025, 4, 15),
                    stage="Closed Won", status="won", contact_ids=(C3,)),
    D3: Opportunity(D3, A1, "Acme add-on", date(2025, 3, 1), 0.0, close_date=date(2025, 5, 31),
                    stage="Closed-Lost to Competition", status="lost", contact_ids=(C2,)),
    D4: Opportunity(D4, A3, "Initech trial", date(2025, 1, 5), 5_000.0, close_date=date(2025, 2, 28),
                    stage="Closed Lost", status="lost", renewal=True),
}  # fmt: skip


def test_deals_become_opportunities_and_show_in_the_account(each_store: GraphStore, tmp_path: Path) -> None:
    export = {**EXPORT, "Deals.csv": DEALS}
    report = run_import(each_store, ZohoSource(write_export(tmp_path / "export", export), each_store))
    assert report.rows_rejected == 0
    got = {}
    for account in (A1, A2, A3):
        got.update({o.id: o for o in each_store.account_subgraph(account, date(2025, 12, 31)).opportunities})
    assert got == EXPECTED_DEALS
    deals = report.objects["Deals.csv"]
    assert (deals.read, deals.imported, deals.merged, deals.skipped_rows, deals.rejected) == (5, 4, 0, 1, 0)
    assert deals.became() == "4 opportunities; 1 skipped (no account)"
    k = report.kinds["opportunity"]
    assert deals.read == k.created + k.updated + k.unchanged + deals.skipped_rows + deals.rejected
    # the QBR, related to the deal "Acme renewal" by name, is still about Acme
    qbr = {i.id: i for i in each_store.account_subgraph(A1, date(2025, 12, 31)).interactions}
    assert qbr["zcrm_4000000000001"].accounts == (A1,)
    # before a deal was created it is not there
    assert each_store.account_subgraph(A1, date(2025, 1, 19)).opportunities == ()
    again = run_import(each_store, ZohoSource(write_export(tmp_path / "export", export), each_store))
    assert again.changed == 0 and again.kinds["opportunity"].unchanged == 4


def test_bad_deals_name_file_line_and_column(store: GraphStore, tmp_path: Path) -> None:
    deals = [dict(r) for r in DEALS]
    deals[1]["Closing Date"] = ""  # won without a closing date
    deals[2]["Created Time"] = ""
    deals[3]["Amount"] = "a lot"
    deals[4]["Account Name"] = "Nowhere Ltd"
    deals[0]["Contact Name"] = "Zed Nobody"
    export = {**EXPORT, "Deals.csv": deals}
    with pytest.raises(ImportRejected) as caught:
        run_import(store, ZohoSource(write_export(tmp_path / "export", export), store))
    problems = [str(p) for p in caught.value.problems if p.file == "Deals.csv"]
    assert problems == [
        "Deals.csv:2: column Contact Name: no contact named 'Zed Nobody' in Contacts.csv",
        "Deals.csv:3: column Closing Date: a won deal needs its Closing Date",
        "Deals.csv:4: column Created Time: must not be empty (the day the deal was created)",
        "Deals.csv:5: column Amount: 'a lot' is not a number",
        "Deals.csv:6: column Account Name: no account named 'Nowhere Ltd' in Accounts.csv",
    ]
    no_created = {"Deals.csv": [{k: v for k, v in r.items() if k != "Created Time"} for r in DEALS]}
    with pytest.raises(ImportRejected, match=r"Deals\.csv:1: column Created Time: missing required column"):
        run_import(store, ZohoSource(write_export(tmp_path / "no-created", no_created), store))


def test_a_deal_of_an_unknown_account_id_is_rejected(store: GraphStore, tmp_path: Path) -> None:
    deals = [dict(DEALS[1], **{"Account Name": "zcrm_1999999999999"})]
    export = {**EXPORT, "Deals.csv": deals}
    folder = write_export(tmp_path / "export", export)
    with pytest.raises(ImportRejected) as caught:
        run_import(store, ZohoSource(folder, store))
    assert [str(p) for p in caught.value.problems] == [
        "Deals.csv:2: column Account Name: unknown account 'zcrm_1999999999999' "
        "(neither in this import nor in the store)"
    ]
    report = run_import(store, ZohoSource(folder, store), lenient=True, reject_file=tmp_path / "r.csv")
    deals_report = report.objects["Deals.csv"]
    assert (deals_report.read, deals_report.imported, deals_report.rejected) == (1, 0, 1)
    assert store.counts()["opportunity"] == 0


def test_deal_status_by_stage() -> None:
    assert deal_status("Closed Won") is OpportunityStatus.WON
    assert deal_status(" CLOSED LOST ") is OpportunityStatus.LOST
    assert deal_status("Closed-Lost to Competition") is OpportunityStatus.LOST
    assert deal_status("Proposal/Price Quote") is OpportunityStatus.OPEN
    assert deal_status("") is OpportunityStatus.OPEN
