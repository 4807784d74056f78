"""Targets leadership sets: a metric for an area, from a baseline year to a target year."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.areas import Area, Market
from tracker.models.exports import Product
from tracker.models.names import shown_name

METRICS = ("visitors", "export_value")
YEAR_BASES = ("calendar", "fiscal")


class Target(db.Model):
    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint("metric IN ('visitors', 'export_value')", name="metric"),
        CheckConstraint("year_basis IN ('calendar', 'fiscal')", name="year_basis"),
        CheckConstraint("target_year > baseline_year", name="target_after_baseline"),
        CheckConstraint("baseline_value > 0 AND target_value > 0", name="values_positive"),
        CheckConstraint("metric = 'visitors' OR market_id IS NULL", name="market_only_for_visitors"),
        CheckConstraint(
            "metric = 'export_value' OR (product_id IS NULL AND destination_id IS NULL)",
            name="export_filters_only_for_exports",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))  # Japanese
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    metric: Mapped[str] = mapped_column(String(12))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    market_id: Mapped[int | None] = mapped_column(ForeignKey("markets.id"))
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"))
    destination_id: Mapped[int | None] = mapped_column(ForeignKey("markets.id"))
    baseline_year: Mapped[int] = mapped_column(SmallInteger)
    baseline_value: Mapped[int] = mapped_column(BigInteger)
    target_year: Mapped[int] = mapped_column(SmallInteger)
    target_value: Mapped[int] = mapped_column(BigInteger)
    year_basis: Mapped[str] = mapped_column(String(8), default="calendar")
    # National arrivals are not the sum of municipal counts: summing the areas below is opt-in.
    include_subareas: Mapped[bool] = mapped_column(Boolean, default=False)

    area: Mapped[Area] = relationship()
    market: Mapped[Market | None] = relationship(foreign_keys=[market_id])
    product: Mapped[Product | None] = relationship()
    destination: Mapped[Market | None] = relationship(foreign_keys=[destination_id])

    def name_in(self, language: str) -> str:
        """The name to show: Japanese, or the English name on English pages when there is one."""
        return shown_name(self.name, self.name_en, language)
