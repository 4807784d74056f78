"""The revision record: every change to a figure, a target, an account or a month's reporting state, from any
source, written the same way.

A feature's `RevisionFormat` is the one description of its revisions' key and value: it renders the Python text
that the entry forms record and the SQL expression that the set-based import records, so the two cannot drift.

An import records the figures it creates with one revision for the whole batch (key `BATCH_KEY`; each created
figure names its batch): one row per created figure cost more than the rest of a large import. Whatever reads
revisions reads them through `history` or `all_revisions`, which expand it into one revision per created figure
(its key, value, area, and the batch's author, source and time), so a person sees what a revision per figure
showed.
"""

from __future__ import annotations

import functools
import heapq
import importlib
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import case, func, insert, literal, select

from tracker.extensions import db
from tracker.models import Area, ImportBatch, Revision, User
from tracker.models._types import utcnow

# the record key of an import's one revision for every figure it created
BATCH_KEY = "*"
# the columns of a revision row as `all_revisions` gives them: `figure` is 0 for a stored revision, the created
# figure's id for one expanded from its batch's revision
REVISION_COLUMNS = ("id", "figure", "created_at", "user_id", "table_name", "record_key", "area_id", "old_value",
                    "new_value", "source", "batch_id", "note")
# stored revisions read at a time while a page of the audit is laid out
_STORED_CHUNK = 1000
# revision table name -> the expansion of its batch revisions (tracker.imports.engine.FigureImporter)
_CREATORS: dict[str, Callable[[], tuple[sa.Select, dict[str, Any]]]] = {}
# the importers, which register their expansions when imported
_IMPORTERS = ("tracker.visitors.importer", "tracker.exports.importer", "tracker.affiliations.importer",
              "tracker.notes.importer")


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


def register_creator(table_name: str, expansion: Callable[[], tuple[sa.Select, dict[str, Any]]]) -> None:
    """How the batch revisions of `table_name` expand into one revision per created figure."""
    _CREATORS[table_name] = expansion


def creators() -> dict[str, Callable[[], tuple[sa.Select, dict[str, Any]]]]:
    for module in _IMPORTERS:
        importlib.import_module(module)
    return _CREATORS


def all_revisions(conditions: Callable[[dict[str, Any]], list[sa.ColumnElement[bool]]],
                  table_name: str | None = None, *, thin: bool = False) -> sa.Subquery:
    """Every revision (`REVISION_COLUMNS`), batch revisions expanded, under the conditions that `conditions` makes
    from the columns it is given (`id`, `figure_id`, `user_id`, `created_at`, `area_id`, `source`, `table_name`,
    `key`; `figure` too for a created figure's). `thin`: only id, figure and created_at, to order and count a
    million created figures without writing their keys and values."""
    parts = [rows for rows, _columns in _parts(conditions, table_name, thin)]
    return sa.union_all(*parts).subquery("revision_rows") if len(parts) > 1 else parts[0].subquery("revision_rows")


def _parts(conditions: Callable[[dict[str, Any]], list[sa.ColumnElement[bool]]], table_name: str | None,
           thin: bool) -> list[tuple[sa.Select, dict[str, Any]]]:
    """The stored revisions, then each table's created figures, with the columns that their conditions read."""
    stored = Revision.__table__
    shown = (*(stored.c[name] for name in REVISION_COLUMNS[2:3 if thin else None]),)
    columns = {**{column.name: column for column in stored.c}, "key": stored.c.record_key, "figure_id": literal(0)}
    parts = [(select(stored.c.id, literal(0).label("figure"), *shown)
              .where(stored.c.record_key != BATCH_KEY, *conditions(columns)), columns)]
    for name, expansion in creators().items():
        if table_name in (None, name):
            rows, columns = expansion()
            if thin:
                rows = rows.with_only_columns(columns["id"], columns["figure_id"], columns["created_at"],
                                              maintain_column_froms=True)
            parts.append((rows.where(*conditions(columns)), columns))
    return parts


def revision_page(conditions: Callable[[dict[str, Any]], list[sa.ColumnElement[bool]]], table_name: str | None,
                  limit: int, offset: int) -> tuple[int, list[Revision]]:
    """How many revisions meet the conditions, and those of one page, newest first, with only the page's own
    revisions written out.

    Newest first, a batch's created figures are one block (its revision's time and id, then the figures' ids,
    newest first): the page is laid out from each batch's count and the newest stored revisions, and each batch on
    it gives only its figures of the page, by their ids; ordering every created figure to find fifty took a second
    after a million-row import."""
    (stored, _columns), *created = _parts(conditions, table_name, thin=True)
    stored = stored.subquery()
    batches = []
    for rows, columns in created:
        counted = rows.with_only_columns(columns["created_at"], columns["id"], func.count(),
                                         maintain_column_froms=True).group_by(columns["created_at"], columns["id"])
        batches += [(*batch, (rows, columns)) for batch in db.session.execute(counted)]
    total = db.session.scalar(select(func.count()).select_from(stored)) + sum(batch[2] for batch in batches)
    # the stored revisions that may come before the page's end, read as the walk needs them
    newest = db.session.execute(
        select(stored.c.created_at, stored.c.id).order_by(stored.c.created_at.desc(), stored.c.id.desc())
        .limit(offset + limit).execution_options(yield_per=_STORED_CHUNK))
    stored_ids, picks, position = [], [], 0
    for _created_at, revision_id, size, part in heapq.merge(
            ((created_at, revision_id, 1, None) for created_at, revision_id in newest),
            sorted(batches, key=_block_order, reverse=True), key=_block_order, reverse=True):
        if position >= offset + limit:
            break
        start, stop = max(offset - position, 0), min(offset + limit - position, size)
        position += size
        if start < stop:
            picks.append((revision_id, start, stop, part))
    newest.close()
    by_batch = {}
    for revision_id, start, stop, part in picks:
        if part is None:
            stored_ids.append(revision_id)
            continue
        rows, columns = part
        by_batch[revision_id] = list(db.session.scalars(
            rows.with_only_columns(columns["figure_id"], maintain_column_froms=True)
            .where(columns["id"] == revision_id).order_by(columns["figure_id"].desc()).offset(start)
            .limit(stop - start)))
    if not stored_ids and not by_batch:
        return total, []

    def on_page(columns: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
        # a created figure is named by the pair (its batch's revision, its id), each batch with its own ids: figures
        # of two kinds may share an id, and a figure of one batch whose id is on the page for another is not on it
        if "figure" in columns:
            return [*conditions(columns), sa.or_(sa.false(), *(
                sa.and_(columns["id"] == batch_id, columns["figure_id"].in_(figure_ids))
                for batch_id, figure_ids in by_batch.items()))]
        return [*conditions(columns), columns["id"].in_(stored_ids)]

    rows = all_revisions(on_page, table_name)
    return total, revisions_from(db.session.execute(select(rows).order_by(*newest_first(rows))))


def _block_order(block: tuple) -> tuple:
    """Newest first by time, then by id: a stored revision, or a batch's created figures as one block."""
    return block[0], block[1]


def revisions_from(rows: Iterable[Any]) -> list[Revision]:
    """Revisions (not in the session) from rows of `all_revisions`, with their account, area and file."""
    revisions = []
    for row in rows:
        values = dict(zip(REVISION_COLUMNS, row, strict=True))
        values.pop("figure")
        revision = Revision(**values)
        revision.user = db.session.get(User, revision.user_id) if revision.user_id is not None else None
        revision.area = db.session.get(Area, revision.area_id) if revision.area_id is not None else None
        revision.batch = db.session.get(ImportBatch, revision.batch_id) if revision.batch_id is not None else None
        revisions.append(revision)
    return revisions


def newest_first(rows: sa.Subquery) -> tuple[sa.ColumnElement, ...]:
    return rows.c.created_at.desc(), rows.c.id.desc(), rows.c.figure.desc()


def keep_creations(table_name: str, figure_ids: Iterable[int] | sa.Select) -> None:
    """Before figures are deleted (or moved to another area): their import's batch revision is expanded from the
    figures themselves, so the creations of those about to go are written out as revisions of their own (with the
    value they were created with), and the history still shows where a deleted figure came from. `figure_ids` may
    be a query of them: as a list, an exporter's tens of thousands of sales would be as many bound parameters, past
    PostgreSQL's 65,535."""
    if not isinstance(figure_ids, sa.Select):
        figure_ids = list(figure_ids)
        if not figure_ids:
            return
    rows, columns = creators()[table_name]()
    kept = (rows.with_only_columns(*list(rows.selected_columns)[2:], maintain_column_froms=True)
            .where(columns["figure_id"].in_(figure_ids)))
    db.session.execute(insert(Revision).from_select(list(REVISION_COLUMNS[2:]), kept))


def history(table_name: str, key_prefix: str) -> list[Revision]:
    """The revisions of the figures whose key starts with the prefix (e.g. one area's month), newest first."""
    def conditions(columns: dict[str, Any]) -> list[sa.ColumnElement[bool]]:
        # a created figure's key is computed: the leading parts of the prefix find its figures by their columns
        found = columns["format"].key.prefix_conditions(key_prefix, columns["figure"]) if "figure" in columns else []
        return [columns["table_name"] == table_name, *found, columns["key"].startswith(key_prefix, autoescape=True)]

    rows = all_revisions(conditions, table_name)
    return revisions_from(db.session.execute(select(rows).order_by(*newest_first(rows))))


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

    def prefix_conditions(self, prefix: str, columns: Mapping[str, sa.ColumnElement]) -> list[sa.ColumnElement]:
        """Conditions on the named columns that a key starting with `prefix` meets: each leading value whose
        following literal part the prefix holds (e.g. "130001/2015-04/" gives area_code, year and month)."""
        conditions: list[sa.ColumnElement] = []
        rest, parts = prefix, self.parts
        for index, part in enumerate(parts):
            if isinstance(part, str):
                if not rest.startswith(part):
                    break
                rest = rest[len(part):]
                continue
            following = parts[index + 1] if index + 1 < len(parts) else None
            if not isinstance(part, Field) or not isinstance(following, str) or following not in rest:
                break
            text, rest = rest.split(following, 1)
            rest = following + rest
            column = columns[part.name]
            if isinstance(column.type, sa.Integer):
                if not (text.isdigit() and text.isascii()):
                    return [sa.false()]
                conditions.append(column == int(text))
            else:
                conditions.append(column == text)
        return conditions

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

