"""Typed contact-contact relations in the native format (``relations.csv``) and reporting cycles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from graph.analysis.relgraph import relationship_graph
from graph.model import InfluenceLine, ReportingLine
from graph.store import GraphStore
from importers.base import ImportRejected, run_import
from importers.native import NativeSource

PEOPLE = {
    "accounts": "id,name\nacme,Acme\n",
    "contacts": "id,name\nal,Al\nbo,Bo\ncy,Cy\ndi,Di\n",
    "employments": "contact_id,account_id\nal,acme\nbo,acme\ncy,acme\ndi,acme\n",
}


def folder(tmp_path: Path, relations: str, **more: str) -> Path:
    out = tmp_path / "in"
    out.mkdir(parents=True)
    for stem, text in {**PEOPLE, **more, "relations": relations}.items():
        (out / f"{stem}.csv").write_text(text, encoding="utf-8")
    return out


def test_typed_relations_import_with_one_row_per_symmetric_pair(
    sqlite_store: GraphStore, tmp_path: Path
) -> None:
    relations = (
        "contact_id,other_id,type,weight,since,until\n"
        "bo,al,reports to,,2020-01-01,\n"
        "cy,bo,friend,0.9,,\n"
        "cy,bo,former-colleague,0.6,,\n"  # a second relation of the same pair, of another type
        "cy,al,advises,0.7,,\n"
    )
    report = run_import(sqlite_store, NativeSource(folder(tmp_path, relations)))
    assert report.changed == 1 + 4 + 4 + 4
    assert list(sqlite_store.iter_records("reporting_line")) == [
        ReportingLine("bo", "al", since=date(2020, 1, 1))
    ]
    assert list(sqlite_store.iter_records("influence_line")) == [
        InfluenceLine("bo", "cy", 0.6, "former_colleague"),
        InfluenceLine("bo", "cy", 0.9, "friend"),
        InfluenceLine("cy", "al", 0.7, "advises"),
    ]
    graph = relationship_graph(sqlite_store.account_subgraph("acme", date(2025, 1, 1)))
    # the symmetric friend line (0.9, the stronger of the pair's two) holds both ways; advises one way
    assert graph.edges["bo", "cy"]["strength"] == graph.edges["cy", "bo"]["strength"] == 0.9
    assert graph.edges["cy", "al"]["strength"] == 0.7 and not graph.has_edge("al", "cy")
    # importing the same pair in the other order changes nothing
    again = folder(tmp_path / "again", "contact_id,other_id,type,weight\nbo,cy,friend,0.9\n")
    assert run_import(sqlite_store, NativeSource(again)).changed == 0


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "cy,bo,cousin,,,\n",
            "relations.csv:2: column type: 'cousin' is not one of reports_to, influences, "
            "advises, friend, former_colleague, colleague",
        ),
        (
            "cy,bo,reports_to,0.5,,\n",
            "relations.csv:2: column weight: 0.5 is not taken by reports_to (see reporting_line_strength)",
        ),
        ("cy,bo,friend,1.5,,\n", "relations.csv:2: column weight: 1.5 is not in (0, 1]"),
        (
            "cy,bo,friend,,2024-01-01,\n",
            "relations.csv:2: column since: '2024-01-01' is only taken by reports_to (friend is undated)",
        ),
        ("cy,cy,advises,,,\n", "relations.csv:2: column other_id: 'cy' is the source itself"),
    ],
)
def test_a_bad_relation_is_reported_with_its_line_and_column(
    sqlite_store: GraphStore, tmp_path: Path, rows: str, expected: str
) -> None:
    with pytest.raises(ImportRejected) as error:
        run_import(
            sqlite_store,
            NativeSource(folder(tmp_path, "contact_id,other_id,type,weight,since,until\n" + rows)),
        )
    assert [str(p) for p in error.value.problems] == [expected]
    assert sqlite_store.counts()["contact"] == 0  # nothing written


def test_a_reporting_cycle_is_rejected_at_the_line_that_closes_it(
    sqlite_store: GraphStore, tmp_path: Path
) -> None:
    lines = "contact_id,manager_id,since,until\nbo,al,,\ncy,bo,,\n"
    relations = "contact_id,other_id,type\nal,cy,reports_to\n"
    with pytest.raises(ImportRejected) as error:
        run_import(sqlite_store, NativeSource(folder(tmp_path, relations, reporting_lines=lines)))
    assert [str(p) for p in error.value.problems] == [
        "relations.csv:2: closes a reporting cycle: al -> cy -> bo -> al"
    ]
    assert sqlite_store.counts()["reporting_line"] == 0


def test_lines_that_never_hold_on_one_day_are_no_cycle(sqlite_store: GraphStore, tmp_path: Path) -> None:
    # Bo reported to Al until 2022; Al reports to Bo from 2023 on: a reorganisation, not a cycle
    lines = "contact_id,manager_id,since,until\nbo,al,2019-01-01,2022-12-31\nal,bo,2023-01-01,\n"
    run_import(
        sqlite_store, NativeSource(folder(tmp_path, "contact_id,other_id,type\n", reporting_lines=lines))
    )
    assert sqlite_store.counts()["reporting_line"] == 2
    # ... but a third line overlapping both closes one through the days they share
    lines2 = "contact_id,manager_id,since,until\nbo,cy,2020-01-01,2021-12-31\ncy,al,2021-06-01,\nal,bo,2021-01-01,2021-07-01\n"
    with pytest.raises(ImportRejected) as error:
        run_import(
            sqlite_store,
            NativeSource(folder(tmp_path / "b", "contact_id,other_id,type\n", reporting_lines=lines2)),
        )
    assert [str(p) for p in error.value.problems] == [
        "reporting_lines.csv:4: closes a reporting cycle: al -> bo -> cy -> al"
    ]
