"""Error pages in the app's style, and under /api/ the API's one JSON error body."""

from flask import Flask, current_app, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, ServiceUnavailable, UnprocessableEntity

from tracker.api.errors import http_error_response
from tracker.extensions import db, login_manager

SHOWN_CODES = (400, 403, 404, 405, 409, 413, 422, 429, 500, 503)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(DataError, value_out_of_range)


def render_http_error(error: HTTPException):
    if request.path.startswith("/api/"):
        return http_error_response(error)
    template = f"errors/{error.code}.html" if error.code in SHOWN_CODES else "errors/generic.html"
    return render_template(template, error=error), error.code


def database_unavailable(error: OperationalError):
    """503 with the cause in the log; the page is drawn as for an anonymous visitor, since loading the account
    (or refreshing it after the rollback) would need the database that just failed."""
    current_app.logger.error("database unavailable on %s %s: %s", request.method, request.path, error.orig or error)
    _rollback()
    g._login_user = login_manager.anonymous_user()
    return render_http_error(ServiceUnavailable())


def value_out_of_range(error: DataError):
    """A value the database refused (a number beyond its column, say): the request's fault, answered 422."""
    current_app.logger.warning("value refused by the database on %s %s: %s", request.method, request.path,
                               error.orig or error)
    _rollback()
    return render_http_error(UnprocessableEntity(_("A value in the request is out of the range this "
                                                    "application stores. Nothing was saved.")))


def _rollback() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.close()
