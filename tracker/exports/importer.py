"""Export sales in the import format, on the generic pipeline: row checks, scope, creation of what an admin's
file names for the first time, and the set-based upsert with revisions and rollups.

Columns: `exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy`
(`hs_code`, `quantity` and `unit` may be empty or absent). An exporter's account may import only its own rows,
for products it already has; an admin's file (and the command line's) creates the exporters and products it
does not know yet, and the importer lists them in `created_exporters` and `created_products`.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from tracker import policy
from tracker.areas.codes import lost_zero_note
from tracker.database import lock_registry
from tracker.exports.services import REVISIONS, hold_in_place, hs_code_error
from tracker.extensions import db
from tracker.imports.batches import Batch
from tracker.imports.cells import MAX_DIGITS, area_code, digits_only, plain, too_long, whole
from tracker.imports.engine import FigureImporter
from tracker.imports.pipeline import ImportResult, Issue, ProgressCallback, run_import
from tracker.imports.quoting import excerpt
from tracker.models import UNITS, Area, Exporter, ExportSale, Market, Product, User
from tracker.rollups import refresh_export_rollups

JAPANESE_HEADERS = {
    "exporter": "輸出者",
    "area_code": "団体コード",
    "year": "年",
    "month": "月",
    "product": "品目",
    "hs_code": "HSコード",
    "destination": "仕向地",
    "quantity": "数量",
    "unit": "単位",
    "value_jpy": "金額（円）",
}
_QUANTITY = re.compile(r"\d{1,15}(\.\d{1,3})?", re.ASCII)


class ExportImporter(FigureImporter):
    """The export feature's description for the import engine, for one user's scope.

    Exporters and products the file names for the first time get provisional negative ids while the file
    is read; `apply` creates them and rewrites those ids in the staging table before the upsert."""

    kind = "exports"
    required = ("exporter", "area_code", "year", "month", "product", "destination", "value_jpy")
    optional = ("hs_code", "quantity", "unit")
    aliases = {japanese: name for name, japanese in JAPANESE_HEADERS.items()}
    staging_columns = (("exporter_id", sa.Integer), ("year", sa.Integer), ("month", sa.Integer),
                       ("product_id", sa.Integer), ("destination_id", sa.Integer),
                       ("quantity", sa.Numeric(18, 3), True), ("unit", sa.String(3), True),
                       ("value_jpy", sa.BigInteger))
    key = ("exporter_id", "year", "month", "product_id", "destination_id")
    table = ExportSale.__table__
    values = ("quantity", "unit", "value_jpy")
    scope_column = "exporter_id"
    lookups = {"destination": (Market.__table__.c.code, "destination_id"),
               "area_id": (Exporter.__table__.c.area_id, "exporter_id")}
    revisions = REVISIONS
    refresh_rollups = staticmethod(refresh_export_rollups)

    def __init__(self, user: User | None, source: str = "import", today: date | None = None):
        """`user` None is the command line's admin rights."""
        super().__init__(user, source, today)
        self.creates = user is None or policy.is_admin(user)
        self.own_exporter = policy.own_exporter_id(user) if user is not None else None
        self._municipalities = dict(db.session.execute(
            select(Area.code, Area.id).where(Area.level == "municipality")).all())
        self._exporters = {name: (exporter_id, code) for name, exporter_id, code in db.session.execute(
            select(Exporter.name, Exporter.id, Area.code).join(Area, Area.id == Exporter.area_id))}
        self._products = {(exporter_id, name): (product_id, hs_code) for exporter_id, name, product_id, hs_code in
                          db.session.execute(select(Product.exporter_id, Product.name_ja, Product.id, Product.hs_code))}
        self._markets = dict(db.session.execute(select(Market.code, Market.id)).all())
        # provisional id -> what to create
        self._new_exporters: dict[int, tuple[str, int]] = {}
        self._new_products: dict[int, tuple[int, str, str | None]] = {}
        self._resolved_exporters: dict[tuple[str, str], int] = {}
        self._resolved_products: dict[tuple[int, str, str], int] = {}
        self._codes: dict[str, tuple[str | None, str | None]] = {}
        self.created_exporters: list[str] = []
        self.created_products: list[tuple[str, str]] = []

    def batch_rows(self, batch: Batch) -> list[tuple] | None:
        """Each distinct exporter, product and month of the batch is checked once, in the order the file names them
        (so that what it names first is created first). When a row does not pass, what the batch created is
        forgotten before the row checks take it: a refused row's message may name what the file creates (an
        exporter's area, a product's HS code), and must name only what the lines above it created."""
        before = [(registry, len(registry)) for registry in self._registries()]
        columns = batch.columns
        no_cells = [""] * len(batch)
        exporter_ids = self.known(list(zip(columns["exporter"], columns["area_code"], strict=True)),
                                  self._resolved_exporters, self._known_exporter)
        product_ids = self.known(list(zip(exporter_ids, columns["product"], columns.get("hs_code") or no_cells,
                                          strict=True)), self._resolved_products, self._known_product)
        years, months = self.years_and_months(batch)
        destination_ids = list(map(self._markets.get, columns["destination"]))
        amounts = [(None, None) if not quantity and not unit else (str(int(quantity)), unit)
                   if unit in UNITS and quantity.isdigit() and quantity.isascii() and len(quantity) <= 15 else None
                   for quantity, unit in zip(columns.get("quantity") or no_cells, columns.get("unit") or no_cells,
                                             strict=True)]
        values = digits_only(columns["value_jpy"], MAX_DIGITS)
        rows = self.staged(batch, [exporter_ids, years, months, product_ids, destination_ids,
                                   [amount and amount[0] for amount in amounts],
                                   [amount and amount[1] for amount in amounts], values],
                           checked=(exporter_ids, years, product_ids, destination_ids, amounts, values))
        if rows is None:
            for registry, size in before:
                for key in list(itertools.islice(registry, size, None)):
                    del registry[key]
        return rows

    def _registries(self) -> tuple[dict, ...]:
        """What checking a row adds to, in the file's order: the exporters and products it names, and the cells
        found to name them."""
        return (self._exporters, self._new_exporters, self._products, self._new_products, self._resolved_exporters,
                self._resolved_products)

    def _known_exporter(self, cells: tuple[str, str]) -> int | None:
        issues: list[Issue] = []
        exporter_id = self._exporter(0, cells[0].strip(), cells[1], issues)
        return None if issues else exporter_id

    def _known_product(self, cells: tuple[int | None, str, str]) -> int | None:
        if cells[0] is None:
            return None
        issues: list[Issue] = []
        product_id = self._product(0, cells[0], cells[1].strip(), plain(cells[2]), issues)
        return None if issues else product_id

    def parse(self, line: int, row: dict[str, str]) -> tuple | list[Issue]:
        """A line whose exporter, product, month and destination cells were all seen on good lines needs only its
        figures checked (the common ones: plain digits, a known unit); any other line takes every check."""
        try:
            exporter_id = self._resolved_exporters[row["exporter"], row["area_code"]]
            product_id = self._resolved_products[exporter_id, row["product"], row.get("hs_code", "")]
            year, month = self._good_year_months[row["year"], row["month"]]
            destination_id = self._markets[row["destination"]]
        except KeyError:
            return self._checked(line, row)
        value, quantity, unit = row["value_jpy"], row.get("quantity", ""), row.get("unit", "")
        if not (value.isdigit() and value.isascii() and len(value) <= MAX_DIGITS):
            return self._checked(line, row)
        if not quantity and not unit:
            return exporter_id, year, month, product_id, destination_id, None, None, int(value)
        if unit in UNITS and quantity.isdigit() and quantity.isascii() and len(quantity) <= 15:
            return exporter_id, year, month, product_id, destination_id, str(int(quantity)), unit, int(value)
        return self._checked(line, row)

    def _checked(self, line: int, row: dict[str, str]) -> tuple | list[Issue]:
        issues: list[Issue] = []
        # A large file repeats each exporter and product on hundreds of lines: cells already resolved without
        # an issue give the same ids again, so only their first line goes through the checks.
        exporter_cells = (row["exporter"], row["area_code"])
        exporter_id = self._resolved_exporters.get(exporter_cells)
        if exporter_id is None:
            exporter_id = self._exporter(line, exporter_cells[0].strip(), exporter_cells[1], issues)
            if not issues and exporter_id is not None:
                self._resolved_exporters[exporter_cells] = exporter_id
        year = whole(line, "year", row["year"], issues)
        month = whole(line, "month", row["month"], issues)
        self.check_month(line, year, month, issues)
        product_cells = (exporter_id, row["product"], row.get("hs_code", ""))
        product_id = self._resolved_products.get(product_cells)
        if product_id is None:
            before = len(issues)
            product_id = self._product(line, exporter_id, product_cells[1].strip(), plain(product_cells[2]), issues)
            if len(issues) == before and product_id is not None:
                self._resolved_products[product_cells] = product_id
        destination_id = self._destination(line, row["destination"], issues)
        quantity_text, unit_text = row.get("quantity", ""), row.get("unit", "")
        if quantity_text or unit_text:
            quantity, unit = _quantity(line, quantity_text, unit_text, issues)
        else:
            quantity = unit = None
        value = whole(line, "value_jpy", row["value_jpy"], issues)
        if issues:
            return issues
        self._good_year_months[row["year"], row["month"]] = year, month
        return exporter_id, year, month, product_id, destination_id, quantity, unit, value

    def _exporter(self, line: int, name: str, area_text: str, issues: list[Issue]) -> int | None:
        if not name:
            issues.append(Issue(line, "exporter", _("This cell is empty.")))
            return None
        if too_long(line, "exporter", name, Exporter.__table__.c.name.type.length, issues):
            return None
        known = self._exporters.get(name)
        if self.own_exporter is not None and (known is None or known[0] != self.own_exporter):
            issues.append(Issue(line, "exporter", _("Your account may import only its own rows, not those of "
                                                    "%(name)s.", name=excerpt(name))))
            return None
        if area_text not in self._codes:
            self._codes[area_text] = area_code(area_text, self._municipalities.__contains__)
        code, problem = self._codes[area_text]
        if problem:
            issues.append(Issue(line, "area_code", problem))
        if known is not None:
            if code is not None and code != known[1]:
                issues.append(Issue(line, "area_code", _("%(name)s is in the area %(code)s, not %(given)s.",
                                                         name=excerpt(name), code=known[1], given=code)))
            return known[0]
        if not self.creates:
            issues.append(Issue(line, "exporter", _("Unknown exporter: %(name)s.", name=excerpt(name))))
            return None
        if code is None:
            return None
        area_id = self._municipalities.get(code)
        if area_id is None:
            issues.append(Issue(line, "area_code", _("Not the code of a known municipality: %(code)s.",
                                                     code=code) + lost_zero_note(plain(area_text))))
            return None
        provisional = self._next_provisional()
        self._new_exporters[provisional] = (name, area_id)
        self._exporters[name] = (provisional, code)
        return provisional

    def _product(self, line: int, exporter_id: int | None, name: str, hs_code: str, issues: list[Issue]) -> int | None:
        if not name:
            issues.append(Issue(line, "product", _("This cell is empty.")))
            return None
        if too_long(line, "product", name, Product.__table__.c.name_ja.type.length, issues):
            return None
        if hs_code and (message := hs_code_error(hs_code)):
            issues.append(Issue(line, "hs_code", message))
            return None
        if exporter_id is None:
            return None
        known = self._products.get((exporter_id, name))
        if known is not None:
            if hs_code and known[1] and hs_code != known[1]:
                issues.append(Issue(line, "hs_code", _("The product %(name)s has the HS code %(code)s, not "
                                                       "%(given)s.", name=excerpt(name), code=known[1], given=hs_code)))
            return known[0]
        if not self.creates:
            issues.append(Issue(line, "product", _("Unknown product: %(name)s. Add it on the exporter's page first.",
                                                   name=excerpt(name))))
            return None
        provisional = self._next_provisional()
        self._new_products[provisional] = (exporter_id, name, hs_code or None)
        self._products[(exporter_id, name)] = (provisional, hs_code or None)
        return provisional

    def _next_provisional(self) -> int:
        """Exporters and products draw from one sequence, so that one table maps both to their real ids."""
        return -(len(self._new_exporters) + len(self._new_products) + 1)

    def _destination(self, line: int, text: str, issues: list[Issue]) -> int | None:
        market_id = self._markets.get(text) or self._markets.get(plain(text).upper())
        if market_id is None:
            issues.append(Issue(line, "destination", _("Unknown country or region code: %(code)s.",
                                                       code=excerpt(text))))
        return market_id

    def before_apply(self, staging: sa.Table) -> None:
        self._create_new(staging)
        hold_in_place(select(staging.c.exporter_id).distinct())

    def _create_new(self, staging: sa.Table) -> None:
        """Create the exporters and products first named by this file, and give the staging rows their ids.

        Under the register's lock: what another import registered since this file was read is used, not created
        a second time."""
        if not self._new_exporters and not self._new_products:
            return
        lock_registry("exporters")
        names = [name for name, _area_id in self._new_exporters.values()]
        taken = dict(db.session.execute(select(Exporter.name, Exporter.id).where(Exporter.name.in_(names))).all())
        real_ids = {provisional: taken[name] for provisional, (name, _area_id) in self._new_exporters.items()
                    if name in taken}
        exporters = {provisional: new for provisional, new in self._new_exporters.items() if new[0] not in taken}
        real_ids.update(zip(exporters, self._insert(
            Exporter, [{"name": name, "area_id": area_id, "contact": ""} for name, area_id in exporters.values()]),
            strict=True))
        self.created_exporters.extend(name for name, _area_id in exporters.values())
        wanted = {provisional: (real_ids.get(exporter_id, exporter_id), name, hs_code)
                  for provisional, (exporter_id, name, hs_code) in self._new_products.items()}
        owned = {(exporter_id, name): product_id for exporter_id, name, product_id in db.session.execute(
            select(Product.exporter_id, Product.name_ja, Product.id)
            .where(Product.exporter_id.in_({exporter_id for exporter_id, _name, _hs in wanted.values()}),
                   Product.name_ja.in_({name for _exporter_id, name, _hs in wanted.values()})))}
        real_ids.update({provisional: owned[new[:2]] for provisional, new in wanted.items() if new[:2] in owned})
        products = {provisional: new for provisional, new in wanted.items() if new[:2] not in owned}
        real_ids.update(zip(products, self._insert(Product, [
            {"exporter_id": exporter_id, "name_ja": name, "name_en": "", "hs_code": hs_code}
            for exporter_id, name, hs_code in products.values()]), strict=True))
        exporter_names = {real_ids.get(exporter_id, exporter_id): name
                          for name, (exporter_id, _code) in self._exporters.items()}
        self.created_products.extend((exporter_names[exporter_id], name)
                                     for exporter_id, name, _hs_code in products.values())
        self._rewrite_provisional(staging, real_ids)

    @staticmethod
    def _rewrite_provisional(staging: sa.Table, real_ids: dict[int, int]) -> None:
        """Replace the provisional ids in the staging rows in one statement (one per new exporter or product
        took 0.8 to 1 s for 200,000 rows and 600 new names, and grows with both)."""
        mapping = sa.Table(f"{staging.name}_ids", sa.MetaData(),
                           sa.Column("provisional", sa.Integer, primary_key=True),
                           sa.Column("real_id", sa.Integer, nullable=False),
                           prefixes=["TEMPORARY"], postgresql_on_commit="DROP")
        connection = db.session.connection()
        mapping.create(connection)
        connection.execute(sa.insert(mapping), [{"provisional": provisional, "real_id": real_id}
                                                for provisional, real_id in real_ids.items()])

        def real(column):
            found = select(mapping.c.real_id).where(mapping.c.provisional == column).scalar_subquery()
            return func.coalesce(found, column)

        # the key columns change: the staging table's key index goes first rather than being kept up to date row by
        # row, which made the rewrite several times slower; what follows joins the staging rows to the sales by the
        # sales' own key index, so it is not built again
        for index in staging.indexes:
            index.drop(connection)
        connection.execute(sa.update(staging).where(or_(staging.c.exporter_id < 0, staging.c.product_id < 0))
                           .values(exporter_id=real(staging.c.exporter_id), product_id=real(staging.c.product_id)))
        mapping.drop(connection)

    @staticmethod
    def _insert(model, rows: list[dict]) -> list[int]:
        """Insert `rows` in a few statements and return their ids in the same order."""
        if not rows:
            return []
        return list(db.session.scalars(sa.insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _quantity(line: int, text: str, unit_text: str, issues: list[Issue]) -> tuple[str | None, str | None]:
    """The quantity as normalised text (what both drivers load into a NUMERIC column) and its unit."""
    if unit_text in UNITS and text.isdigit() and text.isascii() and len(text) <= 15:  # the common case
        return str(int(text)), unit_text
    cleaned = plain(text).replace(",", "")
    unit = plain(unit_text).lower() or None
    if unit is not None and unit not in UNITS:
        issues.append(Issue(line, "unit", _("The unit must be kg, l, pcs or t, not %(value)s.",
                                            value=excerpt(unit_text))))
        return None, None
    if not cleaned:
        if unit is not None:
            issues.append(Issue(line, "quantity", _("A unit is given without a quantity.")))
        return None, None
    if not _QUANTITY.fullmatch(cleaned):
        issues.append(Issue(line, "quantity", _("Not a quantity of 0 or more with up to 3 decimals: %(value)s.",
                                                value=excerpt(text))))
        return None, None
    if unit is None:
        issues.append(Issue(line, "unit", _("Give the unit of the quantity (kg, l, pcs or t).")))
        return None, None
    return f"{Decimal(cleaned).normalize():f}", unit


def import_exports(stream, filename: str, user: User | None, *, encoding: str | None = None, source: str = "import",
                   progress: ProgressCallback | None = None) -> tuple[ImportResult, ExportImporter]:
    """Run the pipeline on an export file; the caller commits when `result.ok`, else rolls back.

    Returns the importer too: it names the exporters and products the file created."""
    importer = ExportImporter(user, source=source)
    result = run_import(importer, stream, filename, user_id=user.id if user is not None else None,
                        encoding=encoding, progress=progress)
    return result, importer

