"""The completeness heatmap: reporting units by month, coloured by the state of each unit's month."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from tracker.charts.layout import figure
from tracker.formatting import month_text

# missing, entered, submitted, approved: from the alarm colour to the calm one
STATE_COLORS = ("#f4c7c3", "#fde9a9", "#bcd7f0", "#b7dfb9")
STATE_ORDER = ("missing", "entered", "submitted", "approved")


def completeness_figure(table, labels: dict[str, str]) -> dict[str, Any]:
    """Columns: unit, code, then one per month "YYYY-MM"; each month's cell a (state, late) pair.
    `labels` names the states in the page's language."""
    months = [month_text(month) for month in table.columns[2:]]
    late = _("late")
    z, text = [], []
    for _name, _code, *cells in table.rows:
        z.append([STATE_ORDER.index(state) for state, _late in cells])
        text.append([f"{labels[state]} ({late})" if is_late else labels[state] for state, is_late in cells])
    steps = len(STATE_ORDER)
    # one flat band of colour per state: z 0..3 mapped onto four equal slices of the scale
    scale = []
    for index, color in enumerate(STATE_COLORS):
        scale += [[index / steps, color], [(index + 1) / steps, color]]
    data = [{"type": "heatmap", "x": months, "y": [f"{name} ({code})" for name, code, *_cells in table.rows],
             "z": z, "text": text, "zmin": -0.5, "zmax": steps - 0.5, "xgap": 2, "ygap": 2, "colorscale": scale,
             "colorbar": {"tickmode": "array", "tickvals": list(range(steps)),
                          "ticktext": [labels[state] for state in STATE_ORDER]},
             "hovertemplate": "%{y} %{x}: %{text}<extra></extra>"}]
    return figure(data, xaxis={"type": "category", "side": "top", "automargin": True},
                  yaxis={"autorange": "reversed", "automargin": True},
                  height=max(260, 22 * len(table.rows) + 100), margin={"l": 70, "r": 30, "t": 50, "b": 20})
