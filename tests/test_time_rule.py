"""One time rule (issue 10 §9): stored as aware UTC, shown in Europe/Amsterdam, one "today".

The calendar page once showed a 09:00 conversation at 08:00 (winter) or 07:00 (summer): it
printed the UTC hour. These tests plan conversations at 09:00 on both sides of the DST
changes of 2026 and 2027 and read them back from the page, the iCalendar feed and the mail.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import icalendar
import pytest
from sqlalchemy import select

from intranet import timeutil
from intranet.extensions import db
from intranet.testing.helpers import signed_in
from intranet.web.formatting import dutch_datetime, local_time

#: the last Sundays of March and October (DST starts / ends), and the days around them
DST_DAYS = [
    date(2026, 3, 28),
    date(2026, 3, 29),
    date(2026, 3, 30),
    date(2026, 10, 24),
    date(2026, 10, 25),
    date(2026, 10, 26),
    date(2027, 3, 28),
    date(2027, 10, 31),
]


@pytest.mark.parametrize("day", DST_DAYS)
def test_nine_oclock_stays_nine_oclock_across_dst(day: date) -> None:
    stored = timeutil.from_local(day, time(9, 0))
    assert stored.tzinfo is UTC
    naive = stored.replace(tzinfo=None)  # as SQLite hands it back
    for value in (stored, naive):
        assert local_time(value) == "09:00"
        assert dutch_datetime(value).endswith(" 09:00")
        assert timeutil.to_local(value).date() == day


@pytest.mark.parametrize(
    ("utc_now", "today"),
    [
        # 23:30 UTC on Saturday is already Sunday in Amsterdam (CET, +1)
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 29)),
        # 22:30 UTC on Sunday 29 March is 00:30 Monday in summer time (+2)
        (datetime(2026, 3, 29, 22, 30, tzinfo=UTC), date(2026, 3, 30)),
        (datetime(2026, 3, 29, 21, 30, tzinfo=UTC), date(2026, 3, 29)),
        # after the October change Amsterdam is +1 again
        (datetime(2026, 10, 25, 22, 30, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 26)),
        (datetime(2027, 10, 31, 23, 0, tzinfo=UTC), date(2027, 11, 1)),
    ],
)
def test_today_is_amsterdams_today(monkeypatch, utc_now: datetime, today: date) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(timeutil, "utcnow", lambda: utc_now)
    assert timeutil.local_today() == today


def _plan_demo_appointment_at(day: date):  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken.models import ConversationAppointment

    appt = db.session.execute(select(ConversationAppointment)).scalars().first()
    appt.starts_at = timeutil.from_local(day, time(9, 0))
    appt.ends_at = timeutil.from_local(day, time(10, 0))
    db.session.commit()
    return appt


@pytest.mark.parametrize("day", [date(2026, 3, 30), date(2026, 10, 26), date(2027, 3, 29)])
def test_calendar_page_and_feed_show_the_planned_hour(demo, monkeypatch, day: date) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        appt_id = _plan_demo_appointment_at(day).id
    # the feed covers three months back to a year ahead of "today": freeze the one clock
    now = datetime.combine(day, time(12, 0), UTC)
    monkeypatch.setattr(timeutil, "utcnow", lambda: now)
    griffier = signed_in(demo, "zwolle", "griffier")
    html = griffier.get(f"/zwolle/kalender?jaar={day.year}&maand={day.month}").get_data(
        as_text=True
    )
    row = next(r for r in html.split("<tr") if "Raadsgesprek (" in r)
    assert "09:00" in row, row
    assert "08:00" not in row and "07:00" not in row

    feed = griffier.get("/zwolle/kalender.ics")
    cal = icalendar.Calendar.from_ical(feed.data)
    events = [
        e
        for e in cal.walk("VEVENT")
        if "-gesprek-" in str(e.get("uid")) and str(e.get("uid")).endswith(f"-{appt_id}")
    ]
    assert len(events) == 1
    start = events[0].decoded("dtstart")
    assert start.tzinfo is not None
    local = start.astimezone(timeutil.LOCAL_ZONE)
    assert (local.date(), local.hour, local.minute) == (day, 9, 0)


def test_deadline_overdue_follows_amsterdams_day(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An advice deadline of 29 March is overdue from 00:00 on 30 March Amsterdam time."""
    from plugins.adviescommissie.deadlines import is_overdue

    deadline = date(2026, 3, 29)
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 3, 29, 21, 59, tzinfo=UTC))
    assert not is_overdue(deadline, timeutil.local_today())
    monkeypatch.setattr(timeutil, "utcnow", lambda: datetime(2026, 3, 29, 22, 1, tzinfo=UTC))
    assert is_overdue(deadline, timeutil.local_today())


@pytest.mark.parametrize("day", [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28)])
def test_the_invitation_mail_and_its_ics_say_nine_oclock(demo, day: date) -> None:  # type: ignore[no-untyped-def]
    """The mail text and the .ics attachment a council member gets, on a DST Sunday."""
    from flask import render_template

    from plugins.raadsgesprekken import ics

    with demo.test_request_context("/zwolle/"):
        appt = _plan_demo_appointment_at(day)
        member = appt.members[0].member
        text = render_template(
            "raadsgesprekken/mail/invitation.txt",
            appointment=appt,
            member=member,
            changed="new",
            url="https://intranet.example/x",
        )
        body = ics.invitation(appt, member, host="x", organiser_email="g@x", place="Stadhuis")
    assert f"{day.day} " in text and "09:00" in text, text
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    local = event.decoded("dtstart").astimezone(timeutil.LOCAL_ZONE)
    assert (local.date(), local.hour) == (day, 9)
