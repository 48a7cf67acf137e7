"""The kamgraph web application: one GraphQL endpoint over HTTP, plus health and readiness.

``create_app(settings)`` builds the FastAPI app. Its lifespan opens one store
(:meth:`api.settings.Settings.open_store`) and the alert inbox (:mod:`api.notify.inbox`, in
``<data_dir>/notify.sqlite3``), starts the alert watcher (:mod:`api.notify.watch`) when
``alert_interval_seconds`` is above 0, and stops and closes them at shutdown. Routes:

* ``GET /graphql`` (queries only; a mutation is refused with 405) and ``POST /graphql``
  (``application/json`` bodies), following the GraphQL-over-HTTP specification: the answer is
  ``application/graphql-response+json`` when the client accepts it (then parse, validation and
  variable errors are 400), else ``application/json`` (always 200 for a well-formed request);
  bodies that are not JSON, or parameters of the wrong type, are 400; an unacceptable
  ``Accept`` is 406; a POST that is not JSON is 415; a bad or revoked token is 401.
  GraphiQL is served on ``GET /graphql`` for browsers when ``environment`` is ``development``.
* ``GET /healthz`` (the process is up) and ``GET /readyz`` (the store answers; 503 otherwise).
* ``GET /`` and ``/app/...``: the web pages (:func:`api.web.mount_web`), a client of ``/graphql``.

Bodies larger than ``Settings.max_body_bytes`` are refused with 413 before they are read whole:
by ``Content-Length`` up front, and for chunked bodies as soon as the bytes counted while they
stream in pass the limit. In production, anonymous callers get no introspection (``__schema`` /
``__type``; ``__typename`` stays): the answer is an ``UNAUTHENTICATED`` error.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from graphql import (
    GraphQLError,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
    validate,
)
from strawberry.http.ides import get_graphql_ide_html
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.types.graphql import OperationType as Operation

from api.auth import AuthError, authenticate
from api.deps import SettingsDep, StoreDep
from api.journal import JOURNAL_FILE, Journal
from api.lookups import Lookups
from api.notify.inbox import Inbox
from api.notify.outbox import OUTBOX_FILE
from api.notify.watch import Watcher
from api.plans import Plans
from api.settings import Settings, get_settings
from api.web import mount_web
from graph.services.cache import ResultCache
from graph.store import StoreError
from schema import Limits, build_schema
from schema.context import make_context
from schema.permissions import Viewer
from schema.raw_json import dumps_bytes

__all__ = ["GRAPHQL_RESPONSE_JSON", "BodySizeLimit", "create_app"]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
_JSON = "application/json"
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodySizeLimit:
    """ASGI middleware refusing request bodies over ``max_bytes`` with 413 (by ``Content-Length``
    up front, or while the body streams in)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = False
                if too_big:
                    await self._refuse(scope, receive, send)
                    return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {"errors": [{"message": f"request body too large: the limit is {self.max_bytes} bytes"}]},
            status_code=413,
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass


def create_app(settings: Settings | None = None) -> FastAPI:
    """The kamgraph FastAPI application.

    Parameters
    ----------
    settings : Settings, optional
        Store location, environment and limits; default: read from the environment.

    Returns
    -------
    FastAPI
        The app; its lifespan opens the store (``app.state.store``) and closes it at shutdown.

    Examples
    --------
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> app = create_app(Settings(data_dir=tempfile.mkdtemp(), environment="production"))
    >>> with TestClient(app) as client:
    ...     client.get("/readyz").json()["status"], client.post("/graphql", json={"query": "{ __typename }"}).json()
    ('ready', {'data': {'__typename': 'Query'}})
    """
    config = settings or get_settings()
    endpoint = _GraphQLEndpoint(config)
    development = config.environment == "development"
    app = FastAPI(
        title="kamgraph",
        summary="Relationship intelligence for key account management",
        lifespan=_lifespan(config),
        docs_url="/docs" if development else None,
        redoc_url=None,
        openapi_url="/openapi.json" if development else None,
    )
    app.state.settings = config
    app.state.journal = endpoint.journal
    app.state.schema = endpoint.schema
    app.state.result_cache = endpoint.cache
    app.state.summary_cache = endpoint.summary_cache
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)
    _add_health_routes(app)
    _add_graphql_routes(app, endpoint)
    mount_web(app, config)
    return app


def _lifespan(config: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The app's lifespan: the store and the alert inbox open, the alert watcher running."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = config.open_store()
        inbox = Inbox(config.data_dir / OUTBOX_FILE)
        stop = asyncio.Event()
        watcher_task: asyncio.Task[None] | None = None
        try:
            store.init()
            app.state.store = store
            app.state.inbox = inbox
            if config.alert_interval_seconds > 0:
                watcher_task = _start_watcher(app, config, stop)
            yield
        finally:
            stop.set()
            if watcher_task is not None:
                await watcher_task
            inbox.close()
            store.close()

    return lifespan


def _start_watcher(app: FastAPI, config: Settings, stop: asyncio.Event) -> asyncio.Task[None]:
    """Start the alert watcher (``app.state.watcher``) until ``stop`` is set."""
    watcher = Watcher(config, lambda: config.open_store(ready=True), interval=config.alert_interval_seconds)
    app.state.watcher = watcher
    return asyncio.create_task(watcher.run(stop), name="kamgraph-alert-watcher")


def _add_health_routes(app: FastAPI) -> None:
    """``GET /healthz`` (the process is up) and ``GET /readyz`` (the store answers)."""

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(store: StoreDep) -> Response:
        try:
            store.ping()
        except (StoreError, OSError):
            return JSONResponse({"status": "unavailable", "store": store.backend}, status_code=503)
        return JSONResponse({"status": "ready", "store": store.backend})


def _add_graphql_routes(app: FastAPI, endpoint: _GraphQLEndpoint) -> None:
    """``GET /graphql`` (queries, or GraphiQL in development) and ``POST /graphql``."""

    @app.get("/graphql", include_in_schema=False)
    async def graphql_get(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
        accept = request.headers.get("accept", "")
        if endpoint.development and "query" not in request.query_params and "text/html" in accept:
            return HTMLResponse(get_graphql_ide_html(graphql_ide="graphiql"))
        params = _get_params(request)
        if isinstance(params, Response):
            return params
        return await endpoint.answer(request, store, settings, params, get=True)

    @app.post("/graphql", include_in_schema=False)
    async def graphql_post(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
        params = await _post_params(request)
        if isinstance(params, Response):
            return params
        return await endpoint.answer(request, store, settings, params, get=False)


def _get_params(request: Request) -> dict[str, Any] | Response:
    """The GraphQL parameters of a GET's query string, or a 400 problem."""
    params: dict[str, Any] = {"query": request.query_params.get("query")}
    if "operationName" in request.query_params:
        params["operationName"] = request.query_params["operationName"]
    for name in ("variables", "extensions"):
        if name in request.query_params:
            try:
                params[name] = json.loads(request.query_params[name])
            except ValueError:
                return _problem(f"{name}: not valid JSON", 400)
    return params


async def _post_params(request: Request) -> dict[str, Any] | Response:
    """The GraphQL parameters of a POST's JSON body, or a 415 or 400 problem."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != _JSON:
        return _problem("POST bodies must be application/json", 415)
    try:
        params = json.loads(await request.body())
    except ValueError:
        return _problem("the request body is not valid JSON", 400)
    if not isinstance(params, dict):
        return _problem("the request body must be a JSON object", 400)
    return params


class _GraphQLEndpoint:
    """Answers GraphQL-over-HTTP requests: the schema with its limits, caches, journal and plans."""

    def __init__(self, config: Settings) -> None:
        self.limits = Limits(
            max_depth=config.max_query_depth, max_aliases=config.max_aliases, max_tokens=config.max_tokens
        )
        self.schema = build_schema(self.limits)
        self.cache = ResultCache(config.result_cache_size)
        self.summary_cache = ResultCache(config.summary_cache_size)
        self.lookups = Lookups(config.lookup_cache_seconds)
        self.development = config.environment == "development"
        self.journal = Journal(config.data_dir / JOURNAL_FILE)
        self.plans = Plans(config.data_dir / JOURNAL_FILE)

    async def answer(
        self, request: Request, store: Any, settings: Settings, params: dict[str, Any], *, get: bool
    ) -> Response:
        """Check, authenticate and execute one request's ``params``; ``get``: queries only."""
        media = _negotiate(request.headers.get("accept"))
        if media is None:
            return _problem(
                f"cannot answer in the accepted media types; use {_JSON} or {GRAPHQL_RESPONSE_JSON}", 406
            )
        problem = _check_params(params, media)
        if problem is not None:
            return problem
        query: str = params["query"]
        max_tokens = self.limits.max_tokens
        if get and _is_mutation(query, params.get("operationName"), max_tokens):
            return _problem("mutations are not allowed over GET; use POST", 405, media, {"Allow": "POST"})
        caller = self._caller(request, store, settings, media)
        if isinstance(caller, Response):
            return caller
        viewer, today = caller
        if not self.development and not viewer.authenticated and _introspects(self.schema, query, max_tokens):
            return _introspection_refused(media)
        return await self._execute(request, store, viewer, today, params, get=get, media=media)

    def _caller(
        self, request: Request, store: Any, settings: Settings, media: str
    ) -> tuple[Viewer, date] | Response:
        """The viewer of the request's token and the default day, or a 401 or 503 problem."""
        try:
            viewer = authenticate(
                store,
                request.headers.get("authorization"),
                settings.service_role,
                lookups=self.lookups.tokens,
            )
            today = self.lookups.today(store)
        except AuthError as error:
            return _problem(str(error), 401, media, {"WWW-Authenticate": 'Bearer realm="kamgraph"'})
        except StoreError:
            return _problem("the store is unavailable; try again later", 503, media)
        return viewer, today

    async def _execute(
        self,
        request: Request,
        store: Any,
        viewer: Viewer,
        today: date,
        params: dict[str, Any],
        *,
        get: bool,
        media: str,
    ) -> Response:
        """Run the checked request on the schema, in a context of the viewer and the app's caches."""
        context = make_context(
            store,
            viewer,
            today=today,
            cache=self.cache,
            summary_cache=self.summary_cache,
            inbox=getattr(request.app.state, "inbox", None),
            journal=self.journal,
            plans=self.plans,
        )
        allowed = (Operation.QUERY,) if get else (Operation.QUERY, Operation.MUTATION)
        result = await self.schema.execute(
            params["query"],
            variable_values=params.get("variables"),
            context_value=context,
            operation_name=params.get("operationName"),
            allowed_operation_types=allowed,
        )
        return _result_response(result, media)


def _check_params(params: dict[str, Any], media: str) -> Response | None:
    """A 400 problem when a GraphQL parameter is missing or of the wrong type, else ``None``."""
    query = params.get("query")
    variables = params.get("variables")
    operation_name = params.get("operationName")
    extensions = params.get("extensions")
    if not isinstance(query, str) or not query.strip():
        return _problem("query: a GraphQL document (string) is required", 400, media)
    if variables is not None and not isinstance(variables, dict):
        return _problem("variables: must be a JSON object", 400, media)
    if operation_name is not None and not isinstance(operation_name, str):
        return _problem("operationName: must be a string", 400, media)
    if extensions is not None and not isinstance(extensions, dict):
        return _problem("extensions: must be a JSON object", 400, media)
    return None


def _introspection_refused(media: str) -> Response:
    """The answer to an anonymous introspection in production: an ``UNAUTHENTICATED`` error."""
    status = 400 if media == GRAPHQL_RESPONSE_JSON else 200
    return _json(
        {
            "errors": [
                {
                    "message": "introspection needs a valid token: send 'Authorization: Bearer <token>'",
                    "extensions": {"code": "UNAUTHENTICATED"},
                }
            ]
        },
        status,
        media,
    )


def _result_response(result: ExecutionResult, media: str) -> Response:
    """The HTTP answer to an execution result: request errors have no ``data`` (and are 400 in
    ``application/graphql-response+json``)."""
    body: dict[str, Any] = {}
    # A request error (parse, validation, variable coercion) has no path and no data; an error
    # of a non-null root field also leaves no data, but then the response keeps `data: null`.
    request_error = isinstance(result, PreExecutionError) or (
        result.data is None and all(e.path is None for e in result.errors or ())
    )
    if not request_error:
        body["data"] = result.data
    if result.errors:
        body["errors"] = [e.formatted for e in result.errors]
    status = 400 if request_error and media == GRAPHQL_RESPONSE_JSON else 200
    return _json(body, status, media)


def _negotiate(accept: str | None) -> str | None:
    """The response media type for an ``Accept`` header (``None``: nothing acceptable)."""
    if accept is None or not accept.strip():
        return _JSON
    types = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    if GRAPHQL_RESPONSE_JSON in types:
        return GRAPHQL_RESPONSE_JSON
    if _JSON in types or "*/*" in types or "application/*" in types:
        return _JSON
    return None


def _is_mutation(query: str, operation_name: str | None, max_tokens: int) -> bool:
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return False
    operation = get_operation_ast(document, operation_name)
    return isinstance(operation, OperationDefinitionNode) and operation.operation is not OperationType.QUERY


def _introspects(schema: Any, query: str, max_tokens: int) -> bool:
    """Whether the document asks for ``__schema`` or ``__type`` (``__typename`` is not
    introspection); a document that does not parse is left to the executor's own error."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return False
    return bool(validate(schema._schema, document, [NoSchemaIntrospectionCustomRule]))


def _json(body: dict[str, Any], status: int, media: str, headers: dict[str, str] | None = None) -> Response:
    content = dumps_bytes(body)
    return Response(content, status_code=status, media_type=f"{media}; charset=utf-8", headers=headers)


def _problem(
    message: str, status: int, media: str = _JSON, headers: dict[str, str] | None = None
) -> Response:
    return _json({"errors": [{"message": message}]}, status, media, headers)
