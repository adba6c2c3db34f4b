"""The ideas residents gave council members, for the core's contributions ledger.

An idea is received when the report is written, considered once it is passed on to the
executive (in a summary), and fed back when every resident who asked to hear back has been
sent the executive's answers (mail or letter). The feedback term runs from the day the idea
was passed on, or from the report when it was not passed on yet.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import selectinload

from intranet.plugin_api import (
    Contribution,
    _,
    db,
    feedback_due,
    local_date,
    page_url,
    scoped,
    short_text,
)

from .anonymise import scrub
from .models import (
    ConversationAppointment,
    ConversationReport,
    ConversationRequest,
    ExecutiveSummary,
    ReportIdea,
    ResidentFeedback,
)

NAME = "raadsgesprekken"


def contributions(  # type: ignore[no-untyped-def]
    municipality, resident=None, since: date | None = None, owed_only: bool = False
) -> list[Contribution]:
    """One contribution per idea in a conversation report (a fixed number of queries).

    With ``owed_only`` the database picks the ideas still owed feedback, so the start page and
    the Terugkoppeling list do not load every idea the municipality ever heard."""
    stmt = scoped(ReportIdea, municipality).options(
        selectinload(ReportIdea.report)
        .selectinload(ConversationReport.appointment)
        .selectinload(ConversationAppointment.requests)
        .selectinload(ConversationRequest.resident)
    )
    if owed_only:
        stmt = stmt.join(ReportIdea.report).where(_owed_feedback())
    ideas = db.session.execute(stmt).scalars().all()
    summary_ids = {idea.summary_id for idea in ideas if idea.summary_id}
    summaries = {
        s.id: s
        for s in db.session.execute(
            scoped(ExecutiveSummary, municipality).where(ExecutiveSummary.id.in_(summary_ids))
        ).scalars()
    }
    sent: dict[tuple[int, int], ResidentFeedback] = {
        (f.summary_id, f.request_id): f
        for f in db.session.execute(
            scoped(ResidentFeedback, municipality).where(
                ResidentFeedback.summary_id.in_(summary_ids)
            )
        ).scalars()
    }
    out = []
    for idea in ideas:
        report = idea.report
        requests = report.appointment.requests
        resident_ids = tuple(sorted({r.resident_id for r in requests if r.resident_id}))
        if resident is not None and resident.id not in resident_ids:
            continue
        contributed = local_date(report.appointment.starts_at)
        if since is not None and contributed < since:
            continue
        names = [r.resident.name for r in requests if r.resident is not None]
        names += [r.trusted_name for r in requests if r.trusted_name]
        text = scrub(idea.text, names)
        summary = summaries.get(idea.summary_id) if idea.summary_id else None
        wanting = [r for r in requests if r.wants_feedback and r.resident_id]
        due = sent_on = None
        how = ""
        if wanting:
            start = local_date(summary.created_at) if summary else local_date(report.written_at)
            due = feedback_due(municipality, "council_idea", start)
            given = [sent.get((summary.id, r.id)) for r in wanting] if summary else [None]
            if all(given):
                sent_on = max(local_date(f.sent_at) for f in given if f)
                methods = {f.method for f in given if f}
                how = "mail" if methods == {"mail"} else "letter"
        if summary is None:
            status, reason = "received", ""
            url = page_url(municipality, f"{NAME}.report", appointment_id=report.appointment_id)
        else:
            status = "considered"
            reason = (
                _("Antwoord college: %(answer)s", answer=short_text(idea.answer, 200))
                if idea.answer
                else ""
            )
            url = page_url(
                municipality, f"{NAME}.summary", summary_id=summary.id, _anchor=f"idee-{idea.id}"
            )
        out.append(
            Contribution(
                plugin=NAME,
                key=f"idea-{idea.id}",
                kind="council_idea",
                title=short_text(text),
                summary=text,
                theme=report.themes[0] if report.themes else "",
                contributed_at=contributed,
                resident_ids=resident_ids,
                status=status,
                status_reason=reason,
                feedback_due=due,
                feedback_sent_at=sent_on,
                feedback_how=how,
                url=url,
            )
        )
    return out


def _owed_feedback() -> ColumnElement[bool]:
    """SQL, for an idea joined to its report: someone at the conversation asked to hear back
    and has not been told the executive's answer (none yet, or not sent to them) - the rule
    of ``contributions`` below for a contribution with a due date and no sent date."""
    request = ConversationRequest
    # Explicit correlation: SQLAlchemy ties a subquery only to the query right around it by
    # itself, and ``told`` sits two levels below the idea (it then read "told about any
    # summary" instead of this idea's summary).
    told = (
        select(ResidentFeedback.id)
        .where(
            ResidentFeedback.summary_id == ReportIdea.summary_id,
            ResidentFeedback.request_id == request.id,
        )
        .correlate(ReportIdea, request)
        .exists()
    )
    return (
        select(request.id)
        .where(
            request.appointment_id == ConversationReport.appointment_id,
            request.wants_feedback.is_(True),
            request.resident_id.is_not(None),
            or_(ReportIdea.summary_id.is_(None), ~told),
        )
        .correlate(ReportIdea, ConversationReport)
        .exists()
    )
