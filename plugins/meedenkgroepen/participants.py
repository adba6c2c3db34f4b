"""Who took part, for the core's reach page: meeting attendance, answered questionnaires and
the residents put into a trajectory's participant groups (on the day they were added)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intranet.plugin_api import db, on_local_days, utc_window

from .models import Attendance, Invitation, Meeting, TrajectoryParticipant


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
    in_trajectories = db.session.execute(
        select(TrajectoryParticipant.resident_id, TrajectoryParticipant.added_at).where(
            TrajectoryParticipant.municipality_id == municipality.id,
            TrajectoryParticipant.resident_id.is_not(None),
            TrajectoryParticipant.added_at >= low,
            TrajectoryParticipant.added_at < high,
        )
    ).all()
    return [
        rid for rid, at in [*attended, *answered, *in_trajectories] if on_local_days(at, start, end)
    ]
