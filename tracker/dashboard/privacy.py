"""Which export breakdowns of a target's scope would single out an exporter a reader may not see in detail.

Counting the exporters behind every group reads every sale of the window (seconds at national scale), so the
rollups answer first where they can: a group that had enough exporters in some month of the window has enough in
the window, and only the other groups are counted from the sales."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import and_, func, select

from tracker import policy
from tracker.exports.queries import detail_visible, withheld_groups
from tracker.extensions import db
from tracker.models import Area, Exporter, ExportProductRollup, ExportRollup, ExportSale, Product, ReportingRollup, User
from tracker.periods import Month
from tracker.targets.scope import Scope, exporter_area

# The column each breakdown groups the scope's sales by (the HS code as the rollups keep it).
_KEYS = {
    "destination": lambda scope: ExportSale.destination_id,
    "product": lambda scope: ExportSale.product_id,
    "hs": lambda scope: func.coalesce(Product.hs_code, ""),
    "area": lambda scope: Area.parent_id if scope.area_level == "nation" else Area.id,
}
# Each breakdown's rollup: (its key, its count of exporters, the rows that count); the areas below the nation are
# its prefectures, whose exporters the reporting rollups count.
_ROLLUPS = {
    "destination": lambda: (ExportRollup.destination_id, ExportRollup.exporters, ExportRollup),
    "hs": lambda: (ExportProductRollup.hs_code, ExportProductRollup.exporters, ExportProductRollup),
    "area": lambda: (ReportingRollup.area_id, ReportingRollup.reporters, ReportingRollup),
}


def withheld_export_groups(user: User, scope: Scope, group: str, first: Month, last: Month) -> set:
    if group == "product":
        # a product is one exporter's: withheld exactly when the user may not see that exporter's detail
        return set(db.session.scalars(select(Product.id).join(Exporter, Exporter.id == Product.exporter_id)
                                      .where(exporter_area(scope), ~detail_visible(user))))
    if group == "area":
        # the areas below are measured as the sums of their exporters, whatever the scope's own area counts
        scope = replace(scope, include_subareas=True)
    key = _KEYS[group](scope)
    conditions = [exporter_area(scope), ExportSale.year * 12 + ExportSale.month - 1 >= first.index,
                  ExportSale.year * 12 + ExportSale.month - 1 <= last.index]
    if scope.destination_id is not None:
        conditions.append(ExportSale.destination_id == scope.destination_id)
    if scope.product_id is not None:
        conditions.append(ExportSale.product_id == scope.product_id)
    if group == "area":
        conditions.append(Area.id == Exporter.area_id)
    unsure = _unsure_keys(scope, group, first, last)
    if unsure is not None:
        if not unsure:
            return set()
        conditions.append(key.in_(sorted(unsure)))
    return withheld_groups(user, key, *conditions)


def _unsure_keys(scope: Scope, group: str, first: Month, last: Month) -> set | None:
    """The groups that no month of the window shows backed by enough exporters, from the rollups; None where the
    rollups do not hold the scope's breakdown (a municipality, a filter on product or destination, approved
    figures only)."""
    if not scope.uses_rollups or scope.product_id is not None or scope.destination_id is not None:
        return None
    if group == "area" and scope.area_level != "nation":
        return None
    key, exporters, rollup = _ROLLUPS[group]()
    in_window = and_(rollup.year * 12 + rollup.month - 1 >= first.index,
                     rollup.year * 12 + rollup.month - 1 <= last.index)
    if group == "area":
        where = [ReportingRollup.metric == "export_value", ReportingRollup.area_id != scope.area_id]
    else:
        where = [rollup.area_id == scope.area_id]
    rows = db.session.execute(select(key, func.max(exporters)).where(in_window, *where).group_by(key))
    return {value for value, most in rows if most < policy.MIN_EXPORTERS_PER_GROUP}
