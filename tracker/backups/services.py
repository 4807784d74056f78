"""A consistent copy of the database while the app runs, and its checked restore.

SQLite: the online backup API copies the database page by page from one read snapshot (writers go on; the copy is
the database as of one moment) into a single self-contained file. PostgreSQL: `pg_dump`'s custom format, also from
one snapshot, and `pg_restore`. A restore first checks that the file is whole and holds the tracker's tables at the
schema revision this code expects; only then does it replace the database, all at once."""

from __future__ import annotations

import glob
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.engine import URL

from tracker.extensions import db

VERSION_TABLE = "alembic_version"
BUSY_TIMEOUT_MS = 60_000


class BackupError(RuntimeError):
    """Why a backup or a restore cannot be done, in one line."""


@dataclass(frozen=True)
class Restored:
    revision: str


def expected_revision() -> str:
    """The schema revision of this code: the head of its migrations."""
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def expected_tables() -> set[str]:
    return set(db.metadata.tables) | {VERSION_TABLE}


def backup(path: str) -> None:
    """Write a consistent copy of the running database to `path` (replacing the file, only once it is complete)."""
    url = db.engine.url
    partial = path + ".partial"
    try:
        if url.get_backend_name() == "sqlite":
            _sqlite_backup(_sqlite_file(url), partial)
        else:
            _run([_tool("pg_dump"), "--format=custom", f"--file={partial}", f"--dbname={_libpq_url(url)}"], url)
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)


def restore(path: str) -> Restored:
    """Check the backup at `path`, then make the database what it holds; nothing changes when the check fails."""
    if not os.path.isfile(path):
        raise BackupError(f"no backup file at {path}")
    url = db.engine.url
    db.session.remove()
    db.engine.dispose()  # this process's own connections hold no snapshot or lock during the restore
    if url.get_backend_name() == "sqlite":
        revision = _sqlite_check(path)
        _sqlite_restore(path, _sqlite_file(url))
    else:
        revision = _postgresql_check(path, url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--no-owner",
              f"--dbname={_libpq_url(url)}", path], url)
    return Restored(revision)


def _check_contents(tables: Iterable[str], revision: str | None, path: str) -> str:
    missing = expected_tables() - set(tables)
    if missing:
        raise BackupError(f"{path} is not a backup of the tracker: it lacks the tables {', '.join(sorted(missing))}")
    expected = expected_revision()
    if revision != expected:
        raise BackupError(f"{path} holds schema revision {revision}, this version of the tracker needs {expected}: "
                          f"restore it with the tracker version that wrote it, then run `tracker db upgrade`")
    return revision


# SQLite


def _sqlite_file(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("the database is in memory: there is nothing to back up or restore")
    return url.database


def _sqlite_backup(source_path: str, target_path: str) -> None:
    if os.path.realpath(target_path.removesuffix(".partial")) == os.path.realpath(source_path):
        raise BackupError("the backup cannot be written over the database itself")
    try:
        source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
        target = sqlite3.connect(target_path)
    except sqlite3.Error as error:
        raise BackupError(f"cannot open {target_path}: {error}") from None
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, without a -wal beside it
    except sqlite3.Error as error:
        raise BackupError(f"backup failed: {error}") from None
    finally:
        target.close()
        source.close()


def _sqlite_check(path: str) -> str:
    try:
        backup_db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            problems = [row[0] for row in backup_db.execute("PRAGMA integrity_check")]
            tables = [row[0] for row in backup_db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            revision = None
            if VERSION_TABLE in tables:
                revision = backup_db.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
                revision = revision[0] if revision else None
        finally:
            backup_db.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from None
    if problems != ["ok"]:
        raise BackupError(f"{path} is damaged: {problems[0]}")
    return _check_contents(tables, revision, path)


def _sqlite_restore(source_path: str, target_path: str) -> None:
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        target.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        source.backup(target)  # waits for the app's writer, then replaces every page in one step
        target.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise BackupError(f"restore failed: {error}") from None
    finally:
        target.close()
        source.close()


# PostgreSQL


def _tool(name: str) -> str:
    """The client program on PATH, else the newest in Debian's /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                      key=lambda candidate: int(re.sub(r"\D", "", candidate.split("/")[4]) or 0))
    if versions:
        return versions[-1]
    raise BackupError(f"{name} is not installed: install PostgreSQL's client programs (apt-get install "
                      f"postgresql-client, the server's version or newer) or put {name} on PATH, then run this again")


def _libpq_url(url: URL) -> str:
    """The database's URL as libpq reads it, without the password (passed in the environment, not on argv)."""
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)


def _run(command: list[str], url: URL) -> str:
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = str(url.password)
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        message = next((line for line in result.stderr.splitlines() if line.strip()), "failed")
        program = os.path.basename(command[0])
        raise BackupError(message if message.startswith(program) else f"{program}: {message}")
    return result.stdout


def _postgresql_check(path: str, url: URL) -> str:
    listing = _run([_tool("pg_restore"), "--list", path], url)
    tables = re.findall(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, flags=re.MULTILINE)
    revision = None
    if VERSION_TABLE in tables:
        data = _run([_tool("pg_restore"), "--data-only", f"--table={VERSION_TABLE}", "--file=-", path], url)
        found = re.search(r"^COPY \S+ \(version_num\) FROM stdin;\n(.+)$", data, flags=re.MULTILINE)
        revision = found.group(1) if found else None
    return _check_contents(tables, revision, path)
