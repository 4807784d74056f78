"""Admin pages to set and change targets."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from tracker import policy
from tracker.extensions import db
from tracker.form_errors import apply_errors
from tracker.models import Exporter, Product, Target
from tracker.pickers import area_picker_options, market_options
from tracker.targets.forms import TargetForm
from tracker.targets.queries import all_targets
from tracker.targets.services import TargetError, TargetInput, create_target, update_target
from tracker.templating import current_language

bp = Blueprint("targets", __name__, url_prefix="/targets")


@bp.before_request
@login_required
def require_admin():
    if not policy.can_manage(current_user):
        abort(403)


@bp.get("/")
def index():
    return render_template("targets/index.html", targets=all_targets())


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _form()
    if form.validate_on_submit() and _save(form, None):
        return redirect(url_for("targets.index"))
    return _page(form, None)


@bp.route("/<int:target_id>", methods=["GET", "POST"])
def edit(target_id: int):
    target = db.session.get(Target, target_id) or abort(404)
    form = _form(target)
    if form.validate_on_submit() and _save(form, target):
        return redirect(url_for("targets.index"))
    return _page(form, target)


def _page(form: TargetForm, target: Target | None):
    return render_template("targets/form.html", form=form, target=target, market_options=market_options(),
                           area_options=area_picker_options(current_language()))


def _form(target: Target | None = None) -> TargetForm:
    form = TargetForm(obj=target)
    if target is not None:
        # the form shows codes, not the related rows; a field missing from a post keeps the saved code
        shown = {"area": target.area.code, "market": target.market.code if target.market else "",
                 "destination": target.destination.code if target.destination else "", "product": target.product_id}
        for name, value in shown.items():
            if not form.is_submitted() or name not in request.form:
                getattr(form, name).data = value
    language = current_language()
    products = sorted((exporter.name_in(language), product.name_in(language), product.id)
                      for product, exporter in db.session.execute(select(Product, Exporter).join(Exporter)))
    form.product.choices = [(None, _l("(any product)"))] + [(pid, f"{exporter} — {name}")
                                                          for exporter, name, pid in products]
    return form


def _save(form: TargetForm, target: Target | None) -> bool:
    data = TargetInput(
        name=form.name.data, name_en=form.name_en.data or "", metric=form.metric.data, area=form.area.data,
        baseline_year=form.baseline_year.data,
        target_year=form.target_year.data, target_value=form.target_value.data,
        baseline_value=form.baseline_value.data, year_basis=form.year_basis.data,
        include_subareas=form.include_subareas.data, market=form.market.data or None, product=form.product.data,
        destination=form.destination.data or None,
    )
    try:
        saved = (create_target(data, by=current_user, source="form") if target is None
                     else update_target(target, data, by=current_user, source="form"))
    except TargetError as error:
        db.session.rollback()
        apply_errors(form, error.errors)
        return False
    db.session.commit()
    flash(_("Target %(name)s saved.", name=saved.name_in(current_language())), "success")
    return True
