"""The native kamgraph format: one CSV (or JSON Lines) file per record kind.

A native import is a folder holding any of the files of :data:`FILES` (``staff.csv``,
``accounts.csv``, ``contacts.csv``, ``employments.csv``, ``reporting_lines.csv``,
``influence_lines.csv``, ``team_memberships.csv``, ``interactions.csv``, ``assessments.csv``,
``referrals.csv``, and the business signals ``survey_responses.csv``, ``usage.csv``,
``support_cases.csv``, ``contracts.csv``, ``opportunities.csv``), or the same names ending in ``.jsonl`` with one JSON object per line. Missing
files are fine; an unknown file, a missing required column and an unknown column are errors.
Column names are the model's field names; list cells (``roles``, ``domains``, ``participants``,
``accounts``) are ``;``-separated in CSV and JSON arrays (or ``;``-separated strings) in JSON
Lines. Dated histories (``stance_history`` of contacts, ``tier_history`` and ``revenue_history``
of accounts) are ``since:value`` entries the same way, e.g. ``2024-01-01:key;2025-07-01:strategic``:
each value holds from its day on, and the latest is the record's current value. An interaction carries its participants in its own ``participants`` column, so an
interaction is one row and files stream.

The same column lists drive :mod:`importers.export`, which writes the store back in this format.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "contacts.csv").write_text("id,name,level\\nc1,Ada Lovelace,executive\\nc2,Bob,boss\\n")
>>> rows = list(NativeSource(folder).rows())
>>> rows[0].records[0].level
<Level.EXECUTIVE: 'executive'>
>>> [str(p) for p in rows[1].problems]
["contacts.csv:3: column level: 'boss' is not one of executive, management, operational"]
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.model import (
    Account,
    Assessment,
    Contact,
    Contract,
    Employment,
    InfluenceLine,
    Interaction,
    ModelError,
    Opportunity,
    Referral,
    RelationKind,
    ReportingLine,
    Staff,
    SupportCase,
    SurveyResponse,
    TeamMembership,
    UsageSample,
    history_text,
)
from importers.base import (
    _EMPTY,
    CsvFile,
    ImportContext,
    ImportRejected,
    Problem,
    Row,
    RowError,
    Source,
    model_problem,
    register_importer,
    split_list,
)

__all__ = [
    "FILES",
    "FORMATS",
    "RELATIONS",
    "Column",
    "NativeFile",
    "NativeSource",
    "csv_cells",
    "file_for_kind",
    "json_object",
    "relation",
]

#: Export/import formats and their file extensions.
FORMATS: dict[str, str] = {"csv": ".csv", "jsonl": ".jsonl"}

TEXT = "text"
LIST = "list"
NUMBER = "number"
SCORE = "score"
#: A dated history (``since:value`` entries, ``;``-separated in CSV, a list in JSON Lines).
HISTORY = "history"
#: true/false (also yes/no, 1/0) in CSV, a boolean in JSON Lines.
FLAG = "flag"


@dataclass(frozen=True)
class Column:
    """A column of a native file: its name (= the model field), type and whether it is required."""

    name: str
    type: str = TEXT
    required: bool = False


@dataclass(frozen=True)
class NativeFile:
    """One native file: the record kind, the file stem, the record class and its columns."""

    kind: str
    stem: str
    record: type[Any]
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        """Column names, in file order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the required columns."""
        return [c.name for c in self.columns if c.required]


def _req(name: str, kind: str = TEXT) -> Column:
    return Column(name, kind, required=True)


#: Every native file, in import order (staff first: accounts name their owner).
FILES: tuple[NativeFile, ...] = (
    NativeFile(
        "staff",
        "staff",
        Staff,
        (
            _req("id"),
            _req("name"),
            Column("email"),
            Column("title"),
            Column("level"),
            Column("team_role"),
            Column("until"),
        ),
    ),
    NativeFile(
        "account",
        "accounts",
        Account,
        (
            _req("id"),
            _req("name"),
            Column("industry"),
            Column("region"),
            Column("tier"),
            Column("annual_revenue", NUMBER),
            Column("potential_revenue", NUMBER),
            Column("owner"),
            Column("domains", LIST),
            Column("strategic_fit", SCORE),
            Column("relationship_cost", SCORE),
            Column("tier_history", HISTORY),
            Column("revenue_history", HISTORY),
        ),
    ),
    NativeFile(
        "contact",
        "contacts",
        Contact,
        (
            _req("id"),
            _req("name"),
            Column("email"),
            Column("title"),
            Column("department"),
            Column("level"),
            Column("influence", SCORE),
            Column("stance"),
            Column("political_status"),
            Column("stance_history", HISTORY),
        ),
    ),
    NativeFile(
        "employment",
        "employments",
        Employment,
        (
            _req("contact_id"),
            _req("account_id"),
            Column("title"),
            Column("department"),
            Column("level"),
            Column("roles", LIST),
            Column("since"),
            Column("until"),
        ),
    ),
    NativeFile(
        "reporting_line",
        "reporting_lines",
        ReportingLine,
        (_req("contact_id"), _req("manager_id"), Column("since"), Column("until")),
    ),
    NativeFile(
        "influence_line",
        "influence_lines",
        InfluenceLine,
        (_req("source_id"), _req("target_id"), Column("weight", NUMBER), Column("kind")),
    ),
    NativeFile(
        "team_membership",
        "team_memberships",
        TeamMembership,
        (_req("staff_id"), _req("account_id"), _req("team_role"), Column("since"), Column("until")),
    ),
    NativeFile(
        "interaction",
        "interactions",
        Interaction,
        (
            _req("id"),
            _req("kind"),
            _req("at"),
            Column("source"),
            Column("subject"),
            Column("participants", LIST),
            Column("accounts", LIST),
        ),
    ),
    NativeFile(
        "assessment",
        "assessments",
        Assessment,
        (_req("staff_id"), _req("contact_id"), _req("level"), _req("at")),
    ),
    NativeFile(
        "referral",
        "referrals",
        Referral,
        (
            _req("source_id"),
            _req("source_kind"),
            _req("target_id"),
            _req("at"),
            Column("status"),
            Column("value", NUMBER),
        ),
    ),
    NativeFile(
        "survey_response",
        "survey_responses",
        SurveyResponse,
        (
            _req("id"),
            _req("account_id"),
            _req("kind"),
            _req("score", NUMBER),
            _req("at"),
            Column("contact_id"),
        ),
    ),
    NativeFile(
        "usage_sample",
        "usage",
        UsageSample,
        (
            _req("account_id"),
            _req("period"),
            Column("active_users", NUMBER),
            Column("licensed_users", NUMBER),
            Column("adoption", NUMBER),
        ),
    ),
    NativeFile(
        "support_case",
        "support_cases",
        SupportCase,
        (
            _req("id"),
            _req("account_id"),
            _req("opened"),
            Column("severity"),
            Column("closed"),
            Column("first_response_hours", NUMBER),
            Column("complaint", FLAG),
            Column("subject"),
            Column("contact_id"),
        ),
    ),
    NativeFile(
        "contract",
        "contracts",
        Contract,
        (
            _req("id"),
            _req("account_id"),
            _req("start"),
            _req("end"),
            Column("value", NUMBER),
            Column("signed"),
        ),
    ),
    NativeFile(
        "opportunity",
        "opportunities",
        Opportunity,
        (
            _req("id"),
            _req("account_id"),
            _req("name"),
            _req("opened"),
            Column("amount", NUMBER),
            Column("close_date"),
            Column("stage"),
            Column("status"),
            Column("renewal", FLAG),
            Column("contact_ids", LIST),
        ),
    ),
)


def relation(
    contact_id: str,
    other_id: str,
    type: str,
    weight: float | None = None,
    since: object = None,
    until: object = None,
) -> ReportingLine | InfluenceLine:
    """The record of one typed contact-contact relation (a row of ``relations.csv``).

    ``reports_to`` (``contact_id`` reports to ``other_id``, dated by ``since`` / ``until``, no
    weight: the org-chart link strength is ``AnalysisConfig.reporting_line_strength``) becomes a
    :class:`~graph.model.ReportingLine`; every other type (:class:`~graph.model.RelationKind`:
    influences, advises, friend, former_colleague, colleague) an
    :class:`~graph.model.InfluenceLine` of that kind with its ``weight`` in (0, 1] (default 0.5),
    undated. Symmetric types need one row per pair. Errors name the file's columns.

    Examples
    --------
    >>> relation("bo", "al", "reports to", since="2024-01-01")
    ReportingLine(contact_id='bo', manager_id='al', since=datetime.date(2024, 1, 1), until=None)
    >>> relation("zoe", "al", "friend", 0.7).key
    ('al', 'zoe', 'friend')
    >>> relation("bo", "al", "cousin")
    Traceback (most recent call last):
    ...
    graph.model.ModelError: Relation.type: 'cousin' is not one of reports_to, influences, advises, friend, former_colleague, colleague
    """
    key = type.strip().lower().replace(" ", "_").replace("-", "_") if isinstance(type, str) else type
    try:
        if key == "reports_to":
            if weight is not None:
                raise ModelError(
                    "Relation", "weight", weight, "is not taken by reports_to (see reporting_line_strength)"
                )
            return ReportingLine(contact_id, other_id, since=since, until=until)  # type: ignore[arg-type]
        if key not in {k.value for k in RelationKind}:
            allowed = ", ".join(["reports_to", *(k.value for k in RelationKind)])
            raise ModelError("Relation", "type", type, f"is not one of {allowed}")
        for name, value in (("since", since), ("until", until)):
            if value is not None:
                raise ModelError("Relation", name, value, f"is only taken by reports_to ({key} is undated)")
        return InfluenceLine(contact_id, other_id, 0.5 if weight is None else weight, key)  # type: ignore[arg-type]
    except ModelError as error:
        column = _RELATION_COLUMNS.get(error.field, error.field)
        if column == error.field and error.record == "Relation":
            raise
        raise ModelError("Relation", column, error.value, error.reason) from None


#: Model fields of the records :func:`relation` builds -> the column of ``relations.csv``.
_RELATION_COLUMNS = {
    "manager_id": "other_id",
    "source_id": "contact_id",
    "target_id": "other_id",
    "kind": "type",
}

#: ``relations.csv``: typed contact-contact relations, import only (the export writes them back
#: as ``reporting_lines.csv`` and ``influence_lines.csv``).
RELATIONS = NativeFile(
    "relation",
    "relations",
    relation,  # type: ignore[arg-type]
    (
        _req("contact_id"),
        _req("other_id"),
        _req("type"),
        Column("weight", NUMBER),
        Column("since"),
        Column("until"),
    ),
)

#: Files in the order they are read: every native file, and relations after the lines.
_READ_ORDER: tuple[NativeFile, ...] = (
    *FILES[: [f.kind for f in FILES].index("influence_line") + 1],
    RELATIONS,
    *FILES[[f.kind for f in FILES].index("influence_line") + 1 :],
)

_BY_STEM = {f.stem: f for f in _READ_ORDER}
_BY_KIND = {f.kind: f for f in FILES}


def file_for_kind(kind: str) -> NativeFile:
    """The native file of a record kind.

    Examples
    --------
    >>> file_for_kind("employment").stem
    'employments'
    """
    return _BY_KIND[kind]


# -- reading -------------------------------------------------------------------------------------


class NativeSource(Source):
    """A native import: a folder of native files (or one file), CSV or JSON Lines.

    Parameters
    ----------
    path : Path
        A folder, or a single file named after its kind (``contacts.csv``).
    format : {"csv", "jsonl"}
        Which files to read.
    """

    def __init__(self, path: Path, format: str = "csv") -> None:
        super().__init__(path)
        if format not in FORMATS:
            raise ValueError(f"unknown native format {format!r} (csv or jsonl)")
        self.format = format
        self.ext = FORMATS[format]
        self.name = "native" if format == "csv" else "jsonl"
        if not self.path.exists():
            raise ImportRejected([Problem(str(path), None, None, "no such file or folder")])

    def _files(self) -> tuple[list[tuple[NativeFile, Path]], list[Problem]]:
        known = ", ".join(f.stem + self.ext for f in _READ_ORDER)
        if self.path.is_file():
            spec = _BY_STEM.get(self.path.name.removesuffix(self.ext))
            if spec is None or not self.path.name.endswith(self.ext):
                reason = f"not a native {self.format} file (native files: {known})"
                return [], [Problem(self.path.name, None, None, reason)]
            return [(spec, self.path)], []
        problems: list[Problem] = []
        names = sorted(p.name for p in self.path.iterdir() if p.is_file() and p.name.endswith(self.ext))
        for name in names:
            if name.removesuffix(self.ext) not in _BY_STEM and not name.endswith(".rejects.csv"):
                problems.append(Problem(name, None, None, f"unknown file (native files: {known})"))
        files = [
            (spec, self.path / (spec.stem + self.ext))
            for spec in _READ_ORDER
            if spec.stem + self.ext in names
        ]
        if not files and not problems:
            problems.append(Problem(self.path.name, None, None, f"no native files here (expected {known})"))
        return files, problems

    def rows(self) -> Iterator[Row]:
        """Every row of every native file, staff first, then accounts, contacts and the lines."""
        files, problems = self._files()
        for problem in problems:
            yield Row(problem.file, 0, "", "", (), (problem,), fatal=True)
        cycles = _ReportingCycles()
        for spec, path in files:
            rows = _csv_rows(spec, path) if self.format == "csv" else _jsonl_rows(spec, path)
            for row in rows:
                if spec is RELATIONS and row.records:
                    row.kind = _kind_of_relation(row.records[0])
                yield cycles.check(row)


def _kind_of_relation(record: object) -> str:
    return "reporting_line" if isinstance(record, ReportingLine) else "influence_line"


class _ReportingCycles:
    """Rejects the reporting line that closes a reporting cycle (lines all holding on one day).

    The lines seen so far form the org chart; a new line ``c -> m`` closes a cycle when ``m``'s
    chain of managers leads back to ``c`` through lines whose periods overlap the new line's and
    each other's. The chain is followed with the running intersection of the periods, so the
    search stays as deep as the org chart is high.
    """

    def __init__(self) -> None:
        self.managers: dict[str, list[ReportingLine]] = {}

    def check(self, row: Row) -> Row:
        if not row.records or not isinstance(row.records[0], ReportingLine):
            return row
        line: ReportingLine = row.records[0]
        path = self._path_back(line)
        if path is not None:
            chain = " -> ".join([line.contact_id, *path])
            problem = Problem(row.file, row.line, None, f"closes a reporting cycle: {chain}")
            return Row(row.file, row.line, row.text, row.kind, (), (problem,))
        self.managers.setdefault(line.contact_id, []).append(line)
        return row

    def _path_back(self, line: ReportingLine) -> list[str] | None:
        """The managers from ``line.manager_id`` back to ``line.contact_id`` (None: no cycle)."""
        start = (line.since or date.min, line.until or date.max)
        stack: list[tuple[str, tuple[date, date], list[str]]] = [(line.manager_id, start, [line.manager_id])]
        seen: set[tuple[str, tuple[date, date]]] = set()
        while stack:
            person, (low, high), path = stack.pop()
            if person == line.contact_id:
                return path
            if (person, (low, high)) in seen:
                continue
            seen.add((person, (low, high)))
            for up in self.managers.get(person, ()):
                lo, hi = max(low, up.since or date.min), min(high, up.until or date.max)
                if lo <= hi:
                    stack.append((up.manager_id, (lo, hi), [*path, up.manager_id]))
        return None


def _csv_rows(spec: NativeFile, path: Path) -> Iterator[Row]:
    table = CsvFile(path, required=spec.required, allowed=spec.names)
    name = table.name
    kind = spec.kind
    for problem in table.problems:
        yield Row(name, problem.line or 0, table.header_text, kind, (), (problem,), fatal=True)
    plan = [
        (table.index[c.name], c.name, c.type, c.required, c) for c in spec.columns if c.name in table.index
    ]
    record_type = spec.record
    for row in table:
        if row.problem is not None:
            yield Row(name, row.line, row.text, kind, (), (row.problem,), _EMPTY, row.fatal)
            continue
        fields = row.fields
        kwargs: dict[str, object] = {}
        problems: list[Problem] | None = None
        for index, field_name, field_type, required, column in plan:
            value = fields[index]
            if not value or value.isspace():
                if required:
                    kwargs[field_name] = value
            elif field_type == TEXT:
                kwargs[field_name] = value
            elif field_type == LIST:
                items = value.split(";")
                if " " in value or "" in items:
                    items = [item.strip() for item in items if item.strip()]
                kwargs[field_name] = items
            else:
                try:
                    kwargs[field_name] = _convert(column, value)
                except RowError as error:
                    if problems is None:
                        problems = []
                    problems.append(Problem(name, row.line, error.column, error.reason))
        if problems is None:
            try:
                record = record_type(**kwargs)
            except ModelError:
                problems = []
            else:
                yield Row(name, row.line, row.text, kind, (record,), (), _EMPTY)
                continue
        yield _build(spec, name, row.line, row.text, kwargs, problems)


def _jsonl_rows(spec: NativeFile, path: Path) -> Iterator[Row]:
    name = path.name
    kind = spec.kind
    record_type = spec.record
    columns = {c.name: c for c in spec.columns}
    names = set(columns)
    required = spec.required
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="\n") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            if not text.isascii():
                bad = _surrogate(text)
                if bad is not None:
                    problem = Problem(
                        name, number, f"byte {bad[0]}", f"is not valid UTF-8 (byte 0x{bad[1]:02x})"
                    )
                    yield Row(name, number, text, spec.kind, (), (problem,))
                    continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                problem = Problem(name, number, f"char {error.pos + 1}", f"invalid JSON: {error.msg}")
                yield Row(name, number, text, spec.kind, (), (problem,))
                continue
            if not isinstance(value, dict):
                problem = Problem(name, number, None, "is not a JSON object")
                yield Row(name, number, text, spec.kind, (), (problem,))
                continue
            problems: list[Problem] = []
            if not value.keys() <= names:
                problems.extend(
                    Problem(name, number, key, f"unknown field (known fields: {', '.join(columns)})")
                    for key in value
                    if key not in columns
                )
            problems.extend(
                Problem(name, number, field_name, "missing required field")
                for field_name in required
                if value.get(field_name) is None
            )
            if problems:
                yield Row(name, number, text, kind, (), problems)
                continue
            kwargs: dict[str, object] = {}
            for key, cell in value.items():
                column = columns[key]
                if column.type == TEXT and isinstance(cell, str) and cell and not cell.isspace():
                    kwargs[key] = cell
                    continue
                try:
                    converted = _convert(column, cell)
                except RowError as error:
                    problems.append(Problem(name, number, error.column, error.reason))
                    continue
                if converted is not _OMIT:
                    kwargs[key] = converted
            if not problems:
                try:
                    record = record_type(**kwargs)
                except ModelError:
                    pass
                else:
                    yield Row(name, number, text, kind, (record,), (), _EMPTY)
                    continue
            yield _build(spec, name, number, text, kwargs, problems)


def _surrogate(text: str) -> tuple[int, int] | None:
    for position, char in enumerate(text):
        if "\udc80" <= char <= "\udcff":
            column = len(text[:position].encode("utf-8", "surrogateescape")) + 1
            return column, ord(char) - 0xDC00
    return None


_OMIT = object()


def _convert(column: Column, value: object) -> object:
    """The constructor argument for one cell, or ``_OMIT`` for an empty optional cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.required:
            return "" if value is None else value
        return _OMIT
    kind = column.type
    if kind == TEXT:
        if not isinstance(value, str):
            raise RowError(column.name, f"{value!r} is not a string")
        return value
    if kind == HISTORY:
        if isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return value
        raise RowError(column.name, f"{value!r} is not a history (since:value entries)")
    if kind == LIST:
        if isinstance(value, str):
            return split_list(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return [item.strip() for item in value if item.strip()]
        raise RowError(column.name, f"{value!r} is not a list of strings")
    if kind == FLAG:
        if isinstance(value, bool | str):
            return value
        raise RowError(column.name, f"{value!r} is not true or false")
    if kind == NUMBER:
        number: float
        if isinstance(value, bool):
            raise RowError(column.name, f"{value!r} is not a number")
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value)
            except ValueError:
                raise RowError(column.name, f"{value!r} is not a number") from None
        else:
            raise RowError(column.name, f"{value!r} is not a number")
        if not math.isfinite(number):
            raise RowError(column.name, f"{value!r} is not a number")
        return number
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise RowError(column.name, f"{value!r} is not 1-5 or low/medium/high")
    return value


def _build(
    spec: NativeFile, file: str, line: int, text: str, kwargs: dict[str, object], problems: list[Problem]
) -> Row:
    """The row for ``kwargs``, collecting every model problem (optional fields are dropped one by
    one to find the next problem)."""
    # a position row with problems still names its contact (no contact is left without a position)
    contact = kwargs.get("contact_id", "") if spec.kind == "employment" else ""
    contact_id = contact if isinstance(contact, str) else ""
    if any(c.required and c.name not in kwargs for c in spec.columns):
        return Row(file, line, text, spec.kind, (), problems, contact_id=contact_id)
    while True:
        try:
            record = spec.record(**kwargs)
        except ModelError as error:
            problems.append(model_problem(file, line, error))
            optional = error.field in kwargs and not any(
                c.name == error.field and c.required for c in spec.columns
            )
            if not optional:
                break
            del kwargs[error.field]
            continue
        if not problems:
            return Row(file, line, text, spec.kind, (record,))
        break
    return Row(file, line, text, spec.kind, (), problems, contact_id=contact_id)


# -- writing (used by importers.export) -----------------------------------------------------------


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(_number(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | frozenset | list | set):
        return ";".join(sorted(str(v) for v in value))
    raise TypeError(f"cannot write {value!r} in a native file")


def _json_value(value: object) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, int):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | frozenset | list | set):
        return sorted(str(v) for v in value)
    raise TypeError(f"cannot write {value!r} in a native file")


def csv_cells(spec: NativeFile, record: Any) -> list[str]:
    """The CSV cells of ``record`` in the file's column order (stable formatting).

    Examples
    --------
    >>> from datetime import date
    >>> e = Employment("c1", "acme", roles=frozenset({"champion", "economic_buyer"}), since=date(2024, 1, 1))
    >>> csv_cells(file_for_kind("employment"), e)
    ['c1', 'acme', '', '', '', 'champion;economic_buyer', '2024-01-01', '']
    """
    return [
        (history_text(getattr(record, c.name)) or "") if c.type == HISTORY else _cell(getattr(record, c.name))
        for c in spec.columns
    ]


def json_object(spec: NativeFile, record: Any) -> dict[str, object]:
    """The JSON object of ``record`` (every column, ``null`` when empty).

    Examples
    --------
    >>> acme = Account("acme", "Acme", annual_revenue=1.5e6, domains=("acme.com",))
    >>> json_object(file_for_kind("account"), acme)["annual_revenue"]
    1500000
    """
    return {
        c.name: _history_list(getattr(record, c.name))
        if c.type == HISTORY
        else _json_value(getattr(record, c.name))
        for c in spec.columns
    }


def _history_list(history: tuple[tuple[date, object], ...]) -> list[str] | None:
    text = history_text(history)
    return text.split(";") if text else None


def _open_csv(path: Path, context: ImportContext) -> Source:
    return NativeSource(path, "csv")


def _open_jsonl(path: Path, context: ImportContext) -> Source:
    return NativeSource(path, "jsonl")


register_importer("native", _open_csv, "kamgraph native format: a folder of CSV files (or one file)")
register_importer("jsonl", _open_jsonl, "kamgraph native format as JSON Lines (*.jsonl, one object per line)")
