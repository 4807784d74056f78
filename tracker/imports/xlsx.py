"""An untrusted xlsx opened for openpyxl within bounds: the zip's directory is checked before anything is
unpacked, every read of a part is capped, and the XML openpyxl reads is watched as it streams, so that a
row numbered beyond Excel's last, a row wider than an import can use or a text no cell can hold is refused
before openpyxl acts on it (it would walk every empty row up to a row number, and hold a row or a text whole).
"""

from __future__ import annotations

import io
import struct
import zipfile
from typing import IO, Any
from xml.parsers import expat

from flask_babel import lazy_gettext as _l
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.xml.constants import SHEET_MAIN_NS

from tracker.imports.quoting import excerpt

MB = 1024 * 1024
MAX_ROWS = 1_048_576  # Excel's last row
MAX_CELLS_PER_ROW = 16_384  # Excel's last column, XFD
MAX_PARTS = 1000  # a workbook has a few dozen; the directory of each is held in memory
MAX_RATIO = 100  # as Apache POI's zip-bomb check (minimum inflate ratio 0.01) ...
RATIO_FROM_BYTES = 100 * 1024  # ... which lets small parts compress as well as they like
MAX_WHOLE_PART = 16 * MB  # styles, workbook, relationships: openpyxl builds their whole tree
MAX_ROW_BYTES = 4 * MB
MAX_TEXT_BYTES = 1 * MB  # a shared string; a cell holds at most 32,767 characters
_END_OF_DIRECTORY = b"PK\x05\x06"
_END_RECORD = struct.Struct("<4s4H2LH")
_COLUMNS = {get_column_letter(index): index for index in range(1, MAX_CELLS_PER_ROW + 1)}
_ROW, _CELL, _VALUE, _INLINE, _DIMENSION, _SHARED = (
    f"{SHEET_MAIN_NS} {name}" for name in ("row", "c", "v", "is", "dimension", "si"))
DAMAGED = _l("This xlsx file is damaged or not a workbook.")


class XlsxRefused(Exception):
    """Why the workbook is not read; not a ValueError, which openpyxl would wrap in its own."""

    def __init__(self, line: int | None, message: Any):
        super().__init__(line, message)
        self.line = line
        self.message = message


def open_workbook(source: IO[bytes], *, max_unzipped: int, max_columns: int) -> Workbook:
    """openpyxl's read-only workbook (cached values, as `load_workbook(read_only=True, data_only=True)`),
    reading through an archive that keeps every part within the limits."""
    _check_part_count(source)
    archive = _GuardedArchive(source, max_unzipped=max_unzipped, max_columns=max_columns)
    reader = ExcelReader(source, read_only=True, data_only=True)
    reader.archive.close()  # the reader's own ZipFile, swapped for the guarded one before anything is read
    reader.archive = archive
    reader.read()
    return reader.wb


def _check_part_count(source: IO[bytes]) -> None:
    """Before zipfile reads the directory into memory: its size and number of entries, from its end record."""
    start = source.tell()
    end = source.seek(0, io.SEEK_END)
    source.seek(max(start, end - _END_RECORD.size - 0xFFFF))  # the record is followed by a comment of < 64 KiB
    tail = source.read()
    source.seek(start)
    found = tail.rfind(_END_OF_DIRECTORY)
    if found < 0 or len(tail) - found < _END_RECORD.size:
        raise XlsxRefused(None, DAMAGED)
    *_, parts, directory_size, _offset, _comment = _END_RECORD.unpack_from(tail, found)
    if parts > MAX_PARTS or directory_size > MAX_PARTS * 1024:
        raise XlsxRefused(None, _l("This xlsx file holds more than %(most)s parts; a workbook has a few dozen.",
                                   most=f"{MAX_PARTS:,}"))


class _GuardedArchive(zipfile.ZipFile):
    """The workbook's zip, checked from its directory when opened; each part opened reads through a watch."""

    def __init__(self, source: IO[bytes], *, max_unzipped: int, max_columns: int):
        try:
            super().__init__(source)
        except (zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise XlsxRefused(None, DAMAGED) from exc
        self._max_columns = max_columns
        total = 0
        for info in self.infolist():
            total += info.file_size
            if total > max_unzipped:
                raise XlsxRefused(None, _l("This xlsx file unpacks to more than %(most)s MB, more than an import "
                                           "accepts. Save it as CSV, or split it.", most=f"{max_unzipped // MB:,}"))
            if info.file_size > RATIO_FROM_BYTES and info.file_size > MAX_RATIO * info.compress_size:
                raise XlsxRefused(None, _l("A part of this xlsx file is compressed more than %(most)d times, "
                                           "which no workbook is.", most=MAX_RATIO))

    def open(self, name, mode="r", pwd=None, **kwargs):
        part = super().open(name, mode, pwd, **kwargs)
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        return _WatchedPart(part, info.file_size, self._max_columns)

    def read(self, name, pwd=None) -> bytes:
        with self.open(name, "r", pwd) as part:
            data = part.read(MAX_WHOLE_PART + 1)
        if len(data) > MAX_WHOLE_PART:
            raise XlsxRefused(None, _l("A part of this xlsx file that is read in one piece is larger than "
                                       "%(most)d MB.", most=MAX_WHOLE_PART // MB))
        return data


class _WatchedPart:
    """A part as openpyxl reads it: no more bytes than its directory entry says, and its XML watched."""

    def __init__(self, part: IO[bytes], declared: int, max_columns: int):
        self._part = part
        self._declared = declared
        self._read = 0
        self._watch = _SheetWatch(max_columns)

    def read(self, size: int = -1) -> bytes:
        data = self._part.read(size)
        self._read += len(data)
        if self._read > self._declared:  # zipfile stops at the declared size itself; this does not rely on it
            raise XlsxRefused(None, _l("A part of this xlsx file unpacks to more than its directory declares."))
        self._watch.feed(data)
        return data

    def close(self) -> None:
        self._part.close()

    def __enter__(self) -> _WatchedPart:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._part, name)


class _SheetWatch:
    """Follows the XML of a part as it is read, counting rows and cells as openpyxl does (an element
    without `r` comes after the one before), and refuses what no import file holds."""

    def __init__(self, max_columns: int):
        self._max_columns = max_columns
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.StartDoctypeDeclHandler = self._doctype  # never in a workbook; entities could expand
        self._fed = 0
        self._row = 0
        self._row_start: int | None = None
        self._text_start: int | None = None
        self._cells = 0
        self._column = 0

    def feed(self, data: bytes) -> None:
        self._fed += len(data)
        try:
            self._parser.Parse(data, False)
        except expat.ExpatError as exc:
            raise XlsxRefused(None, DAMAGED) from exc
        # checked between reads too: a row or a text may be far longer than one read
        if self._row_start is not None and self._fed - self._row_start > MAX_ROW_BYTES:
            self._row_too_large()
        if self._text_start is not None and self._fed - self._text_start > MAX_TEXT_BYTES:
            self._text_too_large()

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        if name == _CELL:
            self._cell(attributes.get("r"))
        elif name in (_VALUE, _INLINE):
            if self._column > self._max_columns:
                raise XlsxRefused(self._row, _l("This line has a value in column %(column)d; an import file has "
                                                "at most %(most)d columns.", column=self._column,
                                                most=self._max_columns))
        elif name == _ROW:
            self._start_row(attributes.get("r"))
        elif name == _SHARED:
            self._text_start = self._parser.CurrentByteIndex
        elif name == _DIMENSION:
            self._reference(attributes.get("ref", "").rpartition(":")[2])

    def _end(self, name: str) -> None:
        if name == _ROW:
            if self._fed_since(self._row_start) > MAX_ROW_BYTES:
                self._row_too_large()
            self._row_start = None
        elif name == _SHARED:
            if self._fed_since(self._text_start) > MAX_TEXT_BYTES:
                self._text_too_large()
            self._text_start = None

    def _fed_since(self, start: int | None) -> int:
        return self._parser.CurrentByteIndex - start if start is not None else 0

    def _start_row(self, number: str | None) -> None:
        self._row = self._row_number(number) if number else self._row + 1
        if self._row > MAX_ROWS:
            raise _beyond_last_row(str(self._row))
        self._row_start = self._parser.CurrentByteIndex
        self._cells = 0
        self._column = 0

    def _cell(self, reference: str | None) -> None:
        self._cells += 1
        if self._cells > MAX_CELLS_PER_ROW:
            raise XlsxRefused(self._row, _l("This line has more than %(most)s cells.",
                                            most=f"{MAX_CELLS_PER_ROW:,}"))
        if not reference:
            self._column += 1
            return
        letters = reference.rstrip("0123456789")
        column = _COLUMNS.get(letters)
        # the common reference, "B12": a known column and a row number of fewer digits than Excel's last
        self._column = column if column and 0 < len(reference) - len(letters) < 7 else self._reference(reference)

    def _reference(self, reference: str) -> int:
        """The column of a cell reference such as "B12", after checking both its parts."""
        letters = reference.rstrip("0123456789")
        self._row_number(reference[len(letters):])
        if not letters:
            return 0
        column = _COLUMNS.get(letters) or _COLUMNS.get(letters.upper())
        if column is None:
            raise XlsxRefused(None, _l("The sheet refers to column %(column)s, beyond Excel's last column (XFD).",
                                       column=excerpt(letters)))
        return column

    def _row_number(self, digits: str) -> int:
        if not (digits.isascii() and digits.isdigit()):
            raise XlsxRefused(None, DAMAGED)
        if len(digits) > len(str(MAX_ROWS)) or int(digits) > MAX_ROWS:
            raise _beyond_last_row(digits)
        return int(digits)

    def _row_too_large(self) -> None:
        raise XlsxRefused(self._row, _l("This line holds more than %(most)d MB.", most=MAX_ROW_BYTES // MB))

    def _text_too_large(self) -> None:
        raise XlsxRefused(None, _l("This xlsx file holds a text longer than a cell can hold (32,767 characters)."))

    def _doctype(self, *_declaration) -> None:
        raise XlsxRefused(None, DAMAGED)


def _beyond_last_row(number: str) -> XlsxRefused:
    return XlsxRefused(None, _l("The sheet refers to row %(number)s, beyond Excel's last row (1,048,576).",
                                number=excerpt(number)))
