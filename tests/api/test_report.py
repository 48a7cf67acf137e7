"""Tests of ``kamgraph report`` (api.report.run_report) on the embedded store."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from rich.console import Console

from api.report import ReportError, run_report
from graph.model import Employment, Interaction, InteractionKind, Role
from graph.services.refresh import SUMMARY_KIND
from graph.store import GraphBatch, GraphStore
from tests.graph.services.test_refresh import ACCOUNTS, portfolio_batch

AS_OF = date(2025, 6, 30)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_report_writes_table_csv_and_a_self_contained_html_page(
    sqlite_store: GraphStore, tmp_path: Path
) -> None:
    sqlite_store.write(portfolio_batch())
    out = tmp_path / "report"
    buffer = io.StringIO()
    result = run_report(sqlite_store, as_of=AS_OF, out_dir=out, console=Console(file=buffer, width=200))
    assert result == out
    printed = buffer.getvalue()
    assert "accounts by revenue at risk" in printed and "Cora" in printed and "refreshed 3 of 3" in printed
    accounts = rows(out / "accounts.csv")
    assert [r["account_id"] for r in accounts] == ["cora", "bolt", "acme"]
    assert accounts[0]["revenue_at_risk"] == "3000.0" and accounts[0]["threads"] == "1"
    people = rows(out / "people.csv")
    assert people[0]["person_id"] == "rep" and float(people[0]["revenue_at_risk"]) == pytest.approx(6000)
    alerts = rows(out / "alerts.csv")
    assert {"single_point_of_contact", "concentration"} <= {a["kind"] for a in alerts}
    assert rows(out / "gaps.csv")[0]["kind"] in ("role", "level")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") >= 4
    assert "<script" not in page and "<link" not in page and "https://" not in page
    assert not list(out.glob(".*.tmp"))
    # the results are materialised: a second report recomputes nothing
    buffer = io.StringIO()
    run_report(sqlite_store, as_of=AS_OF, out_dir=out, console=Console(file=buffer, width=200))
    assert "refreshed 0 of 3 accounts (3 already fresh)" in buffer.getvalue()


def test_report_compares_two_dates(sqlite_store: GraphStore, tmp_path: Path) -> None:
    sqlite_store.write(portfolio_batch())
    # bolt's director leaves mid-June: bolt got riskier between the two dates
    sqlite_store.write(
        GraphBatch(
            employments=[
                Employment(
                    "bolt-dir",
                    "bolt",
                    roles=frozenset(
                        {Role.ECONOMIC_BUYER, Role.TECHNICAL_BUYER, Role.USER_BUYER, Role.CHAMPION}
                    ),
                    since=date(2020, 1, 1),
                    until=date(2025, 6, 15),
                )
            ],
            interactions=[
                Interaction(
                    "acme-m0",
                    InteractionKind.CALL,
                    datetime(2025, 5, 2, tzinfo=UTC),
                    participants=("rep", "acme-dir"),
                    accounts=("acme",),
                )
            ],
        )
    )
    out = run_report(
        sqlite_store,
        as_of=AS_OF,
        out_dir=tmp_path,
        compare_to=date(2025, 6, 2),
        console=Console(file=io.StringIO()),
    )
    diff = rows(out / "diff.csv")
    riskier = [r["account_id"] for r in diff if r["direction"] == "riskier"]
    assert "bolt" in riskier
    bolt = next(r for r in diff if r["account_id"] == "bolt")
    assert (bolt["coverage_before"], bolt["coverage_after"]) == ("100.0", "0.0")
    assert "Since 2025-06-02" in (out / "report.html").read_text(encoding="utf-8")
    assert set(sqlite_store.get_results(SUMMARY_KIND, date(2025, 6, 2))) == set(ACCOUNTS)


def test_report_refuses_bad_requests(sqlite_store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="must be before"):
        run_report(sqlite_store, as_of=AS_OF, out_dir=tmp_path, compare_to=AS_OF)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(ReportError, match="not a folder"):
        run_report(sqlite_store, as_of=AS_OF, out_dir=not_a_folder)
