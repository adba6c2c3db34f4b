"""Who took part, for the core's reach page: meeting attendance and answered questionnaires."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intranet.plugin_api import db, on_local_days, utc_window

from .models import Attendance, Invitation, Meeting


def participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    low, high = utc_window(start, end)
    attended = db.session.execute(
        select(Attendance.resident_id, Meeting.starts_at)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(
            Attendance.municipality_id == municipality.id,
            Meeting.starts_at >= low,
            Meeting.starts_at < high,
        )
    ).all()
    answered = db.session.execute(
        select(Invitation.resident_id, Invitation.answered_at).where(
            Invitation.municipality_id == municipality.id,
            Invitation.resident_id.is_not(None),
            Invitation.answered_at >= low,
            Invitation.answered_at < high,
        )
    ).all()
    return [rid for rid, at in [*attended, *answered] if on_local_days(at, start, end)]
