"""Reminders and alerts: the messages queued for each account (the outbox), and the last status of each target
that alerts are raised from."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.targets import Target
from tracker.models.users import User

NOTIFICATION_KINDS = ("due_soon", "overdue", "digest", "alert")


class Notification(db.Model):
    """One message to one account. (user, kind, subject_key) is unique: the same reminder, digest or alert is
    never queued twice, which makes the daily run idempotent. Kept after sending: the outbox is its history."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint("kind IN ('due_soon', 'overdue', 'digest', 'alert')", name="kind"),
        UniqueConstraint("user_id", "kind", "subject_key", name="uq_notifications_user_id_kind_subject_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # what it is about: "visitors/131016/2025-04", "2025-W14", "target/3/at_risk/2025-05-02"
    subject_key: Mapped[str] = mapped_column(String(120))
    day: Mapped[date] = mapped_column(Date)  # the day (in Japan) of the run that queued it
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(Timestamp, index=True)

    user: Mapped[User] = relationship()


class TargetStatus(db.Model):
    """A target's status as the last daily run read it: an alert goes out when it turns at_risk or off_track."""

    __tablename__ = "target_statuses"

    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(12))
    seen_on: Mapped[date] = mapped_column(Date)

    target: Mapped[Target] = relationship()
