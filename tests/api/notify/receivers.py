"""Real receivers on loopback for the notify tests: an HTTP server and an SMTP server.

:class:`HttpReceiver` is a :class:`http.server.ThreadingHTTPServer` on 127.0.0.1 that records
every request (method, path, query, headers, raw body) and answers from a script of responses.
:class:`SmtpReceiver` is an ``aiosmtpd`` server that records every message it accepts.
"""

from __future__ import annotations

import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

OK_JSON = (200, b'{"errcode":0,"errmsg":"ok","code":0,"msg":"success"}')


@dataclass(frozen=True)
class Recorded:
    """One request as the receiver saw it."""

    method: str
    path: str
    raw_query: str
    headers: dict[str, str]
    body: bytes

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.raw_query, keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HttpReceiver:
    """Records requests; answers ``responses`` in order, then ``default`` for ever."""

    responses: list[tuple[int, bytes]] = field(default_factory=list)
    default: tuple[int, bytes] = OK_JSON
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        receiver = self
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                with lock:
                    receiver.requests.append(
                        Recorded(
                            "POST",
                            parts.path,
                            parts.query,
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                        )
                    )
                    status, answer = receiver.responses.pop(0) if receiver.responses else receiver.default
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler:
    def __init__(self, sink: list[tuple[str, list[str], EmailMessage]]) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.sink.append((envelope.mail_from, list(envelope.rcpt_tos), mail))
        return "250 Message accepted"


@dataclass
class SmtpReceiver:
    """An aiosmtpd server on 127.0.0.1. ``login`` requires AUTH with that user and password;
    ``tls`` is ``None``, ``"starttls"`` (required) or ``"ssl"``, with ``cert`` / ``key`` files."""

    login: tuple[str, str] | None = None
    tls: str | None = None
    cert: Path | None = None
    key: Path | None = None
    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.port = free_port()
        kwargs: dict[str, Any] = {}
        if self.login is not None:
            kwargs["authenticator"] = self._authenticate
            # aiosmtpd knows a STARTTLS session is encrypted, not an implicit-TLS one.
            kwargs["auth_require_tls"] = self.tls == "starttls"
            kwargs["auth_required"] = True
        if self.tls is not None:
            assert self.cert is not None and self.key is not None
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(self.cert, self.key)
            if self.tls == "starttls":
                kwargs["tls_context"] = context
                kwargs["require_starttls"] = True
            else:
                kwargs["ssl_context"] = context
        self.controller = Controller(_Handler(self.messages), hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.login is not None:
            user, password = auth_data.login.decode(), auth_data.password.decode()
            if (user, password) == self.login:
                self.logins.append(user)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def close(self) -> None:
        self.controller.stop()


def self_signed_cert(folder: Path) -> tuple[Path, Path] | None:
    """A certificate for 127.0.0.1 and its key, made with the openssl command (``None`` without it)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


ReceiverFactory = Callable[..., HttpReceiver]
