"""The ``kamgraph`` command line: set up the store, import, export, demo data, serve, report, tokens, alert delivery.

Every command reads its settings from the environment (``KAMGRAPH_DATA_DIR``, ``NEO4J_URI``,
``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``; see :class:`api.settings.Settings`);
``--data-dir`` overrides the embedded store's folder. Expected failures (a rejected import, a
store that cannot be reached, a missing file) end with a short message on stderr and a non-zero
exit code, never a traceback:

====  =====================================================================
code  meaning
====  =====================================================================
0     success (a lenient import that rejected rows also succeeds)
1     the input or the request was refused (every problem is listed)
2     wrong usage (unknown option, missing argument)
3     the store cannot be reached
====  =====================================================================

Examples
--------
>>> from typer.testing import CliRunner
>>> result = CliRunner().invoke(app, ["--help"])
>>> result.exit_code, "import" in result.output
(0, True)
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from pydantic_settings import SettingsError
from rich.console import Console
from rich.table import Table

from api.settings import Settings
from graph.store import ApiToken, GraphStore, StoreError, StoreUnavailableError, WriteSummary

__all__ = ["EXIT_INPUT", "EXIT_STORE", "app", "main"]

#: Exit code when the input or request is refused.
EXIT_INPUT = 1
#: Exit code when the store cannot be reached.
EXIT_STORE = 3

app = typer.Typer(
    name="kamgraph",
    help="kamgraph: relationship intelligence for key account management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
token_app = typer.Typer(
    help="Create, list and revoke API tokens.", no_args_is_help=True, rich_markup_mode="markdown"
)
app.add_typer(token_app, name="token")
notify_app = typer.Typer(
    help="Alert delivery: test a channel, send what is due (see docs/alerts.md).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(notify_app, name="notify")

_T = TypeVar("_T")


class _Failure(Exception):
    """An expected failure: a message and an exit code."""

    def __init__(self, message: str, code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.code = code


def _fail(message: str, code: int = EXIT_INPUT) -> NoReturn:
    raise _Failure(message, code)


def _settings(ctx: typer.Context) -> Settings:
    try:
        settings = Settings()
    except ValidationError as error:
        problems = [
            f"  {'.'.join(str(part) for part in e['loc']) or 'settings'}: {e['msg']}" for e in error.errors()
        ]
        _fail("bad settings:\n" + "\n".join(problems))
    except SettingsError as error:
        _fail(f"bad settings: {error}")
    data_dir = (ctx.obj or {}).get("data_dir")
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": Path(data_dir)})
    return settings


@contextmanager
def _store(ctx: typer.Context, *, create: bool) -> Iterator[GraphStore]:
    """The configured store (created / migrated first when ``create``), closed afterwards."""
    settings = _settings(ctx)
    store = settings.open_store()
    try:
        if create:
            store.init()
        else:
            store.ping()
        yield store
    finally:
        store.close()


def _guard(run: Callable[[], _T]) -> _T:
    """Run a command body, turning expected errors into a message and an exit code."""
    from importers.base import ImporterUnavailable, ImportRejected

    try:
        return run()
    except ImportRejected as error:
        count = len(error.problems)
        lines = [f"error: import rejected, nothing written: {count} problem{'s' if count != 1 else ''}"]
        lines.extend(f"  {problem}" for problem in error.problems)
        typer.echo("\n".join(lines), err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except _Failure as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(error.code) from None
    except StoreUnavailableError as error:
        typer.echo(f"error: store unavailable: {error}", err=True)
        raise typer.Exit(EXIT_STORE) from None
    except (StoreError, ImporterUnavailable) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except OSError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(EXIT_INPUT) from None


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"kamgraph {version('kamgraph')}")
        except PackageNotFoundError:
            typer.echo("kamgraph (not installed)")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="Folder of the embedded store (default: $KAMGRAPH_DATA_DIR or ./data)."
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """kamgraph: relationship intelligence for key account management."""
    ctx.obj = {"data_dir": data_dir}


# -- init ---------------------------------------------------------------------------------------


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the store, or migrate it to this version (Neo4j: constraints and indexes)."""

    def run() -> None:
        settings = _settings(ctx)
        with _store(ctx, create=True) as store:
            where = settings.neo4j_uri if settings.neo4j_uri else str(settings.data_dir)
            counts = store.counts()
        typer.echo(f"kamgraph store ready ({store.backend} at {where}): {sum(counts.values()):,} records")

    _guard(run)


# -- import / export ----------------------------------------------------------------------------


def _options(pairs: list[str]) -> dict[str, str]:
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            _fail(f"--option expects KEY=VALUE, got {pair!r}")
        options[key.strip()] = value
    return options


@app.command("import")
def import_(
    ctx: typer.Context,
    format: Annotated[
        str,
        typer.Argument(
            metavar="FORMAT",
            help="native, jsonl, salesforce, zoho, spreadsheet, ics or mbox.",
            show_default=False,
        ),
    ],
    path: Annotated[Path, typer.Argument(help="The folder or file to import.", show_default=False)],
    lenient: Annotated[
        bool, typer.Option("--lenient", help="Import the good rows; write rejected rows to the reject file.")
    ] = False,
    reject_file: Annotated[
        Path | None,
        typer.Option(
            "--reject-file", help="Where --lenient writes rejected rows (default: <path>.rejects.csv)."
        ),
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", metavar="KEY=VALUE", help="An importer option (repeatable)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Import FORMAT files from PATH: all or nothing, unless --lenient.

    Strict by default: one bad row and nothing is written; every problem is listed with its
    file, line, column and reason. Importing the same files again changes nothing.
    """
    from importers.base import ImportContext, get_importer, run_import

    def run() -> None:
        settings = _settings(ctx)
        importer = get_importer(format)
        with _store(ctx, create=True) as store:
            context = ImportContext(
                store, _options(option or []), tuple(d.lower() for d in settings.staff_email_domains)
            )
            source = importer.factory(path, context)
            report = run_import(store, source, lenient=lenient, reject_file=reject_file, progress=not quiet)
        if not quiet:
            report.print(Console(highlight=False))

    _guard(run)


@app.command()
def export(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Argument(metavar="DIR", help="Folder to write (created if missing).")],
    format: Annotated[str, typer.Option("--format", "-f", help="csv (native) or jsonl.")] = "csv",
) -> None:
    """Write the whole graph to DIR in the native format (backup, or a move to another store).

    Export, import into an empty store (either backend) and export again gives identical files.
    """
    from importers.export import export_store

    def run() -> None:
        if format not in ("csv", "jsonl"):
            _fail(f"unknown export format {format!r} (csv or jsonl)")
        with _store(ctx, create=False) as store:
            written = export_store(store, out_dir, format)
        total = sum(written.values())
        detail = ", ".join(f"{kind} {count:,}" for kind, count in written.items() if count)
        typer.echo(f"exported {total:,} records to {out_dir}" + (f" ({detail})" if detail else ""))

    _guard(run)


# -- demo ---------------------------------------------------------------------------------------


def _summary_table(title: str, summary: WriteSummary) -> Table:
    table = Table(title=title, title_justify="left")
    for name in ("kind", "created", "updated", "unchanged"):
        table.add_column(name, justify="left" if name == "kind" else "right")
    for kind, counts in summary.kinds.items():
        if counts.created or counts.updated or counts.unchanged:
            table.add_row(kind, f"{counts.created:,}", f"{counts.updated:,}", f"{counts.unchanged:,}")
    return table


@app.command()
def demo(
    ctx: typer.Context,
    size: Annotated[
        str, typer.Option("--size", help="demo (about 50 accounts), small, medium or bench.")
    ] = "demo",
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the generator (same seed, same portfolio).")
    ] = 7,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Generate the demo portfolio and write it to the store (again: nothing changes)."""
    from importers.base import load_records

    def run() -> None:
        try:
            generator = importlib.import_module("importers.demo")
        except ModuleNotFoundError as error:
            if error.name != "importers.demo":
                raise
            _fail("the demo generator (importers.demo) is not available")
        sizes = getattr(generator, "SIZES", None)
        if sizes is not None and size not in sizes:
            _fail(f"unknown size {size!r} (sizes: {', '.join(sizes)})")
        with _store(ctx, create=True) as store:
            summary = load_records(
                store, generator.generate(size, seed), progress=not quiet, description=f"demo {size}"
            )
            reference = getattr(generator, "REFERENCE_DATE", None)
            if reference is not None:
                store.set_reference_date(reference)
            seeded = _demo_inbox(_settings(ctx), store)
            if size == "demo":
                seeded += "\n" + _demo_plans(_settings(ctx), store)
        if not quiet:
            Console(highlight=False).print(
                _summary_table(f"kamgraph demo (size {size}, seed {seed})", summary)
            )
            typer.echo(seeded)

    _guard(run)


def _demo_inbox(settings: Settings, store: GraphStore) -> str:
    """Fill the alert inbox from the demo's refresh, with a few alerts already acted on (no
    notification is sent)."""
    from api.notify.watch import open_inbox, seed_demo_inbox, sync_store

    now = datetime.now(UTC)
    with open_inbox(settings) as inbox:
        synced = sync_store(inbox, store, now=now)
        seeded = seed_demo_inbox(inbox, now=now)
        open_count = len(inbox.alerts(now=now))
    done = ", ".join(
        f"{sum(s == status for _, s in seeded)} {status}" for status in ("acknowledged", "snoozed")
    )
    return f"alert inbox: {open_count} open alert(s) ({synced.new} new{'; seeded ' + done if seeded else ''})"


def _demo_plans(settings: Settings, store: GraphStore) -> str:
    """Plans for the demo's single-threaded and going-cold accounts: a target coverage and the
    recommended meetings as actions (once: accounts that have a plan keep it)."""
    from datetime import timedelta

    from api.journal import JOURNAL_FILE
    from api.plans import Plans
    from graph.analysis.account import analyse_account
    from graph.analysis.recommendations import action_plan
    from importers.demo import archetypes

    plans = Plans(Path(settings.data_dir) / JOURNAL_FILE)
    day = store.reference_date() or datetime.now(UTC).date()
    guide = archetypes()
    made = 0
    for account_id in [*guide["single_threaded"][:2], *guide["going_cold"][:1]]:
        if plans.plan(account_id).updated_at is not None:
            continue
        analysis = analyse_account(store.account_subgraph(account_id, day))
        names = {n: d.get("name") or n for n, d in analysis.graph.nodes(data=True)}
        plans.set_goals(
            account_id,
            target_coverage=80.0,
            summary="Build a second thread to the decision makers",
            key_contacts={},
        )
        for n, action in enumerate(action_plan(analysis, k=2)):
            plans.add_action(
                account_id,
                f"{names.get(action.staff_id, action.staff_id)} meets {names.get(action.contact_id, action.contact_id)}",
                owner_id=action.staff_id,
                contact_id=action.contact_id,
                due=day + timedelta(days=14 * (n + 1)),
                source="recommended",
            )
        made += 1
    return f"account plans: {made} written"


# -- serve / report -----------------------------------------------------------------------------


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            help="uvicorn worker processes (each with its own store connection and caches); "
            "about one per core.",
        ),
    ] = 1,
) -> None:
    """Serve the GraphQL API and the web pages with uvicorn (httptools parser, uvloop event loop)."""

    def run() -> None:
        if importlib.util.find_spec("api.app") is None:
            _fail("the API (api.app) is not available")
        settings = _settings(ctx)
        if settings.store_backend == "sqlite":
            os.environ["KAMGRAPH_DATA_DIR"] = str(settings.data_dir)
            with _store(ctx, create=True):
                pass
        import uvicorn

        from api.settings import get_settings

        get_settings.cache_clear()
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            http="httptools",
            loop="uvloop",
        )

    _guard(run)


@app.command()
def watch(
    ctx: typer.Context,
    once: Annotated[bool, typer.Option("--once", help="One tick, then exit (1 when it failed).")] = False,
    interval: Annotated[
        float | None,
        typer.Option(
            "--interval",
            min=1.0,
            help="Seconds between ticks (default: $KAMGRAPH_ALERT_INTERVAL_SECONDS, else 300).",
        ),
    ] = None,
) -> None:
    """Watch for alerts: each tick refreshes the portfolio, syncs the alert inbox, escalates
    unacknowledged alerts and delivers what is due (see docs/alerts.md)."""
    import logging
    import time

    from api.notify.watch import Watcher

    def run() -> None:
        settings = _settings(ctx)
        every = interval or settings.alert_interval_seconds or 300.0

        def opener() -> GraphStore:
            return settings.open_store(ready=True)

        logging.basicConfig(
            level=logging.WARNING if once else logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
        )
        watcher = Watcher(settings, opener, interval=every)
        while True:
            started = time.monotonic()
            report = watcher.run_once()
            if report is not None:
                typer.echo(report.summary())
            elif once:
                _fail(f"the tick failed: {watcher.last_error}")
            if once:
                return
            time.sleep(max(0.0, every - (time.monotonic() - started)))

    try:
        _guard(run)
    except KeyboardInterrupt:
        typer.echo("stopped", err=True)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: {value!r} is not a date (YYYY-MM-DD)")


@app.command()
def report(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Day of the report (default: the data's reference date, else today)."),
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", "--out-dir", help="Folder for the report files.")] = Path(
        "report"
    ),
    compare_to: Annotated[
        str | None, typer.Option("--compare-to", help="Earlier day to compare with (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Write the portfolio report (tables, CSV and pictures) as of a day."""

    def run() -> None:
        asked = _day(as_of, "--as-of")
        earlier = _day(compare_to, "--compare-to")
        try:
            module = importlib.import_module("api.report")
        except ModuleNotFoundError as error:
            if error.name != "api.report":
                raise
            _fail("the report (api.report) is not available")
        with _store(ctx, create=False) as store:
            day = asked or store.reference_date() or datetime.now(UTC).date()
            module.run_report(store, as_of=day, out_dir=out_dir, compare_to=earlier)

    _guard(run)


# -- tokens -------------------------------------------------------------------------------------

_ROLES = ("account_manager", "leadership", "admin", "service")


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    role: Annotated[str, typer.Option("--role", help="account_manager, leadership, admin or service.")],
    staff: Annotated[
        str | None,
        typer.Option("--staff", help="Staff id of the token's owner (required for account_manager)."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="A label to recognise the token by.")] = None,
) -> None:
    """Create an API token and print it once (only its SHA-256 hash is stored)."""
    from api.auth import hash_token, new_token

    def run() -> None:
        base = role.split(":", 1)[0]
        if base not in _ROLES or (role.startswith("service:") and role.split(":", 1)[1] not in _ROLES[:3]):
            _fail(f"--role: {role!r} is not one of {', '.join(_ROLES)}")
        if role == "account_manager" and not staff:
            _fail("--role account_manager needs --staff ID (the accounts they see are their team's)")
        with _store(ctx, create=True) as store:
            if staff:
                from graph.model import Staff

                person = store.get_people([staff]).get(staff)
                if not isinstance(person, Staff):
                    _fail(f"--staff: no staff member {staff!r} in the store")
            token = new_token()
            label = name or f"{role}{'-' + staff if staff else ''}"
            store.put_token(ApiToken(hash_token(token), label, role, staff, datetime.now(UTC)))
        typer.echo(f"token {label!r} ({role}) created; it is shown once, keep it safe:", err=True)
        typer.echo(token)

    _guard(run)


@token_app.command("list")
def token_list(ctx: typer.Context) -> None:
    """List API tokens (name, role, staff, created, revoked, hash prefix)."""

    def run() -> None:
        with _store(ctx, create=False) as store:
            tokens = sorted(store.list_tokens(), key=lambda t: (t.created_at, t.name))
        table = Table(title="kamgraph API tokens", title_justify="left")
        for column in ("name", "role", "staff", "created", "revoked", "hash"):
            table.add_column(column)
        for t in tokens:
            table.add_row(
                t.name,
                t.role,
                t.staff_id or "",
                t.created_at.strftime("%Y-%m-%d %H:%M"),
                "yes" if t.revoked else "",
                t.token_hash[:12],
            )
        Console(highlight=False).print(table)

    _guard(run)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    which: Annotated[str, typer.Argument(metavar="NAME|HASH", help="Token name, or a prefix of its hash.")],
) -> None:
    """Revoke an API token, by name or by hash prefix (as shown by `token list`)."""

    def run() -> None:
        with _store(ctx, create=False) as store:
            tokens = store.list_tokens()
            matches = [t for t in tokens if t.name == which]
            if not matches and len(which) >= 6:
                matches = [t for t in tokens if t.token_hash.startswith(which.lower())]
            if not matches:
                _fail(f"no token named {which!r} or with a hash starting with it")
            if len(matches) > 1:
                _fail(f"{which!r} matches {len(matches)} tokens; give a longer hash prefix")
            store.revoke_token(matches[0].token_hash)
        typer.echo(f"token {matches[0].name!r} revoked")

    _guard(run)


# -- notify -------------------------------------------------------------------------------------


@notify_app.command("test")
def notify_test(
    ctx: typer.Context,
    channel: Annotated[str, typer.Option("--channel", "-c", help="Id of a configured channel.")],
) -> None:
    """Send a test message through one configured channel (not recorded in the outbox)."""

    def run() -> None:
        from api.notify.channels import DeliveryError
        from api.notify.service import send_test

        settings = _settings(ctx)
        try:
            kind = send_test(settings, channel, now=datetime.now(UTC))
        except LookupError as error:
            _fail(str(error.args[0]))
        except DeliveryError as error:
            _fail(f"channel {channel!r}: the test message was not delivered: {error}")
        typer.echo(f"test message sent through channel {channel!r} ({kind})")

    _guard(run)


@notify_app.command("send-due")
def notify_send_due(
    ctx: typer.Context,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Send at most this many.")] = None,
) -> None:
    """Send every queued alert that is due, once (retries follow the back-off; see docs/alerts.md)."""

    def run() -> None:
        from api.notify.service import open_outbox

        settings = _settings(ctx)
        with open_outbox(settings) as outbox:
            report = outbox.deliver_due(datetime.now(UTC), limit=limit)
            pending = len(outbox.deliveries("pending"))
        for delivery in report.tried:
            if delivery.status != "sent":
                typer.echo(
                    f"{delivery.channel_id}: {delivery.alert.kind} {delivery.alert.account_id or ''}: "
                    f"{delivery.status} after {delivery.attempts} attempt(s): {delivery.last_error}",
                    err=True,
                )
        typer.echo(
            f"{report.sent} sent, {report.retrying} to retry, {report.failed} failed; {pending} pending in all"
        )

    _guard(run)


def main() -> None:
    """Entry point of the ``kamgraph`` script."""
    app(prog_name="kamgraph")


if __name__ == "__main__":  # pragma: no cover
    main()
