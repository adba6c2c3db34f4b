"""The ideas residents gave council members, for the core's contributions ledger.

An idea is received when the report is written, considered once it is passed on to the
executive (in a summary), and fed back when every resident who asked to hear back has been
sent the executive's answers (mail or letter). The feedback term runs from the day the idea
was passed on, or from the report when it was not passed on yet.
"""

from __future__ import annotations

from datetime import date

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


def contributions(municipality, resident=None, since: date | None = None) -> list[Contribution]:  # type: ignore[no-untyped-def]
    """One contribution per idea in a conversation report (a fixed number of queries)."""
    ideas = (
        db.session.execute(
            scoped(ReportIdea, municipality).options(
                selectinload(ReportIdea.report)
                .selectinload(ConversationReport.appointment)
                .selectinload(ConversationAppointment.requests)
                .selectinload(ConversationRequest.resident)
            )
        )
        .scalars()
        .all()
    )
    summaries = {
        s.id: s for s in db.session.execute(scoped(ExecutiveSummary, municipality)).scalars()
    }
    sent: dict[tuple[int, int], ResidentFeedback] = {
        (f.summary_id, f.request_id): f
        for f in db.session.execute(scoped(ResidentFeedback, municipality)).scalars()
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
