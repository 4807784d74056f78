"""The export download's selection: the shared months and areas (`tracker.downloads`), plus exporters, a
destination and a product, each checked against what the user may see."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from tracker import downloads
from tracker.downloads import SelectionError
from tracker.exports import queries
from tracker.exports.queries import SalesFilter
from tracker.models import User
from tracker.text import halfwidth


def parse_selection(args: MultiDict, user: User) -> SalesFilter:
    """`area` and `exporter` may repeat and hold comma-separated values; exporters and products the user may
    not see in detail count as unknown, so that the refusal tells nothing about them."""
    first, last = downloads.month_range(args)
    return SalesFilter(first=first, last=last, area_ids=downloads.area_ids(downloads.listed(args, "area")),
                       exporter_ids=_exporters(downloads.listed(args, "exporter"), user),
                       destination_id=_destination(args.get("destination", "")),
                       product_id=_product(halfwidth(args.get("product", "")).strip(), user))


def _exporters(texts: list[str], user: User) -> tuple[int, ...]:
    ids = {text: downloads.record_id(text) for text in texts}
    named = set(ids.values()) - {None}
    visible = queries.visible_exporter_ids(named, user) if named else set()
    if unknown := [text for text in texts if ids[text] not in visible]:
        raise SelectionError(_("Unknown exporters: %(ids)s.", ids=", ".join(unknown)))
    return tuple(sorted(visible))


def _destination(code: str) -> int | None:
    code = halfwidth(code).strip()
    if not code:
        return None
    found = queries.market_id(code)
    if found is None:
        raise SelectionError(_("Unknown country or region code: %(code)s.", code=code))
    return found


def _product(text: str, user: User) -> int | None:
    if not text:
        return None
    product_id = downloads.record_id(text)
    found = queries.visible_product_id(product_id, user) if product_id is not None else None
    if found is None:
        raise SelectionError(_("Unknown product: %(product)s.", product=text))
    return found
