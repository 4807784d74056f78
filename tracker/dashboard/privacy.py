"""Which export breakdowns of a target's scope would single out an exporter a reader may not see in detail."""

from __future__ import annotations

from sqlalchemy import func

from tracker.exports.queries import withheld_groups
from tracker.models import Area, Exporter, ExportSale, Product, User
from tracker.periods import Month
from tracker.targets.scope import Scope, exporter_area

# The column each breakdown groups the scope's sales by (the HS code as the rollups keep it).
_KEYS = {
    "destination": lambda scope: ExportSale.destination_id,
    "product": lambda scope: ExportSale.product_id,
    "hs": lambda scope: func.coalesce(Product.hs_code, ""),
    "area": lambda scope: Area.parent_id if scope.area_level == "nation" else Area.id,
}


def withheld_export_groups(user: User, scope: Scope, group: str, first: Month, last: Month) -> set:
    conditions = [exporter_area(scope), ExportSale.year * 12 + ExportSale.month - 1 >= first.index,
                  ExportSale.year * 12 + ExportSale.month - 1 <= last.index]
    if scope.destination_id is not None:
        conditions.append(ExportSale.destination_id == scope.destination_id)
    if scope.product_id is not None:
        conditions.append(ExportSale.product_id == scope.product_id)
    if group == "area":
        conditions.append(Area.id == Exporter.area_id)
    return withheld_groups(user, _KEYS[group](scope), *conditions)
