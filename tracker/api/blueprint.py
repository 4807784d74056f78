"""The JSON API under /api/v1: bearer tokens (or a logged-in session), the same policy as the pages."""

from flask import Blueprint, current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from tracker.api.contract import is_public
from tracker.api.errors import ApiError, error_response, refused
from tracker.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token clients have no CSRF token: the check is made below, for writes authenticated by the session cookie only.
csrf.exempt(bp)
bp.register_error_handler(ApiError, error_response)


@bp.before_request
def require_authentication():
    if is_public(request.endpoint):
        return None
    if not current_user.is_authenticated:
        response = error_response(refused(401, _("Send 'Authorization: Bearer <token>'.")))
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
        return response
    if _session_write() and current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            csrf.protect()
        except CSRFError:
            raise refused(403, _("A write with the session cookie needs the page's CSRF token in the X-CSRFToken "
                                 "header; programs send a bearer token instead.")) from None
    return None


def _session_write() -> bool:
    return request.method not in ("GET", "HEAD", "OPTIONS") and not g.get("authenticated_by_token")
