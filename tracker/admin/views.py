from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from tracker import policy
from tracker.admin.forms import AreaImportForm, AreaNamesForm, UserForm
from tracker.admin.queries import area_page, user_rows
from tracker.areas.queries import area_by_code
from tracker.areas.services import AreaImportError, import_areas
from tracker.auth.services import AccountError, create_user, update_user
from tracker.converters import page_number
from tracker.extensions import db
from tracker.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    if not policy.can_manage(current_user):
        abort(403)


@bp.get("/users")
def users():
    return render_template("admin/users.html", users=user_rows())


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = UserForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("A new account needs a password."))
        else:
            try:
                user = create_user(form.email.data, form.password.data, form.role.data, name=form.name.data,
                                   area_codes=(form.area_codes.data or "").split(),
                                   exporter_name=form.exporter_name.data, by=current_user, source="form")
            except AccountError as error:
                db.session.rollback()
                form.form_errors.append(str(error))
            else:
                db.session.commit()
                flash(_("Account %(email)s created.", email=user.email), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(obj=user)
    if request.method == "GET":
        form.area_codes.data = " ".join(area.code for area in user.areas)
        form.exporter_name.data = user.exporter.name if user.exporter else ""
    form.email.data = user.email
    if form.validate_on_submit():
        try:
            update_user(user, name=form.name.data, role=form.role.data, area_codes=(form.area_codes.data or "").split(),
                        exporter_name=form.exporter_name.data, active=form.active.data,
                        password=form.password.data or None, by=current_user, source="form")
        except AccountError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            if user.id == current_user.id and user.active:
                login_user(user)  # a reset of one's own password ends the other sessions, not this one
            flash(_("Account %(email)s saved.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/areas", methods=["GET", "POST"])
def areas():
    form = AreaImportForm()
    errors: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            result = import_areas(upload.stream, upload.filename or "upload")
        except AreaImportError as error:
            db.session.rollback()
            errors = error.errors
        else:
            db.session.commit()
            flash(_("Areas imported: created %(created)d, updated %(updated)d, unchanged %(unchanged)d.",
                    created=result.created, updated=result.updated, unchanged=result.unchanged), "success")
            return redirect(url_for("admin.areas"))
    query = request.args.get("q", "").strip()
    level = request.args.get("level", "")
    page = area_page(query, level, request.args.get("page", 1, type=page_number))
    return render_template("admin/areas.html", page=page, query=query, level=level, form=form, errors=errors)


@bp.route("/areas/<code>", methods=["GET", "POST"])
def edit_area(code: str):
    area = area_by_code(code) or abort(404)
    form = AreaNamesForm(obj=area)
    if form.validate_on_submit():
        form.populate_obj(area)
        db.session.commit()
        flash(_("%(code)s saved.", code=area.code), "success")
        return redirect(url_for("admin.areas", q=area.code))
    return render_template("admin/area_form.html", form=form, area=area)
