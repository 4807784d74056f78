"""`tracker import notes FILE`."""

from __future__ import annotations

from tracker import policy
from tracker.imports.cli import file_import
from tracker.notes.importer import import_notes


@file_import("notes", policy.writes_area_notes, "notes")
def import_notes_command(stream, filename, user, **options):
    """Import notes on areas' months (area_code,year,month,note); all or nothing, a note already there is kept."""
    return import_notes(stream, filename, user, **options), ()
