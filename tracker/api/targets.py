"""Targets and their progress over the API: read by dashboard readers, written by admins."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.api.blueprint import api_error, bp
from tracker.dashboard.filters import approved_only
from tracker.extensions import db
from tracker.models import Target
from tracker.targets.progress import Progress
from tracker.targets.queries import all_targets, target_progress
from tracker.targets.services import TargetError, TargetInput, create_target, update_target

REQUIRED = {"name": str, "metric": str, "area": str, "baseline_year": int, "target_year": int, "target_value": int}
OPTIONAL = {"baseline_value": int, "year_basis": str, "include_subareas": bool, "market": str, "product": int,
            "destination": str}


@bp.get("/targets")
def list_targets():
    if not policy.can_read_public(current_user):
        return api_error(403, "Forbidden")
    return jsonify(targets=[target_json(t) for t in all_targets()])


@bp.get("/targets/<int:target_id>")
def get_target(target_id: int):
    if not policy.can_read_public(current_user):
        return api_error(403, "Forbidden")
    target = db.session.get(Target, target_id)
    if target is None:
        return api_error(404, "Not Found")
    return jsonify(target_json(target))


@bp.get("/targets/<int:target_id>/progress")
def get_progress(target_id: int):
    if not policy.can_read_public(current_user):
        return api_error(403, "Forbidden")
    target = db.session.get(Target, target_id)
    if target is None:
        return api_error(404, "Not Found")
    return jsonify(progress_json(target, target_progress(target, date.today(), approved_only(request.args))))


@bp.post("/targets")
def post_target():
    return _write(None)


@bp.put("/targets/<int:target_id>")
def put_target(target_id: int):
    target = db.session.get(Target, target_id)
    if target is None:
        return api_error(404, "Not Found")
    return _write(target)


def _write(target: Target | None):
    if not policy.can_manage(current_user):
        return api_error(403, "Forbidden")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error(400, _("Send a JSON object with the target's fields."))
    data, errors = _target_input(body)
    if data is not None:
        try:
            saved = (create_target(data, by=current_user, source="api") if target is None
                         else update_target(target, data, by=current_user, source="api"))
        except TargetError as error:
            errors = {**errors, **error.errors}
    if errors:
        db.session.rollback()
        return api_error(422, "Unprocessable Entity", fields=errors)
    db.session.commit()
    response = jsonify(target_json(saved))
    if target is None:
        response.status_code = 201
        response.headers["Location"] = url_for("api.get_target", target_id=saved.id)
    return response


def _target_input(body: dict[str, Any]) -> tuple[TargetInput | None, dict[str, str]]:
    errors: dict[str, str] = {}
    for field, kind in (REQUIRED | OPTIONAL).items():
        value = body.get(field)
        if value is None:
            if field in REQUIRED:
                errors[field] = _("Required.")
        elif not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            errors[field] = _("Must be %(kind)s.", kind={int: _("a whole number"), str: _("text"),
                                                         bool: _("true or false")}[kind])
    for field in sorted(set(body) - set(REQUIRED) - set(OPTIONAL) - {"id"}):
        errors[field] = _("Unknown field.")
    if any(field in REQUIRED or field in OPTIONAL for field in errors):
        return None, errors
    values = {field: body[field] for field in (REQUIRED | OPTIONAL) if body.get(field) is not None}
    return TargetInput(**values), errors


def target_json(target: Target) -> dict[str, Any]:
    return {
        "id": target.id,
        "name": target.name,
        "metric": target.metric,
        "area": target.area.code,
        "market": target.market.code if target.market else None,
        "product": target.product_id,
        "destination": target.destination.code if target.destination else None,
        "baseline_year": target.baseline_year,
        "baseline_value": target.baseline_value,
        "target_year": target.target_year,
        "target_value": target.target_value,
        "year_basis": target.year_basis,
        "include_subareas": target.include_subareas,
    }


def progress_json(target: Target, progress: Progress) -> dict[str, Any]:
    return {
        "target": target_json(target),
        "required_cagr": round(progress.required_cagr, 4),
        "years": [{"year": f.year, "actual": f.actual, "required": _round(f.required), "complete": f.complete}
                  for f in progress.years],
        "current_year": progress.current_year,
        "ytd": progress.ytd,
        "ytd_months": progress.ytd_months,
        "projected": _round(progress.projected),
        "needed_monthly": _round(progress.needed_monthly),
        "met_year": progress.met_year,
        "status": progress.status,
        "headline_year": progress.headline_year,
        "overdue_months": [str(month) for month in progress.overdue_months],
    }


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)
