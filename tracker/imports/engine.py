"""The engine under every figure import: a feature describes its figures, the engine checks and writes them.

A feature's importer subclasses `FigureImporter` and states, as class attributes, its file columns (`required`,
`optional`, `aliases`), its `staging_columns` and `key`, the target `table` and its `values`, the column that
scopes the reporting locks (`scope_column`), the `lookups` its revision key needs and its `revisions` format;
it writes `parse` (one row's checks, with `check_month` for the year and month). The engine gives the pipeline
(`tracker.imports.pipeline`) the rest: the locked-month check, and the set-based apply that locks the months,
counts created, updated and unchanged figures, writes them, and refreshes statistics and rollups. An updated
figure gets its own revision (old -> new); the created ones get one revision for the batch, and each names its
batch (`created_batch_id`): `created_revisions` expands that revision into one per figure for the history and the
audit (`tracker.revisions.all_revisions`), since a revision row per created figure cost more than the rest of a
large import.

A register that is not monthly (the affiliations) uses the same apply: it overrides `lock` and `check` and has no
`refresh_rollups`. Records that are added and never overwritten (the notes) set `append`: a staged row that matches
a stored one (`same_key`) is unchanged, any other is created, none is updated.

The revision's key and value come from the feature's `tracker.revisions.RevisionFormat`, the same one its
entry form records with.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, ClassVar

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, literal, or_, select

from tracker.database import lock_months
from tracker.extensions import db
from tracker.formatting import month_label
from tracker.imports.batches import Batch
from tracker.imports.cells import whole
from tracker.imports.pipeline import Applied, Issue, refresh_statistics
from tracker.models import ImportBatch, Revision, User
from tracker.models._types import Timestamp, utcnow
from tracker.periods import FIRST_YEAR, Month, current_month
from tracker.reporting.locks import locked_lines
from tracker.revisions import BATCH_KEY, RevisionFormat, register_creator


class FigureImporter:
    """The shared part of a figure import (see the module docstring); subclasses describe, this class acts."""

    kind: ClassVar[str]  # also the metric of the month locks and of the reporting locks
    required: ClassVar[tuple[str, ...]]
    optional: ClassVar[tuple[str, ...]]
    aliases: ClassVar[dict[str, str]]
    staging_columns: ClassVar[tuple[tuple[Any, ...], ...]]
    key: ClassVar[tuple[str, ...]]
    table: ClassVar[sa.Table]
    values: ClassVar[tuple[str, ...]]
    scope_column: ClassVar[str]
    # key names taken from another table by a staging id: name -> (that table's column, staging id column); the
    # revision's area is the staging column `area_id` or a lookup of that name
    lookups: ClassVar[dict[str, tuple[sa.Column, str]]] = {}
    revisions: ClassVar[RevisionFormat]
    # records that are added and never overwritten (notes): a staged row that matches a stored one is unchanged,
    # any other is new; nothing is updated
    append: ClassVar[bool] = False
    # a staticmethod given the (year, month) pairs written; None for records without monthly rollups (a registry)
    refresh_rollups: ClassVar[Callable[[Iterable[tuple[int, int]]], None] | None] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        register_creator(cls.revisions.table, cls.created_revisions)

    def __init__(self, user: User | None, source: str = "import", today: date | None = None):
        """`user` None is the command line's admin rights."""
        self.user = user
        self.source = source
        self.latest = current_month(today)
        self._good_months: set[tuple[int, int]] = set()
        # the year and month cells (as written) of rows that passed, and what they gave
        self._good_year_months: dict[tuple[str, str], tuple[int, int]] = {}

    def check_month(self, line: int, year: int | None, month: int | None, issues: list[Issue]) -> None:
        """A month from 1 to 12 of a year from FIRST_YEAR, not in the future (a month found good is not checked
        again: a large file repeats a few months on every line)."""
        if (year, month) in self._good_months:
            return
        if month is not None and not 1 <= month <= 12:
            issues.append(Issue(line, "month", _("The month must be from 1 to 12, not %(month)d.", month=month)))
        elif year is not None and year < FIRST_YEAR:
            issues.append(Issue(line, "year", _("The year %(year)d is out of range.", year=year)))
        elif year is not None and month is not None and Month(year, month) > self.latest:
            issues.append(Issue(line, "month", _("%(month)s is in the future.", month=month_label(year, month))))
        elif year is not None and month is not None:
            self._good_months.add((year, month))

    def parse_batch(self, batch: Batch, add_error: Callable[[Issue], None]) -> list[tuple]:
        """The staging rows of a batch: those `batch_rows` found a column at a time, or, when it found none (a cell
        did not pass), each row parsed on its own, which says why or finds the row good after all (a cell written
        otherwise than the fast checks take)."""
        rows = self.batch_rows(batch)
        return rows if rows is not None else self.parse_rows(batch.rows(), add_error)

    def batch_rows(self, batch: Batch) -> list[tuple] | None:
        """A feature's checks of a batch a column at a time (see `known`), or None where the batch takes the row
        checks: always, unless the feature says otherwise."""
        return None

    def parse_rows(self, rows: Iterable[tuple[int, dict[str, str]]], add_error: Callable[[Issue], None]
                   ) -> list[tuple]:
        staged = []
        for line, row in rows:
            parsed = self.parse(line, row)
            if isinstance(parsed, list):
                for issue in parsed:
                    add_error(issue)
            else:
                staged.append((line, *parsed))
        return staged

    @staticmethod
    def staged(batch: Batch, values: list[Sequence], checked: Iterable[Sequence] | None = None) -> list[tuple] | None:
        """The staging rows of a batch from its columns' `values`, or None when a cell did not pass: a None in
        `checked` (the values, unless a column may hold NULLs)."""
        if any(None in column for column in (values if checked is None else checked)):
            return None
        return list(zip(batch.lines, *values, strict=True))

    def years_and_months(self, batch: Batch) -> tuple[Sequence[int | None], Sequence[int | None]]:
        """The years and months of a batch's rows, each distinct pair of cells checked once (`check_month`); None
        where they do not pass."""
        pairs = self.known(list(zip(batch.columns["year"], batch.columns["month"], strict=True)),
                           self._good_year_months, self._year_month)
        if None not in pairs:
            return tuple(zip(*pairs, strict=True)) if pairs else ((), ())
        return [pair and pair[0] for pair in pairs], [pair and pair[1] for pair in pairs]

    def _year_month(self, cells: tuple[str, str]) -> tuple[int, int] | None:
        issues: list[Issue] = []
        year, month = whole(0, "year", cells[0], issues), whole(0, "month", cells[1], issues)
        self.check_month(0, year, month, issues)
        return None if issues else (year, month)

    @staticmethod
    def known(cells: Sequence[Hashable], good: dict, check: Callable[[Any], Any]) -> list:
        """What each cell gives, checking each distinct cell once: `good` remembers the cells that passed (what
        they give), `check` gives a cell's value or None; None where it did not pass."""
        values = list(map(good.get, cells))
        if None not in values:
            return values
        for cell in dict.fromkeys(cell for cell, value in zip(cells, values, strict=True) if value is None):
            if (value := check(cell)) is not None:
                good[cell] = value
        return list(map(good.get, cells))

    def check(self, staging: sa.Table) -> Iterator[Issue]:
        """Months approved and locked refuse the whole file."""
        return locked_lines(self.kind, staging, self.scope_column)

    def warnings(self, staging: sa.Table) -> tuple[list[Issue], int]:
        return [], 0

    def before_apply(self, staging: sa.Table) -> None:
        """A feature's own writes before the figures (e.g. what the file names for the first time)."""

    def revision_note(self, staging: sa.Table, target: sa.Table) -> sa.ColumnElement:
        """The note of each revision, from the staging row and the stored figure (NULLs when new)."""
        return literal("")

    def lock(self, staging: sa.Table) -> list[tuple[int, int]]:
        """Alone on what the file writes until the commit: the months of its figures, which it returns (a registry
        keyed otherwise, say, takes its `lock_registry` instead and returns no months)."""
        months = db.session.execute(select(staging.c.year, staging.c.month).distinct()).all()
        lock_months(self.kind, months)
        return months

    def same_key(self, staging: sa.Table, other) -> sa.ColumnElement[bool]:
        return and_(*(other.c[name] == staging.c[name] for name in self.key))

    def stamp(self, user_id: int | None, now: sa.ColumnElement) -> dict[str, sa.ColumnElement]:
        """The bookkeeping columns of a created figure besides its key and values."""
        return {"version": literal(1), "updated_by_id": literal(user_id, sa.Integer), "updated_at": now}

    def apply(self, staging: sa.Table, batch: ImportBatch) -> Applied:
        self.before_apply(staging)
        file_months = self.lock(staging)
        target = self.table
        user_id = self.user.id if self.user is not None else None
        moment = utcnow()
        now = literal(moment, Timestamp)
        if self.append:  # a staged row may match several stored ones: it is new when it matches none
            existing, is_new, differs = staging, ~sa.exists().where(self.same_key(staging, target)), literal(False)
        else:
            existing = staging.outerjoin(target, self.same_key(staging, target))
            is_new = target.c.id.is_(None)
            differs = or_(*(target.c[name].is_distinct_from(staging.c[name]) if staging.c[name].nullable
                            else target.c[name] != staging.c[name] for name in self.values))
        created, updated, total = db.session.execute(
            select(func.coalesce(func.sum(case((is_new, 1), else_=0)), 0),
                   func.coalesce(func.sum(case((and_(~is_new, differs), 1), else_=0)), 0), func.count())
            .select_from(existing)
        ).one()
        if created or updated:
            # read before the writes below (`differs` compares with the stored values); each pass below joins every
            # staged row to the table, so one that has nothing to do is left out
            months = [] if self.refresh_rollups is None else file_months if created + updated == total else (
                db.session.execute(
                    select(staging.c.year, staging.c.month).select_from(existing).where(or_(is_new, differs))
                    .distinct()).all())
            if updated:
                self._record(staging, existing, and_(~is_new, differs), batch, user_id, now)
                db.session.execute(
                    sa.update(target).where(self.same_key(staging, target), differs)
                    .values(**{name: staging.c[name] for name in self.values}, version=target.c.version + 1,
                            updated_by_id=literal(user_id, sa.Integer), updated_at=now))
            if created:
                self._create(staging, existing, is_new, created == total, batch, user_id, moment)
            refresh_statistics(target, created + updated)
            if self.refresh_rollups is not None:
                self.refresh_rollups((year, month) for year, month in months)
        return Applied(created=created, updated=updated, unchanged=total - created - updated)

    def _create(self, staging, existing, is_new, all_new: bool, batch: ImportBatch, user_id: int | None,
                moment) -> None:
        """Insert the new figures, each naming the batch, and the batch's one revision that stands for all of them
        (`created_revisions` expands it for the history and the audit)."""
        stamp = {**self.stamp(user_id, literal(moment, Timestamp)), "created_batch_id": literal(batch.id)}
        written = (*(name for name in self.key if name in self.table.c), *self.values)
        new_rows = select(*(staging.c[name] for name in written), *stamp.values())
        # when every staged row is new (a first import) they are all inserted without looking them up
        new_rows = new_rows if all_new else new_rows.select_from(existing).where(is_new)
        if self.append:  # ids in the file's order: the order in which the notes were written
            new_rows = new_rows.order_by(staging.c.line)
        db.session.execute(sa.insert(self.table).from_select([*written, *stamp], new_rows))
        db.session.add(Revision(table_name=self.revisions.table, record_key=BATCH_KEY, old_value=None,
                                new_value=None, note="", source=self.source, user_id=user_id, batch_id=batch.id,
                                area_id=None, created_at=moment))
        db.session.flush()

    def _record(self, staging, existing, changed, batch: ImportBatch, user_id: int | None, now) -> None:
        """One revision per changed figure (old -> new), written by the database from the staging rows."""
        target = self.table
        columns: dict[str, sa.ColumnElement] = {column.name: column for column in staging.columns}
        joined = existing
        for name, (column, by) in self.lookups.items():
            other = column.table.alias(f"{name}_lookup")
            joined = joined.join(other, other.c.id == staging.c[by])
            columns[name] = other.c[column.name]
        value = self.revisions.value
        old = value.sql({name: target.c[name] for name in self.values})
        rows = (
            select(literal(self.revisions.table), self.revisions.key.sql(columns), old, value.sql(columns),
                   self.revision_note(staging, target), literal(self.source), literal(user_id, sa.Integer),
                   literal(batch.id), columns["area_id"], now)
            .select_from(joined)
            .where(changed)
        )
        db.session.execute(sa.insert(Revision).from_select(
            ["table_name", "record_key", "old_value", "new_value", "note", "source", "user_id", "batch_id",
             "area_id", "created_at"], rows))

    @classmethod
    def figure_columns(cls, figure: sa.Table) -> dict[str, sa.ColumnElement]:
        """The names the revision format reads, from a stored figure (the staging names are the table's)."""
        return {column.name: column for column in figure.columns}

    @classmethod
    def created_note(cls, figure: sa.Table, later: sa.Table, after: sa.ColumnElement[bool]) -> sa.ColumnElement:
        """The note a created figure's revision reads (`later` are revisions, `after` picks the figure's later
        ones)."""
        return literal("", sa.Text)

    @classmethod
    def created_revisions(cls) -> tuple[sa.Select, dict[str, sa.ColumnElement]]:
        """One revision row per figure that an import created (`tracker.revisions.REVISION_COLUMNS`, from the
        batch's one revision and the figure), and the columns to filter them by. The created value is the one the
        figure's first later revision changed (its `old_value`), or the figure's value when none did."""
        figure, revisions = cls.table, Revision.__table__
        batch_revision = revisions.alias("batch_revision")
        later = revisions.alias("later")
        columns = cls.figure_columns(figure)
        joined = batch_revision.join(figure, figure.c.created_batch_id == batch_revision.c.batch_id)
        for name, (column, by) in cls.lookups.items():
            other = column.table.alias(f"{name}_lookup")
            joined = joined.join(other, other.c.id == figure.c[by])
            columns[name] = other.c[column.name]
        key = cls.revisions.key.sql(columns)
        after = and_(later.c.table_name == cls.revisions.table, later.c.record_key == key,
                     later.c.id > batch_revision.c.id)
        first_change = select(later.c.old_value).where(after).order_by(later.c.id).limit(1).scalar_subquery()
        value = func.coalesce(first_change, cls.revisions.value.sql(columns))
        rows = (
            select(batch_revision.c.id, figure.c.id, batch_revision.c.created_at, batch_revision.c.user_id,
                   batch_revision.c.table_name, key, columns["area_id"], literal(None, sa.Text), value,
                   batch_revision.c.source, batch_revision.c.batch_id,
                   cls.created_note(figure, later, after))
            .select_from(joined)
            .where(batch_revision.c.table_name == cls.revisions.table, batch_revision.c.record_key == BATCH_KEY)
        )
        filters = {"id": batch_revision.c.id, "figure_id": figure.c.id, "key": key, "area_id": columns["area_id"],
                   "user_id": batch_revision.c.user_id,
                   "created_at": batch_revision.c.created_at, "source": batch_revision.c.source,
                   "table_name": batch_revision.c.table_name, "figure": columns, "format": cls.revisions}
        return rows, filters
