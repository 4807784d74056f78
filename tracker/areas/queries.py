"""SQL over the tree of areas (nation, prefectures, municipalities), shared by the features that select by area."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, or_, select

from tracker.models import Area


def in_subtree(column, area_ids: Sequence[int]) -> ColumnElement[bool]:
    """`column` (an area id) is one of the areas or lies below one of them (areas are at most three deep)."""
    children = select(Area.id).where(Area.parent_id.in_(area_ids))
    grandchildren = select(Area.id).where(Area.parent_id.in_(children))
    return or_(column.in_(area_ids), column.in_(children), column.in_(grandchildren))
