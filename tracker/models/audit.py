"""The record of every change (figures, targets, accounts, reporting states), of every imported file, and of every
log-in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.areas import Area
from tracker.models.users import User

SOURCES = ("form", "import", "api", "cli")
OUTCOMES = ("applied", "unchanged", "rejected")
LOGIN_OUTCOMES = ("success", "failed", "throttled")


class ImportBatch(db.Model):
    __tablename__ = "import_batches"
    __table_args__ = (
        CheckConstraint("outcome IN ('applied', 'unchanged', 'rejected')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)

    user: Mapped[User | None] = relationship()


class Revision(db.Model):
    """One change to one record (a figure, a target, an account, a month's reporting state): nothing is overwritten
    without a trace."""

    __tablename__ = "revisions"
    __table_args__ = (
        CheckConstraint("source IN ('form', 'import', 'api', 'cli')", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    # The figure's natural key, e.g. "130001/2015-04/CN", so history survives re-keying of ids.
    record_key: Mapped[str] = mapped_column(String(200), index=True)
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(6))
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    # The area the record belongs to (an exporter's sales: the exporter's area), so the audit filters by area;
    # None for accounts.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()
    batch: Mapped[ImportBatch | None] = relationship()
    area: Mapped[Area | None] = relationship()


class LoginEvent(db.Model):
    """One log-in attempt, successful or not, with the email as typed and the account it named, if any."""

    __tablename__ = "login_events"
    __table_args__ = (
        CheckConstraint("outcome IN ('success', 'failed', 'throttled')", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, index=True)
    email: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    address: Mapped[str] = mapped_column(String(45))
    outcome: Mapped[str] = mapped_column(String(9))

    user: Mapped[User | None] = relationship()


