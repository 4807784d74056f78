"""Where the figures come from: by month and market, shares, areas ranked by growth, who has reported."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from tracker.charts.layout import ACCENT, OK, axis_title, figure, series_color, value_axis
from tracker.formatting import chart_month_format, month_text, percent


def monthly_figure(table, *, rest_label: str, value_title: str = "", yen: bool = False) -> dict[str, Any]:
    """Columns: month "YYYY-MM", total, change from a year earlier (a fraction), then one per series."""
    months = table.column(0)
    data = [
        {"type": "bar", "name": name, "x": months, "y": table.column(3 + i),
         "marker": {"color": series_color(i, name, rest_label)}}
        for i, name in enumerate(table.columns[3:])
    ]
    data.append({"type": "scatter", "mode": "lines+markers", "name": _("Change from a year earlier"), "x": months,
                 "y": table.column(2), "yaxis": "y2", "line": {"color": ACCENT}, "connectgaps": False})
    month_format = chart_month_format()
    changes = table.column(2)
    change_range = _change_range(changes)
    return figure(data, barmode="stack", hovermode="x unified", annotations=_clipped_changes(months, changes),
                  xaxis={"type": "date", "tickformat": month_format, "hoverformat": month_format},
                  yaxis=value_axis(table.column(1), value_title, yen=yen),
                  yaxis2={"overlaying": "y", "side": "right", "tickformat": ".0%", "hoverformat": "+.1%",
                          "zeroline": True, "showgrid": False, "automargin": True,
                          # plotly syncs an overlaying axis's ticks to the bars' gridlines (1267%, -224%)
                          # and ranges it to them, cutting off the line: round ticks over its own span.
                          "tickmode": "auto", "range": change_range,
                          # The legend names the line in full; a longer title would not fit the axis's height.
                          "title": axis_title(_("Year on year"))})


# Changes beyond +100% (a recovery from a collapsed year: +1,400%) would squash every ordinary year's line flat:
# the axis stops there, and each run of months beyond it is labelled with its highest change at the top edge.
CHANGE_CLIP = 1.0


def _change_range(changes: list[float | None]) -> list[float]:
    """From the lowest change to the highest (at most CHANGE_CLIP) with a little room, always showing zero."""
    values = [min(change, CHANGE_CLIP) for change in changes if change is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    room = (high - low) * 0.08 or 0.1
    return [low - room, high + room]


def _clipped_changes(months: list[str], changes: list[float | None]) -> list[dict[str, Any]]:
    """A label at the top edge of the change axis for each run of consecutive months whose change is cut off
    there, at the run's highest: "▲ +1,458%"."""
    runs: list[list[int]] = []
    for index, change in enumerate(changes):
        if change is None or change <= CHANGE_CLIP:
            continue
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    labels = []
    for run in runs:
        peak = max(run, key=lambda index: changes[index])
        labels.append({"x": months[peak], "y": 1, "xref": "x", "yref": "paper", "yanchor": "top",
                       "text": "▲ " + _signed_percent(changes[peak]), "showarrow": False,
                       "font": {"color": ACCENT, "size": 11}, "bgcolor": "rgba(255, 255, 255, 0.85)"})
    return labels


def share_figure(table, *, rest_label: str) -> dict[str, Any]:
    """Rows: (label, value, share); a ring, the largest first."""
    labels = table.column(0)
    data = [{"type": "pie", "hole": 0.45, "sort": False, "direction": "clockwise", "labels": labels,
             "values": table.column(1), "textinfo": "label+percent",
             # Labels that fit go inside, level; the others outside, where the margins grow to hold them.
             "textposition": "auto", "insidetextorientation": "horizontal", "automargin": True,
             "hovertemplate": "%{label}: %{value:,.0f} (%{percent})<extra></extra>",
             "marker": {"colors": [series_color(i, label, rest_label) for i, label in enumerate(labels)]}}]
    return figure(data, showlegend=False, margin={"l": 20, "r": 20, "t": 20, "b": 20})


def bars_figure(table, *, rest_label: str, value_title: str = "", yen: bool = False) -> dict[str, Any]:
    """Rows: (label, value, share); horizontal bars, the largest on top."""
    labels = table.column(0)
    data = [{"type": "bar", "orientation": "h", "y": labels, "x": table.column(1),
             "text": [percent(share) for share in table.column(2)], "textposition": "auto",
             "hovertemplate": f"%{{y}}: {_currency(yen)}%{{x:,.0f}}<extra></extra>",
             "marker": {"color": [series_color(i, label, rest_label) for i, label in enumerate(labels)]}}]
    return figure(data, showlegend=False, yaxis={"autorange": "reversed", "automargin": True},
                  xaxis=value_axis(table.column(1), value_title, yen=yen), height=max(260, 32 * len(labels) + 80))


def ranking_figure(table, *, yen: bool = False) -> dict[str, Any]:
    """Rows: (area, code, previous, current, growth as a fraction); the fastest growth on top."""
    sign = _currency(yen)
    growth = table.column(4)
    data = [{"type": "bar", "orientation": "h", "y": table.column(0), "x": growth,
             "text": [_signed_percent(g) for g in growth], "textposition": "auto",
             "customdata": [[previous, current] for previous, current in zip(table.column(2), table.column(3),
                                                                            strict=True)],
             "hovertemplate": f"%{{y}}: %{{x:+.1%}} ({sign}%{{customdata[0]:,}} → {sign}%{{customdata[1]:,}})"
                              "<extra></extra>",
             "marker": {"color": [OK if g >= 0 else ACCENT for g in growth]}}]
    return figure(data, showlegend=False, yaxis={"autorange": "reversed", "automargin": True},
                  xaxis={"tickformat": ".0%", "zeroline": True, "gridcolor": "#eef1f5"},
                  height=max(260, 24 * len(growth) + 80))


def reporting_figure(table) -> dict[str, Any]:
    """Columns: area, code, units that can report, then one per month "YYYY-MM" with the units that reported."""
    months = [month_text(month) for month in table.columns[3:]]
    z, text = [], []
    for _area, _code, units, *reported in table.rows:
        z.append([n / units if units else 0 for n in reported])
        # Whole counts group digits alike in Japanese and English; Babel per cell would cost a national heatmap
        # (47 areas x 12 months) most of the page's time.
        text.append([f"{n:,} / {units:,}" for n in reported])
    data = [{"type": "heatmap", "x": months, "y": table.column(0), "z": z, "text": text,
             "texttemplate": "%{text}", "zmin": 0, "zmax": 1, "xgap": 2, "ygap": 2,
             "colorscale": [[0, "#f4c7c3"], [0.5, "#fde9a9"], [1, "#b7dfb9"]],
             "colorbar": {"tickformat": ".0%", "title": {"text": _("Reported"), "side": "right"}},
             "hovertemplate": "%{y} %{x}: %{text}<extra></extra>"}]
    # automargin: tilted English months ("September 2024") need more room above than the margin keeps.
    return figure(data, xaxis={"type": "category", "side": "top", "automargin": True},
                  yaxis={"autorange": "reversed", "automargin": True},
                  height=max(260, 26 * len(table.rows) + 100), margin={"l": 70, "r": 30, "t": 50, "b": 20})


def _currency(yen: bool) -> str:
    """The sign hover text puts before a value: ¥ for yen, in both languages (¥1,234,567)."""
    return "¥" if yen else ""


def _signed_percent(value: float) -> str:
    """+12.3% / -4.5%: growth with its sign, as the formatting of the page writes percentages."""
    return ("+" if value > 0 else "") + percent(value)
