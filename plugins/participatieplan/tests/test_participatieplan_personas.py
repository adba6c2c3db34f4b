"""Personas made with the target group: co-creation sessions with residents who consented,
persona cards in versions, who helped (as a count, never by name), where a persona is used.
A persona page never shows a participant's identity."""

from __future__ import annotations

from datetime import date

from intranet_participatieplan.models import (
    PERSONA_CONSENT,
    CocreationSession,
    Persona,
    PersonaVersion,
    SessionParticipant,
)
from participatieplan_fixtures import EDITOR, READER, first, zwolle
from sqlalchemy import select

from intranet.extensions import db
from intranet.residents.models import Resident
from intranet.residents.service import give_consent
from intranet.testing.helpers import form_errors, post, signed_in

BASE = "/zwolle/participatieplan"

PERSONA = {
    "name": "Joost",
    "status": "concept",
    "situation": "Joost is mantelzorger voor zijn moeder.",
    "what_matters": "Tijd voor zichzelf.",
    "quotes": "Ik wil gewoon weten bij wie ik moet zijn.\nNiet weer een formulier.",
    "needs": "Respijtzorg.",
    "obstacles": "Wachttijden.",
}


def _residents(app, n: int = 2) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = (
            db.session.execute(
                select(Resident)
                .where(Resident.municipality_id == zwolle().id)
                .order_by(Resident.id.desc())
            )
            .scalars()
            .all()[:n]
        )
        for r in rows:
            if not r.has_consent(PERSONA_CONSENT):
                give_consent(
                    r,
                    PERSONA_CONSENT,
                    method="verbal",
                    given_on=date(2026, 11, 1),
                    recorded_by="test",
                )
        db.session.commit()
        return [(r.id, r.name, r.email or r.phone or "") for r in rows]


def test_make_a_persona_with_two_residents_and_never_show_who(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    response = post(
        client,
        f"{BASE}/sessies/nieuw",
        {"title": "Mantelzorgers maken persona's", "held_on": "2026-11-25"},
    )
    assert response.status_code == 302
    session_id = first(plan, CocreationSession, title="Mantelzorgers maken persona's")
    people = _residents(plan)
    for resident_id, _name, _contact in people:
        assert (
            post(
                client, f"{BASE}/sessies/{session_id}/deelnemers", {"resident_id": str(resident_id)}
            ).status_code
            == 302
        )
    session_page = client.get(f"{BASE}/sessies/{session_id}").get_data(as_text=True)
    assert all(name in session_page for _id, name, _c in people)

    form = client.get(f"{BASE}/personas/nieuw").get_data(as_text=True)
    assert "samengesteld portret" in form and "geen echt persoon" in form  # the form says so
    response = post(client, f"{BASE}/personas/nieuw", {**PERSONA, "session_id": str(session_id)})
    assert response.status_code == 302
    persona_id = first(plan, Persona, name="Joost")
    body = client.get(f"{BASE}/personas/{persona_id}").get_data(as_text=True)
    assert "Joost is mantelzorger" in body and "Niet weer een formulier." in body
    assert "met 2 inwoners uit de doelgroep" in body
    for resident_id, name, contact in people:
        assert name not in body
        if contact:
            assert contact not in body
        assert f"/inwoners/{resident_id}" not in body
    reader_body = (
        signed_in(plan, "zwolle", READER)
        .get(f"{BASE}/personas/{persona_id}")
        .get_data(as_text=True)
    )
    assert all(name not in reader_body for _id, name, _c in people)

    # a new version keeps the old one
    response = post(
        client,
        f"{BASE}/personas/{persona_id}/nieuwe-versie",
        {**PERSONA, "situation": "Joost zorgt nu ook voor zijn vader.", "session_id": "0"},
    )
    assert response.status_code == 302
    with plan.app_context():
        versions = (
            db.session.execute(
                select(PersonaVersion)
                .where(PersonaVersion.persona_id == persona_id)
                .order_by(PersonaVersion.number)
            )
            .scalars()
            .all()
        )
        assert [v.number for v in versions] == [1, 2]
        assert versions[0].situation == PERSONA["situation"]
    body = client.get(f"{BASE}/personas/{persona_id}").get_data(as_text=True)
    assert "Joost zorgt nu ook voor zijn vader." in body and "Versie 1" in body


def test_where_a_persona_is_used(plan) -> None:  # type: ignore[no-untyped-def]
    from intranet_participatieplan.models import Workstream

    client = signed_in(plan, "zwolle", EDITOR)
    persona_id = first(plan, Persona)
    response = post(
        client,
        f"{BASE}/personas/{persona_id}/gebruik",
        {"workstream_id": "0", "target": "", "note": ""},
    )
    assert response.status_code == 400
    assert "Kies een werkstroom of een activiteit." in form_errors(response.get_data(as_text=True))
    workstream_id = first(plan, Workstream, title="Sociale basis")
    response = post(
        client,
        f"{BASE}/personas/{persona_id}/gebruik",
        {"workstream_id": str(workstream_id), "target": "", "note": "Bij de wijkaanpak"},
    )
    assert response.status_code == 302
    assert "Bij de wijkaanpak" in client.get(f"{BASE}/personas/{persona_id}").get_data(as_text=True)


def test_persona_and_session_forms_refuse_bad_input(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    response = post(
        client,
        f"{BASE}/personas/nieuw",
        {**PERSONA, "name": "", "situation": "", "session_id": "424242", "needs": "Blijft staan"},
    )
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Geef de persona een (verzonnen) naam." in errors
    assert "Beschrijf de situatie van de persona." in errors
    assert "Kies een sessie uit de lijst." in errors
    assert "Blijft staan" in response.get_data(as_text=True)
    response = post(client, f"{BASE}/sessies/nieuw", {"title": "", "held_on": "32-13-2026"})
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul de titel van de sessie in." in errors and any("geldige datum" in e for e in errors)
    session_id = first(plan, CocreationSession)
    with plan.app_context():
        outsider = (
            db.session.execute(select(Resident).where(Resident.municipality_id != zwolle().id))
            .scalars()
            .first()
        )
    response = post(
        client, f"{BASE}/sessies/{session_id}/deelnemers", {"resident_id": str(outsider.id)}
    )
    assert response.status_code == 400  # another municipality's resident is no choice
    with plan.app_context():
        assert not db.session.execute(
            select(SessionParticipant).where(SessionParticipant.resident_id == outsider.id)
        ).first()


def test_sessions_with_names_are_for_facilitators_only(plan) -> None:  # type: ignore[no-untyped-def]
    session_id = first(plan, CocreationSession)
    reader = signed_in(plan, "zwolle", READER)
    assert reader.get(f"{BASE}/personas").status_code == 200
    assert reader.get(f"{BASE}/sessies/{session_id}").status_code == 403
    assert reader.get(f"{BASE}/personas/nieuw").status_code == 403
    assert (
        post(reader, f"{BASE}/sessies/{session_id}/deelnemers", {"resident_id": "1"}).status_code
        == 403
    )
