"""Error pages in the app's style, and JSON errors under /api/."""

from flask import Flask, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from tracker.extensions import db

SHOWN_CODES = (400, 403, 404, 405, 413, 429, 500, 503)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(OperationalError, database_unavailable)


def render_http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return jsonify(error=error.name, message=error.description), error.code
    template = f"errors/{error.code}.html" if error.code in SHOWN_CODES else "errors/generic.html"
    return render_template(template, error=error), error.code


def database_unavailable(error: OperationalError):
    db.session.rollback()
    return render_http_error(ServiceUnavailable())
