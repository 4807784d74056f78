"""Reads for the admin pages."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from tracker.extensions import db
from tracker.models import AREA_LEVELS, Area, User

AREAS_PER_PAGE = 50


def user_rows() -> list[User]:
    return list(
        db.session.scalars(
            select(User).options(selectinload(User.areas), selectinload(User.exporter)).order_by(User.email)
        )
    )


def area_page(query: str, level: str, page: int):
    """Areas matching a code or a name (kanji, kana or English), a page at a time."""
    statement = select(Area).options(selectinload(Area.parent)).order_by(Area.code)
    if level in AREA_LEVELS:
        statement = statement.where(Area.level == level)
    if query:
        pattern = f"%{query}%"
        statement = statement.where(
            or_(Area.code.like(pattern), Area.name_ja.like(pattern), Area.name_kana.like(pattern),
                Area.name_en.ilike(pattern))
        )
    return db.paginate(statement, page=max(page, 1), per_page=AREAS_PER_PAGE, error_out=False)
