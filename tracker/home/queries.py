"""Reads for the home page: plain rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Area, Exporter, ImportBatch, VisitorCount

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
