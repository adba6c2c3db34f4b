"""Attendance of a think-along meeting: blank or unknown values never give a 500 (issue 10 §3)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intranet.extensions import db
from intranet.testing.helpers import form_errors, post, signed_in
from plugins.meedenkgroepen.models import Attendance, Meeting

BASE = "/zaanstad/meedenkgroepen"


def _meeting_with_attendance(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        for meeting in db.session.execute(select(Meeting)).scalars():
            if meeting.attendances:
                return meeting.id, {a.resident_id for a in meeting.attendances}
    raise AssertionError("the demo has a meeting with attendance")


def _attendance(app, meeting_id: int) -> set[int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return set(
            db.session.execute(
                select(Attendance.resident_id).where(Attendance.meeting_id == meeting_id)
            ).scalars()
        )


@pytest.mark.parametrize("body", [{"attendees": ""}, {"attendees": " "}, {}])
def test_blank_attendance_means_nobody_ticked(demo, body) -> None:  # type: ignore[no-untyped-def]
    meeting_id, before = _meeting_with_attendance(demo)
    assert before
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    response = post(coordinator, f"{BASE}/bijeenkomsten/{meeting_id}/aanwezigheid", body)
    assert response.status_code == 302
    assert _attendance(demo, meeting_id) == set()


@pytest.mark.parametrize(
    "values", [["", "999999"], ["abc"], ["1\x00"], ["-5"], ["99999999999999999999"]]
)
def test_unknown_attendees_are_refused_and_nothing_changes(demo, values) -> None:  # type: ignore[no-untyped-def]
    meeting_id, before = _meeting_with_attendance(demo)
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    response = post(
        coordinator, f"{BASE}/bijeenkomsten/{meeting_id}/aanwezigheid", {"attendees": values}
    )
    assert response.status_code in (200, 400)
    assert form_errors(response.get_data(as_text=True))
    assert _attendance(demo, meeting_id) == before
