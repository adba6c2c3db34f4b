"""The raadsgesprekken plugin through its pages, as the clerk, council members and others.

Real slapd sign-ins, a real SMTP server (aiosmtpd) and .ics invitations parsed back with
icalendar. The demo data (seed 000, Zwolle) provides the conversation day and council members.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.plugin_api import local_today, utcnow
from intranet.residents.models import Resident
from intranet.tenancy import scoped
from intranet.testing.helpers import form_errors, post, signed_in
from intranet_dev.slapd import free_port
from plugins.raadsgesprekken.models import (
    REPORTED,
    ConversationAppointment,
    ConversationDay,
    ConversationReport,
    ConversationRequest,
    ConversationSlot,
    CouncilMember,
    ExecutiveSummary,
    ReportIdea,
    ResidentFeedback,
    StakeholderMeeting,
)

BASE = "/zwolle/raadsgesprekken"


# -- fixtures -------------------------------------------------------------------------------
class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        msg = message_from_bytes(envelope.content)
        msg["X-Rcpt"] = ",".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["X-Rcpt"]]


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:  # type: ignore[no-untyped-def]
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config.get(k) for k in ("SMTP_HOST", "SMTP_PORT", "MAIL_FROM")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="intranet@zwolle.demo")
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


def zwolle():  # type: ignore[no-untyped-def]
    return municipalities.by_slug("zwolle")


def member(name: str) -> CouncilMember:
    return db.session.execute(select(CouncilMember).where(CouncilMember.name == name)).scalar_one()


def demo_day() -> ConversationDay:
    return (
        db.session.execute(scoped(ConversationDay, zwolle()).order_by(ConversationDay.day))
        .scalars()
        .first()
    )


def slot_at(hour: int) -> ConversationSlot:
    day = demo_day()
    return next(s for s in day.slots if s.starts == time(hour, 0))


def body(msg: Message) -> str:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def ics_of(msg: Message) -> Calendar:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_payload(decode=True))


def request_data(**overrides) -> dict:  # type: ignore[type-arg]
    data = {
        "resident_id": "0",
        "new_name": "Petra Jansen",
        "new_kind": "client",
        "new_email": "petra.jansen@example.org",
        "new_phone": "06 11112222",
        "new_address": "Dorpsstraat 1, Zwolle",
        "new_neighbourhood": "Diezerpoort",
        "requester": "client",
        "care_kinds": ["huishoudelijke hulp", "ggz-hulp"],
        "received_via": "wijkteam",
        "form": "home",
        "form_address": "",
        "grouping": "alone",
        "trusted_name": "Joop Jansen",
        "trusted_relation": "partner",
        "needs": ["interpreter"],
        "preferred_times": "Vrijdagochtend",
        "channel": "phone",
        "requested_on": local_today().isoformat(),
        "consent_contact": "y",
        "consent_anonymised": "y",
        "consent_method": "verbal",
    }
    data.update(overrides)
    return data


def new_request(client, **overrides) -> ConversationRequest:  # type: ignore[no-untyped-def]
    response = post(client, f"{BASE}/aanvragen/nieuw", request_data(**overrides))
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    req_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return db.session.get(ConversationRequest, req_id)


def schedule(client, req: ConversationRequest, members: list[CouncilMember], **overrides):  # type: ignore[no-untyped-def]
    data = {
        "requests": [str(req.id)],
        "slot_id": "0",
        "day": "",
        "starts": "",
        "ends": "",
        "form": req.form,
        "place": "",
        "members": [str(m.id) for m in members],
    }
    data.update(overrides)
    return post(client, f"{BASE}/aanvragen/{req.id}/inplannen", data)


def audit_actions(action: str) -> list[AuditEvent]:
    return list(
        db.session.execute(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        ).scalars()
    )


# -- the whole path ---------------------------------------------------------------------------
def test_phone_intake_to_executive_answer_and_feedback(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        # 1. intake of a phone call, with a new resident and two consents
        page = griffier.get(f"{BASE}/aanvragen/nieuw")
        assert page.status_code == 200
        assert "huishoudelijke hulp" in page.get_data(as_text=True)
        req = new_request(griffier)
        assert req.status == "aangevraagd"
        assert req.care_kinds == ["huishoudelijke hulp", "ggz-hulp"]
        assert req.neighbourhood == "Diezerpoort"
        resident = req.resident
        assert resident.name == "Petra Jansen"
        assert resident.has_consent("raadsgesprekken.contact")
        assert resident.has_consent("raadsgesprekken.anonymised_use")
        detail = griffier.get(f"{BASE}/aanvragen/{req.id}").get_data(as_text=True)
        assert "Petra Jansen" in detail and "Tolk" in detail

        # 2. plan it on the conversation day, 11:00, with the pair
        bakker, amrani = member("Mirjam Bakker"), member("Ahmed El Amrani")
        slot = slot_at(11)
        response = schedule(griffier, req, [bakker, amrani], slot_id=str(slot.id))
        assert response.status_code == 302, form_errors(response.get_data(as_text=True))
        db.session.expire_all()
        req = db.session.get(ConversationRequest, req.id)
        appt = req.appointment
        assert req.status == "ingepland"
        assert appt.place == "Dorpsstraat 1, Zwolle" and appt.place_is_home
        assert {m.member.name for m in appt.members} == {"Mirjam Bakker", "Ahmed El Amrani"}

        # invitations for both council members, parsed back
        for who in ("raadslid@zwolle.demo", "raadslid2@zwolle.demo"):
            (msg,) = smtp.to(who)
            cal = ics_of(msg)
            assert str(cal["method"]) == "REQUEST"
            (event,) = cal.walk("VEVENT")
            start = event.decoded("dtstart").astimezone(UTC)
            expected = datetime.combine(demo_day().day, time(11, 0)).astimezone(UTC)
            assert (
                start.hour
                == datetime.combine(
                    demo_day().day,
                    time(11, 0),
                    tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"),
                )
                .astimezone(UTC)
                .hour
            )
            assert start.date() == demo_day().day
            assert event.decoded("dtend").astimezone(UTC) - start == timedelta(hours=1)
            assert str(event["attendee"]).lower() == f"mailto:{who}"
            assert "Petra" not in cal.to_ical().decode()  # no resident name in the invitation
            del expected
        # the confirmation to the resident
        (confirmation,) = smtp.to("petra.jansen@example.org")
        text = body(confirmation)
        assert "Beste Petra Jansen" in text and "Mirjam Bakker" in text
        assert "Dorpsstraat 1" in text

        # the .ics download per council member is the same invitation
        ics = griffier.get(f"{BASE}/gesprekken/{appt.id}/uitnodiging-{bakker.id}.ics")
        assert ics.status_code == 200 and ics.mimetype == "text/calendar"
        assert Calendar.from_ical(ics.data).walk("VEVENT")[0]["uid"]

    # 3. as Mirjam Bakker: she sees the address, marks it held, writes the report
    mirjam = signed_in(demo, "zwolle", "raadslid")
    with demo.app_context():
        page = mirjam.get(f"{BASE}/gesprekken/{appt.id}").get_data(as_text=True)
        assert "Dorpsstraat 1, Zwolle" in page
        # the conversation takes place: "held" can only be recorded once it has started
        appt = db.session.get(ConversationAppointment, appt.id)
        planned, appt.starts_at = appt.starts_at, utcnow() - timedelta(hours=1)
        db.session.commit()
        response = post(mirjam, f"{BASE}/gesprekken/{appt.id}/gevoerd")
        assert response.status_code == 302
        db.session.expire_all()
        appt = db.session.get(ConversationAppointment, appt.id)
        appt.starts_at = planned  # back on its day, for the period of the summary below
        db.session.commit()
        assert appt.place == ""  # home address removed once held
        assert appt.requests[0].status == "gevoerd"
        response = post(
            mirjam,
            f"{BASE}/gesprekken/{appt.id}/verslag/schrijven",
            {
                "themes": ["cliëntondersteuning", "bejegening"],
                "important": "Dat de hulp op vaste dagen komt.",
                "quotes": "Petra zegt: ik wil niet steeds een ander gezicht.",
                "ideas": "Vaste hulp per cliënt.\nEén contactpersoon bij het wijkteam.",
                "feedback": [str(req.id)],
            },
        )
        assert response.status_code == 302, form_errors(response.get_data(as_text=True))
        db.session.expire_all()
        report = db.session.execute(
            select(ConversationReport).where(ConversationReport.appointment_id == appt.id)
        ).scalar_one()
        assert [i.text for i in report.ideas] == [
            "Vaste hulp per cliënt.",
            "Eén contactpersoon bij het wijkteam.",
        ]
        assert db.session.get(ConversationRequest, req.id).status == "verslag gemaakt"
        assert db.session.get(ConversationRequest, req.id).wants_feedback
        before = len(audit_actions("raadsgesprekken.report.viewed"))
        report_page = mirjam.get(f"{BASE}/gesprekken/{appt.id}/verslag").get_data(as_text=True)
        assert "vaste dagen" in report_page
        # the writer by name, as the audit log names them, not the bare user name
        assert "geschreven door Mirjam Bakker (raadslid)" in report_page
        assert len(audit_actions("raadsgesprekken.report.viewed")) == before + 1

    # 4. the clerk bundles the period for the executive
    with demo.app_context():
        day = demo_day().day
        response = post(
            griffier,
            f"{BASE}/doorgeefluik/nieuw",
            {
                "title": "Wat cliënten vertelden",
                "period_start": day.isoformat(),
                "period_end": day.isoformat(),
            },
        )
        assert response.status_code == 302, form_errors(response.get_data(as_text=True))
        summary = db.session.execute(
            select(ExecutiveSummary).where(ExecutiveSummary.title == "Wat cliënten vertelden")
        ).scalar_one()
        assert summary.report_ids == [report.id]
        printable = griffier.get(f"{BASE}/doorgeefluik/{summary.id}/afdrukken").get_data(
            as_text=True
        )
        assert "Petra" not in printable and "[naam] zegt" in printable
        assert "cliëntondersteuning" in printable and "Vaste hulp per cliënt." in printable
        csv = griffier.get(f"{BASE}/doorgeefluik/{summary.id}/export.csv")
        assert csv.mimetype == "text/csv"
        csv_text = csv.get_data(as_text=True)
        assert "thema;bejegening;1" in csv_text and "Petra" not in csv_text

        # feedback cannot go out before every idea has an answer
        post(griffier, f"{BASE}/doorgeefluik/{summary.id}/terugkoppelen")
        assert (
            db.session.execute(
                select(ResidentFeedback).where(ResidentFeedback.summary_id == summary.id)
            ).first()
            is None
        )
        for idea in db.session.execute(
            select(ReportIdea).where(ReportIdea.summary_id == summary.id)
        ).scalars():
            response = post(
                griffier,
                f"{BASE}/doorgeefluik/ideeen/{idea.id}/antwoord",
                {"answer": f"Het college neemt dit over ({idea.id})."},
            )
            assert response.status_code == 302
        response = post(griffier, f"{BASE}/doorgeefluik/{summary.id}/terugkoppelen")
        assert response.status_code == 302
        (feedback_mail,) = [
            m for m in smtp.to("petra.jansen@example.org") if "college doet" in m["Subject"]
        ]
        text = body(feedback_mail)
        assert "Vaste hulp per cliënt." in text and "Het college neemt dit over" in text
        db.session.expire_all()
        (fb,) = db.session.execute(
            select(ResidentFeedback).where(ResidentFeedback.summary_id == summary.id)
        ).scalars()
        assert fb.method == "mail" and fb.request_id == req.id
        req = db.session.get(ConversationRequest, req.id)
        assert req.status == "afgerond"
        steps = [c.to_status for c in req.history]
        assert steps == ["aangevraagd", "ingepland", "gevoerd", "verslag gemaakt", "afgerond"]
        assert all(c.by and c.at for c in req.history)
        # the summary shows the loop closed
        assert "e-mail verstuurd" in griffier.get(f"{BASE}/doorgeefluik/{summary.id}").get_data(
            as_text=True
        )


# -- conflicts through the page ---------------------------------------------------------------
def test_every_conflict_rule_is_refused_with_a_clear_message(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        bakker, amrani, visser = (
            member("Mirjam Bakker"),
            member("Ahmed El Amrani"),
            member("Gerda Visser"),
        )
        cor = db.session.execute(
            scoped(ConversationRequest, zwolle())
            .join(Resident, Resident.id == ConversationRequest.resident_id)
            .where(Resident.name == "Cor van Dijk")
        ).scalar_one()
        count = db.session.execute(select(ConversationAppointment)).scalars().all()

        # Bakker and El Amrani are already with Anna at 10:00 (demo)
        response = schedule(griffier, cor, [bakker], slot_id=str(slot_at(10).id))
        assert response.status_code == 400
        errors = form_errors(response.get_data(as_text=True))
        assert any(
            e.startswith("Mirjam Bakker heeft op dat moment al een ander gesprek: van 10:00 tot")
            for e in errors
        ), errors

        # Visser is not available in the 10:00 slot
        response = schedule(griffier, cor, [visser], slot_id=str(slot_at(10).id))
        assert "Gerda Visser is in dit tijdvak niet beschikbaar." in form_errors(
            response.get_data(as_text=True)
        )

        # fill the 14:00 slot (capacity 2), then a third is refused
        slot14 = slot_at(14)
        other = new_request(griffier, new_name="Derde Inwoner", new_email="")
        third = new_request(griffier, new_name="Vierde Inwoner", new_email="")
        assert schedule(griffier, cor, [bakker], slot_id=str(slot14.id)).status_code == 302
        assert schedule(griffier, other, [amrani], slot_id=str(slot14.id)).status_code == 302
        response = schedule(griffier, third, [visser], slot_id=str(slot14.id))
        assert response.status_code == 400
        assert any("Dit tijdvak is vol" in e for e in form_errors(response.get_data(as_text=True)))

        # a free appointment on the conversation day outside Visser's availability (09:00)
        response = schedule(
            griffier,
            third,
            [visser],
            day=demo_day().day.isoformat(),
            starts="09:00",
            ends="09:45",
        )
        assert "Gerda Visser is op deze gespreksdag op dat moment niet beschikbaar." in form_errors(
            response.get_data(as_text=True)
        )
        # on another day, by appointment, it works
        other_day = (demo_day().day + timedelta(days=3)).isoformat()
        response = schedule(griffier, third, [visser], day=other_day, starts="09:00", ends="09:45")
        assert response.status_code == 302, form_errors(response.get_data(as_text=True))
        assert (
            len(db.session.execute(select(ConversationAppointment)).scalars().all())
            == len(count) + 3
        )


def test_reschedule_and_cancel_with_a_reason(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        bakker, amrani = member("Mirjam Bakker"), member("Ahmed El Amrani")
        req = new_request(griffier)
        assert (
            schedule(griffier, req, [bakker, amrani], slot_id=str(slot_at(11).id)).status_code
            == 302
        )
        appt_id = db.session.get(ConversationRequest, req.id).appointment_id
        smtp.messages.clear()

        url = f"{BASE}/gesprekken/{appt_id}/verplaatsen"
        data = {
            "requests": [str(req.id)],
            "slot_id": str(slot_at(13).id),
            "form": "home",
            "place": "",
            "members": [str(bakker.id), str(amrani.id)],
            "reason": "",
        }
        response = post(griffier, url, data)
        assert response.status_code == 400
        assert "Vul de reden van de wijziging in." in form_errors(response.get_data(as_text=True))
        response = post(griffier, url, {**data, "reason": "Inwoner kan pas na de lunch"})
        assert response.status_code == 302, form_errors(response.get_data(as_text=True))
        db.session.expire_all()
        appt = db.session.get(ConversationAppointment, appt_id)
        assert appt.slot_id == slot_at(13).id and appt.sequence == 1
        (moved,) = smtp.to("raadslid@zwolle.demo")
        event = ics_of(moved).walk("VEVENT")[0]
        assert int(event["sequence"]) == 1
        assert "Gewijzigd" in moved["Subject"]

        smtp.messages.clear()
        cancel_url = f"{BASE}/gesprekken/{appt_id}/annuleren"
        response = post(griffier, cancel_url, {"reason": ""})
        assert response.status_code == 400
        assert "Vul de reden van de annulering in." in form_errors(response.get_data(as_text=True))
        assert post(griffier, cancel_url, {"reason": "Ziek"}).status_code == 302
        db.session.expire_all()
        appt = db.session.get(ConversationAppointment, appt_id)
        req = db.session.get(ConversationRequest, req.id)
        assert appt.cancelled and appt.cancel_reason == "Ziek"
        assert req.status == "geannuleerd" and req.history[-1].reason == "Ziek"
        cal = ics_of(smtp.to("raadslid2@zwolle.demo")[0])
        assert str(cal["method"]) == "CANCEL"
        assert str(cal.walk("VEVENT")[0]["status"]) == "CANCELLED"
        assert "gaat helaas niet door" in body(smtp.to("petra.jansen@example.org")[0])
        # the freed slot can be used again
        assert schedule(griffier, req, [bakker], slot_id=str(slot_at(13).id)).status_code == 302


def test_a_resident_without_e_mail_gets_a_printable_letter(demo, smtp) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        req = new_request(griffier, new_email="", new_name="Zonder Mail", form="city_hall")
        response = schedule(griffier, req, [member("Gerda Visser")], slot_id=str(slot_at(15).id))
        assert response.status_code == 302
        appt_id = db.session.get(ConversationRequest, req.id).appointment_id
        assert smtp.to("g.visser@raad.zwolle.demo")  # invitation still mailed
        letter = griffier.get(f"{BASE}/gesprekken/{appt_id}/brief/{req.id}")
        assert letter.status_code == 200
        html = letter.get_data(as_text=True)
        assert "Beste Zonder Mail" in html and "Stadhuis, Grote Kerkplein 15" in html
        assert "raadsgesprekken/print.css" in html
        assert griffier.get(f"{BASE}/print.css").mimetype == "text/css"


# -- permissions and privacy -------------------------------------------------------------------
def test_council_member_sees_only_own_conversations(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        ahmed_id = member("Ahmed El Amrani").id
        rows = db.session.execute(select(ConversationAppointment)).scalars().all()
        with_ahmed = [a.id for a in rows if ahmed_id in a.member_ids]
        without = [a.id for a in rows if ahmed_id not in a.member_ids]
        reported_without = [a.id for a in rows if ahmed_id not in a.member_ids and a.report]
        assert with_ahmed and without and reported_without
    ahmed = signed_in(demo, "zwolle", "raadslid2")
    listing = ahmed.get(f"{BASE}/gesprekken?periode=alle").get_data(as_text=True)
    for a in with_ahmed:
        assert f'/gesprekken/{a}"' in listing
        assert ahmed.get(f"{BASE}/gesprekken/{a}").status_code == 200
    for a in without:
        assert f'/gesprekken/{a}"' not in listing
        assert ahmed.get(f"{BASE}/gesprekken/{a}").status_code == 404
        assert ahmed.get(f"{BASE}/gesprekken/{a}/verslag").status_code == 404
        assert ahmed.get(f"{BASE}/gesprekken/{a}/uitnodiging-{ahmed_id}.ics").status_code == 404
    # no intake, no scheduling, no doorgeefluik, no management for a council member
    for url in ("aanvragen", "aanvragen/nieuw", "gespreksdagen", "doorgeefluik", "raadsleden"):
        assert ahmed.get(f"{BASE}/{url}").status_code == 403, url
    nav = ahmed.get(f"{BASE}/").get_data(as_text=True)
    assert "Doorgeefluik" not in nav and "Aanvragen" not in nav

    # as the working group's chair he reads every identifiable report
    with demo.app_context():
        member("Ahmed El Amrani").is_chair = True
        db.session.commit()
    ahmed = signed_in(demo, "zwolle", "raadslid2")
    response = ahmed.get(f"{BASE}/gesprekken/{reported_without[0]}/verslag")
    assert response.status_code == 200
    with demo.app_context():
        events = audit_actions("raadsgesprekken.report.viewed")
        assert [e.actor for e in events] == ["raadslid2"]


def test_policy_officer_sees_nothing_of_the_plugin(demo) -> None:  # type: ignore[no-untyped-def]
    beleid = signed_in(demo, "zwolle", "beleid")
    with demo.app_context():
        appt_id = db.session.execute(select(ConversationAppointment.id)).scalars().first()
    for url in (
        f"{BASE}/",
        f"{BASE}/gesprekken",
        f"{BASE}/gesprekken/{appt_id}",
        f"{BASE}/aanvragen",
        f"{BASE}/bereik",
        f"{BASE}/werkgroep",
        f"{BASE}/doorgeefluik",
    ):
        assert beleid.get(url).status_code == 403, url
    dashboard = beleid.get("/zwolle/").get_data(as_text=True)
    assert "Raadsgesprekken" not in dashboard and f"{BASE}/" not in dashboard


def test_home_address_only_for_assigned_members_and_clerk(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        anna_appt = db.session.execute(
            select(ConversationAppointment).where(ConversationAppointment.place_is_home.is_(True))
        ).scalar_one()
        address = anna_appt.place
        assert address
        # make Visser's account-less record the chair, so Mirjam is neither chair nor assigned
        bakker = member("Mirjam Bakker")
        bakker.is_chair = False
        member("Gerda Visser").is_chair = True
        anna_appt.members = [m for m in anna_appt.members if m.member_id != bakker.id]
        db.session.commit()
        appt_id = anna_appt.id
    assert address in signed_in(demo, "zwolle", "griffier").get(
        f"{BASE}/gesprekken/{appt_id}"
    ).get_data(as_text=True)
    assert address in signed_in(demo, "zwolle", "raadslid2").get(
        f"{BASE}/gesprekken/{appt_id}"
    ).get_data(as_text=True)
    assert (
        signed_in(demo, "zwolle", "raadslid").get(f"{BASE}/gesprekken/{appt_id}").status_code == 404
    )
    # the calendar shows the appointment, never the address nor a name
    calendar = signed_in(demo, "zwolle", "beleid").get("/zwolle/kalender").get_data(as_text=True)
    assert address not in calendar and "Anna" not in calendar


def test_other_municipality_gets_404_everywhere(demo) -> None:  # type: ignore[no-untyped-def]
    with demo.app_context():
        appt_id = db.session.execute(select(ConversationAppointment.id)).scalars().first()
        req_id = db.session.execute(select(ConversationRequest.id)).scalars().first()
        day_id = demo_day().id
        zaanstad = municipalities.by_slug("zaanstad")
        municipalities.set_plugin_enabled(zaanstad, "raadsgesprekken", True, actor="test")
        from intranet_dev.demo import demo_roles

        demo_roles(zaanstad, {"rg-alles": ("Alles", ["raadsgesprekken.*"], ["participatie"])})
        db.session.commit()
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    # their own plugin pages work, but show nothing of Zwolle
    assert coordinator.get("/zaanstad/raadsgesprekken/gesprekken").status_code == 200
    for url in (
        f"/zaanstad/raadsgesprekken/gesprekken/{appt_id}",
        f"/zaanstad/raadsgesprekken/aanvragen/{req_id}",
        f"/zaanstad/raadsgesprekken/aanvragen/{req_id}/inplannen",
        f"/zaanstad/raadsgesprekken/gespreksdagen/{day_id}",
        f"/zaanstad/raadsgesprekken/gesprekken/{appt_id}/verslag",
    ):
        assert coordinator.get(url).status_code == 404, url
    for url in (f"{BASE}/", f"{BASE}/gesprekken/{appt_id}", f"{BASE}/aanvragen/{req_id}"):
        assert coordinator.get(url).status_code == 404, url
    # a Zwolle slot or council member in a Zaanstad form is refused, and nothing is saved
    response = post(
        coordinator,
        "/zaanstad/raadsgesprekken/aanvragen/nieuw",
        request_data(new_name="Zaanse Inwoner", new_email=""),
    )
    assert response.status_code == 302, form_errors(response.get_data(as_text=True))
    zaans_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with demo.app_context():
        zwolle_slot = slot_at(11).id
        zwolle_member = member("Mirjam Bakker").id
    response = post(
        coordinator,
        f"/zaanstad/raadsgesprekken/aanvragen/{zaans_id}/inplannen",
        {
            "requests": [str(zaans_id)],
            "slot_id": str(zwolle_slot),
            "form": "home",
            "members": [str(zwolle_member)],
        },
    )
    assert response.status_code == 400
    with demo.app_context():
        assert db.session.get(ConversationRequest, zaans_id).appointment_id is None


def test_plugin_disabled_means_404(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    assert griffier.get(f"{BASE}/").status_code == 200
    with demo.app_context():
        municipalities.set_plugin_enabled(zwolle(), "raadsgesprekken", False, actor="test")
        db.session.commit()
    assert griffier.get(f"{BASE}/").status_code == 404
    assert griffier.get(f"{BASE}/aanvragen").status_code == 404
    assert "Raadsgesprekken" not in griffier.get("/zwolle/").get_data(as_text=True)


# -- bad input on every form -------------------------------------------------------------------
def _errors(client, url: str, data: dict) -> list[str]:  # type: ignore[type-arg]
    response = post(client, url, data)
    assert response.status_code == 400, (url, response.status_code)
    return form_errors(response.get_data(as_text=True))


def test_bad_input_on_every_form_gives_dutch_errors_and_keeps_values(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        before = (
            db.session.execute(select(ConversationRequest).order_by(ConversationRequest.id))
            .scalars()
            .all()
        )
        # intake: no name for the new resident, no care, elsewhere without address, no consent
        response = post(
            griffier,
            f"{BASE}/aanvragen/nieuw",
            request_data(
                new_name="",
                care_kinds=[],
                form="elsewhere",
                new_email="geen-mail",
                requested_on="2099-01-01",
                consent_contact="",
                preferred_times="Alleen op dinsdag <b>",
            ),
        )
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        errors = form_errors(html)
        for expected in (
            "Vul de naam van de nieuwe inwoner in.",
            "Kies minstens één soort zorg of ondersteuning.",
            "Vul het adres in van de plek waar de inwoner wil afspreken.",
            "Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl.",
            "De datum van het verzoek kan niet in de toekomst liggen.",
            "Zonder toestemming om benaderd te worden kan er geen gesprek worden gepland.",
        ):
            assert expected in errors, errors
        assert "Alleen op dinsdag &lt;b&gt;" in html  # kept, and escaped
        # nonsense choices and ids never give a 500
        errors = _errors(
            griffier,
            f"{BASE}/aanvragen/nieuw",
            request_data(resident_id="abc", care_kinds=["raket"], requester="x", form="maan"),
        )
        assert "Kies alleen uit de getoonde mogelijkheden." in errors
        assert (
            db.session.execute(select(ConversationRequest).order_by(ConversationRequest.id))
            .scalars()
            .all()
            == before
        )

        bakker = member("Mirjam Bakker")
        anna_req = (
            db.session.execute(
                select(ConversationRequest).where(ConversationRequest.status == "aangevraagd")
            )
            .scalars()
            .first()
        )
        errors = _errors(
            griffier,
            f"{BASE}/aanvragen/{anna_req.id}/inplannen",
            {
                "requests": [],
                "slot_id": "0",
                "day": "",
                "starts": "",
                "ends": "",
                "form": "elsewhere",
                "place": "",
                "members": [],
            },
        )
        for expected in (
            "Kies minstens één inwoner.",
            "Kies minstens één raadslid (meestal twee).",
            "Vul de datum in, of kies een tijdvak.",
            "Vul de begintijd in, of kies een tijdvak.",
            "Vul in waar het gesprek plaatsvindt.",
        ):
            assert expected in errors, errors
        errors = _errors(
            griffier,
            f"{BASE}/aanvragen/{anna_req.id}/inplannen",
            {
                "requests": [str(anna_req.id)],
                "slot_id": "0",
                "day": "2026-13-45",
                "starts": "25:00",
                "ends": "10:00",
                "form": "phone",
                "members": [str(bakker.id)],
            },
        )
        assert "Vul de datum in, of kies een tijdvak." in errors or any(
            "datum" in e for e in errors
        )

        assert "Vul de naam van het raadslid in." in _errors(
            griffier, f"{BASE}/raadsleden/nieuw", {"name": "", "party": "D66", "username": "a b"}
        )
        errors = _errors(
            griffier,
            f"{BASE}/raadsleden/nieuw",
            {"name": "X", "party": "", "username": "a b", "email": "x"},
        )
        assert "Vul de partij in." in errors
        assert "Gebruik alleen letters, cijfers, punt, streepje, @ en _." in errors

        errors = _errors(griffier, f"{BASE}/gespreksdagen/nieuw", {"day": "morgen", "title": ""})
        assert "Vul een geldige datum in, bijvoorbeeld 21-11-2026." in errors
        assert "Geef de dag een naam, bijvoorbeeld ‘Vrijdag 1 juli’." in errors
        day = demo_day()
        errors = _errors(
            griffier,
            f"{BASE}/gespreksdagen/{day.id}",
            {"starts": "12:00", "ends": "11:00", "capacity": "0"},
        )
        assert "De eindtijd moet na de begintijd liggen." in errors
        assert "Kies een aantal van 1 tot en met 50." in errors

        errors = _errors(
            griffier,
            f"{BASE}/doorgeefluik/nieuw",
            {"title": "", "period_start": "2026-11-30", "period_end": "2026-11-01"},
        )
        assert "Geef de samenvatting een titel." in errors
        assert "Het einde van de periode ligt voor het begin." in errors
        errors = _errors(
            griffier,
            f"{BASE}/doorgeefluik/nieuw",
            {"title": "Leeg", "period_start": "2020-01-01", "period_end": "2020-01-31"},
        )
        assert "In deze periode zijn geen verslagen geschreven." in errors

        errors = _errors(griffier, f"{BASE}/werkgroep", {"held_on": "2099-01-01", "with_whom": ""})
        assert "Een gevoerd gesprek kan niet in de toekomst liggen." in errors

        assert "Vul de nieuwe waarde in." in _errors(
            griffier, f"{BASE}/instellingen/lijst", {"item-kind": "care", "item-label": ""}
        )
        assert "Deze waarde staat al in de lijst." in _errors(
            griffier,
            f"{BASE}/instellingen/lijst",
            {"item-kind": "care", "item-label": "Dagbesteding"},
        )
        assert "Dit is geen geldig e-mailadres, bijvoorbeeld griffie@gemeente.nl." in _errors(
            griffier, f"{BASE}/instellingen/algemeen", {"s-clerk_email": "griffie"}
        )

        # the report form, as Mirjam, on a held conversation
        els_appt = (
            db.session.execute(
                select(ConversationAppointment)
                .join(ConversationReport)
                .where(ConversationAppointment.requests.any(ConversationRequest.status == REPORTED))
                .order_by(ConversationAppointment.id)
            )
            .scalars()
            .first()
        )
    mirjam = signed_in(demo, "zwolle", "raadslid")
    errors = _errors(
        mirjam,
        f"{BASE}/gesprekken/{els_appt.id}/verslag/schrijven",
        {"themes": [], "important": ""},
    )
    assert "Kies minstens één thema." in errors
    assert "Beschrijf wat de inwoner belangrijk vindt." in errors


def test_editable_lists_feed_the_intake_form(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    assert (
        post(
            griffier,
            f"{BASE}/instellingen/lijst",
            {"item-kind": "care", "item-label": "mantelzorgondersteuning"},
        ).status_code
        == 302
    )
    assert "mantelzorgondersteuning" in griffier.get(f"{BASE}/aanvragen/nieuw").get_data(
        as_text=True
    )
    with demo.app_context():
        from plugins.raadsgesprekken.models import ChoiceListItem

        item = db.session.execute(
            select(ChoiceListItem).where(ChoiceListItem.label == "schuldhulp")
        ).scalar_one()
    post(griffier, f"{BASE}/instellingen/lijst/{item.id}/wisselen")
    assert 'value="schuldhulp"' not in griffier.get(f"{BASE}/aanvragen/nieuw").get_data(
        as_text=True
    )


# -- hooks --------------------------------------------------------------------------------------
def test_personal_data_and_erasure(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken import plugin

    with demo.app_context():
        muni = zwolle()
        anna = db.session.execute(
            scoped(Resident, muni).where(Resident.name == "Anna de Jong")
        ).scalar_one()
        data = plugin.intranet_resident_data(muni, anna)
        (rec,) = data.records
        assert rec["vertrouwenspersoon"] == "Kees de Jong"
        assert rec["soort zorg"] == "huishoudelijke hulp"
        assert rec["plaats"] == "Kamperpoortenstraat 3, Zwolle"

        els = db.session.execute(
            scoped(Resident, muni).where(Resident.name == "Els Kramer")
        ).scalar_one()
        (els_req,) = db.session.execute(
            scoped(ConversationRequest, muni).where(ConversationRequest.resident_id == els.id)
        ).scalars()
        els_req.appointment.report.quotes = "Els Kramer zei: ik wist het niet."
        db.session.commit()
        assert "verslag: wat belangrijk is" in plugin.intranet_resident_data(muni, els).records[0]

        for resident in (anna, els):
            result = plugin.intranet_erase_resident(muni, resident, "verwijderverzoek")
            assert result.anonymised
        db.session.commit()
        # nothing in this plugin's tables still names Anna or Els or their contact details
        from plugins.raadsgesprekken import models

        needles = [
            "Anna de Jong",
            "Kees de Jong",
            "Kamperpoortenstraat",
            "anna.dejong@example.org",
            "06 12345601",
            "Els Kramer",
            "els.kramer@example.org",
            "06 12345605",
        ]
        for table in db.metadata.sorted_tables:
            if not table.name.startswith("raadsgesprekken_"):
                continue
            for row in db.session.execute(table.select()):
                text = " ".join(str(v) for v in row)
                for needle in needles:
                    assert needle not in text, (table.name, needle)
        assert els_req.resident_id is None and els_req.anonymised_at is not None
        assert els_req.neighbourhood == "Holtenbroek"  # reach figures survive
        assert els_req.appointment.report.important == ""
        assert "[naam]" in els_req.appointment.report.quotes
        assert models.ConversationRequest is ConversationRequest


def test_retention_anonymises_closed_reports(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken import plugin

    with demo.app_context():
        muni = zwolle()
        reqs = (
            db.session.execute(
                scoped(ConversationRequest, muni).where(
                    ConversationRequest.status == "verslag gemaakt"
                )
            )
            .scalars()
            .all()
        )
        for r in reqs:
            r.status = "afgerond"
            r.closed_at = utcnow() - timedelta(days=400)
        reqs[0].closed_at = utcnow() - timedelta(days=20)
        db.session.commit()
        now = utcnow()
        dry = plugin.intranet_retention_run(muni, now, True)
        assert dry.anonymised["aanvragen"] == len(reqs) - 1
        assert all(r.resident_id is not None for r in reqs)
        report = plugin.intranet_retention_run(muni, now, False)
        db.session.commit()
        assert report.anonymised["aanvragen"] == len(reqs) - 1
        assert reqs[0].resident_id is not None and reqs[0].appointment.report.important
        for r in reqs[1:]:
            assert r.resident_id is None and r.appointment.report.important == ""
            assert r.appointment.report.themes  # themes stay for the figures
        assert plugin.intranet_retention_run(muni, now, False).anonymised["aanvragen"] == 0
        (activity,) = plugin.intranet_processing_activities(muni)
        assert activity.retention_days == 360 and "360 dagen" in activity.retention
        assert [c.key for c in activity.retention_categories] == ["verslagen"]


def test_calendar_items_and_dashboard_widget(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken import plugin

    with demo.app_context():
        muni = zwolle()
        day = demo_day().day
        start = day.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        items = plugin.intranet_calendar_items(muni, start, end)
        titles = [i.title for i in items]
        assert any(t.startswith("Gespreksdag raadsleden") for t in titles)
        appt = next(i for i in items if i.title.startswith("Raadsgesprek"))
        assert appt.location == ""  # a home visit: no address in the shared calendar
        assert appt.start.tzinfo is not None
        assert "Anna" not in " ".join(f"{i.title} {i.description} {i.location}" for i in items)
    griffier = signed_in(demo, "zwolle", "griffier")
    dashboard = griffier.get("/zwolle/").get_data(as_text=True)
    assert "Open aanvragen: 3" in dashboard
    assert "Komende gesprekken: 1" in dashboard
    ahmed = signed_in(demo, "zwolle", "raadslid2")
    dashboard = ahmed.get("/zwolle/").get_data(as_text=True)
    assert "Open aanvragen" not in dashboard and "Komende gesprekken: 1" in dashboard
    calendar = griffier.get(f"/zwolle/kalender?jaar={day.year}&maand={day.month}")
    assert calendar.status_code == 200


def test_reach_page_counts_client_council_members_apart(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    # two conversations held: too few to show any breakdown (cells under 5 are suppressed,
    # see test_raadsgesprekken_reach_suppression.py)
    html = griffier.get(f"{BASE}/bereik").get_data(as_text=True)
    assert "minder dan 5 gesprekken" in html and "<svg" not in html
    all_requests = griffier.get(f"{BASE}/bereik?telling=aanvragen").get_data(as_text=True)
    assert re.search(r"Geen lid van een cliëntenraad</th><td[^>]*>5<", all_requests)
    assert "Lid van een cliëntenraad</th>" not in all_requests  # a single member: hidden


def test_working_group_log(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    html = griffier.get(f"{BASE}/werkgroep").get_data(as_text=True)
    assert "Deskundige van Movisie" in html and "voorzitter" in html
    response = post(
        griffier,
        f"{BASE}/werkgroep",
        {
            "held_on": "2026-10-01",
            "with_whom": "Cliëntenraad Wmo",
            "by_whom": "Ahmed",
            "notes": "Goed gesprek",
        },
    )
    assert response.status_code == 302
    assert "Cliëntenraad Wmo" in griffier.get(f"{BASE}/werkgroep").get_data(as_text=True)
    # a council member reads the log but cannot add to it
    ahmed = signed_in(demo, "zwolle", "raadslid2")
    page = ahmed.get(f"{BASE}/werkgroep").get_data(as_text=True)
    assert "Cliëntenraad Wmo" in page and "Gesprek vastleggen" not in page
    post(ahmed, f"{BASE}/werkgroep", {"held_on": "2026-10-02", "with_whom": "Niet", "notes": ""})
    with demo.app_context():
        assert not db.session.execute(
            select(StakeholderMeeting).where(StakeholderMeeting.with_whom == "Niet")
        ).first()


# -- special-category data (AVG art. 9) ---------------------------------------------------------
def _without_special(app) -> None:  # type: ignore[no-untyped-def]
    """Take core.privacy.special away from the clerks' role (as an access administrator would)."""
    from intranet.access import service as access

    with app.app_context():
        zwolle = municipalities.by_slug("zwolle")
        role = access.role_by_name(zwolle, "raadsgesprekken-griffie")
        access.update_role(
            zwolle,
            role,
            name=role.name,
            title=role.title,
            description=role.description,
            permissions=role.permission_codes - {"core.privacy.special"},
        )
        db.session.commit()


def test_kind_of_care_is_shown_only_with_the_special_permission_and_each_read_audited(demo) -> None:  # type: ignore[no-untyped-def]
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        req = new_request(griffier, care_kinds=["ggz-hulp"], needs=["interpreter"])
        req_id, resident_id = req.id, req.resident_id
    detail = griffier.get(f"{BASE}/aanvragen/{req_id}").get_data(as_text=True)
    assert "ggz-hulp" in detail and "Tolk" in detail
    with demo.app_context():
        (read,) = audit_actions("privacy.special_read")  # one per resident per page
        assert read.object_id == str(req_id)
        assert read.details["resident"] == str(resident_id)
        assert read.details["fields"] == ["behoeften", "soort zorg", "zorg via"]
        assert read.actor == "griffier"
    assert "ggz-hulp" in griffier.get(f"{BASE}/aanvragen").get_data(as_text=True)
    with demo.app_context():
        reads = audit_actions("privacy.special_read")[1:]
        residents = [e.details["resident"] for e in reads]
        assert str(resident_id) in residents and len(residents) == len(set(residents))
        logged = len(audit_actions("privacy.special_read"))

    _without_special(demo)
    griffier = signed_in(demo, "zwolle", "griffier")
    detail = griffier.get(f"{BASE}/aanvragen/{req_id}")
    assert detail.status_code == 200
    text = detail.get_data(as_text=True)
    assert "ggz-hulp" not in text and "Tolk" not in text
    assert "alleen zichtbaar met het recht" in text
    listing = griffier.get(f"{BASE}/aanvragen").get_data(as_text=True)
    assert "ggz-hulp" not in listing and ">Zorg<" not in listing
    with demo.app_context():
        assert len(audit_actions("privacy.special_read")) == logged  # nothing shown or logged


def test_exports_leave_the_kind_of_care_out_without_the_permission(demo) -> None:  # type: ignore[no-untyped-def]
    from intranet.privacy import service as privacy

    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        req = new_request(griffier, care_kinds=["ggz-hulp"])
        zwolle = municipalities.by_slug("zwolle")
        withheld = privacy.personal_data(zwolle, req.resident, include_special=False)
        full = privacy.personal_data(zwolle, req.resident, include_special=True)

    def section(data):  # type: ignore[no-untyped-def]
        return next(s for s in data["sections"] if s.plugin == "raadsgesprekken").records[0]

    assert section(full)["soort zorg"] == "ggz-hulp"
    assert section(withheld)["soort zorg"] == privacy.WITHHELD
    assert withheld["special_withheld"] is True
    assert "ggz" not in str(section(withheld)).lower()


def test_required_checkbox_groups_say_so_and_do_not_require_every_box(demo) -> None:  # type: ignore[no-untyped-def]
    """ "Raadsleden" on the scheduling form must have a tick: its legend says "(verplicht)",
    like a required text field, while no single checkbox carries ``required``."""
    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        req = new_request(griffier)
        page = griffier.get(f"{BASE}/aanvragen/{req.id}/inplannen").get_data(as_text=True)
        refused = schedule(griffier, req, [])
    legend = re.search(r"<legend[^>]*>\s*Raadsleden(.*?)</legend>", page, re.S)
    assert legend and "(verplicht)" in legend.group(1)
    assert not re.search(r'<input[^>]*name="members"[^>]*required', page)
    assert "Kies minstens één raadslid (meestal twee)." in form_errors(
        refused.get_data(as_text=True)
    )
    # the error summary lists the fields in the order the page shows them
    html = refused.get_data(as_text=True)
    summary = html.split("error-summary__list", 1)[1].split("</ul>", 1)[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert len(targets) >= 2
    assert targets == sorted(targets, key=lambda t: html.index(f'id="{t}"', html.index("</ul>")))
