"""Failed log-ins counted per account and per address; a throttled account is refused even its right password."""

from __future__ import annotations

from flask import current_app, g, request
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from limits import parse

from tracker.audit.services import record_login
from tracker.extensions import db, limiter


def _account_key() -> str:
    return "account:" + request.form.get("email", "").strip().lower()


def _address_key() -> str:
    return "address:" + (get_remote_address() or "")


def note_failed_login() -> None:
    """Called by the view when a log-in is refused; only refused log-ins count against the limits."""
    g.login_failed = True


def _failed(response) -> bool:
    return bool(g.get("login_failed"))


def _message() -> str:
    return ngettext("Too many failed log-ins for this account or from this address. Wait %(num)d minute, then "
                    "try again.", "Too many failed log-ins for this account or from this address. Wait %(num)d "
                    "minutes, then try again.", _window_minutes())


def _window_minutes() -> int:
    settings = ("TRACKER_LOGIN_LIMIT_PER_ACCOUNT", "TRACKER_LOGIN_LIMIT_PER_ADDRESS")
    return max(1, max(parse(current_app.config[name]).get_expiry() for name in settings) // 60)


def _record_refusal(_limit) -> None:
    """A log-in refused for its limits goes into the audit (once, however many limits it broke)."""
    if g.get("login_throttled"):
        return
    g.login_throttled = True
    record_login(request.form.get("email", ""), request.remote_addr, "throttled")
    db.session.commit()


def throttled(view):
    """The log-in view's limits: each is tested before the view runs and charged only when the log-in failed."""
    for setting, key in (("TRACKER_LOGIN_LIMIT_PER_ACCOUNT", _account_key),
                         ("TRACKER_LOGIN_LIMIT_PER_ADDRESS", _address_key)):
        view = limiter.limit(lambda setting=setting: current_app.config[setting], key_func=key, methods=["POST"],
                             deduct_when=_failed, error_message=_message, scope=setting,
                             on_breach=_record_refusal)(view)
    return view
