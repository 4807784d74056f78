"""Exporters of local specialty products, their products and their monthly export sales."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models._types import Timestamp, utcnow
from tracker.models.areas import Area, Market
from tracker.models.names import shown_name

UNITS = ("kg", "l", "pcs", "t")


class Exporter(db.Model):
    """A company or cooperative that exports; it belongs to a municipality."""

    __tablename__ = "exporters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)  # Japanese: the name files and the API key on
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    contact: Mapped[str] = mapped_column(String(200), default="")

    area: Mapped[Area] = relationship()
    products: Mapped[list[Product]] = relationship(back_populates="exporter", order_by="Product.id")

    def name_in(self, language: str) -> str:
        """The name to show: Japanese, or the English name on English pages when there is one."""
        return shown_name(self.name, self.name_en, language)


class Product(db.Model):
    __tablename__ = "products"
    __table_args__ = (
        UniqueConstraint("exporter_id", "name_ja", name="uq_products_exporter_name"),
        CheckConstraint(
            "hs_code IS NULL OR (length(hs_code) = 6 AND substr(hs_code, 1, 2) BETWEEN '01' AND '97')",
            name="hs_code",
        ),
        CheckConstraint("default_unit IS NULL OR default_unit IN ('kg', 'l', 'pcs', 't')", name="default_unit"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exporter_id: Mapped[int] = mapped_column(ForeignKey("exporters.id"), index=True)
    name_ja: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    hs_code: Mapped[str | None] = mapped_column(String(6))
    origin_area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    default_unit: Mapped[str | None] = mapped_column(String(3))

    exporter: Mapped[Exporter] = relationship(back_populates="products")
    origin_area: Mapped[Area | None] = relationship()

    def name_in(self, language: str) -> str:
        return shown_name(self.name_ja, self.name_en, language)


class ExportSale(db.Model):
    __tablename__ = "export_sales"
    __table_args__ = (
        UniqueConstraint("exporter_id", "product_id", "year", "month", "destination_id", name="uq_export_sales_key"),
        CheckConstraint("value_jpy >= 0", name="value_not_negative"),
        CheckConstraint("quantity IS NULL OR quantity >= 0", name="quantity_not_negative"),
        CheckConstraint("unit IS NULL OR unit IN ('kg', 'l', 'pcs', 't')", name="unit"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        # Refreshing the export rollups of a month reads that month's sales only.
        Index("ix_export_sales_year_month", "year", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exporter_id: Mapped[int] = mapped_column(ForeignKey("exporters.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    month: Mapped[int] = mapped_column(SmallInteger)
    destination_id: Mapped[int] = mapped_column(ForeignKey("markets.id"), index=True)
    value_jpy: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 3))
    unit: Mapped[str | None] = mapped_column(String(3))
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # the import that created the figure, whose one revision stands for every figure it created (tracker.imports.engine)
    created_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)

    exporter: Mapped[Exporter] = relationship()
    product: Mapped[Product] = relationship()
    destination: Mapped[Market] = relationship()


class ExportRollup(db.Model):
    """Export sales of the exporters in the municipalities below a prefecture or the nation, by destination.

    Kept in step with the sales by `tracker.rollups.refresh_export_rollups`, like the visitor rollups.
    """

    __tablename__ = "export_rollups"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    destination_id: Mapped[int] = mapped_column(ForeignKey("markets.id"), primary_key=True)
    value_jpy: Mapped[int] = mapped_column(BigInteger)
    # how many exporters sold there that month: a breakdown may show a group at once when some month of its window
    # had enough of them (`tracker.dashboard.privacy`); 0 in rows written before the column existed
    exporters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ExportProductRollup(db.Model):
    """The same sums by product category: the HS code, or "" for products without one."""

    __tablename__ = "export_product_rollups"

    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    month: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    hs_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    value_jpy: Mapped[int] = mapped_column(BigInteger)
    exporters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # as in ExportRollup

