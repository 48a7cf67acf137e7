"""Test helpers of the API tests: the demo portfolio (generated once per session) and tokens."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from api.auth import hash_token
from graph.backends.sqlite.store import SqliteStore
from graph.store import ApiToken, GraphStore

ROOT = Path(__file__).resolve().parents[2]

TOKENS = {
    "leadership": ("leadership", None),
    "admin": ("admin", None),
    "service": ("service", None),
    "service_admin": ("service:admin", None),
}


@dataclass(frozen=True)
class Portfolio:
    """A demo data dir and the facts the tests need about it."""

    data_dir: Path
    manager_id: str
    manager_accounts: frozenset[str]
    other_account: str
    all_accounts: frozenset[str]
    outside_contact: str
    inside_contact: str


def build_portfolio(data_dir: Path) -> Portfolio:
    """Write the demo portfolio and the tokens into ``data_dir``."""
    from importers import demo

    store = SqliteStore(data_dir)
    store.init()
    try:
        demo.load(store, "demo", seed=7)
        today = store.reference_date() or datetime.now(UTC).date()  # the API's default day
        ids = sorted(a.id for a in store.list_accounts(first=1000).items)
        teams = store.teams_of(ids, today)
        per_staff: dict[str, set[str]] = {}
        for account_id, members in teams.items():
            for m in members:
                per_staff.setdefault(m.staff_id, set()).add(account_id)
        manager_id = min(
            (s for s, a in per_staff.items() if 1 <= len(a) < len(ids)), key=lambda s: (len(per_staff[s]), s)
        )
        mine = frozenset(store.team_accounts(manager_id, today))
        other = next(i for i in ids if i not in mine)
        inside = _contact_at(store, sorted(mine), mine)
        outside = _contact_at(store, [other], mine)
        put_tokens(store, manager_id)
    finally:
        store.close()
    return Portfolio(data_dir, manager_id, mine, other, frozenset(ids), outside, inside)


def _contact_at(store: GraphStore, account_ids: list[str], mine: frozenset[str]) -> str:
    today = store.reference_date() or datetime.now(UTC).date()  # the API's default day
    for account_id in account_ids:
        subgraph = store.account_subgraph(account_id, today)
        contact_ids = [c.id for c in subgraph.contacts]
        jobs = store.employments_of(contact_ids)
        for cid in contact_ids:
            employers = {e.account_id for e in jobs.get(cid, [])}
            if account_id in mine or not employers & mine:
                return cid
    raise AssertionError("no suitable contact in the demo portfolio")


def put_tokens(store: GraphStore, manager_id: str) -> None:
    """Store one token per role; the token text is the role name (``manager`` for the AM)."""
    now = datetime.now(UTC)
    for token, (role, staff) in {**TOKENS, "manager": ("account_manager", manager_id)}.items():
        store.put_token(ApiToken(hash_token(token), token, role, staff, now))
    store.put_token(ApiToken(hash_token("revoked"), "revoked", "admin", None, now, revoked=True))


def copy_portfolio(portfolio: Portfolio, target: Path) -> Portfolio:
    """A private copy of the portfolio (for tests that write)."""
    shutil.copytree(portfolio.data_dir, target)
    return Portfolio(target, *(getattr(portfolio, f) for f in list(Portfolio.__dataclass_fields__)[1:]))


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_uvicorn(
    env: Mapping[str, str], extra_args: Sequence[str] = (), start_timeout: float = 60.0
) -> Iterator[tuple[int, int]]:
    """A real uvicorn serving ``api.app:create_app`` on a free loopback port: ``(port, pid)``.

    Waits until ``/healthz`` answers (fails if the process dies or the timeout passes first) and
    stops the server however the block ends.
    """
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app"]
    command += ["--port", str(port), "--log-level", "warning", *extra_args]
    proc = subprocess.Popen(command, env=dict(env), cwd=ROOT)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        yield port, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
