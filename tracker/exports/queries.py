"""Reads for exports: plain rows for the exporter home, the area view, the month's form, the API and downloads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, case, false, func, select, true
from sqlalchemy.orm import selectinload

from tracker import policy
from tracker.areas.queries import in_subtree
from tracker.extensions import db
from tracker.formatting import market_name, month_abbreviation
from tracker.models import Area, Exporter, ExportSale, Market, Product, User
from tracker.periods import Month

GROUPS = ("month", "year", "destination", "product", "area")
# the columns of the import file, also the columns of every download (so a download imports back unchanged)
COLUMNS = ("exporter", "area_code", "year", "month", "product", "hs_code", "destination", "quantity", "unit",
           "value_jpy")
TOP = 5
OTHER = "other"  # the key of the line that sums the groups withheld from a user


@dataclass(frozen=True)
class SalesFilter:
    """Which sales: exporters in `area` or below it and in any of `area_ids` or below them, months from..to,
    one destination or product, any of `exporter_ids`; an empty field selects everything."""

    area: Area | None = None
    first: Month | None = None
    last: Month | None = None
    destination_id: int | None = None
    product_id: int | None = None
    area_ids: tuple[int, ...] = ()
    exporter_ids: tuple[int, ...] = ()


def detail_visible(user: User) -> ColumnElement[bool]:
    """The SQL form of `policy.can_see_exporter_detail`, on Exporter."""
    everything, area_ids, exporter_id = policy.exporter_detail_scope(user)
    if everything:
        return true()
    if exporter_id is not None:
        return Exporter.id == exporter_id
    if area_ids:
        return in_subtree(Exporter.area_id, list(area_ids))
    return false()


def _exporters_behind(user: User) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Aggregates for a grouped query of sales: the group's exporters, and those whose detail the user may not
    see; `policy.export_group_shown` decides from the two."""
    hidden = case((detail_visible(user), None), else_=ExportSale.exporter_id)
    return func.count(func.distinct(ExportSale.exporter_id)), func.count(func.distinct(hidden))


def withheld_groups(user: User, key_column, *conditions) -> set:
    """The keys of the groups of sales (joined to their exporter, product and destination) that would single out
    an exporter whose detail the user may not see."""
    if policy.exporter_detail_scope(user)[0]:
        return set()  # the user sees every exporter's detail
    query = (select(key_column, *_exporters_behind(user)).select_from(ExportSale)
             .join(Exporter, Exporter.id == ExportSale.exporter_id).join(Product, Product.id == ExportSale.product_id)
             .join(Market, Market.id == ExportSale.destination_id).where(*conditions).group_by(key_column))
    return {key for key, exporters, hidden in db.session.execute(query)
            if not policy.export_group_shown(exporters, hidden)}


def _where(selection: SalesFilter) -> list[ColumnElement[bool]]:
    conditions = []
    if selection.area is not None and selection.area.level != "nation":
        conditions.append(in_subtree(Exporter.area_id, [selection.area.id]))
    if selection.first is not None:
        conditions.append(ExportSale.year * 12 + ExportSale.month - 1 >= selection.first.index)
    if selection.last is not None:
        conditions.append(ExportSale.year * 12 + ExportSale.month - 1 <= selection.last.index)
    if selection.destination_id is not None:
        conditions.append(ExportSale.destination_id == selection.destination_id)
    if selection.product_id is not None:
        conditions.append(ExportSale.product_id == selection.product_id)
    if selection.area_ids:
        conditions.append(in_subtree(Exporter.area_id, list(selection.area_ids)))
    if selection.exporter_ids:
        conditions.append(ExportSale.exporter_id.in_(selection.exporter_ids))
    return conditions


def _sales(selection: SalesFilter, *where) -> Select:
    return (select().select_from(ExportSale).join(Exporter, Exporter.id == ExportSale.exporter_id)
            .where(*_where(selection), *where))


def grouped(selection: SalesFilter, group_by: str, *where, user: User) -> list[dict]:
    """Value (and quantity, when every row has one in a single unit) per month, year, destination, product
    or area; `area` groups by the areas directly below the selected one (a municipality: itself).

    Destinations, products and areas that would single out an exporter the user may not see in detail are
    summed into one last row keyed "other"; such months and years are left out."""
    keys, label = _group(selection, group_by)
    query = _sales(selection, *where).add_columns(
        *keys, func.sum(ExportSale.value_jpy), func.sum(ExportSale.quantity), func.count(),
        func.count(ExportSale.quantity), func.count(func.distinct(ExportSale.unit)), *_exporters_behind(user),
    ).group_by(*keys).order_by(*keys)
    if group_by == "destination":
        query = query.join(Market, Market.id == ExportSale.destination_id)
    if group_by == "area":
        query = query.join(Area, Area.id == Exporter.area_id)
    rows, other = [], 0
    for *key, value, quantity, count, with_quantity, units, exporters, hidden in db.session.execute(query):
        if not policy.export_group_shown(exporters, hidden):
            other += int(value)
            continue
        single_unit = count == with_quantity and units == 1
        rows.append({group_by: label(key), "value_jpy": int(value),
                     "quantity": _number(quantity) if single_unit else None})
    if other and group_by in ("destination", "product", "area"):
        rows.append({group_by: "other", "value_jpy": other, "quantity": None})
    return rows


def _group(selection: SalesFilter, group_by: str):
    if group_by == "month":
        return [ExportSale.year, ExportSale.month], lambda key: str(Month(key[0], key[1]))
    if group_by == "year":
        return [ExportSale.year], lambda key: key[0]
    if group_by == "destination":
        return [Market.code], lambda key: key[0]
    if group_by == "product":
        return [ExportSale.product_id], lambda key: key[0]
    level = selection.area.level if selection.area is not None else "nation"
    column = Area.parent_id if level == "nation" else Area.id
    codes = dict(db.session.execute(select(Area.id, Area.code)).all())
    return [column], lambda key: codes[key[0]]


def _number(value: Decimal | None) -> int | float | None:
    return None if value is None else int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class Compared:
    """One line of a this-year-against-last-year table. `this_year` sums the year's reported months and
    `last_year` the same months a year earlier; None is a month not reported. `growth` compares only the months
    reported in both years, so a missing month is never a decline."""

    key: str | int
    label: str
    this_year: int | None
    last_year: int | None
    growth: float | None = None


def _growth(now: int, before: int) -> float | None:
    return (now - before) / before if before else None


def _compare(condition, key_column, year: int, labels, reported: dict[int, set[int]],
             withheld: frozenset | set = frozenset()) -> list[Compared]:
    """This year against the same months of last year, per key; the `withheld` keys are summed into one last
    line, "other". `reported`: the months reported in each of the two years."""
    this_months, last_months = reported.get(year, set()), reported.get(year - 1, set())
    both = this_months & last_months
    query = (select(key_column, ExportSale.year, ExportSale.month, func.sum(ExportSale.value_jpy))
             .select_from(ExportSale).join(Exporter, Exporter.id == ExportSale.exporter_id)
             .join(Market, Market.id == ExportSale.destination_id).join(Area, Area.id == Exporter.area_id)
             .where(condition, ExportSale.year.in_([year, year - 1]))
             .group_by(key_column, ExportSale.year, ExportSale.month))
    sums: dict = {}
    for key, sale_year, month, value in db.session.execute(query):
        # this year; last year's same months; this year and last year over the months reported in both
        line = sums.setdefault(OTHER if key in withheld else key, [0, 0, 0, 0])
        if sale_year == year:
            line[0] += int(value)
            line[2] += int(value) if month in both else 0
        elif month in this_months:
            line[1] += int(value)
            line[3] += int(value) if month in both else 0
    lines = [Compared(key, _("Others") if key == OTHER else labels(key), this, last, _growth(now, before))
             for key, (this, last, now, before) in sums.items()]
    return sorted(lines, key=lambda line: (line.key == OTHER, -line.this_year, -line.last_year, str(line.key)))


def reported_months(condition, years: list[int]) -> dict[int, set[int]]:
    """year -> the months in which any of the selected exporters sold anything: the months that are reported."""
    rows = db.session.execute(
        select(ExportSale.year, ExportSale.month).select_from(ExportSale)
        .join(Exporter, Exporter.id == ExportSale.exporter_id).where(condition, ExportSale.year.in_(years)).distinct())
    found: dict[int, set[int]] = {}
    for year, month in rows:
        found.setdefault(year, set()).add(month)
    return found


def latest_year(condition, last: Month) -> int | None:
    """The latest year, up to the latest month that is due, in which the selected exporters sold anything: where
    their pages open, rather than on a year nobody has reported yet."""
    return db.session.scalar(
        select(func.max(ExportSale.year)).select_from(ExportSale).join(Exporter, Exporter.id == ExportSale.exporter_id)
        .where(condition, ExportSale.year * 12 + ExportSale.month - 1 <= last.index))


def _by_month(condition, year: int, language: str) -> list[Compared]:
    """Each month of the year against the same month a year earlier; None where a month is not reported."""
    sums = {(sale_year, month): int(value) for sale_year, month, value in db.session.execute(
        select(ExportSale.year, ExportSale.month, func.sum(ExportSale.value_jpy)).select_from(ExportSale)
        .join(Exporter, Exporter.id == ExportSale.exporter_id)
        .where(condition, ExportSale.year.in_([year, year - 1])).group_by(ExportSale.year, ExportSale.month))}
    lines = []
    for month in range(1, 13):
        this, last = sums.get((year, month)), sums.get((year - 1, month))
        growth = _growth(this, last) if this is not None and last is not None else None
        lines.append(Compared(month, month_abbreviation(month, language), this, last, growth))
    return lines


def _product_labels(language: str):
    def label(product_id: int) -> str:
        product = db.session.get(Product, product_id)
        return product.name_in(language) + (f" ({product.hs_code})" if product.hs_code else "")
    return label


def _market_labels(language: str):
    return lambda code: market_name(code, language)


@dataclass(frozen=True)
class Overview:
    year: int
    months: list[Compared]
    destinations: list[Compared]
    products: list[Compared]
    areas: list[Compared]
    withheld: bool = False  # groups were merged into "other", or (no lines at all) the whole area held back
    reported: dict[int, set[int]] = field(default_factory=dict)  # year -> its reported months
    due_until: Month | None = None  # the latest month whose figures are due: later ones are not missing yet

    @property
    def this_months(self) -> set[int]:
        return self.reported.get(self.year, set())

    @property
    def both_months(self) -> list[int]:
        """The months reported in both years: what growth compares."""
        return sorted(self.this_months & self.reported.get(self.year - 1, set()))

    @property
    def total(self) -> Compared:
        """The year's reported months (the year to date), against the same months a year earlier."""
        this = sum(m.this_year for m in self.months if m.this_year is not None)
        same = sum(m.last_year for m in self.months if m.last_year is not None and m.key in self.this_months)
        both = self.both_months
        now = sum(m.this_year for m in self.months if m.key in both)
        before = sum(m.last_year for m in self.months if m.key in both)
        return Compared("total", "", this, same, _growth(now, before))

    def missing(self, month: int) -> bool:
        """Whether the year's month is due and not reported (rather than not due yet)."""
        return month not in self.this_months and (self.due_until is None or Month(self.year, month) <= self.due_until)

    @property
    def top_products(self) -> list[Compared]:
        return [line for line in self.products if line.this_year > 0 and line.key != OTHER][:TOP]

    @property
    def fastest_growing(self) -> list[Compared]:
        """Destinations sold to in both years, by growth over the same months; a first sale has no growth rate."""
        growing = [line for line in self.destinations if line.growth is not None and line.growth > 0
                   and line.key != OTHER]
        return sorted(growing, key=lambda line: (-line.growth, str(line.key)))[:TOP]


def exporter_condition(exporter: Exporter):
    """The sales of one exporter."""
    return ExportSale.exporter_id == exporter.id


def exporter_overview(exporter: Exporter, year: int, language: str, due_until: Month | None = None) -> Overview:
    condition = exporter_condition(exporter)
    reported = reported_months(condition, [year, year - 1])
    return Overview(year, _by_month(condition, year, language),
                    _compare(condition, Market.code, year, _market_labels(language), reported),
                    _compare(condition, ExportSale.product_id, year, _product_labels(language), reported), [],
                    reported=reported, due_until=due_until)


def area_condition(area: Area):
    """The sales of the exporters in the area and the areas below it."""
    return in_subtree(Exporter.area_id, [area.id]) if area.level != "nation" else true()


def area_overview(area: Area, year: int, language: str, user: User, due_until: Month | None = None) -> Overview:
    """The exporters in the area and the areas below it; `areas` splits them by the areas directly below.

    What would single out an exporter the user may not see in detail is held back: the whole area when fewer
    than three exporters sold in it, else each such destination, product and area below, merged into "other"."""
    condition = area_condition(area)
    in_years = and_(condition, ExportSale.year.in_([year, year - 1]))
    if withheld_groups(user, Exporter.area_id.isnot(None), in_years):
        return Overview(year, _by_month(false(), year, language), [], [], [], withheld=True, due_until=due_until)
    reported = reported_months(condition, [year, year - 1])
    destinations = withheld_groups(user, Market.code, in_years)
    products = withheld_groups(user, ExportSale.product_id, in_years)
    if area.level == "municipality":
        areas, below_withheld = [], set()
    else:
        below = Area.parent_id if area.level == "nation" else Area.id
        names = {a.id: a for a in db.session.scalars(select(Area).where(Area.parent_id == area.id))}
        below_withheld = withheld_groups(user, below, in_years, Area.id == Exporter.area_id)
        areas = _compare(condition, below, year, lambda key: names[key].name_in(language) if key in names else "",
                         reported, below_withheld)
    return Overview(year, _by_month(condition, year, language),
                    _compare(condition, Market.code, year, _market_labels(language), reported, destinations),
                    _compare(condition, ExportSale.product_id, year, _product_labels(language), reported, products),
                    areas, withheld=bool(destinations or products or below_withheld), reported=reported,
                    due_until=due_until)


def exporters_for(user: User, within: Area | None = None) -> list[Exporter]:
    """The exporters whose detail the user may see (in the area or below it, when given), with their areas and
    products loaded in two queries: the area page lists them with their products."""
    query = (select(Exporter).where(detail_visible(user)).order_by(Exporter.name)
             .options(selectinload(Exporter.area), selectinload(Exporter.products)))
    if within is not None and within.level != "nation":
        query = query.where(in_subtree(Exporter.area_id, [within.id]))
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class MonthRow:
    """A line of the month's form: this month's sale (if any) and the same month last year."""

    product_id: int
    destination: str
    value_jpy: int | None
    quantity: Decimal | None
    unit: str | None
    version: int | None
    last_value: int | None
    last_quantity: Decimal | None
    last_unit: str | None


def saved_versions(rows: list[MonthRow]) -> dict[tuple[int, str], int]:
    """(product id, destination) -> version of the month's saved sales among the rows."""
    return {(row.product_id, row.destination): row.version for row in rows if row.version is not None}


def month_rows(exporter: Exporter, month: Month) -> list[MonthRow]:
    """This month's sales, and a line for every product and destination sold in the same month last year."""
    query = (select(ExportSale.year, ExportSale.product_id, Market.code, ExportSale.value_jpy, ExportSale.quantity,
                    ExportSale.unit, ExportSale.version)
             .join(Market, Market.id == ExportSale.destination_id)
             .where(ExportSale.exporter_id == exporter.id, ExportSale.month == month.month,
                    ExportSale.year.in_([month.year, month.year - 1])))
    current, previous = {}, {}
    for year, product_id, code, value, quantity, unit, version in db.session.execute(query):
        (current if year == month.year else previous)[(product_id, code)] = (value, quantity, unit, version)
    order = {p.id: i for i, p in enumerate(exporter.products)}
    rows = []
    for key in sorted(set(current) | set(previous), key=lambda k: (order.get(k[0], len(order)), k[1])):
        value, quantity, unit, version = current.get(key, (None, None, None, None))
        last_value, last_quantity, last_unit, _ = previous.get(key, (None, None, None, None))
        rows.append(MonthRow(key[0], key[1], value, quantity, unit, version, last_value, last_quantity, last_unit))
    return rows


def sale_rows(selection: SalesFilter, *where) -> Iterator[tuple]:
    """The selected sales in the import file's columns, streamed in a stable order."""
    query = (select(Exporter.name, Area.code, ExportSale.year, ExportSale.month, Product.name_ja, Product.hs_code,
                    Market.code, ExportSale.quantity, ExportSale.unit, ExportSale.value_jpy)
             .select_from(ExportSale).join(Exporter, Exporter.id == ExportSale.exporter_id)
             .join(Area, Area.id == Exporter.area_id).join(Product, Product.id == ExportSale.product_id)
             .join(Market, Market.id == ExportSale.destination_id)
             .where(*_where(selection), *where)
             .order_by(Exporter.name, ExportSale.year, ExportSale.month, Product.name_ja, Market.code))
    for row in db.session.execute(query.execution_options(yield_per=2000)):
        *head, quantity, unit, value = row
        yield (*head, _number(quantity), unit, value)


def market_id(code: str) -> int | None:
    return db.session.scalar(select(Market.id).where(Market.code == code.strip().upper()))


def visible_exporter_ids(ids: set[int], user: User) -> set[int]:
    """Those of the exporters whose detail the user may see."""
    return set(db.session.scalars(select(Exporter.id).where(Exporter.id.in_(ids), detail_visible(user))))


def visible_product_id(product_id: int, user: User) -> int | None:
    """The product's id if its exporter's detail is visible to the user."""
    return db.session.scalar(select(Product.id).join(Exporter, Exporter.id == Product.exporter_id)
                             .where(Product.id == product_id, detail_visible(user)))

