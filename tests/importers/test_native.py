"""The native import (CSV and JSON Lines) end to end into the embedded store, through the framework."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import importers.base
from graph.model import (
    Account,
    Contact,
    Contract,
    Employment,
    InteractionKind,
    Level,
    Opportunity,
    ReferralStatus,
    Role,
    Staff,
    Stance,
    SupportCase,
    SurveyResponse,
    TeamRole,
    Tier,
    UsageSample,
)
from graph.store import SIGNAL_KINDS, GraphBatch, GraphStore
from importers.base import ImportRejected, ImportReport, Problem, run_import
from importers.export import export_store
from importers.native import NativeSource
from tests.importers.native_data import NATIVE_CSV, as_jsonl, data_rows, write_csv, write_jsonl


def _import(store: GraphStore, folder: Path, fmt: str = "csv", **kwargs: object) -> ImportReport:
    return run_import(store, NativeSource(folder, fmt), **kwargs)  # type: ignore[arg-type]


def _write(folder: Path, fmt: str, files: dict[str, str] | None = None) -> Path:
    return write_csv(folder, files) if fmt == "csv" else write_jsonl(folder, files)


def _with(stem: str, text: str) -> dict[str, str]:
    files = dict(NATIVE_CSV)
    files[stem] = text
    return files


def _append(stem: str, *lines: str) -> dict[str, str]:
    return _with(stem, NATIVE_CSV[stem] + "".join(line + "\n" for line in lines))


def _appended(**lines: tuple[str, ...]) -> dict[str, str]:
    """:data:`NATIVE_CSV` with ``lines`` appended to several files."""
    files = dict(NATIVE_CSV)
    for stem, extra in lines.items():
        files[stem] += "".join(line + "\n" for line in extra)
    return files


def _problems(error: pytest.ExceptionInfo[ImportRejected]) -> list[str]:
    return [str(p) for p in error.value.problems]


@pytest.fixture
def populated(sqlite_store: GraphStore) -> GraphStore:
    """A store that already holds a little data, so "nothing written" is visible in the counts."""
    sqlite_store.write(
        GraphBatch(
            accounts=[Account("old", "Old Account")],
            contacts=[Contact("old-c", "Old Contact", email="old@old.example")],
        )
    )
    return sqlite_store


# -- end to end ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_import_end_to_end_and_read_back(sqlite_store: GraphStore, tmp_path: Path, fmt: str) -> None:
    folder = _write(tmp_path / "in", fmt)
    report = _import(sqlite_store, folder, fmt)

    expected = data_rows()
    assert report.rows_read == sum(expected.values())
    assert report.rows_rejected == 0
    assert {k: v.created for k, v in report.kinds.items() if v.created} == expected
    assert sqlite_store.counts() == {**dict.fromkeys(sqlite_store.counts(), 0), **expected}

    accounts = sqlite_store.get_accounts(["acme", "beta", "gamma"])
    acme = accounts["acme"]
    assert acme.tier is Tier.STRATEGIC and acme.annual_revenue == 1_200_000 and acme.owner == "s1"
    assert acme.domains == ("acme-group.example", "acme.example")
    assert (acme.strategic_fit, acme.relationship_cost) == (4, 2)
    assert accounts["beta"].annual_revenue == 450000.5 and accounts["beta"].relationship_cost is None

    people = sqlite_store.get_people(["c1", "c2", "c3", "c5", "s2"])
    assert isinstance(people["c1"], Contact) and people["c1"].stance is Stance.CHAMPION
    assert people["c2"].influence == 5  # type: ignore[union-attr]  # "high"
    assert people["c3"].name == "Chen, Li"
    assert people["c5"].email is None and people["c5"].stance is Stance.BLOCKER  # type: ignore[union-attr]
    assert isinstance(people["s2"], Staff) and people["s2"].team_role is TeamRole.SOLUTION_SPECIALIST

    jobs = sqlite_store.employments_of(["c1", "c5"])
    assert jobs["c1"] == [
        Employment(
            "c1",
            "acme",
            title="CFO",
            department="Finance",
            level=Level.EXECUTIVE,
            roles=frozenset({Role.ECONOMIC_BUYER, Role.DECISION_MAKER}),
            since=date(2019, 4, 1),
        )
    ]
    assert {(e.account_id, e.until) for e in jobs["c5"]} == {("beta", None), ("gamma", date(2018, 12, 31))}

    interactions = {i.id: i for i in sqlite_store.iter_records("interaction")}
    assert interactions["i1"].at == datetime(2025, 3, 1, 8, 30, tzinfo=UTC)
    assert interactions["i1"].participants == ("c1", "c2", "s1")
    assert (
        interactions["i3"].subject == "Visit, with dinner"
        and interactions["i3"].kind is InteractionKind.EXEC_VISIT
    )
    assert interactions["i5"].accounts == ("acme", "beta") and interactions["i6"].accounts == ()
    assert interactions["i2"].subject is None

    referrals = {(r.source_id, r.target_id): r for r in sqlite_store.iter_records("referral")}
    assert (
        referrals[("acme", "gamma")].status is ReferralStatus.WON
        and referrals[("acme", "gamma")].value == 250000
    )
    assert referrals[("c4", "acme")].source_kind == "contact"
    weights = {(i.source_id, i.target_id): i.weight for i in sqlite_store.iter_records("influence_line")}
    assert weights == {("c2", "c1"): 0.8, ("c3", "c1"): 0.25}
    sub = sqlite_store.account_subgraph("acme", date(2025, 12, 31))
    assert {t.staff_id for t in sub.team} == {"s1", "s2", "s3"}
    assert {(r.contact_id, r.manager_id) for r in sub.reporting_lines} == {("c2", "c1"), ("c3", "c2")}


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_reimport_changes_nothing(sqlite_store: GraphStore, tmp_path: Path, fmt: str) -> None:
    folder = _write(tmp_path / "in", fmt)
    _import(sqlite_store, folder, fmt, memory_rows=3)  # more rows than that: read twice
    counts = sqlite_store.counts()
    again = _import(sqlite_store, folder, fmt)
    assert again.changed == 0
    assert sum(k.unchanged for k in again.kinds.values()) == again.rows_read == sum(data_rows().values())
    assert sqlite_store.counts() == counts


def test_single_file_and_cross_file_references(sqlite_store: GraphStore, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in")
    # one file at a time: the lines find the nodes of earlier imports in the store
    for stem in ("staff", "accounts", "contacts", "employments", "interactions"):
        _import(sqlite_store, folder / f"{stem}.csv")
    assert sqlite_store.counts()["interaction"] == 6
    # an employments file whose contacts are in the same import (contacts.csv), not in the store
    other = write_csv(
        tmp_path / "other",
        {
            "contacts": "id,name\nn1,New Person\n",
            "employments": "contact_id,account_id,roles\nn1,acme,coach\n",
        },
    )
    _import(sqlite_store, other)
    assert sqlite_store.employments_of(["n1"])["n1"][0].roles == frozenset({Role.COACH})


def test_many_references_are_looked_up_in_batches(
    sqlite_store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers.base, "_LOOKUP", 2)
    _import(
        sqlite_store,
        write_csv(tmp_path / "base", {k: NATIVE_CSV[k] for k in ("staff", "accounts", "contacts")}),
    )
    _import(sqlite_store, write_csv(tmp_path / "lines", {"interactions": NATIVE_CSV["interactions"]}))
    bad = _append(
        "interactions", "i7,call,2025-07-01,crm,,s1;ghost,acme", "i8,call,2025-07-02,crm,,c1,nowhere"
    )
    with pytest.raises(ImportRejected) as error:
        _import(sqlite_store, write_csv(tmp_path / "bad", {"interactions": bad["interactions"]}))
    assert _problems(error) == [
        "interactions.csv:8: column participants: unknown person 'ghost' (neither in this import nor in the store)",
        "interactions.csv:9: column accounts: unknown account 'nowhere' (neither in this import nor in the store)",
    ]


# -- job changes --------------------------------------------------------------------------------


def test_job_change_inside_one_import(sqlite_store: GraphStore, tmp_path: Path) -> None:
    files = _append("employments", "c2,beta,CTO,IT,executive,decision_maker,2025-07-01,")
    report = _import(sqlite_store, write_csv(tmp_path / "in", files))
    jobs = {e.account_id: e for e in sqlite_store.employments_of(["c2"])["c2"]}
    assert jobs["acme"].until == date(2025, 6, 30) and jobs["acme"].roles  # the old one is kept
    assert jobs["beta"].since == date(2025, 7, 1) and jobs["beta"].until is None
    assert [(c.contact_id, c.old.account_id, c.new.account_id) for c in report.job_changes] == [
        ("c2", "acme", "beta")
    ]
    again = _import(sqlite_store, write_csv(tmp_path / "in", files))
    assert again.changed == 0


def test_job_change_against_the_store_by_id(sqlite_store: GraphStore, tmp_path: Path) -> None:
    _import(sqlite_store, write_csv(tmp_path / "first"))
    later = {"employments": "contact_id,account_id,title,since\nc1,gamma,CEO,2026-01-01\n"}
    report = _import(sqlite_store, write_csv(tmp_path / "later", later))
    jobs = {e.account_id: e for e in sqlite_store.employments_of(["c1"])["c1"]}
    assert jobs["acme"].until == date(2025, 12, 31)
    assert jobs["acme"].roles == frozenset({Role.ECONOMIC_BUYER, Role.DECISION_MAKER})
    assert jobs["gamma"].title == "CEO" and jobs["gamma"].until is None
    assert report.kinds["employment"].created == 1 and report.kinds["employment"].updated == 1
    assert len(report.job_changes) == 1
    # importing the old CRM file again does not reopen the old position
    assert _import(sqlite_store, write_csv(tmp_path / "first")).changed == 0
    assert _import(sqlite_store, write_csv(tmp_path / "later", later)).changed == 0


def test_job_change_matched_by_email_not_by_name(sqlite_store: GraphStore, tmp_path: Path) -> None:
    _import(sqlite_store, write_csv(tmp_path / "first"))
    crm = {
        "contacts": (
            "id,name,email,title\n"
            "sf-001,Ada King,ADA@acme.example,CEO\n"  # same email as c1: the same person
            "sf-002,Bob Byte,bob.byte@other.example,CTO\n"  # same name as c2, other email: someone else
        ),
        "employments": "contact_id,account_id,title,since\nsf-001,gamma,CEO,2026-02-01\nsf-002,gamma,CTO,2026-02-01\n",
        "interactions": "id,kind,at,participants,accounts\nx1,meeting,2026-02-10T10:00:00Z,s1;sf-001,gamma\n",
    }
    report = _import(sqlite_store, write_csv(tmp_path / "crm", crm))
    people = sqlite_store.get_people(["c1", "sf-001", "sf-002", "c2"])
    assert "sf-001" not in people and people["c1"].name == "Ada King"
    assert set(people) == {"c1", "sf-002", "c2"}
    jobs = {e.account_id: e for e in sqlite_store.employments_of(["c1"])["c1"]}
    assert jobs["acme"].until == date(2026, 1, 31) and jobs["gamma"].since == date(2026, 2, 1)
    assert {e.account_id for e in sqlite_store.employments_of(["c2"])["c2"]} == {"acme"}
    assert [i.participants for i in sqlite_store.iter_records("interaction") if i.id == "x1"] == [
        ("c1", "s1")
    ]
    assert [c.contact_id for c in report.job_changes] == ["c1"]
    assert _import(sqlite_store, write_csv(tmp_path / "crm", crm)).changed == 0


def test_a_rejected_employment_is_no_job_change(sqlite_store: GraphStore, tmp_path: Path) -> None:
    files = _append("employments", "c1,nowhere,CEO,,,,2026-01-01,")
    report = _import(sqlite_store, write_csv(tmp_path / "in", files), lenient=True)
    assert report.rows_rejected == 1 and report.job_changes == []
    assert [e.until for e in sqlite_store.employments_of(["c1"])["c1"]] == [None]


# -- malformed input: strict mode writes nothing and names every problem -------------------------

_MALFORMED: list[tuple[str, dict[str, str], list[str]]] = [
    (
        "bad date",
        _append("employments", "c2,beta,,,,,2024-02-30,"),
        ["employments.csv:8: column since: '2024-02-30' is not a date (YYYY-MM-DD)"],
    ),
    (
        "bad timestamp",
        _append("interactions", "i9,call,yesterday,crm,,s1,acme"),
        ["interactions.csv:8: column at: 'yesterday' is not a timestamp (ISO 8601)"],
    ),
    (
        "unknown role",
        _append("employments", "c2,beta,,,,economic_buyer;king,2024-01-01,"),
        [
            "employments.csv:8: column roles: 'king' is not one of economic_buyer, decision_maker, technical_buyer, "
            "user_buyer, procurement, executive_sponsor, champion, coach, influencer, gatekeeper, blocker"
        ],
    ),
    (
        "unknown level and stance, every problem of the row",
        _append("contacts", "c9,Nina,nina@acme,,,boss,9,friendly,"),
        [
            "contacts.csv:7: column email: 'nina@acme' is not a valid email address",
            "contacts.csv:7: column level: 'boss' is not one of executive, management, operational",
            "contacts.csv:7: column influence: '9' is not between 1 and 5",
            "contacts.csv:7: column stance: 'friendly' is not one of champion, supporter, neutral, skeptic, blocker",
        ],
    ),
    (
        "unknown interaction kind",
        _append("interactions", "i9,fax,2025-01-01T00:00:00Z,crm,,s1,acme"),
        [
            "interactions.csv:8: column kind: 'fax' is not one of exec_visit, meeting, call, email, event, support"
        ],
    ),
    (
        "not a number",
        _append("accounts", "delta,Delta,,,key,lots,,,,,"),
        ["accounts.csv:5: column annual_revenue: 'lots' is not a number"],
    ),
    (
        "missing required column",
        _with("employments", "contact_id,title\nc1,CFO\n"),
        ["employments.csv:1: column account_id: missing required column"],
    ),
    (
        "unknown column",
        _with("staff", "id,name,emial\ns9,Zed,zed@ourco.example\n"),
        [
            "staff.csv:1: column emial: unknown column (known columns: id, name, email, title, level, team_role, until)",
        ],
    ),
    (
        "wrong delimiter",
        _with("staff", "id;name;email\ns9;Zed;zed@ourco.example\n"),
        [
            "staff.csv:1: expected comma-separated values, the header looks semicolon-separated (Excel "
            "does so where the decimal separator is a comma): 'id;name;email'; save it comma-separated"
        ],
    ),
    (
        "tab-separated",
        _with("staff", "id\tname\ns9\tZed\n"),
        [
            "staff.csv:1: expected comma-separated values, the header looks tab-separated: 'id\\tname'; "
            "save it comma-separated"
        ],
    ),
    (
        "wrong number of fields",
        _append("staff", "s9,Zed,zed@ourco.example"),
        ["staff.csv:5: has 3 fields, the header has 7"],
    ),
    (
        "duplicate ids",
        _append("contacts", "c1,Ada Again,,,,,,,", "c6,Fay,,,,,,,", "c6,Fay Twice,,,,,,,"),
        [
            "contacts.csv:7: column id: duplicate contact 'c1' (first on contacts.csv:2)",
            "contacts.csv:9: column id: duplicate contact 'c6' (first on contacts.csv:8)",
        ],
    ),
    (
        "duplicate line",
        _append("influence_lines", "c2,c1,0.1"),
        [
            "influence_lines.csv:4: duplicate influence_line ('c2', 'c1', 'influences') (first on influence_lines.csv:2)"
        ],
    ),
    (
        "person id used as staff and contact",
        _append("contacts", "s1,Sam Twin,,,,,,,"),
        ["contacts.csv:7: column id: 's1' is already a staff id"],
    ),
    (
        "references to unknown records",
        _append("employments", "c2,nowhere,,,,,2024-01-01,", "ghost,acme,,,,,2024-01-01,"),
        [
            "employments.csv:8: column account_id: unknown account 'nowhere' (neither in this import nor in the store)",
            "employments.csv:9: column contact_id: unknown contact 'ghost' (neither in this import nor in the store)",
        ],
    ),
    (
        "a staff member where a contact belongs",
        _append("assessments", "s1,s2,vendor,2025-01-01"),
        ["assessments.csv:4: column contact_id: 's2' is a staff member, not a contact"],
    ),
    (
        "empty file",
        _with("referrals", ""),
        ["referrals.csv: empty file: no header"],
    ),
    (
        "blank file",
        _with("referrals", "\n  \n"),
        ["referrals.csv: empty file: no header"],
    ),
    (
        "problems in several files are all reported",
        _appended(
            staff=("s9,,zed@ourco.example,,,,",),
            team_memberships=("s1,gamma,coach,,",),
            reporting_lines=("c1,c1,,",),
        ),
        [
            "staff.csv:5: column name: '' must not be empty",
            "reporting_lines.csv:4: column manager_id: 'c1' is the contact itself",
            "team_memberships.csv:6: column team_role: 'coach' is not one of account_rep, solution_specialist, "
            "delivery_lead, executive_sponsor, customer_success",
        ],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in _MALFORMED], ids=[c[0] for c in _MALFORMED])
def test_malformed_csv_is_rejected_whole(
    populated: GraphStore, tmp_path: Path, files: dict[str, str], expected: list[str]
) -> None:
    before = populated.counts()
    with pytest.raises(ImportRejected) as error:
        _import(populated, write_csv(tmp_path / "in", files))
    assert _problems(error) == expected
    assert populated.counts() == before
    assert "nothing written" in str(error.value)


def test_non_utf8_names_line_and_byte(populated: GraphStore, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in")
    raw = (folder / "contacts.csv").read_bytes() + b"c9,Ren\xe9 Caf\xe9,,,,,,,\n"
    (folder / "contacts.csv").write_bytes(raw)
    before = populated.counts()
    with pytest.raises(ImportRejected) as error:
        _import(populated, folder)
    assert _problems(error) == [
        "contacts.csv:7: column byte 7: is not valid UTF-8 (byte 0xe9): the file looks Windows-1252 "
        "(Western European)-encoded (as Excel and many CRMs save CSV in some locales); save it as UTF-8 "
        "(Excel: 'CSV UTF-8')"
    ]
    assert populated.counts() == before


def test_byte_order_mark_and_crlf_are_fine(sqlite_store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "staff.csv").write_bytes(b"\xef\xbb\xbfid,name\r\ns1,S\xc3\xa9verine\r\n")
    _import(sqlite_store, folder)
    assert sqlite_store.get_people(["s1"])["s1"].name == "Séverine"


def test_unknown_file_and_missing_folder(populated: GraphStore, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in")
    (folder / "contact.csv").write_text("id,name\nc1,A\n")
    with pytest.raises(ImportRejected) as error:
        _import(populated, folder)
    assert _problems(error)[0].startswith("contact.csv: unknown file (native files: staff.csv, accounts.csv")
    with pytest.raises(ImportRejected, match="no such file or folder"):
        _import(populated, tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ImportRejected, match="no native files here"):
        _import(populated, empty)


_MALFORMED_JSONL: list[tuple[str, str, str, list[str]]] = [
    (
        "invalid JSON",
        "contacts",
        as_jsonl(NATIVE_CSV["contacts"]) + '{"id": "c9", "name": "Nina"\n',
        ["contacts.jsonl:6: column char 29: invalid JSON: Expecting ',' delimiter"],
    ),
    (
        "not an object",
        "contacts",
        as_jsonl(NATIVE_CSV["contacts"]) + '["c9", "Nina"]\n',
        ["contacts.jsonl:6: is not a JSON object"],
    ),
    (
        "missing required field and unknown field",
        "staff",
        as_jsonl(NATIVE_CSV["staff"]) + '{"id": "s9", "nmae": "Zed"}\n',
        [
            "staff.jsonl:4: column nmae: unknown field (known fields: id, name, email, title, level, team_role, until)",
            "staff.jsonl:4: column name: missing required field",
        ],
    ),
    (
        "wrong types",
        "accounts",
        as_jsonl(NATIVE_CSV["accounts"]) + '{"id": "d", "name": 7, "annual_revenue": "x", "domains": [1]}\n',
        [
            "accounts.jsonl:4: column name: 7 is not a string",
            "accounts.jsonl:4: column annual_revenue: 'x' is not a number",
            "accounts.jsonl:4: column domains: [1] is not a list of strings",
        ],
    ),
    (
        "unknown role",
        "employments",
        as_jsonl(NATIVE_CSV["employments"])
        + '{"contact_id": "c2", "account_id": "beta", "roles": ["king"]}\n',
        [
            "employments.jsonl:7: column roles: 'king' is not one of economic_buyer, decision_maker, "
            "technical_buyer, user_buyer, procurement, executive_sponsor, champion, coach, influencer, "
            "gatekeeper, blocker"
        ],
    ),
]


@pytest.mark.parametrize(
    ("stem", "text", "expected"), [c[1:] for c in _MALFORMED_JSONL], ids=[c[0] for c in _MALFORMED_JSONL]
)
def test_malformed_jsonl_is_rejected_whole(
    populated: GraphStore, tmp_path: Path, stem: str, text: str, expected: list[str]
) -> None:
    folder = write_jsonl(tmp_path / "in")
    (folder / f"{stem}.jsonl").write_text(text)
    before = populated.counts()
    with pytest.raises(ImportRejected) as error:
        _import(populated, folder, "jsonl")
    assert _problems(error) == expected
    assert populated.counts() == before


def test_jsonl_non_utf8(populated: GraphStore, tmp_path: Path) -> None:
    folder = write_jsonl(tmp_path / "in")
    with open(folder / "staff.jsonl", "ab") as handle:
        handle.write(b'{"id": "s9", "name": "Ren\xe9"}\n')
    with pytest.raises(ImportRejected) as error:
        _import(populated, folder, "jsonl")
    assert _problems(error) == ["staff.jsonl:4: column byte 26: is not valid UTF-8 (byte 0xe9)"]


# -- lenient mode -------------------------------------------------------------------------------


def _csv_rows(text: str) -> int:
    return sum(1 for _ in csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("memory_rows", [200_000, 0], ids=["kept-in-memory", "read-twice"])
def test_lenient_imports_good_rows_and_rejects_the_rest(
    populated: GraphStore, tmp_path: Path, memory_rows: int
) -> None:
    files = _appended(
        contacts=("c9,Nina,nina@acme,,,boss,,,", "c1,Ada Again,,,,,,,"),
        employments=("c9,acme,,,,,2024-01-01,", "c2,nowhere,,,,,,", "c3,beta,,,,,2024-13-01,"),
        interactions=("i9,call,2025-07-01T10:00:00Z,crm,,s1;c9,acme", "i10,call,bad,crm,,s1,acme"),
    )
    folder = write_csv(tmp_path / "in", files)
    raw = (folder / "contacts.csv").read_bytes() + b"c10,Ren\xe9,,,,,,,\n"
    (folder / "contacts.csv").write_bytes(raw)
    before = populated.counts()

    report = _import(populated, folder, lenient=True, memory_rows=memory_rows)

    input_rows = sum(_csv_rows(t) for t in files.values()) + 1
    assert report.rows_read == input_rows
    assert report.rows_imported + report.rows_rejected == input_rows
    assert report.rows_rejected == 8
    after = populated.counts()
    written = {k: after[k] - before[k] for k in after}
    assert sum(written.values()) == report.rows_imported
    assert {k: v.rejected for k, v in report.kinds.items() if v.rejected} == {
        "contact": 3,
        "employment": 3,
        "interaction": 2,
    }

    assert report.reject_file == tmp_path / "in.rejects.csv"
    with open(report.reject_file, encoding="utf-8", errors="surrogateescape", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert len(rejects) == report.rows_rejected
    by_line = {(r["file"], int(r["line"])): r for r in rejects}
    assert by_line[("contacts.csv", 7)]["row"] == "c9,Nina,nina@acme,,,boss,,,"
    assert by_line[("contacts.csv", 7)]["column"] == "email; level"
    assert by_line[("contacts.csv", 9)]["row"].encode("utf-8", "surrogateescape") == b"c10,Ren\xe9,,,,,,,"
    # rows that point at a rejected row are rejected too (c9 was not imported)
    assert by_line[("employments.csv", 8)]["reason"].startswith("unknown contact 'c9'")
    assert by_line[("interactions.csv", 8)]["column"] == "participants"
    assert by_line[("interactions.csv", 9)]["reason"] == "'bad' is not a timestamp (ISO 8601)"

    # the good rows are in, and importing again changes nothing and rejects the same rows
    assert populated.get_people(["c1"])["c1"].name == "Ada Lovelace"
    again = _import(populated, folder, lenient=True, reject_file=tmp_path / "again.csv")
    assert again.changed == 0 and again.rows_rejected == report.rows_rejected
    assert (tmp_path / "again.csv").read_bytes() == report.reject_file.read_bytes()


def test_lenient_still_fails_on_an_unreadable_file(populated: GraphStore, tmp_path: Path) -> None:
    before = populated.counts()
    with pytest.raises(ImportRejected) as error:
        _import(populated, write_csv(tmp_path / "in", _with("staff", "id;name\ns1;Sam\n")), lenient=True)
    assert "semicolon-separated" in str(error.value)
    assert populated.counts() == before
    assert not (tmp_path / "in.rejects.csv").exists()


def test_problem_and_report_text() -> None:
    assert str(Problem("a.csv", 3, "since", "bad")) == "a.csv:3: column since: bad"
    error = ImportRejected([Problem("a.csv", n, None, "bad") for n in range(60)])
    assert "60 problems" in str(error) and "... and 10 more" in str(error)
    assert len(error.problems) == 60


def test_lenient_rejects_a_contact_with_its_only_positions(sqlite_store: GraphStore, tmp_path: Path) -> None:
    files = dict(NATIVE_CSV)
    files["employments"] = (
        files["employments"]
        .replace(
            "c3,acme,Engineer,IT,operational,user_buyer,2021-06-01,",
            "c3,acme,Engineer,IT,operational,user_buyer,2021-13-01,",
        )
        .replace("c4,beta,Head of", "c4,nowhere,Head of")
    )
    report = _import(sqlite_store, write_csv(tmp_path / "in", files), lenient=True)
    assert report.reject_file is not None
    with open(report.reject_file, encoding="utf-8", newline="") as handle:
        rejects = {(r["file"], int(r["line"])): r["reason"] for r in csv.DictReader(handle)}
    # employments.csv: c3 on line 4 (bad date), c4 on line 5 (unknown account)
    assert rejects[("employments.csv", 4)] == "'2021-13-01' is not a date (YYYY-MM-DD)"
    assert rejects[("employments.csv", 5)].startswith("unknown account 'nowhere'")
    assert rejects[("contacts.csv", 4)] == (
        "contact 'c3' is rejected with its position rows (employments.csv:4): it would have no account"
    )
    assert rejects[("contacts.csv", 5)] == (
        "contact 'c4' is rejected with its position rows (employments.csv:5): it would have no account"
    )
    assert set(sqlite_store.get_people(["c1", "c2", "c3", "c4", "c5"])) == {"c1", "c2", "c5"}
    # every contact written has a position
    positions = sqlite_store.employments_of(["c1", "c2", "c5"])
    assert all(positions[c] for c in ("c1", "c2", "c5"))
    # what points at c3 or c4 is rejected with them: c3's reporting line, i2 (s2, c3), ...
    assert rejects[("reporting_lines.csv", 3)] == "contact 'c3' was rejected (contacts.csv:4)"
    assert ("interactions.csv", 3) in rejects and ("referrals.csv", 3) in rejects
    assert report.rows_imported + report.rows_rejected == report.rows_read


# -- business signals -------------------------------------------------------------------------------

#: The signal files, written as the export writes them (identity order, one fixed notation).
SIGNALS_CSV = {
    "survey_responses": (
        "id,account_id,kind,score,at,contact_id\n"
        "sr1,acme,nps,9,2025-03-10,c1\n"
        "sr2,acme,csat,2,2025-04-01,\n"
        "sr3,beta,nps,0,2025-05-05,c4\n"
    ),
    "usage": (
        "account_id,period,active_users,licensed_users,adoption\n"
        "acme,2025-03-01,40,50,\n"
        "acme,2025-04-01,,,0.65\n"
        "beta,2025-03-01,12,,\n"
    ),
    "support_cases": (
        "id,account_id,opened,severity,closed,first_response_hours,complaint,subject,contact_id\n"
        "case-1,acme,2025-03-02,critical,2025-03-04,1.5,false,Outage,c2\n"
        'case-2,acme,2025-05-10,medium,,,true,"Invoice wrong, twice",\n'
        "case-3,beta,2025-06-01,low,2025-06-02,30,false,,c4\n"
    ),
    "contracts": (
        "id,account_id,start,end,value,signed\n"
        "k1,acme,2025-01-01,2025-12-31,120000,2024-12-15\n"
        "k2,beta,2024-07-01,2025-06-30,45000.5,\n"
    ),
    "opportunities": (
        "id,account_id,name,opened,amount,close_date,stage,status,renewal,contact_ids\n"
        "o1,acme,Acme renewal,2025-09-01,130000,2025-12-15,Negotiation,open,true,c1;c2\n"
        "o2,beta,Beta pilot,2025-02-01,20000,2025-04-30,Closed Won,won,false,c4\n"
        "o3,acme,Acme add-on,2025-03-01,0,2025-05-31,,lost,false,\n"
    ),
}

# the records of SIGNALS_CSV, by hand
EXPECTED_SIGNALS = {
    "survey_responses": {
        SurveyResponse("sr1", "acme", "nps", 9, date(2025, 3, 10), "c1"),
        SurveyResponse("sr2", "acme", "csat", 2, date(2025, 4, 1)),
        SurveyResponse("sr3", "beta", "nps", 0, date(2025, 5, 5), "c4"),
    },
    "usage_samples": {
        UsageSample("acme", date(2025, 3, 1), active_users=40, licensed_users=50),
        UsageSample("acme", date(2025, 4, 1), adoption=0.65),
        UsageSample("beta", date(2025, 3, 1), active_users=12),
    },
    "support_cases": {
        SupportCase("case-1", "acme", date(2025, 3, 2), "critical", closed=date(2025, 3, 4),
                    first_response_hours=1.5, subject="Outage", contact_id="c2"),
        SupportCase("case-2", "acme", date(2025, 5, 10), "medium", complaint=True, subject="Invoice wrong, twice"),
        SupportCase("case-3", "beta", date(2025, 6, 1), "low", closed=date(2025, 6, 2), first_response_hours=30,
                    contact_id="c4"),
    },
    "contracts": {
        Contract("k1", "acme", date(2025, 1, 1), date(2025, 12, 31), 120_000, signed=date(2024, 12, 15)),
        Contract("k2", "beta", date(2024, 7, 1), date(2025, 6, 30), 45_000.5),
    },
    "opportunities": {
        Opportunity("o1", "acme", "Acme renewal", date(2025, 9, 1), 130_000, close_date=date(2025, 12, 15),
                    stage="Negotiation", renewal=True, contact_ids=("c2", "c1")),
        Opportunity("o2", "beta", "Beta pilot", date(2025, 2, 1), 20_000, close_date=date(2025, 4, 30),
                    stage="Closed Won", status="won", contact_ids=("c4",)),
        Opportunity("o3", "acme", "Acme add-on", date(2025, 3, 1), 0, close_date=date(2025, 5, 31), status="lost"),
    },
}  # fmt: skip


def test_signal_files_import_and_show_in_the_accounts(store: GraphStore, tmp_path: Path) -> None:
    report = _import(store, write_csv(tmp_path / "in", {**NATIVE_CSV, **SIGNALS_CSV}))
    assert report.rows_rejected == 0
    for stem, rows in (("survey_responses", 3), ("usage", 3), ("support_cases", 3), ("contracts", 2),
                       ("opportunities", 3)):  # fmt: skip
        o = report.objects[f"{stem}.csv"]
        assert (o.read, o.imported, o.merged, o.skipped_rows, o.rejected) == (rows, rows, 0, 0, 0), stem
    assert report.objects["support_cases.csv"].became() == "3 support cases"
    assert report.objects["opportunities.csv"].became() == "3 opportunities"
    assert report.objects["usage.csv"].became() == "3 usage samples"
    for kind, n in (("survey_response", 3), ("usage_sample", 3), ("support_case", 3), ("contract", 2),
                    ("opportunity", 3)):  # fmt: skip
        k = report.kinds[kind]
        assert (k.created, k.updated, k.unchanged, k.rejected) == (n, 0, 0, 0), kind
    later = date(2026, 1, 1)
    acme, beta = store.account_subgraph("acme", later), store.account_subgraph("beta", later)
    for name, expected in EXPECTED_SIGNALS.items():
        assert {*getattr(acme, name), *getattr(beta, name)} == expected, name
    complaints = [c.id for c in acme.support_cases if c.complaint]
    assert complaints == ["case-2"]
    # time travel: as of 2025-03-05 only what was dated by then is there
    early = store.account_subgraph("acme", date(2025, 3, 5))
    assert [c.id for c in early.support_cases] == ["case-1"] and [k.id for k in early.contracts] == ["k1"]
    assert [o.id for o in early.opportunities] == ["o3"] and [s.id for s in early.survey_responses] == []


def test_signal_files_round_trip_byte_for_byte(store: GraphStore, tmp_path: Path) -> None:
    _import(store, write_csv(tmp_path / "in", {**NATIVE_CSV, **SIGNALS_CSV}))
    out = tmp_path / "out"
    written = export_store(store, out)
    assert {k: written[k] for k in SIGNAL_KINDS} == {
        "survey_response": 3, "usage_sample": 3, "support_case": 3, "contract": 2, "opportunity": 3,
    }  # fmt: skip
    for stem, text in SIGNALS_CSV.items():
        assert (out / f"{stem}.csv").read_bytes() == text.encode("utf-8"), stem


def test_bad_signal_rows_name_file_line_and_column(sqlite_store: GraphStore, tmp_path: Path) -> None:
    files = {**NATIVE_CSV, **SIGNALS_CSV}
    files["survey_responses"] += "sr4,acme,nps,nine,2025-06-01,\nsr5,acme,csat,2,2025-06-01,c9\n"
    files["support_cases"] += "case-4,acme,2025-07-01,urgent,,,,,\ncase-5,acme,2025-07-01,low,,,maybe,,\n"
    files["contracts"] += "k3,nowhere,2025-01-01,2025-12-31,,\nk4,acme,2025-01-01,2024-12-31,,\n"
    files["opportunities"] += "o4,acme,Lost one,2025-01-01,,,,lost,,\n"
    with pytest.raises(ImportRejected) as caught:
        _import(sqlite_store, write_csv(tmp_path / "in", files))
    assert _problems(caught) == [
        "survey_responses.csv:5: column score: 'nine' is not a number",
        "survey_responses.csv:6: column contact_id: unknown contact 'c9' (neither in this import nor in the store)",
        "support_cases.csv:5: column severity: 'urgent' is not one of critical, high, medium, low",
        "support_cases.csv:6: column complaint: 'maybe' is not true or false",
        "contracts.csv:4: column account_id: unknown account 'nowhere' (neither in this import nor in the store)",
        "contracts.csv:5: column end: '2024-12-31' is before start 2025-01-01",
        "opportunities.csv:5: column close_date: None is required for a lost opportunity",
    ]
    assert sqlite_store.counts()["opportunity"] == 0
