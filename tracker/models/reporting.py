"""Who reported: counts kept with the rollups, and the reporting cycle (due-date rules, submitted and approved
months) that `tracker.reporting` reads and writes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp
from tracker.models.areas import Area
from tracker.models.exports import Exporter
from tracker.models.users import User


class ReportingRollup(db.Model):
    """How many municipalities (visitors) or exporters (exports) below a prefecture or the nation reported
    figures in a month; kept in step by `tracker.rollups` with the other rollups."""

    __tablename__ = "reporting_rollups"
    __table_args__ = (CheckConstraint("metric IN ('visitors', 'export_value')", name="metric"),)

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    metric: Mapped[str] = mapped_column(String(12), primary_key=True)
    reporters: Mapped[int] = mapped_column(Integer)


REPORTING_METRICS = ("visitors", "exports")
MONTH_STATUSES = ("open", "submitted", "approved")


class ReportingRule(db.Model):
    """An admin's due-date rule for a metric: figures of month M are due on `day` (None: the last day) of the
    month `months_after` months later; without a row the defaults of `tracker.reporting.deadlines` apply.
    `listed_units`: visitor figures are expected from the areas of `ReportingUnitArea` rather than from every
    municipality."""

    __tablename__ = "reporting_rules"
    __table_args__ = (
        CheckConstraint("metric IN ('visitors', 'exports')", name="metric"),
        CheckConstraint("months_after BETWEEN 0 AND 12", name="months_after"),
        CheckConstraint("day IS NULL OR day BETWEEN 1 AND 31", name="day"),
    )

    metric: Mapped[str] = mapped_column(String(10), primary_key=True)
    months_after: Mapped[int] = mapped_column(SmallInteger, default=1)
    day: Mapped[int | None] = mapped_column(SmallInteger)
    listed_units: Mapped[bool] = mapped_column(Boolean, default=False)


class ReportingUnitArea(db.Model):
    """An area expected to report visitor figures when the visitors rule lists its units (a prefecture that
    reports its own series may be one)."""

    __tablename__ = "reporting_unit_areas"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True)

    area: Mapped[Area] = relationship()


class DueException(db.Model):
    """A unit's own due date, replacing its metric's rule: an area (visitors) or an exporter (exports)."""

    __tablename__ = "reporting_due_exceptions"
    __table_args__ = (
        CheckConstraint("metric IN ('visitors', 'exports')", name="metric"),
        CheckConstraint("(metric = 'visitors') = (area_id IS NOT NULL) AND (area_id IS NULL) <> (exporter_id IS NULL)",
                        name="one_unit"),
        CheckConstraint("months_after BETWEEN 0 AND 12", name="months_after"),
        CheckConstraint("day IS NULL OR day BETWEEN 1 AND 31", name="day"),
        UniqueConstraint("area_id", name="uq_reporting_due_exceptions_area_id"),
        UniqueConstraint("exporter_id", name="uq_reporting_due_exceptions_exporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(10))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    exporter_id: Mapped[int | None] = mapped_column(ForeignKey("exporters.id", ondelete="CASCADE"))
    months_after: Mapped[int] = mapped_column(SmallInteger, default=1)
    day: Mapped[int | None] = mapped_column(SmallInteger)

    area: Mapped[Area | None] = relationship()
    exporter: Mapped[Exporter | None] = relationship()


class ReportingMonth(db.Model):
    """The reporting cycle of one unit's month: submitted, approved (locked) or open again, with who and when.

    A unit's month without a row, or with `open`, is `entered` or `missing` depending on its figures."""

    __tablename__ = "reporting_months"
    __table_args__ = (
        CheckConstraint("metric IN ('visitors', 'exports')", name="metric"),
        CheckConstraint("(metric = 'visitors') = (area_id IS NOT NULL) AND (area_id IS NULL) <> (exporter_id IS NULL)",
                        name="one_unit"),
        CheckConstraint("status IN ('open', 'submitted', 'approved')", name="status"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        # NULLs are distinct: each constraint holds for its own metric's rows only
        UniqueConstraint("area_id", "year", "month", name="uq_reporting_months_area"),
        UniqueConstraint("exporter_id", "year", "month", name="uq_reporting_months_exporter"),
        Index("ix_reporting_months_status_year_month", "status", "year", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    metric: Mapped[str] = mapped_column(String(10))
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    exporter_id: Mapped[int | None] = mapped_column(ForeignKey("exporters.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    month: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(String(10), default="open")
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(Timestamp)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(Timestamp)
    returned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    returned_at: Mapped[datetime | None] = mapped_column(Timestamp)
    return_comment: Mapped[str] = mapped_column(Text, default="")
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(Timestamp)
    reopen_reason: Mapped[str] = mapped_column(Text, default="")

    area: Mapped[Area | None] = relationship()
    exporter: Mapped[Exporter | None] = relationship()
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    returned_by: Mapped[User | None] = relationship(foreign_keys=[returned_by_id])
    reopened_by: Mapped[User | None] = relationship(foreign_keys=[reopened_by_id])
