"""Writes of the reporting cycle: a unit's month moved through its states, and the admins' rules and unit sets.
Plain values in, domain errors out; flush, never commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from tracker import policy
from tracker.database import lock_months
from tracker.extensions import db
from tracker.form_errors import FieldErrors
from tracker.formatting import month_label
from tracker.models import Area, DueException, ReportingMonth, ReportingRule, ReportingUnitArea, User
from tracker.models._types import utcnow
from tracker.periods import Month
from tracker.reporting import states, units
from tracker.reporting.units import Unit
from tracker.revisions import Change, record_changes

TABLE = "reporting_months"


class TransitionRefused(Exception):
    """The month's current state does not allow the action (the API answers 409)."""


class CommentRequired(ValueError):
    """A return needs a comment and a reopen a reason."""


def record_key(unit: Unit, month: Month) -> str:
    """The revision key of a unit's month: "visitors/131130/2015-04" or "exports/12/2015-04"."""
    return f"{unit.metric}/{unit.key}/{month}"


def may(user: User, unit: Unit, action: str) -> bool:
    """Whether the user may take the action on the unit's months; the permission itself is the policy's."""
    if action == "submit":
        if unit.metric == "visitors":
            return policy.can_submit_visitor_month(user, unit.area)
        return policy.can_submit_sales_month(user, unit.exporter)
    if unit.metric == "visitors":
        return policy.can_approve_visitor_month(user, unit.area)
    return policy.can_approve_sales_month(user, unit.exporter)


def current_state(unit: Unit, month: Month) -> str:
    row = stored_month(unit, month)
    return states.state_of(row.status if row is not None else None, units.has_figures(unit, month))


def transition(user: User, unit: Unit, month: Month, action: str, comment: str = "", *, source: str = "form",
               now: datetime | None = None) -> str:
    """Take the action on the unit's month in the caller's transaction; returns the new state.

    PermissionError without the right, CommentRequired for a return or reopen without one, TransitionRefused
    when the current state does not allow the action (or a concurrent transition moved it on)."""
    if action not in states.TRANSITIONS:
        raise ValueError(action)
    if not units.is_unit(unit) or not may(user, unit, action):
        raise PermissionError(_("You may not %(action)s this month.", action=action_label(action)))
    comment = comment.strip()
    if action in states.NEEDS_COMMENT and not comment:
        raise CommentRequired(_("Give a reason.") if action == "reopen" else _("Give a comment."))
    # under the month's write lock: a save of the month's figures is either before the approval or after it
    lock_months(unit.metric, [(month.year, month.month)])
    figures = units.has_figures(unit, month)
    row = stored_month(unit, month)
    old = states.state_of(row.status if row is not None else None, figures)
    step = states.TRANSITIONS[action]
    if old != step.allowed_from:
        raise TransitionRefused(_("%(unit)s, %(month)s is %(state)s: it cannot be %(done)s.",
                                  unit=unit.name(), month=_month(month),
                                  state=state_label(old), done=done_label(action)))
    if row is None:
        row = ReportingMonth(metric=unit.metric, area_id=unit.area.id if unit.area is not None else None,
                             exporter_id=unit.exporter.id if unit.exporter is not None else None,
                             year=month.year, month=month.month, status="open", return_comment="",
                             reopen_reason="")
        db.session.add(row)
        db.session.flush()
    _move(row, old_status=row.status, action=action, user=user, comment=comment, now=now or utcnow())
    new = states.state_after(action, figures)
    note = f"{action}: {comment}" if comment else action
    record_changes(TABLE, [Change(record_key(unit, month), old, new, note)], source=source, user_id=user.id,
                   area_id=unit.home_area.id)
    return new


def _move(row: ReportingMonth, *, old_status: str, action: str, user: User, comment: str, now: datetime) -> None:
    """One guarded UPDATE: refused when another transition changed the row since it was read."""
    values = {"status": states.TRANSITIONS[action].status}
    if action == "submit":
        values |= {"submitted_by_id": user.id, "submitted_at": now}
    elif action == "approve":
        values |= {"approved_by_id": user.id, "approved_at": now}
    elif action == "return":
        values |= {"returned_by_id": user.id, "returned_at": now, "return_comment": comment}
    else:
        values |= {"reopened_by_id": user.id, "reopened_at": now, "reopen_reason": comment}
    result = db.session.execute(update(ReportingMonth).where(ReportingMonth.id == row.id,
                                                            ReportingMonth.status == old_status)
                                .values(**values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise TransitionRefused(_("Someone else changed this month meanwhile; reload and try again."))
    db.session.expire(row)


def stored_month(unit: Unit, month: Month) -> ReportingMonth | None:
    column = ReportingMonth.area_id if unit.metric == "visitors" else ReportingMonth.exporter_id
    return db.session.scalar(select(ReportingMonth).where(column == unit.id, ReportingMonth.year == month.year,
                                                          ReportingMonth.month == month.month))


def _month(month: Month) -> str:
    return month_label(month.year, month.month)


def state_label(state: str) -> str:
    """A state as a word in a sentence ("Shibuya, April 2015 is entered: it cannot be approved.") or a cell."""
    return {"missing": _("not reported"), "entered": _("entered"), "submitted": _("submitted"),
            "approved": _("approved")}[state]


def state_heading(state: str) -> str:
    """A state as a heading, such as a table's column: capitalised in English."""
    return {"missing": _("Not reported"), "entered": _("Entered"), "submitted": _("Submitted"),
            "approved": _("Approved")}[state]


def action_label(action: str) -> str:
    return {"submit": _("submit"), "approve": _("approve"), "return": _("return"), "reopen": _("reopen")}[action]


def done_label(action: str) -> str:
    return {"submit": _("submitted"), "approve": _("approved"), "return": _("returned"),
            "reopen": _("reopened")}[action]


class RuleError(FieldErrors):
    """Invalid rule input: `errors` by field."""


def set_rule(metric: str, months_after: int, day: int | None, listed_units: bool = False) -> ReportingRule:
    _check_rule(months_after, day)
    stored = db.session.get(ReportingRule, metric) or ReportingRule(metric=metric)
    stored.months_after, stored.day, stored.listed_units = months_after, day, listed_units
    db.session.add(stored)
    db.session.flush()
    return stored


def set_exception(unit: Unit, months_after: int, day: int | None) -> DueException:
    _check_rule(months_after, day)
    column = DueException.area_id if unit.metric == "visitors" else DueException.exporter_id
    stored = db.session.scalar(select(DueException).where(column == unit.id)) or DueException(
        metric=unit.metric, area_id=unit.area.id if unit.area is not None else None,
        exporter_id=unit.exporter.id if unit.exporter is not None else None)
    stored.months_after, stored.day = months_after, day
    db.session.add(stored)
    db.session.flush()
    return stored


def remove_exception(exception_id: int) -> None:
    db.session.execute(delete(DueException).where(DueException.id == exception_id))
    db.session.flush()


def set_unit_areas(areas: Iterable[Area]) -> None:
    """The areas expected to report visitor figures when the visitors rule lists them."""
    db.session.execute(delete(ReportingUnitArea))
    db.session.add_all(ReportingUnitArea(area_id=area_id) for area_id in sorted({area.id for area in areas}))
    db.session.flush()


def _check_rule(months_after: int, day: int | None) -> None:
    errors = {}
    if not 0 <= months_after <= 12:
        errors["months_after"] = _("From 0 to 12 months.")
    if day is not None and not 1 <= day <= 31:
        errors["day"] = _("A day from 1 to 31, or empty for the last day of the month.")
    if errors:
        raise RuleError(errors)
