"""Who reports: an area for visitor figures (every municipality, or the areas an admin listed), an exporter for
export sales; and the due-date rule that applies to each."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, select

from tracker.areas.queries import in_subtree
from tracker.extensions import db
from tracker.formatting import area_name, own_name
from tracker.models import (
    Area,
    DueException,
    Exporter,
    ExportSale,
    ReportingRule,
    ReportingUnitArea,
    VisitorCount,
)
from tracker.periods import Month
from tracker.reporting.deadlines import DEFAULT_RULES, DueRule


@dataclass(frozen=True)
class Unit:
    """One reporting unit: an area (visitors) or an exporter (exports)."""

    metric: str
    area: Area | None = None
    exporter: Exporter | None = None

    @classmethod
    def of(cls, subject: Area | Exporter) -> Unit:
        if isinstance(subject, Area):
            return cls("visitors", area=subject)
        return cls("exports", exporter=subject)

    @property
    def id(self) -> int:
        return self.area.id if self.area is not None else self.exporter.id

    @property
    def key(self) -> str:
        """How the unit is named in URLs and revision keys: the area code, or the exporter's id."""
        return self.area.code if self.area is not None else str(self.exporter.id)

    def name(self) -> str:
        """In the active language: the area's name, or the exporter's."""
        return area_name(self.area) if self.area is not None else own_name(self.exporter)

    @property
    def home_area(self) -> Area:
        """Where the unit sits: the area itself, or the exporter's municipality."""
        return self.area if self.area is not None else self.exporter.area


def rule(metric: str) -> DueRule:
    """The metric's rule as an admin set it, else the default."""
    stored = db.session.get(ReportingRule, metric)
    return DueRule(stored.months_after, stored.day) if stored is not None else DEFAULT_RULES[metric]


def lists_units(metric: str) -> bool:
    stored = db.session.get(ReportingRule, metric)
    return stored is not None and stored.listed_units


def exceptions(metric: str) -> dict[int, DueRule]:
    """The units' own rules, by area id (visitors) or exporter id (exports)."""
    column = DueException.area_id if metric == "visitors" else DueException.exporter_id
    rows = db.session.execute(select(column, DueException.months_after, DueException.day)
                              .where(DueException.metric == metric))
    return {unit_id: DueRule(months_after, day) for unit_id, months_after, day in rows}


def unit_ids(metric: str, area_ids: list[int] | None = None) -> Select:
    """SELECT of the ids of the units expected to report, in or below the areas (None: everywhere)."""
    if metric == "visitors":
        if lists_units("visitors"):
            query = select(ReportingUnitArea.area_id.label("id"))
            return query if area_ids is None else query.where(in_subtree(ReportingUnitArea.area_id, area_ids))
        query = select(Area.id.label("id")).where(Area.level == "municipality")
        return query if area_ids is None else query.where(in_subtree(Area.id, area_ids))
    query = select(Exporter.id.label("id"))
    return query if area_ids is None else query.where(in_subtree(Exporter.area_id, area_ids))


def is_unit(unit: Unit) -> bool:
    """Whether the area is expected to report (every exporter is)."""
    if unit.metric == "exports":
        return True
    if lists_units("visitors"):
        return db.session.get(ReportingUnitArea, unit.id) is not None
    return unit.area.level == "municipality"


def has_figures(unit: Unit, month: Month) -> bool:
    if unit.metric == "visitors":
        where = (VisitorCount.area_id == unit.id, VisitorCount.year == month.year, VisitorCount.month == month.month)
    else:
        where = (ExportSale.exporter_id == unit.id, ExportSale.year == month.year, ExportSale.month == month.month)
    return bool(db.session.scalar(select(exists().where(*where))))
