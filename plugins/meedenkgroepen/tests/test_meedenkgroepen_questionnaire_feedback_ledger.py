"""Questionnaire feedback closes the loop in the core's contributions ledger: once the feedback
mailing job has mailed the panel members who answered, the questionnaire's answers are no
longer owed feedback, on the Terugkoppeling page and in the resident's contributions. Runs the
real job (JOBS_EAGER) against a real SMTP server."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from test_meedenkgroepen_support import BASE, municipality

from intranet.extensions import db
from intranet.feedback import service as feedback
from intranet.municipalities import service
from intranet.plugin_api import local_today
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import today, utcnow
from plugins.meedenkgroepen.models import (
    PANEL_CONSENT,
    SENT,
    Invitation,
    Panel,
    PanelMember,
    Questionnaire,
    Response,
)

pytest_plugins = ("test_meedenkgroepen_support",)  # the smtp fixture

TITLE = "Hoe vindt u de nieuwe wijkteamspreekuren?"
FEEDBACK = "Op basis van uw antwoorden houden we ook op zaterdag spreekuur."


def _questionnaire(app, emails: tuple[str, ...]) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    """A sent questionnaire, closed long ago (so its feedback is overdue), answered by every
    member; each member consents to the panel's mail."""
    with app.app_context():
        m = municipality("zaanstad")
        panel = Panel(municipality_id=m.id, name="Ledgerpanel")
        db.session.add(panel)
        db.session.flush()
        q = Questionnaire(
            municipality_id=m.id,
            panel_id=panel.id,
            title=TITLE,
            themes=["Wijkteams"],
            opens_on=local_today() - timedelta(days=90),
            closes_on=local_today() - timedelta(days=60),
            status="gesloten",
        )
        db.session.add(q)
        db.session.flush()
        ids = []
        for n, email in enumerate(emails):
            r = Resident(municipality_id=m.id, name=f"Panellid {n}", email=email, kind="client")
            db.session.add(r)
            db.session.flush()
            member = PanelMember(
                municipality_id=m.id,
                panel_id=panel.id,
                resident_id=r.id,
                joined_on=local_today() - timedelta(days=100),
            )
            db.session.add(member)
            db.session.flush()
            db.session.add_all(
                [
                    Consent(
                        municipality_id=m.id,
                        resident_id=r.id,
                        purpose=PANEL_CONSENT,
                        method="form",
                        given_on=local_today() - timedelta(days=100),
                    ),
                    Invitation(
                        municipality_id=m.id,
                        questionnaire_id=q.id,
                        resident_id=r.id,
                        member_id=member.id,
                        status=SENT,
                        answered_at=utcnow() - timedelta(days=70),
                    ),
                    Response(municipality_id=m.id, questionnaire_id=q.id),
                ]
            )
            ids.append(r.id)
        db.session.commit()
        return q.id, ids


def _item(app, qid: int, resident_id: int | None = None):  # type: ignore[no-untyped-def]
    with app.test_request_context("/zaanstad/"):
        m = service.by_slug("zaanstad")
        resident = db.session.get(Resident, resident_id) if resident_id else None
        return next(
            c
            for c in feedback.contributions(m, resident=resident)
            if c.plugin == "meedenkgroepen" and c.key == f"questionnaire-{qid}"
        )


def test_feedback_job_marks_questionnaire_answers_as_fed_back(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    app = demo
    qid, (first, second) = _questionnaire(app, ("pl0@example.org", "pl1@example.org"))
    item = _item(app, qid)
    assert item.owed and item.kind == "questionnaire_answer"
    assert item.resident_ids == (first, second)
    assert item.url == f"{BASE}/vragenlijsten/{qid}#terugkoppeling"
    c = signed_in(app, "zaanstad", "coordinator")
    page = c.get("/zaanstad/terugkoppeling/?plugin=meedenkgroepen").get_data(as_text=True)
    assert TITLE in page
    assert f"{BASE}/vragenlijsten/{qid}#terugkoppeling" in page

    r = post(c, f"{BASE}/vragenlijsten/{qid}/terugkoppeling", {"feedback_text": FEEDBACK})
    assert r.status_code == 302, form_errors(r.get_data(as_text=True))
    assert sorted(m["To"] for m in smtp.messages) == ["pl0@example.org", "pl1@example.org"]

    item = _item(app, qid)
    assert not item.owed
    assert item.feedback_sent_at == today() and item.feedback_how == "mail"
    assert item.status == "considered" and item.status_reason == FEEDBACK
    # the same in a resident's own contributions (their page, an access request)
    assert not _item(app, qid, resident_id=first).owed
    page = c.get("/zaanstad/terugkoppeling/?plugin=meedenkgroepen").get_data(as_text=True)
    assert TITLE not in page


def test_feedback_stays_owed_while_no_mail_went_out(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    """A refused mailbox: the job ran, the mail failed, so nobody heard back yet."""
    app = demo
    qid, _ids = _questionnaire(app, ("weigert@example.org",))
    smtp.refuse("weigert@example.org")
    c = signed_in(app, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/vragenlijsten/{qid}/terugkoppeling", {"feedback_text": FEEDBACK})
    assert r.status_code == 302
    assert smtp.messages == []
    assert _item(app, qid).owed
    assert TITLE in c.get("/zaanstad/terugkoppeling/").get_data(as_text=True)


def test_feedback_with_nobody_left_to_mail_counts_as_given(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    """Every member who answered withdrew consent: the feedback is recorded, nobody can be
    mailed, and the item leaves the list rather than staying owed forever."""
    app = demo
    qid, ids = _questionnaire(app, ("ingetrokken@example.org",))
    with app.app_context():
        consent = db.session.execute(
            select(Consent).where(Consent.resident_id == ids[0], Consent.purpose == PANEL_CONSENT)
        ).scalar_one()
        consent.withdrawn_on = local_today()
        db.session.commit()
    c = signed_in(app, "zaanstad", "coordinator")
    r = post(c, f"{BASE}/vragenlijsten/{qid}/terugkoppeling", {"feedback_text": FEEDBACK})
    assert r.status_code == 302 and smtp.messages == []
    item = _item(app, qid)
    assert not item.owed and item.feedback_sent_at == today()
    with app.app_context():
        assert db.session.get(Questionnaire, qid).feedback_sent_at is not None
