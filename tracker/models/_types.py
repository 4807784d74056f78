"""Column helpers shared by the models."""

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Callable default: evaluated per row, never once at import."""
    return datetime.now(UTC)


class Timestamp(TypeDecorator):
    """A moment, stored with its zone and always read back aware: SQLite hands back naive datetimes, in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value
