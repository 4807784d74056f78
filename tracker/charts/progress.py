"""The target's own charts: the years against the required path, and the current year month by month."""

from __future__ import annotations

import calendar
from typing import Any

from flask_babel import gettext as _

from tracker.charts.layout import ACCENT, INK, MARGIN, MUTED, OK, SERIES, figure, value_axis, year_axis
from tracker.charts.table import Table
from tracker.formatting import chart_month_format


def annual_figure(table: Table, *, target_label: str, target_value: int, value_title: str = "",
                  yen: bool = False, met_label: str | None = None) -> dict[str, Any]:
    """Rows: (year label, actual, months reported, required, projected). Complete years are solid bars,
    a year under way shows its figures to date and, hatched on top, the rest of its projection. `met_label` is the
    year the target was met, marked on its bar."""
    labels = table.column(0)
    complete, to_date, rest = [], [], []
    for _label, actual, months, _required, projected in table.rows:
        complete.append(actual if months == 12 else None)
        to_date.append(actual if 0 < months < 12 else None)
        rest.append(projected - actual if projected is not None and actual is not None and months < 12 else None)
    data = [
        {"type": "bar", "name": _("Actual"), "x": labels, "y": complete, "marker": {"color": SERIES[0]}},
        {"type": "bar", "name": _("Year to date"), "x": labels, "y": to_date, "marker": {"color": SERIES[7]}},
        {"type": "bar", "name": _("Projection (rest of the year)"), "x": labels, "y": rest,
         "marker": {"color": "rgba(76, 159, 184, 0.25)", "pattern": {"shape": "/", "fgcolor": SERIES[7]},
                    "line": {"color": SERIES[7], "width": 1}}},
        {"type": "scatter", "mode": "lines+markers", "name": _("Required path"), "x": labels,
         "y": table.column(3), "line": {"color": ACCENT, "dash": "dash"}, "connectgaps": False},
    ]
    # The legend names only what is drawn: a plan long past has no year to date, a plan ahead no actual years.
    data = [trace for trace in data if any(value is not None for value in trace["y"])]
    if target_label in labels:
        data.append({"type": "scatter", "mode": "markers+text", "name": _("Target"), "x": [target_label],
                     "y": [target_value], "marker": {"symbol": "star", "size": 16, "color": ACCENT},
                     "text": [_("Target")],
                     # The target often tops the axis: its label goes above, into a top margin kept for it.
                     "textposition": "top center", "cliponaxis": False})
    annotations = []
    if met_label in labels:
        reached = table.column(1)[labels.index(met_label)]
        annotations.append({"x": met_label, "y": reached, "xref": "x", "yref": "y", "text": _("Target met"),
                            "showarrow": True, "arrowhead": 2, "arrowcolor": OK, "ax": 0, "ay": -34,
                            "font": {"color": OK}, "bgcolor": "#fff", "bordercolor": OK})
    highest = [*table.column(1), *table.column(3), *table.column(4), target_value]
    return figure(data, barmode="stack", hovermode="x unified", annotations=annotations,
                  xaxis=year_axis(labels, keep=(target_label, met_label)),
                  yaxis=value_axis(highest, value_title, yen=yen), margin={**MARGIN, "t": 40})


def running_figure(table: Table, *, value_title: str = "", yen: bool = False) -> dict[str, Any]:
    """Rows: (month "YYYY-MM", running actual, running value needed, running projection). A line at the end of
    the last reported month separates the actual figures from the projection, which starts there."""
    x = [_month_end(month) for month in table.column(0)]
    month_format = chart_month_format()
    data = [
        {"type": "scatter", "mode": "lines+markers", "name": _("Actual, running total"), "x": x,
         "y": table.column(1), "line": {"color": SERIES[0], "width": 3}},
        {"type": "scatter", "mode": "lines", "name": _("Needed for the required value"), "x": x,
         "y": table.column(2), "line": {"color": ACCENT, "dash": "dash"}},
        {"type": "scatter", "mode": "lines", "name": _("Projection"), "x": x, "y": table.column(3),
         "line": {"color": SERIES[7], "dash": "dot", "width": 3}},
    ]
    reported = [end for end, actual in zip(x, table.column(1), strict=True) if actual is not None]
    shapes, annotations = [], []
    if reported:
        latest = reported[-1]
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": latest, "x1": latest, "y0": 0, "y1": 1,
                       "line": {"color": MUTED, "width": 2, "dash": "dot"}})
        annotations.append({"xref": "x", "yref": "paper", "x": latest, "y": 1, "text": _("Latest figures"),
                            "showarrow": False, "yanchor": "bottom", "font": {"color": INK}})
    highest = [*table.column(1), *table.column(2), *table.column(3)]
    return figure(data, hovermode="x unified", shapes=shapes, annotations=annotations,
                  xaxis={"type": "date", "tickformat": month_format, "hoverformat": month_format},
                  yaxis=value_axis(highest, value_title, yen=yen))


def _month_end(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year:04d}-{number:02d}-{calendar.monthrange(year, number)[1]:02d}"
