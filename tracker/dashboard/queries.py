"""Reads for the dashboard's breakdowns, all from the scope's row sources (rollups at national scale)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import Area, Exporter, Market, Product
from tracker.models.names import shown_name_sql
from tracker.periods import Month
from tracker.reporting import counts as reporting_counts
from tracker.targets import scope as scopes
from tracker.targets.scope import Scope

CHILD_LEVEL = {"nation": "prefecture", "prefecture": "municipality"}


def by_key(scope: Scope, first: Month, last: Month) -> list[tuple[Month, int | str, int]]:
    """(month, key, value) of every reported month from first to last: key is the market or destination."""
    return _grouped(scopes.rows(scope), first, last)


def by_product(scope: Scope, first: Month, last: Month) -> tuple[list[tuple[Month, int | str, int]], str]:
    """(month, product id or HS code, value) rows, and which of the two keys they carry."""
    source, kind = scopes.product_rows(scope)
    return _grouped(source, first, last), kind


def children(scope: Scope) -> list[Area]:
    """The areas one level down, in code order; none below a municipality."""
    level = CHILD_LEVEL.get(scope.area_level)
    if level is None:
        return []
    return list(db.session.scalars(select(Area).where(Area.parent_id == scope.area_id, Area.level == level)
                                   .order_by(Area.code)))


def by_area(scope: Scope, areas: Sequence[Area], first: Month, last: Month) -> list[tuple[int, Month, int]]:
    """(area id, month, value) of each of the areas (one level below the scope), measured like the scope."""
    if not areas:
        return []
    child = scope.children(areas[0].level)
    source = scopes.rows(child, [a.id for a in areas]).subquery()
    query = (
        select(source.c.area_id, source.c.year, source.c.month, func.sum(source.c.value))
        .where(source.c.year.between(first.year, last.year))
        .group_by(source.c.area_id, source.c.year, source.c.month)
    )
    months = _months(first, last)
    return [(area_id, months[y, m], int(v)) for area_id, y, m, v in db.session.execute(query) if (y, m) in months]


def reporting(scope: Scope, areas: Sequence[Area], first: Month, last: Month
              ) -> tuple[dict[tuple[int, Month], int], dict[int, int]]:
    """How many units of each area reported each month, and how many could: ({(area id, month): n}, {area id: n})."""
    if not areas:
        return {}, {}
    child = scope.children(areas[0].level)
    ids = [a.id for a in areas]
    reported = reporting_counts.reporters(child.metric, ids, summed=child.sums_below).subquery()
    query = select(reported).where(reported.c.year.between(first.year, last.year))
    months = _months(first, last)
    counts = {(area_id, months[y, m]): int(n) for area_id, y, m, n in db.session.execute(query) if (y, m) in months}
    units = {area_id: int(n) for area_id, n in db.session.execute(
        reporting_counts.reporting_units(child.metric, ids, summed=child.sums_below))}
    return counts, units


def market_codes(ids: Sequence[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Market.id, Market.code).where(Market.id.in_(ids))).all())


def products(ids: Sequence[int]) -> dict[int, Product]:
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(ids)))}


def hs_products(scope: Scope, codes: Sequence[str], language: str) -> dict[str, tuple[str, int]]:
    """For each HS code, the products of the scope's exporters that carry it: (the first name, how many)."""
    codes = [c for c in codes if c]
    if not codes:
        return {}
    name = shown_name_sql(Product.name_ja, Product.name_en, language)
    query = (
        select(Product.hs_code, func.min(name), func.count(Product.id))
        .join(Exporter, Exporter.id == Product.exporter_id)
        .where(Product.hs_code.in_(codes), scopes.exporter_area(scope))
        .group_by(Product.hs_code)
    )
    return {code: (first, int(n)) for code, first, n in db.session.execute(query)}


def _grouped(source, first: Month, last: Month) -> list[tuple[Month, int | str, int]]:
    rows = source.subquery()
    query = (
        select(rows.c.year, rows.c.month, rows.c.key, func.sum(rows.c.value))
        .where(rows.c.year.between(first.year, last.year))
        .group_by(rows.c.year, rows.c.month, rows.c.key)
    )
    months = _months(first, last)
    return [(months[y, m], key, int(v)) for y, m, key, v in db.session.execute(query) if (y, m) in months]


def _months(first: Month, last: Month) -> dict[tuple[int, int], Month]:
    """The window's months by (year, month): rows are matched on plain tuples and share one Month per month,
    which keeps thousands of rollup rows per page from building and comparing a Month each."""
    months = (Month.from_index(index) for index in range(first.index, last.index + 1))
    return {(month.year, month.month): month for month in months}
