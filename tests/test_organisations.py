"""Organisations in the registry: CRUD with Dutch validation, contact persons who are
residents with consent, audit, permissions, tenant isolation and the access request."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from intranet.audit.models import AuditEvent
from intranet.extensions import db
from intranet.municipalities import service as municipalities
from intranet.organisations.models import Organisation, OrganisationContact
from intranet.residents.models import Consent, Resident
from intranet.testing.helpers import form_errors, post, signed_in


@pytest.fixture
def clerk(demo):  # type: ignore[no-untyped-def]
    return signed_in(demo, "zwolle", "griffier")


def _org_id(app, name: str) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.execute(
            select(Organisation.id).where(Organisation.name == name)
        ).scalar_one()


def _resident(app, slug: str, name: str, consent: bool) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        municipality = municipalities.by_slug(slug)
        resident = Resident(municipality_id=municipality.id, name=name)
        db.session.add(resident)
        db.session.flush()
        if consent:
            db.session.add(
                Consent(
                    municipality_id=municipality.id,
                    resident_id=resident.id,
                    purpose="core.contact",
                    method="verbal",
                    given_on=date(2024, 1, 1),
                )
            )
        db.session.commit()
        return resident.id


def _actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        return list(db.session.execute(select(AuditEvent.action)).scalars())


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "kind": "care_provider"}, "Vul de naam van de organisatie in."),
        (
            {"name": "X" * 201, "kind": "care_provider"},
            "De naam mag hoogstens 200 tekens lang zijn.",
        ),
        ({"name": "Zorg BV", "kind": ""}, "Kies een soort organisatie."),
        ({"name": "Zorg BV", "kind": "bank"}, "Kies een soort organisatie uit de lijst."),
        (
            {"name": "Zorg BV", "kind": "other", "email": "geen-adres"},
            "Dit is geen geldig e-mailadres",
        ),
        ({"name": "Zorg BV", "kind": "other", "phone": "bel me"}, "Gebruik alleen cijfers"),
        ({"name": "Zorg BV", "kind": "other", "website": "zorg"}, "Dit is geen geldig webadres"),
    ],
)
def test_bad_input_is_refused_in_dutch(demo, clerk, data, message) -> None:  # type: ignore[no-untyped-def]
    response = post(clerk, "/zwolle/organisaties/nieuw", data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert any(message in e for e in form_errors(html)), form_errors(html)
    if data["name"] and len(data["name"]) < 50:
        assert f'value="{data["name"]}"' in html  # what was typed stays
    with demo.app_context():
        assert (
            db.session.execute(select(Organisation).where(Organisation.name == "Zorg BV")).first()
            is None
        )


def test_create_edit_view_audited(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    response = post(
        clerk,
        "/zwolle/organisaties/nieuw",
        {
            "name": "Platform Zwolle Doet Mee",
            "kind": "citizens_platform",
            "email": "info@burgerplatform.example",
            "website": "https://burgerplatform.example",
        },
    )
    assert response.status_code == 302
    org_id = _org_id(demo, "Platform Zwolle Doet Mee")
    assert response.headers["Location"] == f"/zwolle/organisaties/{org_id}"
    page = clerk.get(f"/zwolle/organisaties/{org_id}").get_data(as_text=True)
    assert "Burgerplatform van de gemeente" in page
    assert "Platform Zwolle Doet Mee" in clerk.get("/zwolle/organisaties/").get_data(as_text=True)
    response = post(
        clerk,
        f"/zwolle/organisaties/{org_id}/bewerken",
        {
            "name": "Platform Zwolle Doet Mee",
            "kind": "citizens_platform",
            "phone": "038 1234567",
            "email": "",
        },
    )
    assert response.status_code == 302
    bad = post(clerk, f"/zwolle/organisaties/{org_id}/bewerken", {"name": "", "kind": "other"})
    assert bad.status_code == 400
    with demo.app_context():
        org = db.session.get(Organisation, org_id)
        assert org.phone == "038 1234567" and org.email is None
    actions = _actions(demo)
    for action in ("organisation.created", "organisation.viewed", "organisation.list"):
        assert action in actions
    assert "organisation.changed" in actions


def test_contact_persons_are_residents_with_consent(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    post(
        clerk,
        "/zwolle/organisaties/nieuw",
        {"name": "Cliëntenraad Zorg", "kind": "client_organisation"},
    )
    org_id = _org_id(demo, "Cliëntenraad Zorg")
    without = _resident(demo, "zwolle", "Zonder Toestemming", consent=False)
    with_consent = _resident(demo, "zwolle", "Met Toestemming", consent=True)
    elsewhere = _resident(demo, "zaanstad", "Elders Woonachtig", consent=True)
    url = f"/zwolle/organisaties/{org_id}/contactpersonen"
    for data, message in [
        ({"resident_id": ""}, "Vul het nummer van de inwoner in."),
        ({"resident_id": "abc"}, "alleen cijfers"),
        ({"resident_id": "99999999"}, "Er is geen inwoner met dit nummer"),
        ({"resident_id": str(elsewhere)}, "Er is geen inwoner met dit nummer"),
        ({"resident_id": str(without)}, "geen toestemming"),
    ]:
        response = post(clerk, url, data)
        assert response.status_code == 400, data
        assert any(message in e for e in form_errors(response.get_data(as_text=True))), data
    response = post(clerk, url, {"resident_id": str(with_consent), "role": "voorzitter"})
    assert response.status_code == 302
    again = post(clerk, url, {"resident_id": str(with_consent)})
    assert again.status_code == 400
    page = clerk.get(f"/zwolle/organisaties/{org_id}").get_data(as_text=True)
    assert "Met Toestemming" in page and "voorzitter" in page
    # the resident's page says whom they speak for
    resident_page = clerk.get(f"/zwolle/inwoners/{with_consent}").get_data(as_text=True)
    assert "Contactpersoon van" in resident_page and "Cliëntenraad Zorg" in resident_page
    assert "organisation.contact_added" in _actions(demo)


def test_access_request_and_erasure_cover_the_contact_role(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    from intranet.privacy import service as privacy

    post(
        clerk,
        "/zwolle/organisaties/nieuw",
        {"name": "Vrijwilligers Zwolle", "kind": "volunteer_organisation"},
    )
    org_id = _org_id(demo, "Vrijwilligers Zwolle")
    resident_id = _resident(demo, "zwolle", "Vera Vrijwilliger", consent=True)
    post(
        clerk,
        f"/zwolle/organisaties/{org_id}/contactpersonen",
        {"resident_id": str(resident_id), "role": "coördinator"},
    )
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        resident = db.session.get(Resident, resident_id)
        data = privacy.personal_data(zwolle, resident, include_special=False)
        rows = [row for section in data["sections"] for row in section.records]
        assert {"contactpersoon van": "Vrijwilligers Zwolle", "rol": "coördinator"} in rows
    with demo.app_context():
        zwolle = municipalities.by_slug("zwolle")
        resident = db.session.get(Resident, resident_id)
        privacy.erase(zwolle, resident, "verzoek", "test")
        db.session.commit()
        assert (
            db.session.execute(
                select(OrganisationContact).where(OrganisationContact.resident_id == resident_id)
            ).first()
            is None
        )


def test_permissions_and_tenant_isolation(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    post(clerk, "/zwolle/organisaties/nieuw", {"name": "Zorggroep Noord", "kind": "care_provider"})
    org_id = _org_id(demo, "Zorggroep Noord")
    member = signed_in(demo, "zwolle", "raadslid")
    assert member.get("/zwolle/organisaties/").status_code == 403
    assert member.get(f"/zwolle/organisaties/{org_id}").status_code == 403
    assert (
        post(member, "/zwolle/organisaties/nieuw", {"name": "X", "kind": "other"}).status_code
        == 403
    )
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    listing = coordinator.get("/zaanstad/organisaties/")
    assert listing.status_code == 200 and "Zorggroep Noord" not in listing.get_data(as_text=True)
    assert coordinator.get(f"/zaanstad/organisaties/{org_id}").status_code == 404
    assert (
        post(
            coordinator,
            f"/zaanstad/organisaties/{org_id}/bewerken",
            {"name": "Overgenomen", "kind": "other"},
        ).status_code
        == 404
    )
    with demo.app_context():
        assert db.session.get(Organisation, org_id).name == "Zorggroep Noord"


def test_delete_keeps_the_plugins_records_and_is_audited(demo, clerk) -> None:  # type: ignore[no-untyped-def]
    post(clerk, "/zwolle/organisaties/nieuw", {"name": "Weg Ermee", "kind": "other"})
    org_id = _org_id(demo, "Weg Ermee")
    member = signed_in(demo, "zwolle", "raadslid")
    assert post(member, f"/zwolle/organisaties/{org_id}/verwijderen").status_code == 403
    coordinator = signed_in(demo, "zaanstad", "coordinator")
    assert post(coordinator, f"/zaanstad/organisaties/{org_id}/verwijderen").status_code == 404
    assert post(clerk, f"/zwolle/organisaties/{org_id}/verwijderen").status_code == 302
    with demo.app_context():
        assert db.session.get(Organisation, org_id) is None
    assert "organisation.deleted" in _actions(demo)
