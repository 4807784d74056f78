"""The export import at national scale, against a raw executemany of the same rows.

Creates a fresh database (a SQLite file, or a new PostgreSQL database on the server of --postgres), loads the
municipalities of the shared code list, then runs in a child process each (so that each peak RSS is its own):

1. the first import of the file (an admin's: it creates the 2,000 exporters and 4,000 products, then every sale);
2. the same file again (idempotence: every row unchanged, nothing written);
3. the raw baseline: the driver's executemany in batches of 5,000 into an empty table shaped like export_sales
   (same unique key), one transaction; only the execute calls and the commit are timed, as in the visitor
   benchmark (the csv module and the id look-ups are left out); no checks, no revisions, no rollups.

    .venv/bin/python -m benchmarks.exports_data /tmp/exports_national.csv
    .venv/bin/python -m benchmarks.exports_import /tmp/exports_national.csv
    .venv/bin/python -m benchmarks.exports_import /tmp/exports_national.csv \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing
import os
import resource
import tempfile
import time
import uuid

import sqlalchemy as sa

from benchmarks.visitors_data import SHARED_CODES

RAW_BATCH = 5_000
RAW_TABLE = """CREATE TABLE bench_raw_sales (
    id INTEGER PRIMARY KEY, exporter_id INTEGER NOT NULL, product_id INTEGER NOT NULL, year SMALLINT NOT NULL,
    month SMALLINT NOT NULL, destination_id INTEGER NOT NULL, value_jpy BIGINT NOT NULL, quantity NUMERIC(18, 3),
    unit VARCHAR(3), UNIQUE (exporter_id, product_id, year, month, destination_id))"""
RAW_TABLE_PG = RAW_TABLE.replace("id INTEGER PRIMARY KEY", "id SERIAL PRIMARY KEY")


def _app(url: str):
    from tracker import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark"})


def prepare(url: str) -> None:
    from flask_migrate import upgrade

    from tracker.areas.services import import_areas
    from tracker.extensions import db

    with _app(url).app_context():
        upgrade()
        with open(SHARED_CODES, "rb") as codes:
            import_areas(codes, "jp_municipalities_lgcode.csv")
        db.session.commit()


def run_import(url: str, path: str) -> dict:
    from tracker.exports.importer import import_exports
    from tracker.extensions import db

    with _app(url).app_context():
        started = time.perf_counter()
        with open(path, "rb") as stream:
            result, importer = import_exports(stream, os.path.basename(path), None)
        if not result.ok:
            raise SystemExit(f"the file was refused: {result.errors[:3]}")
        db.session.commit()
        seconds = time.perf_counter() - started
        return {"rows": result.rows, "seconds": seconds, "summary": result.summary(),
                "new": f"{len(importer.created_exporters)} exporters, {len(importer.created_products)} products"}


def run_raw(url: str, path: str) -> dict:
    from tracker.extensions import db

    with _app(url).app_context():
        connection = db.session.connection()
        postgres = connection.dialect.name == "postgresql"
        exporters = dict(connection.execute(sa.text("SELECT name, id FROM exporters")).all())
        products = {(exporter_id, name): product_id for exporter_id, name, product_id in connection.execute(
            sa.text("SELECT exporter_id, name_ja, id FROM products")).all()}
        markets = dict(connection.execute(sa.text("SELECT code, id FROM markets")).all())
        connection.execute(sa.text(RAW_TABLE_PG if postgres else RAW_TABLE))
        db.session.commit()
        placeholder = "%s" if postgres else "?"
        insert = ("INSERT INTO bench_raw_sales (exporter_id, product_id, year, month, destination_id, value_jpy, "
                  f"quantity, unit) VALUES ({', '.join([placeholder] * 8)})")
        connection = db.session.connection()
        rows, batch, seconds = 0, [], 0.0
        with open(path, encoding="utf-8", newline="") as source:
            for record in csv.DictReader(source):
                exporter_id = exporters[record["exporter"]]
                batch.append((exporter_id, products[(exporter_id, record["product"])], int(record["year"]),
                              int(record["month"]), markets[record["destination"]], int(record["value_jpy"]),
                              record["quantity"] or None, record["unit"] or None))
                if len(batch) >= RAW_BATCH:
                    seconds += _timed(connection.exec_driver_sql, insert, batch)
                    rows, batch = rows + len(batch), []
        if batch:
            seconds += _timed(connection.exec_driver_sql, insert, batch)
            rows += len(batch)
        seconds += _timed(db.session.commit)
        db.session.execute(sa.text("DROP TABLE bench_raw_sales"))
        db.session.commit()
        return {"rows": rows, "seconds": seconds}


def _timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def _child(function, args, queue) -> None:
    outcome = function(*args) or {}
    outcome["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(outcome)


def in_child(function, *args) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(function, args, queue))
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{function.__name__} failed (exit code {process.exitcode})")
    return queue.get()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--postgres", metavar="SERVER_URL", help="run on a new database on this PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        if args.postgres:
            server = sa.create_engine(args.postgres, isolation_level="AUTOCOMMIT")
            name = f"tracker_bench_{uuid.uuid4().hex[:8]}"
            with server.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
            url = sa.make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
        else:
            server, url = None, f"sqlite:///{os.path.join(scratch, 'bench.sqlite')}"
        try:
            _report(url, args.path)
        finally:
            if server is not None:
                with server.connect() as connection:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                server.dispose()


def _report(url: str, path: str) -> None:
    in_child(prepare, url)
    backend = sa.make_url(url).get_backend_name()
    first = in_child(run_import, url, path)
    again = in_child(run_import, url, path)
    raw = in_child(run_raw, url, path)
    raw_rate = raw["rows"] / raw["seconds"]
    print(f"backend {backend}, {first['rows']:,} rows, {os.path.getsize(path) / 1e6:.0f} MB")
    for label, outcome in (("first import", first), ("same file again", again)):
        rate = outcome["rows"] / outcome["seconds"]
        print(f"{label:<16} {outcome['seconds']:7.1f} s {rate:>9,.0f} rows/s  {rate / raw_rate:5.2f} x raw  "
              f"peak RSS {outcome['peak_rss_mb']:5.0f} MB  ({outcome['summary']}; new: {outcome['new']})")
    print(f"{'raw executemany':<16} {raw['seconds']:7.1f} s {raw_rate:>9,.0f} rows/s  {1:5.2f} x raw  "
          f"peak RSS {raw['peak_rss_mb']:5.0f} MB")


if __name__ == "__main__":
    main()
