"""A table's rows a batch at a time and a column at a time (`Batch`): the raw records of a file, as
`tracker.imports.csv_text` or the workbook reader give them, mapped to the header's columns and cleaned, blank rows
left out. A column is cleaned once per distinct cell, so that a national file's repeated codes and months cost one
look each."""

from collections.abc import Iterator, Sequence

from flask_babel import lazy_gettext as _l

from tracker.imports.csv_text import BATCH_RECORDS, FileFormatError
from tracker.imports.writers import unescape_formula


class Batch:
    """Consecutive rows of a table a column at a time: their `lines`, and the cleaned cells of each column named by
    the header (`columns`); blank rows are left out."""

    __slots__ = ("lines", "columns")

    def __init__(self, lines: Sequence[int], columns: dict[str, Sequence[str]]):
        self.lines = lines
        self.columns = columns

    def __len__(self) -> int:
        return len(self.lines)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        names = tuple(self.columns)
        for line, cells in zip(self.lines, zip(*self.columns.values(), strict=True), strict=True):
            yield line, dict(zip(names, cells, strict=True))


def clean(cell: str) -> str:
    """A cell without its surrounding whitespace and the formula escape the tracker's own downloads write."""
    # Only a cell starting with an apostrophe can carry the export's formula escape: the common cell skips
    # the pattern, which is most of the reading time of a large file.
    return (unescape_formula(cell) if cell.startswith("'") else cell).strip()


def header_batches(raw: Iterator[tuple[Sequence[int], list[list[str]]]], index: list[tuple[int, str]],
                   width: int) -> Iterator[Batch]:
    """The rows of each batch of raw records (their first lines and cells) as the header maps them (`index`: the
    position and name of each column read; `width`: the header's), cleaned, blank ones left out."""
    positions = [position for position, _name in index]
    names = [name for _position, name in index]
    for starts, records in raw:
        if not records:
            continue
        if set(map(len, records)) == {width}:
            # the common batch: the cells a column at a time, each distinct cell cleaned once
            columns = list(zip(*records, strict=True))
            picked = [_cleaned(columns[position]) for position in positions]
            lines: Sequence[int] = starts
            if all("" in column for column in picked):  # a blank row is blank in every column
                lines, picked = _without_blank(starts, records, picked)
            yield Batch(lines, dict(zip(names, picked, strict=True)))
        else:
            yield from _record_by_record(starts, records, positions, names, width)


def _cleaned(column: tuple[str, ...]) -> Sequence[str]:
    if all(map(str.isalnum, filter(None, column))):  # letters and digits only, or empty: nothing to clean
        return column
    cleaned = {cell: clean(cell) for cell in set(column)}
    if all(cell == cleaned_cell for cell, cleaned_cell in cleaned.items()):
        return column
    return list(map(cleaned.__getitem__, column))


def _without_blank(starts, records, picked) -> tuple[Sequence[int], list[Sequence[str]]]:
    """Leave out the rows whose every cell, named by the header or not, is blank once cleaned."""
    blank = {i for i, cells in enumerate(zip(*picked, strict=True)) if not any(cells)
             and not any(clean(cell) for cell in records[i])}
    if not blank:
        return starts, picked
    kept = [i for i in range(len(records)) if i not in blank]
    return [starts[i] for i in kept], [[column[i] for i in kept] for column in picked]


def _record_by_record(starts, records, positions, names, width) -> Iterator[Batch]:
    """A batch with a record shorter or longer than the header: each record checked on its own, and the rows before
    one with a value beyond the header still given."""
    lines: list[int] = []
    rows: list[list[str]] = []
    try:
        for line, cells in zip(starts, records, strict=True):
            # The same cleaning for every cell of every format, so that a cell holding only the escape of a
            # whitespace character ("'\t", as the writers escape a tab) is blank in a CSV as in an xlsx.
            cleaned = [clean(cell) for cell in cells]
            if not any(cleaned):
                continue
            if len(cleaned) > width and any(cleaned[width:]):
                raise FileFormatError(
                    line, None, _l("This line has more cells than the header (check for unquoted commas).")
                )
            if len(cleaned) < width:
                cleaned.extend([""] * (width - len(cleaned)))
            lines.append(line)
            rows.append([cleaned[position] for position in positions])
    except FileFormatError:
        if lines:
            yield _batch_of_rows(lines, rows, names)
        raise
    if lines:
        yield _batch_of_rows(lines, rows, names)


def _batch_of_rows(lines: list[int], rows: list[list[str]], names: list[str]) -> Batch:
    return Batch(lines, dict(zip(names, map(list, zip(*rows, strict=True)), strict=True)))


def in_batches(records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[list[int], list[list[str]]]]:
    """Records read one at a time (a workbook's) in batches; those read before an error are still given."""
    starts: list[int] = []
    batch: list[list[str]] = []
    try:
        for line, cells in records:
            starts.append(line)
            batch.append(cells)
            if len(batch) == BATCH_RECORDS:
                yield starts, batch
                starts, batch = [], []
    except FileFormatError:
        if batch:
            yield starts, batch
        raise
    if batch:
        yield starts, batch
