"""Who took part, for the core's reach page: residents whose conversation was held."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intranet.plugin_api import db, on_local_days, utc_window

from .models import CLOSED, HELD, REPORTED, ConversationAppointment, ConversationRequest


def participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    """Residents of requests held (or reported, closed) with an appointment in the period."""
    low, high = utc_window(start, end)
    rows = db.session.execute(
        select(ConversationRequest.resident_id, ConversationAppointment.starts_at)
        .join(
            ConversationAppointment,
            ConversationAppointment.id == ConversationRequest.appointment_id,
        )
        .where(
            ConversationRequest.municipality_id == municipality.id,
            ConversationRequest.resident_id.is_not(None),
            ConversationRequest.status.in_((HELD, REPORTED, CLOSED)),
            ConversationAppointment.cancelled.is_(False),
            ConversationAppointment.starts_at >= low,
            ConversationAppointment.starts_at < high,
        )
    ).all()
    return [rid for rid, at in rows if on_local_days(at, start, end)]
