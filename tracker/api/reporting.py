"""The reporting cycle over the API: a month's states for every unit in or below an area, and transitions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from tracker import policy
from tracker.api.blueprint import bp
from tracker.api.contract import endpoint
from tracker.api.errors import not_found, refused
from tracker.api.fields import AreaCode, OptionalMonth, left_out
from tracker.areas.queries import area_by_code
from tracker.extensions import db
from tracker.models import Exporter
from tracker.periods import Month
from tracker.reporting import queries, rates, units
from tracker.reporting.deadlines import due_date, latest_due_month, today
from tracker.reporting.services import CommentRequired, TransitionRefused, transition
from tracker.reporting.states import ACTIONS, STATES
from tracker.reporting.units import Unit


class ReportingQuery(BaseModel):
    metric: Literal["visitors", "exports"] = "visitors"
    area: AreaCode = Field("JP", validate_default=True)
    month: OptionalMonth = left_out("YYYY-MM; the latest month already due when left out.")


class UnitMonth(BaseModel):
    model_config = ConfigDict(extra="forbid")

    area_code: str
    exporter: int | None = Field(None, description="The exporter's id (exports only).")
    name: str
    state: Literal[STATES]
    submitted_at: datetime | None
    approved_at: datetime | None
    late: bool
    due: str = Field(description="The due date, YYYY-MM-DD.")


class MonthReport(BaseModel):
    metric: Literal["visitors", "exports"]
    area: str
    month: str
    due: str
    expected: int
    counts: dict[str, int]
    reporting_rate: float | None
    on_time_rate: float | None
    late: int
    rows: list[UnitMonth]


@bp.get("/reporting")
@endpoint(tags=["reporting"], allow=policy.can_read_reporting, query=ReportingQuery, ok={200: MonthReport})
def get_reporting(query: ReportingQuery):
    """A month's reporting states, rates and rows for every unit in or below an area."""
    on = today()
    rule = units.rule(query.metric)
    month = query.month or latest_due_month(rule, on)
    rows = queries.month_states(query.metric, queries.units_in(query.metric, query.area), [month], on)
    summary = rates.summarize(rows, on)
    return jsonify(metric=query.metric, area=query.area.code, month=str(month), due=due_date(month, rule).isoformat(),
                   expected=summary.expected, counts=summary.counts, reporting_rate=summary.reporting_rate,
                   on_time_rate=summary.on_time_rate, late=summary.late,
                   rows=[_row(query.metric, row) for row in rows])


def _row(metric: str, row: rates.MonthState) -> dict[str, Any]:
    unit = {"area_code": row.unit.key} if metric == "visitors" else {"exporter": row.unit.id,
                                                                      "area_code": row.unit.area_code}
    return {**unit, "name": row.unit.name, "state": row.state, "submitted_at": _moment(row.submitted_at),
            "approved_at": _moment(row.approved_at), "late": row.late, "due": row.due.isoformat()}


def _moment(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.isoformat()


class TransitionBody(BaseModel):
    model_config = ConfigDict(strict=True)

    comment: str = Field("", description="Why; required to return or reopen a month.")


class NewState(BaseModel):
    state: Literal[STATES]


TRANSITION = {"tags": ["reporting"], "json": TransitionBody, "ok": {200: NewState}, "refusals": (403, 404, 409, 422),
              "path": {"month": "YYYY-MM", "action": "One of " + ", ".join(ACTIONS) + "."}}


@bp.post("/reporting/visitors/<code>/<month>/<action>")
@endpoint(**TRANSITION)
def post_visitor_transition(code: str, month: str, action: str, json: TransitionBody):
    """Submit, approve, return or reopen an area's month of visitor figures."""
    area = area_by_code(code)
    return _transition(Unit.of(area) if area is not None else None, month, action, json)


@bp.post("/reporting/exports/<int:exporter_id>/<month>/<action>")
@endpoint(**TRANSITION)
def post_export_transition(exporter_id: int, month: str, action: str, json: TransitionBody):
    """Submit, approve, return or reopen an exporter's month of sales."""
    exporter = db.session.get(Exporter, exporter_id)
    return _transition(Unit.of(exporter) if exporter is not None else None, month, action, json)


def _transition(unit: Unit | None, month_text: str, action: str, body: TransitionBody):
    if action not in ACTIONS:
        raise not_found(_("The action is one of %(names)s.", names=", ".join(ACTIONS)))
    if unit is None or not units.is_unit(unit):
        raise not_found(_("Not a reporting unit."))
    try:
        month = Month.parse(month_text)
    except ValueError:
        raise not_found(_("A month as YYYY-MM.")) from None
    try:
        state = transition(current_user, unit, month, action, body.comment, source="api")
    except PermissionError as error:
        db.session.rollback()
        raise refused(403, str(error)) from None
    except CommentRequired as error:
        db.session.rollback()
        raise refused(422, str(error), field="comment") from None
    except TransitionRefused as error:
        db.session.rollback()
        raise refused(409, str(error)) from None
    db.session.commit()
    return jsonify(state=state)
