"""End to end in headless Chromium: sign-in, the relationship map of the single-threaded demo
account, what-if, time travel, role scoping by URL and the portfolio dashboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import DemoServer, browser_page

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (empty sessionStorage) at desktop size."""
    yield from browser_page(browser)


def sign_in(page: Any, server: DemoServer, token: str, route: str = "#/accounts") -> None:
    page.goto(f"{server.url}/{route}")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator("#who").wait_for(state="visible")


def open_account(page: Any, server: DemoServer, account_id: str) -> None:
    page.goto(f"{server.url}/#/account/{account_id}")
    shown = page.locator('[data-testid="relationship-map"], [data-testid="page-error"]')
    shown.first.wait_for()
    error = page.locator('[data-testid="page-error"]')
    assert not error.count(), f"the account page shows an error: {error.inner_text()}\n{server.log_tail()}"


def test_sign_in_lists_accounts_and_refuses_a_bad_token(demo_server: DemoServer, page: Any) -> None:
    page.goto(demo_server.url)
    assert page.locator("#dev-banner").is_visible()  # development mode is clearly marked
    page.get_by_label("API token").fill("not-a-token")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("alert").wait_for()
    assert "not accepted" in page.get_by_role("alert").inner_text()

    page.get_by_role("button", name=re.compile("demo token")).click()
    rows = page.locator('[data-testid="accounts-table"] tbody tr[data-account]')
    rows.first.wait_for()
    assert rows.count() == 25  # paged
    page.get_by_role("button", name="Next page").click()
    page.get_by_text("Page 2").wait_for()
    page.get_by_label("Name contains").fill("Northwind")
    page.get_by_role("button", name="Filter").click()
    page.locator('tr[data-account="acc-0001"]').wait_for()


def test_single_threaded_account_shows_its_single_point_of_contact(
    demo_server: DemoServer, page: Any, artifacts: Path
) -> None:
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, demo_server.facts["single_threaded"])
    spoc = page.locator('[data-testid="relationship-map"] g.node.spoc')
    assert spoc.count() == 1
    assert spoc.get_attribute("data-person") == demo_server.facts["single_contact"]
    assert spoc.get_attribute("data-side") == "theirs"
    assert "single point of contact" in (spoc.first.get_attribute("aria-label") or "")
    assert page.locator('[data-testid="spoc-names"]').inner_text() != "none"
    # keyboard: Enter on the highlighted person opens their panel
    spoc.focus()
    page.keyboard.press("Enter")
    panel = page.locator("#person-panel")
    panel.wait_for()
    assert "single point of contact" in panel.inner_text()
    assert panel.get_by_role("button", name="Remove in what-if").is_visible()
    # a tie's evidence shows on focus
    page.locator("g.tie-group").first.focus()
    assert "strength" in page.locator('[data-testid="tie-evidence"]').inner_text()
    page.screenshot(path=str(artifacts / "account-map.png"), full_page=True)


def test_removing_the_single_point_of_contact_drops_coverage(demo_server: DemoServer, page: Any) -> None:
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, demo_server.facts["single_threaded"])
    before = float(page.locator('[data-testid="coverage-score"]').get_attribute("data-value") or "nan")
    spoc_id = demo_server.facts["single_contact"]
    page.get_by_role("checkbox", name=re.compile("single point of contact")).check()
    after_box = page.locator('[data-testid="coverage-score-after"]')
    after_box.wait_for()
    assert float(after_box.get_attribute("data-value") or "nan") < before
    assert "what-if" in after_box.inner_text()
    assert page.locator('[data-testid="threads-after"]').get_attribute("data-value") == "0"
    assert (
        page.locator(f'g.node[data-person="{spoc_id}"]').get_attribute("class").split().count("removed") == 1
    )
    page.get_by_role("button", name="Reset what-if").click()
    after_box.wait_for(state="detached")


def test_moving_the_as_of_date_back_redraws_the_map(demo_server: DemoServer, page: Any) -> None:
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, demo_server.facts["single_threaded"])
    ties = page.locator("g.tie-group")

    people = page.locator("g.node")

    def signature() -> tuple[list[tuple[str | None, str | None]], list[str | None]]:
        return (
            [(t.get_attribute("data-tie"), t.get_attribute("data-strength")) for t in ties.all()],
            [p.get_attribute("data-person") for p in people.all()],
        )

    today = signature()
    page.get_by_label("As of", exact=True).fill("2025-02-01")
    page.locator('#map[data-as-of="2025-02-01"]').wait_for()
    assert page.locator("#map-date").inner_text() == "as of 2025-02-01"
    assert signature() != today


def test_an_account_manager_cannot_open_another_managers_account(demo_server: DemoServer, page: Any) -> None:
    sign_in(page, demo_server, demo_server.tokens["manager"])
    rows = page.locator('[data-testid="accounts-table"] tbody tr[data-account]')
    rows.first.wait_for()
    shown = {rows.nth(i).get_attribute("data-account") for i in range(rows.count())}
    assert demo_server.facts["single_threaded"] in shown
    assert demo_server.facts["foreign_account"] not in shown
    page.goto(f"{demo_server.url}/#/account/{demo_server.facts['foreign_account']}")
    error = page.locator('[data-testid="page-error"]')
    error.wait_for()
    assert page.locator('[data-testid="relationship-map"]').count() == 0
    # their own account still opens
    open_account(page, demo_server, demo_server.facts["single_threaded"])


def test_portfolio_lists_the_top_exposures(demo_server: DemoServer, page: Any, artifacts: Path) -> None:
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    page.goto(f"{demo_server.url}/#/portfolio")
    exposures = page.locator('[data-testid="top-exposures"] tbody tr[data-person]')
    exposures.first.wait_for(timeout=90_000)  # the first portfolio read analyses every account
    assert exposures.count() >= 3
    values = [
        float(exposures.nth(i).locator("td[data-value]").get_attribute("data-value") or 0) for i in range(3)
    ]
    assert values[0] > 0
    assert values == sorted(values, reverse=True)
    assert {exposures.nth(i).get_attribute("data-side") for i in range(exposures.count())} == {
        "ours",
        "theirs",
    }
    assert page.locator('[data-testid="ranked-accounts"] tbody tr[data-account]').count() >= 3
    assert page.locator('[data-testid="concentration-chart"] line.threshold').count() == 2
    # an account with no required role covered shows as exposed, with all of its revenue, not as 0
    exposed = page.locator('[data-testid="ranked-accounts"] tbody tr[data-account]:has(.badge.exposed)')
    assert exposed.count() >= 1
    for i in range(exposed.count()):
        row = exposed.nth(i)
        account_id = row.get_attribute("data-account")
        facts = _graphql(
            page,
            demo_server,
            '{ account(id: "ID") { annualRevenue exposed analysis { coverage { roles { covered } } } } }'.replace(
                "ID", str(account_id)
            ),
        )["account"]
        assert facts["exposed"] and not any(r["covered"] for r in facts["analysis"]["coverage"]["roles"])
        shown = row.locator('[data-testid="account-rar"]').inner_text()
        assert shown.startswith("exposed") and _money_value(shown) == pytest.approx(
            facts["annualRevenue"], rel=0.05
        )
    assert _money_value(page.locator('[data-testid="portfolio-exposed"]').inner_text()) > 0
    # the next meetings across the portfolio, as the API ranks them (highest value first)
    meetings = page.locator('[data-testid="portfolio-actions"] li[data-account]')
    meetings.first.wait_for(timeout=60_000)
    ranked = _graphql(
        page,
        demo_server,
        "{ portfolio { recommendedActions(first: 10, accounts: 20) { accountId action { staffId value } } } }",
    )["portfolio"]["recommendedActions"]
    values = [r["action"]["value"] for r in ranked]
    assert values == sorted(values, reverse=True) and values[0] > 0
    assert [meetings.nth(i).get_attribute("data-account") for i in range(meetings.count())] == [
        r["accountId"] for r in ranked
    ]
    page.screenshot(path=str(artifacts / "portfolio.png"), full_page=True)


def _graphql(page: Any, server: DemoServer, query: str, token: str | None = None) -> Any:
    """Ask the app's API from inside the page, with ``token`` (the leadership token by default)."""
    token = token or server.tokens["leadership"]
    body = page.evaluate(
        """async ([url, token, query]) => (await fetch(url, {method: "POST",
            headers: {"content-type": "application/json", authorization: `Bearer ${token}`},
            body: JSON.stringify({query})})).json()""",
        [f"{server.url}/graphql", token, query],
    )
    assert "errors" not in body, body
    return body["data"]


def _money_value(text: str) -> float:
    """The amount of a money text as the pages write it (``2.4 M``, ``950 k``, ``1,234``)."""
    found = re.search(r"([0-9][0-9.,]*)\s*([kKMB])?", text.replace("\u00a0", " "))
    assert found is not None, text
    scale = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9}.get(found.group(2) or "", 1.0)
    return float(found.group(1).replace(",", "")) * scale


def test_account_page_recommends_the_next_meetings(
    demo_server: DemoServer, page: Any, artifacts: Path
) -> None:
    account_id = demo_server.facts["single_threaded"]
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, account_id)
    items = page.locator('[data-testid="next-actions"] li[data-staff]')
    items.first.wait_for()
    data = _graphql(
        page,
        demo_server,
        '{ account(id: "ID") { recommendedActions(first: 3) { staffId contactId coverageBefore coverageAfter } } }'.replace(
            "ID", account_id
        ),
    )
    expected = data["account"]["recommendedActions"]
    assert items.count() == len(expected) >= 1
    for i, action in enumerate(expected):
        item = items.nth(i)
        assert (item.get_attribute("data-staff"), item.get_attribute("data-contact")) == (
            action["staffId"],
            action["contactId"],
        )
        assert f"coverage {action['coverageBefore']:.0f} → {action['coverageAfter']:.0f}" in item.inner_text()
    # the plan adds coverage step by step, from the account's own score
    shown = page.locator('[data-testid="coverage-score"]').inner_text()
    assert f"{expected[0]['coverageBefore']:.0f}" in shown
    page.locator('[data-testid="next-actions"]').screenshot(path=str(artifacts / "next-actions.png"))


def test_referral_network_and_warm_paths_explain_each_hop(demo_server: DemoServer, page: Any) -> None:
    first, second, third = demo_server.facts["referral_chain"].split(",")[:3]
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    page.goto(f"{demo_server.url}/#/account/{second}/referrals")
    page.locator('[data-testid="referral-graph"]').wait_for()
    assert page.locator(f'[data-testid="referral-tree"] li[data-referral="{third}"]').count() == 1
    received = page.locator('section[aria-labelledby="rr-title"] li')
    assert received.count() >= 1 and first in (received.first.locator("a").get_attribute("href") or "")

    page.goto(f"{demo_server.url}/#/paths/{demo_server.facts['job_changer']}")
    path = page.locator('[data-testid="warm-path"]').first
    path.wait_for()
    hops = path.locator("ol.hops li")
    assert hops.count() >= 1
    assert re.search(r"knows|work together|colleagues|refer", hops.first.inner_text())


def test_phone_width_has_no_sideways_scrolling(
    demo_server: DemoServer, browser: Any, artifacts: Path
) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        pg = context.new_page()
        sign_in(pg, demo_server, demo_server.tokens["leadership"])
        pg.locator('[data-testid="accounts-table"] tbody tr[data-account]').first.wait_for()
        open_account(pg, demo_server, demo_server.facts["single_threaded"])
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        pg.screenshot(path=str(artifacts / "account-phone.png"), full_page=True)
    finally:
        context.close()
