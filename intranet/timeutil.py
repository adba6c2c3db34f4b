"""Time helpers: store UTC, show Europe/Amsterdam."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; treat them as the UTC they were stored as."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def today() -> date:
    """Today's date in Europe/Amsterdam: the one "today" for deadlines and lateness.

    Around midnight UTC and Amsterdam disagree on the date; a municipality means its own.
    """
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Amsterdam")).date()
