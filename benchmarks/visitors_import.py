"""Import rows per second through `tracker import visitors` against a raw Core executemany of the same rows into
the same schema and against a bare sqlite3 executemany into a table with only the unique key (the issue's
yardstick), and the CLI's peak memory, on SQLite and (with --postgresql URL) on PostgreSQL. On SQLite it also
times that bare insert into `visitor_counts` as migrated (three indexes, checks, foreign keys), and the floor of
any import into that table: the csv module reading the file, an executemany into a staging table and one
INSERT ... SELECT into `visitor_counts`, with no check, warning, revision or rollup (the import does all of these).

    .venv/bin/python -m benchmarks.visitors_data /tmp/v1m.csv --rows 1000000
    .venv/bin/python -m benchmarks.visitors_data /tmp/v100k.csv --rows 100000
    .venv/bin/python -m benchmarks.visitors_import /tmp/v1m.csv --memory /tmp/v100k.csv \
        --postgresql postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Each measurement runs in its own process on a freshly migrated database holding the municipalities, so that
peak memory (ru_maxrss) is the measured path's own. The raw insert times only its executemany calls (CSV parsing
and id look-ups excluded), and so does the bare sqlite3 insert (always SQLite: it is the yardstick of both backends);
the CLI is timed end to end (reading, validation, staging, duplicate check, outlier
warnings, upsert, revisions, rollups, commit).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid

import sqlalchemy as sa

from benchmarks.visitors_data import SHARED_CODES

RAW_BATCH = 10_000


def _prepare(url: str) -> None:
    """Migrate the database and load the code list of municipalities, as a real install would."""
    from flask_migrate import upgrade

    from tracker import create_app
    from tracker.areas.services import import_areas
    from tracker.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TRACKER_DEMO": True})
    with app.app_context():
        upgrade()
        with open(SHARED_CODES, "rb") as stream:
            import_areas(stream, "jp_municipalities_lgcode.csv")
        db.session.commit()
        db.engine.dispose()


def _raw(url: str, path: str) -> dict:
    """executemany of the file's rows into visitor_counts in one transaction."""
    from tracker.models import VisitorCount

    engine = sa.create_engine(url)
    table = VisitorCount.__table__
    with engine.begin() as connection:
        areas = dict(connection.execute(sa.text("SELECT code, id FROM areas")).all())
        markets = dict(connection.execute(sa.text("SELECT code, id FROM markets")).all())
    elapsed, rows = 0.0, 0
    with engine.begin() as connection, open(path, encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        batch = []
        for code, year, month, market, visitors, status in reader:
            batch.append({"area_id": areas[code], "year": int(year), "month": int(month),
                          "market_id": markets[market], "visitors": int(visitors), "status": status,
                          "version": 1})
            if len(batch) == RAW_BATCH:
                elapsed += _timed_insert(connection, table, batch)
                rows += len(batch)
                batch = []
        if batch:
            elapsed += _timed_insert(connection, table, batch)
            rows += len(batch)
        start = time.perf_counter()
    elapsed += time.perf_counter() - start  # the commit
    engine.dispose()
    return {"rows": rows, "seconds": elapsed}


BARE_TABLE = """CREATE TABLE visitor_counts (area_id INTEGER NOT NULL, year INTEGER NOT NULL, month INTEGER NOT NULL,
    market_id INTEGER NOT NULL, visitors INTEGER NOT NULL, status TEXT NOT NULL,
    UNIQUE (area_id, year, month, market_id))"""


def _bare(url: str, path: str) -> dict:
    """The issue's yardstick: the standard library's sqlite3 `executemany` of the same rows into a table with only
    the unique key, in its own file beside the measured database, one transaction, the app's journal settings.
    Only the executemany calls and the commit are timed, as for the raw insert."""
    import sqlite3

    codes: dict[str, int] = {}
    markets: dict[str, int] = {}
    bare_path = os.path.join(os.path.dirname(sa.make_url(url).database or tempfile.gettempdir()), "bare.sqlite")
    connection = sqlite3.connect(bare_path)
    connection.execute(BARE_TABLE)
    return _bare_inserts(connection, "INSERT INTO visitor_counts VALUES (?, ?, ?, ?, ?, ?)", path,
                         lambda code, market: (codes.setdefault(code, len(codes) + 1),
                                               markets.setdefault(market, len(markets) + 1)))


FIGURE_COLUMNS = "area_id, year, month, market_id, visitors, status, version, updated_at"


def _bare_schema(url: str, path: str) -> dict:
    """The floor of writing the import's own table: the same bare sqlite3 `executemany`, into `visitor_counts` as
    migrated (its key, its two other indexes, its checks and foreign keys, on), in the measured database."""
    import sqlite3

    connection = sqlite3.connect(sa.make_url(url).database)
    connection.execute("PRAGMA foreign_keys = ON")
    areas = dict(connection.execute("SELECT code, id FROM areas"))
    markets = dict(connection.execute("SELECT code, id FROM markets"))
    return _bare_inserts(connection, f"INSERT INTO visitor_counts ({FIGURE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 1, "
                                     f"'2026-01-01 00:00:00')",
                         path, lambda code, market: (areas[code], markets[market]))



def _floor(url: str, path: str) -> dict:
    """The least any import of the file into `visitor_counts` as migrated can do, with no check, warning, revision or
    rollup: read the file with the csv module into rows of ids, `executemany` them into a staging table, and
    `INSERT ... SELECT` that into `visitor_counts` inside SQLite (faster than an `executemany` into it: no row
    crosses from Python to the indexed table). Each step is timed; the three add up to the floor."""
    import sqlite3

    connection = sqlite3.connect(sa.make_url(url).database)
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    areas = dict(connection.execute("SELECT code, id FROM areas"))
    markets = dict(connection.execute("SELECT code, id FROM markets"))
    connection.execute("CREATE TEMP TABLE staging (area_id, year, month, market_id, visitors, status)")
    start = time.perf_counter()
    with open(path, encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        rows = [(areas[code], int(year), int(month), markets[market], int(visitors), status)
                for code, year, month, market, visitors, status in reader]
    read = time.perf_counter()
    for offset in range(0, len(rows), RAW_BATCH):
        connection.executemany("INSERT INTO staging VALUES (?, ?, ?, ?, ?, ?)", rows[offset:offset + RAW_BATCH])
    staged = time.perf_counter()
    connection.execute(f"INSERT INTO visitor_counts ({FIGURE_COLUMNS}) SELECT area_id, year, month, market_id, "
                       f"visitors, status, 1, '2026-01-01 00:00:00' FROM staging")
    connection.commit()
    written = time.perf_counter()
    connection.close()
    return {"rows": len(rows), "seconds": written - start, "read": read - start, "staged": staged - read,
            "written": written - staged}


def _bare_inserts(connection, insert: str, path: str, ids) -> dict:
    """The file's rows through `executemany` in batches, one transaction, the app's journal settings; only the
    executemany calls and the commit are timed. `ids(area code, market code)` gives the two ids of a row."""
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    elapsed, rows = 0.0, 0
    with open(path, encoding="utf-8", newline="") as source:
        reader = csv.reader(source)
        next(reader)
        batch = []
        for code, year, month, market, visitors, status in reader:
            area_id, market_id = ids(code, market)
            batch.append((area_id, int(year), int(month), market_id, int(visitors), status))
            if len(batch) == RAW_BATCH:
                elapsed += _timed_bare(connection, insert, batch)
                rows += len(batch)
                batch = []
        if batch:
            elapsed += _timed_bare(connection, insert, batch)
            rows += len(batch)
    start = time.perf_counter()
    connection.commit()
    elapsed += time.perf_counter() - start
    connection.close()
    return {"rows": rows, "seconds": elapsed}


def _timed_bare(connection, insert: str, batch: list[tuple]) -> float:
    start = time.perf_counter()
    connection.executemany(insert, batch)
    return time.perf_counter() - start


def _timed_insert(connection, table, batch) -> float:
    start = time.perf_counter()
    connection.execute(table.insert(), batch)
    return time.perf_counter() - start


def _cli(url: str, path: str) -> dict:
    """`tracker import visitors FILE`, in this process so that its peak memory can be read."""
    os.environ["DATABASE_URL"] = url
    os.environ["TRACKER_DEMO"] = "1"
    from tracker.cli import main

    start = time.perf_counter()
    main.main(args=["import", "visitors", path], standalone_mode=False)
    elapsed = time.perf_counter() - start
    with open(path, "rb") as source:
        rows = sum(1 for _line in source) - 1
    return {"rows": rows, "seconds": elapsed}


def _child(mode: str, url: str, path: str) -> None:
    if mode == "bare":
        result = _bare(url, path)
    else:
        _prepare(url)
        result = {"raw": _raw, "cli": _cli, "schema": _bare_schema, "floor": _floor}[mode](url, path)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))


def _run(mode: str, url: str, path: str) -> dict:
    process = subprocess.run([sys.executable, "-m", "benchmarks.visitors_import", "--child", mode, "--url", url, path],
                             capture_output=True, text=True, check=False)
    for line in process.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError(f"{mode} failed:\n{process.stdout[-2000:]}\n{process.stderr[-2000:]}")


class _Database:
    """A fresh database for one measurement: a temporary SQLite file, or a new PostgreSQL database."""

    def __init__(self, server_url: str | None):
        self._server = server_url
        self._name = f"tracker_bench_{uuid.uuid4().hex[:8]}"
        self._directory = None

    def __enter__(self) -> str:
        if self._server is None:
            self._directory = tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP"))
            return f"sqlite:///{self._directory.name}/bench.sqlite"
        self._admin(f'CREATE DATABASE "{self._name}"')
        return sa.make_url(self._server).set(database=self._name).render_as_string(hide_password=False)

    def __exit__(self, *exc_info) -> None:
        if self._directory is not None:
            self._directory.cleanup()
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        engine = sa.create_engine(self._server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(statement))
        engine.dispose()


def _measure(backend: str, server: str | None, path: str, memory_paths: list[str]) -> None:
    with _Database(None) as url:
        bare = _run("bare", url, path)
    with _Database(server) as url:
        raw = _run("raw", url, path)
    with _Database(server) as url:
        cli = _run("cli", url, path)
    bare_rate = bare["rows"] / bare["seconds"]
    raw_rate, cli_rate = raw["rows"] / raw["seconds"], cli["rows"] / cli["seconds"]
    print(f"{backend:<10} rows {cli['rows']:>10,}  raw executemany {raw_rate:>10,.0f} rows/s  "
          f"tracker import visitors {cli_rate:>10,.0f} rows/s  ratio {cli_rate / raw_rate:.2f}  "
          f"peak {cli['peak_mb']:,.0f} MB")
    print(f"{backend:<10} rows {cli['rows']:>10,}  bare sqlite3 {bare_rate:>10,.0f} rows/s  "
          f"tracker import visitors {cli_rate:>10,.0f} rows/s  ratio {cli_rate / bare_rate:.2f}")
    if server is None:
        with _Database(None) as url:
            schema = _run("schema", url, path)
        schema_rate = schema["rows"] / schema["seconds"]
        print(f"{backend:<10} rows {cli['rows']:>10,}  bare sqlite3 into visitor_counts {schema_rate:>10,.0f} rows/s  "
              f"({schema_rate / bare_rate:.2f} x bare)  tracker import visitors ratio {cli_rate / schema_rate:.2f}")
        with _Database(None) as url:
            floor = _run("floor", url, path)
        floor_rate = floor["rows"] / floor["seconds"]
        print(f"{backend:<10} rows {cli['rows']:>10,}  floor {floor_rate:>10,.0f} rows/s "
              f"({floor_rate / bare_rate:.2f} x bare): "
              f"csv read {floor['read']:.2f} s, staging executemany {floor['staged']:.2f} s, insert-select into "
              f"visitor_counts {floor['written']:.2f} s; 0.5 x bare allows {floor['rows'] / bare_rate * 2:.2f} s")
    for memory_path in memory_paths:
        with _Database(server) as url:
            small = _run("cli", url, memory_path)
        print(f"{backend:<10} rows {small['rows']:>10,}  tracker import visitors "
              f"{small['rows'] / small['seconds']:>10,.0f} rows/s  peak {small['peak_mb']:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="a file written by benchmarks.visitors_data")
    parser.add_argument("--memory", action="append", default=[], help="smaller files: peak memory of their import")
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL server URL (a database is created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--child", choices=["bare", "raw", "cli", "schema", "floor"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.url, args.path)
        return
    if not args.skip_sqlite:
        _measure("sqlite", None, args.path, args.memory)
    if args.postgresql:
        _measure("postgresql", args.postgresql, args.path, args.memory)


if __name__ == "__main__":
    main()
