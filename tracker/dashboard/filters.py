"""The filters of a target's page, read from the URL so that a view can be shared: bad values are
named and ignored, never a crash."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import ClassVar

from flask_babel import gettext as _
from sqlalchemy import select

from tracker.areas.queries import area_by_code
from tracker.extensions import db
from tracker.models import Area, Market, Product, Target
from tracker.periods import FIRST_YEAR, LAST_YEAR
from tracker.targets.scope import Scope

MAX_YEARS = 30


@dataclass(frozen=True)
class Filters:
    area: Area | None = None
    first_year: int | None = None
    last_year: int | None = None
    market: Market | None = None
    product: Product | None = None
    destination: Market | None = None
    subareas: bool | None = None
    approved: bool = False  # approved figures only
    problems: tuple[str, ...] = field(default=())
    # the years `from` and `to` accept, for the form's fields too
    years: ClassVar[tuple[int, int]] = (FIRST_YEAR, LAST_YEAR)

    def query_args(self) -> dict[str, str]:
        """The filters as URL arguments, for links that keep them (the CSV downloads)."""
        args = {"area": self.area.code if self.area else None, "from": self.first_year, "to": self.last_year,
                "market": self.market.code if self.market else None,
                "product": self.product.id if self.product else None,
                "destination": self.destination.code if self.destination else None,
                "subareas": None if self.subareas is None else int(self.subareas),
                "approved": 1 if self.approved else None}
        return {key: str(value) for key, value in args.items() if value is not None}

    def scope(self, target: Target) -> Scope:
        """The target's scope with these filters applied: what the breakdown charts read."""
        scope = Scope.of(target, approved_only=self.approved)
        area = self.area or target.area
        scope = replace(scope, area_id=area.id, area_level=area.level)
        if self.subareas is not None:
            scope = replace(scope, include_subareas=self.subareas)
        if target.metric == "visitors" and self.market is not None:
            scope = replace(scope, market_id=self.market.id)
        if target.metric == "export_value":
            if self.product is not None:
                scope = replace(scope, product_id=self.product.id)
            if self.destination is not None:
                scope = replace(scope, destination_id=self.destination.id)
        return scope


def parse_filters(args: Mapping[str, str]) -> Filters:
    problems: list[str] = []
    values = {
        "area": _area(args.get("area", ""), problems),
        "market": _market(args.get("market", ""), _("Market"), problems),
        "destination": _market(args.get("destination", ""), _("Destination"), problems),
        "product": _product(args.get("product", ""), problems),
        "subareas": {"1": True, "0": False}.get(args.get("subareas", "")),
        "approved": approved_only(args),
    }
    first, last = _year(args.get("from", ""), problems), _year(args.get("to", ""), problems)
    if first is not None and last is not None and not 0 <= last - first < MAX_YEARS:
        problems.append(_("Years: choose a range of 1 to %(n)d years, the first year first.", n=MAX_YEARS))
        first = last = None
    return Filters(first_year=first, last_year=last, problems=tuple(problems), **values)


def approved_only(args: Mapping[str, str]) -> bool:
    """Leadership's filter, `approved=1`: only the figures of approved months count."""
    return args.get("approved", "") == "1"


def _area(text: str, problems: list[str]) -> Area | None:
    if not text.strip():
        return None
    area = area_by_code(text)
    if area is None:
        problems.append(_("Area: no area has the code %(code)s.", code=text.strip()))
    return area


def _market(text: str, label: str, problems: list[str]) -> Market | None:
    if not text.strip():
        return None
    market = db.session.scalar(select(Market).where(Market.code == text.strip().upper()))
    if market is None:
        problems.append(_("%(field)s: unknown country or region code %(code)s.", field=label, code=text.strip()))
    return market


def _product(text: str, problems: list[str]) -> Product | None:
    if not text.strip():
        return None
    product = db.session.get(Product, int(text)) if text.strip().isdecimal() and len(text) < 12 else None
    if product is None:
        problems.append(_("Product: no product has the number %(id)s.", id=text.strip()))
    return product


def _year(text: str, problems: list[str]) -> int | None:
    if not text.strip():
        return None
    if text.strip().isdecimal() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    problems.append(_("Years: %(text)s is not a year from %(first)d to %(last)d.", text=text.strip(),
                      first=FIRST_YEAR, last=LAST_YEAR))
    return None
