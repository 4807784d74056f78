"""Approved months are locked: every write path asks here before it writes a unit's month."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import and_, select, tuple_

from tracker.extensions import db
from tracker.formatting import area_name, month_label
from tracker.imports.pipeline import ImportResult, Issue
from tracker.models import Area, Exporter, ReportingMonth
from tracker.periods import Month


class MonthLocked(ValueError):
    """A write touches approved months; `message` names each unit and month."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class LockedLine(Issue):
    """A line of an import that would write an approved month."""


def locked_message(unit_name: str, year: int, month: int) -> str:
    return _("%(unit)s, %(month)s is approved and locked: ask an approver to reopen it before changing its figures.",
             unit=unit_name, month=month_label(year, month))


def refuse_locked(metric: str, units: Iterable[Area | Exporter], months: Iterable[Month]) -> None:
    """Raise MonthLocked when any of the units' months is approved; the write path turns it into its own refusal."""
    by_id = {unit.id: unit for unit in units}
    wanted = {(month.year, month.month) for month in months}
    if not by_id or not wanted:
        return
    column = _unit_column(metric)
    rows = db.session.execute(
        select(column, ReportingMonth.year, ReportingMonth.month)
        .where(ReportingMonth.status == "approved", column.in_(by_id),
               tuple_(ReportingMonth.year, ReportingMonth.month).in_(sorted(wanted)))
        .order_by(ReportingMonth.year, ReportingMonth.month, column))
    messages = [locked_message(_name(by_id[unit_id]), year, month) for unit_id, year, month in rows]
    if messages:
        raise MonthLocked(" ".join(messages))


def locked_lines(metric: str, staging: sa.Table, unit_column: str) -> Iterator[Issue]:
    """The lines of a staged import that fall in approved months, set-based: one join of the staging table."""
    column = _unit_column(metric)
    unit = staging.c[unit_column]
    joined = staging.join(ReportingMonth, and_(column == unit, ReportingMonth.year == staging.c.year,
                                               ReportingMonth.month == staging.c.month,
                                               ReportingMonth.status == "approved"))
    locked = db.session.execute(select(unit, staging.c.year, staging.c.month).select_from(joined).distinct()).all()
    if not locked:
        return
    names = _names(metric, {unit_id for unit_id, _year, _month in locked})
    messages = {(unit_id, year, month): locked_message(names[unit_id], year, month) for unit_id, year, month in locked}
    lines = select(staging.c.line, unit, staging.c.year, staging.c.month).select_from(joined).order_by(staging.c.line)
    for line, unit_id, year, month in db.session.execute(lines):
        yield LockedLine(line, "month", messages[unit_id, year, month])


def holds_locked(result: ImportResult) -> bool:
    """Whether an import was refused (also) for approved months: the API answers 409 rather than 422."""
    return any(isinstance(issue, LockedLine) for issue in result.errors)


def _unit_column(metric: str):
    return ReportingMonth.area_id if metric == "visitors" else ReportingMonth.exporter_id


def _name(unit: Area | Exporter) -> str:
    return area_name(unit) if isinstance(unit, Area) else unit.name


def _names(metric: str, ids: set[int]) -> dict[int, str]:
    model = Area if metric == "visitors" else Exporter
    return {unit.id: _name(unit) for unit in db.session.scalars(select(model).where(model.id.in_(ids)))}
