"""The generic import pipeline: one file in, all of it applied or none of it, with a report.

A feature (visitor counts, export sales, ...) supplies an `Importer`:

* `kind`, and the column spec `required`, `optional`, `aliases` (e.g. the Japanese template headers);
* `staging_columns`: (name, SQLAlchemy type[, nullable]) of the values of one parsed row, and `key`: the names among
  them that identify a figure (a key given twice in a file is an error naming both lines). The error names the
  file's columns behind the key: a staging column `x_id` holds the id of the file's column `x` or `x_code`;
* `parse(line, row)`: the validated values as a tuple in `staging_columns` order, or a list of `Issue`s
  (scope checks included: the importer knows its user); and `parse_batch(batch, add_error)`, the staging rows
  (line first) of a batch of rows, their issues given to `add_error` (the engine's runs `parse` on each row; a
  feature may check each distinct cell of a column once instead);
* `apply(staging, batch)`: the set-based upsert from the staging table, returning `Applied` (counts, the
  months touched; it writes the revisions tied to `batch` and refreshes the rollups itself);
* `warnings(staging)`: `Issue`s to report without refusing the file (outliers);
* `check(staging)`: set-based checks of the staged rows against the database that refuse the file, as `Issue`s
  with their lines (months approved and locked).

`tracker.imports.engine.FigureImporter` gives a figure import `apply`, `check` and `warnings` from its description.

The pipeline owns the rest: the file's sha256, streaming validation that collects every error with the file's
own line numbers, a staging (temporary) table filled row by row so that memory does not grow with the file
(COPY on PostgreSQL, one executemany of a prepared INSERT elsewhere), the duplicate-key check, the `ImportBatch`
row, progress callbacks and the `ImportResult` that the CLI, the upload page and the API all report from.

It never commits: the caller commits when `result.ok` and rolls back otherwise, so a rejected file leaves the
database exactly as it was.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from tracker.database import begin_writes
from tracker.extensions import db
from tracker.imports.batches import Batch
from tracker.imports.readers import FileFormatError, open_table
from tracker.models import ImportBatch

MAX_REPORTED = 1000  # errors or warnings listed in a report; the count of the rest is still given
_ANALYZE_AFTER_ROWS = 50_000
_HASH_CHUNK = 1024 * 1024

ProgressCallback = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Issue:
    """One problem of the file: its line (1 = header; None for the whole file), column and reason."""

    line: int | None
    column: str | None
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column or "", "message": self.message}

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "file"
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass(frozen=True)
class Applied:
    created: int
    updated: int
    unchanged: int


@dataclass
class ImportResult:
    filename: str
    sha256: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warnings: list[Issue] = field(default_factory=list)
    warning_count: int = 0
    batch_id: int | None = None
    # when the same file (same sha256) was applied before
    previously_imported: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"

    def counts_json(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}

    def errors_json(self) -> list[dict[str, Any]]:
        return [issue.as_json() for issue in self.errors]

    def add_error(self, issue: Issue) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(issue)


class Importer(Protocol):
    kind: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    aliases: dict[str, str]
    staging_columns: tuple[tuple[str, Any], ...]
    key: tuple[str, ...]

    def parse(self, line: int, row: dict[str, str]) -> tuple | list[Issue]: ...

    def parse_batch(self, batch: Batch, add_error: Callable[[Issue], None]) -> Iterable[tuple]: ...

    def apply(self, staging: sa.Table, batch: ImportBatch) -> Applied: ...

    def warnings(self, staging: sa.Table) -> tuple[list[Issue], int]: ...

    def check(self, staging: sa.Table) -> Iterable[Issue]: ...


def run_import(importer: Importer, stream: IO[bytes], filename: str, *, user_id: int | None,
               encoding: str | None = None, progress: ProgressCallback | None = None) -> ImportResult:
    """Validate the whole file into a staging table, then apply it in the caller's transaction."""
    result = ImportResult(filename=filename)
    with _Seekable(stream) as source:
        result.sha256 = _sha256(source)
        staging = _create_staging(importer)
        try:
            _stage(importer, source, filename, encoding, staging, result, progress)
            if result.rows:
                _check_duplicates(importer, staging, result)
                for issue in importer.check(staging):
                    result.add_error(issue)
            result.errors.sort(key=lambda issue: (issue.line or 0))
            if result.ok:
                begin_writes()
                _apply(importer, staging, result, user_id)
        finally:
            staging.drop(db.session.connection(), checkfirst=True)
    return result


def refresh_statistics(table: sa.Table, rows_written: int) -> None:
    """After a bulk write into `table`, before the rollups are recomputed from it: on PostgreSQL the planner
    would otherwise plan those aggregates on the statistics of the table before the import (empty, on a
    first import) and pick row-by-row joins; autovacuum analyzes only later, outside the transaction."""
    if rows_written >= _ANALYZE_AFTER_ROWS:
        _analyze(table.name)


def _analyze(table_name: str) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text(f'ANALYZE "{table_name}"'))


def _apply(importer: Importer, staging: sa.Table, result: ImportResult, user_id: int | None) -> None:
    result.previously_imported = db.session.scalar(
        sa.select(sa.func.count()).select_from(ImportBatch).where(
            ImportBatch.kind == importer.kind, ImportBatch.sha256 == result.sha256, ImportBatch.outcome == "applied")
    ) > 0
    result.warnings, result.warning_count = importer.warnings(staging)
    batch = ImportBatch(kind=importer.kind, filename=result.filename[:255], sha256=result.sha256, rows=result.rows,
                        outcome="applied", user_id=user_id)
    db.session.add(batch)
    db.session.flush()
    # autovacuum never analyzes temporary tables: without statistics the planner takes a staging table of
    # millions of rows for a small one and joins it row by row
    _analyze(staging.name)
    applied = importer.apply(staging, batch)
    result.created, result.updated, result.unchanged = applied.created, applied.updated, applied.unchanged
    batch.created, batch.updated, batch.unchanged = applied.created, applied.updated, applied.unchanged
    batch.outcome = "applied" if result.changed else "unchanged"
    result.batch_id = batch.id
    db.session.flush()


class _Seekable:
    """The upload as a seekable stream (hashed first, then read): spooled to disk when it is not."""

    def __init__(self, stream: IO[bytes]):
        self._stream = stream
        self._spool: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if getattr(self._stream, "seekable", lambda: False)():
            return self._stream
        self._spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed on exit)
        shutil.copyfileobj(self._stream, self._spool, _HASH_CHUNK)
        self._spool.seek(0)
        return self._spool

    def __exit__(self, *exc_info) -> None:
        if self._spool is not None:
            self._spool.close()


def _sha256(stream: IO[bytes]) -> str:
    start = stream.tell()
    digest = hashlib.sha256()
    while chunk := stream.read(_HASH_CHUNK):
        digest.update(chunk)
    stream.seek(start)
    return digest.hexdigest()


def _create_staging(importer: Importer) -> sa.Table:
    metadata = sa.MetaData()
    table = sa.Table(
        f"staging_{importer.kind}", metadata,
        sa.Column("line", sa.Integer, nullable=False),
        # (name, type) is NOT NULL; a third element, e.g. (name, type, True), makes the column nullable
        *(sa.Column(name, kind, nullable=bool(nullable and nullable[0]))
          for name, kind, *nullable in importer.staging_columns),
        prefixes=["TEMPORARY"], postgresql_on_commit="DROP",
    )
    connection = db.session.connection()
    table.drop(connection, checkfirst=True)
    table.create(connection)
    return table


def _stage(importer, source, filename, encoding, staging, result, progress) -> None:
    try:
        table = open_table(source, filename, required=importer.required, optional=importer.optional,
                           aliases=importer.aliases, encoding=encoding)
    except FileFormatError as error:
        result.add_error(Issue(error.line, error.column, str(error.message)))
        return
    with table, collector_paused():
        _load(staging, _checked_rows(importer, table, result, progress))
    if result.rows == 0 and result.ok:
        result.add_error(Issue(None, None, str(_l("The file has no rows below its header."))))


class _CollectorPause:
    """The batches are lists of lists that live a moment and hold no cycles: the cyclic garbage collector, started
    by every few hundred of them, walked them again and again, which took a third of the reading time (reference
    counting frees them all the same, so memory stays flat).

    The collector is the process's: imports staging at once in one process's threads pause it together, and it
    starts again when the last of them ends, if it ran before the first began."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._staging = 0
        self._was_enabled = False

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._staging == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._staging += 1
        try:
            yield
        finally:
            with self._lock:
                self._staging -= 1
                if self._staging == 0 and self._was_enabled:
                    gc.enable()


collector_paused = _CollectorPause()


def _checked_rows(importer, table, result: ImportResult, progress) -> Iterator[Iterable[tuple]]:
    """The staging rows of the file's good lines, a batch at a time, as the loader takes them; the other lines'
    issues, and a reason the file cannot be read further, go to the result (ending the rows)."""
    count = 0
    try:
        for batch in table.batches():
            yield importer.parse_batch(batch, result.add_error)
            count += len(batch)
            if progress is not None:
                result.rows = count
                progress(table.bytes_read, table.total_bytes)
    except FileFormatError as error:
        result.add_error(Issue(error.line, error.column, str(error.message)))
    result.rows = count
    if progress is not None:
        progress(table.bytes_read, table.total_bytes)


def _check_duplicates(importer: Importer, staging: sa.Table, result: ImportResult) -> None:
    """A key given twice: an error on the later line that names the earlier one."""
    key_columns = [staging.c[name] for name in importer.key]
    sa.Index(f"ix_staging_{importer.kind}_key", *key_columns).create(db.session.connection())
    # one pass over the index tells whether any key repeats; only then are the pairs of lines looked for
    repeated = sa.select(*key_columns).group_by(*key_columns).having(sa.func.count() > 1).limit(1)
    if db.session.execute(repeated).first() is None:
        return
    later = staging.alias("later")
    first = (
        sa.select(sa.func.min(staging.c.line), later.c.line)
        .join(later, sa.and_(*(staging.c[n] == later.c[n] for n in importer.key), staging.c.line < later.c.line))
        .group_by(later.c.line).order_by(later.c.line)
    )
    columns = ", ".join(_file_column(importer, name) for name in importer.key)
    for first_line, line in db.session.execute(first):
        result.add_error(Issue(line, columns,
                               str(_l("The same figure is given twice: on line %(first)d and on line %(line)d.",
                                      first=first_line, line=line))))


def _file_column(importer: Importer, name: str) -> str:
    """The file's column behind a staging column: `year` itself, `market` for `market_id`, `area_code` for
    `area_id`, so that a report speaks of what the user's file holds."""
    stem = name.removesuffix("_id")
    columns = (*importer.required, *importer.optional)
    return next((column for column in (name, stem, f"{stem}_code") if column in columns), name)


def _load(staging: sa.Table, batches: Iterator[Iterable[tuple]]) -> None:
    """Fill the staging table as the rows are read, a batch at a time: COPY on PostgreSQL, elsewhere the driver's
    executemany of one prepared INSERT."""
    connection = db.session.connection()
    names = ", ".join(column.name for column in staging.columns)
    cursor = connection.connection.driver_connection.cursor()
    try:
        if connection.dialect.name == "postgresql":
            with cursor.copy(f"COPY {staging.name} ({names}) FROM STDIN") as copy:
                for rows in batches:
                    for row in rows:
                        copy.write_row(row)
        else:
            insert = f"INSERT INTO {staging.name} ({names}) VALUES ({', '.join('?' * len(staging.columns))})"
            for rows in batches:
                cursor.executemany(insert, rows)
    finally:
        cursor.close()
