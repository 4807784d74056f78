"""`tracker backup PATH` and `tracker restore PATH`."""

from __future__ import annotations

import os

import click
from flask.cli import with_appcontext

from tracker.backups.services import BackupError, backup, restore


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path: str) -> None:
    """Write a consistent copy of the database to PATH while the app runs (SQLite file, or pg_dump's format)."""
    try:
        backup(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up to {path} ({os.path.getsize(path)} bytes)")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="Replace everything in the database with the backup?")
@with_appcontext
def restore_command(path: str) -> None:
    """Check the backup at PATH (whole, the tracker's tables at this version's schema), then put it back."""
    try:
        restored = restore(path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored {path} (schema revision {restored.revision})")
