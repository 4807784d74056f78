"""The outbox (admins), each account's choice of reminders, and the `tracker reminders` commands."""

from __future__ import annotations

from datetime import date

import click
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import policy
from tracker.extensions import db
from tracker.notifications import queries, services
from tracker.notifications.forms import RemindersForm
from tracker.notifications.sending import mailer
from tracker.reporting.deadlines import today

bp = Blueprint("notifications", __name__, url_prefix="/notifications", cli_group="reminders")
bp.cli.help = "Reminders of due months, the approvers' weekly digest and target alerts."


@bp.get("/outbox")
@login_required
def outbox():
    """Every message queued, sent or (without a mail server) kept here to be read."""
    if not policy.can_read_outbox(current_user):
        abort(403)
    return render_template("notifications/outbox.html", rows=queries.outbox(),
                           mail_server=bool(current_app.config.get("MAIL_SERVER")))


@bp.post("/preferences")
@login_required
def preferences():
    form = RemindersForm()
    if not form.validate_on_submit():
        abort(400)
    services.set_reminders(current_user, bool(form.reminders.data))
    db.session.commit()
    flash(_("Reminders are on.") if form.reminders.data else _("Reminders are off."), "success")
    return redirect(url_for("auth.account"))


@bp.app_context_processor
def inject_form():
    return {"reminders_form": RemindersForm}


@bp.cli.command("send")
@click.option("--today", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as on this day (YYYY-MM-DD; default: today in Japan).")
def send_command(day) -> None:
    """Queue the day's reminders, digests and alerts, and send what waits (SMTP when MAIL_SERVER is set)."""
    on: date = day.date() if day is not None else today()
    result = services.run_daily(on, current_app.config["TRACKER_REMINDER_DAYS_BEFORE"], mailer())
    db.session.commit()
    click.echo(f"queued {result.queued}, sent {result.sent}")
