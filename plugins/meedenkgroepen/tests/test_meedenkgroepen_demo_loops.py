"""The demo shows the complete loops: a questionnaire with responses whose outcome was fed back,
and a trajectory through all six steps with contributions used and not used."""

from __future__ import annotations

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, municipality

from intranet.extensions import db
from intranet.testing.helpers import signed_in
from plugins.meedenkgroepen.models import (
    SENT,
    FeedbackMail,
    Invitation,
    Questionnaire,
    Response,
    Trajectory,
)


def test_demo_questionnaire_with_responses_and_feedback(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        m = municipality("zaanstad")
        fed_back = [
            q
            for q in db.session.execute(
                select(Questionnaire).where(Questionnaire.municipality_id == m.id)
            ).scalars()
            if q.feedback_sent_at and q.feedback_text
        ]
        assert fed_back, "no questionnaire fed back in the demo"
        q = fed_back[0]
        responses = (
            db.session.execute(select(Response).where(Response.questionnaire_id == q.id))
            .scalars()
            .all()
        )
        answered = (
            db.session.execute(
                select(Invitation).where(
                    Invitation.questionnaire_id == q.id, Invitation.answered_at.is_not(None)
                )
            )
            .scalars()
            .all()
        )
        mails = (
            db.session.execute(
                select(FeedbackMail).where(FeedbackMail.ref == f"questionnaire:{q.id}")
            )
            .scalars()
            .all()
        )
        assert len(responses) == len(answered) >= 2
        assert {f.resident_id for f in mails} == {i.resident_id for i in answered}
        assert all(f.status == SENT for f in mails)
        qid = q.id
    page = signed_in(demo, "zaanstad", "coordinator").get(f"{BASE}/vragenlijsten/{qid}")
    assert "Teruggekoppeld sinds" in page.get_data(as_text=True)


def test_demo_trajectory_through_all_six_steps(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        m = municipality("zaanstad")
        done = (
            db.session.execute(
                select(Trajectory).where(
                    Trajectory.municipality_id == m.id, Trajectory.closed_at.is_not(None)
                )
            )
            .scalars()
            .all()
        )
        assert done, "no completed trajectory in the demo"
        t = done[0]
        assert t.step == 6 and t.result_text and t.next_steps and t.interim_results
        assert {tr.to_step for tr in t.transitions} == {1, 2, 3, 4, 5, 6}
        assert t.participant_groups and t.conversations and t.involvement_ok
        # the participant groups refer to the registry: an organisation and residents
        registry = [p for g in t.participant_groups for p in g.participants]
        assert any(p.organisation_id for p in registry) and any(p.resident_id for p in registry)
        decisions = {c.decision for c in t.contributions}
        assert decisions == {"gebruikt", "niet_gebruikt"}
        assert all(c.explanation for c in t.contributions if c.decision == "niet_gebruikt")
        assert any(c.questionnaire_id for c in t.contributions)
        assert any(c.meeting_id for c in t.contributions)
        assert t.feedback_mailed_at is not None
        tid = t.id
    page = signed_in(demo, "zaanstad", "coordinator").get(f"{BASE}/trajecten/{tid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tussenresultaten (stap 6)" in html
