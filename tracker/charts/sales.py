"""An exporter's own sales: its months as bars, the same months a year earlier as a line."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from tracker.charts.layout import REST, SERIES, figure, value_axis
from tracker.charts.table import Table
from tracker.formatting import chart_month_format


def sales_trend_figure(table: Table) -> dict[str, Any]:
    """Rows: (month "YYYY-MM", sales in yen or None, the same month a year earlier or None)."""
    months = table.column(0)
    labels = [f"{month}-01" for month in months]  # plotly's dates: a bar stands on its month
    month_format = chart_month_format()
    data = [
        {"type": "bar", "name": _("Sales"), "x": labels, "y": table.column(1), "marker": {"color": SERIES[0]},
         "hovertemplate": "¥%{y:,.0f}<extra></extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": _("Same month a year earlier"), "x": labels,
         "y": table.column(2), "line": {"color": REST, "width": 2}, "marker": {"color": REST},
         "hovertemplate": "¥%{y:,.0f}<extra></extra>"},
    ]
    values = [*table.column(1), *table.column(2)]
    return figure(data, height=300, margin={"l": 70, "r": 10, "t": 10, "b": 60}, hovermode="x unified",
                  xaxis={"type": "date", "tickformat": month_format, "hoverformat": month_format, "dtick": "M3",
                         "fixedrange": True},
                  yaxis=value_axis(values, yen=True, fixedrange=True))

