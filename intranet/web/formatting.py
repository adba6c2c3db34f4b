"""Dates as a Dutch reader expects them, in the municipality's time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from ..timeutil import as_utc, to_local

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def dutch_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = as_utc(value).astimezone(AMSTERDAM).date()  # type: ignore[union-attr]
    return f"{WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def dutch_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = as_utc(value).astimezone(AMSTERDAM)  # type: ignore[union-attr]
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H:%M}"


def local_time(value: datetime | None) -> str:
    """The wall-clock time in Amsterdam (``09:00``) of a stored UTC datetime; the ``tijd`` filter.

    Dates (all-day items) have no time and give an empty string.
    """
    if not isinstance(value, datetime):
        return ""
    return f"{to_local(value):%H:%M}"
