"""The job library's task, thin: the daily run of reminders and alerts, in its own app context."""

from __future__ import annotations

from flask import Flask
from huey import Huey, crontab

from tracker.database import writing
from tracker.extensions import db
from tracker.notifications.sending import mailer
from tracker.notifications.services import run_daily
from tracker.reporting.deadlines import today

# Huey reads crontabs in UTC: midnight UTC is 09:00 in Japan.
DAILY = crontab(hour="0", minute="0")


def register_tasks(huey: Huey, app: Flask) -> None:
    @huey.periodic_task(DAILY, name="tracker.send_reminders")
    def send_reminders() -> None:
        with app.app_context(), writing():
            run_daily(today(), app.config["TRACKER_REMINDER_DAYS_BEFORE"], mailer())
            db.session.commit()
