"""Export sales over the API: aggregates for readers of public figures, its own sales for an exporter."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.api.blueprint import api_error, bp
from tracker.api.jobs import queued, should_queue
from tracker.areas.queries import area_by_code
from tracker.downloads import record_id
from tracker.exports import queries
from tracker.exports.importer import import_exports
from tracker.extensions import db
from tracker.models import Exporter, Product
from tracker.periods import Month
from tracker.reporting.locks import holds_locked


@bp.get("/exports")
def list_exports():
    if not policy.can_read_exports(current_user):
        return api_error(403, "Forbidden")
    selection, errors = _selection(request.args)
    group_by = request.args.get("group_by", "month")
    if group_by not in queries.GROUPS:
        errors["group_by"] = _("One of %(names)s.", names=", ".join(queries.GROUPS))
    if errors:
        return api_error(422, "Unprocessable Entity", fields=errors)
    where = []
    own = policy.own_exporter_id(current_user)
    if own is not None:
        where.append(Exporter.id == own)
    return jsonify(rows=queries.grouped(selection, group_by, *where, user=current_user))


def _selection(args) -> tuple[queries.SalesFilter, dict[str, str]]:
    errors: dict[str, str] = {}
    area = area_by_code(args.get("area", "JP"))
    if area is None:
        errors["area"] = _("Unknown area code.")
    months = {}
    for name in ("from", "to"):
        try:
            months[name] = Month.parse(args[name]) if args.get(name) else None
        except ValueError:
            errors[name] = _("A month as YYYY-MM.")
    destination = None
    if args.get("destination"):
        destination = queries.market_id(args["destination"])
        if destination is None:
            errors["destination"] = _("An ISO 3166-1 alpha-2 country code.")
    product = None
    if args.get("product"):
        product = record_id(args["product"])
        if product is None or db.session.get(Product, product) is None:
            errors["product"] = _("Unknown product id.")
    selection = queries.SalesFilter(area=area, first=months.get("from"), last=months.get("to"),
                                    destination_id=destination, product_id=product)
    return selection, errors


@bp.post("/imports/exports")
def post_export_import():
    if not policy.can_import_exports(current_user):
        return api_error(403, "Forbidden")
    upload = request.files.get("file")
    if upload is None:
        message = _("Send the file as the multipart field 'file'.")
        return jsonify(errors=[{"line": None, "column": "file", "message": message}]), 422
    if should_queue(upload):
        return queued(upload, "exports")
    result, importer = import_exports(upload.stream, upload.filename or "upload", current_user, source="api")
    if not result.ok:
        db.session.rollback()
        return jsonify(errors=result.errors_json()), 409 if holds_locked(result) else 422
    db.session.commit()
    return jsonify(**result.counts_json(), created_exporters=importer.created_exporters,
                   created_products=[{"exporter": exporter, "product": product}
                                     for exporter, product in importer.created_products])
