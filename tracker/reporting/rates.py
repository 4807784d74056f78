"""Completeness and timeliness, pure: counts by state, the reporting rate and the on-time rate of unit-months."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.periods import Month
from tracker.reporting.deadlines import local_date
from tracker.reporting.states import STATES


@dataclass(frozen=True)
class UnitInfo:
    """A reporting unit as pages list it: `key` the area code or the exporter id, `area_code` where it sits."""

    id: int
    key: str
    name: str
    area_code: str
    prefecture_id: int | None


@dataclass(frozen=True)
class MonthState:
    unit: UnitInfo
    month: Month
    state: str
    due: date
    late: bool
    submitted_at: datetime | None = None
    approved_at: datetime | None = None

    @property
    def submitted_on_time(self) -> bool:
        return (self.state in ("submitted", "approved") and self.submitted_at is not None
                and local_date(self.submitted_at) <= self.due)


@dataclass(frozen=True)
class Summary:
    expected: int
    counts: dict[str, int] = field(default_factory=dict)
    reporting_rate: float | None = None
    on_time_rate: float | None = None
    late: int = 0


def summarize(month_states: Iterable[MonthState], on: date) -> Summary:
    """`reporting_rate`: (submitted + approved) / expected; `on_time_rate`: the share of the units whose due date
    has passed by `on` that submitted by it, None while no due date has passed."""
    rows = list(month_states)
    counts = dict.fromkeys(STATES, 0)
    for row in rows:
        counts[row.state] += 1
    expected = len(rows)
    due_passed = [row for row in rows if on > row.due]
    return Summary(
        expected=expected, counts=counts,
        reporting_rate=(counts["submitted"] + counts["approved"]) / expected if expected else None,
        on_time_rate=sum(row.submitted_on_time for row in due_passed) / len(due_passed) if due_passed else None,
        late=sum(row.late for row in rows),
    )


def by_prefecture(month_states: Iterable[MonthState], on: date) -> dict[int | None, Summary]:
    grouped: dict[int | None, list[MonthState]] = {}
    for row in month_states:
        grouped.setdefault(row.unit.prefecture_id, []).append(row)
    return {prefecture_id: summarize(rows, on) for prefecture_id, rows in grouped.items()}
