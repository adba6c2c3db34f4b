"""Questionnaire outcomes fed back to the panel members who answered: a feedback text, a
mailing job with progress over a real SMTP server, consent checked when queued and again when
sent, members who left skipped, nobody mailed twice, and no effect on the yearly limit."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import force_locale
from sqlalchemy import func, select
from test_meedenkgroepen_support import BASE, body, municipality

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.jobs.models import Job
from intranet.plugin_api import enqueue, local_today
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import utcnow
from plugins.meedenkgroepen.models import (
    PANEL_CONSENT,
    SENT,
    SKIPPED,
    FeedbackMail,
    Invitation,
    Panel,
    PanelMember,
    Questionnaire,
)
from plugins.meedenkgroepen.service import invitations_this_year, queue_feedback_mails

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture

FEEDBACK = "Op basis van uw antwoorden komt er een vast telefoonnummer voor het wijkteam."


def _answered_questionnaire(app, status: str = "verzonden") -> int:  # type: ignore[no-untyped-def]
    """Five members: lid0..lid3 answered, lid4 did not; lid1 withdrew consent, lid2 left."""
    with app.app_context():
        m = municipality("zaanstad")
        panel = Panel(municipality_id=m.id, name="Terugkoppelpanel", mailbox="p@zaanstad.nl")
        db.session.add(panel)
        db.session.flush()
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel.id,
            title="Hoe bereikbaar is het wijkteam?",
            opens_on=local_today() - timedelta(days=20),
            closes_on=local_today() - timedelta(days=1),
            status=status,
        )
        db.session.add(q)
        db.session.flush()
        for i in range(5):
            r = Resident(
                municipality_id=m.id, name=f"Lid {i}", email=f"lid{i}@example.org", kind="client"
            )
            db.session.add(r)
            db.session.flush()
            member = PanelMember(
                municipality_id=m.id,
                panel_id=panel.id,
                resident_id=r.id,
                joined_on=local_today() - timedelta(days=30),
                left_at=utcnow() if i == 2 else None,
            )
            db.session.add(member)
            db.session.flush()
            db.session.add(
                Consent(
                    municipality_id=m.id,
                    resident_id=r.id,
                    purpose=PANEL_CONSENT,
                    method="form",
                    given_on=local_today() - timedelta(days=30),
                    withdrawn_on=local_today() if i == 1 else None,
                )
            )
            if status != "concept":
                db.session.add(
                    Invitation(
                        municipality_id=m.id,
                        questionnaire_id=q.id,
                        resident_id=r.id,
                        member_id=member.id,
                        status=SENT,
                        answered_at=utcnow() if i < 4 else None,
                    )
                )
        db.session.commit()
        return q.id


def test_feedback_reaches_those_who_answered_and_still_consent_once(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    qid = _answered_questionnaire(app)
    c = signed_in(app, "zaanstad", "coordinator")
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "nog niet gehoord wat er met hun antwoorden is gedaan" in page
    with app.app_context():
        ids = list(
            db.session.execute(select(Resident.id).where(Resident.email.like("lid%"))).scalars()
        )
        before = invitations_this_year(municipality("zaanstad"), ids)
        invitations_before = db.session.execute(select(func.count(Invitation.id))).scalar_one()
    r = post(c, f"{BASE}/vragenlijsten/{qid}/terugkoppeling", {"feedback_text": FEEDBACK})
    assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    assert sorted(m["To"] for m in smtp.messages) == ["lid0@example.org", "lid3@example.org"]
    (mail,) = smtp.to("lid0@example.org")
    assert "Hoe bereikbaar is het wijkteam?" in mail["Subject"]
    assert FEEDBACK in body(mail) and "Lid 0" in body(mail)
    with app.app_context():
        q = db.session.get(Questionnaire, qid)
        assert q.feedback_text == FEEDBACK and q.feedback_sent_at is not None
        job = db.session.get(Job, q.feedback_job_id)
        assert job.status == "done" and job.total == 2
        # feedback is no questionnaire: the yearly limit does not move
        assert invitations_this_year(municipality("zaanstad"), ids) == before
        assert (
            db.session.execute(select(func.count(Invitation.id))).scalar_one() == invitations_before
        )
        event = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == "meedenkgroepen.questionnaire.feedback")
        ).scalar_one()
        assert len(event.details["residents"]) == 2
    page = c.get(f"{BASE}/vragenlijsten/{qid}").get_data(as_text=True)
    assert "2 verzonden" in page and FEEDBACK in page
    # pressing again mails nobody twice
    smtp.clear()
    r = post(c, f"{BASE}/vragenlijsten/{qid}/terugkoppeling", {"feedback_text": FEEDBACK})
    assert r.status_code == 302 and smtp.messages == []


def test_consent_withdrawn_after_queueing_is_respected_when_sent(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    qid = _answered_questionnaire(app)
    with app.app_context():
        m = municipality("zaanstad")
        q = db.session.get(Questionnaire, qid)
        q.feedback_text = FEEDBACK
        lid0, lid3 = (
            db.session.execute(select(Resident).where(Resident.email == e)).scalar_one()
            for e in ("lid0@example.org", "lid3@example.org")
        )
        assert (
            queue_feedback_mails(m.id, f"questionnaire:{qid}", "terugkoppeling", [lid0, lid3]) == 2
        )
        consent = db.session.execute(
            select(Consent).where(Consent.resident_id == lid3.id, Consent.purpose == PANEL_CONSENT)
        ).scalar_one()
        consent.withdrawn_on = local_today()
        db.session.commit()
        enqueue(
            "plugins.meedenkgroepen.jobs:send_feedback_mails",
            title="Terugkoppeling",
            municipality_id=m.id,
            created_by="coordinator",
            ref=f"questionnaire:{qid}",
            kind="terugkoppeling",
        )
        statuses = dict(
            db.session.execute(
                select(FeedbackMail.resident_id, FeedbackMail.status).where(
                    FeedbackMail.ref == f"questionnaire:{qid}"
                )
            ).all()
        )
        assert statuses == {lid0.id: SENT, lid3.id: SKIPPED}
        # the last progress line accounts for the one not mailed, in the reader's language
        job = db.session.execute(select(Job).order_by(Job.id.desc())).scalars().first()
        assert (job.status, job.failed) == ("done", 0)
        assert job.message_text == (
            "E-mails verzonden: 1 van 2; 1 overgeslagen (geen toestemming meer of afgemeld)."
        )
        with force_locale("en"):
            assert "1 skipped" in job.message_text
    assert [m["To"] for m in smtp.messages] == ["lid0@example.org"]


def test_bad_input_permissions_and_drafts(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    qid = _answered_questionnaire(app)
    c = signed_in(app, "zaanstad", "coordinator")
    url = f"{BASE}/vragenlijsten/{qid}/terugkoppeling"
    for data, message in (
        ({"feedback_text": ""}, "Beschrijf wat er met de antwoorden is gedaan."),
        ({"feedback_text": "  \t "}, "Beschrijf wat er met de antwoorden is gedaan."),
        ({"feedback_text": "x" * 10001}, "Hoogstens 10000 tekens."),
        ({}, "Beschrijf wat er met de antwoorden is gedaan."),
    ):
        r = post(c, url, data)
        assert r.status_code == 400, data
        assert message in form_errors(r.get_data(as_text=True))
    assert c.post(url, data={"feedback_text": FEEDBACK}).status_code == 400  # no CSRF token
    draft = _answered_questionnaire(app, status="concept")
    r = post(c, f"{BASE}/vragenlijsten/{draft}/terugkoppeling", {"feedback_text": FEEDBACK})
    assert r.status_code == 400
    assert "nog niet verstuurd" in " ".join(form_errors(r.get_data(as_text=True)))
    # a policy officer may view, not mail the panel; another municipality sees nothing
    officer = signed_in(app, "zaanstad", "ambtenaar")
    assert post(officer, url, {"feedback_text": FEEDBACK}).status_code == 403
    other = signed_in(app, "zwolle", "griffier")
    r = post(
        other,
        f"/zwolle/meedenkgroepen/vragenlijsten/{qid}/terugkoppeling",
        {"feedback_text": FEEDBACK},
    )
    assert r.status_code in (403, 404)
    assert smtp.messages == []
    with app.app_context():
        assert db.session.get(Questionnaire, qid).feedback_text == ""
        assert (
            db.session.execute(
                select(FeedbackMail).where(FeedbackMail.ref == f"questionnaire:{qid}")
            ).first()
            is None
        )
