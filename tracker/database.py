"""How writers share the database: one writer per month's figures at a time, everyone else unhindered.

A write of figures (the grid, the sales form, an import) first calls `lock_months` for the months it will touch,
before it reads what is stored there. From then on it is alone on those months until it commits or rolls back,
so what it read stays true: a cell someone else filled in the meantime is a version conflict, not a duplicate key,
and the rollups it refreshes are recomputed from detail rows no other transaction is changing.

- PostgreSQL: transaction-scoped advisory locks, one per (metric, month), taken in ascending order so that two
  writers of overlapping months never wait on each other in a cycle. Writers of other months never wait.
- SQLite has one writer at a time anyway. A transaction that read before writing fails at once with "database is
  locked" when another writer committed in between (its snapshot is stale and cannot be upgraded), whatever the busy
  timeout: so the transactions of write requests and commands begin IMMEDIATE, taking the write lock before their
  first read, and queue on it for up to `BUSY_TIMEOUT_MS`. An import job reads and checks its file without the lock
  and takes it for the saving only (`begin_writes`). Reads keep plain deferred transactions (WAL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask, g, request
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from tracker.extensions import db

BUSY_TIMEOUT_MS = 60_000
# the advisory lock's first key: what is locked; the second is the month (year * 12 + month - 1)
_METRICS = {"visitors": 1, "exports": 2, "exporters": 3, "notifications": 4, "affiliations": 5, "notes": 6}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_writes: ContextVar[bool] = ContextVar("tracker_writes", default=False)
_busy_timeout_ms: ContextVar[int] = ContextVar("tracker_busy_timeout_ms", default=BUSY_TIMEOUT_MS)
_IMMEDIATE = "tracker_sqlite_immediate"  # the connection's info: its transaction began as a writer


def lock_months(metric: str, months: Iterable[tuple[int, int]]) -> None:
    """Take the write locks of `metric`'s (year, month) pairs for the rest of the transaction."""
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return
    kind = _METRICS[metric]
    for year, month in sorted(set(months)):
        connection.execute(select(func.pg_advisory_xact_lock(kind, year * 12 + month - 1)))


def lock_registry(metric: str) -> None:
    """Take the write lock of a register (the exporters and their products; the reminders queued) before it is
    read and added to. Taken before any month lock, never after one."""
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(_METRICS[metric], 0)))


def begin_writes() -> None:
    """From here on the transaction writes. On SQLite a transaction that began as a reader (an import job that
    staged its file in its connection's temporary table) commits what it read and begins again as a writer, on the
    same connection, so that its temporary tables stay."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite" or connection.info.get(_IMMEDIATE):
        return
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    connection.info[_IMMEDIATE] = True


@contextmanager
def without_waiting() -> Iterator[None]:
    """Transactions begun inside this block fail at once on SQLite's write lock instead of queueing for it (a
    heartbeat that can beat later)."""
    token = _busy_timeout_ms.set(0)
    try:
        yield
    finally:
        _busy_timeout_ms.reset(token)


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside this block will write (a command, an import job): on SQLite, begin IMMEDIATE."""
    token = _writes.set(True)
    try:
        yield
    finally:
        _writes.reset(token)


def register_write_requests(app: Flask) -> None:
    """Requests that may write (POST, PUT, DELETE...) begin their transaction as writers."""

    @app.before_request
    def _mark_writes() -> None:
        g.tracker_writes = _writes.set(request.method not in _SAFE_METHODS)

    @app.teardown_request
    def _unmark_writes(_error: BaseException | None) -> None:
        token = g.pop("tracker_writes", None)
        if token is not None:
            _writes.reset(token)


def _is_sqlite(dbapi_connection) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_settings(dbapi_connection, connection_record) -> None:
    """SQLite: foreign keys enforced; WAL so readers do not block the writer; and the driver's own implicit BEGIN
    off, so that `_sqlite_begin` says how each transaction begins and how long it waits for the writer before it."""
    if not _is_sqlite(dbapi_connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {_busy_timeout_ms.get()}")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes.get() else "BEGIN")
        connection.info[_IMMEDIATE] = _writes.get()
