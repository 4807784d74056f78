"""A target's printed report: its dashboard page on paper, from the same TargetView, charts and rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import gettext as _

from tracker.charts import Table
from tracker.dashboard.maps import prefecture_boundaries, target_map
from tracker.dashboard.page import chart_for
from tracker.dashboard.tables import TargetView
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.models import Area
from tracker.periods import Month, month_ranges, months_of_year
from tracker.reports import notes, queries
from tracker.reports.sections import Cell, Section, count, printed, share, text, yen


def _value(view: TargetView) -> Cell:
    return yen if view.is_yen else count


def _annual_cells(view: TargetView) -> Sequence[Cell]:
    """Year, actual, months reported, required, projected."""
    return text, _value(view), count, _value(view), _value(view)


def _share_cells(view: TargetView) -> Sequence[Cell]:
    """Market or destination, value, share."""
    return text, _value(view), share


def chart_section(key: str, cells: Callable[[TargetView], Sequence[Cell]] | None = None
                  ) -> Callable[[TargetView], Section | None]:
    """A chart of the target's page (tracker.dashboard.page) where it applies, with its rows printed below it
    when `cells` says how to write them."""
    def section(view: TargetView) -> Section | None:
        chart = chart_for(view, key)
        if chart is None:
            return None
        table = chart.table(view)
        if not table:
            return Section(key, str(chart.title), str(chart.note), empty=_("No figures for this chart yet."))
        return Section(key, str(chart.title), str(chart.note), figure=chart.figure(view, table),
                       table=printed(table, cells(view)) if cells else None)
    return section


def months_text(months: Sequence[Month]) -> str:
    """2024年1月–2024年3月, 2024年5月: runs of months as the summary on the page writes them."""
    return ", ".join(month_label(first.year, first.month) if first == last else
                     f"{month_label(first.year, first.month)}–{month_label(last.year, last.month)}"
                     for first, last in month_ranges(months))


def reporting_section(view: TargetView) -> Section:
    """The latest month with figures, the months due and missing, and who below reported (when areas lie below)."""
    lines = []
    if view.monthly:
        latest = max(view.monthly)
        lines.append(_("Latest month with figures: %(month)s.", month=month_label(latest.year, latest.month)))
    else:
        lines.append(_("No month has figures yet."))
    overdue = view.progress.overdue_months
    if overdue:
        lines.append(_("Due and not reported: %(months)s.", months=months_text(overdue)))
    else:
        lines.append(_("Every month due has been reported."))
    chart = chart_for(view, "reporting")
    table = chart.table(view) if chart is not None else None
    return Section("reporting", _("Reporting status"), str(chart.note) if table else "",
                   figure=chart.figure(view, table) if table else None, lines=tuple(lines))


def map_section(view: TargetView) -> Section | None:
    """The map of the target's page showing the target's own figure, for targets whose page shows one, with the
    areas that have a figure printed below it. The boundaries go in the figure itself: the PDF's page fetches
    nothing."""
    panel = target_map(view, {}, geojson=prefecture_boundaries())
    if panel is None:
        return None
    # the nation's rows: code, area, figure, why none; a prefecture's: code, area, latitude, longitude, value,
    # figure, why none
    shown = 2 if panel.area.level == "nation" else 5
    rows = tuple((row[1], row[shown]) for row in panel.table.rows if row[shown] is not None)
    table = printed(Table((panel.table.columns[1], panel.table.columns[shown]), rows), (text, _value(view))) \
        if rows else None
    # with no area to list, a sentence is the map's text alternative
    lines = () if rows else (_("No area on this map has a figure of its own."),)
    return Section("map", panel.title, panel.note, figure=panel.figure, table=table, lines=lines)


def notes_section(view: TargetView) -> Section:
    """The notes on the months the charts show, of the target's area (under the page's area filter) and the
    areas below it; for export targets, also of the exporters there whose detail the reader may see."""
    first, last = months_of_year(view.first_year, view.basis)[0], months_of_year(view.last_year, view.basis)[-1]
    area = db.session.get(Area, view.scope.area_id)
    rows = queries.notes_of(area, first, last, view.user, exporters=not view.is_visitors)
    note = "" if view.is_visitors else _("With the notes of the exporters whose sales you may see in detail.")
    return notes.notes_section(rows, first, last, view.language, note)


# The report's parts in order; the target's name, status and headline figures head every report.
SECTIONS: list[Callable[[TargetView], Section | None]] = [
    chart_section("annual", _annual_cells),
    chart_section("monthly"),
    chart_section("markets", _share_cells),
    chart_section("destinations", _share_cells),
    map_section,
    reporting_section,
    notes_section,
]
