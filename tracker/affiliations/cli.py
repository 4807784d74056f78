"""The register's command: `tracker import affiliations FILE [--encoding ENC] [--as EMAIL]`."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from tracker import policy


@click.command("affiliations")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", default=None, help="Force the CSV encoding (utf-8, cp932).")
@click.option("--as", "as_email", default=None, metavar="EMAIL", help="Import with this account's rights.")
@with_appcontext
def import_affiliations_command(file, encoding, as_email):
    """Import sister-city and friendship ties (area_code,partner_name,partner_name_en,country,partner_level,kind,
    established[,ended,fields,note]); all or nothing."""
    from tracker.affiliations.importer import import_affiliations

    # the import commands' shared steps (read here, when the command runs: tracker.cli registers this command)
    from tracker.cli import _acting_user, _ByteProgress, _finish_import

    user = _acting_user(as_email, policy.can_add_affiliations, "affiliations")
    with open(file, "rb") as stream, _ByteProgress(file) as advance:
        result = import_affiliations(stream, os.path.basename(file), user, encoding=encoding, progress=advance)
    _finish_import(result)
