"""Visitor figures over the API: series by month, year, market or area; file imports."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.api.blueprint import api_error, bp
from tracker.api.jobs import queued, should_queue
from tracker.areas.queries import area_by_code
from tracker.extensions import db
from tracker.periods import Month
from tracker.reporting.locks import holds_locked
from tracker.visitors.importer import import_visitors
from tracker.visitors.queries import GROUPS, series


@bp.get("/visitors")
def get_visitors():
    if not policy.can_read_public(current_user):
        return api_error(403, "Forbidden")
    args = request.args
    area = area_by_code(args.get("area", "JP"))
    if area is None:
        return api_error(404, _("Unknown area: %(code)s.", code=args.get("area", "")))
    group_by = args.get("group_by", "month")
    if group_by not in GROUPS:
        return api_error(400, _("group_by must be one of: %(groups)s.", groups=", ".join(GROUPS)))
    try:
        first = Month.parse(args["from"]) if args.get("from") else None
        last = Month.parse(args["to"]) if args.get("to") else None
    except ValueError:
        return api_error(400, _("from and to are months written YYYY-MM."))
    include_subareas = args.get("include_subareas", "0").lower() in ("1", "true", "yes")
    market = args.get("market", "").strip().upper() or None
    return jsonify(rows=series(area, group_by, first=first, last=last, market=market,
                               include_subareas=include_subareas))


@bp.post("/imports/visitors")
def post_visitor_import():
    if not policy.can_import_visitors(current_user):
        return api_error(403, "Forbidden")
    upload = request.files.get("file")
    if upload is None:
        message = _("Send the file as the multipart field 'file'.")
        return jsonify(errors=[{"line": None, "column": "file", "message": message}]), 422
    if should_queue(upload):
        return queued(upload, "visitors")
    result = import_visitors(upload.stream, upload.filename or "upload", current_user, source="api")
    if not result.ok:
        db.session.rollback()
        return jsonify(errors=result.errors_json()), 409 if holds_locked(result) else 422
    db.session.commit()
    return jsonify(result.counts_json())
