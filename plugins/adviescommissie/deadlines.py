"""Deadlines of advice requests and responses, and the term-end reminder of members.

Terms are counted in **calendar days** (the default advice and response terms are six weeks,
a common term in Dutch participation by-laws). A term that ends on a Saturday, a Sunday or a
national public holiday is extended to the next working day, as the Algemene termijnenwet
does for statutory terms; working days come from :mod:`intranet.workdays`. So a term ending on
Christmas Day (25 December) ends on the first working day after Boxing Day, and one that ends
on 31 December and a Saturday moves into the new year.

A deadline is *overdue* from the day after it: on the deadline day itself it is still on time.
All terms are configurable in ``app.config``:

``ADVIESCOMMISSIE_ADVICE_TERM_DAYS``     days the committee has for solicited advice (42)
``ADVIESCOMMISSIE_RESPONSE_TERM_DAYS``   days the municipality has to respond (42)
``ADVIESCOMMISSIE_TERM_REMINDER_DAYS``   days before a member's term ends to warn (60)
``ADVIESCOMMISSIE_DUE_SOON_DAYS``        days ahead the dashboard shows deadlines (31)
``ADVIESCOMMISSIE_DECISION_MARGIN_DAYS`` days the municipality needs between the advice and
                                         the decision to weigh it (14)

"Asked early enough" (seed 002: advice asked in time to still make a difference) is judged
against the decision date: the committee was asked early enough when its advice deadline lies
at least the decision margin before the decision date.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app, has_app_context

from intranet.plugin_api import is_working_day, working_days_between

DEFAULTS = {
    "ADVIESCOMMISSIE_ADVICE_TERM_DAYS": 42,
    "ADVIESCOMMISSIE_RESPONSE_TERM_DAYS": 42,
    "ADVIESCOMMISSIE_TERM_REMINDER_DAYS": 60,
    "ADVIESCOMMISSIE_DUE_SOON_DAYS": 31,
    "ADVIESCOMMISSIE_DECISION_MARGIN_DAYS": 14,
}


def setting(name: str) -> int:
    """A configured number of days, falling back to the default here."""
    value = current_app.config.get(name) if has_app_context() else None
    try:
        return int(value) if value is not None else DEFAULTS[name]
    except (TypeError, ValueError):
        return DEFAULTS[name]


def next_working_day_from(day: date) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def term_end(start: date, days: int) -> date:
    """``days`` calendar days after ``start``, moved to a working day (Algemene termijnenwet)."""
    return next_working_day_from(start + timedelta(days=days))


def advice_deadline(received_on: date, days: int | None = None) -> date:
    return term_end(
        received_on, setting("ADVIESCOMMISSIE_ADVICE_TERM_DAYS") if days is None else days
    )


def response_due(sent_on: date, days: int | None = None) -> date:
    return term_end(
        sent_on, setting("ADVIESCOMMISSIE_RESPONSE_TERM_DAYS") if days is None else days
    )


def is_overdue(deadline: date | None, today: date, done_on: date | None = None) -> bool:
    """Late when the work was not done by the deadline (or is still not done after it)."""
    if deadline is None:
        return False
    if done_on is not None:
        return done_on > deadline
    return today > deadline


def working_days_late(deadline: date, day: date) -> int:
    """Working days ``day`` lies after ``deadline`` (0 when on time)."""
    return max(0, working_days_between(deadline, day))


def term_ends_soon(term_end_on: date | None, today: date, days: int | None = None) -> bool:
    """A member's term ends within the reminder period (and has not ended yet)."""
    if term_end_on is None:
        return False
    days = setting("ADVIESCOMMISSIE_TERM_REMINDER_DAYS") if days is None else days
    return today <= term_end_on <= today + timedelta(days=days)


def timeliness_for(deadline: date | None, decision_date: date | None) -> str | None:
    """``"early"`` or ``"late"`` judged from the decision date, or None when it cannot be
    computed (no decision date or no advice deadline): then the manual choice stands."""
    if deadline is None or decision_date is None:
        return None
    margin = timedelta(days=setting("ADVIESCOMMISSIE_DECISION_MARGIN_DAYS"))
    return "early" if deadline + margin <= decision_date else "late"
