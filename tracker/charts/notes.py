"""Notes on a monthly chart: a marker along the top of each month that has notes, its notes as hover text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from tracker.charts.layout import INK, as_text

# hover text is one line per note: a long note is cut there, and read in full on the notes' page
HOVER_CHARACTERS = 120


def with_notes(figure: dict[str, Any], notes: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """The figure (a built one, its x axis months "YYYY-MM") with a marker for each month among `notes`:
    (month "YYYY-MM", what the note is on, its text) rows. The markers ride on an axis of their own, hidden, so
    they neither stretch nor crowd the figures' axes; hovering a month lists its notes."""
    lines: dict[str, list[str]] = {}
    for month, subject, text in notes:
        lines.setdefault(month, []).append(_line(subject, text))
    if not lines:
        return figure
    months = sorted(lines)
    trace = {"type": "scatter", "mode": "markers", "name": _("Notes"), "x": months, "y": [1] * len(months),
             "yaxis": "y3", "cliponaxis": False, "hovertext": ["<br>".join(lines[month]) for month in months],
             "hovertemplate": "%{hovertext}<extra></extra>",
             "marker": {"symbol": "diamond", "size": 12, "color": "#fff", "line": {"color": INK, "width": 2}}}
    axis = {"overlaying": "y", "range": [0, 1.04], "visible": False, "fixedrange": True}
    return {**figure, "data": [*figure["data"], trace], "layout": {**figure["layout"], "yaxis3": axis}}


def _line(subject: str, text: str) -> str:
    """One note's line of hover text, escaped here: the figure's own escaping ran before the trace was added."""
    flat = " ".join(text.split())
    if len(flat) > HOVER_CHARACTERS:
        flat = flat[:HOVER_CHARACTERS - 1] + "…"
    return as_text(f"{subject}: {flat}" if subject else flat)
