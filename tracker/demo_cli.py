"""`tracker demo`: the command beside the demo data it loads."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import with_appcontext

from tracker.demo import load_demo
from tracker.extensions import db


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo data and demo accounts (once: a second run changes nothing)."""
    result = load_demo(date.today())
    db.session.commit()
    if result.loaded:
        click.echo("demo data loaded")
    else:
        click.echo("demo data already present: nothing changed")
    for account in result.accounts:
        click.echo(f"  {account.role:<9} {account.email:<28} password: {account.password}")
