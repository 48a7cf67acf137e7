"""graphql-http's GraphQL-over-HTTP audit suite against a live uvicorn server: no MUST fails.

Needs ``npm ci`` in ``tools/graphql-http-audit`` (skipped with a reason otherwise).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.helpers import Portfolio, live_uvicorn

AUDIT = Path(__file__).resolve().parents[2] / "tools" / "graphql-http-audit"


@pytest.fixture
def server(portfolio: Portfolio) -> Iterator[str]:
    env = {"KAMGRAPH_DATA_DIR": str(portfolio.data_dir), "KAMGRAPH_ENVIRONMENT": "production", "PATH": ""}
    with live_uvicorn(env) as (port, _pid):
        yield f"http://127.0.0.1:{port}/graphql"


def test_no_must_failures(server: str) -> None:
    node = shutil.which("node")
    if node is None or not (AUDIT / "node_modules" / "graphql-http").is_dir():
        pytest.skip("run `npm ci` in tools/graphql-http-audit (and install Node.js) for the audit")
    out = subprocess.run(
        [node, "audit.mjs", server, "leadership"],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(out.stdout)
    assert len(results) > 30
    failed = [r for r in results if r["status"] == "error"]
    assert not failed, failed
    warnings = [r["name"] for r in results if r["status"] == "warn"]
    assert not [w for w in warnings if w.startswith("MUST")], warnings
