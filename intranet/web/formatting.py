"""Dates and numbers in the reader's language, in the municipality's time zone.

Everything goes through Flask-Babel (CLDR data), so an employee who switched to English reads
"Wednesday, March 31, 2027" where a Dutch reader reads "woensdag 31 maart 2027". In a request
the locale is the user's (``intranet.web.i18n.select_locale``); in a job, the CLI or a mail
outside a request it is the configured default (Dutch), and without an app at all Dutch.

The names ``dutch_date`` and ``dutch_datetime`` are kept because plugins import them; they
are locale-aware now. ``MONTHS`` and ``WEEKDAYS`` remain for code that writes Dutch text
into stored data (demo titles), not for display.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import flask_babel
from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import current_app, has_app_context

from ..timeutil import LOCAL_ZONE, to_local

AMSTERDAM = LOCAL_ZONE
#: the language of stored Dutch text and of formatting without an app
FALLBACK_LOCALE = "nl"

MONTHS = tuple(Locale.parse(FALLBACK_LOCALE).months["stand-alone"]["wide"][m] for m in range(1, 13))
WEEKDAYS = tuple(Locale.parse(FALLBACK_LOCALE).days["format"]["wide"][d] for d in range(7))


def _locale(locale: str | Locale | None) -> Locale:
    """The explicit locale, else the user's (Flask-Babel), else Dutch."""
    if locale is not None:
        return Locale.parse(locale)
    if has_app_context() and "babel" in current_app.extensions:
        chosen = flask_babel.get_locale()
        if chosen is not None:
            return chosen
    return Locale.parse(FALLBACK_LOCALE)


def local_date(value: date | datetime) -> date:
    """The calendar day in Amsterdam; a ``date`` is already a calendar day and never shifts."""
    if isinstance(value, datetime):
        return to_local(value).date()  # type: ignore[union-attr]
    return value


def short_text(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut at ``limit`` characters with an ellipsis: a title in a list."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_long_date(value: date | datetime | None, locale: str | Locale | None = None) -> str:
    """Weekday and date: "woensdag 31 maart 2027" / "Wednesday, March 31, 2027"."""
    if value is None:
        return ""
    return babel_dates.format_date(local_date(value), format="full", locale=_locale(locale))


def format_date_time(value: datetime | None, locale: str | Locale | None = None) -> str:
    """Date and time of day: "31 maart 2027 14:05" / "March 31, 2027 14:05"."""
    if value is None:
        return ""
    local = to_local(value)
    chosen = _locale(locale)
    day = babel_dates.format_date(local.date(), format="long", locale=chosen)
    return f"{day} {babel_dates.format_time(local.time(), format='HH:mm', locale=chosen)}"


def format_month(year: int, month: int, locale: str | Locale | None = None) -> str:
    """A month heading: "maart 2027" / "March 2027"."""
    return babel_dates.format_skeleton("yMMMM", date(year, month, 1), locale=_locale(locale))


def month_name(month: int, locale: str | Locale | None = None) -> str:
    """A month on its own, as a heading in a year: "januari" / "January"."""
    return _locale(locale).months["stand-alone"]["wide"][month]


def format_number(
    value: int | float | Decimal | None, locale: str | Locale | None = None, digits: int = 1
) -> str:
    """A number with the reader's separators ("1.234,5" / "1,234.5"), at most ``digits``
    decimals."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=_locale(locale))


def dutch_date(value: date | datetime | None, locale: str | Locale | None = None) -> str:
    """Kept for plugins: :func:`format_long_date` (the reader's locale, Dutch by default)."""
    return format_long_date(value, locale)


def dutch_datetime(value: datetime | None, locale: str | Locale | None = None) -> str:
    """Kept for plugins: :func:`format_date_time` (the reader's locale, Dutch by default)."""
    return format_date_time(value, locale)


def local_time(value: datetime | None) -> str:
    """The wall-clock time in Amsterdam (``09:00``) of a stored UTC datetime; the ``tijd`` filter.

    Dates (all-day items) have no time and give an empty string.
    """
    if not isinstance(value, datetime):
        return ""
    return f"{to_local(value):%H:%M}"
