"""``kamgraph report``: the portfolio view as a table, CSV files and a self-contained HTML page.

:func:`run_report` has the report's figures built (:func:`graph.services.portfolio.build_report`:
the materialised results of the day are refreshed incrementally, only accounts whose data changed
are recomputed, and the portfolio view is read), prints its head as a table and writes into
``out_dir``:

* ``accounts.csv``: every account, ranked by revenue at risk, with coverage, threads, health,
  uncovered roles, single points of contact, value-matrix quadrant, concentration, RFM and the
  suggested tier;
* ``people.csv``: people (ours and theirs) ranked by exposure, with their accounts;
* ``gaps.csv``: uncovered required roles and levels;
* ``alerts.csv``: every alert, most severe first;
* ``diff.csv`` (with ``compare_to``): accounts that got riskier or improved since that day;
* ``report.html``: one page with inline SVG charts (revenue at risk, health bands, value matrix,
  exposure, and the diff) and the tables; no scripts, fonts or styles are fetched from anywhere.

Every file is written to a temporary name and renamed into place, so a failed run leaves no
half-written file.

Examples
--------
>>> svg = bar_chart([("Acme", 120.0, "#c0392b"), ("Bolt", 30.0, "#27ae60")], title="Revenue at risk")
>>> svg.startswith("<svg") and "Acme" in svg and "http" not in svg.replace("http://www.w3.org", "")
True
"""

from __future__ import annotations

import csv
import html
import io
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from graph.analysis.config import DEFAULT_CONFIG, AnalysisConfig
from graph.analysis.portfolio import AccountRow, PortfolioDiff, PortfolioView
from graph.services.portfolio import build_report
from graph.store import GraphStore, StoreError

__all__ = ["ReportError", "bar_chart", "render_html", "run_report", "scatter_chart", "write_csv_files"]

BAND_COLOURS = {"green": "#2e8b57", "yellow": "#d4a017", "red": "#c0392b"}
SIDE_COLOURS = {"ours": "#2c6fbb", "theirs": "#8e44ad"}
QUADRANT_COLOURS = {"star": "#2e8b57", "cash_cow": "#2c6fbb", "question_mark": "#d4a017", "dog": "#7f8c8d"}


class ReportError(StoreError):
    """The report cannot be made as asked (e.g. ``compare_to`` is not before ``as_of``)."""


def run_report(
    store: GraphStore,
    *,
    as_of: date,
    out_dir: Path,
    compare_to: date | None = None,
    config: AnalysisConfig = DEFAULT_CONFIG,
    console: Console | None = None,
) -> Path:
    """Refresh, read and write the portfolio report as of ``as_of``; return ``out_dir``.

    Parameters
    ----------
    store : GraphStore
        An open store (left open).
    as_of : date
        Day of the report.
    out_dir : Path
        Folder for the files (created if missing).
    compare_to : date, optional
        An earlier day: the report then also shows what got riskier and what improved since.
    config : AnalysisConfig
    console : rich.console.Console, optional
        Where the table goes (standard output by default).

    Raises
    ------
    ReportError
        When ``compare_to`` is not before ``as_of`` or ``out_dir`` is not a folder.

    Examples
    --------
    >>> run_report(None, as_of=date(2025, 6, 30), out_dir=Path("out"), compare_to=date(2025, 7, 1))
    Traceback (most recent call last):
    ...
    api.report.ReportError: --compare-to 2025-07-01 must be before the report day 2025-06-30
    """
    if compare_to is not None and compare_to >= as_of:
        raise ReportError(
            f"--compare-to {compare_to.isoformat()} must be before the report day {as_of.isoformat()}"
        )
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError(f"{out_dir} exists and is not a folder")
    console = console or Console(highlight=False)
    with console.status(f"refreshing the portfolio as of {as_of.isoformat()}"):
        report = build_report(store, as_of, compare_to=compare_to, config=config)
    summary, view, diff = report.refresh, report.view, report.diff
    console.print(
        f"refreshed {len(summary.recomputed):,} of {summary.accounts:,} accounts "
        f"({summary.fresh:,} already fresh) in {summary.seconds:.1f} s"
        + (
            f"; {len(summary.failed)} failed: {', '.join(sorted(summary.failed)[:5])}"
            if summary.failed
            else ""
        )
    )
    console.print(_accounts_table(view, width=console.width))
    console.print(_people_table(view))
    counts = Counter((a.kind, a.severity) for a in view.alerts)
    if counts:
        console.print(
            "alerts: "
            + ", ".join(f"{kind} ({severity}) {n}" for (kind, severity), n in sorted(counts.items()))
        )
    if diff is not None:
        console.print(
            f"since {diff.before.isoformat()}: {len(diff.riskier)} riskier, {len(diff.improved)} improved, "
            f"{len(diff.new_alerts)} new alerts, {len(diff.resolved_alerts)} resolved"
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv_files(view, out_dir, diff)
    _write_atomic(out_dir / "report.html", render_html(view, diff))
    console.print(f"wrote {out_dir / 'report.html'} and the CSV files")
    return out_dir


# -- CSV -----------------------------------------------------------------------------------------


def write_csv_files(view: PortfolioView, out_dir: Path, diff: PortfolioDiff | None = None) -> list[Path]:
    """Write ``accounts.csv``, ``people.csv``, ``gaps.csv``, ``alerts.csv`` (and ``diff.csv``).

    Examples
    --------
    >>> import tempfile
    >>> view = PortfolioView(date(2025, 6, 30), (), (), (), ())
    >>> [p.name for p in write_csv_files(view, Path(tempfile.mkdtemp()))]
    ['accounts.csv', 'people.csv', 'gaps.csv', 'alerts.csv']
    """
    files: dict[str, tuple[list[str], list[list[Any]]]] = {
        "accounts.csv": (
            [
                "rank",
                "account_id",
                "name",
                "tier",
                "annual_revenue",
                "potential_revenue",
                "revenue_at_risk",
                "revenue_relationship",
                "revenue_turnover",
                "exposed",
                "revenue_exposed",
                "key_person",
                "coverage_score",
                "threads",
                "health_score",
                "health_band",
                "uncovered_roles",
                "single_points_of_contact",
                "quadrant",
                "concentration",
                "rfm_score",
                "suggested_tier",
            ],
            [
                [
                    i,
                    r.account_id,
                    r.name,
                    r.tier,
                    r.annual_revenue,
                    r.potential_revenue,
                    round(r.revenue_at_risk, 2),
                    round(r.revenue_relationship, 2),
                    round(r.revenue_turnover, 2),
                    "yes" if r.exposed else "no",
                    round(r.revenue_exposed, 2),
                    r.key_person or "",
                    round(r.coverage_score, 2),
                    r.threads,
                    round(r.health_score, 2),
                    r.health_band,
                    ";".join(r.uncovered_roles),
                    ";".join(r.single_points_of_contact),
                    r.quadrant or "",
                    _round(r.concentration, 4),
                    _round(r.rfm_score, 2),
                    r.suggested_tier or "",
                ]
                for i, r in enumerate(view.accounts, 1)
            ],
        ),
        "people.csv": (
            ["rank", "person_id", "name", "side", "revenue_at_risk", "accounts"],
            [
                [
                    i,
                    p.person_id,
                    p.name or "",
                    p.side,
                    round(p.revenue_at_risk, 2),
                    ";".join(f"{a}:{round(v, 2)}" for a, v in p.accounts),
                ]
                for i, p in enumerate(view.people, 1)
            ],
        ),
        "gaps.csv": (
            ["account_id", "kind", "name", "detail"],
            [[g.account_id, g.kind, g.name, g.detail] for g in view.gaps],
        ),
        "alerts.csv": (
            ["severity", "kind", "account_id", "person_id", "message"],
            [[a.severity, a.kind, a.account_id or "", a.person_id or "", a.message] for a in view.alerts],
        ),
    }
    if diff is not None:
        files["diff.csv"] = (
            [
                "direction",
                "account_id",
                "name",
                "revenue_at_risk_before",
                "revenue_at_risk_after",
                "health_before",
                "health_after",
                "coverage_before",
                "coverage_after",
                "threads_before",
                "threads_after",
            ],
            [
                [
                    c.direction,
                    c.account_id,
                    c.name,
                    round(c.revenue_at_risk_before, 2),
                    round(c.revenue_at_risk_after, 2),
                    round(c.health_before, 2),
                    round(c.health_after, 2),
                    round(c.coverage_before, 2),
                    round(c.coverage_after, 2),
                    c.threads_before,
                    c.threads_after,
                ]
                for c in (*diff.riskier, *diff.improved)
            ],
        )
    written = []
    for name, (header, rows) in files.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        _write_atomic(out_dir / name, buffer.getvalue())
        written.append(out_dir / name)
    return written


# -- HTML and SVG --------------------------------------------------------------------------------


def bar_chart(
    bars: Sequence[tuple[str, float, str]], *, title: str, width: int = 640, money: bool = True
) -> str:
    """A horizontal bar chart as an inline SVG: ``bars`` are (label, value, colour).

    Negative values extend to the left of a middle axis.

    Examples
    --------
    >>> bar_chart([], title="Nothing").count("<rect")
    0
    """
    row, label_w, top = 22, 180, 28
    height = top + row * max(len(bars), 1) + 10
    has_negative = any(v < 0 for _, v, _ in bars)
    span = max((abs(v) for _, v, _ in bars), default=0.0) or 1.0
    plot_w = width - label_w - 90
    zero = label_w + (plot_w / 2 if has_negative else 0)
    scale = (plot_w / 2 if has_negative else plot_w) / span
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(title)}"><title>{_e(title)}</title>',
        f'<text x="0" y="16" class="t">{_e(title)}</text>',
    ]
    if not bars:
        parts.append(f'<text x="0" y="{top + 14}" class="l">nothing to show</text>')
    for i, (label, value, colour) in enumerate(bars):
        y = top + i * row
        length = abs(value) * scale
        x = zero - length if value < 0 else zero
        shown = _money(value) if money else f"{value:,.1f}"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="l">{_e(_clip(label))}</text>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 3}" width="{max(length, 1):.1f}" height="{row - 6}" fill="{colour}">'
            f"<title>{_e(label)}: {_e(shown)}</title></rect>"
        )
        parts.append(f'<text x="{max(x + length, zero) + 4:.1f}" y="{y + 14}" class="v">{_e(shown)}</text>')
    parts.append(f'<line x1="{zero}" y1="{top - 2}" x2="{zero}" y2="{height - 8}" stroke="#555"/></svg>')
    return "".join(parts)


def scatter_chart(
    points: Sequence[tuple[str, float, float, str]],
    *,
    title: str,
    x_label: str,
    y_label: str,
    x_split: float | None = None,
    y_split: float | None = None,
    size: int = 420,
) -> str:
    """A scatter plot as an inline SVG: ``points`` are (label, x, y, colour); optional split lines.

    Examples
    --------
    >>> points = [("Acme", 1.0, 2.0, "#000")]
    >>> svg = scatter_chart(points, title="Value", x_label="x", y_label="y", x_split=0.5)
    >>> svg.count("<circle"), svg.count("<line")
    (1, 3)
    """
    pad = 48
    max_x = max((p[1] for p in points), default=0.0) or 1.0
    max_y = max((p[2] for p in points), default=0.0) or 1.0
    inner = size - 2 * pad

    def sx(v: float) -> float:
        return pad + inner * v / max_x

    def sy(v: float) -> float:
        return size - pad - inner * v / max_y

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" role="img" '
        f'aria-label="{_e(title)}"><title>{_e(title)}</title>',
        f'<text x="0" y="16" class="t">{_e(title)}</text>',
        f'<line x1="{pad}" y1="{size - pad}" x2="{size - pad}" y2="{size - pad}" stroke="#555"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{size - pad}" stroke="#555"/>',
        f'<text x="{size / 2}" y="{size - 12}" text-anchor="middle" class="l">{_e(x_label)}</text>',
        f'<text x="14" y="{size / 2}" transform="rotate(-90 14 {size / 2})" text-anchor="middle" class="l">'
        f"{_e(y_label)}</text>",
    ]
    if x_split is not None:
        parts.append(
            f'<line x1="{sx(x_split):.1f}" y1="{pad}" x2="{sx(x_split):.1f}" y2="{size - pad}" '
            'stroke="#aaa" stroke-dasharray="4 3"/>'
        )
    if y_split is not None:
        parts.append(
            f'<line x1="{pad}" y1="{sy(y_split):.1f}" x2="{size - pad}" y2="{sy(y_split):.1f}" '
            'stroke="#aaa" stroke-dasharray="4 3"/>'
        )
    for label, x, y, colour in points:
        parts.append(
            f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" fill="{colour}" fill-opacity="0.75">'
            f"<title>{_e(label)}: {_e(_money(x))} / {_e(_money(y))}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(view: PortfolioView, diff: PortfolioDiff | None = None, *, limit: int = 50) -> str:
    """The report page: charts and tables, self-contained (inline SVG and CSS only).

    Examples
    --------
    >>> page = render_html(PortfolioView(date(2025, 6, 30), (), (), (), ()))
    >>> page.startswith("<!DOCTYPE html>") and "<script" not in page and "2025-06-30" in page
    True
    """
    day = view.as_of.isoformat()
    body = [
        f"<h1>kamgraph portfolio report, {day}</h1>",
        _key_figures(view),
        '<div class="charts">' + "".join(f"<figure>{c}</figure>" for c in _charts(view)) + "</div>",
    ]
    if diff is not None:
        body += _diff_section(diff, limit)
    body += _accounts_section(view, limit)
    body += _people_section(view, limit)
    body += _alerts_section(view, limit)
    body += _gaps_section(view, limit)
    body.append(
        '<p class="foot">Full lists: accounts.csv, people.csv, gaps.csv, alerts.csv'
        + (", diff.csv" if diff is not None else "")
        + ".</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>kamgraph portfolio report {day}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _charts(view: PortfolioView) -> list[str]:
    """Revenue at risk of the top accounts, accounts by health band, exposure and the value matrix."""
    rows = view.accounts
    bands = Counter(r.health_band for r in rows)
    return [
        bar_chart(
            [(r.name, r.revenue_at_risk, BAND_COLOURS.get(r.health_band, "#555")) for r in rows[:15]],
            title="Revenue at risk: top accounts (colour: health band)",
        ),
        bar_chart(
            [(band, float(bands.get(band, 0)), colour) for band, colour in BAND_COLOURS.items()],
            title="Accounts by health band",
            width=420,
            money=False,
        ),
        bar_chart(
            [
                (f"{p.name or p.person_id} ({p.side})", p.revenue_at_risk, SIDE_COLOURS.get(p.side, "#555"))
                for p in view.people[:15]
            ],
            title="Exposure: revenue at risk summed over a person's accounts",
        ),
        scatter_chart(
            [
                (
                    r.name,
                    r.annual_revenue,
                    r.potential_revenue or 0.0,
                    QUADRANT_COLOURS.get(r.quadrant or "", "#555"),
                )
                for r in rows
            ],
            title="Value matrix (split at the medians)",
            x_label="contribution (annual revenue)",
            y_label="potential revenue",
            x_split=view.context.median_revenue if view.context else None,
            y_split=view.context.median_potential if view.context else None,
        ),
    ]


def _key_figures(view: PortfolioView) -> str:
    """The paragraph of portfolio totals under the title."""
    totals = view.totals
    return (
        '<p class="kpi">'
        + " · ".join(
            [
                f"{int(totals.get('accounts', 0)):,} accounts",
                f"revenue {_money(totals.get('annual_revenue', 0.0))}",
                f"at risk {_money(totals.get('revenue_at_risk', 0.0))}"
                f" (relationships {_money(totals.get('revenue_relationship', 0.0))},"
                f" role turnover {_money(totals.get('revenue_turnover', 0.0))})",
                f"exposed {_money(totals.get('revenue_exposed', 0.0))}"
                f" ({int(totals.get('exposed', 0))} accounts with no role covered)",
                f"{int(totals.get('red', 0))} red / {int(totals.get('yellow', 0))} yellow / "
                f"{int(totals.get('green', 0))} green",
                f"{int(totals.get('single_threaded', 0))} single-threaded",
                f"{len(view.alerts):,} alerts",
            ]
        )
        + "</p>"
    )


def _diff_section(diff: PortfolioDiff, limit: int) -> list[str]:
    """What changed since the earlier day: counts, a chart of the moves and the table of them."""
    moved = [(c.name, c.revenue_at_risk_delta, "#c0392b") for c in diff.riskier[:10]]
    moved += [(c.name, c.revenue_at_risk_delta, "#2e8b57") for c in diff.improved[:10]]
    return [
        f"<h2>Since {diff.before.isoformat()}</h2>",
        f"<p>{len(diff.riskier)} riskier, {len(diff.improved)} improved, "
        f"{len(diff.unchanged)} unchanged; "
        f"{len(diff.new_alerts)} new alerts, {len(diff.resolved_alerts)} resolved.</p>",
        "<figure>"
        + bar_chart(moved, title="Change in revenue at risk (red: riskier, green: improved)")
        + "</figure>",
        _table(
            ["direction", "account", "coverage", "health", "threads", "revenue at risk"],
            [
                [
                    c.direction,
                    c.name,
                    f"{c.coverage_before:.0f} → {c.coverage_after:.0f}",
                    f"{c.health_before:.0f} → {c.health_after:.0f}",
                    f"{c.threads_before} → {c.threads_after}",
                    f"{_money(c.revenue_at_risk_before)} → {_money(c.revenue_at_risk_after)}",
                ]
                for c in (*diff.riskier[:limit], *diff.improved[:limit])
            ],
        ),
    ]


def _accounts_section(view: PortfolioView, limit: int) -> list[str]:
    """The table of the accounts most at risk."""
    return [
        "<h2>Accounts by revenue at risk</h2>",
        _table(
            [
                "account",
                "tier",
                "revenue",
                "at risk",
                "key person",
                "coverage",
                "threads",
                "health",
                "uncovered",
                "quadrant",
            ],
            [
                [
                    f"{r.name} ({r.account_id})",
                    r.tier,
                    _money(r.annual_revenue),
                    _at_risk(r),
                    r.key_person or "",
                    f"{r.coverage_score:.0f}",
                    str(r.threads),
                    f'<span class="{r.health_band}">{r.health_score:.0f}</span>',
                    ", ".join(r.uncovered_roles),
                    (r.quadrant or "").replace("_", " "),
                ]
                for r in view.accounts[:limit]
            ],
            raw_columns={7},
        ),
    ]


def _people_section(view: PortfolioView, limit: int) -> list[str]:
    """The table of the people most exposed, with their first accounts."""
    return [
        "<h2>People by exposure</h2>",
        _table(
            ["person", "side", "revenue at risk", "accounts"],
            [
                [
                    f"{p.name or ''} ({p.person_id})",
                    p.side,
                    _money(p.revenue_at_risk),
                    ", ".join(f"{a} {_money(v)}" for a, v in p.accounts[:6]),
                ]
                for p in view.people[:limit]
            ],
        ),
    ]


def _alerts_section(view: PortfolioView, limit: int) -> list[str]:
    """The table of the most severe alerts."""
    return [
        "<h2>Alerts</h2>",
        _table(
            ["severity", "kind", "account", "message"],
            [
                [a.severity, a.kind.replace("_", " "), a.account_id or "", a.message]
                for a in view.alerts[: limit * 2]
            ],
        ),
    ]


def _gaps_section(view: PortfolioView, limit: int) -> list[str]:
    """The table of uncovered required roles and levels."""
    return [
        "<h2>Coverage gaps</h2>",
        _table(
            ["account", "kind", "role or level", "detail"],
            [[g.account_id, g.kind, g.name.replace("_", " "), g.detail] for g in view.gaps[: limit * 2]],
        ),
    ]


# -- helpers -------------------------------------------------------------------------------------

_CSS = (
    "body{font-family:system-ui,sans-serif;margin:24px;color:#222}"
    "h1{font-size:22px}h2{font-size:18px;margin-top:28px}"
    ".kpi{font-size:15px;color:#444}.charts{display:flex;flex-wrap:wrap;gap:16px}"
    "figure{margin:0;border:1px solid #ddd;padding:8px;border-radius:4px}"
    "svg .t{font-size:13px;font-weight:600}svg .l{font-size:11px}svg .v{font-size:11px;fill:#333}"
    "table{border-collapse:collapse;font-size:13px}th,td{border-bottom:1px solid #e3e3e3;padding:4px 8px;"
    "text-align:left;vertical-align:top}th{background:#f4f4f4}"
    ".green{color:#2e8b57;font-weight:600}.yellow{color:#b8860b;font-weight:600}"
    ".red{color:#c0392b;font-weight:600}.foot{color:#666;font-size:12px}"
)


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]], raw_columns: set[int] | None = None) -> str:
    raw = raw_columns or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{v if i in raw else _e(str(v))}</td>" for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body or '<tr><td>none</td></tr>'}</tbody></table>"


def _accounts_table(view: PortfolioView, limit: int = 15, width: int = 200) -> Table:
    """The head of the ranking; narrow terminals get the key columns only."""
    wide = width >= 130
    table = Table(
        title=f"Portfolio as of {view.as_of.isoformat()}: accounts by revenue at risk", title_justify="left"
    )
    columns = [
        ("#", "right", True),
        ("account", "left", True),
        ("tier", "left", wide),
        ("revenue", "right", True),
        ("at risk", "right", True),
        ("key person", "left", wide),
        ("coverage", "right", True),
        ("threads", "right", True),
        ("health", "right", True),
        ("uncovered roles", "left", wide),
    ]
    for name, justify, shown in columns:
        if shown:
            table.add_column(name, justify=justify, no_wrap=name == "account")  # type: ignore[arg-type]
    for i, r in enumerate(view.accounts[:limit], 1):
        colour = {"green": "green", "yellow": "yellow", "red": "red"}.get(r.health_band, "white")
        cells = [
            str(i),
            r.name,
            r.tier,
            _money(r.annual_revenue),
            _at_risk(r),
            r.key_person or "",
            f"{r.coverage_score:.0f}",
            str(r.threads),
            f"[{colour}]{r.health_score:.0f}[/{colour}]",
            ", ".join(r.uncovered_roles),
        ]
        table.add_row(*(cell for cell, (_, _, shown) in zip(cells, columns, strict=True) if shown))
    if len(view.accounts) > limit:
        table.caption = f"{len(view.accounts) - limit:,} more in accounts.csv"
    return table


def _people_table(view: PortfolioView, limit: int = 10) -> Table:
    table = Table(title="People by exposure (revenue at risk over their accounts)", title_justify="left")
    for name, justify in (("person", "left"), ("side", "left"), ("at risk", "right"), ("accounts", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for p in view.people[:limit]:
        table.add_row(
            f"{p.name or ''} ({p.person_id})", p.side, _money(p.revenue_at_risk), str(len(p.accounts))
        )
    return table


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _money(value: float) -> str:
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1e9:
        return f"{sign}{v / 1e9:.1f}B"
    if v >= 1e6:
        return f"{sign}{v / 1e6:.1f}M"
    if v >= 1e4:
        return f"{sign}{v / 1e3:.0f}k"
    return f"{sign}{v:,.0f}"


def _at_risk(row: AccountRow) -> str:
    """Revenue at risk, or "exposed" with all of the revenue for an account with no role covered."""
    return f"exposed {_money(row.revenue_exposed)}" if row.exposed else _money(row.revenue_at_risk)


def _round(value: float | None, digits: int) -> float | str:
    return "" if value is None else round(value, digits)


def _clip(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _e(text: str) -> str:
    return html.escape(text, quote=True)
