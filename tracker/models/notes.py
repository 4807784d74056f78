"""Notes that explain a month's figures (a typhoon closing the airport, a new flight route), attached to an area's
month or to an exporter's month."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.areas import Area
from tracker.models.exports import Exporter
from tracker.models.users import User

# the longest note, in characters: a few sentences that explain a month, not a report
MAX_NOTE_LENGTH = 2000


class Note(db.Model):
    __tablename__ = "notes"
    __table_args__ = (
        CheckConstraint("(area_id IS NULL) <> (exporter_id IS NULL)", name="one_subject"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        CheckConstraint(f"length(text) BETWEEN 1 AND {MAX_NOTE_LENGTH}", name="text_length"),
        Index("ix_notes_area_month", "area_id", "year", "month"),
        Index("ix_notes_exporter_month", "exporter_id", "year", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # exactly one of the two: the area's figures or the exporter's sales
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    exporter_id: Mapped[int | None] = mapped_column(ForeignKey("exporters.id"))
    year: Mapped[int] = mapped_column(SmallInteger)
    month: Mapped[int] = mapped_column(SmallInteger)
    text: Mapped[str] = mapped_column(Text)
    # None once the account is gone, or for a note written from the command line
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # the import that created the figure, whose one revision stands for every figure it created (tracker.imports.engine)
    created_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)

    area: Mapped[Area | None] = relationship()
    exporter: Mapped[Exporter | None] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def home_area(self) -> Area:
        """The area the note's figures belong to: its own, or its exporter's."""
        return self.area if self.area is not None else self.exporter.area
