"""Column helpers shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime


def utcnow() -> datetime:
    """Callable default: evaluated per row, never once at import."""
    return datetime.now(UTC)


Timestamp = DateTime(timezone=True)
