"""The `tracker` command: Flask's group around the factory, with the tracker's own commands."""

from __future__ import annotations

import os
import sys

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from tracker import create_app, policy
from tracker.backups.cli import backup_command, restore_command
from tracker.database import writing
from tracker.extensions import db
from tracker.jobs.cli import worker_command
from tracker.models import ROLES


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
for command in (worker_command, backup_command, restore_command):
    main.add_command(command)


@main.group()
def users():
    """Manage accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--area", "areas", multiple=True, metavar="CODE", help="An area an officer reports for (repeatable).")
@click.option("--exporter", "exporter_name", metavar="NAME", help="The exporter of an exporter account.")
@click.option("--name", default="", help="Display name (defaults to the part of the email before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@with_appcontext
def create_user_command(email, role, areas, exporter_name, name, password_stdin):
    """Create an account; the password is prompted for unless --password-stdin."""
    from tracker.auth.services import AccountError, create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(email, password, role, name=name, area_codes=areas, exporter_name=exporter_name)
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {user.role} {user.email}")


@users.command("token")
@click.argument("email")
@with_appcontext
def token_command(email):
    """Issue a new API token; it is printed once, alone on the last line."""
    from tracker.auth.services import find_user, issue_token

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    lifetime = current_app.config["TRACKER_TOKEN_LIFETIME"]
    token = issue_token(user, lifetime)
    db.session.commit()
    click.echo(f"API token for {user.email}, valid for {lifetime.days} days (shown once; store it now):")
    click.echo(token)


@main.group()
def areas():
    """Manage areas."""


@areas.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", default=None, help="Force the CSV encoding (utf-8, cp932).")
@with_appcontext
def import_areas_command(file, encoding):
    """Import municipalities from the list of local-government codes (CSV or the Ministry's xlsx)."""
    from tracker.areas.services import AreaImportError, import_areas

    try:
        with open(file, "rb") as stream:
            result = import_areas(stream, file, encoding=encoding)
    except AreaImportError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}")


@main.command("demo")
@with_appcontext
def demo_command():
    """Load the demo data and demo accounts (once: a second run changes nothing)."""
    from tracker.demo import load_demo

    result = load_demo()
    db.session.commit()
    if result.loaded:
        click.echo("demo data loaded")
    else:
        click.echo("demo data already present: nothing changed")
    for account in result.accounts:
        click.echo(f"  {account.role:<9} {account.email:<28} password: {account.password}")


@main.group("import")
def import_group():
    """Import figures from CSV or xlsx files."""


@import_group.command("visitors")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", default=None, help="Force the CSV encoding (utf-8, cp932).")
@click.option("--as", "as_email", default=None, metavar="EMAIL", help="Import with this account's rights.")
@with_appcontext
def import_visitors_command(file, encoding, as_email):
    """Import monthly visitor figures (area_code,year,month,market,visitors[,status]); all or nothing."""
    from tracker.visitors.importer import import_visitors

    user = _acting_user(as_email, policy.can_import_visitors, "visitor figures")
    with open(file, "rb") as stream, _ByteProgress(file) as advance:
        result = import_visitors(stream, os.path.basename(file), user, encoding=encoding, progress=advance)
    _finish_import(result)


@import_group.command("exports")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", default=None, help="Force the CSV encoding (utf-8, cp932).")
@click.option("--as", "as_email", default=None, metavar="EMAIL", help="Import with this account's rights.")
@with_appcontext
def import_exports_command(file, encoding, as_email):
    """Import export sales (exporter,area_code,year,month,product,hs_code,destination,quantity,unit,value_jpy)."""
    from tracker.exports.importer import import_exports

    user = _acting_user(as_email, policy.can_import_exports, "export sales")
    with open(file, "rb") as stream, _ByteProgress(file) as advance:
        result, importer = import_exports(stream, os.path.basename(file), user, encoding=encoding, progress=advance)
    if result.ok:
        for name in importer.created_exporters:
            click.echo(f"new exporter: {name}")
        for exporter, product in importer.created_products:
            click.echo(f"new product: {exporter} / {product}")
    _finish_import(result)


def _acting_user(email: str | None, may_import, what: str):
    """None (admin rights) unless --as names an account, which must be allowed to import what the file holds:
    the same check as the upload page and the API."""
    from tracker.auth.services import find_user

    if email is None:
        return None
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    if not may_import(user):
        raise click.ClickException(f"{email} ({user.role}) may not import {what}: nothing was imported")
    return user


class _ByteProgress:
    """A progress bar over the bytes of the file, advanced by the pipeline's progress callback."""

    def __init__(self, path: str):
        self._bar = click.progressbar(length=os.path.getsize(path), label="importing", file=sys.stderr)
        self._done = 0

    def __enter__(self):
        self._bar.__enter__()
        return self.advance

    def advance(self, done: int, total: int | None) -> None:
        self._bar.update(max(0, done - self._done))
        self._done = max(self._done, done)

    def __exit__(self, *exc_info) -> None:
        self._bar.__exit__(*exc_info)


_WARNINGS_SHOWN = 50


def _finish_import(result) -> None:
    """Commit a clean file and print its counts; print every error and exit 1 otherwise."""
    if not result.ok:
        db.session.rollback()
        for issue in result.errors:
            click.echo(str(issue), err=True)
        if result.error_count > len(result.errors):
            click.echo(f"... and {result.error_count - len(result.errors)} more errors", err=True)
        click.echo("nothing was imported", err=True)
        sys.exit(1)
    db.session.commit()
    for issue in result.warnings[:_WARNINGS_SHOWN]:
        click.echo(f"warning: {issue}", err=True)
    if result.warning_count > _WARNINGS_SHOWN:
        click.echo(f"... and {result.warning_count - _WARNINGS_SHOWN} more warnings", err=True)
    if not result.changed:
        click.echo("nothing changed: every row is already recorded"
                   + (" (this file was imported before)" if result.previously_imported else ""))
    click.echo(result.summary())


@import_group.command("notes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--encoding", default=None, help="Force the CSV encoding (utf-8, cp932).")
@click.option("--as", "as_email", default=None, metavar="EMAIL", help="Import with this account's rights.")
@with_appcontext
def import_notes_command(file, encoding, as_email):
    """Import notes on areas' months (area_code,year,month,note); all or nothing, a note already there is kept."""
    from tracker.notes.importer import import_notes

    user = _acting_user(as_email, policy.writes_area_notes, "notes")
    with open(file, "rb") as stream, _ByteProgress(file) as advance:
        result = import_notes(stream, os.path.basename(file), user, encoding=encoding, progress=advance)
    _finish_import(result)
