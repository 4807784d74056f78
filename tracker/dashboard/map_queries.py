"""What the maps show, one plain row per area one level below the scope's: its figures for a year, their growth
against the same months a year earlier, and the share of its reporting units that reported the latest due month.

Figures are read as the dashboard's other breakdowns read them (`queries.by_area`: the rollups at national scale,
approved months only under that filter, a market or destination filter); export figures that would single out an
exporter the reader may not see in detail are withheld (`privacy.withheld_export_groups`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tracker.dashboard import queries
from tracker.dashboard.privacy import withheld_export_groups
from tracker.extensions import db
from tracker.models import Area, User
from tracker.periods import Month
from tracker.reporting import queries as reporting_queries
from tracker.reporting import rates, units
from tracker.reporting.deadlines import latest_due_month
from tracker.targets import scope as scopes
from tracker.targets.scope import Scope


@dataclass(frozen=True)
class AreaFigures:
    code: str
    name: str
    office: tuple[float, float] | None
    value: int | None  # the sum of the year's months that have figures; None without any
    growth: float | None  # those months against the same months a year earlier, where both have figures
    withheld: bool = False


def area_figures(scope: Scope, months: Sequence[Month], language: str, user: User | None) -> list[AreaFigures]:
    """Each area one level below the scope's, in code order, with its figures over `months` (a year, or the part
    of it that has passed). `user` None reads as an admin does."""
    areas = queries.children(scope)
    series: dict[int, dict[Month, int]] = defaultdict(dict)
    for area_id, month, value in queries.by_area(scope, areas, months[0].shift(-12), months[-1]):
        series[area_id][month] = value
    withheld = _withheld(scope, months, user)
    rows = []
    for area in areas:
        office = (area.office_lat, area.office_lng) if area.office_lat is not None else None
        if area.id in withheld:
            rows.append(AreaFigures(area.code, area.name_in(language), office, None, None, withheld=True))
            continue
        figures = series.get(area.id, {})
        current = [month for month in months if month in figures]
        both = [month for month in current if month.shift(-12) in figures]
        before = sum(figures[month.shift(-12)] for month in both)
        growth = sum(figures[month] for month in both) / before - 1 if before > 0 else None
        value = sum(figures[month] for month in current) if current else None
        rows.append(AreaFigures(area.code, area.name_in(language), office, value, growth))
    return rows


def _withheld(scope: Scope, months: Sequence[Month], user: User | None) -> set[int]:
    if scope.is_visitors or user is None:
        return set()
    return withheld_export_groups(user, scope, "area", months[0].shift(-12), months[-1])


def reporting_month(scope: Scope, on: date) -> Month:
    """The latest month whose figures were due by `on` under the scope's reporting rule."""
    return latest_due_month(units.rule(_reporting_metric(scope)), on)


def reporting_rates(scope: Scope, month: Month, on: date) -> dict[str, float]:
    """Area code -> the share of the reporting units in or below that area (one level below the scope's) that
    submitted the month; areas with no unit expected to report are left out."""
    metric = _reporting_metric(scope)
    parent = db.session.get(Area, scope.area_id)
    unit_rows = reporting_queries.units_in(metric, parent)
    states = reporting_queries.month_states(metric, unit_rows, [month], on)
    if scope.area_level == "nation":
        codes = dict(db.session.execute(select(Area.id, Area.code).where(Area.parent_id == parent.id)).all())
        grouped = rates.by_prefecture(states, on)
        return {codes[key]: summary.reporting_rate for key, summary in grouped.items() if key in codes}
    by_area: dict[str, list[rates.MonthState]] = defaultdict(list)
    for state in states:
        by_area[state.unit.area_code].append(state)
    return {code: rates.summarize(rows, on).reporting_rate for code, rows in by_area.items()}


def latest_year(scope: Scope, today: date) -> int | None:
    """The latest calendar year up to today's in which an area one level below the scope's has figures."""
    areas = queries.children(scope)
    if not areas:
        return None
    source = scopes.rows(scope.children(areas[0].level), [area.id for area in areas]).subquery()
    return db.session.scalar(select(func.max(source.c.year)).where(source.c.year <= today.year))


def _reporting_metric(scope: Scope) -> str:
    """The reporting cycle's name for the scope's figures."""
    return "visitors" if scope.is_visitors else "exports"
