"""Notes on the figures over the API: read by the readers of the figures, written by who writes them."""

from __future__ import annotations

from datetime import datetime

from flask import jsonify
from flask_babel import gettext as _
from flask_login import current_user
from pydantic import BaseModel, ConfigDict, Field

from tracker import policy
from tracker.api.blueprint import bp
from tracker.api.contract import endpoint
from tracker.api.errors import invalid, refused
from tracker.api.fields import AreaCode, OptionalMonth, RequiredMonth, left_out
from tracker.extensions import db
from tracker.notes.queries import area_notes, note_rows
from tracker.notes.services import NoteError, add_note


class NotesQuery(BaseModel):
    area: AreaCode
    first: OptionalMonth = left_out("The first month, YYYY-MM.", alias="from")
    last: OptionalMonth = left_out("The last month, YYYY-MM.", alias="to")
    include_subareas: bool = Field(False, description="The notes of the areas below too (never an exporter's).")


class NoteBody(BaseModel):
    """A note on an area's month."""

    model_config = ConfigDict(strict=True, extra="forbid")

    area: AreaCode
    month: RequiredMonth
    text: str = Field(description="In either language; outer whitespace is dropped.")


class NoteOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int
    area_code: str
    month: str = Field(examples=["2024-08"])
    text: str
    author: str = Field(description="Empty when the account is gone or the note came from the command line.")
    created_at: datetime


class NoteList(BaseModel):
    rows: list[NoteOut] = Field(description="In month order.")


@bp.get("/notes")
@endpoint(tags=["notes"], allow=policy.can_read_area_notes, query=NotesQuery, ok={200: NoteList})
def list_notes(query: NotesQuery):
    """The notes on an area's months, between two months when given."""
    if query.first and query.last and query.first > query.last:
        raise invalid({"to": _("The last month comes before the first.")})
    rows = area_notes(query.area, query.first, query.last, include_subareas=query.include_subareas)
    return jsonify(rows=[row.as_json() for row in rows])


@bp.post("/notes")
@endpoint(tags=["notes"], allow=policy.writes_area_notes, json=NoteBody, ok={201: NoteOut})
def post_note(json: NoteBody):
    """Add a note to a month of an area the account writes the figures of."""
    if not policy.can_write_area_notes(current_user, json.area):
        raise refused(403, _("You may not write notes on this area's months."), field="area")
    try:
        note = add_note(current_user, json.month, json.text, area=json.area, source="api")
    except NoteError as error:
        db.session.rollback()
        raise invalid(error.errors) from None
    db.session.commit()
    response = jsonify(note_rows([note.id])[0].as_json())
    response.status_code = 201
    return response
