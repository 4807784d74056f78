"""The map of the dashboard and of a target's page: which figure it shows (the metric switch), its rows and its
figure. The nation's map fills the prefectures; a prefecture's shows its municipalities as points."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any
from urllib.parse import urlencode

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker import policy
from tracker.areas.queries import area_by_code
from tracker.charts import Table
from tracker.charts.maps import choropleth_figure, points_figure, view_bounds
from tracker.dashboard import map_queries
from tracker.dashboard.tables import TargetView
from tracker.formatting import month_label, year_label
from tracker.models import Area, User
from tracker.periods import Month, months_of_year
from tracker.reference import NATION_CODE
from tracker.targets.scope import Scope
from tracker.templating import asset_url

BOUNDARIES = "geo/japan-prefectures.geojson"
TOPOJSON = "geo/topojson/"
# The switch's keys (the `map` URL argument) and labels; growth and reporting are of the page's own figures.
METRICS = {"visitors": _l("Visitors"), "exports": _l("Export value"), "growth": _l("Growth"),
           "reporting": _l("Reporting rate")}
DASHBOARD_METRICS = ("visitors", "growth", "exports", "reporting")


@dataclass(frozen=True)
class MapPanel:
    area: Area  # the nation or a prefecture: what the map is of
    metric: str
    metrics: tuple[str, ...]
    title: str
    note: str
    table: Table
    figure: dict[str, Any]

    @property
    def drills(self) -> bool:
        """A click on a prefecture opens its view."""
        return self.area.level == "nation"


def map_area(args: Mapping[str, str], problems: list[str]) -> Area | None:
    """The `area` argument of the dashboard's map: the nation or a prefecture; a bad one is named and ignored."""
    text = args.get("area", "").strip()
    if not text:
        return None
    area = area_by_code(text)
    if area is None or area.level == "municipality":
        problems.append(_("Map: %(code)s is not the code of the nation or a prefecture.", code=text))
        return None
    return area


def chosen(args: Mapping[str, str], metrics: tuple[str, ...]) -> str:
    """The metric the `map` argument asks for, the first of `metrics` when it names none of them."""
    asked = args.get("map", "")
    return asked if asked in metrics else metrics[0]


def dashboard_map(area: Area | None, metric: str, *, approved: bool, today: date, language: str,
                  user: User | None) -> MapPanel:
    """The dashboard's map: the latest calendar year with figures (this year while there are none), the nation's
    prefectures or a prefecture's municipalities, every figure or the approved ones only."""
    area = area or area_by_code(NATION_CODE)
    scope = Scope(metric="export_value" if metric == "exports" else "visitors", area_id=area.id,
                  area_level=area.level, include_subareas=True, approved_only=approved)
    year = map_queries.latest_year(scope, today) or today.year
    return build(scope, area, metric, DASHBOARD_METRICS, year, "calendar", today=today, language=language,
                 user=user)


def target_map(view: TargetView, args: Mapping[str, str], geojson: str | dict | None = None) -> MapPanel | None:
    """The map of a target's page, under its filters and for the last year its charts show; none for a
    municipality (nothing lies below it) or under a product filter (a product's sales are not split by area)."""
    scope = view.scope
    if scope.area_level == "municipality" or scope.product_id is not None:
        return None
    metrics = ("visitors" if view.is_visitors else "exports", "growth", "reporting")
    area = view.filters.area or view.target.area
    return build(scope, area, chosen(args, metrics), metrics, view.last_year, view.basis, today=view.today,
                 language=view.language, user=view.user, geojson=geojson)


def build(scope: Scope, area: Area, metric: str, metrics: tuple[str, ...], year: int, basis: str, *, today: date,
          language: str, user: User | None, geojson: str | dict | None = None) -> MapPanel:
    """The panel for the scope's areas one level down. `geojson` defaults to the boundaries' URL; a figure
    rendered away from the app (a PDF) passes `prefecture_boundaries()` instead."""
    whole_year = months_of_year(year, basis)
    months = [month for month in whole_year if month <= Month.of(today)] or whole_year
    figures = map_queries.area_figures(scope, months, language, user)
    value_title = _("Visitors") if scope.is_visitors else _("Export value (JPY)")
    period = year_label(year, basis)
    if metric == "reporting":
        month = map_queries.reporting_month(scope, today)
        found = map_queries.reporting_rates(scope, month, today)
        shown = [(found.get(row.code), _("no unit reports here")) for row in figures]
        kind, title = "rate", _("Reporting rate, %(month)s", month=month_label(month.year, month.month))
        note = _("The share of the reporting units that submitted the latest month whose figures are due.")
    elif metric == "growth":
        shown = [(row.growth, _reason(row, "growth")) for row in figures]
        kind, title = "growth", _("Growth, %(year)s", year=period)
        note = _("Against the same months a year earlier, where both years have figures.")
    else:
        shown = [(row.value, _reason(row, "value")) for row in figures]
        kind, title = "value", _("%(figure)s, %(year)s", figure=value_title, year=period)
        note = _("The months of the year that have figures (the year to date while it is under way).")
    options = {"geojson": geojson if geojson is not None else boundaries_url(), "kind": kind,
               "value_title": value_title, "yen": not scope.is_visitors}
    if area.level == "nation":
        table = Table((_("Code"), _("Area"), str(METRICS[metric]), _("Why no figure")),
                      tuple((row.code, row.name, figure, "" if figure is not None else reason)
                            for row, (figure, reason) in zip(figures, shown, strict=True)))
        return MapPanel(area, metric, metrics, title, note, table, choropleth_figure(table, **options))
    # a prefecture's municipalities: points sized by their value, coloured by the figure shown
    table = Table((_("Code"), _("Area"), _("Latitude"), _("Longitude"), value_title, str(METRICS[metric]),
                   _("Why no figure")),
                  tuple((row.code, row.name, *(row.office or (None, None)), row.value, figure,
                         "" if row.value is not None else _reason(row, "value"))
                        for row, (figure, _reason_text) in zip(figures, shown, strict=True)))
    note = note + " " + _("Each municipality is a point at its office, sized by its value.")
    bounds = view_bounds(prefecture_boundaries(), area.code,
                         [row.office for row in figures if row.office is not None and row.value is not None])
    return MapPanel(area, metric, metrics, title, note, table,
                    points_figure(table, outline=area.code, bounds=bounds, **options))


def _reason(row: map_queries.AreaFigures, kind: str) -> str:
    """Why an area shows no figure."""
    if row.withheld:
        return _("withheld: fewer than %(num)d exporters", num=policy.MIN_EXPORTERS_PER_GROUP)
    if kind == "growth" and row.value is not None:
        return _("no figures for the same months a year earlier")
    return _("no figures")


def metric_label(key: str) -> str:
    return str(METRICS[key])


def link(**changes: str | None) -> str:
    """This page's URL with the arguments changed (None removes one), at the map. The query is written apart from
    `url_for`, which would read an argument named like its own (`_external`, `endpoint`) as an instruction."""
    args = {**request.args.to_dict(), **changes}
    query = urlencode({key: value for key, value in args.items() if value is not None})
    return url_for(request.endpoint, **(request.view_args or {})) + (f"?{query}" if query else "") + "#map"


def boundaries_url() -> str:
    return asset_url(BOUNDARIES)


def topojson_url() -> str:
    """Where plotly loads its (empty) topojson from: a folder, to which plotly adds the file's name."""
    return url_for("static", filename=TOPOJSON)


def prefecture_boundaries() -> dict[str, Any]:
    """The prefectures' GeoJSON itself, for figures drawn where the app's URLs do not reach."""
    return _load(os.path.join(current_app.static_folder, BOUNDARIES))


@cache
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as file:
        return json.load(file)
