"""Mail goes out through SMTP (Flask-Mailman) when MAIL_SERVER is set; otherwise messages wait in the outbox."""

from __future__ import annotations

from flask import current_app
from flask_mailman import Mail

from tracker.extensions import mail


def mailer() -> Mail | None:
    """The mail extension when a mail server is configured, else None."""
    return mail if current_app.config.get("MAIL_SERVER") else None
