"""The revision record: every change to a figure, a target, an account or a month's reporting state, from any
source, written the same way."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import insert, select

from tracker.extensions import db
from tracker.models import Revision
from tracker.models._types import utcnow


@dataclass(frozen=True)
class Change:
    """One record's change: its natural key (e.g. "130001/2015-04/CN"), old and new value as text."""

    record_key: str
    old_value: str | None
    new_value: str | None
    note: str = ""


def record_changes(table_name: str, changes: Iterable[Change], *, source: str, user_id: int | None,
                   batch_id: int | None = None, area_id: int | None = None) -> int:
    """Write one revision per change in a single statement; returns how many were written. `area_id` is the area
    the records belong to (None for accounts), which the audit filters by."""
    now = utcnow()
    rows = [
        {"table_name": table_name, "record_key": change.record_key, "old_value": change.old_value,
         "new_value": change.new_value, "note": change.note, "source": source, "user_id": user_id,
         "batch_id": batch_id, "area_id": area_id, "created_at": now}
        for change in changes
    ]
    if rows:
        db.session.execute(insert(Revision), rows)
    return len(rows)


def history(table_name: str, key_prefix: str) -> list[Revision]:
    """The revisions of the figures whose key starts with the prefix (e.g. one area's month), newest first."""
    return list(db.session.scalars(
        select(Revision)
        .where(Revision.table_name == table_name, Revision.record_key.startswith(key_prefix, autoescape=True))
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    ))
