"""A table file's limits and its one error (`FileFormatError`, naming the line and column), and the reading of a CSV
file's text: its encoding from the first bytes, its physical lines a chunk at a time, and its records with the line
each starts on (`tracker.imports.readers` opens the file and maps the header)."""

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from flask_babel import lazy_gettext as _l

MAX_COLUMNS = 256  # generous: the widest import layout has 10 columns, and a template may add notes
MAX_RECORD_CHARS = 100_000  # below csv's own field limit (131,072), so a long field is refused here, in words
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what errors="surrogateescape" leaves for bad bytes
_PHYSICAL_LINES = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")  # as readline() splits them with newline=""
_CHUNK_CHARS = 16 * 1024
_END_MARK = "\udfff"  # never in a decoded line: surrogateescape gives only \udc80-\udcff


class FileFormatError(ValueError):
    """The file cannot be read as a table; `line` (1 = header) and `column` say where, when known."""

    def __init__(self, line: int | None, column: str | None, message: Any):
        super().__init__(line, column, message)
        self.line = line
        self.column = column
        self.message = message

    def __str__(self) -> str:
        if self.line is None:
            return str(self.message)
        return str(_l("Line %(line)d: %(message)s", line=self.line, message=self.message))


def detect_encoding(head: bytes, complete: bool) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        # final=False: the 64 KiB cut may split a multi-byte character
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError:
        return "cp932"
    return "utf-8"


BATCH_RECORDS = 2000  # records read by the csv module in one call: a generator step per record was most of the reading
# ... and about this many characters: a batch of long lines is shorter, so that what is held stays small
BATCH_CHARS = 1_000_000
_FIRST_BATCH = 20  # records, before the file's line length is known


def csv_batches(binary: IO[bytes], encoding: str) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
    """The file's records a batch at a time, with the line each starts on. A batch of records one line each and
    within MAX_COLUMNS (the common file) is read by the csv module in one call; any other batch, and one that ends in
    an error, is read again record by record from the lines it was read from, so that its records before the error
    are still given, and the error names its line, as when every record was read on its own."""
    lines = _PhysicalLines(binary, encoding)
    reader = csv.reader(itertools.chain.from_iterable(lines.chunks()))
    start, size = 1, _FIRST_BATCH
    while True:
        lines.forget_before(start)
        try:
            records = list(itertools.islice(reader, size))
        except (csv.Error, FileFormatError) as error:
            yield from _one_by_one(lines.kept(), start, error)
            return
        if not records:
            return
        end = reader.line_num
        physical = lines.kept(end)
        size = max(1, min(BATCH_RECORDS, BATCH_CHARS * len(records) // max(1, sum(map(len, physical)))))
        if end - start + 1 == len(records) and max(map(len, records)) <= MAX_COLUMNS:
            yield range(start, end + 1), records
        else:
            del records  # read again from its lines: not held twice
            yield from _one_by_one(physical, start, None)
        start = end + 1


def _one_by_one(physical: list[str], start: int, error: Exception | None
                ) -> Iterator[tuple[Sequence[int], list[list[str]]]]:
    """The records of these physical lines (from line `start`), each checked on its own, as one batch; then the
    error that stopped the batch, if any."""
    # When the file stopped giving lines, the last of them may end inside a quoted cell: a mark after them ends the
    # records there, and the record that holds it (the mark's own, or the unfinished one) is not given.
    reader = csv.reader([*physical, _END_MARK] if isinstance(error, FileFormatError) else physical)
    starts: list[int] = []
    records: list[list[str]] = []
    begin = start  # the line of the record being read
    try:
        for record in reader:
            if record and record[-1].endswith(_END_MARK):
                break
            end = start + reader.line_num - 1
            if len(record) > MAX_COLUMNS:
                check_width(begin, record)
            if end > begin and sum(map(len, record)) > MAX_RECORD_CHARS:
                raise _too_long(begin)  # a record of several lines, each short enough
            starts.append(begin)
            records.append(record)
            begin = end + 1
    except csv.Error as exc:
        error = exc
    except FileFormatError as refused:
        error = refused
    if records:
        yield starts, records
    if isinstance(error, csv.Error):
        if "field limit" in str(error):  # a quoted cell over many lines, beyond csv's own limit
            raise _too_long(begin) from error
        raise FileFormatError(begin, None, _l("This line is not valid CSV: %(detail)s", detail=str(error))) from error
    if isinstance(error, _LineTooLong):
        raise _too_long(begin) from error
    if error is not None:
        raise error


class _LineTooLong(FileFormatError):
    """A physical line over MAX_RECORD_CHARS, found before its record's first line is known."""


def _too_long(line: int | None) -> FileFormatError:
    return (FileFormatError if line is not None else _LineTooLong)(
        line, None, _l("This line is longer than %(most)s characters.", most=f"{MAX_RECORD_CHARS:,}"))


class _PhysicalLines:
    """A CSV file's physical lines for the csv module, a chunk at a time (a generator of single lines was most of
    the reading time); a chunk with a line too long or with bytes that are not text goes line by line, so that the
    error names its line. No line is held beyond MAX_RECORD_CHARS."""

    def __init__(self, binary: IO[bytes], encoding: str):
        # Bad bytes become lone surrogates so they can be reported on their own line: a strict decoder
        # would fail on a whole 8 KiB chunk, several lines before the culprit.
        self._text = io.TextIOWrapper(binary, encoding=encoding, errors="surrogateescape", newline="")
        self._encoding = encoding
        self._fed = 0  # physical lines handed to the csv module
        # the lines handed since line `_kept_first`, to read a batch again record by record
        self._kept: list[str] = []
        self._kept_first = 1

    def forget_before(self, line: int) -> None:
        del self._kept[:line - self._kept_first]
        self._kept_first = line

    def kept(self, last: int | None = None) -> list[str]:
        """The lines handed from the first one kept, up to line `last` (all, when None)."""
        return self._kept if last is None else self._kept[:last - self._kept_first + 1]

    def chunks(self) -> Iterator[Iterable[str]]:
        pending = ""  # the start of a line whose end is in the next chunk
        while chunk := self._text.read(_CHUNK_CHARS):
            chunk = pending + chunk
            # up to the last line end only: the pattern would rescan an unended line from each of its characters
            end = max(chunk.rfind("\n"), chunk.rfind("\r")) + 1
            lines = _PHYSICAL_LINES.findall(chunk, 0, end)
            if lines and end == len(chunk) and chunk.endswith("\r"):
                end -= len(lines.pop())  # its LF may begin the next chunk
            pending = chunk[end:]
            if (max(map(len, lines), default=0) <= MAX_RECORD_CHARS
                    and (chunk.isascii() or not _UNDECODABLE.search(chunk, 0, end))):
                self._fed += len(lines)
                self._kept.extend(lines)
                yield lines
            else:
                yield self._checked(lines)
            if len(pending) > MAX_RECORD_CHARS:
                yield self._checked([pending])
        if pending:
            yield self._checked([pending])

    def _checked(self, lines: list[str]) -> Iterator[str]:
        for physical in lines:
            self._fed += 1
            if len(physical) > MAX_RECORD_CHARS:
                raise _too_long(None)
            if not physical.isascii() and _UNDECODABLE.search(physical):
                raise FileFormatError(self._fed, None, _l("This line has bytes that are not %(encoding)s text. "
                                                          "Save the file as UTF-8 CSV or xlsx.",
                                                          encoding=self._encoding))
            self._kept.append(physical)
            yield physical


def check_width(line: int, cells: list[str]) -> None:
    if len(cells) > MAX_COLUMNS:
        beyond = next((i for i in range(MAX_COLUMNS, len(cells)) if cells[i].strip()), None)
        if beyond is not None:
            raise FileFormatError(line, None, _l(
                "This line has a value in column %(column)d; an import file has at most %(most)d columns.",
                column=beyond + 1, most=MAX_COLUMNS))
