"""Keep the visitor rollups (sums of municipalities per prefecture and for the nation) in step with writes.

Every write of visitor counts calls `refresh_visitor_rollups` with the months it touched, in the same
transaction, so that the rollups always equal the raw aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, delete, func, insert, literal, or_, select

from tracker.extensions import db
from tracker.models import Area, VisitorCount, VisitorRollup

_BATCH = 200


def refresh_visitor_rollups(months: Iterable[tuple[int, int]]) -> None:
    """Recompute the prefecture and national rollups of the given (year, month) pairs."""
    months = sorted(set(months))
    for start in range(0, len(months), _BATCH):
        _refresh(months[start:start + _BATCH])


def rebuild_visitor_rollups() -> None:
    """Recompute every rollup from the detail (after a bulk load, or to repair)."""
    pairs = db.session.execute(select(VisitorCount.year, VisitorCount.month).distinct()).all()
    db.session.execute(delete(VisitorRollup))
    refresh_visitor_rollups((year, month) for year, month in pairs)


def _refresh(months: list[tuple[int, int]]) -> None:
    nation_id = db.session.scalar(select(Area.id).where(Area.level == "nation"))
    in_months = _in_months(VisitorCount, months)
    in_rollup_months = _in_months(VisitorRollup, months)
    db.session.execute(delete(VisitorRollup).where(in_rollup_months).execution_options(synchronize_session=False))
    municipal = (
        select(Area.parent_id, VisitorCount.year, VisitorCount.month, VisitorCount.market_id,
               func.sum(VisitorCount.visitors), func.count())
        .join(Area, Area.id == VisitorCount.area_id)
        .where(Area.level == "municipality", in_months)
        .group_by(Area.parent_id, VisitorCount.year, VisitorCount.month, VisitorCount.market_id)
    )
    columns = ["area_id", "year", "month", "market_id", "visitors", "areas"]
    db.session.execute(insert(VisitorRollup).from_select(columns, municipal))
    national = (
        select(literal(nation_id), VisitorRollup.year, VisitorRollup.month,
               VisitorRollup.market_id, func.sum(VisitorRollup.visitors), func.sum(VisitorRollup.areas))
        .where(in_rollup_months, VisitorRollup.area_id != nation_id)
        .group_by(VisitorRollup.year, VisitorRollup.month, VisitorRollup.market_id)
    )
    db.session.execute(insert(VisitorRollup).from_select(columns, national))


def _in_months(model, months: list[tuple[int, int]]):
    return or_(*(and_(model.year == year, model.month == month) for year, month in months))
