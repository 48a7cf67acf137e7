"""In headless Chromium: the pages show and default to the day the server analyses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.web.conftest import DemoServer, browser_page

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    yield from browser_page(browser)


def test_the_header_shows_the_reference_date_and_pages_default_to_it(
    demo_server: DemoServer, page: Any
) -> None:
    reference = demo_server.facts["reference_date"]
    assert reference != datetime.now(UTC).date().isoformat()  # the demo's day, not the calendar's
    page.goto(f"{demo_server.url}/#/portfolio")
    page.get_by_label("API token").fill(demo_server.tokens["leadership"])
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.locator("#who").wait_for(state="visible")
    page.wait_for_function("() => document.getElementById('reference-label').textContent !== ''")
    assert page.locator("#reference-label").inner_text() == f"data as of {reference}"
    page.goto(f"{demo_server.url}/#/portfolio")
    picker = page.locator("#p-as-of")
    picker.wait_for()
    assert picker.input_value() == reference
