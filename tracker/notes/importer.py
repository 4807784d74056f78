"""Notes on areas' months from a file, `area_code,year,month,note`, through the shared import pipeline: every line
checked (code, month, text, the user's areas) before any is written, all of the file or none of it.

Notes are added, never replaced: a line whose note the area's month already holds, word for word, is unchanged,
so a file imported twice adds nothing the second time."""

from __future__ import annotations

import hashlib
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import and_, literal, select

from tracker import policy
from tracker.areas.queries import in_subtree
from tracker.extensions import db
from tracker.imports.cells import area_code, whole
from tracker.imports.engine import FigureImporter
from tracker.imports.pipeline import ImportResult, Issue, ProgressCallback, run_import
from tracker.models import MAX_NOTE_LENGTH, Area, Note, User
from tracker.notes.queries import NOTE_COLUMN, NOTE_HEADER_JA
from tracker.notes.services import REVISIONS

COLUMNS = ("area_code", "year", "month", NOTE_COLUMN)
JAPANESE_HEADERS = {"area_code": "団体コード", "year": "年", "month": "月", NOTE_COLUMN: NOTE_HEADER_JA}


class NoteImporter(FigureImporter):
    """The engine in append mode: notes are added, never overwritten, and a note already there is unchanged.
    Approved months take notes too, as on the pages."""

    kind = "notes"
    required = COLUMNS
    optional = ()
    aliases = {japanese: name for name, japanese in JAPANESE_HEADERS.items()}
    # `note` holds the text's SHA-256: the duplicate check indexes the key, and a 2,000-character text is too
    # long for a PostgreSQL index entry
    staging_columns = (("area_id", sa.Integer), ("year", sa.Integer), ("month", sa.Integer),
                       ("note", sa.String(64)), ("text", sa.Text))
    key = ("area_id", "year", "month", "note")
    table = Note.__table__
    values = ("text",)
    scope_column = "area_id"
    lookups = {"area_code": (Area.__table__.c.code, "area_id")}
    revisions = REVISIONS
    append = True

    def __init__(self, user: User | None, source: str = "import", today: date | None = None):
        """`user` None is the command line's admin rights."""
        super().__init__(user, source, today)
        self._areas = dict(db.session.execute(select(Area.code, Area.id)).all())
        roots = policy.visitor_write_roots(user)  # notes on an area's months: who writes its figures
        self._writable = None if roots is None else set(db.session.scalars(
            select(Area.id).where(in_subtree(Area.id, sorted(roots)))))

    def parse(self, line: int, row: dict[str, str]) -> tuple | list[Issue]:
        issues: list[Issue] = []
        area_id = self._area(line, row["area_code"], issues)
        year = whole(line, "year", row["year"], issues)
        month = whole(line, "month", row["month"], issues)
        self.check_month(line, year, month, issues)
        text = row[NOTE_COLUMN].replace("\r\n", "\n").replace("\r", "\n").strip()
        if not text:
            issues.append(Issue(line, NOTE_COLUMN, _("Write the note.")))
        elif len(text) > MAX_NOTE_LENGTH:
            issues.append(Issue(line, NOTE_COLUMN, _("Too long: at most %(most)d characters.", most=MAX_NOTE_LENGTH)))
        if issues:
            return issues
        return area_id, year, month, hashlib.sha256(text.encode()).hexdigest(), text

    def _area(self, line: int, text: str, issues: list[Issue]) -> int | None:
        code, message = area_code(text, self._areas.__contains__)
        area_id = self._areas.get(code) if code is not None else None
        if code is not None and area_id is None:
            message = _("Unknown area: %(code)s.", code=code)
        elif area_id is not None and self._writable is not None and area_id not in self._writable:
            area_id, message = None, _("The area %(code)s is outside your areas.", code=code)
        if message:
            issues.append(Issue(line, "area_code", message))
        return area_id

    def check(self, staging: sa.Table) -> list[Issue]:
        return []

    def same_key(self, staging: sa.Table, other) -> sa.ColumnElement[bool]:
        """A note is the same when its area's month holds its text word for word."""
        return and_(other.c.area_id == staging.c.area_id, other.c.year == staging.c.year,
                    other.c.month == staging.c.month, other.c.text == staging.c.text)

    def stamp(self, user_id: int | None, now: sa.ColumnElement) -> dict[str, sa.ColumnElement]:
        return {"author_id": literal(user_id, sa.Integer), "created_at": now, "updated_at": now}

    @classmethod
    def figure_columns(cls, figure: sa.Table) -> dict[str, sa.ColumnElement]:
        """The pages key a note by its id."""
        return {**super().figure_columns(figure), "note_id": figure.c.id}


def import_notes(stream, filename: str, user: User | None, *, encoding: str | None = None, source: str = "import",
                 progress: ProgressCallback | None = None) -> ImportResult:
    """Run the pipeline on a notes file; the caller commits when `result.ok`, else rolls back."""
    return run_import(NoteImporter(user, source=source), stream, filename,
                      user_id=user.id if user is not None else None, encoding=encoding, progress=progress)
