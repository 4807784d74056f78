"""Notes on the figures over the API: read by the readers of the figures, written by who writes them.

Errors are `{"errors": [{"field": ..., "message": ...}]}`: `field` names the query argument or JSON field at fault,
or is None for the request as a whole."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.api.blueprint import bp
from tracker.areas.queries import area_by_code
from tracker.extensions import db
from tracker.notes.queries import area_notes, note_rows
from tracker.notes.services import NoteError, add_note
from tracker.periods import Month

FIELDS = ("area", "month", "text")


@bp.get("/notes")
def list_notes():
    if not policy.can_read_area_notes(current_user):
        return _errors(403, (None, _("You may not read notes.")))
    args = request.args
    if not args.get("area", "").strip():
        return _errors(400, ("area", _("Required: an area code.")))
    problems, months = [], {}
    for name in ("from", "to"):
        try:
            months[name] = Month.parse(args[name]) if args.get(name, "").strip() else None
        except ValueError:
            problems.append((name, _("A month written YYYY-MM.")))
    if not problems and months["from"] and months["to"] and months["from"] > months["to"]:
        problems.append(("to", _("The last month comes before the first.")))
    if problems:
        return _errors(400, *problems)
    area = area_by_code(args["area"])
    if area is None:
        return _errors(404, ("area", _("Unknown area: %(code)s.", code=args["area"])))
    include_subareas = args.get("include_subareas", "0").strip().lower() in ("1", "true", "yes")
    rows = area_notes(area, months["from"], months["to"], include_subareas=include_subareas)
    return jsonify(rows=[row.as_json() for row in rows])


@bp.post("/notes")
def post_note():
    if not policy.writes_area_notes(current_user):
        return _errors(403, (None, _("You may not write notes.")))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _errors(400, (None, _("Send a JSON object with the fields area, month and text.")))
    problems = [(name, _("Required.")) for name in FIELDS if body.get(name) is None]
    problems += [(name, _("Must be %(kind)s.", kind=_("text"))) for name in FIELDS
                 if body.get(name) is not None and not isinstance(body[name], str)]
    problems += [(name, _("Unknown field.")) for name in sorted(set(body) - set(FIELDS))]
    if problems:
        return _errors(400, *problems)
    try:
        month = Month.parse(body["month"])
    except ValueError:
        return _errors(400, ("month", _("A month written YYYY-MM.")))
    area = area_by_code(body["area"])
    if area is None:
        return _errors(404, ("area", _("Unknown area: %(code)s.", code=body["area"])))
    if not policy.can_write_area_notes(current_user, area):
        return _errors(403, ("area", _("You may not write notes on this area's months.")))
    try:
        note = add_note(current_user, month, body["text"], area=area, source="api")
    except NoteError as error:
        db.session.rollback()
        return _errors(422, *error.errors.items())
    db.session.commit()
    return jsonify(note_rows([note.id])[0].as_json()), 201


def _errors(status: int, *problems: tuple[str | None, str]):
    return jsonify(errors=[{"field": field, "message": message} for field, message in problems]), status
