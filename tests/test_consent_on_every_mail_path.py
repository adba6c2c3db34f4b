"""Consent is checked on every mail path, through one core rule: ``may_contact`` (issue 10 §5).

One test per path, each with a withdrawn consent, through the pages and a real SMTP server
(aiosmtpd): raadsgesprekken confirmations and feedback (contact consent), the bundle for the
executive (anonymised-use consent), the six-step trajectory's feedback (group consent) and
questionnaire reminders (panel consent). Invitations of a questionnaire and a group's mail
are covered by ``test_withdrawing_consent_stops_a_mailing_already_queued`` and
``test_withdrawn_group_consent_stops_the_mail_and_hides_the_member``.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.residents.models import Consent, Resident
from intranet.residents.service import give_consent, may_contact, withdraw_consent
from intranet.tenancy import scoped
from intranet.testing.helpers import form_errors, post, signed_in
from intranet.timeutil import local_today, utcnow

pytest_plugins = ("test_meedenkgroepen_support",)  # the real SMTP server (aiosmtpd) fixture

RG = "/zwolle/raadsgesprekken"
PETRA = "petra.jansen@example.org"


def _withdraw(resident_email: str, purpose: str) -> None:
    resident = db.session.execute(
        select(Resident).where(Resident.email == resident_email)
    ).scalar_one()
    consent = db.session.execute(
        select(Consent).where(Consent.resident_id == resident.id, Consent.purpose == purpose)
    ).scalar_one()
    assert withdraw_consent(consent)
    db.session.commit()
    assert not may_contact(resident, purpose)


def test_may_contact_is_the_rule(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        m = municipalities.by_slug("zwolle")
        r = Resident(municipality_id=m.id, name="Test", kind="client")
        db.session.add(r)
        db.session.flush()
        assert not may_contact(r, "raadsgesprekken.contact")
        assert not may_contact(None, "raadsgesprekken.contact")
        c = give_consent(
            r, "raadsgesprekken.contact", method="form", given_on=date(2026, 1, 5), recorded_by="t"
        )
        assert may_contact(r, "raadsgesprekken.contact", on=date(2026, 1, 5))
        assert not may_contact(r, "raadsgesprekken.contact", on=date(2026, 1, 4))
        assert not may_contact(r, "raadsgesprekken.other", on=date(2026, 1, 5))
        withdraw_consent(c, on=date(2026, 2, 1))
        assert may_contact(r, "raadsgesprekken.contact", on=date(2026, 1, 31))
        assert not may_contact(r, "raadsgesprekken.contact", on=date(2026, 2, 1))


# -- raadsgesprekken --------------------------------------------------------------------------
def _request(griffier) -> int:  # type: ignore[no-untyped-def]
    response = post(
        griffier,
        f"{RG}/aanvragen/nieuw",
        {
            "resident_id": "0",
            "new_name": "Petra Jansen",
            "new_kind": "client",
            "new_email": PETRA,
            "new_phone": "",
            "new_address": "Dorpsstraat 1, Zwolle",
            "new_neighbourhood": "Diezerpoort",
            "requester": "client",
            "care_kinds": ["huishoudelijke hulp"],
            "received_via": "wijkteam",
            "form": "city_hall",
            "form_address": "",
            "grouping": "alone",
            "channel": "phone",
            "requested_on": local_today().isoformat(),
            "consent_contact": "y",
            "consent_anonymised": "y",
            "consent_method": "verbal",
        },
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    return int(response.headers["Location"].rsplit("/", 1)[1])


def _schedule(app, griffier, req_id: int):  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken.models import ConversationDay, CouncilMember

    with app.app_context():
        m = municipalities.by_slug("zwolle")
        day = (
            db.session.execute(scoped(ConversationDay, m).order_by(ConversationDay.day))
            .scalars()
            .first()
        )
        slot = next(s for s in day.slots if s.starts == time(11, 0))
        members = db.session.execute(
            scoped(CouncilMember, m).where(CouncilMember.username.in_(["raadslid", "raadslid2"]))
        ).scalars()
        data = {
            "requests": [str(req_id)],
            "slot_id": str(slot.id),
            "day": "",
            "starts": "",
            "ends": "",
            "form": "city_hall",
            "place": "Stadhuis",
            "members": [str(x.id) for x in members],
        }
    response = post(griffier, f"{RG}/aanvragen/{req_id}/inplannen", data)
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))


def test_no_confirmation_after_the_contact_consent_was_withdrawn(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    req_id = _request(griffier)
    with demo.app_context():
        _withdraw(PETRA, "raadsgesprekken.contact")
    _schedule(demo, griffier, req_id)
    assert smtp.to("raadslid@zwolle.demo")  # the council members' invitations still go
    assert smtp.to(PETRA) == []


def _through_to_summary(app, smtp):  # type: ignore[no-untyped-def]
    """Request, plan, hold, report with ideas and feedback wanted, bundle, answer every idea."""
    from plugins.raadsgesprekken.models import ConversationRequest, ExecutiveSummary, ReportIdea

    griffier = signed_in(app, "zwolle", "griffier")
    req_id = _request(griffier)
    _schedule(app, griffier, req_id)
    with app.app_context():
        req = db.session.get(ConversationRequest, req_id)
        # the conversation took place this morning: only a held one can be reported on
        appointment = req.appointment
        length = appointment.ends_at - appointment.starts_at
        appointment.starts_at = utcnow().replace(microsecond=0) - timedelta(hours=3)
        appointment.ends_at = appointment.starts_at + length
        db.session.commit()
        appt_id, day = req.appointment_id, appointment.starts_at
    raadslid = signed_in(app, "zwolle", "raadslid")
    assert post(raadslid, f"{RG}/gesprekken/{appt_id}/gevoerd").status_code == 302
    response = post(
        raadslid,
        f"{RG}/gesprekken/{appt_id}/verslag/schrijven",
        {
            "themes": ["bejegening"],
            "important": "Vaste dagen.",
            "quotes": "Ik wil niet steeds een ander gezicht.",
            "ideas": "Vaste hulp per cliënt.",
            "feedback": [str(req_id)],
        },
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    from intranet.timeutil import to_local

    local_day = to_local(day).date().isoformat()
    response = post(
        griffier,
        f"{RG}/doorgeefluik/nieuw",
        {"title": "Wat cliënten vertelden", "period_start": local_day, "period_end": local_day},
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    with app.app_context():
        summary_id = db.session.execute(
            select(ExecutiveSummary.id).order_by(ExecutiveSummary.id.desc()).limit(1)
        ).scalar_one()  # the demo has answered summaries of its own
        ideas = list(
            db.session.execute(
                select(ReportIdea.id).where(ReportIdea.summary_id == summary_id)
            ).scalars()
        )
    for idea in ideas:
        post(griffier, f"{RG}/doorgeefluik/ideeen/{idea}/antwoord", {"answer": "Overgenomen."})
    smtp.clear()
    return griffier, summary_id


def test_no_feedback_mail_after_the_contact_consent_was_withdrawn(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    griffier, summary_id = _through_to_summary(demo, smtp)
    with demo.app_context():
        _withdraw(PETRA, "raadsgesprekken.contact")
    assert post(griffier, f"{RG}/doorgeefluik/{summary_id}/terugkoppelen").status_code == 302
    assert smtp.to(PETRA) == []
    from plugins.raadsgesprekken.models import ResidentFeedback

    with demo.app_context():  # and no letter recorded either
        mine = select(ResidentFeedback).where(ResidentFeedback.summary_id == summary_id)
        assert db.session.execute(mine).first() is None


def test_the_executives_bundle_leaves_out_a_withdrawn_anonymised_use(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    griffier, summary_id = _through_to_summary(demo, smtp)
    printable = griffier.get(f"{RG}/doorgeefluik/{summary_id}/afdrukken").get_data(as_text=True)
    assert "Vaste hulp per cliënt." in printable
    with demo.app_context():
        _withdraw(PETRA, "raadsgesprekken.anonymised_use")
    printable = griffier.get(f"{RG}/doorgeefluik/{summary_id}/afdrukken").get_data(as_text=True)
    assert "Vaste hulp per cliënt." not in printable and "ander gezicht" not in printable
    csv = griffier.get(f"{RG}/doorgeefluik/{summary_id}/export.csv").get_data(as_text=True)
    assert "Vaste hulp" not in csv and "ander gezicht" not in csv


# -- meedenkgroepen ---------------------------------------------------------------------------
def test_no_trajectory_feedback_after_the_group_consent_was_withdrawn(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    from intranet.timeutil import utcnow
    from plugins.meedenkgroepen.models import (
        GROUP_CONSENT,
        Attendance,
        Contribution,
        Group,
        Meeting,
        Trajectory,
    )

    with demo.app_context():
        m = municipalities.by_slug("zaanstad")
        group = Group(municipality_id=m.id, theme="Jeugd", goal="x", status="actief")
        db.session.add(group)
        db.session.flush()
        meeting = Meeting(municipality_id=m.id, group_id=group.id, starts_at=utcnow(), location="X")
        db.session.add(meeting)
        db.session.flush()
        people = []
        for name in ("eva", "wim"):
            r = Resident(
                municipality_id=m.id, name=name, email=f"{name}@example.org", kind="client"
            )
            db.session.add(r)
            db.session.flush()
            give_consent(
                r, GROUP_CONSENT, method="form", given_on=date(2026, 1, 1), recorded_by="t"
            )
            meeting.attendances.append(Attendance(municipality_id=m.id, resident_id=r.id))
            people.append(r)
        t = Trajectory(municipality_id=m.id, topic="Vervoer", origin="beleid", step=5)
        db.session.add(t)
        db.session.flush()
        db.session.add(
            Contribution(
                municipality_id=m.id,
                trajectory_id=t.id,
                source="meeting",
                meeting_id=meeting.id,
                text="Meer busjes.",
                decision="adopted",
            )
        )
        db.session.commit()
        trajectory_id = t.id
        _withdraw("wim@example.org", GROUP_CONSENT)
    c = signed_in(demo, "zaanstad", "coordinator")
    response = post(c, f"/zaanstad/meedenkgroepen/trajecten/{trajectory_id}/terugkoppeling")
    assert response.status_code == 302
    assert [msg["To"] for msg in smtp.messages] == ["eva@example.org"]


def test_no_questionnaire_reminder_after_the_panel_consent_was_withdrawn(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    from test_meedenkgroepen_questionnaires import _panel, _questionnaire

    from plugins.meedenkgroepen.models import PANEL_CONSENT

    panel_id = _panel(demo, 2)
    qid = _questionnaire(demo, panel_id)
    c = signed_in(demo, "zaanstad", "coordinator")
    assert post(c, f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}/verzenden").status_code == 302
    assert sorted(m["To"] for m in smtp.messages) == ["lid0@example.org", "lid1@example.org"]
    smtp.clear()
    with demo.app_context():
        _withdraw("lid1@example.org", PANEL_CONSENT)
    assert post(c, f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}/herinneren").status_code == 302
    assert [m["To"] for m in smtp.messages] == ["lid0@example.org"]
