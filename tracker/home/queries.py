"""Reads for the home page: plain rows."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Area, Exporter, ImportBatch, ReportingRollup, VisitorCount
from tracker.periods import Month
from tracker.reference import NATION_CODE

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


@dataclass(frozen=True)
class Reporting:
    month: Month
    municipalities: int


def counts() -> dict[str, int]:
    return {
        "municipalities": db.session.scalar(select(func.count()).where(Area.level == "municipality")) or 0,
        "exporters": db.session.scalar(select(func.count(Exporter.id))) or 0,
    }


def latest_reporting() -> Reporting | None:
    """How many municipalities reported visitors for the latest month any did, from the reporting rollups: a
    count over the figures themselves would read millions of rows on every visit of the home page."""
    row = db.session.execute(
        select(ReportingRollup.year, ReportingRollup.month, ReportingRollup.reporters)
        .join(Area, Area.id == ReportingRollup.area_id)
        .where(Area.code == NATION_CODE, ReportingRollup.metric == "visitors")
        .order_by(ReportingRollup.year.desc(), ReportingRollup.month.desc()).limit(1)
    ).first()
    return Reporting(Month(row.year, row.month), row.reporters) if row is not None else None
