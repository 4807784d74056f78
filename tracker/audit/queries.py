"""Reads of the audit: revisions and log-in attempts under a filter, a page at a time for the page, every row for
the download."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import aliased, joinedload

from tracker.extensions import db
from tracker.formatting import moment
from tracker.models import Area, ImportBatch, LoginEvent, Revision, User
from tracker.revisions import all_revisions, newest_first
from tracker.revisions import revision_page as page_of_revisions

PER_PAGE = 50
_STREAM_CHUNK = 1000


@dataclass(frozen=True)
class AuditFilter:
    """What to show; None means any. `area_id` takes the areas below it too; `start` (inclusive) and `end`
    (exclusive) are UTC; `outcome` applies to log-ins, `kind` and `source` to changes."""

    user_id: int | None = None
    area_id: int | None = None
    kind: str | None = None
    source: str | None = None
    outcome: str | None = None
    start: datetime | None = None
    end: datetime | None = None


def _at_or_below(area_id: int, column):
    """The area and the areas below it (a prefecture's municipalities; for the nation, every area)."""
    children = select(Area.id).where(Area.parent_id == area_id)
    grandchildren = select(Area.id).where(Area.parent_id.in_(children))
    return or_(column == area_id, column.in_(children), column.in_(grandchildren))


def _by_whom_and_when(where: AuditFilter, user_id, created_at) -> list:
    """The account and time-window conditions that changes and log-ins share."""
    conditions = []
    if where.user_id is not None:
        conditions.append(user_id == where.user_id)
    if where.start is not None:
        conditions.append(created_at >= where.start)
    if where.end is not None:
        conditions.append(created_at < where.end)
    return conditions


def _conditions(where: AuditFilter):
    """The filter's conditions on the columns of a revision, an import's created figures one by one
    (`tracker.revisions.all_revisions`)."""
    def conditions(columns: dict) -> list:
        found = _by_whom_and_when(where, columns["user_id"], columns["created_at"])
        if where.area_id is not None:
            found.append(_at_or_below(where.area_id, columns["area_id"]))
        if where.kind is not None:
            found.append(columns["table_name"] == where.kind)
        if where.source is not None:
            found.append(columns["source"] == where.source)
        return found

    return conditions


def _logins(where: AuditFilter) -> Select:
    statement = select(LoginEvent).order_by(LoginEvent.created_at.desc(), LoginEvent.id.desc())
    statement = statement.where(*_by_whom_and_when(where, LoginEvent.user_id, LoginEvent.created_at))
    if where.outcome is not None:
        statement = statement.where(LoginEvent.outcome == where.outcome)
    return statement


@dataclass(frozen=True)
class RevisionPage:
    """A page of revisions, as the pager reads it."""

    items: list[Revision]
    page: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.page * PER_PAGE < self.total

    @property
    def next_num(self) -> int:
        return self.page + 1


def revision_page(where: AuditFilter, page: int) -> RevisionPage:
    """A page of revisions, newest first, with their account, area and imported file loaded."""
    total, items = page_of_revisions(_conditions(where), where.kind, PER_PAGE, (page - 1) * PER_PAGE)
    return RevisionPage(items, page, total)


def login_page(where: AuditFilter, page: int):
    """A page of log-in attempts, newest first."""
    statement = _logins(where).options(joinedload(LoginEvent.user))
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


REVISION_COLUMNS = ("time", "user", "record", "key", "area_code", "old_value", "new_value", "source", "file", "note")
LOGIN_COLUMNS = ("time", "email", "account", "address", "outcome")


def revision_rows(where: AuditFilter) -> Iterator[tuple]:
    """Every revision under the filter, as the download's rows (REVISION_COLUMNS), read as they are written."""
    user, area, batch = aliased(User), aliased(Area), aliased(ImportBatch)
    selected = all_revisions(_conditions(where), where.kind)
    statement = (
        select(selected.c.created_at, user.email, selected.c.table_name, selected.c.record_key, area.code,
               selected.c.old_value, selected.c.new_value, selected.c.source, batch.filename, selected.c.note)
        .outerjoin(user, user.id == selected.c.user_id).outerjoin(area, area.id == selected.c.area_id)
        .outerjoin(batch, batch.id == selected.c.batch_id)
        .order_by(*newest_first(selected))
    )
    for row in db.session.execute(statement.execution_options(yield_per=_STREAM_CHUNK)):
        yield (moment(row[0], seconds=True), *row[1:])


def login_rows(where: AuditFilter) -> Iterator[tuple]:
    """Every log-in attempt under the filter, as the download's rows (LOGIN_COLUMNS)."""
    selected = _logins(where).subquery()
    statement = (
        select(selected.c.created_at, selected.c.email, User.email, selected.c.address, selected.c.outcome)
        .outerjoin(User, User.id == selected.c.user_id)
        .order_by(selected.c.created_at.desc(), selected.c.id.desc())
    )
    for row in db.session.execute(statement.execution_options(yield_per=_STREAM_CHUNK)):
        yield (moment(row[0], seconds=True), *row[1:])
