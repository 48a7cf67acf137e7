"""Every channel against a real receiver on loopback: the exact request, the signatures recomputed
here from the documented formulas, the payload shapes, the e-mail as an SMTP server received it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote_plus

import httpx
import pytest
from pydantic import SecretStr

from api.notify.channels import DeliveryError, EmailChannel, build_channel
from api.notify.config import ChannelConfig, SmtpConfig
from api.notify.messages import Message, render
from graph.analysis.alerts import Alert
from tests.api.notify.receivers import HttpReceiver, ReceiverFactory, SmtpReceiver, self_signed_cert

# The loopback SMTP server takes a login without TLS on purpose (aiosmtpd warns about it).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")

NOW = datetime(2025, 3, 1, 9, 30, 15, 250000, tzinfo=UTC)
ALERT = Alert(
    "single_point_of_contact",
    "severe",
    "acme",
    "Only Bob <bob@acme> ties us to the economic buyer & the champion",
    "c-bob",
    {"threads": 1, "cut": ["c-bob"]},
)


def message(recipient: str | None = None) -> Message:
    return render(ALERT, account_name="Acme & Söhne", recipient=recipient, base_url="https://kam.example")


def deliver(config: ChannelConfig, http: httpx.Client, *, delivery_id: str = "d-1") -> None:
    channel = build_channel(config)
    channel.deliver(message(channel.recipient), delivery_id=delivery_id, now=NOW, http=http)


def test_generic_webhook_is_signed_over_timestamp_and_raw_body(
    receiver: HttpReceiver, http: httpx.Client
) -> None:
    config = ChannelConfig(id="hook", kind="webhook", url=f"{receiver.url}/in/alerts", secret="s3cret")
    deliver(config, http, delivery_id="abc123")
    [got] = receiver.requests
    assert got.path == "/in/alerts"
    timestamp = got.headers["x-kamgraph-timestamp"]
    assert timestamp == str(int(NOW.timestamp()))
    expected = hmac.new(b"s3cret", timestamp.encode() + b"." + got.body, hashlib.sha256).hexdigest()
    assert got.headers["x-kamgraph-signature"] == f"sha256={expected}"
    assert got.headers["x-kamgraph-delivery"] == "abc123"
    assert got.headers["content-type"].startswith("application/json")
    body = got.json()
    assert body["alert"] == ALERT.to_payload()
    assert body["delivery_id"] == "abc123"
    assert body["account"] == {"id": "acme", "name": "Acme & Söhne"}
    assert body["link"] == "https://kam.example/#/account/acme"
    # Another secret gives another signature: the receiver can tell.
    wrong = hmac.new(b"other", timestamp.encode() + b"." + got.body, hashlib.sha256).hexdigest()
    assert got.headers["x-kamgraph-signature"] != f"sha256={wrong}"


def test_dingtalk_signs_the_url_with_timestamp_ms_and_sign(
    receiver: HttpReceiver, http: httpx.Client
) -> None:
    secret = "SECabc123"
    config = ChannelConfig(
        id="ding", kind="dingtalk", url=f"{receiver.url}/robot/send?access_token=tok", secret=secret
    )
    deliver(config, http)
    [got] = receiver.requests
    assert got.path == "/robot/send"
    query = got.query
    assert query["access_token"] == ["tok"]
    timestamp = query["timestamp"][0]
    assert timestamp == str(int(NOW.timestamp() * 1000))  # milliseconds
    string_to_sign = f"{timestamp}\n{secret}".encode()
    sign = base64.b64encode(hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()).decode()
    assert query["sign"] == [sign]
    assert f"sign={quote_plus(sign)}" in got.raw_query  # URL-encoded in the query string
    body = got.json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == message().title
    assert "Only Bob" in body["markdown"]["text"]
    assert "(https://kam.example/#/account/acme)" in body["markdown"]["text"]


def test_feishu_signs_the_body_with_timestamp_s_and_sign(receiver: HttpReceiver, http: httpx.Client) -> None:
    secret = "feishu-secret"
    deliver(
        ChannelConfig(id="fs", kind="feishu", url=f"{receiver.url}/open-apis/bot/v2/hook/x", secret=secret),
        http,
    )
    deliver(
        ChannelConfig(id="fs2", kind="feishu", url=f"{receiver.url}/hook", secret=secret, format="text"), http
    )
    card, text = (r.json() for r in receiver.requests)
    for body in (card, text):
        assert body["timestamp"] == str(int(NOW.timestamp()))  # seconds
        key = f"{body['timestamp']}\n{secret}".encode()
        assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert card["msg_type"] == "interactive"
    assert card["card"]["header"]["title"] == {"tag": "plain_text", "content": message().title}
    assert card["card"]["header"]["template"] == "red"
    [button] = card["card"]["elements"][-1]["actions"]
    assert button["url"] == "https://kam.example/#/account/acme"
    assert text["msg_type"] == "text"
    assert text["content"]["text"] == message().text


def test_wecom_markdown(receiver: HttpReceiver, http: httpx.Client) -> None:
    deliver(ChannelConfig(id="wx", kind="wecom", url=f"{receiver.url}/cgi-bin/webhook/send?key=K1"), http)
    [got] = receiver.requests
    assert got.path == "/cgi-bin/webhook/send" and got.query == {"key": ["K1"]}
    body = got.json()
    assert set(body) == {"msgtype", "markdown"}
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith(
        '### <font color="warning">[SEVERE] Single point of contact: Acme & Söhne</font>'
    )
    assert "[Open the account](https://kam.example/#/account/acme)" in content


def test_wecom_key_alone_targets_the_robot_url() -> None:
    channel = build_channel(ChannelConfig(id="wx", kind="wecom", key="K 2"))
    request = channel.request(message(), delivery_id="d", now=NOW)  # type: ignore[attr-defined]
    assert request.url == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K 2"


def test_wecom_content_is_cut_to_4096_bytes() -> None:
    long = Alert("health", "warning", "acme", "长" * 3000)
    channel = build_channel(ChannelConfig(id="wx", kind="wecom", key="k"))
    body = channel.request(render(long), delivery_id="d", now=NOW).json()  # type: ignore[attr-defined]
    assert len(body["markdown"]["content"].encode()) <= 4096


def test_slack_text_and_blocks(receiver: HttpReceiver, http: httpx.Client) -> None:
    deliver(ChannelConfig(id="sl", kind="slack", url=f"{receiver.url}/services/T/B/x"), http)
    body = receiver.requests[0].json()
    assert body["text"].startswith("[SEVERE] Single point of contact")
    assert [b["type"] for b in body["blocks"]] == ["header", "section", "section", "actions"]
    assert body["blocks"][0]["text"] == {"type": "plain_text", "text": message().title}
    # mrkdwn control characters are escaped
    assert body["blocks"][1]["text"]["text"] == (
        "Only Bob &lt;bob@acme&gt; ties us to the economic buyer &amp; the champion"
    )
    assert body["blocks"][3]["elements"][0]["url"] == "https://kam.example/#/account/acme"


def test_teams_adaptive_card_and_message_card(receiver: HttpReceiver, http: httpx.Client) -> None:
    deliver(ChannelConfig(id="t1", kind="teams", url=f"{receiver.url}/webhookb2/x"), http)
    deliver(
        ChannelConfig(id="t2", kind="teams", url=f"{receiver.url}/webhookb2/y", format="messagecard"), http
    )
    adaptive, legacy = (r.json() for r in receiver.requests)
    assert adaptive["type"] == "message"
    [attachment] = adaptive["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.2"
    assert card["body"][0]["text"] == message().title
    facts = {f["title"]: f["value"] for f in card["body"][2]["facts"]}
    assert facts["Person"] == "c-bob" and facts["cut"] == '["c-bob"]'
    assert card["actions"] == [
        {"type": "Action.OpenUrl", "title": "Open the account", "url": "https://kam.example/#/account/acme"}
    ]
    assert legacy["@type"] == "MessageCard" and legacy["@context"] == "http://schema.org/extensions"
    assert legacy["summary"] == message().title
    assert legacy["potentialAction"][0]["targets"] == [
        {"os": "default", "uri": "https://kam.example/#/account/acme"}
    ]


@pytest.mark.parametrize(
    ("kind", "answer", "error"),
    [
        ("dingtalk", b'{"errcode":310000,"errmsg":"sign not match"}', "errcode 310000: sign not match"),
        ("wecom", b'{"errcode":93000,"errmsg":"invalid webhook url"}', "errcode 93000"),
        ("feishu", b'{"code":19021,"msg":"sign match fail"}', "code 19021: sign match fail"),
    ],
)
def test_robots_that_refuse_with_http_200_are_failures(
    receiver_factory: ReceiverFactory, http: httpx.Client, kind: str, answer: bytes, error: str
) -> None:
    receiver = receiver_factory(default=(200, answer))
    config = ChannelConfig(id="r", kind=kind, url=f"{receiver.url}/x", secret="s")
    with pytest.raises(DeliveryError, match=error):
        deliver(config, http)
    assert len(receiver.requests) == 1


def test_http_errors_and_unreachable_receivers_are_failures(
    receiver_factory: ReceiverFactory, http: httpx.Client
) -> None:
    receiver = receiver_factory(default=(503, b"busy"))
    with pytest.raises(DeliveryError, match="HTTP 503: busy"):
        deliver(ChannelConfig(id="s", kind="slack", url=receiver.url), http)
    url = receiver.url
    receiver.close()
    with pytest.raises(DeliveryError, match="ConnectError"):
        deliver(ChannelConfig(id="s", kind="slack", url=url), http)


# -- e-mail ---------------------------------------------------------------------------------------


def _email_channel(smtp: SmtpConfig) -> EmailChannel:
    config = ChannelConfig(id="mail", kind="email", recipients=("lead@kam.example", "am@kam.example"))
    channel = build_channel(config, smtp)
    assert isinstance(channel, EmailChannel)
    return channel


def _send_mail(channel: EmailChannel, http: httpx.Client) -> None:
    channel.deliver(message(channel.recipient), delivery_id="mail-1", now=NOW, http=http)


def test_email_has_text_and_html_parts_and_headers(http: httpx.Client) -> None:
    server = SmtpReceiver()
    try:
        smtp = SmtpConfig(host="127.0.0.1", port=server.port, security="none", sender="alerts@kam.example")
        _send_mail(_email_channel(smtp), http)
    finally:
        server.close()
    [(mail_from, rcpt, mail)] = server.messages
    assert mail_from == "alerts@kam.example"
    assert rcpt == ["lead@kam.example", "am@kam.example"]
    assert mail["Subject"] == "[SEVERE] Single point of contact: Acme & Söhne"
    assert mail["To"] == "lead@kam.example, am@kam.example"
    assert mail["Message-ID"] == "<mail-1@kamgraph>"
    assert mail["X-Kamgraph-Delivery"] == "mail-1"
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None and html is not None
    text = plain.get_content()
    assert text.startswith("Hello lead@kam.example, am@kam.example,")
    assert "Only Bob <bob@acme> ties us" in text
    markup = html.get_content()
    assert "Only Bob &lt;bob@acme&gt; ties us to the economic buyer &amp; the champion" in markup
    assert '<a href="https://kam.example/#/account/acme">' in markup


def test_email_login(http: httpx.Client) -> None:
    server = SmtpReceiver(login=("kam", "pw"))
    try:
        good = SmtpConfig(host="127.0.0.1", port=server.port, security="none", user="kam", password="pw")
        _send_mail(_email_channel(good), http)
        bad = good.model_copy(update={"password": SecretStr("nope")})
        with pytest.raises(DeliveryError, match="SMTPAuthenticationError"):
            _send_mail(_email_channel(bad), http)
        nobody = good.model_copy(update={"user": None})
        with pytest.raises(DeliveryError):  # the server requires AUTH
            _send_mail(_email_channel(nobody), http)
    finally:
        server.close()
    assert server.logins == ["kam"]
    assert len(server.messages) == 1


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_email_over_tls(tmp_path: Path, http: httpx.Client, security: str) -> None:
    made = self_signed_cert(tmp_path)
    if made is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = made
    server = SmtpReceiver(login=("kam", "pw"), tls=security, cert=cert, key=key)
    try:
        smtp = SmtpConfig(
            host="127.0.0.1", port=server.port, security=security, user="kam", password="pw", ca_file=cert
        )
        _send_mail(_email_channel(smtp), http)
        untrusted = smtp.model_copy(update={"ca_file": None})
        with pytest.raises(DeliveryError, match="CERTIFICATE_VERIFY_FAILED"):
            _send_mail(_email_channel(untrusted), http)
    finally:
        server.close()
    assert len(server.messages) == 1
    assert server.logins == ["kam"]


def test_email_without_server_is_a_failure(http: httpx.Client) -> None:
    with pytest.raises(DeliveryError, match="no SMTP server configured"):
        _send_mail(_email_channel(SmtpConfig()), http)


def test_payloads_are_json_with_unicode_kept() -> None:
    channel = build_channel(ChannelConfig(id="sl", kind="slack", url="https://hooks.example/x"))
    request = channel.request(message(), delivery_id="d", now=NOW)  # type: ignore[attr-defined]
    assert "Söhne".encode() in request.body
    assert json.loads(request.body) == request.json()
