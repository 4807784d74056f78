from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.forms import LoginForm, PasswordForm, TokenForm
from tracker.auth.services import AccountError, authenticate, change_password, issue_token, revoke_token
from tracker.extensions import db
from tracker.models import LANGUAGES

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong email or password."))
        else:
            login_user(user)
            flash(_("Logged in as %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("Logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html", password_form=PasswordForm(), token_form=TokenForm(), token=None)


@bp.post("/account/password")
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except AccountError as error:
            form.current.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Password changed."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", password_form=form, token_form=TokenForm(), token=None)


@bp.post("/account/tokens")
@login_required
def new_token():
    form = TokenForm()
    token = None
    if form.validate_on_submit():
        token = issue_token(current_user)
        db.session.commit()
    return render_template("auth/account.html", password_form=PasswordForm(), token_form=form, token=token)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if revoke_token(current_user, token_id):
        db.session.commit()
        flash(_("Token revoked."), "info")
    return redirect(url_for("auth.account"))


@bp.post("/language/<language>")
def set_language(language: str):
    """The header's switcher: saved on the account, or in the session before logging in."""
    if language in LANGUAGES:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")
