"""Export in the native format: deterministic, and export -> import -> export is byte-identical."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.backends.sqlite.store import SqliteStore
from graph.store import GraphBatch, GraphStore
from importers.base import load_records, run_import
from importers.export import export_store
from importers.native import FILES, FORMATS, NativeSource
from tests.importers.native_data import data_rows, write_csv


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _fresh(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    store.init()
    return store


def _round_trip(store: GraphStore, tmp_path: Path, fmt: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
    first = tmp_path / f"export-1-{fmt}"
    export_store(store, first, fmt)
    other = _fresh(tmp_path / f"store-{fmt}")
    try:
        report = run_import(other, NativeSource(first, fmt))
        assert report.rows_rejected == 0 and not report.job_changes
        assert other.counts() == store.counts()
        second = tmp_path / f"export-2-{fmt}"
        export_store(other, second, fmt)
    finally:
        other.close()
    return _files(first), _files(second)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_of_the_native_fixture(sqlite_store: GraphStore, tmp_path: Path, fmt: str) -> None:
    run_import(sqlite_store, NativeSource(write_csv(tmp_path / "in")))
    first, second = _round_trip(sqlite_store, tmp_path, fmt)
    assert first == second
    assert sorted(first) == sorted(f"{spec.stem}{FORMATS[fmt]}" for spec in FILES)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_round_trip_of_the_demo_portfolio(sqlite_store: GraphStore, tmp_path: Path, fmt: str) -> None:
    from importers.demo import generate

    load_records(sqlite_store, generate("demo", 7))
    first, second = _round_trip(sqlite_store, tmp_path, fmt)
    assert first == second
    assert first[f"interactions{FORMATS[fmt]}"].count(b"\n") > 1000


def test_export_formatting_is_stable(sqlite_store: GraphStore, tmp_path: Path) -> None:
    run_import(sqlite_store, NativeSource(write_csv(tmp_path / "in")))
    out = tmp_path / "out"
    written = export_store(sqlite_store, out)
    assert written == {**dict.fromkeys(written, 0), **data_rows()}
    lines = (out / "accounts.csv").read_text().splitlines()
    assert lines[0] == (
        "id,name,industry,region,tier,annual_revenue,potential_revenue,owner,domains,strategic_fit,relationship_cost,"
        "tier_history,revenue_history"
    )
    assert lines[1] == (
        "acme,Acme Corp,manufacturing,Europe,strategic,1200000,3000000,s1,acme-group.example;acme.example,4,2,,"
    )
    assert lines[2] == "beta,Beta Retail,retail,North America,key,450000.5,900000,s1,beta.example,3,,,"
    interactions = (out / "interactions.csv").read_text().splitlines()
    assert interactions[1] == "i1,meeting,2025-03-01T08:30:00+00:00,crm,Quarterly review,c1;c2;s1,acme"
    assert (
        interactions[3] == 'i3,exec_visit,2025-04-10T14:00:00+00:00,calendar,"Visit, with dinner",c1;s3,acme'
    )
    employments = (out / "employments.csv").read_text().splitlines()
    assert "c1,acme,CFO,Finance,executive,decision_maker;economic_buyer,2019-04-01," in employments
    jsonl = tmp_path / "jsonl"
    export_store(sqlite_store, jsonl, "jsonl")
    first = (jsonl / "accounts.jsonl").read_text().splitlines()[0]
    assert first == (
        '{"id":"acme","name":"Acme Corp","industry":"manufacturing","region":"Europe","tier":"strategic",'
        '"annual_revenue":1200000,"potential_revenue":3000000,"owner":"s1",'
        '"domains":["acme-group.example","acme.example"],"strategic_fit":4,"relationship_cost":2,"tier_history":null,"revenue_history":null}'
    )
    # exporting twice gives the same bytes, and no temporary file is left behind
    again = tmp_path / "again"
    export_store(sqlite_store, again)
    assert _files(again) == _files(out)
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_export_of_an_empty_store_imports_as_nothing(sqlite_store: GraphStore, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert sum(export_store(sqlite_store, out).values()) == 0
    assert (
        out / "contacts.csv"
    ).read_text() == "id,name,email,title,department,level,influence,stance,political_status,stance_history\n"
    report = run_import(sqlite_store, NativeSource(out))
    assert report.rows_read == 0 and report.changed == 0


def test_export_rejects_an_unknown_format(sqlite_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export_store(sqlite_store, tmp_path, "xml")


def test_dated_histories_round_trip_through_both_formats(sqlite_store: GraphStore, tmp_path: Path) -> None:
    from datetime import date

    from graph.model import Account, Contact, Stance, Tier

    acme = Account(
        "acme",
        "Acme",
        tier=Tier.STRATEGIC,
        annual_revenue=1_200_000,
        tier_history=((date(2023, 1, 1), Tier.KEY), (date(2025, 1, 1), Tier.STRATEGIC)),
        revenue_history=(
            (date(2023, 1, 1), 900_000.0),
            (date(2024, 1, 1), 1_000_000.5),
            (date(2025, 1, 1), 1.2e6),
        ),
    )
    dora = Contact(
        "dora",
        "Dora",
        stance=Stance.SKEPTIC,
        stance_history=((date(2024, 1, 1), Stance.SUPPORTER), (date(2025, 2, 1), Stance.SKEPTIC)),
    )
    sqlite_store.write(GraphBatch(accounts=[acme], contacts=[dora]))
    for fmt in ("csv", "jsonl"):
        out = tmp_path / fmt
        export_store(sqlite_store, out, fmt)
        other = SqliteStore(tmp_path / f"{fmt}-store")
        other.init()
        try:
            run_import(other, NativeSource(out, fmt))
            assert other.get_accounts(["acme"])["acme"] == acme
            assert other.get_people(["dora"])["dora"] == dora
        finally:
            other.close()
    cells = (tmp_path / "csv" / "accounts.csv").read_text().splitlines()[1].split(",")
    assert cells[-2:] == [
        "2023-01-01:key;2025-01-01:strategic",
        "2023-01-01:900000;2024-01-01:1000000.5;2025-01-01:1200000",
    ]
    line = json.loads((tmp_path / "jsonl" / "contacts.jsonl").read_text().splitlines()[0])
    assert line["stance_history"] == ["2024-01-01:supporter", "2025-02-01:skeptic"]
