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


def _at_or_below(area_id: int):
    """The area and the areas below it (a prefecture's municipalities; for the nation, every area)."""
    children = select(Area.id).where(Area.parent_id == area_id)
    grandchildren = select(Area.id).where(Area.parent_id.in_(children))
    return or_(Revision.area_id == area_id, Revision.area_id.in_(children), Revision.area_id.in_(grandchildren))


def _revisions(where: AuditFilter) -> Select:
    statement = select(Revision).order_by(Revision.created_at.desc(), Revision.id.desc())
    if where.user_id is not None:
        statement = statement.where(Revision.user_id == where.user_id)
    if where.area_id is not None:
        statement = statement.where(_at_or_below(where.area_id))
    if where.kind is not None:
        statement = statement.where(Revision.table_name == where.kind)
    if where.source is not None:
        statement = statement.where(Revision.source == where.source)
    if where.start is not None:
        statement = statement.where(Revision.created_at >= where.start)
    if where.end is not None:
        statement = statement.where(Revision.created_at < where.end)
    return statement


def _logins(where: AuditFilter) -> Select:
    statement = select(LoginEvent).order_by(LoginEvent.created_at.desc(), LoginEvent.id.desc())
    if where.user_id is not None:
        statement = statement.where(LoginEvent.user_id == where.user_id)
    if where.outcome is not None:
        statement = statement.where(LoginEvent.outcome == where.outcome)
    if where.start is not None:
        statement = statement.where(LoginEvent.created_at >= where.start)
    if where.end is not None:
        statement = statement.where(LoginEvent.created_at < where.end)
    return statement


def revision_page(where: AuditFilter, page: int):
    """A page of revisions, newest first, with their account, area and imported file loaded."""
    statement = _revisions(where).options(joinedload(Revision.user), joinedload(Revision.area),
                                          joinedload(Revision.batch))
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


def login_page(where: AuditFilter, page: int):
    """A page of log-in attempts, newest first."""
    statement = _logins(where).options(joinedload(LoginEvent.user))
    return db.paginate(statement, page=page, per_page=PER_PAGE, error_out=False)


REVISION_COLUMNS = ("time", "user", "record", "key", "area_code", "old_value", "new_value", "source", "file", "note")
LOGIN_COLUMNS = ("time", "email", "account", "address", "outcome")


def revision_rows(where: AuditFilter) -> Iterator[tuple]:
    """Every revision under the filter, as the download's rows (REVISION_COLUMNS), read as they are written."""
    user, area, batch = aliased(User), aliased(Area), aliased(ImportBatch)
    selected = _revisions(where).subquery()
    statement = (
        select(selected.c.created_at, user.email, selected.c.table_name, selected.c.record_key, area.code,
               selected.c.old_value, selected.c.new_value, selected.c.source, batch.filename, selected.c.note)
        .outerjoin(user, user.id == selected.c.user_id).outerjoin(area, area.id == selected.c.area_id)
        .outerjoin(batch, batch.id == selected.c.batch_id)
        .order_by(selected.c.created_at.desc(), selected.c.id.desc())
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
