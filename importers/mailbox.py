"""Mail import: ``mbox`` mailboxes, one email interaction per message.

``kamgraph import mbox <path>`` reads one mbox file or every file of a folder (hidden files and
``.csv`` files aside). Messages are split at ``From `` lines exactly like the standard library's
:class:`mailbox.mbox` does, their headers parsed with the standard ``email`` package (bodies are
never parsed), and each is located by the line of its ``From `` line. Every message is one input
row:

* an interaction of kind ``email`` (see the ``kind`` / ``keywords`` options of
  :mod:`importers.calendar_ics`) at its ``Date`` (converted to UTC), with its ``Subject``;
* its id is the ``Message-ID`` without angle brackets (a message without one gets
  ``mail-<hash of From, To, Cc, Date and Subject>``, stable across imports); a message met again
  with the same Message-ID (a copy in another folder) is counted and skipped;
* the participants are the addresses of ``From``, ``To`` and ``Cc`` resolved by email exactly
  as for calendars (:class:`importers.calendar_ics.AddressBook`): our staff, contacts, and the
  accounts of their email domains (ABOUT). Unresolved addresses are listed in the summary, never
  invented as contacts. Messages between our own people only, or with nobody known, are counted
  and skipped.

Errors: an empty (0-byte) mbox ("empty mbox (0 bytes): no messages"); a file that does not start
with a ``From `` line ("not an mbox file"); a message without ``Date`` or with a ``Date`` that is
not an RFC 5322 date, or without any address in From/To/Cc - each with the message's line and
the header as column.

Options: ``staff_domains``, ``kind`` (default ``email``), ``keywords``, ``exec_visit``,
``unresolved_file`` as for ``ics``.

Examples
--------
>>> import tempfile, pathlib
>>> box = pathlib.Path(tempfile.mkdtemp()) / "inbox.mbox"
>>> _ = box.write_bytes(b"From a@b Mon Jan  1 00:00:00 2025\\nFrom: a@b.example\\nDate: someday\\n\\nHi\\n")
>>> from importers.calendar_ics import AddressBook
>>> [str(p) for p in next(MboxSource(box, AddressBook(None, [])).rows()).problems]
["inbox.mbox:1: column Date: 'someday' is not an RFC 5322 date"]
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from graph.model import Interaction, InteractionKind, ModelError
from importers.base import (
    FileSetSource,
    ImportContext,
    Problem,
    Row,
    model_problem,
    register_importer,
)
from importers.calendar_ics import (
    AddressBook,
    KindRules,
    check_options,
    kind_rules_from,
    staff_domains_from,
)

__all__ = ["SOURCE", "MboxSource", "split_mbox"]

#: ``Interaction.source`` of imported messages.
SOURCE = "mail"
_HEADERS = ("From", "To", "Cc")
_COLUMNS = {"id": "Message-ID", "at": "Date", "subject": "Subject", "participants": "From/To/Cc"}


def split_mbox(path: Path) -> Iterator[tuple[int, bytes]]:
    """The messages of an mbox file: (line of the ``From `` line, message bytes after it).

    A message starts at every line beginning with ``From `` (as :class:`mailbox.mbox` reads it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> box = pathlib.Path(tempfile.mkdtemp()) / "box"
    >>> _ = box.write_bytes(b"From x\\nSubject: a\\n\\nbody\\nFrom y\\nSubject: b\\n\\n")
    >>> [(line, len(data)) for line, data in split_mbox(box)]
    [(1, 17), (5, 12)]
    """
    start = 0
    chunks: list[bytes] = []
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith(b"From "):
                if start:
                    yield start, b"".join(chunks)
                start, chunks = number, []
            elif start:
                chunks.append(line)
    if start:
        yield start, b"".join(chunks)


class MboxSource(FileSetSource):
    """One mbox file, or the mbox files of a folder (see the module documentation).

    Parameters
    ----------
    path : Path
        A file or a folder.
    book : AddressBook
        Resolves the addresses.
    rules : KindRules, optional
        The interaction kinds (default: ``email``).
    unresolved_file : Path, optional
        Where to write every unresolved address.
    """

    name = "mbox"
    file_noun = "mailbox files"

    def __init__(
        self,
        path: Path,
        book: AddressBook,
        rules: KindRules | None = None,
        unresolved_file: Path | None = None,
    ) -> None:
        super().__init__(path)
        self.book = book
        self.rules = rules or KindRules(InteractionKind.EMAIL)
        self.unresolved_file = unresolved_file
        self._skipped: Counter[str] = Counter()
        self._primed = False

    def files(self) -> list[Path]:
        """The mailbox files read, in order."""
        if self.path.is_file():
            return [self.path]
        return sorted(
            p
            for p in self.path.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() != ".csv"
        )

    def rows(self) -> Iterator[Row]:
        """One row per message of every mailbox."""
        files = self.files()
        if not files:
            yield self.no_files_row()
            return
        if not self._primed:  # look every address up once, in batches, before the first row
            self._primed = True
            self.book.prime(self._all_addresses(files))
        self._skipped.clear()
        self.book.unresolved.clear()
        seen: set[str] = set()
        for path in files:
            name = path.name
            if path.stat().st_size == 0:
                problem = Problem(name, None, None, "empty mbox (0 bytes): no messages")
                yield Row(name, 0, "", "interaction", (), (problem,), fatal=True)
                continue
            with open(path, "rb") as handle:
                first = next((line for line in handle if line.strip()), b"")
            if not first.startswith(b"From "):
                shown = first[:40].decode("utf-8", "replace").rstrip()
                reason = f"not an mbox file: the first line must start with 'From ' (found {shown!r})"
                yield Row(name, 1, "", "interaction", (), (Problem(name, 1, None, reason),), fatal=True)
                continue
            for line, data in split_mbox(path):
                yield self._row(name, line, data, seen)

    @staticmethod
    def _all_addresses(files: list[Path]) -> set[str]:
        found: set[str] = set()
        for path in files:
            if path.stat().st_size == 0:
                continue
            for _, data in split_mbox(path):
                found.update(_addresses(_headers(data)))
        return found

    def notes(self) -> list[str]:
        """Skipped messages and unresolved addresses."""
        labels = {
            "internal": "messages between our own people only skipped",
            "unknown": "messages with no known person or account skipped",
            "duplicate": "messages met again (same Message-ID) skipped",
        }
        lines = [f"{count:,} {labels[key]}" for key, count in sorted(self._skipped.items()) if count]
        if self.unresolved_file is not None and self.book.unresolved:
            self.book.write_unresolved(self.unresolved_file)
            lines.append(f"unresolved addresses written to {self.unresolved_file}")
        return lines + self.book.notes()

    def _row(self, file: str, line: int, data: bytes, seen: set[str]) -> Row:
        text = data.decode("utf-8", "surrogateescape")
        message = _headers(data)
        problems: list[Problem] = []
        addresses = _addresses(message)
        if not addresses:
            problems.append(Problem(file, line, "From", "no email address in From, To or Cc"))
        raw_date = str(message.get("Date", "")).strip()
        at: datetime | None = None
        if not raw_date:
            problems.append(Problem(file, line, "Date", "a message needs a Date header"))
        else:
            try:
                at = parsedate_to_datetime(raw_date)
            except (TypeError, ValueError, IndexError):
                problems.append(Problem(file, line, "Date", f"{raw_date!r} is not an RFC 5322 date"))
        if problems or at is None:
            return Row(file, line, text, "interaction", (), problems)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
        subject = _decoded(message.get("Subject")) or None
        ident = str(message.get("Message-ID", "")).strip().strip("<>").strip()
        if not ident:
            basis = "\n".join(
                [*(str(v) for h in _HEADERS for v in message.get_all(h, [])), raw_date, subject or ""]
            )
            ident = "mail-" + hashlib.sha256(basis.encode("utf-8", "surrogateescape")).hexdigest()[:24]
        if ident in seen:
            self._skipped["duplicate"] += 1
            return Row(file, line, text, "interaction", (), (), skipped="duplicate")
        seen.add(ident)
        resolution = self.book.resolve(addresses, at.date())
        if not resolution.customer_facing or not resolution.participants:
            self._skipped["internal" if resolution.internal else "unknown"] += 1
            return Row(
                file,
                line,
                text,
                "interaction",
                (),
                (),
                skipped="internal" if resolution.internal else "unknown",
            )
        kind = self.rules.kind(subject, resolution)
        try:
            record = Interaction(
                ident, kind, at, SOURCE, subject, resolution.participants, resolution.accounts
            )
        except ModelError as error:
            return Row(file, line, text, "interaction", (), (model_problem(file, line, error, _COLUMNS),))
        return Row(file, line, text, "interaction", (record,), (), _COLUMNS)


_WANTED = frozenset(h.lower() for h in (*_HEADERS, "Date", "Subject", "Message-ID"))
_SIMPLE = re.compile(r"[^\s<>,@\"]+@[^\s<>,@\"]+")
_COMPLEX = re.compile(r'["()\\;:]')


class _Headers:
    """The few headers kamgraph reads, unfolded (RFC 5322 section 2.2.3); names case-insensitive."""

    def __init__(self, values: dict[str, list[str]]) -> None:
        self.values = values

    def get(self, name: str, default: str = "") -> str:
        found = self.values.get(name.lower())
        return found[0] if found else default

    def get_all(self, name: str, default: list[str]) -> list[str]:
        return self.values.get(name.lower(), default)


def _headers(data: bytes) -> _Headers:
    """Parse the header block of a message (everything before the first empty line)."""
    end = len(data)
    for separator in (b"\n\n", b"\r\n\r\n"):
        found = data.find(separator)
        if found >= 0:
            end = min(end, found)
    values: dict[str, list[str]] = {}
    name: str | None = None
    for raw in data[:end].decode("utf-8", "replace").splitlines():
        if raw[:1] in (" ", "\t"):
            if name is not None:
                values[name][-1] += " " + raw.strip()
            continue
        key, colon, value = raw.partition(":")
        name = key.strip().lower() if colon else None
        if name is not None and name in _WANTED:
            values.setdefault(name, []).append(value.strip())
        else:
            name = None
    return _Headers(values)


def _addresses(message: _Headers) -> list[str]:
    """Lower-cased addresses of From, To and Cc (a fast path for headers without quoting)."""
    values = [v for h in _HEADERS for v in message.get_all(h, [])]
    if not any(_COMPLEX.search(v) for v in values):
        return [a.lower().rstrip(".") for v in values for a in _SIMPLE.findall(v)]
    return [a.strip().lower() for _, a in getaddresses(values) if "@" in a]


def _decoded(value: object) -> str:
    if value is None:
        return ""
    try:
        return str(make_header(decode_header(str(value)))).strip()
    except (LookupError, UnicodeError, ValueError):
        return str(value).strip()


def _open(path: Path, context: ImportContext) -> FileSetSource:
    known = ("staff_domains", "kind", "exec_visit", "keywords", "unresolved_file")
    options = check_options(context, known, "mbox")
    book = AddressBook(context.store, staff_domains_from(context, options))
    return MboxSource(
        path,
        book,
        kind_rules_from(options, InteractionKind.EMAIL),
        Path(options["unresolved_file"]) if "unresolved_file" in options else None,
    )


register_importer("mbox", _open, "mail: mbox mailboxes (From/To/Cc/Date of every message become emails)")
