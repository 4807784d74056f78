"""The look every chart shares."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from tracker.formatting import man_oku, uses_man_oku

INK = "#1d2733"
MUTED = "#5b6775"
ACCENT = "#b7282e"
OK = "#2e7d32"
# Qualitative colours distinguishable in print and by most colour-blind readers, then grey for "the rest".
SERIES = ["#1f5fa8", "#e07b1a", "#2e8b57", "#b7282e", "#7b4fa0", "#8c6d31", "#d45a9e", "#4c9fb8", "#9aa531",
          "#5b6775"]
REST = "#b8c0ca"
TICKS = 5  # about as many value ticks as plotly draws itself
YEAR_TICKS = 12  # year labels that fit a desktop chart's width level ("2016年度" at 13 px); a phone tilts them
MARGIN = {"l": 70, "r": 30, "t": 20, "b": 50}
# plotly's own default, stated so that every figure names its height: the page reserves it before plotly draws.
HEIGHT = 450


def figure(data: list[dict[str, Any]], **layout: Any) -> dict[str, Any]:
    base = {
        "margin": MARGIN,
        "height": HEIGHT,
        # the page's own font stack (static/css/app.css): proportional fonts only, IPAGothic is fixed-width
        "font": {"family": "Hiragino Sans, Noto Sans JP, Yu Gothic, IPAPGothic, sans-serif", "color": INK, "size": 13},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        # Below everything, measured from the figure's bottom edge: plotly then grows the bottom margin to hold the
        # legend's rows, so that it never covers the plot or tilted tick labels, however narrow the screen.
        "legend": {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"},
        "separators": ".,",
    }
    return as_text({"data": data, "layout": {**base, **layout}})


def as_text(value: Any, key: str = "") -> Any:
    """Every string of a figure as plotly's text, never its markup: plotly draws `<a href>`, `<b>` and entities
    in names, labels, hover and legends, and product or area names come from users. Only the builders' own
    hover and text templates (`<extra></extra>`) keep their tags; user names reach them through %{...}, escaped
    here."""
    if isinstance(value, str):
        return value if key.endswith("template") else value.replace("&", "&amp;").replace("<", "&lt;")
    if isinstance(value, dict):
        return {name: as_text(item, name) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_text(item, key) for item in value]
    return value


def series_color(index: int, label: str, rest_label: str) -> str:
    return REST if label == rest_label else SERIES[index % len(SERIES)]


def value_axis(values: Iterable[float | None] = (), title: str = "", *, yen: bool = False,
               **options: Any) -> dict[str, Any]:
    """An axis of counts or yen from zero, for the largest of `values` drawn on it: grouped digits on hover
    (the figure's separators), yen with ¥, and in Japanese ticks in 万 and 億, which plotly cannot write
    (it knows only SI: 10M, 2B)."""
    # automargin widens the margin to the tick labels (1億5,000万円) and keeps the title clear of them.
    axis = {"rangemode": "tozero", "gridcolor": "#eef1f5", "hoverformat": ",.0f", "automargin": True, **options}
    if yen:
        # plotly puts the prefix on hover labels too, unless a tick's own text (ticktext) answers.
        axis["tickprefix"] = "¥"
    if title:
        axis["title"] = axis_title(title)
    if uses_man_oku():
        ticks = _round_ticks(max((v for v in values if v is not None), default=0))
        if ticks:
            unit = "円" if yen else ""
            axis.update(tickmode="array", tickvals=ticks, ticktext=[man_oku(tick) + unit for tick in ticks])
    return axis


def year_axis(labels: list[str], keep: Iterable[str | None] = ()) -> dict[str, Any]:
    """A category axis of years labelled every year, or every second or fifth when more would not fit level:
    tilted Japanese labels (2016年度) overlap one another. The steps are counted from a year in `keep` (the
    target's), so that it keeps its label; automargin keeps labels a phone tilts clear of the legend."""
    step = next((n for n in (1, 2, 5, 10) if len(labels) <= YEAR_TICKS * n), 10)
    anchor = next((labels.index(label) for label in keep if label in labels), len(labels) - 1)
    shown = [label for index, label in enumerate(labels) if (index - anchor) % step == 0]
    return {"type": "category", "tickmode": "array", "tickvals": shown, "ticktext": shown, "automargin": True}


def axis_title(text: str) -> dict[str, Any]:
    """An axis title set off from its tick labels; plotly honours the standoff only on an automargin axis."""
    return {"text": text, "standoff": 12}


def _round_ticks(top: float) -> list[int]:
    """0 up to the first tick at or above `top`, in steps of 1, 2 or 5 times a power of ten: 0, 2,000万, 4,000万..."""
    if top <= 0:
        return []
    power = 10 ** math.floor(math.log10(top / TICKS))
    step = int(max(1, next(f * power for f in (1, 2, 5, 10) if f * power >= top / TICKS)))
    return list(range(0, math.ceil(top / step) * step + 1, step))
