"""Pages of the register: the network, an area's ties with their before/after charts, the form, history, upload,
template and download."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import downloads, policy
from tracker.affiliations import page, queries
from tracker.affiliations.columns import COLUMNS, JAPANESE_HEADERS
from tracker.affiliations.forms import AffiliationForm
from tracker.affiliations.labels import field_labels, kind_label, level_label
from tracker.affiliations.services import REVISIONS, TABLE, AffiliationSaveError, save_affiliation
from tracker.areas.queries import area_by_code
from tracker.charts.affiliations import before_after_figure, network_figure, timeline_figure
from tracker.charts.breakdowns import bars_figure, share_figure
from tracker.charts.toolbar import toolbar_dictionary
from tracker.extensions import db
from tracker.form_errors import apply_errors, refusal_status
from tracker.formatting import market_name
from tracker.imports import uploads
from tracker.models import Affiliation, Area
from tracker.revisions import history as revision_history
from tracker.templating import current_language

bp = Blueprint("affiliations", __name__, url_prefix="/affiliations")


@bp.before_request
@login_required
def require_reader():
    if not policy.can_read_affiliations(current_user):
        abort(403)


@bp.app_context_processor
def inject_labels():
    return {"kind_label": kind_label, "level_label": level_label, "field_labels": field_labels}


def _area(code: str) -> Area:
    area = area_by_code(code)
    if area is None or area.level == "nation":
        abort(404)
    return area


def _affiliation(affiliation_id: int) -> Affiliation:
    return db.session.get(Affiliation, affiliation_id) or abort(404)


@bp.get("/")
def network():
    """The whole network (or a prefecture's, with `?area=`): by year, by prefecture, by kind."""
    code = request.args.get("area", "")
    scope = area_by_code(code) if code else None
    if code and scope is None:
        abort(404)
    rest = _("Other countries")
    prefectures = {prefecture.code: prefecture.name_in(current_language())
                   for prefecture in db.session.scalars(select(Area).where(Area.level == "prefecture"))}
    shown = page.network(queries.ties(scope), date.today().year, market_name, prefectures, rest)
    figures = {"network": network_figure(shown.by_year, rest_label=rest) if shown.total else None,
               "prefectures": bars_figure(shown.by_prefecture, rest_label=rest) if shown.by_prefecture else None,
               "kinds": share_figure(shown.by_kind, rest_label=rest) if shown.by_kind else None}
    return render_template("affiliations/network.html", scope=scope, network=shown, figures=figures,
                           toolbar=toolbar_dictionary(), areas=_writable_areas())


def _writable_areas() -> list[Area]:
    """Where the user may add a tie from the network page: an officer's own areas (admins go through an area)."""
    return policy.entry_areas(current_user) if policy.can_add_affiliations(current_user) else []


@bp.get("/areas/<code>")
def area(code: str):
    """An area's ties on a timeline, and for each the visitors from the partner's country before and after it."""
    where = _area(code)
    records = queries.affiliations(where, include_subareas=True)
    this_year = date.today().year
    timeline = timeline_figure(page.timeline_table(records, market_name, current_language()),
                               current_year=this_year) \
        if records else None
    comparisons = []
    for record in records:
        body = queries.visitors_comparison(record)
        table = page.before_after_table(body)
        figure = before_after_figure(table, established_year=record.established_year,
                                     partner_label=market_name(record.country)) if table else None
        comparisons.append((record, body, figure, table))
    return render_template("affiliations/area.html", area=where, records=records, timeline=timeline,
                           comparisons=comparisons, toolbar=toolbar_dictionary(),
                           writable=lambda area: policy.can_write_affiliations(current_user, area))


@bp.route("/areas/<code>/new", methods=["GET", "POST"])
def new(code: str):
    where = _area(code)
    if not policy.can_write_affiliations(current_user, where):
        abort(403)
    return _form_page(where, None)


@bp.route("/<int:affiliation_id>/edit", methods=["GET", "POST"])
def edit(affiliation_id: int):
    record = _affiliation(affiliation_id)
    if not policy.can_write_affiliations(current_user, record.area):
        abort(403)
    return _form_page(record.area, record)


def _form_page(where: Area, record: Affiliation | None):
    form = AffiliationForm(obj=_Shown(record) if record is not None and request.method == "GET" else None)
    status = refusal_status(conflict=False) if form.is_submitted() else 200
    if form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            save_affiliation(current_user, where, form.raw(), affiliation=record, version=version)
        except AffiliationSaveError as error:
            db.session.rollback()
            apply_errors(form, error.errors)
            status = refusal_status(conflict=error.conflict)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("affiliations.area", code=where.code))
    return render_template("affiliations/form.html", form=form, area=where, record=record), status


class _Shown:
    """A record's values as the form shows them."""

    def __init__(self, record: Affiliation):
        self.partner_name, self.partner_name_en = record.partner_name, record.partner_name_en
        self.country, self.partner_level, self.kind = record.country, record.partner_level, record.kind
        self.established, self.ended = record.established, record.ended or ""
        self.fields, self.note, self.version = record.field_list, record.note, str(record.version)


@bp.get("/<int:affiliation_id>/history")
def history(affiliation_id: int):
    record = _affiliation(affiliation_id)
    key = REVISIONS.key_text(area_code=record.area.code, country=record.country,
                             partner_name_en=record.partner_name_en)
    # the prefix would also match a longer name ("Paris" and "Paris, Texas"): only this tie's own key
    revisions = [revision for revision in revision_history(TABLE, key) if revision.record_key == key]
    return render_template("affiliations/history.html", record=record, revisions=revisions)


@bp.route("/import", methods=["GET", "POST"])
def upload():
    return uploads.upload_page("affiliations", policy.can_add_affiliations, "affiliations/upload.html")


@bp.get("/template.<any(csv, xlsx):fmt>")
def template(fmt: str):
    example = [["420000", "セントポール市", "Saint Paul", "US", "city", "sister", "1955-12-07", "", "education;culture",
                "Japan's first sister-city tie"]]
    return _download(fmt, example, "affiliations_template")


@bp.get("/download.<any(csv, xlsx):fmt>")
def download(fmt: str):
    """The register (an area's ties with those below it, with `?area=`) in the import format."""
    code = request.args.get("area", "")
    scope = area_by_code(code) if code else None
    if code and scope is None:
        abort(404)
    records = queries.affiliations(scope, include_subareas=True)
    rows = ([r.area.code, r.partner_name, r.partner_name_en, r.country, r.partner_level, r.kind, r.established,
             r.ended or "", ";".join(r.field_list), r.note] for r in records)
    return _download(fmt, rows, "affiliations")


def _download(fmt: str, rows, name: str):
    header = downloads.header(request.args, COLUMNS, JAPANESE_HEADERS)
    return downloads.file_response(fmt, header, rows, name, sheet_title="affiliations")
