"""The native kamgraph format: one CSV (or JSON Lines) file per record kind.

A native import is a folder holding any of the files of :data:`FILES` (``staff.csv``,
``accounts.csv``, ``contacts.csv``, ``employments.csv``, ``reporting_lines.csv``,
``influence_lines.csv``, ``team_memberships.csv``, ``interactions.csv``, ``assessments.csv``,
``referrals.csv``), or the same names ending in ``.jsonl`` with one JSON object per line. Missing
files are fine; an unknown file, a missing required column and an unknown column are errors.
Column names are the model's field names; list cells (``roles``, ``domains``, ``participants``,
``accounts``) are ``;``-separated in CSV and JSON arrays (or ``;``-separated strings) in JSON
Lines. An interaction carries its participants in its own ``participants`` column, so an
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
    Employment,
    InfluenceLine,
    Interaction,
    ModelError,
    Referral,
    ReportingLine,
    Staff,
    TeamMembership,
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
    "Column",
    "NativeFile",
    "NativeSource",
    "csv_cells",
    "file_for_kind",
    "json_object",
]

#: Export/import formats and their file extensions.
FORMATS: dict[str, str] = {"csv": ".csv", "jsonl": ".jsonl"}

TEXT = "text"
LIST = "list"
NUMBER = "number"
SCORE = "score"


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
        (_req("id"), _req("name"), Column("email"), Column("title"), Column("level"), Column("team_role")),
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
        (_req("source_id"), _req("target_id"), Column("weight", NUMBER)),
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
)

_BY_STEM = {f.stem: f for f in FILES}
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
        known = ", ".join(f.stem + self.ext for f in FILES)
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
            (spec, self.path / (spec.stem + self.ext)) for spec in FILES if spec.stem + self.ext in names
        ]
        if not files and not problems:
            problems.append(Problem(self.path.name, None, None, f"no native files here (expected {known})"))
        return files, problems

    def rows(self) -> Iterator[Row]:
        """Every row of every native file, staff first, then accounts, contacts and the lines."""
        files, problems = self._files()
        for problem in problems:
            yield Row(problem.file, 0, "", "", (), (problem,), fatal=True)
        for spec, path in files:
            if self.format == "csv":
                yield from _csv_rows(spec, path)
            else:
                yield from _jsonl_rows(spec, path)


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
    if kind == LIST:
        if isinstance(value, str):
            return split_list(value)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return [item.strip() for item in value if item.strip()]
        raise RowError(column.name, f"{value!r} is not a list of strings")
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
    return [_cell(getattr(record, c.name)) for c in spec.columns]


def json_object(spec: NativeFile, record: Any) -> dict[str, object]:
    """The JSON object of ``record`` (every column, ``null`` when empty).

    Examples
    --------
    >>> acme = Account("acme", "Acme", annual_revenue=1.5e6, domains=("acme.com",))
    >>> json_object(file_for_kind("account"), acme)["annual_revenue"]
    1500000
    """
    return {c.name: _json_value(getattr(record, c.name)) for c in spec.columns}


def _open_csv(path: Path, context: ImportContext) -> Source:
    return NativeSource(path, "csv")


def _open_jsonl(path: Path, context: ImportContext) -> Source:
    return NativeSource(path, "jsonl")


register_importer("native", _open_csv, "kamgraph native format: a folder of CSV files (or one file)")
register_importer("jsonl", _open_jsonl, "kamgraph native format as JSON Lines (*.jsonl, one object per line)")
