"""Reads of the register: the ties of a scope as records or as plain `Tie`s, and an area's yearly visitors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import aliased, joinedload

from tracker.affiliations.summary import WINDOW_YEARS, Tie, YearFigures, before_after
from tracker.areas.queries import in_subtree
from tracker.extensions import db
from tracker.models import Affiliation, Area, Market, VisitorCount, VisitorRollup


def affiliations(area: Area | None = None, *, include_subareas: bool = False, country: str | None = None,
                 active: bool = False, field: str | None = None) -> list[Affiliation]:
    """The ties of an area (with those of the areas below it), or of every area, oldest first; `field`: those with
    that field of exchange."""
    query = select(Affiliation).options(joinedload(Affiliation.area)).order_by(
        Affiliation.established_year, Affiliation.established_on, Affiliation.id)
    if area is not None:
        query = query.where(in_subtree(Affiliation.area_id, [area.id]) if include_subareas
                            else Affiliation.area_id == area.id)
    if country:
        query = query.where(Affiliation.country == country)
    if active:
        query = query.where(Affiliation.ended_year.is_(None))
    if field:
        # the fields are one ";"-joined string: framed in ";" each field is found whole, on both databases
        query = query.where((literal(";") + Affiliation.fields + ";").contains(f";{field};", autoescape=True))
    return list(db.session.scalars(query))


def as_json(affiliation: Affiliation, language: str) -> dict[str, Any]:
    """A tie as the API gives it: dates as written, fields as a list."""
    return {"id": affiliation.id, "area_code": affiliation.area.code, "area_name": affiliation.area.name_in(language),
            "partner_name": affiliation.partner_name, "partner_name_en": affiliation.partner_name_en,
            "country": affiliation.country, "partner_level": affiliation.partner_level, "kind": affiliation.kind,
            "established": affiliation.established, "ended": affiliation.ended, "fields": affiliation.field_list,
            "note": affiliation.note}


def ties(area: Area | None = None) -> list[Tie]:
    """Every tie of the area and the areas below it (of the whole country when `area` is None), as plain rows."""
    parent = aliased(Area)
    prefecture = case((Area.level == "prefecture", Area.code), else_=parent.code)
    query = (select(Affiliation.established_year, Affiliation.ended_year, Affiliation.country, prefecture,
                    Affiliation.kind)
             .join(Area, Area.id == Affiliation.area_id).outerjoin(parent, parent.id == Area.parent_id))
    if area is not None:
        query = query.where(in_subtree(Affiliation.area_id, [area.id]))
    return [Tie(*row) for row in db.session.execute(query)]


def yearly_visitors(area: Area, country: str, first_year: int, last_year: int) -> tuple[list[YearFigures], str]:
    """The area's visitors per calendar year, from `country` and from every other market, and where they come
    from: its own figures ("own"), or when it has none in those years the sum of the municipalities below it
    ("subareas")."""
    own = _yearly(VisitorCount, area, country, first_year, last_year)
    if own or area.level == "municipality":
        return own, "own"
    return _yearly(VisitorRollup, area, country, first_year, last_year), "subareas"


def _yearly(source, area: Area, country: str, first_year: int, last_year: int) -> list[YearFigures]:
    is_partner = Market.code == country
    rows = db.session.execute(
        select(source.year, func.sum(case((is_partner, source.visitors), else_=0)),
               func.sum(case((is_partner, 0), else_=source.visitors)))
        .join(Market, Market.id == source.market_id)
        .where(source.area_id == area.id, source.year.between(first_year, last_year))
        .group_by(source.year).order_by(source.year))
    return [YearFigures(year, int(partner), int(others)) for year, partner, others in rows]


def counts_for_home(this_year: int) -> tuple[int, int]:
    """Active ties, and ties added this year."""
    active = db.session.scalar(select(func.count()).where(Affiliation.ended_year.is_(None))) or 0
    added = db.session.scalar(select(func.count()).where(Affiliation.established_year == this_year)) or 0
    return active, added


def visitors_comparison(affiliation: Affiliation) -> dict[str, Any]:
    """The visitors endpoint's body: the area's visitors from the partner's country beside every other market's,
    around the year the tie was established (`summary.before_after`), and which figures they are."""
    established = affiliation.established_year
    figures, source = yearly_visitors(affiliation.area, affiliation.country, established - WINDOW_YEARS,
                                      established + WINDOW_YEARS)
    return {**before_after(established, figures), "source": source}
