"""International affiliations (sister cities and friendship ties): a Japanese area and its foreign partner."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.areas import Area
from tracker.models.names import shown_name

# CLAIR's distinctions of a tie and of the partner
AFFILIATION_KINDS = ("sister", "friendship", "other")
PARTNER_LEVELS = ("city", "state", "other")
# Fields of exchange, in the order they are stored: a set is kept as one ";"-joined string in this order, so that
# the same set is always the same text (imports compare and filter it as one value on both databases).
EXCHANGE_FIELDS = ("education", "culture", "economy", "tourism", "sports", "administration")


class Affiliation(db.Model):
    __tablename__ = "affiliations"
    __table_args__ = (
        UniqueConstraint("area_id", "country", "partner_name_en", name="uq_affiliations_key"),
        CheckConstraint("kind IN ('sister', 'friendship', 'other')", name="kind"),
        CheckConstraint("partner_level IN ('city', 'state', 'other')", name="partner_level"),
        CheckConstraint("country <> 'ZZ'", name="country_named"),
        CheckConstraint("ended_year IS NULL OR ended_year >= established_year", name="ends_after_start"),
        CheckConstraint("ended_on IS NULL OR ended_year IS NOT NULL", name="ended_on_has_year"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    partner_name: Mapped[str] = mapped_column(String(200))  # as written locally (St. Paul: "Saint Paul")
    partner_name_en: Mapped[str] = mapped_column(String(200))
    # ISO 3166-1 alpha-2, one of the markets (so that the partner's visitors can be found)
    country: Mapped[str] = mapped_column(ForeignKey("markets.code"), index=True)
    partner_level: Mapped[str] = mapped_column(String(5))
    kind: Mapped[str] = mapped_column(String(10))
    # the year is always known; the day only sometimes (the register then gives the year alone)
    established_year: Mapped[int] = mapped_column(SmallInteger, index=True)
    established_on: Mapped[date | None] = mapped_column(Date)
    ended_year: Mapped[int | None] = mapped_column(SmallInteger)
    ended_on: Mapped[date | None] = mapped_column(Date)
    fields: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # the import that created the figure, whose one revision stands for every figure it created (tracker.imports.engine)
    created_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)

    area: Mapped[Area] = relationship()

    @property
    def established(self) -> str:
        """As written: "1955" or "1955-12-07"."""
        return self.established_on.isoformat() if self.established_on else str(self.established_year)

    @property
    def ended(self) -> str | None:
        if self.ended_year is None:
            return None
        return self.ended_on.isoformat() if self.ended_on else str(self.ended_year)

    def name_in(self, language: str) -> str:
        """The partner as a reader of the page's language knows it: ポートランド市 in Japanese, Portland in English."""
        return shown_name(self.partner_name, self.partner_name_en, language)

    @property
    def field_list(self) -> list[str]:
        return self.fields.split(";") if self.fields else []

    def __repr__(self) -> str:
        return f"<Affiliation {self.area_id} {self.country} {self.partner_name_en}>"
