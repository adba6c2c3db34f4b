"""Time, by one rule: stored as aware UTC, shown in Europe/Amsterdam, "today" from one place.

Every "now" and "today" in the core and the plugins comes from ``utcnow()`` and
``local_today()``; every time shown to a person goes through ``to_local()`` (the Jinja
filter ``lokaal``, and ``datum``/``datumtijd`` on top of it). Tests freeze time by
monkeypatching ``intranet.timeutil.utcnow`` — the one clock everything else reads.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

#: the time zone every municipality in this product lives in
LOCAL_ZONE = ZoneInfo("Europe/Amsterdam")


def utcnow() -> datetime:
    """The one clock: an aware UTC datetime."""
    return datetime.now(UTC)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; treat them as the UTC they were stored as."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_local(value: datetime | None) -> datetime | None:
    """A stored (UTC, possibly naive from SQLite) datetime as Amsterdam wall-clock time."""
    if value is None:
        return None
    return as_utc(value).astimezone(LOCAL_ZONE)  # type: ignore[union-attr]


def local_now() -> datetime:
    """Now, in Amsterdam (aware)."""
    return utcnow().astimezone(LOCAL_ZONE)


def local_today() -> date:
    """Today as a person in the municipality sees it (not the server's or UTC's date)."""
    return local_now().date()


def from_local(day: date, at: object) -> datetime:
    """A date and wall-clock time typed in Amsterdam, as the aware UTC datetime to store."""
    return datetime.combine(day, at, tzinfo=LOCAL_ZONE).astimezone(UTC)  # type: ignore[arg-type]


def today() -> date:
    """The same as :func:`local_today` (Amsterdam's date), under the name plugins used first."""
    return local_today()
