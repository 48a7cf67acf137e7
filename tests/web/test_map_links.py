"""In headless Chromium: the map draws the links between their people (ties from shared
interactions, reporting and influence lines) with a toggle and their evidence on hover and focus,
and the account and portfolio pages show the changes between two dates."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import DemoServer, browser_page
from tests.web.test_pages import open_account, sign_in

pytestmark = pytest.mark.browser

MAPS = """query Maps($first: Int!) { accounts(first: $first) { edges { node { id
  relationshipMap { contacts orgLines influenceLines tieColumns ties } } } } }"""


def graphql(server: DemoServer, query: str, variables: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(
        f"{server.url}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={
            "Authorization": f"Bearer {server.tokens['leadership']}",
            "Content-Type": "application/json",
        },
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    assert "errors" not in body, body
    return body["data"]


def hover_path(page: Any, group: Any) -> None:
    """Move the real mouse onto a point of the group's path that no other element covers."""
    group.scroll_into_view_if_needed()
    handle = group.element_handle()
    point = page.evaluate(
        """(g) => {
          const path = g.querySelector("path.hit");
          const total = path.getTotalLength();
          for (const f of [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85]) {
            const p = path.getPointAtLength(total * f);
            const m = path.getScreenCTM();
            const x = m.a * p.x + m.c * p.y + m.e;
            const y = m.b * p.x + m.d * p.y + m.f;
            if (g.contains(document.elementFromPoint(x, y))) return { x, y };
          }
          return null;
        }""",
        handle,
    )
    assert point is not None, "no uncovered point on the link"
    page.mouse.move(point["x"], point["y"])


def contact_links(node: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """The links between current contacts in an account's map, per kind (derived from the map)."""
    m = node["relationshipMap"]
    current = {c["contact_id"] for c in m["contacts"] if not c["left"]}
    cols = m["tieColumns"]
    ties = [dict(zip(cols, row, strict=True)) for row in m["ties"]]
    return {
        "tie": [(t["a"], t["b"]) for t in ties if t["a"] in current and t["b"] in current],
        "reports_to": [
            (x["source"], x["target"]) for x in m["orgLines"] if {x["source"], x["target"]} <= current
        ],
        "influences": [
            (x["source"], x["target"]) for x in m["influenceLines"] if {x["source"], x["target"]} <= current
        ],
    }


@pytest.fixture(scope="module")
def linked(demo_server: DemoServer) -> tuple[str, dict[str, list[tuple[str, str]]]]:
    """A demo account whose map has all three kinds of links between their people."""
    edges = graphql(demo_server, MAPS, {"first": 100})["accounts"]["edges"]
    for edge in edges:
        links = contact_links(edge["node"])
        if all(links.values()):
            return edge["node"]["id"], links
    raise AssertionError("no demo account has ties, reporting and influence lines between its contacts")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from browser_page(browser, timeout_ms=30_000)


def test_map_draws_links_between_their_people_with_a_toggle_and_evidence(
    demo_server: DemoServer, page: Any, artifacts: Path, linked: tuple[str, dict[str, list[tuple[str, str]]]]
) -> None:
    account_id, links = linked
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, account_id)
    layer = page.locator('[data-testid="contact-links"]')
    for kind, pairs in links.items():
        drawn = layer.locator(f'.link-group[data-kind="{kind}"]')
        assert drawn.count() == len(pairs), kind
        assert {
            (drawn.nth(i).get_attribute("data-a"), drawn.nth(i).get_attribute("data-b"))
            for i in range(drawn.count())
        } == set(pairs)

    # the strongest tie between two of their people on the map: hovering it shows its evidence
    drawn_ties = {frozenset(pair) for pair in links["tie"]}
    tie = next(
        t
        for t in graphql(
            demo_server,
            """query T($id: ID!) { account(id: $id) { analysis {
                 ties(first: 100, kind: CONTACT_CONTACT) { a b strength interactions evidence { interactionId } } } } }""",
            {"id": account_id},
        )["account"]["analysis"]["ties"]
        if frozenset((t["a"], t["b"])) in drawn_ties
    )
    group = layer.locator(
        f'.link-group[data-kind="tie"][data-a="{tie["a"]}"][data-b="{tie["b"]}"], '
        f'.link-group[data-kind="tie"][data-a="{tie["b"]}"][data-b="{tie["a"]}"]'
    )
    hover_path(page, group)
    evidence = page.locator('[data-testid="link-evidence"]')
    evidence.wait_for()
    assert evidence.get_attribute("data-kind") == "tie"
    assert page.locator('[data-testid="link-strength"]').inner_text() == f"{tie['strength']:.2f}"
    assert f"{tie['interactions']} interaction(s)" in evidence.inner_text()
    rows = page.locator('[data-testid="tie-evidence"] tbody tr')
    assert rows.count() == min(12, len(tie["evidence"]))
    page.screenshot(path=str(artifacts / "account-map-contact-links.png"), full_page=True)

    # focus (keyboard) on a reporting line: its evidence names the manager and the 0.5 it counts
    source, target = links["reports_to"][0]
    line = layer.locator(f'.link-group[data-kind="reports_to"][data-a="{source}"][data-b="{target}"]')
    line.focus()
    assert page.locator('[data-testid="link-evidence"]').get_attribute("data-kind") == "reports_to"
    assert "reports to" in page.locator('[data-testid="link-evidence"]').inner_text()
    assert page.locator('[data-testid="link-strength"]').inner_text() == "0.50"

    influence = layer.locator('.link-group[data-kind="influences"]').first
    influence.focus()
    assert "influences" in page.locator('[data-testid="link-evidence"]').inner_text()

    # the toggle hides the layer and brings it back
    page.locator('[data-testid="contact-links-toggle"]').uncheck()
    assert page.locator('[data-testid="contact-links"]').get_attribute("display") == "none"
    assert not page.locator('.link-group[data-kind="tie"]').first.is_visible()
    page.locator('[data-testid="contact-links-toggle"]').check()
    assert page.locator('[data-testid="contact-links"]').get_attribute("display") is None
    assert page.locator('.link-group[data-kind="tie"]').first.is_visible()


def test_account_and_portfolio_pages_show_the_changes_between_two_dates(
    demo_server: DemoServer, page: Any, artifacts: Path, linked: tuple[str, dict[str, list[tuple[str, str]]]]
) -> None:
    account_id, _ = linked
    # The pages analyse the store's reference date (the demo's last day), as the API does.
    reference = graphql(demo_server, "{ referenceDate }", {})["referenceDate"]
    today = date.fromisoformat(reference) if reference else date.today()
    before = (today - timedelta(days=365)).isoformat()
    expected = graphql(
        demo_server,
        """query D($id: ID!, $from: Date!, $to: Date) { accountDiff(id: $id, from: $from, to: $to) {
             changes people { key change } } }""",
        {"id": account_id, "from": before, "to": today.isoformat()},
    )["accountDiff"]
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    open_account(page, demo_server, account_id)
    page.locator("#diff-from").fill(before)
    page.locator("#diff-run").click()
    summary = page.locator('[data-testid="diff-summary"]')
    summary.wait_for()
    assert summary.locator("strong").first.inner_text() == str(expected["changes"])
    shown = page.locator('[data-subject="people"] li')
    assert {
        (shown.nth(i).get_attribute("data-key"), shown.nth(i).get_attribute("data-change"))
        for i in range(shown.count())
    } == {(p["key"], p["change"].lower()) for p in expected["people"]}
    page.locator("#diff-panel").screenshot(path=str(artifacts / "account-diff.png"))

    portfolio = graphql(
        demo_server,
        """query P($from: Date!, $to: Date) { portfolioDiff(from: $from, to: $to) {
             riskier { accountId } improved { accountId } } }""",
        {"from": before, "to": today.isoformat()},
    )["portfolioDiff"]
    page.goto(f"{demo_server.url}/#/portfolio")
    page.locator("#pd-from").fill(before)
    page.locator("#pd-run").click()
    page.locator('[data-testid="portfolio-diff-summary"]').wait_for()
    riskier = page.locator('[data-testid="diff-riskier"] tbody tr')
    assert [riskier.nth(i).get_attribute("data-account") for i in range(riskier.count())] == [
        r["accountId"] for r in portfolio["riskier"]
    ]
    improved = page.locator('[data-testid="diff-improved"] tbody tr')
    assert improved.count() == len(portfolio["improved"])
