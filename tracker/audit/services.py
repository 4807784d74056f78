"""Writes of the audit trail that no other feature owns: log-in attempts."""

from __future__ import annotations

from tracker.auth.services import find_user
from tracker.extensions import db
from tracker.models import LoginEvent, User

EMAIL_LENGTH = 254
ADDRESS_LENGTH = 45


def record_login(email: str, address: str | None, outcome: str, user: User | None = None) -> LoginEvent:
    """One log-in attempt: the email as typed (cut to the column's length, without NUL, which PostgreSQL's text
    cannot hold) and the account it names, if any."""
    typed = email.replace("\x00", "")[:EMAIL_LENGTH]
    if user is None and typed.strip():
        user = find_user(typed)
    event = LoginEvent(email=typed, user=user, address=(address or "")[:ADDRESS_LENGTH], outcome=outcome)
    db.session.add(event)
    db.session.flush()
    return event
