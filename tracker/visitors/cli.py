"""`tracker import visitors FILE`."""

from __future__ import annotations

from tracker import policy
from tracker.imports.cli import file_import
from tracker.visitors.importer import import_visitors


@file_import("visitors", policy.can_import_visitors, "visitor figures")
def import_visitors_command(stream, filename, user, **options):
    """Import monthly visitor figures (area_code,year,month,market,visitors[,status]); all or nothing."""
    return import_visitors(stream, filename, user, **options), ()
