"""The `tracker` command: Flask's group around the factory, with the commands each feature declares in its cli.py."""

from __future__ import annotations

import click
from flask.cli import FlaskGroup
from sqlalchemy.exc import SQLAlchemyError

from tracker import create_app
from tracker.affiliations.cli import import_affiliations_command
from tracker.areas.cli import areas
from tracker.auth.cli import users
from tracker.backups.cli import backup_command, restore_command
from tracker.database import writing
from tracker.demo_cli import demo_command
from tracker.exports.cli import import_exports_command
from tracker.extensions import db
from tracker.imports.cli import import_group
from tracker.jobs.cli import worker_command
from tracker.notes.cli import import_notes_command
from tracker.visitors.cli import import_visitors_command


class TrackerGroup(FlaskGroup):
    """Turns failures into one clear line and a non-zero exit, never a traceback. Commands are writers."""

    def invoke(self, ctx: click.Context):
        try:
            with writing():
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except SQLAlchemyError as error:
            db.session.rollback()
            raise click.ClickException(f"database error: {_first_line(error)}") from None
        except (OSError, RuntimeError, ValueError) as error:
            raise click.ClickException(_first_line(error)) from None


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


main = TrackerGroup(create_app=lambda: create_app(), help="The inbound tourism and export tracker.")
for command in (users, areas, demo_command, import_group, worker_command, backup_command, restore_command):
    main.add_command(command)
# `tracker import NAME FILE`: one line per feature, whose cli.py declares the command with `file_import`
for command in (import_visitors_command, import_exports_command, import_affiliations_command,
                import_notes_command):
    import_group.add_command(command)
