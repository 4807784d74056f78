"""The charts of a target's page: for each, its title, its rows, its figure and when it applies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.charts import Table
from tracker.charts.breakdowns import bars_figure, monthly_figure, ranking_figure, reporting_figure, share_figure
from tracker.charts.notes import with_notes
from tracker.charts.progress import annual_figure, running_figure
from tracker.dashboard.tables import TargetView


@dataclass(frozen=True)
class Chart:
    key: str
    title: Any
    note: Any
    table: Callable[[TargetView], Table]
    figure: Callable[[TargetView, Table], dict[str, Any]]
    applies: Callable[[TargetView], bool]


def _visitors(view: TargetView) -> bool:
    return view.is_visitors


def _exports(view: TargetView) -> bool:
    return not view.is_visitors


def _has_children(view: TargetView) -> bool:
    return bool(view.children)


def _value_bars(view: TargetView, table: Table) -> dict[str, Any]:
    return bars_figure(table, rest_label=view.rest_label, value_title=view.value_heading, yen=view.is_yen)


def _products_by_hs_code(view: TargetView) -> bool:
    return _exports(view) and view.products_by_hs_code


def _products_by_product(view: TargetView) -> bool:
    return _exports(view) and not view.products_by_hs_code


CHARTS = (
    Chart("annual", _l("Year by year against the required path"),
          _l("Bars are the reported figures; a year under way shows its projection hatched on top."),
          TargetView.annual,
          lambda view, table: annual_figure(table, target_label=view.year_label(view.target.target_year),
                                            target_value=view.target.target_value, value_title=view.value_heading,
                                            yen=view.is_yen, met_label=view.met_label),
          lambda view: True),
    Chart("running", _l("This year, month by month"),
          _l("The running total against the running value the required annual figure needs, spread by last "
             "year's seasons; after the line of the latest figures, the projection."),
          TargetView.running,
          lambda view, table: running_figure(table, value_title=view.value_heading, yen=view.is_yen),
          lambda view: True),
    Chart("monthly", _l("Monthly, stacked by market"), _l("With the change from the same month a year earlier."),
          TargetView.monthly_by_key,
          lambda view, table: with_notes(monthly_figure(table, rest_label=view.rest_label,
                                                        value_title=view.value_heading), view.notes()),
          _visitors),
    Chart("monthly", _l("Monthly, stacked by destination"), _l("With the change from the same month a year earlier."),
          TargetView.monthly_by_key,
          lambda view, table: with_notes(monthly_figure(table, rest_label=view.rest_label,
                                                        value_title=view.value_heading, yen=view.is_yen),
                                         view.notes()),
          _exports),
    Chart("markets", _l("Share by market"), _l("The ten largest markets and the rest, in the last year shown."),
          TargetView.shares, lambda view, table: share_figure(table, rest_label=view.rest_label), _visitors),
    Chart("destinations", _l("Value by destination"), _l("The ten largest and the rest, in the last year shown."),
          TargetView.shares, _value_bars, _exports),
    Chart("products", _l("Value by product"), _l("The ten largest and the rest, in the last year shown."),
          TargetView.products, _value_bars, _products_by_product),
    Chart("products", _l("Value by HS code"),
          _l("The sums of the areas below are kept by HS code, not by product: each bar is an HS code, named with "
             "a product of the area's exporters that has it and how many more do. The ten largest and the rest, "
             "in the last year shown."),
          TargetView.products, _value_bars, _products_by_hs_code),
    Chart("areas", _l("Areas ranked by growth"),
          _l("The last year shown against the same months a year before, for each area one level down."),
          TargetView.areas, lambda view, table: ranking_figure(table, yen=view.is_yen), _has_children),
    Chart("reporting", _l("Who has reported"),
          _l("Reporting units (municipalities, or exporters) that sent figures, per area and month."),
          TargetView.reporting, lambda view, table: reporting_figure(table), _has_children),
)


def charts_for(view: TargetView) -> list[Chart]:
    return [chart for chart in CHARTS if chart.applies(view)]


def chart_for(view: TargetView, key: str) -> Chart | None:
    return next((chart for chart in charts_for(view) if chart.key == key), None)
