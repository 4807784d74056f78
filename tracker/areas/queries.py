"""SQL over the tree of areas (nation, prefectures, municipalities), shared by the features that select by area."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from tracker.areas.codes import InvalidAreaCode, area_code_readings, lost_zero_note, normalise_area_code
from tracker.extensions import db
from tracker.models import Area
from tracker.models.names import shown_name


def area_by_code(code: str) -> Area | None:
    """The area of a code as people write it (" jp", a 5-digit code without its check digit, a code whose leading
    zero a spreadsheet dropped); None when the text is not a local-government code or no area has it."""
    return areas_by_codes([code])[code]


def areas_by_codes(codes: Iterable[str]) -> dict[str, Area | None]:
    """area_by_code() of each text, in one query."""
    readings: dict[str, tuple[str, ...]] = {}
    for code in codes:
        try:
            readings[code] = area_code_readings(code)
        except InvalidAreaCode:
            readings[code] = ()
    wanted = {reading for candidates in readings.values() for reading in candidates}
    found = {area.code: area for area in db.session.scalars(select(Area).where(Area.code.in_(wanted)))} if wanted \
        else {}
    return {code: next((found[reading] for reading in candidates if reading in found), None)
            for code, candidates in readings.items()}


class UnknownArea(LookupError):
    """A code that names no area; the message says whether it is no local-government code or no area has it."""


def find_area(code: str) -> Area:
    """The area of a code as people write it, or UnknownArea with the message to show beside the field."""
    try:
        normalise_area_code(code)
    except InvalidAreaCode:
        raise UnknownArea(_("Not a local-government code: %(code)s", code=code)) from None
    area = area_by_code(code)
    if area is None:
        if note := lost_zero_note(code):
            raise UnknownArea(_("Unknown area: %(code)s.", code=code) + note)
        raise UnknownArea(_("Unknown area: %(code)s", code=code))
    return area


def in_subtree(column, area_ids: Sequence[int]) -> ColumnElement[bool]:
    """`column` (an area id) is one of the areas or lies below one of them (areas are at most three deep)."""
    children = select(Area.id).where(Area.parent_id.in_(area_ids))
    grandchildren = select(Area.id).where(Area.parent_id.in_(children))
    return or_(column.in_(area_ids), column.in_(children), column.in_(grandchildren))


def area_options(language: str, level: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every area (or every area of `level`) for a picker, in code order; a municipality is named
    with its prefecture, since names repeat across prefectures (府中市 in Tokyo and in Hiroshima)."""
    parent = Area.__table__.alias("parent")
    query = (select(Area.code, Area.level, Area.name_ja, Area.name_en, parent.c.name_ja, parent.c.name_en)
             .outerjoin(parent, parent.c.id == Area.parent_id).order_by(Area.level != "nation", Area.code))
    rows = db.session.execute(query.where(Area.level == level) if level is not None else query)
    options = []
    for code, level, name_ja, name_en, parent_ja, parent_en in rows:
        name = shown_name(name_ja, name_en, language)
        if level == "municipality":
            name = f"{parent_ja} {name}" if language == "ja" or not parent_en else f"{name}, {parent_en}"
        options.append((code, name))
    return options


def area_code_named(name: str) -> str | None:
    """The code of the one area called `name` in Japanese or English (case aside); None when none or several are."""
    name = name.strip()
    codes = db.session.scalars(select(Area.code).where(or_(Area.name_ja == name,
                                                           func.lower(Area.name_en) == name.lower()))).all()
    return codes[0] if len(codes) == 1 else None
