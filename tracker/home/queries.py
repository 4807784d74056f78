"""Reads for the home page: plain rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.charts import Table
from tracker.extensions import db
from tracker.models import Area, Exporter, ExportSale, ImportBatch, VisitorCount
from tracker.periods import Month

DEMO_BATCH_KIND = "demo"


@dataclass(frozen=True)
class AnnualTotal:
    year: int
    visitors: int
    months: int


def demo_loaded() -> bool:
    return db.session.scalar(select(ImportBatch.id).where(ImportBatch.kind == DEMO_BATCH_KIND).limit(1)) is not None


def annual_totals(area: Area, last: int = 10) -> list[AnnualTotal]:
    """The area's own reported series by calendar year, newest first."""
    rows = db.session.execute(
        select(
            VisitorCount.year,
            func.sum(VisitorCount.visitors),
            func.count(func.distinct(VisitorCount.month)),
        )
        .where(VisitorCount.area_id == area.id)
        .group_by(VisitorCount.year)
        .order_by(VisitorCount.year.desc())
        .limit(last)
    )
    return [AnnualTotal(year, int(total), months) for year, total, months in rows]


def counts() -> dict[str, int]:
    return {
        "municipalities": db.session.scalar(select(func.count()).where(Area.level == "municipality")) or 0,
        "exporters": db.session.scalar(select(func.count(Exporter.id))) or 0,
    }


def own_sales(exporter_id: int, last: Month, months: int = 12) -> Table:
    """An exporter's sales by month up to `last`, beside the same month a year earlier (None: no sale recorded)."""
    first = last.shift(-(months + 11))
    rows = db.session.execute(
        select(ExportSale.year, ExportSale.month, func.sum(ExportSale.value_jpy))
        .where(ExportSale.exporter_id == exporter_id, ExportSale.year.between(first.year, last.year))
        .group_by(ExportSale.year, ExportSale.month)
    )
    totals = {Month(year, month): int(total) for year, month, total in rows}  # whole years: the months outside unused
    shown = [last.shift(offset) for offset in range(1 - months, 1)]
    return Table(("Month", "Sales (yen)", "Same month a year earlier (yen)"),
                 tuple((str(month), totals.get(month), totals.get(month.shift(-12))) for month in shown))
