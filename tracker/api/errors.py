"""The one error body of the API: `{"errors": [...]}`, each item naming a request field or a file's line and column,
the status carrying the kind (400 unreadable, 401, 403, 404, 409 conflict or lock, 413, 422 invalid, 429, 503)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from werkzeug.exceptions import HTTPException


class FieldError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: str | None = Field(description="The query parameter, path segment or body field; null for the request "
                                          "as a whole.")
    message: str


class LineError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line: int | None = Field(description="The file's line (1 is the header); null for the whole file.")
    column: str = Field(description="The file's column, empty when the line as a whole is refused.")
    message: str


class Errors(BaseModel):
    """Why the request was refused; the status says the kind."""

    errors: list[FieldError | LineError]


class ApiError(Exception):
    """Raised anywhere in an API request; the blueprint answers it with the error body."""

    def __init__(self, status: int, items: list[dict[str, Any]]):
        super().__init__(status, items)
        self.status = status
        self.items = items


def refused(status: int, message: str, field: str | None = None) -> ApiError:
    return ApiError(status, [{"field": field, "message": message}])


def forbidden() -> ApiError:
    return refused(403, str(HTTP_MESSAGES[403]))


def not_found(message: str | None = None) -> ApiError:
    return refused(404, message or str(HTTP_MESSAGES[404]))


def invalid(errors: Mapping[str, str]) -> ApiError:
    """422 with one item per field, as a service's errors dict gives them."""
    return ApiError(422, [{"field": field, "message": message} for field, message in errors.items()])


def error_response(error: ApiError) -> Response:
    response = jsonify(errors=error.items)
    response.status_code = error.status
    return response


# What a client is told when the exception carries no message of its own.
HTTP_MESSAGES = {
    400: _l("The request could not be understood."),
    401: _l("Send 'Authorization: Bearer <token>'."),
    403: _l("Your account does not have permission to see or change this."),
    404: _l("There is nothing at this address."),
    405: _l("This address does not take that method."),
    413: _l("The uploaded file is larger than this server accepts."),
    429: _l("Too many requests: wait a little and try again."),
    500: _l("Something went wrong on our side. Nothing was saved; please try again later."),
    503: _l("The database cannot be reached at the moment. Please try again in a few minutes."),
}


def http_error_response(error: HTTPException) -> Response:
    """An HTTP error raised outside a view's own checks (routing, size limits, throttling, the database) in the
    API's body, keeping the headers it needs (Allow, Retry-After)."""
    status = error.code or 500
    own_message = error.description != type(error).description
    message = str(error.description) if own_message or status not in HTTP_MESSAGES else str(HTTP_MESSAGES[status])
    response = error_response(refused(status, message))
    for name in ("Allow", "Retry-After", "WWW-Authenticate"):
        value = dict(error.get_headers()).get(name)
        if value:
            response.headers[name] = value
    return response


def validation_errors(error: ValidationError) -> ApiError:
    """422 naming each field pydantic refused, in the app's words (and language) rather than pydantic's."""
    items = [{"field": ".".join(str(part) for part in detail["loc"]) or None, "message": _message(detail)}
             for detail in error.errors(include_url=False)]
    return ApiError(422, items)


KINDS = {"int_type": _l("a whole number"), "int_parsing": _l("a whole number"), "int_from_float": _l("a whole number"),
         "string_type": _l("text"), "bool_type": _l("true or false"), "bool_parsing": _l("true or false")}


def _message(detail: dict[str, Any]) -> str:
    kind = detail["type"]
    if kind == "missing":
        return _("Required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind in KINDS:
        return _("Must be %(kind)s.", kind=KINDS[kind])
    if kind == "literal_error":
        return _("One of %(names)s.", names=detail["ctx"]["expected"])
    if kind == "greater_than_equal":
        return _("At least %(limit)s.", limit=detail["ctx"]["ge"])
    if kind == "less_than_equal":
        return _("At most %(limit)s.", limit=detail["ctx"]["le"])
    if kind == "value_error":
        return str(detail["ctx"]["error"])  # our own validators raise translated messages
    return detail["msg"]
