"""The import framework with a hand-written source (what the Salesforce, .ics and mbox importers do)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from graph.model import Account, Contact, Employment, Interaction, InteractionKind, Staff
from graph.store import GraphStore
from importers.base import (
    ImportContext,
    ImporterUnavailable,
    ImportRejected,
    Row,
    RowError,
    Source,
    build_row,
    get_importer,
    importer_names,
    load_records,
    register_importer,
    run_import,
)


class ListSource(Source):
    """Rows built from (line, text, transform) triples of one pretend file ``crm.txt``."""

    name = "list"

    def __init__(
        self, path: Path, items: Sequence[tuple[int, str, str, Any]], columns: dict[str, str]
    ) -> None:
        super().__init__(path)
        self.items = items
        self.columns = columns
        self.passes = 0

    def rows(self) -> Iterator[Row]:
        self.passes += 1
        for line, kind, text, build in self.items:
            yield build_row("crm.txt", line, text, kind, build, self.columns)

    def notes(self) -> list[str]:
        return ["2 addresses could not be resolved: a@x.example, b@y.example"]


_AT = datetime(2025, 1, 1, tzinfo=UTC)


def _any(value: object) -> Any:
    """A value of the wrong type for the model, as a transform might pass it."""
    return value


def _raise(column: str, reason: str) -> Any:
    def build() -> Any:
        raise RowError(column, reason)

    return build


def test_custom_source_columns_cascade_and_notes(sqlite_store: GraphStore, tmp_path: Path) -> None:
    items = [
        # accounts come before the staff here: the owner is resolved at the end of the check
        (1, "account", "ACC|a1|Acme|ghost", lambda: [Account("a1", "Acme", owner="ghost")]),
        (2, "account", "ACC|a2|Beta|s1", lambda: [Account("a2", "Beta", owner="s1")]),
        (3, "staff", "USR|s1|Sam", lambda: [Staff("s1", "Sam")]),
        (
            4,
            "contact",
            "CON|c1|Ada|a1",
            lambda: [Contact("c1", "Ada"), Employment("c1", "a1", since=date(2024, 1, 1))],
        ),
        (
            5,
            "contact",
            "CON|c2|Bob|a2",
            lambda: [Contact("c2", "Bob"), Employment("c2", "a2", level=_any("boss"))],
        ),
        (
            6,
            "interaction",
            "EVT|e1",
            lambda: [Interaction("e1", InteractionKind.MEETING, _AT, participants=("s1", "c1"))],
        ),
        (7, "interaction", "EVT|e2", _raise("Type", "'Fax' has no kamgraph kind")),
        (
            8,
            "interaction",
            "EVT|e3",
            lambda: [Interaction("e3", InteractionKind.CALL, _AT, accounts=("a1",))],
        ),
    ]
    columns = {"owner": "OwnerId", "account_id": "AccountId", "level": "Level", "accounts": "WhatId"}
    source = ListSource(tmp_path / "crm.txt", items, columns)

    with pytest.raises(ImportRejected) as error:
        run_import(sqlite_store, source)
    assert [str(p) for p in error.value.problems] == [
        "crm.txt:1: column OwnerId: unknown staff 'ghost' (neither in this import nor in the store)",
        "crm.txt:5: column Level: 'boss' is not one of executive, management, operational",
        "crm.txt:7: column Type: 'Fax' has no kamgraph kind",
    ]
    assert sum(sqlite_store.counts().values()) == 0

    report = run_import(sqlite_store, source, lenient=True, memory_rows=0)
    assert source.passes == 3  # read twice when not kept in memory
    # the rows that point at the rejected account a1 are rejected on the way (4 and 8), and so is
    # the interaction with the contact of line 4
    assert report.rows_read == 8 and report.rows_imported == 2 and report.rows_rejected == 6
    assert set(sqlite_store.get_accounts(["a1", "a2"])) == {"a2"}
    assert set(sqlite_store.get_people(["s1", "c1", "c2"])) == {"s1"}
    rejects = (tmp_path / "crm.rejects.csv").read_text().splitlines()
    assert rejects == [
        "file,line,column,reason,row",
        "crm.txt,1,OwnerId,unknown staff 'ghost' (neither in this import nor in the store),ACC|a1|Acme|ghost",
        "crm.txt,4,AccountId,account 'a1' was rejected (crm.txt:1),CON|c1|Ada|a1",
        "crm.txt,5,Level,\"'boss' is not one of executive, management, operational\",CON|c2|Bob|a2",
        "crm.txt,6,participants,contact 'c1' was rejected (crm.txt:4),EVT|e1",
        "crm.txt,7,Type,'Fax' has no kamgraph kind,EVT|e2",
        "crm.txt,8,WhatId,account 'a1' was rejected (crm.txt:1),EVT|e3",
    ]
    assert report.notes == ["2 addresses could not be resolved: a@x.example, b@y.example"]
    assert "2 addresses could not be resolved" in "\n".join(report.lines())


def test_registry(tmp_path: Path, sqlite_store: GraphStore) -> None:
    assert {"native", "jsonl", "salesforce", "ics", "mbox"} <= set(importer_names())
    register_importer("pretend", lambda path, context: ListSource(path, [], {}), "a test format")
    info = get_importer("pretend")
    assert info.summary == "a test format"
    source = info.factory(tmp_path, ImportContext(sqlite_store))
    assert run_import(sqlite_store, source).rows_read == 0
    with pytest.raises(ImporterUnavailable, match="unknown import format 'xml'"):
        get_importer("xml")
    assert get_importer("native").name == "native"


def test_fatal_rows_fail_even_lenient(sqlite_store: GraphStore, tmp_path: Path) -> None:
    class Broken(Source):
        def rows(self) -> Iterator[Row]:
            yield build_row("a.csv", 2, "x", "staff", lambda: [Staff("s1", "S")])
            row = build_row("b.csv", 1, "", "staff", _raise("Id", "missing required column"))
            row.fatal = True
            yield row

    with pytest.raises(ImportRejected, match=r"b\.csv:1: column Id: missing required column"):
        run_import(sqlite_store, Broken(tmp_path), lenient=True)
    assert sum(sqlite_store.counts().values()) == 0


def test_load_records_writes_in_chunks(sqlite_store: GraphStore) -> None:
    records = [Staff(f"s{i}", f"Staff {i}") for i in range(25)]
    summary = load_records(sqlite_store, iter(records), chunk_size=10)
    assert summary.kinds["staff"].created == 25
    assert load_records(sqlite_store, iter(records), chunk_size=10).changed == 0


@pytest.mark.parametrize(
    ("format_name", "expected"), [("ics", "no .ics files here"), ("mbox", "no mailbox files here")]
)
def test_file_set_sources_refuse_a_missing_path_and_an_empty_folder(
    sqlite_store: GraphStore, tmp_path: Path, format_name: str, expected: str
) -> None:
    from importers.base import ImportContext, get_importer

    context = ImportContext(sqlite_store)
    with pytest.raises(ImportRejected, match="no such file or folder"):
        get_importer(format_name).factory(tmp_path / "missing", context)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ImportRejected, match=expected):
        run_import(sqlite_store, get_importer(format_name).factory(empty, context))
    assert sum(sqlite_store.counts().values()) == 0
