"""The API's contract: each endpoint declares its request and answer schemas once, with `@endpoint`, and the same
pydantic models both check the request (spectree validates query, JSON body and form with them, and the answer
too) and make the OpenAPI 3.1 document at /api/v1/openapi.json.

Order of the checks, the same everywhere: 401 (the blueprint, before any view), 403 (`allow`, a policy function of
the account), 400 (a body that is not the kind the endpoint reads), 422 (the schemas), then the view's own 404,
409 and 422.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from functools import wraps
from typing import Any

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ValidationError
from spectree import Response, SecurityScheme, SecuritySchemeData, SpecTree
from werkzeug.routing.converters import NumberConverter

from tracker.api.errors import Errors, forbidden, refused, validation_errors

DESCRIPTION = """\
Visitor figures, export sales, targets, the reporting cycle and imports of the tracker.

Programs send `Authorization: Bearer <token>` (a token from the account page acts with its account's permissions);
a logged-in browser may also call the API with its session cookie, and then writes need the page's CSRF token in
`X-CSRFToken`. This document itself is public: it holds no data, is the same for every account, and a program
needs it before it holds a token.

Every refusal has one body, `{"errors": [...]}`: items name a request `field` (null for the request as a whole) or,
for an imported file, its `line` and `column`. The status carries the kind: 400 unreadable request, 401 no valid
token, 403 not allowed, 404 nothing there, 409 conflict or locked month, 413 too large, 422 invalid values,
429 throttled, 503 database unavailable.
"""

BEARER = "bearerAuth"
_NAMED: dict[str, type] = {}


def _component_name(model: type) -> str:
    """A schema's name in the document is its class name, so two models of one name would silently share it."""
    name = model.__name__
    if _NAMED.setdefault(name, model) is not model:
        raise ValueError(f"two API models are named {name}: {_NAMED[name].__module__} and {model.__module__}")
    return name


spec = SpecTree(
    "flask",
    mode="strict",  # only what @endpoint declared: a route without a contract is missing, and a test says so
    title="Tracker API",
    version="1",
    description=DESCRIPTION,
    openapi_version="3.1.0",
    security_schemes=[SecurityScheme(name=BEARER, data=SecuritySchemeData(type="http", scheme="bearer"))],
    security={BEARER: []},
    validation_error_model=Errors,
    naming_strategy=_component_name,
    nested_naming_strategy=lambda _parent, child: child,
)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Answers every endpoint may give besides its own: the database may be down.
COMMON_ERRORS = (503,)


def endpoint(
    *,
    tags: Iterable[str],
    ok: Mapping[int, type[BaseModel] | None],
    allow: Callable[[Any], bool] | None = None,
    query: type[BaseModel] | None = None,
    json: type[BaseModel] | None = None,
    form: type[BaseModel] | None = None,
    refusals: Iterable[int] = (),
    path: Mapping[str, str] | None = None,
    public: bool = False,
) -> Callable:
    """Declare an endpoint's contract. `ok` maps each success status to its body's model; `allow` is the policy
    function that decides 403 before the request is read; `refusals` lists the statuses the view itself answers
    (404, 409, 422); `path` describes the URL's variables. The view receives the validated models as its `query`,
    `json` or `form` arguments."""
    statuses = {**{status: model for status, model in ok.items()},
                **{status: Errors for status in _error_statuses(allow, query, json, form, refusals, public)}}

    def decorate(view: Callable) -> Callable:
        answers = Response(**{f"HTTP_{status}": model for status, model in sorted(statuses.items())})
        validated = spec.validate(
            query=query, json=json, form=form, tags=list(tags), security={} if public else None,
            path_parameter_descriptions=path, operation_id=view.__name__, resp=answers,
            before=_refuse_invalid_request, after=_refuse_broken_answer)(view)
        if 422 not in statuses:  # spectree lists its validation error on every endpoint, even one that reads nothing
            answers.code_models.pop("HTTP_422", None)

        @wraps(validated)
        def guarded(*args, **kwargs):
            if allow is not None and not allow(current_user):
                raise forbidden()
            if json is not None:
                _require_json_object()
            if form is not None:
                _require_multipart()
            return validated(*args, **kwargs)

        guarded.public = public  # read by the blueprint's authentication check
        return guarded

    return decorate


def _error_statuses(allow, query, json, form, refusals, public) -> set[int]:
    statuses = set(refusals)
    if not public:
        statuses |= {401, *COMMON_ERRORS}
    if allow is not None:
        statuses.add(403)
    if json is not None or form is not None:
        statuses.add(400)
    if query is not None or json is not None or form is not None:
        statuses.add(422)
    if form is not None:
        statuses.add(413)
    return statuses


def _require_json_object() -> None:
    """Spectree reads a missing or unreadable body as {}; a body sent must be a JSON object."""
    sent = request.get_data(cache=True) or request.mimetype in FORM_TYPES
    if sent and not isinstance(request.get_json(silent=True), dict):
        raise refused(400, _("Send a JSON object (Content-Type: application/json)."))


def _require_multipart() -> None:
    if request.mimetype != "multipart/form-data":
        raise refused(400, _("Send the file as the multipart field 'file'."), field="file")


def _refuse_invalid_request(_request, _response, error: ValidationError | None, _instance, _adapter) -> None:
    if error is not None:
        raise validation_errors(error)


def _refuse_broken_answer(_request, _response, error: ValidationError | None, _instance, _adapter) -> None:
    """An answer that does not match its declared schema is a bug: raised, so tests fail and the log has it."""
    if error is not None:
        raise RuntimeError(f"{request.method} {request.path} answered outside its contract: {error}")


def document() -> dict[str, Any]:
    """The OpenAPI document of every endpoint declared with `@endpoint` (spectree caches it per process), with the
    bounds of the URL's ids: beyond them the URL matches no route."""
    made = copy.deepcopy(spec.spec)
    for rule in current_app.url_map.iter_rules():
        path, _ = spec.backend.parse_path(rule, None)
        for operation in made["paths"].get(path, {}).values():
            for parameter in operation.get("parameters", []):
                converter = rule._converters.get(parameter["name"]) if parameter["in"] == "path" else None
                if isinstance(converter, NumberConverter):
                    bounds = {"minimum": converter.min, "maximum": converter.max}
                    parameter["schema"].update({key: value for key, value in bounds.items() if value is not None})
    return made


def is_public(endpoint_name: str | None) -> bool:
    view = current_app.view_functions.get(endpoint_name) if endpoint_name else None
    return bool(getattr(view, "public", False))
