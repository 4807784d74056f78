"""The reporting cycle over the API: a month's states for every unit in or below an area, and transitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tracker import policy
from tracker.api.blueprint import api_error, bp
from tracker.areas.codes import InvalidAreaCode, normalise_area_code
from tracker.extensions import db
from tracker.models import Area, Exporter
from tracker.periods import Month
from tracker.reporting import queries, rates, units
from tracker.reporting.deadlines import due_date, latest_due_month, today
from tracker.reporting.services import CommentRequired, TransitionRefused, transition
from tracker.reporting.states import ACTIONS
from tracker.reporting.units import Unit


@bp.get("/reporting")
def get_reporting():
    if not policy.can_read_reporting(current_user):
        return api_error(403, "Forbidden")
    errors: dict[str, str] = {}
    metric = request.args.get("metric", "visitors")
    if metric not in ("visitors", "exports"):
        errors["metric"] = _("One of %(names)s.", names="visitors, exports")
    area = _area(request.args.get("area", "JP"))
    if area is None:
        errors["area"] = _("Unknown area code.")
    month = None
    if request.args.get("month"):
        try:
            month = Month.parse(request.args["month"])
        except ValueError:
            errors["month"] = _("A month as YYYY-MM.")
    if errors:
        return api_error(422, "Unprocessable Entity", fields=errors)
    on = today()
    rule = units.rule(metric)
    month = month or latest_due_month(rule, on)
    rows = queries.month_states(metric, queries.units_in(metric, area), [month], on)
    summary = rates.summarize(rows, on)
    return jsonify(metric=metric, area=area.code, month=str(month), due=due_date(month, rule).isoformat(),
                   expected=summary.expected, counts=summary.counts, reporting_rate=summary.reporting_rate,
                   on_time_rate=summary.on_time_rate, late=summary.late, rows=[_row(metric, row) for row in rows])


def _row(metric: str, row: rates.MonthState) -> dict[str, Any]:
    unit = {"area_code": row.unit.key} if metric == "visitors" else {"exporter": row.unit.id,
                                                                      "area_code": row.unit.area_code}
    return {**unit, "name": row.unit.name, "state": row.state, "submitted_at": _moment(row.submitted_at),
            "approved_at": _moment(row.approved_at), "late": row.late, "due": row.due.isoformat()}


def _moment(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat()


def _area(text: str) -> Area | None:
    try:
        code = normalise_area_code(text)
    except InvalidAreaCode:
        return None
    return db.session.scalar(select(Area).where(Area.code == code))


@bp.post("/reporting/visitors/<code>/<month>/<action>")
def post_visitor_transition(code: str, month: str, action: str):
    area = _area(code)
    return _transition(Unit.of(area) if area is not None else None, month, action)


@bp.post("/reporting/exports/<int:exporter_id>/<month>/<action>")
def post_export_transition(exporter_id: int, month: str, action: str):
    exporter = db.session.get(Exporter, exporter_id)
    return _transition(Unit.of(exporter) if exporter is not None else None, month, action)


def _transition(unit: Unit | None, month_text: str, action: str):
    if action not in ACTIONS:
        return api_error(404, _("The action is one of %(names)s.", names=", ".join(ACTIONS)))
    if unit is None or not units.is_unit(unit):
        return api_error(404, _("Not a reporting unit."))
    try:
        month = Month.parse(month_text)
    except ValueError:
        return api_error(404, _("A month as YYYY-MM."))
    body = request.get_json(silent=True) if request.data else {}
    if not isinstance(body, dict) or not isinstance(body.get("comment", ""), str):
        return api_error(400, _('Send a JSON object such as {"comment": "..."}.'))
    try:
        state = transition(current_user, unit, month, action, body.get("comment", ""), source="api")
    except PermissionError as error:
        db.session.rollback()
        return api_error(403, "Forbidden", detail=str(error))
    except CommentRequired as error:
        db.session.rollback()
        return api_error(422, "Unprocessable Entity", fields={"comment": str(error)})
    except TransitionRefused as error:
        db.session.rollback()
        return api_error(409, "Conflict", detail=str(error))
    db.session.commit()
    return jsonify(state=state)
