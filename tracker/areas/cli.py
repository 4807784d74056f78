"""`tracker areas import FILE`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from tracker.areas.services import AreaImportError, import_areas
from tracker.extensions import db


@click.group()
def areas():
    """Manage areas."""


@areas.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", default=None, help="Force the CSV encoding (utf-8, cp932).")
@with_appcontext
def import_areas_command(file, encoding):
    """Import municipalities from the list of local-government codes (CSV or the Ministry's xlsx)."""
    try:
        with open(file, "rb") as stream:
            result = import_areas(stream, file, encoding=encoding)
    except AreaImportError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")
