"""The affiliations' charts: the network over the years, an area's ties on a timeline, and a tie's before/after."""

from __future__ import annotations

import math
from typing import Any

from flask_babel import gettext as _

from tracker.charts.layout import ACCENT, INK, MUTED, SERIES, axis_title, figure, series_color, value_axis
from tracker.charts.table import Table

# the years since which the ties are marked: the rise of ties with Korea and China
MARKED_FROM = 2000


def network_figure(table: Table, *, rest_label: str) -> dict[str, Any]:
    """Columns: year, ties added that year, then active ties at the year's end per country (the last the rest):
    stacked bars, with the ties added since MARKED_FROM as a line on a second axis over a shaded span."""
    years = table.column(0)
    data = [{"type": "bar", "name": name, "x": years, "y": table.column(2 + i),
             "marker": {"color": series_color(i, name, rest_label)},
             "hovertemplate": "%{x}: %{y:,}<extra>%{fullData.name}</extra>"}
            for i, name in enumerate(table.columns[2:])]
    marked = [(year, added) for year, added in zip(years, table.column(1), strict=True) if year >= MARKED_FROM]
    layout: dict[str, Any] = {}
    if marked:
        data.append({"type": "scatter", "mode": "lines+markers", "name": _("Ties added since %(year)d",
                                                                          year=MARKED_FROM),
                     "x": [year for year, _added in marked], "y": [added for _year, added in marked], "yaxis": "y2",
                     "line": {"color": ACCENT}, "hovertemplate": "%{x}: +%{y:,}<extra></extra>"})
        layout = {"shapes": [{"type": "rect", "xref": "x", "yref": "paper", "x0": MARKED_FROM - 0.5,
                              "x1": years[-1] + 0.5, "y0": 0, "y1": 1, "fillcolor": "#fbeaea", "opacity": 0.5,
                              "line": {"width": 0}, "layer": "below"}],
                  # whole ties: a tick every few ties, never at fractions
                  "yaxis2": {"overlaying": "y", "side": "right", "rangemode": "tozero", "showgrid": False,
                             "dtick": max(1, math.ceil(max(added for _year, added in marked) / 4)),
                             "automargin": True, "title": axis_title(_("Added"))}}
    active = [sum(values) for values in zip(*(table.column(i) for i in range(2, len(table.columns))), strict=True)]
    return figure(data, barmode="stack", hovermode="x unified", xaxis={"type": "linear", "dtick": 5},
                  yaxis=value_axis(active, _("Active affiliations")), **layout)


def timeline_figure(table: Table, *, current_year: int) -> dict[str, Any]:
    """Rows: (partner label, year established, year ended or None, kind label); one bar per tie from its start to
    its end, or to the current year while it lasts."""
    labels = table.column(0)
    ends = [end if end is not None else current_year + 1 for end in table.column(2)]
    starts = table.column(1)
    data = [{"type": "bar", "orientation": "h", "y": labels, "base": starts,
             "x": [end - start for start, end in zip(starts, ends, strict=True)],
             "text": [f"{start}–{end if end is not None else ''}" for start, end in zip(starts, table.column(2),
                                                                                      strict=True)],
             "textposition": "inside", "customdata": table.column(3),
             "hovertemplate": "%{y}: %{text} (%{customdata})<extra></extra>",
             "marker": {"color": [MUTED if end is not None else SERIES[0] for end in table.column(2)]}}]
    xaxis: dict[str, Any] = {"type": "linear", "gridcolor": "#eef1f5"}
    if starts:
        xaxis["range"] = [min(starts) - 2, current_year + 2]
    return figure(data, showlegend=False, yaxis={"autorange": "reversed", "automargin": True}, xaxis=xaxis,
                  height=max(200, 34 * len(labels) + 80))


def before_after_figure(table: Table, *, established_year: int, partner_label: str) -> dict[str, Any]:
    """Rows: (year, partner index, others' index), the year before the tie = 100; a line at the tie's year."""
    years = table.column(0)
    data = [{"type": "scatter", "mode": "lines+markers", "name": partner_label, "x": years, "y": table.column(1),
             "line": {"color": SERIES[0]}, "connectgaps": False},
            {"type": "scatter", "mode": "lines+markers", "name": _("Every other market"), "x": years,
             "y": table.column(2), "line": {"color": MUTED, "dash": "dot"}, "connectgaps": False}]
    return figure(data, hovermode="x unified", xaxis={"type": "linear", "dtick": 1},
                  yaxis={"title": axis_title(_("Index (year before the tie = 100)")), "gridcolor": "#eef1f5",
                         "automargin": True, "hoverformat": ".1f"},
                  shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": established_year,
                           "x1": established_year, "y0": 0, "y1": 1, "line": {"color": INK, "dash": "dash"}}],
                  annotations=[{"x": established_year, "xref": "x", "yref": "paper", "y": 1, "yanchor": "bottom",
                                "text": _("Tie established"), "showarrow": False, "font": {"color": INK}}],
                  margin={"l": 70, "r": 30, "t": 40, "b": 50})
