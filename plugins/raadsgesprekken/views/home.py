"""The plugin's start page: what needs doing, for the clerk and for a council member."""

from __future__ import annotations

from datetime import timedelta

from flask import render_template
from sqlalchemy import func, select

from intranet.plugin_api import current_municipality, db, has_permission, requires, scoped, utcnow

from ..models import HELD, REQUESTED, ConversationAppointment, ConversationRequest
from ..service import PERM_INTAKE, current_member, visible_appointments_stmt
from . import bp


def overview_counts(municipality=None, stmt=None):  # type: ignore[no-untyped-def]
    """Open requests, upcoming conversations, reports to write (for the widget too)."""
    municipality = municipality or current_municipality()
    open_requests = db.session.execute(
        select(func.count()).select_from(
            scoped(ConversationRequest, municipality)
            .where(ConversationRequest.status == REQUESTED)
            .subquery()
        )
    ).scalar_one()
    stmt = stmt if stmt is not None else scoped(ConversationAppointment, municipality)
    now = utcnow()
    upcoming = (
        db.session.execute(
            stmt.where(
                ConversationAppointment.cancelled.is_(False),
                ConversationAppointment.starts_at >= now,
                ConversationAppointment.starts_at < now + timedelta(days=60),
            ).order_by(ConversationAppointment.starts_at)
        )
        .scalars()
        .all()
    )
    to_write = [
        a
        for a in db.session.execute(
            stmt.where(ConversationAppointment.cancelled.is_(False))
        ).scalars()
        if a.report is None and any(r.status == HELD for r in a.requests)
    ]
    return open_requests, upcoming, to_write


@bp.route("/")
@requires("raadsgesprekken.view")
def index():  # type: ignore[no-untyped-def]
    open_requests, upcoming, to_write = overview_counts(stmt=visible_appointments_stmt())
    return render_template(
        "raadsgesprekken/index.html",
        open_requests=open_requests if has_permission(PERM_INTAKE) else None,
        upcoming=upcoming,
        to_write=to_write,
        member=current_member(),
    )
