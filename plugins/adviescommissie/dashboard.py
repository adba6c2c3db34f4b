"""What the dashboard widget and the participation calendar show of the committee's work."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask import has_request_context, url_for
from sqlalchemy import and_, or_

from intranet.plugin_api import AMSTERDAM, CalendarItem, _, as_utc, db, scoped

from . import deadlines, states
from .models import AdviceFile, CommitteeMeeting, CommitteeMember

OPEN = (states.RECEIVED, states.IN_PROGRESS, states.ADOPTED)


def widget_data(municipality: Any, today: date) -> dict[str, Any]:
    """AdviceFile deadlines coming up (or passed) for open files, overdue responses, ending terms."""
    horizon = today + timedelta(days=deadlines.setting("ADVIESCOMMISSIE_DUE_SOON_DAYS"))
    open_files = db.session.execute(
        scoped(AdviceFile, municipality)
        .where(
            AdviceFile.status.in_(OPEN),
            AdviceFile.deadline.is_not(None),
            AdviceFile.deadline <= horizon,
        )
        .order_by(AdviceFile.deadline)
    ).scalars()
    awaiting = db.session.execute(
        scoped(AdviceFile, municipality)
        .where(AdviceFile.status == states.SENT, AdviceFile.response_due.is_not(None))
        .order_by(AdviceFile.response_due)
    ).scalars()
    members = db.session.execute(
        scoped(CommitteeMember, municipality)
        .where(CommitteeMember.term_end.is_not(None))
        .order_by(CommitteeMember.term_end)
    ).scalars()
    return {
        "due": [(a, deadlines.is_overdue(a.deadline, today)) for a in open_files],
        "overdue_responses": [a for a in awaiting if deadlines.is_overdue(a.response_due, today)],
        "ending_terms": [m for m in members if deadlines.term_ends_soon(m.term_end, today)],
    }


def _url(endpoint: str, **kwargs: Any) -> str | None:
    if not has_request_context():  # the CLI's calendar export
        return None
    return url_for(endpoint, **kwargs)


def calendar_items(municipality: Any, start: date, end: date) -> list[CalendarItem]:
    items: list[CalendarItem] = []
    lo = datetime.combine(start, time.min, AMSTERDAM)
    hi = datetime.combine(end, time.min, AMSTERDAM)
    for meeting in db.session.execute(
        scoped(CommitteeMeeting, municipality).where(
            CommitteeMeeting.starts_at >= lo, CommitteeMeeting.starts_at < hi
        )
    ).scalars():
        begins = as_utc(meeting.starts_at).astimezone(AMSTERDAM)  # type: ignore[union-attr]
        items.append(
            CalendarItem(
                title=_("Vergadering adviescommissie"),
                start=begins,
                end=begins + timedelta(hours=2),
                location=meeting.location,
                url=_url("adviescommissie.meeting", meeting_id=meeting.id),
                uid=f"adviescommissie-meeting-{meeting.id}@{municipality.slug}",
                category=_("Adviescommissie"),
            )
        )
    # Both dates of a file in one query: the advice's deadline while it is open, the
    # municipality's response date once it was sent.
    deadline_in = and_(
        AdviceFile.status.in_(OPEN), AdviceFile.deadline >= start, AdviceFile.deadline < end
    )
    response_in = and_(
        AdviceFile.status == states.SENT,
        AdviceFile.response_due >= start,
        AdviceFile.response_due < end,
    )
    for advice in db.session.execute(
        scoped(AdviceFile, municipality).where(or_(deadline_in, response_in))
    ).scalars():
        open_file = advice.status in OPEN  # else sent: the municipality's response is due
        title = (
            _("Uiterste datum advies: %(subject)s", subject=advice.subject)
            if open_file
            else _("Reactie gemeente uiterlijk: %(subject)s", subject=advice.subject)
        )
        items.append(
            CalendarItem(
                title=title,
                start=advice.deadline if open_file else advice.response_due,  # type: ignore[arg-type]
                url=_url("adviescommissie.detail", advice_id=advice.id),
                uid=f"adviescommissie-{'deadline' if open_file else 'response'}-{advice.id}"
                f"@{municipality.slug}",
                category=_("Adviescommissie"),
            )
        )
    return items
