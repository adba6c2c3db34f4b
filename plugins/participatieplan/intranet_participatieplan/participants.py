"""Who took part, for the core's reach page: residents at workshops and co-creation sessions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from intranet.plugin_api import db

from .models import CocreationSession, SessionParticipant, Workshop, WorkshopParticipant


def participants(municipality, start: date, end: date) -> list[int]:  # type: ignore[no-untyped-def]
    workshops = db.session.execute(
        select(WorkshopParticipant.resident_id)
        .join(Workshop, Workshop.id == WorkshopParticipant.workshop_id)
        .where(
            WorkshopParticipant.municipality_id == municipality.id,
            WorkshopParticipant.resident_id.is_not(None),
            Workshop.held_on >= start,
            Workshop.held_on < end,
        )
    ).scalars()
    sessions = db.session.execute(
        select(SessionParticipant.resident_id)
        .join(CocreationSession, CocreationSession.id == SessionParticipant.session_id)
        .where(
            SessionParticipant.municipality_id == municipality.id,
            CocreationSession.held_on >= start,
            CocreationSession.held_on < end,
        )
    ).scalars()
    return [*workshops, *sessions]
