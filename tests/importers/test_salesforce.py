"""Tests of the Salesforce data export importer, end to end into the embedded store."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from graph.model import (
    CaseSeverity,
    Contact,
    Contract,
    InteractionKind,
    Level,
    Opportunity,
    Role,
    Staff,
    SupportCase,
    TeamRole,
    Tier,
)
from graph.store import GraphStore
from importers.base import ImportContext, ImportRejected, ImportReport, get_importer, run_import
from importers.salesforce import (
    SalesforceSource,
    contract_end,
    id_suffix,
    level_from_title,
    load_mapping,
    map_roles,
    salesforce_id,
)
from tests.conftest import BACKENDS, make_store

# a small Salesforce data export, as Salesforce writes it (every value quoted)
EXPORT_TEXT = {
    "User.csv": """
Id,FirstName,LastName,Email,Title
005A,Sam,Rep,sam@ourco.example,Account Director
005B,Kim,Tech,kim@ourco.example,Sales Engineer
""",
    "Account.csv": """
Id,Name,Industry,BillingCountry,Rating,AnnualRevenue,OwnerId,Website
001A,Acme Corp,Manufacturing,Germany,Hot,2500000,005A,https://www.acme.example/
001B,Globex,Energy,France,,,005A,globex.example
""",
    "Contact.csv": """
Id,AccountId,FirstName,LastName,Email,Title,Department,ReportsToId
003A,001A,Ada,Chief,ada@acme.example,Chief Financial Officer,Finance,
003B,001A,Bob,Boss,bob@acme.example,IT Director,IT,003A
003C,001B,Cy,Worker,cy@globex.example,Systems Engineer,IT,
""",
    "AccountContactRelation.csv": """
AccountId,ContactId,Roles,StartDate,EndDate,IsActive,IsDirect
001A,003A,Economic Buyer;Decision Maker,2020-01-01,,true,true
001A,003B,Technical Buyer,2021-03-01,,true,true
001B,003B,Influencer,2018-01-01,2021-02-28,false,false
""",
    "Opportunity.csv": """
Id,AccountId,Name,StageName,CloseDate,CreatedDate,Amount,IsClosed,IsWon,Type
006A,001A,Acme renewal,Negotiation/Review,2025-09-30,2025-01-10T08:00:00.000Z,120000,false,false,Existing Customer - Renewal
""",
    "OpportunityContactRole.csv": """
ContactId,OpportunityId,Role
003B,006A,Business User
""",
    "AccountTeamMember.csv": """
AccountId,UserId,TeamMemberRole
001A,005A,Account Manager
001A,005B,Pre-Sales Consultant
001B,005A,Sales Rep
""",
    "Event.csv": """
Id,Subject,StartDateTime,Type,OwnerId,WhoId,WhatId,IsDeleted
00UA,QBR,2025-03-04T09:00:00.000Z,Meeting,005A,003A,006A,false
00UB,Board briefing,2025-05-06T14:30:00.000Z,Executive Visit,005A,003A,001A,false
""",
    "EventRelation.csv": """
EventId,RelationId
00UA,003B
00UA,005B
00UA,00QX
""",
    "Task.csv": """
Id,WhoId,WhatId,OwnerId,ActivityDate,Type,Subject,Status,IsDeleted
00TA,003C,,005A,2025-02-10,Call,Check-in,Completed,false
00TB,003B,001A,005B,2025-04-01,Email,Specs,Completed,false
00TC,003B,001A,005B,2026-12-01,Call,Follow up,Not Started,false
00TD,00QZ,,005A,2025-01-15,Call,Cold call,Completed,false
""",
}
EXPORT: dict[str, list[dict[str, str]]] = {
    name: list(csv.DictReader(text.strip().splitlines())) for name, text in EXPORT_TEXT.items()
}

N_ROWS = sum(len(rows) for rows in EXPORT.values())


def write_export(
    folder: Path,
    export: dict[str, list[dict[str, str]]] = EXPORT,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in export.items():
        with open(folder / name, "w", encoding=encoding, newline="") as handle:
            writer = csv.DictWriter(
                handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL, delimiter=delimiter
            )
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
    source = SalesforceSource(write_export(tmp_path / "export"), store)
    report = run_import(store, source)
    assert report.rows_read == N_ROWS and report.rows_rejected == 0

    accounts = store.get_accounts(["001A", "001B"])
    assert accounts["001A"].tier is Tier.STRATEGIC
    assert accounts["001A"].domains == ("acme.example",)
    assert accounts["001A"].annual_revenue == 2_500_000
    assert accounts["001A"].industry == "manufacturing" and accounts["001A"].owner == "005A"
    assert accounts["001B"].tier is Tier.KEY

    people = store.get_people(["005A", "003A", "003B"])
    assert isinstance(people["005A"], Staff) and people["005A"].email == "sam@ourco.example"
    assert people["003A"].level is Level.EXECUTIVE and people["003B"].level is Level.MANAGEMENT

    jobs = store.employments_of(["003A", "003B", "003C"])
    (ada,) = jobs["003A"]
    assert ada.roles == {Role.ECONOMIC_BUYER, Role.DECISION_MAKER} and ada.since == date(2020, 1, 1)
    assert ada.title == "Chief Financial Officer"
    bob = {e.account_id: e for e in jobs["003B"]}
    assert bob["001A"].roles == {Role.TECHNICAL_BUYER, Role.USER_BUYER}  # + the opportunity role
    assert bob["001B"].until == date(2021, 2, 28) and bob["001B"].roles == {Role.INFLUENCER}
    (cy,) = jobs["003C"]  # from Contact.AccountId: no AccountContactRelation for the pair
    assert cy.account_id == "001B" and cy.since is None

    teams = store.teams_of(["001A"], date(2025, 6, 1))
    assert {(m.staff_id, m.team_role) for m in teams["001A"]} == {
        ("005A", TeamRole.ACCOUNT_REP),
        ("005B", TeamRole.SOLUTION_SPECIALIST),
    }

    sub = store.account_subgraph("001A", date(2025, 12, 31))
    assert {(r.contact_id, r.manager_id) for r in sub.reporting_lines} == {("003B", "003A")}
    meetings = {i.id: i for i in sub.interactions}
    assert meetings["00UA"].participants == ("003A", "003B", "005A", "005B")  # the lead is left out
    assert meetings["00UA"].kind is InteractionKind.MEETING and meetings["00UA"].accounts == ("001A",)
    assert meetings["00UB"].kind is InteractionKind.EXEC_VISIT
    assert meetings["00TB"].kind is InteractionKind.EMAIL and meetings["00TB"].source == "salesforce"
    assert "00TC" not in meetings  # open task
    globex = store.account_subgraph("001B", date(2025, 12, 31))
    about = {i.id: i.accounts for i in globex.interactions}
    assert about["00TA"] == ("001B",)  # ABOUT the contact's account
    assert store.counts()["interaction"] == 4
    assert "1 lead participants" in " ".join(report.notes)  # 00QX attends 00UA


# What each file of EXPORT becomes, derived by hand from the rows above:
# (read, imported, merged, skipped, rejected, records written per kind)
EXPECTED_OBJECTS = {
    "User.csv": (2, 2, 0, 0, 0, {"staff": 2}),
    "Account.csv": (2, 2, 0, 0, 0, {"account": 2}),
    # 003A and 003B have AccountContactRelation rows for their AccountId: only 003C's AccountId
    # is a position; 003B reports to 003A
    "Contact.csv": (3, 3, 0, 0, 0, {"contact": 3, "employment": 1, "reporting_line": 1}),
    "AccountContactRelation.csv": (3, 3, 0, 0, 0, {"employment": 3}),
    "Opportunity.csv": (1, 1, 0, 0, 0, {"opportunity": 1}),  # also tells 006A's account
    # a role on Bob's relation at 001A, and Bob is a contact of 006A
    "OpportunityContactRole.csv": (1, 0, 1, 0, 0, {}),
    "AccountTeamMember.csv": (3, 3, 0, 0, 0, {"team_membership": 3}),
    "Event.csv": (2, 2, 0, 0, 0, {"interaction": 2}),
    "EventRelation.csv": (3, 0, 2, 1, 0, {}),  # 003B and 005B attend 00UA; 00QX is a lead
    "Task.csv": (4, 2, 0, 2, 0, {"interaction": 2}),  # 00TC is open, 00TD has only a lead
}


def test_the_summary_adds_up_per_object(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export")
    report = run_import(store, SalesforceSource(folder, store))
    got = {
        name: (o.read, o.imported, o.merged, o.skipped_rows, o.rejected, dict(o.records))
        for name, o in report.objects.items()
    }
    assert got == EXPECTED_OBJECTS
    # 24 rows = 18 imported + 3 merged + 3 skipped + 0 rejected
    assert (report.rows_read, report.rows_imported, report.rows_merged, report.rows_skipped) == (24, 18, 3, 3)
    assert report.objects["EventRelation.csv"].became() == "participants of 1 interaction; 1 skipped (lead)"
    assert report.objects["Task.csv"].became() == "2 interactions; 2 skipped (lead only 1, open task 1)"
    assert report.objects["OpportunityContactRole.csv"].became() == (
        "roles of 1 position, contacts of 1 opportunity"
    )
    assert report.objects["Opportunity.csv"].became() == "1 opportunity"
    written = {"staff": 2, "account": 2, "contact": 3, "employment": 4, "reporting_line": 1,
               "team_membership": 3, "interaction": 4, "opportunity": 1}  # fmt: skip
    assert {k: n for k, n in report.written.items() if n} == written
    for kind, n in written.items():  # an empty store: every record is new
        counts = report.kinds[kind]
        assert (counts.created, counts.updated, counts.unchanged) == (n, 0, 0), kind
    assert (
        "24 rows read: 18 imported, 3 merged into other records, 3 skipped, 0 rejected" in report.lines()[0]
    )

    again = run_import(store, SalesforceSource(folder, store))
    for kind, n in written.items():  # the same export again: every record is unchanged
        counts = again.kinds[kind]
        assert (counts.created, counts.updated, counts.unchanged) == (0, 0, n), kind


def test_reimport_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export")
    run_import(store, SalesforceSource(folder, store))
    again = run_import(store, SalesforceSource(folder, store))
    assert again.changed == 0
    assert again.rows_read == N_ROWS


def test_through_the_registry_with_a_mapping_file(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "AccountContactRelation.csv", 0, Roles="Budget Holder")
    export = changed(export, "AccountTeamMember.csv", 2, TeamMemberRole="Renewal Manager")
    folder = write_export(tmp_path / "export", export)
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[roles]\n"Budget Holder" = ["economic_buyer"]\n'
        '[team_roles]\n"Renewal Manager" = "customer_success"\n'
    )
    info = get_importer("salesforce")
    source = info.factory(folder, ImportContext(store, {"mapping": str(mapping)}))
    run_import(store, source)
    assert store.employments_of(["003A"])["003A"][0].roles == {Role.ECONOMIC_BUYER}
    team = store.teams_of(["001B"], date(2025, 1, 1))["001B"]
    assert [m.team_role for m in team] == [TeamRole.CUSTOMER_SUCCESS]

    as_json = tmp_path / "map.json"
    as_json.write_text(json.dumps({"roles": {"Budget Holder": "economic_buyer"}}))
    assert map_roles("budget holder", load_mapping(as_json)) == ["economic_buyer"]


def test_bad_mapping_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"roles": {"Budget Holder": "wallet"}, "colours": {}}))
    with pytest.raises(ImportRejected) as caught:
        load_mapping(bad)
    text = str(caught.value)
    assert "bad.json: column roles.budget holder: 'wallet' is not one of economic_buyer" in text
    assert "colours: unknown table" in text
    broken = tmp_path / "broken.toml"
    broken.write_text("[roles\n")
    with pytest.raises(ImportRejected, match="cannot read the mapping file"):
        load_mapping(broken)


def _strict_fails(store: GraphStore, folder: Path, options: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        run_import(store, get_importer("salesforce").factory(folder, ImportContext(store, options or {})))
    assert store.counts()["account"] == 0 and store.counts()["interaction"] == 0
    return [str(p) for p in caught.value.problems]


def test_unknown_role_and_team_role_are_reported_where_they_are(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "AccountContactRelation.csv", 1, Roles="Technical Buyer;Wizard")
    export = changed(export, "AccountTeamMember.csv", 0, TeamMemberRole="Mascot")
    export = changed(export, "OpportunityContactRole.csv", 0, Role="Sponsor-ish")
    problems = _strict_fails(store, write_export(tmp_path / "export", export))
    assert any(
        p.startswith("AccountContactRelation.csv:3: column Roles: 'Wizard' is not a") for p in problems
    )
    assert any(p.startswith("OpportunityContactRole.csv:2: column Role: 'Sponsor-ish'") for p in problems)
    assert any(p.startswith("AccountTeamMember.csv:2: column TeamMemberRole: 'Mascot'") for p in problems)


def test_malformed_values(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "Task.csv", 1, ActivityDate="04/01/2025")
    export = changed(export, "Account.csv", 1, AnnualRevenue="lots", Rating="Lukewarm")
    export = changed(export, "Contact.csv", 2, Email="cy-at-globex")
    export = changed(export, "AccountContactRelation.csv", 2, EndDate="")
    export = changed(export, "Event.csv", 1, Type="Party")
    problems = _strict_fails(store, write_export(tmp_path / "export", export))
    expected = [
        "Account.csv:3: column Rating: 'Lukewarm' is not a known tier",
        "Account.csv:3: column AnnualRevenue: 'lots' is not a number",
        "Contact.csv:4: column Email: 'cy-at-globex' is not a valid email address",
        "AccountContactRelation.csv:4: column EndDate: the relation is inactive",
        "Event.csv:3: column Type: 'Party' is not a known activity type",
        "Task.csv:3: column ActivityDate: '04/01/2025' is not a date-time",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)


def test_inactive_end_option(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", changed(EXPORT, "AccountContactRelation.csv", 2, EndDate=""))
    source = get_importer("salesforce").factory(folder, ImportContext(store, {"inactive_end": "2022-06-30"}))
    run_import(store, source)
    bob = {e.account_id: e for e in store.employments_of(["003B"])["003B"]}
    assert bob["001B"].until == date(2022, 6, 30)
    with pytest.raises(ImportRejected, match="unknown option"):
        get_importer("salesforce").factory(folder, ImportContext(store, {"colour": "blue"}))


def test_unknown_references_and_duplicates(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "AccountTeamMember.csv", 1, UserId="005Z")
    export = changed(export, "EventRelation.csv", 0, RelationId="003Z")
    export["Account.csv"].append(dict(export["Account.csv"][0]))
    problems = _strict_fails(store, write_export(tmp_path / "export", export))
    assert any(p.startswith("Account.csv:4: column Id: duplicate account '001A'") for p in problems), problems
    assert any(p.startswith("AccountTeamMember.csv:3: column UserId: unknown staff '005Z'") for p in problems)
    assert any(
        p.startswith("EventRelation.csv:2: column RelationId: unknown person '003Z'") for p in problems
    )


def test_missing_column_empty_file_wrong_delimiter_non_utf8(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export")
    (folder / "AccountTeamMember.csv").write_text("AccountId,UserId\n001A,005A\n")
    (folder / "Opportunity.csv").write_text("")
    (folder / "User.csv").write_text("Id;Name\n005A;Sam\n")
    (folder / "Task.csv").write_bytes(
        b"Id,Subject,ActivityDate,OwnerId,WhoId\n00TA,Caf\xe9,2025-01-01,005A,003C\n"
    )
    problems = _strict_fails(store, folder)
    joined = "\n".join(problems)
    assert "AccountTeamMember.csv:1: column TeamMemberRole: missing required column" in joined
    assert "Opportunity.csv: empty file" in joined
    assert "User.csv:1: expected comma-separated values" in joined
    assert "Task.csv:2: column byte 9: is not valid UTF-8" in joined


def test_lenient_imports_the_good_rows_and_rejects_the_rest(store: GraphStore, tmp_path: Path) -> None:
    export = changed(EXPORT, "Task.csv", 1, ActivityDate="someday")
    export = changed(export, "AccountContactRelation.csv", 0, Roles="Wizard")
    folder = write_export(tmp_path / "export", export)
    rejects = tmp_path / "rejects.csv"
    report = run_import(store, SalesforceSource(folder, store), lenient=True, reject_file=rejects)
    assert report.rows_rejected == 2
    assert (report.rows_imported, report.rows_merged, report.rows_skipped) == (16, 3, 3)  # 006A imports
    assert report.rows_imported + report.rows_merged + report.rows_skipped + report.rows_rejected == N_ROWS
    assert report.objects["AccountContactRelation.csv"].rejected == 1
    assert report.objects["Task.csv"].rejected == 1
    with open(rejects, encoding="utf-8", newline="") as handle:
        rejected = list(csv.DictReader(handle))
    assert [(r["file"], r["line"], r["column"]) for r in rejected] == [
        ("AccountContactRelation.csv", "2", "Roles"),
        ("Task.csv", "3", "ActivityDate"),
    ]
    assert rejected[1]["row"].startswith('"00TB"')
    assert store.counts()["interaction"] == 3
    assert "00TB" not in {i.id for i in store.account_subgraph("001A", date(2025, 12, 31)).interactions}
    # Ada's only relation was rejected: she keeps the position of her Contact.AccountId
    (ada,) = store.employments_of(["003A"])["003A"]
    assert (ada.account_id, ada.since, ada.roles, ada.title) == (
        "001A",
        None,
        frozenset(),
        "Chief Financial Officer",
    )


def test_not_an_export(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match="does not exist"):
        SalesforceSource(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    rows = list(SalesforceSource(tmp_path / "empty").rows())
    assert rows[0].fatal and "no Salesforce export files here" in str(rows[0].problems[0])


def test_level_from_title() -> None:
    assert level_from_title("Managing Director") is Level.EXECUTIVE
    assert level_from_title("Head of Procurement") is Level.MANAGEMENT
    assert level_from_title("") is None


def test_an_indirect_relation_runs_beside_the_direct_one(store: GraphStore, tmp_path: Path) -> None:
    # Bob's indirect relation to Globex is active and starts after his direct one at Acme:
    # Salesforce allows both at once, so neither ends the other.
    export = changed(
        EXPORT,
        "AccountContactRelation.csv",
        2,
        StartDate="2023-06-01",
        EndDate="",
        IsActive="true",
        IsDirect="false",
    )
    report = run_import(store, SalesforceSource(write_export(tmp_path / "export", export), store))
    assert report.job_changes == []
    bob = {e.account_id: e for e in store.employments_of(["003B"])["003B"]}
    assert bob["001A"].until is None and bob["001B"].until is None
    assert bob["001B"].since == date(2023, 6, 1)


# -- Ids: 15 and 18 characters ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("short", "suffix"),
    [
        # blocks 001A0 | 00000 | BcDeF: upper case at 3 -> 8 = I; none -> 0 = A; 0, 2, 4 -> 21 = V
        ("001A000000BcDeF", "IAV"),
        # a0B5g | 00000 | XyZqR: 2 -> 4 = E; A; 0, 2, 4 -> 21 = V
        ("a0B5g00000XyZqR", "EAV"),
        # 001AB | CDE00 | 000ZZ: 3, 4 -> 24 = Y; 0, 1, 2 -> 7 = H; 3, 4 -> 24 = Y
        ("001ABCDE00000ZZ", "YHY"),
        # ABCDE | FGHIJ | KLMNO: every bit -> 31 = 5 (the last letter of the alphabet)
        ("ABCDEFGHIJKLMNO", "555"),
    ],
)
def test_id_suffix_by_hand(short: str, suffix: str) -> None:
    assert id_suffix(short) == suffix
    assert salesforce_id(short) == short + suffix
    assert salesforce_id(short + suffix) == short + suffix


def test_id_suffix_needs_15_characters() -> None:
    with pytest.raises(ValueError, match="not a 15-character Salesforce Id"):
        id_suffix("001A")


ACME15, ACME18 = "001A000000BcDeF", "001A000000BcDeFIAV"
ADA15, ADA18 = "003A000000AdAaa", "003A000000AdAaaIAF"  # blocks 003A0 (I), 00000 (A), AdAaa (0, 2 -> 5 = F)


def test_15_and_18_character_ids_are_the_same_record(store: GraphStore, tmp_path: Path) -> None:
    assert salesforce_id(ADA15) == ADA18
    ada18 = ADA18
    first = {
        "Account.csv": [{"Id": ACME15, "Name": "Acme"}],
        "Contact.csv": [{"Id": ada18, "AccountId": ACME18, "LastName": "Ada", "Title": "CFO"}],
        "User.csv": [{"Id": "005A", "Name": "Sam"}],
        "Task.csv": [
            {"Id": "00TA", "WhoId": ADA15, "WhatId": ACME15, "OwnerId": "005A", "ActivityDate": "2025-02-10",
             "Type": "Call", "Status": "Completed"},
        ],
    }  # fmt: skip
    report = run_import(store, SalesforceSource(write_export(tmp_path / "a", first), store))
    assert report.rows_rejected == 0
    assert list(store.get_accounts([ACME18])) == [ACME18]
    assert [e.account_id for e in store.employments_of([ada18])[ada18]] == [ACME18]
    (task,) = store.account_subgraph(ACME18, date(2025, 12, 31)).interactions
    assert task.participants == (ada18, "005A") and task.accounts == (ACME18,)
    # the same records, every Id in 18 characters now: nothing changes
    second = {name: [{k: salesforce_id(v) if k.endswith("Id") else v for k, v in r.items()} for r in rows]
              for name, rows in first.items()}  # fmt: skip
    assert second["Account.csv"][0]["Id"] == ACME18
    again = run_import(store, SalesforceSource(write_export(tmp_path / "b", second), store))
    assert again.changed == 0 and store.counts()["account"] == 1 and store.counts()["contact"] == 1


# -- shared activities: EventRelation rows naming accounts, WhatId of opportunities and cases ------

SHARED = {
    "User.csv": [{"Id": "005A", "Name": "Sam"}],
    "Account.csv": [{"Id": "001A", "Name": "Acme"}, {"Id": "001B", "Name": "Globex"}],
    "Contact.csv": [
        {"Id": "003A", "AccountId": "001A", "LastName": "Ada", "Title": ""},
        {"Id": "003C", "AccountId": "001B", "LastName": "Cy", "Title": ""},
    ],
    "Opportunity.csv": [
        {
            "Id": "006A",
            "AccountId": "001A",
            "Name": "Expansion",
            "StageName": "Prospecting",
            "CloseDate": "2025-12-31",
            "CreatedDate": "2025-01-02T10:00:00.000Z",
        },
    ],
    "Case.csv": [{"Id": "500A", "AccountId": "001B", "CreatedDate": "2025-03-30T10:00:00.000Z"}],
    "Event.csv": [
        {"Id": "00U1", "StartDateTime": "2025-03-04T09:00:00Z", "OwnerId": "005A", "WhoId": "", "WhatId": ""},
        {"Id": "00U2", "StartDateTime": "2025-03-05T09:00:00Z", "OwnerId": "005A", "WhoId": "", "WhatId": ""},
        {
            "Id": "00U3",
            "StartDateTime": "2025-03-06T09:00:00Z",
            "OwnerId": "005A",
            "WhoId": "003A",
            "WhatId": "",
        },
    ],
    "EventRelation.csv": [
        {"EventId": "00U1", "RelationId": "003C", "IsWhat": "false"},
        {"EventId": "00U1", "RelationId": "001B", "IsWhat": "true"},  # the related account
        {"EventId": "00U2", "RelationId": "003A", "IsWhat": "false"},
        {"EventId": "00U2", "RelationId": "006A", "IsWhat": "true"},  # an opportunity: its account
        {"EventId": "00U3", "RelationId": "00QL", "IsWhat": "false"},  # a lead
        {"EventId": "00U3", "RelationId": "701C", "IsWhat": "false"},  # a campaign
        {"EventId": "00U3", "RelationId": "a0XQ", "IsWhat": "true"},  # a custom object
    ],
    "Task.csv": [
        {
            "Id": "00T1",
            "WhoId": "003C",
            "WhatId": "500A",
            "OwnerId": "005A",
            "ActivityDate": "2025-04-01",
            "Status": "Completed",
        },  # a case of Globex
        {
            "Id": "00T2",
            "WhoId": "003C",
            "WhatId": "006A",
            "OwnerId": "005A",
            "ActivityDate": "2025-04-02",
            "Status": "Completed",
        },  # an opportunity of Acme (Cy works at Globex)
        {
            "Id": "00T3",
            "WhoId": "00QL",
            "WhatId": "",
            "OwnerId": "005A",
            "ActivityDate": "2025-04-03",
            "Status": "Completed",
        },  # only a lead
    ],
}


def test_shared_activities_whats_and_skips(store: GraphStore, tmp_path: Path) -> None:
    report = run_import(store, SalesforceSource(write_export(tmp_path / "shared", SHARED), store))
    assert report.rows_rejected == 0
    acme = {i.id: i for i in store.account_subgraph("001A", date(2025, 12, 31)).interactions}
    globex = {i.id: i for i in store.account_subgraph("001B", date(2025, 12, 31)).interactions}
    assert globex["00U1"].accounts == ("001B",) and globex["00U1"].participants == ("003C", "005A")
    assert acme["00U2"].accounts == ("001A",) and acme["00U2"].participants == ("003A", "005A")
    assert acme["00U3"].accounts == ("001A",)  # WhoId's account
    assert globex["00T1"].accounts == ("001B",) and acme["00T2"].accounts == ("001A",)
    assert "00T3" not in acme and "00T3" not in globex
    relations = report.objects["EventRelation.csv"]
    assert (relations.read, relations.merged, relations.skipped_rows) == (7, 4, 3)
    assert dict(relations.skipped) == {
        "lead": 1,
        "other object (prefix 701)": 1,
        "other object (prefix a0X)": 1,
    }
    assert relations.became() == (
        "participants of 2 interactions, account of 2 interactions; 3 skipped "
        "(lead 1, other object (prefix 701) 1, other object (prefix a0X) 1)"
    )
    assert dict(report.objects["Task.csv"].skipped) == {"lead only": 1}
    assert report.objects["Case.csv"].became() == "1 support case"  # and it tells 500A's account


def test_an_opportunity_or_case_not_in_the_export(store: GraphStore, tmp_path: Path) -> None:
    export = changed(SHARED, "EventRelation.csv", 3, RelationId="006Z")
    export = changed(export, "Task.csv", 0, WhatId="500Z")
    problems = _strict_fails(store, write_export(tmp_path / "shared", export))
    assert (
        "EventRelation.csv:5: column RelationId: unknown opportunity '006Z' (not in Opportunity.csv)"
        in problems
    )
    assert "Task.csv:2: column WhatId: unknown case '500Z' (not in Case.csv)" in problems


def test_an_unknown_contact_in_event_relation_is_still_an_error(store: GraphStore, tmp_path: Path) -> None:
    export = changed(SHARED, "EventRelation.csv", 0, RelationId="003Q")
    problems = _strict_fails(store, write_export(tmp_path / "shared", export))
    assert problems == [
        "EventRelation.csv:2: column RelationId: unknown person '003Q' (neither a contact nor a user, here or stored)"
    ]


# -- no orphans after --lenient -----------------------------------------------------------------


def test_a_contact_whose_relations_are_all_rejected_and_has_no_account_id_is_rejected(
    store: GraphStore, tmp_path: Path
) -> None:
    export = changed(EXPORT, "Contact.csv", 0, AccountId="")  # Ada: no AccountId to fall back on
    export = changed(export, "AccountContactRelation.csv", 0, StartDate="soon")
    rejects = tmp_path / "rejects.csv"
    folder = write_export(tmp_path / "export", export)
    report = run_import(store, SalesforceSource(folder, store), lenient=True, reject_file=rejects)
    assert "003A" not in store.get_people(["003A"])
    with open(rejects, encoding="utf-8", newline="") as handle:
        rejected = {(r["file"], r["line"]): r["reason"] for r in csv.DictReader(handle)}
    assert rejected[("Contact.csv", "2")] == (
        "contact '003A' is rejected with its position rows (AccountContactRelation.csv:2): it would have no account"
    )
    assert rejected[("AccountContactRelation.csv", "2")].startswith("'soon' is not a date")
    # what pointed at Ada is rejected on the way: Bob's reporting line (row of Bob), the events with her
    assert ("Contact.csv", "3") in rejected and ("Event.csv", "2") in rejected
    assert report.rows_imported + report.rows_merged + report.rows_skipped + report.rows_rejected == N_ROWS
    for contact, positions in store.employments_of(["003B", "003C"]).items():
        assert positions, contact  # nobody written is left without a position


# -- encodings, delimiters, dates, titles -----------------------------------------------------------

EUROPE = {
    "Account.csv": [{"Id": "001A", "Name": "Müller & Söhne GmbH", "BillingCountry": "Österreich"}],
    "Contact.csv": [
        {"Id": "003A", "AccountId": "001A", "LastName": "Jürgen Weiß", "Title": "Geschäftsführer"},
        {
            "Id": "003B",
            "AccountId": "001A",
            "LastName": "Zoë Lefèvre",
            "Title": "Directrice générale adjointe",
        },
        {"Id": "003C", "AccountId": "001A", "LastName": "José Peña", "Title": "Jefe de Compras"},
        {"Id": "003D", "AccountId": "001A", "LastName": "Anaïs Dupré", "Title": "Acheteuse"},
    ],
    "User.csv": [{"Id": "005A", "Name": "Sam"}],
    "Task.csv": [
        {
            "Id": "00TA",
            "WhoId": "003A",
            "OwnerId": "005A",
            "ActivityDate": "31/01/2025",
            "Status": "Completed",
            "Subject": "Besprechung über Preise",
        },
    ],
}


def _open(store: GraphStore, folder: Path, **options: str) -> SalesforceSource:
    source = get_importer("salesforce").factory(folder, ImportContext(store, options))
    assert isinstance(source, SalesforceSource)
    return source


def test_a_windows_1252_export_names_its_encoding_and_reads_with_the_option(
    store: GraphStore, tmp_path: Path
) -> None:
    folder = write_export(tmp_path / "export", EUROPE, encoding="cp1252")
    with pytest.raises(ImportRejected) as caught:
        run_import(store, _open(store, folder, **{"date-format": "%d/%m/%Y"}))
    first = str(caught.value.problems[0])
    assert first == (
        "Account.csv:2: column byte 10: is not valid UTF-8 (byte 0xfc): the file looks Windows-1252 "
        "(Western European)-encoded (as Excel and many CRMs save CSV in some locales); save it as UTF-8 "
        "(Excel: 'CSV UTF-8') or read it with --option encoding=cp1252"
    )  # '"001A","M' is 9 bytes: the ü is byte 10
    run_import(store, _open(store, folder, encoding="cp1252", **{"date-format": "%d/%m/%Y"}))
    assert store.get_accounts(["001A"])["001A"].name == "Müller & Söhne GmbH"
    people = store.get_people(["003A", "003B", "003C", "003D"])
    assert people["003A"].name == "Jürgen Weiß"
    levels = {k: p.level.value for k, p in people.items() if isinstance(p, Contact) and p.level}
    assert levels == {"003A": "executive", "003B": "executive", "003C": "management", "003D": "operational"}
    (task,) = store.account_subgraph("001A", date(2025, 12, 31)).interactions
    assert task.at.date() == date(2025, 1, 31) and task.subject == "Besprechung über Preise"


def test_day_month_year_dates_name_the_option(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export", EUROPE)
    problems = _strict_fails(store, folder)
    assert problems == [
        "Task.csv:2: column ActivityDate: '31/01/2025' is not a date-time (ISO 8601, e.g. "
        "2025-03-01T09:30:00.000Z): it looks like dd/mm/yyyy; read it with --option date-format=%d/%m/%Y"
    ]
    year_first = write_export(tmp_path / "ymd", changed(EUROPE, "Task.csv", 0, ActivityDate="2025/01/31"))
    assert _strict_fails(store, year_first)[0].endswith(
        "it looks like yyyy/mm/dd; read it with --option date-format=%Y/%m/%d"
    )
    run_import(store, _open(store, year_first, **{"date-format": "%Y/%m/%d"}))
    (task,) = store.account_subgraph("001A", date(2025, 12, 31)).interactions
    assert task.at.date() == date(2025, 1, 31)


def test_a_semicolon_separated_export_names_the_option_and_reads_with_it(
    store: GraphStore, tmp_path: Path
) -> None:
    export = changed(EUROPE, "Task.csv", 0, ActivityDate="2025-01-31")
    folder = write_export(tmp_path / "export", export, delimiter=";")
    problems = _strict_fails(store, folder)
    assert problems[1] == (
        "Account.csv:1: expected comma-separated values, the header looks semicolon-separated (Excel does so "
        'where the decimal separator is a comma): \'"Id";"Name";"BillingCountry"\'; save it comma-separated '
        "or read it with --option delimiter=;"
    )
    run_import(store, _open(store, folder, delimiter=";"))
    assert store.counts()["contact"] == 4


CHINA = {
    "Account.csv": [{"Id": "001A", "Name": "华星电子有限公司", "BillingCountry": "中国"}],
    "Contact.csv": [
        {"Id": "003A", "AccountId": "001A", "LastName": "张伟", "Title": "总经理"},
        {"Id": "003B", "AccountId": "001A", "LastName": "李娜", "Title": "采购总监"},
        {"Id": "003C", "AccountId": "001A", "LastName": "王芳", "Title": "项目经理"},
        {"Id": "003D", "AccountId": "001A", "LastName": "刘洋", "Title": "软件工程师"},
        {"Id": "003E", "AccountId": "001A", "LastName": "陈静", "Title": "首席财务官"},
    ],
}
CHINA_LEVELS = {"003A": "executive", "003B": "management", "003C": "management", "003D": "operational",
                "003E": "executive"}  # fmt: skip


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_chinese_exports_import(store: GraphStore, tmp_path: Path, encoding: str) -> None:
    folder = write_export(tmp_path / "export", CHINA, encoding=encoding)
    if encoding == "gbk":
        problems = _strict_fails(store, folder)
        assert problems[0].endswith(
            "the file looks GBK / GB18030 (Simplified Chinese)-encoded (as Excel and many CRMs save CSV in "
            "some locales); save it as UTF-8 (Excel: 'CSV UTF-8') or read it with --option encoding=gb18030"
        )
        source = _open(store, folder, encoding="gbk")
    else:
        assert (folder / "Account.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark
        source = _open(store, folder)
    run_import(store, source)
    assert store.get_accounts(["001A"])["001A"].name == "华星电子有限公司"
    people = store.get_people(list(CHINA_LEVELS))
    assert {k: p.level.value for k, p in people.items() if isinstance(p, Contact) and p.level} == CHINA_LEVELS
    assert people["003A"].name == "张伟"


def test_title_keywords_are_overridable(store: GraphStore, tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('[titles]\n"Prokurist" = "management"\n"项目经理" = "operational"\n', encoding="utf-8")
    export = changed(CHINA, "Contact.csv", 0, Title="Prokurist")
    folder = write_export(tmp_path / "export", export)
    run_import(store, _open(store, folder, mapping=str(mapping)))
    people = store.get_people(["003A", "003C"])
    assert people["003A"].level is Level.MANAGEMENT  # executive by default
    assert people["003C"].level is Level.OPERATIONAL  # management by default
    bad = tmp_path / "bad.toml"
    bad.write_text('[titles]\n"Boss" = "emperor"\n')
    with pytest.raises(ImportRejected, match=r"column titles\.boss: 'emperor' is not one of executive"):
        load_mapping(bad)


def test_bad_csv_options(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "export")
    with pytest.raises(ImportRejected) as caught:
        _open(store, folder, encoding="klingon", delimiter=";;", **{"date-format": "dd/mm/yyyy"})
    assert [str(p) for p in caught.value.problems] == [
        "--option: column encoding: 'klingon' is not a known encoding (e.g. utf-8, cp1252, latin-1, gbk, gb18030)",
        "--option: column delimiter: ';;' is not one character (or comma, semicolon, tab, pipe)",
        "--option: column date-format: 'dd/mm/yyyy' has no strptime directive (e.g. %d/%m/%Y)",
    ]


# -- business signals: opportunities, cases and contracts ----------------------------------------


@pytest.fixture(params=BACKENDS)
def each_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each available backend (the module's ``store`` is the embedded one)."""
    s = make_store(str(request.param), tmp_path)
    try:
        yield s
    finally:
        s.close()


SIGNALS: dict[str, list[dict[str, str]]] = {
    "User.csv": [{"Id": "005A", "Name": "Sam"}],
    "Account.csv": [{"Id": ACME18, "Name": "Acme"}, {"Id": "001B", "Name": "Globex"}],
    "Contact.csv": [
        {"Id": ADA18, "AccountId": ACME18, "LastName": "Ada"},
        {"Id": "003B", "AccountId": "001B", "LastName": "Bob"},
    ],
    "Opportunity.csv": [
        {"Id": "006A", "AccountId": ACME15, "Name": "Acme renewal 2026", "StageName": "Negotiation/Review",
         "CloseDate": "2026-03-31", "CreatedDate": "2025-11-02T09:15:00.000Z", "Amount": "250000",
         "IsClosed": "false", "IsWon": "false", "Type": "Existing Customer - Renewal", "IsDeleted": "false"},
        {"Id": "006B", "AccountId": "001B", "Name": "Globex pilot", "StageName": "Closed Won",
         "CloseDate": "2025-06-30", "CreatedDate": "2025-02-01T00:00:00.000Z", "Amount": "40000.50",
         "IsClosed": "true", "IsWon": "true", "Type": "New Customer", "IsDeleted": "false"},
        {"Id": "006C", "AccountId": "001B", "Name": "Globex expansion", "StageName": "Closed Lost",
         "CloseDate": "2025-08-15", "CreatedDate": "2025-03-01T00:00:00.000Z", "Amount": "",
         "IsClosed": "true", "IsWon": "false", "Type": "RENEWAL add-on", "IsDeleted": "false"},
        {"Id": "006D", "AccountId": "", "Name": "Side deal", "StageName": "Prospecting",
         "CloseDate": "2025-09-01", "CreatedDate": "2025-04-01T00:00:00.000Z", "Amount": "",
         "IsClosed": "false", "IsWon": "false", "Type": "", "IsDeleted": "false"},
        {"Id": "006E", "AccountId": "001B", "Name": "Old", "StageName": "Prospecting",
         "CloseDate": "2025-09-01", "CreatedDate": "2025-04-01T00:00:00.000Z", "Amount": "",
         "IsClosed": "false", "IsWon": "false", "Type": "", "IsDeleted": "true"},
    ],
    "OpportunityContactRole.csv": [
        {"ContactId": ADA15, "OpportunityId": "006A", "Role": "Economic Buyer"},
        {"ContactId": "003B", "OpportunityId": "006B", "Role": "Technical Buyer"},
        {"ContactId": ADA18, "OpportunityId": "006A", "Role": "Decision Maker"},
    ],
    "Case.csv": [
        {"Id": "500A", "AccountId": ACME15, "ContactId": ADA15, "CreatedDate": "2025-05-02T08:00:00.000Z",
         "ClosedDate": "2025-05-05T17:30:00.000Z", "IsClosed": "true", "Priority": "Urgent",
         "Subject": "Outage in EU", "Type": "Problem", "Reason": "", "IsDeleted": "false",
         "First_Response_Hours__c": "1.5"},
        {"Id": "500B", "AccountId": ACME18, "ContactId": "", "CreatedDate": "2025-06-10T12:00:00.000Z",
         "ClosedDate": "", "IsClosed": "false", "Priority": "Normal", "Subject": "Invoice wrong twice",
         "Type": "Complaint", "Reason": "", "IsDeleted": "false", "First_Response_Hours__c": ""},
        {"Id": "500C", "AccountId": "001B", "ContactId": "003B", "CreatedDate": "2025-07-01T00:00:00.000Z",
         "ClosedDate": "", "IsClosed": "false", "Priority": "Low", "Subject": "Question",
         "Type": "Question", "Reason": "Customer complaint", "IsDeleted": "false",
         "First_Response_Hours__c": "30"},
        {"Id": "500D", "AccountId": "001B", "ContactId": "", "CreatedDate": "2025-07-02T00:00:00.000Z",
         "ClosedDate": "", "IsClosed": "false", "Priority": "High", "Subject": "Gone", "Type": "",
         "Reason": "", "IsDeleted": "true", "First_Response_Hours__c": ""},
    ],
    "Contract.csv": [
        {"Id": "800A", "AccountId": ACME15, "StartDate": "2025-04-01", "EndDate": "", "ContractTerm": "12",
         "StatusCode": "Activated", "CustomerSignedDate": "2025-03-20",
         "ActivatedDate": "2025-03-25T10:00:00.000Z", "Contract_Value__c": "300,000"},
        {"Id": "800B", "AccountId": "001B", "StartDate": "2024-07-01", "EndDate": "2025-06-30",
         "ContractTerm": "", "StatusCode": "Activated", "CustomerSignedDate": "",
         "ActivatedDate": "2024-07-03T09:00:00.000Z", "Contract_Value__c": ""},
        {"Id": "800C", "AccountId": "001B", "StartDate": "2025-07-01", "EndDate": "", "ContractTerm": "12",
         "StatusCode": "Draft", "CustomerSignedDate": "", "ActivatedDate": "", "Contract_Value__c": ""},
    ],
}  # fmt: skip
SIGNAL_OPTIONS = {
    "case-first-response-hours": "First_Response_Hours__c",
    "contract-value": "Contract_Value__c",
}

# every record SIGNALS makes, derived by hand from the rows above
EXPECTED_OPPORTUNITIES = {
    # open: IsClosed false; a renewal by its Type; Ada is in it twice (15- and 18-character Id)
    "006A": Opportunity("006A", ACME18, "Acme renewal 2026", date(2025, 11, 2), 250_000.0,
                        close_date=date(2026, 3, 31), stage="Negotiation/Review", status="open",
                        renewal=True, contact_ids=(ADA18,)),
    "006B": Opportunity("006B", "001B", "Globex pilot", date(2025, 2, 1), 40_000.5,
                        close_date=date(2025, 6, 30), stage="Closed Won", status="won", contact_ids=("003B",)),
    # no Amount is 0; "RENEWAL add-on" is a renewal whatever the case
    "006C": Opportunity("006C", "001B", "Globex expansion", date(2025, 3, 1), 0.0,
                        close_date=date(2025, 8, 15), stage="Closed Lost", status="lost", renewal=True),
}  # fmt: skip
EXPECTED_CASES = {
    "500A": SupportCase("500A", ACME18, date(2025, 5, 2), "critical", closed=date(2025, 5, 5),
                        first_response_hours=1.5, subject="Outage in EU", contact_id=ADA18),
    "500B": SupportCase("500B", ACME18, date(2025, 6, 10), "medium", complaint=True,
                        subject="Invoice wrong twice"),
    "500C": SupportCase("500C", "001B", date(2025, 7, 1), "low", first_response_hours=30.0, complaint=True,
                        subject="Question", contact_id="003B"),
}  # fmt: skip
EXPECTED_CONTRACTS = {
    # 12 months from 2025-04-01 end on 2026-03-31; signed by the customer before activation
    "800A": Contract(
        "800A", ACME18, date(2025, 4, 1), date(2026, 3, 31), 300_000.0, signed=date(2025, 3, 20)
    ),
    "800B": Contract("800B", "001B", date(2024, 7, 1), date(2025, 6, 30), 0.0, signed=date(2024, 7, 3)),
}


def _import_signals(store: GraphStore, folder: Path, **kwargs: Any) -> ImportReport:
    source = get_importer("salesforce").factory(folder, ImportContext(store, SIGNAL_OPTIONS))
    return run_import(store, source, **kwargs)


def test_signals_become_records_and_show_in_the_account(each_store: GraphStore, tmp_path: Path) -> None:
    report = _import_signals(each_store, write_export(tmp_path / "signals", SIGNALS))
    assert report.rows_rejected == 0
    acme = each_store.account_subgraph(ACME18, date(2026, 6, 30))
    globex = each_store.account_subgraph("001B", date(2026, 6, 30))
    got_opportunities = {o.id: o for o in (*acme.opportunities, *globex.opportunities)}
    assert got_opportunities == EXPECTED_OPPORTUNITIES
    assert {c.id: c for c in (*acme.support_cases, *globex.support_cases)} == EXPECTED_CASES
    assert {c.id: c for c in (*acme.contracts, *globex.contracts)} == EXPECTED_CONTRACTS
    # the roles still go to the positions
    (ada,) = each_store.employments_of([ADA18])[ADA18]
    assert ada.roles == {Role.ECONOMIC_BUYER, Role.DECISION_MAKER}
    # as of a day before they were opened or signed, the signals are not there yet
    early = each_store.account_subgraph(ACME18, date(2025, 3, 19))
    assert (early.opportunities, early.support_cases, early.contracts) == ((), (), ())


# (read, imported, merged, skipped, rejected, records per kind), by hand from SIGNALS
EXPECTED_SIGNAL_OBJECTS = {
    "User.csv": (1, 1, 0, 0, 0, {"staff": 1}),
    "Account.csv": (2, 2, 0, 0, 0, {"account": 2}),
    "Contact.csv": (2, 2, 0, 0, 0, {"contact": 2, "employment": 2}),
    "Opportunity.csv": (5, 3, 0, 2, 0, {"opportunity": 3}),  # 006D has no account, 006E is deleted
    "OpportunityContactRole.csv": (3, 0, 3, 0, 0, {}),  # roles of Ada's and Bob's positions
    "Case.csv": (4, 3, 0, 1, 0, {"support_case": 3}),  # 500D is deleted
    "Contract.csv": (3, 2, 0, 1, 0, {"contract": 2}),  # 800C is a draft
}


def test_the_signal_summary_adds_up_per_object(store: GraphStore, tmp_path: Path) -> None:
    folder = write_export(tmp_path / "signals", SIGNALS)
    report = _import_signals(store, folder)
    got = {
        name: (o.read, o.imported, o.merged, o.skipped_rows, o.rejected, dict(o.records))
        for name, o in report.objects.items()
    }
    assert got == EXPECTED_SIGNAL_OBJECTS
    # 20 rows = 13 imported + 3 merged + 4 skipped
    assert (report.rows_read, report.rows_imported, report.rows_merged, report.rows_skipped) == (20, 13, 3, 4)
    assert (
        report.objects["Opportunity.csv"].became() == "3 opportunities; 2 skipped (deleted 1, no account 1)"
    )
    assert report.objects["OpportunityContactRole.csv"].became() == (
        "roles of 2 positions, contacts of 2 opportunities"
    )
    assert report.objects["Case.csv"].became() == "3 support cases; 1 skipped (deleted)"
    assert (
        report.objects["Contract.csv"].became()
        == "2 contracts; 1 skipped (not activated (draft or in approval))"
    )
    # per signal object: rows read = records created + updated + unchanged + skipped + rejected
    for name, kind in (
        ("Opportunity.csv", "opportunity"),
        ("Case.csv", "support_case"),
        ("Contract.csv", "contract"),
    ):
        o, k = report.objects[name], report.kinds[kind]
        assert o.read == k.created + k.updated + k.unchanged + o.skipped_rows + o.rejected, name
        assert (k.created, k.updated, k.unchanged) == (o.imported, 0, 0), name
    again = _import_signals(store, folder)
    assert again.changed == 0
    for name, kind in (
        ("Opportunity.csv", "opportunity"),
        ("Case.csv", "support_case"),
        ("Contract.csv", "contract"),
    ):
        o, k = again.objects[name], again.kinds[kind]
        assert o.read == k.created + k.updated + k.unchanged + o.skipped_rows + o.rejected, name
        assert (k.created, k.updated, k.unchanged) == (0, 0, o.imported), name


def test_signal_rows_of_unknown_accounts_are_rejected(store: GraphStore, tmp_path: Path) -> None:
    export = changed(SIGNALS, "Opportunity.csv", 1, AccountId="001Z")
    export = changed(export, "Case.csv", 2, AccountId="001Z")
    export = changed(export, "Contract.csv", 0, AccountId="001Z")
    folder = write_export(tmp_path / "signals", export)
    problems = _strict_fails(store, folder, SIGNAL_OPTIONS)
    unknown = "unknown account '001Z' (neither in this import nor in the store)"
    assert problems == [
        f"Opportunity.csv:3: column AccountId: {unknown}",
        f"Case.csv:4: column AccountId: {unknown}",
        f"Contract.csv:2: column AccountId: {unknown}",
        # Bob's role on 006B would be a position at the opportunity's account
        f"OpportunityContactRole.csv:3: column OpportunityId: {unknown}",
    ]
    report = _import_signals(store, folder, lenient=True, reject_file=tmp_path / "rejects.csv")
    assert report.rows_rejected == 4
    for name in ("Opportunity.csv", "OpportunityContactRole.csv", "Case.csv", "Contract.csv"):
        o = report.objects[name]
        assert o.rejected == 1 and o.read == o.imported + o.merged + o.skipped_rows + o.rejected
    assert report.kinds["opportunity"].created == 2 and report.kinds["support_case"].created == 2
    assert report.kinds["contract"].created == 1
    assert store.counts()["opportunity"] == 2


def test_bad_signal_values_name_file_line_and_column(store: GraphStore, tmp_path: Path) -> None:
    export = changed(SIGNALS, "Opportunity.csv", 0, CreatedDate="")
    export = changed(export, "Opportunity.csv", 1, CloseDate="", Amount="lots")
    export = changed(export, "Case.csv", 0, Priority="Meh")
    export = changed(export, "Case.csv", 1, IsClosed="true")
    export = changed(
        export, "Case.csv", 2, ClosedDate="2025-06-01T00:00:00.000Z", First_Response_Hours__c="-2"
    )
    export = changed(export, "Contract.csv", 0, ContractTerm="")
    export = changed(export, "Contract.csv", 1, EndDate="", ContractTerm="half")
    export = changed(export, "Contract.csv", 2, StatusCode="Activated", StartDate="01/07/2025")
    problems = _strict_fails(store, write_export(tmp_path / "signals", export), SIGNAL_OPTIONS)
    assert problems == [
        "Opportunity.csv:2: column CreatedDate: must not be empty (the day the opportunity was opened)",
        "Opportunity.csv:3: column Amount: 'lots' is not a number",
        "Case.csv:2: column Priority: 'Meh' is not a known case priority (map it with --option mapping=FILE)",
        "Case.csv:3: column ClosedDate: the case is closed (IsClosed true) but has no ClosedDate",
        "Case.csv:4: column First_Response_Hours__c: '-2' must be a non-negative number",
        "Contract.csv:2: column EndDate: a contract needs an EndDate or a ContractTerm (months)",
        "Contract.csv:3: column ContractTerm: 'half' is not a whole number of months",
        "Contract.csv:4: column StartDate: '01/07/2025' is not a date (YYYY-MM-DD): it looks like dd/mm/yyyy "
        "or mm/dd/yyyy (ambiguous, both are used); read it with --option date-format=%d/%m/%Y or %m/%d/%Y",
    ]
    # a won opportunity without its CloseDate, and a case closed before it was opened
    export = changed(SIGNALS, "Opportunity.csv", 1, CloseDate="")
    export = changed(export, "Case.csv", 2, ClosedDate="2025-06-01T00:00:00.000Z")
    problems = _strict_fails(store, write_export(tmp_path / "again", export), SIGNAL_OPTIONS)
    assert problems == [
        "Opportunity.csv:3: column CloseDate: a won opportunity needs its CloseDate",
        "Case.csv:4: column ClosedDate: '2025-06-01' is before opened 2025-07-01",
    ]


def test_signal_files_need_their_columns(store: GraphStore, tmp_path: Path) -> None:
    export = {name: [dict(r) for r in rows] for name, rows in SIGNALS.items()}
    for row in export["Opportunity.csv"]:
        del row["StageName"]
    for row in export["Case.csv"]:
        del row["First_Response_Hours__c"]  # the option names it: it must be there
    for row in export["Contract.csv"]:
        del row["StartDate"]
    problems = _strict_fails(store, write_export(tmp_path / "signals", export), SIGNAL_OPTIONS)
    assert problems == [
        "Opportunity.csv:1: column StageName: missing required column",
        "Case.csv:1: column First_Response_Hours__c: missing required column",
        "Contract.csv:1: column StartDate: missing required column",
    ]


def test_without_the_column_options_cases_have_no_response_time_and_contracts_no_value(
    store: GraphStore, tmp_path: Path
) -> None:
    run_import(store, SalesforceSource(write_export(tmp_path / "signals", SIGNALS), store))
    acme = store.account_subgraph(ACME18, date(2026, 6, 30))
    assert {c.id: c.first_response_hours for c in acme.support_cases} == {"500A": None, "500B": None}
    assert [(c.id, c.value) for c in acme.contracts] == [("800A", 0.0)]


def test_stage_names_decide_the_status_without_is_closed(store: GraphStore, tmp_path: Path) -> None:
    export = {name: [dict(r) for r in rows] for name, rows in SIGNALS.items()}
    for row in export["Opportunity.csv"]:
        del row["IsClosed"], row["IsWon"]
    run_import(store, SalesforceSource(write_export(tmp_path / "signals", export), store))
    globex = store.account_subgraph("001B", date(2026, 6, 30))
    acme = store.account_subgraph(ACME18, date(2026, 6, 30))
    got = {o.id: o.status.value for o in (*acme.opportunities, *globex.opportunities)}
    assert got == {"006A": "open", "006B": "won", "006C": "lost"}


def test_priorities_are_mappable(store: GraphStore, tmp_path: Path) -> None:
    export = changed(SIGNALS, "Case.csv", 0, Priority="P1")
    mapping = tmp_path / "map.toml"
    mapping.write_text('[severities]\n"P1" = "critical"\n')
    options = {**SIGNAL_OPTIONS, "mapping": str(mapping)}
    source = get_importer("salesforce").factory(
        write_export(tmp_path / "s", export), ImportContext(store, options)
    )
    run_import(store, source)
    cases = {c.id: c for c in store.account_subgraph(ACME18, date(2026, 6, 30)).support_cases}
    assert cases["500A"].severity is CaseSeverity.CRITICAL
    bad = tmp_path / "bad.toml"
    bad.write_text('[severities]\n"P1" = "apocalyptic"\n')
    with pytest.raises(ImportRejected, match=r"severities.p1: 'apocalyptic' is not one of critical, high"):
        load_mapping(bad)


def test_contract_end_from_the_term() -> None:
    assert contract_end(date(2025, 4, 1), 12) == date(2026, 3, 31)
    assert contract_end(date(2024, 2, 29), 12) == date(2025, 2, 28)  # no 29 February in 2025: 1 March - 1
    assert contract_end(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert contract_end(date(2025, 12, 15), 1) == date(2026, 1, 14)
    assert contract_end(date(2025, 3, 1), 36) == date(2028, 2, 29)
