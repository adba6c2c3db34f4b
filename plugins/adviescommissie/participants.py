"""Who took part, for the core's reach page: members present at a committee meeting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intranet.plugin_api import db, on_local_days, utc_window

from .models import CommitteeAttendance, CommitteeMeeting, CommitteeMember


def participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    low, high = utc_window(start, end)
    rows = db.session.execute(
        select(CommitteeMember.resident_id, CommitteeMeeting.starts_at)
        .join(CommitteeAttendance, CommitteeAttendance.member_id == CommitteeMember.id)
        .join(CommitteeMeeting, CommitteeMeeting.id == CommitteeAttendance.meeting_id)
        .where(
            CommitteeAttendance.municipality_id == municipality.id,
            CommitteeAttendance.status == "present",
            CommitteeMeeting.starts_at >= low,
            CommitteeMeeting.starts_at < high,
        )
    ).all()
    return [rid for rid, at in rows if on_local_days(at, start, end)]
