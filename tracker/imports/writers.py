"""Stream rows out as CSV or xlsx, escaped so spreadsheets never run cell text as a formula.

The escaping rule, shared with the readers so that export -> import round-trips exactly:

* writing: a text cell that starts with zero or more ``'`` followed by one of ``= + - @ TAB CR``
  gets one extra leading ``'``, unless the whole text is a plain number such as ``-5`` or ``+1.5e3``;
* reading: a cell that starts with one or more ``'`` followed by one of those characters loses one
  leading ``'``.

The "zero or more" part is what lets a text that itself starts with ``'=`` survive the round trip.
Numbers (int, float, Decimal) are never escaped. In xlsx, integers of 16 digits or more are written
as text (Excel would round them), line breaks become LF (XML keeps no CR) and control characters
Excel cannot store are dropped.
"""

import codecs
import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_CHUNK_SIZE = 64 * 1024
_EXCEL_EXACT_LIMIT = 10**15


def escape_formula(text: str) -> str:
    """Return text with the protective leading apostrophe added when the rule above asks for it."""
    if _NEEDS_ESCAPE.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """Undo escape_formula: drop one leading apostrophe from an escaped cell."""
    return text[1:] if _ESCAPED.match(text) else text


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_formula(value)
    return str(value)


def write_csv(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    encoding: str = "utf-8-sig",
    errors: str = "strict",
) -> Iterator[bytes]:
    """Yield encoded CSV chunks (UTF-8 with BOM by default, so Excel opens it; or e.g. "cp932")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # \r\n line ends, as Excel writes them
    encoder = codecs.getincrementalencoder(encoding)(errors)
    writer.writerow([_csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        if buffer.tell() >= _CHUNK_SIZE:
            yield encoder.encode(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    yield encoder.encode(buffer.getvalue(), final=True)


def _xlsx_cell(sheet, value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _EXCEL_EXACT_LIMIT:
        value = str(value)  # Excel keeps 15 significant digits; longer integers (codes) stay exact as text
    if not isinstance(value, str):
        return value
    # XML turns every CR into LF on reading, so normalise first; escaping must see what will be read.
    text = ILLEGAL_CHARACTERS_RE.sub("", value).replace("\r\n", "\n").replace("\r", "\n")
    cell = WriteOnlyCell(sheet, escape_formula(text))
    cell.data_type = "s"
    return cell


def write_xlsx(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str = "Sheet1",
    into: IO[bytes] | None = None,
) -> IO[bytes]:
    """Write one sheet in openpyxl's streaming mode to `into` (default a temporary file), rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append([_xlsx_cell(sheet, v) for v in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = into if into is not None else tempfile.TemporaryFile()  # noqa: SIM115 (the caller closes it)
    workbook.save(out)
    out.seek(0)
    return out
