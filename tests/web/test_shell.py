"""The page shell and assets as served by :func:`api.web.mount_web` (no browser needed)."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from fastapi import FastAPI

from api.settings import Settings
from api.web import WEB_DIR, mount_web


def get(settings: Settings, path: str) -> httpx.Response:
    """GET ``path`` from an app that serves only the pages."""
    app = FastAPI()
    mount_web(app, settings)

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://kamgraph.test") as client:
            return await client.get(path)

    return asyncio.run(run())


def meta(page: str, name: str) -> str:
    match = re.search(rf'<meta name="{name}" content="([^"]*)">', page)
    assert match, f"no {name} meta tag"
    return match.group(1)


def test_production_shell_has_no_demo_token_even_when_one_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAMGRAPH_DEMO_TOKEN", "s3cret-demo")
    response = get(Settings(environment="production"), "/")
    assert response.status_code == 200
    assert meta(response.text, "kamgraph-environment") == "production"
    assert meta(response.text, "kamgraph-demo-token") == ""
    assert "s3cret-demo" not in response.text
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in response.headers["content-security-policy"]


def test_development_shell_offers_the_configured_demo_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMGRAPH_DEMO_TOKEN", 'demo"<token>')
    page = get(Settings(environment="development"), "/").text
    assert meta(page, "kamgraph-environment") == "development"
    assert meta(page, "kamgraph-demo-token") == "demo&quot;&lt;token&gt;"  # escaped, never raw markup


def test_development_without_a_demo_token_only_marks_the_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAMGRAPH_DEMO_TOKEN", raising=False)
    page = get(Settings(environment="development"), "/").text
    assert meta(page, "kamgraph-environment") == "development"
    assert meta(page, "kamgraph-demo-token") == ""


@pytest.mark.parametrize("name", sorted(p.relative_to(WEB_DIR).as_posix() for p in WEB_DIR.rglob("*.js")))
def test_every_module_is_served_as_javascript(name: str) -> None:
    response = get(Settings(environment="production"), f"/app/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")


def test_assets_are_local_and_nothing_outside_the_folder_is_served() -> None:
    settings = Settings(environment="production")
    for path in WEB_DIR.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not re.search(
                r"""(src|href)=["']https?://|url\(["']?https?://|fetch\(["']https?://""", text
            ), f"{path.name} loads something from the network"
    assert get(settings, "/app/../web.py").status_code == 404
    assert get(settings, "/app/%2e%2e/web.py").status_code == 404
    assert get(settings, "/app/missing.js").status_code == 404
