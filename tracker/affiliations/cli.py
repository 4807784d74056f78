"""`tracker import affiliations FILE`."""

from __future__ import annotations

from tracker import policy
from tracker.affiliations.importer import import_affiliations
from tracker.imports.cli import file_import


@file_import("affiliations", policy.can_add_affiliations, "affiliations")
def import_affiliations_command(stream, filename, user, **options):
    """Import sister-city and friendship ties (area_code,partner_name,partner_name_en,country,partner_level,kind,
    established[,ended,fields,note]); all or nothing."""
    return import_affiliations(stream, filename, user, **options), ()
