"""Areas (the nation, prefectures, municipalities) and source markets."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.names import shown_name

AREA_LEVELS = ("nation", "prefecture", "municipality")
# Both coordinates or neither, each on the globe.
OFFICE_CHECK = ("(office_lat IS NULL) = (office_lng IS NULL) AND (office_lat IS NULL OR "
                "(office_lat BETWEEN -90 AND 90 AND office_lng BETWEEN -180 AND 180))")


class Area(db.Model):
    __tablename__ = "areas"
    __table_args__ = (
        CheckConstraint("level IN ('nation', 'prefecture', 'municipality')", name="level"),
        CheckConstraint("(level = 'nation') = (parent_id IS NULL)", name="parent_unless_nation"),
        CheckConstraint(OFFICE_CHECK, name="office_coordinates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # "JP" for the nation, else the 6-digit local-government code with its check digit.
    code: Mapped[str] = mapped_column(String(6), unique=True)
    level: Mapped[str] = mapped_column(String(12), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    name_ja: Mapped[str] = mapped_column(String(100))
    name_kana: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
    # Where the area's office stands (the code list's office_lat, office_lng): maps put the area's point there.
    office_lat: Mapped[float | None] = mapped_column(Float)
    office_lng: Mapped[float | None] = mapped_column(Float)

    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent")

    def name_in(self, language: str) -> str:
        """The name to show: kanji in Japanese, romaji/English otherwise (kanji when no English is known)."""
        return shown_name(self.name_ja, self.name_en, language)

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name_ja}>"


class Market(db.Model):
    """A source market or destination: an ISO 3166-1 alpha-2 code, or ZZ for unspecified."""

    __tablename__ = "markets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)

    def __repr__(self) -> str:
        return f"<Market {self.code}>"
