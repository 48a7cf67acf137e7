"""Browser test harness: the real kamgraph app on a free localhost port, with the demo portfolio,
driven by Debian's Chromium through Playwright (browsers are never downloaded).

One app server and one browser per test module. The app runs in a subprocess with uvicorn on a
temporary ``KAMGRAPH_DATA_DIR`` in development mode with a demo token; the tokens the tests sign
in with are written to the store the way ``kamgraph token create`` does (hashed).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("KAMGRAPH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
DEMO_SEED = 7
STARTUP_SECONDS = 60.0
#: The app factory uvicorn serves.
APP_FACTORY = "api.app:create_app"


@dataclass
class DemoServer:
    """A running app: its base URL, the tokens made for the tests and the demo facts they use."""

    url: str
    tokens: dict[str, str]
    facts: dict[str, str] = field(default_factory=dict)
    log: Path | None = None

    def log_tail(self, chars: int = 3000) -> str:
        """The end of the server's log (for failure messages)."""
        return self.log.read_text(errors="replace")[-chars:] if self.log and self.log.exists() else ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _load_demo(data_dir: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Write the demo portfolio and the test tokens into a fresh store; return tokens and facts."""
    from api.auth import hash_token
    from graph.backends import open_store
    from graph.store import ApiToken
    from importers.demo import REFERENCE_DATE, archetypes, batches, generate

    store = open_store(data_dir=data_dir)
    try:
        store.init()
        store.write_many(batches(generate("demo", DEMO_SEED)))
        store.set_reference_date(REFERENCE_DATE)  # as `kamgraph demo` does
        kinds = archetypes("demo", DEMO_SEED)
        single, contact = _single_threaded(store, kinds)
        today = REFERENCE_DATE  # the day the app analyses by default
        team = store.teams_of([single], today)[single]
        manager = sorted(m.staff_id for m in team)[0]
        mine = set(store.team_accounts(manager, today))
        everything = [a.id for a in store.list_accounts(first=1000).items]
        foreign = next(a for a in everything if a not in mine)
        tokens = {
            "leadership": "web-test-leadership-token",
            "manager": "web-test-manager-token",
            "demo": "web-test-demo-token",
        }
        now = datetime.now(UTC)
        store.put_token(ApiToken(hash_token(tokens["leadership"]), "web leadership", "leadership", None, now))
        store.put_token(
            ApiToken(hash_token(tokens["manager"]), "web manager", "account_manager", manager, now)
        )
        store.put_token(ApiToken(hash_token(tokens["demo"]), "demo", "leadership", None, now))
        facts = {
            "single_threaded": single,
            "single_contact": contact,
            "manager_staff": manager,
            "foreign_account": foreign,
            "reference_date": REFERENCE_DATE.isoformat(),
            "referral_chain": ",".join(kinds["referral_chain"]),
            "job_changer": kinds["champion_to_prospect"][0],
        }
        return tokens, facts
    finally:
        store.close()


def _single_threaded(store: Any, kinds: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """The first documented single-threaded demo account whose documented contact is, today, its
    single point of contact (the threads analysis is the oracle; see the README on the demo)."""
    from graph.analysis.relgraph import relationship_graph
    from graph.analysis.risk import relationship_threads

    today = store.reference_date() or datetime.now(UTC).date()  # the app's default day
    for account_id, contact_id in zip(kinds["single_threaded"], kinds["single_thread_contacts"], strict=True):
        subgraph = store.account_subgraph(account_id, today)
        threads = relationship_threads(relationship_graph(subgraph), subgraph.account.tier)
        if [p.person_id for p in threads.single_points_of_contact] == [contact_id]:
            return account_id, contact_id
    raise AssertionError(f"no single-threaded demo account has its single point of contact today: {kinds}")


def _wait_ready(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the app exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"the app did not answer /healthz within {STARTUP_SECONDS:.0f} s:\n{log.read_text()[-4000:]}"
    )


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """The real app with the demo portfolio, served by uvicorn on a free localhost port."""
    data_dir = tmp_path_factory.mktemp("web-data")
    tokens, facts = _load_demo(data_dir)
    port = _free_port()
    env = dict(os.environ)
    env.update(
        KAMGRAPH_DATA_DIR=str(data_dir),
        KAMGRAPH_ENVIRONMENT="development",
        KAMGRAPH_DEMO_TOKEN=tokens["demo"],
    )
    env.pop("NEO4J_URI", None)
    log = data_dir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                APP_FACTORY,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, proc, log)
        yield DemoServer(url=url, tokens=tokens, facts=facts, log=log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium (skips when it is not installed: `scripts/setup.sh --browser`)."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}; run scripts/setup.sh --browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


def browser_page(
    browser: Any,
    *,
    height: int = 800,
    timeout_ms: int = 20_000,
    locale: str | None = None,
    check_errors: bool = True,
) -> Iterator[Any]:
    """A fresh browser context (empty storage) 1280 pixels wide, and its page; with
    ``check_errors``, an uncaught error in the page fails the test when it ends."""
    options: dict[str, Any] = {"viewport": {"width": 1280, "height": height}}
    if locale is not None:
        options["locale"] = locale
    context = browser.new_context(**options)
    context.set_default_timeout(timeout_ms)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
    finally:
        context.close()
    if check_errors:
        assert not errors, f"uncaught errors in the page: {errors}"


@pytest.fixture
def artifacts() -> Path:
    """The git-ignored folder screenshots are saved into."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
