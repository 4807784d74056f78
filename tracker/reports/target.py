"""A target's printed report: its dashboard page on paper, from the same TargetView, charts and rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask_babel import gettext as _

from tracker.dashboard.page import chart_for
from tracker.dashboard.tables import TargetView
from tracker.formatting import month_label
from tracker.periods import Month, month_ranges
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


# The report's parts in order; the target's name, status and headline figures head every report.
SECTIONS: list[Callable[[TargetView], Section | None]] = [
    chart_section("annual", _annual_cells),
    chart_section("monthly"),
    chart_section("markets", _share_cells),
    chart_section("destinations", _share_cells),
    reporting_section,
]
