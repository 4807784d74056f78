"""Reads of reminders and alerts: the unit-months whose reminders fall on a day, who receives them, the approvers
and admins, and the outbox. Plain rows out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tracker.areas.queries import area_by_code
from tracker.extensions import db
from tracker.models import Area, Exporter, Notification, User
from tracker.periods import Month
from tracker.reference import NATION_CODE
from tracker.reporting import queries as reporting
from tracker.reporting import units
from tracker.reporting.deadlines import DueRule, due_date
from tracker.reporting.rates import UnitInfo

METRICS = ("visitors", "exports")
# An overdue reminder goes out the day after the due date, or on the next run within this many days after it.
OVERDUE_DAYS = 7
# how far back a month's due date may lie (a rule may put it up to twelve months after the month)
_MONTHS_BACK = 14


@dataclass(frozen=True)
class Reminder:
    """A unit's month not submitted yet: `kind` due_soon (its due date is a few days away) or overdue."""

    kind: str
    metric: str
    unit: UnitInfo
    month: Month
    due: date
    state: str


def reminders_on(on: date, days_before: int) -> list[Reminder]:
    """The unit-months not submitted (missing or entered) whose due date is 1 to `days_before` days after `on`,
    or 1 to OVERDUE_DAYS days before it."""
    nation = area_by_code(NATION_CODE)
    found = []
    for metric in METRICS:
        default, own = units.rule(metric), units.exceptions(metric)
        by_rule: dict[DueRule, list[UnitInfo]] = {}
        for row in reporting.units_in(metric, nation):
            by_rule.setdefault(own.get(row.id, default), []).append(row)
        for rule, rows in by_rule.items():
            for month, kind in _months_in_window(rule, on, days_before):
                found.extend(Reminder(kind, metric, state.unit, month, state.due, state.state)
                             for state in reporting.month_states(metric, rows, [month], on)
                             if state.state in ("missing", "entered"))
    return found


def _months_in_window(rule: DueRule, on: date, days_before: int) -> list[tuple[Month, str]]:
    months = []
    for back in range(_MONTHS_BACK):
        month = Month.of(on).shift(-back)
        days = (due_date(month, rule) - on).days
        if 1 <= days <= days_before:
            months.append((month, "due_soon"))
        elif -OVERDUE_DAYS <= days <= -1:
            months.append((month, "overdue"))
    return months


def unit_recipients(metric: str, unit_ids: Sequence[int]) -> dict[int, list[User]]:
    """The accounts reminded of a unit's months: the officers of the area (visitors), the exporter's accounts
    (exports); active ones that keep reminders on."""
    if not unit_ids:
        return {}
    found: dict[int, list[User]] = {}
    query = reporting.reporters(metric, unit_ids).where(User.reminders.is_(True)).order_by(User.id)
    for unit_id, user in db.session.execute(query):
        found.setdefault(unit_id, []).append(user)
    return found


def reminded_accounts() -> list[User]:
    """Active accounts that keep reminders on, for the policy to pick the recipients of digests and alerts."""
    return list(db.session.scalars(select(User).where(User.active.is_(True), User.reminders.is_(True))
                                   .order_by(User.id)))


def already_queued(user_id: int, kind: str, subject_key: str) -> bool:
    found = select(Notification.id).where(Notification.user_id == user_id, Notification.kind == kind,
                                          Notification.subject_key == subject_key)
    return db.session.scalar(found) is not None


def pending() -> list[Notification]:
    """Messages not sent yet, oldest first."""
    waiting = select(Notification).where(Notification.sent_at.is_(None)).order_by(Notification.id)
    return list(db.session.scalars(waiting))


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: object
    sent_at: object
    kind: str
    email: str
    language: str
    subject: str
    body: str


def outbox(limit: int = 200) -> list[OutboxRow]:
    """The latest messages, newest first, for the admins' outbox page."""
    rows = db.session.execute(
        select(Notification, User.email).join(User, User.id == Notification.user_id)
        .order_by(Notification.id.desc()).limit(limit))
    return [OutboxRow(n.id, n.created_at, n.sent_at, n.kind, email, n.language, n.subject, n.body)
            for n, email in rows]


def unit_name(metric: str, unit_id: int, language: str) -> str:
    """A unit's name in the recipient's language."""
    if metric == "visitors":
        return db.session.get(Area, unit_id).name_in(language)
    return db.session.get(Exporter, unit_id).name_in(language)


def unit_name_by_key(metric: str, key: str, language: str) -> str:
    """The same, from the key pages and the queue name a unit by (the area code, or the exporter's id)."""
    if metric == "visitors":
        return area_by_code(key).name_in(language)
    return db.session.get(Exporter, int(key)).name_in(language)
