"""The defects found while using the intranet all day (issue 14), each with its test."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from intranet.auth.models import Employee
from intranet.extensions import db
from intranet.municipalities import service
from intranet.residents.models import Resident
from intranet.testing.helpers import post, signed_in
from intranet.timeutil import local_today, utcnow
from intranet.web.formatting import format_long_date

ROOT = Path(__file__).resolve().parent.parent


def test_manual_grant_end_date_is_shown_as_entered(demo) -> None:  # type: ignore[no-untyped-def]
    """31-03-2027 was shown as "donderdag 1 april 2027" (stored with Amsterdam's wall clock,
    read back as UTC)."""
    from intranet.access.models import Role

    until = date(local_today().year + 1, 3, 31)  # a date in the future whenever this runs
    admin = signed_in(demo, "zwolle", "beheerder")
    signed_in(demo, "zwolle", "raadslid")  # so the employee exists
    with demo.app_context():
        person = db.session.execute(
            select(Employee).where(Employee.username == "raadslid")
        ).scalar_one()
        role = (
            db.session.execute(select(Role).where(Role.municipality_id == person.municipality_id))
            .scalars()
            .first()
        )
        person_id, role_id = person.id, role.id
    response = post(
        admin,
        f"/zwolle/toegang/medewerkers/{person_id}",
        {"role_id": role_id, "reason": "Vervanging", "expires_on": until.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302
    body = admin.get(f"/zwolle/toegang/medewerkers/{person_id}").get_data(as_text=True)
    assert format_long_date(until, "nl") in body
    assert format_long_date(date(until.year, 4, 1), "nl") not in body
    csv = admin.get("/zwolle/toegang/export.csv").get_data(as_text=True)
    assert until.isoformat() in csv


def test_access_request_names_the_resident_and_is_complete(demo) -> None:  # type: ignore[no-untyped-def]
    """The page said "Inwoner: (nummer 1)"; and AVG art. 15 entitles the resident to all of
    their own data, special categories included. The read is audited."""
    from intranet.audit.models import AuditEvent

    officer = signed_in(demo, "zwolle", "beheerder")
    with demo.app_context():
        anna = db.session.execute(
            select(Resident).where(Resident.name == "Anna de Jong")
        ).scalar_one()
    body = officer.get(f"/zwolle/inwoners/{anna.id}/inzage").get_data(as_text=True)
    assert f"Inwoner: Anna de Jong (nummer {anna.id})" in body
    assert "weggelaten" not in body
    assert "niet het recht" not in body
    with demo.app_context():
        event = (
            db.session.execute(
                select(AuditEvent)
                .where(AuditEvent.action == "privacy.access_request")
                .order_by(AuditEvent.id.desc())
            )
            .scalars()
            .first()
        )
        assert event.details == {"special_included": True} and event.actor == "beheerder"
    # without the access-request permission there is no answer at all
    member = signed_in(demo, "zwolle", "raadslid")
    assert member.get(f"/zwolle/inwoners/{anna.id}/inzage").status_code in (403, 404)


def test_held_is_not_offered_before_the_conversation(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken.models import ConversationAppointment

    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        appt = (
            db.session.execute(
                select(ConversationAppointment)
                .where(ConversationAppointment.cancelled.is_(False))
                .order_by(ConversationAppointment.starts_at.desc())
            )
            .scalars()
            .first()
        )
        appt.starts_at = utcnow() + timedelta(days=21)
        appt.ends_at = appt.starts_at + timedelta(hours=1)
        db.session.commit()
        appt_id = appt.id
    page = griffier.get(f"/zwolle/raadsgesprekken/gesprekken/{appt_id}").get_data(as_text=True)
    assert "Gesprek is gevoerd" not in page
    response = post(
        griffier, f"/zwolle/raadsgesprekken/gesprekken/{appt_id}/gevoerd", follow_redirects=True
    )
    assert "nog niet begonnen" in response.get_data(as_text=True)
    with demo.app_context():
        appt = db.session.get(ConversationAppointment, appt_id)
        assert all(r.status != "gevoerd" for r in appt.requests)


def test_attendance_and_outcomes_wait_for_the_meeting(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.meedenkgroepen.models import Group, Meeting

    coordinator = signed_in(demo, "zaanstad", "coordinator")
    with demo.app_context():
        zaanstad = service.by_slug("zaanstad")
        group = (
            db.session.execute(select(Group).where(Group.municipality_id == zaanstad.id))
            .scalars()
            .first()
        )
        meeting = Meeting(
            municipality_id=zaanstad.id,
            group_id=group.id,
            starts_at=utcnow() + timedelta(days=10),
            location="Stadhuis",
            agenda="1. Welkom\n2. Schuldhulp\n3. Rondvraag",
        )
        db.session.add(meeting)
        db.session.commit()
        mid = meeting.id
    base = "/zaanstad/meedenkgroepen/bijeenkomsten"
    page = coordinator.get(f"{base}/{mid}").get_data(as_text=True)
    assert "Aanwezigheid opslaan" not in page and "Opbrengst toevoegen</button>" not in page
    # the agenda keeps its line breaks
    assert "1. Welkom<br>2. Schuldhulp<br>3. Rondvraag" in page
    response = post(coordinator, f"{base}/{mid}/opbrengsten", {"text": "Te vroeg"})
    assert response.status_code == 302
    response = post(coordinator, f"{base}/{mid}/aanwezigheid", {"attendees": []})
    assert response.status_code == 302
    with demo.app_context():
        meeting = db.session.get(Meeting, mid)
        assert meeting.outcomes == [] and meeting.attendances == []


def test_quote_with_its_own_quotation_marks_gets_one_pair(app) -> None:  # type: ignore[no-untyped-def]
    from flask import render_template

    with app.test_request_context():
        html = render_template(
            "raadsgesprekken/_summary_body.html",
            content={
                "quotes": [("zorg", "“Ik wil gehoord worden.”"), ("wonen", '"Eindelijk."')],
                "themes": [],
                "conversations": 0,
                "residents": 0,
            },
            summary={"period_start": date(2026, 1, 1), "period_end": date(2026, 1, 31)},
        )
    assert "“Ik wil gehoord worden.”" in html and "““" not in html and "””" not in html
    assert "“Eindelijk.”" in html and '"' + "Eindelijk" not in html


def test_clash_names_the_other_conversation() -> None:
    from plugins.raadsgesprekken.rules import Booking, conflicts

    at = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    problems = conflicts(
        starts_at=at,
        ends_at=at + timedelta(hours=1),
        member_ids=[2],
        member_names={2: "Mirjam Bakker"},
        bookings=[
            Booking(
                7,
                at,
                at + timedelta(hours=1),
                frozenset({2}),
                label="van 10:00 tot 11:00, op het gemeentehuis (gesprek nr. 7)",
            )
        ],
    )
    assert [p.message for p in problems] == [
        "Mirjam Bakker heeft op dat moment al een ander gesprek: van 10:00 tot 11:00, "
        "op het gemeentehuis (gesprek nr. 7)."
    ]


def test_steps_are_numbered_once_and_een_keuze_is_spelled_right() -> None:
    template = (
        ROOT / "plugins/meedenkgroepen/templates/meedenkgroepen/trajectory_detail.html"
    ).read_text()
    steps = re.search(r'<ol class="steps".*?</ol>', template, re.S)
    assert steps and "{{ n }}." not in steps.group(0)  # the <ol> numbers them


def test_question_kind_in_lower_case_is_een_with_two_accents(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.meedenkgroepen.models import Question

    coordinator = signed_in(demo, "zaanstad", "coordinator")
    with demo.app_context():
        q = db.session.execute(select(Question).where(Question.kind == "single")).scalars().first()
        assert q is not None
        qid = q.questionnaire_id
    body = coordinator.get(f"/zaanstad/meedenkgroepen/vragenlijsten/{qid}").get_data(as_text=True)
    assert "(één keuze" in body and "eén keuze" not in body


def test_committee_name_on_prints_is_the_municipalitys_own(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.adviescommissie.models import AdviceFile

    with demo.app_context():
        files = {}
        for slug in ("zaanstad", "zwolle"):
            m = service.by_slug(slug)
            f = (
                db.session.execute(select(AdviceFile).where(AdviceFile.municipality_id == m.id))
                .scalars()
                .first()
            )
            files[slug] = f.id if f else None
    secretary = signed_in(demo, "zaanstad", "secretaris")
    body = secretary.get(
        f"/zaanstad/adviescommissie/dossiers/{files['zaanstad']}/afdrukken"
    ).get_data(as_text=True)
    assert "Adviescommissie Sociaal Domein · Gemeente Zaanstad" in body or (
        "Adviescommissie Sociaal Domein ·" in body
    )
    griffier = signed_in(demo, "zwolle", "griffier")  # reads Zwolle's committee
    body = griffier.get("/zwolle/adviescommissie/jaarverslag/afdrukken").get_data(as_text=True)
    assert "Sociaal Domein ·" not in body
    assert "Adviescommissie ·" in body


def test_every_demo_account_is_listed_with_its_purpose() -> None:
    from intranet_dev.run_demo import ACCOUNTS

    listed = {(slug, uid) for slug, uid, _name, _what in ACCOUNTS}
    in_directory = set()
    for slug in ("zwolle", "zaanstad"):
        ldif = (ROOT / "deploy/demo" / f"{slug}.ldif").read_text()
        in_directory |= {(slug, uid) for uid in re.findall(r"^uid: (\S+)$", ldif, re.M)}
    assert listed == in_directory
    assert all(what for *_rest, what in ACCOUNTS)
    readme = (ROOT / "README.md").read_text()
    for slug, uid in in_directory:
        assert re.search(rf"\| {slug.capitalize()} \| `{uid}` \| \S", readme), uid


def test_adding_a_slot_warns_that_an_available_member_is_already_booked(demo) -> None:  # type: ignore[no-untyped-def]
    from plugins.raadsgesprekken.models import ConversationDay, CouncilMember

    griffier = signed_in(demo, "zwolle", "griffier")
    with demo.app_context():
        zwolle = service.by_slug("zwolle")
        day = (
            db.session.execute(
                select(ConversationDay)
                .where(ConversationDay.municipality_id == zwolle.id)
                .order_by(ConversationDay.day)
            )
            .scalars()
            .first()
        )
        bakker = db.session.execute(
            select(CouncilMember).where(CouncilMember.name == "Mirjam Bakker")
        ).scalar_one()
        day_id, bakker_id = day.id, bakker.id
    # Bakker is with Anna at 10:00 on the demo day
    response = post(
        griffier,
        f"/zwolle/raadsgesprekken/gespreksdagen/{day_id}",
        {"starts": "10:15", "ends": "10:45", "capacity": "1", "members": [str(bakker_id)]},
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert "Het tijdvak is toegevoegd." in body
    assert "Let op: Mirjam Bakker is als beschikbaar aangemerkt" in body
    assert "al een ander gesprek: van 10:00 tot" in body
    assert "utrecht-alert--warning" in body
