"""Which figures a target reads, as SQL row sources: the area's own series, or the rollups of the areas below.

National arrivals are not the sum of municipal counts, so a target reads its area's own reported series
unless it asks for the sum of the areas below it; that sum comes from the rollups (a few thousand rows at
national scale), never from the municipal detail. A municipality has nothing below it: its own series.
Export sales belong to exporters, and an area's own exports are those of the exporters based there.

Every source is a SELECT with the columns `area_id, year, month, key, value`; `key` is the market
(visitors), the destination (exports) or, for product breakdowns, the product or its HS code.

`approved_only` reads the figures of approved unit-months alone (leadership's filter): the rollups do not know
approval, so such a scope sums the detail of the units below, joined to their approved months.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, and_, literal, select

from tracker.areas.queries import in_subtree
from tracker.models import (
    Area,
    Exporter,
    ExportProductRollup,
    ExportRollup,
    ExportSale,
    ReportingMonth,
    Target,
    VisitorCount,
    VisitorRollup,
)


@dataclass(frozen=True)
class Scope:
    metric: str
    area_id: int
    area_level: str
    include_subareas: bool = False
    market_id: int | None = None
    product_id: int | None = None
    destination_id: int | None = None
    approved_only: bool = False

    @classmethod
    def of(cls, target: Target, approved_only: bool = False) -> Scope:
        return cls(metric=target.metric, area_id=target.area_id, area_level=target.area.level,
                   include_subareas=target.include_subareas, market_id=target.market_id,
                   product_id=target.product_id, destination_id=target.destination_id, approved_only=approved_only)

    @property
    def sums_below(self) -> bool:
        """Measured as the sum of the municipalities below the area."""
        return self.include_subareas and self.area_level != "municipality"

    @property
    def uses_rollups(self) -> bool:
        return self.sums_below and not self.approved_only

    @property
    def is_visitors(self) -> bool:
        return self.metric == "visitors"

    def children(self, level: str) -> Scope:
        """The same filters for an area one level down (measured as the sum of what lies below it)."""
        return replace(self, area_level=level, include_subareas=True)


def rows(scope: Scope, area_ids: Sequence[int] | None = None) -> Select:
    """The scope's figures; `area_ids` reads the same figures for other areas of the scope's level."""
    ids = [scope.area_id] if area_ids is None else list(area_ids)
    if scope.is_visitors:
        return _visitor_rows(scope, ids)
    if scope.product_id is not None:
        sale = ExportSale
        query = select(literal(scope.area_id).label("area_id"), sale.year, sale.month,
                       sale.destination_id.label("key"), sale.value_jpy.label("value"))
        return _approved(_destination_filter(_of_product(query, scope), scope), scope)
    if scope.uses_rollups:
        r = ExportRollup
        query = select(r.area_id, r.year, r.month, r.destination_id.label("key"), r.value_jpy.label("value"))
        return _destination_filter(query.where(r.area_id.in_(ids)), scope, r.destination_id)
    if scope.sums_below:
        query = (select(_summing_area(scope, ids).label("area_id"), ExportSale.year, ExportSale.month,
                        ExportSale.destination_id.label("key"), ExportSale.value_jpy.label("value"))
                 .join(Exporter, Exporter.id == ExportSale.exporter_id).join(Area, Area.id == Exporter.area_id)
                 .where(_below(scope, ids)))
        return _approved(_destination_filter(query, scope), scope)
    query = (
        select(Exporter.area_id, ExportSale.year, ExportSale.month, ExportSale.destination_id.label("key"),
               ExportSale.value_jpy.label("value"))
        .join(Exporter, Exporter.id == ExportSale.exporter_id).where(Exporter.area_id.in_(ids))
    )
    return _approved(_destination_filter(query, scope), scope)


def _summing_area(scope: Scope, ids: list[int]):
    """The area a municipality's figures count for: its prefecture, or the nation."""
    return literal(ids[0]) if scope.area_level == "nation" else Area.parent_id


def _below(scope: Scope, ids: list[int]):
    """The municipalities below the areas (every one below the nation), as the rollups sum them."""
    municipal = Area.level == "municipality"
    return municipal if scope.area_level == "nation" else and_(municipal, Area.parent_id.in_(ids))


def _approved(query: Select, scope: Scope) -> Select:
    """Only the figures of approved unit-months, when the scope asks for them (export sales)."""
    if not scope.approved_only:
        return query
    return query.join(ReportingMonth, and_(ReportingMonth.exporter_id == ExportSale.exporter_id,
                                           ReportingMonth.year == ExportSale.year,
                                           ReportingMonth.month == ExportSale.month,
                                           ReportingMonth.status == "approved"))


def products_by_hs_code(scope: Scope) -> bool:
    """Whether product breakdowns read the rollups, which keep sums by HS code, not by product."""
    return scope.uses_rollups and scope.destination_id is None and scope.product_id is None


def product_rows(scope: Scope) -> tuple[Select, str]:
    """Export figures keyed by product, or by HS code where only rollups are read: (rows, "product" | "hs")."""
    if products_by_hs_code(scope):
        r = ExportProductRollup
        return select(r.area_id, r.year, r.month, r.hs_code.label("key"), r.value_jpy.label("value")).where(
            r.area_id == scope.area_id), "hs"
    query = select(literal(scope.area_id).label("area_id"), ExportSale.year, ExportSale.month,
                   ExportSale.product_id.label("key"), ExportSale.value_jpy.label("value"))
    if scope.product_id is not None:
        query = _of_product(query, scope)
    else:
        query = query.join(Exporter, Exporter.id == ExportSale.exporter_id).where(exporter_area(scope))
    return _approved(_destination_filter(query, scope), scope), "product"


def _visitor_rows(scope: Scope, ids: list[int]) -> Select:
    if scope.uses_rollups:
        source = VisitorRollup
        query = select(source.area_id, source.year, source.month, source.market_id.label("key"),
                       source.visitors.label("value")).where(source.area_id.in_(ids))
    else:
        source = VisitorCount
        if scope.sums_below:
            query = (select(_summing_area(scope, ids).label("area_id"), source.year, source.month,
                            source.market_id.label("key"), source.visitors.label("value"))
                     .join(Area, Area.id == source.area_id).where(_below(scope, ids)))
        else:
            query = select(source.area_id, source.year, source.month, source.market_id.label("key"),
                           source.visitors.label("value")).where(source.area_id.in_(ids))
        if scope.approved_only:
            query = query.join(ReportingMonth, and_(ReportingMonth.area_id == source.area_id,
                                                    ReportingMonth.year == source.year,
                                                    ReportingMonth.month == source.month,
                                                    ReportingMonth.status == "approved"))
    if scope.market_id is not None:
        query = query.where(source.market_id == scope.market_id)
    return query


def _destination_filter(query: Select, scope: Scope, column=ExportSale.destination_id) -> Select:
    return query if scope.destination_id is None else query.where(column == scope.destination_id)


def _of_product(query: Select, scope: Scope) -> Select:
    """The sales of the scope's product, when its exporter is based in the area or anywhere below it.

    One product is one exporter's, so there is nothing to count twice; a product target may name a product of
    an exporter below its area (a prefecture's target for a municipality's sake), whichever figures it measures.
    """
    return query.join(Exporter, Exporter.id == ExportSale.exporter_id).where(
        ExportSale.product_id == scope.product_id, in_subtree(Exporter.area_id, [scope.area_id]))


def exporter_area(scope: Scope):
    """The exporters of the scope: the area's own, or (as in the rollups) those of the municipalities below."""
    if not scope.sums_below:
        return Exporter.area_id == scope.area_id
    below = select(Area.id).where(Area.parent_id == scope.area_id, Area.level == "municipality")
    if scope.area_level == "nation":
        below = select(Area.id).where(Area.level == "municipality")
    return Exporter.area_id.in_(below)
