"""`tracker import ...`: the group every file import joins, and what each of them shares (the acting account, the
progress bar, commit and counts or every error)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from typing import IO, Protocol

import click
from flask.cli import with_appcontext
from flask_babel import get_translations

from tracker.auth.services import find_user
from tracker.extensions import db
from tracker.imports.pipeline import ImportResult, ProgressCallback
from tracker.models import User


class Run(Protocol):
    """A feature's import of one file (user None: admin rights): the pipeline's result, and the lines printed above
    the counts when the file is clean (what it created besides figures)."""

    def __call__(self, stream: IO[bytes], filename: str, user: User | None, *, encoding: str | None,
                 progress: ProgressCallback) -> tuple[ImportResult, Iterable[str]]: ...


_WARNINGS_SHOWN = 50


@click.group("import")
def import_group():
    """Import figures from CSV or xlsx files."""


def file_import(name: str, may_import: Callable[[User], bool], what: str) -> Callable[[Run], click.Command]:
    """Make `run` the command `tracker import NAME FILE [--encoding ...] [--as EMAIL]` (its docstring the help):
    the account's rights checked as the upload page does, a progress bar, then the file committed and its counts
    printed, or every error printed and exit 1. Register the command with `import_group` in tracker/cli.py."""

    def command(run: Run) -> click.Command:
        @click.command(name, help=run.__doc__)
        @click.argument("file", type=click.Path(exists=True, dir_okay=False))
        @click.option("--encoding", default=None, help="Force the CSV encoding (utf-8, cp932).")
        @click.option("--as", "as_email", default=None, metavar="EMAIL", help="Import with this account's rights.")
        @with_appcontext
        def import_command(file: str, encoding: str | None, as_email: str | None) -> None:
            user = _acting_user(as_email, may_import, what)
            with open(file, "rb") as stream, _ByteProgress(file) as advance:
                result, lines = run(stream, os.path.basename(file), user, encoding=encoding, progress=advance)
            _finish_import(result, lines)

        return import_command

    return command


def _acting_user(email: str | None, may_import: Callable[[User], bool], what: str) -> User | None:
    """None (admin rights) unless --as names an account, which must be allowed to import what the file holds:
    the same check as the upload page and the API."""
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

    def __enter__(self) -> ProgressCallback:
        self._bar.__enter__()
        return self.advance

    def advance(self, done: int, total: int | None) -> None:
        self._bar.update(max(0, done - self._done))
        self._done = max(self._done, done)

    def __exit__(self, *exc_info) -> None:
        self._bar.__exit__(*exc_info)


def _finish_import(result: ImportResult, lines: Iterable[str]) -> None:
    """Commit a clean file and print the feature's lines and the counts; print every error and exit 1 otherwise."""
    if not result.ok:
        db.session.rollback()
        for issue in result.errors:
            click.echo(str(issue), err=True)
        if result.error_count > len(result.errors):
            click.echo("... " + _more("and %(num)s more error (%(total)s in all)",
                                      "and %(num)s more errors (%(total)s in all)", len(result.errors),
                                      result.error_count), err=True)
        click.echo("nothing was imported", err=True)
        sys.exit(1)
    for line in lines:
        click.echo(line)
    db.session.commit()
    shown = result.warnings[:_WARNINGS_SHOWN]
    for issue in shown:
        click.echo(f"warning: {issue}", err=True)
    if result.warning_count > len(shown):
        click.echo("... " + _more("and %(num)s more warning (%(total)s in all)",
                                  "and %(num)s more warnings (%(total)s in all)", len(shown), result.warning_count),
                   err=True)
    if not result.changed:
        click.echo("nothing changed: every row is already recorded"
                   + (" (this file was imported before)" if result.previously_imported else ""))
    click.echo(result.summary())


def _more(singular: str, plural: str, shown: int, total: int) -> str:
    """"and 1 more error (1,001 in all)": the report page's words, with its grouped digits (Flask-Babel's ngettext
    would print `num` as a bare number)."""
    hidden = total - shown
    return get_translations().ngettext(singular, plural, hidden) % {"num": f"{hidden:,}", "total": f"{total:,}"}
