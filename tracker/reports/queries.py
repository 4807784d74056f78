"""Reads for the reports: plain values out."""

from __future__ import annotations

from sqlalchemy import exists, select, true

from tracker.affiliations.queries import affiliations
from tracker.exports.queries import detail_visible, withheld_groups
from tracker.extensions import db
from tracker.models import Affiliation, Area, Exporter, ExportSale, User, VisitorCount
from tracker.notes.queries import NoteRow, area_notes, exporters_notes
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


def notes_of(area: Area, first: Month, last: Month, user: User | None, *, exporters: bool) -> list[NoteRow]:
    """The notes on the months from `first` to `last` of the area and the areas below it, and when `exporters`
    those of the exporters based there whose detail the user may see (None: every exporter, as an admin); oldest
    month first, each month's in the order they were written."""
    rows = area_notes(area, first, last, include_subareas=True)
    if exporters:
        visible = true() if user is None else detail_visible(user)
        rows += exporters_notes(visible, first, last, within=area, include_subareas=True)
    rows.sort(key=lambda row: (row.month, row.created_at, row.id))
    return rows


def affiliations_in_force(area: Area, year: int) -> list[Affiliation]:
    """The ties of the area and the areas below it established by `year` and not ended by then, oldest first: a
    report of a past month lists the ties of its time."""
    return [record for record in affiliations(area, include_subareas=True)
            if record.established_year <= year and (record.ended_year is None or record.ended_year > year)]
