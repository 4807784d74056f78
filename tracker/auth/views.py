from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.audit.services import record_login
from tracker.auth.forms import LoginForm, PasswordForm, TokenForm
from tracker.auth.services import (
    AccountError,
    PasswordRefused,
    authenticate,
    change_password,
    end_sessions,
    issue_token,
    revoke_token,
)
from tracker.auth.throttle import note_failed_login, throttled
from tracker.extensions import db
from tracker.models import LANGUAGES

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@throttled
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            _failed()
            form.password.errors.append(_("Wrong email or password."))
        else:
            _start_session(user)
            record_login(form.email.data, request.remote_addr, "success", user)
            db.session.commit()
            flash(_("Logged in as %(name)s.", name=user.name), "success")
            return redirect(_safe_next(request.args.get("next")))
    elif request.method == "POST":
        _failed()
    return render_template("auth/login.html", form=form)


def _failed() -> None:
    """A refused log-in counts against the limits and goes into the audit."""
    note_failed_login()
    record_login(request.form.get("email", ""), request.remote_addr, "failed")
    db.session.commit()


def _start_session(user) -> None:
    """A fresh session (and so a fresh CSRF secret) for the account, keeping only the language chosen before."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    session.permanent = True
    login_user(user)


@bp.post("/logout")
@login_required
def logout():
    end_sessions(current_user)  # a copied cookie, other browsers and the API tokens end with it
    db.session.commit()
    logout_user()
    flash(_("Logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    return _account_page()


@bp.post("/account/password")
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.new.data)
        except AccountError as error:
            (form.new if isinstance(error, PasswordRefused) else form.current).errors.append(str(error))
        else:
            db.session.commit()
            _start_session(current_user._get_current_object())
            flash(_("Password changed. Your other sessions and your API tokens have ended."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(password_form=form)


@bp.post("/account/tokens")
@login_required
def new_token():
    form = TokenForm()
    token = None
    if form.validate_on_submit():
        token = issue_token(current_user, current_app.config["TRACKER_TOKEN_LIFETIME"])
        db.session.commit()
    return _account_page(token_form=form, token=token)


def _account_page(password_form=None, token_form=None, token=None):
    return render_template("auth/account.html", password_form=password_form or PasswordForm(),
                           token_form=token_form or TokenForm(), token=token,
                           token_days=current_app.config["TRACKER_TOKEN_LIFETIME"].days)


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
    """Only same-site paths: never an open redirect, nor a header broken by control characters."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not urlsplit(target).netloc):
        return target
    return url_for("home.index")
