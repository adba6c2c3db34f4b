"""Dates and numbers through Flask-Babel in the reader's language, in Amsterdam time; and the
manual grant that ended on 31 March but showed as 1 April."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from intranet.access.models import Role, RoleAssignment
from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.testing.helpers import post, signed_in
from intranet.timeutil import local_today
from intranet.web.formatting import (
    MONTHS,
    WEEKDAYS,
    dutch_date,
    dutch_datetime,
    format_date_time,
    format_long_date,
    format_month,
    format_number,
)


def test_dutch_output_is_what_it_was() -> None:
    assert dutch_date(date(2027, 3, 31)) == "woensdag 31 maart 2027"
    assert dutch_date(date(2026, 3, 4)) == "woensdag 4 maart 2026"
    assert dutch_datetime(datetime(2027, 3, 31, 12, 5, tzinfo=UTC)) == "31 maart 2027 14:05"
    assert dutch_datetime(datetime(2027, 1, 5, 8, 0)) == "5 januari 2027 09:00"  # naive = UTC
    assert dutch_date(None) == "" and dutch_datetime(None) == ""
    assert MONTHS[2] == "maart" and WEEKDAYS[0] == "maandag" and len(MONTHS) == 12


def test_english_in_english() -> None:
    assert format_long_date(date(2027, 3, 31), "en") == "Wednesday, March 31, 2027"
    assert format_date_time(datetime(2027, 3, 31, 12, 5, tzinfo=UTC), "en") == (
        "March 31, 2027 14:05"
    )
    assert format_month(2027, 3, "en") == "March 2027"
    assert format_month(2027, 3, "nl") == "maart 2027"


def test_a_calendar_day_never_shifts_but_a_moment_is_shown_in_amsterdam() -> None:
    assert format_long_date(date(2027, 3, 31), "nl") == "woensdag 31 maart 2027"
    # 22:30 UTC on 31 March is 00:30 on 1 April in Amsterdam (summer time): that moment is 1 April
    assert format_long_date(datetime(2027, 3, 31, 22, 30, tzinfo=UTC), "nl") == (
        "donderdag 1 april 2027"
    )
    # ...and 21:59 UTC is still 31 March there.
    assert format_long_date(datetime(2027, 3, 31, 21, 59, tzinfo=UTC), "nl") == (
        "woensdag 31 maart 2027"
    )


def test_numbers_with_the_readers_separators() -> None:
    assert format_number(1234.5, "nl") == "1.234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    assert format_number(12, "nl") == "12"
    assert format_number(None) == ""


def test_in_a_request_the_users_locale_decides(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context("/"):
        from flask import session

        assert dutch_date(date(2027, 3, 31)) == "woensdag 31 maart 2027"
        session["locale"] = "en"
        from flask_babel import refresh

        refresh()
        assert dutch_date(date(2027, 3, 31)) == "Wednesday, March 31, 2027"
        assert format_number(2.5) == "2.5"
    with app.app_context():  # a job or the CLI: the default language
        assert dutch_date(date(2027, 3, 31)) == "woensdag 31 maart 2027"


def _grant_until(demo, admin, until: date) -> Employee:  # type: ignore[no-untyped-def]
    signed_in(demo, "zwolle", "beleid")
    with demo.app_context():
        person = db.session.execute(
            select(Employee).where(Employee.username == "beleid")
        ).scalar_one()
        role = db.session.execute(
            select(Role).where(
                Role.name == "functioneel-beheerder",
                Role.municipality_id == person.municipality_id,
            )
        ).scalar_one()
        person_id, role_id = person.id, role.id
    response = post(
        admin,
        f"/zwolle/toegang/medewerkers/{person_id}",
        {
            "role_id": role_id,
            "reason": "Vervanging tijdens verlof",
            "expires_on": until.isoformat(),
        },
    )
    assert response.status_code == 302
    return person_id  # type: ignore[return-value]


@pytest.mark.ldap
def test_manual_grant_ending_31_march_shows_31_march(demo) -> None:  # type: ignore[no-untyped-def]
    """Was "donderdag 1 april 2027" on SQLite: the Amsterdam end of day was stored with its
    offset dropped, read back as UTC and moved two hours on."""
    admin = signed_in(demo, "zwolle", "beheerder")
    until = date(local_today().year + 1, 3, 31)
    person_id = _grant_until(demo, admin, until)

    expected_nl = format_long_date(until, "nl")
    page = admin.get(f"/zwolle/toegang/medewerkers/{person_id}").get_data(as_text=True)
    assert expected_nl in page
    assert format_long_date(date(until.year, 4, 1), "nl") not in page
    overview = admin.get("/zwolle/toegang/").get_data(as_text=True)
    assert f"tot en met {expected_nl}" in overview
    csv = admin.get("/zwolle/toegang/export.csv").get_data(as_text=True)
    assert re.search(rf"beleid;.*;{until.isoformat()}", csv)

    with demo.app_context():
        assignment = db.session.execute(
            select(RoleAssignment).where(
                RoleAssignment.employee_id == person_id, RoleAssignment.source == "manual"
            )
        ).scalar_one()
        stored = assignment.expires_at
        if stored.tzinfo is None:  # SQLite: naive, UTC by the project's rule
            stored = stored.replace(tzinfo=UTC)
        # the last moment of 31 March in Amsterdam (summer time, +02:00) is 21:59:59 UTC
        assert (stored.date(), stored.hour, stored.minute) == (until, 21, 59)

    with admin.session_transaction() as session:
        session["locale"] = "en"
    english = admin.get(f"/zwolle/toegang/medewerkers/{person_id}").get_data(as_text=True)
    assert format_long_date(until, "en") in english
    assert expected_nl not in english


def test_month_headings_follow_the_reader(demo) -> None:  # type: ignore[no-untyped-def]
    """The feedback overview reads "January 2027" in English (it once took the Dutch
    ``MONTHS``); ``month_name`` gives plugins a month heading in the reader's language."""
    from intranet.web.formatting import month_name

    assert month_name(3, "nl") == "maart" and month_name(3, "en") == "March"
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    path = "/zaanstad/terugkoppeling/overzicht?maand=2027-01"
    assert "januari 2027" in coordinator.get(path).get_data(as_text=True)
    post(coordinator, "/taal/en", {"next": path})
    page = coordinator.get(path).get_data(as_text=True)
    assert "January 2027" in page and "januari" not in page
