"""Reads of the reporting cycle: each unit's month with its state, due date and lateness; the approvers' queue;
the late units' contacts. Plain rows out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, select

from tracker import policy
from tracker.areas.queries import in_subtree
from tracker.extensions import db
from tracker.models import Area, Exporter, ExportSale, ReportingMonth, User, VisitorCount, user_areas
from tracker.periods import Month
from tracker.reporting import services, states, units
from tracker.reporting.deadlines import due_date, is_late
from tracker.reporting.rates import MonthState, UnitInfo
from tracker.templating import current_language


def units_in(metric: str, area: Area) -> list[UnitInfo]:
    """Every unit expected to report in or below the area, by area code then name."""
    ids = units.unit_ids(metric, [area.id])
    language = current_language()
    if metric == "visitors":
        rows = db.session.execute(select(Area).where(Area.id.in_(ids)).order_by(Area.code)).scalars()
        return [UnitInfo(a.id, a.code, a.name_in(language), a.code, _prefecture_id(a.level, a.id, a.parent_id))
                for a in rows]
    rows = db.session.execute(
        select(Exporter.id, Exporter.name, Area.code, Area.parent_id).join(Area, Area.id == Exporter.area_id)
        .where(Exporter.id.in_(ids)).order_by(Area.code, Exporter.name))
    return [UnitInfo(exporter_id, str(exporter_id), name, code, parent_id)
            for exporter_id, name, code, parent_id in rows]


def unit_info(unit: units.Unit) -> UnitInfo:
    area = unit.home_area
    return UnitInfo(unit.id, unit.key, unit.name(), area.code,
                    _prefecture_id(area.level, area.id, area.parent_id) if unit.area is not None else area.parent_id)


def _prefecture_id(level: str, area_id: int, parent_id: int | None) -> int | None:
    return {"municipality": parent_id, "prefecture": area_id}.get(level)


def month_states(metric: str, unit_rows: Sequence[UnitInfo], months: Sequence[Month], on: date
                 ) -> list[MonthState]:
    """unit x month, in the order of `unit_rows` then `months`."""
    if not unit_rows or not months:
        return []
    ids = [row.id for row in unit_rows]
    first, last = min(months), max(months)
    reported = _reported(metric, ids, first, last)
    stored = _stored(metric, ids, first, last)
    default, own = units.rule(metric), units.exceptions(metric)
    result = []
    for row in unit_rows:
        rule = own.get(row.id, default)
        for month in months:
            record = stored.get((row.id, month.year, month.month))
            state = states.state_of(record.status if record is not None else None,
                                    (row.id, month.year, month.month) in reported)
            submitted_at = record.submitted_at if record is not None and state in ("submitted", "approved") else None
            approved_at = record.approved_at if state == "approved" else None
            due = due_date(month, rule)
            result.append(MonthState(row, month, state, due, is_late(due, submitted_at, on), submitted_at,
                                     approved_at))
    return result


def _chunks(ids: Sequence[int], size: int = 900):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _reported(metric: str, ids: Sequence[int], first: Month, last: Month) -> set[tuple[int, int, int]]:
    """(unit id, year, month) of the unit-months that hold any figure."""
    if metric == "visitors":
        unit, year, month = VisitorCount.area_id, VisitorCount.year, VisitorCount.month
    else:
        unit, year, month = ExportSale.exporter_id, ExportSale.year, ExportSale.month
    found = set()
    for chunk in _chunks(ids):
        rows = db.session.execute(select(unit, year, month).where(unit.in_(chunk), year.between(first.year, last.year))
                                  .distinct())
        found.update((u, y, m) for u, y, m in rows if first <= Month(y, m) <= last)
    return found


def _stored(metric: str, ids: Sequence[int], first: Month, last: Month) -> dict[tuple[int, int, int], ReportingMonth]:
    column = ReportingMonth.area_id if metric == "visitors" else ReportingMonth.exporter_id
    found = {}
    for chunk in _chunks(ids):
        rows = db.session.scalars(select(ReportingMonth).where(
            column.in_(chunk), ReportingMonth.year.between(first.year, last.year)))
        for row in rows:
            if first <= Month(row.year, row.month) <= last:
                found[(row.area_id if metric == "visitors" else row.exporter_id, row.year, row.month)] = row
    return found


def strip(unit: units.Unit, last: Month, on: date, count: int = 12) -> list[MonthState]:
    """A unit's last `count` months up to `last`, the newest first: the officer's and exporter's home."""
    months = [last.shift(-i) for i in range(count)]
    return month_states(unit.metric, [unit_info(unit)], months, on)


def home_units(user: User) -> list[units.Unit]:
    """The units whose months a user's home shows: an exporter's own, an officer's areas that report."""
    if policy.own_exporter_id(user) is not None:
        return [units.Unit.of(user.exporter)]
    found = [units.Unit.of(area) for area in policy.entry_areas(user)]
    return [unit for unit in found if units.is_unit(unit)]


def home_strips(user: User, on: date) -> list[tuple[units.Unit, list[MonthState]]]:
    """Each of the user's units with its last twelve months up to the last one that has ended."""
    last = Month.of(on).shift(-1)
    return [(unit, strip(unit, last, on)) for unit in home_units(user)]


@dataclass(frozen=True)
class QueueRow:
    metric: str
    unit_key: str
    unit_name: str
    prefecture_id: int | None
    prefecture_name: str
    month: Month
    submitted_at: datetime | None
    submitted_by: str

    @property
    def item(self) -> str:
        """How the queue's form names the month: "unit key/YYYY-MM"."""
        return f"{self.unit_key}/{self.month}"


def queue(user: User, metric: str, prefecture_id: int | None = None) -> list[QueueRow]:
    """The submitted months the user may approve, oldest month first; optionally of one prefecture."""
    roots = policy.approval_roots(user)
    if roots is not None and not roots:
        return []
    language = current_language()
    submitter = db.aliased(User)
    prefecture = db.aliased(Area)
    query = (select(ReportingMonth, submitter.name)
             .outerjoin(submitter, submitter.id == ReportingMonth.submitted_by_id)
             .where(ReportingMonth.status == "submitted", ReportingMonth.metric == metric))
    if metric == "visitors":
        home = db.aliased(Area)
        query = query.add_columns(home, prefecture).join(home, home.id == ReportingMonth.area_id)
        if roots is not None:
            query = query.where(in_subtree(home.parent_id, sorted(roots)))
    else:
        home = db.aliased(Area)
        query = (query.add_columns(Exporter, prefecture).join(Exporter, Exporter.id == ReportingMonth.exporter_id)
                 .join(home, home.id == Exporter.area_id))
        if roots is not None:
            query = query.where(in_subtree(home.id, sorted(roots)))
    query = query.outerjoin(prefecture, prefecture.id == home.parent_id)
    if prefecture_id is not None:
        query = query.where(prefecture.id == prefecture_id)
    rows = []
    for record, submitted_by, subject, pref in db.session.execute(
            query.order_by(ReportingMonth.year, ReportingMonth.month, ReportingMonth.id)):
        if isinstance(subject, Area):
            key, name = subject.code, subject.name_in(language)
            # a prefecture reporting its own series sits under the nation: it is its own group
            if subject.level == "prefecture":
                pref = subject
        else:
            key, name = str(subject.id), subject.name_in(language)
        rows.append(QueueRow(metric, key, name, pref.id if pref is not None and pref.level == "prefecture" else None,
                             pref.name_in(language) if pref is not None and pref.level == "prefecture" else "",
                             Month(record.year, record.month), record.submitted_at, submitted_by or ""))
    return rows


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


def contacts(metric: str, unit_ids: Sequence[int]) -> dict[int, list[Contact]]:
    """Whom to ask about a late unit: the officers of the area (visitors); the exporter's accounts and the
    contact it gave (exports)."""
    found: dict[int, list[Contact]] = {}
    if not unit_ids:
        return found
    if metric == "exports":
        for exporter_id, contact in db.session.execute(
                select(Exporter.id, Exporter.contact).where(Exporter.id.in_(unit_ids), Exporter.contact != "")):
            found.setdefault(exporter_id, []).append(Contact("", contact))
    for unit_id, user in db.session.execute(reporters(metric, unit_ids).order_by(User.name)):
        found.setdefault(unit_id, []).append(Contact(user.name, user.email))
    return found


def reporters(metric: str, unit_ids: Sequence[int]) -> Select[tuple[int, User]]:
    """(unit id, account) of the active accounts that report the units' months (`policy.reporter_role`), as a query
    the caller narrows and orders."""
    if metric == "visitors":
        query = (select(user_areas.c.area_id, User).join(User, User.id == user_areas.c.user_id)
                 .where(user_areas.c.area_id.in_(unit_ids)))
    else:
        query = select(User.exporter_id, User).where(User.exporter_id.in_(unit_ids))
    return query.where(User.role == policy.reporter_role(metric), User.active.is_(True))


@dataclass(frozen=True)
class Panel:
    """A unit's month as its form shows it: the state, when it is due, and what the user may do with it."""

    metric: str
    unit_key: str
    month: Month
    state: str
    due: date
    late: bool
    actions: tuple[str, ...]
    return_comment: str = ""


def panel(user: User, unit: units.Unit, month: Month, on: date) -> Panel | None:
    """None when the unit does not report (an area outside the unit set)."""
    if not units.is_unit(unit):
        return None
    row = month_states(unit.metric, [unit_info(unit)], [month], on)[0]
    allowed = tuple(action for action, step in states.TRANSITIONS.items()
                    if step.allowed_from == row.state and services.may(user, unit, action))
    stored = services.stored_month(unit, month)
    comment = stored.return_comment if stored is not None and row.state == "entered" else ""
    return Panel(unit.metric, unit.key, month, row.state, row.due, row.late, allowed, comment)
