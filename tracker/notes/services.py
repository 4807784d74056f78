"""Writes of notes: plain values in, the note (or a NoteError naming each bad field) out; every change a revision.

Notes are commentary, not figures: a month approved or locked for its figures still takes notes, since explaining
a spike after the fact is what they are for."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from tracker import policy
from tracker.database import lock_months
from tracker.extensions import db
from tracker.form_errors import FieldErrors
from tracker.formatting import month_label
from tracker.models import MAX_NOTE_LENGTH, Area, Exporter, Note, User
from tracker.models._types import utcnow
from tracker.periods import Month, current_month
from tracker.revisions import Change, Field, IfGiven, RevisionFormat, Template, keep_creations, record_changes

TABLE = "notes"
# "area/130001/2024-08/12" or "exporter/7/2024-08/13": one area's (or exporter's) month is one prefix of the history
REVISIONS = RevisionFormat(
    TABLE,
    key=Template((IfGiven("area_code", ("area/", Field("area_code"))),
                  IfGiven("exporter_id", ("exporter/", Field("exporter_id"))),
                  "/", Field("year", 4), "-", Field("month", 2), "/", Field("note_id"))),
    value=Template((Field("text"),)),
)


class NoteError(FieldErrors):
    """Refused: a message per field ("text", "month", or "seen" for a conflict)."""


class NoteGone(NoteError):
    """Someone deleted the note after the page showed it."""

    def __init__(self, message: str):
        super().__init__({"seen": message}, conflict=True)


def history_prefix(month: Month, *, area: Area | None = None, exporter: Exporter | None = None) -> str:
    """The revisions' key prefix of the notes on one area's or exporter's month."""
    subject = f"area/{area.code}" if area is not None else f"exporter/{exporter.id}"
    return f"{subject}/{month}/"


def add_note(user: User | None, month: Month, text: str, *, area: Area | None = None,
             exporter: Exporter | None = None, source: str = "form", today: date | None = None) -> Note:
    """A new note on an area's month or an exporter's month (exactly one of the two); `user` None is the command
    line, with admin rights. Flushes, never commits."""
    if (area is None) == (exporter is None):
        raise ValueError("a note is on an area's month or an exporter's month")
    if user is not None and not (policy.can_write_area_notes(user, area) if area is not None
                                 else policy.can_write_exporter_notes(user, exporter)):
        raise PermissionError(_("You may not write notes here."))
    cleaned = _checked(text, month, today)
    note = Note(area=area, exporter=exporter, year=month.year, month=month.month, text=cleaned,
                author_id=user.id if user is not None else None)
    db.session.add(note)
    db.session.flush()
    _record(note, None, cleaned, user, source)
    return note


def seen_stamp(note: Note) -> str:
    """The note's state as a form shows it: an edit or a deletion names the one it read, and is refused when the
    note changed since."""
    return note.updated_at.isoformat()


def edit_note(user: User | None, note: Note, text: str, *, seen: str | None = None, source: str = "form") -> Note:
    """The note with its text replaced (a revision only when the text changed)."""
    _may_write(user, note)
    _latest(note)
    _unchanged_since(note, seen)
    cleaned = _checked(text, Month(note.year, note.month), None, check_month=False)
    if cleaned != note.text:
        old = note.text
        note.text, note.updated_at = cleaned, utcnow()
        db.session.flush()
        _record(note, old, cleaned, user, source)
    return note


def delete_note(user: User | None, note: Note, *, seen: str | None = None, source: str = "form") -> None:
    _may_write(user, note)
    _latest(note)
    _unchanged_since(note, seen)
    if note.created_batch_id is not None:
        keep_creations(REVISIONS.table, [note.id])
    _record(note, note.text, None, user, source)
    db.session.delete(note)
    db.session.flush()


def _may_write(user: User | None, note: Note) -> None:
    if user is not None and not policy.can_write_note(user, note):
        raise PermissionError(_("You may not change this note."))


def _latest(note: Note) -> None:
    """Alone on the note's month from here on, holding the note as last saved: two edits from the same page both
    read the note before either wrote, and without the lock both would pass the check and the later one win."""
    lock_months("notes", [(note.year, note.month)])
    if db.session.scalar(select(Note.id).where(Note.id == note.id)) is None:
        raise NoteGone(_("Someone deleted this note since you opened it; nothing was saved."))
    db.session.refresh(note)


def _unchanged_since(note: Note, seen: str | None) -> None:
    if seen is not None and seen != seen_stamp(note):
        raise NoteError({"seen": _("Someone changed this note since you opened it; nothing was saved. Read it "
                                   "again and retry.")}, conflict=True)


def _checked(text: str | None, month: Month, today: date | None, *, check_month: bool = True) -> str:
    """The text as stored (line breaks made plain, outer whitespace gone), or a NoteError."""
    errors = {}
    cleaned = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        errors["text"] = _("Write the note.")
    elif len(cleaned) > MAX_NOTE_LENGTH:
        errors["text"] = _("Too long: at most %(most)d characters.", most=MAX_NOTE_LENGTH)
    if check_month and month > current_month(today):
        # a note explains figures, and a future month has none yet
        errors["month"] = _("%(month)s is in the future.", month=month_label(month.year, month.month))
    if errors:
        raise NoteError(errors)
    return cleaned


def _record(note: Note, old: str | None, new: str | None, user: User | None, source: str) -> None:
    key = REVISIONS.key_text(area_code=note.area.code if note.area is not None else None,
                             exporter_id=note.exporter_id, year=note.year, month=note.month, note_id=note.id)
    change = Change(key, REVISIONS.value_text(text=old), REVISIONS.value_text(text=new))
    record_changes(TABLE, [change], source=source, user_id=user.id if user is not None else None,
                   area_id=note.home_area.id)
