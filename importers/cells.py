"""Reading the cells of one CSV row by column name, for importers of CRM and spreadsheet exports.

:class:`Cells` wraps one record of a :class:`~importers.base.CsvFile`: it returns stripped
values by column name, parses days, date-times and numbers with the import's
:class:`~importers.base.CsvOptions`, builds model records, and collects every problem with the
file, line and column instead of stopping at the first. :func:`table_rows` runs a transform over
every record of a file and yields the framework's :class:`~importers.base.Row` objects (the
file's own problems first, as fatal rows).

Examples
--------
>>> cells = Cells("Accounts.csv", 2, ["a1", "lots"], {"Record Id": 0, "Annual Revenue": 1})
>>> cells.get("Record Id"), cells.number("Annual Revenue")
('a1', None)
>>> [str(p) for p in cells.problems]
["Accounts.csv:2: column Annual Revenue: 'lots' is not a number"]
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from graph.model import ModelError
from importers.base import CsvFile, CsvOptions, Problem, Row, model_problem, parse_day, parse_moment

__all__ = ["Cells", "slug", "table_rows"]

_CURRENCY = re.compile(r"^[^\d.\-+]{1,4}")


class Cells:
    """The cells of one CSV row by column name, collecting every problem.

    Parameters
    ----------
    file : str
        The file name shown in problems.
    line : int
        The line where the row starts.
    fields : sequence of str
        The row's fields.
    index : mapping
        Column name -> position (the header).
    options : CsvOptions, optional
        Date format and hints for the messages.
    """

    def __init__(
        self,
        file: str,
        line: int,
        fields: Sequence[str],
        index: Mapping[str, int],
        options: CsvOptions | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.fields = fields
        self.index = index
        self.options = options or CsvOptions()
        self.problems: list[Problem] = []
        #: Why the row makes no record on purpose (counted as skipped).
        self.skip = ""

    def has(self, column: str) -> bool:
        """Whether the header has ``column``."""
        return column in self.index

    def get(self, *columns: str) -> str:
        """The first non-blank value of ``columns`` (stripped), or ``""``."""
        for column in columns:
            position = self.index.get(column)
            if position is not None:
                value = self.fields[position].strip()
                if value:
                    return value
        return ""

    def which(self, *columns: str) -> str:
        """The first of ``columns`` holding a value, else the first present (to name it in problems)."""
        for column in columns:
            position = self.index.get(column)
            if position is not None and self.fields[position].strip():
                return column
        for column in columns:
            if column in self.index:
                return column
        return columns[0]

    def problem(self, column: str | None, reason: str) -> None:
        """Record a problem of this row in ``column``."""
        self.problems.append(Problem(self.file, self.line, column, reason))

    def day(self, column: str) -> date | None:
        """The day in ``column`` (``None`` when blank or unreadable, with a problem)."""
        value = self.get(column)
        if not value:
            return None
        try:
            return parse_day(value, self.options.date_format, self.options.hints)
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def moment(self, *columns: str) -> datetime | None:
        """The date-time in the first of ``columns`` holding a value (a day alone is 00:00 UTC;
        naive values are UTC)."""
        column = self.which(*columns)
        value = self.get(column)
        if not value:
            return None
        try:
            return parse_moment(value, self.options.date_format, self.options.hints)
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def number(self, column: str) -> float | None:
        """A non-negative number (thousands separators and a leading currency sign allowed)."""
        value = self.get(column)
        if not value:
            return None
        text = _CURRENCY.sub("", value.replace(",", "").replace(" ", "").replace("\u00a0", ""))
        try:
            number = float(text)
        except ValueError:
            self.problem(column, f"{value!r} is not a number")
            return None
        if number != number or number < 0 or number == float("inf"):
            self.problem(column, f"{value!r} must be a non-negative number")
            return None
        return number

    def build(self, record_type: type[Any], columns: Mapping[str, str], **kwargs: Any) -> Any:
        """``record_type(**kwargs)``, or ``None`` with the model's complaint recorded as a problem."""
        try:
            return record_type(**kwargs)
        except ModelError as error:
            self.problems.append(model_problem(self.file, self.line, error, columns))
            return None


def table_rows(
    table: CsvFile,
    kind: str,
    handler: Callable[[Cells], Sequence[Any]],
    columns: Mapping[str, str],
    options: CsvOptions,
    index: Mapping[str, int] | None = None,
) -> Iterator[Row]:
    """Every record of ``table`` through ``handler``, as framework rows.

    The file's own problems (a missing column, a wrong delimiter ...) come first as fatal rows and
    end the file. ``index`` replaces the header's column positions (e.g. lower-cased names).
    """
    for problem in table.problems:
        yield Row(table.name, problem.line or 0, table.header_text, kind, (), (problem,), fatal=True)
    if table.problems:
        return
    positions = table.index if index is None else index
    for row in table:
        if row.problem is not None:
            yield Row(table.name, row.line, row.text, kind, (), (row.problem,), fatal=row.fatal)
            continue
        cells = Cells(table.name, row.line, row.fields, positions, options)
        records = handler(cells)
        if cells.problems:
            yield Row(table.name, row.line, row.text, kind, (), cells.problems, columns)
        else:
            yield Row(table.name, row.line, row.text, kind, records, (), columns, skipped=cells.skip)


_NOT_WORD = re.compile(r"[\W_]+")


def slug(text: str) -> str:
    """A stable id part from a name: lower case, runs of other characters than letters and digits
    become ``-`` (letters of any script are kept).

    Examples
    --------
    >>> slug("  Acme Corp. (EMEA) "), slug("华为 技术")
    ('acme-corp-emea', '华为-技术')
    """
    return _NOT_WORD.sub("-", text.strip().lower()).strip("-")
