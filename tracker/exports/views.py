"""Pages for exports: exporters and products, a month's sales, the exporter home, the area view, downloads."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import downloads, policy
from tracker.areas.queries import area_by_code
from tracker.downloads import SelectionError
from tracker.exports import queries
from tracker.exports.forms import (
    ExporterForm,
    MonthSalesForm,
    ProductForm,
    parse_read,
    read_text,
    unit_label,
)
from tracker.exports.importer import JAPANESE_HEADERS
from tracker.exports.selection import parse_selection
from tracker.exports.services import (
    TABLE,
    ExporterInput,
    ExportError,
    ProductInput,
    SaleConflict,
    SalesConflict,
    create_exporter,
    create_product,
    save_month,
    update_exporter,
    update_product,
    versions_after_conflict,
)
from tracker.extensions import db
from tracker.form_errors import STALE_FORM, apply_errors, refusal_status
from tracker.imports import uploads
from tracker.models import Exporter, Product
from tracker.notes import queries as notes
from tracker.notes.queries import NOTE_COLUMN, NOTE_HEADER_JA
from tracker.periods import FIRST_YEAR, LAST_YEAR, Month, current_month
from tracker.pickers import area_picker_options, market_options
from tracker.reporting import units as reporting_units
from tracker.reporting.deadlines import latest_due_month
from tracker.reporting.deadlines import today as reporting_today
from tracker.reporting.queries import panel as reporting_panel
from tracker.reporting.units import Unit
from tracker.revisions import history as revision_history
from tracker.templating import current_language
from tracker.text import halfwidth

bp = Blueprint("exports", __name__, url_prefix="/exports")
BLANK_ROWS = 3
bp.add_app_template_filter(unit_label, "unit")


@bp.before_request
@login_required
def require_login():
    if not policy.can_read_exports(current_user):
        abort(403)


@bp.get("/")
def index():
    own = policy.own_exporter_id(current_user)
    if own is not None:
        return redirect(url_for("exports.exporter", exporter_id=own))
    home = current_user.areas[0].code if current_user.areas else "JP"
    return redirect(url_for("exports.area", code=home))


@bp.get("/areas/<code>")
def area(code: str):
    if not policy.can_read_public(current_user):
        abort(403)
    where = area_by_code(code) or abort(404)
    due = _latest_due_month()
    year = _year(queries.area_condition(where), due)
    overview = queries.area_overview(where, year, current_language(), current_user, due)
    exporters = queries.exporters_for(current_user, within=where)
    return render_template("exports/area.html", area=where, overview=overview, year=year, exporters=exporters,
                           children=sorted(where.children, key=lambda a: a.code))


@bp.get("/exporters")
def exporters():
    if not policy.can_list_exporters(current_user):
        abort(403)
    return render_template("exports/exporters.html", exporters=queries.exporters_for(current_user))


@bp.route("/exporters/new", methods=["GET", "POST"])
def new_exporter():
    if not policy.can_create_exporter(current_user):
        abort(403)
    form = ExporterForm()
    if form.validate_on_submit():
        saved = _save_exporter(form, None)
        if saved is not None:
            return redirect(url_for("exports.exporter", exporter_id=saved.id))
    return _exporter_page(form, None)


@bp.route("/exporters/<int:exporter_id>/edit", methods=["GET", "POST"])
def edit_exporter(exporter_id: int):
    exporter = _exporter(exporter_id, policy.can_edit_exporter)
    form = ExporterForm(obj=exporter)
    if not form.is_submitted():
        form.area_code.data = exporter.area.code
    if form.validate_on_submit() and _save_exporter(form, exporter) is not None:
        return redirect(url_for("exports.exporter", exporter_id=exporter.id))
    return _exporter_page(form, exporter)


def _exporter_page(form: ExporterForm, exporter: Exporter | None):
    """The form, first shown (200) or shown again with what to correct (422)."""
    status = refusal_status(conflict=False) if form.is_submitted() else 200
    return render_template("exports/exporter_form.html", form=form, exporter=exporter,
                           municipalities=area_picker_options(current_language(), "municipality")), status


def _save_exporter(form: ExporterForm, exporter: Exporter | None) -> Exporter | None:
    place = area_by_code(form.area_code.data)
    if place is not None and not policy.can_place_exporter(current_user, exporter, place):
        form.area_code.errors.append(_("You may not place an exporter in this area."))
        return None
    data = ExporterInput(name=form.name.data, area_code=form.area_code.data, contact=form.contact.data or "",
                         name_en=form.name_en.data or "")
    try:
        saved = create_exporter(data) if exporter is None else update_exporter(exporter, data)
    except ExportError as error:
        db.session.rollback()
        apply_errors(form, error.errors)
        return None
    db.session.commit()
    flash(_("Exporter %(name)s saved.", name=saved.name_in(current_language())), "success")
    return saved


@bp.get("/exporters/<int:exporter_id>")
def exporter(exporter_id: int):
    exporter = _exporter(exporter_id, policy.can_see_exporter_detail)
    due = _latest_due_month()
    year = _year(queries.exporter_condition(exporter), due)
    overview = queries.exporter_overview(exporter, year, current_language(), due)
    year_notes = notes.exporter_notes(exporter, Month(year, 1), Month(year, 12))
    return render_template("exports/exporter.html", exporter=exporter, overview=overview, year=year,
                           month=current_month().shift(-1), notes=notes.month_numbers(year_notes))


@bp.route("/exporters/<int:exporter_id>/products/new", methods=["GET", "POST"])
def new_product(exporter_id: int):
    exporter = _exporter(exporter_id, policy.can_edit_exporter)
    form = ProductForm()
    if form.validate_on_submit() and _save_product(form, exporter, None):
        return redirect(url_for("exports.exporter", exporter_id=exporter.id))
    return _product_page(form, exporter, None)


@bp.route("/products/<int:product_id>/edit", methods=["GET", "POST"])
def edit_product(product_id: int):
    product = db.session.get(Product, product_id) or abort(404)
    exporter = _exporter(product.exporter_id, policy.can_edit_exporter)
    form = ProductForm(obj=product)
    if not form.is_submitted():
        form.origin_area_code.data = product.origin_area.code if product.origin_area else ""
        form.default_unit.data = product.default_unit or ""
    if form.validate_on_submit() and _save_product(form, exporter, product):
        return redirect(url_for("exports.exporter", exporter_id=exporter.id))
    return _product_page(form, exporter, product)


def _product_page(form: ProductForm, exporter: Exporter, product: Product | None):
    """The form, first shown (200) or shown again with what to correct (422)."""
    status = refusal_status(conflict=False) if form.is_submitted() else 200
    return render_template("exports/product_form.html", form=form, exporter=exporter, product=product,
                           areas=area_picker_options(current_language())), status


def _save_product(form: ProductForm, exporter: Exporter, product: Product | None) -> bool:
    data = ProductInput(name_ja=form.name_ja.data, name_en=form.name_en.data or "",
                        hs_code=halfwidth(form.hs_code.data or "") or None,
                        origin_area_code=form.origin_area_code.data or None,
                        default_unit=form.default_unit.data or None)
    try:
        saved = create_product(exporter, data) if product is None else update_product(product, data)
    except ExportError as error:
        db.session.rollback()
        apply_errors(form, error.errors)
        return False
    db.session.commit()
    flash(_("Product %(name)s saved.", name=saved.name_in(current_language())), "success")
    return True


@bp.route("/exporters/<int:exporter_id>/sales", methods=["GET", "POST"])
def sales(exporter_id: int):
    exporter = _exporter(exporter_id, policy.can_write_sales)
    try:
        month = Month.parse(request.args.get("month", ""))
    except ValueError:
        return redirect(url_for("exports.sales", exporter_id=exporter.id, month=str(current_month().shift(-1))))
    rows = queries.month_rows(exporter, month)
    form = MonthSalesForm() if request.method == "POST" else _month_form(rows)
    products = {p.id: p.name_in(current_language()) for p in exporter.products}
    for row in form.rows:
        row.form.product.choices = list(products.items())
    conflicts, status = [], 200
    if form.validate_on_submit():
        refusal = _save_month(form, exporter, month)
        if refusal is None:
            return redirect(url_for("exports.sales", exporter_id=exporter.id, month=str(month)))
        conflicts, status = refusal
        if conflicts:
            rows = queries.month_rows(exporter, month)
            form.read.data = read_text(versions_after_conflict(parse_read(form.read.data), conflicts,
                                                               queries.saved_versions(rows)))
    elif form.is_submitted():
        status = refusal_status(conflict=False)
    page = render_template("exports/sales.html", exporter=exporter, month=month, form=form, products=products,
                           last_year={(r.product_id, r.destination): r for r in rows}, conflicts=conflicts,
                           conflicting={(c.product_id, c.destination): c for c in conflicts},
                           default_units={p.id: p.default_unit for p in exporter.products if p.default_unit},
                           previous=month.shift(-1), following=month.shift(1), market_options=market_options(),
                           cycle=reporting_panel(current_user, Unit.of(exporter), month, reporting_today()),
                           notes=notes.exporter_notes(exporter, month, month))
    return page, status


@bp.get("/exporters/<int:exporter_id>/history")
def history(exporter_id: int):
    """Every change to the exporter's sales of a month, from the form, imports and the API."""
    exporter = _exporter(exporter_id, policy.can_see_exporter_detail)
    try:
        month = Month.parse(request.args.get("month", ""))
    except ValueError:
        abort(404)
    products = {str(p.id): p.name_in(current_language()) for p in exporter.products}
    return render_template("exports/history.html", exporter=exporter, month=month, products=products,
                           revisions=revision_history(TABLE, f"{exporter.id}/{month}/"))


def _month_form(rows: list[queries.MonthRow]) -> MonthSalesForm:
    form = MonthSalesForm()
    for row in rows:
        form.rows.append_entry({
            "product": row.product_id, "destination": row.destination,
            "value_jpy": "" if row.value_jpy is None else str(row.value_jpy),
            "quantity": "" if row.quantity is None else f"{row.quantity.normalize():f}",
            "unit": row.unit or "",
        })
    form.read.data = read_text(queries.saved_versions(rows))
    for _blank in range(BLANK_ROWS):
        form.rows.append_entry({"unit": ""})
    return form


def _save_month(form: MonthSalesForm, exporter: Exporter, month: Month) -> tuple[list[SaleConflict], int] | None:
    """Save the month: None once saved; else the conflicts to show (empty when the errors are on the form) and
    the page's status."""
    lines = [row.form for row in form.rows if not row.form.is_blank()]
    inputs, read = [line.sale_input() for line in lines], parse_read(form.read.data)
    try:
        result = save_month(current_user, exporter, month, inputs, read=read, note=form.note.data or "")
        db.session.commit()
    except ExportError as error:
        db.session.rollback()
        apply_errors(form, error.errors, lines)
        return [], refusal_status(conflict=error.conflict)
    except SalesConflict as conflict:
        db.session.rollback()
        form.form_errors.append(str(STALE_FORM))
        return conflict.conflicts, refusal_status(conflict=True)
    flash(_("Saved: %(created)d new, %(updated)d changed, %(deleted)d removed, %(unchanged)d unchanged.",
            created=result.created, updated=result.updated, deleted=result.deleted, unchanged=result.unchanged),
          "success")
    return None


@bp.route("/import", methods=["GET", "POST"])
def upload():
    return uploads.upload_page("exports", policy.can_import_exports, "exports/upload.html", columns=queries.COLUMNS)


@bp.get("/template.<any(csv, xlsx):fmt>")
def template(fmt: str):
    """An import file to fill in: the columns and an example line (Sapporo, in every area list and the demo's)."""
    month = current_month().shift(-1)
    example = [("札幌酒造", "011002", month.year, month.month, "純米酒", "220600", "HK", 120, "l", 480000)]
    return _file(fmt, example, "exports_template")


@bp.get("/download.<any(csv, xlsx):fmt>")
def download(fmt: str):
    """The selected sales the user may see in detail, in the import file's format."""
    try:
        selection = parse_selection(request.args, current_user)
    except SelectionError as error:
        flash(str(error), "error")
        return redirect(url_for("exports.index"))
    visible = queries.detail_visible(current_user)
    rows = queries.sale_rows(selection, visible)
    note_column = notes.asks_for_notes(request.args)
    if note_column:
        rows = notes.with_note_column(rows, notes.exporters_notes(visible, selection.first, selection.last),
                                      lambda note: (note.exporter_name, note.month.year, note.month.month),
                                      lambda row: (row[0], row[2], row[3]))
    return _file(fmt, rows, f"exports-{date.today():%Y%m%d}", note_column=note_column)


def _file(fmt: str, rows, name: str, note_column: bool = False):
    """A file in the import layout; with `note_column`, the months' notes in a last column, which the import
    ignores."""
    columns, japanese = queries.COLUMNS, JAPANESE_HEADERS
    if note_column:
        columns, japanese = (*columns, NOTE_COLUMN), {**JAPANESE_HEADERS, NOTE_COLUMN: NOTE_HEADER_JA}
    header = downloads.header(request.args, columns, japanese)
    return downloads.file_response(fmt, header, rows, name, sheet_title="exports")


def _exporter(exporter_id: int, allowed) -> Exporter:
    exporter = db.session.get(Exporter, exporter_id) or abort(404)
    if not allowed(current_user, exporter):
        abort(403)
    return exporter


def _latest_due_month() -> Month:
    return latest_due_month(reporting_units.rule("exports"), reporting_today())


def _year(condition, due: Month) -> int:
    """The year asked for, else the latest year with sales up to the latest month that is due."""
    year = request.args.get("year", type=int)
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        return year
    return queries.latest_year(condition, due) or due.year



