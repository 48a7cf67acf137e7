"""Rendering an alert into the channel-neutral message."""

from __future__ import annotations

import pytest

from api.notify.messages import account_link, render
from graph.analysis.alerts import Alert


def test_html_is_escaped_and_text_is_not() -> None:
    alert = Alert("health", "severe", "a&b", "<script>alert(1)</script>", evidence={"note": '"x" & <y>'})
    m = render(alert, account_name="A & B <Ltd>", recipient="Eve <eve@x>", base_url="https://k.example/")
    assert "<script>" not in m.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in m.html
    assert "A &amp; B &lt;Ltd&gt;" in m.html and "Eve &lt;eve@x&gt;" in m.html
    assert "&quot;x&quot; &amp; &lt;y&gt;" in m.html
    assert "<script>alert(1)</script>" in m.text
    assert m.link == "https://k.example/#/account/a%26b"
    assert 'href="https://k.example/#/account/a%26b"' in m.html


def test_title_facts_and_link() -> None:
    alert = Alert("job_change_risk", "warning", "acme", "Ann left", "c-ann", {"to": "globex", "days": 3})
    m = render(alert, account_name="Acme", base_url="http://127.0.0.1:8000")
    assert m.title == "[WARNING] Job change (risk): Acme"
    assert m.severity == "warning" and m.summary == "Ann left"
    assert m.facts == (
        ("Account", "Acme (acme)"),
        ("Person", "c-ann"),
        ("Kind", "job_change_risk"),
        ("Severity", "warning"),
        ("to", "globex"),
        ("days", "3"),
    )
    assert m.text.splitlines()[0] == m.title  # no greeting without a recipient
    assert m.text.endswith("Open the account: http://127.0.0.1:8000/#/account/acme")


def test_an_alert_about_no_account() -> None:
    m = render(Alert("concentration", "severe", None, "one account is 35 % of revenue"), base_url="https://k")
    assert m.title == "[SEVERE] Revenue concentration: portfolio"
    assert m.link == "https://k/"
    assert [label for label, _ in m.facts] == ["Kind", "Severity"]
    assert account_link("https://k/", "x/y") == "https://k/#/account/x%2Fy"


def test_a_message_in_chinese_has_chinese_title_and_labels_and_keeps_the_analysis_line() -> None:
    from graph.analysis.alerts import Alert

    alert = Alert(
        "single_point_of_contact", "severe", "acme", "Ann alone holds every thread", "c-ann", {"threads": 1}
    )
    zh = render(
        alert, account_name="Acme", recipient="王经理", base_url="https://kam.example", locale="zh-CN"
    )
    assert zh.title == "【严重】单点联系人：Acme"
    assert zh.text.splitlines()[0] == "王经理，您好："
    assert "详情（英文）：Ann alone holds every thread" in zh.text
    assert "客户：Acme (acme)" in zh.text and "严重程度：severe" in zh.text
    assert "打开客户页面：https://kam.example/#/account/acme" in zh.text
    assert ">打开客户页面</a>" in zh.html and "<h2>【严重】单点联系人：Acme</h2>" in zh.html
    en = render(alert, account_name="Acme", base_url="https://kam.example")
    assert en.title == "[SEVERE] Single point of contact: Acme" and "Open the account: " in en.text
    with pytest.raises(ValueError, match="unknown locale"):
        render(alert, locale="fr")


def test_chinese_messages_say_the_facts_in_chinese() -> None:
    from graph.analysis.alerts import Alert

    spoc = Alert(
        "single_point_of_contact", "severe", "acme",
        "Sara Alvarez (theirs) alone holds every relationship thread to the decision makers", "c-sa", {"threads": 1},
    )  # fmt: skip
    text = render(spoc, account_name="Acme", locale="zh-CN").text
    assert text.splitlines()[1] == "Sara Alvarez（客户方）独自维系着通往决策者的全部关系线；关系线 1 条"
    cadence = Alert("cadence_breach", "severe", "acme", "no exec-level interaction ever", None,
                    {"tier": "strategic", "required_days": 91})  # fmt: skip
    assert (
        render(cadence, locale="zh-CN").text.splitlines()[1] == "从未有过高层互动（战略客户要求每 91 天一次）"
    )
