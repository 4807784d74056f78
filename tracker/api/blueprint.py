"""The JSON API under /api/v1: bearer tokens (or a logged-in session), the same policy as the pages."""

from flask import Blueprint, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from tracker.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token-authenticated clients have no CSRF token; a browser session is still protected by SameSite cookies.
csrf.exempt(bp)


@bp.before_request
def require_authentication():
    if not current_user.is_authenticated:
        response = jsonify(error="Unauthorized", message=_("Send 'Authorization: Bearer <token>'."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="tracker"'
        return response, 401
    return None


def api_error(status: int, message: str, **extra):
    """A JSON error body every endpoint shares."""
    return jsonify(error=message, **extra), status
