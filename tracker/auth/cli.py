"""`tracker users create` and `tracker users token`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.auth.services import AccountError, create_user, find_user, issue_token
from tracker.extensions import db
from tracker.models import ROLES


@click.group()
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
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with the email {email}")
    lifetime = current_app.config["TRACKER_TOKEN_LIFETIME"]
    token = issue_token(user, lifetime)
    db.session.commit()
    click.echo(f"API token for {user.email}, valid for {lifetime.days} days (shown once; store it now):")
    click.echo(token)
