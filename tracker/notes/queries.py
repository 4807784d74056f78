"""Reads of notes as plain rows: for pages, charts, downloads, the API and the printable reports.

The reports call `area_notes` and `exporter_notes`; both return `NoteRow`s in month order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import aliased

from tracker.areas.queries import in_subtree
from tracker.extensions import db
from tracker.models import Area, Exporter, Note, User
from tracker.models.names import shown_name
from tracker.periods import Month

# the column a download of figures adds after the import layout's own, which every importer ignores
NOTE_COLUMN = "note"
NOTE_HEADER_JA = "備考"


@dataclass(frozen=True)
class NoteRow:
    """One note. `area_code` and the names are the note's area, or for an exporter's note its exporter's area;
    `exporter_id` and `exporter_name` (Japanese, as files name it) are None on an area's note. `author` is ""
    when the account is gone or the note came from the command line."""

    id: int
    month: Month
    text: str
    author: str
    created_at: datetime
    updated_at: datetime
    area_code: str
    area_name_ja: str
    area_name_en: str
    exporter_id: int | None = None
    exporter_name: str | None = None
    exporter_name_en: str = ""

    def subject(self, language: str) -> str:
        """What the note is on, as a reader names it: the exporter, or the area."""
        if self.exporter_name is not None:
            return shown_name(self.exporter_name, self.exporter_name_en, language)
        return shown_name(self.area_name_ja, self.area_name_en, language)

    def as_json(self) -> dict[str, Any]:
        """The API's row."""
        return {"id": self.id, "area_code": self.area_code, "month": str(self.month), "text": self.text,
                "author": self.author, "created_at": self.created_at.isoformat()}


def _rows(*conditions: ColumnElement[bool], first: Month | None, last: Month | None) -> list[NoteRow]:
    author, own_area, exporter_area = aliased(User), aliased(Area), aliased(Area)
    query: Select = (
        select(Note.id, Note.year, Note.month, Note.text, author.name, Note.created_at, Note.updated_at,
               own_area.code, own_area.name_ja, own_area.name_en, exporter_area.code, exporter_area.name_ja,
               exporter_area.name_en, Exporter.id, Exporter.name, Exporter.name_en)
        .outerjoin(author, author.id == Note.author_id)
        .outerjoin(own_area, own_area.id == Note.area_id)
        .outerjoin(Exporter, Exporter.id == Note.exporter_id)
        .outerjoin(exporter_area, exporter_area.id == Exporter.area_id)
        .where(*conditions)
        # codes are ASCII digits: the same order on every database, whatever its collation of names
        .order_by(Note.year, Note.month, func.coalesce(own_area.code, exporter_area.code), Note.exporter_id,
                  Note.created_at, Note.id)
    )
    if first is not None:
        query = query.where(Note.year * 12 + Note.month - 1 >= first.index)
    if last is not None:
        query = query.where(Note.year * 12 + Note.month - 1 <= last.index)
    rows = []
    for (note_id, year, month, text, name, created, updated, code, name_ja, name_en, exporter_code, exporter_ja,
         exporter_en, exporter_id, exporter_name, exporter_name_en) in db.session.execute(query):
        if code is None:
            code, name_ja, name_en = exporter_code, exporter_ja, exporter_en
        rows.append(NoteRow(note_id, Month(year, month), text, name or "", created, updated, code, name_ja,
                            name_en or "", exporter_id, exporter_name, exporter_name_en or ""))
    return rows


def area_notes(area: Area, first: Month | None = None, last: Month | None = None, *,
               include_subareas: bool = False) -> list[NoteRow]:
    """The notes on the area's months from `first` to `last` (inclusive, either open), with those on the months of
    the areas below it when `include_subareas`; exporters' notes are not among them."""
    where = in_subtree(Note.area_id, [area.id]) if include_subareas else Note.area_id == area.id
    return _rows(where, first=first, last=last)


def exporter_notes(exporter: Exporter, first: Month | None = None, last: Month | None = None) -> list[NoteRow]:
    """The notes on the exporter's months from `first` to `last` (inclusive, either open)."""
    return _rows(Note.exporter_id == exporter.id, first=first, last=last)


def exporters_notes(visible: ColumnElement[bool], first: Month | None = None, last: Month | None = None, *,
                    within: Area | None = None, include_subareas: bool = True) -> list[NoteRow]:
    """The notes of the exporters that `visible` (a condition on Exporter, such as
    `tracker.exports.queries.detail_visible`) admits, based in `within` (and the areas below it, unless
    `include_subareas` is False) when given."""
    conditions = [Note.exporter_id.isnot(None), visible]
    if within is not None and include_subareas and within.level != "nation":
        conditions.append(in_subtree(Exporter.area_id, [within.id]))
    elif within is not None and not include_subareas:
        conditions.append(Exporter.area_id == within.id)
    return _rows(*conditions, first=first, last=last)


def chart_notes(area: Area, first: Month, last: Month, language: str, *, include_subareas: bool,
                exporters_visible: ColumnElement[bool] | None = None) -> list[tuple[str, str, str]]:
    """The markers of a monthly chart of the area's figures: (month "YYYY-MM", what the note is on, its text).
    The notes of the area (and of the areas below, when the chart sums them), and for export figures those of
    the exporters `exporters_visible` admits there."""
    rows = area_notes(area, first, last, include_subareas=include_subareas)
    if exporters_visible is not None:
        rows += exporters_notes(exporters_visible, first, last, within=area, include_subareas=include_subareas)
    rows.sort(key=lambda row: (row.month, row.created_at, row.id))
    return [(str(row.month), row.subject(language), row.text) for row in rows]


def areas_notes(area_ids: Iterable[int] | None, first: Month | None, last: Month | None) -> list[NoteRow]:
    """The notes on the months of the listed areas, not of the areas below them (None: of every area)."""
    where = Note.area_id.in_(list(area_ids)) if area_ids is not None else Note.area_id.isnot(None)
    return _rows(where, first=first, last=last)


def note_rows(ids: Iterable[int]) -> list[NoteRow]:
    """The notes with these ids, as rows."""
    return _rows(Note.id.in_(list(ids)), first=None, last=None)


def by_area_month(rows: Iterable[NoteRow]) -> dict[tuple[str, str], list[NoteRow]]:
    """(area code, "YYYY-MM") -> the notes, as a table of areas by month looks them up."""
    grouped: dict[tuple[str, str], list[NoteRow]] = defaultdict(list)
    for row in rows:
        grouped[(row.area_code, str(row.month))].append(row)
    return dict(grouped)


def month_numbers(rows: Iterable[NoteRow]) -> dict[int, list[NoteRow]]:
    """month number (1-12) -> the notes, for a table of one year's months."""
    grouped: dict[int, list[NoteRow]] = defaultdict(list)
    for row in rows:
        grouped[row.month.month].append(row)
    return dict(grouped)


def asks_for_notes(args) -> bool:
    """A download's `notes=1`: the months' notes in a last column. Files without it stay exactly the import
    layout, for the programs that read columns by position from the end."""
    return args.get("notes", "") == "1"


def with_note_column(rows: Iterable[tuple], notes: Iterable[NoteRow], note_key, row_key) -> Iterator[tuple]:
    """The download's rows, each with the texts of its month's notes (oldest first, one per line) in a last
    column: `note_key(note)` and `row_key(row)` name the month the same way."""
    texts: dict[Any, list[str]] = defaultdict(list)
    for note in notes:
        texts[note_key(note)].append(note.text)
    joined = {key: "\n".join(parts) for key, parts in texts.items()}
    for row in rows:
        yield (*row, joined.get(row_key(row), ""))
