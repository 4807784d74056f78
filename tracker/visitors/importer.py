"""Visitor figures in the import format: `area_code,year,month,market,visitors[,status]`, row checks and upsert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, or_, select

from tracker import policy
from tracker.database import lock_months
from tracker.extensions import db
from tracker.formatting import month_label, status_label
from tracker.imports.cells import area_code, plain, whole
from tracker.imports.pipeline import (
    MAX_REPORTED,
    Applied,
    ImportResult,
    Issue,
    Progress,
    refresh_statistics,
    run_import,
)
from tracker.imports.quoting import excerpt
from tracker.models import MAX_VISITORS, STATUSES, Area, ImportBatch, Market, Revision, User, VisitorCount
from tracker.models._types import Timestamp, utcnow
from tracker.periods import current_month
from tracker.reporting.locks import locked_lines
from tracker.rollups import refresh_visitor_rollups
from tracker.visitors.outliers import OUTLIER_FACTOR

COLUMNS = ("area_code", "year", "month", "market", "visitors", "status")
# The headers of the Japanese template; imports accept them as well as the English names.
JAPANESE_HEADERS = {
    "area_code": "団体コード",
    "year": "年",
    "month": "月",
    "market": "国・地域コード",
    "visitors": "外国人訪問者数",
    "status": "確定区分",
}
STATUS_WORDS = {**{status: status for status in STATUSES}, "推計": "estimate", "速報": "provisional",
                "暫定": "provisional", "確定": "final"}
TABLE = "visitor_counts"
FIRST_YEAR = 1900


def record_key(area_code: str, year: int, month: int, market_code: str) -> str:
    """The revision key of a figure: "130001/2015-04/CN"."""
    return f"{area_code}/{year:04d}-{month:02d}/{market_code}"


class VisitorImporter:
    """The visitor feature's part of `tracker.imports.pipeline.run_import`, for one user's scope."""

    kind = "visitors"
    required = COLUMNS[:5]
    optional = COLUMNS[5:]
    aliases = {japanese: name for name, japanese in JAPANESE_HEADERS.items()}
    staging_columns = (("area_id", sa.Integer), ("year", sa.Integer), ("month", sa.Integer),
                       ("market_id", sa.Integer), ("visitors", sa.BigInteger), ("status", sa.String(12)))
    key = ("area_id", "year", "month", "market_id")

    def __init__(self, user: User | None, source: str = "import", today: date | None = None):
        """`user` None is the command line's admin rights."""
        self.user = user
        self.source = source
        self.latest = current_month(today)
        areas = db.session.execute(select(Area.id, Area.code, Area.parent_id)).all()
        self._areas = {code: area_id for area_id, code, _parent in areas}
        self._writable = self._scope(user, areas)
        self._markets = {code: market_id for code, market_id in db.session.execute(select(Market.code, Market.id))}
        self._codes: dict[str, tuple[int | None, str | None]] = {}

    @staticmethod
    def _scope(user: User | None, areas) -> set[int] | None:
        """The ids the user may write (None: all): the policy's roots and every area below them."""
        roots = policy.visitor_write_roots(user)
        if roots is None:
            return None
        children: dict[int, list[int]] = {}
        for area_id, _code, parent_id in areas:
            children.setdefault(parent_id, []).append(area_id)
        writable, todo = set(), list(roots)
        while todo:
            area_id = todo.pop()
            if area_id not in writable:
                writable.add(area_id)
                todo.extend(children.get(area_id, ()))
        return writable

    def parse(self, line: int, row: dict[str, str]) -> tuple | list[Issue]:
        issues: list[Issue] = []
        area_id = self._area(line, row["area_code"], issues)
        year = whole(line, "year", row["year"], issues)
        month = whole(line, "month", row["month"], issues)
        self._check_month(line, year, month, issues)
        market_id = self._market(line, row["market"], issues)
        visitors = whole(line, "visitors", row["visitors"], issues)
        if visitors is not None and visitors > MAX_VISITORS:
            issues.append(Issue(line, "visitors", _("Too large: %(value)s (at most %(most)s).",
                                                    value=excerpt(row["visitors"]), most=f"{MAX_VISITORS:,}")))
            visitors = None
        status = self._status(line, row.get("status", ""), issues)
        if issues:
            return issues
        return area_id, year, month, market_id, visitors, status

    def _area(self, line: int, text: str, issues: list[Issue]) -> int | None:
        if text not in self._codes:
            self._codes[text] = self._resolve_area(text)
        area_id, message = self._codes[text]
        if message:
            issues.append(Issue(line, "area_code", message))
        return area_id

    def _resolve_area(self, text: str) -> tuple[int | None, str | None]:
        code, message = area_code(text)
        if code is None:
            return None, message
        area_id = self._areas.get(code)
        if area_id is None:
            return None, _("Unknown area: %(code)s.", code=code)
        if self._writable is not None and area_id not in self._writable:
            return None, _("The area %(code)s is outside your areas.", code=code)
        return area_id, None

    def _check_month(self, line: int, year: int | None, month: int | None, issues: list[Issue]) -> None:
        if month is not None and not 1 <= month <= 12:
            issues.append(Issue(line, "month", _("The month must be from 1 to 12, not %(month)d.", month=month)))
        elif year is not None and year < FIRST_YEAR:
            issues.append(Issue(line, "year", _("The year %(year)d is out of range.", year=year)))
        elif year is not None and month is not None and year * 12 + month - 1 > self.latest.index:
            issues.append(Issue(line, "month", _("%(month)s is in the future.", month=month_label(year, month))))

    def _market(self, line: int, text: str, issues: list[Issue]) -> int | None:
        market_id = self._markets.get(plain(text).upper())
        if market_id is None:
            issues.append(Issue(line, "market", _("Unknown country or region code: %(code)s.", code=excerpt(text))))
        return market_id

    @staticmethod
    def _status(line: int, text: str, issues: list[Issue]) -> str:
        if not text:
            return "final"
        status = STATUS_WORDS.get(text.lower())
        if status is None:
            issues.append(Issue(line, "status", _("The status must be estimate, provisional or final, not %(value)s.",
                                                  value=excerpt(text))))
        return status or "final"

    def check(self, staging: sa.Table) -> Iterator[Issue]:
        """Months approved and locked refuse the whole file."""
        return locked_lines("visitors", staging, "area_id")

    def warnings(self, staging: sa.Table) -> tuple[list[Issue], int]:
        """Figures far from the same month a year earlier (in the file or already recorded): reported, kept."""
        earlier_file = staging.alias("earlier_file")
        counts = VisitorCount.__table__
        base = func.coalesce(earlier_file.c.visitors, counts.c.visitors)
        query = (
            select(staging.c.line, staging.c.visitors, base)
            .outerjoin(earlier_file, _last_year(staging, earlier_file))
            .outerjoin(counts, _last_year(staging, counts))
            .where(base > 0, or_(staging.c.visitors > OUTLIER_FACTOR * base,
                                 staging.c.visitors * OUTLIER_FACTOR < base))
            .order_by(staging.c.line)
        )
        issues, count = [], 0
        for line, visitors, last_year in db.session.execute(query):
            count += 1
            if len(issues) < MAX_REPORTED:
                issues.append(Issue(line, "visitors", _(
                    "%(value)s is far from the same month last year (%(last)s): please check it.",
                    value=f"{visitors:,}", last=f"{last_year:,}")))
        for line, old, new in db.session.execute(self._status_steps_back(staging)):
            count += 1
            if len(issues) < MAX_REPORTED:
                issues.append(Issue(line, "status", _(
                    "The status goes back from %(old)s to %(new)s: please check it.", old=status_label(old),
                    new=status_label(new))))
        issues.sort(key=lambda issue: issue.line)
        return issues, count

    @staticmethod
    def _status_steps_back(staging: sa.Table) -> sa.Select:
        """Figures whose status the file lowers (final back to provisional, say): a correction keeps its
        status, so stepping back is more likely a slip than news, but it is the office's call."""
        counts = VisitorCount.__table__
        rank = {status: index for index, status in enumerate(STATUSES)}
        return (
            select(staging.c.line, counts.c.status, staging.c.status)
            .join(counts, _same_key(staging, counts))
            .where(case(rank, value=staging.c.status) < case(rank, value=counts.c.status))
            .order_by(staging.c.line)
        )

    def apply(self, staging: sa.Table, batch: ImportBatch) -> Applied:
        counts = VisitorCount.__table__
        lock_months("visitors", db.session.execute(select(staging.c.year, staging.c.month).distinct()).all())
        user_id = self.user.id if self.user is not None else None
        now = literal(utcnow(), Timestamp)
        existing = staging.outerjoin(counts, _same_key(staging, counts))
        is_new = counts.c.id.is_(None)
        differs = or_(counts.c.visitors != staging.c.visitors, counts.c.status != staging.c.status)
        created, updated, total = db.session.execute(
            select(func.coalesce(func.sum(case((is_new, 1), else_=0)), 0),
                   func.coalesce(func.sum(case((and_(~is_new, differs), 1), else_=0)), 0), func.count())
            .select_from(existing)
        ).one()
        if created or updated:
            changed = or_(is_new, differs)
            months = db.session.execute(
                select(staging.c.year, staging.c.month).select_from(existing).where(changed).distinct()).all()
            self._record(staging, existing, changed, batch, user_id, now)
            db.session.execute(
                sa.update(counts).where(_same_key(staging, counts), differs)
                .values(visitors=staging.c.visitors, status=staging.c.status, version=counts.c.version + 1,
                        updated_by_id=literal(user_id, sa.Integer), updated_at=now))
            columns = ["area_id", "year", "month", "market_id", "visitors", "status", "version", "updated_by_id",
                       "updated_at"]
            db.session.execute(sa.insert(counts).from_select(columns, select(
                staging.c.area_id, staging.c.year, staging.c.month, staging.c.market_id, staging.c.visitors,
                staging.c.status, literal(1), literal(user_id, sa.Integer), now,
            ).select_from(existing).where(is_new)))
            refresh_statistics(counts, created + updated)
            refresh_visitor_rollups((year, month) for year, month in months)
        return Applied(created=created, updated=updated, unchanged=total - created - updated)

    def _record(self, staging, existing, changed, batch: ImportBatch, user_id: int | None, now) -> None:
        """One revision per created or changed figure, written by the database from the staging rows."""
        counts = VisitorCount.__table__
        month_text = case((staging.c.month < 10, "0"), else_="") + sa.cast(staging.c.month, sa.String)
        key = (Area.code + "/" + sa.cast(staging.c.year, sa.String) + "-" + month_text + "/" + Market.code)
        note = case(
            (counts.c.id.is_(None), "status: " + staging.c.status),
            (counts.c.status != staging.c.status, "status: " + counts.c.status + " -> " + staging.c.status),
            else_="",
        )
        rows = (
            select(literal(TABLE), key, sa.cast(counts.c.visitors, sa.String), sa.cast(staging.c.visitors, sa.String),
                   note, literal(self.source), literal(user_id, sa.Integer), literal(batch.id), staging.c.area_id, now)
            .select_from(existing.join(Area, Area.id == staging.c.area_id)
                         .join(Market, Market.id == staging.c.market_id))
            .where(changed)
        )
        db.session.execute(sa.insert(Revision).from_select(
            ["table_name", "record_key", "old_value", "new_value", "note", "source", "user_id", "batch_id",
             "area_id", "created_at"], rows))


def _same_key(staging: sa.Table, other) -> sa.ColumnElement[bool]:
    return and_(other.c.area_id == staging.c.area_id, other.c.year == staging.c.year,
                other.c.month == staging.c.month, other.c.market_id == staging.c.market_id)


def _last_year(staging: sa.Table, other) -> sa.ColumnElement[bool]:
    return and_(other.c.area_id == staging.c.area_id, other.c.year == staging.c.year - 1,
                other.c.month == staging.c.month, other.c.market_id == staging.c.market_id)


def import_visitors(stream, filename: str, user: User | None, *, encoding: str | None = None, source: str = "import",
                    progress: Progress | None = None) -> ImportResult:
    """Run the pipeline on a visitor file; the caller commits when `result.ok`, else rolls back."""
    return run_import(VisitorImporter(user, source=source), stream, filename,
                      user_id=user.id if user is not None else None, encoding=encoding, progress=progress)
