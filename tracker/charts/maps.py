"""Maps drawn from the app's own boundaries: prefectures filled by a figure, municipalities as points at their offices.

plotly draws them with `geojson=` on a geo subplot whose base layers (land, coasts, countries) are all hidden, so
neither tiles nor plotly's world topojson are needed; the page points plotly's `topojsonURL` at the app's empty
one (static/geo/SOURCE.md), which plotly still loads.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from tracker.charts.layout import ACCENT, INK, OK, REST, SERIES, figure, value_axis
from tracker.formatting import percent

# The property of a boundary feature that holds the prefecture's area code ("130001").
FEATURE_ID_KEY = "properties.lg_code"
NO_FIGURES = "#e6e9ee"
VALUE_SCALE = [[0, "#dce9f5"], [0.5, "#6a9fd0"], [1, SERIES[0]]]
# no change is pale yellow, not white or grey: the areas without figures are grey
GROWTH_SCALE = [[0, ACCENT], [0.5, "#fbf1c7"], [1, OK]]
RATE_SCALE = [[0, "#f4c7c3"], [0.5, "#fde9a9"], [1, "#b7dfb9"]]
LARGEST_POINT = 40  # pixels across, for the municipality with the most
HEIGHT = 520
# The view of the whole country (west, south, east, north): Yonaguni to Nemuro, Hateruma to Wakkanai. Fitting the
# features instead would reach Tokyo's Minamitorishima (154° E) and Okinotorishima (20° N), and shrink the rest.
JAPAN = (122.5, 23.8, 146.3, 45.8)
# Hidden base layers; scope and resolution name the topojson plotly loads anyway (world_110m.json).
GEO = {"visible": False, "scope": "world", "resolution": 110, "fitbounds": "locations",
       "projection": {"type": "mercator"}, "bgcolor": "rgba(0,0,0,0)"}


def choropleth_figure(table, *, geojson: str | dict, kind: str, value_title: str = "",
                      yen: bool = False) -> dict[str, Any]:
    """Rows: (area code, name, figure or None, why there is none); one row per boundary feature.

    Every feature is drawn in grey beneath, so that an area without figures is seen (and can be clicked); the
    areas with a figure are drawn over it, coloured by `kind` (a value, growth as a fraction, a rate 0..1)."""
    codes, names, values, reasons = (table.column(i) for i in range(4))
    shown = [i for i, value in enumerate(values) if value is not None]
    data = [
        {"type": "choropleth", "locations": codes, "z": [0] * len(codes), "featureidkey": FEATURE_ID_KEY,
         "colorscale": [[0, NO_FIGURES], [1, NO_FIGURES]], "showscale": False, "showlegend": False,
         "text": [f"{name}: {reason}" for name, reason in zip(names, reasons, strict=True)],
         "hovertemplate": "%{text}<extra></extra>", "marker": {"line": {"color": "#fff", "width": 0.6}}},
    ]
    if shown:
        z = [values[i] for i in shown]
        data.append({"type": "choropleth", "locations": [codes[i] for i in shown], "z": z,
                     "featureidkey": FEATURE_ID_KEY, "customdata": [names[i] for i in shown],
                     "hovertemplate": "%{customdata}: " + _hover_value(kind, yen, "%{z") + "<extra></extra>",
                     "marker": {"line": {"color": "#fff", "width": 0.6}},
                     **_colouring(kind, z, value_title, yen, "z")})
    return _with_boundaries(figure(data, **_geo_layout(JAPAN)), geojson)


def points_figure(table, *, geojson: str | dict, outline: str, kind: str, value_title: str = "",
                  yen: bool = False, bounds: tuple[float, float, float, float] | None = None) -> dict[str, Any]:
    """Rows: (area code, name, latitude, longitude, size value or None, colour figure or None, why there is none).

    The area `outline` (a prefecture's code) is drawn as the ground; each municipality with an office location is a
    point sized by its value (area proportional to it) and, for growth and rates, coloured by the figure (grey
    where there is none, such as growth without last year's months). Those without a value are small grey rings
    with the reason on hover; those without a location are not drawn. `bounds` (west, south, east, north) is the
    view; without it the map fits the outline, all of it (Tokyo's reaches to Okinotorishima)."""
    placed = [row for row in table.rows if row[2] is not None and row[3] is not None]
    sized = [row for row in placed if row[4] is not None]
    empty = [row for row in placed if row[4] is None]
    data = [{"type": "choropleth", "locations": [outline], "z": [0], "featureidkey": FEATURE_ID_KEY,
             "colorscale": [[0, NO_FIGURES], [1, NO_FIGURES]], "showscale": False, "showlegend": False,
             "hoverinfo": "skip", "marker": {"line": {"color": "#fff", "width": 1}}}]
    if sized:
        sizeref = 2 * (max(row[4] for row in sized) or 1) / LARGEST_POINT ** 2
        coloured = [row for row in sized if kind == "value" or row[5] is not None]
        grey = [row for row in sized if row not in coloured]
        for rows, colour in ((coloured, None), (grey, REST)):
            if not rows:
                continue
            marker: dict[str, Any] = {"size": [row[4] for row in rows], "sizemode": "area", "sizemin": 3,
                                      "sizeref": sizeref, "opacity": 0.85, "line": {"color": "#fff", "width": 1}}
            if colour is not None or kind == "value":
                marker["color"] = colour or SERIES[0]
            else:
                figures = [row[5] for row in rows]
                marker.update(color=figures, **_colouring(kind, figures, value_title, yen, "c"))
            data.append({"type": "scattergeo", "mode": "markers", "showlegend": False,
                         "lat": [row[2] for row in rows], "lon": [row[3] for row in rows], "marker": marker,
                         "customdata": [[row[1], row[4], _text(kind, row[5])] for row in rows],
                         "hovertemplate": _point_hover(kind, yen)})
    if empty:
        data.append({"type": "scattergeo", "mode": "markers", "showlegend": False,
                     "lat": [row[2] for row in empty], "lon": [row[3] for row in empty],
                     "marker": {"size": 7, "symbol": "circle-open", "color": INK, "opacity": 0.6},
                     "text": [f"{row[1]}: {row[6]}" for row in empty], "hovertemplate": "%{text}<extra></extra>"})
    return _with_boundaries(figure(data, **_geo_layout(bounds)), geojson)


def view_bounds(boundaries: dict, code: str, points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the area's largest polygon and the points (latitude, longitude), with a
    margin: a prefecture's main island and its municipalities with figures, not every far islet of the feature."""
    feature = next(f for f in boundaries["features"] if f["properties"]["lg_code"] == code)
    geometry = feature["geometry"]
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    main = max(polygons, key=lambda polygon: _ring_area(polygon[0]))
    lngs = [point[0] for point in main[0]] + [lng for _lat, lng in points]
    lats = [point[1] for point in main[0]] + [lat for lat, _lng in points]
    room = max(max(lngs) - min(lngs), max(lats) - min(lats), 0.2) * 0.08
    return min(lngs) - room, min(lats) - room, max(lngs) + room, max(lats) + room


def _ring_area(ring: list[list[float]]) -> float:
    """The shoelace area of a ring in square degrees: enough to tell the largest island."""
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))) / 2


def _geo_layout(bounds: tuple[float, float, float, float] | None) -> dict[str, Any]:
    geo = GEO
    if bounds is not None:
        west, south, east, north = bounds
        geo = {**GEO, "fitbounds": False, "lonaxis": {"range": [west, east]}, "lataxis": {"range": [south, north]}}
    return {"geo": geo, "height": HEIGHT, "margin": {"l": 0, "r": 0, "t": 10, "b": 10}, "hovermode": "closest",
            "dragmode": False}


def _with_boundaries(built: dict[str, Any], geojson: str | dict) -> dict[str, Any]:
    """The boundaries (a URL, or the GeoJSON itself for a figure rendered away from the app) go in after the
    figure's strings are made text: they are the app's own, and walking their 14,000 points each time costs."""
    for trace in built["data"]:
        if trace["type"] == "choropleth":
            trace["geojson"] = geojson
    return built


def _colouring(kind: str, values: list[float], value_title: str, yen: bool, axis: str) -> dict[str, Any]:
    """The colour scale, its range and its bar for figures of a kind; `axis` is the range's letter: "z" for a
    choropleth, "c" for a marker."""
    if kind == "growth":
        reach = max([abs(v) for v in values] + [0.01])
        # whole percents label a spread of ±10% or more; a smaller one needs tenths to tell its ticks apart
        bar = _colorbar(_("Growth"), tickformat="+.0%" if reach >= 0.1 else "+.1%")
        scale, low, high = GROWTH_SCALE, -reach, reach
    elif kind == "rate":
        scale, low, high, bar = RATE_SCALE, 0, 1, _colorbar(_("Reported"), tickformat=".0%")
    else:
        ticks = value_axis(values, yen=yen)
        ticks = {key: ticks[key] for key in ("tickmode", "tickvals", "ticktext", "tickprefix") if key in ticks}
        scale, low, high = VALUE_SCALE, 0, max(values + [1])
        bar = _colorbar(value_title, tickformat=",.0f", **ticks)
    return {"colorscale": scale, f"{axis}min": low, f"{axis}max": high, "colorbar": bar}


def _colorbar(title: str, **ticks: Any) -> dict[str, Any]:
    return {"title": {"text": title, "side": "right"}, "thickness": 14, "len": 0.8, **ticks}


def _hover_value(kind: str, yen: bool, field: str) -> str:
    """A hover template's value: `field` is "%{z" or "%{customdata[2]" without its closing brace."""
    if kind == "growth":
        return field + ":+.1%}"
    if kind == "rate":
        return field + ":.0%}"
    return ("¥" if yen else "") + field + ":,.0f}"


def _point_hover(kind: str, yen: bool) -> str:
    value = ("¥" if yen else "") + "%{customdata[1]:,.0f}"
    if kind == "value":
        return "%{customdata[0]}: " + value + "<extra></extra>"
    return "%{customdata[0]}: " + value + " (%{customdata[2]})<extra></extra>"


def _text(kind: str, figure_value: float | None) -> str:
    """A point's colour figure as hover text, where plotly would format a missing one as a number."""
    if figure_value is None or kind == "value":
        return "–"
    return ("+" if kind == "growth" and figure_value > 0 else "") + percent(figure_value)
