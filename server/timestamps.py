"""Times as the API gives them: timezone-aware UTC, on SQLite as on PostgreSQL."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.timezone.utc)


def as_utc(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


class UtcDateTime(TypeDecorator):
    """A `DateTime(timezone=True)` column that always reads back aware UTC.

    SQLite keeps no zone: it stores the wall time it is given and reads it back naive, so
    times are moved to UTC before they are written. PostgreSQL keeps the instant and reads
    it back in the session's time zone, which need not be UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return as_utc(value) if value is not None else None

    def process_result_value(self, value, dialect):
        return as_utc(value) if value is not None else None
