"""Due dates: pure functions of a month and a rule, on `tracker.periods`."""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from tracker.periods import Month

# Japan keeps no daylight saving time: a due date is a day in Japan whatever the server's zone.
JST = timezone(timedelta(hours=9), "JST")


@dataclass(frozen=True)
class DueRule:
    """Figures of month M are due on `day` (None: the last day) of the month `months_after` months later; a
    day beyond the month's end falls on its last day."""

    months_after: int = 1
    day: int | None = 15


DEFAULT_RULES = {"visitors": DueRule(1, 15), "exports": DueRule(1, None)}


def due_date(month: Month, rule: DueRule) -> date:
    target = month.shift(rule.months_after)
    last = calendar.monthrange(target.year, target.month)[1]
    return date(target.year, target.month, last if rule.day is None else min(rule.day, last))


def local_date(moment: datetime) -> date:
    """The day in Japan of a stored moment."""
    return moment.astimezone(JST).date()


def today() -> date:
    return datetime.now(JST).date()


def is_late(due: date, submitted_at: datetime | None, on: date) -> bool:
    """Submitted after the due date, or not submitted and the due date has passed by `on`."""
    if submitted_at is not None:
        return local_date(submitted_at) > due
    return on > due


def latest_due_month(rule: DueRule, on: date) -> Month:
    """The latest month whose figures were due before `on`: the month reporting rates are first read for."""
    month = Month.of(on).shift(-rule.months_after)
    while due_date(month, rule) >= on:
        month = month.shift(-1)
    return month


def overdue_months(months: Iterable[Month], reported: Collection[Month], rule: DueRule, on: date) -> list[Month]:
    """Those of the months whose figures were due before `on` and are missing from `reported`."""
    return [month for month in months if month not in reported and on > due_date(month, rule)]
