"""One rule for the name an area, exporter, product, target or affiliation's partner shows: Japanese on Japanese
pages and wherever no English name is given, else the English one. Models call it as `name_in(language)`; queries
use its SQL twin."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func


def shown_name(name_ja: str, name_en: str | None, language: str) -> str:
    return name_en if language != "ja" and name_en else name_ja


def shown_name_sql(name_ja: ColumnElement[str], name_en: ColumnElement[str], language: str) -> ColumnElement[str]:
    """The same choice made by the database, for a query that groups or sorts by the shown name."""
    return name_ja if language == "ja" else func.coalesce(func.nullif(name_en, ""), name_ja)
