"""The revision record: every change to a figure, a target, an account or a month's reporting state, from any
source, written the same way.

A feature's `RevisionFormat` is the one description of its revisions' key and value: it renders the Python text
that the entry forms record and the SQL expression that the set-based import records, so the two cannot drift.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import case, func, insert, literal, select

from tracker.extensions import db
from tracker.models import Revision
from tracker.models._types import utcnow


@dataclass(frozen=True)
class Change:
    """One record's change: its natural key (e.g. "130001/2015-04/CN"), old and new value as text."""

    record_key: str
    old_value: str | None
    new_value: str | None
    note: str = ""


def record_changes(table_name: str, changes: Iterable[Change], *, source: str, user_id: int | None,
                   batch_id: int | None = None, area_id: int | None = None) -> int:
    """Write one revision per change in a single statement; returns how many were written. `area_id` is the area
    the records belong to (None for accounts), which the audit filters by."""
    now = utcnow()
    rows = [
        {"table_name": table_name, "record_key": change.record_key, "old_value": change.old_value,
         "new_value": change.new_value, "note": change.note, "source": source, "user_id": user_id,
         "batch_id": batch_id, "area_id": area_id, "created_at": now}
        for change in changes
    ]
    if rows:
        db.session.execute(insert(Revision), rows)
    return len(rows)


def history(table_name: str, key_prefix: str) -> list[Revision]:
    """The revisions of the figures whose key starts with the prefix (e.g. one area's month), newest first."""
    return list(db.session.scalars(
        select(Revision)
        .where(Revision.table_name == table_name, Revision.record_key.startswith(key_prefix, autoescape=True))
        .order_by(Revision.created_at.desc(), Revision.id.desc())
    ))


@dataclass(frozen=True)
class Field:
    """A named value in a revision's text: as is, zero-padded to `width` digits, or a decimal without
    trailing zeros ("12.5", "300")."""

    name: str
    width: int = 0
    decimal: bool = False

    def text(self, value: Any) -> str:
        if self.width:
            return f"{value:0{self.width}d}"
        if self.decimal:
            return f"{value.normalize():f}"
        return str(value)

    def sql(self, column: sa.ColumnElement) -> sa.ColumnElement:
        if self.decimal and db.session.get_bind().dialect.name == "postgresql":
            return sa.cast(func.trim_scale(column), sa.String)
        # SQLite stores 300.000 as 300 and 12.500 as 12.5: its text is already without trailing zeros
        text = column if isinstance(column.type, sa.String) else sa.cast(column, sa.String)
        if self.width > 1:
            zeros = [(column < 10 ** digits, "0" * (self.width - digits)) for digits in range(1, self.width)]
            return case(*zeros, else_="") + text
        return text


@dataclass(frozen=True)
class IfGiven:
    """Parts of a text written only when the named value is given (not None)."""

    name: str
    parts: tuple[str | Field, ...]


Part = str | Field | IfGiven


@dataclass(frozen=True)
class Template:
    """A text made of literal parts and named values; None (NULL in SQL) when a value outside `IfGiven` is."""

    parts: tuple[Part, ...]

    def text(self, values: Mapping[str, Any]) -> str | None:
        pieces = []
        for part in self.parts:
            if isinstance(part, IfGiven):
                if values[part.name] is not None:
                    pieces.append(Template(part.parts).text(values))
            elif isinstance(part, Field):
                if values[part.name] is None:
                    return None
                pieces.append(part.text(values[part.name]))
            else:
                pieces.append(part)
        return "".join(pieces)

    def sql(self, columns: Mapping[str, sa.ColumnElement]) -> sa.ColumnElement:
        pieces: list[Any] = []
        for part in self.parts:
            if isinstance(part, IfGiven):
                pieces.append(case((columns[part.name].is_(None), ""), else_=Template(part.parts).sql(columns)))
            elif isinstance(part, Field):
                pieces.append(part.sql(columns[part.name]))
            else:
                pieces.append(literal(part, sa.String))
        return functools.reduce(operator.add, pieces)


@dataclass(frozen=True)
class RevisionFormat:
    """How one feature's revisions name a figure (`key`) and write its value (`value`), in Python and in SQL."""

    table: str
    key: Template
    value: Template

    def key_text(self, **values: Any) -> str:
        return self.key.text(values)

    def value_text(self, **values: Any) -> str | None:
        return self.value.text(values)
