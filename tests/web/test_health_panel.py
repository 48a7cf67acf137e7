"""The account page's health panel in headless Chromium: the blended components and the business
signals missing, as the API gives them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from importers import demo
from tests.web.conftest import DemoServer, browser_page
from tests.web.test_pages import open_account, sign_in

pytestmark = pytest.mark.browser

HEALTH = """query ($id: ID!) { account(id: $id) {
  health { score relationshipScore components { name score weight } missing { name reason } evidence } } }"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from browser_page(browser, height=900)


def _health(server: DemoServer, account_id: str) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/graphql",
        json={"query": HEALTH, "variables": {"id": account_id}},
        headers={"Authorization": f"Bearer {server.tokens['leadership']}"},
        timeout=30,
    )
    response.raise_for_status()
    health: dict[str, Any] = response.json()["data"]["account"]["health"]
    return health


def test_the_health_panel_shows_every_component_and_the_renewal_at_risk(
    demo_server: DemoServer, page: Any, artifacts: Path
) -> None:
    account_id = demo.archetypes("demo", 7)["going_cold"][1]
    health = _health(demo_server, account_id)
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, account_id)
    panel = page.locator('[data-testid="health-panel"]')
    panel.locator('[data-testid="health-components"]').wait_for()
    rows = panel.locator("tr[data-component]")
    assert rows.count() == len(health["components"]) == 9
    for component in health["components"]:
        cells = panel.locator(f'tr[data-component="{component["name"]}"] td')
        assert cells.nth(0).inner_text() == f"{component['score'] * 100:.1f}"
    renewal = health["evidence"]["renewal"]
    facts = panel.locator('[data-testid="health-facts"]').inner_text()
    assert f"in {renewal['days_left']} days: not secured" in facts
    assert f"NPS {health['evidence']['satisfaction']['nps']:.0f}" in facts.replace(",", "")
    panel.screenshot(path=str(artifacts / "health-panel.png"))


def test_a_prospect_lists_its_missing_signals_with_the_reasons(demo_server: DemoServer, page: Any) -> None:
    account_id = demo.archetypes("demo", 7)["prospects"][0]
    health = _health(demo_server, account_id)
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, account_id)
    missing = page.locator('[data-testid="health-panel"] li[data-missing]')
    missing.first.wait_for()
    shown = {
        missing.nth(i).get_attribute("data-missing"): missing.nth(i).inner_text()
        for i in range(missing.count())
    }
    assert (
        set(shown)
        == {m["name"] for m in health["missing"]}
        == {"satisfaction", "renewal", "usage", "service"}
    )
    for m in health["missing"]:
        assert m["reason"] in shown[m["name"]]
