"""Who sent figures, counted: per area and month from the reporting rollups (kept by `tracker.rollups`) or from
the detail, and how many units could have. Dashboards, the home page and the visitor overview read these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, exists, func, literal, select

from tracker.extensions import db
from tracker.models import Area, Exporter, ExportSale, ReportingRollup, VisitorCount
from tracker.periods import Month
from tracker.reference import NATION_CODE
from tracker.reporting import units


def reporters(metric: str, area_ids: Sequence[int], *, summed: bool) -> Select:
    """How many units (municipalities, exporters) sent any figure, per area and month: area_id, year, month, n.

    `metric` is a target's ("visitors" or "export_value"); `summed`: the areas are measured as the sum of the
    areas below them (from the rollups), else by their own figures."""
    if summed:
        r = ReportingRollup
        return select(r.area_id, r.year, r.month, r.reporters.label("n")).where(
            r.area_id.in_(area_ids), r.metric == metric)
    if metric == "visitors":
        c = VisitorCount
        return select(c.area_id, c.year, c.month, literal(1).label("n")).where(
            c.area_id.in_(area_ids)).group_by(c.area_id, c.year, c.month)
    return (
        select(Exporter.area_id, ExportSale.year, ExportSale.month,
               func.count(func.distinct(ExportSale.exporter_id)).label("n"))
        .join(Exporter, Exporter.id == ExportSale.exporter_id).where(Exporter.area_id.in_(area_ids))
        .group_by(Exporter.area_id, ExportSale.year, ExportSale.month)
    )


def reporting_units(metric: str, area_ids: Sequence[int], *, summed: bool) -> Select:
    """How many units could send figures, per area: area_id, n."""
    if metric == "visitors":
        if summed:
            return select(Area.parent_id.label("area_id"), func.count().label("n")).where(
                Area.parent_id.in_(area_ids), Area.level == "municipality").group_by(Area.parent_id)
        return select(Area.id.label("area_id"), literal(1).label("n")).where(Area.id.in_(area_ids))
    if summed:
        return (
            select(Area.parent_id.label("area_id"), func.count(Exporter.id).label("n"))
            .join(Exporter, Exporter.area_id == Area.id)
            .where(Area.parent_id.in_(area_ids), Area.level == "municipality").group_by(Area.parent_id)
        )
    return select(Exporter.area_id, func.count().label("n")).where(Exporter.area_id.in_(area_ids)).group_by(
        Exporter.area_id)


@dataclass(frozen=True)
class Reporting:
    month: Month
    reported: int
    expected: int


def reported_for(month: Month) -> Reporting:
    """How many of the units expected to report visitor figures (every municipality, or the listed areas) sent
    any for the month: the home page asks it of the latest month that is due, so those who did not are seen."""
    expected_ids = units.unit_ids("visitors").subquery()
    sent = exists().where(VisitorCount.area_id == expected_ids.c.id, VisitorCount.year == month.year,
                          VisitorCount.month == month.month)
    expected = db.session.scalar(select(func.count()).select_from(expected_ids)) or 0
    reported = db.session.scalar(select(func.count()).select_from(expected_ids).where(sent)) or 0
    return Reporting(month, reported, expected)


def reported_share(area: Area, year: int) -> dict[int, float]:
    """month -> the share of the municipalities in the area (all of them for the nation) that reported
    visitors, from the reporting rollups."""
    municipalities = select(func.count()).select_from(Area).where(Area.level == "municipality")
    if area.code != NATION_CODE:
        municipalities = municipalities.where(Area.parent_id == area.id)
    total = db.session.scalar(municipalities) or 0
    if not total or area.level == "municipality":
        return {}
    rows = db.session.execute(
        select(ReportingRollup.month, ReportingRollup.reporters)
        .where(ReportingRollup.area_id == area.id, ReportingRollup.year == year,
               ReportingRollup.metric == "visitors"))
    return {month: reporters / total for month, reporters in rows}
