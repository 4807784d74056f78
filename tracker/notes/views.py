"""Pages: the notes of an area's or an exporter's month (read, add), a note's edit and deletion, and a list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import downloads, policy
from tracker.areas.queries import area_by_code
from tracker.downloads import SelectionError
from tracker.exports.queries import detail_visible
from tracker.extensions import db
from tracker.form_errors import apply_errors, refusal_status
from tracker.models import Area, Exporter, Note
from tracker.notes import queries
from tracker.notes.forms import BACK_TO, DeleteNoteForm, NoteForm
from tracker.notes.services import (
    TABLE,
    NoteError,
    NoteGone,
    add_note,
    delete_note,
    edit_note,
    history_prefix,
    seen_stamp,
)
from tracker.periods import Month, current_month
from tracker.reference import NATION_CODE
from tracker.revisions import history as revision_history

bp = Blueprint("notes", __name__, url_prefix="/notes")
LIST_MONTHS = 12


@bp.before_request
@login_required
def require_login():
    """Each page asks the policy about its own area or exporter."""


@bp.get("/")
def index():
    """The notes the user may read over a span of months: on an area's months (and those of the areas below it),
    and on the months of the exporters whose sales the user sees."""
    if not policy.can_list_notes(current_user):
        abort(403)
    area = _listed_area()
    try:
        first, last = downloads.month_range(request.args)
    except SelectionError as error:
        flash(str(error), "error")
        first = last = None
    last = last or current_month()
    first = first or last.shift(1 - LIST_MONTHS)
    subareas = request.args.get("include_subareas", "1") != "0"
    rows = []
    if area is not None and policy.can_read_area_notes(current_user):
        rows += queries.area_notes(area, first, last, include_subareas=subareas)
    rows += queries.exporters_notes(detail_visible(current_user), first, last, within=area,
                                    include_subareas=subareas)
    rows.sort(key=lambda row: (row.month, row.area_code, row.created_at, row.id), reverse=True)
    return render_template("notes/index.html", rows=rows, area=area, first=first, last=last, subareas=subareas)


def _listed_area() -> Area | None:
    code = request.args.get("area", "").strip()
    if code:
        return area_by_code(code) or abort(404)
    if not policy.can_read_area_notes(current_user):
        return None  # an exporter: its own notes, wherever
    own = policy.entry_areas(current_user)
    return own[0] if own else area_by_code(NATION_CODE)


@bp.route("/areas/<code>/<month>", methods=["GET", "POST"])
def area_month(code: str, month: str):
    area, period = area_by_code(code) or abort(404), _month(month)
    if not policy.can_read_area_notes(current_user):
        abort(403)
    writable = policy.can_write_area_notes(current_user, area)
    return _month_page(period, writable, area=area)


@bp.route("/exporters/<int:exporter_id>/<month>", methods=["GET", "POST"])
def exporter_month(exporter_id: int, month: str):
    exporter, period = db.session.get(Exporter, exporter_id) or abort(404), _month(month)
    if not policy.can_read_exporter_notes(current_user, exporter):
        abort(403)
    writable = policy.can_write_exporter_notes(current_user, exporter)
    return _month_page(period, writable, exporter=exporter)


def _month_page(period: Month, writable: bool, *, area: Area | None = None, exporter: Exporter | None = None):
    form = NoteForm()
    status = 200
    if request.method == "POST":
        if not writable:
            abort(403)
        status = refusal_status(conflict=False)
        if form.validate_on_submit():
            try:
                add_note(current_user, period, form.text.data, area=area, exporter=exporter)
            except NoteError as error:
                db.session.rollback()
                apply_errors(form, error.errors)
                status = refusal_status(conflict=error.conflict)
            else:
                db.session.commit()
                flash(_("Note saved."), "success")
                return redirect(_back(form.back.data, period, area=area, exporter=exporter))
    rows = (queries.area_notes(area, period, period) if area is not None
            else queries.exporter_notes(exporter, period, period))
    revisions = revision_history(TABLE, history_prefix(period, area=area, exporter=exporter))
    page = render_template("notes/month.html", area=area, exporter=exporter, month=period, rows=rows, form=form,
                           writable=writable, revisions=revisions)
    return page, status


@bp.route("/<int:note_id>/edit", methods=["GET", "POST"])
def edit(note_id: int):
    note = _writable_note(note_id)
    form = NoteForm()
    status = refusal_status(conflict=False) if form.is_submitted() else 200
    if form.validate_on_submit():
        try:
            edit_note(current_user, note, form.text.data, seen=form.seen.data or None)
        except NoteGone as gone:
            db.session.rollback()
            abort(409, description=gone.errors["seen"])  # no note left to show the form of
        except NoteError as error:
            db.session.rollback()
            apply_errors(form, error.errors)
            status = refusal_status(conflict=error.conflict)
        else:
            db.session.commit()
            flash(_("Note saved."), "success")
            return redirect(_back(form.back.data, Month(note.year, note.month), area=note.area,
                                  exporter=note.exporter))
    elif not form.is_submitted():
        form.text.data, form.seen.data = note.text, seen_stamp(note)
        back = request.args.get("back", "")
        form.back.data = back if back in BACK_TO else "notes"
    page = render_template("notes/edit.html", note=note, form=form, delete_form=DeleteNoteForm(
        seen=seen_stamp(note), back=form.back.data))
    return page, status


@bp.post("/<int:note_id>/delete")
def delete(note_id: int):
    note = _writable_note(note_id)
    form = DeleteNoteForm()
    if not form.validate_on_submit():
        abort(400)
    month, area, exporter = Month(note.year, note.month), note.area, note.exporter
    try:
        delete_note(current_user, note, seen=form.seen.data)
    except NoteError as error:
        db.session.rollback()
        flash(next(iter(error.errors.values())), "error")
    else:
        db.session.commit()
        flash(_("Note deleted."), "success")
    return redirect(_back(form.back.data, month, area=area, exporter=exporter))


def _writable_note(note_id: int) -> Note:
    note = db.session.get(Note, note_id) or abort(404)
    if not policy.can_write_note(current_user, note):
        abort(403)
    return note


def _month(text: str) -> Month:
    try:
        return Month.parse(text)
    except ValueError:
        abort(404)


def _back(back: str, month: Month, *, area: Area | None, exporter: Exporter | None) -> str:
    """Where a saved form returns: the page it was on (the entry grid, the sales form) when the user may open it,
    else the month's notes."""
    if back == "entry" and area is not None and policy.can_write_visitors(current_user, area):
        return url_for("visitors.entry", code=area.code, month=str(month))
    if back == "sales" and exporter is not None and policy.can_write_sales(current_user, exporter):
        return url_for("exports.sales", exporter_id=exporter.id, month=str(month))
    if area is not None:
        return url_for("notes.area_month", code=area.code, month=str(month))
    return url_for("notes.exporter_month", exporter_id=exporter.id, month=str(month))
