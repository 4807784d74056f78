"""Pages: the area overview, the entry grid, a month's history, upload, templates and export."""

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
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import downloads, policy
from tracker.areas.queries import area_by_code
from tracker.downloads import SelectionError
from tracker.extensions import db
from tracker.form_errors import STALE_FORM, refusal_status
from tracker.formatting import STATUS_LABELS, status_label
from tracker.imports import uploads
from tracker.models import Area
from tracker.notes import queries as notes
from tracker.notes.queries import NOTE_COLUMN, NOTE_HEADER_JA
from tracker.periods import Month, current_month, parse_year
from tracker.reference import NATION_CODE
from tracker.reporting import units as reporting_units
from tracker.reporting.counts import reported_share
from tracker.reporting.deadlines import latest_due_month
from tracker.reporting.deadlines import today as reporting_today
from tracker.reporting.queries import panel as reporting_panel
from tracker.reporting.units import Unit
from tracker.revisions import history as revision_history
from tracker.templating import current_language
from tracker.visitors import queries
from tracker.visitors.columns import COLUMNS, JAPANESE_HEADERS
from tracker.visitors.forms import GRID_MARKETS, GridForm, PickForm, parse_grid
from tracker.visitors.services import TABLE, VisitorSaveError, save_month

bp = Blueprint("visitors", __name__, url_prefix="/visitors")


@bp.before_request
@login_required
def require_reader():
    if not policy.can_read_public(current_user):
        abort(403)


def _area(code: str) -> Area:
    return area_by_code(code) or abort(404)


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        abort(404)


def _own_areas() -> list[Area]:
    """The areas the user enters figures for: an officer's, with the areas one level below each of them
    (a prefecture's officer may write its municipalities); every prefecture and the nation for an admin,
    who reaches a municipality through the overview."""
    if policy.is_admin(current_user):
        return list(db.session.scalars(select(Area).where(Area.level != "municipality").order_by(Area.code)))
    areas = {area for own in policy.entry_areas(current_user) for area in queries.area_with_subareas(own)}
    return sorted(areas, key=lambda area: area.code)


@bp.get("/")
def overview():
    """A year of reporting: an officer's own areas, or for everyone else the nation and its prefectures; each
    area drills down to the areas below it."""
    code = request.args.get("area")
    own = policy.entry_areas(current_user)
    scope = _area(code or NATION_CODE) if code or not own else None
    areas = queries.area_with_subareas(scope) if scope is not None else own
    this_year = date.today().year
    year = request.args.get("year", type=parse_year) or queries.latest_year(areas, this_year) or this_year
    share = reported_share(scope, year) if scope is not None else {}
    due = latest_due_month(reporting_units.rule("visitors"), reporting_today())
    year_notes = notes.areas_notes([area.id for area in areas], Month(year, 1), Month(year, 12))
    rows = queries.overview(areas, year)
    return render_template("visitors/overview.html", year=year, scope=scope, own=bool(own), rows=rows,
                           changes=queries.overview_changes(areas, year, rows), share=share, months=range(1, 13),
                           notes=notes.by_area_month(year_notes),
                           due=lambda month: Month(year, month) <= due,
                           writable=lambda area: policy.can_write_visitors(current_user, area))


@bp.get("/entry")
def pick():
    if not policy.can_enter_visitors(current_user):
        abort(403)
    form = PickForm(request.args)
    form.area.choices = [(area.code, area.name_in(current_language())) for area in _own_areas()]
    if request.args and form.validate():
        return redirect(url_for("visitors.entry", code=form.area.data, month=form.month.data))
    if not form.month.data:
        form.month.data = str(current_month().shift(-1))
    return render_template("visitors/pick.html", form=form)


@bp.route("/<code>/<month>", methods=["GET", "POST"])
def entry(code: str, month: str):
    area, period = _area(code), _month(month)
    if not policy.can_write_visitors(current_user, area):
        abort(403)
    form = GridForm()
    errors, conflicts, outliers, status = {}, [], [], 200
    if form.validate_on_submit():
        entries, read, errors = parse_grid(request.form, _markets(area, period))
        if errors:
            status = refusal_status(conflict=False)
        else:
            try:
                changed = save_month(current_user, area, period, entries, read=read, status=form.status.data,
                                     restatus=request.form.get("shown-status") != form.status.data,
                                     confirmed=form.confirm_outliers.data)
            except VisitorSaveError as error:
                db.session.rollback()
                errors, conflicts, outliers = error.errors, error.conflicts, error.outliers
                status = refusal_status(conflict=error.conflict)
            else:
                db.session.commit()
                flash(ngettext("Saved: %(num)d figure changed.", "Saved: %(num)d figures changed.", changed), "success")
                return redirect(url_for("visitors.entry", code=code, month=month))
    elif not form.is_submitted():
        form.status.data = queries.month_status(area, period) or "provisional"
    rows = queries.grid(area, period, list(GRID_MARKETS))
    typed = request.form if form.is_submitted() else {}
    page = render_template("visitors/entry.html", form=form, area=area, month=period, rows=rows, typed=typed,
                           errors=errors, conflicts=conflicts, outliers=outliers, stale_form=STALE_FORM,
                           cycle=reporting_panel(current_user, Unit.of(area), period, reporting_today()),
                           notes=notes.area_notes(area, period, period))
    return page, status


def _markets(area: Area, period: Month) -> list[str]:
    return [row.market for row in queries.grid(area, period, list(GRID_MARKETS))]


@bp.get("/<code>/<month>/history")
def history(code: str, month: str):
    area, period = _area(code), _month(month)
    revisions = revision_history(TABLE, f"{area.code}/{period}/")
    return render_template("visitors/history.html", area=area, month=period, revisions=revisions,
                           writable=policy.can_write_visitors(current_user, area))


@bp.route("/import", methods=["GET", "POST"])
def upload():
    return uploads.upload_page("visitors", policy.can_import_visitors, "visitors/upload.html")


@bp.get("/template.<fmt>")
def template(fmt: str):
    """An import file to fill in: the columns and an example line (Sapporo, in every area list and the demo's)."""
    month = current_month().shift(-1)
    return _download(fmt, [("011002", month.year, month.month, "CN", 1234, "final")], "visitors_template")


@bp.get("/export.<fmt>")
def export(fmt: str):
    try:
        first, last = downloads.month_range(request.args)
        codes = downloads.listed(request.args, "areas")
        area_ids = list(downloads.area_ids(codes)) if codes else None
    except SelectionError as error:
        flash(str(error), "error")
        return redirect(url_for("visitors.overview"))
    markets = [code.upper() for code in downloads.listed(request.args, "markets")]
    rows = queries.export_rows(area_ids, first, last, markets or None)
    note_column = notes.asks_for_notes(request.args)
    if note_column:
        rows = notes.with_note_column(rows, notes.areas_notes(area_ids, first, last),
                                      lambda note: (note.area_code, note.month.year, note.month.month),
                                      lambda row: (row[0], row[1], row[2]))
    return _download(fmt, rows, "visitors", note_column=note_column)


def _download(fmt: str, rows, name: str, note_column: bool = False):
    """A file in the import layout; with `note_column`, the months' notes in a last column, which the import
    ignores."""
    columns, japanese = COLUMNS, JAPANESE_HEADERS
    if note_column:
        columns, japanese = (*COLUMNS, NOTE_COLUMN), {**JAPANESE_HEADERS, NOTE_COLUMN: NOTE_HEADER_JA}
    header = downloads.header(request.args, columns, japanese)
    language = downloads.language(request.args)
    if language == "ja":  # the statuses in JNTO's words, as the screens show them and the import reads them back
        words = {status: status_label(status, language) for status in STATUS_LABELS}
        rows = ((*row[:-1], words[row[-1]]) if not note_column else (*row[:-2], words[row[-2]], row[-1])
                for row in rows)
    return downloads.file_response(fmt, header, rows, name, sheet_title="visitors")

