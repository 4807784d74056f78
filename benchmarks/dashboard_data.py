"""National-scale data for the dashboard benchmark: ~1,700 municipalities x 17 years x 20 markets of visitor
counts (about 6.9 million rows) and 3,000 exporters' sales over 6 years (about 2 million rows).

Rows go straight in through the driver (executemany on SQLite, COPY on PostgreSQL): the point is the
volume, not the import path. The rollups are then rebuilt by the app's own code, a year at a time.

    DATABASE_URL=sqlite:////tmp/national.sqlite .venv/bin/python -m benchmarks.dashboard_data
"""

from __future__ import annotations

import io
import random
import time

from sqlalchemy import func, select

from tracker import create_app
from tracker.areas.codes import check_digit
from tracker.extensions import db
from tracker.models import Area, ExportSale, Market, VisitorCount
from tracker.reference import NATION_CODE
from tracker.rollups import refresh_export_rollups, refresh_visitor_rollups

MUNICIPALITIES_PER_PREFECTURE = 36
VISITOR_YEARS = range(2003, 2020)
MARKETS = ("KR", "CN", "TW", "HK", "US", "TH", "AU", "GB", "FR", "DE", "SG", "MY", "PH", "VN", "ID", "IN", "CA",
           "IT", "ES", "ZZ")
EXPORTERS = 3_000
PRODUCTS_PER_EXPORTER = 2
EXPORT_YEARS = range(2019, 2025)
DESTINATIONS = ("US", "HK", "TW", "CN", "KR", "SG", "TH", "VN", "AU", "GB", "FR", "DE", "CA", "MY", "PH", "ID")
HS_CODES = ("220600", "220890", "090210", "020130", "030389", "080810", "080610", "210390", "190590", "441900",
            "691200", "200899", "170490", "100630", "220300")
TIMESTAMP = "2025-01-01 00:00:00+00:00"
BATCH = 200_000


def main() -> None:
    app = create_app()
    with app.app_context():
        if db.session.scalar(select(func.count()).select_from(VisitorCount)):
            print("the database already holds visitor counts: nothing generated")
            return
        started = time.perf_counter()
        rng = random.Random(2016)
        markets = dict(db.session.execute(select(Market.code, Market.id)).all())
        nation_id, municipalities = _areas()
        _bulk("visitor_counts", ("area_id", "year", "month", "market_id", "visitors", "status", "version",
                                 "updated_at"), _visitor_rows(rng, nation_id, municipalities, markets))
        print(f"visitor counts: {_count(VisitorCount):,} rows ({time.perf_counter() - started:.0f} s)")
        products = _exporters(rng, municipalities)
        _bulk("export_sales", ("exporter_id", "product_id", "year", "month", "destination_id", "value_jpy", "version",
                               "updated_at"), _sale_rows(rng, products, markets))
        print(f"export sales: {_count(ExportSale):,} rows ({time.perf_counter() - started:.0f} s)")
        for year in VISITOR_YEARS:
            refresh_visitor_rollups((year, month) for month in range(1, 13))
            db.session.commit()
        for year in EXPORT_YEARS:
            refresh_export_rollups((year, month) for month in range(1, 13))
            db.session.commit()
        print(f"rollups rebuilt ({time.perf_counter() - started:.0f} s)")


def _areas() -> tuple[int, list[int]]:
    nation_id = db.session.scalar(select(Area.id).where(Area.code == NATION_CODE))
    prefectures = db.session.execute(select(Area.id, Area.code).where(Area.level == "prefecture")).all()
    for prefecture_id, code in prefectures:
        for number in range(MUNICIPALITIES_PER_PREFECTURE):
            code5 = f"{code[:2]}{201 + number * 7:03d}"
            db.session.add(Area(code=code5 + str(check_digit(code5)), level="municipality", parent_id=prefecture_id,
                                name_ja=f"合成市{code5}", name_en=f"Synthetic {code5}"))
    db.session.commit()
    return nation_id, list(db.session.scalars(select(Area.id).where(Area.level == "municipality")))


def _visitor_rows(rng, nation_id, municipalities, markets):
    market_ids = [markets[code] for code in MARKETS]
    for year in VISITOR_YEARS:
        growth = 1.08 ** (year - VISITOR_YEARS.start)
        for month in range(1, 13):
            for market_id in market_ids:
                yield (nation_id, year, month, market_id, int(150_000 * growth * rng.uniform(0.5, 1.5)), "final", 1,
                       TIMESTAMP)
    for area_id in municipalities:
        base = rng.randint(50, 5_000)
        for year in VISITOR_YEARS:
            growth = 1.08 ** (year - VISITOR_YEARS.start)
            for month in range(1, 13):
                for market_id in market_ids:
                    yield (area_id, year, month, market_id, int(base * growth * rng.uniform(0.2, 1.8)), "final", 1,
                           TIMESTAMP)


def _exporters(rng, municipalities) -> list[tuple[int, int]]:
    """(exporter id, product id) pairs."""
    connection = db.session.connection()
    exporters = [{"name": f"合成輸出者{i:05d}", "area_id": rng.choice(municipalities), "contact": ""}
                 for i in range(EXPORTERS)]
    connection.execute(Area.metadata.tables["exporters"].insert(), exporters)
    ids = dict(connection.execute(select(Area.metadata.tables["exporters"].c.name,
                                         Area.metadata.tables["exporters"].c.id)).all())
    products = [{"exporter_id": ids[e["name"]], "name_ja": f"特産品{n}", "name_en": f"Product {n}",
                 "hs_code": rng.choice(HS_CODES), "origin_area_id": e["area_id"], "default_unit": "kg"}
                for e in exporters for n in range(PRODUCTS_PER_EXPORTER)]
    table = Area.metadata.tables["products"]
    connection.execute(table.insert(), products)
    db.session.commit()
    return [tuple(row) for row in db.session.execute(select(table.c.exporter_id, table.c.id)).all()]


def _sale_rows(rng, products, markets):
    for exporter_id, product_id in products:
        destinations = rng.sample(DESTINATIONS, rng.randint(3, 6))
        base = rng.randint(50_000, 2_000_000)
        for year in EXPORT_YEARS:
            growth = 1.1 ** (year - EXPORT_YEARS.start)
            for month in range(1, 13):
                for code in destinations:
                    yield (exporter_id, product_id, year, month, markets[code],
                           int(base * growth * rng.uniform(0.3, 1.7)), 1, TIMESTAMP)


def _bulk(table: str, columns: tuple[str, ...], rows) -> None:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        if db.engine.dialect.name == "postgresql":
            _copy(cursor, table, columns, rows)
        else:
            statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    cursor.executemany(statement, batch)
                    batch.clear()
            cursor.executemany(statement, batch)
        raw.commit()
    finally:
        raw.close()


def _copy(cursor, table, columns, rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for count, row in enumerate(rows, start=1):
            buffer.write("\t".join(str(value) for value in row) + "\n")
            if count % BATCH == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


if __name__ == "__main__":
    main()
