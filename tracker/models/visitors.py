"""Monthly foreign-visitor counts per area and source market."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.areas import Area, Market

STATUSES = ("estimate", "provisional", "final")
# The largest figure the `visitors` column (a 32-bit integer) holds; entry and imports refuse larger ones
# with a message rather than letting the database fail.
MAX_VISITORS = 2_147_483_647


class VisitorCount(db.Model):
    __tablename__ = "visitor_counts"
    __table_args__ = (
        UniqueConstraint("area_id", "year", "month", "market_id", name="uq_visitor_counts_key"),
        CheckConstraint("visitors >= 0", name="visitors_not_negative"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        CheckConstraint("status IN ('estimate', 'provisional', 'final')", name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    month: Mapped[int] = mapped_column(SmallInteger)
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id"), index=True)
    visitors: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12), default="final")
    # Optimistic locking: a save names the version it read, and is refused when it moved on.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # the import that created the figure, whose one revision stands for every figure it created (tracker.imports.engine)
    created_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)

    area: Mapped[Area] = relationship()
    market: Mapped[Market] = relationship()


class VisitorRollup(db.Model):
    """The sum of the municipalities below a prefecture or the nation, kept with the figures.

    Dashboards at national scale read these few rows instead of scanning millions of municipal counts.
    `areas` counts the municipalities that reported the market that month.
    """

    __tablename__ = "visitor_rollups"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    market_id: Mapped[int] = mapped_column(ForeignKey("markets.id"), primary_key=True)
    visitors: Mapped[int] = mapped_column(BigInteger)
    areas: Mapped[int] = mapped_column(Integer)
