"""Reads of visitor figures: the grid, the overview, exports in the import format, and the API's series."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import STATUSES, Area, Market, ReportingRollup, VisitorCount, VisitorRollup
from tracker.periods import Month
from tracker.reference import NATION_CODE

GROUPS = ("month", "year", "market", "area")


@dataclass(frozen=True)
class GridRow:
    market: str
    visitors: int | None
    version: int | None
    last_year: int | None
    previous_month: int | None


def month_figures(area: Area, month: Month) -> dict[str, tuple[int, str, int]]:
    """market code -> (visitors, status, version) of one area's month."""
    rows = db.session.execute(
        select(Market.code, VisitorCount.visitors, VisitorCount.status, VisitorCount.version)
        .join(Market, Market.id == VisitorCount.market_id)
        .where(VisitorCount.area_id == area.id, VisitorCount.year == month.year, VisitorCount.month == month.month))
    return {code: (visitors, status, version) for code, visitors, status, version in rows}


def grid(area: Area, month: Month, markets: list[str]) -> list[GridRow]:
    """One row per market: this month's figure and version, the same month last year and the previous month."""
    current = month_figures(area, month)
    last_year = month_figures(area, month.shift(-12))
    previous = month_figures(area, month.shift(-1))
    codes = list(markets) + sorted(set(current) - set(markets))
    return [GridRow(code, *(current[code][0::2] if code in current else (None, None)),
                    last_year.get(code, (None,))[0], previous.get(code, (None,))[0]) for code in codes]


def month_status(area: Area, month: Month) -> str | None:
    """The least final status among the month's figures (a month is final when all its figures are)."""
    statuses = {status for _visitors, status, _version in month_figures(area, month).values()}
    return next((status for status in STATUSES if status in statuses), None)


@dataclass(frozen=True)
class OverviewCell:
    """A month of an area: its own figures (with the least final status), or, for an area without its own that
    month, the sum of the municipalities below it and the share of them that reported."""

    total: int
    status: str | None = None
    share: float | None = None  # set on a sum of the municipalities below

    @property
    def summed(self) -> bool:
        return self.share is not None


def overview(areas: list[Area], year: int) -> list[tuple[Area, dict[int, OverviewCell]]]:
    """Each area with month -> its cell in a year; an area that reported nothing keeps its row, empty, since who
    has not reported is what the table is for. A prefecture or the nation without its own series in a month shows
    the sum of its municipalities (from the rollups), never nothing over municipalities that have figures."""
    rank = {status: index for index, status in enumerate(STATUSES)}
    rows = db.session.execute(
        select(VisitorCount.area_id, VisitorCount.month, VisitorCount.status, func.sum(VisitorCount.visitors))
        .where(VisitorCount.area_id.in_([area.id for area in areas]), VisitorCount.year == year)
        .group_by(VisitorCount.area_id, VisitorCount.month, VisitorCount.status))
    cells: dict[int, dict[int, OverviewCell]] = {area.id: {} for area in areas}
    for area_id, month, status, total in rows:
        known = cells[area_id].get(month)
        if known is None:
            cells[area_id][month] = OverviewCell(int(total), status)
        else:
            least = status if rank[status] < rank[known.status] else known.status
            cells[area_id][month] = OverviewCell(known.total + int(total), least)
    above = [area for area in areas if area.level != "municipality"]
    for area_id, month, total, share in _sums_below(above, year):
        cells[area_id].setdefault(month, OverviewCell(total, share=share))
    return [(area, cells[area.id]) for area in areas]


def same_months_change(cells: dict[int, OverviewCell], before: dict[int, OverviewCell]) -> float | None:
    """The year's months against the same months a year earlier (a month missing in either counts in neither),
    as a fraction: the overview's year-on-year column."""
    months = [month for month in cells if month in before]
    then = sum(before[month].total for month in months)
    if not months or then <= 0:
        return None
    return sum(cells[month].total for month in months) / then - 1


def overview_changes(areas: list[Area], year: int,
                     rows: list[tuple[Area, dict[int, OverviewCell]]]) -> dict[int, float | None]:
    """Area id -> its year-on-year change, for the overview's `rows` of `year`."""
    before = {area.id: cells for area, cells in overview(areas, year - 1)}
    return {area.id: same_months_change(cells, before[area.id]) for area, cells in rows}


def _sums_below(areas: list[Area], year: int) -> list[tuple[int, int, int, float]]:
    """(area id, month, sum of the municipalities below, share of them that reported) from the rollups."""
    if not areas:
        return []
    ids = [area.id for area in areas]
    municipal = Area.level == "municipality"
    counts = dict(db.session.execute(
        select(Area.parent_id, func.count()).where(municipal, Area.parent_id.in_(ids)).group_by(Area.parent_id)).all())
    if any(area.code == NATION_CODE for area in areas):
        nation = next(area.id for area in areas if area.code == NATION_CODE)
        counts[nation] = db.session.scalar(select(func.count()).select_from(Area).where(municipal)) or 0
    sums = db.session.execute(
        select(VisitorRollup.area_id, VisitorRollup.month, func.sum(VisitorRollup.visitors))
        .where(VisitorRollup.area_id.in_(ids), VisitorRollup.year == year)
        .group_by(VisitorRollup.area_id, VisitorRollup.month))
    reporters = {(area_id, month): n for area_id, month, n in db.session.execute(
        select(ReportingRollup.area_id, ReportingRollup.month, ReportingRollup.reporters)
        .where(ReportingRollup.area_id.in_(ids), ReportingRollup.year == year, ReportingRollup.metric == "visitors"))}
    return [(area_id, month, int(total), reporters.get((area_id, month), 0) / counts[area_id])
            for area_id, month, total in sums if counts.get(area_id)]


def latest_year(areas: list[Area], today_year: int) -> int | None:
    """The latest year, up to this one, in which any of the areas reported: where their overview opens, so that
    in January (or on data that stops earlier) it shows the months being reported rather than an empty year."""
    return db.session.scalar(
        select(func.max(VisitorCount.year))
        .where(VisitorCount.area_id.in_([area.id for area in areas]), VisitorCount.year <= today_year))


def area_with_subareas(area: Area) -> list[Area]:
    """The area and the areas one level below it: the nation and its prefectures, a prefecture and its
    municipalities."""
    below = db.session.scalars(select(Area).where(Area.parent_id == area.id).order_by(Area.code))
    return [area, *below]


def export_rows(area_ids: list[int] | None, first: Month | None, last: Month | None,
                markets: list[str] | None) -> Iterator[tuple]:
    """The selection in the import format (COLUMNS order), streamed in key order."""
    query = (
        select(Area.code, VisitorCount.year, VisitorCount.month, Market.code, VisitorCount.visitors,
               VisitorCount.status)
        .join(Area, Area.id == VisitorCount.area_id).join(Market, Market.id == VisitorCount.market_id)
        .order_by(Area.code, VisitorCount.year, VisitorCount.month, Market.code)
    )
    if area_ids:
        query = query.where(VisitorCount.area_id.in_(area_ids))
    if first is not None:
        query = query.where(VisitorCount.year * 12 + VisitorCount.month - 1 >= first.index)
    if last is not None:
        query = query.where(VisitorCount.year * 12 + VisitorCount.month - 1 <= last.index)
    if markets:
        query = query.where(Market.code.in_(markets))
    yield from db.session.execute(query.execution_options(yield_per=5000))


def series(area: Area, group_by: str, *, first: Month | None = None, last: Month | None = None,
           market: str | None = None, include_subareas: bool = False) -> list[dict]:
    """The API's rows: the area's own figures, or (include_subareas) the sum of the municipalities below it.

    Sums below a prefecture or the nation come from the rollups; a breakdown by area lists the municipalities.
    A municipality has nothing below it: its own figures are its series either way.
    """
    below = include_subareas and area.level != "municipality"
    source = VisitorRollup if below and group_by != "area" else VisitorCount
    keys = {
        "month": (source.year, source.month),
        "year": (source.year,),
        "market": (Market.code,),
        "area": (Area.code,),
    }[group_by]
    query = (
        select(*keys, func.sum(source.visitors))
        .join(Market, Market.id == source.market_id).join(Area, Area.id == source.area_id)
        .group_by(*keys).order_by(*keys)
    )
    if below and group_by == "area":
        query = query.where(Area.level == "municipality")
        if area.level == "prefecture":
            query = query.where(Area.parent_id == area.id)
    else:
        query = query.where(source.area_id == area.id)
    if first is not None:
        query = query.where(source.year * 12 + source.month - 1 >= first.index)
    if last is not None:
        query = query.where(source.year * 12 + source.month - 1 <= last.index)
    if market:
        query = query.where(Market.code == market)
    rows = []
    for *key, visitors in db.session.execute(query):
        value = f"{key[0]:04d}-{key[1]:02d}" if group_by == "month" else key[0]
        rows.append({group_by: value, "visitors": int(visitors)})
    return rows
