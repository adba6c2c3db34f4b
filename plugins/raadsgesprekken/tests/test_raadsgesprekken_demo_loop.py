"""The demo shows a complete loop: a summary sent to the college, answered, and fed back."""

from __future__ import annotations

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.testing.helpers import signed_in
from plugins.raadsgesprekken.models import (
    CLOSED,
    ConversationRequest,
    ExecutiveSummary,
    ResidentFeedback,
)
from plugins.raadsgesprekken.views.passing_on import executive_loop_counts


def test_demo_has_a_summary_answered_and_fed_back(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        done = [
            s
            for s in db.session.execute(
                select(ExecutiveSummary).where(ExecutiveSummary.municipality_id == zwolle.id)
            ).scalars()
            if s.sent_on and s.ideas and not s.unanswered()
        ]
        assert done, "no answered summary in the demo"
        summ = done[0]
        assert summ.answer_due is not None and all(i.answered_at for i in summ.ideas)
        feedback = (
            db.session.execute(
                select(ResidentFeedback).where(ResidentFeedback.summary_id == summ.id)
            )
            .scalars()
            .all()
        )
        assert feedback
        for fb in feedback:
            req = db.session.get(ConversationRequest, fb.request_id)
            assert req.status == CLOSED and req.wants_feedback
        assert executive_loop_counts(zwolle).overdue_summaries == 0
        summary_id = summ.id
    page = signed_in(demo, "zwolle", "griffier").get(
        f"/zwolle/raadsgesprekken/doorgeefluik/{summary_id}"
    )
    html = page.get_data(as_text=True)
    assert "Alle ideeën zijn beantwoord." in html and "Antwoord van het college (" in html
