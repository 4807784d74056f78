"""Reads of an area's month for its report: plain values out."""

from __future__ import annotations

from sqlalchemy import exists, select

from tracker.exports.queries import withheld_groups
from tracker.extensions import db
from tracker.models import Area, Exporter, ExportSale, User, VisitorCount
from tracker.periods import Month
from tracker.targets.scope import Scope, exporter_area


def has_own_visitors(area: Area, month: Month) -> bool:
    """Whether the area reported its own visitor figures for the month (a prefecture or the nation may, beside
    the sum of its municipalities)."""
    return bool(db.session.scalar(select(exists().where(
        VisitorCount.area_id == area.id, VisitorCount.year == month.year, VisitorCount.month == month.month))))


def exports_withheld(user: User, scope: Scope, first: Month, last: Month) -> bool:
    """Whether the area's export sales of the window, taken whole, would single out an exporter whose detail the
    user may not see (fewer than three exporters behind them): the area's page then shows none, and so does the
    report."""
    in_window = ExportSale.year * 12 + ExportSale.month - 1
    return bool(withheld_groups(user, Exporter.area_id.isnot(None), exporter_area(scope),
                                in_window >= first.index, in_window <= last.index))
