"""An organisation from the core's registry takes part in a werkatelier, next to the
municipality, politics and clients; another municipality's organisation is refused."""

from __future__ import annotations

from intranet_participatieplan.models import Workshop, WorkshopParticipant
from participatieplan_fixtures import EDITOR, first
from sqlalchemy import select

from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.organisations.models import Organisation
from intranet.testing.helpers import form_errors, post, signed_in

BASE = "/zwolle/participatieplan"


def _organisation(app, slug: str, name: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        org = Organisation(
            municipality_id=municipalities.by_slug(slug).id, name=name, kind="client_organisation"
        )
        db.session.add(org)
        db.session.commit()
        return org.id


def test_an_organisation_takes_part_in_a_workshop(plan) -> None:  # type: ignore[no-untyped-def]
    ours = _organisation(plan, "zwolle", "Cliëntenplatform IJsselland")
    theirs = _organisation(plan, "zaanstad", "Cliëntenplatform Zaan")
    client = signed_in(plan, "zwolle", EDITOR)
    response = post(
        client,
        f"{BASE}/werkateliers/nieuw",
        {
            "theme": "Samen inkopen",
            "workstream_id": "0",
            "held_on": "2026-11-20",
            "status": "gehouden",
        },
    )
    assert response.status_code == 302
    workshop_id = first(plan, Workshop, theme="Samen inkopen")
    url = f"{BASE}/werkateliers/{workshop_id}"
    page = client.get(url).get_data(as_text=True)
    assert "Cliëntenplatform IJsselland" in page and "Cliëntenplatform Zaan" not in page
    base = {"kind": "organisatie", "employee_id": "0", "resident_id": "0"}
    for bad in ("0", str(theirs), "abc"):
        response = post(client, f"{url}/deelnemers", {**base, "organisation_id": bad})
        assert response.status_code == 400, bad
        assert "Kies een organisatie uit de lijst." in form_errors(response.get_data(as_text=True))
    good = {**base, "organisation_id": str(ours), "role": "voorzitter"}
    assert post(client, f"{url}/deelnemers", good).status_code == 302
    again = post(client, f"{url}/deelnemers", good)
    assert again.status_code == 400
    assert "Deze organisatie doet al mee aan dit werkatelier." in form_errors(
        again.get_data(as_text=True)
    )
    with plan.app_context():
        row = db.session.execute(
            select(WorkshopParticipant).where(WorkshopParticipant.workshop_id == workshop_id)
        ).scalar_one()
        assert row.kind == "organisatie" and row.organisation_id == ours
    assert "Cliëntenplatform IJsselland" in client.get(url).get_data(as_text=True)
