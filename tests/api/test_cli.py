"""The ``kamgraph`` command line, run for real (typer's CliRunner) on a temporary data folder."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import EXIT_INPUT, EXIT_STORE, app
from graph.backends.sqlite.store import SqliteStore
from tests.importers.native_data import NATIVE_CSV, data_rows, write_csv, write_jsonl

COMMANDS = [
    [],
    ["init"],
    ["import"],
    ["export"],
    ["demo"],
    ["serve"],
    ["report"],
    ["token"],
    ["token", "create"],
    ["token", "list"],
    ["token", "revoke"],
    ["notify"],
    ["notify", "test"],
    ["notify", "send-due"],
    ["watch"],
]


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose settings point at an empty data folder (and no Neo4j)."""
    monkeypatch.setenv("KAMGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _counts(tmp_path: Path) -> dict[str, int]:
    store = SqliteStore(tmp_path / "data")
    try:
        return store.counts()
    finally:
        store.close()


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "kamgraph")
def test_help_on_everything(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_init_creates_the_store(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    assert "kamgraph store ready (sqlite" in result.output
    assert (tmp_path / "data").is_dir()
    assert runner.invoke(app, ["init"]).exit_code == 0  # idempotent


def test_import_summary_and_reimport(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_csv(tmp_path / "in")
    result = runner.invoke(app, ["import", "native", str(folder)])
    assert result.exit_code == 0, result.output
    assert "created" in result.output and "unchanged" in result.output
    total = sum(data_rows().values())
    assert (
        f"{total} rows read: {total} imported, 0 merged into other records, 0 skipped, 0 rejected"
        in result.output
    )
    again = runner.invoke(app, ["import", "native", str(folder)])
    assert again.exit_code == 0
    # the records table's total: written, created, updated, unchanged (one record per native row)
    totals = [line.split("│")[1:-1] for line in again.output.splitlines() if line.startswith("│ total")]
    assert [cell.strip() for cell in totals[-1]] == ["total", str(total), "0", "0", str(total)]
    assert _counts(tmp_path)["interaction"] == 6


def test_import_jsonl_and_data_dir_option(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_jsonl(tmp_path / "in")
    result = runner.invoke(app, ["--data-dir", str(tmp_path / "other"), "import", "jsonl", str(folder), "-q"])
    assert result.exit_code == 0, result.output
    assert result.output == ""
    store = SqliteStore(tmp_path / "other")
    try:
        assert store.counts()["contact"] == 5
    finally:
        store.close()


def test_strict_import_failure_lists_every_problem(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["init"])
    files = dict(NATIVE_CSV)
    files["contacts"] += "c9,Nina,,,,boss,,,\n"
    files["employments"] += "c2,nowhere,,,,,,\n"
    result = runner.invoke(app, ["import", "native", str(write_csv(tmp_path / "in", files))])
    assert result.exit_code == EXIT_INPUT
    assert result.output.splitlines() == [
        "error: import rejected, nothing written: 2 problems",
        "  contacts.csv:7: column level: 'boss' is not one of executive, management, operational",
        "  employments.csv:8: column account_id: unknown account 'nowhere' (neither in this import nor in the store)",
    ]
    assert "Traceback" not in result.output
    assert sum(_counts(tmp_path).values()) == 0


def test_lenient_import_writes_the_reject_file(runner: CliRunner, tmp_path: Path) -> None:
    files = dict(NATIVE_CSV)
    files["contacts"] += "c9,Nina,,,,boss,,,\n"
    rejects = tmp_path / "rejected.csv"
    args = [
        "import",
        "native",
        str(write_csv(tmp_path / "in", files)),
        "--lenient",
        "--reject-file",
        str(rejects),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert f"rejected rows written to {rejects}" in result.output
    assert rejects.read_text().splitlines()[1] == (
        'contacts.csv,7,level,"\'boss\' is not one of executive, management, operational","c9,Nina,,,,boss,,,"'
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["import", "xml", "."],
            "error: unknown import format 'xml' (known formats: ics, jsonl, mbox, native",
        ),
        (["import", "native", "missing"], "  missing: no such file or folder"),
        (["import", "native", ".", "-o", "novalue"], "error: --option expects KEY=VALUE, got 'novalue'"),
        (["export", "out", "--format", "xml"], "error: unknown export format 'xml' (csv or jsonl)"),
        (["demo", "--size", "huge"], "error: unknown size 'huge' (sizes: demo, small, medium, bench)"),
        (["report", "--as-of", "2025-13-01"], "error: --as-of: '2025-13-01' is not a date (YYYY-MM-DD)"),
        (["token", "create", "--role", "god"], "error: --role: 'god' is not one of account_manager"),
        (["token", "create", "--role", "account_manager"], "error: --role account_manager needs --staff ID"),
        (
            ["token", "create", "--role", "admin", "--staff", "nobody"],
            "error: --staff: no staff member 'nobody'",
        ),
    ],
)
def test_expected_errors_are_one_line(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == EXIT_INPUT, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_export_without_a_store(runner: CliRunner) -> None:
    result = runner.invoke(app, ["export", "out"])
    assert result.exit_code == EXIT_STORE
    assert result.output.startswith("error: store unavailable:") and "run init first" in result.output


def test_unreachable_store_exit_code(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")
    monkeypatch.setenv("NEO4J_PASSWORD", "hunter2")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == EXIT_STORE, result.output
    assert result.output.startswith("error: store unavailable:")
    assert "127.0.0.1:9" in result.output and "hunter2" not in result.output
    assert "Traceback" not in result.output


def test_export_and_reimport(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["import", "native", str(write_csv(tmp_path / "in"))])
    result = runner.invoke(app, ["export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"exported {sum(data_rows().values())} records to")
    assert (tmp_path / "out" / "interactions.csv").read_text().count("\n") == 7
    result = runner.invoke(
        app, ["--data-dir", str(tmp_path / "copy"), "import", "native", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    runner.invoke(app, ["--data-dir", str(tmp_path / "copy"), "export", str(tmp_path / "out2")])
    for path in (tmp_path / "out").iterdir():
        assert (tmp_path / "out2" / path.name).read_bytes() == path.read_bytes()
    result = runner.invoke(app, ["export", str(tmp_path / "json"), "--format", "jsonl"])
    assert result.exit_code == 0 and (tmp_path / "json" / "contacts.jsonl").exists()


def test_demo_is_idempotent_and_reported(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--size", "demo", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "kamgraph demo (size demo, seed 7)" in result.output
    counts = _counts(tmp_path)
    assert counts["account"] == 50 and counts["interaction"] > 1000
    again = runner.invoke(app, ["demo", "-q"])
    assert again.exit_code == 0 and again.output == ""
    assert _counts(tmp_path) == counts
    report = runner.invoke(app, ["report", "--as-of", "2026-11-01", "--out", str(tmp_path / "report")])
    assert report.exit_code == 0, report.output
    assert (tmp_path / "report" / "report.html").exists()
    later = runner.invoke(app, ["report", "--as-of", "2026-11-01", "--compare-to", "2026-12-01"])
    assert later.exit_code == EXIT_INPUT
    assert later.output == "error: --compare-to 2026-12-01 must be before the report day 2026-11-01\n"
    # the demo stored its reference date: a report without --as-of is of that day, not today's
    store = SqliteStore(tmp_path / "data")
    try:
        assert store.reference_date() == date(2026, 11, 1)
    finally:
        store.close()
    default = runner.invoke(app, ["report", "--compare-to", "2026-11-02"])
    assert default.exit_code == EXIT_INPUT
    assert default.output == "error: --compare-to 2026-11-02 must be before the report day 2026-11-01\n"


def test_tokens(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["import", "native", str(write_csv(tmp_path / "in"))])
    result = runner.invoke(
        app, ["token", "create", "--role", "account_manager", "--staff", "s1", "--name", "sam"]
    )
    assert result.exit_code == 0, result.output
    token = result.stdout.strip().splitlines()[-1]
    assert len(token) == 43
    store = SqliteStore(tmp_path / "data")
    try:
        stored = store.get_token(hashlib.sha256(token.encode()).hexdigest())
        assert stored is not None and stored.role == "account_manager" and stored.staff_id == "s1"
        assert token not in str(store.list_tokens())
    finally:
        store.close()
    assert runner.invoke(app, ["token", "create", "--role", "leadership"]).exit_code == 0
    listing = runner.invoke(app, ["token", "list"])
    assert listing.exit_code == 0 and "sam" in listing.output and "leadership" in listing.output
    assert token not in listing.output
    revoked = runner.invoke(app, ["token", "revoke", "sam"])
    assert revoked.exit_code == 0 and "token 'sam' revoked" in revoked.output
    assert "yes" in runner.invoke(app, ["token", "list"]).output
    missing = runner.invoke(app, ["token", "revoke", "nobody"])
    assert missing.exit_code == EXIT_INPUT and "no token named 'nobody'" in missing.output


def test_console_script_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0 and "kamgraph" in result.stdout


def test_serve_answers_over_http(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "KAMGRAPH_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEO4J_URI", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"})
                break
            except httpx.TransportError:
                assert server.poll() is None, "kamgraph serve exited"
                assert time.monotonic() < deadline, "kamgraph serve did not answer within 60 s"
                time.sleep(0.3)
        assert response.json() == {"data": {"__typename": "Query"}}
    finally:
        server.terminate()
        server.wait(timeout=30)
