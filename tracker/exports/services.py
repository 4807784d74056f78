"""Writes for exports: exporters, their products, and a month's sales with conflict check and revisions."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, select, update

from tracker.areas.queries import area_by_code
from tracker.database import lock_months
from tracker.extensions import db
from tracker.form_errors import ErrorKey, FieldErrors
from tracker.formatting import month_label
from tracker.models import UNITS, Exporter, ExportSale, Market, Product, User
from tracker.periods import Month, current_month
from tracker.reporting.locks import MonthLocked, refuse_locked
from tracker.revisions import Change, Field, IfGiven, RevisionFormat, Template, keep_creations, record_changes
from tracker.rollups import refresh_export_rollups

TABLE = "export_sales"
# key "12/2015-04/7/CN" (exporter/month/product/destination: a month's history is one prefix);
# value "1200000 JPY" or "1200000 JPY; 12.5 kg"
REVISIONS = RevisionFormat(
    TABLE,
    key=Template((Field("exporter_id"), "/", Field("year", 4), "-", Field("month", 2), "/", Field("product_id"), "/",
                  Field("destination"))),
    value=Template((Field("value_jpy"), " JPY", IfGiven("quantity", ("; ", Field("quantity", decimal=True), " ",
                                                                     Field("unit"))))))
_HS_CODE = re.compile(r"\d{6}", re.ASCII)
_DESTINATION = re.compile(r"[A-Z]{2}", re.ASCII)
SaleKey = tuple[int, str]  # (product id, destination code): one sale within an exporter's month


class ExportError(FieldErrors):
    """Invalid input: `errors` maps a field name, or a row's (position, field name), to its message."""


class SalesConflict(ValueError):
    """Someone else saved some of the month's sales since the form was read; nothing was written."""

    def __init__(self, conflicts: list[SaleConflict]):
        super().__init__(", ".join(f"{c.product_id}/{c.destination}" for c in conflicts))
        self.conflicts = conflicts


def hs_code_error(code: str) -> str | None:
    """Why an HS code is not acceptable (six digits, chapter 01-97), or None."""
    if not _HS_CODE.fullmatch(code):
        return str(_l("An HS code has six digits."))
    if not 1 <= int(code[:2]) <= 97:
        return str(_l("The HS chapter (first two digits) must be 01 to 97."))
    return None


@dataclass(frozen=True)
class ExporterInput:
    name: str
    area_code: str
    contact: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class ProductInput:
    name_ja: str
    name_en: str = ""
    hs_code: str | None = None
    origin_area_code: str | None = None
    default_unit: str | None = None


def create_exporter(data: ExporterInput) -> Exporter:
    exporter = Exporter()
    _apply_exporter(exporter, data)
    db.session.add(exporter)
    db.session.flush()
    return exporter


def update_exporter(exporter: Exporter, data: ExporterInput) -> Exporter:
    _apply_exporter(exporter, data)
    db.session.flush()
    return exporter


def _apply_exporter(exporter: Exporter, data: ExporterInput) -> None:
    errors = {}
    name = data.name.strip()
    if not name:
        errors["name"] = str(_l("Required."))
    elif db.session.scalar(select(Exporter.id).where(Exporter.name == name, Exporter.id != (exporter.id or 0))):
        errors["name"] = str(_l("Another exporter already has this name."))
    area = area_by_code(data.area_code)
    if area is None or area.level != "municipality":
        errors["area_code"] = str(_l("Pick a municipality from the list, or give its 6-digit code."))
    if errors:
        raise ExportError(errors)
    moved = exporter.id is not None and exporter.area_id != area.id
    if moved:
        # alone on the exporter: the saves and imports counting its sales in its area's sums end first, and the
        # rollups below see every sale they wrote
        db.session.execute(select(Exporter.id).where(Exporter.id == exporter.id).with_for_update()).all()
        _keep_creations(exporter)
    exporter.name, exporter.area, exporter.contact = name, area, data.contact.strip()
    exporter.name_en = data.name_en.strip()
    if moved:
        _refresh_rollups(exporter)


def hold_in_place(exporter_ids: Iterable[int] | Select) -> None:
    """Keep these exporters where they are until the commit, before the months are locked: a write that counts
    their sales in their area's sums is not undone by a move (`update_exporter`) committed meanwhile, which waits
    for it and then sums its sales where the exporter goes."""
    db.session.execute(select(Exporter.id).where(Exporter.id.in_(exporter_ids)).order_by(Exporter.id)
                       .with_for_update(read=True)).all()


def _refresh_rollups(exporter: Exporter) -> None:
    """The prefecture and national sums count each sale where its exporter is: a move changes them."""
    db.session.flush()
    refresh_export_rollups(db.session.execute(
        select(ExportSale.year, ExportSale.month).where(ExportSale.exporter_id == exporter.id).distinct()).all())


def _keep_creations(exporter: Exporter) -> None:
    """The exporter moves to another area: its imported sales' creations are expanded with the area the exporter
    has now, which would take them out of the area they were made in, so they are written out while the exporter
    is still there, and the sales no longer stand in their batches' revisions."""
    created = (ExportSale.exporter_id == exporter.id, ExportSale.created_batch_id.is_not(None))
    keep_creations(TABLE, select(ExportSale.id).where(*created))
    # the figures are as they were: the time of their last change stays
    db.session.execute(update(ExportSale).where(*created).values(created_batch_id=None,
                                                                 updated_at=ExportSale.updated_at))


def create_product(exporter: Exporter, data: ProductInput) -> Product:
    product = Product()
    _apply_product(product, exporter, data)
    product.exporter = exporter
    db.session.add(product)
    db.session.flush()
    return product


def update_product(product: Product, data: ProductInput) -> Product:
    _apply_product(product, product.exporter, data)
    db.session.flush()
    return product


def _apply_product(product: Product, exporter: Exporter, data: ProductInput) -> None:
    errors = {}
    name_ja = data.name_ja.strip()
    if not name_ja:
        errors["name_ja"] = str(_l("Required."))
    elif db.session.scalar(select(Product.id).where(Product.exporter_id == exporter.id, Product.name_ja == name_ja,
                                                    Product.id != (product.id or 0))):
        errors["name_ja"] = str(_l("This exporter already has a product with this name."))
    hs_code = (data.hs_code or "").strip() or None
    if hs_code is not None and (message := hs_code_error(hs_code)):
        errors["hs_code"] = message
    origin = None
    if data.origin_area_code and data.origin_area_code.strip():
        origin = area_by_code(data.origin_area_code)
        if origin is None:
            errors["origin_area_code"] = str(_l("Unknown area code."))
    unit = data.default_unit or None
    if unit is not None and unit not in UNITS:
        errors["default_unit"] = str(_l("The unit must be kg, l, pcs or t."))
    if errors:
        raise ExportError(errors)
    product.name_ja, product.name_en, product.hs_code = name_ja, data.name_en.strip(), hs_code
    product.origin_area, product.default_unit = origin, unit


@dataclass(frozen=True)
class SaleInput:
    """One line of the month's form as it should be saved: `value_jpy` None removes the sale."""

    product_id: int
    destination: str
    value_jpy: int | None
    quantity: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class Figures:
    """What one sale holds, compared as a whole."""

    value_jpy: int
    quantity: Decimal | None = None
    unit: str | None = None


@dataclass(frozen=True)
class SaleConflict:
    """A sale someone else changed since the form was read: what the form would save and what is saved now."""

    product_id: int
    destination: str
    yours: Figures | None
    theirs: Figures | None


@dataclass(frozen=True)
class SaveResult:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0


def save_month(user: User | None, exporter: Exporter, month: Month, rows: Sequence[SaleInput], *,
               read: Mapping[SaleKey, int], note: str = "", source: str = "form",
               today: date | None = None) -> SaveResult:
    """Make the month's sales what `rows` say, in the caller's transaction.

    `read` holds the version of each sale as the form showed it, by (product id, destination): a sale that was
    read but is in no row any more (its line cleared, or moved to another product or destination) is removed.
    Refused as a whole with SalesConflict when a sale changed since it was read and differs from what the
    rows say, as the visitor grid does; invalid rows raise ExportError keyed (row position, field) (or "month").
    `user` is who saves (None for the system); the same shape as the visitor grid's `save_month`."""
    user_id = user.id if user is not None else None
    if month > current_month(today):
        raise ExportError({"month": str(_l("%(month)s is in the future.", month=month_label(month.year, month.month)))})
    markets = _check_rows(exporter, rows)
    hold_in_place([exporter.id])
    lock_months("exports", [(month.year, month.month)])
    try:
        refuse_locked("exports", [exporter], [month])
    except MonthLocked as locked:
        raise ExportError({"month": locked.message}, conflict=True) from locked
    stored = _stored(exporter, month)
    wanted, keys = _plan(rows, read)
    conflicts = _conflicts(keys, wanted, read, stored)
    if conflicts:
        raise SalesConflict(conflicts)
    changes, counts = [], {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
    for key in keys:
        sale, new = stored.get(key), wanted.get(key)
        old = _stored_figures(sale)
        if old == new:
            counts["unchanged"] += 1
            continue
        product_id, destination = key
        market_id = sale.destination_id if sale is not None else markets[destination].id
        if not _write(exporter, month, product_id, market_id, new, sale, user_id):
            raise SalesConflict([SaleConflict(product_id, destination, new, old)])
        counts["created" if sale is None else "deleted" if new is None else "updated"] += 1
        key = REVISIONS.key_text(exporter_id=exporter.id, year=month.year, month=month.month, product_id=product_id,
                                 destination=destination)
        changes.append(Change(key, _text(old), _text(new), note))
    record_changes(TABLE, changes, source=source, user_id=user_id, area_id=exporter.area_id)
    if changes:
        refresh_export_rollups([(month.year, month.month)])
    return SaveResult(**counts)


def versions_after_conflict(read: Mapping[SaleKey, int], conflicts: Sequence[SaleConflict],
                            current: Mapping[SaleKey, int]) -> dict[SaleKey, int]:
    """The versions a refused form carries when shown again: its own sales and those in conflict, as saved now,
    so that saving again after comparing writes the user's figures over them."""
    keys = set(read) | {(c.product_id, c.destination) for c in conflicts}
    return {key: current[key] for key in keys if key in current}


def _plan(rows: Sequence[SaleInput], read: Mapping[SaleKey, int]) -> tuple[dict[SaleKey, Figures | None],
                                                                           list[SaleKey]]:
    """What each line wants, and the keys to save: every line's, less the empty lines that show no sale read
    (nothing to write), plus the sales read that no line holds any more (to remove)."""
    wanted = {(row.product_id, row.destination): _figures(row) for row in rows}
    keys = [key for key, figures in wanted.items() if figures is not None or key in read]
    return wanted, keys + [key for key in read if key not in wanted]


def _stored(exporter: Exporter, month: Month) -> dict[SaleKey, ExportSale]:
    sales = db.session.execute(
        select(ExportSale, Market.code).join(Market, Market.id == ExportSale.destination_id)
        .where(ExportSale.exporter_id == exporter.id, ExportSale.year == month.year, ExportSale.month == month.month)
        .execution_options(populate_existing=True))
    return {(sale.product_id, code): sale for sale, code in sales}


def _conflicts(keys: list[SaleKey], wanted: dict[SaleKey, Figures | None], read: Mapping[SaleKey, int],
               stored: dict[SaleKey, ExportSale]) -> list[SaleConflict]:
    """Sales whose version moved on since the form was read (or that appeared since) and that now differ from
    what the form would save; someone else saving the same figures is no conflict."""
    conflicts = []
    for key in keys:
        sale = stored.get(key)
        theirs, yours = _stored_figures(sale), wanted.get(key)
        if (sale.version if sale is not None else None) != read.get(key) and theirs != yours:
            conflicts.append(SaleConflict(key[0], key[1], yours, theirs))
    return conflicts


def _figures(row: SaleInput) -> Figures | None:
    return None if row.value_jpy is None else Figures(row.value_jpy, row.quantity, row.unit)


def _stored_figures(sale: ExportSale | None) -> Figures | None:
    return None if sale is None else Figures(sale.value_jpy, sale.quantity, sale.unit)


def _text(figures: Figures | None) -> str | None:
    if figures is None:
        return None
    return REVISIONS.value_text(value_jpy=figures.value_jpy, quantity=figures.quantity, unit=figures.unit)


def _check_rows(exporter: Exporter, rows: Sequence[SaleInput]) -> dict[str, Market]:
    errors: dict[ErrorKey, str] = {}
    seen = set()
    own = set(db.session.scalars(select(Product.id).where(Product.exporter_id == exporter.id)))
    codes = {row.destination for row in rows}
    markets = {m.code: m for m in db.session.scalars(select(Market).where(Market.code.in_(codes)))}
    for index, row in enumerate(rows):
        if row.product_id not in own:
            errors[index, "product"] = str(_l("Not one of this exporter's products."))
        if not _DESTINATION.fullmatch(row.destination) or row.destination not in markets:
            errors[index, "destination"] = str(_l("Give an ISO 3166-1 alpha-2 country code, e.g. HK."))
        elif (row.product_id, row.destination) in seen:
            errors[index, "destination"] = str(_l("This product and destination appear twice."))
        seen.add((row.product_id, row.destination))
        if row.value_jpy is not None and row.value_jpy < 0:
            errors[index, "value_jpy"] = str(_l("The value is a whole number of yen, 0 or more."))
        if row.quantity is not None and row.quantity < 0:
            errors[index, "quantity"] = str(_l("The quantity cannot be negative."))
        if (row.quantity is None) != (row.unit is None):
            errors[index, "unit"] = str(_l("Give the quantity and its unit together."))
        elif row.unit is not None and row.unit not in UNITS:
            errors[index, "unit"] = str(_l("The unit must be kg, l, pcs or t."))
    if errors:
        raise ExportError(errors)
    return markets


def _write(exporter: Exporter, month: Month, product_id: int, market_id: int, new: Figures | None,
           sale: ExportSale | None, user_id: int | None) -> bool:
    """Insert, update or delete one sale; False when its version moved on under us (a concurrent save)."""
    if sale is None:
        db.session.add(ExportSale(exporter_id=exporter.id, product_id=product_id, year=month.year, month=month.month,
                                  destination_id=market_id, value_jpy=new.value_jpy, quantity=new.quantity,
                                  unit=new.unit, version=1, updated_by_id=user_id))
        return True
    guard = (ExportSale.id == sale.id, ExportSale.version == sale.version)
    if new is None:
        if sale.created_batch_id is not None:
            keep_creations(REVISIONS.table, [sale.id])
        result = db.session.execute(delete(ExportSale).where(*guard).execution_options(synchronize_session=False))
        db.session.expunge(sale)
    else:
        result = db.session.execute(
            update(ExportSale).where(*guard).values(value_jpy=new.value_jpy, quantity=new.quantity, unit=new.unit,
                                                   version=ExportSale.version + 1, updated_by_id=user_id)
            .execution_options(synchronize_session=False))
        db.session.expire(sale)
    return result.rowcount == 1
