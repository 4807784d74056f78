"""The register over the API: the ties of a scope (also by field of exchange, `field=`), their counts by year, country
or prefecture, and a tie's before/after visitors. Errors are `{"errors": [{"field", "message"}]}` with 400, 403 or
404."""

from __future__ import annotations

from datetime import date

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.affiliations import queries
from tracker.affiliations.summary import active_by, by_year
from tracker.affiliations.values import countries
from tracker.api.blueprint import bp
from tracker.areas.queries import area_by_code
from tracker.extensions import db
from tracker.models import EXCHANGE_FIELDS, Affiliation, Area
from tracker.templating import current_language
from tracker.text import halfwidth

SUMMARY_GROUPS = ("year", "country", "prefecture")
_YES, _NO = ("1", "true", "yes"), ("", "0", "false", "no")


class _Refused(Exception):
    def __init__(self, status: int, field: str | None, message: str):
        super().__init__(message)
        self.status, self.field, self.message = status, field, message


def _errors(refused: _Refused):
    return jsonify(errors=[{"field": refused.field, "message": refused.message}]), refused.status


def _require_reader() -> None:
    if not policy.can_read_affiliations(current_user):
        raise _Refused(403, None, _("You may not read the affiliations."))


def _area() -> Area | None:
    code = request.args.get("area", "")
    if not code:
        return None
    area = area_by_code(code)
    if area is None:
        raise _Refused(404, "area", _("Unknown area: %(code)s.", code=code[:50]))
    return area


def _flag(name: str) -> bool:
    text = halfwidth(request.args.get(name, "")).lower()
    if text not in _YES + _NO:
        raise _Refused(400, name, _("%(name)s must be 1 or 0.", name=name))
    return text in _YES


@bp.get("/affiliations")
def list_affiliations():
    try:
        _require_reader()
        area = _area()
        include_subareas, active = _flag("include_subareas"), _flag("active")
        country = halfwidth(request.args.get("country", "")).upper() or None
        if country is not None and country not in countries():
            raise _Refused(400, "country", _("Unknown country code (ISO 3166-1 alpha-2, such as US or KR): "
                                             "%(code)s.", code=country[:50]))
        field = request.args.get("field", "").strip().lower() or None
        if field is not None and field not in EXCHANGE_FIELDS:
            raise _Refused(400, "field", _("Unknown fields of exchange: %(fields)s (known: %(known)s).",
                                           fields=field[:50], known=", ".join(EXCHANGE_FIELDS)))
    except _Refused as refused:
        return _errors(refused)
    # no area: every tie; the nation (JP) has none of its own, so it lists them with include_subareas only
    records = queries.affiliations(area, include_subareas=include_subareas, country=country, active=active,
                                   field=field)
    language = current_language()
    return jsonify(rows=[queries.as_json(record, language) for record in records])


@bp.get("/affiliations/summary")
def affiliations_summary():
    try:
        _require_reader()
        area = _area()
        group_by = request.args.get("group_by", "")
        if group_by not in SUMMARY_GROUPS:
            raise _Refused(400, "group_by", _("group_by must be one of: %(groups)s.", groups=", ".join(SUMMARY_GROUPS)))
    except _Refused as refused:
        return _errors(refused)
    ties = queries.ties(area)
    if group_by == "year":
        return jsonify(rows=by_year(ties, date.today().year))
    return jsonify(rows=[{group_by: key, "active": count} for key, count in active_by(ties, group_by)])


@bp.get("/affiliations/<int:affiliation_id>/visitors")
def affiliation_visitors(affiliation_id: int):
    try:
        _require_reader()
        record = db.session.get(Affiliation, affiliation_id)
        if record is None:
            raise _Refused(404, None, _("No such affiliation."))
    except _Refused as refused:
        return _errors(refused)
    return jsonify(queries.visitors_comparison(record))
