"""Keep the rollups (sums of municipalities per prefecture and for the nation) in step with writes.

Every write of visitor counts calls `refresh_visitor_rollups`, and every write of export sales calls
`refresh_export_rollups`, with the months it touched, in the same transaction, so that the rollups always
equal the raw aggregate. A month's rollups are recomputed whole, under that month's write lock
(`tracker.database.lock_months`): concurrent writers of one month refresh it one after the other, each from
detail rows that include every write committed before it.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import Integer, and_, cast, delete, func, insert, literal, or_, select

from tracker.database import lock_months
from tracker.extensions import db
from tracker.models import (
    Area,
    Exporter,
    ExportProductRollup,
    ExportRollup,
    ExportSale,
    Product,
    ReportingRollup,
    VisitorCount,
    VisitorRollup,
)

_BATCH = 200
_FEW_MONTHS = 4


def refresh_visitor_rollups(months: Iterable[tuple[int, int]]) -> None:
    """Recompute the prefecture and national rollups of the given (year, month) pairs."""
    months = sorted(set(months))
    lock_months("visitors", months)
    for start in range(0, len(months), _BATCH):
        _refresh(months[start:start + _BATCH])


def rebuild_visitor_rollups() -> None:
    """Recompute every rollup from the detail (after a bulk load, or to repair)."""
    pairs = db.session.execute(select(VisitorCount.year, VisitorCount.month).distinct()).all()
    db.session.execute(delete(VisitorRollup))
    db.session.execute(delete(ReportingRollup).where(ReportingRollup.metric == "visitors"))
    refresh_visitor_rollups((year, month) for year, month in pairs)


def _refresh(months: list[tuple[int, int]]) -> None:
    nation_id = _nation_id()
    _delete(VisitorRollup, months)
    _delete(ReportingRollup, months, ReportingRollup.metric == "visitors")
    by_market = (
        select(Area.parent_id, VisitorCount.year, VisitorCount.month, VisitorCount.market_id,
               func.sum(VisitorCount.visitors), func.count())
        .join(Area, Area.id == VisitorCount.area_id)
        .where(Area.level == "municipality", _in_months(VisitorCount, months))
        .group_by(Area.parent_id, VisitorCount.year, VisitorCount.month, VisitorCount.market_id)
    )
    _roll_up(VisitorRollup, ["market_id"], ["visitors", "areas"], by_market, months, nation_id)
    # the months each area reported, grouped in the order of the unique key's index, which holds them all (no sort,
    # no look-up of the rows), then counted per prefecture: less than half the time of a count of distinct areas
    reported = (
        select(VisitorCount.area_id, VisitorCount.year, VisitorCount.month).where(_in_months(VisitorCount, months))
        .group_by(VisitorCount.area_id, VisitorCount.year, VisitorCount.month).subquery()
    )
    reporters = (
        select(Area.parent_id, reported.c.year, reported.c.month, literal("visitors"), func.count())
        .join_from(reported, Area, Area.id == reported.c.area_id).where(Area.level == "municipality")
        .group_by(Area.parent_id, reported.c.year, reported.c.month)
    )
    _roll_up(ReportingRollup, ["metric"], ["reporters"], reporters, months, nation_id,
             ReportingRollup.metric == "visitors")


def refresh_export_rollups(months: Iterable[tuple[int, int]]) -> None:
    """Recompute the prefecture and national export rollups of the given (year, month) pairs."""
    months = sorted(set(months))
    lock_months("exports", months)
    for start in range(0, len(months), _BATCH):
        _refresh_exports(months[start:start + _BATCH])


def rebuild_export_rollups() -> None:
    """Recompute every export rollup from the sales (after a bulk load, or to repair)."""
    pairs = db.session.execute(select(ExportSale.year, ExportSale.month).distinct()).all()
    db.session.execute(delete(ExportRollup))
    db.session.execute(delete(ExportProductRollup))
    db.session.execute(delete(ReportingRollup).where(ReportingRollup.metric == "export_value"))
    refresh_export_rollups((year, month) for year, month in pairs)


def _refresh_exports(months: list[tuple[int, int]]) -> None:
    nation_id = _nation_id()
    _delete(ExportRollup, months)
    _delete(ExportProductRollup, months)
    _delete(ReportingRollup, months, ReportingRollup.metric == "export_value")
    # the months' sales joined to their prefecture once for the three rollups (see `_materialized`). Each row is one
    # exporter's, so counts of distinct exporters stay exact; grouping the rows here would cost a sort and, with
    # few products of one exporter in one HS code, leave about as many
    sales = _materialized("rollup_export_sales", (
        select(Area.parent_id, ExportSale.year, ExportSale.month, ExportSale.exporter_id, ExportSale.destination_id,
               func.coalesce(Product.hs_code, "").label("hs_code"), ExportSale.value_jpy)
        .join(Exporter, Exporter.id == ExportSale.exporter_id).join(Area, Area.id == Exporter.area_id)
        .join(Product, Product.id == ExportSale.product_id)
        .where(Area.level == "municipality", _in_months(ExportSale, months))
    ))
    prefecture_month = (sales.c.parent_id, sales.c.year, sales.c.month)
    exporters = func.count(func.distinct(sales.c.exporter_id))
    by_destination = select(*prefecture_month, sales.c.destination_id, func.sum(sales.c.value_jpy), exporters) \
        .group_by(*prefecture_month, sales.c.destination_id)
    _roll_up(ExportRollup, ["destination_id"], ["value_jpy", "exporters"], by_destination, months, nation_id)
    by_product = select(*prefecture_month, sales.c.hs_code, func.sum(sales.c.value_jpy), exporters) \
        .group_by(*prefecture_month, sales.c.hs_code)
    _roll_up(ExportProductRollup, ["hs_code"], ["value_jpy", "exporters"], by_product, months, nation_id)
    reporters = select(*prefecture_month, literal("export_value"), exporters).group_by(*prefecture_month)
    _roll_up(ReportingRollup, ["metric"], ["reporters"], reporters, months, nation_id,
             ReportingRollup.metric == "export_value")
    if isinstance(sales, sa.Table):
        sales.drop(db.session.connection())


def _roll_up(rollup, keys: list[str], sums: list[str], municipal, months, nation_id: int, *where) -> None:
    """Insert the prefectures' rows (`municipal` selects parent, year, month, keys, sums of the municipalities),
    then the nation's as the sums of the prefectures'. Each municipality lies in one prefecture, so counts of
    distinct municipalities or exporters add up exactly."""
    columns = ["area_id", "year", "month", *keys, *sums]
    db.session.execute(insert(rollup).from_select(columns, municipal))
    key_columns = [getattr(rollup, key) for key in keys]
    national = (
        select(literal(nation_id), rollup.year, rollup.month, *key_columns,
               *(func.sum(getattr(rollup, column)) for column in sums))
        .where(_in_months(rollup, months), rollup.area_id != nation_id, *where)
        .group_by(rollup.year, rollup.month, *key_columns)
    )
    db.session.execute(insert(rollup).from_select(columns, national))


def _materialized(name: str, rows):
    """`rows` (a select of labelled columns) for several statements to read. On SQLite, a temporary table filled
    with them, which the caller drops when done (a rollback drops it too): reading the sales through the index of
    their months cost each rollup as much again as its grouping, three times over. On PostgreSQL, a subquery: it
    scans and joins them in less time than writing them to a table takes."""
    if db.session.get_bind().dialect.name != "sqlite":
        return rows.subquery(name)
    table = sa.Table(name, sa.MetaData(), *(sa.Column(column.name, column.type) for column in rows.selected_columns),
                     prefixes=["TEMPORARY"])
    connection = db.session.connection()
    table.drop(connection, checkfirst=True)
    table.create(connection)
    db.session.execute(insert(table).from_select(list(table.c.keys()), rows))
    return table


def _delete(rollup, months: list[tuple[int, int]], *where) -> None:
    stale = delete(rollup).where(_in_months(rollup, months), *where).execution_options(synchronize_session=False)
    db.session.execute(stale)


def _nation_id() -> int:
    return db.session.scalar(select(Area.id).where(Area.level == "nation"))


def _in_months(model, months: list[tuple[int, int]]):
    """The rows of the given months. Over a few months, each (year, month) pair; over many (an import's), one
    look-up of year * 100 + month in the set per row: an OR of 200 pairs, tried row by row over a million rows,
    took most of a national import's rollup refresh. The year and month sets keep the indexes usable."""
    if len(months) <= _FEW_MONTHS:
        return or_(*(and_(model.year == year, model.month == month) for year, month in months))
    return and_(model.year.in_(sorted({year for year, _month in months})),
                model.month.in_(sorted({month for _year, month in months})),
                (cast(model.year, Integer) * 100 + cast(model.month, Integer))
                .in_([year * 100 + month for year, month in months]))
