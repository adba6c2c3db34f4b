"""Thematic workshops (werkateliers): participants from municipality, politics and clients
(clients only with consent for the purpose), the input each gave, and what was done with it
(used, or not used with a reason). Reads of client names are audited; readers see no names."""

from __future__ import annotations

from datetime import date

from intranet_participatieplan.models import (
    WORKSHOP_CONSENT,
    Workshop,
    WorkshopInput,
    WorkshopParticipant,
)
from participatieplan_fixtures import EDITOR, OUTSIDER, READER, first, zwolle
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.residents.models import Resident
from intranet.residents.service import give_consent
from intranet.testing.helpers import form_errors, post, signed_in

BASE = "/zwolle/participatieplan"


def _resident_without_consent(app) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        for r in db.session.execute(
            select(Resident).where(Resident.municipality_id == zwolle().id).order_by(Resident.id)
        ).scalars():
            if not r.has_consent(WORKSHOP_CONSENT):
                return r.id, r.name
    raise AssertionError("the demo has residents without workshop consent")


def test_run_a_workshop_and_record_its_input(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    response = post(
        client,
        f"{BASE}/werkateliers/nieuw",
        {
            "theme": "Inkoop vanuit de inwoner",
            "workstream_id": "0",
            "held_on": "2026-11-20",
            "status": "gehouden",
        },
    )
    assert response.status_code == 302
    workshop_id = first(plan, Workshop, theme="Inkoop vanuit de inwoner")
    url = f"{BASE}/werkateliers/{workshop_id}"
    assert (
        post(
            client,
            f"{url}/deelnemers",
            {"kind": "gemeente", "role": "Inkoopadviseur", "employee_id": "0", "resident_id": "0"},
        ).status_code
        == 302
    )
    assert (
        post(
            client,
            f"{url}/deelnemers",
            {"kind": "politiek", "role": "Raadslid", "employee_id": "0", "resident_id": "0"},
        ).status_code
        == 302
    )
    resident_id, name = _resident_without_consent(plan)
    # a client without consent for werkateliers is refused, next to the field
    response = post(
        client,
        f"{url}/deelnemers",
        {"kind": "client", "employee_id": "0", "resident_id": str(resident_id)},
    )
    assert response.status_code == 400
    assert form_errors(response.get_data(as_text=True))
    with plan.app_context():
        resident = db.session.get(Resident, resident_id)
        give_consent(
            resident,
            WORKSHOP_CONSENT,
            method="written",
            given_on=date(2026, 11, 1),
            recorded_by="test",
        )
        db.session.commit()
    response = post(
        client,
        f"{url}/deelnemers",
        {"kind": "client", "employee_id": "0", "resident_id": str(resident_id)},
    )
    assert response.status_code == 302
    response = post(
        client,
        f"{url}/deelnemers",
        {"kind": "client", "employee_id": "0", "resident_id": str(resident_id)},
    )
    assert response.status_code == 400
    assert "Deze inwoner doet al mee aan dit werkatelier." in form_errors(
        response.get_data(as_text=True)
    )

    with plan.app_context():
        participants = {
            p.kind: p.id
            for p in db.session.execute(
                select(WorkshopParticipant).where(WorkshopParticipant.workshop_id == workshop_id)
            ).scalars()
        }
    for kind, text in (
        ("gemeente", "Koop in op resultaat"),
        ("politiek", "Rapporteer aan de raad"),
        ("client", "Eén loket graag"),
    ):
        assert (
            post(
                client, f"{url}/inbreng", {"participant_id": str(participants[kind]), "text": text}
            ).status_code
            == 302
        )
    body = client.get(url).get_data(as_text=True)
    assert name in body  # the facilitator sees the client's name...
    with plan.app_context():
        event = (
            db.session.execute(
                select(AuditEvent).where(
                    AuditEvent.action == "participatieplan.workshop.participants_viewed"
                )
            )
            .scalars()
            .all()[-1]
        )
        assert event.details["residents"] == [resident_id]  # ...and that read is audited
        assert name not in str(event.details)

    reader_body = signed_in(plan, "zwolle", READER).get(url).get_data(as_text=True)
    assert name not in reader_body and "Eén loket graag" in reader_body

    # what was done with it: not used needs a reason
    input_id = first(plan, WorkshopInput, text="Eén loket graag")
    response = post(
        client, f"{BASE}/inbreng/{input_id}", {"decision": "niet_gebruikt", "reason": ""}
    )
    assert response.status_code == 400
    assert "Geef de reden waarom de inbreng niet is gebruikt." in form_errors(
        response.get_data(as_text=True)
    )
    response = post(
        client,
        f"{BASE}/inbreng/{input_id}",
        {"decision": "niet_gebruikt", "reason": "Al geregeld via het wijkteam"},
    )
    assert response.status_code == 302
    with plan.app_context():
        item = db.session.get(WorkshopInput, input_id)
        assert (item.decision, item.reason, item.kind) == (
            "niet_gebruikt",
            "Al geregeld via het wijkteam",
            "client",
        )
    assert "Al geregeld via het wijkteam" in client.get(url).get_data(as_text=True)


def test_workshop_forms_refuse_bad_input(plan) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(plan, "zwolle", EDITOR)
    response = post(
        client,
        f"{BASE}/werkateliers/nieuw",
        {
            "theme": "",
            "workstream_id": "9999",
            "held_on": "gisteren",
            "status": "x",
            "location": "Stadhuis",
        },
    )
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul het thema van het werkatelier in." in errors
    assert "Kies een werkstroom uit de lijst." in errors
    assert any("geldige datum" in e for e in errors)
    assert "Stadhuis" in response.get_data(as_text=True)
    workshop_id = first(plan, Workshop)
    url = f"{BASE}/werkateliers/{workshop_id}"
    response = post(
        client,
        f"{url}/deelnemers",
        {"kind": "marsmannetje", "employee_id": "0", "resident_id": "0"},
    )
    assert response.status_code == 400
    response = post(
        client,
        f"{url}/deelnemers",
        {"kind": "politiek", "role": "", "employee_id": "0", "resident_id": "0"},
    )
    assert response.status_code == 400
    assert "Vul de rol in, of kies een medewerker." in form_errors(response.get_data(as_text=True))
    response = post(client, f"{url}/inbreng", {"participant_id": "999999", "text": ""})
    assert response.status_code == 400
    errors = form_errors(response.get_data(as_text=True))
    assert "Vul de inbreng in." in errors and "Kies een deelnemer uit de lijst." in errors
    input_id = first(plan, WorkshopInput)
    assert post(client, f"{BASE}/inbreng/{input_id}", {"decision": "misschien"}).status_code == 400


def test_workshop_permissions(plan) -> None:  # type: ignore[no-untyped-def]
    workshop_id = first(plan, Workshop)
    input_id = first(plan, WorkshopInput)
    reader = signed_in(plan, "zwolle", READER)
    assert reader.get(f"{BASE}/werkateliers").status_code == 200
    assert reader.get(f"{BASE}/werkateliers/{workshop_id}").status_code == 200
    for path in (
        "/werkateliers/nieuw",
        f"/werkateliers/{workshop_id}/bewerken",
        f"/inbreng/{input_id}",
    ):
        assert reader.get(BASE + path).status_code == 403
    for path in (f"/werkateliers/{workshop_id}/deelnemers", f"/werkateliers/{workshop_id}/inbreng"):
        assert post(reader, BASE + path, {"kind": "politiek", "role": "x"}).status_code == 403
    outsider = signed_in(plan, "zwolle", OUTSIDER)
    assert outsider.get(f"{BASE}/werkateliers/{workshop_id}").status_code == 403
