"""Who reported: counts kept with the rollups, so that dashboards see gaps without scanning the detail."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db


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
