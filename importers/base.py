"""The import framework every kamgraph importer is built on: get, transform, load.

An importer reads its input (*get*) and turns every input row into model records (*transform*)
inside a :class:`Source`; :func:`run_import` does the *load*, the same way for every format:

1. **Check** (first streaming pass over ``source.rows()``): every record has been validated by
   the model; the framework adds duplicate identities, references to records that are neither
   in the input nor in the store (looked up in batches), and person ids used as staff *and*
   contact. Every problem is kept with its file, line, column and reason.
2. **Decide**: strict (the default) raises :class:`ImportRejected` listing *every* problem and
   writes nothing. Lenient rejects the rows with a problem (imported + rejected = input).
3. **Write** (second streaming pass): the good rows' records go to ``store.write_many`` in
   chunks of ``chunk_size`` records (one transaction on the embedded store), with contacts
   matched by email and job changes applied; rejected rows are written verbatim to the reject
   file with their line, column and reason.

Inputs of up to ``memory_rows`` rows are kept between the passes; larger ones are read again by
the second pass, so memory holds only ids and identities and inputs of millions of rows stream.
Rows that point at a row rejected late (at the end of the check) are rejected on the way.

Job changes
-----------
A contact is the same person when the external id is the same, or when an imported contact has
no stored record under its id but its email belongs to a stored contact (never by name): the
import's records are then written under the stored id. When the contact, over the stored and the
imported positions together (at least one of the two from the import), holds an open employment
at one account and an employment at another account that starts later (or, when the open one
has no start day, an open employment elsewhere), the open one ends the day before the later one
starts; both are kept. The report lists every job change.

Writing an importer
-------------------
Subclass :class:`Source` and implement :meth:`Source.rows`: it is called once per pass and must
yield the same rows both times, in write order where possible (staff, accounts, contacts, then
the lines). Build each :class:`Row` with :func:`build_row`, which turns the model's
:class:`~graph.model.ModelError` into a :class:`Problem` naming the source's column; raise
:class:`RowError` from the transform for problems the model cannot see (a value that is not a
number, an unknown code). :class:`CsvFile` reads a CSV file with every check (encoding, empty
file, delimiter, required columns, verbatim row text). A row that leaves the rest of its file
unreadable (a bad header) is ``fatal``: the import fails even when lenient.

Register a factory under a format name so ``kamgraph import <format> <path>`` finds it::

    from importers.base import ImportContext, Source, register_importer

    def open_salesforce(path: Path, context: ImportContext) -> Source: ...

    register_importer("salesforce", open_salesforce, "Salesforce data export (CSV files)")

The modules of :data:`IMPORTER_MODULES` are imported on first use of their format, so a module
registers itself at import time. ``context.store`` serves look-ups (people by email, accounts
by domain), ``context.options`` holds the ``--option KEY=VALUE`` pairs of the command line,
``context.staff_email_domains`` the configured domains of our own people. Anything the user
should see (unresolved addresses, say) goes in :meth:`Source.notes`.

Examples
--------
>>> from graph.model import Contact
>>> row = build_row("contacts.csv", 2, "c1,Ada,boss", "contact", lambda: [Contact("c1", "Ada", level="boss")])
>>> [str(p) for p in row.problems]
["contacts.csv:2: column level: 'boss' is not one of executive, management, operational"]
>>> sorted(importer_names())[:3]
['ics', 'jsonl', 'mbox']
"""

from __future__ import annotations

import abc
import codecs
import csv
import gc
import importlib
import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, NamedTuple

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from graph.model import (
    SIGNAL_TYPES,
    Account,
    Assessment,
    Contact,
    Employment,
    InfluenceLine,
    Interaction,
    ModelError,
    Opportunity,
    Referral,
    ReportingLine,
    Staff,
    SupportCase,
    SurveyResponse,
    TeamMembership,
)
from graph.services.job_changes import InferredChanges, import_job_changes
from graph.store import (
    RECORD_KINDS,
    GraphBatch,
    GraphStore,
    IntegrityError,
    JobChange,
    WriteSummary,
    kind_of,
)

__all__ = [
    "CSV_OPTION_NAMES",
    "IMPORTER_MODULES",
    "MAX_PROBLEMS_SHOWN",
    "CsvFile",
    "CsvOptions",
    "CsvRow",
    "ImportContext",
    "ImportRejected",
    "ImportReport",
    "ImporterFactory",
    "ImporterInfo",
    "ImporterUnavailable",
    "KindReport",
    "ObjectReport",
    "Problem",
    "Row",
    "RowError",
    "Source",
    "build_row",
    "date_hint",
    "get_importer",
    "guess_encoding",
    "importer_names",
    "kind_of",
    "load_records",
    "model_problem",
    "parse_day",
    "parse_moment",
    "pop_csv_options",
    "register_importer",
    "run_import",
    "split_list",
]

#: Problems listed in the message of :class:`ImportRejected` (all are in ``.problems``).
MAX_PROBLEMS_SHOWN = 50

#: Format name -> module that registers it when imported (first use of the format).
IMPORTER_MODULES: dict[str, str] = {
    "native": "importers.native",
    "jsonl": "importers.native",
    "salesforce": "importers.salesforce",
    "ics": "importers.calendar_ics",
    "mbox": "importers.mailbox",
    "zoho": "importers.zoho",
    "spreadsheet": "importers.spreadsheet",
}

_CHUNK = 10_000
# Rows kept between the check and the write pass (larger inputs are read twice). A million
# interactions kept cost about 180 MiB more at the peak than reading them twice, and save a
# quarter of the time (bench/bench_import.py).
_MEMORY_ROWS = 2_000_000
_LOOKUP = 10_000
_PROGRESS_EVERY = 2_000


# -- problems and rows ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Problem:
    """Why (part of) the input cannot be imported, and where.

    ``line`` is the 1-based line where the row starts (``None`` for the whole file), ``column``
    the source's column name (or ``"byte N"`` / ``"char N"`` for encoding and syntax errors).

    Examples
    --------
    >>> str(Problem("contacts.csv", 3, "email", "'x' is not a valid email address"))
    "contacts.csv:3: column email: 'x' is not a valid email address"
    >>> str(Problem("staff.csv", None, None, "empty file: no header"))
    'staff.csv: empty file: no header'
    """

    file: str
    line: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" column {self.column}:" if self.column else ""
        return f"{where}:{column} {self.reason}"


class RowError(Exception):
    """Raised by a transform: ``column`` holds a value the importer cannot use.

    Examples
    --------
    >>> str(RowError("value", "'abc' is not a number"))
    "value: 'abc' is not a number"
    """

    def __init__(self, column: str | None, reason: str) -> None:
        self.column = column
        self.reason = reason
        super().__init__(f"{column}: {reason}" if column else reason)


class ImportRejected(Exception):
    """The input has problems; nothing was written. ``problems`` holds every one of them."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        count = len(self.problems)
        super().__init__(
            f"import rejected, nothing written: {count} problem{'s' if count != 1 else ''}\n{shown}{tail}"
        )


class ImporterUnavailable(LookupError):
    """No importer is registered under the format name (or its module is missing)."""


_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(slots=True)
class Row:
    """One input row: where it is, its verbatim text, and what it became.

    Parameters
    ----------
    file : str
        File name as shown to the user (relative to the imported folder).
    line : int
        1-based line where the row starts.
    text : str
        The row exactly as read (for the reject file).
    kind : str
        The record kind the row stands for, for the summary (e.g. ``"contact"``).
    records : sequence
        The records the row produced (none when it has problems).
    problems : sequence of Problem
        What is wrong with the row.
    columns : mapping
        Model field -> source column, to name columns in reference problems the framework
        finds (fields absent from the mapping are shown under their own name).
    fatal : bool
        The problem makes the rest of the file unreadable (the import fails even if lenient).
    skipped : str
        Why a row without records made none on purpose (an open task, a lead): counted as
        skipped in the summary, per file. A row without records, problems or ``skipped`` was
        merged into another row's record (see ``merged``).
    merged : tuple of (str, str, str), optional
        ``(what, kind, id)``: the row became part of another record, e.g.
        ``("participants", "interaction", "00U1")`` for an event attendee (for the summary).
    fallback : sequence
        Employments written in place of the contact's positions when every other position row
        of the contact was rejected (lenient mode): e.g. Salesforce's ``Contact.AccountId``.
    contact_id : str
        For a position row with problems: the contact it is about, so that a contact whose
        every position row is rejected is rejected too (or keeps its ``fallback``).
    part_of : sequence of (str, str, str)
        ``(what, kind, id)`` of other records the row also fills, whether or not it made records
        of its own, e.g. ``("contacts", "opportunity", "006A")`` for an opportunity contact role
        (for the summary's ``into``).
    """

    file: str
    line: int
    text: str
    kind: str
    records: Sequence[Any] = ()
    problems: Sequence[Problem] = ()
    columns: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    fatal: bool = False
    skipped: str = ""
    merged: tuple[str, str, str] | None = None
    fallback: Sequence[Any] = ()
    contact_id: str = ""
    part_of: Sequence[tuple[str, str, str]] = ()


def model_problem(file: str, line: int, error: ModelError, columns: Mapping[str, str] = _EMPTY) -> Problem:
    """The :class:`Problem` for a :class:`~graph.model.ModelError`, naming the source column.

    Examples
    --------
    >>> from graph.model import ModelError
    >>> e = ModelError("Employment", "roles", "boss", "is not one of ...")
    >>> str(model_problem("acr.csv", 7, e, {"roles": "Roles"}))
    "acr.csv:7: column Roles: 'boss' is not one of ..."
    """
    return Problem(file, line, columns.get(error.field, error.field), f"{error.value!r} {error.reason}")


def build_row(
    file: str,
    line: int,
    text: str,
    kind: str,
    build: Callable[[], Sequence[Any]],
    columns: Mapping[str, str] = _EMPTY,
) -> Row:
    """Run the transform ``build`` for one row and return the :class:`Row`.

    A :class:`~graph.model.ModelError` or :class:`RowError` raised by ``build`` becomes the row's
    problem (with the source column); otherwise the row carries the records ``build`` returned.
    """
    try:
        records = build()
    except ModelError as error:
        return Row(file, line, text, kind, (), (model_problem(file, line, error, columns),), columns)
    except RowError as error:
        return Row(file, line, text, kind, (), (Problem(file, line, error.column, error.reason),), columns)
    return Row(file, line, text, kind, records, (), columns)


def split_list(value: str, sep: str = ";") -> list[str]:
    """Split a ``;``-separated list cell, dropping blanks around and between items.

    Examples
    --------
    >>> split_list(" economic_buyer ; champion;;")
    ['economic_buyer', 'champion']
    """
    return [item.strip() for item in value.split(sep) if item.strip()]


# -- CSV reading --------------------------------------------------------------------------------

_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


class CsvRow(NamedTuple):
    """One CSV record: first line, verbatim text, fields, and its problem (encoding, shape)."""

    line: int
    text: str
    fields: list[str]
    problem: Problem | None = None
    fatal: bool = False


class CsvFile:
    """A CSV file read with every check the importers need.

    The header is read on construction; :attr:`problems` lists what is wrong with the file as a
    whole (empty file, wrong delimiter, missing required or unknown columns, duplicate column
    names). Iterating yields a :class:`CsvRow` per non-blank record after the header, with the
    record's verbatim text and its first line, and a problem when the record is not UTF-8 or
    does not have as many fields as the header. A UTF-8 byte-order mark is accepted.

    Parameters
    ----------
    path : Path
        The file.
    name : str, optional
        The name shown in problems (default: the file name).
    required : collection of str
        Columns that must be in the header.
    allowed : collection of str, optional
        Every column the importer knows; others are reported as unknown. ``None`` allows any.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "staff.csv"
    >>> _ = p.write_text("id;name\\ns1;Sam\\n")
    >>> [str(x) for x in CsvFile(p, required=["id", "name"]).problems]
    ["staff.csv:1: expected comma-separated values, the header looks semicolon-separated (Excel does so where the decimal separator is a comma): 'id;name'; save it comma-separated"]
    >>> _ = p.write_text('id,name\\ns1,"Sam\\nSmith"\\n\\ns2,Kim\\n')
    >>> [(r.line, r.fields) for r in CsvFile(p, required=["id"])]
    [(2, ['s1', 'Sam\\nSmith']), (5, ['s2', 'Kim'])]
    """

    def __init__(
        self,
        path: Path,
        name: str | None = None,
        *,
        required: Collection[str] = (),
        allowed: Collection[str] | None = None,
        options: CsvOptions | None = None,
    ) -> None:
        self.path = Path(path)
        self.name = name or self.path.name
        self.options = options or CsvOptions()
        self.header: list[str] = []
        self.index: dict[str, int] = {}
        self.header_text = ""
        self.problems: list[Problem] = []
        self._guess: str | None = None
        self._read_header(required, allowed)

    def _open(self) -> IO[str]:
        return open(self.path, encoding=self.options.encoding, errors="surrogateescape", newline="")

    def _not_decodable(self, line: int, text: str, position: int) -> Problem:
        if self._guess is None:
            self._guess = guess_encoding(self.path)
        return _encoding_problem(self.name, line, text, position, self.options, self._guess)

    def _read_header(self, required: Collection[str], allowed: Collection[str] | None) -> None:
        with self._open() as handle:
            first = next((line for line in handle if line.strip()), None)
        if first is None:
            self.problems.append(Problem(self.name, None, None, "empty file: no header"))
            return
        self.header_text = first
        bad = _NOT_UTF8.search(first)
        if bad:
            self.problems.append(self._not_decodable(1, first, bad.start()))
            return
        delimiter = self.options.delimiter
        try:
            header = next(csv.reader([first], delimiter=delimiter))
        except csv.Error as error:
            self.problems.append(Problem(self.name, 1, None, f"unreadable header: {error}"))
            return
        self.header = [column.strip() for column in header]
        if len(self.header) == 1:
            for other in _DELIMITERS:
                if other != delimiter and other in self.header[0]:
                    self.problems.append(
                        Problem(
                            self.name,
                            1,
                            None,
                            _delimiter_reason(delimiter, other, first.rstrip(), self.options.hints),
                        )
                    )
                    return
        for position, column in enumerate(self.header):
            if not column:
                self.problems.append(Problem(self.name, 1, f"#{position + 1}", "empty column name"))
            elif column in self.index:
                self.problems.append(Problem(self.name, 1, column, "column appears twice"))
            else:
                self.index[column] = position
        for column in required:
            if column not in self.index:
                self.problems.append(Problem(self.name, 1, column, "missing required column"))
        if allowed is not None:
            known = ", ".join(allowed)
            for column in self.index:
                if column not in allowed:
                    self.problems.append(
                        Problem(self.name, 1, column, f"unknown column (known columns: {known})")
                    )

    def __iter__(self) -> Iterator[CsvRow]:
        if self.problems:
            return
        width = len(self.header)
        buffer: list[str] = []
        with self._open() as handle:
            reader = csv.reader(_collect(handle, buffer), delimiter=self.options.delimiter)
            seen_header = False
            previous = 0
            try:
                for fields in reader:
                    start = previous + 1
                    previous = reader.line_num
                    text = "".join(buffer)
                    buffer.clear()
                    if not fields or (len(fields) == 1 and not fields[0].strip()):
                        continue
                    if not seen_header:
                        seen_header = True
                        continue
                    if not text.isascii():
                        bad = _NOT_UTF8.search(text)
                        if bad:
                            yield CsvRow(start, text, fields, self._not_decodable(start, text, bad.start()))
                            continue
                    if len(fields) != width:
                        problem = Problem(
                            self.name, start, None, f"has {len(fields)} fields, the header has {width}"
                        )
                        yield CsvRow(start, text, fields, problem)
                        continue
                    yield CsvRow(start, text, fields)
            except csv.Error as error:
                line = previous + 1
                text = "".join(buffer)
                yield CsvRow(
                    line, text, [], Problem(self.name, line, None, f"unreadable CSV: {error}"), fatal=True
                )


def _collect(handle: IO[str], buffer: list[str]) -> Iterator[str]:
    for line in handle:
        buffer.append(line)
        yield line


def _encoding_problem(
    file: str, line: int, text: str, position: int, options: CsvOptions, guess: str = ""
) -> Problem:
    """The problem for an undecodable byte at character ``position`` of a (multi-line) row, with
    the encoding the file most likely has and how to read it."""
    codec = "utf-8" if _is_utf8(options.encoding) else options.encoding
    before = text[:position]
    line += before.count("\n") if "\n" in before else before.count("\r")
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    column = len(before[start:].encode(codec, "surrogateescape")) + 1
    byte = text[position].encode(codec, "surrogateescape")[0]
    shown = "UTF-8" if codec == "utf-8" else codec
    reason = f"is not valid {shown} (byte 0x{byte:02x})"
    if guess and guess != codec:
        label = _ENCODING_LABELS.get(guess, guess)
        fix = f" or read it with --option encoding={guess}" if options.hints else ""
        reason += (
            f": the file looks {label}-encoded (as Excel and many CRMs save CSV in some locales); "
            f"save it as UTF-8 (Excel: 'CSV UTF-8'){fix}"
        )
    else:
        reason += ": the file is in another encoding; save it as UTF-8 (Excel: 'CSV UTF-8')"
        if options.hints:
            reason += " or name its encoding with --option encoding=NAME (e.g. cp1252, gbk)"
    return Problem(file, line, f"byte {column}", reason)


# -- CSV options: encoding, delimiter, date format --------------------------------------------------

#: ``--option`` keys read by :func:`pop_csv_options`.
CSV_OPTION_NAMES = ("encoding", "delimiter", "date-format")

#: How the guessed encodings are named in messages.
_ENCODING_LABELS = {
    "cp1252": "Windows-1252 (Western European)",
    "latin-1": "Latin-1 (ISO 8859-1)",
    "gbk": "GBK (Simplified Chinese)",
    "gb18030": "GBK / GB18030 (Simplified Chinese)",
    "big5": "Big5 (Traditional Chinese)",
    "shift_jis": "Shift JIS (Japanese)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "utf-16": "UTF-16",
}
_DELIMITER_NAMES = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}


@dataclass(frozen=True)
class CsvOptions:
    """How a CSV file is read: encoding, delimiter, and the date format of its date cells.

    ``hints`` says whether messages may suggest ``--option encoding=...`` and the like (the
    importer reads these options). ``date_format`` is a :func:`datetime.strptime` format used
    when a date is not ISO 8601 (ISO dates are always read).
    """

    encoding: str = "utf-8-sig"
    delimiter: str = ","
    date_format: str | None = None
    hints: bool = False


def pop_csv_options(options: dict[str, str]) -> CsvOptions:
    """Take ``encoding``, ``delimiter`` and ``date-format`` out of ``options`` (``--option`` pairs).

    ``encoding`` is any Python codec name (``utf-8`` also accepts a byte-order mark),
    ``delimiter`` one character or ``comma`` / ``semicolon`` / ``tab`` / ``pipe``,
    ``date-format`` a :func:`datetime.strptime` format such as ``%d/%m/%Y``.

    Raises
    ------
    ImportRejected
        An unknown encoding, a delimiter of more than one character, a date format without a
        ``%`` directive.

    Examples
    --------
    >>> pop_csv_options({"encoding": "GBK", "delimiter": "semicolon", "date-format": "%d.%m.%Y"})
    CsvOptions(encoding='gbk', delimiter=';', date_format='%d.%m.%Y', hints=True)
    >>> pop_csv_options({"encoding": "klingon"})
    Traceback (most recent call last):
    ...
    importers.base.ImportRejected: import rejected, nothing written: 1 problem
      --option: column encoding: 'klingon' is not a known encoding (e.g. utf-8, cp1252, latin-1, gbk, gb18030)
    """
    problems: list[Problem] = []
    encoding = "utf-8-sig"
    if "encoding" in options:
        value = options.pop("encoding").strip()
        try:
            name = codecs.lookup(value).name
        except LookupError:
            problems.append(
                Problem(
                    "--option",
                    None,
                    "encoding",
                    f"{value!r} is not a known encoding (e.g. utf-8, cp1252, latin-1, gbk, gb18030)",
                )
            )
        else:
            encoding = "utf-8-sig" if name == "utf-8" else value.lower()
    delimiter = ","
    if "delimiter" in options:
        value = options.pop("delimiter")
        delimiter = _DELIMITER_NAMES.get(value.strip().lower(), value)
        if len(delimiter) != 1 or delimiter in '"\r\n':
            problems.append(
                Problem(
                    "--option",
                    None,
                    "delimiter",
                    f"{value!r} is not one character (or comma, semicolon, tab, pipe)",
                )
            )
    date_format = None
    if "date-format" in options:
        date_format = options.pop("date-format")
        if "%" not in date_format:
            problems.append(
                Problem(
                    "--option",
                    None,
                    "date-format",
                    f"{date_format!r} has no strptime directive (e.g. %d/%m/%Y)",
                )
            )
    if problems:
        raise ImportRejected(problems)
    return CsvOptions(encoding, delimiter, date_format, hints=True)


def guess_encoding(path: Path, size: int = 1 << 20) -> str:
    """The most likely encoding of a file that is not UTF-8 (``""`` when nothing fits).

    Detection by ``charset-normalizer`` on the first ``size`` bytes, among the encodings that
    exports come in (``_GUESSED``: cp1252, gb18030, big5, shift_jis, cp1251, utf-16).
    """
    data = Path(path).read_bytes()[:size]
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - the dependency is pinned
        return ""
    best = from_bytes(data, cp_isolation=list(_GUESSED)).best()
    if best is None:
        return ""
    return _GUESSED.get(codecs.lookup(best.encoding).name, "")


#: The encodings :func:`guess_encoding` chooses from (Python codec name -> the option's value):
#: those that CRM and spreadsheet exports come in. Short samples fit many code pages; keeping to
#: the common ones makes the guess useful rather than exotic.
_GUESSED = {
    "cp1252": "cp1252",
    "gb18030": "gb18030",
    "big5": "big5",
    "shift_jis": "shift_jis",
    "cp1251": "cp1251",
    "utf-16": "utf-16",
}


def parse_day(value: str, date_format: str | None = None, hints: bool = False) -> date:
    """A day from an ISO 8601 date (or date-time), else from ``date_format``.

    Raises
    ------
    ValueError
        The value is neither; the message names the format it looks like and the option that
        reads it.

    Examples
    --------
    >>> parse_day("2025-03-04"), parse_day("04/03/2025", "%d/%m/%Y")
    (datetime.date(2025, 3, 4), datetime.date(2025, 3, 4))
    >>> parse_day("2025/03/04", hints=True)
    Traceback (most recent call last):
    ...
    ValueError: '2025/03/04' is not a date (YYYY-MM-DD): it looks like yyyy/mm/dd; read it with --option date-format=%Y/%m/%d
    """
    text = value.strip()
    try:
        return date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text)
    except ValueError:
        pass
    if date_format:
        for candidate in (text, text.split(" ")[0], text.split("T")[0]):
            try:
                return datetime.strptime(candidate, date_format).date()
            except ValueError:
                continue
    raise ValueError(f"{value!r} is not a date (YYYY-MM-DD){date_hint(text, date_format, hints)}")


def parse_moment(value: str, date_format: str | None = None, hints: bool = False) -> datetime:
    """An aware UTC date-time from ISO 8601, else from ``date_format`` (a day alone, or the day
    followed by ``HH:MM`` or ``HH:MM:SS``); naive values are taken as UTC.

    Examples
    --------
    >>> parse_moment("04.03.2025 09:30", "%d.%m.%Y").isoformat()
    '2025-03-04T09:30:00+00:00'
    >>> parse_moment("3/4/2025 9:30 AM")
    Traceback (most recent call last):
    ...
    ValueError: '3/4/2025 9:30 AM' is not a date-time (ISO 8601, e.g. 2025-03-01T09:30:00.000Z): it looks like dd/mm/yyyy or mm/dd/yyyy (ambiguous, both are used); save dates as YYYY-MM-DD
    """
    text = value.strip()
    result: datetime | None = None
    try:
        result = datetime.fromisoformat(text)
    except ValueError:
        if date_format:
            for fmt in (
                date_format,
                f"{date_format} %H:%M",
                f"{date_format} %H:%M:%S",
                f"{date_format} %I:%M %p",
            ):
                try:
                    result = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if result is None:
        raise ValueError(
            f"{value!r} is not a date-time (ISO 8601, e.g. 2025-03-01T09:30:00.000Z)"
            f"{date_hint(text, date_format, hints)}"
        )
    return result.replace(tzinfo=UTC) if result.tzinfo is None else result.astimezone(UTC)


_SLASHED = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T]|$)")
_YEAR_FIRST = re.compile(r"^\d{4}([/.])\d{1,2}\1\d{1,2}(?:[ T]|$)")
_CJK_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日")


def date_hint(value: str, date_format: str | None = None, hints: bool = True) -> str:
    """Why a date cell could not be read and how to read it (``""`` when nothing fits).

    Examples
    --------
    >>> date_hint("31/01/2025")
    ': it looks like dd/mm/yyyy; read it with --option date-format=%d/%m/%Y'
    >>> date_hint("01/31/2025")
    ': it looks like mm/dd/yyyy; read it with --option date-format=%m/%d/%Y'
    >>> date_hint("someday")
    ''
    """
    if date_format:
        return f" nor a date in the format {date_format!r} (--option date-format)"
    fix = "read it with --option date-format=" if hints else "save dates as YYYY-MM-DD (e.g. "
    end = "" if hints else ")"
    slashed = _SLASHED.match(value)
    if slashed:
        first, sep, second, year = slashed.groups()
        y = "%Y" if len(year) == 4 else "%y"
        if int(first) > 12 and int(second) <= 12:
            return f": it looks like dd{sep}mm{sep}yyyy; {fix}%d{sep}%m{sep}{y}{end}"
        if int(second) > 12 and int(first) <= 12:
            return f": it looks like mm{sep}dd{sep}yyyy; {fix}%m{sep}%d{sep}{y}{end}"
        both = f"%d{sep}%m{sep}{y} or %m{sep}%d{sep}{y}"
        if hints:
            return f": it looks like dd{sep}mm{sep}yyyy or mm{sep}dd{sep}yyyy (ambiguous, both are used); {fix}{both}"
        return f": it looks like dd{sep}mm{sep}yyyy or mm{sep}dd{sep}yyyy (ambiguous, both are used); save dates as YYYY-MM-DD"
    year_first = _YEAR_FIRST.match(value)
    if year_first:
        sep = year_first.group(1)
        return f": it looks like yyyy{sep}mm{sep}dd; {fix}%Y{sep}%m{sep}%d{end}"
    if _CJK_DATE.match(value):
        return f": it looks like yyyy年mm月dd日; {fix}%Y年%m月%d日{end}"
    return ""


def _is_utf8(encoding: str) -> bool:
    return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")


def _delimiter_reason(expected: str, found: str, header: str, hints: bool) -> str:
    want, got = _DELIMITERS.get(expected, repr(expected)), _DELIMITERS[found]
    shown = "\\t" if found == "\t" else found
    why = " (Excel does so where the decimal separator is a comma)" if found == ";" else ""
    fix = f" or read it with --option delimiter={shown}" if hints else ""
    return (
        f"expected {want}-separated values, the header looks {got}-separated{why}: {header!r}; "
        f"save it {want}-separated{fix}"
    )


# -- sources and the registry --------------------------------------------------------------------


@dataclass(frozen=True)
class ImportContext:
    """What an importer factory may use besides the path."""

    store: GraphStore
    options: Mapping[str, str] = field(default_factory=dict)
    staff_email_domains: tuple[str, ...] = ()


class Source(abc.ABC):
    """One import input. :meth:`rows` is called once per pass and yields the same rows each time."""

    #: The format name, shown in the summary.
    name: str = "source"

    #: Whether a later open position at another account ends the earlier one (a job change).
    #: Off for sources that state every position's period themselves and allow concurrent
    #: positions (Salesforce's indirect account-contact relations).
    infers_job_changes: bool = True

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @abc.abstractmethod
    def rows(self) -> Iterator[Row]:
        """Every input row, transformed (records or problems), in write order where possible."""

    def total_size(self) -> int | None:
        """Roughly the total length of the rows' text (file sizes), for the progress bar."""
        if self.path.is_file():
            return self.path.stat().st_size
        if self.path.is_dir():
            return sum(p.stat().st_size for p in self.path.iterdir() if p.is_file())
        return None

    def notes(self) -> list[str]:
        """Things the user should read after the import (e.g. unresolved email addresses)."""
        return []

    def default_reject_file(self) -> Path:
        """Where lenient mode writes rejected rows: ``<path>.rejects.csv`` next to the input."""
        base = self.path if self.path.is_dir() else self.path.with_suffix("")
        return base.parent / f"{base.name}.rejects.csv"


class FileSetSource(Source):
    """A source read from one file, or from the matching files of a folder.

    Subclasses say which files of a folder count (:meth:`files`) and how a folder without any is
    named in the error (``file_noun``).
    """

    #: How the files are named in the error for a folder without any, e.g. ``".ics files"``.
    file_noun: str = "files"

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        if not self.path.exists():
            raise ImportRejected([Problem(str(path), None, None, "no such file or folder")])

    @abc.abstractmethod
    def files(self) -> list[Path]:
        """The files read, in order."""

    def total_size(self) -> int | None:
        return sum(p.stat().st_size for p in self.files())

    def no_files_row(self) -> Row:
        """The fatal row for a folder that holds none of the files."""
        problem = Problem(self.path.name, None, None, f"no {self.file_noun} here")
        return Row(self.path.name, 0, "", "interaction", (), (problem,), fatal=True)


ImporterFactory = Callable[[Path, ImportContext], Source]


@dataclass(frozen=True)
class ImporterInfo:
    """A registered format: its name, factory and one-line description."""

    name: str
    factory: ImporterFactory
    summary: str


_REGISTRY: dict[str, ImporterInfo] = {}


def register_importer(name: str, factory: ImporterFactory, summary: str) -> None:
    """Make ``kamgraph import <name> <path>`` use ``factory(path, context)``."""
    _REGISTRY[name] = ImporterInfo(name, factory, summary)


def importer_names() -> list[str]:
    """Every format name: the registered ones and those of :data:`IMPORTER_MODULES`."""
    return sorted(set(_REGISTRY) | set(IMPORTER_MODULES))


def get_importer(name: str) -> ImporterInfo:
    """The importer registered under ``name``, importing its module on first use.

    Raises
    ------
    ImporterUnavailable
        When the format is unknown or its module is not there.
    """
    if name not in _REGISTRY and name in IMPORTER_MODULES:
        module = IMPORTER_MODULES[name]
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
            raise ImporterUnavailable(f"the {name} importer is not available ({module} is missing)") from None
    if name not in _REGISTRY:
        known = ", ".join(importer_names())
        raise ImporterUnavailable(f"unknown import format {name!r} (known formats: {known})")
    return _REGISTRY[name]


# -- record helpers ------------------------------------------------------------------------------

_NODES = (Account, Contact, Staff, Interaction)


def _references(record: Any) -> list[tuple[str, str, str]]:
    """(field, kind, id) of every record ``record`` points at; kind ``person`` is staff or contact."""
    kind = type(record)
    if kind is Interaction:
        refs = [("participants", "person", p) for p in record.participants]
        refs.extend(("accounts", "account", a) for a in record.accounts)
        return refs
    if kind is Employment:
        return [("contact_id", "contact", record.contact_id), ("account_id", "account", record.account_id)]
    if kind is Account:
        return [("owner", "staff", record.owner)] if record.owner else []
    if kind is ReportingLine:
        return [("contact_id", "contact", record.contact_id), ("manager_id", "contact", record.manager_id)]
    if kind is InfluenceLine:
        return [("source_id", "contact", record.source_id), ("target_id", "contact", record.target_id)]
    if kind is TeamMembership:
        return [("staff_id", "staff", record.staff_id), ("account_id", "account", record.account_id)]
    if kind is Assessment:
        return [("staff_id", "staff", record.staff_id), ("contact_id", "contact", record.contact_id)]
    if kind is Referral:
        return [
            ("source_id", record.source_kind, record.source_id),
            ("target_id", "account", record.target_id),
        ]
    if kind in _SIGNAL_RECORDS:
        refs = [("account_id", "account", record.account_id)]
        field_name = "contact_ids" if kind is Opportunity else "contact_id"
        refs.extend((field_name, "contact", c) for c in record.named_contacts)
        return refs
    return []


_SIGNAL_RECORDS: frozenset[type[Any]] = frozenset(SIGNAL_TYPES.values())


_CONTACT_FIELDS: dict[type[Any], tuple[str, ...]] = {
    Employment: ("contact_id",),
    ReportingLine: ("contact_id", "manager_id"),
    InfluenceLine: ("source_id", "target_id"),
    Assessment: ("contact_id",),
    SurveyResponse: ("contact_id",),
    SupportCase: ("contact_id",),
}


def _apply_alias(record: Any, alias: Mapping[str, str]) -> Any:
    """``record`` with contact ids renamed by ``alias`` (imported id -> stored id)."""
    kind = type(record)
    if kind is Contact:
        return replace(record, id=alias[record.id]) if record.id in alias else record
    if kind is Interaction:
        if any(p in alias for p in record.participants):
            return replace(record, participants=tuple(alias.get(p, p) for p in record.participants))
        return record
    if kind is Referral:
        if record.source_kind == "contact" and record.source_id in alias:
            return replace(record, source_id=alias[record.source_id])
        return record
    if kind is Opportunity:
        if any(c in alias for c in record.contact_ids):
            return replace(record, contact_ids=tuple(alias.get(c, c) for c in record.contact_ids))
        return record
    fields = _CONTACT_FIELDS.get(kind)
    if fields:
        changes = {f: alias[getattr(record, f)] for f in fields if getattr(record, f) in alias}
        if changes:
            return replace(record, **changes)
    return record


# -- the report ----------------------------------------------------------------------------------


@dataclass
class KindReport:
    """Rows read and rejected, records created / updated / unchanged, for one kind."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


_PLURALS = {
    "staff": "staff",
    "employment": "positions",
    "team_membership": "team memberships",
    "reporting_line": "reporting lines",
    "influence_line": "influence lines",
    "opportunity": "opportunities",
}


def _plural(kind: str, count: int) -> str:
    if count == 1:
        return {"employment": "position"}.get(kind, kind.replace("_", " "))
    return _PLURALS.get(kind, kind.replace("_", " ") + "s")


@dataclass
class ObjectReport:
    """What the rows of one input file (one CRM object) became.

    ``read == imported + merged + skipped + rejected``: a row is *imported* when it made records
    of its own (``records`` counts them per kind), *merged* when it became part of another
    row's record (``into``: (what, kind) -> ids, e.g. the participants of interactions),
    *skipped* on purpose (``skipped``: reason -> rows) or *rejected*. ``into`` also counts the
    records a row fills besides its own (:attr:`Row.part_of`: the contacts of an opportunity).

    Examples
    --------
    >>> o = ObjectReport(read=13, merged=12, rejected=0)
    >>> o.skipped["lead"] = 1
    >>> o.into[("participants", "interaction")].update({"e1", "e2"})
    >>> o.became()
    'participants of 2 interactions; 1 skipped (lead)'
    """

    read: int = 0
    imported: int = 0
    merged: int = 0
    rejected: int = 0
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    records: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    into: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    @property
    def skipped_rows(self) -> int:
        """Rows skipped on purpose, whatever the reason."""
        return sum(self.skipped.values())

    def became(self) -> str:
        """``3 contacts, 1 position``; ``participants of 2 interactions``; skips with reasons."""
        parts = [f"{n:,} {_plural(kind, n)}" for kind, n in self.records.items() if n]
        parts += [
            f"{what} of {len(ids):,} {_plural(kind, len(ids))}" for (what, kind), ids in self.into.items()
        ]
        text = ", ".join(parts)
        reasons = [(reason, n) for reason, n in sorted(self.skipped.items()) if n]
        skips = reasons[0][0] if len(reasons) == 1 else ", ".join(f"{r} {n:,}" for r, n in reasons)
        if skips:
            text = (
                f"{text}; {self.skipped_rows:,} skipped ({skips})"
                if text
                else f"{self.skipped_rows:,} skipped ({skips})"
            )
        return text or "nothing"


@dataclass
class ImportReport:
    """What an import did.

    ``rows_read == rows_imported + rows_merged + rows_skipped + rows_rejected``, and the same
    per input file in :attr:`objects`; :attr:`written` counts the records handed to the store
    per kind, and for every kind ``written == created + updated + unchanged``.
    """

    source: str
    kinds: dict[str, KindReport] = field(default_factory=dict)
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    objects: dict[str, ObjectReport] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    job_changes: list[JobChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reject_file: Path | None = None
    seconds: float = 0.0
    write: WriteSummary | None = None

    @property
    def changed(self) -> int:
        """Records created or updated (0 when a re-import found everything unchanged)."""
        return sum(k.created + k.updated for k in self.kinds.values())

    @property
    def rows_merged(self) -> int:
        """Rows that became part of another row's record (e.g. event attendees)."""
        return sum(o.merged for o in self.objects.values())

    @property
    def rows_skipped(self) -> int:
        """Rows skipped on purpose (open tasks, leads, deleted rows ...)."""
        return sum(o.skipped_rows for o in self.objects.values())

    def objects_table(self) -> Table:
        """Per input file: rows read = imported + merged + skipped + rejected, and what they became."""
        table = Table(title=f"kamgraph import ({self.source}): rows", title_justify="left")
        for name in ("file", "rows", "imported", "merged", "skipped", "rejected", "became"):
            table.add_column(name, justify="left" if name in ("file", "became") else "right")
        for file, o in self.objects.items():
            table.add_row(
                file,
                f"{o.read:,}",
                f"{o.imported:,}",
                f"{o.merged:,}",
                f"{o.skipped_rows:,}",
                f"{o.rejected:,}",
                o.became(),
            )
        table.add_row(
            "total",
            f"{self.rows_read:,}",
            f"{self.rows_imported:,}",
            f"{self.rows_merged:,}",
            f"{self.rows_skipped:,}",
            f"{self.rows_rejected:,}",
            "",
            style="bold",
        )
        return table

    def table(self) -> Table:
        """The records written, per kind: written = created + updated + unchanged."""
        table = Table(title=f"kamgraph import ({self.source}): records", title_justify="left")
        for name in ("kind", "written", "created", "updated", "unchanged"):
            table.add_column(name, justify="left" if name == "kind" else "right")
        total = KindReport()
        for kind, counts in self.kinds.items():
            written = self.written.get(kind, 0)
            if not (written or counts.created or counts.updated or counts.unchanged):
                continue
            table.add_row(
                kind, f"{written:,}", f"{counts.created:,}", f"{counts.updated:,}", f"{counts.unchanged:,}"
            )
            total.read += written
            for name in ("created", "updated", "unchanged"):
                setattr(total, name, getattr(total, name) + getattr(counts, name))
        table.add_row(
            "total",
            f"{total.read:,}",
            f"{total.created:,}",
            f"{total.updated:,}",
            f"{total.unchanged:,}",
            style="bold",
        )
        return table

    def lines(self) -> list[str]:
        """The text after the table: rate, job changes, reject file, notes."""
        rate = self.rows_read / self.seconds if self.seconds > 0 else 0.0
        out = [
            f"{self.rows_read:,} rows read: {self.rows_imported:,} imported, {self.rows_merged:,} merged "
            f"into other records, {self.rows_skipped:,} skipped, {self.rows_rejected:,} rejected "
            f"in {self.seconds:.1f} s ({rate:,.0f} rows/s)"
        ]
        if self.reject_file is not None:
            out.append(f"rejected rows written to {self.reject_file}")
        if self.job_changes:
            out.append(f"{len(self.job_changes)} job change(s):")
            for change in self.job_changes[:20]:
                until = change.old.until.isoformat() if change.old.until else "?"
                since = change.new.since.isoformat() if change.new.since else "?"
                out.append(
                    f"  {change.contact_id}: {change.old.account_id} (until {until})"
                    f" -> {change.new.account_id} (since {since})"
                )
            if len(self.job_changes) > 20:
                out.append(f"  ... and {len(self.job_changes) - 20} more")
        out.extend(self.notes)
        return out

    def print(self, console: Console) -> None:
        """Print the tables and the lines after them."""
        console.print(self.objects_table())
        console.print(self.table())
        for line in self.lines():
            console.print(line, highlight=False, markup=False, soft_wrap=True)


# -- progress ------------------------------------------------------------------------------------


class _RowsColumn(ProgressColumn):
    """``12,345 rows  48,000 rows/s``."""

    def render(self, task: Task) -> Text:
        rows = int(task.fields.get("rows", 0))
        elapsed = task.elapsed or 0.0
        rate = rows / elapsed if elapsed > 0 else 0.0
        return Text(f"{rows:,} rows  {rate:,.0f} rows/s", style="progress.data.speed")


def _progress(enabled: bool) -> Progress:
    console = Console(stderr=True)
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        _RowsColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not (enabled and console.is_terminal),
        transient=False,
    )


# -- the load ------------------------------------------------------------------------------------


class _Check:
    """State of the first pass: ids, identities, pending references, problems."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        counts = store.counts()
        self.store_has_people = bool(counts.get("contact", 0) or counts.get("staff", 0))
        self.store_has_accounts = bool(counts.get("account", 0))
        self.store_has_employments = bool(counts.get("employment", 0))
        self.ids: dict[str, set[str]] = {"account": set(), "contact": set(), "staff": set()}
        self.stored: dict[str, set[str]] = {"account": set(), "contact": set(), "staff": set()}
        self.files: dict[str, int] = {}
        self.file_names: list[str] = []
        self.seen: dict[str, dict[Any, int]] = defaultdict(dict)
        self.bad: dict[tuple[str, int], list[Problem]] = {}
        self.fatal = False
        self.unreadable: set[str] = set()
        self.pending: dict[tuple[str, str], list[tuple[str, int, str]]] = defaultdict(list)
        self.unchecked: set[tuple[str, str]] = set()
        self.emails: list[tuple[str, str]] = []
        self.alias: dict[str, str] = {}
        self.employments: dict[str, list[tuple[str, date | None, date | None, str, int]]] = defaultdict(list)
        self.read: dict[str, int] = defaultdict(int)
        self.rows = 0
        self.waiting: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
        self.dead: dict[tuple[str, str], str] = {}
        self.lost_positions: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.fallbacks: dict[str, tuple[str, int, Sequence[Any]]] = {}
        self.use_fallback: set[tuple[str, int]] = set()

    # -- per row
    def add(self, row: Row) -> None:
        self.rows += 1
        self.read[row.kind] += 1
        file_index = self.files.get(row.file)
        if file_index is None:
            file_index = self.files[row.file] = len(self.file_names)
            self.file_names.append(row.file)
        if row.problems:
            self._reject(row.file, row.line, list(row.problems))
            if row.fatal:
                self.fatal = True
                self.unreadable.add(row.kind)
            elif row.contact_id:
                self.lost_positions[row.contact_id].append((row.file, row.line))
            return
        if row.fallback:
            for record in row.fallback:
                self.fallbacks[record.contact_id] = (row.file, row.line, row.fallback)
        where = (file_index << 32) | row.line
        records = row.records
        if len(records) == 1 and type(records[0]) is Interaction:
            self._add_interaction(row, records[0], where)
            return
        problems: list[Problem] = []
        for record in records:
            kind = kind_of(record)
            identity = record.id if type(record) in _NODES else record.key
            first = self.seen[kind].get(identity)
            if first is not None:
                at = f"{self.file_names[first >> 32]}:{first & 0xFFFFFFFF}"
                column = row.columns.get("id", "id") if type(record) in _NODES else None
                problems.append(
                    Problem(row.file, row.line, column, f"duplicate {kind} {identity!r} (first on {at})")
                )
            elif kind == "contact" and identity in self.ids["staff"]:
                problems.append(
                    Problem(
                        row.file, row.line, row.columns.get("id", "id"), f"{identity!r} is already a staff id"
                    )
                )
            elif kind == "staff" and identity in self.ids["contact"]:
                problems.append(
                    Problem(
                        row.file,
                        row.line,
                        row.columns.get("id", "id"),
                        f"{identity!r} is already a contact id",
                    )
                )
        if problems:
            self._reject(row.file, row.line, problems)
            return
        for record in records:
            kind = kind_of(record)
            node = type(record) in _NODES
            self.seen[kind][record.id if node else record.key] = where
            if kind in self.ids:
                self.ids[kind].add(record.id)
                if kind == "contact" and record.email and self.store_has_people:
                    self.emails.append((record.id, record.email))
                    if len(self.emails) >= _LOOKUP:
                        self._match_emails()
            elif kind == "employment":
                self.employments[record.contact_id].append(
                    (record.account_id, record.since, record.until, row.file, row.line)
                )
            for field_name, ref_kind, ref_id in _references(record):
                if not self._known(ref_kind, ref_id):
                    key = (ref_kind, ref_id)
                    self.pending[key].append((row.file, row.line, row.columns.get(field_name, field_name)))
                    self.unchecked.add(key)
                    if kind in self.ids:  # a node waiting for a reference (an account's owner)
                        self.waiting[(row.file, row.line)].append((kind, record.id))
        if len(self.unchecked) >= _LOOKUP:
            self._lookup()

    def _add_interaction(self, row: Row, record: Interaction, where: int) -> None:
        """The fast path of :meth:`add` for the most numerous rows."""
        seen = self.seen["interaction"]
        first = seen.get(record.id)
        if first is not None:
            at = f"{self.file_names[first >> 32]}:{first & 0xFFFFFFFF}"
            column = row.columns.get("id", "id")
            problem = Problem(
                row.file, row.line, column, f"duplicate interaction {record.id!r} (first on {at})"
            )
            self._reject(row.file, row.line, [problem])
            return
        seen[record.id] = where
        contacts, staff, accounts = self.ids["contact"], self.ids["staff"], self.ids["account"]
        for person in record.participants:
            if person not in contacts and person not in staff and not self._known("person", person):
                key = ("person", person)
                self.pending[key].append(
                    (row.file, row.line, row.columns.get("participants", "participants"))
                )
                self.unchecked.add(key)
        for account in record.accounts:
            if account not in accounts and not self._known("account", account):
                key = ("account", account)
                self.pending[key].append((row.file, row.line, row.columns.get("accounts", "accounts")))
                self.unchecked.add(key)
        if len(self.unchecked) >= _LOOKUP:
            self._lookup()

    def _reject(self, file: str, line: int, problems: list[Problem]) -> None:
        entry = self.bad.get((file, line))
        if entry is None:
            self.bad[(file, line)] = problems
        else:
            entry.extend(problems)

    def _known(self, kind: str, ident: str) -> bool:
        if kind == "person":
            return (
                ident in self.ids["contact"]
                or ident in self.ids["staff"]
                or ident in self.stored["contact"]
                or ident in self.stored["staff"]
            )
        return ident in self.ids[kind] or ident in self.stored[kind]

    # -- store look-ups
    def _lookup(self) -> None:
        keys = [k for k in self.unchecked if not self._known(*k)]
        self.unchecked.clear()
        people = [ident for kind, ident in keys if kind != "account"]
        accounts = [ident for kind, ident in keys if kind == "account"]
        if people and self.store_has_people:
            for ident, person in self.store.get_people(people).items():
                self.stored["staff" if isinstance(person, Staff) else "contact"].add(ident)
        if accounts and self.store_has_accounts:
            self.stored["account"].update(self.store.get_accounts(accounts))
        for key in keys:
            if self._known(*key):
                del self.pending[key]

    def _match_emails(self) -> None:
        batch, self.emails = self.emails, []
        found = self.store.find_people_by_email([email for _, email in batch])
        candidates = {
            ident: person.id
            for ident, email in batch
            if isinstance(person := found.get(email), Contact) and person.id != ident
        }
        if not candidates:
            return
        stored = self.store.get_people(list(candidates))
        for ident, stored_id in candidates.items():
            if ident not in stored and stored_id not in self.ids["contact"]:
                self.alias[ident] = stored_id

    # -- end of the pass
    def finish(self) -> None:
        """Resolve the pending references; those still unknown become problems (except references
        to a kind whose file could not be read at all: that problem is already reported)."""
        if self.emails:
            self._match_emails()
        self._lookup()
        unreadable = self.unreadable
        if unreadable & {"contact", "staff"}:
            unreadable = unreadable | {"person"}
        for (kind, ident), places in self.pending.items():
            if self._known(kind, ident) or kind in unreadable:
                continue
            reason = self._unknown_reason(kind, ident)
            for file, line, column in places:
                self._reject(file, line, [Problem(file, line, column, reason)])
                for node in self.waiting.get((file, line), ()):
                    self.dead[node] = f"{file}:{line}"
        self.waiting.clear()
        if self.bad:
            self._orphans()

    def _orphans(self) -> None:
        """Contacts of this import whose every position row was rejected (lenient mode): they
        keep the position of their row's ``fallback`` or are rejected too, so no contact is
        written without an account. Contacts with a stored position keep that one."""
        bad = self.bad
        lost: dict[str, list[tuple[str, int]]] = {}
        for contact in set(self.employments) | set(self.lost_positions):
            if contact not in self.ids["contact"]:
                continue
            places = [(file, line) for *_, file, line in self.employments.get(contact, ())]
            places += self.lost_positions.get(contact, [])
            if places and all(place in bad for place in places):
                lost[contact] = places
        if not lost:
            return
        if self.store_has_employments:
            ids = list(lost)
            for start in range(0, len(ids), 1_000):
                for contact, positions in self.store.employments_of(ids[start : start + 1_000]).items():
                    if positions:
                        lost.pop(contact, None)
        for contact, places in sorted(lost.items()):
            where = self.seen["contact"][contact]
            file, line = self.file_names[where >> 32], where & 0xFFFFFFFF
            if (file, line) in bad:
                continue
            fallback = self.fallbacks.get(contact)
            if fallback is not None and (fallback[0], fallback[1]) not in bad:
                accounts = [r.account_id for r in fallback[2] if r.contact_id == contact]
                if all(self._known("account", a) for a in accounts):
                    self.use_fallback.add((fallback[0], fallback[1]))
                    continue
            shown = ", ".join(f"{f}:{n}" for f, n in sorted(places))
            reason = (
                f"contact {contact!r} is rejected with its position rows ({shown}): it would have no account"
            )
            self._reject(file, line, [Problem(file, line, None, reason)])
            self.dead[("contact", contact)] = f"{file}:{line}"

    def _unknown_reason(self, kind: str, ident: str) -> str:
        if kind == "contact" and (ident in self.ids["staff"] or ident in self.stored["staff"]):
            return f"{ident!r} is a staff member, not a contact"
        if kind == "staff" and (ident in self.ids["contact"] or ident in self.stored["contact"]):
            return f"{ident!r} is a contact, not a staff member"
        label = "person" if kind == "person" else kind.replace("_", " ")
        return f"unknown {label} {ident!r} (neither in this import nor in the store)"

    def problems(self) -> list[Problem]:
        order = {name: i for i, name in enumerate(self.file_names)}
        found = [p for problems in self.bad.values() for p in problems]
        found.sort(key=lambda p: (order.get(p.file, -1), p.file, p.line or 0))
        return found

    def job_changes(self) -> InferredChanges:
        """Imported positions to end, stored positions to end, and the job changes found."""
        alias = self.alias
        imported: dict[str, dict[tuple[str, str], tuple[date | None, date | None]]] = defaultdict(dict)
        for contact, positions in self.employments.items():
            for account, since, until, file, line in positions:
                if (file, line) in self.bad:
                    continue  # rejected (lenient mode): it does not count
                imported[alias.get(contact, contact)][(account, since.isoformat() if since else "")] = (
                    since,
                    until,
                )
        return import_job_changes(self.store, imported, stored_employments=self.store_has_employments)


def run_import(
    store: GraphStore,
    source: Source,
    *,
    lenient: bool = False,
    reject_file: Path | None = None,
    progress: bool = False,
    chunk_size: int = _CHUNK,
    memory_rows: int = _MEMORY_ROWS,
) -> ImportReport:
    """Import ``source`` into ``store``: check everything, then write it in one stream.

    Parameters
    ----------
    store : GraphStore
        Where to write.
    source : Source
        The input (any format).
    lenient : bool
        Write the good rows and put rejected rows in ``reject_file`` (default: strict, nothing
        is written when any row has a problem).
    reject_file : Path, optional
        Where lenient mode writes rejected rows (default :meth:`Source.default_reject_file`).
        It is written only when rows were rejected, as CSV with the columns ``file``, ``line``,
        ``column``, ``reason`` and ``row`` (the row's verbatim text).
    progress : bool
        Show a progress bar with rows/s on stderr (only when stderr is a terminal).
    chunk_size : int
        Records per batch handed to ``store.write_many``.
    memory_rows : int
        Inputs of at most this many rows are kept in memory between the two passes (saves
        reading and validating them again); larger inputs are read twice, streaming.

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportRejected
        Strict mode and any problem, any fatal problem (e.g. a missing column), or a write the
        store refused; nothing is written.
    """
    started = time.perf_counter()
    check = _Check(store)
    total = source.total_size()
    with _progress(progress) as bar, _without_gc():
        task = bar.add_task("checking", total=total, rows=0)
        kept = _check_pass(source.rows(), check, memory_rows, bar, task)
        check.finish()
        if check.fatal or (check.bad and not lenient):
            raise ImportRejected(check.problems())
        adjust, extra, changes = check.job_changes() if source.infers_job_changes else ({}, [], [])
        report = ImportReport(source.name, {k: KindReport() for k in RECORD_KINDS})
        for kind, count in check.read.items():
            report.kinds.setdefault(kind, KindReport()).read = count
        report.rows_read = check.rows
        report.job_changes = changes
        rejects = _Rejects(reject_file or source.default_reject_file()) if check.bad else None
        write_task = bar.add_task("writing", total=total, rows=0)
        rows = iter(kept) if kept is not None else source.rows()
        kept = None
        records = _good_records(rows, check, adjust, extra, rejects, report, bar, write_task)
        try:
            summary = store.write_many(_batches(records, chunk_size))
        except IntegrityError as error:
            if rejects is not None:
                rejects.discard()
            raise ImportRejected([Problem(source.name, None, None, p) for p in error.problems]) from None
        except BaseException:
            if rejects is not None:
                rejects.discard()
            raise
    if rejects is not None:
        report.reject_file = rejects.commit()
    for kind, counts in summary.kinds.items():
        entry = report.kinds.setdefault(kind, KindReport())
        entry.created, entry.updated, entry.unchanged = counts.created, counts.updated, counts.unchanged
    report.rows_imported = sum(o.imported for o in report.objects.values())
    report.write = summary
    report.notes = source.notes()
    report.seconds = time.perf_counter() - started
    return report


def load_records(
    store: GraphStore,
    records: Iterable[Any],
    *,
    progress: bool = False,
    chunk_size: int = _CHUNK,
    description: str = "writing",
) -> WriteSummary:
    """Write already valid records (e.g. a generated portfolio) in chunks through ``write_many``.

    The records must come in write order (nodes before the lines that refer to them); the whole
    stream is one transaction on the embedded store.
    """
    with _progress(progress) as bar, _without_gc():
        task = bar.add_task(description, total=None, rows=0)

        def counted() -> Iterator[Any]:
            count = 0
            for record in records:
                yield record
                count += 1
                if count % _PROGRESS_EVERY == 0:
                    bar.update(task, rows=count)
            bar.update(task, rows=count)

        return store.write_many(_batches(counted(), chunk_size))


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk import.

    An import makes millions of small objects and keeps ids and identities alive; the collector's
    full passes over them cost about a quarter of the import's time, and the records make no
    reference cycles (reference counting frees them). The collector is restored afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_pass(
    rows: Iterator[Row], check: _Check, memory_rows: int, bar: Progress, task: TaskID
) -> list[Row] | None:
    """The first pass; returns the rows when there are at most ``memory_rows`` of them."""
    kept: list[Row] | None = []
    add = check.add
    count = 0
    size = 0
    for row in rows:
        add(row)
        count += 1
        size += len(row.text)
        if kept is not None:
            if count > memory_rows:
                kept = None
            else:
                kept.append(row)
        if count % _PROGRESS_EVERY == 0:
            bar.update(task, completed=size, rows=count)
    bar.update(task, completed=size, rows=count)
    return kept


def _good_records(
    rows: Iterator[Row],
    check: _Check,
    adjust: Mapping[tuple[str, str, str], date],
    extra: Sequence[Employment],
    rejects: _Rejects | None,
    report: ImportReport,
    bar: Progress,
    task: TaskID,
) -> Iterator[Any]:
    bad = check.bad
    alias = check.alias
    fallbacks = check.use_fallback
    objects = report.objects
    written = report.written
    count = 0
    size = 0
    for row in rows:
        count += 1
        size += len(row.text)
        if count % _PROGRESS_EVERY == 0:
            bar.update(task, completed=size, rows=count)
        obj = objects.get(row.file)
        if obj is None:
            obj = objects[row.file] = ObjectReport()
        obj.read += 1
        if bad:
            entry = bad.get((row.file, row.line))
            if entry is not None:
                assert rejects is not None
                rejects.add(row, entry)
                report.rows_rejected += 1
                report.kinds.setdefault(row.kind, KindReport()).rejected += 1
                obj.rejected += 1
                continue
        if row.problems:
            raise RuntimeError(f"{row.file}:{row.line}: the source gave a different row on the second pass")
        if check.dead:
            problems = _dead_references(row, check.dead)
            if problems:
                assert rejects is not None
                for record in row.records:  # what points at this row's nodes later is rejected too
                    if type(record) in (Account, Contact, Staff):
                        check.dead[(kind_of(record), record.id)] = f"{row.file}:{row.line}"
                rejects.add(row, problems)
                report.rows_rejected += 1
                report.kinds.setdefault(row.kind, KindReport()).rejected += 1
                obj.rejected += 1
                continue
        records = row.records
        if fallbacks and (row.file, row.line) in fallbacks:
            records = [*records, *row.fallback]
        if not records:
            if row.skipped:
                obj.skipped[row.skipped] += 1
            else:
                obj.merged += 1
                if row.merged is not None:
                    obj.into[(row.merged[0], row.merged[1])].add(row.merged[2])
        for what, kind, ident in row.part_of:
            obj.into[(what, kind)].add(ident)
        if not records:
            continue
        obj.imported += 1
        for record in records:
            kind = kind_of(record)
            written[kind] += 1
            obj.records[kind] += 1
            if alias:
                record = _apply_alias(record, alias)
            if adjust and type(record) is Employment:
                end = adjust.get(record.key)
                if end is not None:
                    record = replace(record, until=end)
            yield record
    bar.update(task, completed=size, rows=count, description="writing (committing)")
    for record in extra:
        written[kind_of(record)] += 1
    yield from extra


def _dead_references(row: Row, dead: Mapping[tuple[str, str], str]) -> list[Problem]:
    """Problems of a row that points at a node whose own row was rejected after it was read."""
    problems = []
    for record in row.records:
        for field_name, kind, ident in _references(record):
            kinds = ("contact", "staff") if kind == "person" else (kind,)
            for candidate in kinds:
                where = dead.get((candidate, ident))
                if where is not None:
                    column = row.columns.get(field_name, field_name)
                    reason = f"{candidate.replace('_', ' ')} {ident!r} was rejected ({where})"
                    problems.append(Problem(row.file, row.line, column, reason))
    return problems


def _batches(records: Iterable[Any], size: int) -> Iterator[GraphBatch]:
    batch = GraphBatch()
    count = 0
    for record in records:
        batch.add(record)
        count += 1
        if count >= size:
            yield batch
            batch = GraphBatch()
            count = 0
    if count:
        yield batch


class _Rejects:
    """The reject file, written to a temporary file and moved in place once the import worked."""

    HEADER = ("file", "line", "column", "reason", "row")

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        self.temp = Path(name)
        self.handle = os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(self.HEADER)

    def add(self, row: Row, problems: Sequence[Problem]) -> None:
        columns = "; ".join(p.column or "" for p in problems)
        reasons = "; ".join(p.reason for p in problems)
        text = row.text[:-2] if row.text.endswith("\r\n") else row.text.rstrip("\n\r")
        self.writer.writerow((row.file, row.line, columns if columns.strip("; ") else "", reasons, text))

    def commit(self) -> Path:
        self.handle.close()
        os.replace(self.temp, self.path)
        return self.path

    def discard(self) -> None:
        self.handle.close()
        self.temp.unlink(missing_ok=True)
