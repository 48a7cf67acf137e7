"""The pages in Simplified Chinese (zh-CN) and English in headless Chromium: the language switch in
the header and the browser's own language pick the locale; labels, money and dates follow it, and
switching back restores the English pages unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import DemoServer, browser_page
from tests.web.test_pages import DESKTOP, _graphql, open_account, sign_in

pytestmark = pytest.mark.browser

#: Labels the account page shows in zh-CN.
ACCOUNT_LABELS = (
    "关系图谱",
    "决策链",
    "覆盖度",
    "风险收入",
    "单点联系人",
    "推荐的下一步会面",
    "假设分析",
    "客户计划",
)
#: The columns of the accounts list in zh-CN.
LIST_COLUMNS = ["客户", "客户分级", "健康度", "覆盖度", "关系线", "收入", "风险收入", "最近一次高层互动"]


def zh_day(iso: str) -> str:
    """A day as zh-CN writes it in full: ``2026年11月1日``."""
    d = date.fromisoformat(iso[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def _significant(x: Decimal, digits: int = 3) -> Decimal:
    return x.quantize(Decimal(1).scaleb(x.adjusted() - digits + 1), rounding=ROUND_HALF_UP)


def zh_money(value: float) -> str:
    """Money as zh-CN's compact notation writes it, to 3 significant digits: ``429万``, ``1.23亿``."""
    n = Decimal(str(value))
    if abs(n) < 10**4:
        return f"{int(n.quantize(Decimal(1), rounding=ROUND_HALF_UP)):,}"
    unit, scale = ("亿", Decimal(10**8)) if abs(n) >= 10**8 else ("万", Decimal(10**4))
    shown = _significant(n / scale)
    if unit == "万" and abs(shown) >= 10**4:  # rounds up into the next unit
        unit, shown = "亿", _significant(n / Decimal(10**8))
    return f"{format(shown.normalize(), 'f')}{unit}"


def en_money(value: float) -> str:
    """Money as the English pages write it: ``4.29 M``, ``950 k``."""
    if abs(value) >= 1e6:
        return f"{value / 1e6:.{1 if value >= 1e7 else 2}f} M"
    if abs(value) >= 1e3:
        return f"{value / 1e3:.0f} k"
    return f"{value:.0f}"


def test_the_expected_formats_are_computed_independently() -> None:
    assert zh_day("2026-11-01") == "2026年11月1日"
    assert zh_money(4_290_000) == "429万"
    assert zh_money(12_000) == "1.2万"
    assert zh_money(123_456_789) == "1.23亿"
    assert zh_money(99_995_000) == "1亿"
    assert zh_money(3_456) == "3,456"
    assert en_money(4_290_000) == "4.29 M"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh English browser context (empty localStorage) at desktop size."""
    yield from browser_page(browser, timeout_ms=30_000, locale="en-US")


def missing_keys(page: Any) -> list[str]:
    """The texts the pages asked for that the Chinese dictionary lacks."""
    keys: list[str] = page.evaluate("async () => (await import('/app/i18n.js')).missingKeys()")
    return keys


def html_lang(page: Any) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def choose(page: Any, locale: str) -> None:
    page.locator('[data-testid="locale-switch"]').select_option(locale)
    page.wait_for_function("(l) => document.documentElement.lang === l", arg=locale)


def test_the_language_switch_shows_the_pages_in_chinese_and_back_in_english(
    demo_server: DemoServer, page: Any, artifacts: Path
) -> None:
    account_id = demo_server.facts["single_threaded"]
    reference = demo_server.facts["reference_date"]
    sign_in(page, demo_server, demo_server.tokens["leadership"])
    page.locator('[data-testid="accounts-table"] tbody tr[data-account]').first.wait_for()
    assert html_lang(page) == "en"
    assert page.locator("h1").inner_text() == "Accounts"

    choose(page, "zh-CN")
    page.get_by_role("heading", name="客户", exact=True).wait_for()
    assert page.evaluate("localStorage.getItem('kamgraph.locale')") == "zh-CN"
    assert page.locator('#nav a[data-nav="portfolio"]').inner_text() == "客户组合"
    assert page.locator("#reference-label").inner_text() == f"数据截至 {zh_day(reference)}"
    head = page.locator('[data-testid="accounts-table"] thead').inner_text()
    assert "风险收入" in head  # a column of the list

    # the account page: labels, money and dates the zh-CN way
    open_account(page, demo_server, account_id)
    text = page.locator("main").inner_text()
    for label in ACCOUNT_LABELS:
        assert label in text, label
    revenue = _graphql(page, demo_server, f'{{ account(id: "{account_id}") {{ annualRevenue }} }}')[
        "account"
    ]["annualRevenue"]
    assert page.locator('[data-testid="account-revenue"]').inner_text() == zh_money(revenue)
    assert page.locator("#map-date").inner_text() == f"截至 {zh_day(reference)}"
    spoc = page.locator('[data-testid="relationship-map"] g.node.spoc').first
    assert "单点联系人" in (spoc.get_attribute("aria-label") or "")
    legend = page.locator('[data-testid="map-legend"]').inner_text()
    assert "支持者" in legend and "经济决策者" in legend
    page.locator('[data-testid="next-actions"] li[data-staff]').first.wait_for()
    page.screenshot(path=str(artifacts / "zh-CN-account.png"), full_page=True)

    # the portfolio: totals, the ranking, alerts titled by kind with their facts in Chinese
    page.goto(f"{demo_server.url}/#/portfolio")
    page.locator('[data-testid="top-exposures"] tbody tr[data-person]').first.wait_for(timeout=90_000)
    text = page.locator("main").inner_text()
    for label in ("风险收入", "暴露", "收入集中度", "预警", "关系线"):
        assert label in text, label
    totals = _graphql(page, demo_server, "{ portfolio { totals { annualRevenue } } }")["portfolio"]["totals"]
    assert page.locator('[data-testid="portfolio-revenue"]').inner_text() == zh_money(totals["annualRevenue"])
    assert (
        page.locator('[data-testid="portfolio-as-of"]').inner_text().startswith(f"截至 {zh_day(reference)}")
    )
    spocs = page.locator('[data-testid="alerts"] li[data-alert="single_point_of_contact"]')
    assert spocs.count() >= 1
    first = spocs.first
    assert first.locator('[data-testid="alert-title"]').inner_text() == "单点联系人"
    assert "独自维系着通往决策者的全部关系线" in first.locator('[data-testid="alert-message"]').inner_text()
    assert "alone holds every relationship thread" in (first.get_attribute("title") or "")  # English kept
    page.locator('[data-testid="portfolio-actions"] li[data-account]').first.wait_for(timeout=60_000)
    page.screenshot(path=str(artifacts / "zh-CN-portfolio.png"), full_page=True)
    assert missing_keys(page) == []

    # back to English: the same labels and formats as before
    choose(page, "en")
    page.locator('[data-testid="portfolio-revenue"]').wait_for()
    page.get_by_role("heading", name="Accounts by revenue at risk").wait_for()
    assert page.evaluate("localStorage.getItem('kamgraph.locale')") == "en"
    assert page.locator('[data-testid="portfolio-revenue"]').inner_text() == en_money(totals["annualRevenue"])
    assert page.locator('#nav a[data-nav="portfolio"]').inner_text() == "Portfolio"
    assert page.locator("#reference-label").inner_text() == f"data as of {reference}"
    spoc_alert = page.locator('[data-testid="alerts"] li[data-alert="single_point_of_contact"]').first
    assert spoc_alert.locator('[data-testid="alert-title"]').inner_text() == "single point of contact"
    assert (
        "alone holds every relationship thread"
        in spoc_alert.locator('[data-testid="alert-message"]').inner_text()
    )
    open_account(page, demo_server, account_id)
    text = page.locator("main").inner_text()
    assert "Relationship map" in text and "Coverage per role" in text and "关系图谱" not in text
    assert page.locator('[data-testid="account-revenue"]').inner_text() == en_money(revenue)
    assert page.locator("#map-date").inner_text() == f"as of {reference}"
    page.locator('[data-testid="next-actions"] li[data-staff]').first.wait_for()
    page.screenshot(path=str(artifacts / "en-account.png"), full_page=True)


def test_a_chinese_browser_gets_the_chinese_pages(demo_server: DemoServer, browser: Any) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(30_000)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(demo_server.url)
        page.get_by_role("heading", name="登录 kamgraph").wait_for()
        assert html_lang(page) == "zh-CN"
        assert page.locator('[data-testid="locale-switch"]').input_value() == "zh-CN"
        page.get_by_label("API 令牌").fill(demo_server.tokens["leadership"])
        page.get_by_role("button", name="登录", exact=True).click()
        rows = page.locator('[data-testid="accounts-table"] tbody tr[data-account]')
        rows.first.wait_for()
        assert page.locator("h1").inner_text() == "客户"
        columns = [b.inner_text() for b in page.locator('[data-testid="accounts-table"] button.sort').all()]
        assert columns == LIST_COLUMNS
        assert page.locator("#page-info").inner_text().startswith("第 1 页")
        first = rows.first.get_attribute("data-account")
        revenue = _graphql(page, demo_server, f'{{ account(id: "{first}") {{ annualRevenue }} }}')["account"][
            "annualRevenue"
        ]
        assert zh_money(revenue) in rows.first.inner_text()
        # any zh* language picks zh-CN; a stored choice wins over the browser
        picks = page.evaluate(
            """async () => {
              const { pickLocale } = await import('/app/i18n.js');
              return [pickLocale(null, ['zh-TW']), pickLocale(null, ['en-GB', 'zh']), pickLocale(null, ['fr-FR']),
                      pickLocale('en', ['zh-CN']), pickLocale(null, [])];
            }"""
        )
        assert picks == ["zh-CN", "zh-CN", "en", "en", "en"]
        open_account(page, demo_server, demo_server.facts["single_threaded"])
        assert "关系图谱" in page.locator("main").inner_text()
        # the referral network, warm paths and the alert inbox speak Chinese too
        second = demo_server.facts["referral_chain"].split(",")[1]
        page.goto(f"{demo_server.url}/#/account/{second}/referrals")
        page.locator('[data-testid="referral-graph"]').wait_for()
        assert "转介绍网络" in page.locator("h1").inner_text()
        page.goto(f"{demo_server.url}/#/paths/{demo_server.facts['job_changer']}")
        page.locator('[data-testid="warm-path"]').first.wait_for()
        assert "引荐路径" in page.locator("main").inner_text()
        page.goto(f"{demo_server.url}/#/alerts")
        page.get_by_role("heading", name="预警收件箱").wait_for()
        assert missing_keys(page) == []
    finally:
        context.close()
    assert not errors, f"uncaught errors in the page: {errors}"
