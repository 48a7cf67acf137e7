"""One alert, rendered once for every channel: title, plain text, HTML, facts and the account link.

The channels (:mod:`api.notify.channels`) shape a :class:`Message` into their own payloads; they
never read the :class:`~graph.analysis.alerts.Alert` themselves, so every channel says the same.

Examples
--------
>>> from graph.analysis.alerts import Alert
>>> alert = Alert("going_cold", "warning", "acme", "tie with Ann is going cold", "c-ann", {"silence_days": 120})
>>> m = render(alert, account_name="Acme <GmbH>", base_url="https://kam.example/")
>>> m.title
'[WARNING] Going cold: Acme <GmbH>'
>>> m.link
'https://kam.example/#/account/acme'
>>> "Acme &lt;GmbH&gt;" in m.html, "silence_days: 120" in m.text
(True, True)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from graph.analysis.alerts import Alert

__all__ = [
    "KIND_LABELS",
    "LOCALES",
    "RECIPIENT_NAME",
    "Message",
    "account_link",
    "kind_label",
    "render",
    "zh_detail",
]

#: The languages a message is written in: English, and Simplified Chinese (the words the web pages
#: use; the analysis' own message line stays English).
LOCALES = ("en", "zh-CN")

#: The evidence key of the name a person's own e-mail greets (set by the alert inbox's escalation).
RECIPIENT_NAME = "recipient_name"

_ZH_KINDS = {
    "job_change_risk": "关键人离职风险",
    "job_change_opportunity": "人员变动机会",
    "going_cold": "关系降温",
    "cadence_breach": "高层拜访频次未达标",
    "single_point_of_contact": "单点联系人",
    "concentration": "收入集中度",
    "health": "客户健康度",
    "renewal_at_risk": "续约风险",
    "test": "测试消息",
}
_ZH_SEVERITIES = {"severe": "严重", "warning": "警告", "info": "提示"}
_ZH_WORDS = {
    "ours": "我方", "theirs": "客户方", "strategic": "战略", "key": "重点", "potential": "潜力",
    "red": "红", "yellow": "黄", "green": "绿", "economic_buyer": "经济决策者", "decision_maker": "决策人",
    "technical_buyer": "技术决策者", "user_buyer": "使用者", "procurement": "采购", "executive_sponsor": "高层发起人",
    "champion": "支持者", "coach": "教练", "influencer": "影响者", "gatekeeper": "把关人", "blocker": "反对者",
}  # fmt: skip
_WORDS = {
    "en": {"hello": "Hello {name},", "account": "Account", "person": "Person", "kind": "Kind",
           "severity": "Severity", "open": "Open the account", "details": "Details"},
    "zh-CN": {"hello": "{name}，您好：", "account": "客户", "person": "人员", "kind": "类型",
              "severity": "严重程度", "open": "打开客户页面", "details": "详情（英文）"},
}  # fmt: skip

#: How each alert kind reads in a title.
KIND_LABELS: dict[str, str] = {
    "job_change_risk": "Job change (risk)",
    "job_change_opportunity": "Job change (opportunity)",
    "going_cold": "Going cold",
    "cadence_breach": "Cadence breach",
    "single_point_of_contact": "Single point of contact",
    "concentration": "Revenue concentration",
    "health": "Account health",
    "renewal_at_risk": "Renewal at risk",
    "test": "Test message",
}


def kind_label(kind: str) -> str:
    """The label of an alert kind (unknown kinds read as their words).

    Examples
    --------
    >>> kind_label("cadence_breach"), kind_label("new_kind")
    ('Cadence breach', 'New kind')
    """
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def zh_detail(alert: Alert) -> str | None:
    """The alert's facts as a Chinese sentence, from its evidence (and the names its English
    message gives); ``None`` when the facts a sentence needs are missing (the English line is
    used then). The web pages build the same sentences (``api/web/alert-text.js``).

    Examples
    --------
    >>> zh_detail(Alert("health", "warning", "acme", "health 55 (red)", None, {"score": 55, "band": "red"}))
    '客户健康度 55（红）'
    >>> zh_detail(Alert("health", "warning", "acme", "health", None, {})) is None
    True
    """
    ev = alert.evidence
    msg = alert.message

    def word(value: object) -> str:
        return _ZH_WORDS.get(str(value).lower(), str(value))

    def n(value: object) -> str:
        return f"{value:g}" if isinstance(value, float) else str(value)

    def has(key: str) -> bool:
        return ev.get(key) not in (None, "")

    kind = alert.kind
    if kind == "single_point_of_contact":
        m = re.match(r"^(.+?) \((ours|theirs)\) alone holds", msg)
        side = ev.get("side") or (m.group(2) if m else None)
        if m is None and side is None:
            return None
        text = f"{m.group(1) if m else alert.person_id or ''}（{word(side)}）独自维系着通往决策者的全部关系线"
        return text + (f"；关系线 {n(ev['threads'])} 条" if has("threads") else "")
    if kind == "going_cold":
        m = re.match(r"^(.+) - (.+): silent for", msg)
        if m is None or not has("silence_days"):
            return None
        text = f"{m.group(1)} 与 {m.group(2)}：已 {n(ev['silence_days'])} 天没有互动（通常每 {n(ev.get('usual_gap_days'))} 天一次）"
        return text + (f"；最近一次在 {str(ev['last_at'])[:10]}" if has("last_at") else "")
    if kind == "cadence_breach":
        if not has("required_days"):
            return None
        tier, required = word(ev.get("tier")), n(ev["required_days"])
        if has("days_since"):
            return f"已 {n(ev['days_since'])} 天没有高层互动（{tier}客户要求每 {required} 天一次）"
        return f"从未有过高层互动（{tier}客户要求每 {required} 天一次）"
    if kind == "health":
        return f"客户健康度 {n(ev['score'])}（{word(ev.get('band'))}）" if has("score") else None
    if kind == "renewal_at_risk":
        if not has("days_left") or not has("end"):
            return None
        return (
            f"合同 {ev.get('contract_id', '')} 将在 {n(ev['days_left'])} 天后（{str(ev['end'])[:10]}）续约，"
            f"尚未锁定，且关系健康度为红（{float(ev.get('relationship_score') or 0):.0f}）"
        )
    if kind == "concentration":
        return f"占客户组合收入的 {float(ev['share']) * 100:.0f}%" if has("share") else None
    if kind == "job_change_risk":
        m = re.match(r"^(.+?) left ", msg)
        if m is None or not has("left_on"):
            return None
        text = f"{m.group(1)} 于 {str(ev['left_on'])[:10]} 离职"
        if has("coverage_before") and has("coverage_after"):
            text += f"；覆盖度 {float(ev['coverage_before']):.0f} → {float(ev['coverage_after']):.0f}"
        if ev.get("roles_lost"):
            text += "；失去覆盖：" + "、".join(word(r) for r in ev["roles_lost"])
        return text
    if kind == "job_change_opportunity":
        m = re.match(r"^(.+?) started at ", msg)
        if m is None:
            return None
        text = f"{m.group(1)} 入职该客户"
        if has("new_title"):
            text += f"，担任{ev['new_title']}"
        if ev.get("roles"):
            text += "（在原客户担任" + "、".join(word(r) for r in ev["roles"]) + "）"
        if ev.get("warm_paths"):
            text += f"；找到 {len(ev['warm_paths'])} 条引荐路径"
        return text
    return None


def account_link(base_url: str, account_id: str | None) -> str:
    """The web page of an account, ``{base_url}/#/account/{id}`` (the base alone without one).

    Examples
    --------
    >>> account_link("http://127.0.0.1:8000/", "a b")
    'http://127.0.0.1:8000/#/account/a%20b'
    >>> account_link("http://127.0.0.1:8000", None)
    'http://127.0.0.1:8000/'
    """
    base = base_url.rstrip("/")
    if account_id is None:
        return f"{base}/"
    return f"{base}/#/account/{quote(account_id, safe='')}"


def _value(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (int, bool)) or value is None:
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass(frozen=True)
class Message:
    """A channel-neutral message about one alert.

    ``facts`` are (label, value) pairs (account, person, kind, severity, then the evidence), in the
    order shown; ``text`` and ``html`` carry the same content, the HTML escaped.
    """

    title: str
    summary: str
    text: str
    html: str
    severity: str
    link: str
    facts: tuple[tuple[str, str], ...]
    alert: Alert
    account_name: str
    recipient: str | None = None


def render(
    alert: Alert,
    *,
    account_name: str | None = None,
    recipient: str | None = None,
    base_url: str = "",
    locale: str = "en",
) -> Message:
    """Render ``alert`` about the account ``account_name`` for ``recipient`` (a greeting when given).

    Parameters
    ----------
    alert
        The alert to say.
    account_name
        The account's name (its id, or "portfolio" when the alert is about no account, if not given).
    recipient
        Whom the message greets (a name or the addresses of an e-mail), or nobody.
    base_url
        Where kamgraph's web pages are served; the message links to the account's page there.
    locale
        ``en`` or ``zh-CN``: the language of the title and the labels (the analysis' message line,
        the evidence keys and values stay as the analysis wrote them).

    Examples
    --------
    >>> m = render(Alert("health", "severe", "acme", "health is red (41)"), recipient="Leadership")
    >>> print(m.text)
    Hello Leadership,
    <BLANKLINE>
    [SEVERE] Account health: acme
    health is red (41)
    <BLANKLINE>
    Account: acme (acme)
    Kind: health
    Severity: severe
    <BLANKLINE>
    Open the account: /#/account/acme
    """
    if locale not in LOCALES:
        raise ValueError(f"unknown locale {locale!r}: expected one of {', '.join(LOCALES)}")
    words = _WORDS[locale]
    zh = locale == "zh-CN"
    name = account_name or alert.account_id or ("客户组合" if zh else "portfolio")
    if zh:
        severity = _ZH_SEVERITIES.get(alert.severity, alert.severity)
        title = f"【{severity}】{_ZH_KINDS.get(alert.kind, kind_label(alert.kind))}：{name}"
    else:
        title = f"[{alert.severity.upper()}] {kind_label(alert.kind)}: {name}"
    link = account_link(base_url, alert.account_id)
    facts: list[tuple[str, str]] = []
    if alert.account_id is not None:
        facts.append((words["account"], f"{name} ({alert.account_id})"))
    if alert.person_id is not None:
        facts.append((words["person"], alert.person_id))
    facts.append((words["kind"], alert.kind))
    facts.append((words["severity"], alert.severity))
    facts.extend((str(key), _value(value)) for key, value in alert.evidence.items() if key != RECIPIENT_NAME)
    sep = "：" if zh else ": "
    sentence = zh_detail(alert) if zh else None
    if zh:
        message_line = sentence if sentence is not None else f"{words['details']}{sep}{alert.message}"
    else:
        message_line = alert.message

    lines: list[str] = []
    if recipient:
        lines += [words["hello"].format(name=recipient), ""]
    lines += [title, message_line, ""]
    lines += [f"{label}{sep}{value}" for label, value in facts]
    lines += ["", f"{words['open']}{sep}{link}"]
    text = "\n".join(lines)

    parts: list[str] = []
    if recipient:
        parts.append(f"<p>{escape(words['hello'].format(name=recipient))}</p>")
    parts.append(f"<h2>{escape(title)}</h2>")
    parts.append(f"<p>{escape(message_line)}</p>")
    rows = "".join(f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    parts.append(f"<table>{rows}</table>")
    parts.append(f'<p><a href="{escape(link, quote=True)}">{escape(words["open"])}</a></p>')
    html = "<!DOCTYPE html>\n<html><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    return Message(
        title=title,
        summary=alert.message,
        text=text,
        html=html,
        severity=alert.severity,
        link=link,
        facts=tuple(facts),
        alert=alert,
        account_name=name,
        recipient=recipient,
    )
