"""The look every chart shares."""

from __future__ import annotations

from typing import Any

INK = "#1d2733"
MUTED = "#5b6775"
ACCENT = "#b7282e"
OK = "#2e7d32"
WARN = "#b26a00"
# Qualitative colours distinguishable in print and by most colour-blind readers, then grey for "the rest".
SERIES = ["#1f5fa8", "#e07b1a", "#2e8b57", "#b7282e", "#7b4fa0", "#8c6d31", "#d45a9e", "#4c9fb8", "#9aa531",
          "#5b6775"]
REST = "#b8c0ca"


def figure(data: list[dict[str, Any]], **layout: Any) -> dict[str, Any]:
    base = {
        "margin": {"l": 70, "r": 30, "t": 20, "b": 50},
        "font": {"family": "Hiragino Sans, Noto Sans JP, IPAGothic, Yu Gothic, sans-serif", "color": INK, "size": 13},
        "paper_bgcolor": "#fff",
        "plot_bgcolor": "#fff",
        "legend": {"orientation": "h", "y": -0.15},
        "separators": ".,",
    }
    return {"data": data, "layout": {**base, **layout}}


def series_color(index: int, label: str, rest_label: str) -> str:
    return REST if label == rest_label else SERIES[index % len(SERIES)]


def value_axis(title: str = "", **options: Any) -> dict[str, Any]:
    """A y axis of counts or yen: from zero, grouped digits on hover (the figure's separators), titled."""
    axis = {"rangemode": "tozero", "gridcolor": "#eef1f5", "hoverformat": ",.0f", **options}
    if title:
        axis["title"] = {"text": title}
    return axis
