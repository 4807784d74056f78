"""Read uploaded tables (CSV in UTF-8 or CP932, or xlsx) as batches of header-keyed columns, or rows.

Encoding detection looks only at the first 64 KiB: if that is pure ASCII and a CP932 byte comes
later, the reader stops with a FileFormatError naming the line (callers may pass ``encoding=``).
xlsx files are read with openpyxl in read-only mode (its shared-string table is held in memory), through
`tracker.imports.xlsx`, which keeps a hostile workbook within bounds. Neither format may have values beyond
MAX_COLUMNS columns; a CSV record may not be longer than MAX_RECORD_CHARS characters.
"""

import io
import itertools
import re
import shutil
import string
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

from tracker.imports.batches import Batch, clean, header_batches, in_batches
from tracker.imports.csv_text import MAX_COLUMNS, FileFormatError, csv_batches, detect_encoding
from tracker.imports.xlsx import XlsxRefused, open_workbook

HEAD_SIZE = 64 * 1024
DEFAULT_MAX_UNZIPPED = 200 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f]")  # never in text; \x1a is old DOS EOF
_HEADER_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


class Table:
    """An open table: `columns`, `extra`, `encoding`, progress in bytes, and iteration over (line, row), or over
    `batches()` of rows."""

    def __init__(self, columns, extra, encoding, batches, counter, total_bytes, resources):
        self.columns: tuple[str, ...] = columns
        self.extra: tuple[str, ...] = extra
        self.encoding: str = encoding
        self.total_bytes: int | None = total_bytes
        self._counter = counter
        self._resources = resources
        self._done = False
        self._batches = self._iterate(batches)
        self._rows = (row for batch in self._batches for row in batch.rows())

    @property
    def bytes_read(self) -> int:
        """Bytes consumed so far (approximate for xlsx), never above total_bytes."""
        if self.total_bytes is None:
            return self._counter.count
        return self.total_bytes if self._done else min(self._counter.count, self.total_bytes)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        return self._rows

    def batches(self) -> Iterator[Batch]:
        return self._batches

    def _iterate(self, batches: Iterator[Batch]) -> Iterator[Batch]:
        try:
            yield from batches
            self._done = True
        finally:
            _close_all(self._resources)

    def close(self) -> None:
        """Release the workbook or spool file early; the caller's stream is left open."""
        self._batches.close()
        _close_all(self._resources)

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def _close_all(resources: list[Any]) -> None:
    while resources:
        resources.pop().close()


def open_table(
    stream: IO[bytes],
    filename: str,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
    aliases: dict[str, str] | None = None,
    encoding: str | None = None,
) -> Table:
    """Open a CSV or xlsx stream, read and check its header, and return the rows still to read.

    Header cells lose whitespace, BOMs and inner line breaks, then match a required or optional
    name or an alias key, ignoring ASCII case and full-/half-width (NFKC); other columns are listed
    in `Table.extra` and left out of the rows.
    """
    known = set(required) | set(optional)
    # one shared alias glossary may serve several importers: aliases of other columns are ignored
    lookup = {_match_key(alias): name for alias, name in (aliases or {}).items() if name in known}
    lookup.update({_match_key(name): name for name in known})

    total = _remaining_size(stream)
    counter = _CountingReader(stream)
    head = counter.read_head(HEAD_SIZE)
    resources: list[Any] = []
    try:
        detected, records = _open_records(stream, filename, head, counter, encoding, resources)
        header_line, header, records = _first_record(records)
        columns, index = _map_header(header, lookup, header_line)
    except BaseException:
        _close_all(resources)
        raise
    missing = set(required) - set(columns)
    if missing:
        _close_all(resources)
        names = ", ".join(sorted(missing))
        raise FileFormatError(header_line, names, _l("Missing required columns: %(names)s.", names=names))
    extra = tuple(h for h in (_header_text(c) for c in header) if h and _match_key(h) not in lookup)
    rows = header_batches(records, index, len(header))
    return Table(tuple(columns), extra, detected, rows, counter, total, resources)


def _open_records(stream, filename, head, counter, encoding, resources):
    """Pick the format from the first bytes, not the name, and return it with its raw records in batches."""
    if head.startswith(_ZIP_MAGIC):
        return "xlsx", in_batches(_xlsx_records(_rewound(stream, head, counter, resources), resources))
    if head.startswith(_OLE_MAGIC) or filename.lower().endswith((".xls", ".xlsx", ".xlsm")):
        raise FileFormatError(None, None, _l("This is not an xlsx file. Save it as .xlsx or as CSV."))
    if _CONTROL_BYTES.search(head):
        raise FileFormatError(None, None, _l("This is not a CSV or xlsx file."))
    detected = encoding or detect_encoding(head, complete=len(head) < HEAD_SIZE)
    return detected, csv_batches(counter.chained(head), detected)


def _match_key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).translate(_ASCII_LOWER)


def _header_text(cell: str) -> str:
    return _HEADER_BREAKS.sub("", clean(cell).replace("\ufeff", "")).strip()


def _map_header(
    header: list[str], lookup: dict[str, str], line: int
) -> tuple[list[str], list[tuple[int, str]]]:
    columns: list[str] = []
    index: list[tuple[int, str]] = []
    for position, cell in enumerate(header):
        name = lookup.get(_match_key(_header_text(cell)))
        if name is None:
            continue
        if name in columns:
            raise FileFormatError(line, name, _l("The column %(name)s appears more than once.", name=name))
        columns.append(name)
        index.append((position, name))
    return columns, index


def _first_record(batches: Iterator[tuple[Sequence[int], list[list[str]]]]
                  ) -> tuple[int, list[str], Iterator[tuple[Sequence[int], list[list[str]]]]]:
    """The header (the first record that is not blank), its line, and the records after it."""
    for starts, records in batches:
        for position, cells in enumerate(records):
            if any(c.strip() for c in cells):
                rest = (starts[position + 1:], records[position + 1:])
                return starts[position], cells, itertools.chain([rest], batches)
    raise FileFormatError(None, None, _l("The file is empty: it has no header row."))


def _xlsx_records(source: IO[bytes], resources: list[Any]) -> Iterator[tuple[int, list[str]]]:
    # Any failure inside openpyxl on an untrusted file means a corrupt workbook to the user.
    try:
        workbook = open_workbook(source, max_unzipped=_max_unzipped(), max_columns=MAX_COLUMNS)
        resources.append(workbook)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong sheet size, which would truncate rows
        rows = sheet.iter_rows(values_only=True)
    except XlsxRefused as refused:
        raise FileFormatError(refused.line, None, refused.message) from refused
    except Exception as exc:
        raise FileFormatError(None, None, _l("This xlsx file is damaged or not a workbook.")) from exc
    line = 0
    while True:
        line += 1
        try:
            values = next(rows)
        except StopIteration:
            return
        except XlsxRefused as refused:
            raise FileFormatError(refused.line, None, refused.message) from refused
        except Exception as exc:
            raise FileFormatError(line, None, _l("This xlsx file is damaged or not a workbook.")) from exc
        yield line, [_xlsx_text(v) for v in values]


def _max_unzipped() -> int:
    """The setting TRACKER_MAX_UNZIPPED_MB, in bytes; outside an application its default."""
    return current_app.config["TRACKER_MAX_UNZIPPED_BYTES"] if has_app_context() else DEFAULT_MAX_UNZIPPED


def _xlsx_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps every number as a float: 12.0 means "12"
    return str(value)


def _remaining_size(stream: IO[bytes]) -> int | None:
    if not getattr(stream, "seekable", lambda: False)():
        return None
    here = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(here)
    return end - here


def _rewound(stream: IO[bytes], head: bytes, counter: "_CountingReader", resources: list[Any]) -> IO[bytes]:
    """Give openpyxl a seekable file positioned at the start of the workbook."""
    if getattr(stream, "seekable", lambda: False)():
        stream.seek(-len(head), io.SEEK_CUR)
        return _CountingSeekable(stream, counter)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the table)
    resources.append(spool)
    spool.write(head)
    shutil.copyfileobj(counter, spool)
    spool.seek(0)
    return spool


class _CountingReader(io.RawIOBase):
    """Reads the caller's stream in bounded chunks and counts the bytes, for progress reports."""

    def __init__(self, source: IO[bytes]):
        self._source = source
        self._pending = b""
        self.count = 0

    def readable(self) -> bool:
        return True

    def read_head(self, size: int) -> bytes:
        parts, got = [], 0
        while got < size:
            part = self._source.read(size - got)
            if not part:
                break
            parts.append(part)
            got += len(part)
        self.count += got
        return b"".join(parts)

    def chained(self, head: bytes) -> io.BufferedReader:
        self._pending = head
        return io.BufferedReader(self)

    def readinto(self, buffer) -> int:
        if self._pending:
            data, self._pending = self._pending[: len(buffer)], self._pending[len(buffer) :]
        else:
            data = self._source.read(len(buffer)) or b""
            self.count += len(data)
        buffer[: len(data)] = data
        return len(data)


class _CountingSeekable:
    """A seekable view of the caller's stream for openpyxl that counts bytes read."""

    def __init__(self, source: IO[bytes], counter: _CountingReader):
        self._source = source
        self._counter = counter
        self._counter.count = 0

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._counter.count += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._source, name)
