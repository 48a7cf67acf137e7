"""The web pages of kamgraph: the relationship map and the portfolio dashboard.

The pages are static assets (plain ES modules, CSS and inline SVG; no build step, nothing from a
CDN) in ``api/web/``. They are one more client of the GraphQL API at ``/graphql``: this module
only serves files. :func:`mount_web` adds the routes to the FastAPI app:

* ``GET /`` - the page shell (``index.html``);
* ``GET /app/<file>`` - the assets.

Development mode: when ``Settings.environment`` is ``development`` the shell carries a
``kamgraph-environment`` marker (the page shows a banner) and, if a demo token is configured
(``KAMGRAPH_DEMO_TOKEN`` in the environment or a ``demo_token`` setting), a "use the demo token"
sign-in button. In production neither appears, whatever is configured.

Examples
--------
>>> from fastapi import FastAPI
>>> from api.settings import Settings
>>> app = FastAPI()
>>> mount_web(app, Settings(environment="production"))
>>> sorted(getattr(route, "path", "") for route in app.routes if getattr(route, "path", "") in ("/", "/app"))
['/', '/app']
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.settings import Settings, get_settings

__all__ = ["WEB_DIR", "mount_web", "render_shell"]

#: Folder of the page's static assets.
WEB_DIR = Path(__file__).resolve().parent / "web"

_ENV_META = '<meta name="kamgraph-environment" content="production">'
_TOKEN_META = '<meta name="kamgraph-demo-token" content="">'
#: The shell must not be cached (it carries the environment marker); assets may be, briefly.
_SHELL_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
}


def render_shell(environment: str, demo_token: str | None = None) -> str:
    """The page shell for ``environment``; the demo token is included only in development.

    Examples
    --------
    >>> 'content="development"' in render_shell("development", "t0k")
    True
    >>> 'content="t0k"' in render_shell("development", "t0k")
    True
    >>> 'content="t0k"' in render_shell("production", "t0k")
    False
    """
    text = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    development = environment == "development"
    env = "development" if development else "production"
    text = text.replace(_ENV_META, f'<meta name="kamgraph-environment" content="{env}">')
    if development and demo_token:
        token = html.escape(demo_token, quote=True)
        text = text.replace(_TOKEN_META, f'<meta name="kamgraph-demo-token" content="{token}">')
    return text


def _demo_token(settings: Settings) -> str | None:
    configured = getattr(settings, "demo_token", None)
    if configured is not None and hasattr(configured, "get_secret_value"):
        configured = configured.get_secret_value()
    return configured or os.environ.get("KAMGRAPH_DEMO_TOKEN") or None


def mount_web(app: FastAPI, settings: Settings | None = None) -> None:
    """Serve the web pages from ``app``: the shell at ``/`` and the assets under ``/app``."""
    conf = settings or getattr(app.state, "settings", None) or get_settings()
    shell = render_shell(conf.environment, _demo_token(conf))

    async def index() -> HTMLResponse:
        return HTMLResponse(shell, headers=_SHELL_HEADERS)

    app.add_api_route("/", index, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)
    app.mount("/app", StaticFiles(directory=WEB_DIR, check_dir=True), name="web")
