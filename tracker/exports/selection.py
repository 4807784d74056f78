"""The download's selection, read from its URL parameters and checked.

A selection that names an unknown area, exporter, destination or product, or a malformed month, is refused with
the reason: read as "no selection" it would export everything the user may see."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from tracker.exports.queries import SalesFilter, detail_visible, market_id
from tracker.extensions import db
from tracker.imports.readers import halfwidth
from tracker.models import Area, Exporter, Product, User
from tracker.periods import Month


class SelectionError(ValueError):
    """Why a selection cannot be exported, in words for the user."""


def parse_selection(args: MultiDict, user: User) -> SalesFilter:
    """`area` and `exporter` may repeat and hold comma-separated values; exporters and products the user may
    not see in detail count as unknown, so that the refusal tells nothing about them."""
    first, last = _month(args, "from"), _month(args, "to")
    if first is not None and last is not None and first > last:
        raise SelectionError(_("The first month %(first)s comes after the last, %(last)s.", first=str(first),
                               last=str(last)))
    return SalesFilter(first=first, last=last, area_ids=_areas(_listed(args, "area")),
                       exporter_ids=_exporters(_listed(args, "exporter"), user),
                       destination_id=_destination(args.get("destination", "")),
                       product_id=_product(halfwidth(args.get("product", "")), user))


def _listed(args: MultiDict, name: str) -> list[str]:
    return [item.strip() for value in args.getlist(name) for item in halfwidth(value).split(",") if item.strip()]


def _month(args: MultiDict, name: str) -> Month | None:
    text = halfwidth(args.get(name, ""))
    try:
        return Month.parse(text) if text else None
    except ValueError:
        raise SelectionError(_("Months are written YYYY-MM, for example 2015-04.")) from None


def _areas(codes: list[str]) -> tuple[int, ...]:
    found = dict(db.session.execute(select(Area.code, Area.id).where(Area.code.in_(codes))).all()) if codes else {}
    if unknown := [code for code in codes if code not in found]:
        raise SelectionError(_("Unknown area codes: %(codes)s.", codes=", ".join(unknown)))
    return tuple(found[code] for code in codes)


def _exporters(texts: list[str], user: User) -> tuple[int, ...]:
    ids = {int(text) for text in texts if text.isdigit()}
    visible = set()
    if ids:
        visible = set(db.session.scalars(select(Exporter.id).where(Exporter.id.in_(ids), detail_visible(user))))
    if unknown := [text for text in texts if not text.isdigit() or int(text) not in visible]:
        raise SelectionError(_("Unknown exporters: %(ids)s.", ids=", ".join(unknown)))
    return tuple(sorted(visible))


def _destination(code: str) -> int | None:
    code = halfwidth(code)
    if not code:
        return None
    found = market_id(code)
    if found is None:
        raise SelectionError(_("Unknown country or region code: %(code)s.", code=code))
    return found


def _product(text: str, user: User) -> int | None:
    if not text:
        return None
    found = db.session.scalar(select(Product.id).join(Exporter, Exporter.id == Product.exporter_id)
                              .where(Product.id == int(text), detail_visible(user))) if text.isdigit() else None
    if found is None:
        raise SelectionError(_("Unknown product: %(product)s.", product=text))
    return found
