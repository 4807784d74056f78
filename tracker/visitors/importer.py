"""Visitor figures in the import format: `area_code,year,month,market,visitors[,status]`: row checks and outlier
warnings (the upsert is the import engine's)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select

from tracker import policy
from tracker.areas.codes import lost_zero_note
from tracker.areas.queries import in_subtree
from tracker.extensions import db
from tracker.formatting import status_label, status_words
from tracker.imports.batches import Batch
from tracker.imports.cells import area_code, digits_only, plain, whole
from tracker.imports.engine import FigureImporter
from tracker.imports.pipeline import MAX_REPORTED, ImportResult, Issue, ProgressCallback, run_import
from tracker.imports.quoting import excerpt
from tracker.models import MAX_VISITORS, STATUSES, Area, Market, User, VisitorCount
from tracker.rollups import refresh_visitor_rollups
from tracker.visitors.columns import COLUMNS, JAPANESE_HEADERS
from tracker.visitors.outliers import OUTLIER_FACTOR, OUTLIER_MIN_CHANGE
from tracker.visitors.services import REVISIONS


class VisitorImporter(FigureImporter):
    """The visitor feature's description for the import engine, for one user's scope."""

    kind = "visitors"
    required = COLUMNS[:5]
    optional = COLUMNS[5:]
    aliases = {japanese: name for name, japanese in JAPANESE_HEADERS.items()}
    staging_columns = (("area_id", sa.Integer), ("year", sa.Integer), ("month", sa.Integer),
                       ("market_id", sa.Integer), ("visitors", sa.BigInteger), ("status", sa.String(12)))
    key = ("area_id", "year", "month", "market_id")
    table = VisitorCount.__table__
    values = ("visitors", "status")
    scope_column = "area_id"
    lookups = {"area_code": (Area.__table__.c.code, "area_id"), "market_code": (Market.__table__.c.code, "market_id")}
    revisions = REVISIONS
    refresh_rollups = staticmethod(refresh_visitor_rollups)

    def __init__(self, user: User | None, source: str = "import", today: date | None = None):
        """`user` None is the command line's admin rights."""
        super().__init__(user, source, today)
        self._areas = dict(db.session.execute(select(Area.code, Area.id)).all())
        roots = policy.visitor_write_roots(user)
        # the ids the user may write (None: all): the policy's roots and every area below them
        self._writable = None if roots is None else set(db.session.scalars(
            select(Area.id).where(in_subtree(Area.id, sorted(roots)))))
        self._markets = {code: market_id for code, market_id in db.session.execute(select(Market.code, Market.id))}
        self._codes: dict[str, tuple[int | None, str | None]] = {}
        # the cells of lines that passed every check, as written, with what they gave: a national file repeats a
        # few thousand codes, a few hundred months, the markets and statuses on every line
        self._good_areas: dict[str, int] = {}
        self._good_markets: dict[str, int] = {}
        self._good_statuses: dict[str, str] = {}
        self._status_words = status_words()

    def batch_rows(self, batch: Batch) -> list[tuple] | None:
        """Each distinct cell of a column is checked once (a national file repeats a few thousand codes, a few
        hundred months, the markets and the statuses on every line)."""
        columns = batch.columns
        statuses = columns.get("status") or [""] * len(batch)
        years, months = self.years_and_months(batch)
        return self.staged(batch, [
            self.known(columns["area_code"], self._good_areas, lambda text: self._resolve_area(text)[0]),
            years, months,
            self.known(columns["market"], self._good_markets, lambda text: self._markets.get(plain(text).upper())),
            digits_only(columns["visitors"], len(str(MAX_VISITORS)) - 1),
            self.known(statuses, self._good_statuses, self._known_status),
        ])

    def _known_status(self, text: str) -> str | None:
        return "final" if not text else self._status_words.get(plain(text).casefold())

    def parse(self, line: int, row: dict[str, str]) -> tuple | list[Issue]:
        """A line whose cells were all seen on good lines needs only its figure checked; any other line takes
        every check, and when it passes, its cells are remembered."""
        try:
            area_id = self._good_areas[row["area_code"]]
            year, month = self._good_year_months[row["year"], row["month"]]
            market_id = self._good_markets[row["market"]]
            status = self._good_statuses[row.get("status", "")]
        except KeyError:
            return self._checked(line, row)
        visitors = row["visitors"]
        if visitors.isdigit() and visitors.isascii() and len(visitors) < len(str(MAX_VISITORS)):
            return area_id, year, month, market_id, int(visitors), status
        return self._checked(line, row)

    def _checked(self, line: int, row: dict[str, str]) -> tuple | list[Issue]:
        issues: list[Issue] = []
        area_id = self._area(line, row["area_code"], issues)
        year = whole(line, "year", row["year"], issues)
        month = whole(line, "month", row["month"], issues)
        self.check_month(line, year, month, issues)
        market_id = self._market(line, row["market"], issues)
        visitors = whole(line, "visitors", row["visitors"], issues)
        if visitors is not None and visitors > MAX_VISITORS:
            issues.append(Issue(line, "visitors", _("Too large: %(value)s (at most %(most)s).",
                                                    value=excerpt(row["visitors"]), most=f"{MAX_VISITORS:,}")))
            visitors = None
        status = self._status(line, row.get("status", ""), issues)
        if issues:
            return issues
        self._good_areas[row["area_code"]] = area_id
        self._good_year_months[row["year"], row["month"]] = year, month
        self._good_markets[row["market"]] = market_id
        self._good_statuses[row.get("status", "")] = status
        return area_id, year, month, market_id, visitors, status

    def _area(self, line: int, text: str, issues: list[Issue]) -> int | None:
        if text not in self._codes:
            self._codes[text] = self._resolve_area(text)
        area_id, message = self._codes[text]
        if message:
            issues.append(Issue(line, "area_code", message))
        return area_id

    def _resolve_area(self, text: str) -> tuple[int | None, str | None]:
        code, message = area_code(text, self._areas.__contains__)
        if code is None:
            return None, message
        area_id = self._areas.get(code)
        if area_id is None:
            return None, _("Unknown area: %(code)s.", code=code) + lost_zero_note(plain(text))
        if self._writable is not None and area_id not in self._writable:
            return None, _("The area %(code)s is outside your areas.", code=code)
        return area_id, None

    def _market(self, line: int, text: str, issues: list[Issue]) -> int | None:
        market_id = self._markets.get(plain(text).upper())
        if market_id is None:
            issues.append(Issue(line, "market", _("Unknown country or region code: %(code)s.", code=excerpt(text))))
        return market_id

    def _status(self, line: int, text: str, issues: list[Issue]) -> str:
        if not text:
            return "final"
        status = self._status_words.get(plain(text).casefold())
        if status is None:
            issues.append(Issue(line, "status", _("The status must be estimate, provisional or final, not %(value)s.",
                                                  value=excerpt(text))))
        return status or "final"

    def warnings(self, staging: sa.Table) -> tuple[list[Issue], int]:
        """Figures far from the same month a year earlier (in the file or already recorded): reported, kept."""
        earlier_file = staging.alias("earlier_file")
        counts = VisitorCount.__table__
        base = func.coalesce(earlier_file.c.visitors, counts.c.visitors)
        query = (
            select(staging.c.line, staging.c.visitors, base)
            .outerjoin(earlier_file, _last_year(staging, earlier_file))
            .outerjoin(counts, _last_year(staging, counts))
            .where(base > 0, func.abs(staging.c.visitors - base) >= OUTLIER_MIN_CHANGE,
                   or_(staging.c.visitors > OUTLIER_FACTOR * base, staging.c.visitors * OUTLIER_FACTOR < base))
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

    def _status_steps_back(self, staging: sa.Table) -> sa.Select:
        """Figures whose status the file lowers (final back to provisional, say): a correction keeps its
        status, so stepping back is more likely a slip than news, but it is the office's call."""
        counts = VisitorCount.__table__
        rank = {status: index for index, status in enumerate(STATUSES)}
        return (
            select(staging.c.line, counts.c.status, staging.c.status)
            .join(counts, self.same_key(staging, counts))
            .where(case(rank, value=staging.c.status) < case(rank, value=counts.c.status))
            .order_by(staging.c.line)
        )

    @classmethod
    def created_note(cls, figure: sa.Table, later: sa.Table, after: sa.ColumnElement[bool]) -> sa.ColumnElement:
        """The status the figure was created with: the old one of its first later status change, or its own."""
        first_change = (
            select(case(*((later.c.note.like(f"%status: {status} -> %"), status) for status in STATUSES)))
            .where(after, later.c.note.like("%status: % -> %")).order_by(later.c.id).limit(1).scalar_subquery())
        return "status: " + func.coalesce(first_change, figure.c.status)

    def revision_note(self, staging: sa.Table, target: sa.Table) -> sa.ColumnElement:
        """The status a figure gets, or the step from its old status."""
        return case(
            (target.c.id.is_(None), "status: " + staging.c.status),
            (target.c.status != staging.c.status, "status: " + target.c.status + " -> " + staging.c.status),
            else_="",
        )


def _last_year(staging: sa.Table, other) -> sa.ColumnElement[bool]:
    return and_(other.c.area_id == staging.c.area_id, other.c.year == staging.c.year - 1,
                other.c.month == staging.c.month, other.c.market_id == staging.c.market_id)


def import_visitors(stream, filename: str, user: User | None, *, encoding: str | None = None, source: str = "import",
                    progress: ProgressCallback | None = None) -> ImportResult:
    """Run the pipeline on a visitor file; the caller commits when `result.ok`, else rolls back."""
    return run_import(VisitorImporter(user, source=source), stream, filename,
                      user_id=user.id if user is not None else None, encoding=encoding, progress=progress)
