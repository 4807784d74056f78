"""Writes from the entry grid: one area's month saved at once, with outlier confirmation and optimistic locking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from tracker import policy
from tracker.database import lock_months
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.models import STATUSES, Area, Market, User, VisitorCount
from tracker.models._types import utcnow
from tracker.periods import Month, current_month
from tracker.reporting.locks import MonthLocked, refuse_locked
from tracker.revisions import Change, Field, RevisionFormat, Template, keep_creations, record_changes
from tracker.rollups import refresh_visitor_rollups
from tracker.visitors.outliers import is_outlier

TABLE = "visitor_counts"
# "130001/2015-04/CN": one area's month is one prefix of the history
REVISIONS = RevisionFormat(TABLE, key=Template((Field("area_code"), "/", Field("year", 4), "-", Field("month", 2), "/",
                                                Field("market_code"))),
                           value=Template((Field("visitors"),)))


@dataclass(frozen=True)
class Entry:
    """One market's field as submitted: the figure, None when left empty."""

    market: str
    visitors: int | None


@dataclass(frozen=True)
class Conflict:
    market: str
    yours: int | None
    theirs: int | None


@dataclass(frozen=True)
class Outlier:
    market: str
    visitors: int
    last_year: int


class VisitorSaveError(Exception):
    """Refused: `errors` by field (market code or "month"), `conflicts`, or `outliers` awaiting confirmation;
    `conflict` when someone else's write stands in the way (figures saved meanwhile, an approved month)."""

    def __init__(self, errors: dict[str, str] | None = None, conflicts: list[Conflict] | None = None,
                 outliers: list[Outlier] | None = None, *, locked: bool = False):
        super().__init__(errors or conflicts or outliers)
        self.errors = errors or {}
        self.conflicts = conflicts or []
        self.outliers = outliers or []
        self.conflict = bool(self.conflicts) or locked


def save_month(user: User, area: Area, month: Month, entries: Sequence[Entry], *, read: Mapping[str, int],
               status: str, restatus: bool = True, confirmed: bool = False, today: date | None = None) -> int:
    """Save the grid in the caller's transaction; returns the number of figures changed.

    `read` holds the version of each figure as the form showed it, by market code (as the export sales' save
    takes it): a figure whose version moved on since and that differs from the entry is a conflict.
    `status` is given to the entries' figures, and to the month's other figures too unless `restatus` is False
    (the officer left the month's status as the page showed it: the figures of markets it did not touch keep
    theirs, and their versions)."""
    if not policy.can_write_visitors(user, area):
        raise PermissionError(_("You may not enter figures for this area."))
    _validate(month, entries, status, today)
    lock_months("visitors", [(month.year, month.month)])
    try:
        refuse_locked("visitors", [area], [month])
    except MonthLocked as locked:
        raise VisitorSaveError(errors={"month": locked.message}, locked=True) from locked
    stored = {row.market.code: row for row in db.session.scalars(
        select(VisitorCount).where(VisitorCount.area_id == area.id, VisitorCount.year == month.year,
                                   VisitorCount.month == month.month).execution_options(populate_existing=True))}
    _check_conflicts(entries, read, stored)
    last_year = _figures(area, month.shift(-12))
    outliers = [Outlier(e.market, e.visitors, last_year[e.market]) for e in entries
                if e.visitors is not None and is_outlier(e.visitors, last_year.get(e.market))
                and (e.market not in stored or stored[e.market].visitors != e.visitors)]
    if outliers and not confirmed:
        raise VisitorSaveError(outliers=outliers)
    notes = {o.market: _("outlier confirmed: %(value)s against %(last)s last year", value=o.visitors,
                         last=o.last_year) for o in outliers}
    changes = _write(user, area, month, entries, status, restatus, stored, notes)
    record_changes(TABLE, changes, source="form", user_id=user.id, area_id=area.id)
    if changes:
        refresh_visitor_rollups([(month.year, month.month)])
    db.session.flush()
    return len(changes)


def _validate(month: Month, entries: Sequence[Entry], status: str, today: date | None) -> None:
    errors: dict[str, str] = {}
    if month > current_month(today):
        errors["month"] = _("%(month)s is in the future.", month=month_label(month.year, month.month))
    if status not in STATUSES:
        errors["status"] = _("Unknown status.")
    known = set(db.session.scalars(select(Market.code)))
    for entry in entries:
        if entry.market not in known:
            errors[entry.market] = _("Unknown country or region code: %(code)s.", code=entry.market)
        elif entry.visitors is not None and entry.visitors < 0:
            errors[entry.market] = _("Must not be negative: %(value)s.", value=entry.visitors)
    if errors:
        raise VisitorSaveError(errors=errors)


def _check_conflicts(entries: Sequence[Entry], read: Mapping[str, int], stored: dict[str, VisitorCount]) -> None:
    """Someone saved in between (the version moved on) and their figure differs from ours: refuse."""
    conflicts = []
    for entry in entries:
        row = stored.get(entry.market)
        current_version = row.version if row is not None else None
        theirs = row.visitors if row is not None else None
        if current_version != read.get(entry.market) and theirs != entry.visitors:
            conflicts.append(Conflict(entry.market, entry.visitors, theirs))
    if conflicts:
        raise VisitorSaveError(conflicts=conflicts)


def _figures(area: Area, month: Month) -> dict[str, int]:
    rows = db.session.execute(
        select(Market.code, VisitorCount.visitors).join(Market, Market.id == VisitorCount.market_id)
        .where(VisitorCount.area_id == area.id, VisitorCount.year == month.year, VisitorCount.month == month.month))
    return {code: visitors for code, visitors in rows}


def _write(user, area, month, entries, status, restatus, stored, notes) -> list[Change]:
    markets = {code: market_id for code, market_id in db.session.execute(select(Market.code, Market.id))}
    submitted = {entry.market: entry for entry in entries}
    changes = []
    for code in sorted(set(submitted) | set(stored)):
        entry, row = submitted.get(code), stored.get(code)
        if entry is None and not restatus:
            continue  # neither its figure nor the month's status was touched
        visitors = entry.visitors if entry is not None else (row.visitors if row is not None else None)
        key = REVISIONS.key_text(area_code=area.code, year=month.year, month=month.month, market_code=code)
        note = notes.get(code, "")
        if row is None:
            if visitors is None:
                continue
            db.session.add(VisitorCount(area_id=area.id, year=month.year, month=month.month, market_id=markets[code],
                                        visitors=visitors, status=status, updated_by_id=user.id))
            changes.append(Change(key, None, REVISIONS.value_text(visitors=visitors),
                                  _join(f"status: {status}", note)))
            continue
        if visitors is None:
            if row.created_batch_id is not None:
                keep_creations(REVISIONS.table, [row.id])
            _locked(delete(VisitorCount), row)
            changes.append(Change(key, REVISIONS.value_text(visitors=row.visitors), None, note))
            continue
        if (visitors, status) == (row.visitors, row.status):
            continue
        status_note = f"status: {row.status} -> {status}" if status != row.status else ""
        _locked(update(VisitorCount).values(visitors=visitors, status=status, version=row.version + 1,
                                            updated_by_id=user.id, updated_at=utcnow()), row)
        changes.append(Change(key, REVISIONS.value_text(visitors=row.visitors), REVISIONS.value_text(visitors=visitors),
                              _join(status_note, note)))
    return changes


def _locked(statement, row: VisitorCount) -> None:
    """Write only if nobody moved the row's version on since it was read in this transaction."""
    result = db.session.execute(statement.where(VisitorCount.id == row.id, VisitorCount.version == row.version)
                                .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise VisitorSaveError(conflicts=[Conflict(row.market.code, None, row.visitors)])


def _join(*notes: str) -> str:
    return "; ".join(note for note in notes if note)
